// Bundles server/src into ONE script for goja, which runs ES2020 scripts but has no module loader:
// no ES modules, no chunks, no dynamic import, ES2020 syntax. The script declares `var __plugin`,
// whose `dispatch` the Go host calls.
const path = require('path');

const root = path.resolve(__dirname, '..');

module.exports = {
    mode: 'production',

    // 'es2020' alone would make webpack assume a browserslist; 'web' keeps its runtime free of Node
    // APIs, and with a single chunk it emits no chunk-loading (document/JSONP) code at all.
    target: ['web', 'es2020'],
    entry: path.join(__dirname, 'src', 'index.ts'),
    output: {
        path: path.join(__dirname, 'dist'),
        filename: 'plugin.js',
        library: {name: '__plugin', type: 'var'},
        iife: true,

        // No `clean`: server/dist also holds the host executables built by `make host`.
    },
    resolve: {
        extensions: ['.ts', '.js'],

        // The repo root too, so `contract/status` resolves as it does for tsc (baseUrl ".") and jest (modulePaths).
        modules: [root, 'node_modules'],
    },
    module: {
        rules: [
            {
                test: /\.ts$/,
                loader: 'ts-loader',
                exclude: /node_modules/,
                options: {configFile: path.join(__dirname, 'tsconfig.json')},
            },
        ],
    },
    optimization: {
        splitChunks: false,
        runtimeChunk: false,
    },

    // Stack traces in the plugin log point at .ts lines: goja reads inline source maps.
    devtool: 'inline-source-map',
    performance: {hints: false},
};
