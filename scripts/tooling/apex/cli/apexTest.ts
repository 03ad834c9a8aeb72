/**
 * `npm run apex:test [-- --class Name] [-- --json]`: runs the package's Apex test classes in the
 * local runtime. Prints each class's passed and failed methods (with the failure), the line
 * coverage of the non-test classes, and totals; `--json` prints one JSON object instead.
 * Exit 0 when every test passes, 1 when one fails, 2 when the code cannot run here (syntax error,
 * unsupported construct, unknown class): one line 'File.cls:LINE: reason', followed by
 * '(in test method Class.method)' when a test method ran into it.
 */
import { installHarness } from '../harness/install';
import { MissingClassError, runTests, type ClassResult } from '../harness/testRunner';
import {
  loadProjectRuntime,
  normalizeCoverage,
  percent,
  processIo,
  projectRoot,
  refusalLine,
  type ClassCoverage,
  type Io,
  type RuntimeLoader,
} from './common';

const USAGE = 'usage: apex:test [--class Name] [--json]';

interface Args {
  className?: string;
  json: boolean;
}

function parseArgs(argv: string[]): Args | string {
  const args: Args = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--class') {
      const name = argv[++i];
      if (!name || name.startsWith('--')) return '--class needs a class name';
      args.className = name;
    } else if (a.startsWith('--class=')) args.className = a.slice('--class='.length);
    else return `unknown argument: ${a}`;
  }
  return args;
}

export interface Summary {
  passed: number;
  failed: number;
  coverage: number;
  classes: {
    name: string;
    passed: number;
    failed: number;
    methods: { name: string; outcome: string; message?: string }[];
  }[];
  coverageByClass: { name: string; covered: number; total: number; percent: number }[];
}

export function summarize(results: ClassResult[], coverage: ClassCoverage[]): Summary {
  const covered = coverage.reduce((n, c) => n + c.covered, 0);
  const total = coverage.reduce((n, c) => n + c.total, 0);
  return {
    passed: results.reduce((n, r) => n + r.passed, 0),
    failed: results.reduce((n, r) => n + r.failed, 0),
    coverage: percent(covered, total),
    classes: results.map((r) => ({
      name: r.name,
      passed: r.passed,
      failed: r.failed,
      methods: r.methods.map((m) => ({
        name: m.name,
        outcome: m.outcome,
        ...(m.message !== undefined ? { message: m.message } : {}),
      })),
    })),
    coverageByClass: coverage
      .map((c) => ({ ...c, percent: percent(c.covered, c.total) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

function printClass(io: Io, r: ClassResult): void {
  io.stdout(`${r.name}: ${r.passed} passed, ${r.failed} failed\n`);
  for (const m of r.methods) {
    if (m.outcome === 'Fail') io.stdout(`  FAIL ${m.name}: ${m.message ?? ''}\n`);
  }
}

export async function run(
  argv: string[],
  io: Io = processIo,
  load: RuntimeLoader = loadProjectRuntime,
): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr(`apex:test: ${args}\n${USAGE}\n`);
    return 2;
  }
  try {
    const runtime = await load(projectRoot());
    installHarness(runtime);
    const results = runTests(runtime, {
      className: args.className,
      onClass: args.json ? undefined : (r) => printClass(io, r),
    });
    const testNames = new Set(
      runtime
        .classes()
        .filter((c) => c.isTest)
        .map((c) => c.name.toLowerCase()),
    );
    const coverage = normalizeCoverage(runtime.coverage()).filter(
      (c) => !testNames.has(c.name.toLowerCase()),
    );
    const summary = summarize(results, coverage);
    if (args.json) {
      io.stdout(`${JSON.stringify(summary)}\n`);
    } else {
      io.stdout('\nLine coverage of the non-test classes:\n');
      for (const c of summary.coverageByClass) {
        io.stdout(`  ${c.name}: ${c.percent}% (${c.covered}/${c.total})\n`);
      }
      io.stdout(
        `\n${summary.passed} passed, ${summary.failed} failed; coverage ${summary.coverage}%\n`,
      );
    }
    return summary.failed > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof MissingClassError) {
      io.stderr(`apex:test: ${error.message}\n`);
      return 2;
    }
    const line = refusalLine(error);
    if (line !== null) {
      io.stderr(`${line}\n`);
      return 2;
    }
    throw error;
  }
}

const isMain = process.argv[1]?.replace(/\.[jt]s$/, '').endsWith('apexTest');
if (isMain) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `apex:test: internal error: ${String((error as Error)?.stack ?? error)}\n`,
      );
      process.exit(3);
    },
  );
}
