/**
 * `check --target-org` when the org cannot be read: no report (never "Score 100"
 * with rules passing on nothing), exit 2 and the reason on one line. Every server
 * is on 127.0.0.1; the CLI's own transport reads the proxy from process.env.
 */
import { collectFacts } from '../collectors/live/collectOrg';
import { nodeTransport } from '../collectors/live/http';
import { SalesforceClient } from '../collectors/live/salesforceClient';
import { startFakeOrg } from '../collectors/live/__tests__/fakeOrg';
import {
  TLS,
  refusedUrl,
  startForbidding,
  startProxy,
} from '../collectors/live/__tests__/localProxy';
import { run, type LiveRequest } from '../analyticsHealth';

const now = () => new Date('2026-11-23T08:00:00Z');
const open: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** The CLI's live path with the sf auth replaced by an instance URL; no real waits between retries. */
const collectorFor = (instanceUrl: string) => (request: LiveRequest) => {
  const client = new SalesforceClient({
    instanceUrl,
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
};

async function check(instanceUrl: string) {
  let stdout = '';
  let stderr = '';
  const code = await run(
    ['check', '--target-org', 'broken'],
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    now,
    { collectLive: collectorFor(instanceUrl) },
  );
  const errors = stderr.split('\n').filter((line) => line.startsWith('analytics-health:'));
  return { code, stdout, stderr, errors };
}

function expectNoReport(result: Awaited<ReturnType<typeof check>>, reason: RegExp) {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(/Score|PASS/);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]).toMatch(
    /^analytics-health: Could not read the users of broken, so there is no report: /,
  );
  expect(result.errors[0]).toMatch(reason);
  // The message is the last thing written: one line, no stack.
  expect(result.stderr.endsWith(`${result.errors[0]}\n`)).toBe(true);
}

describe('check --target-org on an org that cannot be read', () => {
  it('exits 2 with the reason when every connection is refused', async () => {
    const result = await check(await refusedUrl());
    expect(result.code).toBe(2);
    expectNoReport(result, /connect ECONNREFUSED 127\.0\.0\.1:\d+/);
  });

  it('exits 2 with the reason when every request is forbidden (403)', async () => {
    const forbidding = await startForbidding();
    open.push(forbidding);
    expectNoReport(await check(forbidding.url), /HTTP 403 FORBIDDEN: API access is not enabled/);
    expect(forbidding.seen.length).toBeGreaterThan(0);
  });

  it('exits 2 with one line naming the proxy when HTTPS_PROXY refuses', async () => {
    const fake = await startFakeOrg({ tls: TLS });
    const refusing = await startProxy({ refuse: true });
    open.push(fake, refusing);
    const saved = { ...process.env };
    process.env.HTTPS_PROXY = refusing.url;
    for (const name of ['https_proxy', 'NO_PROXY', 'no_proxy']) delete process.env[name];
    try {
      const result = await check(fake.url);
      expectNoReport(
        result,
        new RegExp(
          `proxy 127\\.0\\.0\\.1:${refusing.port} refused the tunnel to ${fake.url.slice('https://'.length)}: HTTP 403 Forbidden`,
        ),
      );
      expect(fake.requests).toEqual([]);
      expect(refusing.seen.every((s) => s.method === 'CONNECT')).toBe(true);
    } finally {
      process.env = saved;
    }
  });
});
