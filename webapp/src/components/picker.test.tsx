// The one picker: nothing listed before a term, matches as "Add" buttons without what is chosen,
// only the newest search's answer shown, a failed search said.
import {act, screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, {useState} from 'react';

import {ChosenList, Picker, type PickOption} from './picker';

import {renderInConsole} from '../test/helpers';

const ada: PickOption = {id: 'ada', label: 'Ada', detail: '@ada'};
const bob: PickOption = {id: 'bob', label: 'Bob'};

function Chooser({search}: {search: (term: string) => Promise<PickOption[]>}) {
    const [chosen, setChosen] = useState<PickOption[]>([]);
    return (
        <>
            <ChosenList
                items={chosen.map((o) => o.id)}
                names={new Map(chosen.map((o) => [o.id, o]))}
                emptyText='Nobody yet'
                onRemove={(id) => setChosen((list) => list.filter((o) => o.id !== id))}
            />
            <Picker
                label='Search people'
                search={search}
                chosen={chosen.map((o) => o.id)}
                onPick={(option) => setChosen((list) => [...list, option])}
            />
        </>
    );
}

describe('Picker', () => {
    it('searches as you type, offers what is not chosen yet, and adds and removes', async () => {
        const search = jest.fn(async () => [ada, bob]);
        renderInConsole(<Chooser search={search}/>);
        expect(screen.getByText('Nobody yet')).toBeInTheDocument();
        expect(screen.queryByRole('list', {name: 'Search people'})).toBeNull();

        await userEvent.type(screen.getByRole('searchbox', {name: 'Search people'}), 'a');
        const options = await screen.findByRole('list', {name: 'Search people'});
        expect(await within(options).findByText('@ada')).toBeInTheDocument();
        expect(search).toHaveBeenLastCalledWith('a');
        await userEvent.click(within(options).getByRole('button', {name: 'Add Ada'}));

        expect(screen.getByRole('button', {name: 'Remove Ada'})).toBeInTheDocument();
        expect(screen.getByRole('searchbox', {name: 'Search people'})).toHaveValue('');
        await userEvent.type(screen.getByRole('searchbox', {name: 'Search people'}), 'b');
        const again = await screen.findByRole('list', {name: 'Search people'});
        expect(await within(again).findByRole('button', {name: 'Add Bob'})).toBeInTheDocument();
        expect(within(again).queryByRole('button', {name: 'Add Ada'})).toBeNull();

        await userEvent.click(screen.getByRole('button', {name: 'Remove Ada'}));
        expect(screen.getByText('Nobody yet')).toBeInTheDocument();
    });

    it('shows only the answer to the newest term', async () => {
        jest.useFakeTimers();
        try {
            const answers: Record<string, (options: PickOption[]) => void> = {};
            const search = (term: string) => new Promise<PickOption[]>((resolve) => {
                answers[term] = resolve;
            });
            renderInConsole(<Chooser search={search}/>);
            const box = screen.getByRole('searchbox', {name: 'Search people'});
            const user = userEvent.setup({advanceTimers: jest.advanceTimersByTime});
            await user.type(box, 'a');
            await act(async () => jest.advanceTimersByTime(300));
            await user.type(box, 'b');
            await act(async () => jest.advanceTimersByTime(300));
            await act(async () => answers.ab([bob]));
            await act(async () => answers.a([ada]));
            const options = screen.getByRole('list', {name: 'Search people'});
            expect(within(options).getByRole('button', {name: 'Add Bob'})).toBeInTheDocument();
            expect(within(options).queryByRole('button', {name: 'Add Ada'})).toBeNull();
        } finally {
            jest.useRealTimers();
        }
    });

    it('says when the search failed', async () => {
        renderInConsole(<Chooser search={async () => Promise.reject(new Error('forbidden'))}/>);
        await userEvent.type(screen.getByRole('searchbox', {name: 'Search people'}), 'x');
        expect(await screen.findByRole('alert')).toHaveTextContent('forbidden');
    });
});
