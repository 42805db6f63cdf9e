// CockpitForm inside the System Console's settings form (schema_admin_settings.tsx renders the custom
// setting inside `<form className='form-horizontal' onSubmit={handleSubmit}>`).
import {render, screen} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, {useState} from 'react';

import {CockpitForm} from './cockpit_form';
import {ReadOnlyProvider, WriteControls} from './read_only';

/** The console's settings form around a cockpit form (as the console nests it: form > div > form). */
function InConsoleForm({onApply, onConsoleSubmit, readOnly = false}: {
    onApply: () => void;
    onConsoleSubmit: () => void;
    readOnly?: boolean;
}) {
    const [name, setName] = useState('');
    return (
        <form
            className='form-horizontal'
            onSubmit={(e) => {
                e.preventDefault();
                onConsoleSubmit();
            }}
        >
            <div className='cockpit'>
                <ReadOnlyProvider readOnly={readOnly}>
                    <WriteControls>
                        <CockpitForm
                            className='cockpit-form'
                            aria-label='Branding'
                            noValidate={true}
                            onSubmit={onApply}
                        >
                            <input
                                aria-label='Site name'
                                value={name}
                                onChange={(e) => setName(e.target.value)}
                            />
                            <button type='submit'>{'Apply branding'}</button>
                        </CockpitForm>
                    </WriteControls>
                </ReadOnlyProvider>
            </div>
        </form>
    );
}

describe('CockpitForm', () => {
    let log: jest.SpyInstance;
    beforeEach(() => {
        // React warns about a form inside a form; the real console nests the same way.
        log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    });
    afterEach(() => log.mockRestore());

    it('passes its props to the form element', () => {
        render(
            <InConsoleForm
                onApply={jest.fn()}
                onConsoleSubmit={jest.fn()}
            />,
        );
        const form = screen.getByRole('form', {name: 'Branding'});
        expect(form).toHaveClass('cockpit-form');
        expect(form).toHaveAttribute('novalidate');
    });

    it('a submit button\'s click calls the handler once; the console form\'s onSubmit is not called', async () => {
        const apply = jest.fn();
        const consoleSubmit = jest.fn();
        render(
            <InConsoleForm
                onApply={apply}
                onConsoleSubmit={consoleSubmit}
            />,
        );
        await userEvent.click(screen.getByRole('button', {name: 'Apply branding'}));
        expect(apply).toHaveBeenCalledTimes(1);
        expect(consoleSubmit).not.toHaveBeenCalled();
    });

    it('Enter in a field calls the handler once; the console form\'s onSubmit is not called', async () => {
        const apply = jest.fn();
        const consoleSubmit = jest.fn();
        render(
            <InConsoleForm
                onApply={apply}
                onConsoleSubmit={consoleSubmit}
            />,
        );
        await userEvent.type(screen.getByRole('textbox', {name: 'Site name'}), 'Acme{Enter}');
        expect(apply).toHaveBeenCalledTimes(1);
        expect(consoleSubmit).not.toHaveBeenCalled();
    });

    it('prevents the browser\'s default submission and stops the event at the form', () => {
        const apply = jest.fn();
        const documentSaw = jest.fn();
        document.addEventListener('submit', documentSaw);
        try {
            render(
                <InConsoleForm
                    onApply={apply}
                    onConsoleSubmit={jest.fn()}
                />,
            );
            const event = new Event('submit', {bubbles: true, cancelable: true});
            screen.getByRole('form', {name: 'Branding'}).dispatchEvent(event);
            expect(event.defaultPrevented).toBe(true);
            expect(apply).toHaveBeenCalledTimes(1);
            expect(documentSaw).not.toHaveBeenCalled();
        } finally {
            document.removeEventListener('submit', documentSaw);
        }
    });

    it('runs the handler when the submit event never reaches React\'s root (Chromium, a form nested in a form)', async () => {
        const apply = jest.fn();
        render(
            <InConsoleForm
                onApply={apply}
                onConsoleSubmit={jest.fn()}
            />,
        );
        const form = screen.getByRole('form', {name: 'Branding'});

        // Chromium delivers a nested form's submit to the form's own listeners only; here the form's parent
        // ends it, so React's root listener (and any React onSubmit) never sees it.
        const parent = form.parentElement as HTMLElement;
        const stop = (e: Event) => e.stopPropagation();
        parent.addEventListener('submit', stop);
        await userEvent.click(screen.getByRole('button', {name: 'Apply branding'}));
        parent.removeEventListener('submit', stop);
        expect(apply).toHaveBeenCalledTimes(1);
    });

    it('calls the latest handler after a re-render', async () => {
        const first = jest.fn();
        const second = jest.fn();
        const {rerender} = render(
            <InConsoleForm
                onApply={first}
                onConsoleSubmit={jest.fn()}
            />,
        );
        rerender(
            <InConsoleForm
                onApply={second}
                onConsoleSubmit={jest.fn()}
            />,
        );
        await userEvent.click(screen.getByRole('button', {name: 'Apply branding'}));
        expect(first).not.toHaveBeenCalled();
        expect(second).toHaveBeenCalledTimes(1);
    });

    it('read-only (WriteControls\' disabled fieldset): the button and fields are disabled and nothing is submitted', async () => {
        const apply = jest.fn();
        const consoleSubmit = jest.fn();
        render(
            <InConsoleForm
                onApply={apply}
                onConsoleSubmit={consoleSubmit}
                readOnly={true}
            />,
        );
        expect(screen.getByRole('button', {name: 'Apply branding'})).toBeDisabled();
        expect(screen.getByRole('textbox', {name: 'Site name'})).toBeDisabled();
        await userEvent.click(screen.getByRole('button', {name: 'Apply branding'}));
        expect(apply).not.toHaveBeenCalled();
        expect(consoleSubmit).not.toHaveBeenCalled();
    });

    it('removes its listener on unmount', () => {
        const apply = jest.fn();
        const {unmount} = render(
            <InConsoleForm
                onApply={apply}
                onConsoleSubmit={jest.fn()}
            />,
        );
        const form = screen.getByRole('form', {name: 'Branding'});
        unmount();
        form.dispatchEvent(new Event('submit', {bubbles: true, cancelable: true}));
        expect(apply).not.toHaveBeenCalled();
    });
});
