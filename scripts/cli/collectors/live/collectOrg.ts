/**
 * Collects the org facts of a live org. Areas run side by side where they do not
 * depend on each other, and independent SOQL queries and describes travel together
 * in composite batches; each fact that cannot be collected becomes null (or an
 * empty list where the contract has no null) with the reason in
 * `collectionErrors`, and the run goes on. The number of requests depends on
 * the org (users, assets, rows), never on the number of rules.
 */
import type {
  AssetReference,
  Job,
  OrgFacts,
  OrgUser,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import type { LiveCollection, LiveRequest } from './liveCollection';
import {
  collectConnections,
  collectDataSync,
  collectDataflows,
  collectJobs,
  collectRecipes,
} from './analytics';
import { nodeTransport } from './http';
import {
  AUDIT_QUERY,
  ORG_QUERY,
  PACKAGE_LICENSE_QUERY,
  USER_QUERY,
  accessRowQueries,
  applyFrozen,
  applyPackageLicences,
  applyPermissionSetLicences,
  auditFromRecords,
  collectPrincipals,
  fieldPermissionsFrom,
  objectPermissionsFrom,
  orgFromRecords,
  packageLicensesFromRecords,
  permissionFieldsFromDescribe,
  userDetailQueries,
  usersFromRecords,
  type Principals,
} from './identity';
import { collectProfileRestrictions, collectSessionLevels, collectSetting } from './orgMetadata';
import { SalesforceClient } from './salesforceClient';
import { collectCatalogFacts } from './catalogFacts';
import { collectSchema } from './schema';
import { connectTargetOrg } from './sfAuth';

export interface CollectOptions {
  /** Org id known from the auth, used if the Organization query fails. */
  orgId: string;
  now: () => Date;
  progress: (text: string) => void;
}

const LOCAL = 'sfdc_local';

/** One resource of a composite batch and what to do with its answer. */
interface Batched {
  fact: string;
  /** What the progress line names, when not the fact. */
  label?: string;
  path: string;
  /** A SOQL query: its later pages are fetched before `apply` sees the records. */
  query: boolean;
  apply: (value: Json & Json[]) => void | Promise<void>;
}

type Json = Record<string, unknown>;

export async function collectFacts(
  client: SalesforceClient,
  options: CollectOptions,
): Promise<OrgFacts> {
  const errors: OrgFacts['collectionErrors'] = [];
  const step = async <T>(
    fact: string,
    work: () => Promise<T>,
    fallback: T,
    label = fact,
  ): Promise<T> => {
    try {
      const value = await work();
      options.progress(`  ✓ ${label} (${client.requestCount} requests so far)`);
      return value;
    } catch (error) {
      errors.push({ fact, message: (error as Error).message });
      options.progress(`  ✗ ${fact}: ${(error as Error).message}`);
      return fallback;
    }
  };
  /** Independent GETs in one request; each answer (or failure) belongs to its own fact. */
  const batch = async (entries: Batched[]) => {
    if (entries.length === 0) return;
    let results: (Json | Error)[];
    try {
      results = await client.batchGet(entries.map((e) => e.path));
    } catch (error) {
      results = entries.map(() => error as Error);
    }
    await Promise.all(
      entries.map((entry, index) =>
        step(
          entry.fact,
          async () => {
            const result = results[index];
            if (result instanceof Error) throw result;
            const value = entry.query ? await client.remainingRecords(result) : result;
            await entry.apply(value as Json & Json[]);
          },
          undefined,
          entry.label,
        ),
      ),
    );
  };
  options.progress('Collecting org facts…');

  const analyticsProblems: [string, string][] = [];
  const analyticsWork = async () => {
    // The connection list decides whether CRM Analytics answers at all.
    const connections = await collectConnections(client);
    const [dataSync, dataflows, recipes] = await Promise.all([
      collectDataSync(client, analyticsProblems),
      collectDataflows(client, analyticsProblems),
      collectRecipes(client, analyticsProblems),
    ]);
    return { connections, references: [...dataSync, ...dataflows, ...recipes], jobs: [] as Job[] };
  };

  let org: OrgFacts['org'] = { id: options.orgId, isSandbox: null };
  let users: OrgUser[] = [];
  let packageLicenses: OrgFacts['packageLicenses'] = null;
  let auditTrail: OrgFacts['auditTrail'] = null;
  let permissionFields: string[] = [];
  const [, enforceIp, profileFiltering, apiAccess, analytics] = await Promise.all([
    batch([
      {
        fact: 'org',
        path: client.queryPath(ORG_QUERY),
        query: true,
        apply: (rows) => {
          org = orgFromRecords(rows);
        },
      },
      {
        fact: 'users',
        path: client.queryPath(USER_QUERY),
        query: true,
        apply: (rows) => {
          users = usersFromRecords(rows);
        },
      },
      {
        fact: 'packageLicenses',
        path: client.queryPath(PACKAGE_LICENSE_QUERY),
        query: true,
        apply: (rows) => {
          packageLicenses = packageLicensesFromRecords(rows);
        },
      },
      {
        fact: 'auditTrail',
        path: client.queryPath(AUDIT_QUERY),
        query: true,
        apply: (rows) => {
          auditTrail = auditFromRecords(rows);
        },
      },
      {
        fact: 'permissionSets',
        label: 'PermissionSet describe',
        path: `${client.dataPath}/sobjects/PermissionSet/describe`,
        query: false,
        apply: (describe) => {
          permissionFields = permissionFieldsFromDescribe(describe);
        },
      },
    ]),
    step(
      'settings.enforceIpRangesEveryRequest',
      () => collectSetting(client, 'enforceIpRangesEveryRequest'),
      null,
    ),
    step(
      'settings.profileFilteringEnabled',
      () => collectSetting(client, 'profileFilteringEnabled'),
      null,
    ),
    step(
      'settings.apiAccessControlEnabled',
      () => collectSetting(client, 'apiAccessControlEnabled'),
      null,
    ),
    step('analytics', analyticsWork, null),
  ]);

  // Catalog v1.1 facts: they need the org and analytics answers only, so they run alongside the rest.
  const catalogWork = collectCatalogFacts(
    client,
    step,
    { isSandbox: () => org.isSandbox, references: analytics?.references ?? null },
    options.progress,
  );

  let principals: Principals = { profiles: [], permissionSets: [], principalOf: new Map() };
  const usersKnown = !errors.some((e) => e.fact === 'users');
  let principalsKnown = usersKnown;
  if (users.length > 0) {
    const queries = userDetailQueries(users);
    let assignments: Json[] | null = null;
    await batch([
      {
        fact: 'users.isFrozen',
        path: client.queryPath(queries.frozen),
        query: true,
        apply: (rows) => applyFrozen(users, rows),
      },
      {
        fact: 'users.permissionSetLicenses',
        path: client.queryPath(queries.permissionSetLicences),
        query: true,
        apply: (rows) => applyPermissionSetLicences(users, rows),
      },
      {
        fact: 'users.packageLicenseNamespaces',
        path: client.queryPath(queries.packageLicences),
        query: true,
        apply: (rows) => applyPackageLicences(users, rows),
      },
      {
        fact: 'profiles',
        label: 'permission set assignments',
        path: client.queryPath(queries.assignments),
        query: true,
        apply: (rows) => {
          assignments = rows;
        },
      },
    ]);
    if (assignments !== null && permissionFields.length === 0) {
      errors.push({
        fact: 'profiles',
        message: 'the PermissionSet describe failed, so no permissions could be read',
      });
      principalsKnown = false;
    } else if (assignments !== null) {
      const rows: Json[] = assignments;
      principals = await step(
        'profiles',
        () => collectPrincipals(client, users, permissionFields, rows),
        null,
      ).then((collected) => {
        principalsKnown = collected !== null;
        return collected ?? principals;
      });
    } else {
      principalsKnown = false;
    }
  }
  // The contract has no null for these lists: an empty list with no error would read as
  // "nothing assigned, nothing granted" and let rules pass. Each gets its reason instead.
  if (!principalsKnown) {
    const why = usersKnown
      ? 'not collected: the profiles and permission sets of the users are unknown'
      : 'not collected: the users are unknown';
    for (const fact of ['profiles', 'permissionSets', 'objectPermissions', 'fieldPermissions']) {
      if (!errors.some((e) => e.fact === fact)) errors.push({ fact, message: why });
    }
  }

  const localObjects = (references: AssetReference[]) => {
    const localNames = new Set(
      (analytics?.connections ?? [])
        .filter((c) => c.type === 'SfdcLocal')
        .map((c) => c.name.toLowerCase()),
    );
    return references
      .filter(
        (r) =>
          !r.connectionName ||
          r.connectionName.toLowerCase() === LOCAL ||
          localNames.has(r.connectionName.toLowerCase()),
      )
      .map((r) => r.object);
  };

  const schemaProblems: [string, string][] = [];
  let objectPermissions: OrgFacts['objectPermissions'] = [];
  let fieldPermissions: OrgFacts['fieldPermissions'] = [];
  const access = accessRowQueries(principals);
  const held = principals.principalOf.size > 0;
  const [, , , jobs, schema] = await Promise.all([
    held
      ? batch([
          {
            fact: 'objectPermissions',
            path: client.queryPath(access.objects),
            query: true,
            apply: (rows) => {
              objectPermissions = objectPermissionsFrom(principals, rows);
            },
          },
          {
            fact: 'fieldPermissions',
            path: client.queryPath(access.fields),
            query: true,
            apply: (rows) => {
              fieldPermissions = fieldPermissionsFrom(principals, rows);
            },
          },
        ])
      : Promise.resolve(),
    step(
      'profiles.loginIpRanges',
      () => collectProfileRestrictions(client, principals.profiles),
      undefined,
    ),
    step(
      'profiles.requiredSessionLevel',
      () => collectSessionLevels(client, principals.profiles),
      undefined,
    ),
    analytics ? step('analytics.jobs', () => collectJobs(client), []) : Promise.resolve([]),
    analytics
      ? step(
          'schema',
          () => collectSchema(client, localObjects(analytics.references), schemaProblems),
          null,
        )
      : Promise.resolve(null),
  ]);
  if (errors.some((e) => e.fact === 'profiles.loginIpRanges')) {
    errors.push({
      fact: 'profiles.loginHours',
      message: 'not collected: the Profile metadata could not be read',
    });
  }
  for (const [fact, message] of [...analyticsProblems, ...schemaProblems])
    errors.push({ fact, message });
  if (!analytics) {
    errors.push({
      fact: 'schema',
      message: 'not collected: the analytics references it depends on are unknown',
    });
  }

  const catalog = await catalogWork;
  return {
    schemaVersion: 1,
    collectedAt: options.now().toISOString(),
    source: 'cli',
    org,
    settings: {
      enforceIpRangesEveryRequest: enforceIp,
      profileFilteringEnabled: profileFiltering,
      apiAccessControlEnabled: apiAccess,
    },
    users,
    profiles: principals.profiles,
    permissionSets: principals.permissionSets,
    objectPermissions,
    fieldPermissions,
    schema: schema === null ? null : { objects: schema },
    analytics: analytics
      ? { ...analytics, jobs, sourceObjects: catalog.sourceObjects, datasets: catalog.datasets }
      : null,
    packageLicenses,
    auditTrail,
    collectionErrors: errors,
    connectedApps: catalog.connectedApps,
    sandboxes: catalog.sandboxes,
  };
}

/** `check --target-org`: the sf CLI's stored auth, Node's HTTP, then collectFacts. */
export async function collectFromTargetOrg(request: LiveRequest): Promise<LiveCollection> {
  const auth = await connectTargetOrg(request.targetOrg, request.apiVersion);
  request.progress(`Connected to ${auth.username} (${auth.instanceUrl}), API ${auth.apiVersion}`);
  const client = new SalesforceClient({
    instanceUrl: auth.instanceUrl,
    accessToken: auth.accessToken,
    apiVersion: auth.apiVersion,
    transport: nodeTransport,
    refreshToken: auth.refresh,
  });
  const facts = await collectFacts(client, {
    orgId: auth.orgId,
    now: request.now,
    progress: request.progress,
  });
  return { facts, requestCount: client.requestCount + auth.requestCount };
}
