// A small NativeContext for calling natives directly in tests: an Interop stub that knows a few
// user classes (fields, blank instances, Comparable/Comparator methods written in JavaScript) and
// SObject types with typed fields, and services the tests can set (locale, time zone, clock).
import { Governor } from '../governor';
import type { Interop, NativeContext, Services } from '../natives/registry';
import {
  ApexDecimal,
  ApexError,
  ApexId,
  SObjectValue,
  normalizeId,
  runtimeType,
  typeName,
  typeRef,
  type ApexInstance,
  type TypeRef,
  type Value,
} from '../values';

/** An instance of a fake user class. */
export class FakeObject implements ApexInstance {
  readonly fields = new Map<string, Value>();
  constructor(readonly apexType: TypeRef) {}
}

export interface FakeClass {
  fields: { name: string; type: TypeRef }[];
  /** Instance methods in JavaScript (compareTo, compare, …), keyed by lower-case name. */
  methods?: Record<string, (self: FakeObject, args: Value[]) => Value>;
  interfaces?: string[];
}

export interface FakeOptions {
  classes?: Record<string, FakeClass>;
  /** SObject types with their fields' Apex types. */
  sobjects?: Record<string, { name: string; type: TypeRef }[]>;
  services?: Services;
}

function coerce(value: Value, type: TypeRef): Value {
  if (value === null || type.name === 'Object') return value;
  const actual = runtimeType(value);
  if (actual.name === type.name) return value;
  if (type.name === 'Decimal' && (typeof value === 'number' || typeof value === 'bigint')) {
    return ApexDecimal.fromInteger(value);
  }
  if (type.name === 'Long' && typeof value === 'number') return BigInt(value);
  if (type.name === 'Id' && typeof value === 'string' && normalizeId(value))
    return new ApexId(value);
  if (type.name === 'String' && value instanceof ApexId) return value.value;
  if (value instanceof SObjectValue && type.name === 'SObject') return value;
  if (['List', 'Set', 'Map'].includes(type.name) && actual.name === type.name) return value;
  throw new ApexError(
    'System.TypeException',
    `Invalid conversion from runtime type ${typeName(actual)} to ${typeName(type)}`,
  );
}

export function fakeContext(options: FakeOptions = {}): NativeContext {
  const classes = new Map(
    Object.entries(options.classes ?? {}).map(([k, v]) => [k.toLowerCase(), { name: k, ...v }]),
  );
  const sobjects = new Map(
    Object.entries(options.sobjects ?? {}).map(([k, v]) => [
      k.toLowerCase(),
      { name: k, fields: v },
    ]),
  );
  const interop: Interop = {
    newInstance: (type) => {
      if (sobjects.has(type.name.toLowerCase())) return new SObjectValue(type.name);
      return new FakeObject(type);
    },
    invoke: (target, method, args) => {
      const obj = target as FakeObject;
      const fn = classes.get(obj.apexType.name.toLowerCase())?.methods?.[method.toLowerCase()];
      if (!fn) throw new Error(`no method ${method}`);
      return fn(obj, args);
    },
    invokeStatic: () => {
      throw new Error('not in the fake');
    },
    isInstanceOf: (value, type) => {
      if (value instanceof SObjectValue) {
        if (type.name === 'SObject') return true;
        const known = sobjects.has(type.name.toLowerCase());
        return known && value.sobjectType.toLowerCase() === type.name.toLowerCase();
      }
      if (value instanceof FakeObject) {
        const cls = classes.get(value.apexType.name.toLowerCase());
        return value.apexType.name === type.name || (cls?.interfaces ?? []).includes(type.name);
      }
      return runtimeType(value).name === type.name;
    },
    coerce,
    resolveType: (name) => {
      if (classes.has(name.toLowerCase())) return typeRef(classes.get(name.toLowerCase())!.name);
      if (sobjects.has(name.toLowerCase())) return typeRef(sobjects.get(name.toLowerCase())!.name);
      return null;
    },
    describeClass: (type) => {
      const cls = classes.get(type.name.toLowerCase());
      if (cls) return { fields: cls.fields };
      const sobject = sobjects.get(type.name.toLowerCase());
      return sobject ? { fields: sobject.fields } : null;
    },
    newBlank: (type) => new FakeObject(type),
    getField: (target, name) => (target as FakeObject).fields.get(name) ?? null,
    setField: (target, name, value) => {
      (target as FakeObject).fields.set(name, value);
    },
    readVariable: () => {
      throw new Error('not in the fake');
    },
    location: () => 'Fake.cls:1',
  };
  return { interop, governor: new Governor('test'), services: { ...options.services } };
}
