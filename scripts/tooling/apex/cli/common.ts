// What the two Apex CLIs share: output streams, loading the runtime, and turning the runtime's
// refusals (syntax error, unsupported construct, harness limit) into one line and exit code 2.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { TransactionKind, Usage } from '../governor';
import type { Interop, Services } from '../natives/registry';
import type { Value } from '../values';
import { UnsupportedError } from '../values';
import { HarnessError } from '../harness/asyncQueue';
import type { TestClassInfo } from '../harness/testRunner';
import { installHarness, type Harness } from '../harness/install';
import type { DebugSink } from '../harness/natives';
import { ApexSourceError } from '../interpreter/parse';
import { ApexRuntime, type FileCoverage } from '../runtime';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: Io = {
  stdout: (t) => {
    process.stdout.write(t);
  },
  stderr: (t) => {
    process.stderr.write(t);
  },
};

/** The parts of ApexRuntime the CLIs use. */
export interface CliRuntime {
  readonly services: Services;
  readonly interop: Interop;
  classes(): readonly TestClassInfo[];
  transaction<T>(kind: TransactionKind, fn: () => T): { result: T; usage: Usage };
  callStatic(className: string, method: string, args: Value[]): Value;
  runAnonymous(text: string, fileName: string): unknown;
  coverage(): FileCoverage[];
}

export type RuntimeLoader = (projectRoot: string) => Promise<CliRuntime>;

/** The package's classes over the project's org (the CLIs' tests pass a fake instead). */
export const loadProjectRuntime: RuntimeLoader = async (root) => ApexRuntime.fromProject(root);

/**
 * Apex classes given as text, over the project's in-memory org (as fromProject builds it), with
 * the harness installed as apex:run installs it; System.debug lines go to `debug`. For tests and
 * tools that bring their own Apex instead of the package's classes.
 */
export function loadSourcesRuntime(
  root: string,
  files: { path: string; text: string }[],
  debug?: DebugSink,
): { runtime: ApexRuntime; harness: Harness } {
  const runtime = ApexRuntime.fromSources(files, {}, root);
  const harness = installHarness(runtime, debug ? { debug } : {});
  return { runtime, harness };
}

/** The repository root: the nearest folder above this file with an sfdx-project.json. */
export function projectRoot(start = process.cwd()): string {
  let dir = path.resolve(start);
  for (;;) {
    try {
      if (statSync(path.join(dir, 'sfdx-project.json')).isFile()) return dir;
    } catch {
      // not here
    }
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start);
    dir = parent;
  }
}

/**
 * The one line a refusal prints ('File.cls:12: reason'), or null when the error is not a refusal
 * (an Apex exception, or a bug of the runtime that should keep its stack).
 */
export function refusalLine(error: unknown): string | null {
  if (
    error instanceof UnsupportedError ||
    error instanceof HarnessError ||
    error instanceof ApexSourceError
  ) {
    return error.message.split('\n')[0];
  }
  return null;
}

/** Coverage of one class: lines run / lines that can run. */
export interface ClassCoverage {
  readonly name: string;
  readonly covered: number;
  readonly total: number;
}

/** ApexRuntime.coverage() per class: the executable lines are the statement lines. */
export function normalizeCoverage(files: readonly FileCoverage[]): ClassCoverage[] {
  return files.map((f) => ({
    name: f.file.replace(/\.cls$/, '').replace(/^.*[\\/]/, ''),
    covered: f.covered.length,
    total: f.executable.length,
  }));
}

export const percent = (covered: number, total: number): number =>
  total === 0 ? 100 : Math.round((covered / total) * 1000) / 10;
