import {
  compileCatalog,
  evaluate,
  validateOrgFacts,
} from '../../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { loadCatalogRecords } from '../../../lib/catalogSource';
import { MAX_GROUP_DEPTH, connectedAppsFrom } from '../catalogFacts';
import { collectFacts } from '../collectOrg';
import { nodeTransport } from '../http';
import { SalesforceClient } from '../salesforceClient';
import { ACCESS_GROUP, API, APP_IDS, startFakeOrg, type FakeOrg } from './fakeOrg';

const INTEGRATION_PROFILE = '00e000000000IntAAA';
const SECURITY_PROFILE = '00e000000000SecAAA';
const EXTRA_SET = '0PS0000000ExtraAAA';
const now = () => new Date('2026-11-23T08:00:00Z');
let fake: FakeOrg;

async function collect() {
  const client = new SalesforceClient({
    instanceUrl: fake.url,
    accessToken: 'good-token',
    apiVersion: '62.0',
    transport: nodeTransport,
    sleep: async () => undefined,
  });
  const facts = await collectFacts(client, {
    orgId: '00D000000000001AAA',
    now,
    progress: () => undefined,
  });
  return validateOrgFacts(JSON.parse(JSON.stringify(facts)));
}

const errorOf = (facts: Awaited<ReturnType<typeof collect>>, fact: string) =>
  facts.collectionErrors.find((e) => e.fact === fact)?.message;

/** The org answers as a production org, so the sandboxes are read. */
function production() {
  fake.overrides['SOQL Organization'] = [
    {
      body: {
        totalSize: 1,
        done: true,
        records: [{ Id: '00D000000000001AAA', Name: 'Fake Outfitters', IsSandbox: false }],
      },
    },
  ];
}

beforeEach(async () => {
  fake = await startFakeOrg();
});
afterEach(() => fake.close());

describe('catalog v1.1 facts from a live org', () => {
  it('reads the connected apps, the connector source objects and the dataset security', async () => {
    const facts = await collect();
    expect(facts.connectedApps).toEqual([
      {
        name: 'Insights',
        installed: true,
        adminApprovedUsersOnly: true,
        // Approvals on profile-owned permission sets are the profiles' approvals.
        approvedPrincipalIds: [INTEGRATION_PROFILE, SECURITY_PROFILE],
      },
      {
        name: 'Wave Web',
        installed: true,
        adminApprovedUsersOnly: true,
        approvedPrincipalIds: [EXTRA_SET],
      },
    ]);
    expect(facts.analytics?.sourceObjects).toEqual([
      {
        connectionName: 'SFDC_LOCAL',
        // Two pages; the inaccessible Secret__c is not offered.
        objects: [
          { name: 'Account', fields: ['Id', 'Name', 'Industry'] },
          { name: 'Opportunity', fields: ['Id', 'Amount', 'StageName'] },
        ],
      },
    ]);
    expect(facts.analytics?.datasets).toEqual([
      {
        id: '0Fb000000000001AAA',
        name: 'Opportunities',
        predicate: '\'Region\' == "$User.Region__c"',
        sharingSource: null,
      },
      { id: '0Fb000000000002AAA', name: 'Accounts', predicate: null, sharingSource: 'Account' },
    ]);
    // The fake org is a sandbox: no sandbox list to read, and none is asked for.
    expect(facts.sandboxes).toEqual([]);
    expect(fake.requests.some((r) => r.includes('/tooling/query'))).toBe(false);
    for (const fact of [
      'connectedApps',
      'sandboxes',
      'analytics.sourceObjects',
      'analytics.datasets',
    ])
      expect(errorOf(facts, fact)).toBeUndefined();
  });

  it('reads the sandboxes in production, nested groups expanded', async () => {
    production();
    const facts = await collect();
    expect(facts.sandboxes).toEqual([
      {
        name: 'uat',
        activationGroupId: ACCESS_GROUP,
        memberUserIds: ['005000000000IntAAA', '005000000000SecAAA'],
      },
      { name: 'dev', activationGroupId: null, memberUserIds: null },
    ]);
    // One query per level of nesting; the nested group's link back is not followed again.
    const levels = fake.requests.filter((r) => r.includes('GroupMember'));
    expect(levels).toHaveLength(2);
    const report = evaluate(facts, compileCatalog(loadCatalogRecords()), {
      evaluatedAt: now().toISOString(),
    });
    expect(
      report.findings.filter((f) => f.ruleId === 'AH043').map((f) => [f.subject.id, f.status]),
    ).toEqual([
      ['uat', 'PASS'],
      ['dev', 'PASS'],
    ]);
  });

  it('HTTP 403 on the connected apps: that fact is null with the reason, the rest is read', async () => {
    fake.overrides['SOQL SetupEntityAccess'] = [
      {
        status: 403,
        body: [
          { errorCode: 'INSUFFICIENT_ACCESS', message: 'View Setup and Configuration needed' },
        ],
      },
    ];
    const facts = await collect();
    expect(facts.connectedApps).toBeNull();
    expect(errorOf(facts, 'connectedApps')).toMatch(/403|View Setup/);
    expect(facts.analytics?.datasets).toHaveLength(2);
  });

  it('HTTP 403 on the dataset list or a connector: null with the reason', async () => {
    fake.overrides[`GET ${API}/wave/datasets`] = [
      { status: 403, body: [{ errorCode: 'FORBIDDEN', message: 'no access to datasets' }] },
    ];
    fake.overrides[`GET ${API}/wave/dataConnectors/0It000000000001AAA/sourceObjects`] = [
      { status: 403, body: [{ errorCode: 'FORBIDDEN', message: 'no access to the connector' }] },
    ];
    const facts = await collect();
    expect(facts.analytics?.datasets).toBeNull();
    expect(errorOf(facts, 'analytics.datasets')).toMatch(/no access to datasets/);
    expect(facts.analytics?.sourceObjects).toBeNull();
    expect(errorOf(facts, 'analytics.sourceObjects')).toMatch(/no access to the connector/);
    const report = evaluate(facts, compileCatalog(loadCatalogRecords()), {
      evaluatedAt: now().toISOString(),
    });
    const ah027 = report.findings.filter((f) => f.ruleId === 'AH027');
    expect(ah027).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
    expect(ah027[0].reason).toMatch(/no access to datasets/);
  });

  it('an object the org does not have (SandboxInfo before API 60): null with the reason', async () => {
    production();
    fake.overrides[`GET ${API}/tooling/query`] = [
      {
        status: 400,
        body: [
          {
            errorCode: 'INVALID_TYPE',
            message: "sObject type 'SandboxInfo' is not supported.",
          },
        ],
      },
    ];
    fake.overrides['SOQL ConnectedApplication'] = [
      {
        status: 400,
        body: [
          {
            errorCode: 'INVALID_TYPE',
            message: "sObject type 'ConnectedApplication' is not supported.",
          },
        ],
      },
    ];
    const facts = await collect();
    expect(facts.sandboxes).toBeNull();
    expect(errorOf(facts, 'sandboxes')).toMatch(/SandboxInfo/);
    expect(facts.connectedApps).toBeNull();
    expect(errorOf(facts, 'connectedApps')).toMatch(/ConnectedApplication/);
  });

  it('follows further pages of the approvals query', async () => {
    fake.overrides['SOQL SetupEntityAccess'] = [
      {
        body: {
          totalSize: 2,
          done: false,
          nextRecordsUrl: `${API}/query/01gSEA-2`,
          records: [
            {
              ParentId: '0PS00000000SecPAAA',
              SetupEntityId: APP_IDS.waveWeb,
              Parent: { IsOwnedByProfile: true, ProfileId: SECURITY_PROFILE },
            },
          ],
        },
      },
    ];
    fake.overrides[`GET ${API}/query/01gSEA-2`] = [
      {
        body: {
          totalSize: 2,
          done: true,
          records: [
            {
              ParentId: '0PS00000000IntPAAA',
              SetupEntityId: APP_IDS.waveWeb,
              Parent: { IsOwnedByProfile: true, ProfileId: INTEGRATION_PROFILE },
            },
          ],
        },
      },
    ];
    const facts = await collect();
    expect(facts.connectedApps?.find((a) => a.name === 'Wave Web')?.approvedPrincipalIds).toEqual([
      SECURITY_PROFILE,
      INTEGRATION_PROFILE,
    ]);
    // Insights has no approval on either page: installed, approved for nobody.
    expect(facts.connectedApps?.find((a) => a.name === 'Insights')?.approvedPrincipalIds).toEqual(
      [],
    );
  });

  it('groups nested deeper than the limit make the members unknown, not empty', async () => {
    production();
    fake.overrides['SOQL GroupMember'] = Array.from({ length: MAX_GROUP_DEPTH }, (_, i) => ({
      body: {
        totalSize: 1,
        done: true,
        records: [
          {
            GroupId: i === 0 ? ACCESS_GROUP : `00G00000000${String(i).padStart(4, '0')}AAA`,
            UserOrGroupId: `00G00000000${String(i + 1).padStart(4, '0')}AAA`,
          },
        ],
      },
    }));
    const facts = await collect();
    expect(facts.sandboxes).toBeNull();
    expect(errorOf(facts, 'sandboxes')).toMatch(/nested more than 10 levels/);
  });
});

describe('connectedAppsFrom', () => {
  it('lists a missing app as not installed, and keeps permission-set approvals as they are', () => {
    expect(
      connectedAppsFrom(
        [{ Id: '0H4000000000InsAAA', Name: 'insights', OptionsAllowAdminApprovedUsersOnly: false }],
        [
          { ParentId: '0PS000000000001AAA', SetupEntityId: '0H4000000000Ins', Parent: {} },
          { ParentId: '0PS000000000002AAA', SetupEntityId: '0H4000000000OtherA', Parent: {} },
        ],
      ),
    ).toEqual([
      {
        name: 'insights',
        installed: true,
        adminApprovedUsersOnly: false,
        approvedPrincipalIds: ['0PS000000000001AAA'],
      },
      {
        name: 'Wave Web',
        installed: false,
        adminApprovedUsersOnly: null,
        approvedPrincipalIds: [],
      },
    ]);
  });
});
