import {personColumns, type CsvRow} from 'contract/waves';

import {cohortTemplateCsv, columnName, csvChunks, parseCohortCsv, resultsCsv} from './csv';

// The cohort file with named columns (people who may have no account yet), row by row.

const reasons = (text: string) => parseCohortCsv(text).problems.map((p) => [p.line, p.reason]);

describe('cohort CSV with named columns', () => {
    it('reads each row as a person of its non-empty cells; value = email, else username; header names normalised', () => {
        const text = [
            '\uFEFFE-mail,Username,First Name,last-name,AUTH_SERVICE,auth_data,locale,timezone',
            'ada@example.com,ada,Ada,Lovelace,email,,en,Europe/London',
            ',grace,Grace,,saml,ghopper-1906,,',
            '  bob@example.com  ,,,,,,,',
        ].join('\r\n');
        const parsed = parseCohortCsv(text);

        // "E-mail" normalises to e_mail, not a column: reported, and the file has no email column to read.
        expect(parsed.problems.map((p) => [p.line, p.value])).toEqual([[1, 'E-mail'], [4, 'bob@example.com,,,,,,,']]);
        expect(parsed.header).toBe(true);
        expect(parsed.columns).toEqual(['username', 'first_name', 'last_name', 'auth_service', 'auth_data', 'locale', 'timezone']);
        expect(parsed.rows).toEqual([
            {
                line: 2,
                value: 'ada',
                person: {
                    username: 'ada',
                    first_name: 'Ada',
                    last_name: 'Lovelace',
                    auth_service: 'email',
                    locale: 'en',
                    timezone: 'Europe/London',
                },
            },
            {line: 3, value: 'grace', person: {username: 'grace', first_name: 'Grace', auth_service: 'saml', auth_data: 'ghopper-1906'}},
        ]);
    });

    it('takes the email as the value when there is one, the username otherwise', () => {
        const parsed = parseCohortCsv('email,username,first_name\nada@example.com,ada,Ada\n,grace,Grace\nbob@example.com,,\n');
        expect(parsed.problems).toEqual([]);
        expect(parsed.rows).toEqual([
            {line: 2, value: 'ada@example.com', person: {email: 'ada@example.com', username: 'ada', first_name: 'Ada'}},
            {line: 3, value: 'grace', person: {username: 'grace', first_name: 'Grace'}},
            {line: 4, value: 'bob@example.com', person: {email: 'bob@example.com'}},
        ]);
        expect(parsed.columns).toEqual(['email', 'username', 'first_name']);
    });

    it('normalises header names: case, spaces and dashes', () => {
        expect(['Email', ' First Name ', 'last-name', 'AUTH  DATA', 'Auth-Service'].map(columnName)).toEqual([
            'email',
            'first_name',
            'last_name',
            'auth_data',
            'auth_service',
        ]);
    });

    it('reports unknown header columns once, on the header line, and ignores their cells', () => {
        const parsed = parseCohortCsv('\n\nemail,department,first_name,cost center\nada@example.com,R&D,Ada,42\n');
        expect(parsed.problems).toEqual([
            {line: 3, value: 'department, cost center', reason: expect.stringMatching(/^unknown columns, ignored \(the columns are email, username/)},
        ]);
        expect(parsed.rows).toEqual([{line: 4, value: 'ada@example.com', person: {email: 'ada@example.com', first_name: 'Ada'}}]);
    });

    it('reports a column named twice and reads the first', () => {
        const parsed = parseCohortCsv('email,username,Email\nada@example.com,ada,other@example.com\n');
        expect(reasons('email,username,Email\nada@example.com,ada,other@example.com\n')).toEqual([
            [1, 'columns named twice: the first of each is read'],
        ]);
        expect(parsed.rows[0].person).toEqual({email: 'ada@example.com', username: 'ada'});
    });

    it('a header without email or username reads no row and says why', () => {
        const parsed = parseCohortCsv('first_name,last_name\nAda,Lovelace\n');
        expect(parsed.rows).toEqual([]);
        expect(reasons('first_name,last_name\nAda,Lovelace\n')).toEqual([
            [1, 'the header names neither an email nor a username column: no row can be read'],
        ]);
    });

    it('reports every bad row with its line: no email nor username, empty cells, extra cells, too long, CSV syntax', () => {
        const text = [
            'email,username,first_name,position',
            ',,Ada,Analyst',
            ',,,',
            'ok@example.com,ok,Ok,Tester',
            'x@example.com,x,X,Y,surplus',
            `long@example.com,long,${'a'.repeat(65)},${'p'.repeat(129)}`,
            `${'e'.repeat(120)}@example.com,e,,`,
            '',
            '"quoted@example.com","quoted","Multi',
            'line name",Boss',
            'after@example.com,after,,',
            'broken@example.com,"open',
        ].join('\n');
        const parsed = parseCohortCsv(text);
        expect(parsed.problems.map((p) => [p.line, p.reason])).toEqual([
            [2, 'neither an email nor a username'],
            [3, 'neither an email nor a username'],
            [5, '5 cells but the header has 4 columns'],
            [6, 'first_name is longer than 64 characters; position is longer than 128 characters'],
            [7, 'email is longer than 128 characters'],
            [12, 'Quoted field unterminated'],
        ]);

        // A quoted cell spanning two lines: the next row keeps its own line of the file.
        expect(parsed.rows).toEqual([
            {line: 4, value: 'ok@example.com', person: {email: 'ok@example.com', username: 'ok', first_name: 'Ok', position: 'Tester'}},
            {
                line: 9,
                value: 'quoted@example.com',
                person: {email: 'quoted@example.com', username: 'quoted', first_name: 'Multi\nline name', position: 'Boss'},
            },
            {line: 11, value: 'after@example.com', person: {email: 'after@example.com', username: 'after'}},
        ]);
    });

    it('a one-column file stays as it was: no person, a single "email" header skipped', () => {
        const parsed = parseCohortCsv('email\nada@example.com\ngrace\n');
        expect(parsed.header).toBe(true);
        expect(parsed.columns).toEqual([]);
        expect(parsed.rows).toEqual([{line: 2, value: 'ada@example.com'}, {line: 3, value: 'grace'}]);

        // Two values that name no column are a row with two values, as before.
        expect(reasons('alice,bob\ncarol\n')).toEqual([[1, 'one username or email per row expected, found 2 values']]);
    });

    it('counts more than 50,000 people as too many', () => {
        const text = ['email,username', ...Array.from({length: 50001}, (_, i) => `u${i}@example.com,u${i}`)].join('\n');
        expect(parseCohortCsv(text).tooMany).toBe(true);
    });

    it('chunks rows with people by the bytes of their JSON: each request under 1 MiB, nothing lost or reordered', () => {
        const person = {
            email: `${'é'.repeat(100)}@example.com`,
            username: 'u'.repeat(64),
            first_name: '😀'.repeat(32),
            last_name: '€'.repeat(64),
            nickname: 'n'.repeat(64),
            position: 'p'.repeat(128),
            locale: 'pt-BR',
            timezone: 'America/Argentina/Buenos_Aires',
            auth_service: 'office365',
            auth_data: 'd'.repeat(128),
        };
        const rows: CsvRow[] = Array.from({length: 6000}, (_, i) => ({line: i + 2, value: person.email, person}));
        const chunks = csvChunks(rows);
        expect(chunks.length).toBeGreaterThan(1);
        for (const chunk of chunks) {
            const body = JSON.stringify({expected_version: 12345, rows: chunk, replace: true});
            expect(Buffer.byteLength(body, 'utf8')).toBeLessThan(1024 * 1024);
        }
        expect(chunks.flat()).toEqual(rows);
    });
});

describe('cohort template', () => {
    it('is the header of named columns and two example people (email and SAML) that the parser reads back whole', () => {
        const text = cohortTemplateCsv();
        const lines = text.split('\r\n');
        expect(lines[0]).toBe(personColumns.map((column) => `"${column}"`).join(','));
        expect(lines).toHaveLength(4);
        expect(lines[3]).toBe('');
        const parsed = parseCohortCsv(text);
        expect(parsed.problems).toEqual([]);
        expect(parsed.columns).toEqual([...personColumns]);
        expect(parsed.rows.map((row) => [row.line, row.value, row.person?.auth_service, row.person?.auth_data])).toEqual([
            [2, 'ada.lovelace@example.com', 'email', undefined],
            [3, 'grace.hopper@example.com', 'saml', 'ghopper-1906'],
        ]);
    });
});

describe('results CSV', () => {
    it('has the email of people without an account and the invitation column', () => {
        const csv = resultsCsv([
            {
                index: 0,
                user_id: '',
                username: '',
                email: 'new@example.com',
                outcome: 'invited',
                reason: '',
                welcome: 'not_sent',
                invitation: 'sent',
                at: 0,
                attempts: 1,
            },
            {index: 1, user_id: 'u1', username: 'ada', outcome: 'added', reason: '', welcome: 'sent', at: 0, attempts: 1},
        ]);
        const [header, invited, added] = csv.split('\r\n');
        expect(header).toBe('"username","email","user_id","outcome","reason","welcome","invitation","attempts","at"');
        expect(invited).toBe('"","new@example.com","","invited","","not_sent","sent","1","1970-01-01T00:00:00.000Z"');
        expect(added).toBe('"ada","","u1","added","","sent","","1","1970-01-01T00:00:00.000Z"');
    });
});
