// Apex operators on runtime values. Numbers go through the shared arithmetic module
// (../arithmetic.ts: promotion Integer → Long → Double → Decimal, NUM-04; 32- and 64-bit wrapping,
// NUM-02; truncating division and "Divide by 0", NUM-05/07/08; Decimal division precision,
// NUM-10). This file adds what only operators do: String concatenation (STR-09..12), Date/Datetime/
// Time arithmetic, relational operators with null (NUL-05), and the Boolean forms of & | ^.
import * as arithmetic from '../arithmetic';
import {
  ApexDate,
  ApexDatetime,
  ApexDouble,
  ApexError,
  ApexId,
  ApexTime,
  compareNumbers,
  nullPointer,
  toApexString,
  type Value,
} from '../values';

type Num = arithmetic.ApexNumber;

const isNum = arithmetic.isApexNumber;

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

/** The text a value contributes to `+` concatenation (a Date gains a midnight time, STR-11). */
export function concatText(v: Value): string {
  if (v instanceof ApexDate) return `${v.toString()} 00:00:00`;
  return toApexString(v);
}

const isText = (v: Value) => typeof v === 'string' || v instanceof ApexId;

export function add(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') return (a + b) | 0;
  if (isText(a) || isText(b)) return concatText(a) + concatText(b);
  if (isNum(a) && isNum(b)) return arithmetic.add(a, b);
  return addDates(a, b, 1);
}

export function subtract(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') return (a - b) | 0;
  if (isNum(a) && isNum(b)) return arithmetic.subtract(a, b);
  return addDates(a, b, -1);
}

/** Date ± Integer days; Datetime ± days (fractions allowed); Time ± milliseconds. */
function addDates(a: Value, b: Value, sign: 1 | -1): Value {
  if (a instanceof ApexDate && typeof b === 'number') return new ApexDate(a.epochDay + sign * b);
  if (a instanceof ApexDatetime && isNum(b)) {
    return new ApexDatetime(a.epochMillis + sign * Math.round(asDouble(b) * 86400000));
  }
  if (a instanceof ApexTime && typeof b === 'number') {
    return new ApexTime((((a.millisOfDay + sign * b) % 86400000) + 86400000) % 86400000);
  }
  throw operandError(sign > 0 ? '+' : '-', a, b);
}

export function multiply(a: Value, b: Value): Value {
  if (isNum(a) && isNum(b)) return arithmetic.multiply(a, b);
  throw operandError('*', a, b);
}

export function divide(a: Value, b: Value): Value {
  if (isNum(a) && isNum(b)) return arithmetic.divide(a, b);
  throw operandError('/', a, b);
}

export function negate(a: Value): Value {
  if (isNum(a)) return arithmetic.negate(a);
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
  if (isNum(a) && isNum(b)) return compareNumbers(a, b);
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

const isIntegral = (v: Value): v is number | bigint =>
  typeof v === 'number' || typeof v === 'bigint';

/** &, |, ^ on Integers, Longs and Booleans (the Boolean forms do not short-circuit). */
export function bitwise(op: '&' | '|' | '^', a: Value, b: Value): Value {
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    return op === '&' ? a && b : op === '|' ? a || b : a !== b;
  }
  if (isIntegral(a) && isIntegral(b)) {
    return op === '&'
      ? arithmetic.bitAnd(a, b)
      : op === '|'
        ? arithmetic.bitOr(a, b)
        : arithmetic.bitXor(a, b);
  }
  throw operandError(op, a, b);
}

export function shiftBits(op: '<<' | '>>' | '>>>', a: Value, b: Value): Value {
  if (isIntegral(a) && isIntegral(b)) {
    return op === '<<'
      ? arithmetic.shiftLeft(a, b)
      : op === '>>'
        ? arithmetic.shiftRight(a, b)
        : arithmetic.shiftRightUnsigned(a, b);
  }
  throw operandError(op, a, b);
}

export function bitNot(a: Value): Value {
  if (typeof a === 'number') return ~a;
  if (typeof a === 'bigint') return ~a;
  throw operandError('~', a, 0);
}
