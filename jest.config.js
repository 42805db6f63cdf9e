// One jest run, two projects: the server component (Node, no DOM) and the webapp (jsdom).
// `npx jest --selectProjects server` runs only the first.
module.exports = {
    projects: [
        {
            displayName: 'server',
            testEnvironment: 'node',
            roots: ['<rootDir>/server/src', '<rootDir>/contract'],
            moduleFileExtensions: ['ts', 'js', 'json'],
            transform: {'^.+\\.ts$': ['ts-jest', {tsconfig: '<rootDir>/server/tsconfig.test.json'}]},
            // Imports like `contract/status` resolve from the repo root, as in tsconfig.json's baseUrl.
            modulePaths: ['<rootDir>'],
        },
        {
            displayName: 'webapp',
            testEnvironment: 'jsdom',
            roots: ['<rootDir>/webapp/src'],
            transform: {'^.+\\.tsx?$': ['ts-jest', {tsconfig: '<rootDir>/webapp/tsconfig.json'}]},
            // `contract/...` imports resolve from the repo root, as in webpack and tsconfig.
            modulePaths: ['<rootDir>'],
            // jest-dom matchers (toBeInTheDocument, toHaveTextContent, ...).
            setupFilesAfterEnv: ['<rootDir>/webapp/src/test/setup.ts'],
            // A Mattermost-like origin for jsdom (cookies, URL parsing).
            testEnvironmentOptions: {url: 'http://localhost:8065/'},
        },
    ],
};
