// SEMANTICS.md §1 Strings (STR-01 … STR-36): one test per row, Apex run through the runtime.
import { runTests } from '../harness/testRunner';
import { semanticsRuntime, type Apex } from './semanticsHelpers';

let a: Apex;
beforeAll(async () => {
  a = await semanticsRuntime({
    Bird: 'public class Bird { }',
    TurkishUserTest: `@IsTest private class TurkishUserTest {
      @IsTest static void caseFollowsTheRunningUsersLocale() {
        User u = new User(LastName = 'tr', Alias = 'tr', Email = 'tr@example.com', Username = 'sem-tr@example.com.test',
          ProfileId = UserInfo.getProfileId(), EmailEncodingKey = 'UTF-8', LanguageLocaleKey = 'en_US', LocaleSidKey = 'tr_TR',
          TimeZoneSidKey = 'Europe/Istanbul');
        insert u;
        System.assertEquals('TITLE', 'title'.toUpperCase());
        System.runAs(u) {
          System.assertEquals('tr_TR', UserInfo.getLocale());
          System.assertEquals('tıtle', 'TITLE'.toLowerCase());
          System.assertEquals('TİTLE', 'title'.toUpperCase());
          System.assertEquals('title', 'TITLE'.toLowerCase('en_US'));
          System.assertEquals('TITLE', 'title'.toUpperCase('en_US'));
        }
        System.assertEquals('title', 'TITLE'.toLowerCase());
      }
    }`,
  });
});

test('STR-01 == and != on Strings ignore case', () => {
  expect(
    a.run(`String x = 'foo'; String y = 'Foo'; System.debug(x == y); System.debug('a' != 'A');`),
  ).toEqual(['true', 'false']);
});

test('STR-02 == on Object-typed Strings ignores case', () => {
  expect(
    a.run(`Object x = 'a'; Object y = 'A'; System.debug(x == y);
      Map<String, Object> m = new Map<String, Object>{'k' => 'abc'}; System.debug(m.get('k') == 'ABC');`),
  ).toEqual(['true', 'true']);
});

test('STR-03 equals is case-sensitive and false for null', () => {
  expect(
    a.run(
      `System.debug('a'.equals('A')); System.debug('a'.equals(null)); System.debug('a'.equals('a'));`,
    ),
  ).toEqual(['false', 'false', 'true']);
});

test('STR-04 equalsIgnoreCase', () => {
  expect(a.show(`'MyString'.equalsIgnoreCase('MYSTRING')`)).toBe('true');
});

test('STR-05 compareTo is case-sensitive with Java magnitudes', () => {
  expect(
    a.run(`System.debug('a'.compareTo('b')); System.debug('Hello World'.compareTo('hello world'));
      System.debug('abc'.compareTo('ab')); System.debug('x'.compareTo('x'));`),
  ).toEqual(['-1', '-32', '1', '0']);
});

test('STR-06 relational operators on Strings ignore case; non-null > null', () => {
  expect(
    a.run(
      `String n = null; System.debug('a' < 'B'); System.debug('A' < 'a'); System.debug('A' <= 'a'); System.debug('x' > n);`,
    ),
  ).toEqual(['true', 'false', 'true', 'true']);
});

test('STR-07 switch on String is case-sensitive', () => {
  expect(
    a.show(
      `r`,
      `String r = 'none'; switch on 'ABC' { when 'abc' { r = 'lower'; } when 'ABC' { r = 'upper'; } }`,
    ),
  ).toBe('upper');
});

test('STR-08 System.assertEquals on Strings is case-sensitive', () => {
  expect(a.error(`System.assertEquals('a', 'A');`)).toMatch(/^System\.AssertException: /);
});

test('STR-09 String + null concatenates the text null', () => {
  expect(a.run(`String n = null; System.debug(n + 'x'); System.debug('x' + n);`)).toEqual([
    'nullx',
    'xnull',
  ]);
});

test('STR-10 String + number renders each number type', () => {
  expect(
    a.run(`System.debug('a' + 1); System.debug('a' + 2147483648L); System.debug('a' + 1.50);
      System.debug('a' + 1.0d); System.debug('a' + Double.valueOf('1e10'));`),
  ).toEqual(['a1', 'a2147483648', 'a1.50', 'a1.0', 'a1.0E10']);
});

test('STR-11 String + Date adds midnight; String.valueOf(Date) does not', () => {
  expect(
    a.run(
      `Date d = Date.newInstance(2024, 1, 5); System.debug('' + d); System.debug(String.valueOf(d));`,
    ),
  ).toEqual(['2024-01-05 00:00:00', '2024-01-05']);
});

test('STR-12 String + Datetime renders GMT yyyy-MM-dd HH:mm:ss', () => {
  expect(
    a.run(
      `Datetime dt = Datetime.newInstanceGmt(2024, 1, 5, 10, 0, 0); System.debug('' + dt); System.debug(dt.formatGmt('yyyy-MM-dd HH:mm:ss'));`,
    ),
  ).toEqual(['2024-01-05 10:00:00', '2024-01-05 10:00:00']);
});

test('STR-13 collections print as (…), {…} and {k=v}, Sets and Maps sorted', () => {
  expect(
    a.run(`System.debug(new List<Integer>{3, 1, 2}); System.debug(new Set<Integer>{3, 1, 2});
      System.debug(new Map<String, Integer>{'b' => 2, 'a' => 1}); System.debug(new List<Integer>()); System.debug(new Map<String, Integer>());
      Set<String> days = new Set<String>{'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'};
      System.debug(days); System.debug(new List<String>(days)[0]);`),
  ).toEqual([
    '(3, 1, 2)',
    '{1, 2, 3}',
    '{a=1, b=2}',
    '()',
    '{}',
    '{Friday, Monday, Saturday, Sunday, Thursday, Tuesday, Wednesday}',
    'Monday',
  ]);
});

test('STR-14 String form of an SObject', () => {
  expect(a.show(`new Account(Name = 'Acme')`)).toBe('Account:{Name=Acme}');
});

test('STR-15 String form of a user class instance', () => {
  expect(
    a.run(
      `System.debug(String.valueOf(new Bird())); System.debug(String.valueOf(new Bird()).split(':')[0]);`,
    ),
  ).toEqual(['Bird:[]', 'Bird']);
});

test('STR-16 String.valueOf of scalars and null', () => {
  expect(
    a.run(
      `System.debug(String.valueOf(1)); System.debug(String.valueOf(1L)); System.debug(String.valueOf(true)); Object o = null; System.debug(String.valueOf(o) == 'null');`,
    ),
  ).toEqual(['1', '1', 'true', 'true']);
});

test('STR-17 String.valueOf(Double) follows Java Double.toString', () => {
  expect(
    a.run(`System.debug(String.valueOf(1.0d)); System.debug(String.valueOf(0.1d)); System.debug(String.valueOf(Double.valueOf('1e10')));
      System.debug(String.valueOf(123456789.0d)); System.debug(String.valueOf(0.0001d)); System.debug(String.valueOf(1234567.0d));`),
  ).toEqual(['1.0', '0.1', '1.0E10', '1.23456789E8', '1.0E-4', '1234567.0']);
});

test('STR-18 Decimal text keeps the scale and uses BigDecimal.toString', () => {
  expect(
    a.run(`System.debug(String.valueOf(1.10)); System.debug('' + 0.0.setScale(32)); Decimal k = Decimal.valueOf('1E+3');
      System.debug(k); System.debug(k.toPlainString());`),
  ).toEqual(['1.10', '0E-32', '1E+3', '1000']);
});

test('STR-19 split drops trailing empty strings and takes a regex', () => {
  expect(
    a.run(
      `System.debug('a,b,,'.split(',')); System.debug(',a'.split(',').size()); System.debug('a.b'.split('.').size()); System.debug('a.b'.split('\\\\.'));`,
    ),
  ).toEqual(['(a, b)', '2', '0', '(a, b)']);
});

test('STR-20 split with a limit', () => {
  expect(
    a.run(
      `System.debug('boo:and:moo'.split(':', 2)); System.debug('a,b,,'.split(',', -1).size()); System.debug('a,b,,'.split(',', 0).size());`,
    ),
  ).toEqual(['(boo, and:moo)', '4', '2']);
});

test('STR-21 substring bounds and messages', () => {
  expect(
    a.run(`System.debug('abcdef'.substring(2)); System.debug('abcdef'.substring(1, 3));`),
  ).toEqual(['cdef', 'bc']);
  expect(a.error(`String s = 'abc'.substring(1, 5);`)).toBe(
    'System.StringException: Ending position out of bounds: 5',
  );
  expect(a.error(`String s = 'abc'.substring(-1);`)).toBe(
    'System.StringException: Starting position out of bounds: -1',
  );
});

test("STR-22 toLowerCase/toUpperCase: the running user's locale, or an explicit one", () => {
  expect(
    a.run(
      `System.debug('TITLE'.toLowerCase('tr')); System.debug('TITLE'.toLowerCase('en_US')); System.debug('Title'.toUpperCase());`,
    ),
  ).toEqual(['tıtle', 'title', 'TITLE']);
  // A System.runAs user with LocaleSidKey tr_TR: dotless ı / dotted İ without a locale argument.
  const [cls] = runTests(a.runtime, { className: 'TurkishUserTest' });
  expect(cls.methods.map((m) => [m.name, m.outcome, m.message])).toEqual([
    ['caseFollowsTheRunningUsersLocale', 'Pass', undefined],
  ]);
});

test('STR-23 String.format follows MessageFormat', () => {
  expect(
    a.run(`System.debug(String.format('{0} and {1}', new List<Object>{'a', 1})); System.debug(String.format('it\\'\\'s {0}', new List<Object>{'x'}));
      System.debug(String.format('{0}', new List<Object>{1234}));`),
  ).toEqual(['a and 1', "it's x", '1,234']);
  // Decimal and Double: NumberFormat of the en_US locale (#,##0.###, HALF_EVEN).
  expect(
    a.run(`System.debug(String.format('{0} / {1}', new List<Object>{12345.6789, 1234.5d}));
      System.debug(String.format('{0}', new List<Object>{2.50}));`),
  ).toEqual(['12,345.679 / 1,234.5', '2.5']);
  // Dates: how MessageFormat renders them is not documented for Apex.
  expect(() =>
    a.run(`String s = String.format('{0}', new List<Object>{Date.newInstance(2024, 1, 5)});`),
  ).toThrow(/not supported by the local runtime: String.format of a non-text argument/);
});

test('STR-24 String.join', () => {
  expect(
    a.run(
      `System.debug(String.join(new List<Integer>{1, 2}, '-')); System.debug(String.join(new List<String>(), '-').length());`,
    ),
  ).toEqual(['1-2', '0']);
});

test('STR-25 abbreviate', () => {
  expect(
    a.run(
      `System.debug('Hello Maximillian'.abbreviate(8)); System.debug('abc'.abbreviate(8)); System.debug('Hello Maximillian'.abbreviate(9, 6));`,
    ),
  ).toEqual(['Hello...', 'abc', '...Max...']);
  expect(a.error(`String s = 'Hello Maximillian'.abbreviate(3);`)).toMatch(
    /^System\.StringException: Minimum abbreviation width is 4/,
  );
});

test('STR-26 left and right', () => {
  expect(
    a.run(
      `System.debug('abc'.left(2)); System.debug('abc'.right(2)); System.debug('abc'.left(9));`,
    ),
  ).toEqual(['ab', 'bc', 'abc']);
});

test('STR-27 leftPad and repeat', () => {
  expect(
    a.run(`System.debug('7'.leftPad(3, '0')); System.debug('[' + '7'.leftPad(3) + ']'); System.debug('1234'.leftPad(3, '0'));
      System.debug('ab'.repeat(3)); System.debug('ab'.repeat('-', 2));`),
  ).toEqual(['007', '[  7]', '1234', 'ababab', 'ab-ab']);
});

test('STR-28 removeStart is case-sensitive; substringBefore/After', () => {
  expect(
    a.run(`System.debug('Hello'.removeStart('he')); System.debug('Hello'.removeStartIgnoreCase('he')); System.debug('a.b.c'.substringBefore('.'));
      System.debug('a.b.c'.substringAfter('.')); System.debug('abc'.substringBefore('x')); System.debug('abc'.substringAfter('x').length());`),
  ).toEqual(['Hello', 'llo', 'a', 'b.c', 'abc', '0']);
});

test('STR-29 countMatches, containsOnly, isAlphanumeric', () => {
  expect(
    a.run(`System.debug('ababab'.countMatches('ab')); System.debug('aaa'.countMatches('aa')); System.debug('abcab'.containsOnly('abc'));
      System.debug('abd'.containsOnly('abc')); System.debug('abc123'.isAlphanumeric()); System.debug('\\u2160'.isAlphanumeric());`),
  ).toEqual(['3', '1', 'true', 'false', 'true', 'false']);
});

test('STR-30 escapeSingleQuotes', () => {
  expect(a.show(`String.escapeSingleQuotes('O\\'Neil')`)).toBe("O\\'Neil");
});

test('STR-31 isBlank and isEmpty', () => {
  expect(
    a.run(`System.debug(String.isBlank('  ')); System.debug(String.isEmpty('  ')); System.debug(String.isBlank(null)); System.debug(String.isEmpty(''));
      System.debug(String.isNotBlank('  ')); System.debug(String.isBlank('\\u00A0'));`),
  ).toEqual(['true', 'false', 'true', 'true', 'false', 'false']);
});

test('STR-32 trim removes chars <= U+0020 only', () => {
  expect(
    a.run(
      `System.debug('[' + '\\t a \\n'.trim() + ']'); System.debug('\\u00A0a'.trim().length());`,
    ),
  ).toEqual(['[a]', '2']);
});

test('STR-33 charAt returns an Integer code unit', () => {
  expect(
    a.run(`Object c = 'Abc'.charAt(0); System.debug(c); System.debug(c instanceof Integer);`),
  ).toEqual(['65', 'true']);
  expect(a.error(`Integer c = 'Abc'.charAt(5);`)).toMatch(
    /^System\.(StringException|ListException): /,
  );
});

test('STR-34 indexOf is case-sensitive', () => {
  expect(
    a.run(
      `System.debug('abc'.indexOf('C')); System.debug('abcabc'.indexOf('c', 3)); System.debug('abc'.indexOf('b'));`,
    ),
  ).toEqual(['-1', '5', '1']);
});

test('STR-35 replace is literal, replaceAll/replaceFirst are regex', () => {
  expect(
    a.run(
      `System.debug('a.b'.replace('.', '-')); System.debug('a.b'.replaceAll('.', '-')); System.debug('ab12'.replaceFirst('([a-z])([a-z])', '$2$1'));`,
    ),
  ).toEqual(['a-b', '---', 'ba12']);
});

test('STR-36 collection lookups on Strings are case-sensitive', () => {
  expect(
    a.run(`System.debug(new List<String>{'a'}.contains('A')); System.debug(new Set<String>{'a'}.contains('A'));
      System.debug(new Map<String, Integer>{'a' => 1}.containsKey('A'));`),
  ).toEqual(['false', 'false', 'false']);
});
