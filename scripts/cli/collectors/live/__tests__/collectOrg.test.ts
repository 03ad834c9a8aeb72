import {
  compileCatalog,
  evaluate,
  validateOrgFacts,
} from '../../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { loadCatalogRecords } from '../../../lib/catalogSource';
import { collectFacts } from '../collectOrg';
import { nodeTransport, type Transport } from '../http';
import { ApiError, SalesforceClient, retryAfterMs } from '../salesforceClient';
import { API, startFakeOrg, type FakeOrg } from './fakeOrg';
import { refusedUrl, startForbidding } from './localProxy';

const now = () => new Date('2026-11-23T08:00:00Z');
let fake: FakeOrg;
// The fake org, like most orgs, has no ConnectedApp settings (API Access Control never enabled).
const NO_API_ACCESS_CONTROL = {
  fact: 'settings.apiAccessControlEnabled',
  message: 'the org returned no ConnectedAppSettings component',
};
let waits: number[];
/** HTTP requests the server received (subrequests of a batch are not requests). */
const sent = () => fake.requests.filter((r) => !r.startsWith('BATCHED')).length;

function client(options: Partial<ConstructorParameters<typeof SalesforceClient>[0]> = {}) {
  return new SalesforceClient({
    instanceUrl: fake.url,
    accessToken: 'good-token',
    apiVersion: '62.0',
    transport: nodeTransport,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });
}

async function collect(c = client()) {
  const progress: string[] = [];
  const facts = await collectFacts(c, {
    orgId: '00D000000000001AAA',
    now,
    progress: (t) => progress.push(t),
  });
  return { facts, progress, client: c };
}

beforeEach(async () => {
  fake = await startFakeOrg();
  waits = [];
});
afterEach(() => fake.close());

describe('live collection against a local org', () => {
  it('collects every fact of the contract', async () => {
    const { facts, progress } = await collect();
    const valid = validateOrgFacts(JSON.parse(JSON.stringify(facts)));
    expect(valid.collectionErrors).toEqual([NO_API_ACCESS_CONTROL]);
    expect(valid.source).toBe('cli');
    expect(valid.org).toEqual({
      id: '00D000000000001AAA',
      name: 'Fake Outfitters',
      isSandbox: true,
    });
    expect(valid.settings).toEqual({
      enforceIpRangesEveryRequest: true,
      profileFilteringEnabled: false,
      // ConnectedApp settings absent: API Access Control is not known, not off.
      apiAccessControlEnabled: null,
    });
    const [integration, security] = valid.users;
    expect(integration).toMatchObject({
      isFrozen: false,
      permissionSetIds: ['0PS0000000ExtraAAA'],
      packageLicenseNamespaces: ['fin'],
    });
    expect(security).toMatchObject({
      isFrozen: true,
      permissionSetLicenses: ['CRM Analytics Plus'],
    });
    const clone = valid.profiles.find((p) => p.name === 'Analytics Cloud Integration User (Clone)');
    expect(clone).toEqual({
      id: '00e000000000IntAAA',
      name: 'Analytics Cloud Integration User (Clone)',
      isCustom: true,
      userLicense: 'Analytics Cloud Integration User',
      requiredSessionLevel: 'HIGH_ASSURANCE',
      loginIpRanges: [{ start: '10.0.0.0', end: '10.255.255.255', description: 'Office' }],
      loginHours: { monday: { start: 480, end: 1080 } },
      userPermissions: ['ApiEnabled', 'ViewAllData'],
    });
    const standard = valid.profiles.find((p) => p.name === 'Analytics Cloud Security User');
    expect(standard).toMatchObject({
      requiredSessionLevel: 'NONE',
      loginIpRanges: [],
      loginHours: {},
    });
    expect(valid.permissionSets).toEqual([
      {
        id: '0PS0000000ExtraAAA',
        name: 'Analytics_Extra',
        label: 'Analytics Extra',
        type: 'group',
        userPermissions: ['ViewAllProfiles'],
      },
    ]);
    // Profile-owned rows are keyed by the profile id; queryMore brought the second page.
    expect(valid.fieldPermissions).toHaveLength(4);
    expect(valid.fieldPermissions[0].principalId).toBe('00e000000000IntAAA');
    expect(valid.fieldPermissions[3]).toEqual({
      principalId: '0PS0000000ExtraAAA',
      field: 'Opportunity.StageName',
      read: true,
    });
    expect(valid.objectPermissions).toContainEqual({
      principalId: '00e000000000IntAAA',
      object: 'Opportunity',
      read: true,
      viewAll: false,
    });
    expect(valid.analytics?.connections).toEqual([
      { name: 'SFDC_LOCAL', type: 'SfdcLocal', runAsUserId: null },
      { name: 'Snowflake_Sales', type: 'SnowflakeDirect', runAsUserId: null },
    ]);
    expect(valid.analytics?.references).toEqual([
      {
        assetType: 'dataSync',
        assetId: '0IuA',
        assetName: 'Account',
        connectionName: 'SFDC_LOCAL',
        object: 'Account',
        fields: ['Id', 'Name', 'Industry'],
      },
      {
        assetType: 'dataSync',
        assetId: '0IuS',
        assetName: 'SALES_TARGETS',
        connectionName: 'Snowflake_Sales',
        object: 'SALES_TARGETS',
        fields: ['REGION'],
      },
      {
        assetType: 'dataflow',
        assetName: 'Flow 0',
        object: 'Opportunity',
        fields: ['Id', 'Amount'],
        assetId: '02K0',
      },
      {
        assetType: 'recipe',
        assetName: 'Pipeline',
        connectionName: 'SFDC_LOCAL',
        object: 'Opportunity',
        fields: ['Id', 'StageName'],
        assetId: '05vP',
      },
    ]);
    expect(valid.analytics?.jobs.map((j) => [j.id, j.status, j.message])).toEqual([
      ['03CB', 'Failure', 'Queue wait time exceeded limit'],
      ['03CA', 'Success', null],
    ]);
    // Only local objects are described; the Snowflake table is not.
    expect(valid.schema?.objects.map((o) => o.name)).toEqual(['Account', 'Opportunity']);
    const revenue = valid.schema?.objects[0].fields.find((f) => f.name === 'AnnualRevenue');
    expect(revenue).toMatchObject({
      type: 'currency',
      permissionable: true,
      securityClassification: 'Confidential',
    });
    expect(valid.auditTrail).toEqual([
      {
        createdAt: '2026-11-20T16:05:00.000Z',
        action: 'frozeuser',
        section: 'Manage Users',
        display: 'Froze user Security User',
        createdBy: 'admin@fake.example',
      },
    ]);
    expect(valid.packageLicenses).toEqual([
      { namespace: 'fin', status: 'Active', allowedLicenses: 25 },
    ]);
    expect(progress[0]).toBe('Collecting org facts…');
    expect(progress.some((p) => /✓ analytics \(\d+ requests so far\)/.test(p))).toBe(true);
  });

  it('counts every request it sends, and the count does not depend on the rules', async () => {
    const { facts, client: c } = await collect();
    expect(c.requestCount).toBe(sent());
    // 31: see the table in docs/cli.md; four composite batches carry 13 queries and describes.
    // Catalog v1.1 adds 9: the connected-app batch, the connector list, two pages of source
    // objects, the fields of the two objects read, the dataset list and two dataset versions.
    expect(c.requestCount).toBe(31);
    expect(fake.requests.filter((r) => r.startsWith('BATCHED')).length).toBe(15);
    // The same facts are evaluated by the whole catalog or by one rule: collection happened once.
    const catalog = compileCatalog(loadCatalogRecords());
    const report = evaluate(validateOrgFacts(JSON.parse(JSON.stringify(facts))), catalog, {
      evaluatedAt: now().toISOString(),
    });
    expect(report.findings.length).toBeGreaterThan(27);
    expect(sent()).toBe(31);
  });

  it('grows by one request per dataflow definition', async () => {
    await fake.close();
    fake = await startFakeOrg({ dataflowCount: 4 });
    const { client: c, facts } = await collect();
    expect(c.requestCount).toBe(31 + 3);
    expect(facts.analytics?.references.filter((r) => r.assetType === 'dataflow')).toHaveLength(4);
  });
});

describe('failures: each fact that fails is null with a reason, and the run goes on', () => {
  it('honours Retry-After on 429, then succeeds', async () => {
    fake.overrides['GET /services/data/v62.0/wave/dataConnectors'] = [
      {
        status: 429,
        headers: { 'Retry-After': '2' },
        body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' }],
      },
    ];
    const { facts } = await collect();
    expect(waits).toContain(2000);
    expect(facts.analytics?.connections).toHaveLength(2);
    expect(facts.collectionErrors).toEqual([NO_API_ACCESS_CONTROL]);
  });

  it('backs off exponentially on 5xx and gives up after the retries', async () => {
    const down = { status: 503, body: 'Service Unavailable' };
    // The batched subrequest fails, then the client retries it on its own three times.
    fake.overrides['SOQL SetupAuditTrail'] = [down, down, down, down, down];
    const { facts } = await collect();
    expect(waits).toEqual([500, 1000, 2000]);
    expect(facts.auditTrail).toBeNull();
    expect(
      facts.collectionErrors.filter(
        (e) => e !== NO_API_ACCESS_CONTROL && e.fact !== NO_API_ACCESS_CONTROL.fact,
      ),
    ).toEqual([
      { fact: 'auditTrail', message: expect.stringContaining('HTTP 503 Service Unavailable') },
    ]);
    expect(facts.users).toHaveLength(2);
  });

  it('makes analytics unknown when the Analytics API is forbidden (403)', async () => {
    fake.overrides['GET /services/data/v62.0/wave/dataConnectors'] = [
      {
        status: 403,
        body: [{ errorCode: 'FORBIDDEN', message: 'You do not have access to CRM Analytics' }],
      },
    ];
    const { facts } = await collect();
    expect(facts.analytics).toBeNull();
    expect(facts.schema).toBeNull();
    expect(
      facts.collectionErrors.filter(
        (e) => e !== NO_API_ACCESS_CONTROL && e.fact !== NO_API_ACCESS_CONTROL.fact,
      ),
    ).toEqual([
      {
        fact: 'analytics',
        message: expect.stringContaining(
          'HTTP 403 FORBIDDEN: You do not have access to CRM Analytics',
        ),
      },
      { fact: 'schema', message: expect.stringContaining('analytics references') },
    ]);
    const report = evaluate(
      validateOrgFacts(JSON.parse(JSON.stringify(facts))),
      compileCatalog(loadCatalogRecords()),
    );
    expect(report.findings.find((f) => f.ruleId === 'AH022')?.status).toBe('NOT_EVALUATED');
  });

  it('skips one asset whose definition is gone (404) and says which', async () => {
    fake.overrides['GET /services/data/v62.0/wave/dataflows/02K0'] = [
      {
        status: 404,
        body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
      },
    ];
    const { facts } = await collect();
    expect(facts.analytics?.references.some((r) => r.assetType === 'dataflow')).toBe(false);
    expect(
      facts.collectionErrors.filter(
        (e) => e !== NO_API_ACCESS_CONTROL && e.fact !== NO_API_ACCESS_CONTROL.fact,
      ),
    ).toEqual([
      {
        fact: 'analytics.references',
        message: expect.stringMatching(/^dataflow Flow 0: HTTP 404 NOT_FOUND/),
      },
    ]);
  });

  it('reports a malformed body as such', async () => {
    fake.overrides['SOQL Organization'] = [{ status: 200, body: '<html>maintenance</html>' }];
    fake.overrides['GET /services/data/v62.0/wave/dataflowjobs'] = [
      { status: 200, body: { jobs: 'nope' } },
    ];
    const { facts } = await collect();
    expect(facts.org).toEqual({ id: '00D000000000001AAA', isSandbox: null });
    expect(facts.analytics?.jobs).toEqual([]);
    expect(
      facts.collectionErrors
        .filter((e) => e.fact !== NO_API_ACCESS_CONTROL.fact)
        .map((e) => [e.fact, e.message.includes('malformed')]),
    ).toEqual([
      ['org', true],
      ['analytics.jobs', true],
    ]);
  });

  it('refreshes the token once on 401, and fails the fact without a refresh', async () => {
    let refreshes = 0;
    const stale = client({
      accessToken: 'stale-token',
      refreshToken: async () => {
        refreshes++;
        return 'good-token';
      },
    });
    const fresh = await stale.query('SELECT Id, Name, IsSandbox FROM Organization');
    expect(fresh).toHaveLength(1);
    expect(refreshes).toBe(1);
    const { facts } = await collect(client({ accessToken: 'stale-token' }));
    expect(facts.users).toEqual([]);
    expect(facts.collectionErrors.find((e) => e.fact === 'users')?.message).toContain(
      'HTTP 401 INVALID_SESSION_ID',
    );
    // The Metadata API answers with a SOAP fault, which is not retried.
    expect(
      facts.collectionErrors.find((e) => e.fact === 'settings.enforceIpRangesEveryRequest')
        ?.message,
    ).toContain('INVALID_SESSION_ID: Invalid Session ID');
    expect(waits).toEqual([]);
  });

  it('times out a request that never answers, retries, then records the fact as unknown', async () => {
    fake.overrides['GET /services/data/v62.0/wave/dataflowjobs'] = [{ hang: true }, { hang: true }];
    const { facts } = await collect(client({ timeoutMs: 50, maxRetries: 1 }));
    expect(facts.analytics?.jobs).toEqual([]);
    expect(facts.collectionErrors.filter((e) => e.fact !== NO_API_ACCESS_CONTROL.fact)).toEqual([
      {
        fact: 'analytics.jobs',
        message: expect.stringContaining('request timed out after 2 attempt(s)'),
      },
    ]);
  });

  it('stops waiting when Retry-After asks for too long', async () => {
    fake.overrides['GET /services/data/v62.0/wave/dataConnectors'] = [
      { status: 429, headers: { 'Retry-After': '3600' } },
    ];
    const { facts } = await collect();
    expect(facts.analytics).toBeNull();
    expect(facts.collectionErrors.find((e) => e.fact === 'analytics')?.message).toContain(
      'asked to retry after 3600 s',
    );
  });

  it('retries a batched query that hit a 429 on its own, after its Retry-After', async () => {
    fake.overrides['SOQL PackageLicense'] = [
      { status: 429, body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'busy' }] },
      { status: 429, headers: { 'Retry-After': '1' }, body: '' },
    ];
    const { facts } = await collect();
    expect(facts.packageLicenses).toHaveLength(1);
    expect(waits).toEqual([1000]);
  });

  it('reports a batched query whose body is malformed', async () => {
    fake.overrides['SOQL PackageLicense'] = [{ status: 200, body: '<html>oops</html>' }];
    const { facts } = await collect();
    expect(facts.packageLicenses).toBeNull();
    expect(facts.collectionErrors.find((e) => e.fact === 'packageLicenses')?.message).toContain(
      'malformed response body',
    );
  });
});

describe('permission sets without assignments', () => {
  it('still reads the profiles of the users, by ProfileId', async () => {
    fake.overrides['SOQL PermissionSetAssignment'] = [
      { status: 200, body: { done: true, totalSize: 0, records: [] } },
    ];
    const { facts } = await collect();
    const query = fake.requests.find((r) => r.includes('FROM%20PermissionSet%20WHERE')) ?? '';
    expect(decodeURIComponent(query)).toContain(
      "WHERE ProfileId IN ('00e000000000IntAAA','00e000000000SecAAA')",
    );
    expect(facts.users[0].permissionSetIds).toEqual([]);
    expect(facts.profiles.map((p) => p.id)).toEqual(['00e000000000IntAAA', '00e000000000SecAAA']);
  });
});

describe('client details', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('1.5')).toBe(1500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(undefined)).toBeNull();
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow: Transport = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { status: 200, headers: {}, body: '{"ok":true}' };
    };
    const c = client({ transport: slow, concurrency: 2 });
    await Promise.all(Array.from({ length: 7 }, (_, i) => c.getJson(`/x/${i}`)));
    expect(peak).toBe(2);
    expect(c.requestCount).toBe(7);
  });

  it('retries a dropped connection and reports describes that fail one by one', async () => {
    let calls = 0;
    const flaky: Transport = async (request) => {
      calls++;
      if (calls === 1) throw new Error('socket hang up');
      return nodeTransport(request);
    };
    const c = client({ transport: flaky });
    const results = await c.batchGet([
      `${API}/sobjects/Account/describe`,
      `${API}/sobjects/Nope__c/describe`,
    ]);
    expect(waits).toEqual([500]);
    expect(results[0]).toMatchObject({ name: 'Account' });
    expect(results[1]).toBeInstanceOf(ApiError);
    expect((results[1] as ApiError).message).toContain('NOT_FOUND');
  });
});

describe('a failed collection never passes', () => {
  /** Every fact is null or has its reason; no rule can pass on what was never read. */
  function expectNothingKnown(facts: Awaited<ReturnType<typeof collect>>['facts']) {
    const failed = new Set(facts.collectionErrors.map((e) => e.fact));
    for (const list of [
      'users',
      'profiles',
      'permissionSets',
      'objectPermissions',
      'fieldPermissions',
    ])
      expect(failed).toContain(list);
    expect(facts.org.isSandbox).toBeNull();
    expect(facts.settings).toEqual({
      enforceIpRangesEveryRequest: null,
      profileFilteringEnabled: null,
      apiAccessControlEnabled: null,
    });
    expect(facts.analytics).toBeNull();
    expect(facts.schema).toBeNull();
    expect(facts.packageLicenses).toBeNull();
    expect(facts.auditTrail).toBeNull();
    const report = evaluate(
      validateOrgFacts(JSON.parse(JSON.stringify(facts))),
      compileCatalog(loadCatalogRecords()),
    );
    expect(report.findings.filter((f) => f.status === 'PASS')).toEqual([]);
  }

  it('connection refused on every request: every fact unknown', async () => {
    const { facts } = await collect(client({ instanceUrl: await refusedUrl() }));
    expectNothingKnown(facts);
    expect(facts.collectionErrors.find((e) => e.fact === 'users')?.message).toMatch(
      /request failed: connect ECONNREFUSED .* after 4 attempt\(s\)/,
    );
  });

  it('HTTP 403 on every request: every fact unknown', async () => {
    const forbidding = await startForbidding();
    try {
      const { facts } = await collect(client({ instanceUrl: forbidding.url }));
      expectNothingKnown(facts);
      expect(facts.collectionErrors.find((e) => e.fact === 'users')?.message).toContain(
        'HTTP 403 FORBIDDEN: API access is not enabled',
      );
      expect(waits).toEqual([]);
    } finally {
      await forbidding.close();
    }
  });

  it('the Metadata API is refused: only what it holds is unknown, the access rules keep their verdicts', async () => {
    const refused = { status: 403, body: 'INSUFFICIENT_ACCESS: no Metadata API' };
    fake.overrides['POST /services/Soap/m/62.0'] = Array.from({ length: 40 }, () => refused);
    const { facts } = await collect();
    const failed = new Set(facts.collectionErrors.map((e) => e.fact));
    expect(failed).toContain('profiles.loginIpRanges');
    expect(failed).not.toContain('profiles');
    expect(facts.profiles.length).toBeGreaterThan(0);
    for (const profile of facts.profiles) expect(profile.loginIpRanges).toBeNull();
    const catalog = compileCatalog(loadCatalogRecords());
    const report = evaluate(validateOrgFacts(JSON.parse(JSON.stringify(facts))), catalog);
    const of = (ruleId: string) => report.findings.filter((f) => f.ruleId === ruleId);
    // A rule on the unread ranges is never passed on a list that was not read ...
    for (const ruleId of ['AH030', 'AH031', 'AH033']) {
      expect(of(ruleId).length).toBeGreaterThan(0);
      expect(of(ruleId).every((f) => f.status === 'NOT_EVALUATED')).toBe(true);
    }
    // ... and the unread part hides no verdict the collected permissions decide (RULES.md v1.1).
    expect(of('AH020').length).toBeGreaterThan(0);
    expect(of('AH020').every((f) => f.status === 'PASS' || f.status === 'FAIL')).toBe(true);
  });

  it('the users are read but their permission sets are not: the access lists are unknown, not empty', async () => {
    fake.overrides['SOQL PermissionSetAssignment'] = [
      { status: 403, body: [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'no access' }] },
    ];
    const { facts } = await collect();
    expect(facts.users).toHaveLength(2);
    expect(
      facts.collectionErrors
        .filter((e) => e.fact !== NO_API_ACCESS_CONTROL.fact)
        .map((e) => [e.fact, e.message]),
    ).toEqual([
      ['profiles', expect.stringContaining('HTTP 403 INSUFFICIENT_ACCESS: no access')],
      [
        'permissionSets',
        expect.stringContaining('profiles and permission sets of the users are unknown'),
      ],
      ['objectPermissions', expect.stringContaining('unknown')],
      ['fieldPermissions', expect.stringContaining('unknown')],
    ]);
    const catalog = compileCatalog(loadCatalogRecords());
    const report = evaluate(validateOrgFacts(JSON.parse(JSON.stringify(facts))), catalog);
    const needsAccess = report.findings.filter((f) =>
      catalog.rules
        .find((r) => r.definition.id === f.ruleId)
        ?.definition.factsNeeded.some((need) =>
          ['permissionSets', 'objectPermissions', 'fieldPermissions'].some(
            (fact) => need === fact || need.startsWith(`${fact}.`),
          ),
        ),
    );
    expect(needsAccess.length).toBeGreaterThan(0);
    expect(needsAccess.filter((f) => f.status === 'PASS' || f.status === 'FAIL')).toEqual([]);
  });
});
