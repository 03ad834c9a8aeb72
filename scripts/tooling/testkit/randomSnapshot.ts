/**
 * Random valid org snapshots (org facts v1) for differential tests between the
 * TypeScript and the Apex engine.
 *
 * Each snapshot is small (a few users, profiles, objects, fields) but varies
 * every fact the shipped rules read, so that across a few hundred seeds each
 * rule reaches PASS, FAIL and NOT_EVALUATED. Text values are sometimes chosen
 * to trip locale-sensitive or naive string handling (Turkish i, quotes,
 * apostrophes, non-ASCII), since the Apex engine may run as a Turkish user.
 *
 * Built with `fc.gen()`, so structure can depend on earlier choices and
 * fast-check can still shrink a failing snapshot.
 */
import fc from 'fast-check';
import type {
  AuditEvent,
  Connection,
  FieldPermission,
  IpRange,
  Job,
  LoginHours,
  ObjectPermission,
  OrgFacts,
  OrgPermissionSet,
  OrgProfile,
  OrgUser,
  PackageLicense,
  SObjectInfo,
} from '../../../force-app/main/default/lwc/healthEngine/healthEngine';

export interface SnapshotOptions {
  /** Null facts, per-record unknowns and collection errors (default true). */
  unknownFacts?: boolean;
  /** Turkish i, quotes, apostrophes and other non-ASCII text (default true). */
  stressText?: boolean;
  /** Users pointing at a profile, permission set or run-as user missing from the facts (default true). */
  danglingReferences?: boolean;
}

const INTEGRATION_LICENSE = 'Analytics Cloud Integration User';
const DAY_MS = 86_400_000;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** The 18-character form: three checksum characters, one per 5-character chunk's upper-case letters. */
export function toId18(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') flags |= 1 << i;
    }
    suffix += SUFFIX.charAt(flags);
  }
  return id15 + suffix;
}

// Permissions the rules read, plus look-alikes that must not count for them.
const RULE_PERMISSIONS = [
  'ViewAllData',
  'ViewAllProfiles',
  'UseAnyApiClient',
  'ForceTwoFactor',
  'TwoFactorApi',
];
const OTHER_PERMISSIONS = [
  'ApiEnabled',
  'ViewSetup',
  'ModifyAllData',
  'ViewAllUsers',
  'ManageUsers',
];

const CLASSIFICATIONS = [
  'Confidential',
  'Restricted',
  'MissionCritical',
  // Upper case: a Turkish-locale lower-casing turns I into dotless ı.
  'RESTRICTED',
  'MISSIONCRITICAL',
  'confidential',
  'Public',
  'Internal',
];

interface FieldTemplate {
  name: string;
  type: string;
  permissionable: boolean;
}

interface ObjectTemplate {
  name: string;
  custom: boolean;
  namespace: string | null;
  fields: FieldTemplate[];
}

const f = (name: string, type: string, permissionable = true): FieldTemplate => ({
  name,
  type,
  permissionable,
});

const OBJECT_POOL: ObjectTemplate[] = [
  {
    name: 'Account',
    custom: false,
    namespace: null,
    fields: [
      f('Id', 'id', false),
      f('Name', 'string', false),
      f('Industry', 'picklist'),
      f('AnnualRevenue', 'currency'),
      f('Rating', 'picklist'),
    ],
  },
  {
    name: 'Opportunity',
    custom: false,
    namespace: null,
    fields: [
      f('Id', 'id', false),
      f('StageName', 'picklist', false),
      f('Amount', 'currency'),
      f('Probability', 'percent'),
    ],
  },
  {
    name: 'Contact',
    custom: false,
    namespace: null,
    fields: [
      f('Id', 'id', false),
      f('Email', 'email'),
      f('Birthdate', 'date'),
      f('Phone', 'phone'),
    ],
  },
  {
    name: 'Case',
    custom: false,
    namespace: null,
    fields: [f('Id', 'id', false), f('Subject', 'string'), f('Description', 'textarea')],
  },
  {
    name: 'Invoice__c',
    custom: true,
    namespace: null,
    fields: [f('Id', 'id', false), f('Total__c', 'currency'), f('Account__c', 'reference')],
  },
  {
    name: 'acme__Shipment__c',
    custom: true,
    namespace: 'acme',
    fields: [
      f('Id', 'id', false),
      f('acme__Weight__c', 'double'),
      f('acme__Customs_Code__c', 'string'),
      f('acme__Document__c', 'base64'),
    ],
  },
  // A namespace with a capital I: Turkish lower-casing gives "ıfx", not "ifx".
  {
    name: 'Ifx__Item__c',
    custom: true,
    namespace: 'Ifx',
    fields: [f('Id', 'id', false), f('Ifx__Price__c', 'currency'), f('Ifx__Index__c', 'int')],
  },
];

const STRESS_WORDS = [
  'İstanbul',
  'Işık',
  'ılık',
  'IŞIK',
  "O'Brien's",
  '"Quoted"',
  'naïve café',
  'Ünïcödé ✓',
  '日本語',
  'Straße',
  '🚀',
  'back\\slash',
  'd’Artagnan',
];

/** Salesforce audit actions (PLATFORM-NOTES.md) with what their display text names. */
type AuditTarget = 'profile' | 'user' | 'org';
const AUDIT_ACTIONS: [string, AuditTarget][] = [
  ['profileFlsChangedStandard', 'profile'],
  ['profileFlsChangedCustom', 'profile'],
  ['profileLoginHoursChangedStandard', 'profile'],
  ['profileLoginHoursChangedCustom', 'profile'],
  ['loginIpRange', 'profile'],
  ['deletedLoginIpRange_withProfile', 'profile'],
  ['requiredSessionLevelForProfile', 'profile'],
  ['sessiontimeoutForProfile', 'profile'],
  ['frozeuser', 'user'],
  ['unfrozeuser', 'user'],
  ['deactivateduser', 'user'],
  ['changedprofileforuserstdtocust', 'user'],
  ['PermSetLicenseAssign', 'user'],
  ['changedpassword', 'user'],
  ['PermSetFlsChanged', 'org'],
  ['installedpackagingapp', 'org'],
  ['upgradedpackagingapp', 'org'],
  ['profileFilteringEnabledOffOn', 'org'],
  ['adminApprovedAppsOnlyOffOn', 'org'],
  ['createdcustomfield', 'org'],
];

const JOB_MESSAGES = [
  'Job killed due to inactivity',
  'Queue wait time exceeded limit',
  'INSUFFICIENT_ACCESS: insufficient access rights on object id',
  'Insufficient privileges for the Integration User',
  "INVALID_FIELD: No such column 'Rating__c' on entity 'Account'",
  "INVALID_TYPE: sObject type 'acme__Shipment__c' is not supported.",
  'User is frozen',
  'Invalid Session: the user is INACTIVE',
  'Authentication Error',
  'IP RESTRICTED login blocked',
  'Field-Level Security hides Account.AnnualRevenue',
  'İşlem başarısız: "Account" okunamadı',
  'Completed with warnings',
];

const PSL_LABELS = [
  'Analytics Platform',
  'CRM Analytics Plus',
  // Lower case: the spec matches "Analytics" case-insensitively.
  'crm analytics growth',
  'Sales Cloud Integration',
  'Einstein Predictions',
];

type G = fc.GeneratorValue;

/** Draws and bookkeeping for one snapshot. */
class Draw {
  private readonly used = new Set<string>();
  private readonly seq = new Map<string, number>();
  constructor(
    readonly g: G,
    readonly options: Required<SnapshotOptions>,
  ) {}

  int(min: number, max: number): number {
    return this.g(fc.integer, { min, max });
  }
  chance(p: number): boolean {
    return this.int(0, 999) < p * 1000;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
  /** A weighted choice: `[weight, value]` pairs. */
  weighted<T>(choices: [number, T][]): T {
    const total = choices.reduce((sum, [w]) => sum + w, 0);
    let at = this.int(0, total - 1);
    for (const [w, value] of choices) {
      if (at < w) return value;
      at -= w;
    }
    return choices[choices.length - 1][1];
  }
  subset<T>(items: readonly T[], p: number): T[] {
    return items.filter(() => this.chance(p));
  }
  unknown(p: number): boolean {
    return this.options.unknownFacts && this.chance(p);
  }

  /** A new 15-character id with the key prefix, unique (case-sensitively) within the snapshot. */
  newId15(prefix: string): string {
    const n = (this.seq.get(prefix) ?? 0) + 1;
    this.seq.set(prefix, n);
    let random = '';
    for (let i = 0; i < 4; i++) random += BASE62.charAt(this.int(0, 61));
    const pod = this.pick(['5g', '3t', 'Dn', '00', 'Hu', '8a']);
    const id =
      prefix + pod + '0000' + random + BASE62.charAt(Math.floor(n / 62)) + BASE62.charAt(n % 62);
    this.used.add(id);
    return id;
  }
  /** An id as a collector may write it: 15 or 18 characters. */
  asWritten(id15: string): string {
    return this.chance(0.5) ? id15 : toId18(id15);
  }
  /** A distinct id differing from `id15` only in the case of one letter, if it has one. */
  caseTwin(id15: string): string | null {
    for (let i = 3; i < id15.length; i++) {
      const c = id15.charAt(i);
      const flipped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
      if (flipped === c) continue;
      const twin = id15.slice(0, i) + flipped + id15.slice(i + 1);
      if (this.used.has(twin)) continue;
      this.used.add(twin);
      return twin;
    }
    return null;
  }

  text(plain: string): string {
    if (!this.options.stressText || !this.chance(0.3)) return plain;
    return `${plain} ${this.pick(STRESS_WORDS)}`;
  }
}

function isoAt(d: Draw, ms: number): string {
  // Strict ISO-8601 with seconds and a zone; sometimes milliseconds or an offset.
  const offsetMinutes = d.weighted<number>([
    [6, 0],
    [1, 330],
    [1, -480],
    [1, 60],
  ]);
  const local = new Date(ms + offsetMinutes * 60_000).toISOString();
  const body = d.chance(0.3) ? local.slice(0, 23) : local.slice(0, 19);
  if (offsetMinutes === 0 && d.chance(0.8)) return `${body}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${body}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

// ---- Profiles: session level, IP ranges, login hours, permissions ----

// The catalog's SALESFORCE_PUBLISHED_IP_RANGES as shipped (PLATFORM-NOTES.md), to build covering lists.
const PUBLISHED = [
  '13.108.0.0/14',
  '66.231.80.0/20',
  '68.232.192.0/20',
  '96.43.144.0/20',
  '128.17.0.0/16',
  '128.245.0.0/16',
  '136.146.0.0/15',
  '198.245.80.0/20',
  '199.122.120.0/21',
  '204.14.232.0/21',
  '85.222.128.0/19',
  '159.92.128.0/17',
  '160.8.0.0/16',
  '161.71.0.0/17',
  '163.76.128.0/17',
  '163.79.128.0/17',
  '185.79.140.0/22',
  '101.53.160.0/19',
  '104.161.128.0/17',
  '161.71.128.0/17',
  '182.50.76.0/22',
  '202.129.242.0/23',
];

const ipv4 = (n: number): string =>
  [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
const parse4 = (text: string): number =>
  text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
function cidrRange(cidr: string): IpRange {
  const [base, bits] = cidr.split('/');
  const start = parse4(base);
  return { start: ipv4(start), end: ipv4(start + 2 ** (32 - Number(bits)) - 1) };
}

const TEN_START = parse4('10.0.0.0');
const TEN_END = parse4('10.255.255.255');

function ipRangePieces(d: Draw): IpRange[] {
  const kind = d.weighted<string>([
    [5, 'ten'],
    [5, 'tenSplit'],
    [3, 'tenAlmost'],
    [4, 'published'],
    [2, 'publishedGap'],
    [2, 'everything'],
    [4, 'office'],
    [2, 'ipv6'],
    [1, 'padded'],
    [1, 'bad'],
  ]);
  switch (kind) {
    case 'ten':
      return [{ start: '10.0.0.0', end: '10.255.255.255' }];
    case 'tenSplit': {
      // Split (maybe overlapping) ranges that still cover 10/8, not CIDR-aligned.
      const cut = TEN_START + d.int(1, TEN_END - TEN_START - 1);
      const overlap = d.chance(0.3) ? d.int(1, 300) : 0;
      return [
        {
          start: ipv4(cut - overlap + 1 > TEN_START ? cut - overlap + 1 : TEN_START),
          end: ipv4(TEN_END),
        },
        { start: '10.0.0.0', end: ipv4(cut) },
      ];
    }
    case 'tenAlmost':
      return d.chance(0.5)
        ? [{ start: '10.0.0.0', end: '10.255.255.254' }]
        : [
            { start: '10.0.0.0', end: '10.127.255.255' },
            { start: '10.128.0.1', end: '10.255.255.255' },
          ];
    case 'published':
      return PUBLISHED.map(cidrRange);
    case 'publishedGap': {
      const skip = d.int(0, PUBLISHED.length - 1);
      return PUBLISHED.filter((_, i) => i !== skip).map(cidrRange);
    }
    case 'everything':
      return [{ start: '0.0.0.0', end: '255.255.255.255' }];
    case 'office':
      return [
        d.pick([
          { start: '203.0.113.0', end: '203.0.113.255' },
          { start: '198.51.100.17', end: '198.51.100.42' },
          { start: '10.20.0.0', end: '10.20.255.255' },
          { start: '192.168.1.1', end: '192.168.1.1' },
        ]),
      ];
    case 'ipv6':
      // Valid per spec v1.1; they cover no IPv4 address.
      return [
        d.pick([
          { start: '2001:db8::', end: '2001:db8::ffff' },
          { start: '::ffff:10.0.0.0', end: '::ffff:10.255.255.255' },
          { start: '2001:DB8:0:0:0:0:0:1', end: '2001:db8::ff:ffff' },
        ]),
      ];
    case 'padded':
      return [{ start: ' 10.0.0.0', end: '10.255.255.255 ' }];
    default:
      // Well-typed but unusable: ERROR for that profile's range rules.
      return [
        d.pick([
          { start: '10.255.255.255', end: '10.0.0.0' },
          { start: '10.0.0.0', end: '::ffff:10.255.255.255' },
          { start: '10.0.0.256', end: '10.0.1.0' },
        ]),
      ];
  }
}

function loginIpRanges(d: Draw): IpRange[] | null {
  if (d.unknown(0.08)) return null;
  if (d.chance(0.45)) return [];
  const ranges: IpRange[] = [];
  for (let i = d.int(1, 2); i > 0; i--) ranges.push(...ipRangePieces(d));
  if (d.chance(0.3)) ranges.reverse();
  for (const range of ranges) {
    if (d.chance(0.15)) range.description = d.text('Office VPN');
  }
  return ranges;
}

function loginHours(d: Draw): LoginHours | null {
  if (d.unknown(0.08)) return null;
  const kind = d.weighted<string>([
    [5, 'none'],
    [2, 'allOpen'],
    [4, 'restricted'],
  ]);
  if (kind === 'none') return {};
  const hours: LoginHours = {};
  for (const day of DAYS as (keyof LoginHours)[]) {
    if (kind === 'allOpen') {
      if (d.chance(0.8)) hours[day] = { start: 0, end: 1440 };
      continue;
    }
    const span = d.weighted<string>([
      [3, 'absent'],
      [2, 'open'],
      [3, 'office'],
      [1, 'closed'],
      [1, 'overnight'],
    ]);
    if (span === 'open') hours[day] = { start: 0, end: 1440 };
    else if (span === 'office') hours[day] = { start: 60 * d.int(5, 9), end: 60 * d.int(17, 23) };
    else if (span === 'closed') {
      const at = 60 * d.int(0, 23);
      hours[day] = { start: at, end: at };
    } else if (span === 'overnight') hours[day] = { start: 1320, end: 360 };
  }
  return hours;
}

function sessionLevel(d: Draw): OrgProfile['requiredSessionLevel'] {
  if (d.unknown(0.08)) return null;
  return d.weighted<OrgProfile['requiredSessionLevel']>([
    [4, 'NONE'],
    [2, 'STANDARD'],
    [2, 'HIGH_ASSURANCE'],
  ]);
}

type ProfileRole = 'integration' | 'security' | 'other';

function makeProfile(d: Draw, role: ProfileRole): OrgProfile {
  let name: string;
  let isCustom: boolean;
  let userLicense = INTEGRATION_LICENSE;
  if (role === 'integration') {
    [name, isCustom] = d.weighted<[string, boolean]>([
      [4, ['Analytics Cloud Integration User', false]],
      [2, ['Minimum Access - API Only Integrations', false]],
      [3, ['Analytics Cloud Integration User (Clone)', true]],
      [1, [d.text('Işıl\'s "Integration" Profile'), true]],
    ]);
  } else if (role === 'security') {
    [name, isCustom] = d.weighted<[string, boolean]>([
      [5, ['Analytics Cloud Security User', false]],
      [2, ['Analytics Cloud Security User (Clone)', true]],
    ]);
  } else {
    [name, isCustom, userLicense] = d.pick<[string, boolean, string]>([
      ['Standard User', false, 'Salesforce'],
      ['System Administrator', false, 'Salesforce'],
      ['O\'Brien\'s "Sync" Profile', true, 'Salesforce Integration'],
      ['İNTEGRASYON Profili', true, 'Salesforce'],
    ]);
  }
  const p = role === 'other' ? 0.3 : 0.5;
  return {
    id: d.newId15('00e'),
    name,
    isCustom,
    userLicense,
    requiredSessionLevel: sessionLevel(d),
    loginIpRanges: loginIpRanges(d),
    loginHours: loginHours(d),
    userPermissions: [...d.subset(RULE_PERMISSIONS, p), ...d.subset(OTHER_PERMISSIONS, 0.4)],
  };
}

// ---- The snapshot ----

interface Principal {
  id15: string;
  system: boolean;
}

function build(g: G, options: Required<SnapshotOptions>): OrgFacts {
  const d = new Draw(g, options);
  const errors: { fact: string; message: string }[] = [];
  const unknownFact = (fact: string, message: string) => errors.push({ fact, message });

  const collectedMs =
    Date.parse('2025-01-01T00:00:00Z') + d.int(0, 3 * 365) * DAY_MS + d.int(0, 86_399) * 1000;
  const org15 = d.newId15('00D');
  const orgId = d.asWritten(org15);
  const orgKeys = [org15, toId18(org15)].map((id) => id.toLowerCase());

  // Profiles: the system users' own ones, sometimes shared, plus ordinary ones.
  const integrationProfile = makeProfile(d, 'integration');
  const securityProfile = d.chance(0.12) ? integrationProfile : makeProfile(d, 'security');
  const otherProfiles = Array.from({ length: d.int(0, 1) }, () => makeProfile(d, 'other'));
  const profiles = [...new Set([integrationProfile, securityProfile, ...otherProfiles])];

  const permissionSets: OrgPermissionSet[] = Array.from({ length: d.int(0, 3) }, (_, i) => {
    const set: OrgPermissionSet = {
      id: d.newId15('0PS'),
      name: d.pick(['Analytics_Extra', 'MFA_Required', 'API_Clients', 'Sync_Access']) + `_${i}`,
      type: d.chance(0.25) ? 'group' : 'permissionSet',
      userPermissions: [...d.subset(RULE_PERMISSIONS, 0.3), ...d.subset(OTHER_PERMISSIONS, 0.2)],
    };
    if (d.chance(0.6)) set.label = d.text(set.name.replace(/_/g, ' '));
    return set;
  });

  // A user's licence is its profile's; users off the integration licence get an ordinary profile.
  const ordinaryProfile = (): OrgProfile => {
    if (otherProfiles.length === 0 || d.chance(0.2)) {
      const created = makeProfile(d, 'other');
      otherProfiles.push(created);
      profiles.push(created);
      return created;
    }
    return d.pick(otherProfiles);
  };
  const users: OrgUser[] = [];
  const usernames = new Set<string>();
  const addUser = (username: string, profile: OrgProfile, system: boolean): OrgUser => {
    usernames.add(username.toLowerCase());
    const user: OrgUser = {
      id: d.newId15('005'),
      username,
      isActive: !d.chance(system ? 0.15 : 0.1),
      isFrozen: d.unknown(0.07) ? null : d.chance(system ? 0.15 : 0.05),
      userLicense: profile.userLicense,
      profileId: profile.id,
      permissionSetIds: d.subset(permissionSets, 0.35).map((s) => s.id),
      permissionSetLicenses: d.chance(system ? 0.35 : 0.3) ? d.subset(PSL_LABELS, 0.4) : [],
      packageLicenseNamespaces: d.subset(['acme', 'ACME', 'ifx', 'other'], 0.25),
    };
    if (d.chance(0.8)) user.name = d.text(username.split('@')[0]);
    users.push(user);
    return user;
  };
  const reserved = (prefix: string) => `${prefix}${d.pick(orgKeys)}.com`;
  // Mixed-case prefixes: a Turkish-locale lower-casing of "I" gives "ı", not "i".
  const systemName = (prefix: string) => {
    const base = d.chance(0.75)
      ? reserved(prefix)
      : `${prefix}${d.pick(['acme.example', 'Example.COM'])}`;
    return d.weighted<string>([
      [8, base],
      [1, base.charAt(0).toUpperCase() + base.slice(1)],
      [1, base.toUpperCase()],
    ]);
  };

  const integrationUser = d.chance(0.85)
    ? addUser(systemName('integration@'), integrationProfile, true)
    : undefined;
  const securityUser = d.chance(0.85)
    ? addUser(systemName(d.chance(0.7) ? 'insightssecurity@' : 'security@'), securityProfile, true)
    : undefined;

  // Custom integration users: on the integration licence, or only via a connection's run-as.
  const runAsCandidates: OrgUser[] = [];
  for (
    let i = d.weighted<number>([
      [5, 0],
      [3, 1],
      [1, 2],
    ]);
    i > 0;
    i--
  ) {
    const onLicense = d.chance(0.5);
    const user = addUser(
      `${d.pick(['sync.runner', 'eu.sync', 'Ilkay.Isik'])}${i}@${d.pick(['northwind.example', 'Örnek.example'])}`,
      onLicense ? d.pick([integrationProfile, securityProfile]) : ordinaryProfile(),
      true,
    );
    if (!onLicense || d.chance(0.5)) runAsCandidates.push(user);
  }
  // A reserved username on another licence (AH003).
  if (d.chance(0.12)) {
    const name = reserved(d.pick(['integration@', 'security@', 'insightssecurity@']));
    if (!usernames.has(name)) addUser(name, ordinaryProfile(), false);
  }
  // Collected for their username prefix alone: not on the integration licence, so no role.
  for (
    let i = d.weighted<number>([
      [3, 0],
      [2, 1],
      [1, 2],
    ]);
    i > 0;
    i--
  ) {
    const prefix = d.pick(['integration@', 'Security@', 'InsightsSecurity@']);
    addUser(`${prefix}partner${i}.example.com`, ordinaryProfile(), false);
  }
  // Two users whose 15-character ids differ only in case are different users.
  if (users.length > 1 && d.chance(0.1)) {
    const twin = d.caseTwin(users[0].id);
    if (twin) users[users.length - 1].id = twin;
  }

  // Dangling references: a profile or set the collector did not return.
  if (options.danglingReferences && users.length > 0 && d.chance(0.06)) {
    const user = d.pick(users);
    const fact = d.chance(0.5) ? 'profiles' : 'permissionSets';
    if (fact === 'profiles') user.profileId = d.newId15('00e');
    else user.permissionSetIds.push(d.newId15('0PS'));
    // Either the collector says why, or the snapshot just lacks it (as in the vectors).
    if (options.unknownFacts && d.chance(0.5)) unknownFact(fact, `some ${fact} could not be read`);
  }

  // Schema: a few objects; the referenced ones are always described (unless the schema is unknown).
  const templates = d.subset(OBJECT_POOL, 0.45);
  if (templates.length === 0) templates.push(OBJECT_POOL[d.int(0, OBJECT_POOL.length - 1)]);
  const objects: SObjectInfo[] = templates.map((t) => ({
    name: t.name,
    custom: t.custom,
    namespace: t.namespace,
    fields: t.fields.map((field) => {
      const out: SObjectInfo['fields'][number] = {
        name: field.name,
        permissionable: field.permissionable,
      };
      if (d.chance(0.9)) out.type = field.type;
      if (field.permissionable && d.chance(0.5)) {
        out.securityClassification = d.chance(0.15) ? null : d.pick(CLASSIFICATIONS);
      }
      if (d.chance(0.1)) out.complianceGroup = d.pick(['GDPR', 'PII;HIPAA', null]);
      return out;
    }),
  }));
  const schemaUnknown = d.unknown(0.08);
  if (schemaUnknown) unknownFact('schema', 'describe calls failed: REQUEST_LIMIT_EXCEEDED');

  // Principals and their permission rows on those objects and fields.
  const principals: Principal[] = [
    ...profiles.map((p) => ({
      id15: p.id,
      system: p === integrationProfile || p === securityProfile,
    })),
    ...permissionSets.map((s) => ({ id15: s.id, system: false })),
  ];
  const objectPermissions: ObjectPermission[] = [];
  const fieldPermissions: FieldPermission[] = [];
  for (const principal of principals) {
    for (const object of objects) {
      const grant = d.weighted<string>(
        principal.system
          ? [
              [5, 'all'],
              [2, 'read'],
              [2, 'none'],
            ]
          : [
              [1, 'all'],
              [1, 'read'],
              [3, 'none'],
            ],
      );
      if (grant !== 'none') {
        objectPermissions.push({
          principalId: d.asWritten(principal.id15),
          object: d.chance(0.1) ? object.name.toLowerCase() : object.name,
          read: true,
          viewAll: grant === 'all',
        });
      }
      for (const field of object.fields) {
        if (!field.permissionable) continue;
        const row = d.weighted<string>([
          [principal.system ? 6 : 2, 'read'],
          [1, 'noRead'],
          [3, 'none'],
        ]);
        if (row === 'none') continue;
        const name = d.chance(0.08) ? field.name.toUpperCase() : field.name;
        fieldPermissions.push({
          principalId: d.asWritten(principal.id15),
          field: `${object.name}.${name}`,
          read: row === 'read',
        });
      }
    }
  }

  // Analytics: connections, references, jobs.
  let analytics: OrgFacts['analytics'] = null;
  if (d.unknown(0.08)) {
    unknownFact('analytics', 'the CRM Analytics REST API returned 403: analytics is not enabled');
  } else {
    const connections: Connection[] = [];
    if (d.chance(0.85)) {
      // runAsUserId null = the default Integration User; sometimes it is named explicitly.
      const explicit = integrationUser && d.chance(0.1) ? d.asWritten(integrationUser.id) : null;
      connections.push({ name: 'SFDC_LOCAL', type: 'SfdcLocal', runAsUserId: explicit });
    }
    runAsCandidates.forEach((user, i) => {
      connections.push({
        name: d.pick(['SFDC_EU', 'Yerel_Bağlantı', 'SFDC_APAC']) + `_${i}`,
        type: 'SfdcLocal',
        runAsUserId: d.asWritten(user.id),
      });
    });
    if (securityUser && d.chance(0.05)) {
      // The spec: a connection run as the Security User makes it a custom integration user too.
      connections.push({ name: 'SFDC_SECURITY', type: 'SfdcLocal', runAsUserId: securityUser.id });
    }
    if (options.danglingReferences && d.chance(0.05)) {
      connections.push({ name: 'SFDC_GHOST', type: 'SfdcLocal', runAsUserId: d.newId15('005') });
    }
    if (d.chance(0.2)) {
      connections.push({ name: 'Snowflake_Out', type: 'Snowflake', runAsUserId: null });
    }
    const connectionNames: (string | undefined)[] = [
      undefined,
      undefined,
      'sfdc_local',
      ...connections.map((c) => c.name),
    ];
    if (d.chance(0.1)) connectionNames.push('Legacy_Connection');

    const references = Array.from({ length: d.int(1, 4) }, () => {
      const object = d.pick(objects);
      const fields = d.subset(
        object.fields.map((x) => x.name),
        0.5,
      );
      if (fields.length === 0) fields.push(object.fields[d.int(0, object.fields.length - 1)].name);
      // An undescribed field, and names in another case than the schema's.
      if (d.chance(0.08)) fields.push('Legacy_Score__c');
      const written = fields.map((x) => (d.chance(0.08) ? x.toLowerCase() : x));
      const reference: NonNullable<OrgFacts['analytics']>['references'][number] = {
        assetType: d.pick(['dataSync', 'dataflow', 'recipe'] as const),
        assetName: d.text(d.pick(['Sales Pipeline', 'Account Sync', 'Shipments Recipe', 'KPIs'])),
        object: d.chance(0.08) ? object.name.toUpperCase() : object.name,
        fields: written,
      };
      const connectionName = d.pick(connectionNames);
      if (connectionName !== undefined) reference.connectionName = connectionName;
      if (reference.assetType !== 'dataSync' && d.chance(0.5)) {
        reference.assetId = d.asWritten(
          d.newId15(reference.assetType === 'recipe' ? '05v' : '02K'),
        );
      }
      return reference;
    });

    const runs = Array.from({ length: d.int(0, 4) }, () => {
      const status = d.weighted<string>([
        [5, 'Success'],
        [4, 'Failure'],
        [1, 'failure'],
        [1, 'Failed'],
        [1, 'ERROR'],
        [1, 'Warning'],
        [1, 'Running'],
      ]);
      const job: Job = {
        id: d.newId15('03C'),
        name: d.text(d.pick(['Account Sync', 'Sales Pipeline', 'Nightly Recipe'])),
        type: d.pick(['dataSync', 'dataflow', 'recipe']),
        status,
        message: status === 'Success' && d.chance(0.7) ? null : d.text(d.pick(JOB_MESSAGES)),
        startedAt: '',
      };
      return { at: collectedMs - d.int(60, 10 * 86_400) * 1000, job };
    });
    // Newest first, as collected.
    runs.sort((a, b) => b.at - a.at);
    const jobs = runs.map(({ at, job }) => ({ ...job, startedAt: isoAt(d, at) }));
    analytics = { connections, references, jobs };
  }

  // Package licences for the namespaced objects.
  let packageLicenses: PackageLicense[] | null = null;
  if (d.unknown(0.08)) {
    unknownFact('packageLicenses', 'PackageLicense is not readable by the running user');
  } else {
    packageLicenses = [];
    for (const namespace of ['acme', 'Ifx']) {
      if (!d.chance(0.6)) continue;
      packageLicenses.push({
        namespace: d.chance(0.2) ? namespace.toUpperCase() : namespace,
        status: d.pick(['Active', 'Trial', 'Expired']),
        allowedLicenses: d.pick([-1, 0, 5, 25]),
      });
    }
  }

  // Setup audit trail, newest first, some of it older than 30 days.
  let auditTrail: AuditEvent[] | null = null;
  if (d.unknown(0.1)) {
    unknownFact('auditTrail', 'SetupAuditTrail could not be queried: insufficient privileges');
  } else {
    const events: { at: number; event: AuditEvent }[] = [];
    for (
      let i = d.weighted<number>([
        [3, 0],
        [3, 1],
        [2, 2],
        [2, 4],
      ]);
      i > 0;
      i--
    ) {
      const [action, target] = d.pick(AUDIT_ACTIONS);
      const at = d.chance(0.05)
        ? collectedMs - 30 * DAY_MS
        : collectedMs - d.int(60, 45 * 86_400) * 1000;
      events.push({ at, event: auditEvent(d, action, target, profiles, users) });
    }
    events.sort((a, b) => b.at - a.at);
    auditTrail = events.map(({ at, event }) => ({ ...event, createdAt: isoAt(d, at) }));
  }

  // Per-part unknowns the collector reports without nulling a whole fact.
  if (options.unknownFacts && d.chance(0.2)) {
    const [fact, message] = d.pick<[string, string]>([
      ['users', 'the user query hit a timeout after 2,000 rows'],
      ['users.isFrozen', 'UserLogin is not readable'],
      ['users.permissionSetLicenses', 'PermissionSetLicenseAssign is not readable'],
      ['users.packageLicenseNamespaces', 'UserPackageLicense is not readable'],
      ['org.id', 'Organization could not be queried'],
      ['permissionSets', 'PermissionSetAssignment was truncated'],
      ['profiles.loginHours', 'the Metadata API read of one profile failed'],
      ['objectPermissions', 'ObjectPermissions was truncated'],
      ['fieldPermissions', 'FieldPermissions was truncated'],
      ['analytics.references', "one recipe's definition could not be read"],
      ['analytics.connections', 'dataConnectors returned an error'],
      ['analytics.jobs', 'dataflowjobs returned an error'],
      ['settings.apiAccessControlEnabled', 'ConnectedAppSettings is not readable'],
    ]);
    if (!errors.some((e) => e.fact === fact)) unknownFact(fact, d.text(message));
  }
  const setting = (name: string) => {
    if (!d.unknown(0.1)) return d.chance(0.5);
    if (d.chance(0.5))
      unknownFact(`settings.${name}`, 'the Metadata API is not available to this user');
    return null;
  };

  const org: OrgFacts['org'] = {
    id: orgId,
    isSandbox: d.unknown(0.08) ? null : d.chance(0.4),
  };
  if (d.chance(0.8)) org.name = d.text('Northwind Outfitters');

  const facts: OrgFacts = {
    schemaVersion: 1,
    collectedAt: isoAt(d, collectedMs),
    source: d.pick(['apex', 'cli', 'metadata', 'snapshot'] as const),
    org,
    settings: {
      enforceIpRangesEveryRequest: setting('enforceIpRangesEveryRequest'),
      profileFilteringEnabled: setting('profileFilteringEnabled'),
      apiAccessControlEnabled: setting('apiAccessControlEnabled'),
    },
    users: users.map((u) => ({
      ...u,
      profileId: d.asWritten(u.profileId),
      permissionSetIds: u.permissionSetIds.map((id) => d.asWritten(id)),
      id: d.asWritten(u.id),
    })),
    profiles: profiles.map((p) => ({ ...p, id: d.asWritten(p.id) })),
    permissionSets: permissionSets.map((s) => ({ ...s, id: d.asWritten(s.id) })),
    objectPermissions,
    fieldPermissions,
    schema: schemaUnknown ? null : { objects },
    analytics,
    packageLicenses,
    auditTrail,
    collectionErrors: errors,
  };
  // Drawn last, so the v1 facts of a seed stay as they were.
  addCatalogV11Facts(d, facts);
  if (options.unknownFacts) addPrincipalUnknowns(d, facts);
  return facts;
}

/**
 * Facts contract v1.1 per-principal unknowns: one principal's permissions (null), one
 * principal's object or field rows (rowsCollected false, its rows of that kind maybe gone),
 * one profile's login IP ranges; each with the collection error a collector would record.
 */
function addPrincipalUnknowns(d: Draw, facts: OrgFacts): void {
  const unknownFact = (fact: string, message: string) => {
    if (!facts.collectionErrors.some((e) => e.fact === fact)) {
      facts.collectionErrors.push({ fact, message });
    }
  };
  const principals: (OrgProfile | OrgPermissionSet)[] = [
    ...facts.profiles,
    ...facts.permissionSets,
  ];
  if (principals.length === 0) return;
  const isProfile = (p: OrgProfile | OrgPermissionSet) => facts.profiles.includes(p as OrgProfile);
  if (d.chance(0.15)) {
    const principal = d.pick(principals);
    principal.userPermissions = null;
    unknownFact(
      isProfile(principal) ? 'profiles.userPermissions' : 'permissionSets.userPermissions',
      d.text('the permissions of one principal could not be read'),
    );
  }
  if (d.chance(0.15)) {
    const principal = d.pick(principals);
    const object = d.chance(0.5);
    const field = !object || d.chance(0.3);
    principal.rowsCollected = { object: !object, field: !field };
    const key = principal.id.slice(0, 15);
    // Rows read before the failure are real grants: sometimes they stay.
    if (d.chance(0.5)) {
      if (object) {
        facts.objectPermissions = facts.objectPermissions.filter(
          (r) => r.principalId.slice(0, 15) !== key,
        );
      }
      if (field) {
        facts.fieldPermissions = facts.fieldPermissions.filter(
          (r) => r.principalId.slice(0, 15) !== key,
        );
      }
    }
    unknownFact(
      isProfile(principal) ? 'profiles.rowsCollected' : 'permissionSets.rowsCollected',
      'the permission rows of one principal were not read',
    );
  } else if (d.chance(0.1)) {
    d.pick(principals).rowsCollected = { object: true, field: true };
  }
  if (d.chance(0.1)) {
    d.pick(facts.profiles).loginIpRanges = null;
    unknownFact('profiles.loginIpRanges', "one profile's metadata could not be read");
  }
}

// ---- Catalog v1.1: connected apps, sandboxes, connector source objects, dataset security ----

const PREDICATES = [
  '\'OwnerId\' == "$User.Id"',
  '\'Region\' == "$User.Region__c"',
  '\'Region\' == "$User.region__c" && \'Dept\' == "$User.Department"',
  'false',
];

/** A v1.1 fact: present, null with a collection error, or absent (an older snapshot). */
function v11State(d: Draw): 'present' | 'null' | 'absent' {
  if (d.chance(0.1)) return 'absent';
  if (!d.unknown(0.12)) return 'present';
  return 'null';
}

function addCatalogV11Facts(d: Draw, facts: OrgFacts): void {
  const unknownFact = (fact: string, message: string) =>
    facts.collectionErrors.push({ fact, message });
  const principals = [...facts.profiles.map((p) => p.id), ...facts.permissionSets.map((s) => s.id)];
  const users = facts.users;

  const apps = v11State(d);
  if (apps === 'null') {
    facts.connectedApps = null;
    unknownFact('connectedApps', 'SetupEntityAccess is not readable by the running user');
  } else if (apps === 'present') {
    facts.connectedApps = [];
    for (const name of ['Insights', 'Wave Web']) {
      if (!d.chance(0.85)) continue;
      facts.connectedApps.push({
        name: d.chance(0.1) ? name.toLowerCase() : name,
        installed: d.chance(0.85),
        adminApprovedUsersOnly: d.pick([true, false, null]),
        approvedPrincipalIds: d.unknown(0.1)
          ? null
          : d.subset(principals, 0.6).map((id) => (d.chance(0.2) ? id.slice(0, 15) : id)),
      });
    }
  }

  const sandboxes = v11State(d);
  if (sandboxes === 'null') {
    facts.sandboxes = null;
    unknownFact('sandboxes', 'SandboxInfo is not readable through the Tooling API');
  } else if (sandboxes === 'present') {
    facts.sandboxes =
      facts.org.isSandbox === true
        ? []
        : Array.from({ length: d.int(0, 2) }, (_, i) => ({
            name: d.text(d.pick(['uat', 'dev', 'Partial'])) + String(i),
            activationGroupId: d.chance(0.3) ? null : d.asWritten(d.newId15('00G')),
            memberUserIds: d.unknown(0.1)
              ? null
              : [
                  ...d.subset(users, 0.7).map((u) => (d.chance(0.3) ? u.id.slice(0, 15) : u.id)),
                  ...(d.chance(0.3) ? [d.newId15('005')] : []),
                ],
          }));
  }

  const { analytics, schema } = facts;
  if (analytics !== null) {
    const sources = v11State(d);
    if (sources === 'null') {
      analytics.sourceObjects = null;
      unknownFact('analytics.sourceObjects', 'dataConnectors sourceObjects returned an error');
    } else if (sources === 'present') {
      const referenced = [...new Set(analytics.references.map((r) => r.object))];
      analytics.sourceObjects = analytics.connections
        .filter((c) => c.type === 'SfdcLocal' && d.chance(0.8))
        .map((c) => ({
          connectionName: d.chance(0.1) ? c.name.toLowerCase() : c.name,
          objects: d.subset(referenced, 0.85).map((name) => {
            const fields = analytics.references
              .filter((r) => r.object.toLowerCase() === name.toLowerCase())
              .flatMap((r) => r.fields);
            return { name, fields: d.chance(0.15) ? null : d.subset([...new Set(fields)], 0.9) };
          }),
        }));
    }
    const datasets = v11State(d);
    if (datasets === 'null') {
      analytics.datasets = null;
      unknownFact('analytics.datasets', 'the datasets could not be listed');
    } else if (datasets === 'present') {
      analytics.datasets = Array.from({ length: d.int(0, 3) }, () => {
        const predicateKnown = !d.unknown(0.1);
        const dataset: NonNullable<NonNullable<OrgFacts['analytics']>['datasets']>[number] = {
          id: d.asWritten(d.newId15('0Fb')),
          name: d.text(d.pick(['Opportunities', 'Cases', 'Accounts'])),
          predicate: !predicateKnown || d.chance(0.3) ? null : d.pick(PREDICATES),
          sharingSource: d.chance(0.5)
            ? null
            : d.pick(['Account', 'opportunity', 'Campaign', 'Case']),
        };
        if (!predicateKnown) dataset.predicateKnown = false;
        return dataset;
      });
    }
  }

  // The User fields predicates read, with the Security User's read rows.
  if (schema !== null && d.chance(0.5)) {
    schema.objects.push({
      name: 'User',
      custom: false,
      namespace: null,
      fields: [
        { name: 'Id', type: 'id', permissionable: false },
        { name: 'Region__c', type: 'string', permissionable: true },
        ...(d.chance(0.7) ? [{ name: 'Department', type: 'string', permissionable: true }] : []),
      ],
    });
    const security = users.find((u) => /^(insights)?security@/i.test(u.username));
    for (const field of ['Region__c', 'Department']) {
      const principal = security && d.chance(0.6) ? security.profileId : d.pick(principals);
      if (principal && d.chance(0.6)) {
        facts.fieldPermissions.push({ principalId: principal, field: `User.${field}`, read: true });
      }
    }
  }
}

function auditEvent(
  d: Draw,
  action: string,
  target: AuditTarget,
  profiles: OrgProfile[],
  users: OrgUser[],
): AuditEvent {
  let display: string;
  if (target === 'profile') {
    const profile = d.pick(profiles);
    // Whole-name matches: quoted, possessive, upper case, or a longer name that must not count.
    const name = d.weighted<string>([
      [4, profile.name],
      [2, `"${profile.name}"`],
      [1, `${profile.name}'s`],
      [1, profile.name.toUpperCase()],
      [1, `${profile.name} Copy`],
      [1, 'Standard User'],
    ]);
    display = d.pick([
      `Changed profile ${name}: field-level security for Account.AnnualRevenue was changed from Read Only to No Access`,
      `Changed login hours for profile ${name}`,
      `Added login IP range 10.0.0.0 to 10.255.255.255 for ${name}`,
      `Changed required session level for ${name} from None to High Assurance`,
    ]);
  } else if (target === 'user') {
    const username =
      users.length > 0 && d.chance(0.8) ? d.pick(users).username : 'someone@example.com';
    display = `${d.pick(['Froze user', 'Deactivated user', 'Changed profile for user', 'Assigned a licence to'])} ${
      d.chance(0.15) ? username.toUpperCase() : username
    }`;
  } else {
    display = d.text(
      d.pick([
        'Installed package Acme Shipping (acme) 2.3',
        'Changed field-level security in permission set Analytics_Extra',
        'Enabled profile filtering',
        'Created custom field Legacy_Score__c on Account',
      ]),
    );
  }
  const event: AuditEvent = {
    createdAt: '',
    action: d.chance(0.08) ? action.toLowerCase() : action,
    section: d.chance(0.2)
      ? null
      : d.pick(['Manage Users', 'Security Controls', 'Installed Packages']),
    display,
  };
  if (d.chance(0.5)) event.createdBy = d.text('admin@northwind.example');
  return event;
}

/** Random valid org snapshots: JSON-serialisable values that `validateOrgFacts` accepts. */
export function orgFactsArbitrary(options: SnapshotOptions = {}): fc.Arbitrary<unknown> {
  const resolved: Required<SnapshotOptions> = {
    unknownFacts: options.unknownFacts ?? true,
    stressText: options.stressText ?? true,
    danglingReferences: options.danglingReferences ?? true,
  };
  // No bias: the weights above, not fast-check's small-value bias, set the mix.
  return fc.noBias(fc.gen()).map((g) => build(g, resolved) as unknown);
}

/** `count` snapshots, the same ones for the same seed. */
export function sampleSnapshots(count: number, seed: number, options?: SnapshotOptions): unknown[] {
  return fc.sample(orgFactsArbitrary(options), { numRuns: count, seed });
}
