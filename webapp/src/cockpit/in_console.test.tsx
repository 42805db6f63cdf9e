// The cockpit as the real System Console renders it: the custom setting inside the console's settings
// form, with the console's `disabled` prop, and every view behind an error boundary.
import {screen} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, {useState} from 'react';

import {CockpitPage, CockpitSetting} from './cockpit';
import type {CockpitTab} from './types';

import {CockpitForm} from '../components/cockpit_form';
import {ReadOnlyNotice, WriteControls} from '../components/read_only';
import {renderInConsole} from '../test/helpers';

function Broken(): never {
    throw new Error('plan state is missing');
}

function FormPanel() {
    const [applied, setApplied] = useState(0);
    return (
        <>
            <CockpitForm onSubmit={() => setApplied((n) => n + 1)}>
                <WriteControls>
                    <input aria-label='Site name'/>
                    <button type='submit'>{'Apply branding'}</button>
                </WriteControls>
            </CockpitForm>
            <p>{`applied ${applied}`}</p>
            <button type='button'>{'Export CSV'}</button>
        </>
    );
}

jest.mock('./tabs', () => ({
    tabs: [
        {id: 'overview', title: {id: 'test.overview', defaultMessage: 'Overview'}, Panel: () => <p>{'Overview panel'}</p>},
        {id: 'plan', title: {id: 'test.plan', defaultMessage: 'Plan'}, Panel: () => <Broken/>},
        {id: 'branding', title: {id: 'test.branding', defaultMessage: 'Branding'}, Panel: () => <FormPanel/>},
    ] as CockpitTab[],
}));

/** The console's SchemaAdminSettings: the custom setting sits inside `form.form-horizontal`. */
function InSettingsForm({onSave, disabled = false}: {onSave: () => void; disabled?: boolean}) {
    return (
        <form
            className='form-horizontal'
            onSubmit={(e) => {
                e.preventDefault();
                onSave();
            }}
        >
            <CockpitSetting disabled={disabled}/>
        </form>
    );
}

describe('the custom setting inside the System Console settings form', () => {
    it('a cockpit form\'s submit does not reach the console form (no plugin config save)', async () => {
        // React warns about the nesting itself; the real console nests the same way.
        const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
        const consoleSave = jest.fn();
        renderInConsole(<InSettingsForm onSave={consoleSave}/>);
        await userEvent.click(screen.getByRole('tab', {name: 'Branding'}));
        await userEvent.click(screen.getByRole('button', {name: 'Apply branding'}));
        expect(screen.getByText('applied 1')).toBeInTheDocument();
        expect(consoleSave).not.toHaveBeenCalled();
        log.mockRestore();
    });
});

describe('a crash in one view', () => {
    it('shows the error in a console panel, keeps the other tabs usable, and Reload tries again', async () => {
        const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
        renderInConsole(<InSettingsForm onSave={jest.fn()}/>);
        await userEvent.click(screen.getByRole('tab', {name: 'Plan'}));

        const alert = screen.getByRole('alert');
        expect(alert.querySelector('.AdminPanel')).not.toBeNull();
        expect(alert).toHaveTextContent('This part of the cockpit stopped working');
        expect(alert).toHaveTextContent('Error: plan state is missing');
        await userEvent.click(screen.getByRole('button', {name: 'Reload'}));
        expect(screen.getByRole('alert')).toHaveTextContent('plan state is missing');

        await userEvent.click(screen.getByRole('tab', {name: 'Overview'}));
        expect(screen.getByText('Overview panel')).toBeInTheDocument();
        expect(screen.queryByRole('alert')).toBeNull();
        log.mockRestore();
    });

    it('on the dedicated console page too', async () => {
        const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
        renderInConsole(<CockpitPage/>);
        await userEvent.click(screen.getByRole('tab', {name: 'Plan'}));
        expect(screen.getByRole('alert')).toHaveTextContent('Error: plan state is missing');
        expect(screen.getByRole('tablist')).toBeInTheDocument();
        log.mockRestore();
    });
});

describe('a viewer who may read but not change the plugin settings', () => {
    it('custom setting `disabled`: a notice says why, write controls are disabled, tabs and exports are not', async () => {
        renderInConsole((
            <InSettingsForm
                onSave={jest.fn()}
                disabled={true}
            />
        ));
        expect(screen.getByRole('status')).toHaveTextContent('Your role can view the cockpit but not change it');
        await userEvent.click(screen.getByRole('tab', {name: 'Branding'}));
        expect(screen.getByRole('tab', {name: 'Branding'})).toHaveAttribute('aria-selected', 'true');
        expect(screen.getByRole('button', {name: 'Apply branding'})).toBeDisabled();
        expect(screen.getByRole('textbox', {name: 'Site name'})).toBeDisabled();
        expect(screen.getByRole('button', {name: 'Export CSV'})).toBeEnabled();
    });

    it('dedicated page `disabled`/`isDisabled` make it read-only as well; without them it is writable', async () => {
        const {unmount} = renderInConsole(<CockpitPage isDisabled={true}/>);
        await userEvent.click(screen.getByRole('tab', {name: 'Branding'}));
        expect(screen.getByRole('button', {name: 'Apply branding'})).toBeDisabled();
        unmount();

        const again = renderInConsole(<CockpitPage disabled={true}/>);
        expect(screen.getByText('View only')).toBeInTheDocument();
        again.unmount();

        renderInConsole(<InSettingsForm onSave={jest.fn()}/>);
        expect(screen.queryByText('View only')).toBeNull();
        await userEvent.click(screen.getByRole('tab', {name: 'Branding'}));
        expect(screen.getByRole('button', {name: 'Apply branding'})).toBeEnabled();
    });

    it('the notice renders nothing outside a read-only cockpit', () => {
        const {container} = renderInConsole(<ReadOnlyNotice/>);
        expect(container).toBeEmptyDOMElement();
    });
});
