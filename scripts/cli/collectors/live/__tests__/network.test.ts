/**
 * Where requests go: only to the org's instance (the token never leaves it), and
 * through the proxy the environment names (HTTPS_PROXY / HTTP_PROXY / NO_PROXY).
 * Every server here is on 127.0.0.1.
 */
import { collectFacts } from '../collectOrg';
import {
  ProxyError,
  bypassesProxy,
  createNodeTransport,
  nodeTransport,
  proxyFor,
  type Transport,
} from '../http';
import { ApiError, SalesforceClient } from '../salesforceClient';
import { API, startFakeOrg, type FakeOrg } from './fakeOrg';
import { TLS, startProxy, startRecorder, type LocalServer } from './localProxy';

const now = () => new Date('2026-11-23T08:00:00Z');
const NO_API_ACCESS_CONTROL = {
  fact: 'settings.apiAccessControlEnabled',
  message: 'the org returned no ConnectedAppSettings component',
};

let waits: number[];
const open: { close: () => Promise<void> }[] = [];
async function track<T extends { close: () => Promise<void> }>(server: Promise<T>): Promise<T> {
  const started = await server;
  open.push(started);
  return started;
}
beforeEach(() => {
  waits = [];
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function client(fake: FakeOrg, transport: Transport = nodeTransport) {
  return new SalesforceClient({
    instanceUrl: fake.url,
    accessToken: 'good-token',
    apiVersion: '62.0',
    transport,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
}

const collect = (c: SalesforceClient) =>
  collectFacts(c, { orgId: '00D000000000001AAA', now, progress: () => undefined });

describe('the token never leaves the org', () => {
  let fake: FakeOrg;
  let foreign: LocalServer;
  beforeEach(async () => {
    fake = await track(startFakeOrg());
    foreign = await track(startRecorder());
  });

  it('refuses a nextRecordsUrl on another host, naming it, and sends it nothing', async () => {
    fake.overrides['SOQL User'] = [
      {
        body: {
          done: false,
          totalSize: 3,
          nextRecordsUrl: `${foreign.url}${API}/query/01g000-2`,
          records: [],
        },
      },
    ];
    const facts = await collect(client(fake));
    expect(foreign.seen).toEqual([]);
    const error = facts.collectionErrors.find((e) => e.fact === 'users');
    expect(error?.message).toContain(
      `refused to send the org's token to 127.0.0.1:${foreign.port}`,
    );
    // Not retried: the refusal is not a transient failure.
    expect(waits).toEqual([]);
  });

  it('refuses a nextPageUrl on another host for the Analytics lists', async () => {
    fake.overrides[`GET ${API}/wave/dataConnectors`] = [
      {
        body: {
          dataConnectors: [],
          nextPageUrl: `${foreign.url}${API}/wave/dataConnectors?page=2`,
        },
      },
    ];
    const facts = await collect(client(fake));
    expect(foreign.seen).toEqual([]);
    expect(facts.analytics).toBeNull();
    expect(facts.collectionErrors.find((e) => e.fact === 'analytics')?.message).toContain(
      `127.0.0.1:${foreign.port}`,
    );
  });

  it.each([
    ['another port', (_f: FakeOrg, other: LocalServer) => `${other.url}/x`],
    ['another host name', (f: FakeOrg) => f.url.replace('127.0.0.1', 'localhost') + '/x'],
    ['another scheme', (f: FakeOrg) => f.url.replace('http:', 'https:') + '/x'],
    ['a scheme-relative URL', (_f: FakeOrg, other: LocalServer) => `//127.0.0.1:${other.port}/x`],
  ])('treats %s as another host', async (_what, target) => {
    const c = client(fake);
    const url = target(fake, foreign);
    await expect(c.getJson(url)).rejects.toThrow(/refused to send the org's token to /);
    await expect(c.getJson(url)).rejects.toBeInstanceOf(ApiError);
    expect(c.requestCount).toBe(0);
    expect(foreign.seen).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it('follows an absolute URL on the instance itself and resolves relative ones against it', async () => {
    fake.overrides[`GET ${API}/wave/dataflows`] = [
      {
        body: {
          dataflows: [{ id: '02K0', name: 'Flow_0', label: 'Flow 0', type: 'dataflow' }],
          nextPageUrl: `${fake.url}${API}/wave/dataflows?page=2`,
        },
      },
    ];
    const c = client(fake);
    const flows = await c.wavePages(`${API}/wave/dataflows`, 'dataflows');
    expect(flows.map((f) => f.id)).toEqual(['02K0', '02KR']);
    expect(fake.requests).toContain(`GET ${API}/wave/dataflows?page=2`);
    expect(c.resolve(`${API}/query`)).toBe(`${fake.url}${API}/query`);
  });
});

describe('proxies from the environment', () => {
  let fake: FakeOrg;
  let proxy: LocalServer;
  beforeEach(async () => {
    fake = await track(startFakeOrg({ tls: TLS }));
    proxy = await track(startProxy());
  });
  const fakePort = () => new URL(fake.url).port;

  it('tunnels every https request through HTTPS_PROXY with CONNECT', async () => {
    const c = client(fake, createNodeTransport({ env: { HTTPS_PROXY: proxy.url }, ca: TLS.cert }));
    const facts = await collect(c);
    expect(facts.collectionErrors).toEqual([NO_API_ACCESS_CONTROL]);
    expect(facts.users).toHaveLength(2);
    const authority = fake.url.slice('https://'.length);
    expect(proxy.seen.length).toBe(c.requestCount);
    expect(proxy.seen.every((s) => s.method === 'CONNECT' && s.target === authority)).toBe(true);
    // The token travels inside the tunnel, never to the proxy.
    expect(proxy.seen.every((s) => s.authorization === undefined)).toBe(true);
  });

  it('reads the lower-case form first, and sends the credentials of the proxy URL', async () => {
    const env = {
      https_proxy: `http://analyst:p%40ss%3Aword@127.0.0.1:${proxy.port}`,
      HTTPS_PROXY: 'http://127.0.0.1:1',
    };
    const c = client(fake, createNodeTransport({ env, ca: TLS.cert }));
    expect(await c.query('SELECT Id FROM Organization')).toHaveLength(1);
    expect(proxy.seen).toHaveLength(1);
    expect(proxy.seen[0].proxyAuthorization).toBe(
      `Basic ${Buffer.from('analyst:p@ss:word').toString('base64')}`,
    );
  });

  it.each([
    ['the host', '127.0.0.1'],
    ['the host and its port', () => `localhost, 127.0.0.1:${fakePort()}`],
    ['a CIDR block', '10.0.0.0/8,127.0.0.0/8'],
    ['every host', '*'],
  ])('goes direct when NO_PROXY names %s', async (_what, noProxy) => {
    const env = {
      HTTPS_PROXY: proxy.url,
      NO_PROXY: typeof noProxy === 'string' ? noProxy : noProxy(),
    };
    const c = client(fake, createNodeTransport({ env, ca: TLS.cert }));
    expect(await c.query('SELECT Id FROM Organization')).toHaveLength(1);
    expect(proxy.seen).toEqual([]);
  });
  it('uses the proxy when NO_PROXY names another port or another domain', async () => {
    const env = { HTTPS_PROXY: proxy.url, no_proxy: '127.0.0.1:1,example.com' };
    const c = client(fake, createNodeTransport({ env, ca: TLS.cert }));
    expect(await c.query('SELECT Id FROM Organization')).toHaveLength(1);
    expect(proxy.seen).toHaveLength(1);
  });

  it('sends plain http through HTTP_PROXY as an absolute-form request', async () => {
    const plain = await track(startFakeOrg());
    const c = client(plain, createNodeTransport({ env: { http_proxy: proxy.url } }));
    expect(await c.query('SELECT Id FROM Organization')).toHaveLength(1);
    expect(proxy.seen).toEqual([
      {
        method: 'GET',
        target: `${plain.url}${API}/query?q=SELECT%20Id%20FROM%20Organization`,
        authorization: 'Bearer good-token',
      },
    ]);
  });

  it('reads process.env at each request by default', async () => {
    const saved = { ...process.env };
    process.env.HTTPS_PROXY = proxy.url;
    delete process.env.https_proxy;
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    try {
      // The proxy tunnels; the TLS check then fails on the test certificate, which is not trusted here.
      await expect(
        nodeTransport({
          method: 'GET',
          url: `${fake.url}${API}/query`,
          headers: {},
          timeoutMs: 5000,
        }),
      ).rejects.toThrow(/self-signed|certificate/);
      expect(proxy.seen.map((s) => s.method)).toEqual(['CONNECT']);
    } finally {
      process.env = saved;
    }
  });

  it('fails at once, naming the proxy, when the proxy refuses', async () => {
    const refusing = await track(startProxy({ refuse: true }));
    const c = client(
      fake,
      createNodeTransport({ env: { HTTPS_PROXY: refusing.url }, ca: TLS.cert }),
    );
    const failure = c.query('SELECT Id FROM Organization');
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(c.query('SELECT Id FROM Organization')).rejects.toThrow(
      `proxy 127.0.0.1:${refusing.port} refused the tunnel to 127.0.0.1:${fakePort()}: HTTP 403 Forbidden`,
    );
    expect(waits).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it('retries, then names the proxy, when nothing listens there', async () => {
    await proxy.close();
    const c = client(fake, createNodeTransport({ env: { HTTPS_PROXY: proxy.url }, ca: TLS.cert }));
    await expect(c.query('SELECT Id FROM Organization')).rejects.toThrow(
      new RegExp(`proxy 127\\.0\\.0\\.1:${proxy.port}: connect ECONNREFUSED .* after 4 attempt`),
    );
    expect(waits).toEqual([500, 1000, 2000]);
  });
});

describe('NO_PROXY and proxy variables, as curl reads them', () => {
  it.each([
    ['ample.com', 'ample.com', 80, true],
    ['ample.com', 'ample.com', 8443, true],
    ['ample.com', 'www.ample.com', 443, true],
    ['ample.com', 'www.example.com', 443, false],
    ['ample.com', 'ample.com.org', 443, false],
    ['.ample.com', 'ample.com', 443, true],
    ['.ample.com', 'my.ample.com', 443, true],
    ['AMPLE.com', 'www.Ample.COM', 443, true],
    ['*', 'anything.example', 443, true],
    ['', 'ample.com', 443, false],
    ['other.com, ample.com', 'ample.com', 443, true],
    ['ample.com:8443', 'ample.com', 8443, true],
    ['ample.com:8443', 'ample.com', 443, false],
    ['::1', '[::1]', 443, true],
    ['[::1]:443', '[::1]', 443, true],
    ['127.0.0.1', '127.0.0.1', 443, true],
    ['127.0.0.1', '127.0.0.10', 443, false],
    ['0.0.1', '127.0.0.1', 443, false],
    ['192.168.0.0/16', '192.168.4.2', 443, true],
    ['192.168.0.0/16', '192.169.0.1', 443, false],
    ['fd00::/8', '[fd12::1]', 443, true],
  ])('NO_PROXY=%j, host %s port %d → direct: %s', (noProxy, host, port, direct) => {
    expect(bypassesProxy(noProxy, host, port)).toBe(direct);
  });

  it('picks the variable by the scheme and reads a proxy without a scheme as http', () => {
    const env = { HTTPS_PROXY: 'proxy.corp:3128', HTTP_PROXY: 'http://plain.corp:80' };
    expect(proxyFor(new URL('https://x.my.salesforce.com'), env)?.href).toBe(
      'http://proxy.corp:3128/',
    );
    expect(proxyFor(new URL('http://x.example'), env)?.host).toBe('plain.corp');
    expect(proxyFor(new URL('http://x.example'), { HTTPS_PROXY: 'http://p:1' })).toBeNull();
    expect(proxyFor(new URL('https://x.example'), {})).toBeNull();
  });

  it('refuses a proxy it cannot use, in one line', () => {
    expect(() =>
      proxyFor(new URL('https://x.example'), { HTTPS_PROXY: 'socks5://p:1080' }),
    ).toThrow(new ProxyError('HTTPS_PROXY uses socks5; only http:// proxies are supported'));
  });
});
