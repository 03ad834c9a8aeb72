/**
 * The orgs of `npm run bench:apex`, from the generator of `npm run bench` (syntheticOrgOf): the
 * facts the TypeScript engine evaluates, and the same org as records of the in-memory org the
 * collectors query, plus answers to the callouts the collectors make through the Named
 * Credential (the analytics REST API, the Tooling API, the Metadata API).
 *
 * The seam for the analytics facts is the callout itself: `services.calloutResponder` answers
 * every callout made outside a test (harness/http.ts), so OrgFactsCollector, DashboardFacts,
 * OrgApiFactsSelector and AnalyticsApiReader run unchanged, as in an org with the Named
 * Credential set up.
 */
import type {
  SObjectInfo,
  OrgFacts,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { syntheticOrgOf, type SyntheticSizes } from '../../bench/syntheticOrg';
import { normalizeId } from '../values';
import type { CalloutRecord, CalloutResponder } from '../harness/http';
import type { SessionPolicy } from '../harness/natives';
import { bulkLoad, IdCache, type BulkRecord } from '../org/bulkLoad';
import type { OrgService } from '../org/orgService';
import { USER_PERMISSIONS, type FieldDef, type ObjectDef } from '../org/schema';

export type BenchOrgName = 'typical' | 'large' | 'failing' | 'tiny';

/**
 * typical: ~50 synced objects, 2,000 fields, 20 users; large: the org of `npm run bench`;
 * failing: 500 objects whose 50,000 fields the Integration User cannot read (50,000 failing
 * findings, which the stored report must hold within the heap of the record step and the page).
 */
export const BENCH_SIZES: Record<BenchOrgName, SyntheticSizes> = {
  typical: { objects: 50, fieldsPerObject: 40, users: 20, flows: 5, jobs: 20 },
  large: { objects: 2000, fieldsPerObject: 100, users: 3000 },
  failing: { objects: 500, fieldsPerObject: 100, users: 300, unreadableEvery: 1 },
  tiny: { objects: 3, fieldsPerObject: 4, users: 3, flows: 2, jobs: 4 },
};

const to18 = (id: string): string => normalizeId(id) ?? id;

/** Dataflow Ids of the mocked analytics API, one per flow name. */
const dataflowId = (index: number): string => to18(`02K${String(index).padStart(12, '0')}`);

/**
 * The facts of one bench org, with 18-character Ids (as the Apex reports them) and the references
 * as the analytics API gives them back: grouped by dataflow, each with its dataflow's Id.
 */
export function benchFacts(sizes: SyntheticSizes): OrgFacts {
  const facts = syntheticOrgOf({ ...sizes, id: to18 });
  const analytics = facts.analytics!;
  const flowIndex = (name: string) => Number(name.replace(/^Flow /, ''));
  const references = analytics.references
    .map((r, order) => ({ r, order }))
    .sort((a, b) => flowIndex(a.r.assetName) - flowIndex(b.r.assetName) || a.order - b.order)
    .map(({ r }) => ({ ...r, assetId: dataflowId(flowIndex(r.assetName)) }));
  return { ...facts, analytics: { ...analytics, references } };
}

const INTEGRATION_LICENSE = 'Analytics Cloud Integration User';

/**
 * The part of the org the collector reads (FactsQueries): the users with the Integration User
 * licence or a reserved username, by username; their profiles; those profiles' object
 * permissions and their field permissions that grant read. The TS engine evaluates this view.
 */
export function collectedView(facts: OrgFacts): OrgFacts {
  const runAs = new Set(
    (facts.analytics?.connections ?? []).flatMap((c) => (c.runAsUserId ? [c.runAsUserId] : [])),
  );
  const users = facts.users
    .filter(
      (u) =>
        u.userLicense === INTEGRATION_LICENSE ||
        /^(integration|security|insightssecurity)@/i.test(u.username) ||
        runAs.has(u.id),
    )
    .sort((a, b) => (a.username.toLowerCase() < b.username.toLowerCase() ? -1 : 1));
  const principals = new Set(users.flatMap((u) => [u.profileId, ...u.permissionSetIds]));
  return {
    ...facts,
    users,
    profiles: facts.profiles.filter((p) => principals.has(p.id)),
    permissionSets: facts.permissionSets.filter((p) => principals.has(p.id)),
    objectPermissions: facts.objectPermissions.filter((p) => principals.has(p.principalId)),
    fieldPermissions: facts.fieldPermissions.filter((p) => p.read && principals.has(p.principalId)),
    // What the Apex collectors read from the bench responder: no secured dataset, no sandbox.
    sandboxes: facts.sandboxes ?? [],
    analytics: facts.analytics
      ? { ...facts.analytics, datasets: facts.analytics.datasets ?? [] }
      : facts.analytics,
  };
}

export interface LoadedOrg {
  /** The org's facts, with the org's own Id and name put in. */
  readonly facts: OrgFacts;
  readonly rows: { total: number; fieldPermissions: number };
  readonly loadMillis: number;
}

/**
 * Loads `facts` into the in-memory org: the schema of its objects, profiles (each with its
 * profile-owned permission set), users with their UserLogin rows, object and field permissions.
 * The default org's Integration and Security users are removed first: the facts bring their own.
 * Returns the facts with the org's Id and name, as the collector reads them.
 */
export function loadBenchOrg(org: OrgService, facts: OrgFacts): LoadedOrg {
  const started = performance.now();
  const ids = new IdCache();
  removeDefaultIntegrationUsers(org);
  addSchema(org, facts.schema?.objects ?? []);

  const licenseIds = new Map<string, string>();
  for (const row of org.store.rows(org.schema.get('UserLicense')!)) {
    licenseIds.set(String(row.get('name')), String(row.get('id')));
  }
  const modelled = new Set(USER_PERMISSIONS);
  const flags = (granted: readonly string[]): Record<string, boolean> => {
    const out: Record<string, boolean> = {};
    for (const p of USER_PERMISSIONS) out[`Permissions${p}`] = false;
    for (const p of granted) if (modelled.has(p)) out[`Permissions${p}`] = true;
    return out;
  };
  let total = 0;
  const load = (object: string, records: Iterable<BulkRecord>) => {
    const loaded = bulkLoad(org, object, records, {}, ids);
    total += loaded.length;
    return loaded;
  };

  load(
    'Profile',
    facts.profiles.map((p) => ({
      Id: p.id,
      Name: p.name,
      UserLicenseId: licenseIds.get(p.userLicense ?? 'Salesforce') ?? null,
      UserType: 'Standard',
      ...flags(p.userPermissions ?? []),
    })),
  );
  const setIds = load(
    'PermissionSet',
    facts.profiles.map((p) => ({
      Name: `X${p.id.slice(0, 15)}`,
      Label: p.name,
      Type: 'Profile',
      IsOwnedByProfile: true,
      IsCustom: p.isCustom,
      ProfileId: p.id,
      LicenseId: licenseIds.get(p.userLicense ?? 'Salesforce') ?? null,
      ...flags(p.userPermissions ?? []),
    })),
  );
  const setOf = new Map(facts.profiles.map((p, i) => [p.id, setIds[i]]));

  load(
    'User',
    facts.users.map((u) => {
      const local = u.username.split('@')[0];
      return {
        Id: u.id,
        Username: u.username,
        LastName: local,
        Name: local,
        Alias: local.slice(0, 8),
        Email: u.username,
        CommunityNickname: local,
        EmailEncodingKey: 'UTF-8',
        LanguageLocaleKey: 'en_US',
        LocaleSidKey: 'en_US',
        TimeZoneSidKey: 'America/Los_Angeles',
        ProfileId: u.profileId,
        IsActive: u.isActive,
        UserType: 'Standard',
      };
    }),
  );
  load(
    'UserLogin',
    facts.users.map((u) => ({
      UserId: u.id,
      IsFrozen: u.isFrozen ?? false,
      IsPasswordLocked: false,
    })),
  );
  load(
    'PermissionSetAssignment',
    facts.users.flatMap((u) => {
      const set = u.profileId ? setOf.get(u.profileId) : undefined;
      return set ? [{ AssigneeId: u.id, PermissionSetId: set, IsActive: true }] : [];
    }),
  );
  load(
    'ObjectPermissions',
    facts.objectPermissions.map((p) => ({
      ParentId: setOf.get(p.principalId) ?? p.principalId,
      SobjectType: p.object,
      PermissionsRead: p.read,
      PermissionsViewAllRecords: p.viewAll ?? false,
    })),
  );
  const fieldPermissions = load(
    'FieldPermissions',
    (function* () {
      for (const p of facts.fieldPermissions) {
        yield {
          ParentId: setOf.get(p.principalId) ?? p.principalId,
          SobjectType: p.field.slice(0, p.field.indexOf('.')),
          Field: p.field,
          PermissionsRead: p.read,
          PermissionsEdit: false,
        };
      }
    })(),
  ).length;

  const organization = org.organization();
  const withOrg: OrgFacts = {
    ...facts,
    org: { id: org.organizationId(), name: String(organization.get('name')), isSandbox: false },
  };
  return {
    facts: withOrg,
    rows: { total, fieldPermissions },
    loadMillis: performance.now() - started,
  };
}

function removeDefaultIntegrationUsers(org: OrgService): void {
  const userDef = org.schema.get('User')!;
  const doomed = [...org.store.rows(userDef)]
    .filter((row) => /^(integration|insightssecurity|security)@/i.test(String(row.get('username'))))
    .map((row) => String(row.get('id')));
  for (const id of doomed) org.store.remove(userDef, id, true);
}

const custom36 = (i: number) => i.toString(36).padStart(2, '0');

/** The facts' objects as custom objects of the schema: their fields, with data classification. */
function addSchema(org: OrgService, objects: readonly SObjectInfo[]): void {
  objects.forEach((object, index) => {
    if (org.schema.get(object.name)) return;
    const fields = new Map<string, FieldDef>();
    for (const f of object.fields) {
      const isId = f.name === 'Id';
      fields.set(f.name.toLowerCase(), {
        name: f.name,
        label: f.name,
        type: isId ? 'ID' : 'STRING',
        custom: f.name.endsWith('__c'),
        nillable: !isId,
        createable: !isId,
        updateable: !isId,
        requiredOnCreate: false,
        referenceTo: [],
        relationshipName: null,
        length: isId ? 18 : 255,
        permissionable: f.permissionable,
        securityClassification: f.securityClassification ?? null,
        complianceGroup: null,
      });
    }
    // Key prefixes 'x00'…'zzz': no standard object or package object uses them.
    const letter = 'xyz'[Math.floor(index / 1296)];
    const def: ObjectDef = {
      name: object.name,
      label: object.name,
      labelPlural: object.name,
      keyPrefix: `${letter}${custom36(index % 1296)}`,
      kind: 'custom',
      custom: object.custom,
      sharingModel: 'ReadWrite',
      createable: true,
      updateable: true,
      deletable: true,
      durableId: to18(`01I9${String(index).padStart(11, '0')}`),
      fields,
      relationships: new Map(),
      childRelationships: new Map(),
      validationRules: [],
    };
    org.schema.add(def);
  });
  (org as unknown as { invalidateDerived?: () => void }).invalidateDerived?.();
}

/** Session levels: none required (the facts' 'NONE'); IP probes are not asked for. */
export const benchSessionPolicy: SessionPolicy = {
  requiredSessionLevel: () => null,
  isIpAllowed: () => true,
};

const API = '/services/data/v66.0';

/** Answers the collectors' callouts from the facts: analytics, Tooling and Metadata API. */
export function benchResponder(facts: OrgFacts): CalloutResponder {
  const analytics = facts.analytics ?? { connections: [], references: [], jobs: [] };
  const flows = new Map<string, { id: string; name: string; nodes: Record<string, unknown> }>();
  for (const ref of analytics.references) {
    const id = ref.assetId ?? ref.assetName;
    let flow = flows.get(id);
    if (!flow) flows.set(id, (flow = { id, name: ref.assetName, nodes: {} }));
    flow.nodes[`digest_${Object.keys(flow.nodes).length}`] = {
      action: 'sfdcDigest',
      parameters: { object: ref.object, fields: ref.fields.map((name) => ({ name })) },
    };
  }
  const profiles = new Map(facts.profiles.map((p) => [p.id, p]));
  const ok = (body: unknown) => ({
    statusCode: 200,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const wave = (resource: string): unknown => {
    if (resource === 'dataConnectors') {
      return {
        dataConnectors: analytics.connections.map((c) => ({
          name: c.name,
          connectorType: c.type,
        })),
      };
    }
    if (resource === 'replicatedDatasets') return { replicatedDatasets: [] };
    if (resource === 'recipes') return { recipes: [] };
    // The bench orgs have no dataset with a security predicate or sharing source.
    if (resource === 'datasets') return { datasets: [], nextPageUrl: null };
    if (resource === 'dataflows') {
      return {
        dataflows: [...flows.values()].map((f) => ({ id: f.id, name: f.name, label: f.name })),
      };
    }
    if (resource.startsWith('dataflows/')) {
      const flow = flows.get(resource.slice('dataflows/'.length));
      return flow ? { id: flow.id, name: flow.name, definition: flow.nodes } : null;
    }
    if (resource.startsWith('dataflowjobs')) {
      return {
        dataflowJobs: analytics.jobs.map((j) => ({
          id: j.id,
          label: j.name,
          jobType: j.type,
          status: j.status,
          message: j.message,
          startDate: j.startedAt,
        })),
      };
    }
    return null;
  };
  return (request: CalloutRecord) => {
    const path = (request.endpoint ?? '').replace(/^callout:[^/]+/, '');
    if (path.startsWith(`${API}/wave/`)) {
      const body = wave(path.slice(`${API}/wave/`.length));
      return body === null ? { statusCode: 404, body: '[]' } : ok(body);
    }
    if (path === `${API}/tooling/composite`) {
      const sent = JSON.parse(request.body ?? '{}') as {
        compositeRequest: { url: string; referenceId: string }[];
      };
      return ok({
        compositeResponse: sent.compositeRequest.map((r) => {
          const id = /Id\s*=\s*'([^']+)'/.exec(decodeURIComponent(r.url.replace(/\+/g, ' ')))?.[1];
          const profile = id ? profiles.get(to18(id)) : undefined;
          const records = profile
            ? [
                {
                  Id: profile.id,
                  Metadata: {
                    loginIpRanges: (profile.loginIpRanges ?? []).map((range) => ({
                      startAddress: range.start,
                      endAddress: range.end,
                    })),
                    loginHours: loginHoursMetadata(profile.loginHours),
                  },
                },
              ]
            : [];
          return { httpStatusCode: 200, referenceId: r.referenceId, body: { records } };
        }),
      });
    }
    if (path.startsWith(`${API}/tooling/query/`) && /FROM\+SandboxInfo/.test(path)) {
      // A production org without sandboxes.
      return ok({ size: 0, totalSize: 0, done: true, records: [] });
    }
    if (path.startsWith('/services/Soap/m/')) {
      const type = /<met:type>([^<]+)<\/met:type>/.exec(request.body ?? '')?.[1] ?? '';
      return ok(metadataResponse(type, facts.settings));
    }
    return { statusCode: 404, body: `no such resource in the bench org: ${path}` };
  };
}

function loginHoursMetadata(
  hours: Record<string, { start: number; end: number }> | null | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [day, range] of Object.entries(hours ?? {})) {
    out[`${day}Start`] = String(range.start);
    out[`${day}End`] = String(range.end);
  }
  return out;
}

function metadataResponse(type: string, settings: OrgFacts['settings']): string {
  const flag = (name: string, value: boolean | null | undefined) =>
    value === null || value === undefined ? '' : `<${name}>${String(value)}</${name}>`;
  let record = '';
  if (type === 'SecuritySettings') {
    record = `<sessionSettings>${flag('enforceIpRangesEveryRequest', settings.enforceIpRangesEveryRequest)}</sessionSettings>`;
  } else if (type === 'UserManagementSettings') {
    record = flag('enableProfileFiltering', settings.profileFilteringEnabled);
  } else if (type === 'ConnectedAppSettings') {
    record = flag('enableAdminApprovedAppsOnly', settings.apiAccessControlEnabled);
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
    '<soapenv:Body><readMetadataResponse xmlns="http://soap.sforce.com/2006/04/metadata">' +
    `<result><records>${record}</records></result>` +
    '</readMetadataResponse></soapenv:Body></soapenv:Envelope>'
  );
}
