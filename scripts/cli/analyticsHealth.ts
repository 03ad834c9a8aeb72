/**
 * `analytics-health`: runs the Analytics Health catalog outside the org.
 *
 *   analytics-health check [--facts <snapshot.json>] [--format table|json|csv]
 *                          [--fail-on critical|warning|info|never] [--output <file>]
 *   analytics-health rules [--format table|json]
 *
 * Exit codes: 0 no FAIL at or above --fail-on; 1 there is one; 2 bad input or usage.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  FactsValidationError,
  compileCatalog,
  evaluate,
  reportToCsv,
  validateOrgFacts,
  type CompiledCatalog,
  type Report,
  type Severity,
} from '../../force-app/main/default/lwc/healthEngine/healthEngine';
import { PROJECT_ROOT, loadCatalogRecords } from '../lib/catalogSource';
import { formatRulesTable, formatTable } from './tableFormat';

export const DEFAULT_SNAPSHOT = path.join(
  PROJECT_ROOT,
  'scripts',
  'snapshots',
  'demo-broken-org.json',
);

const FAIL_ON = ['critical', 'warning', 'info', 'never'] as const;
type FailOn = (typeof FAIL_ON)[number];
const FORMATS = ['table', 'json', 'csv'] as const;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Bad input or usage: exit code 2 with the message on stderr. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE = `Usage:
  analytics-health check [--facts <snapshot.json>] [--format table|json|csv]
                         [--fail-on critical|warning|info|never] [--output <file>]
  analytics-health rules [--format table|json]

Without --facts, check runs on the bundled demo snapshot (a broken org).`;

interface Options {
  command: 'check' | 'rules' | 'help';
  facts: string;
  format: string;
  failOn: FailOn;
  output: string | null;
}

export function parseArgs(argv: string[]): Options {
  const [command = 'help', ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    return {
      command: 'help',
      facts: DEFAULT_SNAPSHOT,
      format: 'table',
      failOn: 'critical',
      output: null,
    };
  }
  if (command !== 'check' && command !== 'rules') {
    throw new UsageError(`Unknown command "${command}".\n${USAGE}`);
  }
  const options: Options = {
    command,
    facts: DEFAULT_SNAPSHOT,
    format: 'table',
    failOn: 'critical',
    output: null,
  };
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
        break;
      case '--format':
        options.format = need();
        if (
          !(FORMATS as readonly string[]).includes(options.format) ||
          (command === 'rules' && options.format === 'csv')
        ) {
          throw new UsageError(
            `--format must be one of ${command === 'rules' ? 'table, json' : FORMATS.join(', ')}.`,
          );
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
      default:
        throw new UsageError(`Unknown option "${flag}".\n${USAGE}`);
    }
  }
  return options;
}

/** Reads and validates a snapshot; every problem is a UsageError naming the file and JSON path. */
export function readSnapshot(file: string) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return validateOrgFacts(json);
  } catch (error) {
    if (error instanceof FactsValidationError) {
      throw new UsageError(`${file} is not an org snapshot: ${error.message}`);
    }
    throw error;
  }
}

const RANK: Record<Severity, number> = { CRITICAL: 3, WARNING: 2, INFO: 1 };

/** 1 when some FAIL is at or above the threshold; NOT_EVALUATED and ERROR never count. */
export function exitCodeFor(report: Report, failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  const threshold = RANK[failOn.toUpperCase() as Severity];
  return report.findings.some((f) => f.status === 'FAIL' && RANK[f.severity] >= threshold) ? 1 : 0;
}

let compiledCatalog: CompiledCatalog | undefined;
function catalog(): CompiledCatalog {
  compiledCatalog ??= compileCatalog(loadCatalogRecords());
  return compiledCatalog;
}

export function run(argv: string[], io: CliIo, now: () => Date = () => new Date()): number {
  try {
    const options = parseArgs(argv);
    if (options.command === 'help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    let text: string;
    let code = 0;
    if (options.command === 'rules') {
      const compiled = catalog();
      text =
        options.format === 'json'
          ? `${JSON.stringify(
              compiled.rules.map((r) => r.definition),
              null,
              2,
            )}\n`
          : formatRulesTable(compiled);
    } else {
      const facts = readSnapshot(options.facts);
      const report = evaluate(facts, catalog(), { evaluatedAt: now().toISOString() });
      text =
        options.format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : options.format === 'csv'
            ? reportToCsv(report)
            : formatTable(report);
      code = exitCodeFor(report, options.failOn);
    }
    if (options.output) {
      writeFileSync(options.output, text);
      io.stderr(`Wrote ${options.output}\n`);
    } else {
      io.stdout(text);
    }
    return code;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`analytics-health: ${error.message}\n`);
      return 2;
    }
    io.stderr(`analytics-health: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}
