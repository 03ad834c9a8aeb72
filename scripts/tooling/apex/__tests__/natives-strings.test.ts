import {
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexId,
  ApexList,
  INTEGER_TYPE,
  OBJECT_TYPE,
  STRING_TYPE,
} from '../values';
import { fakeContext } from './fakeContext';
import { apexErrorOf, call, stat } from './nativeCalls';

const s = (method: string, self: string, ...args: (string | number | null)[]) =>
  call('String', method, self, args);

describe('String instance methods', () => {
  test('STR-03 equals is case-sensitive and false for null', () => {
    expect(s('equals', 'a', 'A')).toBe(false);
    expect(s('equals', 'a', 'a')).toBe(true);
    expect(s('equals', 'a', null)).toBe(false);
  });
  test('STR-04 equalsIgnoreCase', () => {
    expect(s('equalsIgnoreCase', 'MyString', 'MYSTRING')).toBe(true);
    expect(s('equalsIgnoreCase', 'MyString', 'MYSTRINGS')).toBe(false);
  });
  test('STR-05 compareTo returns Java code-unit differences', () => {
    expect(s('compareTo', 'a', 'b')).toBe(-1);
    expect(s('compareTo', 'Hello World', 'hello world')).toBe(-32);
    expect(s('compareTo', 'abc', 'ab')).toBe(1);
    expect(s('compareTo', 'x', 'x')).toBe(0);
  });
  test('STR-19 split drops trailing empty strings, keeps leading ones, takes a regex', () => {
    expect((s('split', 'a,b,,', ',') as ApexList).items).toEqual(['a', 'b']);
    expect((s('split', ',a', ',') as ApexList).items).toEqual(['', 'a']);
    expect((s('split', 'a.b', '.') as ApexList).items).toEqual([]);
    expect((s('split', 'a.b', '\\.') as ApexList).items).toEqual(['a', 'b']);
    expect((s('split', 'a, b  c', '[,\\s]+') as ApexList).items).toEqual(['a', 'b', 'c']);
  });
  test('STR-20 split with a limit', () => {
    expect((s('split', 'boo:and:moo', ':', 2) as ApexList).items).toEqual(['boo', 'and:moo']);
    expect((s('split', '1.2..', '\\.', -1) as ApexList).items).toEqual(['1', '2', '', '']);
  });
  test('STR-21 substring bounds and messages', () => {
    expect(s('substring', 'abcde', 2)).toBe('cde');
    expect(s('substring', 'abcde', 1, 3)).toBe('bc');
    expect(apexErrorOf(() => s('substring', 'abc', 1, 5))).toBe(
      'System.StringException: Ending position out of bounds: 5',
    );
    expect(apexErrorOf(() => s('substring', 'abc', -1))).toBe(
      'System.StringException: Starting position out of bounds: -1',
    );
  });
  test('STR-22 toLowerCase uses the context user locale; an explicit locale overrides it', () => {
    const turkish = fakeContext({ services: { locale: 'tr_TR' } });
    expect(call('String', 'toLowerCase', 'TITLE', [], turkish)).toBe('tıtle');
    expect(call('String', 'toLowerCase', 'TITLE', ['en_US'], turkish)).toBe('title');
    expect(call('String', 'toLowerCase', 'TITLE', [])).toBe('title');
    expect(call('String', 'toUpperCase', 'title', [], turkish)).toBe('TİTLE');
  });
  test('STR-25 abbreviate', () => {
    expect(s('abbreviate', 'Hello Maximillian', 8)).toBe('Hello...');
    expect(s('abbreviate', 'Hello Maximillian', 9, 6)).toBe('...Max...');
    expect(s('abbreviate', 'short', 10)).toBe('short');
    expect(apexErrorOf(() => s('abbreviate', 'Hello', 3))).toBe(
      'System.StringException: Minimum abbreviation width is 4',
    );
  });
  test('STR-26 left and right', () => {
    expect(s('left', 'abc', 2)).toBe('ab');
    expect(s('right', 'abc', 2)).toBe('bc');
    expect(s('left', 'abc', 5)).toBe('abc');
    expect(s('right', 'abc', 5)).toBe('abc');
  });
  test('STR-27 leftPad and repeat', () => {
    expect(s('leftPad', '7', 3, '0')).toBe('007');
    expect(s('leftPad', '7', 3)).toBe('  7');
    expect(s('leftPad', '1234', 3, '0')).toBe('1234');
    expect(s('repeat', 'ab', 3)).toBe('ababab');
    expect(s('repeat', 'ab', '-', 2)).toBe('ab-ab');
  });
  test('STR-28 removeStart, substringBefore, substringAfter', () => {
    expect(s('removeStart', 'nsFoo', 'ns')).toBe('Foo');
    expect(s('removeStart', 'nsFoo', 'NS')).toBe('nsFoo');
    expect(s('substringBefore', 'a.b.c', '.')).toBe('a');
    expect(s('substringAfter', 'a.b.c', '.')).toBe('b.c');
    expect(s('substringBefore', 'abc', 'x')).toBe('abc');
    expect(s('substringAfter', 'abc', 'x')).toBe('');
  });
  test('STR-29 countMatches, containsOnly, isAlphanumeric', () => {
    expect(s('countMatches', 'ns__Obj__c', '__')).toBe(2);
    expect(s('countMatches', 'aaaa', 'aa')).toBe(2);
    expect(s('containsOnly', 'abba', 'ab')).toBe(true);
    expect(s('containsOnly', 'abc', 'ab')).toBe(false);
    expect(s('isAlphanumeric', 'abc123')).toBe(true);
    expect(s('isAlphanumeric', 'abc-123')).toBe(false);
    expect(s('isAlphanumeric', 'Ⅻ')).toBe(false); // a Roman numeral is not a digit
  });
  test('STR-32 trim strips characters up to U+0020 only', () => {
    expect(s('trim', '\t a \n')).toBe('a');
    expect(s('trim', '\u00A0a\u00A0')).toBe('\u00A0a\u00A0');
  });
  test('STR-33 charAt returns the UTF-16 code unit as an Integer', () => {
    expect(s('charAt', 'Abc', 0)).toBe(65);
  });
  test('STR-34 indexOf is case-sensitive', () => {
    expect(s('indexOf', 'abc', 'C')).toBe(-1);
    expect(s('indexOf', 'abcabc', 'c', 3)).toBe(5);
  });
  test('STR-35 replace is literal; replaceAll/replaceFirst are regexes with $n groups', () => {
    expect(s('replace', 'a.b', '.', '-')).toBe('a-b');
    expect(s('replaceAll', 'a.b', '.', '-')).toBe('---');
    expect(s('replaceFirst', 'ns__Field__c', '^[a-zA-Z0-9]+__(?=.+__c$)', '')).toBe('Field__c');
    expect(s('replaceAll', 'John Smith', '(\\w+) (\\w+)', '$2, $1')).toBe('Smith, John');
    expect(s('replaceAll', 'a1', '\\d', '\\$')).toBe('a$');
  });
  test('commons-lang remove removes every occurrence', () => {
    expect(s('remove', '-123-45', '-')).toBe('12345');
  });
  test('startsWith, endsWith and contains are case-sensitive', () => {
    expect(s('startsWith', 'Hello', 'He')).toBe(true);
    expect(s('startsWith', 'Hello', 'he')).toBe(false);
    expect(s('endsWith', 'Hello', 'lo')).toBe(true);
    expect(s('contains', 'Hello', 'ell')).toBe(true);
    expect(s('contains', 'Hello', 'ELL')).toBe(false);
  });
  test('NUL-02 an instance method on a null String throws NullPointerException', () => {
    expect(apexErrorOf(() => call('String', 'length', null))).toBe(
      'System.NullPointerException: Attempt to de-reference a null object',
    );
  });
});

describe('String statics', () => {
  test('STR-16/STR-17/STR-18 valueOf prints like Apex', () => {
    expect(stat('String', 'valueOf', [1])).toBe('1');
    expect(stat('String', 'valueOf', [1n])).toBe('1');
    expect(stat('String', 'valueOf', [true])).toBe('true');
    expect(stat('String', 'valueOf', [null])).toBe('null');
    expect(stat('String', 'valueOf', [new ApexDouble(1)])).toBe('1.0');
    expect(stat('String', 'valueOf', [new ApexDouble(1e10)])).toBe('1.0E10');
    expect(stat('String', 'valueOf', [new ApexDouble(123456789)])).toBe('1.23456789E8');
    expect(stat('String', 'valueOf', [ApexDecimal.parse('1.10')])).toBe('1.10');
    expect(stat('String', 'valueOf', [new ApexDecimal(0n, 32)])).toBe('0E-32');
  });
  test('STR-12 valueOf(Datetime) uses the user time zone; valueOfGmt does not', () => {
    const dt = new ApexDatetime(Date.UTC(2024, 0, 5, 10, 0, 0));
    const la = fakeContext({ services: { timeZone: 'America/Los_Angeles' } });
    expect(stat('String', 'valueOf', [dt], la)).toBe('2024-01-05 02:00:00');
    expect(stat('String', 'valueOfGmt', [dt], la)).toBe('2024-01-05 10:00:00');
  });
  test('IDN-03 valueOf(Id) prints the 18-character form', () => {
    expect(stat('String', 'valueOf', [new ApexId('001M000000qfPyS')])).toBe('001M000000qfPySIAU');
  });
  test('STR-24 join stringifies elements', () => {
    expect(stat('String', 'join', [new ApexList(INTEGER_TYPE, [1, 2]), '-'])).toBe('1-2');
    expect(stat('String', 'join', [new ApexList(STRING_TYPE, []), ', '])).toBe('');
  });
  test('STR-31 isBlank/isEmpty and their negations', () => {
    expect(stat('String', 'isBlank', ['  '])).toBe(true);
    expect(stat('String', 'isBlank', [null])).toBe(true);
    expect(stat('String', 'isBlank', ['\u00A0'])).toBe(false);
    expect(stat('String', 'isEmpty', ['  '])).toBe(false);
    expect(stat('String', 'isEmpty', [''])).toBe(true);
    expect(stat('String', 'isNotBlank', [' x '])).toBe(true);
    expect(stat('String', 'isNotEmpty', [null])).toBe(false);
  });
  test('STR-30 escapeSingleQuotes', () => {
    expect(stat('String', 'escapeSingleQuotes', ["O'Neil"])).toBe("O\\'Neil");
  });
  test('STR-23 format follows MessageFormat quoting', () => {
    const args = new ApexList(STRING_TYPE, ['a', 'b']);
    expect(stat('String', 'format', ['{0} and {1}', args])).toBe('a and b');
    expect(stat('String', 'format', ["it''s {0}", args])).toBe("it's a");
    expect(stat('String', 'format', ["'{0}' {1}", args])).toBe('{0} b');
  });
  test('STR-23 format: a Decimal or Double as NumberFormat #,##0.### (en_US)', () => {
    const f = (...values: (ApexDecimal | ApexDouble)[]) =>
      stat('String', 'format', ['{0}', new ApexList(OBJECT_TYPE, values)]);
    const dec = (text: string) => ApexDecimal.parse(text)!;
    expect(f(dec('1234567.891'))).toBe('1,234,567.891');
    expect(f(dec('12345.6789'))).toBe('12,345.679');
    expect(f(dec('1.10'))).toBe('1.1');
    expect(f(dec('2.0005'))).toBe('2'); // HALF_EVEN
    expect(f(dec('2.0015'))).toBe('2.002');
    expect(f(dec('-1234.5'))).toBe('-1,234.5');
    expect(f(dec('-0.0001'))).toBe('-0');
    expect(f(dec('1E+3'))).toBe('1,000');
    expect(f(new ApexDouble(1234.5))).toBe('1,234.5');
    expect(f(new ApexDouble(0.1 + 0.2))).toBe('0.3');
    // 0.0625 is exact: a tie, to even; 1.0005 is just below a tie as a double.
    expect(f(new ApexDouble(0.0625))).toBe('0.062');
    expect(f(new ApexDouble(1.0005))).toBe('1');
    expect(f(new ApexDouble(1e21))).toBe('1,000,000,000,000,000,000,000');
    expect(apexErrorOf(() => f(new ApexDouble(NaN)))).toMatch(/not supported by the local runtime/);
    const german = fakeContext({ services: { locale: 'de_DE' } });
    expect(() =>
      stat('String', 'format', ['{0}', new ApexList(OBJECT_TYPE, [dec('1.5')])], german),
    ).toThrow(
      /not supported by the local runtime: String.format of a Decimal or Double in the de_DE locale/,
    );
  });
});

describe('Id', () => {
  test('IDN-02 to15/to18', () => {
    const id = new ApexId('001M000000qfPyS');
    expect(call('Id', 'to18', id)).toBe('001M000000qfPySIAU');
    expect(call('Id', 'to15', id)).toBe('001M000000qfPyS');
  });
  test('IDN-05 Id.valueOf of invalid text throws StringException', () => {
    expect(apexErrorOf(() => stat('Id', 'valueOf', ['abc']))).toBe(
      'System.StringException: Invalid id: abc',
    );
  });
});
