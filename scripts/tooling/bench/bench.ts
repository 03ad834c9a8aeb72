/**
 * `npm run bench`: the engine on synthetic large orgs.
 *
 * 1. End to end (validate → model → every rule → report) on a large org, with peak heap.
 * 2. The rule-evaluation phase alone — every rule's condition on every subject — for this
 *    engine's compiled closures, json-logic-js `apply` (the reference) and json-logic-engine's
 *    compiled mode (`build`), on identical subject data and the same domain operators;
 *    with the number of results that differ from json-logic-js.
 * 3. Scaling: end-to-end time at 1×, 2× and 4× the base org.
 * 4. The CLI as users run it: the bin in a child process on the large org written to a snapshot
 *    file, the report written to a file, against `JSON.parse` of the same file (targets: at most
 *    2.5× its time and a peak resident size of at most 600 MB, for the full JSON report).
 *
 * Times are wall-clock on whatever else the machine is doing: compare the ratios
 * printed in one run rather than absolute times across machines.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import jsonLogic from 'json-logic-js';
import { LogicEngine } from 'json-logic-engine';
import {
  DOMAIN_OPERATORS,
  OrgModel,
  SubjectResolver,
  compileCatalog,
  compile,
  computeEvidence,
  evaluate,
  truthy,
  validateOrgFacts,
  type EvaluationEnv,
} from '../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { loadCatalogRecords, PROJECT_ROOT } from '../../cli/lib/catalogSource';
import { syntheticOrg } from './syntheticOrg';

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

/**
 * A full collection, then a pause for the collector's background threads to finish
 * their part of it (sweeping). Timed right after `gc()`, a run of 10–20 ms on a
 * two-core machine shares a core with that work and measured up to twice as long.
 */
async function settle(): Promise<void> {
  global.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 100));
}

/**
 * Each function once untimed (JIT, lazy indexes), then `runs` rounds in which each runs once
 * in turn, so a change in machine load falls on all of them alike; the median of each.
 */
async function interleavedMedians<T>(
  runs: number,
  fns: (() => T)[],
): Promise<{ ms: number; value: T }[]> {
  for (const fn of fns) fn();
  const times = fns.map(() => [] as { ms: number; value: T }[]);
  for (let round = 0; round < runs; round++) {
    for (const [i, fn] of fns.entries()) {
      // One at a time by design: each timed run starts on a settled heap.
      // eslint-disable-next-line no-await-in-loop
      await settle();
      times[i].push(time(fn));
    }
  }
  return times.map((list) => list.sort((a, b) => a.ms - b.ms)[Math.floor(runs / 2)]);
}

const catalog = compileCatalog(loadCatalogRecords());
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const fmtTenths = (ms: number) => `${ms.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

// 1. End to end, with the memory it leaves in use and the process's peak so far.
const facts = syntheticOrg(1);
const rows = facts.fieldPermissions.length;
await settle();
const e2e = time(() => evaluate(validateOrgFacts(facts), catalog));
const heapAfter = process.memoryUsage().heapUsed;
// The most memory the process has held at any moment (kilobytes): a bound that covers the
// run's short-lived peaks, which no sampling timer sees while the run holds the thread.
const peakResident = process.resourceUsage().maxRSS * 1024;
const [e2eWarm] = await interleavedMedians(3, [() => evaluate(validateOrgFacts(facts), catalog)]);
console.log(
  `Large org: ${facts.schema!.objects.length} objects, ${facts.analytics!.references.length * 101} referenced fields, ${rows} field-permission rows, ${facts.users.length} users`,
);
console.log(
  `End to end: first run ${fmt(e2e.ms)}, then ${fmt(e2eWarm.ms)} (median of 3); ${e2e.value.findings.length} findings; heap after the run ${mb(heapAfter)} (incl. the facts and the report); peak resident memory of the process ${mb(peakResident)}`,
);

// 2. Rule evaluation only, on identical prepared subjects.
const model = new OrgModel(facts);
const resolver = new SubjectResolver(model);
const env: EvaluationEnv = {
  model,
  lists: catalog.catalog.lists,
  failingRuleIds: new Set(),
  memo: new Map(),
};
const work = catalog.rules.flatMap((rule) => {
  const subjects = resolver.subjects(rule.definition.subject);
  if (!Array.isArray(subjects)) return [];
  return subjects.map((s) => {
    let data = s.context;
    if (rule.conditionReadsEvidence) {
      data = { ...data, evidence: computeEvidence(rule, data, env) };
    }
    return { rule, data };
  });
});
type Operators = Record<string, { evaluate: (args: unknown[], env: EvaluationEnv) => unknown }>;

/**
 * Times the three evaluators on the same rule × subject pairs with the same
 * domain operators, and counts results that differ from json-logic-js.
 */
async function compareEvaluators(title: string, operators: Operators): Promise<void> {
  const reference = jsonLogic as unknown as {
    add_operation(name: string, fn: (...args: unknown[]) => unknown): void;
    apply(logic: unknown, data: unknown): unknown;
  };
  const engine = new LogicEngine();
  for (const [name, op] of Object.entries(operators)) {
    reference.add_operation(name, (...args: unknown[]) => op.evaluate(args, env));
    engine.addMethod(
      name,
      (args: unknown) => op.evaluate(Array.isArray(args) ? args : [args], env),
      { deterministic: false },
    );
  }
  const built = new Map(
    catalog.rules.map((r) => [
      r.definition.id,
      engine.build(r.definition.condition) as (d: unknown) => unknown,
    ]),
  );
  const compiled = new Map(
    catalog.rules.map((r) => [
      r.definition.id,
      operators === DOMAIN_OPERATORS
        ? r.condition
        : compile<EvaluationEnv>(r.definition.condition, operators as typeof DOMAIN_OPERATORS),
    ]),
  );
  // Rule by rule, each over its subjects: how a compile-once evaluator is used (and how
  // the engine runs), with one call site per rule rather than one for all rules.
  const groups = catalog.rules
    .map((rule) => ({
      logic: rule.definition.condition,
      ours: compiled.get(rule.definition.id)!,
      peer: built.get(rule.definition.id)!,
      subjects: work.filter((w) => w.rule === rule).map((w) => w.data),
    }))
    .filter((g) => g.subjects.length > 0);
  // Three plain loops, so no evaluator pays for a shared dispatching callback. Each writes
  // its values into an array made once, outside the timing: filling a fresh array of
  // 400,000 values takes about as long as this engine's whole evaluation, and is not
  // evaluation.
  const total = groups.reduce((sum, g) => sum + g.subjects.length, 0);
  const oursResults = new Array<unknown>(total).fill(null);
  const jsonResults = new Array<unknown>(total).fill(null);
  const peerResults = new Array<unknown>(total).fill(null);
  const runOurs = () => {
    let i = 0;
    for (const group of groups) {
      const evaluateRule = group.ours;
      for (const data of group.subjects) oursResults[i++] = evaluateRule(data, env);
    }
    return oursResults;
  };
  const runJson = () => {
    let i = 0;
    for (const group of groups) {
      const logic = group.logic;
      for (const data of group.subjects) jsonResults[i++] = reference.apply(logic, data);
    }
    return jsonResults;
  };
  const runPeer = () => {
    let i = 0;
    for (const group of groups) {
      const evaluateRule = group.peer;
      for (const data of group.subjects) peerResults[i++] = evaluateRule(data);
    }
    return peerResults;
  };
  const [ours, json, peer] = await interleavedMedians(7, [runOurs, runJson, runPeer]);
  const differences = ours.value.filter(
    (v, i) => JSON.stringify(v) !== JSON.stringify(json.value[i]),
  ).length;
  const truthDiff = ours.value.filter((v, i) => truthy(v) !== truthy(json.value[i])).length;
  console.log(`${title} (${work.length} rule × subject pairs):`);
  console.log(`  this engine        ${fmtTenths(ours.ms)}`);
  console.log(
    `  json-logic-js      ${fmtTenths(json.ms)}  (${(json.ms / ours.ms).toFixed(1)}× this engine's time)`,
  );
  console.log(
    `  json-logic-engine  ${fmtTenths(peer.ms)}  (${(peer.ms / ours.ms).toFixed(1)}× this engine's time)`,
  );
  console.log(`  results differing from json-logic-js: ${differences} (truthiness: ${truthDiff})`);
}

await compareEvaluators('Rule evaluation', DOMAIN_OPERATORS);
// The same, with every domain operator answering at once (its first argument):
// what is left is each interpreter's own cost, without the shared lookups.
const answerAtOnce: Operators = Object.fromEntries(
  Object.keys(DOMAIN_OPERATORS).map((name) => [
    name,
    { ...DOMAIN_OPERATORS[name], evaluate: (args: unknown[]) => args[0], bind: undefined },
  ]),
);
await compareEvaluators('Interpreters alone (operators answer at once)', answerAtOnce);

// 3. Scaling.
const line: string[] = [];
for (const scale of [1, 2, 4]) {
  const big = scale === 1 ? facts : syntheticOrg(scale);
  // eslint-disable-next-line no-await-in-loop -- each scale starts on a settled heap
  await settle();
  line.push(`${scale}× ${fmt(time(() => evaluate(validateOrgFacts(big), catalog)).ms)}`);
}
console.log(`Scaling (end to end): ${line.join(', ')}`);

// 4. The CLI end to end, each run a fresh process.
const HERE = path.dirname(fileURLToPath(import.meta.url));
// The launcher npm installs as `analytics-health`: package.json's bin, so a move cannot lose it.
const BIN = path.join(
  PROJECT_ROOT,
  (
    JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    }
  ).bin['analytics-health'],
);
const USAGE_PRELOAD = pathToFileURL(path.join(HERE, 'childUsage.js')).href;
const CLI_TARGET_RATIO = 2.5;
const CLI_TARGET_RESIDENT = 600 * 2 ** 20;
// Read and parse, as any program that takes the snapshot must: the yardstick for the CLI.
const PARSE_ONLY = `const start = performance.now();
JSON.parse(require('node:fs').readFileSync(process.env.AH_BENCH_SNAPSHOT, 'utf8'));
process.stdout.write(String(performance.now() - start));`;

interface ChildRun {
  /** Wall-clock time from spawning the process to its exit; for the yardstick, its own timing. */
  ms: number;
  /** The process's peak resident size, as the kernel counted it (bytes). */
  peak: number;
  /** CPU time of the whole process, all its threads (ms): steadier than wall time on a busy machine. */
  cpu: number;
}

/** Runs `node <args>` with the usage preload; its stdout, its wall time and its peak size. */
function runChild(
  args: string[],
  extraEnv: Record<string, string>,
  folder: string,
): ChildRun & { stdout: string } {
  const usageFile = path.join(folder, 'usage.json');
  rmSync(usageFile, { force: true });
  const start = performance.now();
  const child = spawnSync(process.execPath, ['--import', USAGE_PRELOAD, ...args], {
    env: { ...process.env, ...extraEnv, AH_BENCH_USAGE_FILE: usageFile },
    encoding: 'utf8',
  });
  const ms = performance.now() - start;
  if (child.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${child.status}: ${child.stderr.trim()}`);
  }
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as NodeJS.ResourceUsage;
  return {
    ms,
    peak: usage.maxRSS * 1024,
    cpu: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    stdout: child.stdout,
  };
}

function median(values: number[]): number {
  return values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

async function benchCli(rounds: number): Promise<void> {
  const folder = mkdtempSync(path.join(tmpdir(), 'ah-bench-'));
  try {
    const snapshot = path.join(folder, 'large-org.json');
    writeFileSync(snapshot, JSON.stringify(facts));
    const output = path.join(folder, 'report');
    const formats = [
      { label: '--format json', args: ['--format', 'json'], target: true },
      { label: '--format json --omit-passed', args: ['--format', 'json', '--omit-passed'] },
      { label: '--format csv', args: ['--format', 'csv'] },
      { label: '--format junit', args: ['--format', 'junit'] },
      { label: '--format sarif', args: ['--format', 'sarif'] },
    ].map((f) => ({ ...f, runs: [] as ChildRun[], bytes: 0 }));
    const parses: ChildRun[] = [];
    // Interleaved rounds, so a change in the machine's load falls on all of them alike.
    for (let round = 0; round < rounds; round++) {
      // eslint-disable-next-line no-await-in-loop -- each child starts on a settled machine
      await settle();
      const parse = runChild(['-e', PARSE_ONLY], { AH_BENCH_SNAPSHOT: snapshot }, folder);
      parses.push({ ms: Number(parse.stdout), peak: parse.peak, cpu: parse.cpu });
      for (const format of formats) {
        // eslint-disable-next-line no-await-in-loop -- as above
        await settle();
        const args = [BIN, 'check', '--facts', snapshot, ...format.args, '--fail-on', 'never'];
        format.runs.push(runChild([...args, '--output', output], {}, folder));
        format.bytes = statSync(output).size;
      }
    }
    const parseMs = median(parses.map((p) => p.ms));
    const parseCpu = median(parses.map((p) => p.cpu));
    console.log(
      `CLI end to end (the bin, a fresh process per run, on the large org's ${mb(statSync(snapshot).size)} snapshot file, report to a file; medians of ${rounds} interleaved rounds):`,
    );
    console.log(
      `  JSON.parse of the file (read and parse, timed inside a fresh process)  ${fmt(parseMs)}; peak resident size ${mb(median(parses.map((p) => p.peak)))}; CPU time of that process ${fmt(parseCpu)}`,
    );
    for (const format of formats) {
      const ms = median(format.runs.map((r) => r.ms));
      const peak = median(format.runs.map((r) => r.peak));
      const cpu = median(format.runs.map((r) => r.cpu));
      const ratio = ms / parseMs;
      const verdict = format.target
        ? `  [targets ≤ ${CLI_TARGET_RATIO}× and ≤ ${mb(CLI_TARGET_RESIDENT)}: ${ratio <= CLI_TARGET_RATIO && peak <= CLI_TARGET_RESIDENT ? 'met' : 'NOT met'}]`
        : '';
      console.log(
        `  check ${format.label.padEnd(28)} ${fmt(ms)} = ${ratio.toFixed(2)}× JSON.parse; peak resident size ${mb(peak)}; CPU ${(cpu / parseCpu).toFixed(2)}× the parse's; output ${mb(format.bytes)}${verdict}`,
      );
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

await benchCli(3);
