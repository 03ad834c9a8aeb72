/**
 * The facts catalog v1.1 adds (ORG-FACTS.md): connected apps under API Access Control,
 * the access groups of the sandboxes (read in production), what each local connector
 * can sync, and the row-level security of each dataset. Each of the four is collected
 * on its own: one that fails is null with its reason, the others go on.
 *
 * Requests: one composite batch for the connected apps; one Tooling query for the
 * sandboxes plus one GroupMember query per level of nested groups; one listing of the
 * connectors, one source-object list per local connector and one field list per object
 * that analytics reads through it; one dataset list (paged) and one request per dataset
 * version. All depend on the org, none on the rules.
 */
import type {
  AssetReference,
  ConnectedAppAccess,
  ConnectorSourceObjects,
  DatasetSecurity,
  OrgFacts,
  SandboxAccess,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import type { SalesforceClient } from './salesforceClient';

type Json = Record<string, unknown>;

/** The connected apps CRM Analytics needs under API Access Control (KB 000383975). */
export const ANALYTICS_APPS = ['Insights', 'Wave Web'];

export const CONNECTED_APP_QUERY = `SELECT Id, Name, OptionsAllowAdminApprovedUsersOnly FROM ConnectedApplication WHERE Name IN ('${ANALYTICS_APPS.join("', '")}')`;
/** Every approval of a connected app; the profile behind a profile-owned permission set. */
export const APP_ACCESS_QUERY =
  "SELECT ParentId, SetupEntityId, Parent.IsOwnedByProfile, Parent.ProfileId FROM SetupEntityAccess WHERE SetupEntityType = 'ConnectedApplication'";
export const SANDBOX_QUERY = 'SELECT SandboxName, ActivationUserGroupId FROM SandboxInfo';
/** How deep nested public groups are followed before the members count as unknown. */
export const MAX_GROUP_DEPTH = 10;
const LOCAL_CONNECTOR_TYPE = 'sfdclocal';
const DEFAULT_CONNECTION = 'sfdc_local';

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const id15 = (value: string) => value.slice(0, 15);

/** The connected apps from the two queries' records: a row in ConnectedApplication is installed. */
export function connectedAppsFrom(apps: Json[], access: Json[]): ConnectedAppAccess[] {
  return ANALYTICS_APPS.flatMap((name): ConnectedAppAccess[] => {
    const rows = apps.filter((app) => str(app.Name).toLowerCase() === name.toLowerCase());
    if (rows.length === 0) {
      return [{ name, installed: false, adminApprovedUsersOnly: null, approvedPrincipalIds: [] }];
    }
    return rows.map((app): ConnectedAppAccess => {
      const appId = id15(str(app.Id));
      const approved = access
        .filter((row) => id15(str(row.SetupEntityId)) === appId)
        .map((row) => {
          const parent = (row.Parent ?? {}) as Json;
          // A profile's approval is stored on the permission set the profile owns.
          return parent.IsOwnedByProfile === true && str(parent.ProfileId)
            ? str(parent.ProfileId)
            : str(row.ParentId);
        })
        .filter(Boolean);
      const flag = app.OptionsAllowAdminApprovedUsersOnly;
      return {
        name: str(app.Name),
        installed: true,
        adminApprovedUsersOnly: typeof flag === 'boolean' ? flag : null,
        approvedPrincipalIds: [...new Set(approved)],
      };
    });
  });
}

export async function collectConnectedApps(
  client: SalesforceClient,
): Promise<ConnectedAppAccess[]> {
  const [apps, access] = await client.batchGet([
    client.queryPath(CONNECTED_APP_QUERY),
    client.queryPath(APP_ACCESS_QUERY),
  ]);
  if (apps instanceof Error) throw apps;
  if (access instanceof Error) throw access;
  return connectedAppsFrom(
    await client.remainingRecords(apps),
    await client.remainingRecords(access),
  );
}

const quoteIds = (ids: Iterable<string>) => [...ids].map((id) => `'${id}'`).join(', ');

/**
 * The users of public groups, nested groups expanded level by level (one query per level).
 * A group nested deeper than MAX_GROUP_DEPTH makes the members unknown: throws.
 */
export async function groupMembers(
  client: SalesforceClient,
  groupIds: string[],
): Promise<Map<string, string[]>> {
  // Each group's direct member groups and users, by 15-character id.
  const groups = new Map<string, { users: string[]; groups: string[] }>();
  let pending = [...new Set(groupIds.map(id15))];
  for (let depth = 0; pending.length > 0; depth++) {
    if (depth >= MAX_GROUP_DEPTH) {
      throw new Error(`public groups are nested more than ${MAX_GROUP_DEPTH} levels deep`);
    }
    for (const group of pending) groups.set(group, { users: [], groups: [] });
    // eslint-disable-next-line no-await-in-loop -- each level names the groups the next one reads
    const rows = await client.query(
      `SELECT GroupId, UserOrGroupId FROM GroupMember WHERE GroupId IN (${quoteIds(pending)})`,
    );
    const next = new Set<string>();
    for (const row of rows) {
      const entry = groups.get(id15(str(row.GroupId)));
      const member = str(row.UserOrGroupId);
      if (!entry || !member) continue;
      if (member.startsWith('005')) entry.users.push(member);
      else {
        entry.groups.push(id15(member));
        if (!groups.has(id15(member))) next.add(id15(member));
      }
    }
    pending = [...next];
  }
  const members = new Map<string, string[]>();
  for (const root of groupIds) {
    const seen = new Set<string>();
    const users = new Set<string>();
    const walk = [id15(root)];
    while (walk.length > 0) {
      const group = walk.pop() as string;
      if (seen.has(group)) continue;
      seen.add(group);
      const entry = groups.get(group);
      if (!entry) continue;
      for (const user of entry.users) users.add(user);
      walk.push(...entry.groups);
    }
    members.set(root, [...users]);
  }
  return members;
}

/** The sandboxes of a production org and who can use each after a refresh; [] in a sandbox. */
export async function collectSandboxes(
  client: SalesforceClient,
  isSandbox: boolean | null,
): Promise<SandboxAccess[]> {
  if (isSandbox === true) return [];
  const rows = await client.query(SANDBOX_QUERY, { tooling: true });
  const groupIds = [...new Set(rows.map((row) => str(row.ActivationUserGroupId)).filter(Boolean))];
  const members = groupIds.length > 0 ? await groupMembers(client, groupIds) : new Map();
  return rows.map((row) => {
    const group = str(row.ActivationUserGroupId);
    return {
      name: str(row.SandboxName),
      activationGroupId: group || null,
      memberUserIds: group ? (members.get(group) ?? null) : null,
    };
  });
}

/**
 * What each local connector offers: its source objects (inaccessible ones left out) and,
 * for the objects analytics reads through it, their fields. A field list that cannot be
 * read is null ("not read"); a connector whose object list cannot be read fails the fact.
 */
export async function collectSourceObjects(
  client: SalesforceClient,
  references: AssetReference[],
  progress: (text: string) => void = () => undefined,
): Promise<ConnectorSourceObjects[]> {
  const connectors = await client.wavePages(
    `${client.dataPath}/wave/dataConnectors`,
    'dataConnectors',
  );
  const local = connectors.filter(
    (c) => str(c.connectorType).toLowerCase() === LOCAL_CONNECTOR_TYPE,
  );
  return Promise.all(
    local.map(async (connector) => {
      const name = str(connector.name);
      const base = `${client.dataPath}/wave/dataConnectors/${encodeURIComponent(str(connector.id))}/sourceObjects`;
      const objects = (await client.wavePages(base, 'sourceObjects')).filter(
        (o) => o.accessible !== false && str(o.name),
      );
      const readHere = new Set(
        references
          .filter(
            (r) => (r.connectionName ?? DEFAULT_CONNECTION).toLowerCase() === name.toLowerCase(),
          )
          .map((r) => r.object.toLowerCase()),
      );
      return {
        connectionName: name,
        objects: await Promise.all(
          objects.map(async (object) => {
            const objectName = str(object.name);
            if (!readHere.has(objectName.toLowerCase())) return { name: objectName, fields: null };
            try {
              const result = await client.getJson(
                `${base}/${encodeURIComponent(objectName)}/fields`,
              );
              if (!Array.isArray(result.fields)) throw new Error('no "fields" array');
              const fields = (result.fields as Json[]).map((f) => str(f.name)).filter(Boolean);
              return { name: objectName, fields };
            } catch (error) {
              progress(`  ✗ fields of ${objectName} on ${name}: ${(error as Error).message}`);
              return { name: objectName, fields: null };
            }
          }),
        ),
      };
    }),
  );
}

/** The row-level security of each dataset's current version. */
export async function collectDatasets(client: SalesforceClient): Promise<DatasetSecurity[]> {
  const datasets = await client.wavePages(`${client.dataPath}/wave/datasets`, 'datasets');
  return Promise.all(
    datasets.map(async (dataset): Promise<DatasetSecurity> => {
      const id = str(dataset.id);
      const name = str(dataset.label) || str(dataset.name) || id;
      const versionUrl =
        str(dataset.currentVersionUrl) ||
        (str(dataset.currentVersionId)
          ? `${client.dataPath}/wave/datasets/${encodeURIComponent(id)}/versions/${encodeURIComponent(str(dataset.currentVersionId))}`
          : '');
      if (!versionUrl) return { id, name, predicate: null, sharingSource: null };
      const version = await client.getJson(versionUrl);
      const source = (version.sharingSource ?? null) as Json | null;
      const predicate = str(version.predicate);
      return {
        id,
        name,
        predicate: predicate || null,
        sharingSource: source ? str(source.name) || str(source.label) || null : null,
      };
    }),
  );
}

/** A fact's collection with its own error handling (collectOrg's `step`). */
export type Step = <T>(fact: string, work: () => Promise<T>, fallback: T) => Promise<T>;

export interface CatalogFacts {
  connectedApps: OrgFacts['connectedApps'];
  sandboxes: OrgFacts['sandboxes'];
  sourceObjects: ConnectorSourceObjects[] | null;
  datasets: DatasetSecurity[] | null;
}

/** The four v1.1 facts, side by side; analytics ones only when analytics answered. */
export async function collectCatalogFacts(
  client: SalesforceClient,
  step: Step,
  context: { isSandbox: () => boolean | null; references: AssetReference[] | null },
  progress?: (text: string) => void,
): Promise<CatalogFacts> {
  const { references } = context;
  const [connectedApps, sandboxes, sourceObjects, datasets] = await Promise.all([
    step('connectedApps', () => collectConnectedApps(client), null),
    step('sandboxes', () => collectSandboxes(client, context.isSandbox()), null),
    references === null
      ? Promise.resolve(null)
      : step(
          'analytics.sourceObjects',
          () => collectSourceObjects(client, references, progress),
          null,
        ),
    references === null
      ? Promise.resolve(null)
      : step('analytics.datasets', () => collectDatasets(client), null),
  ]);
  return { connectedApps, sandboxes, sourceObjects, datasets };
}
