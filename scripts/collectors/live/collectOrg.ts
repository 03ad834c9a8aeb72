/**
 * Collects the org facts of a live org. Areas run side by side where they do not
 * depend on each other; each fact that cannot be collected becomes null (or an
 * empty list where the contract has no null) with the reason in
 * `collectionErrors`, and the run goes on. The number of requests depends on
 * the org (users, assets, rows), never on the number of rules.
 */
import type {
  AssetReference,
  Job,
  OrgFacts,
} from '../../../force-app/main/default/lwc/healthEngine/healthEngine';
import type { LiveCollection, LiveRequest } from '../../cli/analyticsHealth';
import {
  collectConnections,
  collectDataSync,
  collectDataflows,
  collectJobs,
  collectRecipes,
} from './analytics';
import { nodeTransport } from './http';
import {
  collectAccessRows,
  collectAuditTrail,
  collectFrozen,
  collectLicences,
  collectOrgInfo,
  collectPackageLicenses,
  collectPrincipals,
  collectUsers,
  permissionFieldNames,
  type Principals,
} from './identity';
import { collectProfileRestrictions, collectSessionLevels, collectSetting } from './orgMetadata';
import { SalesforceClient } from './salesforceClient';
import { collectSchema } from './schema';
import { connectTargetOrg } from './sfAuth';

export interface CollectOptions {
  /** Org id known from the auth, used if the Organization query fails. */
  orgId: string;
  now: () => Date;
  progress: (text: string) => void;
}

const LOCAL = 'sfdc_local';

export async function collectFacts(
  client: SalesforceClient,
  options: CollectOptions,
): Promise<OrgFacts> {
  const errors: OrgFacts['collectionErrors'] = [];
  const step = async <T>(fact: string, work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      const value = await work();
      options.progress(`  ✓ ${fact} (${client.requestCount} requests so far)`);
      return value;
    } catch (error) {
      errors.push({ fact, message: (error as Error).message });
      options.progress(`  ✗ ${fact}: ${(error as Error).message}`);
      return fallback;
    }
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

  const [
    org,
    users,
    packageLicenses,
    auditTrail,
    enforceIp,
    profileFiltering,
    apiAccess,
    analytics,
    permissionFields,
  ] = await Promise.all([
    step('org', () => collectOrgInfo(client), {
      id: options.orgId,
      isSandbox: null,
    } as OrgFacts['org']),
    step('users', () => collectUsers(client), []),
    step('packageLicenses', () => collectPackageLicenses(client), null),
    step('auditTrail', () => collectAuditTrail(client), null),
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
    step('permissionSets', () => permissionFieldNames(client), [] as string[]),
  ]);

  const emptyPrincipals: Principals = { profiles: [], permissionSets: [], principalOf: new Map() };
  const [, , principals] = await Promise.all([
    step('users.isFrozen', () => collectFrozen(client, users), undefined),
    step('users.permissionSetLicenses', () => collectLicences(client, users), undefined),
    permissionFields.length > 0 || users.length === 0
      ? step('profiles', () => collectPrincipals(client, users, permissionFields), emptyPrincipals)
      : Promise.resolve(emptyPrincipals),
  ]);
  if (permissionFields.length === 0 && users.length > 0) {
    errors.push({
      fact: 'profiles',
      message: 'the PermissionSet describe failed, so no permissions could be read',
    });
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
  const [access, , , jobs, schema] = await Promise.all([
    step('objectPermissions', () => collectAccessRows(client, principals), {
      objectPermissions: [],
      fieldPermissions: [],
    }),
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
  if (errors.some((e) => e.fact === 'objectPermissions')) {
    errors.push({
      fact: 'fieldPermissions',
      message: 'not collected: the permission rows could not be read',
    });
  }
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
    objectPermissions: access.objectPermissions,
    fieldPermissions: access.fieldPermissions,
    schema: schema === null ? null : { objects: schema },
    analytics: analytics ? { ...analytics, jobs } : null,
    packageLicenses,
    auditTrail,
    collectionErrors: errors,
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
