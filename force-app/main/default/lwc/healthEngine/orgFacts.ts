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
  userPermissions: string[];
}

export interface OrgPermissionSet {
  id: string;
  name: string;
  label?: string;
  type: 'permissionSet' | 'group';
  userPermissions: string[];
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
  analytics: { connections: Connection[]; references: AssetReference[]; jobs: Job[] } | null;
  packageLicenses: PackageLicense[] | null;
  auditTrail: AuditEvent[] | null;
  collectionErrors: CollectionError[];
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

// ---- A small schema language: each validator checks one value at one path. ----

type Check = (value: unknown, path: string) => void;

const fail = (path: string, expected: string): never => {
  throw new FactsValidationError(path, expected);
};

const str: Check = (v, p) => {
  if (typeof v !== 'string') fail(p, 'string');
};
const nonEmptyStr: Check = (v, p) => {
  if (typeof v !== 'string' || v.length === 0) fail(p, 'non-empty string');
};
const bool: Check = (v, p) => {
  if (typeof v !== 'boolean') fail(p, 'boolean');
};
const num: Check = (v, p) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(p, 'number');
};
const isoDate: Check = (v, p) => {
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) fail(p, 'ISO-8601 date-time string');
};
const oneOf =
  (...values: readonly unknown[]): Check =>
  (v, p) => {
    if (!values.includes(v)) fail(p, values.map((x) => JSON.stringify(x)).join(' or '));
  };
const nullable =
  (check: Check): Check =>
  (v, p) => {
    if (v === null) return;
    try {
      check(v, p);
    } catch (error) {
      if (error instanceof FactsValidationError && error.path === p) {
        fail(p, `${error.expected} or null`);
      }
      throw error;
    }
  };
const optional =
  (check: Check): Check =>
  (v, p) => {
    if (v !== undefined) check(v, p);
  };
const arrayOf =
  (check: Check): Check =>
  (v, p) => {
    if (!Array.isArray(v)) fail(p, 'array');
    (v as unknown[]).forEach((item, i) => check(item, `${p}[${i}]`));
  };
const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
const object =
  (shape: Record<string, Check>): Check =>
  (v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(p || '(root)', 'object');
    const record = v as Record<string, unknown>;
    for (const key of Object.keys(shape)) {
      shape[key](record[key], join(p, key));
    }
  };
const required =
  (check: Check): Check =>
  (v, p) => {
    if (v === undefined) fail(p, 'a value (the field is missing)');
    check(v, p);
  };

const minuteOfDay: Check = (v, p) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1440) {
    fail(p, 'whole minutes from 0 to 1440');
  }
};
const loginHours: Check = (v, p) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(p, 'object');
  for (const key of Object.keys(v as object)) {
    if (!(DAYS as readonly string[]).includes(key))
      fail(join(p, key), `a day name (${DAYS.join(', ')})`);
    object({ start: required(minuteOfDay), end: required(minuteOfDay) })(
      (v as Record<string, unknown>)[key],
      join(p, key),
    );
  }
};

const ipRange = object({
  start: required(str),
  end: required(str),
  description: optional(str),
});

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
  userPermissions: required(arrayOf(str)),
});

const permissionSetSchema = object({
  id: required(nonEmptyStr),
  name: required(str),
  label: optional(str),
  type: required(oneOf('permissionSet', 'group')),
  userPermissions: required(arrayOf(str)),
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
});

/** Returns the value typed as OrgFacts, or throws FactsValidationError at the first bad path. */
export function validateOrgFacts(value: unknown): OrgFacts {
  factsSchema(value, '');
  return value as OrgFacts;
}
