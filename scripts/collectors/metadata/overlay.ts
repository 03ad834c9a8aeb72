/**
 * Lays a source tree over a baseline snapshot (or over an empty org) to get the
 * org facts a deployment of that source would leave behind, and remembers which
 * file each profile, permission set, setting and analytics read came from.
 *
 * The empty org: a new org holds the two system users CRM Analytics creates, on
 * their standard profiles, active, with no permission sets assigned; every other
 * fact the source cannot give (freeze state, session level, jobs, licences, audit
 * trail, schema) is unknown.
 */
import type {
  AssetReference,
  OrgFacts,
  OrgPermissionSet,
  OrgProfile,
} from '../../../force-app/main/default/lwc/healthEngine/healthEngine';
import {
  INTEGRATION_LICENSE,
  idKey,
} from '../../../force-app/main/default/lwc/healthEngine/healthEngine';
import type { SourcePermissions } from './permissionFiles';
import type { SettingName } from './settingsFiles';

export type { SettingName };
import type { SourceTree } from './sourceTree';

export const EMPTY_ORG_ID = '00D000000000000AAA';
export const INTEGRATION_PROFILE = 'Analytics Cloud Integration User';
export const SECURITY_PROFILE = 'Analytics Cloud Security User';
const LOCAL_CONNECTION = 'SFDC_LOCAL';
const NOT_IN_SOURCE = '';

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
  const standardProfile = (id: string, name: string): OrgProfile => ({
    id,
    name,
    isCustom: false,
    userLicense: INTEGRATION_LICENSE,
    requiredSessionLevel: null,
    loginIpRanges: [],
    loginHours: {},
    userPermissions: [],
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
    analytics: { connections: [], references: [], jobs: [] },
    packageLicenses: null,
    auditTrail: null,
    collectionErrors: [],
  };
}

/**
 * Ids for profiles and permission sets that exist only in the source. Engines compare
 * ids on their first 15 characters, so the counter sits inside those.
 */
const SOURCE_ID_MARK = 'SRC';
function sourceIds(): (prefix: string) => string {
  let count = 0;
  return (prefix) => `${prefix}${SOURCE_ID_MARK}${String(++count).padStart(9, '0')}AAA`;
}
const isSourceId = (id: string) => id.slice(3, 6) === SOURCE_ID_MARK;

const normalName = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '_');

function pushReader(map: Map<string, AssetSource[]>, key: string, source: AssetSource) {
  const list = map.get(key) ?? [];
  if (!list.some((s) => s.file === source.file && s.assetName === source.assetName)) {
    list.push(source);
  }
  map.set(key, list);
}

export function overlaySource(tree: SourceTree, baseline: OrgFacts | null, now: Date): Overlay {
  const facts = JSON.parse(JSON.stringify(baseline ?? emptyOrg(now.toISOString()))) as OrgFacts;
  facts.source = 'metadata';
  const notes: string[] = [];
  const sourceId = sourceIds();
  const provenance: Provenance = {
    profileFiles: new Map(),
    permissionSetFiles: new Map(),
    settingFiles: new Map(),
    sessionFiles: new Map(),
    objectReaders: new Map(),
    fieldReaders: new Map(),
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

  // Principals whose permission rows the source replaces, and those left unknown.
  const replaced = new Set<string>();
  const unknownPrincipals: { id: string; file: string; name: string }[] = [];
  const newRows = (id: string, permissions: SourcePermissions) => {
    replaced.add(idKey(id));
    for (const o of permissions.objects) {
      facts.objectPermissions.push({
        principalId: id,
        object: o.object,
        read: o.read,
        viewAll: o.viewAll,
      });
    }
    for (const f of permissions.fields) {
      facts.fieldPermissions.push({ principalId: id, field: f.field, read: f.read });
    }
  };
  const pendingRows: [string, SourcePermissions][] = [];

  for (const source of tree.profiles) {
    let profile = facts.profiles.find((p) => p.name.toLowerCase() === source.name.toLowerCase());
    if (!profile) {
      profile = {
        id: sourceId('00e'),
        name: source.name,
        isCustom: source.isCustom ?? true,
        userLicense: source.userLicense ?? '',
        requiredSessionLevel: null,
        loginIpRanges: [],
        loginHours: {},
        userPermissions: [],
      };
      facts.profiles.push(profile);
    }
    if (source.isCustom !== null) profile.isCustom = source.isCustom;
    if (source.userLicense !== null) profile.userLicense = source.userLicense;
    profile.loginIpRanges = source.loginIpRanges;
    profile.loginHours = source.loginHours;
    provenance.profileFiles.set(idKey(profile.id), source.file);
    if (source.permissions) {
      profile.userPermissions = source.permissions.userPermissions;
      pendingRows.push([profile.id, source.permissions]);
    } else if (!baseline || isSourceId(profile.id)) {
      unknownPrincipals.push({ id: profile.id, file: source.file, name: source.name });
    } else {
      notes.push(
        `${source.file} has no permission sections (retrieved without them): the baseline's permissions of profile "${source.name}" are kept.`,
      );
    }
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
    if (!set) {
      set = {
        id: sourceId('0PS'),
        name: source.name,
        ...(source.label ? { label: source.label } : {}),
        type: 'permissionSet',
        userPermissions: [],
      };
      facts.permissionSets.push(set);
    }
    provenance.permissionSetFiles.set(idKey(set.id), source.file);
    if (source.permissions) {
      set.userPermissions = source.permissions.userPermissions;
      pendingRows.push([set.id, source.permissions]);
    } else if (!baseline || isSourceId(set.id)) {
      unknownPrincipals.push({ id: set.id, file: source.file, name: source.name });
    }
  }

  for (const [id] of pendingRows) replaced.add(idKey(id));
  facts.objectPermissions = facts.objectPermissions.filter(
    (r) => !replaced.has(idKey(r.principalId)),
  );
  facts.fieldPermissions = facts.fieldPermissions.filter(
    (r) => !replaced.has(idKey(r.principalId)),
  );
  for (const [id, permissions] of pendingRows) newRows(id, permissions);

  // Unknown permissions matter only for principals a user holds.
  const held = new Set<string>();
  for (const user of facts.users) {
    held.add(idKey(user.profileId));
    for (const id of user.permissionSetIds) held.add(idKey(id));
  }
  const unknownHeld = unknownPrincipals.filter((p) => held.has(idKey(p.id)));
  if (!baseline) {
    for (const name of [INTEGRATION_PROFILE, SECURITY_PROFILE]) {
      if (!tree.profiles.some((p) => p.name.toLowerCase() === name.toLowerCase())) {
        const profile = facts.profiles.find((p) => p.name === name) as OrgProfile;
        unknownHeld.push({ id: profile.id, file: NOT_IN_SOURCE, name });
      }
    }
  }
  if (unknownHeld.length > 0) {
    const why = unknownHeld
      .map((p) =>
        p.file === NOT_IN_SOURCE
          ? `"${p.name}" is not in the source`
          : `${p.file} has no permission sections (retrieved without them)`,
      )
      .join('; ');
    const message = `permissions unknown: ${why}`;
    // "permissionSets" is among the facts of every rule on effective access (AH020, AH021, AH034, AH036).
    for (const fact of ['permissionSets', 'objectPermissions', 'fieldPermissions']) {
      facts.collectionErrors.push({ fact, message });
    }
  }

  overlayReferences(tree, facts, provenance, notes, baseline !== null);
  return { facts, provenance, notes };
}

function overlayReferences(
  tree: SourceTree,
  facts: OrgFacts,
  provenance: Provenance,
  notes: string[],
  hasBaseline: boolean,
) {
  if (tree.assetFiles.length === 0) return;
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
  if (facts.analytics === null) {
    facts.analytics = { connections: [], references: [], jobs: [] };
    const reason = 'the baseline snapshot has no analytics facts';
    facts.collectionErrors.push({ fact: 'analytics.connections', message: reason });
    facts.collectionErrors.push({ fact: 'analytics.jobs', message: reason });
  }
  const analytics = facts.analytics;
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
