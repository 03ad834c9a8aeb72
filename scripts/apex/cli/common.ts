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
import type { ApexRuntime } from '../runtime';

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
  coverage(): unknown;
}

export type RuntimeLoader = (projectRoot: string) => Promise<CliRuntime>;

/** ApexRuntime.fromProject, loaded when first needed (the CLIs' tests pass a fake instead). */
export const loadProjectRuntime: RuntimeLoader = async (root) => {
  const modulePath = '../runtime';
  const mod = (await import(modulePath)) as {
    ApexRuntime: { fromProject(root: string): CliRuntime | Promise<CliRuntime> };
  };
  return mod.ApexRuntime.fromProject(root);
};

/**
 * Apex classes given as text, over the project's in-memory org (as fromProject builds it), with
 * the harness installed as apex:run installs it; System.debug lines go to `debug`. For tests and
 * tools that bring their own Apex instead of the package's classes.
 */
export async function loadSourcesRuntime(
  root: string,
  files: { path: string; text: string }[],
  debug?: DebugSink,
): Promise<{ runtime: ApexRuntime; harness: Harness }> {
  const runtimePath = '../runtime';
  const orgPath = '../org/orgService';
  const orgNativesPath = '../org/natives';
  const { ApexRuntime: Runtime } = (await import(runtimePath)) as typeof import('../runtime');
  const { createOrg } = (await import(orgPath)) as typeof import('../org/orgService');
  const { registerOrgTypes } = (await import(orgNativesPath)) as typeof import('../org/natives');
  const org = createOrg(root);
  registerOrgTypes(org);
  const runtime = Runtime.fromSources(files, { org });
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
  if (!(error instanceof Error)) return null;
  const name = error.constructor.name;
  if (
    error instanceof UnsupportedError ||
    error instanceof HarnessError ||
    name === 'ApexSourceError' ||
    name === 'UnsupportedError'
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

const count = (v: unknown): number | null => {
  if (typeof v === 'number') return v;
  if (v instanceof Set || v instanceof Map) return v.size;
  if (Array.isArray(v)) return v.length;
  return null;
};

/**
 * Reads ApexRuntime.coverage() in the forms it may take: per class covered/total counts, or line
 * sets (ApexRuntime gives {file, executable, covered} with the lines of the statements).
 */
export function normalizeCoverage(raw: unknown): ClassCoverage[] {
  const entries: [string, unknown][] = [];
  if (raw instanceof Map) entries.push(...(raw as Map<string, unknown>).entries());
  else if (Array.isArray(raw)) {
    for (const item of raw) {
      const o = item as Record<string, unknown>;
      entries.push([String(o.name ?? o.className ?? o.file ?? ''), o]);
    }
  } else if (raw && typeof raw === 'object') entries.push(...Object.entries(raw));
  const out: ClassCoverage[] = [];
  for (const [key, value] of entries) {
    const o = (value ?? {}) as Record<string, unknown>;
    const covered = count(o.covered ?? o.coveredLines);
    const total = count(o.total ?? o.executable ?? o.lines ?? o.coverableLines);
    if (covered === null || total === null) continue;
    const name = String(o.name ?? o.className ?? key)
      .replace(/\.cls$/, '')
      .replace(/^.*[\\/]/, '');
    out.push({ name, covered, total });
  }
  return out;
}

export const percent = (covered: number, total: number): number =>
  total === 0 ? 100 : Math.round((covered / total) * 1000) / 10;
