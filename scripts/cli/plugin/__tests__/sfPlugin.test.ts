/**
 * The sf plugin through the installed Salesforce CLI: linked from the checkout into a throwaway
 * sf home (data, config, cache and stored auth all in a temporary folder, the updater and
 * telemetry off), with an org whose stored auth points at the local fake org. Each sf start takes
 * seconds, so the cases share one link and run few commands.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeOrg, type FakeOrg } from '../../collectors/live/__tests__/fakeOrg';
import { PROJECT_ROOT } from '../../lib/catalogSource';
import { run } from '../../analyticsHealth';

const SF = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'sf');
const USERNAME = 'admin@fake-outfitters.example';
const BROKEN = path.join(PROJECT_ROOT, 'scripts', 'cli', 'snapshots', 'demo-broken-org.json');
const PREDEPLOY = path.join(
  PROJECT_ROOT,
  'scripts',
  'cli',
  'collectors',
  'metadata',
  '__tests__',
  'fixtures',
  'predeploy',
);

let home: string;
let fake: FakeOrg;
let env: NodeJS.ProcessEnv;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs sf asynchronously: the fake org answers from this process meanwhile. */
function sf(...args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(SF, args, { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The standalone CLI on the same arguments, in process. */
function standalone(...argv: string[]): Ran {
  let stdout = '';
  let stderr = '';
  const code = run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }) as number;
  return { code, stdout, stderr };
}

const withoutTimes = (text: string) =>
  text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');

beforeAll(async () => {
  for (const built of [
    'scripts/cli/plugin/commands/analytics-health/check.js',
    'scripts/cli/analyticsHealth.js',
  ]) {
    if (!existsSync(path.join(PROJECT_ROOT, built)))
      throw new Error(`${built} is missing: run npm run build`);
  }
  fake = await startFakeOrg();
  home = mkdtempSync(path.join(tmpdir(), 'ah-sf-plugin-'));
  env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    // The CLI's updater would outlive the command; both spellings turn it off.
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_DISABLE_TELEMETRY: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    OCLIF_DISABLE_LINKED_ESM_WARNING: 'true',
    NODE_ENV: 'production',
  };
  // The stored auth sf writes after a login, written by the same library into the temporary home.
  const auth = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { StateAggregator } from '@salesforce/core';
      const state = await StateAggregator.getInstance();
      state.orgs.set(${JSON.stringify(USERNAME)}, {
        username: ${JSON.stringify(USERNAME)},
        orgId: '00D000000000001AAA',
        instanceUrl: ${JSON.stringify(fake.url)},
        loginUrl: ${JSON.stringify(fake.url)},
        accessToken: 'good-token',
        instanceApiVersion: '62.0',
        instanceApiVersionLastRetrieved: new Date().toISOString(),
        // What a login stores about the org; without it sf-core queries Organization on every start.
        orgEdition: 'Enterprise Edition',
        namespacePrefix: null,
      });
      await state.orgs.write(${JSON.stringify(USERNAME)});
      await state.aliases.setAndSave('fake', ${JSON.stringify(USERNAME)});`,
    ],
    { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 30_000 },
  );
  if (auth.status !== 0) throw new Error(`could not write the auth fixture: ${auth.stderr}`);
  // The default org, as `sf config set target-org fake` leaves it.
  mkdirSync(path.join(home, '.sf'), { recursive: true });
  writeFileSync(path.join(home, '.sf', 'config.json'), JSON.stringify({ 'target-org': 'fake' }));
  const linked = await sf('plugins', 'link', PROJECT_ROOT, '--no-install');
  if (linked.code !== 0) throw new Error(`sf plugins link failed: ${linked.stderr}`);
}, 90_000);

afterAll(async () => {
  await fake?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('sf analytics-health (the plugin linked into the installed sf)', () => {
  it('lists the rules in the --json envelope, as the standalone rules command does', async () => {
    const { code, stdout } = await sf('analytics-health', 'rules', '--json');
    expect(code).toBe(0);
    const envelope = JSON.parse(stdout);
    expect(envelope.status).toBe(0);
    expect(envelope.result).toEqual(JSON.parse(standalone('rules', '--format', 'json').stdout));
  }, 60_000);

  it('checks the default org live: the report as the envelope result, status 1', async () => {
    // The auth refresh sf-core sends before the first request.
    fake.overrides['GET /services/data/v62.0'] = [{ status: 200, body: {} }];
    const before = fake.requests.length;
    const { code, stdout } = await sf(
      'analytics-health',
      'check',
      '--api-version',
      '62.0',
      '--json',
    );
    expect(code).toBe(1);
    const envelope = JSON.parse(stdout);
    expect(envelope.status).toBe(1);
    expect(envelope.result.org).toEqual({ id: '00D000000000001AAA', name: 'Fake Outfitters' });
    const failing = envelope.result.findings
      .filter((f: { status: string }) => f.status === 'FAIL')
      .map((f: { ruleId: string }) => f.ruleId);
    for (const id of ['AH005', 'AH033', 'AH035', 'AH032']) expect(failing).toContain(id);
    const seen = fake.requests.slice(before);
    expect(seen).toContain('GET /services/data/v62.0');
    expect(seen.some((r) => r.startsWith('POST /services/data/v62.0/composite/batch'))).toBe(true);
  }, 60_000);

  it('checks a source tree over a snapshot, ignoring the default org, with the CLI text', async () => {
    const args = [
      '--metadata',
      PREDEPLOY,
      '--facts',
      BROKEN,
      '--format',
      'csv',
      '--fail-on',
      'never',
    ];
    const before = fake.requests.length;
    const plugin = await sf('analytics-health', 'check', ...args);
    const bin = standalone('check', ...args);
    expect(plugin.code).toBe(0);
    expect(bin.code).toBe(0);
    expect(withoutTimes(plugin.stdout)).toBe(withoutTimes(bin.stdout));
    expect(plugin.stdout.split('\n').length).toBeGreaterThan(10);
    expect(plugin.stderr).toContain('analytics asset file(s) from');
    expect(fake.requests.slice(before)).toEqual([]);
  }, 60_000);

  it('leaves passed findings out of the envelope result with --omit-passed', async () => {
    const args = ['--facts', BROKEN, '--format', 'json', '--omit-passed', '--fail-on', 'never'];
    const plugin = await sf('analytics-health', 'check', ...args, '--json');
    const bin = standalone('check', ...args);
    expect(plugin.code).toBe(0);
    const { result } = JSON.parse(plugin.stdout);
    expect(withoutTimes(JSON.stringify(result))).toBe(
      withoutTimes(JSON.stringify(JSON.parse(bin.stdout))),
    );
    expect(result.findings.some((f: { status: string }) => f.status === 'PASS')).toBe(false);
    expect(result.summary.passed).toBeGreaterThan(0);
  }, 60_000);

  it('exits 2 with one message when an org is named beside a source tree', async () => {
    const { code, stdout, stderr } = await sf(
      'analytics-health',
      'check',
      '--target-org',
      'fake',
      '--metadata',
      PREDEPLOY,
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Use either --target-org or --metadata, not both.');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
