// String statics and instance methods, and the Id class. Apex String methods follow Java's
// java.lang.String where the names match (substring, indexOf, compareTo, trim, split, replaceAll)
// and Apache commons-lang StringUtils for the rest (abbreviate, leftPad, substringBefore, …), as the
// Apex Reference "String Class" describes them. Row ids refer to SEMANTICS.md.
import { registerNative, type NativeContext, type NativeMethod } from './registry';
import { javaMatches, javaReplace, javaSplit } from './regex';
import {
  int,
  jsLocale,
  required,
  str,
  stringException,
  stringList,
  userLocale,
  valueOfString,
  zonedParts,
} from './support';
import {
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexError,
  ApexId,
  ApexList,
  ApexSet,
  UnsupportedError,
  isNumeric,
  normalizeId,
  toApexString,
  type Value,
} from '../values';

// ── character classes as java.lang.Character defines them ──────────────────────────────────

/** Character.isWhitespace: Unicode spaces except the no-break ones, plus \t \n \v \f \r, FS…US. */
export function isJavaWhitespace(ch: string): boolean {
  const code = ch.charCodeAt(0);
  if ((code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f)) return true;
  if (ch === '\u00A0' || ch === '\u2007' || ch === '\u202F') return false;
  return /[\p{Zs}\p{Zl}\p{Zp}]/u.test(ch);
}

const isLetter = (ch: string) => /\p{L}/u.test(ch);
const isDigit = (ch: string) => /\p{Nd}/u.test(ch);
const chars = (s: string) => Array.from(s);

/** Lower/upper case with the rules of a locale: Turkish, Azeri and Lithuanian differ (STR-22). */
function caseOf(text: string, locale: string, upper: boolean): string {
  const language = locale.split(/[_-]/)[0].toLowerCase();
  if (language === 'tr' || language === 'az' || language === 'lt') {
    return upper
      ? text.toLocaleUpperCase(jsLocale(locale))
      : text.toLocaleLowerCase(jsLocale(locale));
  }
  return upper ? text.toUpperCase() : text.toLowerCase();
}

/** java.lang.String.hashCode, as a 32-bit Integer. */
export function javaHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/** Java String.compareTo: difference of the first differing UTF-16 units, else of lengths (STR-05). */
export function javaCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Java String.trim: strips characters ≤ U+0020 from both ends (STR-32). */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

function checkedSubstring(s: string, start: number, end = s.length): string {
  // Messages as the platform words them (STR-21).
  if (start < 0 || start > s.length) {
    throw stringException(`Starting position out of bounds: ${start}`);
  }
  if (end > s.length || end < start) throw stringException(`Ending position out of bounds: ${end}`);
  return s.slice(start, end);
}

function pad(s: string, size: number, padText: string | null, left: boolean): string {
  const fill = padText === null || padText === '' ? ' ' : padText;
  const count = size - s.length;
  if (count <= 0) return s;
  const padding = fill.repeat(Math.ceil(count / fill.length)).slice(0, count);
  return left ? padding + s : s + padding;
}

/** commons-lang abbreviate(str, offset, maxWidth) (STR-25). */
function abbreviate(s: string, maxWidth: number, offset = 0): string {
  if (maxWidth < 4) throw stringException('Minimum abbreviation width is 4');
  if (s.length <= maxWidth) return s;
  let at = Math.min(offset, s.length);
  if (s.length - at < maxWidth - 3) at = s.length - (maxWidth - 3);
  if (at <= 4) return `${s.slice(0, maxWidth - 3)}...`;
  if (maxWidth < 7) throw stringException('Minimum abbreviation width with offset is 7');
  if (at + maxWidth - 3 < s.length) return `...${abbreviate(s.slice(at), maxWidth - 3)}`;
  return `...${s.slice(s.length - (maxWidth - 3))}`;
}

function countMatches(s: string, sub: string): number {
  if (!s || !sub) return 0;
  let count = 0;
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length)) count++;
  return count;
}

/**
 * A Decimal or Double in String.format (STR-23): MessageFormat formats a Number with
 * NumberFormat.getInstance(locale) — for en_US the pattern #,##0.### (grouping, at most three
 * fraction digits, HALF_EVEN on the exact value). Other locales fail loudly.
 */
function formatNumberArgument(ctx: NativeContext, arg: ApexDecimal | ApexDouble): string {
  const locale = userLocale(ctx);
  if (locale !== 'en_US') {
    throw new UnsupportedError(`String.format of a Decimal or Double in the ${locale} locale`);
  }
  let unscaled: bigint;
  let scale: number;
  // DecimalFormat keeps the sign of the value, also when it rounds to zero ('-0').
  const negative =
    arg instanceof ApexDecimal ? arg.unscaled < 0n : arg.value < 0 || Object.is(arg.value, -0);
  if (arg instanceof ApexDecimal) {
    ({ unscaled, scale } = arg);
  } else {
    if (!Number.isFinite(arg.value)) {
      throw new UnsupportedError('String.format of a NaN or infinite Double');
    }
    ({ unscaled, scale } = exactDouble(arg.value));
  }
  // Round to three fraction digits, HALF_EVEN.
  if (unscaled < 0n) unscaled = -unscaled;
  if (scale > 3) {
    const divisor = 10n ** BigInt(scale - 3);
    let q = unscaled / divisor;
    const twice = (unscaled % divisor) * 2n;
    if (twice > divisor || (twice === divisor && q % 2n === 1n)) q += 1n;
    unscaled = q;
    scale = 3;
  } else if (scale < 0) {
    unscaled *= 10n ** BigInt(-scale);
    scale = 0;
  }
  const digits = unscaled.toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = fraction ? `${grouped}.${fraction}` : grouped;
  return negative ? `-${text}` : text;
}

/** The exact decimal value of a finite double: unscaled × 10^-scale. */
function exactDouble(value: number): { unscaled: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  if (exponentBits !== 0) mantissa |= 1n << 52n;
  const exponent = (exponentBits === 0 ? 1 : exponentBits) - 1075;
  const sign = negative ? -1n : 1n;
  if (exponent >= 0) return { unscaled: sign * (mantissa << BigInt(exponent)), scale: 0 };
  // m × 2^-k = m × 5^k × 10^-k
  return { unscaled: sign * mantissa * 5n ** BigInt(-exponent), scale: -exponent };
}

/** java.text.MessageFormat as String.format uses it (STR-23), for text and numeric arguments. */
function messageFormat(ctx: NativeContext, pattern: string, args: Value[]): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        out += "'";
        i++;
      } else {
        quoted = !quoted;
      }
    } else if (c === '{' && !quoted) {
      const close = pattern.indexOf('}', i);
      if (close < 0)
        throw new ApexError('System.StringException', 'Unmatched braces in the pattern.');
      const spec = pattern.slice(i + 1, close).trim();
      if (!/^\d+$/.test(spec)) throw new UnsupportedError(`String.format element {${spec}}`);
      const index = Number(spec);
      if (index >= args.length) {
        out += `{${spec}}`; // MessageFormat leaves an element without an argument as written
      } else {
        const arg = args[index];
        if (typeof arg === 'number' || typeof arg === 'bigint') {
          // MessageFormat's {n} formats an integral number with the locale's grouping (STR-23).
          out += arg.toLocaleString(jsLocale(userLocale(ctx)), { useGrouping: true });
          i = close;
          continue;
        }
        if (arg instanceof ApexDecimal || arg instanceof ApexDouble) {
          out += formatNumberArgument(ctx, arg);
          i = close;
          continue;
        }
        if (
          arg !== null &&
          typeof arg !== 'string' &&
          typeof arg !== 'boolean' &&
          !(arg instanceof ApexId)
        ) {
          // MessageFormat formats dates with the user's locale: not modelled (undocumented).
          throw new UnsupportedError(
            `String.format of a ${typeof arg === 'object' ? 'non-text' : typeof arg} argument`,
          );
        }
        out += valueOfString(ctx, arg);
      }
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

function joinItems(ctx: NativeContext, iterable: Value, separator: string): string {
  const items =
    iterable instanceof ApexList
      ? iterable.items
      : iterable instanceof ApexSet
        ? iterable.values()
        : null;
  if (!items) throw new UnsupportedError('String.join over a non-collection Iterable');
  return items.map((v) => valueOfString(ctx, v)).join(separator);
}

/** A method taking the receiver as a (non-null) string. */
const m =
  (fn: (s: string, args: Value[], ctx: NativeContext) => Value): NativeMethod =>
  (ctx, self, args) =>
    fn(str(self), args, ctx);

/** An optional String argument: null stays null. */
const optStr = (v: Value): string | null => (v === null || v === undefined ? null : str(v));

function valueOf(ctx: NativeContext, args: Value[]): Value {
  const [v] = args;
  if (v === null || v === undefined) return 'null'; // STR-16
  if (isNumeric(v) || typeof v === 'boolean' || typeof v === 'string') return toApexString(v);
  return valueOfString(ctx, v);
}

registerNative({
  name: 'String',
  aliases: ['System.String'],
  statics: {
    valueof: (ctx, _self, args) => valueOf(ctx, args),
    valueofgmt: (_ctx, _self, [dt]) => {
      const p = zonedParts((required(dt) as ApexDatetime).epochMillis, 'GMT');
      const two = (n: number) => String(n).padStart(2, '0');
      return `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
    },
    join: (ctx, _self, [iterable, separator]) =>
      joinItems(ctx, required(iterable), optStr(separator) ?? 'null'),
    isblank: (_ctx, _self, [s]) => s === null || chars(str(s)).every(isJavaWhitespace), // STR-31
    isnotblank: (_ctx, _self, [s]) => !(s === null || chars(str(s)).every(isJavaWhitespace)),
    isempty: (_ctx, _self, [s]) => s === null || str(s) === '',
    isnotempty: (_ctx, _self, [s]) => !(s === null || str(s) === ''),
    escapesinglequotes: (_ctx, _self, [s]) => str(s).replace(/'/g, "\\'"), // STR-30
    format: (ctx, _self, [pattern, list]) =>
      messageFormat(ctx, str(pattern), list === null ? [] : (required(list) as ApexList).items),
    fromchararray: (_ctx, _self, [list]) =>
      String.fromCodePoint(...(required(list) as ApexList).items.map((v) => int(v))),
  },
  methods: {
    length: m((s) => s.length),
    abbreviate: m((s, [w, o]) => abbreviate(s, int(w), o === undefined ? 0 : int(o))),
    capitalize: m((s) => (s ? s[0].toUpperCase() + s.slice(1) : s)),
    uncapitalize: m((s) => (s ? s[0].toLowerCase() + s.slice(1) : s)),
    center: m((s, [size, padText]) => {
      const n = int(size);
      if (n <= s.length) return s;
      const left = s.length + Math.floor((n - s.length) / 2);
      return pad(pad(s, left, optStr(padText ?? null), true), n, optStr(padText ?? null), false);
    }),
    charat: m((s, [i]) => {
      const index = int(i);
      if (index < 0 || index >= s.length) {
        throw new ApexError('System.ListException', `List index out of bounds: ${index}`);
      }
      return s.charCodeAt(index); // STR-33: an Integer
    }),
    codepointat: m((s, [i]) => {
      const index = int(i);
      if (index < 0 || index >= s.length) {
        throw new ApexError('System.ListException', `List index out of bounds: ${index}`);
      }
      return s.codePointAt(index) ?? 0;
    }),
    compareto: m((s, [other]) => javaCompare(s, str(other))),
    contains: m((s, [sub]) => s.includes(str(sub))),
    containsignorecase: m((s, [sub]) => s.toLowerCase().includes(str(sub).toLowerCase())),
    containsany: m((s, [set]) => chars(str(set)).some((c) => s.includes(c))),
    containsnone: m((s, [set]) => !chars(str(set)).some((c) => s.includes(c))),
    containsonly: m((s, [set]) => {
      const valid = new Set(chars(str(set)));
      return chars(s).every((c) => valid.has(c));
    }),
    containswhitespace: m((s) => chars(s).some(isJavaWhitespace)),
    countmatches: m((s, [sub]) => countMatches(s, str(sub))),
    deletewhitespace: m((s) =>
      chars(s)
        .filter((c) => !isJavaWhitespace(c))
        .join(''),
    ),
    endswith: m((s, [suffix]) => s.endsWith(str(suffix))),
    endswithignorecase: m((s, [suffix]) => s.toLowerCase().endsWith(str(suffix).toLowerCase())),
    startswith: m((s, [prefix]) => s.startsWith(str(prefix))),
    startswithignorecase: m((s, [prefix]) => s.toLowerCase().startsWith(str(prefix).toLowerCase())),
    equals: m((s, [other]) => {
      // STR-03: case-sensitive; null or a non-String is never equal.
      if (typeof other === 'string') return s === other;
      if (other instanceof ApexId) return s === other.value || normalizeId(s) === other.value;
      return false;
    }),
    equalsignorecase: m((s, [other]) => {
      if (other === null || other === undefined) return false;
      const o = str(other);
      return (
        s.length === o.length && s.toUpperCase().toLowerCase() === o.toUpperCase().toLowerCase()
      );
    }),
    hashcode: m((s) => javaHashCode(s)),
    indexof: m((s, [sub, from]) =>
      s.indexOf(str(sub), from === undefined ? 0 : Math.max(0, int(from))),
    ),
    indexofignorecase: m((s, [sub, from]) =>
      s
        .toLowerCase()
        .indexOf(str(sub).toLowerCase(), from === undefined ? 0 : Math.max(0, int(from))),
    ),
    indexofchar: m((s, [cp, from]) =>
      s.indexOf(String.fromCodePoint(int(cp)), from === undefined ? 0 : Math.max(0, int(from))),
    ),
    lastindexof: m((s, [sub, from]) =>
      from === undefined
        ? s.lastIndexOf(str(sub))
        : int(from) < 0
          ? -1
          : s.lastIndexOf(str(sub), int(from)),
    ),
    lastindexofignorecase: m((s, [sub]) => s.toLowerCase().lastIndexOf(str(sub).toLowerCase())),
    isalpha: m((s) => s.length > 0 && chars(s).every(isLetter)),
    isalphaspace: m((s) => chars(s).every((c) => isLetter(c) || c === ' ')),
    isalphanumeric: m((s) => s.length > 0 && chars(s).every((c) => isLetter(c) || isDigit(c))), // STR-29
    isalphanumericspace: m((s) => chars(s).every((c) => isLetter(c) || isDigit(c) || c === ' ')),
    isnumeric: m((s) => s.length > 0 && chars(s).every(isDigit)),
    isnumericspace: m((s) => chars(s).every((c) => isDigit(c) || c === ' ')),
    iswhitespace: m((s) => chars(s).every(isJavaWhitespace)),
    isalllowercase: m((s) => s.length > 0 && chars(s).every((c) => /\p{Ll}/u.test(c))),
    isalluppercase: m((s) => s.length > 0 && chars(s).every((c) => /\p{Lu}/u.test(c))),
    left: m((s, [n]) => (int(n) < 0 ? '' : s.slice(0, int(n)))), // STR-26
    right: m((s, [n]) => (int(n) <= 0 ? '' : s.slice(Math.max(0, s.length - int(n))))),
    mid: m((s, [start, len]) => {
      const from = Math.max(0, int(start));
      return int(len) < 0 || from > s.length ? '' : s.slice(from, from + int(len));
    }),
    leftpad: m((s, [size, padText]) => pad(s, int(size), optStr(padText ?? null), true)), // STR-27
    rightpad: m((s, [size, padText]) => pad(s, int(size), optStr(padText ?? null), false)),
    normalizespace: m((s) =>
      javaTrim(
        chars(s)
          .map((c) => (isJavaWhitespace(c) ? ' ' : c))
          .join('')
          .replace(/ {2,}/g, ' '),
      ),
    ),
    remove: m((s, [sub]) => (str(sub) ? s.split(str(sub)).join('') : s)),
    removeend: m((s, [suffix]) =>
      str(suffix) && s.endsWith(str(suffix)) ? s.slice(0, s.length - str(suffix).length) : s,
    ),
    removeendignorecase: m((s, [suffix]) =>
      str(suffix) && s.toLowerCase().endsWith(str(suffix).toLowerCase())
        ? s.slice(0, s.length - str(suffix).length)
        : s,
    ),
    removestart: m((s, [prefix]) =>
      str(prefix) && s.startsWith(str(prefix)) ? s.slice(str(prefix).length) : s,
    ), // STR-28
    removestartignorecase: m((s, [prefix]) =>
      str(prefix) && s.toLowerCase().startsWith(str(prefix).toLowerCase())
        ? s.slice(str(prefix).length)
        : s,
    ),
    repeat: m((s, args) => {
      // repeat(n) or repeat(separator, n) (STR-27).
      if (args.length === 2) {
        const n = int(args[1]);
        return n <= 0 ? '' : Array(n).fill(s).join(str(args[0]));
      }
      return s.repeat(Math.max(0, int(args[0])));
    }),
    replace: m((s, [target, replacement]) => s.split(str(target)).join(str(replacement))), // STR-35
    replaceall: m((s, [regex, replacement]) => javaReplace(s, str(regex), str(replacement), true)),
    replacefirst: m((s, [regex, replacement]) =>
      javaReplace(s, str(regex), str(replacement), false),
    ),
    reverse: m((s) => chars(s).reverse().join('')),
    split: m((s, [regex, limit]) =>
      stringList(javaSplit(s, str(regex), limit === undefined || limit === null ? 0 : int(limit))),
    ), // STR-19, STR-20
    substring: m((s, [start, end]) =>
      end === undefined
        ? checkedSubstring(s, int(start))
        : checkedSubstring(s, int(start), int(end)),
    ), // STR-21
    substringafter: m((s, [sep]) => {
      const sepText = optStr(sep);
      if (sepText === null) return '';
      if (sepText === '') return s;
      const at = s.indexOf(sepText);
      return at < 0 ? '' : s.slice(at + sepText.length);
    }), // STR-28
    substringafterlast: m((s, [sep]) => {
      const sepText = optStr(sep);
      if (!sepText) return '';
      const at = s.lastIndexOf(sepText);
      return at < 0 || at === s.length - sepText.length ? '' : s.slice(at + sepText.length);
    }),
    substringbefore: m((s, [sep]) => {
      const sepText = optStr(sep);
      if (sepText === null) return s;
      if (sepText === '') return '';
      const at = s.indexOf(sepText);
      return at < 0 ? s : s.slice(0, at);
    }), // STR-28
    substringbeforelast: m((s, [sep]) => {
      const sepText = optStr(sep);
      if (!sepText) return s;
      const at = s.lastIndexOf(sepText);
      return at < 0 ? s : s.slice(0, at);
    }),
    substringbetween: m((s, [open, close]) => {
      const o = str(open);
      const c = close === undefined ? o : str(close);
      const start = s.indexOf(o);
      if (start < 0) return null;
      const end = s.indexOf(c, start + o.length);
      return end < 0 ? null : s.slice(start + o.length, end);
    }),
    swapcase: m((s) =>
      chars(s)
        .map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()))
        .join(''),
    ),
    tolowercase: m((s, [locale], ctx) =>
      caseOf(s, locale == null ? userLocale(ctx) : str(locale), false),
    ), // STR-22
    touppercase: m((s, [locale], ctx) =>
      caseOf(s, locale == null ? userLocale(ctx) : str(locale), true),
    ),
    trim: m((s) => javaTrim(s)), // STR-32
    tostring: m((s) => s),
    matches: m((s, [regex]) => javaMatches(str(regex), s)),
  },
});

// ── Id ──────────────────────────────────────────────────────────────────────────────────────

function toId(value: Value): ApexId {
  const v = required(value);
  if (v instanceof ApexId) return v;
  const text = str(v);
  const normalized = normalizeId(text);
  if (normalized === null) throw stringException(`Invalid id: ${text}`);
  return new ApexId(normalized);
}

registerNative({
  name: 'Id',
  aliases: ['System.Id'],
  statics: {
    valueof: (_ctx, _self, [text]) => (text === null ? null : toId(text)),
  },
  methods: {
    to15: (_ctx, self) => toId(self).value.slice(0, 15),
    to18: (_ctx, self) => toId(self).value,
    equals: (_ctx, self, [other]) => {
      if (other === null || other === undefined) return false;
      if (!(other instanceof ApexId) && typeof other !== 'string') return false;
      const text = other instanceof ApexId ? other.value : normalizeId(other);
      return text !== null && text === toId(self).value;
    },
    hashcode: (_ctx, self) => javaHashCode(toId(self).value),
    tostring: (_ctx, self) => toId(self).value,
  },
});

export { caseOf, checkedSubstring, abbreviate, messageFormat };
