// The npm package (the standalone CLI and the sf plugin's tarball) holds the product and nothing of
// the project's tooling, and runs from those files alone: the list comes from `npm pack`, the
// files are copied to an empty folder, and the CLI is run there.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../lib/catalogSource';
import { loadApexEvaluator } from '../analyticsHealth';
import { UsageError } from '../lib/usageError';

/** The paths `npm pack` would put in the tarball (no build: the tests run on the built tree). */
function packedFiles(): string[] {
  const npm = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  if (npm.status !== 0) throw new Error(`npm pack --dry-run failed: ${npm.stderr}`);
  const [pack] = JSON.parse(npm.stdout) as { files: { path: string }[] }[];
  return pack.files.map((file) => file.path);
}

const files = packedFiles();
const installed = mkdtempSync(path.join(tmpdir(), 'ah-installed-'));
for (const file of files) {
  mkdirSync(path.dirname(path.join(installed, file)), { recursive: true });
  copyFileSync(path.join(PROJECT_ROOT, file), path.join(installed, file));
}
// The dependencies an install would fetch; the project's own folders are what is under test.
symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(installed, 'node_modules'), 'dir');
afterAll(() => rmSync(installed, { recursive: true, force: true }));

function cli(args: string[]) {
  return spawnSync(
    process.execPath,
    [path.join(installed, 'scripts', 'cli', 'bin', 'analytics-health.js'), ...args],
    { cwd: installed, encoding: 'utf8', timeout: 60000 },
  );
}

describe('the npm package', () => {
  it('ships the CLI, the sf plugin, the engine and the catalog, and no tooling or tests', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'scripts/cli/bin/analytics-health.js',
        'scripts/cli/analyticsHealth.js',
        'scripts/cli/plugin/commands/analytics-health/check.js',
        'scripts/cli/snapshots/demo-broken-org.json',
        'force-app/main/default/lwc/healthEngine/healthEngine.js',
      ]),
    );
    expect(files.some((file) => file.startsWith('force-app/main/default/customMetadata/'))).toBe(
      true,
    );
    expect(files.filter((file) => file.startsWith('scripts/tooling/'))).toEqual([]);
    expect(files.filter((file) => file.split('/').includes('__tests__'))).toEqual([]);
  });

  it('runs a check on the bundled demo snapshot from its own files', () => {
    const run = cli(['check', '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string }[] };
    expect(report.findings.some((finding) => finding.ruleId === 'AH001')).toBe(true);
  });

  it('refuses --engine apex in one line, exit 2, since the Apex runtime is tooling', () => {
    const run = cli(['check', '--engine', 'apex']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--engine apex needs the project checkout/);
  });
});

describe('loadApexEvaluator', () => {
  it('turns a missing runtime into a usage error and passes any other failure on', async () => {
    const missing = Object.assign(new Error('Cannot find module'), { code: 'MODULE_NOT_FOUND' });
    await expect(loadApexEvaluator(() => Promise.reject(missing))).rejects.toThrow(UsageError);
    const broken = new Error('the runtime threw while loading');
    await expect(loadApexEvaluator(() => Promise.reject(broken))).rejects.toBe(broken);
  });
});
