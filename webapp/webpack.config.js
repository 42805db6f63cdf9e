// Webapp bundle: webapp/src/index.tsx -> webapp/dist/main.js, loaded by Mattermost as the plugin's webapp.
// Libraries the host page already exports on window are externals, so the bundle carries only our code,
// zod and the Client4 used for request options.
const path = require('path');

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
    // Host globals (webapp/channels/src/plugins/export.ts). Declared in full; only the used ones matter.
    externals: {
        react: 'React',
        'react-dom': 'ReactDOM',
        redux: 'Redux',
        'react-redux': 'ReactRedux',
        'react-intl': 'ReactIntl',
        'prop-types': 'PropTypes',
        'styled-components': 'StyledComponents',
    },
    devtool: false,
    performance: {
        hints: 'warning',
        maxAssetSize: 400 * 1024,
        maxEntrypointSize: 400 * 1024,
    },
};
