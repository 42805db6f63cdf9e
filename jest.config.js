// One jest run: the server component (Node, no DOM), then the webapp (jsdom) once per host profile
// (webapp/host_profiles/profiles.js: the React/ReactDOM each supported Mattermost release hands a plugin).
// The webapp projects are named `webapp (<profile id>: React <major.minor>)`, e.g. `webapp (mm12: React 19.2)`.
//   npx jest --selectProjects server              the server component only
//   npx jest --ignoreProjects server              the webapp under every profile
//   HOST_PROFILE=mm12 npx jest                    the server, and the webapp under that profile only
//   HOST_PROFILE=mm12 npx jest --ignoreProjects server      the webapp under mm12
//   npx jest --selectProjects 'webapp (mm12: React 19.2)'  the same, by name
const fs = require('fs');
const path = require('path');

const {hostProfiles} = require('./webapp/host_profiles/profiles');

/**
 * The version a profile declares for a module: the `dependencies` entry of the package.json whose node_modules
 * holds it (the root package.json for mm11, webapp/host_profiles/react19/package.json for mm12). Read from the
 * declaration, not the install, so the project names exist before `make deps` has run.
 */
function declaredVersion(moduleDir, name) {
    const owner = path.join(moduleDir, '..', '..', 'package.json');
    return JSON.parse(fs.readFileSync(owner, 'utf8')).dependencies[name];
}

function webappProject(profile) {
    const reactVersion = declaredVersion(profile.modules.react, 'react');
    const mapper = {};
    for (const [name, dir] of Object.entries(profile.modules)) {
        // Every importer (the code under test, @testing-library/react, react-redux, react-intl, react-chartjs-2)
        // gets the profile's copy, subpaths included (react/jsx-runtime, react-dom/client, react-dom/test-utils).
        mapper[`^${name}$`] = dir;
        mapper[`^${name}/(.*)$`] = `${dir}/$1`;
    }
    return {
        displayName: `webapp (${profile.id}: React ${reactVersion.split('.').slice(0, 2).join('.')})`,
        testEnvironment: 'jsdom',
        roots: ['<rootDir>/webapp/src'],
        transform: {
            '^.+\\.tsx?$': ['ts-jest', {tsconfig: '<rootDir>/webapp/tsconfig.json'}],

            // mattermost-redux's thunks log errors through serialize-error, an ES module: compiled to CommonJS
            // for jest (webpack bundles it as is).
            '/node_modules/serialize-error/.+\\.js$': ['ts-jest', {tsconfig: {allowJs: true, module: 'commonjs'}, isolatedModules: true}],
        },
        transformIgnorePatterns: ['/node_modules/(?!serialize-error/)'],

        // `contract/...` imports resolve from the repo root, as in webpack and tsconfig.
        modulePaths: ['<rootDir>'],
        moduleNameMapper: mapper,

        // Which profile a test runs under (webapp/src/test/host_profile.ts).
        globals: {HOST_PROFILE: profile.id},

        // jest-dom matchers (toBeInTheDocument, toHaveTextContent, ...).
        setupFilesAfterEnv: ['<rootDir>/webapp/src/test/setup.ts'],

        // A Mattermost-like origin for jsdom (cookies, URL parsing).
        testEnvironmentOptions: {url: 'http://localhost:8065/'},
    };
}

const only = (process.env.HOST_PROFILE || '').split(',').filter(Boolean);
for (const id of only) {
    if (!hostProfiles.some((p) => p.id === id)) {
        throw new Error(
            `HOST_PROFILE=${id}: no such host profile (webapp/host_profiles/profiles.js has ${hostProfiles.map((p) => p.id).join(', ')})`,
        );
    }
}

module.exports = {
    projects: [
        {
            displayName: 'server',
            testEnvironment: 'node',
            roots: ['<rootDir>/server/src', '<rootDir>/contract', '<rootDir>/build'],
            moduleFileExtensions: ['ts', 'js', 'json'],
            transform: {'^.+\\.ts$': ['ts-jest', {tsconfig: '<rootDir>/server/tsconfig.test.json'}]},

            // Imports like `contract/status` resolve from the repo root, as in tsconfig.json's baseUrl.
            modulePaths: ['<rootDir>'],
        },
        ...hostProfiles.filter((p) => only.length === 0 || only.includes(p.id)).map(webappProject),
    ],
};
