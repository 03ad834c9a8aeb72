/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
// Milestone: the package's own classes load and run — pure static methods directly, and three
// test classes through the harness's test runner.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { installHarness } from '../harness/install';
import { runTests } from '../harness/testRunner';
import { ApexRuntime } from '../runtime';

let runtime: ApexRuntime;

beforeAll(() => {
  runtime = ApexRuntime.fromProject(process.cwd());
  installHarness(runtime);
});

test('every class of the package loads', () => {
  const names = runtime.classes().map((c) => c.name);
  expect(names).toEqual(
    expect.arrayContaining(['SalesforceId', 'AnalyticsHealthIpRanges.Interval']),
  );
  // One top-level class per .cls file of the package.
  const files = readdirSync(path.join(process.cwd(), 'force-app'), { recursive: true }).filter(
    (f) => String(f).endsWith('.cls'),
  );
  expect(runtime.classes().filter((c) => !c.name.includes('.')).length).toBe(files.length);
  expect(files.length).toBeGreaterThan(60);
});

test('pure static methods run', () => {
  expect(runtime.callStatic('SalesforceId', 'to18', ['001M000000qfPyS'])).toBe(
    '001M000000qfPySIAU',
  );
  expect(
    runtime.callStatic('SalesforceId', 'sameId', ['001M000000qfPyS', '001M000000qfPySIAU']),
  ).toBe(true);
  expect(runtime.callStatic('AnalyticsHealthIpRanges', 'parseIpv4', ['10.0.0.1'])).toBe(167772161n);
  expect(runtime.callStatic('AnalyticsHealthJsValues', 'toJsString', [true])).toBe('true');
  expect(runtime.callStatic('AnalyticsHealthDates', 'toMillis', ['2024-01-05T10:00:00Z'])).toBe(
    1704448800000n,
  );
});

test.each(['SalesforceIdTest', 'AnalyticsHealthIpRangesTest', 'AnalyticsHealthDatesTest'])(
  '%s passes',
  (className) => {
    const [result] = runTests(runtime, { className });
    expect(result.methods.filter((m) => m.outcome === 'Fail')).toEqual([]);
    expect(result.passed).toBeGreaterThan(0);
  },
);
