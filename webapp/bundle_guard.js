// Fails the webapp build when React's own code ends up in the bundle. The host page provides React
// (window.React, and on Mattermost 12 window.ReactJSXRuntime); a bundled copy of React or of its JSX
// runtime belongs to one React version and breaks the plugin on hosts with another one (React 18's JSX
// runtime reads internals React 19 removed, and the script then throws while it evaluates).
const {Compilation, WebpackError} = require('webpack');

/** Text that only React's own builds contain; none of it may appear in the emitted JavaScript. */
const reactMarkers = [
    '__SECRET_INTERNALS',
    'ReactCurrentOwner',
    'react.production',
    'react.development',
    'react-jsx-runtime',
    'react-jsx-dev-runtime',
    'react-dom.production',
];

/** Packages whose modules must stay host externals. */
const reactPackages = /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/;

/** The markers found in one emitted file's text. */
function findReactMarkers(text) {
    return reactMarkers.filter((marker) => text.includes(marker));
}

class NoBundledReactPlugin {
    apply(compiler) {
        compiler.hooks.thisCompilation.tap('NoBundledReactPlugin', (compilation) => {
            compilation.hooks.processAssets.tap(
                {name: 'NoBundledReactPlugin', stage: Compilation.PROCESS_ASSETS_STAGE_REPORT},
                (assets) => {
                    for (const module of compilation.modules) {
                        const resource = module.resource || '';
                        if (reactPackages.test(resource)) {
                            compilation.errors.push(new WebpackError(
                                `React must come from the host page, but the bundle includes ${resource}. ` +
                                'Add the import to externals or alias it to a module of ours (webapp/src/host/).',
                            ));
                        }
                    }
                    for (const [name, source] of Object.entries(assets)) {
                        if (!name.endsWith('.js')) {
                            continue;
                        }
                        const found = findReactMarkers(source.source().toString());
                        if (found.length > 0) {
                            compilation.errors.push(new WebpackError(
                                `${name} contains React's own code (${found.join(', ')}); React must come from the host page.`,
                            ));
                        }
                    }
                },
            );
        });
    }
}

module.exports = {NoBundledReactPlugin, findReactMarkers, reactMarkers};
