// Apex operators on runtime values: numeric promotion Integer → Long → Double → Decimal (the
// result takes the higher operand type, SEMANTICS NUM-04), 32- and 64-bit wrapping (NUM-02),
// truncating division and "Divide by 0" (NUM-05, NUM-07, NUM-08), String concatenation (STR-09..12),
// relational operators with null (NUL-05) and Date arithmetic in days.
import {
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexError,
  ApexId,
  ApexTime,
  compareNumbers,
  divideRounded,
  nullPointer,
  toApexString,
  type Value,
} from '../values';

type Num = number | bigint | ApexDouble | ApexDecimal;

const RANK_INTEGER = 0;
const RANK_LONG = 1;
const RANK_DOUBLE = 2;
const RANK_DECIMAL = 3;

function rank(v: Value): number {
  if (typeof v === 'number') return RANK_INTEGER;
  if (typeof v === 'bigint') return RANK_LONG;
  if (v instanceof ApexDouble) return RANK_DOUBLE;
  if (v instanceof ApexDecimal) return RANK_DECIMAL;
  return -1;
}

const divideByZero = () => new ApexError('System.MathException', 'Divide by 0');

function operandError(op: string, a: Value, b: Value): ApexError {
  if (a === null || b === null) return nullPointer();
  return new ApexError('System.TypeException', `Invalid operands for ${op}`);
}

const asDouble = (v: Num): number =>
  typeof v === 'number'
    ? v
    : typeof v === 'bigint'
      ? Number(v)
      : v instanceof ApexDouble
        ? v.value
        : v.toNumber();

const asLong = (v: number | bigint): bigint => (typeof v === 'bigint' ? v : BigInt(v));

function asDecimal(v: Num): ApexDecimal {
  if (v instanceof ApexDecimal) return v;
  if (v instanceof ApexDouble) return ApexDecimal.fromNumber(v.value);
  return ApexDecimal.fromInteger(v);
}

/** The text a value contributes to `+` concatenation (a Date gains a midnight time, STR-11). */
export function concatText(v: Value): string {
  if (v instanceof ApexDate) return `${v.toString()} 00:00:00`;
  return toApexString(v);
}

const isText = (v: Value) => typeof v === 'string' || v instanceof ApexId;

export function add(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') return (a + b) | 0;
  if (isText(a) || isText(b)) return concatText(a) + concatText(b);
  const ra = rank(a);
  const rb = rank(b);
  if (ra < 0 || rb < 0) return addDates(a, b, 1);
  switch (Math.max(ra, rb)) {
    case RANK_LONG:
      return BigInt.asIntN(64, asLong(a as number | bigint) + asLong(b as number | bigint));
    case RANK_DOUBLE:
      return new ApexDouble(asDouble(a as Num) + asDouble(b as Num));
    default: {
      const x = asDecimal(a as Num);
      const y = asDecimal(b as Num);
      const scale = Math.max(x.scale, y.scale);
      return new ApexDecimal(x.withScale(scale).unscaled + y.withScale(scale).unscaled, scale);
    }
  }
}

export function subtract(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') return (a - b) | 0;
  const ra = rank(a);
  const rb = rank(b);
  if (ra < 0 || rb < 0) return addDates(a, b, -1);
  switch (Math.max(ra, rb)) {
    case RANK_LONG:
      return BigInt.asIntN(64, asLong(a as number | bigint) - asLong(b as number | bigint));
    case RANK_DOUBLE:
      return new ApexDouble(asDouble(a as Num) - asDouble(b as Num));
    default: {
      const x = asDecimal(a as Num);
      const y = asDecimal(b as Num);
      const scale = Math.max(x.scale, y.scale);
      return new ApexDecimal(x.withScale(scale).unscaled - y.withScale(scale).unscaled, scale);
    }
  }
}

/** Date ± Integer days; Datetime ± days (fractions allowed); Time ± milliseconds. */
function addDates(a: Value, b: Value, sign: 1 | -1): Value {
  if (a instanceof ApexDate && typeof b === 'number') return new ApexDate(a.epochDay + sign * b);
  if (a instanceof ApexDatetime && rank(b) >= 0) {
    return new ApexDatetime(a.epochMillis + sign * Math.round(asDouble(b as Num) * 86400000));
  }
  if (a instanceof ApexTime && typeof b === 'number') {
    return new ApexTime((((a.millisOfDay + sign * b) % 86400000) + 86400000) % 86400000);
  }
  throw operandError(sign > 0 ? '+' : '-', a, b);
}

export function multiply(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') return Math.imul(a, b);
  const ra = rank(a);
  const rb = rank(b);
  if (ra < 0 || rb < 0) throw operandError('*', a, b);
  switch (Math.max(ra, rb)) {
    case RANK_LONG:
      return BigInt.asIntN(64, asLong(a as number | bigint) * asLong(b as number | bigint));
    case RANK_DOUBLE:
      return new ApexDouble(asDouble(a as Num) * asDouble(b as Num));
    default: {
      const x = asDecimal(a as Num);
      const y = asDecimal(b as Num);
      return new ApexDecimal(x.unscaled * y.unscaled, x.scale + y.scale);
    }
  }
}

export function divide(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    if (b === 0) throw divideByZero();
    return (a / b) | 0;
  }
  const ra = rank(a);
  const rb = rank(b);
  if (ra < 0 || rb < 0) throw operandError('/', a, b);
  switch (Math.max(ra, rb)) {
    case RANK_LONG: {
      const y = asLong(b as number | bigint);
      if (y === 0n) throw divideByZero();
      return BigInt.asIntN(64, asLong(a as number | bigint) / y);
    }
    case RANK_DOUBLE: {
      const y = asDouble(b as Num);
      if (y === 0) throw divideByZero();
      return new ApexDouble(asDouble(a as Num) / y);
    }
    default:
      return divideDecimals(asDecimal(a as Num), asDecimal(b as Num));
  }
}

const DIVISION_DIGITS = 34;

/**
 * Decimal `/`: the exact quotient when it terminates (at least the scale a.scale - b.scale, as
 * BigDecimal prefers), else rounded half-even to 34 significant digits (SEMANTICS NUM-10).
 */
export function divideDecimals(a: ApexDecimal, b: ApexDecimal): ApexDecimal {
  if (b.isZero()) throw divideByZero();
  const preferred = a.scale - b.scale;
  // Try exact division at increasing scales up to the precision limit.
  for (let scale = Math.max(preferred, 0); scale <= preferred + DIVISION_DIGITS + 2; scale++) {
    const shift = scale - a.scale + b.scale;
    const numerator = shift >= 0 ? a.unscaled * 10n ** BigInt(shift) : a.unscaled;
    const divisor = shift >= 0 ? b.unscaled : b.unscaled * 10n ** BigInt(-shift);
    if (numerator % divisor === 0n) return new ApexDecimal(numerator / divisor, scale);
  }
  // Non-terminating: 34 significant digits.
  const magnitude = (x: bigint) => (x < 0n ? -x : x).toString().length;
  const integerDigits = magnitude(a.unscaled) - a.scale - (magnitude(b.unscaled) - b.scale) + 1;
  const scale = DIVISION_DIGITS - integerDigits;
  const shift = scale - a.scale + b.scale;
  const numerator = shift >= 0 ? a.unscaled * 10n ** BigInt(shift) : a.unscaled;
  const divisor = shift >= 0 ? b.unscaled : b.unscaled * 10n ** BigInt(-shift);
  return new ApexDecimal(divideRounded(numerator, divisor, 'HALF_EVEN'), scale);
}

export function negate(a: Value): Value {
  if (typeof a === 'number') return -a | 0;
  if (typeof a === 'bigint') return BigInt.asIntN(64, -a);
  if (a instanceof ApexDouble) return new ApexDouble(-a.value);
  if (a instanceof ApexDecimal) return new ApexDecimal(-a.unscaled, a.scale);
  throw operandError('-', a, 0);
}

/** `x++` / `x--` arithmetic on any number type. */
export function step(a: Value, delta: 1 | -1): Value {
  if (typeof a === 'number') return (a + delta) | 0;
  if (a === null) throw nullPointer();
  return add(a, delta);
}

/** <, <=, >, >=: -1/0/1, or null when the comparison is false whatever the operator (NUL-05). */
export function compare(a: Value, b: Value): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (isText(a) || isText(b)) {
    // Strings compare case-insensitively; a non-null String is greater than null (STR-06).
    if (a === null) return -1;
    if (b === null) return 1;
    const x = (a instanceof ApexId ? a.value : (a as string)).toLowerCase();
    const y = (b instanceof ApexId ? b.value : (b as string)).toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a === null || b === null) return null;
  if (rank(a) >= 0 && rank(b) >= 0) return compareNumbers(a as Num, b as Num);
  if (a instanceof ApexDate && b instanceof ApexDate) return Math.sign(a.epochDay - b.epochDay);
  if (a instanceof ApexDatetime && b instanceof ApexDatetime) {
    return Math.sign(a.epochMillis - b.epochMillis);
  }
  if (a instanceof ApexDate && b instanceof ApexDatetime) {
    return Math.sign(a.epochDay * 86400000 - b.epochMillis);
  }
  if (a instanceof ApexDatetime && b instanceof ApexDate) {
    return Math.sign(a.epochMillis - b.epochDay * 86400000);
  }
  if (a instanceof ApexTime && b instanceof ApexTime)
    return Math.sign(a.millisOfDay - b.millisOfDay);
  throw operandError('comparison', a, b);
}

/** &, |, ^ on Integers, Longs and Booleans (the Boolean forms do not short-circuit). */
export function bitwise(op: '&' | '|' | '^', a: Value, b: Value): Value {
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    return op === '&' ? a && b : op === '|' ? a || b : a !== b;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    return op === '&' ? a & b : op === '|' ? a | b : a ^ b;
  }
  if (
    (typeof a === 'number' || typeof a === 'bigint') &&
    (typeof b === 'number' || typeof b === 'bigint')
  ) {
    const x = asLong(a);
    const y = asLong(b);
    return op === '&' ? x & y : op === '|' ? x | y : x ^ y;
  }
  throw operandError(op, a, b);
}

export function shiftBits(op: '<<' | '>>' | '>>>', a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    return op === '<<' ? a << b : op === '>>' ? a >> b : (a >>> b) | 0;
  }
  if (typeof a === 'bigint' && (typeof b === 'number' || typeof b === 'bigint')) {
    const n = BigInt(Number(b) & 63);
    if (op === '<<') return BigInt.asIntN(64, a << n);
    if (op === '>>') return a >> n;
    return BigInt.asIntN(64, BigInt.asUintN(64, a) >> n);
  }
  throw operandError(op, a, b);
}

export function bitNot(a: Value): Value {
  if (typeof a === 'number') return ~a;
  if (typeof a === 'bigint') return ~a;
  throw operandError('~', a, 0);
}
