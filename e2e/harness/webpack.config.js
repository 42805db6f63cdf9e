// Harness page: e2e/harness/src -> e2e/harness/dist/<profile id>/ (harness.js + index.html), one build
// per host library profile of webapp/host_profiles/profiles.js (declared there once: mm11 = the 11.x
// ESR's React 18.2.0, mm12 = Mattermost 12's React 19 with window.ReactJSXRuntime). Unlike the plugin,
// the harness BUNDLES the libraries the Mattermost webapp exports on window (react, react-dom, redux,
// react-redux, react-intl) and puts them there for the plugin's real bundle (export.ts); react and
// react-dom are aliased to the profile's directories, so react-redux and react-intl use that React too.
// dist/profiles.json lists the profiles for the Go tests (mmserver.HarnessProfiles).
const fs = require('fs');
const path = require('path');

const webpack = require('webpack');

const {hostProfiles} = require('../../webapp/host_profiles/profiles.js');

const root = path.resolve(__dirname, '..', '..');
const dist = path.join(__dirname, 'dist');

class EmitIndexHtml {
    constructor(profile) {
        this.profile = profile;
    }
    apply(compiler) {
        compiler.hooks.thisCompilation.tap('EmitIndexHtml', (compilation) => {
            compilation.hooks.processAssets.tap(
                {name: 'EmitIndexHtml', stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL},
                () => {
                    const html = fs.
                        readFileSync(path.join(__dirname, 'src', 'index.html'), 'utf8').
                        replace('<html lang="en">', `<html lang="en" data-host-profile="${this.profile.id}">`);
                    compilation.emitAsset('index.html', new compiler.webpack.sources.RawSource(html));
                },
            );
        });

        // The list of profiles, written after each profile's build (same content every time).
        compiler.hooks.done.tap('EmitProfiles', () => {
            const list = hostProfiles.map((p) => ({id: p.id,
                releases: p.releases,
                jsxRuntimeGlobals: p.jsxRuntimeGlobals,

                // eslint-disable-next-line global-require -- each profile's React is another directory.
                react: require(path.join(p.modules.react, 'package.json')).version}));
            fs.writeFileSync(path.join(dist, 'profiles.json'), JSON.stringify(list, null, 2) + '\n');
        });
    }
}

module.exports = hostProfiles.map((profile) => ({
    name: profile.id,
    mode: 'production',
    context: root,
    entry: path.join(__dirname, 'src', 'harness.js'),

    // compareBeforeEmit off: webpack would otherwise keep an unchanged harness.js with its old time, and
    // mmserver.BuildHarness, which rebuilds when a source is newer than the output, would call it stale forever.
    output: {path: path.join(dist, profile.id), filename: 'harness.js', clean: true, compareBeforeEmit: false},
    resolve: {
        // The profile's react/react-dom (also react/jsx-runtime, react-dom/client); 'node_modules' first so
        // react-dom 19 finds its own scheduler next to it.
        alias: {react: profile.modules.react, 'react-dom': profile.modules['react-dom']},
        modules: ['node_modules', path.join(root, 'node_modules')],
    },
    plugins: [
        new webpack.DefinePlugin({
            __HOST_PROFILE__: JSON.stringify({id: profile.id, releases: profile.releases, jsxRuntimeGlobals: profile.jsxRuntimeGlobals}),
        }),
        new EmitIndexHtml(profile),
    ],
    devtool: false,
    performance: {hints: false},
}));
