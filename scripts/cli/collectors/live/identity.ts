/**
 * The org, the users analytics depends on, and what each holds: profile,
 * permission sets (group-aggregate sets included), permission set licences and
 * package licences: the SOQL, and how its rows become facts. The orchestrator
 * sends independent queries together in composite batches; every query costs one
 * more request per further 2,000 rows.
 */
import type {
  OrgFacts,
  OrgPermissionSet,
  OrgProfile,
  OrgUser,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { INTEGRATION_LICENSE } from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import type { SalesforceClient } from './salesforceClient';

type Row = Record<string, unknown>;

/** `'a','b'` for a SOQL IN list; ids and names are quoted and escaped. */
export function soqlList(values: string[]): string {
  return values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(',');
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const nested = (row: Row, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Row)[key] : undefined), row);

export const ORG_QUERY = 'SELECT Id, Name, IsSandbox FROM Organization';

export function orgFromRecords(rows: Row[]): OrgFacts['org'] {
  const [org] = rows;
  if (!org) throw new Error('the Organization query returned no row');
  return {
    id: str(org.Id),
    name: str(org.Name),
    isSandbox: typeof org.IsSandbox === 'boolean' ? org.IsSandbox : null,
  };
}

/** Users on the integration licence or with a reserved system-user prefix (ORG-FACTS "Which users"). */
export const USER_QUERY =
  'SELECT Id, Username, Name, IsActive, ProfileId, Profile.UserLicense.Name FROM User ' +
  `WHERE Profile.UserLicense.Name = '${INTEGRATION_LICENSE}' OR Username LIKE 'integration@%' ` +
  "OR Username LIKE 'security@%' OR Username LIKE 'insightssecurity@%'";

export function usersFromRecords(rows: Row[]): OrgUser[] {
  return rows.map((row) => ({
    id: str(row.Id),
    username: str(row.Username),
    name: str(row.Name),
    isActive: row.IsActive === true,
    isFrozen: null,
    userLicense: str(nested(row, 'Profile.UserLicense.Name')),
    profileId: str(row.ProfileId),
    permissionSetIds: [],
    permissionSetLicenses: [],
    packageLicenseNamespaces: [],
  }));
}

/** Queries about the collected users, sent together in one composite batch. */
export function userDetailQueries(users: OrgUser[]) {
  const ids = soqlList(users.map((u) => u.id));
  return {
    frozen: `SELECT UserId, IsFrozen FROM UserLogin WHERE UserId IN (${ids})`,
    permissionSetLicences: `SELECT AssigneeId, PermissionSetLicense.MasterLabel FROM PermissionSetLicenseAssign WHERE AssigneeId IN (${ids})`,
    packageLicences: `SELECT UserId, PackageLicense.NamespacePrefix FROM UserPackageLicense WHERE UserId IN (${ids})`,
    assignments: `SELECT AssigneeId, PermissionSetId, PermissionSet.IsOwnedByProfile FROM PermissionSetAssignment WHERE AssigneeId IN (${ids})`,
  };
}

/** UserLogin.IsFrozen for each user; a user without a UserLogin row stays unknown. */
export function applyFrozen(users: OrgUser[], rows: Row[]): void {
  const frozen = new Map(rows.map((r) => [str(r.UserId), r.IsFrozen === true]));
  for (const user of users) user.isFrozen = frozen.get(user.id) ?? null;
}

export function applyPermissionSetLicences(users: OrgUser[], rows: Row[]): void {
  const byId = new Map(users.map((u) => [u.id, u]));
  for (const row of rows) {
    byId
      .get(str(row.AssigneeId))
      ?.permissionSetLicenses.push(str(nested(row, 'PermissionSetLicense.MasterLabel')));
  }
}

export function applyPackageLicences(users: OrgUser[], rows: Row[]): void {
  const byId = new Map(users.map((u) => [u.id, u]));
  for (const row of rows) {
    byId
      .get(str(row.UserId))
      ?.packageLicenseNamespaces.push(str(nested(row, 'PackageLicense.NamespacePrefix')));
  }
}

export const PACKAGE_LICENSE_QUERY =
  'SELECT NamespacePrefix, Status, AllowedLicenses FROM PackageLicense';

export function packageLicensesFromRecords(rows: Row[]): OrgFacts['packageLicenses'] {
  return rows.map((row) => ({
    namespace: str(row.NamespacePrefix),
    status: str(row.Status),
    allowedLicenses: typeof row.AllowedLicenses === 'number' ? row.AllowedLicenses : 0,
  }));
}

export interface Principals {
  profiles: OrgProfile[];
  permissionSets: OrgPermissionSet[];
  /** Permission set id (the profile's own set too) → principal id in the facts. */
  principalOf: Map<string, string>;
}

/** `Permissions…` checkbox fields of PermissionSet, from its describe. */
export function permissionFieldsFromDescribe(describe: Row): string[] {
  const fields = Array.isArray(describe.fields) ? (describe.fields as Row[]) : [];
  return fields
    .filter(
      (f) => f.type === 'boolean' && typeof f.name === 'string' && f.name.startsWith('Permissions'),
    )
    .map((f) => f.name as string);
}

/** Long field lists are split so each SOQL URL stays well under the REST URL limit. */
const FIELDS_PER_QUERY = 150;

/**
 * Assignments, then every assigned set with its enabled permissions. A profile is
 * its own permission set (IsOwnedByProfile): its permissions come from there.
 */
export async function collectPrincipals(
  client: SalesforceClient,
  users: OrgUser[],
  permissionFields: string[],
  assignments: Row[],
): Promise<Principals> {
  const principals: Principals = { profiles: [], permissionSets: [], principalOf: new Map() };
  if (users.length === 0) return principals;
  const byId = new Map(users.map((u) => [u.id, u]));
  const setIds = new Set<string>();
  for (const row of assignments) {
    const setId = str(row.PermissionSetId);
    setIds.add(setId);
    if (nested(row, 'PermissionSet.IsOwnedByProfile') !== true) {
      byId.get(str(row.AssigneeId))?.permissionSetIds.push(setId);
    }
  }
  // Profiles of users whose own set did not come back as an assignment.
  const profileIds = [...new Set(users.map((u) => u.profileId))];
  // Every user has a profile, so the ProfileId clause is never empty; the Id clause may be.
  const where = [
    setIds.size > 0 ? `Id IN (${soqlList([...setIds])})` : '',
    `ProfileId IN (${soqlList(profileIds)})`,
  ]
    .filter(Boolean)
    .join(' OR ');
  const chunks: string[][] = [];
  for (let i = 0; i < permissionFields.length; i += FIELDS_PER_QUERY) {
    chunks.push(permissionFields.slice(i, i + FIELDS_PER_QUERY));
  }
  if (chunks.length === 0) chunks.push([]);
  const sets = new Map<string, { row: Row; enabled: string[] }>();
  const answers = await Promise.all(
    chunks.map((fields, index) => {
      const base =
        index === 0
          ? 'Id, Name, Label, Type, IsOwnedByProfile, IsCustom, ProfileId, Profile.Name, Profile.UserLicense.Name'
          : 'Id';
      return client.query(
        `SELECT ${[base, ...fields].join(', ')} FROM PermissionSet WHERE ${where}`,
      );
    }),
  );
  for (const [index, rows] of answers.entries()) {
    const fields = chunks[index];
    for (const row of rows) {
      const entry = sets.get(str(row.Id)) ?? { row, enabled: [] };
      sets.set(str(row.Id), entry);
      for (const field of fields) {
        if (row[field] === true) entry.enabled.push(field.slice('Permissions'.length));
      }
    }
  }
  for (const [id, { row, enabled }] of sets) {
    if (row.IsOwnedByProfile === true) {
      const profileId = str(row.ProfileId);
      principals.principalOf.set(id, profileId);
      principals.profiles.push({
        id: profileId,
        name: str(nested(row, 'Profile.Name')),
        isCustom: row.IsCustom === true,
        userLicense: str(nested(row, 'Profile.UserLicense.Name')),
        requiredSessionLevel: null,
        loginIpRanges: null,
        loginHours: null,
        userPermissions: enabled,
      });
    } else {
      principals.principalOf.set(id, id);
      principals.permissionSets.push({
        id,
        name: str(row.Name),
        label: str(row.Label),
        type: str(row.Type).toLowerCase() === 'group' ? 'group' : 'permissionSet',
        userPermissions: enabled,
      });
    }
  }
  return principals;
}

/** Object and field permission queries over the collected principals' sets. */
export function accessRowQueries(principals: Principals) {
  const list = soqlList([...principals.principalOf.keys()]);
  return {
    objects: `SELECT ParentId, SobjectType, PermissionsRead, PermissionsViewAllRecords FROM ObjectPermissions WHERE ParentId IN (${list})`,
    fields: `SELECT ParentId, Field, PermissionsRead FROM FieldPermissions WHERE ParentId IN (${list})`,
  };
}

/** Rows keyed by principal: a profile's own set becomes the profile id. */
const principalOf = (principals: Principals, row: Row) =>
  principals.principalOf.get(str(row.ParentId)) ?? str(row.ParentId);

export function objectPermissionsFrom(
  principals: Principals,
  rows: Row[],
): OrgFacts['objectPermissions'] {
  return rows.map((row) => ({
    principalId: principalOf(principals, row),
    object: str(row.SobjectType),
    read: row.PermissionsRead === true,
    viewAll: row.PermissionsViewAllRecords === true,
  }));
}

export function fieldPermissionsFrom(
  principals: Principals,
  rows: Row[],
): OrgFacts['fieldPermissions'] {
  return rows.map((row) => ({
    principalId: principalOf(principals, row),
    field: str(row.Field),
    read: row.PermissionsRead === true,
  }));
}

export const AUDIT_QUERY =
  'SELECT CreatedDate, Action, Section, Display, CreatedBy.Username FROM SetupAuditTrail WHERE CreatedDate = LAST_N_DAYS:30 ORDER BY CreatedDate DESC';

export function auditFromRecords(rows: Row[]): NonNullable<OrgFacts['auditTrail']> {
  return rows.map((row) => {
    const createdBy = nested(row, 'CreatedBy.Username');
    return {
      createdAt: new Date(str(row.CreatedDate)).toISOString(),
      action: str(row.Action),
      section: typeof row.Section === 'string' ? row.Section : null,
      display: str(row.Display),
      ...(typeof createdBy === 'string' ? { createdBy } : {}),
    };
  });
}
