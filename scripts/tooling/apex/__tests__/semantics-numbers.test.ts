// SEMANTICS.md §2–4 Numbers (NUM), Types (TYP) and Nulls (NUL): one test per row, Apex run
// through the runtime.
import { semanticsRuntime, type Apex } from './semanticsHelpers';

let a: Apex;
beforeAll(async () => {
  a = await semanticsRuntime({});
});

test('NUM-01 Integer is 32-bit, Long 64-bit, Decimal arbitrary', () => {
  expect(
    a.run(`System.debug(Integer.valueOf('2147483647')); System.debug(9223372036854775807L);
      System.debug(Decimal.valueOf('123456789012345678901234567890.123'));`),
  ).toEqual(['2147483647', '9223372036854775807', '123456789012345678901234567890.123']);
});

test('NUM-02 Integer overflow wraps, even before widening to Long', () => {
  expect(
    a.run(`Integer i = 2147483647; System.debug(i + 1); Long x = 365 * 24 * 60 * 60 * 1000; System.debug(x);
      Long y = 365L * 24 * 60 * 60 * 1000; System.debug(y);`),
  ).toEqual(['-2147483648', '1471228928', '31536000000']);
});

test('NUM-03 numeric literal types', () => {
  expect(
    a.run(`Object i = 123; Object l = 123L; Object d = 1.5; Object x = 1.5d;
      System.debug(i instanceof Integer); System.debug(l instanceof Long); System.debug(d instanceof Decimal); System.debug(x);
      System.debug(Double.valueOf('1E5'));`),
  ).toEqual(['true', 'true', 'true', '1.5', '100000.0']);
  expect(() => a.run(`Integer i = 2147483649;`)).toThrow(/Illegal integer/);
  expect(a.show(`-2147483648`)).toBe('-2147483648');
});

test('NUM-04 binary operations take the higher type', () => {
  expect(
    a.run(`Object il = 1 + 2L; Object idc = 1 + 1.5; Object idb = 1 / 2.0d; Object dd = 1.5d + 1.5;
      System.debug(il instanceof Long); System.debug(idc); System.debug(idb); System.debug(dd); Decimal d = 5; Long l = 5; Double x = 5;
      System.debug(d); System.debug(l); System.debug(x);`),
  ).toEqual(['true', '2.5', '0.5', '3.0', '5', '5', '5.0']);
});

test('NUM-05 Integer and Long division truncate toward zero', () => {
  expect(
    a.run(
      `System.debug(7 / 2); System.debug(-7 / 2); System.debug(-7L / 2); System.debug(7.0 / 2);`,
    ),
  ).toEqual(['3', '-3', '-3', '3.5']);
});

test('NUM-06 Math.mod takes the sign of the dividend', () => {
  expect(
    a.run(
      `System.debug(Math.mod(10, 3)); System.debug(Math.mod(-7, 3)); System.debug(Math.mod(7, -3)); System.debug(Math.mod(-7L, 3L));`,
    ),
  ).toEqual(['1', '-1', '1', '-1']);
});

test('NUM-07 Integer, Long and Decimal division by zero throw MathException', () => {
  expect(a.error(`Integer z = 0; Integer i = 5 / z;`)).toBe('System.MathException: Divide by 0');
  expect(a.error(`Long z = 0; Long i = 5L / z;`)).toBe('System.MathException: Divide by 0');
  expect(a.error(`Decimal z = 0; Decimal i = 5.0 / z;`)).toBe('System.MathException: Divide by 0');
});

test('NUM-08 Double division by zero throws MathException', () => {
  expect(a.error(`Double z = 0; Double i = 5.0d / z;`)).toBe('System.MathException: Divide by 0');
});

test('NUM-09 Decimal + and - keep the larger scale; == compares value', () => {
  expect(
    a.run(
      `System.debug(1.10 + 1); System.debug(1.0 + 1.00); System.debug(2.50 - 1); System.debug(1.0 == 1.00);`,
    ),
  ).toEqual(['2.10', '2.00', '1.50', 'true']);
});

test('NUM-10 Decimal * adds scales; / rounds to 33 significant digits; divide(d, scale)', () => {
  expect(
    a.run(`System.debug(1.5 * 1.25); System.debug(1.0 / 3); System.debug(2.0 / 3); System.debug(1 / 3.0 == Decimal.valueOf('0.333333333333333333333333333333333'));
      System.debug(19.23.divide(100, 3)); System.debug(1.0 / 4.0); System.debug(10.0 / 3);`),
  ).toEqual([
    '1.875',
    '0.333333333333333333333333333333333',
    '0.666666666666666666666666666666667',
    'true',
    '0.192',
    '0.25',
    '3.33333333333333333333333333333333',
  ]);
});

test('NUM-11 Decimal scale from text and from Double; setScale rounds half-even', () => {
  expect(
    a.run(`System.debug(Decimal.valueOf('1.50')); System.debug(Decimal.valueOf('1.50').scale()); System.debug(Decimal.valueOf(1.0d));
      System.debug(2.345.setScale(2)); System.debug(2.355.setScale(2)); System.debug(2.345.setScale(2, System.RoundingMode.HALF_UP));`),
  ).toEqual(['1.50', '2', '1.0', '2.34', '2.36', '2.35']);
});

test('NUM-12 intValue truncates; casting an Object Decimal to Integer throws', () => {
  expect(
    a.run(
      `System.debug((3.9).intValue()); System.debug((-3.9).intValue()); System.debug((-3.9).longValue()); System.debug((Integer) 5.2);`,
    ),
  ).toEqual(['3', '-3', '-3', '5']);
  expect(a.error(`Object o = 5.2; Integer i = (Integer) o;`)).toBe(
    'System.TypeException: Invalid conversion from runtime type Decimal to Integer',
  );
});

test('NUM-13 Math.round: Decimal half-even, Double half-up; overload return types', () => {
  expect(
    a.run(`System.debug(Math.round(2.5)); System.debug(Math.round(3.5)); System.debug(Math.round(2.5d)); Object r = Math.roundToLong(2.5d);
      System.debug(r instanceof Long); System.debug(Math.floor(2.7)); System.debug(Math.ceil(2.1d)); System.debug(Math.abs(-2L)); System.debug(Math.max(1.5, 2.25));`),
  ).toEqual(['2', '4', '3', 'true', '2', '3.0', '2', '2.25']);
});

test('NUM-14 valueOf of bad text throws TypeException with the type name', () => {
  expect(a.error(`Integer i = Integer.valueOf('abc');`)).toBe(
    'System.TypeException: Invalid integer: abc',
  );
  expect(a.error(`Long i = Long.valueOf('x');`)).toBe('System.TypeException: Invalid long: x');
  expect(a.error(`Double i = Double.valueOf('x');`)).toBe(
    'System.TypeException: Invalid double: x',
  );
  expect(a.error(`Decimal i = Decimal.valueOf('x');`)).toBe(
    'System.TypeException: Invalid decimal: x',
  );
  expect(a.error(`Integer i = Integer.valueOf('1.5');`)).toBe(
    'System.TypeException: Invalid integer: 1.5',
  );
  expect(a.error(`Integer i = Integer.valueOf(' 1');`)).toBe(
    'System.TypeException: Invalid integer:  1',
  );
});

test('NUM-15 Integer.valueOf(null) is null; of a Decimal truncates', () => {
  expect(
    a.run(
      `String s = null; System.debug(Integer.valueOf(s)); Object d = 3.7; System.debug(Integer.valueOf(d));`,
    ),
  ).toEqual(['null', '3']);
});

test('NUM-16 Boolean.valueOf is case-insensitive for true, false otherwise', () => {
  expect(
    a.run(
      `System.debug(Boolean.valueOf('TRUE')); System.debug(Boolean.valueOf('yes')); String n = null; System.debug(Boolean.valueOf(n));`,
    ),
  ).toEqual(['true', 'false', 'false']);
});

test('NUM-17 a Number field of an SObject reads as Decimal', () => {
  expect(
    a.run(
      `Account acc = new Account(NumberOfEmployees = 5, AnnualRevenue = 10); Object v = acc.get('AnnualRevenue'); System.debug(v instanceof Decimal);`,
    ),
  ).toEqual(['true']);
});

test('TYP-01 (not checked: the runtime does not type-check) always-true instanceof runs', () => {
  // The compile error needs static types the runtime does not compute; it evaluates instead.
  expect(a.show(`i instanceof Integer`, `Integer i = 1;`)).toBe('true');
});

test('TYP-02 null instanceof X is false', () => {
  expect(a.show(`o instanceof String`, `Object o = null;`)).toBe('false');
});

test('TYP-03 an Object Decimal or Double is instanceof both', () => {
  expect(
    a.run(
      `Object o = 1.5; System.debug(o instanceof Decimal); System.debug(o instanceof Double); Object p = 1.5d; System.debug(p instanceof Decimal); System.debug(p instanceof Double);`,
    ),
  ).toEqual(['true', 'true', 'true', 'true']);
});

test('TYP-04 Integer and Long are distinct for instanceof', () => {
  expect(
    a.run(`Object i = 1; System.debug(i instanceof Integer); System.debug(i instanceof Long); System.debug(i instanceof Decimal); System.debug(i instanceof Double);
      Object l = 1L; System.debug(l instanceof Long); System.debug(l instanceof Integer);`),
  ).toEqual(['true', 'false', 'false', 'false', 'true', 'false']);
});

test('TYP-05 collection instanceof: Lists covariant, Sets not, Maps by value', () => {
  expect(
    a.run(`Object l = new List<String>(); Object s = new Set<String>(); Object m = new Map<String, String>(); Object mi = new Map<String, Integer>();
      System.debug(l instanceof List<Object>); System.debug(s instanceof Set<Object>); System.debug(m instanceof Map<String, Object>);
      System.debug(m instanceof Map<Object, Object>); System.debug(mi instanceof Map<String, Object>);`),
  ).toEqual(['true', 'false', 'true', 'false', 'true']);
});

test('TYP-06 a covariant Map checks writes at run time', () => {
  expect(a.error(`Map<String, Object> m = new Map<String, String>(); m.put('k', 5);`)).toMatch(
    /^System\.TypeException: /,
  );
});

test('TYP-07 instanceof Id tests the text; an Id is instanceof String', () => {
  expect(
    a.run(`Object s = '001xa000003DIlo'; System.debug(s instanceof Id); Object t = 'john doe'; System.debug(t instanceof Id);
      Object i = Id.valueOf('001xa000003DIlo'); System.debug(i instanceof String);`),
  ).toEqual(['true', 'false', 'true']);
});

test('TYP-08 failing casts name the Apex types', () => {
  expect(a.error(`Integer i = (Integer) (Object) 'a';`)).toBe(
    'System.TypeException: Invalid conversion from runtime type String to Integer',
  );
  expect(a.error(`Integer i = (Integer) (Object) 1.5;`)).toBe(
    'System.TypeException: Invalid conversion from runtime type Decimal to Integer',
  );
});

test('TYP-09 Lists downcast by runtime type; Sets cannot be cast', () => {
  expect(
    a.show(
      `((List<Account>) objs).size()`,
      `List<SObject> objs = new List<Account>{new Account()};`,
    ),
  ).toBe('1');
  expect(
    a.error(`List<SObject> objs = new List<Contact>(); List<Account> x = (List<Account>) objs;`),
  ).toMatch(/^System\.TypeException: /);
  expect(() =>
    a.run(`Set<String> s = new Set<String>(); Set<Object> o = (Set<Object>) s;`),
  ).toThrow();
});

test('NUL-01 variables start as null', () => {
  expect(
    a.run(`Integer i; Boolean b; Date d; System.debug(i); System.debug(b); System.debug(d);`),
  ).toEqual(['null', 'null', 'null']);
});

test('NUL-02 de-referencing null throws NullPointerException', () => {
  expect(a.error(`String s; Boolean b = s.contains('a');`)).toBe(
    'System.NullPointerException: Attempt to de-reference a null object',
  );
});

test('NUL-03 a null Boolean condition throws; comparisons do not', () => {
  expect(a.error(`Boolean b; if (b) { }`)).toBe(
    'System.NullPointerException: Attempt to de-reference a null object',
  );
  expect(a.error(`Boolean b; Boolean c = !b;`)).toBe(
    'System.NullPointerException: Attempt to de-reference a null object',
  );
  expect(
    a.run(`Boolean b; System.debug(b == true); System.debug(b != true); System.debug(b != false);`),
  ).toEqual(['false', 'true', 'true']);
});

test('NUL-04 arithmetic with null throws NullPointerException', () => {
  expect(a.error(`Integer i; Integer j = i + 1;`)).toBe(
    'System.NullPointerException: Attempt to de-reference a null object',
  );
  expect(a.error(`Decimal d; Decimal j = 2.0 * d;`)).toBe(
    'System.NullPointerException: Attempt to de-reference a null object',
  );
});

test('NUL-05 relational operators with a null number or date are false', () => {
  expect(
    a.run(
      `Integer n; Date d; System.debug(n < 5); System.debug(5 < n); System.debug(n >= 5); System.debug(d > Date.today()); String s; System.debug('a' > s);`,
    ),
  ).toEqual(['false', 'false', 'false', 'false', 'true']);
});

test('NUL-06 == with null is safe', () => {
  expect(a.run(`Object n; System.debug(n == null); System.debug('a' == null);`)).toEqual([
    'true',
    'false',
  ]);
});

test('NUL-07 safe navigation stops the chain at null', () => {
  expect(
    a.run(
      `Account acc; System.debug(acc?.Name); List<Account> l = new List<Account>{null}; System.debug(l[0]?.Name?.length());`,
    ),
  ).toEqual(['null', 'null']);
});

test('NUL-08 null coalescing', () => {
  expect(a.run(`String n; System.debug(n ?? 'y'); System.debug('x' ?? 'y');`)).toEqual(['y', 'x']);
});

test('NUL-09 reading through a null relationship is null, writing throws', () => {
  expect(a.show(`c.Account.Name`, `Contact c = new Contact();`)).toBe('null');
  expect(a.error(`Contact c = new Contact(); c.Account.Name = 'x';`)).toBe(
    'System.NullPointerException: Attempt to de-reference a null object',
  );
});

test('NUL-10 Map.get of a missing key or null is null', () => {
  expect(
    a.run(
      `Map<String, Integer> m = new Map<String, Integer>{'a' => 1}; System.debug(m.get('b')); m.put(null, 2); System.debug(m.get(null));`,
    ),
  ).toEqual(['null', '2']);
});

test('NUL-11 List index out of range throws ListException with the index', () => {
  expect(a.error(`List<Integer> l = new List<Integer>{1}; Integer x = l[1];`)).toBe(
    'System.ListException: List index out of bounds: 1',
  );
  expect(a.error(`List<Integer> l = new List<Integer>{1}; Integer x = l.get(-1);`)).toBe(
    'System.ListException: List index out of bounds: -1',
  );
});

test('NUL-12 static String helpers are null-safe; instance methods are not', () => {
  expect(
    a.run(`String s; System.debug(String.isBlank(s)); Object o; System.debug(String.valueOf(o));`),
  ).toEqual(['true', 'null']);
  expect(a.error(`String s; Integer n = s.length();`)).toBe(
    'System.NullPointerException: Attempt to de-reference a null object',
  );
});

describe('overloads and casts by static type', () => {
  let o: Apex;
  beforeAll(async () => {
    o = await semanticsRuntime({
      Over: `public class Over {
        public static String f(Object o) { return 'Object'; }
        public static String f(String s) { return 'String'; }
        public static String n(Integer i) { return 'Integer'; }
        public static String n(Long l) { return 'Long'; }
        public static String n(Decimal d) { return 'Decimal'; }
        public static String w(Long l) { return 'Long'; }
        public static String w(Decimal d) { return 'Decimal'; }
        public static String r(String s) { return 'String'; }
        public static String r(Account a) { return 'Account'; }
        public static Object asObject(Object o) { return o; }
        public static Decimal price() { return 2.75; }
        public Decimal amount = 7.9;
        public Object anything = 7.9;
        public virtual class Base {
          public String m(Object o) { return 'Base.Object'; }
          public virtual String v(String s) { return 'Base.String'; }
        }
        public class Child extends Base {
          public String m(String s) { return 'Child.String'; }
          public override String v(String s) { return 'Child.String'; }
        }
        public virtual class P {
          public String how;
          public P(Object o) { how = 'P.Object'; }
          public P(String s) { how = 'P.String'; }
          public P() { this('text'); }
        }
        public class Q extends P {
          public Q(Object o) { super(o); }
        }
        public class Made {
          public String how;
          public Made(Object o) { how = 'Object'; }
          public Made(String s) { how = 'String'; }
        }
      }`,
    });
  });

  test('TYP-10 an Object-typed variable holding a String calls the Object overload', () => {
    expect(
      o.run(`Object held = 'text'; String s = 'text';
        System.debug(Over.f(held)); System.debug(Over.f(s)); System.debug(Over.f('lit'));
        System.debug(Over.f(Over.asObject('x'))); System.debug(Over.f((String) held));
        System.debug(new Over.Made(held).how); System.debug(new Over.Made(s).how);
        System.debug(new Over.Q('x').how); System.debug(new Over.P().how);`),
    ).toEqual([
      'Object',
      'String',
      'String',
      'Object',
      'String',
      'Object',
      'String',
      'P.Object',
      'P.String',
    ]);
  });

  test('TYP-10 Integer, Long and Decimal overloads follow the argument static type', () => {
    expect(
      o.run(`Integer i = 1; Long l = 1L; Decimal d = 1; Object held = 1;
        System.debug(Over.n(i)); System.debug(Over.n(l)); System.debug(Over.n(d));
        System.debug(Over.n(5)); System.debug(Over.n(5L)); System.debug(Over.n(1.5));
        System.debug(Over.n(i + l)); System.debug(Over.n(Over.price()));
        System.debug(Over.w(i)); System.debug(Over.w(2));`),
    ).toEqual([
      'Integer',
      'Long',
      'Decimal',
      'Integer',
      'Long',
      'Decimal',
      'Long',
      'Decimal',
      'Long',
      'Long',
    ]);
  });

  test('TYP-10 a null literal with two unrelated reference overloads is refused with file and line', () => {
    expect(() => o.run(`String ok = 'a';\nSystem.debug(Over.r(null));`)).toThrow(
      /semantics\.apex:2: not supported by the local runtime: ambiguous call Over\.r\(null\).*compile error in Apex/,
    );
    // A typed null picks its overload; null with Object and String overloads takes the String one.
    expect(o.run(`System.debug(Over.r((Account) null)); System.debug(Over.f(null));`)).toEqual([
      'Account',
      'String',
    ]);
  });

  test('TYP-10 inherited overloads are chosen on the receiver static type, then dispatched', () => {
    expect(
      o.run(`Over.Child c = new Over.Child(); Over.Base b = c; Object held = 'x';
        System.debug(c.m('x')); System.debug(c.m(held)); System.debug(b.m('x'));
        System.debug(b.v('x')); System.debug(c.v('x'));`),
    ).toEqual(['Child.String', 'Base.Object', 'Base.Object', 'Child.String', 'Child.String']);
  });

  test('TYP-10 an overloaded call whose argument type the runtime cannot tell is refused', () => {
    expect(() => o.run(`String ok = 'a';\nSystem.debug(Over.f(Crypto.getRandomLong()));`)).toThrow(
      /semantics\.apex:2: not supported by the local runtime: overloaded call Over\.f: the static type of argument 1 cannot be determined/,
    );
  });

  test('TYP-11 numeric casts convert from a numeric static type, check from Object', () => {
    expect(
      o.run(`Over ov = new Over(); List<Decimal> ds = new List<Decimal>{ 3.9 }; Map<String, Decimal> m = new Map<String, Decimal>{ 'k' => -2.5 };
        Boolean yes = true; Long big = 5000000000L; Double dbl = 9.99d;
        System.debug((Integer) Over.price()); System.debug((Integer) ov.amount); System.debug((Integer) ds[0]);
        System.debug((Integer) ds.get(0)); System.debug((Integer) m.get('k')); System.debug((Integer) (yes ? ds[0] : 1.2));
        System.debug((Integer) big); System.debug((Long) dbl); System.debug((Integer) (ov.amount * 2));`),
    ).toEqual(['2', '7', '3', '3', '-2', '3', '705032704', '9', '15']);
    expect(o.error(`Over ov = new Over(); Integer i = (Integer) ov.anything;`)).toBe(
      'System.TypeException: Invalid conversion from runtime type Decimal to Integer',
    );
    expect(o.error(`Integer i = (Integer) Over.asObject(2.5);`)).toBe(
      'System.TypeException: Invalid conversion from runtime type Decimal to Integer',
    );
    expect(o.error(`List<Object> xs = new List<Object>{ 1L }; Integer i = (Integer) xs[0];`)).toBe(
      'System.TypeException: Invalid conversion from runtime type Long to Integer',
    );
    // A number cast from an expression the runtime cannot type: refused, not guessed.
    expect(() => o.run(`Integer i = 0;\nInteger r = (Integer) Crypto.getRandomLong();`)).toThrow(
      /semantics\.apex:2: not supported by the local runtime: cast to Integer of an expression whose static type/,
    );
  });
});
