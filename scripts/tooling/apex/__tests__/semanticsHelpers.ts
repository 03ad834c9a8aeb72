// Helpers for the SEMANTICS.md tests (semantics-*.test.ts): one runtime per test file, built
// the way the CLIs build one (cli/common.ts loadSourcesRuntime), anonymous Apex run through it,
// System.debug lines captured.
import { loadSourcesRuntime, projectRoot } from '../cli/common';
import { asThrownApex, BufferedDebug, type Harness } from '../harness/install';
import type { ApexRuntime } from '../runtime';

export interface Apex {
  readonly runtime: ApexRuntime;
  readonly harness: Harness;
  /** Runs anonymous Apex; returns the System.debug lines it wrote. */
  run(code: string): string[];
  /** Runs anonymous Apex that must end with an uncaught exception: 'Type: message'. */
  error(code: string): string;
  /** The one debug line `System.debug(<expr>)` writes. */
  show(expr: string, before?: string): string;
}

export async function semanticsRuntime(
  classes: Record<string, string> = {},
  root = projectRoot(__dirname),
): Promise<Apex> {
  const debug = new BufferedDebug();
  const files = Object.entries(classes).map(([name, text]) => ({ path: `${name}.cls`, text }));
  const { runtime, harness } = loadSourcesRuntime(root, files, debug);
  const run = (code: string): string[] => {
    debug.lines.length = 0;
    runtime.runAnonymous(code, 'semantics.apex');
    return [...debug.lines];
  };
  const error = (code: string): string => {
    try {
      run(code);
    } catch (e) {
      const thrown = asThrownApex(e);
      if (!thrown) throw e;
      return `${thrown.typeName}: ${thrown.message}`;
    }
    throw new Error(`no exception from: ${code}`);
  };
  const show = (expr: string, before = ''): string => {
    const lines = run(`${before}\nSystem.debug(${expr});`);
    if (lines.length !== 1) throw new Error(`expected one debug line, got ${lines.length}`);
    return lines[0];
  };
  return { runtime, harness, run, error, show };
}
