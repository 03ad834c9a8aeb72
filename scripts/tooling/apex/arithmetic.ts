// Apex arithmetic on the runtime's number representations, shared by the interpreter's operators
// and the Math/Decimal natives. Binary operations promote along Integer → Long → Double → Decimal
// (Apex Developer Guide, "Rules of Conversion"; SEMANTICS.md NUM-04): the result takes the higher
// operand type. Integer wraps at 32 bits and Long at 64 (NUM-02); integral and Decimal division by
// zero throw System.MathException 'Divide by 0' (NUM-07), and so does Double division (NUM-08).
import {
  ApexDecimal,
  ApexDouble,
  ApexError,
  divideRounded,
  nullPointer,
  toInt32,
  toInt64,
  type Value,
} from './values';

export type ApexNumber = number | bigint | ApexDouble | ApexDecimal;
export type RoundingMode = Parameters<ApexDecimal['setScale']>[1];

/** Significant digits kept when a Decimal quotient does not terminate (see divideDecimal). */
export const DECIMAL_DIVISION_DIGITS = 33;

export const divideByZero = () => new ApexError('System.MathException', 'Divide by 0');

/** The numeric kind a binary operation computes in: the higher of the two operand kinds. */
export type NumberKind = 'Integer' | 'Long' | 'Double' | 'Decimal';
const RANK: Record<NumberKind, number> = { Integer: 0, Long: 1, Double: 2, Decimal: 3 };

export function kindOf(value: ApexNumber): NumberKind {
  if (typeof value === 'number') return 'Integer';
  if (typeof value === 'bigint') return 'Long';
  if (value instanceof ApexDouble) return 'Double';
  return 'Decimal';
}

export function isApexNumber(value: Value): value is ApexNumber {
  return (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    value instanceof ApexDouble ||
    value instanceof ApexDecimal
  );
}

function operands(a: Value, b: Value, op: string): [ApexNumber, ApexNumber, NumberKind] {
  if (a === null || b === null) throw nullPointer();
  if (!isApexNumber(a) || !isApexNumber(b)) {
    throw new Error(`arithmetic '${op}' on non-numbers`); // the interpreter type-checks first
  }
  const kind = RANK[kindOf(a)] >= RANK[kindOf(b)] ? kindOf(a) : kindOf(b);
  return [a, b, kind];
}

/** A number converted up to a (higher or equal) kind. */
export function promote(value: ApexNumber, kind: NumberKind): ApexNumber {
  switch (kind) {
    case 'Integer':
      return value;
    case 'Long':
      return typeof value === 'bigint' ? value : BigInt(value as number);
    case 'Double':
      if (value instanceof ApexDouble) return value;
      if (value instanceof ApexDecimal) return new ApexDouble(value.toNumber());
      return new ApexDouble(Number(value));
    default:
      if (value instanceof ApexDecimal) return value;
      if (value instanceof ApexDouble) return ApexDecimal.fromNumber(value.value);
      return ApexDecimal.fromInteger(value);
  }
}

/** A Double as a Decimal (Decimal.valueOf(Double)); see ApexDecimal.fromNumber. */
export const decimalFromDouble = (value: number): ApexDecimal => ApexDecimal.fromNumber(value);

function alignScales(a: ApexDecimal, b: ApexDecimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.withScale(scale).unscaled, b.withScale(scale).unscaled, scale];
}

export function add(a: Value, b: Value): ApexNumber {
  const [x, y, kind] = operands(a, b, '+');
  switch (kind) {
    case 'Integer':
      return toInt32((x as number) + (y as number));
    case 'Long':
      return toInt64((promote(x, kind) as bigint) + (promote(y, kind) as bigint));
    case 'Double':
      return new ApexDouble(
        (promote(x, kind) as ApexDouble).value + (promote(y, kind) as ApexDouble).value,
      );
    default: {
      // The sum keeps the larger scale: 1.10 + 1 → 2.10 (NUM-09).
      const [p, q, scale] = alignScales(
        promote(x, kind) as ApexDecimal,
        promote(y, kind) as ApexDecimal,
      );
      return new ApexDecimal(p + q, scale);
    }
  }
}

export function negate(a: Value): ApexNumber {
  if (a === null) throw nullPointer();
  if (typeof a === 'number') return toInt32(-a);
  if (typeof a === 'bigint') return toInt64(-a);
  if (a instanceof ApexDouble) return new ApexDouble(-a.value);
  if (a instanceof ApexDecimal) return new ApexDecimal(-a.unscaled, a.scale);
  throw new Error('negation of a non-number');
}

export function subtract(a: Value, b: Value): ApexNumber {
  const [x, y] = operands(a, b, '-');
  return add(x, negate(y));
}

export function multiply(a: Value, b: Value): ApexNumber {
  const [x, y, kind] = operands(a, b, '*');
  switch (kind) {
    case 'Integer':
      return Math.imul(x as number, y as number);
    case 'Long':
      return toInt64((promote(x, kind) as bigint) * (promote(y, kind) as bigint));
    case 'Double':
      return new ApexDouble(
        (promote(x, kind) as ApexDouble).value * (promote(y, kind) as ApexDouble).value,
      );
    default: {
      // Scales add: 1.5 * 1.25 → 1.875 (NUM-10).
      const p = promote(x, kind) as ApexDecimal;
      const q = promote(y, kind) as ApexDecimal;
      return new ApexDecimal(p.unscaled * q.unscaled, p.scale + q.scale);
    }
  }
}

export function divide(a: Value, b: Value): ApexNumber {
  const [x, y, kind] = operands(a, b, '/');
  switch (kind) {
    case 'Integer':
      if (y === 0) throw divideByZero();
      // Truncates toward zero; MIN / -1 wraps back to MIN as in Java.
      return toInt32(Math.trunc((x as number) / (y as number)));
    case 'Long': {
      const q = promote(y, kind) as bigint;
      if (q === 0n) throw divideByZero();
      return toInt64((promote(x, kind) as bigint) / q);
    }
    case 'Double': {
      const q = (promote(y, kind) as ApexDouble).value;
      if (q === 0) throw divideByZero();
      return new ApexDouble((promote(x, kind) as ApexDouble).value / q);
    }
    default:
      return divideDecimal(promote(x, kind) as ApexDecimal, promote(y, kind) as ApexDecimal);
  }
}

/**
 * Decimal `/`: the exact quotient when it terminates, at the smallest scale not below the
 * dividend's scale minus the divisor's (java.math.BigDecimal.divide's preferred scale); otherwise
 * rounded half-even to DECIMAL_DIVISION_DIGITS significant digits. A published run result shows
 * 1.0/3 equal to 0.333333333333333333333333333333333 (33 digits; force201.wordpress.com,
 * "Decimal scale", 2010); SEMANTICS.md NUM-10 records this as the settled precision.
 */
export function divideDecimal(x: ApexDecimal, y: ApexDecimal): ApexDecimal {
  if (y.isZero()) throw divideByZero();
  const preferred = x.scale - y.scale;
  if (x.isZero()) return new ApexDecimal(0n, Math.max(preferred, 0));
  // Try exact division: scale up until the remainder vanishes or precision is exhausted.
  const digits = (v: bigint) => (v < 0n ? -v : v).toString().length;
  const maxExtra = DECIMAL_DIVISION_DIGITS + digits(y.unscaled) + 2;
  for (let extra = 0; extra <= maxExtra; extra++) {
    const numerator = x.unscaled * 10n ** BigInt(extra);
    if (numerator % y.unscaled === 0n) {
      const exact = new ApexDecimal(numerator / y.unscaled, preferred + extra);
      return exact.scale < 0 ? exact.withScale(0) : exact;
    }
  }
  // Non-terminating: pick a scale giving DECIMAL_DIVISION_DIGITS significant digits.
  const approx = x.toNumber() / y.toNumber();
  const magnitude = Math.floor(Math.log10(Math.abs(approx)));
  let scale = DECIMAL_DIVISION_DIGITS - 1 - magnitude;
  let result = divideToScale(x, y, scale, 'HALF_EVEN');
  // log10 may be off by one at digit boundaries: correct to exactly the wanted digit count.
  const count = digits(result.unscaled);
  if (count !== DECIMAL_DIVISION_DIGITS) {
    scale += DECIMAL_DIVISION_DIGITS - count;
    result = divideToScale(x, y, scale, 'HALF_EVEN');
  }
  return result;
}

/** x / y rounded to the given scale (Decimal.divide(divisor, scale[, mode])). */
export function divideToScale(
  x: ApexDecimal,
  y: ApexDecimal,
  scale: number,
  mode: RoundingMode,
): ApexDecimal {
  if (y.isZero()) throw divideByZero();
  // x/y = (xu * 10^-xs) / (yu * 10^-ys); result unscaled = xu * 10^(scale - xs + ys) / yu.
  const shift = scale - x.scale + y.scale;
  let numerator = x.unscaled;
  let denominator = y.unscaled;
  if (shift >= 0) numerator *= 10n ** BigInt(shift);
  else denominator *= 10n ** BigInt(-shift);
  return new ApexDecimal(divideRounded(numerator, denominator, mode), scale);
}

/** Math.mod: the remainder with the dividend's sign (Java %), Integer or Long (NUM-06). */
export function mod(a: Value, b: Value): number | bigint {
  const [x, y, kind] = operands(a, b, 'mod');
  if (kind === 'Integer') {
    if (y === 0) throw divideByZero();
    return toInt32((x as number) % (y as number));
  }
  if (kind === 'Long') {
    const q = promote(y, kind) as bigint;
    if (q === 0n) throw divideByZero();
    return (promote(x, kind) as bigint) % q;
  }
  throw new Error('Math.mod takes Integer or Long arguments');
}

// ── bitwise and shifts (Integer and Long only; the shift count is masked as in Java) ─────────

function integral(a: Value, b: Value, op: string): [number | bigint, number | bigint, boolean] {
  const [x, y, kind] = operands(a, b, op);
  if (kind !== 'Integer' && kind !== 'Long') throw new Error(`'${op}' on non-integral numbers`);
  return [x as number | bigint, y as number | bigint, kind === 'Long'];
}

export function shiftLeft(a: Value, count: Value): number | bigint {
  if (a === null || count === null) throw nullPointer();
  const n = Number(count);
  if (typeof a === 'bigint') return toInt64(a << BigInt(n & 63));
  return (a as number) << (n & 31);
}

export function shiftRight(a: Value, count: Value): number | bigint {
  if (a === null || count === null) throw nullPointer();
  const n = Number(count);
  if (typeof a === 'bigint') return a >> BigInt(n & 63);
  return (a as number) >> (n & 31);
}

export function shiftRightUnsigned(a: Value, count: Value): number | bigint {
  if (a === null || count === null) throw nullPointer();
  const n = Number(count);
  if (typeof a === 'bigint') return toInt64(BigInt.asUintN(64, a) >> BigInt(n & 63));
  return toInt32((a as number) >>> (n & 31));
}

export function bitAnd(a: Value, b: Value): number | bigint {
  const [x, y, long] = integral(a, b, '&');
  return long ? BigInt(x) & BigInt(y) : (x as number) & (y as number);
}

export function bitOr(a: Value, b: Value): number | bigint {
  const [x, y, long] = integral(a, b, '|');
  return long ? BigInt(x) | BigInt(y) : (x as number) | (y as number);
}

export function bitXor(a: Value, b: Value): number | bigint {
  const [x, y, long] = integral(a, b, '^');
  return long ? BigInt(x) ^ BigInt(y) : (x as number) ^ (y as number);
}
