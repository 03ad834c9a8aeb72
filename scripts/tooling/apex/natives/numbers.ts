// Integer, Long, Double, Decimal, Math, Boolean and the System.RoundingMode enum. Apex numbers are
// Java's int, long, double and BigDecimal (Apex Developer Guide, "Primitive Data Types"); the
// conversions below follow those Java types. Row ids refer to SEMANTICS.md.
import {
  decimalFromDouble,
  divideToScale,
  kindOf,
  mod,
  promote,
  type ApexNumber,
  type RoundingMode,
} from '../arithmetic';
import { registerNative, type NativeContext, type NativeMethod } from './registry';
import { int, jsLocale, required, str, typeException, userLocale } from './support';
import {
  ApexDecimal,
  ApexDouble,
  ApexError,
  ApexList,
  EnumValue,
  UnsupportedError,
  compareNumbers,
  formatDouble,
  isNumeric,
  runtimeType,
  toInt32,
  toInt64,
  typeName,
  typeRef,
  type Value,
} from '../values';

// ── System.RoundingMode ─────────────────────────────────────────────────────────────────────

const ROUNDING_MODES = [
  'UP',
  'DOWN',
  'CEILING',
  'FLOOR',
  'HALF_UP',
  'HALF_DOWN',
  'HALF_EVEN',
  'UNNECESSARY',
] as const;
/** One EnumValue per constant, so `==` on constants is identity. */
export const ROUNDING_MODE = Object.fromEntries(
  ROUNDING_MODES.map((name, i) => [name, new EnumValue('System.RoundingMode', name, i)]),
) as Record<(typeof ROUNDING_MODES)[number], EnumValue>;

registerNative({
  name: 'System.RoundingMode',
  staticFields: Object.fromEntries(
    ROUNDING_MODES.map((name) => [name.toLowerCase(), () => ROUNDING_MODE[name]]),
  ),
  statics: {
    values: () => new ApexList(typeRef('System.RoundingMode'), Object.values(ROUNDING_MODE)),
  },
});

function roundingModeOf(value: Value): RoundingMode | 'UNNECESSARY' {
  const mode = required(value);
  if (!(mode instanceof EnumValue) || mode.enumType !== 'System.RoundingMode') {
    throw new Error('expected a System.RoundingMode');
  }
  return mode.name as RoundingMode | 'UNNECESSARY';
}

/** setScale / divide with a mode, including UNNECESSARY (which throws when rounding is needed). */
function scaleWith(
  value: ApexDecimal,
  scale: number,
  mode: RoundingMode | 'UNNECESSARY',
): ApexDecimal {
  if (mode === 'UNNECESSARY') {
    const exact = value.setScale(scale, 'DOWN');
    if (exact.compareTo(value) !== 0) {
      throw new ApexError('System.MathException', 'Rounding necessary');
    }
    return exact;
  }
  return value.setScale(scale, mode);
}

// ── parsing (NUM-14) ────────────────────────────────────────────────────────────────────────

export function parseInteger(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw typeException(`Invalid integer: ${text}`);
  const value = Number(text);
  if (value > 2147483647 || value < -2147483648) throw typeException(`Invalid integer: ${text}`);
  return value;
}

export function parseLong(text: string): bigint {
  if (!/^[+-]?\d+$/.test(text)) throw typeException(`Invalid long: ${text}`);
  const value = BigInt(text);
  if (value !== BigInt.asIntN(64, value)) throw typeException(`Invalid long: ${text}`);
  return value;
}

/** Java Double.parseDouble: surrounding whitespace allowed, NaN/Infinity, a d/f suffix. */
export function parseDouble(text: string): number {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  const t = text.slice(start, end);
  if (/^[+-]?NaN$/.test(t)) return NaN;
  if (/^[+-]?Infinity$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(t)) {
    throw typeException(`Invalid double: ${text}`);
  }
  return Number(t.replace(/[dDfF]$/, ''));
}

export function parseDecimal(text: string): ApexDecimal {
  const parsed = /^\S(.*\S)?$/.test(text) ? ApexDecimal.parse(text) : null;
  if (!parsed) throw typeException(`Invalid decimal: ${text}`);
  return parsed;
}

// ── conversions between number types (NUM-12) ─────────────────────────────────────────────

/** Truncating conversion to Integer: Double saturates as a Java (int) cast, others wrap. */
export function toIntegerValue(value: ApexNumber): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(BigInt.asIntN(32, value));
  if (value instanceof ApexDouble) {
    const v = value.value;
    if (Number.isNaN(v)) return 0;
    return Math.max(-2147483648, Math.min(2147483647, Math.trunc(v)));
  }
  return Number(BigInt.asIntN(32, value.setScale(0, 'DOWN').unscaled));
}

export function toLongValue(value: ApexNumber): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  if (value instanceof ApexDouble) {
    const v = value.value;
    if (Number.isNaN(v)) return 0n;
    if (v >= 2 ** 63) return 9223372036854775807n; // a Java (long) cast saturates
    if (v <= -(2 ** 63)) return -9223372036854775808n;
    return BigInt(Math.trunc(v));
  }
  return BigInt.asIntN(64, value.setScale(0, 'DOWN').unscaled);
}

export function toDoubleValue(value: ApexNumber): number {
  if (value instanceof ApexDouble) return value.value;
  if (value instanceof ApexDecimal) return value.toNumber();
  return Number(value);
}

export function toDecimalValue(value: ApexNumber): ApexDecimal {
  if (value instanceof ApexDecimal) return value;
  if (value instanceof ApexDouble) return decimalFromDouble(value.value);
  return ApexDecimal.fromInteger(value);
}

const num = (value: Value): ApexNumber => {
  const v = required(value);
  if (!isNumeric(v)) throw new Error(`expected a number, got ${typeName(runtimeType(v))}`);
  return v;
};

/** X.valueOf(Object): a String is parsed, a number converted, null stays null (NUM-15). */
function valueOfWith<T>(
  parse: (text: string) => T,
  convert: (n: ApexNumber) => T,
  target: string,
): NativeMethod {
  return (_ctx, _self, [v]) => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string') return parse(v) as Value;
    if (isNumeric(v)) return convert(v) as Value;
    throw typeException(
      `Invalid conversion from runtime type ${typeName(runtimeType(v))} to ${target}`,
    );
  };
}

/** Integer.format / Long.format: grouped digits in the user's locale. */
function formatWhole(ctx: NativeContext, value: number | bigint): string {
  return new Intl.NumberFormat(jsLocale(userLocale(ctx)), { maximumFractionDigits: 0 }).format(
    value,
  );
}

const conversions: Record<string, NativeMethod> = {
  intvalue: (_ctx, self) => toIntegerValue(num(self)),
  longvalue: (_ctx, self) => toLongValue(num(self)),
  doublevalue: (_ctx, self) => new ApexDouble(toDoubleValue(num(self))),
  decimalvalue: (_ctx, self) => toDecimalValue(num(self)),
};

registerNative({
  name: 'Integer',
  aliases: ['System.Integer'],
  statics: {
    valueof: valueOfWith(parseInteger, toIntegerValue, 'Integer'),
  },
  methods: {
    ...conversions,
    format: (ctx, self) => formatWhole(ctx, num(self) as number),
    hashcode: (_ctx, self) => num(self) as number,
    tostring: (_ctx, self) => String(num(self)),
  },
});

registerNative({
  name: 'Long',
  aliases: ['System.Long'],
  statics: {
    valueof: valueOfWith(parseLong, toLongValue, 'Long'),
  },
  methods: {
    ...conversions,
    format: (ctx, self) => formatWhole(ctx, num(self) as bigint),
    // Java Long.hashCode: high and low words xor-ed.
    hashcode: (_ctx, self) => {
      const v = BigInt.asUintN(64, num(self) as bigint);
      return Number(BigInt.asIntN(32, v ^ (v >> 32n)));
    },
    tostring: (_ctx, self) => String(num(self)),
  },
});

registerNative({
  name: 'Double',
  aliases: ['System.Double'],
  statics: {
    valueof: valueOfWith(
      (t) => new ApexDouble(parseDouble(t)),
      (n) => new ApexDouble(toDoubleValue(n)),
      'Double',
    ),
  },
  methods: {
    ...conversions,
    // Double.round(): Java Math.round, to a Long.
    round: (_ctx, self) => toLongValue(new ApexDouble(Math.floor(toDoubleValue(num(self)) + 0.5))),
    tostring: (_ctx, self) => formatDouble(toDoubleValue(num(self))),
    format: () => {
      throw new UnsupportedError('Double.format (locale number formatting)');
    },
  },
});

const dec = (self: Value): ApexDecimal => toDecimalValue(num(self));

/** BigDecimal.stripTrailingZeros: zero becomes 0 (scale 0). */
export function stripTrailingZeros(value: ApexDecimal): ApexDecimal {
  if (value.isZero()) return new ApexDecimal(0n, 0);
  let unscaled = value.unscaled;
  let scale = value.scale;
  while (unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  return new ApexDecimal(unscaled, scale);
}

function precisionOf(value: ApexDecimal): number {
  const u = value.unscaled < 0n ? -value.unscaled : value.unscaled;
  return u === 0n ? 1 : u.toString().length;
}

registerNative({
  name: 'Decimal',
  aliases: ['System.Decimal'],
  statics: {
    // Decimal.valueOf(Double) goes through the Double's text: 1.0 → scale 1 (NUM-11).
    valueof: valueOfWith(parseDecimal, toDecimalValue, 'Decimal'),
  },
  methods: {
    ...conversions,
    abs: (_ctx, self) => {
      const d = dec(self);
      return d.unscaled < 0n ? new ApexDecimal(-d.unscaled, d.scale) : d;
    },
    // divide(divisor, scale[, mode]): rounded half-up unless a mode is given (NUM-10).
    divide: (_ctx, self, [divisor, scale, mode]) => {
      const m = mode === undefined ? 'HALF_UP' : roundingModeOf(mode);
      const x = dec(self);
      const y = toDecimalValue(num(divisor));
      if (m !== 'UNNECESSARY') return divideToScale(x, y, int(scale), m);
      const exact = divideToScale(x, y, int(scale), 'DOWN');
      if (divideToScale(x, y, int(scale) + 1, 'DOWN').compareTo(exact) !== 0) {
        throw new ApexError('System.MathException', 'Rounding necessary');
      }
      return exact;
    },
    pow: (_ctx, self, [exponent]) => {
      const n = int(exponent);
      if (n < 0 || n > 32767) throw new ApexError('System.MathException', 'Invalid operation');
      const d = dec(self);
      return new ApexDecimal(d.unscaled ** BigInt(n), d.scale * n);
    },
    precision: (_ctx, self) => precisionOf(dec(self)),
    scale: (_ctx, self) => dec(self).scale,
    // Decimal.round(): half-even to a Long; round(mode) with the given mode (NUM-13).
    round: (_ctx, self, [mode]) => {
      const d = dec(self);
      const m = mode === undefined ? 'HALF_EVEN' : roundingModeOf(mode);
      return toInt64(scaleWith(d, 0, m).unscaled);
    },
    setscale: (_ctx, self, [scale, mode]) =>
      scaleWith(dec(self), int(scale), mode === undefined ? 'HALF_EVEN' : roundingModeOf(mode)), // NUM-11
    striptrailingzeros: (_ctx, self) => stripTrailingZeros(dec(self)),
    toplainstring: (_ctx, self) => dec(self).toPlainString(), // STR-18
    tostring: (_ctx, self) => dec(self).toString(),
    format: () => {
      throw new UnsupportedError('Decimal.format (locale number formatting)');
    },
  },
});

// ── Math (NUM-06, NUM-13) ───────────────────────────────────────────────────────────────────

/** A function of one Double or Decimal: a Decimal argument gives a Decimal back. */
function unary(
  onDouble: (x: number) => number,
  onDecimal?: (x: ApexDecimal) => ApexDecimal,
): NativeMethod {
  return (_ctx, _self, [arg]) => {
    const x = num(arg);
    if (x instanceof ApexDecimal) {
      return onDecimal ? onDecimal(x) : decimalFromDouble(onDouble(x.toNumber()));
    }
    return new ApexDouble(onDouble(toDoubleValue(x)));
  };
}

function pairOf(a: Value, b: Value): [ApexNumber, ApexNumber] {
  const x = num(a);
  const y = num(b);
  const rank = { Integer: 0, Long: 1, Double: 2, Decimal: 3 };
  const kind = rank[kindOf(x)] >= rank[kindOf(y)] ? kindOf(x) : kindOf(y);
  return [promote(x, kind), promote(y, kind)];
}

registerNative({
  name: 'System.Math',
  staticFields: {
    pi: () => new ApexDouble(Math.PI),
    e: () => new ApexDouble(Math.E),
  },
  statics: {
    abs: (_ctx, _self, [arg]) => {
      const x = num(arg);
      if (typeof x === 'number') return toInt32(Math.abs(x)); // abs(MIN_VALUE) stays negative
      if (typeof x === 'bigint') return toInt64(x < 0n ? -x : x);
      if (x instanceof ApexDouble) return new ApexDouble(Math.abs(x.value));
      return x.unscaled < 0n ? new ApexDecimal(-x.unscaled, x.scale) : x;
    },
    max: (_ctx, _self, [a, b]) => {
      const [x, y] = pairOf(a, b);
      return compareNumbers(x, y) >= 0 ? x : y;
    },
    min: (_ctx, _self, [a, b]) => {
      const [x, y] = pairOf(a, b);
      return compareNumbers(x, y) <= 0 ? x : y;
    },
    mod: (_ctx, _self, [a, b]) => mod(a, b),
    // floor/ceil: Decimal → Decimal, otherwise Double (NUM-13).
    floor: unary(Math.floor, (d) => d.setScale(0, 'FLOOR')),
    ceil: unary(Math.ceil, (d) => d.setScale(0, 'CEILING')),
    round: (_ctx, _self, [arg]) => toIntegerValue(roundToLong(num(arg))),
    roundtolong: (_ctx, _self, [arg]) => roundToLong(num(arg)),
    signum: unary(
      Math.sign,
      (d) => new ApexDecimal(d.unscaled > 0n ? 1n : d.unscaled < 0n ? -1n : 0n, 0),
    ),
    sqrt: unary(Math.sqrt),
    cbrt: unary(Math.cbrt),
    exp: unary(Math.exp),
    log: unary(Math.log),
    log10: unary(Math.log10),
    sin: unary(Math.sin),
    cos: unary(Math.cos),
    tan: unary(Math.tan),
    pow: (_ctx, _self, [a, b]) =>
      new ApexDouble(Math.pow(toDoubleValue(num(a)), toDoubleValue(num(b)))),
    random: () => new ApexDouble(Math.random()),
  },
});

/** Math.round/roundToLong: half-even for Decimal, Java's half-up (floor(x + 0.5)) for the rest. */
function roundToLong(x: ApexNumber): bigint {
  if (x instanceof ApexDecimal) return toInt64(x.setScale(0, 'HALF_EVEN').unscaled);
  if (x instanceof ApexDouble) return toLongValue(new ApexDouble(Math.floor(x.value + 0.5)));
  return toLongValue(x);
}

// ── Boolean (NUM-16) ────────────────────────────────────────────────────────────────────────

registerNative({
  name: 'Boolean',
  aliases: ['System.Boolean'],
  statics: {
    valueof: (_ctx, _self, [v]) => {
      if (v === null || v === undefined) return false;
      if (typeof v === 'boolean') return v;
      return str(v).toLowerCase() === 'true';
    },
  },
  methods: {
    tostring: (_ctx, self) => String(required(self)),
  },
});
