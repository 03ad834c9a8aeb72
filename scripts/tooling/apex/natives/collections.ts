// List, Set and Map (Apex Reference "List Class", "Set Class", "Map Class"). Elements are kept as
// given after assignment conversion to the element type (interop.coerce: Integer → Decimal in a
// List<Decimal>, TypeException for a wrong type, SEMANTICS.md TYP-06). A collection that a for-each
// loop is iterating (its `iterating` count, kept by the interpreter) cannot be modified (COL-11).
import { registerNative, type NativeContext, type NativeMethod } from './registry';
import { javaCompare } from './strings';
import { int, listException } from './support';
import {
  ApexDate,
  ApexDatetime,
  ApexError,
  ApexId,
  ApexList,
  ApexMap,
  ApexSet,
  ApexTime,
  EnumValue,
  OBJECT_TYPE,
  SObjectValue,
  UnsupportedError,
  compareNumbers,
  isInstance,
  isNumeric,
  keyOf,
  nullPointer,
  strictValueEquals,
  typeName,
  runtimeType,
  type TypeRef,
  type Value,
} from '../values';

const modifiedWhileIterating = () =>
  new ApexError('System.FinalException', 'Cannot modify a collection while it is being iterated.');

/** Map.keySet(): removing a key from the set removes the map's entry (SEMANTICS.md COL-13). */
class KeySetView extends ApexSet {
  constructor(private readonly map: ApexMap) {
    super(map.keyType);
  }
  override delete(value: Value): boolean {
    const removed = super.delete(value);
    if (removed) mutable(this.map).delete(value);
    return removed;
  }
}
function mutable<T extends ApexList | ApexSet | ApexMap>(c: T): T {
  if (c.iterating > 0) throw modifiedWhileIterating();
  return c;
}

/** Assignment conversion to an element type; Object takes anything as is. */
function fit(ctx: NativeContext, value: Value, type: TypeRef): Value {
  if (value === null || type.name === 'Object') return value;
  return ctx.interop.coerce(value, type);
}

const outOfBounds = (index: number) => listException(`List index out of bounds: ${index}`);

/** The items of a List or Set argument (Iterable), in order. */
function itemsOf(value: Value): Value[] {
  if (value === null || value === undefined) throw nullPointer();
  if (value instanceof ApexList) return value.items;
  if (value instanceof ApexSet) return value.values();
  throw new Error(`expected a List or Set, got ${typeName(runtimeType(value))}`);
}

function hashOf(value: Value): number {
  // A stable 32-bit hash of the collection's key text (Apex's own hash values are not modelled).
  const text = String(keyOf(value));
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

// ── sorting (COL-05 … COL-07) ───────────────────────────────────────────────────────────────

/** The natural order of two non-null elements, or undefined when they are not comparable. */
function naturalCompare(ctx: NativeContext, a: Value, b: Value): number | undefined {
  if (typeof a === 'string' && typeof b === 'string') return Math.sign(javaCompare(a, b));
  if (a instanceof ApexId && b instanceof ApexId) return Math.sign(javaCompare(a.value, b.value));
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof ApexDate && b instanceof ApexDate) return Math.sign(a.epochDay - b.epochDay);
  if (a instanceof ApexDatetime && b instanceof ApexDatetime) {
    return Math.sign(a.epochMillis - b.epochMillis);
  }
  if (a instanceof ApexTime && b instanceof ApexTime)
    return Math.sign(a.millisOfDay - b.millisOfDay);
  if (a instanceof EnumValue && b instanceof EnumValue && a.enumType === b.enumType) {
    return Math.sign(a.ordinal - b.ordinal);
  }
  if (a instanceof SObjectValue || b instanceof SObjectValue) return undefined;
  if (isInstance(a) && ctx.interop.isInstanceOf(a, { name: 'Comparable', args: [] })) {
    return int(ctx.interop.invoke(a, 'compareTo', [b]));
  }
  return undefined;
}

function sortList(ctx: NativeContext, list: ApexList, comparator: Value | undefined): void {
  const notComparable = () =>
    listException('One or more of the items in this list is not Comparable');
  if (list.items.some((v) => v instanceof SObjectValue)) {
    throw new UnsupportedError('sorting a List<SObject> (the default SObject order, COL-06)');
  }
  const compare = (a: Value, b: Value): number => {
    if (comparator !== undefined && comparator !== null) {
      return int(ctx.interop.invoke(comparator, 'compare', [a, b]));
    }
    // Nulls sort first.
    if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
    const c = naturalCompare(ctx, a, b);
    if (c === undefined) throw notComparable();
    return c;
  };
  const sorted = [...list.items].sort(compare); // Array.prototype.sort is stable, as Java's is
  list.items.splice(0, list.items.length, ...sorted);
}

// ── cloning ─────────────────────────────────────────────────────────────────────────────────

function copySObject(record: SObjectValue, preserveId: boolean): SObjectValue {
  const copy = new SObjectValue(record.sobjectType);
  for (const [, [name, value]] of record.fields) {
    if (!preserveId && name.toLowerCase() === 'id') continue;
    copy.set(name, value instanceof SObjectValue ? copySObject(value, preserveId) : value);
  }
  return copy;
}

// ── List ────────────────────────────────────────────────────────────────────────────────────

const onList =
  (fn: (list: ApexList, args: Value[], ctx: NativeContext) => Value): NativeMethod =>
  (ctx, self, args) => {
    if (!(self instanceof ApexList)) throw nullPointer();
    return fn(self, args, ctx);
  };

function checkIndex(list: ApexList, index: number, inclusiveEnd = false): number {
  if (index < 0 || index > list.items.length || (!inclusiveEnd && index === list.items.length)) {
    throw outOfBounds(index);
  }
  return index;
}

registerNative({
  name: 'List',
  aliases: ['System.List'],
  construct: (ctx, args, type) => {
    const elementType = type.args[0] ?? OBJECT_TYPE;
    const list = new ApexList(elementType);
    // new List<T>(listOrSet) copies; new List<T>(n) is not Apex (arrays use new T[n]).
    if (args.length === 1)
      list.items.push(...itemsOf(args[0]).map((v) => fit(ctx, v, elementType)));
    return list;
  },
  methods: {
    add: onList((list, args, ctx) => {
      mutable(list);
      if (args.length === 2) {
        const index = checkIndex(list, int(args[0]), true);
        list.items.splice(index, 0, fit(ctx, args[1], list.elementType));
      } else {
        list.items.push(fit(ctx, args[0], list.elementType));
      }
      return null;
    }),
    addall: onList((list, [other], ctx) => {
      const items = itemsOf(other).map((v) => fit(ctx, v, list.elementType));
      mutable(list).items.push(...items);
      return null;
    }),
    clear: onList((list) => {
      mutable(list).items.length = 0;
      return null;
    }),
    clone: onList((list) => new ApexList(list.elementType, [...list.items])), // COL-10
    deepclone: onList((list, [preserveId]) => {
      const keepId = preserveId === true;
      return new ApexList(
        list.elementType,
        list.items.map((v) => {
          if (v === null) return null;
          if (!(v instanceof SObjectValue)) {
            throw listException('deepClone only works on a List of SObjects');
          }
          return copySObject(v, keepId);
        }),
      );
    }),
    contains: onList((list, [v]) => list.items.some((x) => strictValueEquals(x, v))),
    indexof: onList((list, [v]) => list.items.findIndex((x) => strictValueEquals(x, v))),
    equals: onList((list, [other]) => other instanceof ApexList && strictValueEquals(list, other)),
    hashcode: onList((list) => hashOf(list)),
    get: onList((list, [i]) => list.items[checkIndex(list, int(i))]), // NUL-11
    set: onList((list, [i, v], ctx) => {
      list.items[checkIndex(list, int(i))] = fit(ctx, v, list.elementType);
      return null;
    }),
    remove: onList((list, [i]) => {
      const index = checkIndex(list, int(i));
      return mutable(list).items.splice(index, 1)[0]; // COL-09
    }),
    isempty: onList((list) => list.items.length === 0),
    size: onList((list) => list.items.length),
    sort: onList((list, [comparator], ctx) => {
      sortList(ctx, mutable(list), comparator);
      return null;
    }),
    getsobjecttype: () => {
      throw new UnsupportedError('List.getSObjectType');
    },
  },
});

// ── Set ─────────────────────────────────────────────────────────────────────────────────────

const onSet =
  (fn: (set: ApexSet, args: Value[], ctx: NativeContext) => Value): NativeMethod =>
  (ctx, self, args) => {
    if (!(self instanceof ApexSet)) throw nullPointer();
    return fn(self, args, ctx);
  };

function copySet(set: ApexSet): ApexSet {
  const copy = new ApexSet(set.elementType);
  for (const v of set.values()) copy.add(v);
  return copy;
}

registerNative({
  name: 'Set',
  aliases: ['System.Set'],
  construct: (ctx, args, type) => {
    const set = new ApexSet(type.args[0] ?? OBJECT_TYPE);
    if (args.length === 1) for (const v of itemsOf(args[0])) set.add(fit(ctx, v, set.elementType));
    return set;
  },
  methods: {
    add: onSet((set, [v], ctx) => mutable(set).add(fit(ctx, v, set.elementType))),
    addall: onSet((set, [other], ctx) => {
      let changed = false;
      for (const v of itemsOf(other))
        changed = mutable(set).add(fit(ctx, v, set.elementType)) || changed;
      return changed;
    }),
    clear: onSet((set) => {
      mutable(set).entries.clear();
      return null;
    }),
    clone: onSet((set) => copySet(set)),
    contains: onSet((set, [v]) => set.has(v)),
    containsall: onSet((set, [other]) => itemsOf(other).every((v) => set.has(v))),
    equals: onSet((set, [other]) => other instanceof ApexSet && strictValueEquals(set, other)),
    hashcode: onSet((set) => hashOf(set)),
    isempty: onSet((set) => set.size === 0),
    remove: onSet((set, [v]) => mutable(set).delete(v)),
    removeall: onSet((set, [other]) => {
      let changed = false;
      for (const v of itemsOf(other)) changed = mutable(set).delete(v) || changed;
      return changed;
    }),
    retainall: onSet((set, [other]) => {
      const keep = new Set(itemsOf(other).map(keyOf));
      let changed = false;
      for (const v of set.values()) {
        if (!keep.has(keyOf(v))) changed = mutable(set).delete(v) || changed;
      }
      return changed;
    }),
    size: onSet((set) => set.size),
  },
});

// ── Map ─────────────────────────────────────────────────────────────────────────────────────

const onMap =
  (fn: (map: ApexMap, args: Value[], ctx: NativeContext) => Value): NativeMethod =>
  (ctx, self, args) => {
    if (!(self instanceof ApexMap)) throw nullPointer();
    return fn(self, args, ctx);
  };

/** Map.putAll(List<SObject>) and new Map<Id, T>(records): each record under its Id. */
function putRecords(ctx: NativeContext, map: ApexMap, records: ApexList): void {
  for (const record of records.items) {
    if (!(record instanceof SObjectValue)) throw nullPointer();
    const id = record.get('Id');
    if (id === null) {
      throw listException('Row with null Id at index: ' + records.items.indexOf(record));
    }
    map.put(fit(ctx, id, map.keyType), fit(ctx, record, map.valueType));
  }
}

function putAll(ctx: NativeContext, map: ApexMap, source: Value): void {
  if (source instanceof ApexMap) {
    for (const [k, v] of source.entries.values()) {
      map.put(fit(ctx, k, map.keyType), fit(ctx, v, map.valueType));
    }
  } else if (source instanceof ApexList) {
    putRecords(ctx, map, source);
  } else {
    throw nullPointer();
  }
}

registerNative({
  name: 'Map',
  aliases: ['System.Map'],
  construct: (ctx, args, type) => {
    const map = new ApexMap(type.args[0] ?? OBJECT_TYPE, type.args[1] ?? OBJECT_TYPE);
    if (args.length === 1) putAll(ctx, map, args[0]);
    return map;
  },
  methods: {
    clear: onMap((map) => {
      mutable(map).entries.clear();
      return null;
    }),
    clone: onMap((map) => {
      const copy = new ApexMap(map.keyType, map.valueType);
      for (const [k, v] of map.entries.values()) copy.put(k, v);
      return copy;
    }),
    containskey: onMap((map, [k]) => map.has(k)), // COL-01: String keys are case-sensitive
    equals: onMap((map, [other]) => other instanceof ApexMap && strictValueEquals(map, other)),
    get: onMap((map, [k]) => map.get(k)), // NUL-10
    hashcode: onMap((map) => hashOf(map)),
    isempty: onMap((map) => map.size === 0),
    // A copy of the keys that removes map entries when keys are removed from it (COL-13); keys
    // added to the map later do not show up in it.
    keyset: onMap((map) => {
      const keys = new KeySetView(map);
      for (const k of map.keys()) keys.add(k);
      return keys;
    }),
    put: onMap((map, [k, v], ctx) =>
      mutable(map).put(fit(ctx, k, map.keyType), fit(ctx, v, map.valueType)),
    ),
    putall: onMap((map, [source], ctx) => {
      putAll(ctx, mutable(map), source);
      return null;
    }),
    remove: onMap((map, [k]) => mutable(map).delete(k)),
    size: onMap((map) => map.size),
    values: onMap((map) => new ApexList(map.valueType, map.values())), // COL-13: a new List
  },
});

export { sortList, naturalCompare };
