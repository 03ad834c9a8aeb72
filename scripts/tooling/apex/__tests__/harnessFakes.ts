// Fakes for the harness tests: a runtime with transactions and a governor per transaction, an
// interop that calls JavaScript methods on fake Apex objects, and a tiny org with snapshots.
import { Governor, type TransactionKind } from '../governor';
import { findNative, type Interop, type NativeContext, type Services } from '../natives/registry';
import {
  ApexError,
  SObjectValue,
  typeRef,
  type ApexInstance,
  type TypeRef,
  type Value,
} from '../values';
import { installHarness, type Harness } from '../harness/install';

/** A fake instance of a user class: its methods are JavaScript functions. */
export class FakeObject implements ApexInstance {
  /** The last class shape made under each name, for the interop's newBlank. */
  static readonly shapes = new Map<string, FakeObject>();
  readonly apexType: TypeRef;
  readonly fields = new Map<string, Value>();
  constructor(
    name: string,
    readonly interfaces: string[],
    readonly impl: Record<string, (...args: Value[]) => Value | void> = {},
  ) {
    this.apexType = typeRef(name);
    FakeObject.shapes.set(name, this);
  }
}

/** An Apex exception made by `new T(message)` through the interop. */
export class FakeException implements ApexInstance {
  readonly apexType: TypeRef;
  constructor(
    name: string,
    readonly message: string,
  ) {
    this.apexType = typeRef(name);
  }
}

export class FakeOrg {
  rows: string[] = [];
  snapshot(): unknown {
    return [...this.rows];
  }
  restore(state: unknown): void {
    this.rows = [...(state as string[])];
  }
}

export class FakeRuntime {
  readonly services: Services = {};
  governor = new Governor('synchronous');
  readonly kinds: TransactionKind[] = [];
  readonly org = new FakeOrg();
  harness: Harness;

  readonly interop: Interop = {
    newInstance: (type: TypeRef, args: Value[]) => new FakeException(type.name, String(args[0])),
    invoke: (target: Value, method: string, args: Value[]) => {
      const fn = (target as FakeObject).impl[method];
      if (!fn) throw new Error(`no method ${method}`);
      return (fn(...args) ?? null) as Value;
    },
    invokeStatic: () => null,
    isInstanceOf: (value: Value, type: TypeRef) =>
      value instanceof FakeObject &&
      value.interfaces.some(
        (i) => i.toLowerCase() === type.name.toLowerCase().replace(/^system\./, ''),
      ),
    coerce: (v) => v,
    resolveType: () => null,
    describeClass: () => ({ fields: [{ name: 'label', type: typeRef('String') }] }),
    newBlank: (type: TypeRef) => {
      const shape = FakeObject.shapes.get(type.name);
      return new FakeObject(type.name, shape?.interfaces ?? [], shape?.impl ?? {});
    },
    getField: (target, name) => (target as FakeObject).fields.get(name) ?? null,
    setField: (target, name, value) => {
      (target as FakeObject).fields.set(name, value);
    },
    readVariable: () => null,
    location: () => 'Fake.cls:1',
  };

  constructor() {
    this.services.org = this.org;
    this.harness = installHarness(this);
  }

  /** The native context of the running transaction. */
  get ctx(): NativeContext {
    return { interop: this.interop, governor: this.governor, services: this.services };
  }

  transaction<T>(kind: TransactionKind, fn: () => T) {
    const previous = this.governor;
    this.governor = new Governor(kind);
    this.kinds.push(kind);
    try {
      const result = fn();
      return { result, usage: this.governor.finish() };
    } finally {
      this.governor = previous;
    }
  }

  /** Calls a harness native: `call('System', 'enqueueJob', job)`. */
  call(className: string, method: string, ...args: Value[]): Value {
    const fn = findNative(className)?.statics?.[method.toLowerCase()];
    if (!fn) throw new Error(`no native ${className}.${method}`);
    return fn(this.ctx, null, args);
  }

  construct(className: string, ...args: Value[]): Value {
    const native = findNative(className);
    if (!native?.construct) throw new Error(`no constructor ${className}`);
    return native.construct(this.ctx, args, typeRef(className));
  }

  method(target: Value, method: string, ...args: Value[]): Value {
    const type = (target as ApexInstance).apexType.name;
    const fn = findNative(type)?.methods?.[method.toLowerCase()];
    if (!fn) throw new Error(`no method ${type}.${method}`);
    return fn(this.ctx, target, args);
  }

  field(className: string, name: string): Value {
    const fn = findNative(className)?.staticFields?.[name.toLowerCase()];
    if (!fn) throw new Error(`no field ${className}.${name}`);
    return fn(this.ctx);
  }
}

export function user(id: string, locale: string, zone: string): SObjectValue {
  const u = new SObjectValue('User');
  u.set('Id', id);
  u.set('LocaleSidKey', locale);
  u.set('TimeZoneSidKey', zone);
  return u;
}

export const apexError = (type: string, message: string) => new ApexError(type, message);
