// The team pages (registerNeedsTeamRoute) in the web app's `.main-wrapper` grid: team_controller.tsx renders
// them with `css={{gridArea: 'center'}}` in place of the channel view.
import {screen} from '@testing-library/react';
import React from 'react';

import {TeamPage} from './team_page';

import {ReviewPage} from '../review/review_panel';
import {StakeholderStatusPage} from '../stakeholders/status_page';
import {deferredFetch, renderInConsole} from '../test/helpers';

jest.mock('react-chartjs-2', () => ({Line: () => null, Bar: () => null}));

const pages = [['stakeholder status page', StakeholderStatusPage], ['review panel', ReviewPage]] as const;

describe.each(pages)('the %s in the team grid', (_name, Page) => {
    beforeEach(() => {
        deferredFetch();
    });

    it('applies the host\'s css prop and className to its root element', () => {
        const {container} = renderInConsole(
            <Page
                css={{gridArea: 'center', backgroundColor: 'red'}}
                className='from-host'
                theme={{centerChannelBg: '#fff'}}
            />,
        );
        const root = container.firstElementChild as HTMLElement;
        expect(root.style.gridArea).toBe('center');
        expect(root.style.backgroundColor).toBe('red');
        expect(root).toHaveClass('cockpit-team-page', 'from-host');
        expect(root.querySelector('.cockpit')).not.toBeNull();
    });

    it('takes the center area when the host passes no placement', () => {
        const {container} = renderInConsole(<Page/>);
        expect((container.firstElementChild as HTMLElement).style.gridArea).toBe('center');
    });
});

describe('a crash on a team page', () => {
    it('stays inside the page: an error panel with the message and Reload, still in the center area', () => {
        const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
        const Crash = () => {
            throw new Error('no team in the state');
        };
        const {container} = renderInConsole(<TeamPage css={{gridArea: 'center'}}><Crash/></TeamPage>);
        expect(screen.getByRole('alert')).toHaveTextContent('Error: no team in the state');
        expect(screen.getByRole('button', {name: 'Reload'})).toBeInTheDocument();
        expect((container.firstElementChild as HTMLElement).style.gridArea).toBe('center');
        log.mockRestore();
    });
});
