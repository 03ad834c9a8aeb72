import { FakeObject, fakeContext } from './fakeContext';
import { apexErrorOf, call } from './nativeCalls';
import { findNative } from '../natives/registry';
import {
  ApexDecimal,
  ApexList,
  ApexMap,
  ApexSet,
  INTEGER_TYPE,
  OBJECT_TYPE,
  SObjectValue,
  STRING_TYPE,
  typeRef,
  type Value,
} from '../values';

const strings = (...items: string[]) => new ApexList(STRING_TYPE, items);

describe('List', () => {
  test('COL-05 sort() orders Strings by code unit (case-sensitive)', () => {
    const list = strings('b', 'a', 'B', 'Yellow');
    call('List', 'sort', list);
    expect(list.items).toEqual(['B', 'Yellow', 'a', 'b']);
  });
  test('COL-07 sort() uses Comparable.compareTo of user objects', () => {
    const ctx = fakeContext({
      classes: {
        Keyed: {
          fields: [{ name: 'key', type: INTEGER_TYPE }],
          interfaces: ['Comparable'],
          methods: {
            compareto: (self, [other]) =>
              (self.fields.get('key') as number) -
              ((other as FakeObject).fields.get('key') as number),
          },
        },
      },
    });
    const make = (key: number) => {
      const o = new FakeObject(typeRef('Keyed'));
      o.fields.set('key', key);
      return o;
    };
    const list = new ApexList(typeRef('Keyed'), [make(3), make(1), make(2)]);
    call('List', 'sort', list, [], ctx);
    expect(list.items.map((o) => (o as FakeObject).fields.get('key'))).toEqual([1, 2, 3]);
  });
  test('COL-07 sorting objects that are not Comparable fails', () => {
    const list = new ApexList(OBJECT_TYPE, [
      new FakeObject(typeRef('Plain')),
      new FakeObject(typeRef('Plain')),
    ]);
    expect(apexErrorOf(() => call('List', 'sort', list))).toBe(
      'System.ListException: One or more of the items in this list is not Comparable',
    );
  });
  test('NUL-11 get out of range throws ListException with the index', () => {
    expect(apexErrorOf(() => call('List', 'get', strings('a'), [1]))).toBe(
      'System.ListException: List index out of bounds: 1',
    );
    expect(apexErrorOf(() => call('List', 'get', strings('a'), [-1]))).toBe(
      'System.ListException: List index out of bounds: -1',
    );
  });
  test('COL-09 add(i, x) inserts, remove(i) returns the element', () => {
    const list = strings('a', 'c');
    call('List', 'add', list, [1, 'b']);
    expect(list.items).toEqual(['a', 'b', 'c']);
    expect(call('List', 'remove', list, [0])).toBe('a');
    expect(list.items).toEqual(['b', 'c']);
  });
  test('COL-11 modifying a list while it is iterated throws FinalException', () => {
    const list = strings('a');
    list.iterating = 1;
    expect(apexErrorOf(() => call('List', 'add', list, ['b']))).toBe(
      'System.FinalException: Cannot modify a collection while it is being iterated.',
    );
  });
  test('COL-10 clone is shallow', () => {
    const record = new SObjectValue('Account');
    const list = new ApexList(typeRef('Account'), [record]);
    const copy = call('List', 'clone', list) as ApexList;
    expect(copy).not.toBe(list);
    expect(copy.items[0]).toBe(record);
  });
  test('STR-36 contains is case-sensitive', () => {
    expect(call('List', 'contains', strings('a'), ['A'])).toBe(false);
    expect(call('List', 'contains', strings('a'), ['a'])).toBe(true);
  });
  test('TYP-06 add converts to the element type or throws TypeException', () => {
    const decimals = new ApexList(typeRef('Decimal'));
    call('List', 'add', decimals, [1]);
    expect(decimals.items[0]).toBeInstanceOf(ApexDecimal);
    expect(apexErrorOf(() => call('List', 'add', strings(), [5]))).toBe(
      'System.TypeException: Invalid conversion from runtime type Integer to String',
    );
  });
  test('new List<T>(set) copies in order', () => {
    const set = new ApexSet(STRING_TYPE);
    set.add('x');
    set.add('y');
    const list = findNative('List')!.construct!(
      fakeContext(),
      [set],
      typeRef('List', STRING_TYPE),
    ) as ApexList;
    expect(list.items).toEqual(['x', 'y']);
  });
});

describe('Set and Map', () => {
  test('COL-01 Set and Map String keys are case-sensitive', () => {
    const set = new ApexSet(STRING_TYPE);
    call('Set', 'add', set, ['a']);
    expect(call('Set', 'contains', set, ['A'])).toBe(false);
    const map = new ApexMap(STRING_TYPE, INTEGER_TYPE);
    call('Map', 'put', map, ['A', 1]);
    expect(call('Map', 'get', map, ['a'])).toBeNull();
    expect(call('Map', 'containsKey', map, ['A'])).toBe(true);
  });
  test('COL-09 Set.remove returns Boolean; Map.remove returns the value', () => {
    const set = new ApexSet(STRING_TYPE);
    set.add('a');
    expect(call('Set', 'remove', set, ['a'])).toBe(true);
    expect(call('Set', 'remove', set, ['a'])).toBe(false);
    const map = new ApexMap(STRING_TYPE, INTEGER_TYPE);
    map.put('k', 7);
    expect(call('Map', 'remove', map, ['k'])).toBe(7);
  });
  test('COL-02 keySet and values keep insertion order; put returns the old value', () => {
    const map = new ApexMap(STRING_TYPE, INTEGER_TYPE);
    for (const k of ['z', 'a', 'm']) call('Map', 'put', map, [k, 1]);
    expect(call('Map', 'put', map, ['a', 2])).toBe(1);
    expect((call('Map', 'keySet', map) as ApexSet).values()).toEqual(['z', 'a', 'm']);
    expect((call('Map', 'values', map) as ApexList).items).toEqual([1, 2, 1]);
  });
  test('containsAll and equals on Sets', () => {
    const a = new ApexSet(STRING_TYPE);
    const b = new ApexSet(STRING_TYPE);
    for (const v of ['x', 'y']) a.add(v);
    for (const v of ['y', 'x']) b.add(v);
    expect(call('Set', 'containsAll', a, [strings('x')])).toBe(true);
    expect(call('Set', 'containsAll', a, [strings('x', 'q')])).toBe(false);
    expect(call('Set', 'equals', a, [b as Value])).toBe(true);
  });
  test('new Map<Id, SObject>(records) keys records by Id', () => {
    const record = new SObjectValue('Account');
    record.set('Id', '001000000000001AAA');
    const map = findNative('Map')!.construct!(
      fakeContext(),
      [new ApexList(typeRef('Account'), [record])],
      typeRef('Map', STRING_TYPE, typeRef('Account')),
    ) as ApexMap;
    expect(map.get('001000000000001AAA')).toBe(record);
  });
});
