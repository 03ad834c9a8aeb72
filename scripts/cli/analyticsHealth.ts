/**
 * `analytics-health`: runs the Analytics Health catalog outside the org.
 *
 *   analytics-health check [--facts <snapshot.json>]                      a saved snapshot
 *   analytics-health check --target-org <alias|username> [--save-facts f] a live org (sf CLI auth)
 *   analytics-health check --metadata <dir> [--facts <baseline.json>]     a source tree, pre-deploy
 *       [--format table|json|csv|sarif|junit] [--json] [--fail-on critical|warning|info|never]
 *       [--output <file>] [--acknowledgements <file>] [--engine ts|apex] [--omit-passed]
 *   analytics-health rules [--format table|json]
 *
 * Exit codes: 0 no FAIL at or above --fail-on; 1 there is one; 2 bad input or usage, including
 * any file that cannot be read or written (one line naming the file, never a stack trace).
 */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import {
  AcknowledgementError,
  FactsValidationError,
  applyAcknowledgements,
  compileCatalog,
  evaluate,
  reportCsvPieces,
  validateAcknowledgements,
  validateOrgFacts,
  type Acknowledgement,
  type AcknowledgedFinding,
  type CompiledCatalog,
  type Finding,
  type OrgFacts,
  type Report,
  type Severity,
} from '../../force-app/main/default/lwc/healthEngine/healthEngine';
import { PROJECT_ROOT, loadCatalogRecords } from './lib/catalogSource';
import { overlaySource } from './collectors/metadata/overlay';
import { annotateSourceFindings, sourceFilesOf } from './collectors/metadata/sourceFindings';
import { NoMetadataError, SourceTreeError, readSourceTree } from './collectors/metadata/sourceTree';
import { reportJsonPieces } from './formats/jsonReport';
import { reportJunitPieces } from './formats/junit';
import { reportToSarif } from './formats/sarif';
import { formatRulesTable, formatTable } from './tableFormat';
import {
  FileReadError,
  SNAPSHOT_MAX_BYTES,
  fsReason,
  readRegularFile,
  type PrefetchedFile,
} from './lib/regularFile';
import { EXIT, UsageError } from './lib/usageError';
import type { LiveCollection, LiveRequest } from './collectors/live/liveCollection';

// Importers of the CLI (its tests, the sf plugin) keep finding these here.
export { UsageError };
export type { LiveCollection, LiveRequest };

export const DEFAULT_SNAPSHOT = path.join(
  PROJECT_ROOT,
  'scripts',
  'cli',
  'snapshots',
  'demo-broken-org.json',
);

const FAIL_ON = ['critical', 'warning', 'info', 'never'] as const;
type FailOn = (typeof FAIL_ON)[number];
const FORMATS = ['table', 'json', 'csv', 'sarif', 'junit'] as const;
type Format = (typeof FORMATS)[number];
const ENGINES = ['ts', 'apex'] as const;
type Engine = (typeof ENGINES)[number];

/** Evaluates facts at a time (ISO 8601) with the catalog: one of the two engines. */
type Evaluator = (facts: OrgFacts, evaluatedAt: string) => Report;

/**
 * Where a command's output goes. The bin writes text to the two streams; the sf plugin also
 * takes the optional hooks, to show progress on its spinner, return the result as the value of
 * its --json envelope and raise errors as sf errors.
 */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Transient progress of a live collection (one line, no newline); stderr without it. */
  progress?: (text: string) => void;
  /** Takes the report or the rule list as a value instead of text on stdout (--output still written). */
  result?: (value: unknown) => void;
  /** The one-line reason of an exit 2; stderr, prefixed with the program name, without it. */
  error?: (message: string) => void;
}

/** Seams for tests: the live collector is replaced so no org is needed. */
export interface CliDeps {
  collectLive?: (request: LiveRequest) => Promise<LiveCollection>;
  cwd?: string;
  /** The Apex engine (--engine apex); by default scripts/tooling/apex/cli/apexEngine in the local runtime. */
  apexEvaluator?: () => Promise<Evaluator>;
  /** The snapshot file, read by the bin while the CLI loaded (used when it is the --facts file). */
  prefetched?: PrefetchedFile;
}

const USAGE = `Usage:
  analytics-health check [--facts <snapshot.json>]                 check a saved org snapshot
  analytics-health check --target-org <alias|username>             check a live org (sf CLI auth)
                         [--save-facts <file>] [--api-version <vv.v>]
  analytics-health check --metadata <source dir> [--facts <baseline.json>]
                                                                    check what deploying a source tree would cause
    options: [--format table|json|csv|sarif|junit] [--json]
             [--fail-on critical|warning|info|never] [--output <file>]
             [--acknowledgements <file>]   accepted failures (JSON array): shown apart,
                                           not scored, not counted for --fail-on
             [--engine ts|apex]            the rule engine: ts (default) or the package's Apex
                                           engine run in the local Apex runtime (slower)
             [--omit-passed]               JSON only: leave PASS findings out of the report
                                           (the summary still counts them)
  analytics-health rules [--format table|json]

Without --facts, --target-org or --metadata, check runs on the bundled demo snapshot (a broken org).`;

export interface Options {
  command: 'check' | 'rules' | 'help';
  facts: string;
  factsGiven: boolean;
  format: Format;
  failOn: FailOn;
  output: string | null;
  targetOrg: string | null;
  metadata: string | null;
  saveFacts: string | null;
  apiVersion: string | null;
  acknowledgements: string | null;
  engine: Engine;
  /** JSON report without its PASS findings (the summary keeps their count). */
  omitPassed?: boolean;
}

export function parseArgs(argv: string[]): Options {
  const [command = 'help', ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    return { ...defaults(), command: 'help' };
  }
  if (command !== 'check' && command !== 'rules') {
    throw new UsageError(`Unknown command "${command}".\n${USAGE}`);
  }
  const options: Options = { ...defaults(), command };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = rest[i + 1];
    const need = () => {
      if (value === undefined || value.startsWith('--'))
        throw new UsageError(`${flag} needs a value.\n${USAGE}`);
      i++;
      return value;
    };
    switch (flag) {
      case '--facts':
        options.facts = need();
        options.factsGiven = true;
        break;
      case '--format': {
        const format = need();
        const allowed: readonly string[] = command === 'rules' ? ['table', 'json'] : FORMATS;
        if (!allowed.includes(format)) {
          throw new UsageError(`--format must be one of ${allowed.join(', ')}.`);
        }
        options.format = format as Format;
        break;
      }
      case '--json':
        // sf convention: --json prints the machine-readable result.
        options.format = 'json';
        break;
      case '--target-org':
      case '-o':
        options.targetOrg = need();
        break;
      case '--metadata':
        options.metadata = need();
        break;
      case '--save-facts':
        options.saveFacts = need();
        break;
      case '--api-version':
        options.apiVersion = need();
        if (!/^\d{2,3}\.0$/.test(options.apiVersion)) {
          throw new UsageError('--api-version must look like 62.0.');
        }
        break;
      case '--fail-on': {
        const level = need().toLowerCase();
        if (!(FAIL_ON as readonly string[]).includes(level)) {
          throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}.`);
        }
        options.failOn = level as FailOn;
        break;
      }
      case '--output':
        options.output = need();
        break;
      case '--acknowledgements':
        options.acknowledgements = need();
        break;
      case '--engine': {
        const engine = need().toLowerCase();
        if (command !== 'check' || !(ENGINES as readonly string[]).includes(engine)) {
          throw new UsageError(`--engine must be one of ${ENGINES.join(', ')} (check only).`);
        }
        options.engine = engine as Engine;
        break;
      }
      case '--omit-passed':
        if (command !== 'check') throw new UsageError('--omit-passed is an option of check.');
        options.omitPassed = true;
        break;
      default:
        throw new UsageError(`Unknown option "${flag}".\n${USAGE}`);
    }
  }
  if (options.targetOrg && options.metadata) {
    throw new UsageError('Use either --target-org or --metadata, not both.');
  }
  if (options.targetOrg && options.factsGiven) {
    throw new UsageError(
      '--facts reads a snapshot; with --target-org the facts come from the org.',
    );
  }
  if (options.saveFacts && !options.targetOrg && !options.metadata) {
    throw new UsageError('--save-facts needs --target-org or --metadata.');
  }
  if (options.omitPassed && options.format !== 'json') {
    throw new UsageError('--omit-passed shapes the JSON report: use it with --format json.');
  }
  return options;
}

function defaults(): Options {
  return {
    command: 'check',
    facts: DEFAULT_SNAPSHOT,
    factsGiven: false,
    format: 'table',
    failOn: 'critical',
    output: null,
    targetOrg: null,
    metadata: null,
    saveFacts: null,
    apiVersion: null,
    acknowledgements: null,
    engine: 'ts',
  };
}

/**
 * The longest string org facts may hold: 1 MiB characters. Salesforce's longest text fields hold
 * 131,072; a longer value (a 200 MB username) is refused with its JSON path instead of being
 * copied into every finding that names it until the output outgrows memory.
 */
export const MAX_FACT_STRING_LENGTH = 2 ** 20;

/** The JSON path (`users[0].username`) of the first string longer than `max`, or null. */
export function overlongStringPath(json: unknown, max = MAX_FACT_STRING_LENGTH): string | null {
  const stack: [unknown, string][] = [[json, '']];
  while (stack.length > 0) {
    const [value, at] = stack.pop() as [unknown, string];
    if (typeof value === 'string') {
      if (value.length > max) return at || '(the whole document)';
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${at}[${i}]`]);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        if (key.length > max) return `${at ? `${at}.` : ''}${key.slice(0, 40)}… (a key)`;
        stack.push([child, at ? `${at}.${key}` : key]);
      }
    }
  }
  return null;
}

/**
 * Whether any string or key of `json` is longer than `max`. No path is built on the way: on a
 * large org that walk visits millions of values, and a path string for each took longer than
 * parsing the snapshot. The path is worked out (overlongStringPath) only when there is one.
 */
export function hasOverlongString(json: unknown, max = MAX_FACT_STRING_LENGTH): boolean {
  if (typeof json === 'string') return json.length > max;
  const stack: unknown[] = [json];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (!Array.isArray(value)) {
      if (recordHasOverlongString(value as Record<string, unknown>, max, stack)) return true;
      continue;
    }
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') {
        if (item.length > max) return true;
      } else if (item === null || typeof item !== 'object') {
        continue;
      } else if (Array.isArray(item)) {
        stack.push(item);
      } else if (recordHasOverlongString(item as Record<string, unknown>, max, stack)) {
        // A list's records (a million field-permission rows) are read in place, not stacked.
        return true;
      }
    }
  }
  return false;
}

/** A record's own keys and string values against `max`; its objects go on the stack. */
function recordHasOverlongString(
  record: Record<string, unknown>,
  max: number,
  stack: unknown[],
): boolean {
  // for…in, not Object.keys: no array of keys per object. Parsed JSON has no inherited keys.
  // eslint-disable-next-line guard-for-in
  for (const key in record) {
    if (key.length > max) return true;
    const item = record[key];
    if (typeof item === 'string') {
      if (item.length > max) return true;
    } else if (item !== null && typeof item === 'object') stack.push(item);
  }
  return false;
}

function checkStringLengths(json: unknown): void {
  if (!hasOverlongString(json)) return;
  const at = overlongStringPath(json);
  if (at !== null) {
    throw new FactsValidationError(
      at,
      `a string of at most ${MAX_FACT_STRING_LENGTH.toLocaleString('en-US')} characters`,
    );
  }
}

/**
 * The text of an input file (regular files only, within the ceiling), or a one-line UsageError.
 * The bytes of a file the bin read ahead (`prefetched`, checked the same way) are used instead.
 */
function readInput(
  file: string,
  what: string,
  maxBytes = SNAPSHOT_MAX_BYTES,
  prefetched?: PrefetchedFile,
): string {
  const text = prefetched?.file === file ? prefetched.takeText() : null;
  if (text !== null) return text;
  try {
    return readRegularFile(file, maxBytes);
  } catch (error) {
    if (error instanceof FileReadError) {
      throw new UsageError(`Cannot read ${what}${file}: ${error.reason}`);
    }
    throw error;
  }
}

/** Output text: whole, or in pieces written one after the other (a large JSON report). */
type Output = string | Iterable<string>;

/** Writes the pieces to a new file as they come, so the whole text is never in memory at once. */
function writePieces(file: string, pieces: Iterable<string>): void {
  const fd = openSync(file, 'w');
  try {
    for (const piece of pieces) {
      // The string itself: Node encodes it into native memory, with no Buffer per piece (some
      // 2,000 of them for a large report, each an allocation the collector must account for).
      const written = writeSync(fd, piece);
      if (written < Buffer.byteLength(piece)) {
        // A short write (rare for a file): the rest from a buffer, at the byte it stopped.
        const bytes = Buffer.from(piece, 'utf8');
        for (let at = written; at < bytes.length;) at += writeSync(fd, bytes, at);
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes an output file; any file-system error is a one-line UsageError naming the file. */
function writeFile(file: string, text: Output, what: string): void {
  try {
    if (typeof text === 'string') writeFileSync(file, text);
    else writePieces(file, text);
  } catch (error) {
    throw new UsageError(`Cannot write ${what}${file}: ${fsReason(error)}`);
  }
}

/** Reads and validates a snapshot; every problem is a UsageError naming the file and JSON path. */
export function readSnapshot(file: string, prefetched?: PrefetchedFile) {
  const text = readInput(file, '', SNAPSHOT_MAX_BYTES, prefetched);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    checkStringLengths(json);
    return validateOrgFacts(json);
  } catch (error) {
    if (error instanceof FactsValidationError) {
      throw new UsageError(`${file} is not an org snapshot: ${error.message}`);
    }
    throw error;
  }
}

/** Reads an acknowledgements file; every problem is a UsageError naming the file and the entry. */
export function readAcknowledgements(file: string): Acknowledgement[] {
  const text = readInput(file, 'the acknowledgements ');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`Cannot read the acknowledgements ${file}: ${(error as Error).message}`);
  }
  try {
    return validateAcknowledgements(json);
  } catch (error) {
    if (error instanceof AcknowledgementError) {
      throw new UsageError(`${file} is not a list of acknowledgements: ${error.message}`);
    }
    throw error;
  }
}

const RANK: Record<Severity, number> = { CRITICAL: 3, WARNING: 2, INFO: 1 };

/**
 * 1 when some FAIL is at or above the threshold; NOT_EVALUATED and ERROR never count,
 * nor does a failure an acknowledgement covers.
 */
export function exitCodeFor(report: Report, failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  const threshold = RANK[failOn.toUpperCase() as Severity];
  return (report.findings as AcknowledgedFinding[]).some(
    (f) => f.status === 'FAIL' && !f.acknowledgement && RANK[f.severity] >= threshold,
  )
    ? 1
    : 0;
}

let compiledCatalog: CompiledCatalog | undefined;
function catalog(): CompiledCatalog {
  compiledCatalog ??= compileCatalog(loadCatalogRecords());
  return compiledCatalog;
}

const tsEvaluator: Evaluator = (facts, evaluatedAt) => evaluate(facts, catalog(), { evaluatedAt });

type ApexEngineModule = typeof import('../tooling/apex/cli/apexEngine');

/**
 * AnalyticsHealthEngine.evaluate in the local Apex runtime, on the same catalog records. The
 * runtime is project tooling (scripts/tooling/apex), present in a checkout and not in an installed
 * package: without it, --engine apex is a usage error that says so.
 */
export async function loadApexEvaluator(
  load: () => Promise<ApexEngineModule> = () => import('../tooling/apex/cli/apexEngine'),
): Promise<Evaluator> {
  let engine: ApexEngineModule;
  try {
    engine = await load();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new UsageError(
      '--engine apex needs the project checkout: the local Apex runtime is not installed with ' +
        'this package (use --engine ts, the default)',
    );
  }
  const records = loadCatalogRecords();
  return (facts, evaluatedAt) => engine.evaluateWithApex(facts, records, { evaluatedAt });
}

/** The Apex engine failed (an uncaught Apex exception, a construct the runtime refuses). */
function isApexEngineError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ApexEngineError';
}

function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
    return String(pkg.version);
  } catch {
    return '0.0.0';
  }
}

/** A path as code-scanning UIs want it: relative to the working directory, `/`-separated. */
function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return (relative.startsWith('..') ? path.resolve(cwd, file) : relative).split(path.sep).join('/');
}

interface Checked {
  report: Report;
  locationsOf?: (finding: Finding) => string[];
}

function render(options: Options, checked: Checked): Output {
  const { report } = checked;
  switch (options.format) {
    case 'json':
      return reportJsonPieces(report, { omitPassed: options.omitPassed === true });
    case 'csv':
      return reportCsvPieces(report);
    case 'sarif':
      return reportToSarif(report, {
        toolVersion: toolVersion(),
        ...(checked.locationsOf ? { locationsOf: checked.locationsOf } : {}),
      });
    case 'junit':
      return reportJunitPieces(report);
    default:
      return formatTable(report);
  }
}

function writeOut(options: Options, io: CliIo, text: Output) {
  if (options.output) {
    writeFile(options.output, text, 'the output ');
    io.stderr(`Wrote ${options.output}\n`);
  } else if (typeof text === 'string') {
    io.stdout(text);
  } else {
    for (const piece of text) io.stdout(piece);
  }
}

function saveFacts(options: Options, io: CliIo, facts: OrgFacts) {
  if (!options.saveFacts) return;
  writeFile(options.saveFacts, `${JSON.stringify(facts, null, 2)}\n`, 'the facts to ');
  io.stderr(`Saved the facts to ${options.saveFacts}\n`);
}

/** Collectors must produce valid facts; if not, say which value is wrong instead of a stack. */
function validated(facts: OrgFacts, what: string): OrgFacts {
  try {
    const json: unknown = JSON.parse(JSON.stringify(facts));
    checkStringLengths(json);
    return validateOrgFacts(json);
  } catch (error) {
    if (error instanceof FactsValidationError) {
      throw new UsageError(`${what} do not match the org facts contract: ${error.message}`);
    }
    throw error;
  }
}

function checkMetadata(
  options: Options,
  io: CliIo,
  now: () => Date,
  cwd: string,
  evaluator: Evaluator,
  prefetched: PrefetchedFile | undefined,
): Checked {
  const root = options.metadata as string;
  const baseline = options.factsGiven ? readSnapshot(options.facts, prefetched) : null;
  let tree;
  try {
    tree = readSourceTree(path.resolve(cwd, root));
  } catch (error) {
    if (error instanceof SourceTreeError) {
      throw new UsageError(
        `the source tree ${root} has files that cannot be read:\n${error.errors
          .map(
            (e) =>
              `  ${path.join(root, e.file)}${e.line === null ? '' : `:${e.line}`}: ${e.message.slice(e.message.indexOf(': ') + 2)}`,
          )
          .join('\n')}`,
      );
    }
    if (error instanceof NoMetadataError) {
      throw new UsageError(
        `the source tree ${root}: ${error.message}. Point --metadata at the folder that holds them.`,
      );
    }
    // ENOENT, ENOTDIR, ELOOP, EACCES, … on the root or a folder under it.
    if (typeof (error as NodeJS.ErrnoException).code === 'string') {
      const folder = (error as NodeJS.ErrnoException).path;
      const at = folder && folder !== path.resolve(cwd, root) ? ` (at ${folder})` : '';
      throw new UsageError(`Cannot read the source directory ${root}${at}: ${fsReason(error)}`);
    }
    throw error;
  }
  const overlay = overlaySource(tree, baseline, now());
  for (const note of overlay.notes) io.stderr(`note: ${note}\n`);
  io.stderr(
    `Read ${tree.profiles.length} profile(s), ${tree.permissionSets.length} permission set(s), ${tree.sessionSettings.length} profile session setting(s), ${tree.settings.length} setting(s) and ${tree.assetFiles.length} analytics asset file(s) from ${root}\n`,
  );
  const facts = validated(overlay.facts, `the facts built from ${root}`);
  saveFacts(options, io, facts);
  const evaluatedAt = now().toISOString();
  const baselineReport = baseline ? evaluator(baseline, evaluatedAt) : null;
  const report = annotateSourceFindings(
    evaluator(facts, evaluatedAt),
    facts,
    overlay.provenance,
    baselineReport,
  );
  return {
    report,
    locationsOf: (finding) =>
      sourceFilesOf(finding, facts, overlay.provenance).map((file) =>
        displayPath(path.join(root, file), cwd),
      ),
  };
}

async function checkLive(
  options: Options,
  io: CliIo,
  now: () => Date,
  deps: CliDeps,
  evaluator: Evaluator,
): Promise<Checked> {
  const collectLive =
    deps.collectLive ?? (await import('./collectors/live/collectOrg')).collectFromTargetOrg;
  const { facts, requestCount } = await collectLive({
    targetOrg: options.targetOrg as string,
    apiVersion: options.apiVersion,
    progress: (text) => (io.progress ? io.progress(text) : io.stderr(`${text}\n`)),
    now,
  });
  const valid = validated(facts, `the facts collected from ${options.targetOrg}`);
  io.stderr(
    `Collected the facts with ${requestCount} API request(s); ${valid.collectionErrors.length} fact(s) could not be collected.\n`,
  );
  // Without the users every rule is about nobody: a report would pass what was never seen.
  const noUsers = valid.collectionErrors.find((e) => e.fact === 'users');
  if (noUsers) {
    throw new UsageError(
      `Could not read the users of ${options.targetOrg}, so there is no report: ${noUsers.message.replace(/\s+/g, ' ')}`,
    );
  }
  saveFacts(options, io, valid);
  return { report: evaluator(valid, now().toISOString()) };
}

/** The check with the acknowledgements file applied, when one was given. */
function acknowledged(checked: Checked, acknowledgements: Acknowledgement[] | null): Checked {
  if (!acknowledgements) return checked;
  return { ...checked, report: applyAcknowledgements(checked.report, acknowledgements) };
}

function failed(io: CliIo, error: unknown): number {
  let message: string;
  if (error instanceof UsageError) message = error.message;
  else if (isApexEngineError(error)) message = error.message.split('\n')[0];
  else message = `unexpected error: ${(error as Error).stack ?? String(error)}`;
  if (io.error) io.error(message);
  else io.stderr(`analytics-health: ${message}\n`);
  return EXIT.usage;
}

/** Gives the result to a caller that takes it as a value (io.result), else writes it as text. */
function deliver(options: Options, io: CliIo, value: unknown, text: () => Output) {
  io.result?.(value);
  if (!io.result || options.output) writeOut(options, io, text());
}

/** The report as a value (the sf --json result): without its PASS findings under --omit-passed. */
function reportValue(options: Options, report: Report): Report {
  return options.omitPassed
    ? { ...report, findings: report.findings.filter((f) => f.status !== 'PASS') }
    : report;
}

/**
 * Runs one command. Snapshot and metadata checks finish synchronously (a number);
 * a live org check returns a promise of the exit code.
 */
export function run(
  argv: string[],
  io: CliIo,
  now: () => Date = () => new Date(),
  deps: CliDeps = {},
): number | Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    return failed(io, error);
  }
  return execute(options, io, now, deps);
}

/** Runs one command whose arguments parseArgs has read (the bin and the sf plugin both come here). */
export function execute(
  options: Options,
  io: CliIo,
  now: () => Date = () => new Date(),
  deps: CliDeps = {},
): number | Promise<number> {
  let acknowledgements: Acknowledgement[] | null = null;
  try {
    if (options.command === 'help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (options.command === 'rules') {
      const compiled = catalog();
      const definitions = compiled.rules.map((r) => r.definition);
      deliver(options, io, definitions, () =>
        options.format === 'json'
          ? `${JSON.stringify(definitions, null, 2)}\n`
          : formatRulesTable(compiled),
      );
      return 0;
    }
    // Read first: a bad file stops the run before any collection starts.
    acknowledgements = options.acknowledgements
      ? readAcknowledgements(options.acknowledgements)
      : null;
  } catch (error) {
    return failed(io, error);
  }
  const checkOptions = options;
  const acks = acknowledgements;
  const cwd = deps.cwd ?? process.cwd();
  // A snapshot is read (and validated) before the engine is loaded: bad input fails fast.
  let snapshot: OrgFacts | null = null;
  const offline = (evaluator: Evaluator): number => {
    try {
      const checked = acknowledged(
        checkOptions.metadata
          ? checkMetadata(checkOptions, io, now, cwd, evaluator, deps.prefetched)
          : {
              report: evaluator(
                snapshot ?? readSnapshot(checkOptions.facts, deps.prefetched),
                now().toISOString(),
              ),
              locationsOf: () => [displayPath(checkOptions.facts, cwd)],
            },
        acks,
      );
      deliver(checkOptions, io, reportValue(checkOptions, checked.report), () =>
        render(checkOptions, checked),
      );
      return exitCodeFor(checked.report, checkOptions.failOn);
    } catch (error) {
      return failed(io, error);
    }
  };
  const live = (evaluator: Evaluator): Promise<number> =>
    checkLive(checkOptions, io, now, deps, evaluator)
      .then((unacknowledged) => {
        const checked = acknowledged(unacknowledged, acks);
        deliver(checkOptions, io, reportValue(checkOptions, checked.report), () =>
          render(checkOptions, checked),
        );
        return exitCodeFor(checked.report, checkOptions.failOn);
      })
      .catch((error: unknown) => failed(io, error));
  if (checkOptions.engine === 'ts') {
    return checkOptions.targetOrg ? live(tsEvaluator) : offline(tsEvaluator);
  }
  try {
    if (!checkOptions.targetOrg && !checkOptions.metadata)
      snapshot = readSnapshot(checkOptions.facts, deps.prefetched);
  } catch (error) {
    return failed(io, error);
  }
  return (deps.apexEvaluator ?? loadApexEvaluator)().then(
    (evaluator) => (checkOptions.targetOrg ? live(evaluator) : offline(evaluator)),
    (error: unknown) => failed(io, error),
  );
}
