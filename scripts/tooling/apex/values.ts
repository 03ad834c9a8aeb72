// Runtime values of the local Apex runtime. Each Apex type has one representation, so a value's
// runtime type is always known (instanceof, JSON typing and arithmetic depend on it):
//
//   Apex type        representation
//   null             null
//   Boolean          boolean
//   Integer          number (always a 32-bit whole number)
//   Long             bigint (64-bit, wrapped on overflow)
//   Double           ApexDouble
//   Decimal          ApexDecimal (unscaled bigint + scale, like java.math.BigDecimal)
//   String           string
//   Id               ApexId (always the 18-character form)
//   Date / Datetime / Time   ApexDate / ApexDatetime / ApexTime
//   Blob             ApexBlob
//   List (and T[])   ApexList       Set  ApexSet       Map  ApexMap
//   SObject          SObjectValue
//   enum value       EnumValue
//   class instance   any object implementing ApexInstance (the interpreter's objects, natives)
//
// Equality, hashing and printing follow the Apex Developer Guide (see SEMANTICS.md); where a user
// class is involved (equals/hashCode/toString) the interpreter installs its hooks with setHooks().

/** A type as the runtime knows it: a canonical name and its type arguments. */
export interface TypeRef {
  /** Canonical name: 'Integer', 'List', 'Map', 'Object', 'Schema.SObjectType', 'My.Inner'. */
  readonly name: string;
  readonly args: readonly TypeRef[];
}

export const typeRef = (name: string, ...args: TypeRef[]): TypeRef => ({ name, args });
export const OBJECT_TYPE = typeRef('Object');
export const STRING_TYPE = typeRef('String');
export const INTEGER_TYPE = typeRef('Integer');

export function typeName(type: TypeRef): string {
  return type.args.length ? `${type.name}<${type.args.map(typeName).join(',')}>` : type.name;
}

/** An Apex exception raised by the runtime or a native, before the interpreter makes it an object. */
export class ApexError extends Error {
  /** Qualified type, e.g. 'System.NullPointerException'. */
  readonly typeName: string;
  constructor(qualifiedType: string, message: string) {
    super(message);
    this.typeName = qualifiedType;
  }
}

/** A construct or API the runtime does not model: always loud, never a silent guess. */
export class UnsupportedError extends Error {
  constructor(what: string) {
    super(`not supported by the local runtime: ${what}`);
  }
}

export const nullPointer = () =>
  new ApexError('System.NullPointerException', 'Attempt to de-reference a null object');

// ── numbers ─────────────────────────────────────────────────────────────────────────────────

export class ApexDouble {
  constructor(readonly value: number) {}
}

/** A Decimal: unscaled × 10^-scale, as java.math.BigDecimal (scale may be negative). */
export class ApexDecimal {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {}

  static fromInteger(value: number | bigint): ApexDecimal {
    return new ApexDecimal(BigInt(value), 0);
  }

  /** Parses plain or exponent notation ('1.50', '-3', '1e5', '.5'); null when it is not a number. */
  static parse(text: string): ApexDecimal | null {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
    const digits = `${m[2]}${m[3] ?? ''}` || '0';
    const unscaled = BigInt(digits) * (m[1] === '-' ? -1n : 1n);
    const scale = (m[3] ?? '').length - (m[4] ? Number(m[4]) : 0);
    return new ApexDecimal(unscaled, scale);
  }

  /**
   * A Double as a Decimal: through Java's Double.toString text, so 1.0 gets scale 1 and 0.1 stays
   * 0.1 (SEMANTICS.md NUM-11). NaN and infinities have no Decimal.
   */
  static fromNumber(value: number): ApexDecimal {
    if (!Number.isFinite(value)) throw new ApexError('System.MathException', 'Invalid decimal');
    const parsed = ApexDecimal.parse(formatDouble(value));
    if (!parsed) throw new ApexError('System.MathException', `Invalid decimal: ${value}`);
    return parsed;
  }

  toNumber(): number {
    return Number(this.toPlainString());
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  /** This value with the given (larger) scale. */
  withScale(scale: number): ApexDecimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) {
      return new ApexDecimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    }
    return this.setScale(scale, 'HALF_UP');
  }

  setScale(
    scale: number,
    mode: 'HALF_UP' | 'HALF_EVEN' | 'DOWN' | 'FLOOR' | 'CEILING' | 'UP' | 'HALF_DOWN',
  ): ApexDecimal {
    if (scale >= this.scale) return this.withScale(scale);
    const divisor = 10n ** BigInt(this.scale - scale);
    return new ApexDecimal(divideRounded(this.unscaled, divisor, mode), scale);
  }

  compareTo(other: ApexDecimal): number {
    const scale = Math.max(this.scale, other.scale);
    const a = this.withScale(scale).unscaled;
    const b = other.withScale(scale).unscaled;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Text without exponent, keeping the scale: 1.50 stays '1.50'. */
  toPlainString(): string {
    const negative = this.unscaled < 0n;
    let digits = (negative ? -this.unscaled : this.unscaled).toString();
    if (this.scale <= 0) return `${negative ? '-' : ''}${digits}${'0'.repeat(-this.scale)}`;
    if (digits.length <= this.scale) digits = '0'.repeat(this.scale - digits.length + 1) + digits;
    const point = digits.length - this.scale;
    return `${negative ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point)}`;
  }

  /** BigDecimal.toString(): exponent notation when the scale is negative or the value tiny. */
  toString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString();
    const adjusted = digits.length - 1 - this.scale;
    if (this.scale >= 0 && adjusted >= -6) return this.toPlainString();
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${negative ? '-' : ''}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
  }
}

/** Integer division of bigints with a rounding mode (the quotient's sign is the true one). */
export function divideRounded(
  dividend: bigint,
  divisor: bigint,
  mode: 'HALF_UP' | 'HALF_EVEN' | 'DOWN' | 'FLOOR' | 'CEILING' | 'UP' | 'HALF_DOWN',
): bigint {
  const q = dividend / divisor; // truncated toward zero
  const r = dividend % divisor;
  if (r === 0n) return q;
  const positive = dividend < 0n === divisor < 0n;
  const sign = positive ? 1n : -1n;
  const twiceRemainder = (r < 0n ? -r : r) * 2n;
  const absDivisor = divisor < 0n ? -divisor : divisor;
  const awayFromZero = q + sign;
  switch (mode) {
    case 'DOWN':
      return q;
    case 'UP':
      return awayFromZero;
    case 'FLOOR':
      return positive ? q : awayFromZero;
    case 'CEILING':
      return positive ? awayFromZero : q;
    case 'HALF_UP':
      return twiceRemainder >= absDivisor ? awayFromZero : q;
    case 'HALF_DOWN':
      return twiceRemainder > absDivisor ? awayFromZero : q;
    case 'HALF_EVEN':
    default:
      if (twiceRemainder === absDivisor) return q % 2n === 0n ? q : awayFromZero;
      return twiceRemainder > absDivisor ? awayFromZero : q;
  }
}

/** Wraps a whole number to Apex Integer (two's complement, 32 bits). */
export const toInt32 = (value: number): number => value | 0;
/** Wraps a bigint to Apex Long (two's complement, 64 bits). */
export const toInt64 = (value: bigint): bigint => BigInt.asIntN(64, value);

export const isInteger = (v: unknown): v is number => typeof v === 'number';
export const isLong = (v: unknown): v is bigint => typeof v === 'bigint';
export const isNumeric = (v: unknown): v is number | bigint | ApexDouble | ApexDecimal =>
  typeof v === 'number' ||
  typeof v === 'bigint' ||
  v instanceof ApexDouble ||
  v instanceof ApexDecimal;

/** A numeric value as a JavaScript number (Long and Decimal may lose precision). */
export function numberOf(value: number | bigint | ApexDouble | ApexDecimal): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof ApexDouble) return value.value;
  return value.toNumber();
}

/** A numeric value as a Decimal (Double through its shortest text). */
export function decimalOf(value: number | bigint | ApexDouble | ApexDecimal): ApexDecimal {
  if (value instanceof ApexDecimal) return value;
  if (value instanceof ApexDouble) return ApexDecimal.fromNumber(value.value);
  return ApexDecimal.fromInteger(value);
}

/** Double.toString as Java prints it: '1.0', '0.1', '1.0E10', '1.2345E-5'. */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  // Java: d.ddddE±n with the shortest digits that round-trip.
  const [mantissa, exponent] = value.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${Number(exponent)}`;
}

// ── Id ──────────────────────────────────────────────────────────────────────────────────────

const ID_SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 18-character form of a 15- or 18-character Salesforce Id, or null when it is not an Id. */
export function normalizeId(text: string): string | null {
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(text)) return null;
  const base = text.slice(0, 15);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = base.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += ID_SUFFIX_CHARS[bits];
  }
  if (text.length === 18 && text.slice(15).toUpperCase() !== suffix) return null;
  return base + suffix;
}

export class ApexId {
  /** Always the 18-character form. */
  readonly value: string;
  constructor(text: string) {
    const normalized = normalizeId(text);
    if (normalized === null) throw new ApexError('System.StringException', `Invalid id: ${text}`);
    this.value = normalized;
  }
  get keyPrefix(): string {
    return this.value.slice(0, 3);
  }
  toString(): string {
    return this.value;
  }
}

// ── dates ───────────────────────────────────────────────────────────────────────────────────

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A calendar date (no time zone). */
export class ApexDate {
  /** Days since 1970-01-01. */
  constructor(readonly epochDay: number) {}
  static of(year: number, month: number, day: number): ApexDate {
    return new ApexDate(Math.floor(Date.UTC(year, month - 1, day) / 86400000));
  }
  private get utc(): Date {
    return new Date(this.epochDay * 86400000);
  }
  get year(): number {
    return this.utc.getUTCFullYear();
  }
  get month(): number {
    return this.utc.getUTCMonth() + 1;
  }
  get day(): number {
    return this.utc.getUTCDate();
  }
  /** 'yyyy-MM-dd' (String.valueOf and JSON use this form). */
  toString(): string {
    return `${pad(this.year, 4)}-${pad(this.month)}-${pad(this.day)}`;
  }
}

/** An instant, to the millisecond. */
export class ApexDatetime {
  constructor(readonly epochMillis: number) {}
  /** 'yyyy-MM-dd HH:mm:ss' in GMT, as String.valueOf(Datetime) prints. */
  toString(): string {
    const d = new Date(this.epochMillis);
    return (
      `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
      `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
    );
  }
  /** ISO 8601 in GMT with milliseconds: JSON.serialize's form. */
  toJson(): string {
    return new Date(this.epochMillis).toISOString();
  }
}

/** A time of day, to the millisecond. */
export class ApexTime {
  constructor(readonly millisOfDay: number) {}
  toString(): string {
    const ms = this.millisOfDay;
    return `${pad(Math.floor(ms / 3600000))}:${pad(Math.floor(ms / 60000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}Z`;
  }
}

export class ApexBlob {
  constructor(readonly bytes: Uint8Array) {}
  toString(): string {
    return `Blob[${this.bytes.length}]`;
  }
}

// ── collections ─────────────────────────────────────────────────────────────────────────────

export class ApexList {
  constructor(
    readonly elementType: TypeRef,
    readonly items: Value[] = [],
  ) {}
  /** Open iterators: modifying the list while one is open throws, as in Apex. */
  iterating = 0;
  get type(): TypeRef {
    return typeRef('List', this.elementType);
  }
}

export class ApexSet {
  readonly entries = new Map<unknown, Value>();
  iterating = 0;
  constructor(readonly elementType: TypeRef) {}
  get type(): TypeRef {
    return typeRef('Set', this.elementType);
  }
  has(value: Value): boolean {
    return this.entries.has(keyOf(value));
  }
  add(value: Value): boolean {
    const key = keyOf(value);
    if (this.entries.has(key)) return false;
    this.entries.set(key, value);
    return true;
  }
  delete(value: Value): boolean {
    return this.entries.delete(keyOf(value));
  }
  values(): Value[] {
    return [...this.entries.values()];
  }
  get size(): number {
    return this.entries.size;
  }
}

export class ApexMap {
  /** key hash → [key, value], in insertion order. */
  readonly entries = new Map<unknown, [Value, Value]>();
  iterating = 0;
  constructor(
    readonly keyType: TypeRef,
    readonly valueType: TypeRef,
  ) {}
  get type(): TypeRef {
    return typeRef('Map', this.keyType, this.valueType);
  }
  get(key: Value): Value {
    return this.entries.get(keyOf(key))?.[1] ?? null;
  }
  has(key: Value): boolean {
    return this.entries.has(keyOf(key));
  }
  /** Returns the previous value (or null), as Map.put does. */
  put(key: Value, value: Value): Value {
    const hash = keyOf(key);
    const previous = this.entries.get(hash);
    if (previous) {
      const old = previous[1];
      previous[1] = value;
      return old;
    }
    this.entries.set(hash, [key, value]);
    return null;
  }
  delete(key: Value): Value {
    const hash = keyOf(key);
    const previous = this.entries.get(hash);
    this.entries.delete(hash);
    return previous ? previous[1] : null;
  }
  keys(): Value[] {
    return [...this.entries.values()].map((e) => e[0]);
  }
  values(): Value[] {
    return [...this.entries.values()].map((e) => e[1]);
  }
  get size(): number {
    return this.entries.size;
  }
}

/**
 * The describe maps (Schema.getGlobalDescribe(), fields.getMap()): String keys are looked up
 * ignoring case (SEMANTICS.md COL-01); the keys themselves are lower-case.
 */
export class DescribeMap extends ApexMap {
  private static fold = (key: Value): Value => (typeof key === 'string' ? key.toLowerCase() : key);
  override get(key: Value): Value {
    return super.get(DescribeMap.fold(key));
  }
  override has(key: Value): boolean {
    return super.has(DescribeMap.fold(key));
  }
  override put(key: Value, value: Value): Value {
    return super.put(DescribeMap.fold(key), value);
  }
  override delete(key: Value): Value {
    return super.delete(DescribeMap.fold(key));
  }
}

// ── SObjects and other instances ────────────────────────────────────────────────────────────

/** An SObject. Field names are case-insensitive; the spelling first set is kept for printing. */
export class SObjectValue {
  /** lower-case field name → [name as spelled, value]; a relationship holds an SObjectValue. */
  readonly fields = new Map<string, [string, Value]>();
  /**
   * Set on rows a SOQL query returned: the lower-case fields and relationships it selected (plus
   * Id). Reading another field of such a row throws SObjectException (see org/soql.ts).
   */
  queried?: Set<string>;
  constructor(
    /** API name of the SObject type, as the schema spells it ('User', 'Analytics_Health_Run__c'). */
    readonly sobjectType: string,
  ) {}
  get(field: string): Value {
    return this.fields.get(field.toLowerCase())?.[1] ?? null;
  }
  has(field: string): boolean {
    return this.fields.has(field.toLowerCase());
  }
  set(field: string, value: Value): void {
    const key = field.toLowerCase();
    const existing = this.fields.get(key);
    this.fields.set(key, [existing ? existing[0] : field, value]);
  }
  get type(): TypeRef {
    return typeRef(this.sobjectType);
  }
}

/** An enum constant (system or user enum). */
export class EnumValue {
  constructor(
    readonly enumType: string,
    readonly name: string,
    readonly ordinal: number,
  ) {}
  toString(): string {
    return this.name;
  }
}

/**
 * Any other object: instances of the package's classes (made by the interpreter) and of system
 * classes modelled by natives (Pattern, HttpRequest, JSONParser, Schema tokens, ...).
 */
export interface ApexInstance {
  /** The object's runtime class, qualified as Apex prints it. */
  readonly apexType: TypeRef;
}

export const isInstance = (v: unknown): v is ApexInstance =>
  typeof v === 'object' && v !== null && 'apexType' in v;

export type Value =
  | null
  | boolean
  | number
  | bigint
  | string
  | ApexDouble
  | ApexDecimal
  | ApexId
  | ApexDate
  | ApexDatetime
  | ApexTime
  | ApexBlob
  | ApexList
  | ApexSet
  | ApexMap
  | SObjectValue
  | EnumValue
  | ApexInstance;

// ── hooks the interpreter installs for user classes ────────────────────────────────────────

export interface UserObjectHooks {
  /** The class defines equals(Object): call it. Undefined when it does not. */
  equals(a: ApexInstance, b: Value): boolean | undefined;
  /** The class defines hashCode(): call it. Undefined when it does not. */
  hashCode(a: ApexInstance): number | undefined;
  /** The class defines toString(): call it; else the default 'Name:[f=v, ...]' text. */
  toString(a: ApexInstance): string;
}

let hooks: UserObjectHooks = {
  equals: () => undefined,
  hashCode: () => undefined,
  toString: (a) => `${typeName(a.apexType)}`,
};

export function setHooks(next: UserObjectHooks): void {
  hooks = next;
}

// ── runtime type of a value ─────────────────────────────────────────────────────────────────

export function runtimeType(value: Value): TypeRef {
  if (value === null) return typeRef('null');
  switch (typeof value) {
    case 'boolean':
      return typeRef('Boolean');
    case 'number':
      return INTEGER_TYPE;
    case 'bigint':
      return typeRef('Long');
    case 'string':
      return STRING_TYPE;
    default:
      break;
  }
  if (value instanceof ApexDouble) return typeRef('Double');
  if (value instanceof ApexDecimal) return typeRef('Decimal');
  if (value instanceof ApexId) return typeRef('Id');
  if (value instanceof ApexDate) return typeRef('Date');
  if (value instanceof ApexDatetime) return typeRef('Datetime');
  if (value instanceof ApexTime) return typeRef('Time');
  if (value instanceof ApexBlob) return typeRef('Blob');
  if (value instanceof ApexList || value instanceof ApexSet || value instanceof ApexMap) {
    return value.type;
  }
  if (value instanceof SObjectValue) return value.type;
  if (value instanceof EnumValue) return typeRef(value.enumType);
  return (value as ApexInstance).apexType;
}

// ── equality and hashing ────────────────────────────────────────────────────────────────────

/**
 * Apex `==`: Strings ignore case, numbers compare by value across types, Ids by their 18-character
 * form, collections and SObjects element by element; user objects through equals() when defined,
 * else by reference.
 */
export function looseEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (
    typeof a === 'string' ||
    typeof b === 'string' ||
    a instanceof ApexId ||
    b instanceof ApexId
  ) {
    const sa = a instanceof ApexId ? a.value : a;
    const sb = b instanceof ApexId ? b.value : b;
    if (typeof sa !== 'string' || typeof sb !== 'string') return false;
    if (a instanceof ApexId || b instanceof ApexId) {
      const na = normalizeId(sa);
      const nb = normalizeId(sb);
      return na !== null && nb !== null && na.toLowerCase() === nb.toLowerCase();
    }
    return sa.length === sb.length && sa.toLowerCase() === sb.toLowerCase();
  }
  return valueEquals(a, b, looseEquals);
}

/** `equals()` semantics: like ==, except Strings (and String keys) compare case-sensitively. */
export function strictValueEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  // An Id against a String compares as Ids (15 or 18 characters), before the case-sensitive text rule.
  if (a instanceof ApexId || b instanceof ApexId) return looseEquals(a, b);
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return valueEquals(a, b, strictValueEquals);
}

function valueEquals(a: Value, b: Value, equals: (x: Value, y: Value) => boolean): boolean {
  if (a === null || b === null) return a === b;
  // Inside Lists, Maps and SObjects, Decimals compare as BigDecimal.equals: the scale counts,
  // 1000.00 != 1000.0000000 (SEMANTICS.md COL-03), although the two are == on their own.
  const elementEquals = (x: Value, y: Value): boolean =>
    x instanceof ApexDecimal && y instanceof ApexDecimal
      ? x.scale === y.scale && x.compareTo(y) === 0
      : equals(x, y);
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b) === 0;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  if (a instanceof ApexDate && b instanceof ApexDate) return a.epochDay === b.epochDay;
  if (a instanceof ApexDatetime && b instanceof ApexDatetime)
    return a.epochMillis === b.epochMillis;
  if (a instanceof ApexTime && b instanceof ApexTime) return a.millisOfDay === b.millisOfDay;
  if (a instanceof ApexBlob && b instanceof ApexBlob) {
    return a.bytes.length === b.bytes.length && a.bytes.every((x, i) => x === b.bytes[i]);
  }
  if (a instanceof ApexList && b instanceof ApexList) {
    return (
      a.items.length === b.items.length && a.items.every((x, i) => elementEquals(x, b.items[i]))
    );
  }
  if (a instanceof ApexSet && b instanceof ApexSet) {
    return a.size === b.size && a.values().every((x) => b.has(x));
  }
  if (a instanceof ApexMap && b instanceof ApexMap) {
    return (
      a.size === b.size && a.keys().every((k) => b.has(k) && elementEquals(a.get(k), b.get(k)))
    );
  }
  if (a instanceof SObjectValue && b instanceof SObjectValue) {
    if (a.sobjectType.toLowerCase() !== b.sobjectType.toLowerCase()) return false;
    if (a.fields.size !== b.fields.size) return false;
    for (const [key, [, value]] of a.fields) {
      const other = b.fields.get(key);
      if (!other || !elementEquals(value, other[1])) return false;
    }
    return true;
  }
  if (a instanceof EnumValue || b instanceof EnumValue) return false; // same constant is a === b
  if (isInstance(a)) return hooks.equals(a, b) ?? false;
  return false;
}

/** Numeric comparison across Integer, Long, Double and Decimal: -1, 0 or 1. */
export function compareNumbers(
  a: number | bigint | ApexDouble | ApexDecimal,
  b: number | bigint | ApexDouble | ApexDecimal,
): number {
  if (a instanceof ApexDouble || b instanceof ApexDouble) {
    const x = numberOf(a);
    const y = numberOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a instanceof ApexDecimal || b instanceof ApexDecimal)
    return decimalOf(a).compareTo(decimalOf(b));
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The key a Set or Map files a value under: values equal by equals() share a key. String keys are
 * case-sensitive; numbers of one value share a key across Integer, Long and Decimal scale.
 */
export function keyOf(value: Value): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return `s:${value}`;
  if (typeof value === 'number' || typeof value === 'bigint') return `n:${value}`;
  if (value instanceof ApexId) return `s:${value.value}`;
  // Decimals that differ only in scale (1.1, 1.10) hash differently (SEMANTICS.md COL-08).
  if (value instanceof ApexDecimal) return `n:${value.toPlainString()}`;
  if (value instanceof ApexDouble) {
    return Number.isInteger(value.value) ? `n:${value.value}` : `d:${value.value}`;
  }
  if (value instanceof ApexDate) return `D:${value.epochDay}`;
  if (value instanceof ApexDatetime) return `T:${value.epochMillis}`;
  if (value instanceof ApexTime) return `t:${value.millisOfDay}`;
  if (value instanceof EnumValue) return value;
  if (value instanceof ApexList) return `L[${value.items.map((v) => String(keyOf(v))).join(',')}]`;
  if (value instanceof ApexSet) {
    return `S{${[...value.entries.keys()].map(String).sort().join(',')}}`;
  }
  if (value instanceof ApexMap) {
    return `M{${[...value.entries.entries()]
      .map(([k, [, v]]) => `${String(k)}=${String(keyOf(v))}`)
      .sort()
      .join(',')}}`;
  }
  if (value instanceof SObjectValue) {
    return `O:${value.sobjectType.toLowerCase()}{${[...value.fields.entries()]
      .map(([k, [, v]]) => `${k}=${String(keyOf(v))}`)
      .sort()
      .join(',')}}`;
  }
  if (value instanceof ApexBlob) return `B:${Array.from(value.bytes).join(',')}`;
  const hash = hooks.hashCode(value);
  // A class with hashCode() files by it (equal objects must share a hash); collisions between
  // unequal objects are not separated, which the runtime does not model beyond this.
  if (hash !== undefined) return `h:${typeName(value.apexType)}:${hash}`;
  return value;
}

// ── printing (String.valueOf) ───────────────────────────────────────────────────────────────

/**
 * Set elements and Map keys print sorted, although they iterate in insertion order (SEMANTICS
 * STR-13): Strings and Ids by code unit, numbers by value, Dates and Datetimes by time. Other
 * element types keep insertion order.
 */
function printOrder(items: Value[]): Value[] {
  const rank = (v: Value): number | string | null => {
    if (typeof v === 'string') return v;
    if (v instanceof ApexId) return v.value;
    if (v instanceof ApexDate) return v.epochDay;
    if (v instanceof ApexDatetime) return v.epochMillis;
    return null;
  };
  const isNumber = (v: Value) =>
    typeof v === 'number' ||
    typeof v === 'bigint' ||
    v instanceof ApexDouble ||
    v instanceof ApexDecimal;
  if (items.every((v) => v !== null && isNumber(v))) {
    return [...items].sort((x, y) =>
      compareNumbers(x as number | bigint | ApexDouble | ApexDecimal, y as ApexDecimal),
    );
  }
  const keys = items.map(rank);
  if (keys.some((k) => k === null)) return items;
  const kinds = new Set(keys.map((k) => typeof k));
  if (kinds.size !== 1) return items;
  return items
    .map((v, i) => [v, keys[i] as string | number] as const)
    .sort(([, x], [, y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([v]) => v);
}

export function toApexString(value: Value): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
    case 'number':
    case 'bigint':
    case 'string':
      return String(value);
    default:
      break;
  }
  if (value instanceof ApexDouble) return formatDouble(value.value);
  if (value instanceof ApexDecimal) return value.toString();
  if (
    value instanceof ApexId ||
    value instanceof ApexDate ||
    value instanceof ApexDatetime ||
    value instanceof ApexTime ||
    value instanceof ApexBlob ||
    value instanceof EnumValue
  ) {
    return value.toString();
  }
  if (value instanceof ApexList) return `(${value.items.map(toApexString).join(', ')})`;
  if (value instanceof ApexSet) {
    return `{${printOrder(value.values()).map(toApexString).join(', ')}}`;
  }
  if (value instanceof ApexMap) {
    const byKey = new Map([...value.entries.values()].map(([k, v]) => [k, v] as const));
    return `{${printOrder([...byKey.keys()])
      .map((k) => `${toApexString(k)}=${toApexString(byKey.get(k) ?? null)}`)
      .join(', ')}}`;
  }
  if (value instanceof SObjectValue) {
    const fields = [...value.fields.values()].map(([name, v]) => `${name}=${toApexString(v)}`);
    return `${value.sobjectType}:{${fields.join(', ')}}`;
  }
  return hooks.toString(value);
}

// ── System.Type values ──────────────────────────────────────────────────────────────────────

/** A `System.Type` value (`List<Foo>.class`, `Type.forName('Foo')`): the type it names. */
export class ApexTypeValue implements ApexInstance {
  readonly apexType = typeRef('System.Type');
  constructor(readonly type: TypeRef) {}
  toString(): string {
    return typeName(this.type);
  }
}
