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

const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

/**
 * Whether the text is an IPv6 address (full, `::`-compressed, or ending in a dotted IPv4
 * part such as `::ffff:10.0.0.1`). IPv6 addresses are valid in login IP ranges but are not
 * IPv4 addresses: an IPv4-mapped form still covers no IPv4 address (RULES.md v1.1).
 */
export function isIpv6(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  const value = text.trim();
  if (!value.includes(':')) return false;
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const all = [...head, ...tail];
  let count = all.length;
  const last = all[all.length - 1];
  if (last !== undefined && last.includes('.')) {
    try {
      parseIpv4(last);
    } catch {
      return false;
    }
    all.pop();
    count += 1; // The dotted part fills two groups.
  }
  if (!all.every((g) => HEX_GROUP.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** IPv4 as a number, or null for an IPv6 address; anything else is a SubjectDataError. */
function parseAddress(text: unknown): number | null {
  return isIpv6(text) ? null : parseIpv4(text);
}

/**
 * Parses one range: an object `{start, end}` (the facts' shape), a CIDR block
 * `a.b.c.d/n`, a span `a.b.c.d-e.f.g.h`, or a single address. An IPv6 range gives
 * null: it is valid but covers no IPv4 address; a range mixing IPv4 and IPv6 is an error.
 */
export function parseRange(range: unknown): Interval | null {
  if (typeof range === 'object' && range !== null && !Array.isArray(range)) {
    const { start, end } = range as { start?: unknown; end?: unknown };
    return addressRange(start, end, `${String(start)}–${String(end)}`);
  }
  if (typeof range !== 'string') {
    throw new SubjectDataError(`${JSON.stringify(range)} is not an IP range`);
  }
  const text = range.trim();
  const slash = text.indexOf('/');
  if (slash >= 0 && isIpv6(text.slice(0, slash))) {
    const bitsText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > 128) {
      throw new SubjectDataError(`"${text}" has an invalid prefix length`);
    }
    return null;
  }
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
    return addressRange(parts[0], parts[1], text);
  }
  const single = parseAddress(text);
  return single === null ? null : { start: single, end: single };
}

/** A start–end pair: both IPv4 (an interval), both IPv6 (null), never one of each. */
function addressRange(start: unknown, end: unknown, label: string): Interval | null {
  const from = parseAddress(start);
  const to = parseAddress(end);
  if ((from === null) !== (to === null)) {
    throw new SubjectDataError(`IP range ${label} mixes IPv4 and IPv6`);
  }
  if (from === null || to === null) {
    if (compareGroups(ipv6Groups(String(start)), ipv6Groups(String(end))) > 0) {
      throw new SubjectDataError(`IP range ${label} ends before it starts`);
    }
    return null;
  }
  return orderedInterval(from, to, label);
}

/** Compares two addresses given as their eight 16-bit groups. */
function compareGroups(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** An IPv6 address as its eight 16-bit groups, to check a range's order. */
function ipv6Groups(text: string): number[] {
  const value = text.trim();
  const halves = value.split('::');
  const groups = (part: string) => {
    const result: number[] = [];
    for (const g of part === '' ? [] : part.split(':')) {
      if (g.includes('.')) {
        const v4 = parseIpv4(g);
        result.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        result.push(parseInt(g, 16));
      }
    }
    return result;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

function orderedInterval(start: number, end: number, label: string): Interval {
  if (start > end) {
    throw new SubjectDataError(`IP range ${label} ends before it starts`);
  }
  return { start, end };
}

/** Sorts and merges overlapping or adjacent intervals; IPv6 ranges (null) cover nothing here. */
export function mergeIntervals(intervals: (Interval | null)[]): Interval[] {
  const sorted = intervals
    .filter((i): i is Interval => i !== null)
    .sort((a, b) => a.start - b.start || a.end - b.end);
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
