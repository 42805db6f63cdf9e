// The bundle's react/jsx-runtime: the host's runtime when the host publishes one, otherwise elements built
// with the host's React.createElement; and the build wiring that puts it in place of React's own runtime.
import path from 'path';

import {render, screen} from '@testing-library/react';
import React from 'react';

import {Fragment, jsx, jsxDEV, jsxs} from './jsx_runtime';

const {NoBundledReactPlugin, findReactMarkers} = require('../../bundle_guard.js');
const webpackConfig = require('../../webpack.config.js');

afterEach(() => {
    delete window.ReactJSXRuntime;
    delete window.ReactJSXDevRuntime;
});

describe('host/jsx_runtime without a host runtime (Mattermost 11.x)', () => {
    it('builds elements with React.createElement, key passed through and children kept in props', () => {
        const el = jsx('span', {title: 't', children: 'hello'}, 'k1');
        expect(el.key).toBe('k1');
        expect(el.type).toBe('span');
        expect(el.props).toEqual({title: 't', children: 'hello'});
    });

    it('renders static children lists, fragments and refs without key warnings', () => {
        const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
        const ref = React.createRef<HTMLCanvasElement>();
        const tree = jsxs(Fragment as React.ElementType, {
            children: [
                jsx('canvas', {ref, role: 'img', 'aria-label': 'chart'}),
                jsxDEV('p', {children: 'after'}, undefined, false),
            ],
        });
        render(tree);
        expect(screen.getByRole('img', {name: 'chart'})).toBeInTheDocument();
        expect(ref.current).toBeInstanceOf(HTMLCanvasElement);
        expect(screen.getByText('after')).toBeInTheDocument();
        expect(error).not.toHaveBeenCalled();
        error.mockRestore();
    });
});

describe('host/jsx_runtime with the host runtime (Mattermost 12)', () => {
    it('delegates jsx and jsxs to window.ReactJSXRuntime and jsxDEV to window.ReactJSXDevRuntime', () => {
        const made = React.createElement('i');
        window.ReactJSXRuntime = {jsx: jest.fn(() => made), jsxs: jest.fn(() => made)};
        window.ReactJSXDevRuntime = {jsxDEV: jest.fn(() => made)};
        const props = {children: 'x'};

        expect(jsx('b', props, 'a')).toBe(made);
        expect(jsxs('b', props)).toBe(made);
        expect(jsxDEV('b', props, 'c', true)).toBe(made);
        expect(window.ReactJSXRuntime.jsx).toHaveBeenCalledWith('b', props, 'a');
        expect(window.ReactJSXRuntime.jsxs).toHaveBeenCalledWith('b', props, undefined);
        expect(window.ReactJSXDevRuntime.jsxDEV).toHaveBeenCalledWith('b', props, 'c', true, undefined, undefined);
    });
});

describe('webapp/webpack.config.js', () => {
    it('resolves both JSX runtimes to host/jsx_runtime.ts instead of bundling React\'s', () => {
        const ours = path.join(__dirname, 'jsx_runtime.ts');
        expect(webpackConfig.resolve.alias['react/jsx-runtime$']).toBe(ours);
        expect(webpackConfig.resolve.alias['react/jsx-dev-runtime$']).toBe(ours);
    });

    it('declares only externals every supported host exports (no styled-components)', () => {
        expect(webpackConfig.externals).not.toHaveProperty('styled-components');
        expect(webpackConfig.externals).toMatchObject({react: 'React', 'react-dom': 'ReactDOM'});
    });

    it('fails the build when React\'s own code is bundled', () => {
        expect(webpackConfig.plugins.some((p: unknown) => p instanceof NoBundledReactPlugin)).toBe(true);
        expect(findReactMarkers('var a=r.__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED.ReactCurrentOwner')).toEqual([
            '__SECRET_INTERNALS',
            'ReactCurrentOwner',
        ]);
        expect(findReactMarkers('/** @license React react-jsx-runtime.production.min.js */')).toContain('react-jsx-runtime');
        expect(findReactMarkers('function jsx(t,p,k){return React.createElement(t,p)}')).toEqual([]);
    });
});
