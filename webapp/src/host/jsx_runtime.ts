// `react/jsx-runtime` and `react/jsx-dev-runtime` for the bundle (webpack aliases both to this file).
// Our own JSX compiles to React.createElement, but libraries such as react-chartjs-2 import the automatic
// runtime. Bundling React's runtime would tie the bundle to one React version: React 18's runtime reads
// React internals that React 19 removed, so the whole bundle fails while it evaluates on a React 19 host.
// Instead, use the host's runtime where the host publishes it (Mattermost 12: window.ReactJSXRuntime /
// window.ReactJSXDevRuntime) and otherwise build elements with the host's React.createElement.
import React from 'react';

type ElementType = Parameters<typeof React.createElement>[0];
type Props = Record<string, unknown> | null | undefined;
type Key = React.Key | null | undefined;

interface JsxRuntime {
    jsx?: (type: ElementType, props: Props, key?: Key) => React.ReactElement;
    jsxs?: (type: ElementType, props: Props, key?: Key) => React.ReactElement;
    jsxDEV?: (type: ElementType, props: Props, key?: Key, isStatic?: boolean, source?: unknown, self?: unknown) => React.ReactElement;
    Fragment?: unknown;
}

declare global {
    interface Window {
        ReactJSXRuntime?: JsxRuntime;
        ReactJSXDevRuntime?: JsxRuntime;
    }
}

function hostRuntime(): JsxRuntime | undefined {
    return typeof window === 'undefined' ? undefined : window.ReactJSXRuntime;
}

function hostDevRuntime(): JsxRuntime | undefined {
    return typeof window === 'undefined' ? undefined : window.ReactJSXDevRuntime;
}

/**
 * The automatic runtime's element on top of createElement: children stay in props (createElement only
 * overrides props.children when children are passed as extra arguments), and the key, which the
 * automatic runtime passes separately, goes back into the config where createElement looks for it.
 */
function createElementFor(type: ElementType, props: Props, key: Key): React.ReactElement {
    const config = key === undefined ? {...props} : {...props, key};
    return React.createElement(type, config);
}

/**
 * jsxs: the children array is static (written out in the source), so it needs no keys. createElement
 * would treat an array in props as a dynamic list and warn about keys in development builds; passed as
 * arguments the children are static for createElement too and end up in props.children the same way.
 */
function createElementWithStaticChildren(type: ElementType, props: Props, key: Key): React.ReactElement {
    const children = props?.children;
    if (!Array.isArray(children) || children.length < 2) {
        return createElementFor(type, props, key);
    }
    const {children: ignoredChildren, ...rest} = props as Record<string, unknown>;
    const config = key === undefined ? rest : {...rest, key};
    return React.createElement(type, config, ...(children as React.ReactNode[]));
}

export const Fragment = React.Fragment;

export function jsx(type: ElementType, props: Props, key?: Key): React.ReactElement {
    const host = hostRuntime();
    if (host?.jsx) {
        return host.jsx(type, props, key);
    }
    return createElementFor(type, props, key);
}

export function jsxs(type: ElementType, props: Props, key?: Key): React.ReactElement {
    const host = hostRuntime();
    if (host?.jsxs) {
        return host.jsxs(type, props, key);
    }
    return createElementWithStaticChildren(type, props, key);
}

export function jsxDEV(
    type: ElementType,
    props: Props,
    key?: Key,
    isStatic?: boolean,
    source?: unknown,
    selfArg?: unknown,
): React.ReactElement {
    const host = hostDevRuntime();
    if (host?.jsxDEV) {
        return host.jsxDEV(type, props, key, isStatic, source, selfArg);
    }
    return createElementFor(type, props, key);
}
