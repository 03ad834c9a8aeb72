/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
// `npm run bench:apex` on a tiny org from the same generator: the scheduled chain completes in the
// local runtime, every transaction's usage is recorded, the JSON has the documented shape, and the
// report comparison says false when the reports differ. Not timed.
import { resolve } from 'node:path';
import { compileCatalog } from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { loadCatalogRecords } from '../../../cli/lib/catalogSource';
import { BENCH_SIZES, benchFacts, collectedView } from '../bench/benchOrg';
import {
  maxima,
  reportDifferences,
  run,
  runBenchOrg,
  tsReport,
  type BenchOrgResult,
} from '../bench/benchApex';
import { bulkLoad } from '../org/bulkLoad';
import { indexKey } from '../org/store';
import { ApexId } from '../values';
import { ApexRuntime } from '../runtime';
import { createOrg } from '../org/orgService';

const ROOT = resolve(__dirname, '../../../..');
const catalog = compileCatalog(loadCatalogRecords());

let tiny: BenchOrgResult;
beforeAll(() => {
  tiny = runBenchOrg('tiny', BENCH_SIZES.tiny, catalog, ROOT);
}, 120000);

describe('bench:apex on a tiny org', () => {
  it('runs the whole scheduled chain to a complete run', () => {
    expect(tiny.json.failure).toBeUndefined();
    expect(tiny.json.completed).toBe(true);
    expect(tiny.runStatus).toBe('complete');
    const labels = tiny.perTransaction.map((t) => t.label);
    expect(labels[0]).toBe('schedulable');
    for (const step of ['collect', 'core', 'evaluate', 'record', 'purge']) {
      expect(labels).toContain(`queueable ${step}`);
      expect(labels).toContain(`finalizer ${step}`);
    }
  });

  it('records the usage of each transaction', () => {
    expect(tiny.json.transactions).toBe(tiny.perTransaction.length);
    // The analytics API's callouts have the collect transaction to themselves; the core queries.
    const collect = tiny.perTransaction.find((t) => t.label === 'queueable collect')!;
    expect(collect.usage.soqlQueries).toBe(0);
    expect(collect.usage.callouts).toBeGreaterThan(0);
    expect(collect.usage.statements).toBeGreaterThan(0);
    const core = tiny.perTransaction.find((t) => t.label === 'queueable core')!;
    expect(core.usage.soqlQueries).toBeGreaterThan(0);
    expect(tiny.perTransaction.every((t) => t.failure === null)).toBe(true);
    expect(tiny.json.max).toEqual(maxima(tiny.perTransaction));
    expect(tiny.json.max.soql).toBe(
      Math.max(...tiny.perTransaction.map((t) => t.usage.soqlQueries)),
    );
  });

  it('compares the stored report with the TS engine on the same facts', () => {
    expect(typeof tiny.json.reportEqualsTs).toBe('boolean');
    expect(tiny.json.reportEqualsTs).toBe(tiny.differences.length === 0);
    // The chunk files read back and assembled, with the record step's score and summary.
    expect(tiny.differences).toEqual([]);
  });

  it('prints the JSON shape of --json', () => {
    let out = '';
    const code = run(['--json', '--org', 'tiny'], {
      stdout: (t) => {
        out += t;
      },
      stderr: () => undefined,
    });
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { orgs: Record<string, unknown>[] };
    expect(parsed.orgs).toHaveLength(1);
    const org = parsed.orgs[0];
    expect(Object.keys(org).sort()).toEqual(
      ['name', 'fieldPermissionRows', 'transactions', 'max', 'reportEqualsTs', 'completed'].sort(),
    );
    expect(org.name).toBe('tiny');
    expect(org.fieldPermissionRows).toBe(benchFacts(BENCH_SIZES.tiny).fieldPermissions.length);
    expect(Object.keys(org.max as object).sort()).toEqual(
      ['soql', 'rows', 'dmlRows', 'callouts', 'heapBytes', 'statements'].sort(),
    );
  }, 120000);

  it('rejects unknown arguments', () => {
    let err = '';
    expect(run(['--org', 'huge'], { stdout: () => undefined, stderr: (t) => (err += t) })).toBe(2);
    expect(err).toMatch(/usage: bench:apex/);
  });
});

describe('reportDifferences', () => {
  const facts = collectedView(benchFacts(BENCH_SIZES.tiny));
  const report = tsReport(facts, catalog) as {
    findings: { status: string }[];
    score: number;
    evaluatedAt: string;
  };

  it('is empty for equal reports, timestamps aside', () => {
    expect(
      reportDifferences(report, { ...report, evaluatedAt: '2000-01-01T00:00:00.000Z' }),
    ).toEqual([]);
  });

  it('names what differs: a finding, the score, a missing report', () => {
    const changed = JSON.parse(JSON.stringify(report)) as typeof report;
    changed.findings[0].status = changed.findings[0].status === 'PASS' ? 'FAIL' : 'PASS';
    changed.score = report.score + 1;
    const differences = reportDifferences(changed, report);
    expect(differences.some((d) => d.startsWith('report.findings[0].status'))).toBe(true);
    expect(differences.some((d) => d.startsWith('report.score'))).toBe(true);
    expect(reportDifferences(null, report)).toEqual(['report: the chain stored no report']);
  });
});

describe('the runtime hooks the benchmark uses', () => {
  it('bulkLoad stores rows that queries and existing indexes see', () => {
    const org = createOrg(ROOT);
    const def = org.schema.get('FieldPermissions')!;
    const parent = [...org.store.rows(org.schema.get('PermissionSet')!)][0].get('id') as ApexId;
    const before = org.store.lookup(def, 'ParentId', [indexKey(parent, false)]).length;
    const ids = bulkLoad(org, 'FieldPermissions', [
      {
        ParentId: parent.value,
        SobjectType: 'Account',
        Field: 'Account.X__c',
        PermissionsRead: true,
      },
      { ParentId: parent, SobjectType: 'Account', Field: 'Account.Y__c', PermissionsRead: false },
    ]);
    expect(ids).toHaveLength(2);
    // The index built before the load is rebuilt with the new rows.
    const after = org.store.lookup(def, 'ParentId', [indexKey(parent, false)]);
    expect(after).toHaveLength(before + 2);
    const row = org.store.find(ids[0])!.row;
    expect(row.get('parentid')).toBeInstanceOf(ApexId);
    expect(row.get('permissionsread')).toBe(true);
    expect(row.get('systemmodstamp')).not.toBeUndefined();
    expect(() => bulkLoad(org, 'FieldPermissions', [{ Nope__c: 1 }])).toThrow(/no field/);
  });

  it('ApexRuntime.onTransactionEnd sees each transaction with its usage and error', () => {
    const runtime = ApexRuntime.fromSources(
      [{ path: 'T.cls', text: 'public class T { public static Integer f() { return 1 / 0; } }' }],
      {},
      ROOT,
    );
    const seen: { kind: string; statements: number; error: boolean }[] = [];
    runtime.onTransactionEnd = ({ kind, usage, error }) =>
      seen.push({ kind, statements: usage.statements, error: error !== null });
    runtime.runAnonymous('Integer x = 1;');
    expect(() => runtime.callStatic('T', 'f')).toThrow();
    expect(seen).toEqual([
      { kind: 'synchronous', statements: 1, error: false },
      { kind: 'synchronous', statements: expect.any(Number), error: true },
    ]);
  });
});
