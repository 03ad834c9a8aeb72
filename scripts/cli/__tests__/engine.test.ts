/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
// `check --engine apex|ts`: the package's Apex engine in the local Apex runtime gives the same
// report as the TypeScript engine, with the same exit codes; a bad value is a usage error.
import path from 'node:path';
import { DEFAULT_SNAPSHOT, parseArgs, run, type CliDeps } from '../analyticsHealth';

const fixedNow = () => new Date('2026-11-23T08:00:00Z');

async function cli(argv: string[], deps: CliDeps = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(
    argv,
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    fixedNow,
    deps,
  );
  return { code, stdout, stderr };
}

describe('check --engine', () => {
  it('defaults to ts and accepts ts or apex', () => {
    expect(parseArgs(['check']).engine).toBe('ts');
    expect(parseArgs(['check', '--engine', 'apex']).engine).toBe('apex');
    expect(parseArgs(['check', '--engine', 'TS']).engine).toBe('ts');
  });

  it('gives the same JSON report and exit code with the Apex engine on the demo snapshot', async () => {
    const ts = await cli(['check', '--format', 'json']);
    const apex = await cli(['check', '--format', 'json', '--engine', 'apex']);
    expect(apex.stderr).toBe('');
    expect(apex.code).toBe(1);
    expect(apex.code).toBe(ts.code);
    expect(JSON.parse(apex.stdout)).toEqual(JSON.parse(ts.stdout));
  }, 60000);

  it('gives the same report for a source tree checked with the Apex engine', async () => {
    const metadata = path.join(path.dirname(DEFAULT_SNAPSHOT), '..', '..', '..', 'force-app');
    const args = ['check', '--metadata', metadata, '--facts', DEFAULT_SNAPSHOT, '--json'];
    const ts = await cli(args);
    const apex = await cli([...args, '--engine', 'apex']);
    expect(apex.code).toBe(ts.code);
    expect(JSON.parse(apex.stdout)).toEqual(JSON.parse(ts.stdout));
  }, 60000);

  it('refuses an unknown engine with exit 2', async () => {
    const { code, stdout, stderr } = await cli(['check', '--engine', 'java']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('analytics-health: --engine must be one of ts, apex (check only).\n');
    expect((await cli(['check', '--engine'])).code).toBe(2);
    expect((await cli(['rules', '--engine', 'apex'])).code).toBe(2);
  });

  it('reads the snapshot before loading the Apex engine', async () => {
    let loaded = false;
    const { code, stderr } = await cli(['check', '--engine', 'apex', '--facts', 'no-such.json'], {
      apexEvaluator: () => {
        loaded = true;
        return Promise.reject(new Error('not wanted'));
      },
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^analytics-health: Cannot read no-such\.json/);
    expect(loaded).toBe(false);
  });

  it('turns a failure of the Apex engine into one line and exit 2', async () => {
    class ApexEngineError extends Error {
      override name = 'ApexEngineError';
    }
    const { code, stdout, stderr } = await cli(['check', '--engine', 'apex'], {
      apexEvaluator: () =>
        Promise.resolve(() => {
          throw new ApexEngineError(
            'Apex engine: System.NullPointerException: Attempt to de-reference a null object (AnalyticsHealthEngine.cls:63)',
          );
        }),
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'analytics-health: Apex engine: System.NullPointerException: Attempt to de-reference a null object (AnalyticsHealthEngine.cls:63)\n',
    );
  });
});
