// Small helpers the natives modules share: argument checks, the context user's locale, time zone
// and clock (set by the harness in ctx.services), and Apex's String.valueOf.
import type { NativeContext } from './registry';
import {
  ApexDatetime,
  ApexError,
  ApexList,
  STRING_TYPE,
  UnsupportedError,
  nullPointer,
  toApexString,
  type TypeRef,
  type Value,
} from '../values';

/** The context user's locale, as Salesforce spells it ('en_US', 'tr_TR'). */
export function userLocale(ctx: NativeContext): string {
  const locale = ctx.services.locale;
  return typeof locale === 'string' && locale ? locale : 'en_US';
}

/**
 * The context user's time zone (IANA id). Without one set, America/Los_Angeles: the time zone a
 * new scratch org (and so its users) gets when the definition file names none, as this package's
 * config/project-scratch-def.json does not.
 */
export function userTimeZone(ctx: NativeContext): string {
  const zone = ctx.services.timeZone;
  return typeof zone === 'string' && zone ? zone : 'America/Los_Angeles';
}

/** Now, in epoch milliseconds: ctx.services.clock when the harness fixes the time. */
export function nowMillis(ctx: NativeContext): number {
  const clock = ctx.services.clock;
  return typeof clock === 'function' ? Number((clock as () => number)()) : Date.now();
}

/** 'tr_TR' → 'tr-TR' for Intl / toLocaleLowerCase. */
export function jsLocale(locale: string): string {
  return locale.replace(/_/g, '-').split('-').slice(0, 2).join('-');
}

/** An argument that must not be null (the platform throws NullPointerException). */
export function required<T extends Value>(value: T): Exclude<T, null> {
  if (value === null || value === undefined) throw nullPointer();
  return value as Exclude<T, null>;
}

export function str(value: Value): string {
  const v = required(value);
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in v && typeof v.value === 'string') return v.value; // Id
  throw new Error(`expected a String, got ${toApexString(v)}`);
}

export function int(value: Value): number {
  const v = required(value);
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new Error(`expected an Integer, got ${toApexString(v)}`);
}

export function listOf(elementType: TypeRef, items: Value[]): ApexList {
  return new ApexList(elementType, items);
}

export const stringList = (items: string[]) => listOf(STRING_TYPE, items);

/** Parts of an instant in a time zone (Intl gives the zone's offset rules). */
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function zonedParts(epochMillis: number, timeZone: string): ZonedParts {
  if (timeZone === 'GMT' || timeZone === 'UTC') {
    const d = new Date(epochMillis);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      millisecond: d.getUTCMilliseconds(),
      weekday: d.getUTCDay() === 0 ? 7 : d.getUTCDay(),
    };
  }
  let format = formatters.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        weekday: 'short',
        era: 'short',
      });
    } catch {
      throw new UnsupportedError(`time zone '${timeZone}'`);
    }
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(new Date(epochMillis))) parts[p.type] = p.value;
  const year = Number(parts.year);
  return {
    year: parts.era === 'BC' ? 1 - year : year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: ((epochMillis % 1000) + 1000) % 1000,
    weekday: WEEKDAYS[parts.weekday] ?? 1,
  };
}

/** The zone's offset from GMT at an instant, in milliseconds. */
export function zoneOffset(epochMillis: number, timeZone: string): number {
  const p = zonedParts(epochMillis, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millisecond);
  return asUtc - epochMillis;
}

/**
 * The instant of a wall-clock time in a zone. In a gap (spring forward) the later offset applies,
 * in an overlap the earlier instant is taken, as java.util.GregorianCalendar resolves them.
 */
export function instantOf(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number {
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const first = local - zoneOffset(local, timeZone);
  const second2 = local - zoneOffset(first, timeZone);
  return Math.min(first, second2);
}

/** Apex String.valueOf: Datetime in the context user's time zone (SEMANTICS.md STR-12). */
export function valueOfString(ctx: NativeContext, value: Value): string {
  if (value instanceof ApexDatetime) {
    const p = zonedParts(value.epochMillis, userTimeZone(ctx));
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
  }
  return toApexString(value);
}

export const stringException = (message: string) =>
  new ApexError('System.StringException', message);
export const typeException = (message: string) => new ApexError('System.TypeException', message);
export const listException = (message: string) => new ApexError('System.ListException', message);
