import fc from 'fast-check';
import {
  formatInterval,
  formatIpv4,
  mergeIntervals,
  parseIpv4,
  parseRange,
  uncovered,
  type Interval,
} from '../ipRanges';
import { SubjectDataError } from '../jsonLogic';

const MAX = 2 ** 32 - 1;

/** Independent dotted-quad formatting for the oracle (not the code under test). */
function dotted(address: number): string {
  return [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.');
}

const ip = (text: string): number => parseIpv4(text);
const span = (start: string, end: string): Interval => ({ start: ip(start), end: ip(end) });

// ---------------------------------------------------------------------------
// Brute-force oracle on small address windows
// ---------------------------------------------------------------------------

/**
 * Windows of at most 512 addresses, chosen to cross octet boundaries and reach both ends of
 * the address space. `minBits` keeps every generated CIDR block inside the window.
 */
const WINDOWS = [
  { base: ip('10.255.255.0'), size: 512, minBits: 24 }, // 10.255.255.0 – 11.0.0.255
  { base: ip('10.0.0.0'), size: 64, minBits: 26 },
  { base: ip('0.0.0.0'), size: 256, minBits: 24 },
  { base: ip('255.255.254.0'), size: 512, minBits: 23 }, // … – 255.255.255.255
];

interface GeneratedRange {
  /** What parseRange is given. */
  input: unknown;
  /** The interval it must parse to. */
  expected: Interval;
}

function rangeArb(window: (typeof WINDOWS)[number]): fc.Arbitrary<GeneratedRange> {
  const offset = fc.integer({ min: 0, max: window.size - 1 });
  const startEnd = fc
    .tuple(offset, offset)
    .map(([a, b]) => ({ start: window.base + Math.min(a, b), end: window.base + Math.max(a, b) }));
  const fromSpan: fc.Arbitrary<GeneratedRange> = fc
    .tuple(startEnd, fc.constantFrom('object', '-', ' - ', '–', ' – '))
    .map(([interval, form]) => ({
      expected: interval,
      input:
        form === 'object'
          ? { start: dotted(interval.start), end: dotted(interval.end) }
          : `${dotted(interval.start)}${form}${dotted(interval.end)}`,
    }));
  const single: fc.Arbitrary<GeneratedRange> = offset.map((o) => ({
    expected: { start: window.base + o, end: window.base + o },
    input: dotted(window.base + o),
  }));
  // A CIDR block given by any address inside it: the base is aligned down.
  const cidr: fc.Arbitrary<GeneratedRange> = fc
    .tuple(offset, fc.integer({ min: window.minBits, max: 32 }))
    .map(([o, bits]) => {
      const size = 2 ** (32 - bits);
      const start = window.base + Math.floor(o / size) * size;
      return {
        expected: { start, end: start + size - 1 },
        input: `${dotted(window.base + o)}/${bits}`,
      };
    });
  return fc.oneof(
    { arbitrary: fromSpan, weight: 6 },
    { arbitrary: single, weight: 2 },
    { arbitrary: cidr, weight: 2 },
  );
}

const scenarioArb = fc.constantFrom(...WINDOWS).chain((window) =>
  fc.record({
    window: fc.constant(window),
    cover: fc.array(rangeArb(window), { maxLength: 8 }),
    target: fc.array(rangeArb(window), { maxLength: 5 }),
  }),
);

function addresses(intervals: (Interval | null)[]): Set<number> {
  const set = new Set<number>();
  for (const { start, end } of intervals as Interval[]) {
    for (let a = start; a <= end; a++) set.add(a);
  }
  return set;
}

/** Problems with a list that should be sorted, disjoint and non-adjacent; [] when fine. */
function shapeProblems(intervals: Interval[]): string[] {
  const problems: string[] = [];
  intervals.forEach((interval, i) => {
    if (!(interval.start <= interval.end)) problems.push(`#${i} is empty`);
    if (i > 0 && !(interval.start > intervals[i - 1].end + 1)) {
      problems.push(`#${i} overlaps or touches #${i - 1}`);
    }
  });
  return problems;
}

function totalSize(intervals: Interval[]): number {
  return intervals.reduce((sum, { start, end }) => sum + end - start + 1, 0);
}

describe('uncovered() against a brute-force oracle', () => {
  it('finds exactly the target addresses the cover leaves out (2,000 runs)', () => {
    const details = fc.check(
      fc.property(scenarioArb, ({ cover, target }) => {
        const coverIntervals = cover.map((r) => parseRange(r.input));
        const targetIntervals = target.map((r) => parseRange(r.input));
        expect(coverIntervals).toEqual(cover.map((r) => r.expected));
        expect(targetIntervals).toEqual(target.map((r) => r.expected));

        const coverSet = addresses(coverIntervals);
        const targetSet = addresses(targetIntervals);
        const mergedCover = mergeIntervals(coverIntervals);
        const mergedTarget = mergeIntervals(targetIntervals);

        // mergeIntervals: same addresses, sorted, disjoint, non-adjacent.
        expect(shapeProblems(mergedCover)).toEqual([]);
        expect(shapeProblems(mergedTarget)).toEqual([]);
        expect(totalSize(mergedCover)).toBe(coverSet.size);
        expect(totalSize(mergedTarget)).toBe(targetSet.size);
        expect([...addresses(mergedCover)].every((a) => coverSet.has(a))).toBe(true);
        expect([...addresses(mergedTarget)].every((a) => targetSet.has(a))).toBe(true);

        const gaps = uncovered(mergedCover, mergedTarget);
        expect(shapeProblems(gaps)).toEqual([]);
        const gapSet = addresses(gaps);
        // Every gap address is wanted and not covered …
        const wrong = [...gapSet].filter((a) => !targetSet.has(a) || coverSet.has(a));
        expect(wrong.map(dotted)).toEqual([]);
        // … and every wanted, uncovered address is in a gap.
        const lost = [...targetSet].filter((a) => !coverSet.has(a) && !gapSet.has(a));
        expect(lost.map(dotted)).toEqual([]);
        expect(totalSize(gaps)).toBe(gapSet.size);
        // Coverage is complete exactly when there is no gap.
        expect(gaps.length === 0).toBe([...targetSet].every((a) => coverSet.has(a)));
      }),
      { numRuns: 2000 },
    );
    expect(fc.defaultReportMessage(details)).toBeUndefined();
    expect(details.numRuns).toBe(2000);
  });

  it('does not modify its inputs', () => {
    const cover = [span('10.0.0.0', '10.0.0.9'), span('10.0.0.20', '10.0.0.29')];
    const target = [span('10.0.0.5', '10.0.0.25')];
    const before = JSON.stringify([cover, target]);
    expect(uncovered(cover, target)).toEqual([span('10.0.0.10', '10.0.0.19')]);
    expect(JSON.stringify([cover, target])).toBe(before);
  });
});

describe('IPv4 parsing and formatting round trips', () => {
  const octet = fc.integer({ min: 0, max: 255 });

  it('parseIpv4 and formatIpv4 are inverse (1,000 runs)', () => {
    const details = fc.check(
      fc.property(fc.tuple(octet, octet, octet, octet), (octets) => {
        const text = octets.join('.');
        const value = parseIpv4(text);
        expect(value).toBe(((octets[0] * 256 + octets[1]) * 256 + octets[2]) * 256 + octets[3]);
        expect(formatIpv4(value)).toBe(text);
      }),
      { numRuns: 1000 },
    );
    expect(fc.defaultReportMessage(details)).toBeUndefined();
  });

  it('parseRange reads back what formatInterval writes (1,000 runs)', () => {
    const address = fc.integer({ min: 0, max: MAX });
    const details = fc.check(
      fc.property(address, address, (a, b) => {
        const interval = { start: Math.min(a, b), end: Math.max(a, b) };
        expect(parseRange(formatInterval(interval))).toEqual(interval);
      }),
      { numRuns: 1000 },
    );
    expect(fc.defaultReportMessage(details)).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------
// The specification's examples
// ---------------------------------------------------------------------------

describe('coverage examples', () => {
  const slash8 = [parseRange('10.0.0.0/8') as Interval];

  it('two halves given as start/end objects cover 10.0.0.0/8', () => {
    const cover = mergeIntervals(
      [
        { start: '10.128.0.0', end: '10.255.255.255' },
        { start: '10.0.0.0', end: '10.127.255.255' },
      ].map(parseRange),
    );
    expect(cover).toEqual([span('10.0.0.0', '10.255.255.255')]);
    expect(uncovered(cover, slash8)).toEqual([]);
  });

  it('10.0.0.0–10.255.255.254 leaves exactly 10.255.255.255 uncovered', () => {
    const cover = mergeIntervals([parseRange({ start: '10.0.0.0', end: '10.255.255.254' })]);
    const gaps = uncovered(cover, slash8);
    expect(gaps).toEqual([span('10.255.255.255', '10.255.255.255')]);
    expect(gaps.map(formatInterval)).toEqual(['10.255.255.255']);
  });

  it('reports every hole, including at both ends of the target', () => {
    const cover = mergeIntervals([
      parseRange('10.0.0.10-10.0.0.19'),
      parseRange('10.0.0.15 – 10.0.0.29'),
      parseRange('10.0.0.40'),
    ]);
    const gaps = uncovered(cover, [parseRange('10.0.0.0/26') as Interval]);
    expect(gaps.map(formatInterval)).toEqual([
      '10.0.0.0–10.0.0.9',
      '10.0.0.30–10.0.0.39',
      '10.0.0.41–10.0.0.63',
    ]);
  });

  it('walks one cover interval across several targets', () => {
    const cover = [span('10.0.0.0', '10.0.0.100')];
    expect(
      uncovered(cover, [span('10.0.0.10', '10.0.0.20'), span('10.0.0.30', '10.0.0.40')]),
    ).toEqual([]);
    expect(
      uncovered(cover, [span('10.0.0.90', '10.0.0.110'), span('10.0.0.120', '10.0.0.121')]),
    ).toEqual([span('10.0.0.101', '10.0.0.110'), span('10.0.0.120', '10.0.0.121')]);
  });

  it('handles the edges of the address space', () => {
    const everything = [parseRange('0.0.0.0/0') as Interval];
    expect(uncovered(everything, everything)).toEqual([]);
    expect(uncovered([], everything)).toEqual([{ start: 0, end: MAX }]);
    expect(uncovered([parseRange('0.0.0.1-255.255.255.254') as Interval], everything)).toEqual([
      { start: 0, end: 0 },
      { start: MAX, end: MAX },
    ]);
    expect(mergeIntervals([parseRange('128.0.0.0/1'), parseRange('0.0.0.0/1')])).toEqual(
      everything,
    );
    expect(uncovered(everything, [])).toEqual([]);
  });
});

describe('parseRange()', () => {
  it('parses CIDR blocks', () => {
    expect(parseRange('13.108.0.0/14')).toEqual(span('13.108.0.0', '13.111.255.255'));
    expect(parseRange('10.1.2.3/8')).toEqual(span('10.0.0.0', '10.255.255.255'));
    expect(parseRange('0.0.0.0/0')).toEqual({ start: 0, end: MAX });
    expect(parseRange('192.168.1.77/0')).toEqual({ start: 0, end: MAX });
    expect(parseRange('192.168.1.77/32')).toEqual(span('192.168.1.77', '192.168.1.77'));
    expect(parseRange('255.255.255.255/32')).toEqual({ start: MAX, end: MAX });
    expect(parseRange(' 10.0.0.0/24 ')).toEqual(span('10.0.0.0', '10.0.0.255'));
  });

  it('parses spans with a hyphen or an en dash, with or without spaces', () => {
    const expected = span('10.0.0.1', '10.0.2.3');
    expect(parseRange('10.0.0.1-10.0.2.3')).toEqual(expected);
    expect(parseRange('10.0.0.1 - 10.0.2.3')).toEqual(expected);
    expect(parseRange('10.0.0.1–10.0.2.3')).toEqual(expected);
    expect(parseRange('10.0.0.1 – 10.0.2.3')).toEqual(expected);
    expect(parseRange({ start: '10.0.0.1', end: '10.0.2.3' })).toEqual(expected);
    expect(parseRange('0.0.0.0-255.255.255.255')).toEqual({ start: 0, end: MAX });
  });

  it('parses a single address, including a span of one', () => {
    expect(parseRange('10.0.0.1')).toEqual(span('10.0.0.1', '10.0.0.1'));
    expect(parseRange('10.0.0.1-10.0.0.1')).toEqual(span('10.0.0.1', '10.0.0.1'));
    expect(parseRange({ start: '0.0.0.0', end: '0.0.0.0' })).toEqual({ start: 0, end: 0 });
  });

  it.each([
    ['an octet above 255', '256.1.1.1'],
    ['three octets', '1.2.3'],
    ['five octets', '1.2.3.4.5'],
    ['a leading zero', '01.2.3.4'],
    ['a leading zero in the last octet', '1.2.3.04'],
    ['an empty octet', '1..2.3'],
    ['letters', 'a.b.c.d'],
    ['a sign', '+1.2.3.4'],
    ['an empty string', ''],
    ['a prefix longer than 32', '1.2.3.4/33'],
    ['a negative prefix', '1.2.3.4/-1'],
    ['a missing prefix', '1.2.3.4/'],
    ['a fractional prefix', '1.2.3.4/8.5'],
    ['a bad CIDR base', '1.2.3/8'],
    ['a span that ends before it starts', '10.0.0.9-10.0.0.1'],
    ['a span missing its end', '10.0.0.1-'],
    ['a span of three addresses', '10.0.0.1-10.0.0.5-10.0.0.9'],
    ['an object that ends before it starts', { start: '10.0.0.9', end: '10.0.0.1' }],
    ['an object without an end', { start: '10.0.0.9' }],
    ['an object with numbers', { start: 1, end: 2 }],
    ['a number', 167772160],
    ['null', null],
    ['undefined', undefined],
    ['a boolean', true],
    ['an array', ['10.0.0.1', '10.0.0.2']],
  ])('rejects %s', (_label, input) => {
    expect(() => parseRange(input)).toThrow(SubjectDataError);
  });

  it('names the offending text in the error', () => {
    expect(() => parseRange('256.1.1.1')).toThrow('"256.1.1.1" is not an IPv4 address');
    expect(() => parseRange('1.2.3.4/33')).toThrow('"1.2.3.4/33" has an invalid prefix length');
    expect(() => parseRange('10.0.0.9-10.0.0.1')).toThrow(
      'IP range 10.0.0.9-10.0.0.1 ends before it starts',
    );
    expect(() => parseRange({ start: '10.0.0.9', end: '10.0.0.1' })).toThrow(
      'IP range 10.0.0.9–10.0.0.1 ends before it starts',
    );
    expect(() => parseRange(42)).toThrow('42 is not an IP range');
  });
});

describe('parseIpv4() and formatting', () => {
  it('reads the edges of the address space', () => {
    expect(parseIpv4('0.0.0.0')).toBe(0);
    expect(parseIpv4('255.255.255.255')).toBe(MAX);
    expect(parseIpv4(' 10.0.0.1 ')).toBe(167772161);
    expect(formatIpv4(0)).toBe('0.0.0.0');
    expect(formatIpv4(MAX)).toBe('255.255.255.255');
  });

  it('rejects non-strings', () => {
    for (const input of [167772161, null, undefined, {}, ['1.2.3.4']]) {
      expect(() => parseIpv4(input)).toThrow(SubjectDataError);
    }
  });

  it('formats a single address alone, an exact CIDR block as a/n, any other span with an en dash', () => {
    expect(formatInterval(span('10.0.0.1', '10.0.0.1'))).toBe('10.0.0.1');
    expect(formatInterval({ start: 0, end: 0 })).toBe('0.0.0.0');
    expect(formatInterval({ start: MAX, end: MAX })).toBe('255.255.255.255');
    expect(formatInterval(span('10.0.0.1', '10.0.0.2'))).toBe('10.0.0.1–10.0.0.2');
    expect(formatInterval(span('10.0.0.0', '10.0.0.2'))).toBe('10.0.0.0–10.0.0.2');
    expect(formatInterval(span('10.0.0.2', '10.0.0.5'))).toBe('10.0.0.2–10.0.0.5');
    expect(formatInterval(span('10.0.0.0', '10.255.255.254'))).toBe('10.0.0.0–10.255.255.254');
    expect(formatInterval(span('10.0.0.4', '10.0.0.7'))).toBe('10.0.0.4/30');
    expect(formatInterval(span('10.0.0.0', '10.255.255.255'))).toBe('10.0.0.0/8');
    expect(formatInterval(span('13.108.0.0', '13.111.255.255'))).toBe('13.108.0.0/14');
    expect(formatInterval({ start: 0, end: MAX })).toBe('0.0.0.0/0');
    expect(formatInterval(span('128.0.0.0', '255.255.255.255'))).toBe('128.0.0.0/1');
  });

  it('accepts IPv6 ranges (mapped forms too) as covering no IPv4 address', () => {
    for (const range of [
      { start: '2001:db8::', end: '2001:db8::ffff' },
      { start: ' ::ffff:10.0.0.0 ', end: '::ffff:10.255.255.255' },
      { start: '::', end: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' },
      '2001:db8::/32',
      '::1',
    ]) {
      expect(parseRange(range)).toBeNull();
    }
    const cover = mergeIntervals([
      parseRange({ start: '::ffff:0.0.0.0', end: '::ffff:255.255.255.255' }),
      parseRange({ start: '10.0.0.0', end: '10.0.0.255' }),
    ]);
    expect(cover).toEqual([span('10.0.0.0', '10.0.0.255')]);
  });

  it('trims addresses, and rejects reversed ranges, mixed families and bad IPv6', () => {
    expect(parseRange({ start: ' 10.0.0.1', end: '10.0.0.2 ' })).toEqual(
      span('10.0.0.1', '10.0.0.2'),
    );
    const bad: [unknown, string][] = [
      [{ start: '10.0.0.2', end: '10.0.0.1' }, 'ends before it starts'],
      [{ start: '2001:db8::2', end: '2001:db8::1' }, 'ends before it starts'],
      [{ start: '10.0.0.1', end: '::ffff:10.0.0.2' }, 'mixes IPv4 and IPv6'],
      [{ start: '2001:db8::1', end: '10.0.0.2' }, 'mixes IPv4 and IPv6'],
      [{ start: '2001:db8:::1', end: '2001:db8::2' }, 'not an IPv4 address'],
      [{ start: '1:2:3:4:5:6:7:8:9', end: '1:2:3:4:5:6:7:8:9' }, 'not an IPv4 address'],
      ['2001:db8::/129', 'invalid prefix length'],
    ];
    for (const [range, message] of bad) {
      expect(() => parseRange(range)).toThrow(message);
    }
  });
});
