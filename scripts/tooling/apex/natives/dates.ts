// Date, Datetime and Time (Apex Reference "Date Class", "Datetime Class", "Time Class"). A Datetime
// is an instant; methods without "Gmt" read it in the context user's time zone
// (ctx.services.timeZone), those with "Gmt" never depend on it. Datetime.now() reads
// ctx.services.clock when the harness fixes the time. Row ids refer to SEMANTICS.md (DAT-*).
import { registerNative, type NativeContext, type NativeMethod } from './registry';
import {
  instantOf,
  int,
  nowMillis,
  required,
  str,
  typeException,
  userLocale,
  userTimeZone,
  zonedParts,
} from './support';
import { ApexDate, ApexDatetime, ApexTime, UnsupportedError, type Value } from '../values';

const DAY = 86400000;
const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysInMonth = (y: number, m: number) =>
  [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];

/** A date from fields that may overflow (month 13 → next January), as java.util.Calendar is lenient. */
function dateOf(year: number, month: number, day: number): ApexDate {
  return ApexDate.of(year, month, day);
}

function addMonths(d: ApexDate, months: number): ApexDate {
  const total = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = (((total % 12) + 12) % 12) + 1;
  // End-of-month clamps: Jan 31 + 1 month → Feb 28/29 (DAT-06).
  return ApexDate.of(year, month, Math.min(d.day, daysInMonth(year, month)));
}

const dayOfYear = (d: ApexDate) => d.epochDay - ApexDate.of(d.year, 1, 1).epochDay + 1;

function dateArg(v: Value): ApexDate {
  return required(v) as ApexDate;
}
function datetimeArg(v: Value): ApexDatetime {
  return required(v) as ApexDatetime;
}
function timeArg(v: Value): ApexTime {
  return required(v) as ApexTime;
}

// ── SimpleDateFormat ────────────────────────────────────────────────────────────────────────

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function zoneName(epochMillis: number, timeZone: string, long: boolean): string {
  if (timeZone === 'GMT' || timeZone === 'UTC') return long ? 'Greenwich Mean Time' : 'GMT';
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    timeZoneName: long ? 'long' : 'short',
  }).formatToParts(new Date(epochMillis));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

function offsetText(offsetMillis: number, style: 'Z' | 'X' | 'XX' | 'XXX'): string {
  if (offsetMillis === 0 && style !== 'Z') return 'Z';
  const sign = offsetMillis < 0 ? '-' : '+';
  const minutes = Math.abs(offsetMillis) / 60000;
  const hh = pad(Math.floor(minutes / 60));
  const mm = pad(minutes % 60);
  if (style === 'X') return `${sign}${hh}`;
  if (style === 'XXX') return `${sign}${hh}:${mm}`;
  return `${sign}${hh}${mm}`;
}

/**
 * Formats an instant with a java.text.SimpleDateFormat pattern in a time zone. Letters: G y Y M L
 * d D E u a H k K h m s S z Z X; quoted text with '…' ('' is a quote). Names are English; other
 * locales' month and day names are not modelled.
 */
export function formatPattern(
  ctx: NativeContext,
  epochMillis: number,
  pattern: string,
  timeZone: string,
): string {
  const p = zonedParts(epochMillis, timeZone);
  const language = userLocale(ctx).split('_')[0];
  const offset =
    Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millisecond) - epochMillis;
  let out = '';
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      const close = pattern.indexOf("'", i + 1);
      // '' inside quoted text is a literal quote.
      let j = i + 1;
      let text = '';
      while (j < pattern.length) {
        if (pattern[j] === "'" && pattern[j + 1] === "'") {
          text += "'";
          j += 2;
        } else if (pattern[j] === "'") break;
        else text += pattern[j++];
      }
      if (close < 0) throw new UnsupportedError(`unterminated quote in date pattern '${pattern}'`);
      out += text;
      i = j + 1;
      continue;
    }
    if (!/[a-zA-Z]/.test(c)) {
      out += c;
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    const names = (full: string) => {
      if (language !== 'en') throw new UnsupportedError(`date names for locale ${userLocale(ctx)}`);
      return n >= 4 ? full : full.slice(0, 3);
    };
    switch (c) {
      case 'G':
        out += p.year > 0 ? 'AD' : 'BC';
        break;
      case 'y':
      case 'Y': {
        if (c === 'Y') throw new UnsupportedError("week year 'Y' in date patterns");
        const y = p.year > 0 ? p.year : 1 - p.year;
        out += n === 2 ? pad(y % 100) : pad(y, n);
        break;
      }
      case 'M':
      case 'L':
        out += n >= 3 ? names(MONTHS[p.month - 1]) : pad(p.month, n);
        break;
      case 'd':
        out += pad(p.day, n);
        break;
      case 'D':
        out += pad(dayOfYear(ApexDate.of(p.year, p.month, p.day)), n);
        break;
      case 'E':
        out += names(DAYS[p.weekday - 1]);
        break;
      case 'u':
        out += pad(p.weekday, n);
        break;
      case 'a':
        if (language !== 'en')
          throw new UnsupportedError(`AM/PM text for locale ${userLocale(ctx)}`);
        out += p.hour < 12 ? 'AM' : 'PM';
        break;
      case 'H':
        out += pad(p.hour, n);
        break;
      case 'k':
        out += pad(p.hour === 0 ? 24 : p.hour, n);
        break;
      case 'K':
        out += pad(p.hour % 12, n);
        break;
      case 'h':
        out += pad(p.hour % 12 === 0 ? 12 : p.hour % 12, n);
        break;
      case 'm':
        out += pad(p.minute, n);
        break;
      case 's':
        out += pad(p.second, n);
        break;
      case 'S':
        out += pad(p.millisecond, n);
        break;
      case 'z':
        out += zoneName(epochMillis, timeZone, n >= 4);
        break;
      case 'Z':
        out += offsetText(offset, 'Z');
        break;
      case 'X':
        out += offsetText(offset, n === 1 ? 'X' : n === 2 ? 'XX' : 'XXX');
        break;
      default:
        throw new UnsupportedError(`date pattern letter '${c}' in '${pattern}'`);
    }
  }
  return out;
}

/** The locale's default short date / date-time form; only en_US is modelled. */
function defaultPattern(ctx: NativeContext, withTime: boolean): string {
  const locale = userLocale(ctx);
  if (locale !== 'en_US') throw new UnsupportedError(`default date format for locale ${locale}`);
  return withTime ? 'M/d/yyyy, h:mm a' : 'M/d/yyyy';
}

// ── parsing ─────────────────────────────────────────────────────────────────────────────────

function validDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Date.valueOf('yyyy-MM-dd[ HH:mm:ss]') (DAT-07). */
export function parseDate(text: string): ApexDate {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?: \d{1,2}:\d{1,2}:\d{1,2})?$/.exec(text);
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw typeException(`Invalid date: ${text}`);
  }
  return ApexDate.of(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Datetime.valueOf / valueOfGmt: 'yyyy-MM-dd HH:mm:ss' in the given zone (DAT-08). */
function parseDatetime(text: string, timeZone: string): ApexDatetime {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(text);
  if (
    !m ||
    !validDate(Number(m[1]), Number(m[2]), Number(m[3])) ||
    Number(m[4]) > 23 ||
    Number(m[5]) > 59 ||
    Number(m[6]) > 59
  ) {
    throw typeException(`Invalid date/time: ${text}`);
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  return new ApexDatetime(instantOf(timeZone, y, mo, d, h, mi, s));
}

/**
 * An ISO-8601 date-time as JSON deserialization reads it: yyyy-MM-ddTHH:mm[:ss[.fraction]] with Z or
 * an offset (±HH:mm or ±HHmm); without a zone, GMT. Null when the text is not one; field values
 * out of range (month 13) are errors, not rolled over.
 */
export function parseIsoDatetime(text: string): ApexDatetime | null {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(
      text,
    );
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number);
  const s = Number(m[6] ?? 0);
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000 + 1e-6) : 0;
  let offset = 0;
  if (m[8] && m[8] !== 'Z') {
    const zone = /^([+-])(\d{2}):?(\d{2})?$/.exec(m[8]);
    if (!zone) return null;
    offset = (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3] ?? 0)) * 60000;
  }
  return new ApexDatetime(Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset);
}

// ── Date ────────────────────────────────────────────────────────────────────────────────────

const today = (ctx: NativeContext): ApexDate => {
  const p = zonedParts(nowMillis(ctx), userTimeZone(ctx));
  return ApexDate.of(p.year, p.month, p.day);
};

const onDate =
  (fn: (d: ApexDate, args: Value[], ctx: NativeContext) => Value): NativeMethod =>
  (ctx, self, args) =>
    fn(dateArg(self), args, ctx);

registerNative({
  name: 'Date',
  aliases: ['System.Date'],
  statics: {
    newinstance: (_ctx, _self, [y, m, d]) => dateOf(int(y), int(m), int(d)),
    today: (ctx) => today(ctx), // DAT-01
    valueof: (_ctx, _self, [v]) => {
      if (v === null) return null;
      if (typeof v === 'string') return parseDate(v);
      if (v instanceof ApexDate) return v;
      throw typeException('Invalid date');
    },
    isleapyear: (_ctx, _self, [y]) => isLeap(int(y)),
    daysinmonth: (_ctx, _self, [y, m]) => daysInMonth(int(y), int(m)),
    parse: (ctx, _self, [text]) => {
      const locale = userLocale(ctx);
      if (locale !== 'en_US') throw new UnsupportedError(`Date.parse for locale ${locale}`);
      const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(str(text).trim());
      if (!m || !validDate(Number(m[3]), Number(m[1]), Number(m[2]))) {
        throw typeException(`Invalid date: ${str(text)}`);
      }
      return ApexDate.of(Number(m[3]), Number(m[1]), Number(m[2]));
    },
  },
  methods: {
    adddays: onDate((d, [n]) => new ApexDate(d.epochDay + int(n))),
    addmonths: onDate((d, [n]) => addMonths(d, int(n))),
    addyears: onDate((d, [n]) => addMonths(d, int(n) * 12)),
    year: onDate((d) => d.year),
    month: onDate((d) => d.month),
    day: onDate((d) => d.day),
    dayofyear: onDate((d) => dayOfYear(d)),
    daysbetween: onDate((d, [other]) => dateArg(other).epochDay - d.epochDay),
    monthsbetween: onDate((d, [other]) => {
      const o = dateArg(other);
      return (o.year - d.year) * 12 + (o.month - d.month);
    }),
    issameday: onDate((d, [other]) => dateArg(other).epochDay === d.epochDay),
    tostartofmonth: onDate((d) => ApexDate.of(d.year, d.month, 1)),
    tostartofweek: onDate((d, _args, ctx) => {
      // The week starts on Sunday in en_US; other locales are not modelled.
      const locale = userLocale(ctx);
      if (locale !== 'en_US') throw new UnsupportedError(`Date.toStartOfWeek for locale ${locale}`);
      const weekday = (((d.epochDay + 3) % 7) + 7) % 7; // 0 = Monday (1970-01-01 was a Thursday)
      return new ApexDate(d.epochDay - ((weekday + 1) % 7));
    }),
    format: onDate((d, _args, ctx) =>
      formatPattern(ctx, d.epochDay * DAY, defaultPattern(ctx, false), 'GMT'),
    ),
    tostring: onDate((d) => d.toString()),
  },
});

// ── Datetime ────────────────────────────────────────────────────────────────────────────────

const onDatetime =
  (fn: (dt: ApexDatetime, args: Value[], ctx: NativeContext) => Value): NativeMethod =>
  (ctx, self, args) =>
    fn(datetimeArg(self), args, ctx);

const plus = (ms: number) =>
  onDatetime((dt, [n]) => new ApexDatetime(dt.epochMillis + int(n) * ms));

/** A field of the instant in the user's zone (local) or GMT. */
const field = (pick: (p: ReturnType<typeof zonedParts>) => number, gmt: boolean) =>
  onDatetime((dt, _args, ctx) => pick(zonedParts(dt.epochMillis, gmt ? 'GMT' : userTimeZone(ctx))));

/** Adds calendar months in a zone, keeping the wall-clock time (Calendar.add(MONTH, n)). */
function addMonthsAt(ctx: NativeContext, dt: ApexDatetime, months: number): ApexDatetime {
  const zone = userTimeZone(ctx);
  const p = zonedParts(dt.epochMillis, zone);
  const d = addMonths(ApexDate.of(p.year, p.month, p.day), months);
  return new ApexDatetime(
    instantOf(zone, d.year, d.month, d.day, p.hour, p.minute, p.second, p.millisecond),
  );
}

registerNative({
  name: 'Datetime',
  aliases: ['System.Datetime'],
  statics: {
    now: (ctx) => new ApexDatetime(nowMillis(ctx)), // DAT-01
    // newInstance(ms) | (date, time) | (y, m, d) | (y, m, d, h, mi, s): local time (DAT-02).
    newinstance: (ctx, _self, args) => {
      if (args.length === 1) return new ApexDatetime(Number(required(args[0]) as number | bigint));
      const zone = userTimeZone(ctx);
      if (args.length === 2) {
        const d = dateArg(args[0]);
        const t = timeArg(args[1]);
        return new ApexDatetime(instantOf(zone, d.year, d.month, d.day) + t.millisOfDay);
      }
      const [y, m, d, h, mi, s] = args.map((a) => int(a));
      return new ApexDatetime(instantOf(zone, y, m, d, h ?? 0, mi ?? 0, s ?? 0));
    },
    newinstancegmt: (_ctx, _self, args) => {
      if (args.length === 2) {
        const d = dateArg(args[0]);
        return new ApexDatetime(d.epochDay * DAY + timeArg(args[1]).millisOfDay);
      }
      const [y, m, d, h, mi, s] = args.map((a) => int(a));
      return new ApexDatetime(Date.UTC(y, m - 1, d, h ?? 0, mi ?? 0, s ?? 0));
    },
    valueof: (ctx, _self, [v]) => {
      if (v === null) return null;
      if (typeof v === 'string') return parseDatetime(v, userTimeZone(ctx));
      return datetimeArg(v);
    },
    valueofgmt: (_ctx, _self, [v]) => (v === null ? null : parseDatetime(str(v), 'GMT')),
  },
  methods: {
    gettime: onDatetime((dt) => BigInt(dt.epochMillis)), // DAT-05: a Long
    adddays: onDatetime((dt, [n], ctx) => {
      // Days are calendar days in the user's zone: the wall-clock time is kept across DST.
      const zone = userTimeZone(ctx);
      const p = zonedParts(dt.epochMillis, zone);
      const d = new ApexDate(ApexDate.of(p.year, p.month, p.day).epochDay + int(n));
      return new ApexDatetime(
        instantOf(zone, d.year, d.month, d.day, p.hour, p.minute, p.second, p.millisecond),
      );
    }),
    addhours: plus(3600000),
    addminutes: plus(60000),
    addseconds: plus(1000),
    addmonths: onDatetime((dt, [n], ctx) => addMonthsAt(ctx, dt, int(n))),
    addyears: onDatetime((dt, [n], ctx) => addMonthsAt(ctx, dt, int(n) * 12)),
    date: onDatetime((dt, _args, ctx) => {
      const p = zonedParts(dt.epochMillis, userTimeZone(ctx));
      return ApexDate.of(p.year, p.month, p.day);
    }),
    dategmt: onDatetime((dt) => new ApexDate(Math.floor(dt.epochMillis / DAY))),
    time: onDatetime((dt, _args, ctx) => {
      const p = zonedParts(dt.epochMillis, userTimeZone(ctx));
      return new ApexTime(((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + p.millisecond);
    }),
    timegmt: onDatetime((dt) => new ApexTime(((dt.epochMillis % DAY) + DAY) % DAY)),
    year: field((p) => p.year, false),
    month: field((p) => p.month, false),
    day: field((p) => p.day, false),
    hour: field((p) => p.hour, false),
    minute: field((p) => p.minute, false),
    second: field((p) => p.second, false),
    millisecond: field((p) => p.millisecond, false),
    yeargmt: field((p) => p.year, true),
    monthgmt: field((p) => p.month, true),
    daygmt: field((p) => p.day, true),
    hourgmt: field((p) => p.hour, true),
    minutegmt: field((p) => p.minute, true),
    secondgmt: field((p) => p.second, true),
    millisecondgmt: field((p) => p.millisecond, true),
    dayofyear: onDatetime((dt, _args, ctx) => {
      const p = zonedParts(dt.epochMillis, userTimeZone(ctx));
      return dayOfYear(ApexDate.of(p.year, p.month, p.day));
    }),
    dayofyeargmt: onDatetime((dt) => dayOfYear(new ApexDate(Math.floor(dt.epochMillis / DAY)))),
    issameday: onDatetime((dt, [other], ctx) => {
      const zone = userTimeZone(ctx);
      const a = zonedParts(dt.epochMillis, zone);
      const b = zonedParts(datetimeArg(other).epochMillis, zone);
      return a.year === b.year && a.month === b.month && a.day === b.day;
    }),
    // format() | format(pattern) | format(pattern, timeZoneId) (DAT-04).
    format: onDatetime((dt, [pattern, zone], ctx) =>
      formatPattern(
        ctx,
        dt.epochMillis,
        pattern === undefined ? defaultPattern(ctx, true) : str(pattern),
        zone === undefined || zone === null ? userTimeZone(ctx) : str(zone),
      ),
    ),
    formatgmt: onDatetime((dt, [pattern], ctx) =>
      formatPattern(ctx, dt.epochMillis, str(pattern), 'GMT'),
    ),
    tostring: onDatetime((dt) => dt.toString()),
  },
});

// ── Time ────────────────────────────────────────────────────────────────────────────────────

const onTime =
  (fn: (t: ApexTime, args: Value[]) => Value): NativeMethod =>
  (_ctx, self, args) =>
    fn(timeArg(self), args);
const wrapDay = (ms: number) => new ApexTime(((ms % DAY) + DAY) % DAY);

registerNative({
  name: 'Time',
  aliases: ['System.Time'],
  statics: {
    newinstance: (_ctx, _self, [h, m, s, ms]) =>
      wrapDay(((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)),
  },
  methods: {
    hour: onTime((t) => Math.floor(t.millisOfDay / 3600000)),
    minute: onTime((t) => Math.floor(t.millisOfDay / 60000) % 60),
    second: onTime((t) => Math.floor(t.millisOfDay / 1000) % 60),
    millisecond: onTime((t) => t.millisOfDay % 1000),
    addhours: onTime((t, [n]) => wrapDay(t.millisOfDay + int(n) * 3600000)),
    addminutes: onTime((t, [n]) => wrapDay(t.millisOfDay + int(n) * 60000)),
    addseconds: onTime((t, [n]) => wrapDay(t.millisOfDay + int(n) * 1000)),
    addmilliseconds: onTime((t, [n]) => wrapDay(t.millisOfDay + int(n))),
    tostring: onTime((t) => t.toString()),
  },
});

export { pad };
