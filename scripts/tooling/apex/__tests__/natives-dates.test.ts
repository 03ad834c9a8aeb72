import { ApexDate, ApexDatetime, ApexTime } from '../values';
import { fakeContext } from './fakeContext';
import { apexErrorOf, call, stat } from './nativeCalls';

const gmt = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  new ApexDatetime(Date.UTC(y, mo - 1, d, h, mi, s));
const la = fakeContext({ services: { timeZone: 'America/Los_Angeles' } });

describe('Datetime', () => {
  test('DAT-01 now() reads the harness clock', () => {
    const fixed = fakeContext({ services: { clock: () => 1764057600000 } });
    expect((stat('Datetime', 'now', [], fixed) as ApexDatetime).epochMillis).toBe(1764057600000);
  });
  test('DAT-02 newInstanceGmt is GMT; newInstance is the user time zone; newInstance(Long) is epoch ms', () => {
    expect(stat('Datetime', 'newInstanceGmt', [2024, 1, 5, 10, 0, 0])).toEqual(gmt(2024, 1, 5, 10));
    expect(stat('Datetime', 'newInstance', [2024, 1, 5, 10, 0, 0], la)).toEqual(
      gmt(2024, 1, 5, 18),
    );
    expect(stat('Datetime', 'newInstance', [2024, 7, 5, 10, 0, 0], la)).toEqual(
      gmt(2024, 7, 5, 17),
    );
    expect(stat('Datetime', 'newInstance', [1704448800000n])).toEqual(gmt(2024, 1, 5, 10));
  });
  test('DAT-05 getTime is a Long of epoch milliseconds', () => {
    expect(call('Datetime', 'getTime', gmt(2026, 11, 20, 8))).toBe(
      BigInt(Date.UTC(2026, 10, 20, 8)),
    );
  });
  test('DAT-04 formatGmt with SimpleDateFormat letters and quoted text', () => {
    const dt = new ApexDatetime(Date.UTC(2026, 10, 20, 8, 5, 9, 7));
    expect(call('Datetime', 'formatGmt', dt, ["yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"])).toBe(
      '2026-11-20T08:05:09.007Z',
    );
    expect(call('Datetime', 'formatGmt', dt, ["EEE, MMM d ''yy h:mm a"])).toBe(
      "Fri, Nov 20 '26 8:05 AM",
    );
  });
  test('DAT-04 format(pattern) uses the user time zone; format(pattern, zone) the given one', () => {
    const dt = gmt(2026, 11, 20, 8);
    expect(call('Datetime', 'format', dt, ['yyyy-MM-dd HH:mm z'], la)).toBe('2026-11-20 00:00 PST');
    expect(call('Datetime', 'format', dt, ['HH:mm XXX', 'GMT'], la)).toBe('08:00 Z');
    expect(call('Datetime', 'format', dt, ['HH:mm Z'], la)).toBe('00:00 -0800');
  });
  test('DAT-06 addDays keeps the local wall-clock time across a DST change', () => {
    const before = gmt(2026, 3, 7, 18); // 10:00 PST on 7 March
    const after = call('Datetime', 'addDays', before, [2], la) as ApexDatetime;
    expect(after).toEqual(gmt(2026, 3, 9, 17)); // 10:00 PDT on 9 March
    const inGmt = fakeContext({ services: { timeZone: 'GMT' } });
    expect(call('Datetime', 'addDays', gmt(2026, 11, 20, 8), [-30], inGmt)).toEqual(
      gmt(2026, 10, 21, 8),
    );
  });
  test('DAT-05 date() is local, dateGmt() is GMT', () => {
    const dt = gmt(2026, 11, 20, 3);
    expect(call('Datetime', 'date', dt, [], la)).toEqual(ApexDate.of(2026, 11, 19));
    expect(call('Datetime', 'dateGmt', dt, [], la)).toEqual(ApexDate.of(2026, 11, 20));
  });
  test('DAT-08 valueOf is local, valueOfGmt is GMT', () => {
    expect(stat('Datetime', 'valueOfGmt', ['2024-01-05 10:00:00'])).toEqual(gmt(2024, 1, 5, 10));
    expect(stat('Datetime', 'valueOf', ['2024-01-05 10:00:00'], la)).toEqual(gmt(2024, 1, 5, 18));
  });
});

describe('Date and Time', () => {
  test('DAT-06 addMonths clamps to the end of the month', () => {
    expect(call('Date', 'addMonths', ApexDate.of(2024, 1, 31), [1])).toEqual(
      ApexDate.of(2024, 2, 29),
    );
    expect(call('Date', 'addDays', ApexDate.of(2024, 12, 31), [1])).toEqual(
      ApexDate.of(2025, 1, 1),
    );
    expect(call('Date', 'daysBetween', ApexDate.of(2024, 1, 1), [ApexDate.of(2024, 3, 1)])).toBe(
      60,
    );
  });
  test('DAT-07 Date.valueOf parses yyyy-MM-dd and rejects bad text', () => {
    expect(stat('Date', 'valueOf', ['2024-01-05'])).toEqual(ApexDate.of(2024, 1, 5));
    expect(stat('Date', 'valueOf', ['2024-01-05 10:00:00'])).toEqual(ApexDate.of(2024, 1, 5));
    expect(apexErrorOf(() => stat('Date', 'valueOf', ['2024-13-05']))).toBe(
      'System.TypeException: Invalid date: 2024-13-05',
    );
  });
  test('DAT-01 Date.today() is today in the user time zone', () => {
    const ctx = fakeContext({
      services: { timeZone: 'America/Los_Angeles', clock: () => Date.UTC(2026, 0, 1, 3) },
    });
    expect(stat('Date', 'today', [], ctx)).toEqual(ApexDate.of(2025, 12, 31));
  });
  test('Time fields and wrap-around', () => {
    const t = stat('Time', 'newInstance', [23, 30, 0, 0]) as ApexTime;
    expect(call('Time', 'hour', t)).toBe(23);
    expect(call('Time', 'addHours', t, [1])).toEqual(new ApexTime(30 * 60000));
  });
});
