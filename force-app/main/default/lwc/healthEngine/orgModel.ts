/**
 * Indexes over one org snapshot: roles of the analytics users, effective access
 * (profile ∪ assigned permission sets), and the views rule conditions read.
 *
 * Built once per evaluation; every lookup a rule makes per subject is a map or
 * set probe, so a million field-permission rows cost one pass here and nothing
 * per rule.
 */
import { Unknown } from './jsonLogic';
import type {
  AssetReference,
  Connection,
  OrgFacts,
  OrgProfile,
  OrgPermissionSet,
  OrgUser,
  PackageLicense,
  SObjectField,
  SObjectInfo,
} from './orgFacts';

export const INTEGRATION_LICENSE = 'Analytics Cloud Integration User';
export const LOCAL_CONNECTION_TYPE = 'SfdcLocal';
/** The type shown for a connection a reference names but the facts do not hold. */
export const UNKNOWN_CONNECTION_TYPE = 'unknown';

export type Role = 'integrationUser' | 'securityUser' | 'customIntegrationUser' | 'other';

/**
 * The key under which a field view keeps its slot (see OrgModel.fieldSlot), -1 for
 * a field the schema does not describe. A symbol, so neither a rule's `var` nor a
 * report's JSON ever sees it.
 */
export const FIELD_SLOT: unique symbol = Symbol('fieldSlot');

/** Salesforce ids compare on their first 15 characters (the case-safe suffix is redundant). */
export function idKey(id: string): string {
  return id.slice(0, 15);
}

const ID_SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The other form of an id: the 18-character form of a 15-character id (its checksum suffix:
 * per 5-character chunk, bit i set when character i is an upper-case letter), the first 15
 * characters of an 18-character one; undefined for text that is not an id.
 */
export function otherIdForm(id: string): string | undefined {
  if (/^[A-Za-z0-9]{18}$/.test(id)) return id.slice(0, 15);
  if (!/^[A-Za-z0-9]{15}$/.test(id)) return undefined;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') flags |= 1 << i;
    }
    suffix += ID_SUFFIX.charAt(flags);
  }
  return id + suffix;
}

/** What a condition sees of a profile. Unknown facts are Unknown values, never null. */
export interface ProfileView {
  id: string;
  name: string;
  isCustom: boolean;
  userLicense: string;
  requiredSessionLevel: string | Unknown;
  loginIpRanges: OrgProfile['loginIpRanges'] | Unknown;
  loginHours: OrgProfile['loginHours'] | Unknown;
  userPermissions: string[] | Unknown;
}

/** What a condition sees of a user. */
export interface UserView {
  id: string;
  username: string;
  name: string;
  isActive: boolean;
  isFrozen: boolean | Unknown;
  userLicense: string;
  role: Role;
  /** The role as an admin reads it: "Integration User", "Security User", ... */
  roleLabel: string;
  holdsReservedUsername: boolean;
  profile: ProfileView | Unknown;
  permissionSets: { id: string; name: string; label: string; type: string }[] | Unknown;
  permissionSetLicenses: string[];
  packageLicenseNamespaces: string[];
}

interface ObjectAccess {
  read: boolean;
  viewAll: boolean;
}

/** Who reads a reference, or why that cannot be said. */
export type RunningUser =
  | { kind: 'user'; user: OrgUser }
  | { kind: 'external'; connection: Connection }
  | { kind: 'unknown'; reason: string };

const ROLE_LABELS: Record<Role, string> = {
  integrationUser: 'Integration User',
  securityUser: 'Security User',
  customIntegrationUser: 'custom integration user',
  other: 'user',
};

const RESERVED_PREFIXES = ['integration@', 'security@', 'insightssecurity@'];

/** Whether one user reads a field, given as "Object.Field" (any case) and its slot if known. */
export type FieldReader = (field: string, slot?: number) => boolean | Unknown;

/** The fields one user reads through field permissions, as readableFields gives them. */
export interface ReadableFields {
  /** Lower-case names of the described objects with at least one described field read. */
  readonly objects: ReadonlySet<string>;
  /** Whether the user reads the described field at this slot (see OrgModel.fieldSlot). */
  hasAt(slot: number): boolean;
}

/** A schema index the read sets consult: lower-case object → field names → slots. */
interface SlotIndex {
  /** Lower-case field name → slot. */
  lowerCase(object: string): ReadonlyMap<string, number> | undefined;
  /** Field name as the schema writes it → slot: rows usually write names that way. */
  asWritten(object: string): ReadonlyMap<string, number> | undefined;
}

/**
 * The fields one user reads. A described field is one bit by its slot; a field the schema
 * does not describe is kept by its lower-case names. Rows and questions come object by
 * object, usually in the case the schema uses: the last object's indexes are kept at hand,
 * and a name written as the schema writes it is found without a lower-case copy.
 */
class FieldReads implements ReadableFields {
  readonly objects = new Set<string>();
  /** 1 at the slot of each described field a row grants (see OrgModel.fieldSlot). */
  private readonly readable: Uint8Array;
  /** Rows on fields the schema does not describe: lower-case object → lower-case field names. */
  private readonly undescribed = new Map<string, Set<string>>();
  private readonly slots: SlotIndex;
  // The object of the last field added or asked about: its prefix ("Object.") and indexes.
  private lastPrefix = '';
  private lastObject = '';
  private lastLowerCase: ReadonlyMap<string, number> | undefined;
  private lastAsWritten: ReadonlyMap<string, number> | undefined;

  constructor(slotCount: number, slots: SlotIndex) {
    this.readable = new Uint8Array(slotCount);
    this.slots = slots;
  }

  /** Points the last-object indexes at the object of `field` (its "." at `dot`). */
  private atObjectOf(field: string, dot: number): void {
    if (dot >= 0 && this.lastPrefix.length === dot + 1 && field.startsWith(this.lastPrefix)) {
      return;
    }
    const object = dot < 0 ? '' : field.slice(0, dot).toLowerCase();
    this.lastPrefix = dot < 0 ? '' : field.slice(0, dot + 1);
    this.lastObject = object;
    this.lastLowerCase = this.slots.lowerCase(object);
    this.lastAsWritten = this.lastLowerCase ? this.slots.asWritten(object) : undefined;
  }

  /** The slot of `name` in the last object; undefined when the schema does not describe it. */
  private slotOf(name: string): number | undefined {
    return this.lastAsWritten?.get(name) ?? this.lastLowerCase?.get(name.toLowerCase());
  }

  add(field: string): void {
    const dot = field.indexOf('.');
    this.atObjectOf(field, dot);
    const name = field.slice(dot + 1);
    const slot = this.slotOf(name);
    if (slot !== undefined) {
      if (this.readable[slot] === 0) {
        this.readable[slot] = 1;
        this.objects.add(this.lastObject);
      }
      return;
    }
    let names = this.undescribed.get(this.lastObject);
    if (!names) {
      names = new Set();
      this.undescribed.set(this.lastObject, names);
    }
    names.add(name.toLowerCase());
  }

  /** A described field, by its slot: one array read. */
  hasAt(slot: number): boolean {
    return this.readable[slot] === 1;
  }

  /** A field given as "Object.Field" in any case: by its slot when described, else by name. */
  has(field: string): boolean {
    const dot = field.indexOf('.');
    this.atObjectOf(field, dot);
    const name = field.slice(dot + 1);
    const slot = this.slotOf(name);
    if (slot !== undefined) return this.readable[slot] === 1;
    return this.undescribed.get(this.lastObject)?.has(name.toLowerCase()) ?? false;
  }
}

export class OrgModel {
  readonly facts: OrgFacts;
  readonly collectedAtMs: number;
  readonly integrationUser: OrgUser | undefined;
  readonly securityUser: OrgUser | undefined;
  readonly customIntegrationUsers: OrgUser[];

  private readonly usersByKey = new Map<string, OrgUser>();
  private readonly profilesByKey = new Map<string, OrgProfile>();
  private readonly permissionSetsByKey = new Map<string, OrgPermissionSet>();
  private readonly roles = new Map<string, Role>();
  private readonly objectAccess = new Map<string, Map<string, ObjectAccess>>();
  private licensesByNamespace: Map<string, PackageLicense> | undefined;
  private readonly licenseNamespacesByUser = new Map<OrgUser, Set<string>>();
  /** Each user's access to an object, over all its principals, by the object name as asked. */
  private readonly objectAccessByUser = new Map<OrgUser, Map<string, ObjectAccess>>();
  /** Field names each principal reads, bucketed on first need (see fieldReadsOf). */
  private fieldReadRows: Map<string, string[]> | undefined;
  private readonly readableByUser = new Map<OrgUser, FieldReads>();
  private readonly fieldReaders = new Map<OrgUser, FieldReader | Unknown>();
  private readonly usersByRawId = new Map<string, OrgUser | undefined>();
  private lastRawId: string | undefined;
  private lastUser: OrgUser | undefined;
  private readonly connectionsByName = new Map<string, Connection>();
  private readonly schemaObjects = new Map<string, SObjectInfo>();
  /** Lower-case object → lower-case field → slot: the field's place in schemaFieldList. */
  private readonly schemaFields = new Map<string, Map<string, number>>();
  private readonly schemaFieldList: SObjectField[] = [];
  /** Lower-case object → field name as the schema writes it → slot, made per object on need. */
  private readonly schemaFieldsAsWritten = new Map<string, Map<string, number>>();
  private readonly slotIndex: SlotIndex = {
    lowerCase: (object) => this.schemaFields.get(object),
    asWritten: (object) => this.fieldSlotsAsWritten(object),
  };
  private readonly userViews = new Map<string, UserView>();
  private readonly profileViews = new Map<string, ProfileView>();
  private readonly permissionCache = new Map<OrgUser, Set<string> | Unknown>();
  private readonly principalCache = new Map<OrgUser, string[] | Unknown>();
  private readonly reservedUsernames: Set<string>;
  private readonly unknownParts = new Map<string, Unknown | undefined>();
  /** Id keys of the connections' run-as users. */
  private readonly runAsKeys: Set<string>;
  /**
   * Why run-as users beyond the known ones may exist (analytics: null leaves the connections
   * unknown), or undefined when every custom integration user is known.
   */
  readonly unknownRunAsUsers: Unknown | undefined;

  constructor(facts: OrgFacts) {
    this.facts = facts;
    this.collectedAtMs = Date.parse(facts.collectedAt);
    for (const user of facts.users) this.usersByKey.set(idKey(user.id), user);
    for (const profile of facts.profiles) this.profilesByKey.set(idKey(profile.id), profile);
    for (const set of facts.permissionSets) this.permissionSetsByKey.set(idKey(set.id), set);
    this.indexPermissions();
    for (const connection of facts.analytics?.connections ?? []) {
      this.connectionsByName.set(connection.name.toLowerCase(), connection);
    }
    for (const object of facts.schema?.objects ?? []) {
      const key = object.name.toLowerCase();
      this.schemaObjects.set(key, object);
      const fields = new Map<string, number>();
      for (const field of object.fields) {
        fields.set(field.name.toLowerCase(), this.schemaFieldList.length);
        this.schemaFieldList.push(field);
      }
      this.schemaFields.set(key, fields);
    }
    // Both forms of the org id, whichever one the facts carry.
    const orgIds = [facts.org.id, otherIdForm(facts.org.id) ?? facts.org.id].map((id) =>
      id.toLowerCase(),
    );
    this.reservedUsernames = new Set(
      RESERVED_PREFIXES.flatMap((prefix) => orgIds.map((id) => `${prefix}${id}.com`)),
    );

    const integration = facts.users.filter((u) => this.baseRole(u) === 'integrationUser');
    const security = facts.users.filter((u) => this.baseRole(u) === 'securityUser');
    this.integrationUser = integration[0];
    this.securityUser = security[0];
    const runAsKeys = new Set(
      (facts.analytics?.connections ?? [])
        .filter((c) => c.runAsUserId !== null)
        .map((c) => idKey(c.runAsUserId as string)),
    );
    this.runAsKeys = runAsKeys;
    for (const user of facts.users) {
      const key = idKey(user.id);
      let role = this.baseRole(user);
      if (role === 'other' && (runAsKeys.has(key) || user.userLicense === INTEGRATION_LICENSE)) {
        role = 'customIntegrationUser';
      }
      this.roles.set(key, role);
    }
    // A Security User that a connection runs as reads data too: it counts as a custom
    // integration user besides keeping its own role (RULES.md v1.1).
    this.customIntegrationUsers = facts.users.filter((u) => {
      const role = this.roles.get(idKey(u.id));
      return (
        role === 'customIntegrationUser' || (role === 'securityUser' && runAsKeys.has(idKey(u.id)))
      );
    });
    this.unknownRunAsUsers =
      facts.analytics === null
        ? this.unknown(
            'analytics',
            'which users the analytics connections run as (custom integration users)',
          )
        : undefined;
  }

  private baseRole(user: OrgUser): Role {
    if (user.userLicense !== INTEGRATION_LICENSE) return 'other';
    const name = user.username.toLowerCase();
    if (name.startsWith('integration@')) return 'integrationUser';
    if (name.startsWith('insightssecurity@') || name.startsWith('security@')) return 'securityUser';
    return 'other';
  }

  private indexPermissions(): void {
    for (const row of this.facts.objectPermissions) {
      const principal = idKey(row.principalId);
      let byObject = this.objectAccess.get(principal);
      if (!byObject) {
        byObject = new Map();
        this.objectAccess.set(principal, byObject);
      }
      const key = row.object.toLowerCase();
      const existing = byObject.get(key);
      byObject.set(key, {
        read: row.read || (existing?.read ?? false),
        viewAll: row.viewAll || (existing?.viewAll ?? false),
      });
    }
  }

  /**
   * The field-permission table is by far the largest fact (a million rows in a
   * big org) and most of it belongs to principals no rule asks about. So it is
   * only bucketed by principal, once, when a rule first asks; names are
   * lower-cased per user, in fieldReads, only for the users asked about.
   */
  private fieldReadsOf(principal: string): string[] {
    if (!this.fieldReadRows) {
      const buckets = new Map<string, string[]>();
      // Each principal id as the rows write it (15 or 18 characters) → its id key's bucket:
      // one lookup per row. The last row's is kept at hand, for tables sorted by principal.
      const byRawId = new Map<string, string[]>();
      let lastId: string | undefined;
      let last: string[] = [];
      // An index loop: this one runs once over a million rows, too soon for the optimising
      // compiler to take over, and an array iterator costs a result object per row until then.
      const rows = this.facts.fieldPermissions;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        if (!row.read) continue;
        if (row.principalId !== lastId) {
          lastId = row.principalId;
          let bucket = byRawId.get(lastId);
          if (!bucket) {
            const key = idKey(lastId);
            bucket = buckets.get(key);
            if (!bucket) {
              bucket = [];
              buckets.set(key, bucket);
            }
            byRawId.set(lastId, bucket);
          }
          last = bucket;
        }
        last.push(row.field);
      }
      this.fieldReadRows = buckets;
    }
    return this.fieldReadRows.get(principal) ?? [];
  }

  /** The fields a user reads, over all its principals. */
  private fieldReads(user: OrgUser, principals: string[]): FieldReads {
    let reads = this.readableByUser.get(user);
    if (!reads) {
      reads = new FieldReads(this.schemaFieldList.length, this.slotIndex);
      for (const principal of principals) {
        for (const field of this.fieldReadsOf(principal)) reads.add(field);
      }
      this.readableByUser.set(user, reads);
    }
    return reads;
  }

  /** An Unknown whose reason names the fact and any collector error recorded for it. */
  unknown(fact: string, what: string): Unknown {
    const root = fact.split('.')[0];
    const errors = this.facts.collectionErrors
      .filter((e) => e.fact === fact || e.fact === root || fact.startsWith(`${e.fact}.`))
      .map((e) => e.message);
    const why = errors.length > 0 ? errors.join('; ') : `${fact} is null in the facts`;
    return new Unknown(`${what} is unknown: ${why}`);
  }

  user(id: string): OrgUser | undefined {
    // Rules look the same few ids up for every subject: remember each id as written.
    if (id === this.lastRawId) return this.lastUser;
    let user = this.usersByRawId.get(id);
    if (user === undefined && !this.usersByRawId.has(id)) {
      user = this.usersByKey.get(idKey(id));
      this.usersByRawId.set(id, user);
    }
    this.lastRawId = id;
    this.lastUser = user;
    return user;
  }

  profile(id: string): OrgProfile | undefined {
    return this.profilesByKey.get(idKey(id));
  }

  roleOf(user: OrgUser): Role {
    return this.roles.get(idKey(user.id)) ?? 'other';
  }

  isSystemUser(user: OrgUser): boolean {
    const role = this.roleOf(user);
    return role === 'integrationUser' || role === 'securityUser';
  }

  isIntegrationUser(user: OrgUser): boolean {
    const role = this.roleOf(user);
    return (
      role === 'integrationUser' ||
      role === 'customIntegrationUser' ||
      (role === 'securityUser' && this.runAsKeys.has(idKey(user.id)))
    );
  }

  /** A principal (profile or permission set) of the facts, by id key. */
  private principal(key: string): OrgProfile | OrgPermissionSet | undefined {
    return this.profilesByKey.get(key) ?? this.permissionSetsByKey.get(key);
  }

  /**
   * Why one of these principals' permissions or rows are unknown (v1.1 per-principal unknowns),
   * or undefined when all are known. `part` picks userPermissions, object rows or field rows.
   */
  private unknownPart(
    principals: readonly string[],
    part: 'permissions' | 'object' | 'field',
    user: OrgUser,
  ): Unknown | undefined {
    // Asked once per subject (every referenced object): answered once per user and part.
    const cacheKey = `${part}|${idKey(user.id)}`;
    if (this.unknownParts.has(cacheKey)) return this.unknownParts.get(cacheKey);
    const found = this.findUnknownPart(principals, part, user);
    this.unknownParts.set(cacheKey, found);
    return found;
  }

  private findUnknownPart(
    principals: readonly string[],
    part: 'permissions' | 'object' | 'field',
    user: OrgUser,
  ): Unknown | undefined {
    for (const key of principals) {
      const holder = this.principal(key);
      if (!holder) continue;
      const unknown =
        part === 'permissions'
          ? holder.userPermissions === null
          : holder.rowsCollected?.[part] === false;
      if (!unknown) continue;
      const what =
        part === 'permissions'
          ? 'permissions'
          : part === 'object'
            ? 'object permissions'
            : 'field permissions';
      const kind = this.profilesByKey.has(key) ? 'profile' : 'permission set';
      return this.unknown(
        `${kind === 'profile' ? 'profiles' : 'permissionSets'}.${
          part === 'permissions' ? 'userPermissions' : 'rowsCollected'
        }`,
        `the ${what} of ${user.username} through its ${kind} ${holder.name}`,
      );
    }
    return undefined;
  }

  /** Profile + permission set ids of a user, or why they are not all in the facts. */
  principals(user: OrgUser): string[] | Unknown {
    const cached = this.principalCache.get(user);
    if (cached) return cached;
    let result: string[] | Unknown;
    if (!this.profilesByKey.has(idKey(user.profileId))) {
      result = new Unknown(
        `the access of ${user.username} is unknown: its profile ${user.profileId} is not in the facts`,
      );
    } else {
      const missing = user.permissionSetIds.filter(
        (id) => !this.permissionSetsByKey.has(idKey(id)),
      );
      result =
        missing.length > 0
          ? new Unknown(
              `the access of ${user.username} is unknown: permission set(s) ${missing.join(', ')} are not in the facts`,
            )
          : [user.profileId, ...user.permissionSetIds].map(idKey);
    }
    this.principalCache.set(user, result);
    return result;
  }

  /** Effective user permissions (lower case): the profile's plus every assigned set's. */
  permissions(user: OrgUser): Set<string> | Unknown {
    const cached = this.permissionCache.get(user);
    if (cached) return cached;
    const principals = this.principals(user);
    let result: Set<string> | Unknown;
    if (principals instanceof Unknown) {
      result = principals;
    } else {
      result = new Set<string>();
      for (const principal of principals) {
        const holder = this.profilesByKey.get(principal) ?? this.permissionSetsByKey.get(principal);
        // null: unknown for this principal; hasPermission says so when no other grants it.
        for (const name of holder?.userPermissions ?? []) result.add(name.toLowerCase());
      }
    }
    this.permissionCache.set(user, result);
    return result;
  }

  /** True when a known principal grants it; Unknown when none does and one's list is unknown. */
  hasPermission(user: OrgUser, permission: string): boolean | Unknown {
    const permissions = this.permissions(user);
    if (permissions instanceof Unknown) return permissions;
    if (permissions.has(permission.toLowerCase())) return true;
    return this.unknownPart(this.principals(user) as string[], 'permissions', user) ?? false;
  }

  hasObjectPermission(user: OrgUser, object: string, which: 'read' | 'viewAll'): boolean | Unknown {
    const principals = this.principals(user);
    if (principals instanceof Unknown) return principals;
    // Rules ask about each object more than once (read, then view all): one union of the
    // user's principals per object, found again by the name as written.
    let byName = this.objectAccessByUser.get(user);
    if (!byName) {
      byName = new Map();
      this.objectAccessByUser.set(user, byName);
    }
    let access = byName.get(object);
    if (!access) {
      const key = object.toLowerCase();
      access = { read: false, viewAll: false };
      for (const principal of principals) {
        const granted = this.objectAccess.get(principal)?.get(key);
        if (granted?.read) access.read = true;
        if (granted?.viewAll) access.viewAll = true;
      }
      byName.set(object, access);
    }
    if (access[which]) return true;
    return this.unknownPart(principals, 'object', user) ?? false;
  }

  /**
   * The first package licence of a namespace (any case). Undefined when there is none,
   * or when the licences were not collected (facts.packageLicenses is null).
   */
  packageLicense(namespace: string): PackageLicense | undefined {
    if (!this.licensesByNamespace) {
      this.licensesByNamespace = new Map();
      for (const license of this.facts.packageLicenses ?? []) {
        const key = license.namespace.toLowerCase();
        if (!this.licensesByNamespace.has(key)) this.licensesByNamespace.set(key, license);
      }
    }
    return this.licensesByNamespace.get(namespace.toLowerCase());
  }

  /** Whether the user is assigned a licence of the namespace (any case). */
  holdsLicenseOf(user: OrgUser, namespace: string): boolean {
    let held = this.licenseNamespacesByUser.get(user);
    if (!held) {
      held = new Set(user.packageLicenseNamespaces.map((n) => n.toLowerCase()));
      this.licenseNamespacesByUser.set(user, held);
    }
    return held.has(namespace.toLowerCase());
  }

  /**
   * Whether field permissions let the user read a field ("Object.Field", any case),
   * for one user and many fields. Given the field's slot (a field view carries it),
   * the answer is one array read.
   */
  fieldReader(user: OrgUser): FieldReader | Unknown {
    let reader = this.fieldReaders.get(user);
    if (reader === undefined) {
      const principals = this.principals(user);
      if (principals instanceof Unknown) {
        reader = principals;
      } else {
        const reads = this.fieldReads(user, principals);
        // A grant from a known row decides; else a principal whose rows are unknown leaves it open.
        const rowsUnknown = this.unknownPart(principals, 'field', user);
        reader = (field, slot) =>
          (slot === undefined || slot < 0 ? reads.has(field) : reads.hasAt(slot)) ||
          (rowsUnknown ?? false);
      }
      this.fieldReaders.set(user, reader);
    }
    return reader;
  }

  /**
   * The slot of a described field (its place among all the schema's fields), or -1:
   * the same number the per-user read sets use, found with the same lookups.
   */
  fieldSlot(object: string, field: string): number {
    return this.schemaFields.get(object.toLowerCase())?.get(field.toLowerCase()) ?? -1;
  }

  fieldAt(slot: number): SObjectField | undefined {
    return slot < 0 ? undefined : this.schemaFieldList[slot];
  }

  /** The slots of a described object's fields, by lower-case field name; the object in lower case. */
  fieldSlotsOf(objectKey: string): ReadonlyMap<string, number> | undefined {
    return this.schemaFields.get(objectKey);
  }

  /**
   * The same slots by each field's name as the schema writes it (the name of the field at the
   * slot, so a name in another case still finds the slot its lower-case form gives).
   */
  private fieldSlotsAsWritten(objectKey: string): ReadonlyMap<string, number> | undefined {
    let slots = this.schemaFieldsAsWritten.get(objectKey);
    if (!slots) {
      const lowerCase = this.schemaFields.get(objectKey);
      if (!lowerCase) return undefined;
      slots = new Map();
      for (const slot of lowerCase.values()) slots.set(this.schemaFieldList[slot].name, slot);
      this.schemaFieldsAsWritten.set(objectKey, slots);
    }
    return slots;
  }

  /** The described fields the user can read through field permissions. */
  readableFields(user: OrgUser): ReadableFields | Unknown {
    const principals = this.principals(user);
    if (principals instanceof Unknown) return principals;
    return this.fieldReads(user, principals);
  }

  /** Why the fields a user reads may be more than its known rows grant, or undefined. */
  unknownFieldRows(user: OrgUser): Unknown | undefined {
    const principals = this.principals(user);
    return principals instanceof Unknown ? principals : this.unknownPart(principals, 'field', user);
  }

  objectInfo(object: string): SObjectInfo | undefined {
    return this.schemaObjects.get(object.toLowerCase());
  }

  fieldInfo(object: string, field: string): SObjectField | undefined {
    return this.fieldAt(this.fieldSlot(object, field));
  }

  /** Who runs the read of a reference: the connection's run-as user, else the Integration User. */
  runningUser(reference: AssetReference): RunningUser {
    let connection: Connection | undefined;
    if (reference.connectionName) {
      connection = this.connectionsByName.get(reference.connectionName.toLowerCase());
      if (!connection && reference.connectionName.toUpperCase() !== 'SFDC_LOCAL') {
        // Any other name not among the connections: listed, never judged (RULES.md v1.1).
        return {
          kind: 'external',
          connection: {
            name: reference.connectionName,
            type: UNKNOWN_CONNECTION_TYPE,
            runAsUserId: null,
          },
        };
      }
    }
    if (connection && connection.type !== LOCAL_CONNECTION_TYPE) {
      return { kind: 'external', connection };
    }
    if (connection && connection.runAsUserId !== null) {
      const user = this.user(connection.runAsUserId);
      return user
        ? { kind: 'user', user }
        : {
            kind: 'unknown',
            reason: `the run-as user ${connection.runAsUserId} of connection ${connection.name} is not in the facts`,
          };
    }
    return this.integrationUser
      ? { kind: 'user', user: this.integrationUser }
      : {
          kind: 'unknown',
          reason: `${reference.assetName} runs as the Integration User, and there is none in the facts`,
        };
  }

  profileView(profile: OrgProfile): ProfileView {
    const key = idKey(profile.id);
    let view = this.profileViews.get(key);
    if (!view) {
      const fact = (name: string) =>
        this.unknown(`profiles.${name}`, `${name} of profile ${profile.name}`);
      view = {
        id: profile.id,
        name: profile.name,
        isCustom: profile.isCustom,
        userLicense: profile.userLicense,
        requiredSessionLevel: profile.requiredSessionLevel ?? fact('requiredSessionLevel'),
        loginIpRanges: profile.loginIpRanges ?? fact('loginIpRanges'),
        loginHours: profile.loginHours ?? fact('loginHours'),
        userPermissions: profile.userPermissions ?? fact('userPermissions'),
      };
      this.profileViews.set(key, view);
    }
    return view;
  }

  userView(user: OrgUser): UserView {
    const key = idKey(user.id);
    let view = this.userViews.get(key);
    if (!view) {
      const profile = this.profile(user.profileId);
      const sets = user.permissionSetIds.map((id) => this.permissionSetsByKey.get(idKey(id)));
      view = {
        id: user.id,
        username: user.username,
        name: user.name ?? user.username,
        isActive: user.isActive,
        isFrozen:
          user.isFrozen ?? this.unknown('users.isFrozen', `whether ${user.username} is frozen`),
        userLicense: user.userLicense,
        role: this.roleOf(user),
        roleLabel: ROLE_LABELS[this.roleOf(user)],
        holdsReservedUsername: this.reservedUsernames.has(user.username.toLowerCase()),
        profile: profile
          ? this.profileView(profile)
          : new Unknown(`the profile ${user.profileId} of ${user.username} is not in the facts`),
        permissionSets: sets.every(Boolean)
          ? (sets as OrgPermissionSet[]).map((s) => ({
              id: s.id,
              name: s.name,
              label: s.label ?? s.name,
              type: s.type,
            }))
          : new Unknown(`some permission sets of ${user.username} are not in the facts`),
        permissionSetLicenses: user.permissionSetLicenses,
        packageLicenseNamespaces: user.packageLicenseNamespaces,
      };
      this.userViews.set(key, view);
    }
    return view;
  }
}
