import {csvCell, toCsv} from './csv';

describe('csvCell', () => {
    test.each([
        ['plain', '"plain"'],
        ['', '""'],
        ['with, comma', '"with, comma"'],
        ['say "hi"', '"say ""hi"""'],
        ['two\r\nlines', '"two\r\nlines"'],

        // Formula injection: a spreadsheet must show these as text.
        ['=HYPERLINK("http://evil.example","click")', '"\'=HYPERLINK(""http://evil.example"",""click"")"'],
        ['+1+cmd|\' /C calc\'!A0', '"\'+1+cmd|\' /C calc\'!A0"'],
        ['-2+3', '"\'-2+3"'],
        ['@SUM(A1:A2)', '"\'@SUM(A1:A2)"'],
        ['\t=1', '"\'\t=1"'],
        ['\r=1', '"\'\r=1"'],
        ['=1\n=2', '"\'=1\n=2"'],

        // Only the first character matters.
        ['a=b', '"a=b"'],
        [' =1', '" =1"'],
    ])('%j → %s', (value, expected) => {
        expect(csvCell(value)).toBe(expected);
    });
});

test('toCsv writes a header and CRLF-terminated rows', () => {
    expect(toCsv(['a', 'b'], [['1', 'x,y'], ['=2', '']])).toBe('"a","b"\r\n"1","x,y"\r\n"\'=2",""\r\n');
});
