// Types at run time: resolving a type as written in a class to a runtime type, `instanceof`,
// casts and the assignment conversions Apex applies when a value is stored, passed or returned
// (Integer → Long/Double/Decimal, String → Id with validation; SEMANTICS.md NUM-04, TYP-*, IDN-05).
import { findNative } from '../natives/registry';
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexError,
  ApexId,
  ApexList,
  ApexMap,
  ApexSet,
  ApexTime,
  EnumValue,
  SObjectValue,
  UnsupportedError,
  isInstance,
  normalizeId,
  runtimeType,
  typeName,
  type TypeRef,
  type Value,
} from '../values';
import type { TypeNode } from './ast';
import { ClassModel, ClassTable, typeText } from './classes';
import { ApexObject } from './objects';

export type TypeKind =
  'object' | 'primitive' | 'list' | 'set' | 'map' | 'user' | 'sobject' | 'native' | 'void';

/** A resolved type: a TypeRef (canonical name + args) that also says what kind of type it is. */
export interface RType extends TypeRef {
  readonly kind: TypeKind;
  readonly args: readonly RType[];
  readonly cls?: ClassModel;
}

const PRIMITIVES = [
  'Boolean',
  'Integer',
  'Long',
  'Double',
  'Decimal',
  'String',
  'Id',
  'Date',
  'Datetime',
  'Time',
  'Blob',
];
const primitiveByKey = new Map(PRIMITIVES.map((p) => [p.toLowerCase(), p]));

const simple = (name: string, kind: TypeKind, cls?: ClassModel): RType => ({
  name,
  args: [],
  kind,
  cls,
});
export const T_OBJECT = simple('Object', 'object');
export const T_VOID = simple('void', 'void');
export const T_SOBJECT = simple('SObject', 'sobject');
export const primitive = (name: string): RType => simple(name, 'primitive');
export const listOf = (element: RType): RType => ({ name: 'List', args: [element], kind: 'list' });

/** The org's answer to "is this name an SObject type?" (its API name as the schema spells it). */
export type SObjectNamer = (name: string) => string | null;

const NUMERIC = new Set(['Integer', 'Long', 'Double', 'Decimal']);

const isNumber = (v: Value): v is number | bigint | ApexDouble | ApexDecimal =>
  typeof v === 'number' ||
  typeof v === 'bigint' ||
  v instanceof ApexDouble ||
  v instanceof ApexDecimal;

const stripSystem = (n: string) => (/^system\./i.test(n) ? n.slice(7) : n);

export class TypeSystem {
  private readonly cache = new Map<string, RType>();

  constructor(
    readonly classes: ClassTable,
    private readonly sobjectName: SObjectNamer,
  ) {}

  clearCache(): void {
    this.cache.clear();
  }

  /** A type written in class `from` (null: top level); throws UnsupportedError when unknown. */
  resolve(node: TypeNode, from: ClassModel | null): RType {
    const key = `${from?.key ?? ''}|${typeText(node)}`;
    let found = this.cache.get(key);
    if (!found) {
      found = this.resolveUncached(node, from);
      this.cache.set(key, found);
    }
    return found;
  }

  private resolveUncached(node: TypeNode, from: ClassModel | null): RType {
    if (node.array > 0) return listOf(this.resolve({ ...node, array: node.array - 1 }, from));
    const args = node.args.map((a) => this.resolve(a, from));
    const found = this.resolveName(node.name, from, args);
    if (!found) throw new UnsupportedError(`unknown type ${typeText(node)}`);
    return found;
  }

  /** A type by name with resolved arguments; null when no class, SObject or native has it. */
  resolveName(name: string, from: ClassModel | null, args: RType[] = []): RType | null {
    const lower = name.toLowerCase();
    const bare = lower.startsWith('system.') ? lower.slice(7) : lower;
    switch (bare) {
      case 'object':
        return T_OBJECT;
      case 'list':
        return { name: 'List', args: args.length ? args : [T_OBJECT], kind: 'list' };
      case 'set':
        return { name: 'Set', args: args.length ? args : [T_OBJECT], kind: 'set' };
      case 'map':
        return { name: 'Map', args: args.length ? args : [T_OBJECT, T_OBJECT], kind: 'map' };
      case 'sobject':
        return T_SOBJECT;
      case 'void':
        return T_VOID;
      default:
        break;
    }
    const prim = primitiveByKey.get(bare);
    if (prim) return primitive(prim);
    const cls = this.classes.lookup(name, from);
    if (cls) return simple(cls.qualified, 'user', cls);
    const sobject = this.sobjectName(lower.startsWith('schema.') ? name.slice(7) : name);
    if (sobject) return simple(sobject, 'sobject');
    const native = findNative(name);
    if (native) return { name: native.name, args, kind: 'native' };
    return null;
  }

  /** Parses 'List<String>', 'Outer.Inner', 'Map<Id, Account>' (Type.forName, JSON). */
  parse(text: string, from: ClassModel | null): RType | null {
    const tokens = text.replace(/\s+/g, '').match(/[^<>,[\]]+|[<>,]|\[\]/g) ?? [];
    let at = 0;
    const read = (): RType | null => {
      const name = tokens[at++];
      if (!name) return null;
      const args: RType[] = [];
      if (tokens[at] === '<') {
        at++;
        for (;;) {
          const arg = read();
          if (!arg) return null;
          args.push(arg);
          if (tokens[at] === ',') at++;
          else break;
        }
        if (tokens[at++] !== '>') return null;
      }
      let type = this.resolveName(name, from, args);
      while (type && tokens[at] === '[]') {
        at++;
        type = listOf(type);
      }
      return type;
    };
    const type = read();
    return type && at === tokens.length ? type : null;
  }

  // ── instanceof ────────────────────────────────────────────────────────────────────────────

  isInstance(value: Value, type: RType): boolean {
    if (value === null) return false;
    switch (type.kind) {
      case 'object':
        return true;
      case 'primitive':
        return isPrimitive(value, type.name);
      case 'list':
        return value instanceof ApexList && this.assignable(value.elementType, type.args[0]);
      case 'set':
        return value instanceof ApexSet && sameType(value.elementType, type.args[0]);
      case 'map':
        return (
          value instanceof ApexMap &&
          sameType(value.keyType, type.args[0]) &&
          this.assignable(value.valueType, type.args[1])
        );
      case 'sobject':
        if (!(value instanceof SObjectValue)) return false;
        return type.name === 'SObject' || sameName(value.sobjectType, type.name);
      case 'user':
        if (value instanceof ApexObject) return value.cls.isSubtypeOf(type.cls!);
        return value instanceof EnumValue && sameName(value.enumType, type.name);
      case 'native':
        return this.isNativeInstance(value, type.name);
      case 'void':
        return false;
      default:
        return false;
    }
  }

  private isNativeInstance(value: Value, name: string): boolean {
    if (value instanceof ApexObject) {
      return value.cls.nativeSupertypes().some((s) => nativeExtends(s, name));
    }
    if (value instanceof EnumValue) return sameName(value.enumType, name);
    if (!isInstance(value)) return false;
    return nativeExtends(value.apexType.name, name);
  }

  /** Can a collection typed `from` be seen as one of `to` (lists and map values are covariant)? */
  assignable(from: TypeRef, to: TypeRef): boolean {
    if (to.name === 'Object' || sameType(from, to)) return true;
    const target = to as RType;
    const source = from as RType;
    if (target.kind === 'sobject' && target.name === 'SObject') return source.kind === 'sobject';
    if (source.cls && target.cls) return source.cls.isSubtypeOf(target.cls);
    if (source.cls && target.kind === 'native') {
      return source.cls.nativeSupertypes().some((s) => nativeExtends(s, target.name));
    }
    if (target.kind === 'list' && source.name === 'List') {
      return this.assignable(from.args[0], to.args[0]);
    }
    return false;
  }

  // ── casts and conversions ─────────────────────────────────────────────────────────────────

  /** `(T) value`: TypeException unless the runtime type fits (numbers may convert). */
  cast(value: Value, type: RType, numericSource: boolean): Value {
    if (value === null || type.kind === 'object') return value;
    if (this.isInstance(value, type)) return convert(value, type);
    if (type.kind === 'primitive') {
      if (numericSource && isNumber(value) && NUMERIC.has(type.name))
        return narrow(value, type.name);
      if (type.name === 'Id' && typeof value === 'string') return convert(value, type);
    }
    if (type.kind === 'list' && value instanceof ApexList && type.args[0].kind === 'sobject') {
      // (List<Account>) listOfSObject: allowed when every element fits and the list was not
      // made as a list of another concrete sObject type (TYP-09).
      const made = value.elementType.name.toLowerCase();
      const concrete = made !== 'sobject' && made !== 'object';
      if (concrete && made !== typeName(type.args[0]).toLowerCase()) {
        // falls through to the TypeException
      } else if (value.items.every((v) => v === null || this.isInstance(v, type.args[0]))) {
        return value;
      }
    }
    throw new ApexError(
      'System.TypeException',
      `Invalid conversion from runtime type ${typeName(runtimeType(value))} to ${typeName(type)}`,
    );
  }

  /** Assignment conversion checked against the type (Interop.coerce for natives). */
  coerceChecked(value: Value, type: RType): Value {
    if (value === null || type.kind === 'object') return value;
    const converted = convert(value, type);
    if (
      !this.isInstance(converted, type) &&
      !(type.kind === 'list' && converted instanceof ApexList)
    ) {
      throw new ApexError(
        'System.TypeException',
        `Invalid conversion from runtime type ${typeName(runtimeType(value))} to ${typeName(type)}`,
      );
    }
    return converted;
  }
}

function isPrimitive(value: Value, name: string): boolean {
  switch (name) {
    case 'Integer':
      return typeof value === 'number';
    case 'Long':
      return typeof value === 'bigint';
    case 'Double':
    case 'Decimal':
      // SEMANTICS TYP-03: the runtime cannot tell Decimal from Double.
      return value instanceof ApexDouble || value instanceof ApexDecimal;
    case 'String':
      return typeof value === 'string' || value instanceof ApexId;
    case 'Id':
      return value instanceof ApexId || (typeof value === 'string' && normalizeId(value) !== null);
    case 'Boolean':
      return typeof value === 'boolean';
    case 'Date':
      return value instanceof ApexDate;
    case 'Datetime':
      return value instanceof ApexDatetime;
    case 'Time':
      return value instanceof ApexTime;
    case 'Blob':
      return value instanceof ApexBlob;
    default:
      break;
  }
  return false;
}

/** A value converted for storage in a variable of `type` (no check: the compiler's job). */
export function convert(value: Value, type: TypeRef): Value {
  if (value === null || type.args.length) return value;
  switch (type.name) {
    case 'Long':
      return typeof value === 'number' ? BigInt(value) : value;
    case 'Double':
      if (typeof value === 'number' || typeof value === 'bigint')
        return new ApexDouble(Number(value));
      if (value instanceof ApexDecimal) return new ApexDouble(value.toNumber());
      return value;
    case 'Decimal':
      if (typeof value === 'number' || typeof value === 'bigint')
        return ApexDecimal.fromInteger(value);
      if (value instanceof ApexDouble) return ApexDecimal.fromNumber(value.value);
      return value;
    case 'Id':
      return typeof value === 'string' ? new ApexId(value) : value;
    case 'String':
      return value instanceof ApexId ? value.value : value;
    case 'Datetime':
      return value instanceof ApexDate ? new ApexDatetime(value.epochDay * 86400000) : value;
    default:
      break;
  }
  return value;
}

/** The conversion for stores into `type`, or null when values are stored as they are. */
export function converterFor(type: RType): ((v: Value) => Value) | null {
  if (type.kind !== 'primitive') return null;
  switch (type.name) {
    case 'Long':
    case 'Double':
    case 'Decimal':
    case 'Id':
    case 'String':
    case 'Datetime':
      return (v) => convert(v, type);
    default:
      break;
  }
  return null;
}

/** A numeric cast between number types, truncating toward zero like Java's casts. */
function narrow(value: number | bigint | ApexDouble | ApexDecimal, name: string): Value {
  const whole = (): bigint => {
    if (typeof value === 'number' || typeof value === 'bigint') return BigInt(value);
    if (value instanceof ApexDouble) return BigInt(Math.trunc(value.value));
    return value.setScale(0, 'DOWN').unscaled;
  };
  switch (name) {
    case 'Integer':
      return Number(BigInt.asIntN(32, whole()));
    case 'Long':
      return BigInt.asIntN(64, whole());
    default:
      return convert(value, primitive(name));
  }
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function sameType(a: TypeRef, b: TypeRef): boolean {
  if (!sameName(stripSystem(a.name), stripSystem(b.name)) || a.args.length !== b.args.length) {
    return false;
  }
  return a.args.every((x, i) => sameType(x, b.args[i]));
}

/** Does native type `name` equal `target` or list it among its (transitive) supertypes? */
export function nativeExtends(name: string, target: string): boolean {
  if (sameName(stripSystem(name), stripSystem(target))) return true;
  const native = findNative(name);
  if (!native) return false;
  if (sameName(stripSystem(native.name), stripSystem(target))) return true;
  return (native.supertypes ?? []).some(
    (s) => s.toLowerCase() !== name.toLowerCase() && nativeExtends(s, target),
  );
}
