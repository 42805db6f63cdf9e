// Harness page: e2e/harness/src -> e2e/harness/dist (harness.js + index.html).
// Unlike the plugin, the harness BUNDLES the libraries the Mattermost webapp exports on window
// (react, react-dom, redux, react-redux, react-intl) and puts them there for the plugin's real bundle.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');

class EmitIndexHtml {
    apply(compiler) {
        compiler.hooks.thisCompilation.tap('EmitIndexHtml', (compilation) => {
            compilation.hooks.processAssets.tap({name: 'EmitIndexHtml', stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL}, () => {
                const html = fs.readFileSync(path.join(__dirname, 'src', 'index.html'));
                compilation.emitAsset('index.html', new compiler.webpack.sources.RawSource(html));
            });
        });
    }
}

module.exports = {
    mode: 'production',
    context: root,
    entry: path.join(__dirname, 'src', 'harness.js'),
    output: {path: path.join(__dirname, 'dist'), filename: 'harness.js', clean: true},
    resolve: {modules: [path.join(root, 'node_modules'), 'node_modules']},
    plugins: [new EmitIndexHtml()],
    devtool: false,
    performance: {hints: false},
};
