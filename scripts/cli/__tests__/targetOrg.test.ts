import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateOrgFacts } from '../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { collectFacts } from '../collectors/live/collectOrg';
import { nodeTransport } from '../collectors/live/http';
import { SalesforceClient } from '../collectors/live/salesforceClient';
import { startFakeOrg, type FakeOrg } from '../collectors/live/__tests__/fakeOrg';
import { PROJECT_ROOT } from '../lib/catalogSource';
import { run, type LiveRequest } from '../analyticsHealth';

const now = () => new Date('2026-11-23T08:00:00Z');
let fake: FakeOrg;
beforeEach(async () => {
  fake = await startFakeOrg();
});
afterEach(() => fake.close());

/** The CLI's live path with the sf auth replaced by the local org. */
function collectLive(request: LiveRequest) {
  const client = new SalesforceClient({
    instanceUrl: fake.url,
    accessToken: 'good-token',
    apiVersion: request.apiVersion ?? '62.0',
    transport: nodeTransport,
    sleep: async () => undefined,
  });
  return collectFacts(client, {
    orgId: '00D000000000001AAA',
    now: request.now,
    progress: request.progress,
  }).then((facts) => ({ facts, requestCount: client.requestCount }));
}

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(
    argv,
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    now,
    {
      collectLive,
    },
  );
  return { code, stdout, stderr };
}

describe('check --target-org', () => {
  it('collects, reports the request count on stderr, saves the facts and evaluates them', async () => {
    const saved = path.join(mkdtempSync(path.join(tmpdir(), 'ah-live-')), 'facts.json');
    const { code, stdout, stderr } = await cli(
      'check',
      '--target-org',
      'fake',
      '--json',
      '--save-facts',
      saved,
    );
    expect(code).toBe(1);
    expect(stderr).toContain('Collecting org facts…');
    expect(stderr).toContain(
      `Collected the facts with ${fake.requests.filter((r) => !r.startsWith('BATCHED')).length} API request(s); 1 fact(s) could not be collected.`,
    );
    const report = JSON.parse(stdout);
    expect(report.org).toEqual({ id: '00D000000000001AAA', name: 'Fake Outfitters' });
    const failing = new Set(
      report.findings
        .filter((f: { status: string }) => f.status === 'FAIL')
        .map((f: { ruleId: string }) => f.ruleId),
    );
    // Frozen Security User, login hours, high-assurance session, IP ranges enforced on every request.
    for (const id of ['AH005', 'AH033', 'AH035', 'AH032']) expect(failing).toContain(id);
    const facts = validateOrgFacts(JSON.parse(readFileSync(saved, 'utf8')));
    expect(facts.source).toBe('cli');
    expect(stderr).toContain(`Saved the facts to ${saved}`);
  });

  it('writes SARIF without file locations for a live org', async () => {
    const { stdout } = await cli(
      'check',
      '--target-org',
      'fake',
      '--format',
      'sarif',
      '--fail-on',
      'never',
    );
    const results = JSON.parse(stdout).runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r: { locations?: unknown }) => r.locations === undefined)).toBe(true);
  });

  it('exits 2 when the collector cannot start', async () => {
    let stderr = '';
    const code = await run(
      ['check', '--target-org', 'x'],
      { stdout: () => undefined, stderr: (t) => (stderr += t) },
      now,
      {
        collectLive: async () => {
          throw new Error('boom');
        },
      },
    );
    expect(code).toBe(2);
    expect(stderr).toContain('boom');
  });

  it('rejects collected facts that break the contract, naming the value', async () => {
    let stderr = '';
    const code = await run(
      ['check', '--target-org', 'x'],
      { stdout: () => undefined, stderr: (t) => (stderr += t) },
      now,
      {
        collectLive: async (request) => {
          const { facts, requestCount } = await collectLive(request);
          return { facts: { ...facts, users: 'none' as never }, requestCount };
        },
      },
    );
    expect(code).toBe(2);
    expect(stderr).toContain(
      'the facts collected from x do not match the org facts contract: users: expected array',
    );
  });

  it('names the login command when no org is authenticated under that alias', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'ah-home-'));
    const result = spawnSync(
      process.execPath,
      [
        path.join(PROJECT_ROOT, 'scripts', 'cli', 'bin', 'analytics-health.js'),
        'check',
        '--target-org',
        'nowhere',
      ],
      {
        env: { ...process.env, HOME: home, SF_DISABLE_TELEMETRY: 'true' },
        encoding: 'utf8',
        timeout: 25_000,
      },
    );
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('No authenticated org is known as "nowhere"');
    expect(result.stderr).toContain('sf org login web --alias nowhere');
  });
});
