/**
 * `npm run bench:apex [-- --json] [-- --org typical|large|failing]`: the package's scheduled check run in
 * the local Apex runtime on a typical and on the large synthetic org of `npm run bench`.
 *
 * Each org is generated (benchOrg.ts) and bulk-loaded into the in-memory org; then the chain runs
 * as the platform runs it: AnalyticsHealthScheduledCheck.execute in a schedulable transaction, then
 * each queued AnalyticsHealthCheckJob and its finalizer in a transaction of its own. Every
 * transaction's governor usage is recorded (ApexRuntime.onTransactionEnd). The run the chain
 * stored is read back (storedRun: findings assembled from the core and chunk result files, score
 * and summary as the record step stored them) and compared with the TypeScript engine's report on
 * the same org's facts as the collector's queries select them (benchOrg.ts collectedView):
 * findings, summary and score (acknowledgements applied, timestamps left out).
 */
import { TextDecoder } from 'node:util';
import {
  applyAcknowledgements,
  assembleReport,
  compileCatalog,
  evaluate,
  validateOrgFacts,
  type ChunkResult,
  type CompiledCatalog,
  type OrgFacts,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { loadCatalogRecords } from '../../../cli/lib/catalogSource';
import type { SyntheticSizes } from '../../bench/syntheticOrg';
import type { Usage } from '../governor';
import { installHarness } from '../harness/install';
import type { OrgService } from '../org/orgService';
import { ApexRuntime } from '../runtime';
import { ApexBlob, UnsupportedError, type ApexInstance, type Value } from '../values';
import { errorLine } from '../cli/apexEngine';
import { jsonDifferences } from '../cli/apexParity';
import { processIo, projectRoot, type Io } from '../cli/common';
import {
  BENCH_SIZES,
  benchFacts,
  benchResponder,
  benchSessionPolicy,
  collectedView,
  loadBenchOrg,
  type BenchOrgName,
} from './benchOrg';

/** The time the bench org's clock stands at (its facts' collectedAt). */
export const BENCH_NOW = '2026-11-20T08:00:00.000Z';

/** One transaction of the chain. */
export interface TransactionUsage {
  /** 'schedulable', 'queueable collect', 'finalizer collect', … */
  readonly label: string;
  readonly usage: Usage;
  /** The exception it ended with, as one line, or null. */
  readonly failure: string | null;
}

export interface UsageMaxima {
  soql: number;
  rows: number;
  dmlRows: number;
  callouts: number;
  heapBytes: number;
  statements: number;
}

/** What `--json` prints per org. */
export interface BenchOrgJson {
  name: string;
  fieldPermissionRows: number;
  transactions: number;
  max: UsageMaxima;
  reportEqualsTs: boolean;
  completed: boolean;
  failure?: string;
}

export interface BenchOrgResult {
  readonly json: BenchOrgJson;
  readonly sizes: SyntheticSizes;
  readonly users: number;
  readonly referencedFields: number;
  readonly rowsLoaded: number;
  readonly loadMillis: number;
  /** Heap growth of the load (after a collection, when gc is exposed). */
  readonly loadHeapBytes: number;
  readonly runMillis: number;
  readonly perTransaction: readonly TransactionUsage[];
  /** Where the stored report and the TS one differ (first few); empty when equal. */
  readonly differences: readonly string[];
  /** The run record's status and message. */
  readonly runStatus: string | null;
  readonly runMessage: string | null;
}

/** The largest value of each counter over the transactions. */
export function maxima(transactions: readonly TransactionUsage[]): UsageMaxima {
  const max: UsageMaxima = {
    soql: 0,
    rows: 0,
    dmlRows: 0,
    callouts: 0,
    heapBytes: 0,
    statements: 0,
  };
  for (const { usage } of transactions) {
    max.soql = Math.max(max.soql, usage.soqlQueries);
    max.rows = Math.max(max.rows, usage.queryRows);
    max.dmlRows = Math.max(max.dmlRows, usage.dmlRows);
    max.callouts = Math.max(max.callouts, usage.callouts);
    max.heapBytes = Math.max(max.heapBytes, usage.heapBytes);
    max.statements = Math.max(max.statements, usage.statements);
  }
  return max;
}

/** What of a report is compared: findings, summary and score (no timestamps). */
function comparable(report: unknown): unknown {
  const r = (report ?? {}) as Record<string, unknown>;
  return JSON.parse(JSON.stringify({ findings: r.findings, summary: r.summary, score: r.score }));
}

/**
 * Where the stored Apex report and the TS report differ (findings, summary, score), as
 * 'report…: apex != ts' lines; empty when they agree. No Apex report is one difference.
 */
export function reportDifferences(apex: unknown, ts: unknown, limit = 20): string[] {
  if (apex === null || apex === undefined) return ['report: the chain stored no report'];
  return jsonDifferences(comparable(apex), comparable(ts), 'report', limit);
}

/** The TS engine's report on the facts, acknowledgements applied as the record step does (none). */
export function tsReport(facts: OrgFacts, catalog: CompiledCatalog, evaluatedAt = BENCH_NOW) {
  const report = evaluate(validateOrgFacts(JSON.parse(JSON.stringify(facts))), catalog, {
    evaluatedAt,
  });
  return JSON.parse(JSON.stringify(applyAcknowledgements(report, []))) as unknown;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

function failureLine(error: unknown): string {
  const line = errorLine(error);
  if (line !== null) return line;
  return error instanceof Error ? `internal error: ${error.message.split('\n')[0]}` : String(error);
}

/** Title of the dashboard's report file, of the core file and prefix of the chunk results (AnalyticsHealthCheckJob). */
const REPORT_FILE_PREFIX = 'analytics-health-report-';
const CORE_FILE = 'analytics-health-core';
const RESULT_FILE_PREFIX = 'analytics-health-chunk-';

/**
 * The run the chain stored, read back as a whole report: findings assembled (TS assembleReport) from
 * the core result and the completed chunk results the Apex chain stored, in the order the chunks were
 * evaluated; score and summary as the Apex record step computed them from its aggregates (the stored
 * dashboard report, which lists non-passed findings and counts the PASS ones it leaves out).
 */
function storedRun(
  org: OrgService,
  catalog: CompiledCatalog,
): {
  status: string | null;
  message: string | null;
  report: unknown;
  problems: string[];
} {
  const runDef = org.schema.get('Analytics_Health_Run__c');
  const versionDef = org.schema.get('ContentVersion');
  if (!runDef || !versionDef) throw new UnsupportedError('the org has no run object');
  const runs = [...org.store.rows(runDef)];
  const last = runs[runs.length - 1];
  const text = (v: Value | undefined) => (v === null || v === undefined ? null : String(v));
  if (!last) return { status: null, message: null, report: null, problems: [] };
  const runId = String(last.get('id'));
  const files = new Map<string, unknown>();
  for (const version of org.store.rows(versionDef)) {
    const location = version.get('firstpublishlocationid') ?? null;
    const data: Value = version.get('versiondata') ?? null;
    if (location !== null && String(location) === runId && data instanceof ApexBlob) {
      files.set(String(version.get('title')), JSON.parse(new TextDecoder().decode(data.bytes)));
    }
  }
  const status = text(last.get('status__c'));
  const message = text(last.get('message__c'));
  const dashboard = [...files.entries()].find(([title]) =>
    title.startsWith(REPORT_FILE_PREFIX),
  )?.[1] as Record<string, unknown> | undefined;
  const core = files.get(CORE_FILE) as { facts: OrgFacts; core: ChunkResult } | undefined;
  if (!dashboard || !core) return { status, message, report: null, problems: [] };
  const results: ChunkResult[] = [core.core];
  for (let i = 0; files.has(`${RESULT_FILE_PREFIX}${i}`); i++) {
    results.push(files.get(`${RESULT_FILE_PREFIX}${i}`) as ChunkResult);
  }
  const whole = assembleReport(results, catalog, validateOrgFacts(core.facts), {
    evaluatedAt: String(dashboard.evaluatedAt),
  });
  const problems: string[] = [];
  const listed = (dashboard.findings as unknown[]).length;
  const omitted = Number(dashboard.omittedPassedFindings ?? 0);
  const omittedProblems = Object.values(
    (dashboard.omittedFindings ?? {}) as Record<string, number>,
  ).reduce((sum, count) => sum + count, 0);
  if (listed + omitted + omittedProblems !== whole.findings.length) {
    problems.push(
      `stored report: ${listed} findings listed + ${omitted} PASS and ${omittedProblems} others left out != ${whole.findings.length} stored by the chunks`,
    );
  }
  return {
    status,
    message,
    report: { findings: whole.findings, summary: dashboard.summary, score: dashboard.score },
    problems,
  };
}

/** The package's permission set the admin who schedules the check holds. */
const ADMIN_PERMISSION_SET = 'Analytics_Health_Admin';

/** Assigns a permission set of the package (loaded from its metadata) to the running user. */
function grantPermissionSet(org: OrgService, name: string): void {
  const setDef = org.schema.get('PermissionSet');
  const set = setDef
    ? [...org.store.rows(setDef)].find((row) => String(row.get('name') ?? '') === name)
    : undefined;
  if (!set) throw new UnsupportedError(`the org has no permission set ${name}`);
  org.insertSystem('PermissionSetAssignment', {
    AssigneeId: org.runningUserId(),
    PermissionSetId: set.get('id') ?? null,
  });
}

/** Generates, loads and runs one org; `catalog` is the TS engine's compiled catalog. */
export function runBenchOrg(
  name: string,
  sizes: SyntheticSizes,
  catalog: CompiledCatalog = compileCatalog(loadCatalogRecords()),
  root: string = projectRoot(),
): BenchOrgResult {
  const runtime = ApexRuntime.fromProject(root);
  const harness = installHarness(runtime, { debug: { write: () => undefined } });
  const org = runtime.services.org as OrgService;
  const now = Date.parse(BENCH_NOW);
  runtime.services.clock = () => now;

  const heapBefore = heapUsed();
  const loaded = loadBenchOrg(org, benchFacts(sizes));
  const loadHeapBytes = heapUsed() - heapBefore;
  grantPermissionSet(org, ADMIN_PERMISSION_SET);
  runtime.services.calloutResponder = benchResponder(loaded.facts);
  runtime.services.sessionPolicy = benchSessionPolicy;

  const perTransaction: TransactionUsage[] = [];
  runtime.onTransactionEnd = ({ kind, usage, error }) => {
    const job = harness.queue.currentJob;
    let step = '';
    if (job) {
      try {
        step = ` ${String(runtime.interop.getField(job.job as ApexInstance, 'step'))}`;
      } catch {
        step = ` ${job.className}`;
      }
    }
    perTransaction.push({
      label:
        kind === 'synchronous'
          ? 'page getLatestRun'
          : `${kind}${kind === 'schedulable' ? '' : step}`,
      usage: { ...usage },
      failure: error === null ? null : failureLine(error),
    });
  };

  const started = performance.now();
  let internal: string | null = null;
  try {
    const runner = harness.queue.runner!;
    const cls = runtime.interpreter.classes.lookup('AnalyticsHealthScheduledCheck', null);
    if (!cls) throw new UnsupportedError('no class AnalyticsHealthScheduledCheck');
    runner.run('schedulable', (interop) => {
      interop.invoke(runtime.interpreter.instantiate(cls, []), 'execute', [null]);
    });
    harness.queue.drain();
    // The dashboard opening on the run: one synchronous transaction reads the stored report.
    runtime.transaction('synchronous', () =>
      runtime.callStatic('AnalyticsHealthMonitorController', 'getLatestRun'),
    );
  } catch (error) {
    // A refusal of the runtime (unsupported construct, harness limit): the chain stops here.
    internal = failureLine(error);
  } finally {
    runtime.onTransactionEnd = null;
  }
  const runMillis = performance.now() - started;

  const stored = storedRun(org, catalog);
  const differences = [
    ...stored.problems,
    ...reportDifferences(stored.report, tsReport(collectedView(loaded.facts), catalog)),
  ];
  const failed = perTransaction.find((t) => t.failure !== null);
  let failure: string | undefined;
  if (internal) failure = internal;
  else if (failed) failure = `${failed.label}: ${failed.failure}`;
  else if (stored.status !== 'complete') {
    failure = `run ${stored.status ?? 'not stored'}: ${stored.message ?? ''}`.trim();
  }
  const facts = loaded.facts;
  return {
    json: {
      name,
      fieldPermissionRows: loaded.rows.fieldPermissions,
      transactions: perTransaction.length,
      max: maxima(perTransaction),
      reportEqualsTs: differences.length === 0,
      completed: failure === undefined,
      ...(failure === undefined ? {} : { failure }),
    },
    sizes,
    users: facts.users.length,
    referencedFields: (facts.analytics?.references ?? []).reduce((n, r) => n + r.fields.length, 0),
    rowsLoaded: loaded.rows.total,
    loadMillis: loaded.loadMillis,
    loadHeapBytes,
    runMillis,
    perTransaction,
    differences,
    runStatus: stored.status,
    runMessage: stored.message,
  };
}

function printText(io: Io, r: BenchOrgResult): void {
  const j = r.json;
  const n = (v: number) => v.toLocaleString('en-US');
  io.stdout(
    `${j.name}: ${n(r.sizes.objects)} objects, ${n(r.referencedFields)} referenced fields, ` +
      `${n(j.fieldPermissionRows)} field-permission rows, ${n(r.users)} users\n`,
  );
  io.stdout(
    `  load: ${n(r.rowsLoaded)} rows in ${(r.loadMillis / 1000).toFixed(2)} s, heap +${mib(r.loadHeapBytes)}\n`,
  );
  io.stdout(
    `  chain: ${j.transactions} transactions in ${(r.runMillis / 1000).toFixed(2)} s; ` +
      `${j.completed ? 'completed' : `FAILED — ${j.failure ?? ''}`}\n`,
  );
  io.stdout(
    `  max per transaction: SOQL ${n(j.max.soql)}, rows ${n(j.max.rows)}, DML rows ${n(j.max.dmlRows)}, ` +
      `callouts ${n(j.max.callouts)}, heap ${mib(j.max.heapBytes)}, statements ${n(j.max.statements)}\n`,
  );
  for (const t of r.perTransaction) {
    const u = t.usage;
    io.stdout(
      `    ${t.label.padEnd(20)} soql ${u.soqlQueries}, rows ${u.queryRows}, dml rows ${u.dmlRows}, ` +
        `callouts ${u.callouts}, heap ${mib(u.heapBytes)}, statements ${n(u.statements)}, ` +
        `${u.wallMillis} ms${t.failure ? ` — ${t.failure}` : ''}\n`,
    );
  }
  io.stdout(
    `  run record: ${r.runStatus ?? '(none)'}${r.runMessage ? ` — ${r.runMessage}` : ''}\n`,
  );
  io.stdout(`  report equals the TS engine's: ${j.reportEqualsTs ? 'yes' : 'no'}\n`);
  for (const d of r.differences.slice(0, 8)) io.stdout(`    ${d}\n`);
}

const USAGE = 'usage: bench:apex [--json] [--org typical|large|failing]';

export function run(argv: string[], io: Io = processIo): number {
  let json = false;
  let only: BenchOrgName | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') json = true;
    else if (argv[i] === '--org' && ['typical', 'large', 'failing', 'tiny'].includes(argv[i + 1])) {
      only = argv[++i] as BenchOrgName;
    } else {
      io.stderr(`bench:apex: bad argument ${argv[i]}\n${USAGE}\n`);
      return 2;
    }
  }
  const names: BenchOrgName[] = only ? [only] : ['typical', 'large'];
  const catalog = compileCatalog(loadCatalogRecords());
  const orgs: BenchOrgJson[] = [];
  for (const name of names) {
    const result = runBenchOrg(name, BENCH_SIZES[name], catalog);
    orgs.push(result.json);
    if (!json) printText(io, result);
  }
  if (json) io.stdout(`${JSON.stringify({ orgs }, null, 2)}\n`);
  else io.stdout(`peak resident memory: ${mib(process.resourceUsage().maxRSS * 1024)}\n`);
  return 0;
}

const isMain = process.argv[1]?.replace(/\.[jt]s$/, '').endsWith('benchApex');
if (isMain) {
  process.exitCode = run(process.argv.slice(2));
}
