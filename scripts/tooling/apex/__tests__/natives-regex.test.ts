import { translateJavaRegex } from '../natives/regex';
import { UnsupportedError } from '../values';
import { apexErrorOf, call, stat } from './nativeCalls';

const matcher = (pattern: string, input: string) =>
  call('Pattern', 'matcher', stat('Pattern', 'compile', [pattern]), [input]);

describe('Pattern and Matcher', () => {
  test('matches() needs the whole input (Pattern Class)', () => {
    expect(call('Matcher', 'matches', matcher('^[A-Za-z][A-Za-z0-9_]{1,39}$', 'Rule_1'))).toBe(
      true,
    );
    expect(call('Matcher', 'matches', matcher('[a-z]+', 'abc1'))).toBe(false);
    expect(
      call('Matcher', 'matches', matcher('^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$', '256')),
    ).toBe(false);
    expect(stat('Pattern', 'matches', ['\\d{4}-\\d{2}-\\d{2}', '2026-11-20'])).toBe(true);
  });
  test('find/group/start/end walk successive matches', () => {
    const m = matcher('\\{\\{\\s*([^{}]+?)\\s*\\}\\}', 'Fix {{ subject.label }} and {{x}}');
    expect(call('Matcher', 'find', m)).toBe(true);
    expect(call('Matcher', 'group', m, [1])).toBe('subject.label');
    expect(call('Matcher', 'start', m)).toBe(4);
    expect(call('Matcher', 'end', m)).toBe(23);
    expect(call('Matcher', 'find', m)).toBe(true);
    expect(call('Matcher', 'group', m)).toBe('{{x}}');
    expect(call('Matcher', 'find', m)).toBe(false);
  });
  test('group() without a match throws', () => {
    const m = matcher('a', 'b');
    expect(apexErrorOf(() => call('Matcher', 'group', m))).toBe(
      'System.StringException: No match found',
    );
  });
  test('Unicode properties \\p{Ll}, \\p{L}, \\p{N}', () => {
    expect(call('Matcher', 'find', matcher('^\\s+(\\p{Ll}|$)', '  é'))).toBe(true);
    expect(call('Matcher', 'find', matcher('^\\s+(\\p{Ll}|$)', '  É'))).toBe(false);
    expect(call('Matcher', 'find', matcher('[\\p{L}\\p{N}_]', '-ß-'))).toBe(true);
    expect(call('Matcher', 'find', matcher('^[:;,.)\\]]', ']x'))).toBe(true);
  });
  test('Java \\s is ASCII whitespace only; . does not match U+0085', () => {
    expect(call('Matcher', 'matches', matcher('\\s', '\u00A0'))).toBe(false);
    expect(call('Matcher', 'matches', matcher('\\s', '\u000B'))).toBe(true);
    expect(call('Matcher', 'matches', matcher('.', '\u0085'))).toBe(false);
  });
  test('Java $ also matches before a final line terminator', () => {
    expect(call('Matcher', 'find', matcher('abc$', 'abc\n'))).toBe(true);
    expect(call('Matcher', 'matches', matcher('abc$', 'abc\n'))).toBe(false);
  });
  test('a negated class holding \\s', () => {
    const email = '^[^@\\s,;]+@[^@\\s,;]+\\.[^@\\s,;]+$';
    expect(call('Matcher', 'matches', matcher(email, 'a@b.co'))).toBe(true);
    expect(call('Matcher', 'matches', matcher(email, 'a b@c.d'))).toBe(false);
  });
  test('escaped punctuation that JavaScript u-mode rejects is accepted', () => {
    expect(call('Matcher', 'matches', matcher('a\\-b\\@c\\#', 'a-b@c#'))).toBe(true);
  });
  test('quote() makes a literal pattern', () => {
    const quoted = stat('Pattern', 'quote', ['a.b*']) as string;
    expect(call('Matcher', 'matches', matcher(quoted, 'a.b*'))).toBe(true);
    expect(call('Matcher', 'matches', matcher(quoted, 'axbb'))).toBe(false);
  });
  test('leading (?i) becomes a flag', () => {
    expect(call('Matcher', 'matches', matcher('(?i)abc', 'ABC'))).toBe(true);
  });
  test('Java-only syntax fails loudly', () => {
    expect(() => translateJavaRegex('a*+')).toThrow(UnsupportedError);
    expect(() => translateJavaRegex('(?>a)')).toThrow(UnsupportedError);
    expect(() => translateJavaRegex('[a-z&&[^e]]')).toThrow(UnsupportedError);
    expect(() => translateJavaRegex('a(?i)b')).toThrow(UnsupportedError);
  });
  test('an invalid pattern is a StringException at compile', () => {
    expect(apexErrorOf(() => stat('Pattern', 'compile', ['(a']))).toMatch(
      /^System\.StringException: Invalid regex/,
    );
  });
});
