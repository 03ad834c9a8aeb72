/**
 * What-if: the org facts as they would be after a change the admin is
 * considering (add an IP range, grant a field, lower the session level...).
 * Evaluating the result and comparing it with the current report shows which
 * findings the change would resolve or create. Nothing is written anywhere:
 * the input facts are not modified, changed parts are copied.
 */
import { parseIpv4 } from './ipRanges';
import { idKey } from './orgModel';
import type {
  FieldPermission,
  ObjectPermission,
  OrgFacts,
  OrgProfile,
  OrgUser,
  SessionLevel,
} from './orgFacts';

export type WhatIfChange =
  | { kind: 'addLoginIpRange'; profileId: string; start: string; end: string }
  | { kind: 'removeLoginIpRestrictions'; profileId: string }
  | { kind: 'removeLoginHours'; profileId: string }
  | { kind: 'setSessionLevel'; profileId: string; level: SessionLevel }
  | { kind: 'grantFieldRead'; principalId: string; field: string }
  | { kind: 'revokeFieldRead'; principalId: string; field: string }
  | { kind: 'grantObjectAccess'; principalId: string; object: string; access: 'read' | 'viewAll' }
  | { kind: 'grantUserPermission'; principalId: string; permission: string }
  | { kind: 'revokeUserPermission'; principalId: string; permission: string }
  | { kind: 'setUserFrozen'; userId: string; frozen: boolean }
  | { kind: 'setUserActive'; userId: string; active: boolean }
  // Catalog v1.1
  | { kind: 'approveConnectedApps'; principalId: string; apps?: string[] }
  | { kind: 'addSandboxMembers'; sandbox: string; userIds: string[] };

/** The connected apps CRM Analytics needs under API Access Control (AH037). */
export const ANALYTICS_CONNECTED_APPS: readonly string[] = ['Insights', 'Wave Web'];

export class WhatIfError extends Error {
  override name = 'WhatIfError';
}

const SESSION_LEVELS: readonly SessionLevel[] = ['NONE', 'STANDARD', 'HIGH_ASSURANCE'];

/** The facts after `changes`, applied in order. Throws WhatIfError naming the change at fault. */
export function applyWhatIf(facts: OrgFacts, changes: WhatIfChange[]): OrgFacts {
  const next: OrgFacts = {
    ...facts,
    users: facts.users.slice(),
    profiles: facts.profiles.slice(),
    permissionSets: facts.permissionSets.slice(),
    objectPermissions: facts.objectPermissions,
    fieldPermissions: facts.fieldPermissions,
  };
  changes.forEach((change, index) => {
    try {
      applyOne(next, change);
    } catch (error) {
      if (error instanceof WhatIfError) {
        throw new WhatIfError(`change ${index + 1} (${change.kind}): ${error.message}`);
      }
      throw error;
    }
  });
  return next;
}

function applyOne(facts: OrgFacts, change: WhatIfChange): void {
  switch (change.kind) {
    case 'addLoginIpRange': {
      for (const address of [change.start, change.end]) {
        try {
          parseIpv4(address);
        } catch {
          throw new WhatIfError(`"${address}" is not an IPv4 address`);
        }
      }
      if (parseIpv4(change.start) > parseIpv4(change.end)) {
        throw new WhatIfError(`the range starts after it ends (${change.start}–${change.end})`);
      }
      updateProfile(facts, change.profileId, (p) => ({
        ...p,
        loginIpRanges: [...(p.loginIpRanges ?? []), { start: change.start, end: change.end }],
      }));
      return;
    }
    case 'removeLoginIpRestrictions':
      updateProfile(facts, change.profileId, (p) => ({ ...p, loginIpRanges: [] }));
      return;
    case 'removeLoginHours':
      updateProfile(facts, change.profileId, (p) => ({ ...p, loginHours: {} }));
      return;
    case 'setSessionLevel':
      if (!SESSION_LEVELS.includes(change.level)) {
        throw new WhatIfError(`unknown session level ${JSON.stringify(change.level)}`);
      }
      updateProfile(facts, change.profileId, (p) => ({ ...p, requiredSessionLevel: change.level }));
      return;
    case 'grantFieldRead':
    case 'revokeFieldRead': {
      requirePrincipal(facts, change.principalId);
      const read = change.kind === 'grantFieldRead';
      const field = change.field.toLowerCase();
      const principal = idKey(change.principalId);
      const rest = facts.fieldPermissions.filter(
        (row) => !(idKey(row.principalId) === principal && row.field.toLowerCase() === field),
      );
      const row: FieldPermission = { principalId: change.principalId, field: change.field, read };
      facts.fieldPermissions = read ? [...rest, row] : rest;
      return;
    }
    case 'grantObjectAccess': {
      requirePrincipal(facts, change.principalId);
      const object = change.object.toLowerCase();
      const principal = idKey(change.principalId);
      const existing = facts.objectPermissions.find(
        (row) => idKey(row.principalId) === principal && row.object.toLowerCase() === object,
      );
      // View All includes Read in Setup: granting it turns both on.
      const row: ObjectPermission = {
        principalId: change.principalId,
        object: change.object,
        read: true,
        viewAll: change.access === 'viewAll' || (existing?.viewAll ?? false),
      };
      facts.objectPermissions = [...facts.objectPermissions.filter((r) => r !== existing), row];
      return;
    }
    case 'grantUserPermission':
    case 'revokeUserPermission': {
      const grant = change.kind === 'grantUserPermission';
      const name = change.permission.replace(/^Permissions/, '');
      const edit = (permissions: string[] | null) => {
        // An unknown list stays unknown: one change cannot say what else it holds.
        if (permissions === null) {
          throw new WhatIfError(`the permissions of ${change.principalId} are unknown`);
        }
        const others = permissions.filter((p) => p.toLowerCase() !== name.toLowerCase());
        return grant ? [...others, name] : others;
      };
      const key = idKey(change.principalId);
      const profileAt = facts.profiles.findIndex((p) => idKey(p.id) === key);
      if (profileAt >= 0) {
        const profile = facts.profiles[profileAt];
        facts.profiles[profileAt] = { ...profile, userPermissions: edit(profile.userPermissions) };
        return;
      }
      const setAt = facts.permissionSets.findIndex((s) => idKey(s.id) === key);
      if (setAt < 0) throw new WhatIfError(`no profile or permission set ${change.principalId}`);
      const set = facts.permissionSets[setAt];
      facts.permissionSets[setAt] = { ...set, userPermissions: edit(set.userPermissions) };
      return;
    }
    case 'setUserFrozen':
      updateUser(facts, change.userId, (u) => ({ ...u, isFrozen: change.frozen }));
      return;
    case 'setUserActive':
      updateUser(facts, change.userId, (u) => ({ ...u, isActive: change.active }));
      return;
    case 'approveConnectedApps':
      approveConnectedApps(facts, change.principalId, change.apps ?? ANALYTICS_CONNECTED_APPS);
      return;
    case 'addSandboxMembers':
      addSandboxMembers(facts, change.sandbox, change.userIds);
      return;
    default:
      throw new WhatIfError(`unknown change ${JSON.stringify((change as { kind: unknown }).kind)}`);
  }
}

function updateProfile(
  facts: OrgFacts,
  profileId: string,
  edit: (profile: OrgProfile) => OrgProfile,
): void {
  const at = facts.profiles.findIndex((p) => idKey(p.id) === idKey(profileId));
  if (at < 0) throw new WhatIfError(`no profile ${profileId} in the facts`);
  facts.profiles[at] = edit(facts.profiles[at]);
}

function updateUser(facts: OrgFacts, userId: string, edit: (user: OrgUser) => OrgUser): void {
  const at = facts.users.findIndex((u) => idKey(u.id) === idKey(userId));
  if (at < 0) throw new WhatIfError(`no user ${userId} in the facts`);
  facts.users[at] = edit(facts.users[at]);
}

/** Installs the apps if need be and approves them for the profile or permission set. */
function approveConnectedApps(
  facts: OrgFacts,
  principalId: string,
  names: readonly string[],
): void {
  requirePrincipal(facts, principalId);
  if (names.length === 0) throw new WhatIfError('no connected app named');
  const apps = (facts.connectedApps ?? []).map((app) => ({ ...app }));
  for (const name of names) {
    const matching = apps.filter((app) => app.name.toLowerCase() === name.toLowerCase());
    if (matching.length === 0) {
      apps.push({
        name,
        installed: true,
        adminApprovedUsersOnly: true,
        approvedPrincipalIds: [principalId],
      });
      continue;
    }
    for (const app of matching) {
      app.installed = true;
      const approved = app.approvedPrincipalIds ?? [];
      app.approvedPrincipalIds = approved.some((id) => idKey(id) === idKey(principalId))
        ? approved
        : [...approved, principalId];
    }
  }
  facts.connectedApps = apps;
}

/** Adds users to a sandbox's access group (members unknown before: these at least, after). */
function addSandboxMembers(facts: OrgFacts, sandboxName: string, userIds: string[]): void {
  const sandboxes = facts.sandboxes;
  const at = (sandboxes ?? []).findIndex((s) => s.name.toLowerCase() === sandboxName.toLowerCase());
  if (!sandboxes || at < 0) throw new WhatIfError(`no sandbox ${sandboxName} in the facts`);
  for (const id of userIds) {
    if (!facts.users.some((u) => idKey(u.id) === idKey(id))) {
      throw new WhatIfError(`no user ${id} in the facts`);
    }
  }
  const sandbox = sandboxes[at];
  if (sandbox.activationGroupId === null) return; // Every user gets access already.
  const members = sandbox.memberUserIds ?? [];
  const added = userIds.filter((id) => !members.some((m) => idKey(m) === idKey(id)));
  const next = sandboxes.slice();
  next[at] = { ...sandbox, memberUserIds: [...members, ...added] };
  facts.sandboxes = next;
}

function requirePrincipal(facts: OrgFacts, principalId: string): void {
  const key = idKey(principalId);
  const known =
    facts.profiles.some((p) => idKey(p.id) === key) ||
    facts.permissionSets.some((s) => idKey(s.id) === key);
  if (!known) throw new WhatIfError(`no profile or permission set ${principalId} in the facts`);
}
