/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
// The interpreter end to end: small Apex classes run through ApexRuntime, one test per construct
// group. (The docblock makes Jest load apex-parser's Node build instead of its browser bundle.)
import { ApexRuntime, ApexThrown } from '../runtime';
import {
  ApexDecimal,
  ApexDouble,
  ApexList,
  ApexMap,
  SObjectValue,
  toApexString,
  typeRef,
  type Value,
} from '../values';
import { createOrg } from '../org/orgService';
import { run, runtimeWith, thrown } from './interpreterHelpers';

const text = (v: Value) => toApexString(v);

describe('statements and expressions', () => {
  test('arithmetic, locals, loops', () => {
    expect(run('Integer s = 0; for (Integer i = 1; i <= 10; i++) { s += i; } return s;')).toBe(55);
    expect(run('Integer i = 0; while (true) { i++; if (i > 5) break; } return i;')).toBe(6);
    expect(run('Integer i = 0; do { i += 2; } while (i < 7); return i;')).toBe(8);
    expect(
      run(
        'Integer n = 0; for (Integer i = 0; i < 10; i++) { if (Math.mod(i, 2) == 0) continue; n++; } return n;',
      ),
    ).toBe(5);
  });

  test('integer overflow wraps, division truncates, divide by zero throws', () => {
    expect(run('Integer i = 2147483647; return i + 1;')).toBe(-2147483648);
    expect(run('Long l = 9223372036854775807L; return l + 1;')).toBe(-9223372036854775808n);
    expect(run('return 365 * 24 * 60 * 60 * 1000;')).toBe(1471228928);
    expect(run('return -7 / 2;')).toBe(-3);
    expect(run('Long x = 5; return x * 2;')).toBe(10n);
    const e = thrown('Integer z = 0; return 5 / z;');
    expect(e).toBeInstanceOf(ApexThrown);
    expect((e as ApexThrown).typeName).toBe('System.MathException');
    expect(e.message).toBe('Divide by 0');
  });

  test('numeric promotion and assignment conversion', () => {
    const d = run('Decimal d = 5; return d;');
    expect(d).toBeInstanceOf(ApexDecimal);
    expect(text(run('return 1.10 + 1;'))).toBe('2.10');
    expect(text(run('return 1.5 * 1.25;'))).toBe('1.875');
    expect(run('Double x = 2; return x / 4;')).toEqual(new ApexDouble(0.5));
    expect(text(run('Decimal d = 7.0; return d / 2;'))).toBe('3.5');
    expect(run('Long l = 3; return l;')).toBe(3n);
  });

  test('string concatenation prints operands as Apex does', () => {
    expect(run("String s; return 'a' + 1 + null + s + true;")).toBe('a1nullnulltrue');
    expect(run("return 'x' + 1.50;")).toBe('x1.50');
    expect(run("Double d = 1; return '' + d;")).toBe('1.0');
    expect(run("return '' + Date.newInstance(2024, 1, 5);")).toBe('2024-01-05 00:00:00');
    expect(run("String s = 'a'; s += 'b'; s += 2; return s;")).toBe('ab2');
  });

  test('comparisons, equality and logic', () => {
    expect(run("return 'abc' == 'ABC';")).toBe(true);
    expect(run("return 'a' < 'B';")).toBe(true);
    expect(run('Integer n; return n < 5;')).toBe(false);
    expect(run('Integer n; return 5 >= n;')).toBe(false);
    expect(run('return 1 == 1.0;')).toBe(true);
    expect(
      run(
        "List<String> a = new List<String>{'x'}; List<String> b = new List<String>{'x'}; return (a == b) && !(a === b);",
      ),
    ).toBe(true);
    expect(run('Integer x; return x ?? 7;')).toBe(7);
    expect(run("return 3 > 2 ? 'yes' : 'no';")).toBe('yes');
    expect(run('return (5 & 3) + (5 | 3) + (5 ^ 3) + (1 << 4) + (-16 >> 2) + (-1 >>> 28);')).toBe(
      1 + 7 + 6 + 16 - 4 + 15,
    );
  });

  test('null semantics', () => {
    const npe = thrown('String s; return s.length();');
    expect((npe as ApexThrown).typeName).toBe('System.NullPointerException');
    expect(npe.message).toBe('Attempt to de-reference a null object');
    expect((thrown('Boolean b; if (b) { return 1; } return 0;') as ApexThrown).typeName).toBe(
      'System.NullPointerException',
    );
    expect((thrown('Integer i; return i + 1;') as ApexThrown).typeName).toBe(
      'System.NullPointerException',
    );
    expect(run('String s; return s?.length();')).toBeNull();
    expect(run('Boolean b; return b == true;')).toBe(false);
  });

  test('increments on locals, fields and list elements', () => {
    const members = 'static Integer count = 0; Integer own = 10;';
    expect(
      run(
        'List<Integer> xs = new List<Integer>{1, 2}; xs[1]++; ++xs[0]; count++; T t = new T(); t.own--; Integer i = 5; Integer j = i++; return xs[0] + xs[1] + count + t.own + i + j;',
        members,
      ),
    ).toBe(2 + 3 + 1 + 9 + 6 + 5);
  });
});

describe('classes', () => {
  test('overloads: arity, then the most specific parameter type', () => {
    const members = `
      static String f(Object o) { return 'object'; }
      static String f(String s) { return 'string'; }
      static String f(Integer i) { return 'integer'; }
      static String f(Integer a, Integer b) { return 'two'; }`;
    expect(run("return f('x') + f(1) + f(1, 2) + f(new List<String>());", members)).toBe(
      'stringintegertwoobject',
    );
  });

  test('inheritance: virtual dispatch, super calls, abstract methods, constructor chaining', () => {
    const rt = ApexRuntime.fromSources([
      {
        path: 'Shape.cls',
        text: `public abstract class Shape {
          public String log = '';
          public Shape() { this('shape'); log += 'A'; }
          public Shape(String n) { log += n; }
          public abstract Integer area();
          public virtual String describe() { return 'shape ' + area(); }
        }`,
      },
      {
        path: 'Square.cls',
        text: `public virtual class Square extends Shape {
          Integer side;
          { log += 'I'; }
          public Square(Integer s) { super(); side = s; log += 'S'; }
          public override Integer area() { return side * side; }
          public virtual override String describe() { return 'square/' + super.describe(); }
          public static String make() { Square q = new Square(3); return q.describe() + ' ' + q.log; }
        }`,
      },
    ]);
    expect(rt.callStatic('Square', 'make', [])).toBe('square/shape 9 shapeAIS');
  });

  test('interfaces, instanceof and casts with TypeException', () => {
    const rt = ApexRuntime.fromSources([
      { path: 'Greeter.cls', text: 'public interface Greeter { String greet(String who); }' },
      {
        path: 'Hello.cls',
        text: `public class Hello implements Greeter {
          public String greet(String who) { return 'hi ' + who; }
          public static Object run() {
            Object g = new Hello();
            Boolean checks = g instanceof Greeter && !(g instanceof String);
            return checks + ' ' + ((Greeter) g).greet('x');
          }
          public static Object bad() { Object o = 'a'; return (Integer) o; }
        }`,
      },
    ]);
    expect(rt.callStatic('Hello', 'run', [])).toBe('true hi x');
    expect(() => rt.callStatic('Hello', 'bad', [])).toThrow(
      expect.objectContaining({
        typeName: 'System.TypeException',
        message: 'Invalid conversion from runtime type String to Integer',
      }),
    );
  });

  test('instanceof on numbers, Ids and collections follows SEMANTICS TYP-03..07', () => {
    expect(run('Object o = 1.5; return (o instanceof Decimal) && (o instanceof Double);')).toBe(
      true,
    );
    expect(
      run(
        'Object o = 1; return (o instanceof Integer) && !(o instanceof Long) && !(o instanceof Decimal);',
      ),
    ).toBe(true);
    expect(run('Object o = new List<String>(); return o instanceof List<Object>;')).toBe(true);
    expect(run('Object o = new Set<String>(); return o instanceof Set<Object>;')).toBe(false);
    expect(
      run(
        'Object o = new Map<String, Integer>(); return (o instanceof Map<String, Object>) && !(o instanceof Map<Object, Object>);',
      ),
    ).toBe(true);
    expect(
      run(
        "Object s = '001xa000003DIlo'; Object t = 'john doe'; return (s instanceof Id) && !(t instanceof Id);",
      ),
    ).toBe(true);
    expect(run('Object o = null; return o instanceof String;')).toBe(false);
  });

  test('properties with accessors and automatic properties', () => {
    const members = `
      public Integer auto { get; set; }
      private Integer stored = 1;
      public Integer doubled { get { return stored * 2; } set { stored = value; } }
      public static String label { get { if (label == null) { label = 'L'; } return label; } private set; }`;
    expect(
      run('T t = new T(); t.auto = 4; t.doubled = 5; return t.auto + t.doubled + label;', members),
    ).toBe('14L');
  });

  test('default toString, user equals/hashCode in maps and sets', () => {
    const rt = ApexRuntime.fromSources([
      {
        path: 'Key.cls',
        text: `public class Key {
          Integer n;
          public Key(Integer n) { this.n = n; }
          public Boolean equals(Object o) { return o instanceof Key && ((Key) o).n == n; }
          public Integer hashCode() { return n; }
        }`,
      },
      {
        path: 'Plain.cls',
        text: `public class Plain {
          String name = 'p'; Integer size = 2;
          public static Object run() {
            Map<Key, String> m = new Map<Key, String>{ new Key(1) => 'one' };
            Set<Key> s = new Set<Key>{ new Key(2), new Key(2) };
            return m.get(new Key(1)) + ' ' + s.size() + ' ' + String.valueOf(new Plain());
          }
        }`,
      },
    ]);
    expect(rt.callStatic('Plain', 'run', [])).toBe('one 1 Plain:[name=p, size=2]');
  });

  test('enums: constants, values(), name(), ordinal(), switch', () => {
    const members = `public enum Color { RED, GREEN, BLUE }
      static String pick(Color c) { switch on c { when RED, GREEN { return 'warm'; } when else { return 'cold'; } } }`;
    expect(
      run(
        'return pick(Color.RED) + pick(Color.BLUE) + Color.values().size() + Color.BLUE.name() + Color.GREEN.ordinal() + (Color.RED == Color.RED);',
        members,
      ),
    ).toBe('warmcold3BLUE1true');
  });

  test('inner classes reach outer statics; statics are fresh per transaction', () => {
    const members = `
      static Integer calls = 0;
      static List<String> seen = new List<String>();
      public class Inner { public Integer bump() { calls++; return calls; } }`;
    const rt = runtimeWith(
      "new Inner().bump(); seen.add('x'); return new Inner().bump() + seen.size();",
      members,
    );
    expect(rt.transaction('synchronous', () => rt.callStatic('T', 'run', [])).result).toBe(3);
    expect(rt.transaction('synchronous', () => rt.callStatic('T', 'run', [])).result).toBe(3);
  });

  test('static initialisers run on first use, in source order', () => {
    const members = `
      static List<String> order = new List<String>{'a'};
      static { order.add('b'); }
      static String joined = String.join(order, '');`;
    expect(run('return joined;', members)).toBe('ab');
  });

  test('System.Type: T.class, Type.forName, newInstance', () => {
    const members = 'public class Made { public Integer n = 4; }';
    expect(
      run(
        "Type t = Type.forName('T.Made'); Made m = (Made) t.newInstance(); return m.n + t.getName();",
        members,
      ),
    ).toBe('4T.Made');
    expect(run("return String.class == Type.forName('String');")).toBe(true);
    expect(run('return List<Integer>.class.getName();')).toBe('List<Integer>');
  });
});

describe('exceptions', () => {
  const members = `
    public class MyException extends Exception {}
    public class OtherException extends MyException {}
    static String log = '';`;

  test('user exceptions: the four constructors, catch by type, finally', () => {
    expect(
      run(
        `String out = '';
         try { throw new OtherException('boom'); }
         catch (ListException e) { out += 'list'; }
         catch (MyException e) { out += e.getMessage() + ':' + e.getTypeName(); }
         finally { out += ':finally'; }
         MyException withCause = new MyException('outer', new OtherException('inner'));
         out += ':' + withCause.getCause().getMessage();
         out += ':' + new MyException().getMessage();
         return out;`,
        members,
      ),
    ).toBe('boom:T.OtherException:finally:inner:Script-thrown exception');
  });

  test('system exceptions from the runtime are catchable by type', () => {
    expect(
      run(
        `List<Integer> xs = new List<Integer>();
         try { Integer x = xs[3]; return 'no'; }
         catch (ListException e) { return e.getMessage() + ' @' + e.getLineNumber() + ' ' + e.getTypeName(); }`,
      ),
    ).toBe('List index out of bounds: 3 @5 System.ListException');
    expect(
      run(
        "try { Object o = 'a'; Integer i = (Integer) o; } catch (Exception e) { return e.getTypeName(); } return null;",
      ),
    ).toBe('System.TypeException');
  });

  test('finally runs when the exception propagates; uncaught ones leave as ApexThrown', () => {
    const rt = runtimeWith(
      "try { throw new MyException('x'); } finally { log += 'f'; }",
      `${members}
      public static String getLog() { return log; }`,
    );
    const { result } = rt.transaction('synchronous', () => {
      try {
        rt.callStatic('T', 'run', []);
        return 'no exception';
      } catch (e) {
        const t = e as ApexThrown;
        return `${t.typeName}|${t.message}|${t.stackTrace.join(',')}|${String(rt.callStatic('T', 'getLog', []))}`;
      }
    });
    expect(result).toBe('T.MyException|x|T.cls:8|f');
  });

  test('LimitException cannot be caught', () => {
    const e = thrown(
      "try { recurse(); } catch (Exception e) { return 'caught'; } return null;",
      'static void recurse() { recurse(); }',
    );
    expect((e as ApexThrown).typeName).toBe('System.LimitException');
  });

  test('String.valueOf(exception) and getStackTraceString', () => {
    expect(
      run(
        `try { Integer i; i++; } catch (Exception e) { return String.valueOf(e) + '|' + e.getStackTraceString(); } return null;`,
      ),
    ).toBe(
      'System.NullPointerException: Attempt to de-reference a null object|Class.T.run: line 4, column 1',
    );
  });
});

describe('switch', () => {
  test('literal values, several per when, strings case-sensitively, when else', () => {
    const members = `static String kind(Object v) {
        switch on String.valueOf(v) {
          when 'a', 'b' { return 'ab'; }
          when 'A' { return 'upper'; }
          when else { return 'other'; }
        }
      }
      static String num(Integer i) { switch on i { when 1 { return 'one'; } when -2, 3 { return 'neg2or3'; } when null { return 'null'; } } return 'none'; }`;
    expect(run("return kind('a') + kind('b') + kind('A') + kind('z');", members)).toBe(
      'ababupperother',
    );
    expect(run('return num(1) + num(-2) + num(3) + num(null) + num(9);', members)).toBe(
      'oneneg2or3neg2or3nullnone',
    );
  });

  test('when Type var on SObjects', () => {
    const members = `static String which(SObject o) {
        switch on o { when Account a { return 'account ' + a.Name; } when Contact c { return 'contact'; } when else { return 'else'; } }
      }`;
    expect(
      run("return which(new Account(Name = 'Acme')) + '/' + which(new Contact());", members),
    ).toBe('account Acme/contact');
  });
});

describe('collections', () => {
  test('initialisers, arrays, copies, indexing', () => {
    expect(text(run("return new List<String>{'a', 'b'};"))).toBe('(a, b)');
    expect(text(run("String[] xs = new String[]{'x', 'y'}; xs[0] = 'z'; return xs;"))).toBe(
      '(z, y)',
    );
    expect(text(run("return new Map<String, Integer>{'a' => 1, 'b' => 2};"))).toBe('{a=1, b=2}');
    expect(
      run("Set<String> s = new Set<String>(new List<String>{'a', 'a', 'b'}); return s.size();"),
    ).toBe(2);
    expect(
      text(run('List<Decimal> ds = new List<Decimal>{1, 2}; ds[0] = 3; return ds[0] + ds[1];')),
    ).toBe('5');
    expect(run('List<Decimal> ds = new List<Decimal>{1}; return ds[0];')).toBeInstanceOf(
      ApexDecimal,
    );
    const e = thrown('List<Integer> xs = new List<Integer>{1}; return xs[-1];');
    expect(e.message).toBe('List index out of bounds: -1');
  });

  test('for-each over lists and sets', () => {
    expect(
      run(
        "Integer n = 0; for (Integer i : new List<Integer>{1, 2, 3}) { n += i; } for (String s : new Set<String>{'a', 'b'}) { n += s.length(); } return n;",
      ),
    ).toBe(8);
  });
});

describe('SObjects, SOQL, DML and runAs through the services', () => {
  const calls: string[] = [];
  const rows = [new SObjectValue('Account'), new SObjectValue('Account')];
  rows[0].set('Name', 'A');
  rows[1].set('Name', 'B');
  // The project's in-memory org for the schema; its query and dml are replaced to observe calls.
  const org = createOrg(process.cwd());
  Object.assign(org, {
    query: (_ctx: unknown, soql: string, bind: (n: string) => Value) => {
      calls.push(`${soql} [${String(bind('__bind0'))}]`);
      if (/COUNT\(\)/.test(soql)) return 2;
      const limit = /LIMIT 1/.test(soql) ? 1 : /LIMIT 0/.test(soql) ? 0 : 2;
      return new ApexList(typeRef('Account'), rows.slice(0, limit));
    },
    dml: (_ctx: unknown, op: string, records: SObjectValue[], options: { accessLevel: string }) => {
      calls.push(`${op} ${records.length} ${options.accessLevel}`);
      return [];
    },
  });
  const services = {
    org,
    test: {
      runAs: (_ctx: unknown, user: Value, body: () => void) => {
        calls.push(`runAs ${(user as SObjectValue).sobjectType}`);
        body();
      },
    },
  };

  beforeEach(() => {
    calls.length = 0;
  });

  test('static SOQL hands text with binds to the org; single-row and count forms', () => {
    expect(
      run(
        "String n = 'A'; List<Account> xs = [SELECT Name FROM Account WHERE Name = :n]; return xs.size();",
        '',
        services,
      ),
    ).toBe(2);
    expect(calls).toEqual(['SELECT Name FROM Account WHERE Name = :__bind0 [A]']);
    expect(
      run('Account a = [SELECT Name FROM Account LIMIT 1]; return a.Name;', '', services),
    ).toBe('A');
    expect(run('Integer n = [SELECT COUNT() FROM Account]; return n;', '', services)).toBe(2);
    const rt = runtimeWith('Account a = [SELECT Name FROM Account]; return a;', '', services);
    expect(() => rt.callStatic('T', 'run', [])).toThrow(
      'List has more than 1 row for assignment to SObject',
    );
    const none = runtimeWith(
      'Account a = [SELECT Name FROM Account LIMIT 0]; return a;',
      '',
      services,
    );
    expect(() => none.callStatic('T', 'run', [])).toThrow(
      'List has no rows for assignment to SObject',
    );
  });

  test('SOQL for loops, the batch form in lists of 200', () => {
    expect(
      run(
        'Integer n = 0; for (Account a : [SELECT Name FROM Account]) { n++; } for (List<Account> batch : [SELECT Name FROM Account]) { n += 10 * batch.size(); } return n;',
        '',
        services,
      ),
    ).toBe(22);
  });

  test('DML statements and System.runAs delegate to the org and the harness', () => {
    run(
      "Account a = new Account(Name = 'x'); insert a; update as user new List<Account>{a}; delete as system a; System.runAs(new User()) { upsert a; } return null;",
      '',
      services,
    );
    expect(calls).toEqual([
      'insert 1 system',
      'update 1 user',
      'delete 1 system',
      'runAs User',
      'upsert 1 system',
    ]);
  });

  test('relationship paths read through null relationships as null', () => {
    expect(
      run(
        "Account a = new Account(Name = 'x'); Contact c = new Contact(); c.putSObject('Account', a); return c.Account.Name + '/' + new Contact().Account?.Name;",
        '',
        services,
      ),
    ).toBe('x/null');
  });
});

describe('the runtime', () => {
  test('anonymous Apex runs as one transaction', () => {
    const rt = runtimeWith(
      'return null;',
      'public static Integer hits = 0; public static void hit() { hits++; }',
    );
    const { usage } = rt.runAnonymous(
      'T.hit(); T.hit();\nInteger x = T.hits; System.assertEquals(2, x);',
    );
    expect(usage.statements).toBeGreaterThanOrEqual(3);
  });

  test('coverage records executable and executed lines', () => {
    const rt = ApexRuntime.fromSources([
      {
        path: 'Cov.cls',
        text: [
          'public class Cov {',
          '  public static Integer f(Boolean b) {',
          '    if (b) {',
          '      return 1;',
          '    }',
          '    return 2;',
          '  }',
          '}',
        ].join('\n'),
      },
    ]);
    rt.callStatic('Cov', 'f', [false]);
    expect(rt.coverage()).toEqual([{ file: 'Cov.cls', executable: [3, 4, 6], covered: [3, 6] }]);
  });

  test('an unsupported construct fails with the file and line', () => {
    const rt = runtimeWith('Integer x = 1;\nreturn Nowhere.call(x);');
    expect(() => rt.callStatic('T', 'run', [])).toThrow(
      'T.cls:5: not supported by the local runtime: unknown variable or type Nowhere',
    );
    expect(() => runtimeWith('return new Mystery();').callStatic('T', 'run', [])).toThrow(
      'T.cls:4: not supported by the local runtime: unknown type Mystery',
    );
  });

  test('a syntax error stops the load with the file and line', () => {
    expect(() =>
      ApexRuntime.fromSources([
        { path: 'dir/Bad.cls', text: 'public class Bad {\n  Integer x = ;\n}' },
      ]),
    ).toThrow(/^Bad\.cls:2: syntax error/);
  });

  test('governor counts statements and estimates the heap', () => {
    const rt = runtimeWith(
      "List<String> xs = new List<String>(); for (Integer i = 0; i < 30000; i++) { xs.add('abcdefghij'); } return xs.size();",
    );
    const { result, usage } = rt.transaction('synchronous', () => rt.callStatic('T', 'run', []));
    expect(result).toBe(30000);
    // One statement for the declaration, the loop and the return; one per iteration of the body.
    expect(usage.statements).toBe(30003);
    expect(usage.heapBytes).toBeGreaterThan(20000 * 20);
  });

  test('runs several million simple statements per second', () => {
    const rt = runtimeWith(
      'Integer s = 0; for (Integer i = 0; i < 2000000; i++) { s += i; } return s;',
    );
    const started = process.hrtime.bigint();
    const { usage } = rt.transaction('synchronous', () => rt.callStatic('T', 'run', []));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    expect(usage.statements / seconds).toBeGreaterThan(2_000_000);
  });

  test('classes() lists methods with lower-case annotations', () => {
    const rt = ApexRuntime.fromSources([
      {
        path: 'MyTest.cls',
        text: '@IsTest private class MyTest { @TestSetup static void setup() {} @IsTest static void works() {} }',
      },
    ]);
    const [info] = rt.classes();
    expect(info.isTest).toBe(true);
    expect(info.methods.map((m) => `${m.name}:${m.annotations.join(',')}`)).toEqual([
      'setup:testsetup',
      'works:istest',
    ]);
  });

  test('interop: newInstance, invoke, getField and describeClass reach user code', () => {
    const rt = ApexRuntime.fromSources([
      {
        path: 'P.cls',
        text: 'public class P { public Integer n = 2; public List<String> names; public Integer twice(Integer k) { return n * k; } }',
      },
    ]);
    const out = rt.transaction('synchronous', () => {
      const p = rt.interop.newInstance(typeRef('P'), []);
      return [
        rt.interop.invoke(p, 'twice', [5]),
        rt.interop.getField(p as never, 'N'),
        rt.interop.describeClass(typeRef('P'))?.fields.map((f) => f.name),
      ];
    }).result;
    expect(out).toEqual([10, 2, ['n', 'names']]);
    expect(rt.interop.resolveType('Map<String, List<P>>')?.name).toBe('Map');
    const m = rt.transaction('synchronous', () =>
      rt.interop.newInstance(rt.interop.resolveType('Map<String,Integer>')!, []),
    ).result;
    expect(m).toBeInstanceOf(ApexMap);
  });
});
