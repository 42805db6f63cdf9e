// Webapp bundle: webapp/src/index.tsx -> webapp/dist/main.js, loaded by Mattermost as the plugin's webapp.
// Libraries the host page already exports on window are externals, so the bundle carries only our code,
// zod and mattermost-redux (Client4, and the thunks and selectors for users, teams, channels and groups).
const path = require('path');

const webpack = require('webpack');

const {NoBundledReactPlugin} = require('./bundle_guard');

const root = path.resolve(__dirname, '..');

module.exports = {
    mode: 'production',
    context: root,
    entry: path.join(__dirname, 'src', 'index.tsx'),
    output: {
        path: path.join(__dirname, 'dist'),
        filename: 'main.js',
        clean: true,
    },
    resolve: {
        extensions: ['.ts', '.tsx', '.js', '.json'],

        // tsconfig baseUrl is the repo root: `contract/status` resolves to <root>/contract/status.ts.
        modules: [root, 'node_modules'],

        // Libraries built with the automatic JSX runtime (react-chartjs-2) import react/jsx-runtime, which is
        // not a host external on every Mattermost version; our module uses the host's runtime or its React.
        alias: {
            'react/jsx-runtime$': path.join(__dirname, 'src', 'host', 'jsx_runtime.ts'),
            'react/jsx-dev-runtime$': path.join(__dirname, 'src', 'host', 'jsx_runtime.ts'),

            // mattermost-redux's channel and team thunks reach its post utilities, which import moment-timezone
            // for date separators the plugin never draws: the zone data (~900 KB) is left out.
            'moment-timezone$': 'moment-timezone/moment-timezone.js',
        },
    },
    module: {
        rules: [
            {
                test: /\.tsx?$/,
                exclude: /node_modules/,
                loader: 'ts-loader',
                options: {
                    configFile: path.join(__dirname, 'tsconfig.json'),
                    onlyCompileBundledFiles: true,
                },
            },
        ],
    },

    // Host globals (webapp/channels/src/plugins/export.ts) present on every supported Mattermost version.
    // styled-components is not one of them any more (the newest host does not export it), so it is not
    // declared: an import of it fails the build instead of failing on the host.
    externals: {
        react: 'React',
        'react-dom': 'ReactDOM',
        redux: 'Redux',
        'react-redux': 'ReactRedux',
        'react-intl': 'ReactIntl',
        'prop-types': 'PropTypes',
    },
    plugins: [
        new NoBundledReactPlugin(),

        // moment (under moment-timezone) would otherwise bundle every locale through a dynamic require.
        new webpack.IgnorePlugin({resourceRegExp: /^\.\/locale$/, contextRegExp: /moment$/}),
    ],
    devtool: false,
    performance: {
        hints: 'warning',
        maxAssetSize: 400 * 1024,
        maxEntrypointSize: 400 * 1024,
    },
};
