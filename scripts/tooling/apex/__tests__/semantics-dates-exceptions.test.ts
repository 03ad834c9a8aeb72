// SEMANTICS.md §7–8 and §13: Dates (DAT), Exceptions (EXC) and Identifiers (IDN): one test per
// row, Apex run through the runtime. The context user's time zone is set to America/New_York
// (GMT-5 in January) through services.timeZone, where the natives read it.
import { semanticsRuntime, type Apex } from './semanticsHelpers';

let a: Apex;
beforeAll(async () => {
  a = await semanticsRuntime({
    MyException: 'public class MyException extends Exception { }',
    SubException: 'public class SubException extends MyException { }',
    Outer: `public class Outer {
      public class InnerException extends Exception { }
      public static void boom() {
        Integer x = null;
        x++;
      }
    }`,
    BadInit: `public class BadInit {
      public static Integer ready = 1;
      public static Integer broken;
      static {
        String s = null;
        broken = s.length();
      }
      public static Integer get() { return ready; }
    }`,
  });
  a.runtime.services.timeZone = 'America/New_York';
  a.runtime.services.locale = 'en_US';
});

/** The context user's offset from GMT in January, in hours. */
const offsetHours = () => -5;

test('DAT-01 Datetime.now() is an instant; Date.today() is the user-zone date', () => {
  expect(
    a
      .run(
        `Datetime n = Datetime.now(); System.debug(n.getTime()); System.debug(Date.today() == n.date());`,
      )
      .map((l, i) => (i === 0 ? Math.abs(Number(l) - Date.now()) < 5000 : l)),
  ).toEqual([true, 'true']);
});

test('DAT-02 newInstanceGmt vs newInstance (local) vs epoch millis', () => {
  const offset = offsetHours();
  expect(
    a.run(`Datetime g = Datetime.newInstanceGmt(2024, 1, 5, 10, 0, 0); Datetime l = Datetime.newInstance(2024, 1, 5, 10, 0, 0);
      System.debug((g.getTime() - l.getTime()) / 3600000); System.debug(Datetime.newInstance(0L).formatGmt('yyyy-MM-dd HH:mm'));
      System.debug(Datetime.newInstance(Date.newInstance(2024, 1, 5), Time.newInstance(10, 0, 0, 0)) == l);`),
  ).toEqual([String(offset), '1970-01-01 00:00', 'true']);
});

test('DAT-03 Date → Datetime is midnight GMT; newInstance(d, midnight) is local', () => {
  const offset = offsetHours();
  expect(
    a.run(`Date d = Date.newInstance(2024, 1, 5); Datetime c = d; System.debug(c.formatGmt('yyyy-MM-dd HH:mm'));
      Datetime l = Datetime.newInstance(d, Time.newInstance(0, 0, 0, 0)); System.debug((c.getTime() - l.getTime()) / 3600000);`),
  ).toEqual(['2024-01-05 00:00', String(offset)]);
});

test('DAT-04 format patterns, zones and hh vs HH', () => {
  expect(
    a.run(`Datetime g = Datetime.newInstanceGmt(2024, 1, 5, 14, 5, 0); System.debug(g.formatGmt('yyyy-MM-dd HH:mm')); System.debug(g.formatGmt('hh:mm a'));
      System.debug(g.format('yyyy-MM-dd HH:mm', 'America/New_York')); System.debug(g.format('HH:mm'));`),
  ).toEqual(['2024-01-05 14:05', '02:05 PM', '2024-01-05 09:05', '09:05']);
});

test('DAT-05 getTime, date and dateGmt', () => {
  expect(
    a.run(`Datetime g = Datetime.newInstanceGmt(2024, 1, 5, 0, 30, 0); System.debug(g.getTime()); System.debug(g.dateGmt());
      System.debug(Datetime.newInstanceGmt(1970, 1, 1, 0, 0, 0).getTime());`),
  ).toEqual(['1704414600000', '2024-01-05', '0']);
});

test('DAT-06 addDays/addMonths clamp; Date + Integer; daysBetween', () => {
  expect(
    a.run(`Date d = Date.newInstance(2024, 1, 31); System.debug(d.addMonths(1)); System.debug(d.addDays(1)); System.debug(d + 2);
      System.debug(d.addYears(1)); System.debug(d.daysBetween(Date.newInstance(2024, 3, 1)));
      System.debug(Datetime.newInstanceGmt(2024, 1, 5, 10, 0, 0).addHours(3).formatGmt('HH:mm'));`),
  ).toEqual(['2024-02-29', '2024-02-01', '2024-02-02', '2025-01-31', '30', '13:00']);
});

test('DAT-07 Date.valueOf and Date.parse', () => {
  expect(
    a.run(
      `System.debug(Date.valueOf('2024-01-05')); System.debug(Date.valueOf('2024-01-05 10:00:00'));`,
    ),
  ).toEqual(['2024-01-05', '2024-01-05']);
  expect(a.error(`Date d = Date.valueOf('05/01/2024');`)).toMatch(
    /^System\.TypeException: Invalid date: /,
  );
  expect(a.show(`Date.parse('1/5/2024')`)).toBe('2024-01-05'); // en_US: M/d/yyyy
});

test('DAT-08 Datetime.valueOf is local, valueOfGmt is GMT; ISO via JSON', () => {
  const offset = offsetHours();
  expect(
    a.run(`Datetime l = Datetime.valueOf('2024-01-05 10:00:00'); Datetime g = Datetime.valueOfGmt('2024-01-05 10:00:00');
      System.debug((g.getTime() - l.getTime()) / 3600000); System.debug(((Datetime) JSON.deserialize('"2024-01-05T10:00:00.000Z"', Datetime.class)) == g);`),
  ).toEqual([String(offset), 'true']);
});

test('DAT-09 text forms of Date and Datetime', () => {
  expect(
    a.run(`Date d = Date.newInstance(2024, 1, 5); Datetime g = Datetime.newInstanceGmt(2024, 1, 5, 10, 0, 0);
      System.debug(String.valueOf(d)); System.debug('' + d); System.debug('' + g); System.debug(String.valueOf(g) == g.format('yyyy-MM-dd HH:mm:ss'));`),
  ).toEqual(['2024-01-05', '2024-01-05 00:00:00', '2024-01-05 10:00:00', 'true']);
});

const catchMessage = (body: string) =>
  a.run(
    `try { ${body} } catch (Exception e) { System.debug(e.getTypeName() + ': ' + e.getMessage()); }`,
  );

test('EXC-01 NullPointerException message', () => {
  expect(catchMessage(`String s; s.length();`)).toEqual([
    'System.NullPointerException: Attempt to de-reference a null object',
  ]);
});

test('EXC-02 ListException message', () => {
  expect(catchMessage(`new List<Integer>().get(0);`)).toEqual([
    'System.ListException: List index out of bounds: 0',
  ]);
});

test('EXC-03 QueryException on single-row assignment', () => {
  expect(
    catchMessage(`Account acc = [SELECT Id FROM Account WHERE Name = 'nobody-here'];`),
  ).toEqual(['System.QueryException: List has no rows for assignment to SObject']);
  expect(
    catchMessage(
      `insert new List<Account>{new Account(Name = 'Twin'), new Account(Name = 'Twin')}; Account acc = [SELECT Id FROM Account WHERE Name = 'Twin'];`,
    ),
  ).toEqual(['System.QueryException: List has more than 1 row for assignment to SObject']);
});

test('EXC-04 TypeException message', () => {
  expect(catchMessage(`Object o = 1.5; Integer i = (Integer) o;`)).toEqual([
    'System.TypeException: Invalid conversion from runtime type Decimal to Integer',
  ]);
});

test('EXC-05 MathException message', () => {
  expect(catchMessage(`Integer z = 0; Integer i = 1 / z;`)).toEqual([
    'System.MathException: Divide by 0',
  ]);
});

test('EXC-06 DmlException message and getDml* accessors', () => {
  expect(
    a.run(`try { insert new Account(); } catch (DmlException e) { System.debug(e.getMessage()); System.debug(e.getNumDml()); System.debug(e.getDmlMessage(0));
      System.debug(e.getDmlType(0)); System.debug(e.getDmlFieldNames(0)); System.debug(e.getDmlIndex(0)); }`),
  ).toEqual([
    'Insert failed. First exception on row 0; first error: REQUIRED_FIELD_MISSING, Required fields are missing: [Name]: [Name]',
    '1',
    'Required fields are missing: [Name]',
    'REQUIRED_FIELD_MISSING',
    '(Name)',
    '0',
  ]);
});

test('EXC-07 SObjectException for an unqueried field and an unknown field', () => {
  expect(
    catchMessage(
      `insert new Account(Name = 'Q'); Account acc = [SELECT Id FROM Account WHERE Name = 'Q' LIMIT 1]; String n = acc.Name;`,
    ),
  ).toEqual([
    'System.SObjectException: SObject row was retrieved via SOQL without querying the requested field: Account.Name',
  ]);
  expect(catchMessage(`Object x = new Account().get('Nope__x');`)).toEqual([
    'System.SObjectException: Invalid field Nope__x for Account',
  ]);
});

test('EXC-08 FinalException message has the final period', () => {
  expect(
    catchMessage(`List<Integer> l = new List<Integer>{1}; for (Integer i : l) { l.add(i); }`),
  ).toEqual(['System.FinalException: Cannot modify a collection while it is being iterated.']);
});

test('EXC-09 System exception types exist and are caught by type', () => {
  expect(
    a.run(`try { Id i = 'abc'; } catch (StringException e) { System.debug(e.getTypeName()); }
      try { JSON.deserializeUntyped('{'); } catch (JSONException e) { System.debug(e.getTypeName()); }
      try { throw new IllegalArgumentException('x'); } catch (System.IllegalArgumentException e) { System.debug(e.getTypeName()); }
      try { Account acc = [SELECT Id FROM Account WHERE Name = 'none-such']; } catch (QueryException e) { System.debug(e.getTypeName()); }`),
  ).toEqual([
    'System.StringException',
    'System.JSONException',
    'System.IllegalArgumentException',
    'System.QueryException',
  ]);
});

test('EXC-10 LimitException and AssertException cannot be caught', () => {
  expect(
    a.error(
      `try { System.assert(false, 'nope'); } catch (Exception e) { System.debug('caught'); }`,
    ),
  ).toBe('System.AssertException: Assertion Failed: nope');
  expect(
    a.error(
      `try { for (Integer i = 0; i < 101; i++) { List<Account> l = [SELECT Id FROM Account LIMIT 1]; } } catch (Exception e) { System.debug('caught'); }`,
    ),
  ).toBe('System.LimitException: Too many SOQL queries: 101');
});

test('EXC-11 custom exceptions: four constructors, caught by supertype', () => {
  expect(
    a.run(`Exception c = new MyException('inner'); System.debug(new MyException('m').getMessage()); System.debug(new MyException(c).getCause() === c);
      System.debug(new MyException('m', c).getCause().getMessage()); try { throw new SubException('sub'); } catch (MyException e) { System.debug('caught ' + e.getMessage()); }`),
  ).toEqual(['m', 'true', 'inner', 'caught sub']);
});

test('EXC-12 new Exception() cannot be constructed', () => {
  expect(() => a.run(`Exception e = new Exception();`)).toThrow(
    /Type cannot be constructed: Exception/,
  );
});

test('EXC-13 default messages of custom exceptions', () => {
  expect(
    a.run(
      `System.debug(new MyException().getMessage()); System.debug(new MyException(new MyException('x')).getMessage());`,
    ),
  ).toEqual(['Script-thrown exception', 'MyException: x']);
});

test('EXC-14 getTypeName is qualified', () => {
  expect(
    a.run(`System.debug(new MyException().getTypeName()); System.debug(new Outer.InnerException().getTypeName());
      try { Object o = null; o.hashCode(); } catch (Exception e) { System.debug(e.getTypeName()); }`),
  ).toEqual(['MyException', 'Outer.InnerException', 'System.NullPointerException']);
});

test('EXC-15 getCause, setMessage, getLineNumber and getStackTraceString', () => {
  const lines =
    a.run(`MyException e = new MyException('a'); e.setMessage('b'); System.debug(e.getMessage()); System.debug(e.getCause());
try { Outer.boom(); } catch (Exception x) { System.debug(x.getLineNumber()); System.debug(x.getStackTraceString()); }`);
  expect(lines.slice(0, 3)).toEqual(['b', 'null', '5']);
  expect(lines[3]).toMatch(
    /^Class\.Outer\.boom: line 5, column \d+\nAnonymousBlock: line 2, column \d+$/,
  );
});

test('EXC-16 String.valueOf(exception) is Type: message', () => {
  expect(
    a.run(
      `try { new List<Integer>{1}.get(1); } catch (Exception e) { System.debug(String.valueOf(e)); System.debug('' + e); }`,
    ),
  ).toEqual([
    'System.ListException: List index out of bounds: 1',
    'System.ListException: List index out of bounds: 1',
  ]);
});

test('EXC-17 an exception in a static initialiser reaches the first user unwrapped', () => {
  expect(
    a.run(
      `try { BadInit.get(); } catch (NullPointerException e) { System.debug(e.getTypeName()); System.debug(e.getStackTraceString()); }`,
    ),
  ).toEqual([
    'System.NullPointerException',
    'Class.BadInit.<clinit>: line 6, column 1\nAnonymousBlock: line 1, column 1',
  ]);
  // Each transaction initialises statics afresh, so the next one fails the same way.
  expect(a.error(`Integer i = BadInit.get();`)).toBe(
    'System.NullPointerException: Attempt to de-reference a null object',
  );
  // Using the class again in the same transaction is not modelled: refused, not half-initialised.
  expect(() =>
    a.run(`try { BadInit.get(); } catch (Exception e) { }\nInteger again = BadInit.ready;`),
  ).toThrow(
    /semantics\.apex:2: not supported by the local runtime: use of BadInit after its static initialiser threw/,
  );
});

test('IDN-01 identifiers and keywords ignore case', () => {
  expect(
    a.run(
      `STRING myVar = 'v'; system.DEBUG(MYVAR); ACCOUNT acc = NEW account(name = 'x'); System.debug(acc.NAME); System.debug(ACC.Name.LENGTH());`,
    ),
  ).toEqual(['v', 'x', '1']);
});

test('IDN-02 18-character Id checksum vectors', () => {
  const ids = [
    'a0RE000000IJmcN',
    '001M000000qfPyS',
    'a01M00000062mPg',
    'aaaaaaaaaaaaaaa',
    'AbCdEfGhIjKlMnO',
    'aBcDEfgHIJKLMNO',
  ];
  expect(
    a.run(ids.map((i) => `System.debug(String.valueOf(Id.valueOf('${i}')).right(3));`).join('\n')),
  ).toEqual(['MAT', 'IAU', 'IAI', 'AAA', 'VKV', '025']);
});

test('IDN-03 a 15-character Id is stored as 18', () => {
  expect(a.show(`String.valueOf(x)`, `Id x = '001M000000qfPyS';`)).toBe('001M000000qfPySIAU');
});

test('IDN-04 Id == Id compares the 18-character forms; Strings do not', () => {
  expect(
    a.run(`Id a15 = '001M000000qfPyS'; Id a18 = '001M000000qfPySIAU'; System.debug(a15 == a18); String s = '001M000000qfPyS'; System.debug(s == a18);
      System.debug('001M000000qfPyS'.equals('001M000000qfPySIAU'));`),
  ).toEqual(['true', 'true', 'false']);
});

test('IDN-05 an invalid Id throws StringException', () => {
  expect(a.error(`Id x = 'abc';`)).toBe('System.StringException: Invalid id: abc');
  expect(a.error(`String s = ''; Id x = s;`)).toBe('System.StringException: Invalid id: ');
});

test('IDN-06 Id.getSObjectType from the key prefix', () => {
  expect(
    a.run(
      `for (String p : new List<String>{'001', '003', '005'}) { System.debug(Id.valueOf(p + '000000000000').getSObjectType()); }`,
    ),
  ).toEqual(['Account', 'Contact', 'User']);
  // Objects the project's schema does not have (Opportunity, 006) fail loudly.
  expect(() => a.run(`Object t = Id.valueOf('006000000000000').getSObjectType();`)).toThrow(
    /not supported by the local runtime: Id.getSObjectType for key prefix 006/,
  );
});
