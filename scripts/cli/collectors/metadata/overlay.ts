/**
 * Lays a source tree over a baseline snapshot (or over an empty org) to get the
 * org facts a deployment of that source would leave behind, and remembers which
 * file each profile, permission set, setting and analytics read came from.
 *
 * The empty org: a new org holds the two system users CRM Analytics creates, on
 * their standard profiles, active, with no permission sets assigned, and no datasets;
 * every other fact the source cannot give (the standard profiles' permissions until the
 * source holds them, freeze state, session level, jobs, licences, audit trail, schema)
 * is unknown.
 *
 * Permissions are unknown per principal (v1.1): a profile or permission set whose file does
 * not list its user permissions (or its object or field rows) is unknown for that principal
 * alone, and only the findings on the users holding it wait for it.
 */
import type {
  AssetReference,
  OrgAnalytics,
  OrgFacts,
  OrgPermissionSet,
  OrgProfile,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import {
  INTEGRATION_LICENSE,
  idKey,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import {
  PREDICATE_OBJECT,
  predicateUserFields,
} from '../../../../force-app/main/default/lwc/healthEngine/accessFacts';
import type { SourcePermissions } from './permissionFiles';
import type { SettingName } from './settingsFiles';

export type { SettingName };
import type { SourceTree } from './sourceTree';

export const EMPTY_ORG_ID = '00D000000000000AAA';
export const INTEGRATION_PROFILE = 'Analytics Cloud Integration User';
export const SECURITY_PROFILE = 'Analytics Cloud Security User';
const LOCAL_CONNECTION = 'SFDC_LOCAL';

export interface AssetSource {
  file: string;
  assetName: string;
  assetType: string;
}

/** Where each overlaid fact came from, for messages and SARIF locations. */
export interface Provenance {
  profileFiles: Map<string, string>;
  permissionSetFiles: Map<string, string>;
  settingFiles: Map<SettingName, string>;
  /** Profile id → its ProfileSessionSetting file. */
  sessionFiles: Map<string, string>;
  /** lower-case `Object` → assets reading it. */
  objectReaders: Map<string, AssetSource[]>;
  /** lower-case `Object.Field` → assets reading it. */
  fieldReaders: Map<string, AssetSource[]>;
  /** Dataset id → the asset file that sets its predicate or sharing source. */
  datasetFiles: Map<string, string>;
  /** lower-case `User.Field` → files of the predicates that read it. */
  predicateFieldFiles: Map<string, string[]>;
}

export interface Overlay {
  facts: OrgFacts;
  provenance: Provenance;
  /** Assumptions and choices an admin should know about, one line each. */
  notes: string[];
}

export function emptyOrg(collectedAt: string): OrgFacts {
  const orgKey = EMPTY_ORG_ID.toLowerCase();
  const systemUser = (id: string, username: string, name: string, profileId: string) => ({
    id,
    username: `${username}@${orgKey}.com`,
    name,
    isActive: true,
    isFrozen: null,
    userLicense: INTEGRATION_LICENSE,
    profileId,
    permissionSetIds: [],
    permissionSetLicenses: [],
    packageLicenseNamespaces: [],
  });
  // The standard profiles' permissions are Salesforce's to set: unknown until the source holds them.
  const standardProfile = (id: string, name: string): OrgProfile => ({
    id,
    name,
    isCustom: false,
    userLicense: INTEGRATION_LICENSE,
    requiredSessionLevel: null,
    loginIpRanges: [],
    loginHours: {},
    userPermissions: null,
    rowsCollected: { object: false, field: false },
  });
  return {
    schemaVersion: 1,
    collectedAt,
    source: 'metadata',
    org: { id: EMPTY_ORG_ID, name: 'empty org', isSandbox: null },
    settings: {
      enforceIpRangesEveryRequest: null,
      profileFilteringEnabled: null,
      apiAccessControlEnabled: null,
    },
    users: [
      systemUser('005000000000001AAA', 'integration', 'Integration User', '00e000000000001AAA'),
      systemUser('005000000000002AAA', 'insightssecurity', 'Security User', '00e000000000002AAA'),
    ],
    profiles: [
      standardProfile('00e000000000001AAA', INTEGRATION_PROFILE),
      standardProfile('00e000000000002AAA', SECURITY_PROFILE),
    ],
    permissionSets: [],
    objectPermissions: [],
    fieldPermissions: [],
    schema: null,
    analytics: { connections: [], references: [], jobs: [], datasets: [] },
    packageLicenses: null,
    auditTrail: null,
    collectionErrors: [],
  };
}

/**
 * Ids for profiles, permission sets and datasets that exist only in the source. Engines compare
 * ids on their first 15 characters, so the counter sits inside those.
 */
const SOURCE_ID_MARK = 'SRC';
function sourceIds(): (prefix: string) => string {
  let count = 0;
  return (prefix) => `${prefix}${SOURCE_ID_MARK}${String(++count).padStart(9, '0')}AAA`;
}

const normalName = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '_');

function pushReader(map: Map<string, AssetSource[]>, key: string, source: AssetSource) {
  const list = map.get(key) ?? [];
  if (!list.some((s) => s.file === source.file && s.assetName === source.assetName)) {
    list.push(source);
  }
  map.set(key, list);
}

type Principal = OrgProfile | OrgPermissionSet;
type Part = 'userPermissions' | 'object' | 'field';

/** A part of a principal's permissions that neither the source nor the baseline gives. */
interface UnknownPart {
  principal: Principal;
  kind: 'profile' | 'permission set';
  part: Part;
  why: string;
}

const PART_ELEMENT: Record<Part, string> = {
  userPermissions: '<userPermissions>',
  object: '<objectPermissions>',
  field: '<fieldPermissions>',
};

/** Puts what one source file says about a principal's permissions on it. */
class PermissionOverlay {
  /** Principal id key → the source rows that replace its own. */
  readonly objectRows = new Map<string, NonNullable<SourcePermissions['objects']>>();
  readonly fieldRows = new Map<string, NonNullable<SourcePermissions['fields']>>();
  readonly unknown: UnknownPart[] = [];

  /** `held`: id keys of the principals some user holds, the only ones a rule looks at. */
  constructor(
    private readonly notes: string[],
    private readonly held: Set<string>,
  ) {}

  /**
   * `inherited`: the principal comes from the baseline, whose values stay for the parts the
   * file does not list. Otherwise an unlisted part is unknown for this principal.
   */
  apply(
    principal: Principal,
    kind: 'profile' | 'permission set',
    file: string,
    permissions: SourcePermissions,
    inherited: boolean,
  ): void {
    const key = idKey(principal.id);
    const rows = principal.rowsCollected ?? { object: true, field: true };
    const kept: Part[] = [];
    const missing = (part: Part) => {
      if (inherited) {
        kept.push(part);
        return;
      }
      const why = `${file} has no ${PART_ELEMENT[part]} entries (retrieved without them)`;
      this.unknown.push({ principal, kind, part, why });
    };
    if (permissions.userPermissions !== null) {
      principal.userPermissions = permissions.userPermissions;
    } else {
      if (!inherited) principal.userPermissions = null;
      missing('userPermissions');
    }
    let object = inherited ? rows.object : false;
    if (permissions.objects !== null) {
      this.objectRows.set(key, permissions.objects);
      object = true;
    } else {
      missing('object');
    }
    let field = inherited ? rows.field : false;
    if (permissions.fields !== null) {
      this.fieldRows.set(key, permissions.fields);
      field = true;
    } else {
      missing('field');
    }
    if (object && field) delete principal.rowsCollected;
    else principal.rowsCollected = { object, field };
    if (kept.length > 0 && this.held.has(key)) {
      this.notes.push(
        `${file} has no ${kept.map((p) => PART_ELEMENT[p]).join(', ')} entries (retrieved without them): the baseline's stay for ${kind} "${principal.name}".`,
      );
    }
  }

  /** Replaces the rows of every principal the source gave rows for. */
  applyRows(facts: OrgFacts): void {
    const { objectRows, fieldRows } = this;
    facts.objectPermissions = facts.objectPermissions.filter(
      (r) => !objectRows.has(idKey(r.principalId)),
    );
    facts.fieldPermissions = facts.fieldPermissions.filter(
      (r) => !fieldRows.has(idKey(r.principalId)),
    );
    const principals = [...facts.profiles, ...facts.permissionSets];
    const idOf = (key: string) => principals.find((p) => idKey(p.id) === key)?.id ?? key;
    for (const [key, rows] of objectRows) {
      const principalId = idOf(key);
      for (const o of rows) {
        facts.objectPermissions.push({
          principalId,
          object: o.object,
          read: o.read,
          viewAll: o.viewAll,
        });
      }
    }
    for (const [key, rows] of fieldRows) {
      const principalId = idOf(key);
      for (const f of rows)
        facts.fieldPermissions.push({ principalId, field: f.field, read: f.read });
    }
  }
}

/** Id keys of the profiles and permission sets the users hold. */
function heldPrincipals(facts: OrgFacts): Set<string> {
  const held = new Set<string>();
  for (const user of facts.users) {
    held.add(idKey(user.profileId));
    for (const id of user.permissionSetIds) held.add(idKey(id));
  }
  return held;
}

/** The collection errors that say why the permissions of principals users hold are unknown. */
function unknownPermissionErrors(facts: OrgFacts, unknown: UnknownPart[], held: Set<string>) {
  const byFact = new Map<string, string[]>();
  for (const { principal, kind, part, why } of unknown) {
    if (!held.has(idKey(principal.id))) continue;
    const fact =
      part === 'userPermissions'
        ? `${kind === 'profile' ? 'profiles' : 'permissionSets'}.userPermissions`
        : `${part}Permissions`;
    const what = part === 'userPermissions' ? 'permissions' : `${part} permissions`;
    const messages = byFact.get(fact) ?? [];
    messages.push(`the ${what} of ${kind} "${principal.name}" are unknown: ${why}`);
    byFact.set(fact, messages);
  }
  for (const [fact, messages] of byFact) {
    facts.collectionErrors.push({ fact, message: messages.join('; ') });
  }
}

export function overlaySource(tree: SourceTree, baseline: OrgFacts | null, now: Date): Overlay {
  const facts = JSON.parse(JSON.stringify(baseline ?? emptyOrg(now.toISOString()))) as OrgFacts;
  facts.source = 'metadata';
  const notes: string[] = [...tree.notes];
  const sourceId = sourceIds();
  const provenance: Provenance = {
    profileFiles: new Map(),
    permissionSetFiles: new Map(),
    settingFiles: new Map(),
    sessionFiles: new Map(),
    objectReaders: new Map(),
    fieldReaders: new Map(),
    datasetFiles: new Map(),
    predicateFieldFiles: new Map(),
  };
  if (!baseline) {
    notes.push(
      'No baseline snapshot (--facts): the source is checked against an empty org holding only the standard Integration and Security users, active, with no permission sets assigned.',
    );
  }

  for (const setting of tree.settings) {
    facts.settings[setting.setting] = setting.value;
    provenance.settingFiles.set(setting.setting, setting.file);
  }

  const held = heldPrincipals(facts);
  const permissions = new PermissionOverlay(notes, held);

  for (const source of tree.profiles) {
    let profile = facts.profiles.find((p) => p.name.toLowerCase() === source.name.toLowerCase());
    const inherited = baseline !== null && profile !== undefined;
    if (!profile) {
      profile = {
        id: sourceId('00e'),
        name: source.name,
        isCustom: source.isCustom ?? true,
        userLicense: source.userLicense ?? '',
        requiredSessionLevel: null,
        loginIpRanges: [],
        loginHours: {},
        userPermissions: null,
      };
      facts.profiles.push(profile);
    }
    if (source.isCustom !== null) profile.isCustom = source.isCustom;
    if (source.userLicense !== null) profile.userLicense = source.userLicense;
    profile.loginIpRanges = source.loginIpRanges;
    profile.loginHours = source.loginHours;
    provenance.profileFiles.set(idKey(profile.id), source.file);
    permissions.apply(profile, 'profile', source.file, source.permissions, inherited);
  }

  for (const session of tree.sessionSettings) {
    const profile = facts.profiles.find(
      (p) => p.name.toLowerCase() === session.profile.toLowerCase(),
    );
    if (!profile) {
      notes.push(
        `${session.file}: profile "${session.profile}" is neither in the baseline nor in the source; ignored.`,
      );
      continue;
    }
    profile.requiredSessionLevel = session.requiredSessionLevel;
    if (!provenance.profileFiles.has(idKey(profile.id))) {
      provenance.profileFiles.set(idKey(profile.id), session.file);
    }
    provenance.sessionFiles.set(idKey(profile.id), session.file);
  }

  for (const source of tree.permissionSets) {
    let set: OrgPermissionSet | undefined = facts.permissionSets.find(
      (p) => p.name.toLowerCase() === source.name.toLowerCase(),
    );
    const inherited = baseline !== null && set !== undefined;
    if (!set) {
      set = {
        id: sourceId('0PS'),
        name: source.name,
        ...(source.label ? { label: source.label } : {}),
        type: 'permissionSet',
        userPermissions: null,
      };
      facts.permissionSets.push(set);
    }
    provenance.permissionSetFiles.set(idKey(set.id), source.file);
    permissions.apply(set, 'permission set', source.file, source.permissions, inherited);
  }
  permissions.applyRows(facts);

  // Without a baseline, the standard profiles the source lacks stay unknown (see emptyOrg).
  const unknown = [...permissions.unknown];
  if (!baseline) {
    for (const name of [INTEGRATION_PROFILE, SECURITY_PROFILE]) {
      if (tree.profiles.some((p) => p.name.toLowerCase() === name.toLowerCase())) continue;
      const profile = facts.profiles.find((p) => p.name === name) as OrgProfile;
      const why = `"${name}" is not in the source`;
      for (const part of ['userPermissions', 'object', 'field'] as const) {
        unknown.push({ principal: profile, kind: 'profile', part, why });
      }
    }
  }
  unknownPermissionErrors(facts, unknown, held);

  overlayReferences(tree, facts, provenance, notes, baseline !== null);
  overlayDatasets(tree, facts, provenance, notes, sourceId);
  return { facts, provenance, notes };
}

/** The analytics facts to add to: a baseline without them gets empty lists marked incomplete. */
function analyticsOf(facts: OrgFacts): OrgAnalytics {
  if (facts.analytics === null) {
    facts.analytics = { connections: [], references: [], jobs: [] };
    const reason = 'the baseline snapshot has no analytics facts';
    facts.collectionErrors.push({ fact: 'analytics.connections', message: reason });
    facts.collectionErrors.push({ fact: 'analytics.jobs', message: reason });
  }
  return facts.analytics;
}

/**
 * Datasets the source registers with a predicate or a sharing source. A dataset the baseline
 * already has keeps the baseline's security: CRM Analytics applies a changed predicate or
 * sharing source only when the dataset itself is edited, not when its dataflow or recipe runs.
 */
function overlayDatasets(
  tree: SourceTree,
  facts: OrgFacts,
  provenance: Provenance,
  notes: string[],
  sourceId: (prefix: string) => string,
) {
  if (tree.datasets.length === 0) return;
  const analytics = analyticsOf(facts);
  if (analytics.datasets === undefined || analytics.datasets === null) {
    analytics.datasets = [];
    facts.collectionErrors.push({
      fact: 'analytics.datasets',
      message:
        'the baseline snapshot has no dataset facts: only the datasets the source defines are listed',
    });
  }
  const datasets = analytics.datasets;
  for (const source of tree.datasets) {
    let dataset = datasets.find((d) => d.name.toLowerCase() === source.name.toLowerCase());
    if (provenance.datasetFiles.has(idKey(dataset?.id ?? ''))) continue;
    if (dataset) {
      const same =
        (dataset.predicate ?? null) === source.predicate &&
        (dataset.sharingSource ?? '').toLowerCase() === (source.sharingSource ?? '').toLowerCase();
      if (!same) {
        notes.push(
          `${source.file} sets the row-level security of dataset "${source.name}", which the baseline already has: its security stays as the baseline has it until the dataset itself is edited.`,
        );
      }
    } else {
      dataset = {
        id: sourceId('0Fb'),
        name: source.name,
        predicate: source.predicate,
        sharingSource: source.sharingSource,
      };
      datasets.push(dataset);
    }
    provenance.datasetFiles.set(idKey(dataset.id), source.file);
    if (dataset.predicate && dataset.predicateKnown !== false) {
      for (const field of predicateUserFields(dataset.predicate)) {
        const key = `${PREDICATE_OBJECT}.${field}`.toLowerCase();
        const files = provenance.predicateFieldFiles.get(key) ?? [];
        if (!files.includes(source.file)) files.push(source.file);
        provenance.predicateFieldFiles.set(key, files);
      }
    }
  }
}

function overlayReferences(
  tree: SourceTree,
  facts: OrgFacts,
  provenance: Provenance,
  notes: string[],
  hasBaseline: boolean,
) {
  if (tree.assetFiles.length === 0) return;
  const analytics = analyticsOf(facts);
  const sourceAssets = new Set(
    tree.references.map((r) => `${r.assetType}|${normalName(r.assetName)}`),
  );
  const references: AssetReference[] = tree.references.map(({ file, ...reference }) => {
    const source = { file, assetName: reference.assetName, assetType: reference.assetType };
    pushReader(provenance.objectReaders, reference.object.toLowerCase(), source);
    for (const field of reference.fields) {
      pushReader(provenance.fieldReaders, `${reference.object}.${field}`.toLowerCase(), source);
    }
    return reference;
  });
  analytics.references = [
    ...analytics.references.filter(
      (r) => !sourceAssets.has(`${r.assetType}|${normalName(r.assetName)}`),
    ),
    ...references,
  ];
  // Reads through a connection the facts do not know: only SFDC_LOCAL is this org.
  for (const reference of references) {
    const name = reference.connectionName;
    if (!name || name.toUpperCase() === LOCAL_CONNECTION) continue;
    if (analytics.connections.some((c) => c.name.toLowerCase() === name.toLowerCase())) continue;
    analytics.connections.push({ name, type: 'Unknown', runAsUserId: null });
    notes.push(
      `Connection "${name}" (read by ${reference.assetName}) is not ${hasBaseline ? 'in the baseline' : 'known without a baseline'}: its reads are listed, not judged.`,
    );
  }
}
