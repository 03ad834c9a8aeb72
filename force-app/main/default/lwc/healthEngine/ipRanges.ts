/**
 * Exact IPv4 range arithmetic for the login IP range rules.
 *
 * Profile ranges are start/end pairs that may overlap, be split, or not align
 * to CIDR blocks, so coverage is decided on merged integer intervals, never on
 * prefixes. Addresses are 32-bit unsigned integers.
 */
import { SubjectDataError } from './jsonLogic';

/** An inclusive interval of IPv4 addresses as unsigned integers. */
export interface Interval {
  start: number;
  end: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses dotted-quad IPv4; throws SubjectDataError naming the bad text. */
export function parseIpv4(text: unknown): number {
  if (typeof text !== 'string') {
    throw new SubjectDataError(`"${String(text)}" is not an IPv4 address`);
  }
  const parts = text.trim().split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) {
    throw new SubjectDataError(`"${text}" is not an IPv4 address`);
  }
  return parts.reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * Parses one range: an object `{start, end}` (the facts' shape), a CIDR block
 * `a.b.c.d/n`, a span `a.b.c.d-e.f.g.h`, or a single address.
 */
export function parseRange(range: unknown): Interval {
  if (typeof range === 'object' && range !== null && !Array.isArray(range)) {
    const { start, end } = range as { start?: unknown; end?: unknown };
    return orderedInterval(parseIpv4(start), parseIpv4(end), `${String(start)}–${String(end)}`);
  }
  if (typeof range !== 'string') {
    throw new SubjectDataError(`${JSON.stringify(range)} is not an IP range`);
  }
  const text = range.trim();
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const base = parseIpv4(text.slice(0, slash));
    const bitsText = text.slice(slash + 1);
    const bits = Number(bitsText);
    if (!/^\d{1,2}$/.test(bitsText) || bits > 32) {
      throw new SubjectDataError(`"${text}" has an invalid prefix length`);
    }
    const size = 2 ** (32 - bits);
    const start = Math.floor(base / size) * size;
    return { start, end: start + size - 1 };
  }
  const dash = text.search(/\s*[-–]\s*/);
  if (dash > 0) {
    const parts = text.split(/\s*[-–]\s*/);
    if (parts.length !== 2) {
      throw new SubjectDataError(`"${text}" is not an IP range`);
    }
    return orderedInterval(parseIpv4(parts[0]), parseIpv4(parts[1]), text);
  }
  const single = parseIpv4(text);
  return { start: single, end: single };
}

function orderedInterval(start: number, end: number, label: string): Interval {
  if (start > end) {
    throw new SubjectDataError(`IP range ${label} ends before it starts`);
  }
  return { start, end };
}

/** Sorts and merges overlapping or adjacent intervals. */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals.slice().sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    if (last && next.start <= last.end + 1) {
      last.end = Math.max(last.end, next.end);
    } else {
      merged.push({ start: next.start, end: next.end });
    }
  }
  return merged;
}

/** The parts of `target` that `cover` leaves out, both given as merged, sorted intervals. */
export function uncovered(cover: Interval[], target: Interval[]): Interval[] {
  const gaps: Interval[] = [];
  let c = 0;
  for (const wanted of target) {
    let cursor = wanted.start;
    while (c < cover.length && cover[c].end < cursor) c++;
    let k = c;
    while (cursor <= wanted.end) {
      if (k >= cover.length || cover[k].start > wanted.end) {
        gaps.push({ start: cursor, end: wanted.end });
        break;
      }
      if (cover[k].start > cursor) {
        gaps.push({ start: cursor, end: cover[k].start - 1 });
      }
      cursor = cover[k].end + 1;
      k++;
    }
  }
  return gaps;
}

/** A single address, a CIDR block when the interval is exactly one, else "start–end". */
export function formatInterval(interval: Interval): string {
  if (interval.start === interval.end) return formatIpv4(interval.start);
  const size = interval.end - interval.start + 1;
  const bits = Math.log2(size);
  if (Number.isInteger(bits) && interval.start % size === 0) {
    return `${formatIpv4(interval.start)}/${32 - bits}`;
  }
  return `${formatIpv4(interval.start)}–${formatIpv4(interval.end)}`;
}
