// SEMANTICS.md §5–6 Collections (COL) and JSON (JSN): one test per row, Apex run through the
// runtime.
import { semanticsRuntime, type Apex } from './semanticsHelpers';

let a: Apex;
beforeAll(async () => {
  a = await semanticsRuntime({
    Rank: `public class Rank implements Comparable {
      public Integer n;
      public Rank(Integer n) { this.n = n; }
      public Integer compareTo(Object o) { return n - ((Rank) o).n; }
    }`,
    ByLength: `public class ByLength implements Comparator<String> {
      public Integer compare(String x, String y) { return x.length() - y.length(); }
    }`,
    Plain: 'public class Plain { }',
    Shape: `public class Shape {
      public String name;
      public Integer sides;
      public static Integer count = 0;
      public transient String note = 'n';
    }`,
  });
});

test('COL-01 Set and Map String keys are case-sensitive; describe maps are not', () => {
  expect(
    a.run(`System.debug(new Set<String>{'a'}.contains('A')); Map<String, Integer> m = new Map<String, Integer>(); m.put('A', 1); System.debug(m.get('a'));
      System.debug(Schema.getGlobalDescribe().containsKey('ACCOUNT')); System.debug(Schema.SObjectType.Account.fields.getMap().containsKey('NAME'));
      System.debug(Schema.getGlobalDescribe().keySet().contains('ACCOUNT'));`),
  ).toEqual(['false', 'null', 'true', 'true', 'false']);
});

test('COL-02 Map and Set iterate in insertion order; re-put keeps the position', () => {
  expect(
    a.run(`Map<String, Integer> m = new Map<String, Integer>{'z' => 1, 'a' => 2, 'm' => 3}; m.put('z', 9);
      System.debug(new List<String>(m.keySet())); System.debug(m.values()); Set<Integer> s = new Set<Integer>{3, 1, 2}; System.debug(new List<Integer>(s));`),
  ).toEqual(['(z, a, m)', '(9, 2, 3)', '(3, 1, 2)']);
});

test('COL-03 List == is pairwise and scale-sensitive for Decimals', () => {
  expect(
    a.run(`System.debug(new List<Integer>{1, 2} == new List<Integer>{1, 2}); System.debug(new List<Integer>{1, 2} == new List<Integer>{2, 1});
      System.debug(new List<Decimal>{1000.00} == new List<Decimal>{1000.0000000}); System.debug(1000.00 == 1000.0000000);`),
  ).toEqual(['true', 'false', 'false', 'true']);
});

test('COL-04 Set == ignores order; Map == compares pairs', () => {
  expect(
    a.run(`System.debug(new Set<Integer>{1, 2} == new Set<Integer>{2, 1}); System.debug(new Map<String, Integer>{'a' => 1} == new Map<String, Integer>{'a' => 1});
      System.debug(new Map<String, Integer>{'a' => 1} == new Map<String, Integer>{'a' => 2});`),
  ).toEqual(['true', 'true', 'false']);
});

test('COL-05 List<String>.sort() is case-sensitive code-unit order', () => {
  expect(
    a.run(`List<String> l = new List<String>{'Yellow', 'Red', 'Green'}; l.sort(); System.debug(l);
      List<String> c = new List<String>{'a', 'B'}; c.sort(); System.debug(c);`),
  ).toEqual(['(Green, Red, Yellow)', '(B, a)']);
});

test('COL-06 (not modelled) List<SObject>.sort() fails loudly', () => {
  // The default sObject order (label, Name, standard then custom fields) is not modelled.
  expect(() =>
    a.run(
      `List<Account> l = new List<Account>{new Account(Name = 'b'), new Account(Name = 'a')}; l.sort();`,
    ),
  ).toThrow(/not supported by the local runtime: sorting a List<SObject>/);
});

test('COL-07 Comparable and Comparator sorting; a non-Comparable class fails', () => {
  expect(
    a.run(`List<Rank> r = new List<Rank>{new Rank(3), new Rank(1), new Rank(2)}; r.sort(); System.debug(r[0].n + ',' + r[1].n + ',' + r[2].n);
      List<String> s = new List<String>{'ccc', 'a', 'bb'}; s.sort(new ByLength()); System.debug(s);`),
  ).toEqual(['1,2,3', '(a, bb, ccc)']);
  expect(a.error(`List<Plain> p = new List<Plain>{new Plain(), new Plain()}; p.sort();`)).toMatch(
    /^System\.\w+Exception: /,
  );
});

test('COL-08 Decimals differing in scale are different Set elements and Map keys', () => {
  expect(
    a.run(
      `Set<Decimal> s = new Set<Decimal>{1.1, 1.10}; System.debug(s.size()); Map<Decimal, String> m = new Map<Decimal, String>{1.1 => 'a'}; System.debug(m.get(1.10));`,
    ),
  ).toEqual(['2', 'null']);
});

test('COL-09 add(i, x), remove(i), set/map remove; out-of-range index', () => {
  expect(
    a.run(`List<String> l = new List<String>{'a', 'c'}; l.add(1, 'b'); System.debug(l); System.debug(l.remove(0)); System.debug(l);
      Set<String> s = new Set<String>{'x'}; System.debug(s.remove('x')); System.debug(s.remove('x'));
      Map<String, Integer> m = new Map<String, Integer>{'k' => 7}; System.debug(m.remove('k'));`),
  ).toEqual(['(a, b, c)', 'a', '(b, c)', 'true', 'false', '7']);
  expect(a.error(`List<String> l = new List<String>{'a'}; l.add(3, 'x');`)).toBe(
    'System.ListException: List index out of bounds: 3',
  );
  expect(a.error(`List<String> l = new List<String>{'a'}; l.remove(2);`)).toBe(
    'System.ListException: List index out of bounds: 2',
  );
});

test('COL-10 clone is shallow, deepClone copies records', () => {
  expect(
    a.run(`List<Account> l = new List<Account>{new Account(Name = 'a')}; List<Account> c = l.clone(); c[0].Name = 'b'; System.debug(l[0].Name);
      List<Account> d = l.deepClone(); d[0].Name = 'z'; System.debug(l[0].Name); c.add(new Account()); System.debug(l.size());`),
  ).toEqual(['b', 'b', '1']);
});

test('COL-11 modifying a List or Set inside for-each throws FinalException', () => {
  expect(
    a.error(`List<Integer> l = new List<Integer>{1, 2}; for (Integer i : l) { l.add(3); }`),
  ).toBe('System.FinalException: Cannot modify a collection while it is being iterated.');
  expect(
    a.error(`Set<Integer> s = new Set<Integer>{1, 2}; for (Integer i : s) { s.remove(i); }`),
  ).toBe('System.FinalException: Cannot modify a collection while it is being iterated.');
});

test('COL-12 String[] is List<String>; List<Object> casts by runtime type', () => {
  expect(
    a.run(`String[] arr = new String[]{'a'}; List<String> l = arr; System.debug(arr[0] + arr.size()); List<Object> objs = new List<Object>{new List<String>{'x'}};
      System.debug(((List<String>) objs[0])[0]);`),
  ).toEqual(['a1', 'x']);
  expect(a.error(`List<String> s = (List<String>) JSON.deserializeUntyped('["a"]');`)).toMatch(
    // The runtime names the untyped list List<Object> (an org says List<ANY>).
    /^System\.TypeException: Invalid conversion from runtime type List<Object> to List<String>/,
  );
});

test('COL-13 values() is a copy; keySet() removal removes the entry', () => {
  expect(
    a.run(`Map<String, Integer> m = new Map<String, Integer>{'a' => 1, 'b' => 2}; List<Integer> v = m.values(); v.add(3); System.debug(m.size());
      m.keySet().remove('a'); System.debug(m);`),
  ).toEqual(['2', '{b=2}']);
});

test('JSN-01 deserializeUntyped number typing', () => {
  expect(
    a.run(`Map<String, Object> m = (Map<String, Object>) JSON.deserializeUntyped('{"z":1,"a":3000000000,"f":1.50,"e":1e5,"s":"x","b":true,"n":null,"l":[1]}');
      System.debug(new List<String>(m.keySet())); System.debug(m.get('z') instanceof Integer); System.debug(m.get('a') instanceof Long);
      System.debug(m.get('f')); System.debug(m.get('f') instanceof Decimal); System.debug(m.get('e') instanceof Decimal); System.debug(m.get('b') instanceof Boolean);
      System.debug(m.get('l') instanceof List<Object>);`),
  ).toEqual(['(z, a, f, e, s, b, n, l)', 'true', 'true', '1.50', 'true', 'true', 'true', 'true']);
});

test('JSN-02 serialize numbers: Decimal scale kept, Double Java text', () => {
  expect(
    a.run(
      `System.debug(JSON.serialize(new List<Object>{1, 2L, 1.10, 2.00, Double.valueOf('1e10')}));`,
    ),
  ).toEqual(['[1,2,1.10,2.00,1.0E10]']);
});

test('JSN-03 Date, Datetime and Time JSON forms', () => {
  expect(
    a.run(`System.debug(JSON.serialize(Date.newInstance(2024, 1, 5))); System.debug(JSON.serialize(Datetime.newInstanceGmt(2024, 1, 5, 10, 0, 0)));
      System.debug(JSON.serialize(Time.newInstance(10, 0, 0, 0)));`),
  ).toEqual(['"2024-01-05"', '"2024-01-05T10:00:00.000Z"', '"10:00:00.000Z"']);
});

test('JSN-04 class instances: declaration order, nulls unless suppressed, no static/transient', () => {
  expect(
    a.run(
      `Shape s = new Shape(); s.sides = 3; System.debug(JSON.serialize(s)); System.debug(JSON.serialize(s, true));`,
    ),
  ).toEqual(['{"name":null,"sides":3}', '{"sides":3}']);
});

test('JSN-05 SObjects: attributes first, then populated fields only', () => {
  expect(
    a.run(`System.debug(JSON.serialize(new Account(Name = 'Acme')));
      Account acc = new Account(Name = 'Acme'); insert acc; String j = JSON.serialize(acc); System.debug(j.startsWith('{"attributes":{"type":"Account","url":"/services/data/v'));
      System.debug(j.contains('/sobjects/Account/' + acc.Id + '"}'));`),
  ).toEqual(['{"attributes":{"type":"Account"},"Name":"Acme"}', 'true', 'true']);
});

test('JSN-06 Maps serialize as objects, Lists and Sets as arrays', () => {
  expect(
    a.run(
      `System.debug(JSON.serialize(new Map<String, Object>{'b' => 1, 'a' => new Set<String>{'x'}})); System.debug(JSON.serialize(new Map<Integer, String>{1 => 'a'}));`,
    ),
  ).toEqual(['{"b":1,"a":["x"]}', '{"1":"a"}']);
});

test('JSN-07 serializePretty: 2-space indent and " : "', () => {
  expect(
    a.run(
      `System.debug(JSON.serializePretty(new Map<String, Object>{'a' => 1, 'b' => new List<Integer>{2}}));`,
    ),
  ).toEqual(['{\n  "a" : 1,\n  "b" : [ 2 ]\n}']);
});

test('JSN-08 deserialize ignores extra attributes; deserializeStrict throws', () => {
  expect(
    a.run(
      `Shape s = (Shape) JSON.deserialize('{"name":"tri","extra":1}', Shape.class); System.debug(s.name); System.debug(s.sides);`,
    ),
  ).toEqual(['tri', 'null']);
  expect(
    a.error(`Object s = JSON.deserializeStrict('{"name":"tri","extra":1}', Shape.class);`),
  ).toMatch(/^System\.JSONException: /);
});

test('JSN-09 deserialize into types; mismatch throws JSONException', () => {
  expect(
    a.run(
      `System.debug((Decimal) JSON.deserialize('100.1', Decimal.class)); System.debug(((Datetime) JSON.deserialize('"2024-01-05T10:00:00.000Z"', Datetime.class)).getTime());`,
    ),
  ).toEqual(['100.1', '1704448800000']);
  expect(a.error(`Object s = JSON.deserialize('{"sides":"abc"}', Shape.class);`)).toMatch(
    /^System\.JSONException: /,
  );
  expect(a.error(`Object s = JSON.deserialize('{"a":1}', List<Integer>.class);`)).toMatch(
    /^System\.JSONException: /,
  );
});

test('JSN-10 malformed JSON throws JSONException', () => {
  expect(a.error(`Object o = JSON.deserializeUntyped('{x');`)).toMatch(
    /^System\.JSONException: Unexpected character/,
  );
});

test('JSN-11 JSONParser tokens and values', () => {
  expect(
    a.run(`JSONParser p = JSON.createParser('{"a":5,"b":[1.5]}'); System.debug(p.getCurrentToken()); System.debug(p.nextToken());
      System.debug(p.nextToken()); System.debug(p.getText()); System.debug(p.nextToken()); System.debug(p.getIntegerValue());
      p.nextToken(); p.nextToken(); p.skipChildren(); System.debug(p.getCurrentToken()); System.debug(p.nextToken()); System.debug(p.nextToken());`),
  ).toEqual([
    'null',
    'START_OBJECT',
    'FIELD_NAME',
    'a',
    'VALUE_NUMBER_INT',
    '5',
    'END_ARRAY',
    'END_OBJECT',
    'null',
  ]);
});

test('JSN-12 JSON problems raise System.JSONException', () => {
  expect(a.error(`Object o = JSON.deserialize('[1', List<Integer>.class);`)).toMatch(
    /^System\.JSONException: /,
  );
  expect(
    a.run(
      `try { JSON.deserializeUntyped('nope'); } catch (JSONException e) { System.debug('caught'); }`,
    ),
  ).toEqual(['caught']);
});
