import {screen, within} from '@testing-library/react';
import React from 'react';

import {ErrorIds} from 'contract/errors';

import {RequestErrorNotice} from './request_error';

import {renderInConsole} from '../test/helpers';

describe('RequestErrorNotice', () => {
    test('the translated sentence with the answer\'s status, and the server\'s English beneath it only as the detail', () => {
        const detail = 'These settings belong to one environment or are secrets and are never copied: SqlSettings.DataSource.';
        renderInConsole(
            <RequestErrorNotice
                error={{status: 400, id: ErrorIds.configNotPromotable, message: detail}}
                onRetry={() => undefined}
            />,
        );
        const alert = screen.getByRole('alert');
        const [sentence, beneath] = within(alert).getAllByText(/./, {selector: 'p'});
        expect(sentence).toHaveTextContent(
            'The server answered 400: Some of these settings belong to one environment or are secrets, and are never copied.',
        );
        expect(beneath).toHaveTextContent(detail);
    });

    test('an id that says it all: no English beneath', () => {
        renderInConsole(
            <RequestErrorNotice
                error={{status: 503, id: ErrorIds.waveBusy, message: 'Wave w1 is locked by node-2.'}}
                onRetry={() => undefined}
            />,
        );
        const alert = screen.getByRole('alert');
        expect(within(alert).getAllByText(/./, {selector: 'p'})).toHaveLength(1);
        expect(alert).toHaveTextContent(
            'The server answered 503: The wave is being run right now (by the job or another server). Try again in a few seconds.',
        );
        expect(alert).not.toHaveTextContent('node-2');
    });
});
