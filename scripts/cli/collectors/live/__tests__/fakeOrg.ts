/**
 * A local HTTP server on 127.0.0.1 that answers like a small org with CRM
 * Analytics: SOQL (with queryMore), describes, composite batch, Metadata API
 * readMetadata (SOAP) and the /wave resources, each shaped as documented.
 * Tests override single routes to return errors, slow answers or bad bodies.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export const API = '/services/data/v62.0';

export interface FakeAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Never answer (to test timeouts). */
  hang?: boolean;
}

/**
 * Overrides by request key (`GET /path` without the query, or `SOQL <object>` for a query,
 * sent alone or in a composite batch); each answer is used once, in order.
 */
export type Overrides = Record<string, FakeAnswer[]>;

export interface FakeOrg {
  url: string;
  requests: string[];
  overrides: Overrides;
  dataflowCount: number;
  close: () => Promise<void>;
}

const INTEGRATION_PROFILE = '00e000000000IntAAA';
const SECURITY_PROFILE = '00e000000000SecAAA';
const INTEGRATION_SET = '0PS00000000IntPAAA';
const SECURITY_SET = '0PS00000000SecPAAA';
const EXTRA_SET = '0PS0000000ExtraAAA';

const users = [
  {
    Id: '005000000000IntAAA',
    Username: 'integration@00d000000000001aaa.com',
    Name: 'Integration User',
    IsActive: true,
    ProfileId: INTEGRATION_PROFILE,
    Profile: { UserLicense: { Name: 'Analytics Cloud Integration User' } },
  },
  {
    Id: '005000000000SecAAA',
    Username: 'insightssecurity@00d000000000001aaa.com',
    Name: 'Security User',
    IsActive: true,
    ProfileId: SECURITY_PROFILE,
    Profile: { UserLicense: { Name: 'Analytics Cloud Integration User' } },
  },
];

const permissionSets = [
  {
    Id: INTEGRATION_SET,
    Name: 'X00ex000000',
    Label: 'x',
    Type: 'Profile',
    IsOwnedByProfile: true,
    IsCustom: true,
    ProfileId: INTEGRATION_PROFILE,
    Profile: {
      Name: 'Analytics Cloud Integration User (Clone)',
      UserLicense: { Name: 'Analytics Cloud Integration User' },
    },
    PermissionsApiEnabled: true,
    PermissionsViewAllData: true,
    PermissionsViewAllProfiles: false,
  },
  {
    Id: SECURITY_SET,
    Name: 'X00ey000000',
    Label: 'y',
    Type: 'Profile',
    IsOwnedByProfile: true,
    IsCustom: false,
    ProfileId: SECURITY_PROFILE,
    Profile: {
      Name: 'Analytics Cloud Security User',
      UserLicense: { Name: 'Analytics Cloud Integration User' },
    },
    PermissionsApiEnabled: true,
    PermissionsViewAllData: false,
    PermissionsViewAllProfiles: false,
  },
  {
    Id: EXTRA_SET,
    Name: 'Analytics_Extra',
    Label: 'Analytics Extra',
    Type: 'Group',
    IsOwnedByProfile: false,
    IsCustom: true,
    ProfileId: null,
    Profile: null,
    PermissionsApiEnabled: false,
    PermissionsViewAllData: false,
    PermissionsViewAllProfiles: true,
  },
];

const fieldPermissionRows = [
  { ParentId: INTEGRATION_SET, Field: 'Account.Industry', PermissionsRead: true },
  { ParentId: INTEGRATION_SET, Field: 'Account.AnnualRevenue', PermissionsRead: true },
  { ParentId: INTEGRATION_SET, Field: 'Opportunity.Amount', PermissionsRead: true },
  { ParentId: EXTRA_SET, Field: 'Opportunity.StageName', PermissionsRead: true },
];

// ---- Catalog v1.1 facts ----
export const APP_IDS = { insights: '0H4000000000InsAAA', waveWeb: '0H4000000000WavAAA' };
const CONNECTED_APPS = [
  { Id: APP_IDS.insights, Name: 'Insights', OptionsAllowAdminApprovedUsersOnly: true },
  { Id: APP_IDS.waveWeb, Name: 'Wave Web', OptionsAllowAdminApprovedUsersOnly: true },
];
const APP_ACCESS = [
  {
    ParentId: INTEGRATION_SET,
    SetupEntityId: APP_IDS.insights,
    Parent: { IsOwnedByProfile: true, ProfileId: INTEGRATION_PROFILE },
  },
  {
    ParentId: SECURITY_SET,
    SetupEntityId: APP_IDS.insights,
    Parent: { IsOwnedByProfile: true, ProfileId: SECURITY_PROFILE },
  },
  {
    ParentId: EXTRA_SET,
    SetupEntityId: APP_IDS.waveWeb,
    Parent: { IsOwnedByProfile: false, ProfileId: null },
  },
];
/** A sandbox's access group holds the Integration User and, through a nested group, the Security User. */
export const ACCESS_GROUP = '00G000000000GrpAAA';
export const NESTED_GROUP = '00G000000000NstAAA';
const GROUP_MEMBERS = [
  { GroupId: ACCESS_GROUP, UserOrGroupId: '005000000000IntAAA' },
  { GroupId: ACCESS_GROUP, UserOrGroupId: NESTED_GROUP },
  { GroupId: NESTED_GROUP, UserOrGroupId: '005000000000SecAAA' },
  { GroupId: NESTED_GROUP, UserOrGroupId: ACCESS_GROUP },
];
export const SANDBOX_ROWS = [
  { SandboxName: 'uat', ActivationUserGroupId: ACCESS_GROUP },
  { SandboxName: 'dev', ActivationUserGroupId: null },
];

function soqlAnswer(soql: string): { key: string; records: unknown[] } {
  const from = /FROM (\w+)/.exec(soql)?.[1] ?? '';
  switch (from) {
    case 'Organization':
      return {
        key: from,
        records: [{ Id: '00D000000000001AAA', Name: 'Fake Outfitters', IsSandbox: true }],
      };
    case 'User':
      return { key: from, records: users };
    case 'UserLogin':
      return {
        key: from,
        records: [
          { UserId: users[0].Id, IsFrozen: false },
          { UserId: users[1].Id, IsFrozen: true },
        ],
      };
    case 'PermissionSetLicenseAssign':
      return {
        key: from,
        records: [
          { AssigneeId: users[1].Id, PermissionSetLicense: { MasterLabel: 'CRM Analytics Plus' } },
        ],
      };
    case 'UserPackageLicense':
      return {
        key: from,
        records: [{ UserId: users[0].Id, PackageLicense: { NamespacePrefix: 'fin' } }],
      };
    case 'PackageLicense':
      return {
        key: from,
        records: [{ NamespacePrefix: 'fin', Status: 'Active', AllowedLicenses: 25 }],
      };
    case 'PermissionSetAssignment':
      return {
        key: from,
        records: [
          {
            AssigneeId: users[0].Id,
            PermissionSetId: INTEGRATION_SET,
            PermissionSet: { IsOwnedByProfile: true },
          },
          {
            AssigneeId: users[1].Id,
            PermissionSetId: SECURITY_SET,
            PermissionSet: { IsOwnedByProfile: true },
          },
          {
            AssigneeId: users[0].Id,
            PermissionSetId: EXTRA_SET,
            PermissionSet: { IsOwnedByProfile: false },
          },
        ],
      };
    case 'PermissionSet': {
      const fields = /SELECT (.*) FROM/.exec(soql)?.[1].split(', ') ?? [];
      return {
        key: from,
        records: permissionSets.map((set) =>
          Object.fromEntries(
            Object.entries(set).filter(
              ([k]) => fields.includes(k) || fields.some((f) => f.startsWith(`${k}.`)),
            ),
          ),
        ),
      };
    }
    case 'ObjectPermissions':
      return {
        key: from,
        records: [
          {
            ParentId: INTEGRATION_SET,
            SobjectType: 'Account',
            PermissionsRead: true,
            PermissionsViewAllRecords: true,
          },
          {
            ParentId: INTEGRATION_SET,
            SobjectType: 'Opportunity',
            PermissionsRead: true,
            PermissionsViewAllRecords: false,
          },
        ],
      };
    case 'FieldPermissions':
      return { key: from, records: fieldPermissionRows };
    case 'SetupAuditTrail':
      return {
        key: from,
        records: [
          {
            CreatedDate: '2026-11-20T16:05:00.000+0000',
            Action: 'frozeuser',
            Section: 'Manage Users',
            Display: 'Froze user Security User',
            CreatedBy: { Username: 'admin@fake.example' },
          },
        ],
      };
    case 'FieldDefinition':
      return {
        key: from,
        records: [
          {
            EntityDefinition: { QualifiedApiName: 'Account' },
            QualifiedApiName: 'AnnualRevenue',
            SecurityClassification: 'Confidential',
            ComplianceGroup: null,
          },
        ],
      };
    // Catalog v1.1: the connected apps CRM Analytics needs, and their approvals.
    case 'ConnectedApplication':
      return { key: from, records: CONNECTED_APPS };
    case 'SetupEntityAccess':
      return { key: from, records: APP_ACCESS };
    case 'GroupMember': {
      const wanted = [...(/GroupId IN \(([^)]*)\)/.exec(soql)?.[1] ?? '').matchAll(/'(\w+)'/g)].map(
        (m) => m[1].slice(0, 15),
      );
      return {
        key: from,
        records: GROUP_MEMBERS.filter((row) => wanted.includes(row.GroupId.slice(0, 15))),
      };
    }
    default:
      return { key: from, records: [] };
  }
}

const PERMISSION_SET_DESCRIBE = {
  name: 'PermissionSet',
  fields: [
    { name: 'Id', type: 'id' },
    { name: 'IsOwnedByProfile', type: 'boolean' },
    { name: 'PermissionsApiEnabled', type: 'boolean' },
    { name: 'PermissionsViewAllData', type: 'boolean' },
    { name: 'PermissionsViewAllProfiles', type: 'boolean' },
  ],
};

function describe(name: string) {
  const fields: Record<string, { name: string; type: string; permissionable: boolean }[]> = {
    Account: [
      { name: 'Id', type: 'id', permissionable: false },
      { name: 'Name', type: 'string', permissionable: false },
      { name: 'Industry', type: 'picklist', permissionable: true },
      { name: 'AnnualRevenue', type: 'currency', permissionable: true },
    ],
    Opportunity: [
      { name: 'Id', type: 'id', permissionable: false },
      { name: 'Amount', type: 'currency', permissionable: true },
      { name: 'StageName', type: 'picklist', permissionable: false },
    ],
  };
  if (!fields[name]) return null;
  return { name, custom: false, fields: fields[name] };
}

function readMetadataResponse(type: string, names: string[]): string {
  const records = names.map((name) => {
    switch (`${type}:${name}`) {
      case 'Profile:Analytics Cloud Integration User (Clone)':
        return `<records xsi:type="Profile"><fullName>${name}</fullName><custom>true</custom><loginHours><mondayStart>480</mondayStart><mondayEnd>1080</mondayEnd></loginHours><loginIpRanges><description>Office</description><endAddress>10.255.255.255</endAddress><startAddress>10.0.0.0</startAddress></loginIpRanges><userLicense>Analytics Cloud Integration User</userLicense></records>`;
      case 'Profile:Analytics Cloud Security User':
        return `<records xsi:type="Profile"><fullName>${name}</fullName><custom>false</custom></records>`;
      case 'ProfileSessionSetting:Analytics Cloud Integration User (Clone)':
        return `<records xsi:type="ProfileSessionSetting"><fullName>${name}</fullName><profile>${name}</profile><requiredSessionLevel>HIGH_ASSURANCE</requiredSessionLevel><sessionTimeout>120</sessionTimeout></records>`;
      case 'ProfileSessionSetting:Analytics Cloud Security User':
        return `<records xsi:type="ProfileSessionSetting"><fullName>${name}</fullName><profile>${name}</profile><sessionTimeout>120</sessionTimeout></records>`;
      case 'SecuritySettings:Security':
        return '<records xsi:type="SecuritySettings"><fullName>Security</fullName><sessionSettings><enforceIpRangesEveryRequest>true</enforceIpRangesEveryRequest></sessionSettings></records>';
      case 'UserManagementSettings:UserManagement':
        return '<records xsi:type="UserManagementSettings"><fullName>UserManagement</fullName><enableProfileFiltering>false</enableProfileFiltering></records>';
      default:
        // What the API returns for a component the org does not have.
        return '<records xsi:nil="true"/>';
    }
  });
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><readMetadataResponse><result>${records.join('')}</result></readMetadataResponse></soapenv:Body></soapenv:Envelope>`;
}

function waveAnswer(path: string, query: URLSearchParams, fake: FakeOrg): unknown {
  const wave = path.slice(`${API}/wave/`.length);
  if (wave === 'dataConnectors') {
    return {
      dataConnectors: [
        {
          id: '0It000000000001AAA',
          name: 'SFDC_LOCAL',
          label: 'SFDC_LOCAL',
          connectorType: 'SfdcLocal',
        },
        {
          id: '0It000000000002AAA',
          name: 'Snowflake_Sales',
          label: 'Snowflake',
          connectorType: 'SnowflakeDirect',
        },
      ],
    };
  }
  if (wave === 'replicatedDatasets') {
    return {
      replicatedDatasets: [
        {
          id: '0IuA',
          name: 'Account',
          sourceObjectName: 'Account',
          connector: { id: '0It000000000001AAA', name: 'SFDC_LOCAL', connectorType: 'SfdcLocal' },
        },
        {
          id: '0IuS',
          name: 'SALES_TARGETS',
          sourceObjectName: 'SALES_TARGETS',
          connector: {
            id: '0It000000000002AAA',
            name: 'Snowflake_Sales',
            connectorType: 'SnowflakeDirect',
          },
        },
      ],
    };
  }
  if (wave === 'replicatedDatasets/0IuA/fields') {
    return {
      fields: [
        { name: 'Id' },
        { name: 'Name' },
        { name: 'Industry' },
        { name: 'Description', skipped: true },
      ],
    };
  }
  if (wave === 'replicatedDatasets/0IuS/fields') return { fields: [{ name: 'REGION' }] };
  if (wave === 'dataflows') {
    // Two pages: the first links to the second.
    const all = Array.from({ length: fake.dataflowCount }, (_, i) => ({
      id: `02K${i}`,
      name: `Flow_${i}`,
      label: `Flow ${i}`,
      type: 'dataflow',
    }));
    all.push({ id: '02KR', name: 'Pipeline_recipe', label: 'Pipeline', type: 'recipe' });
    if (query.get('page') === '2') return { dataflows: all.slice(1) };
    return { dataflows: all.slice(0, 1), nextPageUrl: `${API}/wave/dataflows?page=2` };
  }
  if (/^dataflows\/02K\d+$/.test(wave)) {
    return {
      id: wave.slice('dataflows/'.length),
      definition: {
        Extract: {
          action: 'sfdcDigest',
          parameters: { object: 'Opportunity', fields: [{ name: 'Id' }, { name: 'Amount' }] },
        },
      },
    };
  }
  if (wave === 'recipes') return { recipes: [{ id: '05vP', name: 'Pipeline', label: 'Pipeline' }] };
  if (wave === 'recipes/05vP' && query.get('format') === 'R3') {
    return {
      id: '05vP',
      recipeDefinition: {
        version: '62.0',
        nodes: {
          LOAD: {
            action: 'load',
            parameters: {
              fields: ['Id', 'StageName'],
              dataset: {
                type: 'connectedDataset',
                connectionName: 'SFDC_LOCAL',
                sourceObjectName: 'Opportunity',
              },
            },
          },
        },
      },
    };
  }
  const sourceObjects = 'dataConnectors/0It000000000001AAA/sourceObjects';
  if (wave === sourceObjects) {
    // Two pages; an object the connector cannot sync is listed as inaccessible.
    if (query.get('page') === '2') {
      return {
        sourceObjects: [
          { name: 'Opportunity' },
          { name: 'Secret__c', accessible: false, accessDeniedReason: 'no access' },
        ],
      };
    }
    return {
      sourceObjects: [{ name: 'Account' }],
      nextPageUrl: `${API}/wave/${sourceObjects}?page=2`,
    };
  }
  if (wave === `${sourceObjects}/Account/fields`) {
    return { fields: [{ name: 'Id' }, { name: 'Name' }, { name: 'Industry' }] };
  }
  if (wave === `${sourceObjects}/Opportunity/fields`) {
    return { fields: [{ name: 'Id' }, { name: 'Amount' }, { name: 'StageName' }] };
  }
  if (wave === 'datasets') {
    return {
      datasets: ['1', '2'].map((n) => ({
        id: `0Fb00000000000${n}AAA`,
        name: n === '1' ? 'opportunities' : 'accounts',
        label: n === '1' ? 'Opportunities' : 'Accounts',
        currentVersionId: `0Fc00000000000${n}AAA`,
        currentVersionUrl: `${API}/wave/datasets/0Fb00000000000${n}AAA/versions/0Fc00000000000${n}AAA`,
      })),
    };
  }
  if (wave === 'datasets/0Fb000000000001AAA/versions/0Fc000000000001AAA') {
    return { id: '0Fc000000000001AAA', predicate: '\'Region\' == "$User.Region__c"' };
  }
  if (wave === 'datasets/0Fb000000000002AAA/versions/0Fc000000000002AAA') {
    return { id: '0Fc000000000002AAA', sharingSource: { name: 'Account' } };
  }
  if (wave === 'dataflowjobs' && query.get('pageSize') === '200') {
    return {
      dataflowJobs: [
        {
          id: '03CA',
          label: 'Flow 0',
          jobType: 'dataflow',
          status: 'Success',
          message: '',
          startDate: '2026-11-21T02:00:00.000Z',
        },
        {
          id: '03CB',
          label: 'Pipeline',
          jobType: 'recipe',
          status: 'Failure',
          message: 'Queue wait time exceeded limit',
          startDate: '2026-11-22T02:00:00.000Z',
        },
      ],
    };
  }
  return undefined;
}

export async function startFakeOrg(
  options: {
    dataflowCount?: number;
    /** Serve https with this key and certificate (the proxy tests' self-signed pair). */
    tls?: { key: string; cert: string };
  } = {},
): Promise<FakeOrg> {
  const fake: FakeOrg = {
    url: '',
    requests: [],
    overrides: {},
    dataflowCount: options.dataflowCount ?? 1,
    close: async () => undefined,
  };
  /** One GET of a composite batch, answered as the resource itself would answer. */
  const subrequest = (relative: string): { statusCode: number; result: unknown } => {
    const url = new URL(`/services/data/${relative}`, 'http://127.0.0.1');
    fake.requests.push(`BATCHED GET ${url.pathname}${url.search}`);
    if (url.pathname === `${API}/query`) {
      const soql = url.searchParams.get('q') ?? '';
      const override = fake.overrides[`SOQL ${/FROM (\w+)/.exec(soql)?.[1]}`]?.shift();
      if (override) {
        let result = override.body ?? '';
        if (typeof result === 'string') {
          try {
            result = JSON.parse(result);
          } catch {
            // a body that is not JSON reaches the client as a string
          }
        }
        return { statusCode: override.status ?? 200, result };
      }
      const { records } = soqlAnswer(soql);
      if (/FROM FieldPermissions/.test(soql)) {
        // Two pages, to exercise queryMore after a batch.
        return {
          statusCode: 200,
          result: {
            totalSize: records.length,
            done: false,
            nextRecordsUrl: `${API}/query/01g000-2`,
            records: records.slice(0, 2),
          },
        };
      }
      return { statusCode: 200, result: { totalSize: records.length, done: true, records } };
    }
    if (url.pathname === `${API}/sobjects/PermissionSet/describe`) {
      return { statusCode: 200, result: PERMISSION_SET_DESCRIBE };
    }
    const name = decodeURIComponent(/sobjects\/([^/]+)\/describe/.exec(url.pathname)?.[1] ?? '');
    const result = describe(name);
    return result
      ? { statusCode: 200, result }
      : {
          statusCode: 404,
          result: [
            { errorCode: 'NOT_FOUND', message: `The requested resource does not exist: ${name}` },
          ],
        };
  };

  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const key = `${req.method} ${url.pathname}`;
      fake.requests.push(`${key}${url.search}`);
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        res.end(text);
      };
      if (
        req.headers.authorization !== 'Bearer good-token' &&
        !url.pathname.startsWith('/services/Soap')
      ) {
        send(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
        return;
      }
      const soql = url.pathname === `${API}/query` ? (url.searchParams.get('q') ?? '') : '';
      const soqlKey = soql ? `SOQL ${/FROM (\w+)/.exec(soql)?.[1]}` : '';
      const override = fake.overrides[soqlKey]?.shift() ?? fake.overrides[key]?.shift();
      if (override) {
        if (override.hang) return;
        send(override.status ?? 200, override.body ?? '', override.headers);
        return;
      }
      if (url.pathname === `${API}/query`) {
        const { records } = soqlAnswer(soql);
        // FieldPermissions comes in two pages to exercise queryMore.
        if (soqlKey === 'SOQL FieldPermissions') {
          send(200, {
            totalSize: records.length,
            done: false,
            nextRecordsUrl: `${API}/query/01g000-2`,
            records: records.slice(0, 2),
          });
          return;
        }
        send(200, { totalSize: records.length, done: true, records });
        return;
      }
      if (url.pathname === `${API}/tooling/query`) {
        const from = /FROM (\w+)/.exec(url.searchParams.get('q') ?? '')?.[1];
        const records = from === 'SandboxInfo' ? SANDBOX_ROWS : [];
        send(200, { totalSize: records.length, done: true, records });
        return;
      }
      if (url.pathname === `${API}/query/01g000-2`) {
        send(200, { totalSize: 4, done: true, records: fieldPermissionRows.slice(2) });
        return;
      }
      if (url.pathname === `${API}/sobjects/PermissionSet/describe`) {
        send(200, PERMISSION_SET_DESCRIBE);
        return;
      }
      if (url.pathname === `${API}/composite/batch` && req.method === 'POST') {
        const { batchRequests } = JSON.parse(body) as { batchRequests: { url: string }[] };
        send(200, {
          hasErrors: false,
          results: batchRequests.map((r) => subrequest(r.url)),
        });
        return;
      }
      if (url.pathname === '/services/Soap/m/62.0' && req.method === 'POST') {
        if (!body.includes('<met:sessionId>good-token</met:sessionId>')) {
          res.writeHead(500, { 'Content-Type': 'text/xml' });
          res.end(
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: Invalid Session ID</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
          );
          return;
        }
        const type = /<met:type>([^<]+)<\/met:type>/.exec(body)?.[1] ?? '';
        const names = [...body.matchAll(/<met:fullNames>([^<]+)<\/met:fullNames>/g)].map(
          (m) => m[1],
        );
        res.writeHead(200, { 'Content-Type': 'text/xml' });
        res.end(readMetadataResponse(type, names));
        return;
      }
      if (url.pathname.startsWith(`${API}/wave/`)) {
        const answer = waveAnswer(url.pathname, url.searchParams, fake);
        if (answer !== undefined) {
          send(200, answer);
          return;
        }
      }
      send(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    });
  };
  const server = options.tls
    ? https.createServer(options.tls, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
