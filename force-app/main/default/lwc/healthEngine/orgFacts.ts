/**
 * Org facts v1: the one document every collector writes and every engine reads.
 * `null` means "not collected"; an empty array means "collected, none found".
 *
 * `validateOrgFacts` checks a parsed JSON value against these types and names
 * the JSON path of the first bad value, so a broken snapshot is rejected with a
 * message an admin can act on. It checks shape, not meaning: an IP address
 * string that does not parse is well-typed and becomes an ERROR finding later.
 */

export type Day =
  'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
export const DAYS: readonly Day[] = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];

/** Minutes after midnight in the org's time zone; a day absent means no restriction that day. */
export type LoginHours = Partial<Record<Day, { start: number; end: number }>>;

export interface IpRange {
  start: string;
  end: string;
  description?: string;
}

export interface OrgUser {
  id: string;
  username: string;
  name?: string;
  isActive: boolean;
  isFrozen: boolean | null;
  userLicense: string;
  profileId: string;
  permissionSetIds: string[];
  permissionSetLicenses: string[];
  packageLicenseNamespaces: string[];
}

export type SessionLevel = 'NONE' | 'STANDARD' | 'HIGH_ASSURANCE';

export interface OrgProfile {
  id: string;
  name: string;
  isCustom: boolean;
  userLicense: string;
  requiredSessionLevel: SessionLevel | null;
  loginIpRanges: IpRange[] | null;
  loginHours: LoginHours | null;
  /** Enabled permissions; null when this principal's permissions are unknown (v1.1). */
  userPermissions: string[] | null;
  /** v1.1: absent = both collected; false = this principal's object / field rows are unknown. */
  rowsCollected?: RowsCollected;
}

/** Which of a principal's permission rows were collected (v1.1). */
export interface RowsCollected {
  object: boolean;
  field: boolean;
}

export interface OrgPermissionSet {
  id: string;
  name: string;
  label?: string;
  type: 'permissionSet' | 'group';
  userPermissions: string[] | null;
  rowsCollected?: RowsCollected;
}

export interface ObjectPermission {
  principalId: string;
  object: string;
  read: boolean;
  viewAll: boolean;
}

export interface FieldPermission {
  principalId: string;
  field: string;
  read: boolean;
}

export interface SObjectField {
  name: string;
  type?: string;
  permissionable: boolean;
  securityClassification?: string | null;
  complianceGroup?: string | null;
}

export interface SObjectInfo {
  name: string;
  custom: boolean;
  namespace: string | null;
  fields: SObjectField[];
}

export interface Connection {
  name: string;
  type: string;
  runAsUserId: string | null;
}

export type AssetType = 'dataSync' | 'dataflow' | 'recipe';

export interface AssetReference {
  assetType: AssetType;
  assetId?: string;
  assetName: string;
  connectionName?: string;
  object: string;
  fields: string[];
}

export interface Job {
  id: string;
  name: string;
  type: string;
  status: string;
  message: string | null;
  startedAt: string;
}

export interface PackageLicense {
  namespace: string;
  status: string;
  allowedLicenses: number;
}

export interface AuditEvent {
  createdAt: string;
  action: string;
  section: string | null;
  display: string;
  createdBy?: string;
}

/** v1.1: who can use a sandbox after its next refresh (read in production). */
export interface SandboxAccess {
  /** SandboxInfo.SandboxName */
  name: string;
  /** SandboxInfo.ActivationUserGroupId; null = every user gets access. */
  activationGroupId: string | null;
  /** The group's users, nested groups expanded; null = unknown. */
  memberUserIds: string[] | null;
}

/** v1.1: a connected app as API Access Control sees it. */
export interface ConnectedAppAccess {
  name: string;
  /** Installed under Connected Apps OAuth Usage. */
  installed: boolean;
  /** "Admin approved users are pre-authorized"; null = unknown. */
  adminApprovedUsersOnly: boolean | null;
  /** Profiles and permission sets the app is approved for; null = unknown. */
  approvedPrincipalIds: string[] | null;
}

/** v1.1: what one local connector can sync. */
export interface ConnectorSourceObjects {
  connectionName: string;
  /** fields: at least for the referenced objects; null = not read. */
  objects: { name: string; fields: string[] | null }[];
}

/** v1.1: a dataset's row-level security (from its current version). */
export interface DatasetSecurity {
  id: string;
  name: string;
  /** SAQL security predicate; null = none, or unknown when predicateKnown is false. */
  predicate: string | null;
  /** Absent = known. */
  predicateKnown?: boolean;
  /** The object whose sharing the dataset inherits; null = none. */
  sharingSource: string | null;
}

export interface OrgAnalytics {
  connections: Connection[];
  references: AssetReference[];
  jobs: Job[];
  /** v1.1; absent in older snapshots, which means not collected (like null). */
  sourceObjects?: ConnectorSourceObjects[] | null;
  /** v1.1; absent means not collected (like null). */
  datasets?: DatasetSecurity[] | null;
}

export interface CollectionError {
  fact: string;
  message: string;
}

export interface OrgFacts {
  schemaVersion: 1;
  collectedAt: string;
  source: 'apex' | 'cli' | 'metadata' | 'snapshot';
  org: { id: string; name?: string; isSandbox: boolean | null };
  settings: {
    enforceIpRangesEveryRequest: boolean | null;
    profileFilteringEnabled: boolean | null;
    apiAccessControlEnabled: boolean | null;
  };
  users: OrgUser[];
  profiles: OrgProfile[];
  permissionSets: OrgPermissionSet[];
  objectPermissions: ObjectPermission[];
  fieldPermissions: FieldPermission[];
  schema: { objects: SObjectInfo[] } | null;
  analytics: OrgAnalytics | null;
  packageLicenses: PackageLicense[] | null;
  auditTrail: AuditEvent[] | null;
  collectionErrors: CollectionError[];
  /** v1.1, production only ([] in a sandbox); absent means not collected (like null). */
  sandboxes?: SandboxAccess[] | null;
  /** v1.1, at least "Insights" and "Wave Web"; absent means not collected (like null). */
  connectedApps?: ConnectedAppAccess[] | null;
}

/** A snapshot that does not match the types: `path` names the first bad value. */
export class FactsValidationError extends Error {
  override name = 'FactsValidationError';
  readonly path: string;
  readonly expected: string;
  constructor(path: string, expected: string) {
    super(`${path}: expected ${expected}`);
    this.path = path;
    this.expected = expected;
  }
}

// ---- A small schema language: each validator checks one value. ----
// Paths are built only when a check fails: the error travels up through the
// enclosing objects and arrays, each adding its key. A snapshot has millions of
// values; naming each one's path up front would cost more than checking it.

/** A failed check on its way up: `segments` are the keys from the bad value upwards. */
class PathMismatch {
  readonly segments: string[] = [];
  constructor(public expected: string) {}
  get path(): string {
    let path = '';
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const segment = this.segments[i];
      path += segment.startsWith('[') || path === '' ? segment : `.${segment}`;
    }
    return path;
  }
}

type Check = (value: unknown) => void;

const fail = (expected: string): never => {
  throw new PathMismatch(expected);
};

/** Runs `check` on a child value; a failure below it gains the child's key. */
function within(segment: string, check: Check, value: unknown): void {
  try {
    check(value);
  } catch (error) {
    if (error instanceof PathMismatch) error.segments.push(segment);
    throw error;
  }
}

const str: Check = (v) => {
  if (typeof v !== 'string') fail('string');
};
const nonEmptyStr: Check = (v) => {
  if (typeof v !== 'string' || v.length === 0) fail('non-empty string');
};
const bool: Check = (v) => {
  if (typeof v !== 'boolean') fail('boolean');
};
const num: Check = (v) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail('number');
};
/** Strict ISO-8601 (v1.1): a date, a time with seconds, and a zone (Z or ±hh:mm). */
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isoDate: Check = (v) => {
  if (typeof v !== 'string' || !ISO_DATE_TIME.test(v) || Number.isNaN(Date.parse(v))) {
    fail('ISO-8601 date-time with seconds and a zone (Z or ±hh:mm)');
  }
};
const oneOf =
  (...values: readonly unknown[]): Check =>
  (v) => {
    if (!values.includes(v)) fail(values.map((x) => JSON.stringify(x)).join(' or '));
  };
const nullable =
  (check: Check): Check =>
  (v) => {
    if (v === null) return;
    try {
      check(v);
    } catch (error) {
      // Only a mismatch of this value itself (not of something inside it) may also be null.
      if (error instanceof PathMismatch && error.segments.length === 0) {
        error.expected = `${error.expected} or null`;
      }
      throw error;
    }
  };
const optional =
  (check: Check): Check =>
  (v) => {
    if (v !== undefined) check(v);
  };
const arrayOf =
  (check: Check): Check =>
  (v) => {
    if (!Array.isArray(v)) fail('array');
    const items = v as unknown[];
    let i = 0;
    try {
      for (; i < items.length; i++) check(items[i]);
    } catch (error) {
      if (error instanceof PathMismatch) error.segments.push(`[${i}]`);
      throw error;
    }
  };
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const object = (shape: Record<string, Check>): Check => {
  const keys = Object.keys(shape);
  const checks = keys.map((key) => shape[key]);
  return (v) => {
    if (!isPlainObject(v)) fail('object');
    const record = v as Record<string, unknown>;
    let k = 0;
    try {
      for (; k < keys.length; k++) checks[k](record[keys[k]]);
    } catch (error) {
      if (error instanceof PathMismatch) error.segments.push(keys[k]);
      throw error;
    }
  };
};
const required =
  (check: Check): Check =>
  (v) => {
    if (v === undefined) fail('a value (the field is missing)');
    check(v);
  };

const minuteOfDay: Check = (v) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1440) {
    fail('whole minutes from 0 to 1440');
  }
};
const daySpan = object({ start: required(minuteOfDay), end: required(minuteOfDay) });
const dayName: Check = () => fail(`a day name (${DAYS.join(', ')})`);
const loginHours: Check = (v) => {
  if (!isPlainObject(v)) fail('object');
  for (const key of Object.keys(v as object)) {
    const check = (DAYS as readonly string[]).includes(key) ? daySpan : dayName;
    within(key, check, (v as Record<string, unknown>)[key]);
  }
};

const ipRange = object({
  start: required(str),
  end: required(str),
  description: optional(str),
});

const rowsCollected = object({ object: required(bool), field: required(bool) });

const userSchema = object({
  id: required(nonEmptyStr),
  username: required(nonEmptyStr),
  name: optional(str),
  isActive: required(bool),
  isFrozen: required(nullable(bool)),
  userLicense: required(str),
  profileId: required(nonEmptyStr),
  permissionSetIds: required(arrayOf(nonEmptyStr)),
  permissionSetLicenses: required(arrayOf(str)),
  packageLicenseNamespaces: required(arrayOf(str)),
});

const profileSchema = object({
  id: required(nonEmptyStr),
  name: required(str),
  isCustom: required(bool),
  userLicense: required(str),
  requiredSessionLevel: required(nullable(oneOf('NONE', 'STANDARD', 'HIGH_ASSURANCE'))),
  loginIpRanges: required(nullable(arrayOf(ipRange))),
  loginHours: required(nullable(loginHours)),
  userPermissions: required(nullable(arrayOf(str))),
  rowsCollected: optional(rowsCollected),
});

const permissionSetSchema = object({
  id: required(nonEmptyStr),
  name: required(str),
  label: optional(str),
  type: required(oneOf('permissionSet', 'group')),
  userPermissions: required(nullable(arrayOf(str))),
  rowsCollected: optional(rowsCollected),
});

const sobjectSchema = object({
  name: required(nonEmptyStr),
  custom: required(bool),
  namespace: required(nullable(str)),
  fields: required(
    arrayOf(
      object({
        name: required(nonEmptyStr),
        type: optional(str),
        permissionable: required(bool),
        securityClassification: optional(nullable(str)),
        complianceGroup: optional(nullable(str)),
      }),
    ),
  ),
});

const analyticsSchema = object({
  connections: required(
    arrayOf(
      object({
        name: required(nonEmptyStr),
        type: required(str),
        runAsUserId: required(nullable(nonEmptyStr)),
      }),
    ),
  ),
  references: required(
    arrayOf(
      object({
        assetType: required(oneOf('dataSync', 'dataflow', 'recipe')),
        assetId: optional(str),
        assetName: required(str),
        connectionName: optional(str),
        object: required(nonEmptyStr),
        fields: required(arrayOf(nonEmptyStr)),
      }),
    ),
  ),
  jobs: required(
    arrayOf(
      object({
        id: required(nonEmptyStr),
        name: required(str),
        type: required(str),
        status: required(str),
        message: required(nullable(str)),
        startedAt: required(isoDate),
      }),
    ),
  ),
  sourceObjects: optional(
    nullable(
      arrayOf(
        object({
          connectionName: required(nonEmptyStr),
          objects: required(
            arrayOf(
              object({
                name: required(nonEmptyStr),
                fields: required(nullable(arrayOf(nonEmptyStr))),
              }),
            ),
          ),
        }),
      ),
    ),
  ),
  datasets: optional(
    nullable(
      arrayOf(
        object({
          id: required(nonEmptyStr),
          name: required(str),
          predicate: required(nullable(str)),
          predicateKnown: optional(bool),
          sharingSource: required(nullable(nonEmptyStr)),
        }),
      ),
    ),
  ),
});

// v1.1 facts outside `analytics`.
const sandboxSchema = object({
  name: required(nonEmptyStr),
  activationGroupId: required(nullable(nonEmptyStr)),
  memberUserIds: required(nullable(arrayOf(nonEmptyStr))),
});

const connectedAppSchema = object({
  name: required(nonEmptyStr),
  installed: required(bool),
  adminApprovedUsersOnly: required(nullable(bool)),
  approvedPrincipalIds: required(nullable(arrayOf(nonEmptyStr))),
});

const factsSchema = object({
  schemaVersion: required(oneOf(1)),
  collectedAt: required(isoDate),
  source: required(oneOf('apex', 'cli', 'metadata', 'snapshot')),
  org: required(
    object({
      id: required(nonEmptyStr),
      name: optional(str),
      isSandbox: required(nullable(bool)),
    }),
  ),
  settings: required(
    object({
      enforceIpRangesEveryRequest: required(nullable(bool)),
      profileFilteringEnabled: required(nullable(bool)),
      apiAccessControlEnabled: required(nullable(bool)),
    }),
  ),
  users: required(arrayOf(userSchema)),
  profiles: required(arrayOf(profileSchema)),
  permissionSets: required(arrayOf(permissionSetSchema)),
  objectPermissions: required(
    arrayOf(
      object({
        principalId: required(nonEmptyStr),
        object: required(nonEmptyStr),
        read: required(bool),
        viewAll: required(bool),
      }),
    ),
  ),
  fieldPermissions: required(
    arrayOf(
      object({
        principalId: required(nonEmptyStr),
        field: required(nonEmptyStr),
        read: required(bool),
      }),
    ),
  ),
  schema: required(nullable(object({ objects: required(arrayOf(sobjectSchema)) }))),
  analytics: required(nullable(analyticsSchema)),
  packageLicenses: required(
    nullable(
      arrayOf(
        object({
          namespace: required(nonEmptyStr),
          status: required(str),
          allowedLicenses: required(num),
        }),
      ),
    ),
  ),
  auditTrail: required(
    nullable(
      arrayOf(
        object({
          createdAt: required(isoDate),
          action: required(str),
          section: required(nullable(str)),
          display: required(str),
          createdBy: optional(str),
        }),
      ),
    ),
  ),
  collectionErrors: required(arrayOf(object({ fact: required(str), message: required(str) }))),
  sandboxes: optional(nullable(arrayOf(sandboxSchema))),
  connectedApps: optional(nullable(arrayOf(connectedAppSchema))),
});

/** Returns the value typed as OrgFacts, or throws FactsValidationError at the first bad path. */
export function validateOrgFacts(value: unknown): OrgFacts {
  try {
    factsSchema(value);
  } catch (error) {
    if (error instanceof PathMismatch) {
      throw new FactsValidationError(error.path || '(root)', error.expected);
    }
    throw error;
  }
  const facts = value as OrgFacts;
  uniqueIds('users', facts.users);
  uniqueIds('profiles', facts.profiles);
  uniqueIds('permissionSets', facts.permissionSets);
  return facts;
}

/**
 * v1.1: a duplicate id would make the verdict depend on the order of the list (which copy
 * the engine indexes), so the second copy is rejected. Ids compare on their first 15
 * characters, the part the 18-character form only adds a checksum to.
 */
function uniqueIds(list: string, records: readonly { id: string }[]): void {
  const seen = new Map<string, number>();
  for (let i = 0; i < records.length; i++) {
    const key = records[i].id.slice(0, 15);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new FactsValidationError(
        `${list}[${i}].id`,
        `an id not used twice (${records[i].id} is also ${list}[${first}].id)`,
      );
    }
    seen.set(key, i);
  }
}
