import {render, screen} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import {Provider} from 'react-redux';

import {Cockpit} from './cockpit';
import {orderTabs, tabs} from './tabs';
import {CapabilityIds, type CockpitTab} from './types';

import {makeStore, mockFetch, renderInConsole, statusFixture} from '../test/helpers';

const fakeTab = (id: CockpitTab['id'], text: string): CockpitTab => ({
    id,
    title: {id: `test.${id}`, defaultMessage: text},
    Panel: () => <p>{`${text} panel`}</p>,
});

describe('tab registry', () => {
    it('starts with Overview and lists only capabilities that exist, Audit last', () => {
        expect(tabs.map((t) => t.id)).toEqual(['overview', 'plan', 'readiness', 'branding', 'templates', 'waves', 'adoption', 'audit']);
        expect(CapabilityIds).toEqual(['overview', 'plan', 'readiness', 'branding', 'templates', 'waves', 'adoption', 'audit']);
    });

    it('orders tabs by capability, whatever the order they were added in', () => {
        const ordered = orderTabs([fakeTab('audit', 'Audit'), fakeTab('plan', 'Plan'), fakeTab('overview', 'Overview')]);
        expect(ordered.map((t) => t.id)).toEqual(['overview', 'plan', 'audit']);
    });

    it('rejects a capability registering twice', () => {
        expect(() => orderTabs([fakeTab('plan', 'Plan'), fakeTab('plan', 'Plan again')])).toThrow(/plan/);
    });
});

describe('Cockpit tabs', () => {
    const three = [fakeTab('overview', 'Overview'), fakeTab('plan', 'Plan'), fakeTab('waves', 'Waves')];

    it('shows one panel at a time and switches on click', async () => {
        renderInConsole((
            <Cockpit
                variant='setting'
                tabs={three}
            />
        ));
        expect(screen.getByRole('tablist', {name: 'Cockpit sections'})).toBeInTheDocument();
        expect(screen.getAllByRole('tab')).toHaveLength(3);
        expect(screen.getByRole('tabpanel', {name: 'Overview'})).toHaveTextContent('Overview panel');

        await userEvent.click(screen.getByRole('tab', {name: 'Waves'}));

        expect(screen.getByRole('tab', {name: 'Waves'})).toHaveAttribute('aria-selected', 'true');
        expect(screen.getByRole('tab', {name: 'Overview'})).toHaveAttribute('aria-selected', 'false');
        expect(screen.getByRole('tabpanel', {name: 'Waves'})).toHaveTextContent('Waves panel');
        expect(screen.queryByText('Overview panel')).not.toBeInTheDocument();
    });

    it('moves between tabs with the arrow keys, Home and End', async () => {
        const user = userEvent.setup();
        renderInConsole((
            <Cockpit
                variant='setting'
                tabs={three}
            />
        ));
        await user.click(screen.getByRole('tab', {name: 'Overview'}));

        await user.keyboard('{ArrowRight}');
        expect(screen.getByRole('tab', {name: 'Plan'})).toHaveFocus();
        expect(screen.getByRole('tab', {name: 'Plan'})).toHaveAttribute('aria-selected', 'true');

        await user.keyboard('{ArrowLeft}{ArrowLeft}');
        expect(screen.getByRole('tab', {name: 'Waves'})).toHaveFocus();

        await user.keyboard('{Home}');
        expect(screen.getByRole('tab', {name: 'Overview'})).toHaveAttribute('aria-selected', 'true');
        await user.keyboard('{End}');
        expect(screen.getByRole('tabpanel', {name: 'Waves'})).toBeInTheDocument();

        // Only the selected tab is in the tab order.
        expect(screen.getByRole('tab', {name: 'Waves'})).toHaveAttribute('tabindex', '0');
        expect(screen.getByRole('tab', {name: 'Plan'})).toHaveAttribute('tabindex', '-1');
    });

    it('uses the System Console page structure in the page variant only', () => {
        const {container, unmount} = renderInConsole((
            <Cockpit
                variant='page'
                tabs={three}
            />
        ));
        expect(container.querySelector('.wrapper--fixed > .admin-console__header')).toHaveTextContent('Onboarding Cockpit');
        expect(container.querySelector('.admin-console__wrapper > .admin-console__content .cockpit')).not.toBeNull();
        unmount();

        const setting = renderInConsole((
            <Cockpit
                variant='setting'
                tabs={three}
            />
        ));
        expect(setting.container.querySelector('.wrapper--fixed, .admin-console__header')).toBeNull();
        expect(setting.container.querySelector('.cockpit [role="tablist"]')).not.toBeNull();
    });

    it('brings its own English messages when the host has no IntlProvider', async () => {
        mockFetch({body: statusFixture()});
        render(
            <Provider store={makeStore()}>
                <Cockpit variant='setting'/>
            </Provider>,
        );
        expect(screen.getByRole('tab', {name: 'Overview'})).toBeInTheDocument();
        expect(await screen.findByRole('region', {name: 'Script engines'})).toBeInTheDocument();
    });
});
