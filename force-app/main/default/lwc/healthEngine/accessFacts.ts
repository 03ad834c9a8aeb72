/**
 * Readings of the catalog v1.1 facts (connected apps, sandboxes, connector source
 * objects, dataset security) shared by the subjects and the domain operators.
 * Each function answers from the facts alone; Unknown means a fact it needs was
 * not collected. The Apex engine mirrors them in AnalyticsHealthAccessFacts.
 */
import { Unknown } from './jsonLogic';
import type { DatasetSecurity, OrgFacts, OrgUser } from './orgFacts';
import { idKey } from './orgModel';

/** The object whose fields a predicate reads through `$User.<Field>`. */
export const PREDICATE_OBJECT = 'User';

/** The name a reference without a connection name is read through. */
export const DEFAULT_LOCAL_CONNECTION = 'SFDC_LOCAL';

const USER_FIELD = /\$User\.([A-Za-z][A-Za-z0-9_]*)/g;

/** The User fields a SAQL predicate reads (`$User.Field`), each once (case-insensitive), in order. */
export function predicateUserFields(predicate: string): string[] {
  const seen = new Set<string>();
  const fields: string[] = [];
  for (const match of predicate.matchAll(USER_FIELD)) {
    const key = match[1].toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    fields.push(match[1]);
  }
  return fields;
}

/** Datasets whose predicate is known to be unknown (predicateKnown: false). */
export function predicateUnknown(dataset: DatasetSecurity): boolean {
  return dataset.predicateKnown === false;
}

/** Lower-case names of every User field a known predicate reads: the rows AH027 needs. */
export function predicateFieldKeys(facts: OrgFacts): Set<string> {
  const keys = new Set<string>();
  for (const dataset of facts.analytics?.datasets ?? []) {
    if (predicateUnknown(dataset) || !dataset.predicate) continue;
    for (const field of predicateUserFields(dataset.predicate)) keys.add(field.toLowerCase());
  }
  return keys;
}

/**
 * The apps of `names` that do not let the user's profile or permission sets in, as
 * "Name (reason)"; [] when every one does. Unknown when none is known to be missing
 * and one could not be judged (its approvals or the app list were not collected).
 */
export function connectedAppsNotApproved(
  facts: OrgFacts,
  user: OrgUser,
  names: readonly string[],
  unknownApps: () => Unknown,
): string[] | Unknown {
  const apps = facts.connectedApps;
  if (apps === undefined || apps === null) return unknownApps();
  const principals = new Set([user.profileId, ...user.permissionSetIds].map(idKey));
  const missing: string[] = [];
  let undecided: string | null = null;
  for (const name of names) {
    const wanted = name.toLowerCase();
    const installed = apps.filter((a) => a.name.toLowerCase() === wanted && a.installed);
    if (installed.length === 0) {
      missing.push(`${name} (not installed)`);
      continue;
    }
    if (
      installed.some((a) => (a.approvedPrincipalIds ?? []).some((p) => principals.has(idKey(p))))
    ) {
      continue;
    }
    if (installed.some((a) => a.approvedPrincipalIds === null)) {
      undecided ??= name;
      continue;
    }
    missing.push(`${name} (not approved for the profile or a permission set of ${user.username})`);
  }
  if (missing.length > 0 || undecided === null) return missing;
  return new Unknown(
    `the profiles and permission sets the connected app ${undecided} is approved for are unknown`,
  );
}

/** Lower-case connection → lower-case object → lower-case fields (null: not read). */
export type SourceObjectIndex = Map<string, Map<string, Set<string> | null>>;

export function sourceObjectIndex(facts: OrgFacts): SourceObjectIndex | null {
  const lists = facts.analytics?.sourceObjects;
  if (lists === undefined || lists === null) return null;
  const index: SourceObjectIndex = new Map();
  for (const list of lists) {
    const key = list.connectionName.toLowerCase();
    const objects = index.get(key) ?? new Map<string, Set<string> | null>();
    for (const object of list.objects) {
      const objectKey = object.name.toLowerCase();
      const fields = object.fields === null ? null : object.fields.map((f) => f.toLowerCase());
      // The same object listed twice: the fields of both, known if either is.
      const previous = objects.get(objectKey);
      if (!previous) objects.set(objectKey, fields === null ? null : new Set(fields));
      else if (fields !== null) for (const field of fields) previous.add(field);
    }
    index.set(key, objects);
  }
  return index;
}

/**
 * What the connectors of `connectionNames` do not offer of an object and its fields: the object's
 * name when it is not offered, else `Object.Field` for each field not offered. null when no
 * connector's list decides it (the lists or the object's fields were not read): the catalog's
 * unsupported lists decide then.
 */
export function notOfferedByConnector(
  index: SourceObjectIndex | null,
  connectionNames: readonly (string | null | undefined)[],
  object: string,
  fields: readonly string[],
): string[] | null {
  if (index === null) return null;
  const missing: string[] = [];
  let undecided = false;
  const seen = new Set<string>();
  for (const raw of connectionNames) {
    const connection = (raw || DEFAULT_LOCAL_CONNECTION).toLowerCase();
    if (seen.has(connection)) continue;
    seen.add(connection);
    const objects = index.get(connection);
    if (!objects) {
      undecided = true;
      continue;
    }
    const offered = objects.get(object.toLowerCase());
    if (offered === undefined) {
      if (!missing.includes(object)) missing.push(object);
      continue;
    }
    if (offered === null) {
      undecided = true;
      continue;
    }
    for (const field of fields) {
      const name = `${object}.${field}`;
      if (!offered.has(field.toLowerCase()) && !missing.includes(name)) missing.push(name);
    }
  }
  if (missing.length > 0) return missing;
  return undecided ? null : [];
}

/**
 * Usernames of the Integration and Security users who are not members of a sandbox's access
 * group; [] when it gives access to every user; Unknown when its members are unknown.
 */
export function sandboxMissingSystemUsers(
  sandbox: { activationGroupId: string | null; memberUserIds: string[] | null },
  systemUsers: readonly (OrgUser | undefined)[],
  unknownMembers: () => Unknown,
): string[] | Unknown {
  if (sandbox.activationGroupId === null) return [];
  if (sandbox.memberUserIds === null) return unknownMembers();
  const members = new Set(sandbox.memberUserIds.map(idKey));
  const missing: string[] = [];
  for (const user of systemUsers) {
    if (user && !members.has(idKey(user.id))) missing.push(user.username);
  }
  return missing;
}
