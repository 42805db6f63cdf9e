// The webapp's tests run under the host profile's React: a wrong moduleNameMapper in jest.config.js (a library
// getting the root's React 18 under mm12, or two Reacts in one render) fails here first.
import {render, screen} from '@testing-library/react';
import React from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import ReactDOM from 'react-dom';
import {createRoot} from 'react-dom/client';
import {FormattedMessage} from 'react-intl';
import {useSelector} from 'react-redux';

import {makeStore, renderInConsole} from './test/helpers';
import {currentHostProfile, declaredVersion} from './test/host_profile';

const profile = currentHostProfile();

describe(`host profile ${profile.id}`, () => {
    it("loads the profile's React and ReactDOM", () => {
        const react = declaredVersion(profile, 'react');
        const major = react.split('.')[0];
        expect(React.version.split('.')[0]).toBe(major);
        expect(React.version).toBe(react);
        expect(ReactDOM.version).toBe(declaredVersion(profile, 'react-dom'));
        expect(require.resolve('react')).toContain(profile.modules.react);
        expect(require.resolve('react-dom/client')).toContain(profile.modules['react-dom']);
        expect(require.resolve('react/jsx-runtime')).toContain(profile.modules.react);
        expect(typeof jsxRuntime.jsx).toBe('function');
        expect(typeof createRoot).toBe('function');
    });

    it('gives @testing-library/react, react-redux and react-intl the same React (hooks work across them)', () => {
        function Probe() {
            const [n] = React.useState(1);
            const url = useSelector((s: any) => s.entities.general.config.SiteURL);
            return (
                <p>
                    <FormattedMessage
                        id='probe'
                        defaultMessage='{n} {url}'
                        values={{n, url}}
                    />
                </p>
            );
        }
        renderInConsole(<Probe/>, makeStore({siteURL: 'http://mm.example'}));
        expect(screen.getByText('1 http://mm.example')).toBeInTheDocument();
    });

    it('gives react-chartjs-2 the same React', () => {
        // Its dist imports react and react/jsx-runtime; a second React would throw "Invalid hook call" here.
        // jsdom has no canvas, so chart.js itself only logs that it cannot draw (silenced; nothing else may be logged).
        jest.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
        const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
        try {
            const {Chart} = require('react-chartjs-2');
            const {container} = render(
                <Chart
                    type='bar'
                    data={{labels: [], datasets: []}}
                />,
            );
            expect(container.querySelector('canvas')).not.toBeNull();
            const logged = errors.mock.calls.map((c) => String(c[0]));
            expect(logged.filter((m) => !m.includes("can't acquire context"))).toEqual([]);
        } finally {
            jest.restoreAllMocks();
        }
    });
});
