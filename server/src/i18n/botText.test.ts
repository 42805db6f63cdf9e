import {readdirSync, readFileSync, statSync} from 'fs';
import {join, relative} from 'path';

// What the bot says comes from the catalogues: a module that posts, edits a post, answers ephemerally or
// a slash command, or speaks through i18n/messages, must not hold a sentence of its own. A sentence here
// is a string literal of three words or more outside comments, log lines and thrown errors (HTTP
// answers: the webapp shows those). The few left are not said by the bot: a route guard's description
// (the authorization matrix), a turn's name, a result's reason and the dry run's problems (the admin
// reads them in the System Console).

const root = join(__dirname, '..');

const notSaidByTheBot = new Set([
    'plan/owners.ts: \'the owner of the plan task :taskId\'',
    'plan/owners.ts: \'task button answer\'',
    'plan/plan.ts: \'the clicking user (interactive message action), checked as the owner of the button\\\'s task\'',
    'templates/templates.ts: \'the clicking user (interactive message action), checked as team admin of the button\\\'s team\'',
    'waves/batch.ts: \'no answer from the welcome batch\'',
    'waves/batch.ts: \'queue entry missing\'',
    'waves/dryRun.ts: `channel <value>: only public and private channels can be targets`',
    'waves/dryRun.ts: `channel <value>: its team is not one of the target teams`',
    'waves/feedback.ts: \'the help-desk channel must be a public or private channel\'',
    'waves/feedback.ts: `the help-desk channel <value> does not exist`',
    'waves/feedback.ts: \'the user the welcome DM was sent to (interactive message action)\'',
]);

function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
            return (/^(testing|mattermost|host)$/).test(name) ? [] : sources(path);
        }
        return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
    });
}

const speaks = /posts\.(create|update)\(|sendEphemeral\(|ephemeral_text|response_type|i18n\/messages'/;
const skipped = /log\.(warn|info|error|debug)|ApiError|new Error|throw |^import /;
const literal = /'(?:[^'\\]|\\.)*'|`[^`]*`|"(?:[^"\\]|\\.)*"/g;
const sentence = /[A-Za-z]{2,} [a-z]{2,} [a-z]{2,}/;

function sentencesIn(text: string): string[] {
    // Comments, and errors spread over lines (an HTTP answer's message: the webapp shows it).
    const code = text.
        replace(/\/\*[\s\S]*?\*\//g, '').
        replace(/^\s*\/\/.*$/gm, '').
        replace(/(new ApiError|ApiError\.\w+)\([\s\S]*?\);/g, '');
    return code.
        split('\n').
        filter((line) => !skipped.test(line.trim())).
        flatMap((line) => line.match(literal) ?? []).
        map((found) => found.replace(/\$\{[^}]*\}/g, '<value>')).
        filter((found) => sentence.test(found.replace(/<value>/g, 'value')));
}

test('the bot\'s modules hold no sentence of their own: it comes from the catalogues', () => {
    const files = sources(root).filter((path) => speaks.test(readFileSync(path, 'utf8')));
    expect(files.length).toBeGreaterThan(15);
    const found = files.flatMap((path) => sentencesIn(readFileSync(path, 'utf8')).map((text) => `${relative(root, path)}: ${text}`));
    expect(found.filter((text) => !notSaidByTheBot.has(text))).toEqual([]);

    // The list stays true: each exception is still there.
    expect([...notSaidByTheBot].filter((text) => !found.includes(text))).toEqual([]);
});

test('the scan finds a sentence the bot would say', () => {
    const title = ['$', '{title}'].join('');
    expect(sentencesIn(`api.posts.create({message: \`Your task ${title} is due\`});`)).toEqual(['`Your task <value> is due`']);
    expect(sentencesIn('// a comment with many words\nlog.warn(\'Could not DM the admin\');')).toEqual([]);
});
