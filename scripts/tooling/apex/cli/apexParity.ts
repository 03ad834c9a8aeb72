/**
 * `npm run apex:parity [-- --count 500] [-- --seed 20261120] [-- --tr-count 50]`: the two engines
 * on random valid org snapshots (scripts/tooling/testkit/randomSnapshot.ts), the whole report compared —
 * every finding's fields, the summary, the score. `--count` snapshots run as the default user,
 * `--tr-count` more with the Apex engine running as a tr_TR-locale user (Turkish dotted and
 * dotless i: locale-sensitive case mapping in the Apex would show here).
 * Exit 0 when every report is the same, 1 when one differs (the first differences are printed),
 * 2 on bad usage or when the Apex engine cannot run.
 */
import fc from 'fast-check';
import {
  compileCatalog,
  evaluate,
  validateOrgFacts,
  type CatalogRecords,
  type CompiledCatalog,
  type Report,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { loadCatalogRecords } from '../../../cli/lib/catalogSource';
import { orgFactsArbitrary } from '../../testkit/randomSnapshot';
import { ApexEngineError, evaluateWithApex } from './apexEngine';
import { processIo, type Io } from './common';

export const PARITY_EVALUATED_AT = '2026-11-20T08:00:00.000Z';

/**
 * Where two JSON values differ, as 'path: a != b' lines (at most `limit`). Object key order does
 * not count (a JSON object is unordered); everything else does: a null is not a missing key.
 */
export function jsonDifferences(a: unknown, b: unknown, path = '$', limit = 20): string[] {
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, at: string) => {
    if (out.length >= limit) return;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) out.push(`${at}.length: ${x.length} != ${y.length}`);
      for (let i = 0; i < Math.min(x.length, y.length); i++) walk(x[i], y[i], `${at}[${i}]`);
      return;
    }
    if (
      x !== null &&
      y !== null &&
      typeof x === 'object' &&
      typeof y === 'object' &&
      !Array.isArray(x) &&
      !Array.isArray(y)
    ) {
      const xo = x as Record<string, unknown>;
      const yo = y as Record<string, unknown>;
      for (const key of new Set([...Object.keys(xo), ...Object.keys(yo)])) {
        if (!(key in xo)) out.push(`${at}.${key}: (missing) != ${JSON.stringify(yo[key])}`);
        else if (!(key in yo)) out.push(`${at}.${key}: ${JSON.stringify(xo[key])} != (missing)`);
        else walk(xo[key], yo[key], `${at}.${key}`);
      }
      return;
    }
    if (JSON.stringify(x) !== JSON.stringify(y)) {
      out.push(`${at}: ${JSON.stringify(x)} != ${JSON.stringify(y)}`);
    }
  };
  walk(a, b, path);
  return out;
}

export interface ParityContext {
  records: CatalogRecords;
  compiled: CompiledCatalog;
}

export function parityContext(records: CatalogRecords = loadCatalogRecords()): ParityContext {
  return { records, compiled: compileCatalog(records) };
}

/** Both engines' reports on one snapshot (the TS one through a JSON round trip). */
export function bothReports(
  context: ParityContext,
  snapshot: unknown,
  locale?: string,
): { ts: Report; apex: Report } {
  const ts = JSON.parse(
    JSON.stringify(
      evaluate(validateOrgFacts(JSON.parse(JSON.stringify(snapshot))), context.compiled, {
        evaluatedAt: PARITY_EVALUATED_AT,
      }),
    ),
  ) as Report;
  const apex = evaluateWithApex(snapshot, context.records, {
    evaluatedAt: PARITY_EVALUATED_AT,
    ...(locale ? { locale } : {}),
  });
  return { ts, apex };
}

/** 'ts != apex' differences of the two reports on one snapshot; empty when they agree. */
export function parityDifferences(
  context: ParityContext,
  snapshot: unknown,
  locale?: string,
): string[] {
  const { ts, apex } = bothReports(context, snapshot, locale);
  return jsonDifferences(ts, apex, 'report');
}

export interface ParityRun {
  compared: number;
  differing: { index: number; locale: string; differences: string[] }[];
}

/** `count` seeded snapshots (fast-check, one seed) through both engines. */
export function runParity(
  context: ParityContext,
  count: number,
  seed: number,
  locale?: string,
): ParityRun {
  const result: ParityRun = { compared: 0, differing: [] };
  const snapshots = fc.sample(orgFactsArbitrary(), { numRuns: count, seed });
  snapshots.forEach((snapshot, index) => {
    const differences = parityDifferences(context, snapshot, locale);
    result.compared++;
    if (differences.length)
      result.differing.push({ index, locale: locale ?? 'default', differences });
  });
  return result;
}

const USAGE = 'usage: apex:parity [--count N] [--tr-count N] [--seed N]';

export function run(argv: string[], io: Io = processIo): number {
  const numbers: Record<string, number> = { count: 500, 'tr-count': 50, seed: 20261120 };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if (!(name in numbers) || !argv[i].startsWith('--') || !Number.isInteger(value) || value < 0) {
      io.stderr(`apex:parity: bad argument ${argv[i]}\n${USAGE}\n`);
      return 2;
    }
    numbers[name] = value;
    i++;
  }
  const context = parityContext();
  const started = Date.now();
  try {
    const runs = [
      runParity(context, numbers.count, numbers.seed),
      runParity(context, numbers['tr-count'], numbers.seed + 1, 'tr_TR'),
    ];
    const compared = runs.reduce((n, r) => n + r.compared, 0);
    const differing = runs.flatMap((r) => r.differing);
    for (const d of differing.slice(0, 5)) {
      io.stdout(`snapshot #${d.index} (${d.locale}):\n  ${d.differences.join('\n  ')}\n`);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stdout(
      `apex:parity: ${compared} snapshot(s) compared (${numbers.count} default locale, ` +
        `${numbers['tr-count']} tr_TR; seed ${numbers.seed}), ${differing.length} differ; ${seconds}s\n`,
    );
    return differing.length ? 1 : 0;
  } catch (error) {
    if (error instanceof ApexEngineError) {
      io.stderr(`apex:parity: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

const isMain = process.argv[1]?.replace(/\.[jt]s$/, '').endsWith('apexParity');
if (isMain) {
  process.exitCode = run(process.argv.slice(2));
}
