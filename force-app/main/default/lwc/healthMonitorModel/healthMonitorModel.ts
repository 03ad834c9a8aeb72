/**
 * The logic behind the monitoring parts of the dashboard (run history, the diff
 * since the last run, schedule settings, acknowledgements, what-if), kept out of
 * the components so it can be tested without rendering. The monitor controller
 * answers with JSON strings; each parser here turns an answer into typed data or
 * throws, so a component never shows something it did not get.
 */
import {
  ANALYTICS_CONNECTED_APPS,
  OrgModel,
  applyWhatIf,
  compareReports,
  compileCatalog,
  evaluate,
  idKey,
  type Acknowledgement,
  type CatalogRecords,
  type CompiledCatalog,
  type Finding,
  type OrgFacts,
  type Report,
  type SessionLevel,
  type WhatIfChange,
} from 'c/healthEngine';
import { subjectKindSingular } from 'c/healthDashboardModel';

// ---- History ----

export type RunTrigger = 'scheduled' | 'onDemand' | 'dashboard';
export type RunStatus = 'complete' | 'running' | 'failed';

export interface RunSummary {
  id: string;
  evaluatedAt: string;
  trigger: RunTrigger;
  status: RunStatus;
  score: number | null;
  critical: number | null;
  warning: number | null;
  info: number | null;
  passed: number | null;
  notEvaluated: number | null;
  errors: number | null;
  acknowledged: number | null;
  newCritical: number | null;
  message: string | null;
}

function parseArray(json: unknown, what: string): unknown[] {
  if (typeof json !== 'string' || json.trim() === '') throw new Error(`No ${what} was returned.`);
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) throw new Error(`The ${what} returned is not a list.`);
  return value;
}

function parseObject(json: unknown, what: string): Record<string, unknown> {
  if (typeof json !== 'string' || json.trim() === '') throw new Error(`No ${what} was returned.`);
  const value: unknown = JSON.parse(json);
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`The ${what} returned is not an object.`);
  }
  return value as Record<string, unknown>;
}

const numberOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const stringOrNull = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;

/** getHistory's answer, newest first as the controller sends it. */
export function parseHistory(json: unknown): RunSummary[] {
  return parseArray(json, 'run history').map((item, i) => {
    const r = (item ?? {}) as Record<string, unknown>;
    if (typeof r.id !== 'string' || typeof r.evaluatedAt !== 'string') {
      throw new Error(`Run ${i + 1} of the history has no id or time.`);
    }
    return {
      id: r.id,
      evaluatedAt: r.evaluatedAt,
      trigger: (r.trigger as RunTrigger) ?? 'scheduled',
      status: (r.status as RunStatus) ?? 'complete',
      score: numberOrNull(r.score),
      critical: numberOrNull(r.critical),
      warning: numberOrNull(r.warning),
      info: numberOrNull(r.info),
      passed: numberOrNull(r.passed),
      notEvaluated: numberOrNull(r.notEvaluated),
      errors: numberOrNull(r.errors),
      acknowledged: numberOrNull(r.acknowledged),
      newCritical: numberOrNull(r.newCritical),
      message: stringOrNull(r.message),
    };
  });
}

export const TRIGGER_LABELS: Record<RunTrigger, string> = {
  scheduled: 'Scheduled',
  onDemand: 'Run now',
  dashboard: 'Dashboard',
};

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  complete: 'Complete',
  running: 'Running',
  failed: 'Failed',
};

export function formatDateTime(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export interface ChartPoint {
  key: string;
  x: number;
  y: number;
  label: string;
}

export interface ChartBar {
  key: string;
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
}

export interface ChartTick {
  key: string;
  position: number;
  label: string;
}

export interface HistoryChart {
  width: number;
  height: number;
  /** Plot area inside the axes. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  scoreLine: string;
  scorePoints: ChartPoint[];
  criticalBars: ChartBar[];
  scoreTicks: ChartTick[];
  criticalTicks: ChartTick[];
  timeTicks: ChartTick[];
  maxCritical: number;
  summary: string;
}

const CHART = { width: 640, height: 240, left: 44, right: 604, top: 16, bottom: 200 };

/**
 * Geometry of the history chart: the score as a line on a 0–100 scale (left axis),
 * the critical count as bars (right axis). Only complete runs have numbers to draw;
 * they are laid out oldest to newest, evenly spaced.
 */
export function historyChart(runs: RunSummary[]): HistoryChart | null {
  const drawn = runs
    .filter((r) => r.status === 'complete' && r.score !== null)
    .slice()
    .sort((a, b) => Date.parse(a.evaluatedAt) - Date.parse(b.evaluatedAt));
  if (drawn.length === 0) return null;
  const { left, right, top, bottom } = CHART;
  const plotWidth = right - left;
  const plotHeight = bottom - top;
  const step = drawn.length > 1 ? plotWidth / (drawn.length - 1) : 0;
  const xOf = (i: number) => (drawn.length > 1 ? left + i * step : left + plotWidth / 2);
  const maxCritical = Math.max(1, ...drawn.map((r) => r.critical ?? 0));
  const barWidth = Math.max(4, Math.min(24, (drawn.length > 1 ? step : plotWidth) * 0.5));
  const round = (n: number) => Math.round(n * 10) / 10;

  const scorePoints = drawn.map((r, i) => ({
    key: r.id,
    x: round(xOf(i)),
    y: round(bottom - ((r.score ?? 0) / 100) * plotHeight),
    label: `${formatDateTime(r.evaluatedAt)}: score ${r.score}`,
  }));
  const criticalBars = drawn.map((r, i) => {
    const height = round(((r.critical ?? 0) / maxCritical) * plotHeight);
    return {
      key: r.id,
      x: round(xOf(i) - barWidth / 2),
      y: round(bottom - height),
      width: round(barWidth),
      height,
      label: `${formatDateTime(r.evaluatedAt)}: ${r.critical ?? 0} critical`,
    };
  });
  const scoreTicks = [0, 25, 50, 75, 100].map((value) => ({
    key: `s${value}`,
    position: round(bottom - (value / 100) * plotHeight),
    label: String(value),
  }));
  const criticalValues = [...new Set([0, Math.ceil(maxCritical / 2), maxCritical])];
  const criticalTicks = criticalValues.map((value) => ({
    key: `c${value}`,
    position: round(bottom - (value / maxCritical) * plotHeight),
    label: String(value),
  }));
  const timeIndexes = [...new Set([0, Math.floor((drawn.length - 1) / 2), drawn.length - 1])];
  const timeTicks = timeIndexes.map((i) => ({
    key: `t${i}`,
    position: round(xOf(i)),
    label: new Date(drawn[i].evaluatedAt).toLocaleDateString(),
  }));
  const first = drawn[0];
  const last = drawn[drawn.length - 1];
  const summary =
    drawn.length === 1
      ? `One run: score ${last.score}, ${last.critical ?? 0} critical.`
      : `${drawn.length} runs from ${formatDateTime(first.evaluatedAt)} to ${formatDateTime(last.evaluatedAt)}. Score went from ${first.score} to ${last.score}; critical findings from ${first.critical ?? 0} to ${last.critical ?? 0}.`;
  return {
    ...CHART,
    scoreLine: scorePoints.map((p) => `${p.x},${p.y}`).join(' '),
    scorePoints,
    criticalBars,
    scoreTicks,
    criticalTicks,
    timeTicks,
    maxCritical,
    summary,
  };
}

// ---- Since the last run ----

export interface RunComparison {
  currentRunId: string | null;
  previousRunId: string | null;
  newFailures: Finding[];
  resolved: Finding[];
  stillFailing: Finding[];
  noLongerKnown: Finding[];
}

export const COMPARISON_GROUPS = [
  { key: 'newFailures', label: 'New failures' },
  { key: 'resolved', label: 'Resolved' },
  { key: 'stillFailing', label: 'Still failing' },
  { key: 'noLongerKnown', label: 'No longer known' },
] as const;

export function parseComparison(json: unknown): RunComparison {
  const value = parseObject(json, 'comparison');
  const list = (key: string): Finding[] => {
    const items = value[key] ?? [];
    if (!Array.isArray(items)) throw new Error(`The comparison's ${key} is not a list.`);
    return items as Finding[];
  };
  return {
    currentRunId: stringOrNull(value.currentRunId),
    previousRunId: stringOrNull(value.previousRunId),
    newFailures: list('newFailures'),
    resolved: list('resolved'),
    stillFailing: list('stillFailing'),
    noLongerKnown: list('noLongerKnown'),
  };
}

// ---- Schedule ----

export interface ScheduleSettings {
  cronExpression: string;
  retentionDays: number;
  recipients: string[];
  notifyOnNewCritical: boolean;
  scheduled: boolean;
  nextRunAt: string | null;
}

export function parseSchedule(json: unknown): ScheduleSettings {
  const v = parseObject(json, 'schedule');
  return {
    cronExpression: typeof v.cronExpression === 'string' ? v.cronExpression : '',
    retentionDays: numberOrNull(v.retentionDays) ?? 90,
    recipients: Array.isArray(v.recipients) ? v.recipients.map(String) : [],
    notifyOnNewCritical: v.notifyOnNewCritical === true,
    scheduled: v.scheduled === true,
    nextRunAt: stringOrNull(v.nextRunAt),
  };
}

/** Apex cron expressions (seconds minutes hours day-of-month month day-of-week). */
export const CRON_PRESETS = [
  { label: 'Daily at 06:00', value: '0 0 6 * * ?' },
  { label: 'Weekdays at 06:00', value: '0 0 6 ? * MON-FRI' },
  { label: 'Daily at 22:00', value: '0 0 22 * * ?' },
  { label: 'Weekly, Monday at 06:00', value: '0 0 6 ? * MON' },
] as const;
export const CUSTOM_CRON = 'custom';

export function presetOf(cron: string): string {
  return CRON_PRESETS.find((p) => p.value === cron.trim())?.value ?? CUSTOM_CRON;
}

/** Recipients typed one per line or separated by commas or semicolons. */
export function parseRecipients(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Checks the form before it is sent, so the obvious mistakes are named at once.
 * The controller stays the judge (it validates the cron with the platform's own
 * scheduler); its messages are shown as they come.
 */
export function scheduleProblems(settings: {
  cronExpression: string;
  retentionDays: number;
  recipients: string[];
  notifyOnNewCritical: boolean;
}): Record<string, string> {
  const problems: Record<string, string> = {};
  const parts = settings.cronExpression.trim().split(/\s+/).filter(Boolean);
  if (parts.length < 6 || parts.length > 7) {
    problems.cronExpression =
      'Enter six or seven fields: seconds minutes hours day-of-month month day-of-week [year].';
  }
  if (
    !Number.isInteger(settings.retentionDays) ||
    settings.retentionDays < 1 ||
    settings.retentionDays > 3650
  ) {
    problems.retentionDays = 'Keep runs for 1 to 3650 days.';
  }
  const bad = settings.recipients.filter((r) => !EMAIL.test(r));
  if (bad.length > 0) problems.recipients = `Not an email address: ${bad.join(', ')}`;
  else if (settings.notifyOnNewCritical && settings.recipients.length === 0) {
    problems.recipients = 'Add at least one recipient, or turn notifications off.';
  }
  return problems;
}

// ---- Acknowledgements ----

/** A stored acknowledgement: the engine's Acknowledgement, with its record id and state. */
export interface AcknowledgementRecord extends Acknowledgement {
  id: string;
  active: boolean;
}

export function parseAcknowledgementRecords(json: unknown): AcknowledgementRecord[] {
  return parseArray(json, 'acknowledgement list').map((item, i) => {
    const r = (item ?? {}) as Record<string, unknown>;
    if (typeof r.id !== 'string' || typeof r.ruleId !== 'string') {
      throw new Error(`Acknowledgement ${i + 1} has no id or rule.`);
    }
    return {
      id: r.id,
      ruleId: r.ruleId,
      subjectType: String(r.subjectType ?? ''),
      subjectId: String(r.subjectId ?? ''),
      reason: String(r.reason ?? ''),
      acknowledgedBy: String(r.acknowledgedBy ?? ''),
      acknowledgedAt: String(r.acknowledgedAt ?? ''),
      expiresAt: stringOrNull(r.expiresAt),
      active: r.active !== false,
    };
  });
}

/** A date input's value (yyyy-mm-dd) as the end of that day, UTC; '' means no expiry. */
export function expiryFromDate(date: string): string | null {
  if (!date) return null;
  return `${date}T23:59:59.000Z`;
}

// ---- What-if ----

export interface PickOption {
  label: string;
  value: string;
}

export interface WhatIfOptions {
  profiles: PickOption[];
  principals: PickOption[];
  users: PickOption[];
  objects: PickOption[];
  fields: PickOption[];
  permissions: PickOption[];
  /** The sandboxes of a production org (v1.1), each with its access group. */
  sandboxes: PickOption[];
  /** The Integration and Security users, as the engine recognises them. */
  systemUsers: PickOption[];
  /** The profiles of those users, each once. */
  systemProfiles: PickOption[];
}

const byLabel = (a: PickOption, b: PickOption) => a.label.localeCompare(b.label);

/** What the pickers offer, all taken from the current facts. */
export function whatIfOptions(facts: OrgFacts): WhatIfOptions {
  const profiles = facts.profiles.map((p) => ({ label: p.name, value: p.id })).sort(byLabel);
  const sets = facts.permissionSets
    .map((s) => ({ label: `${s.label ?? s.name} (permission set)`, value: s.id }))
    .sort(byLabel);
  const users = facts.users
    .map((u) => ({ label: u.name ? `${u.name} (${u.username})` : u.username, value: u.id }))
    .sort(byLabel);
  const objectNames = new Set<string>();
  const fieldNames = new Set<string>();
  for (const o of facts.schema?.objects ?? []) {
    objectNames.add(o.name);
    for (const f of o.fields) if (f.permissionable) fieldNames.add(`${o.name}.${f.name}`);
  }
  for (const r of facts.analytics?.references ?? []) {
    objectNames.add(r.object);
    for (const f of r.fields) fieldNames.add(f.includes('.') ? f : `${r.object}.${f}`);
  }
  for (const p of facts.objectPermissions) objectNames.add(p.object);
  for (const p of facts.fieldPermissions) fieldNames.add(p.field);
  const permissionNames = new Set<string>();
  for (const p of [...facts.profiles, ...facts.permissionSets]) {
    for (const name of p.userPermissions ?? []) permissionNames.add(name);
  }
  const named = (names: Set<string>) =>
    [...names].map((n) => ({ label: n, value: n })).sort(byLabel);
  // The engine decides who the system users are (by licence and reserved username).
  const model = new OrgModel(facts);
  const system = [model.integrationUser, model.securityUser].filter((u) => u !== undefined);
  const systemProfiles: PickOption[] = [];
  for (const user of system) {
    if (systemProfiles.some((p) => idKey(p.value) === idKey(user.profileId))) continue;
    const profile = model.profile(user.profileId);
    systemProfiles.push({ label: profile?.name ?? user.profileId, value: user.profileId });
  }
  const sandboxes = (facts.sandboxes ?? [])
    .map((s) => ({
      label:
        s.activationGroupId === null
          ? `${s.name} (every user gets access)`
          : `${s.name} (access group ${s.activationGroupId})`,
      value: s.name,
    }))
    .sort(byLabel);
  return {
    profiles,
    principals: [...profiles.map((p) => ({ ...p, label: `${p.label} (profile)` })), ...sets],
    users,
    objects: named(objectNames),
    fields: named(fieldNames),
    permissions: named(permissionNames),
    sandboxes,
    systemUsers: system.map((u) => ({ label: u.username, value: u.id })),
    systemProfiles,
  };
}

export type WhatIfInput =
  | 'profile'
  | 'principal'
  | 'user'
  | 'range'
  | 'level'
  | 'field'
  | 'object'
  | 'access'
  | 'permission'
  | 'sandbox';

export interface WhatIfKind {
  value: WhatIfChange['kind'];
  label: string;
  inputs: WhatIfInput[];
}

export const WHAT_IF_KINDS: WhatIfKind[] = [
  {
    value: 'addLoginIpRange',
    label: 'Add a login IP range to a profile',
    inputs: ['profile', 'range'],
  },
  {
    value: 'removeLoginIpRestrictions',
    label: 'Remove all login IP ranges of a profile',
    inputs: ['profile'],
  },
  { value: 'removeLoginHours', label: 'Remove login hours of a profile', inputs: ['profile'] },
  {
    value: 'setSessionLevel',
    label: 'Set the session security level of a profile',
    inputs: ['profile', 'level'],
  },
  { value: 'grantFieldRead', label: 'Grant field-level Read', inputs: ['principal', 'field'] },
  { value: 'revokeFieldRead', label: 'Revoke field-level Read', inputs: ['principal', 'field'] },
  {
    value: 'grantObjectAccess',
    label: 'Grant object access',
    inputs: ['principal', 'object', 'access'],
  },
  {
    value: 'grantUserPermission',
    label: 'Grant a user permission',
    inputs: ['principal', 'permission'],
  },
  {
    value: 'revokeUserPermission',
    label: 'Revoke a user permission',
    inputs: ['principal', 'permission'],
  },
  { value: 'setUserFrozen', label: 'Unfreeze a user', inputs: ['user'] },
  { value: 'setUserActive', label: 'Activate a user', inputs: ['user'] },
  // Catalog v1.1: the system users as a whole, so nothing to pick but the sandbox.
  {
    value: 'approveConnectedApps',
    label: 'Approve the connected apps for the system profiles',
    inputs: [],
  },
  {
    value: 'addSandboxMembers',
    label: "Add the system users to a sandbox's access group",
    inputs: ['sandbox'],
  },
];

export const SESSION_LEVEL_OPTIONS: { label: string; value: SessionLevel }[] = [
  { label: 'None', value: 'NONE' },
  { label: 'Standard', value: 'STANDARD' },
  { label: 'High Assurance', value: 'HIGH_ASSURANCE' },
];

export interface WhatIfValues {
  profileId?: string;
  principalId?: string;
  userId?: string;
  start?: string;
  end?: string;
  level?: string;
  field?: string;
  object?: string;
  access?: string;
  permission?: string;
  sandbox?: string;
}

/** The change the form describes, or the first thing missing from it. */
export function buildChange(
  kind: string,
  v: WhatIfValues,
): { change: WhatIfChange } | { problem: string } {
  const need = (value: string | undefined, what: string): string => {
    if (!value || !value.trim()) throw new Error(`Choose ${what}.`);
    return value.trim();
  };
  try {
    switch (kind) {
      case 'addLoginIpRange':
        return {
          change: {
            kind,
            profileId: need(v.profileId, 'a profile'),
            start: need(v.start, 'the first address of the range'),
            end: need(v.end, 'the last address of the range'),
          },
        };
      case 'removeLoginIpRestrictions':
      case 'removeLoginHours':
        return { change: { kind, profileId: need(v.profileId, 'a profile') } };
      case 'setSessionLevel':
        return {
          change: {
            kind,
            profileId: need(v.profileId, 'a profile'),
            level: need(v.level, 'a session level') as SessionLevel,
          },
        };
      case 'grantFieldRead':
      case 'revokeFieldRead':
        return {
          change: {
            kind,
            principalId: need(v.principalId, 'a profile or permission set'),
            field: need(v.field, 'a field'),
          },
        };
      case 'grantObjectAccess':
        return {
          change: {
            kind,
            principalId: need(v.principalId, 'a profile or permission set'),
            object: need(v.object, 'an object'),
            access: v.access === 'viewAll' ? 'viewAll' : 'read',
          },
        };
      case 'grantUserPermission':
      case 'revokeUserPermission':
        return {
          change: {
            kind,
            principalId: need(v.principalId, 'a profile or permission set'),
            permission: need(v.permission, 'a user permission'),
          },
        };
      case 'setUserFrozen':
        return { change: { kind, userId: need(v.userId, 'a user'), frozen: false } };
      case 'setUserActive':
        return { change: { kind, userId: need(v.userId, 'a user'), active: true } };
      default:
        return { problem: 'Choose a change to try.' };
    }
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/**
 * The changes the form describes: one for most kinds; for the system-wide kinds, what it takes
 * for every system user (approving the apps for each system profile). Or the first thing
 * missing from the form.
 */
export function buildChanges(
  kind: string,
  v: WhatIfValues,
  options: WhatIfOptions,
): { changes: WhatIfChange[] } | { problem: string } {
  switch (kind) {
    case 'approveConnectedApps':
      if (options.systemProfiles.length === 0) {
        return { problem: 'The facts name no system user, so there is no profile to approve.' };
      }
      return {
        changes: options.systemProfiles.map((p) => ({
          kind,
          principalId: p.value,
          apps: [...ANALYTICS_CONNECTED_APPS],
        })),
      };
    case 'addSandboxMembers': {
      const sandbox = v.sandbox?.trim();
      if (!sandbox) {
        return {
          problem:
            options.sandboxes.length === 0
              ? 'The facts list no sandbox (they are read in production only).'
              : 'Choose a sandbox.',
        };
      }
      if (options.systemUsers.length === 0) {
        return { problem: 'The facts name no system user to add.' };
      }
      return { changes: [{ kind, sandbox, userIds: options.systemUsers.map((u) => u.value) }] };
    }
    default: {
      const built = buildChange(kind, v);
      return 'change' in built ? { changes: [built.change] } : built;
    }
  }
}

/** In words, for the list of changes being tried. */
export function describeChange(change: WhatIfChange, options: WhatIfOptions): string {
  const name = (list: PickOption[], id: string) => list.find((o) => o.value === id)?.label ?? id;
  switch (change.kind) {
    case 'addLoginIpRange':
      return `Add login IP range ${change.start}–${change.end} to ${name(options.profiles, change.profileId)}`;
    case 'removeLoginIpRestrictions':
      return `Remove the login IP ranges of ${name(options.profiles, change.profileId)}`;
    case 'removeLoginHours':
      return `Remove the login hours of ${name(options.profiles, change.profileId)}`;
    case 'setSessionLevel':
      return `Set the session level of ${name(options.profiles, change.profileId)} to ${change.level}`;
    case 'grantFieldRead':
      return `Grant Read on ${change.field} to ${name(options.principals, change.principalId)}`;
    case 'revokeFieldRead':
      return `Revoke Read on ${change.field} from ${name(options.principals, change.principalId)}`;
    case 'grantObjectAccess':
      return `Grant ${change.access === 'viewAll' ? 'View All' : 'Read'} on ${change.object} to ${name(options.principals, change.principalId)}`;
    case 'grantUserPermission':
      return `Grant ${change.permission} to ${name(options.principals, change.principalId)}`;
    case 'revokeUserPermission':
      return `Revoke ${change.permission} from ${name(options.principals, change.principalId)}`;
    case 'setUserFrozen':
      return `Unfreeze ${name(options.users, change.userId)}`;
    case 'setUserActive':
      return `Activate ${name(options.users, change.userId)}`;
    case 'approveConnectedApps':
      return `Approve ${(change.apps ?? ANALYTICS_CONNECTED_APPS).join(' and ')} for ${name(options.principals, change.principalId)}`;
    case 'addSandboxMembers':
      return `Add ${change.userIds.map((id) => name(options.users, id)).join(' and ')} to the access group of the sandbox ${change.sandbox}`;
    default:
      return 'Unknown change';
  }
}

/** The controller's catalog records ({rules, listEntries}, custom metadata fields), compiled. */
export function parseCatalogRecords(json: unknown): CompiledCatalog {
  const value = parseObject(json, 'rule catalog');
  if (!Array.isArray(value.rules) || !Array.isArray(value.listEntries)) {
    throw new Error('The rule catalog returned has no rules and list entries.');
  }
  return compileCatalog(value as unknown as CatalogRecords);
}

export interface WhatIfOutcome {
  before: Report;
  after: Report;
  resolved: Finding[];
  created: Finding[];
  noLongerKnown: Finding[];
  stillFailing: number;
}

/**
 * Evaluates the facts as they are and as they would be after the changes, both in
 * the browser with the same engine and catalog, so the difference is the changes'
 * alone. Throws WhatIfError when a change does not fit the facts.
 */
export function whatIfOutcome(
  facts: OrgFacts,
  catalog: CompiledCatalog,
  changes: WhatIfChange[],
  evaluatedAt: string = new Date().toISOString(),
): WhatIfOutcome {
  const before = evaluate(facts, catalog, { evaluatedAt });
  const after = evaluate(applyWhatIf(facts, changes), catalog, { evaluatedAt });
  const diff = compareReports(before, after);
  return {
    before,
    after,
    resolved: diff.resolved,
    created: diff.newFailures,
    noLongerKnown: diff.noLongerKnown,
    stillFailing: diff.stillFailing.length,
  };
}

/** A finding in one line, for the short lists of the diff and the what-if. */
export interface FindingLine {
  key: string;
  ruleId: string;
  severity: string;
  severityClass: string;
  /** The subject's kind in the singular ("Field"), before its name as in the findings list. */
  subjectKindLabel: string;
  subject: string;
  message: string;
}

const SEVERITY_BADGE: Record<string, string> = {
  CRITICAL: 'slds-badge slds-theme_error',
  WARNING: 'slds-badge slds-theme_warning',
  INFO: 'slds-badge slds-theme_info',
};

export function findingLines(findings: Finding[], prefix: string): FindingLine[] {
  return findings.map((f, i) => ({
    key: `${prefix}-${i}`,
    ruleId: f.ruleId,
    severity: f.severity,
    severityClass: SEVERITY_BADGE[f.severity] ?? 'slds-badge',
    subjectKindLabel: subjectKindSingular(f.subject.type),
    subject: f.subject.label,
    message: f.message,
  }));
}

// ---- The latest stored run, and a check in progress ----

/** getLatestRun's answer: the latest complete run as the dashboard shows it. */
export interface LatestRun {
  runId: string;
  trigger: RunTrigger;
  evaluatedAt: string;
  /** The stored report, as parsed JSON; the dashboard checks its shape. Null while a first run is in progress. */
  report: unknown;
  /** A run in progress to follow, or null. */
  running: RunningRun | null;
}

/** getLatestRun's answer; null when no run has completed yet. */
export function parseLatestRun(json: unknown): LatestRun | null {
  if (json === null || json === undefined || (typeof json === 'string' && json.trim() === 'null')) {
    return null;
  }
  const r = parseObject(json, 'latest run');
  const running = parseRunningRun(r.running);
  if (!r.report && running) {
    // A first run still in progress: nothing stored to show yet.
    return { runId: '', trigger: 'scheduled', evaluatedAt: '', report: null, running };
  }
  if (typeof r.runId !== 'string' || typeof r.evaluatedAt !== 'string' || !r.report) {
    throw new Error('The latest run returned has no run id, time or report.');
  }
  return {
    runId: r.runId,
    trigger: (r.trigger as RunTrigger) ?? 'scheduled',
    evaluatedAt: r.evaluatedAt,
    report: r.report,
    running,
  };
}

/** getLatestRun's `running`: a run in progress the dashboard can follow, or null. */
export interface RunningRun {
  runId: string;
  step: string;
  chunksDone: number;
  chunksTotal: number | null;
}

function parseRunningRun(value: unknown): RunningRun | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('The running run returned is not an object.');
  }
  const r = value as Record<string, unknown>;
  if (typeof r.runId !== 'string' || r.runId === '') {
    throw new Error('The running run returned has no run id.');
  }
  return {
    runId: r.runId,
    step: typeof r.step === 'string' ? r.step : '',
    chunksDone: typeof r.chunksDone === 'number' ? r.chunksDone : 0,
    chunksTotal: typeof r.chunksTotal === 'number' ? r.chunksTotal : null,
  };
}

/** startCheck's answer: the run to follow, and whether it was already running. */
export interface StartedCheck {
  runId: string;
  alreadyRunning: boolean;
}

export function parseStartedCheck(json: unknown): StartedCheck {
  const r = parseObject(json, 'started check');
  if (typeof r.runId !== 'string' || r.runId === '') {
    throw new Error('The check was not started: no run id was returned.');
  }
  return { runId: r.runId, alreadyRunning: r.alreadyRunning === true };
}

export type ProgressStatus = 'Running' | 'Complete' | 'Failed';

/** getRunProgress's answer. */
export interface RunProgress {
  runId: string;
  status: ProgressStatus;
  step: string;
  chunksDone: number;
  /** Null until the run knows how many chunks it has. */
  chunksTotal: number | null;
  message: string | null;
  /** The report (parsed JSON) once the run is complete. */
  report: unknown;
}

const PROGRESS_STATUSES: ProgressStatus[] = ['Running', 'Complete', 'Failed'];

export function parseRunProgress(json: unknown): RunProgress {
  const r = parseObject(json, 'run progress');
  const status = PROGRESS_STATUSES.find((s) => s.toLowerCase() === String(r.status).toLowerCase());
  if (typeof r.runId !== 'string' || !status) {
    throw new Error('The run progress returned has no run id or no known status.');
  }
  if (status === 'Complete' && !r.report) {
    throw new Error('The run is complete but no report was returned.');
  }
  const total = numberOrNull(r.chunksTotal);
  return {
    runId: r.runId,
    status,
    step: typeof r.step === 'string' ? r.step : '',
    chunksDone: Math.max(0, numberOrNull(r.chunksDone) ?? 0),
    chunksTotal: total !== null && total >= 0 ? total : null,
    message: stringOrNull(r.message),
    report: r.report ?? null,
  };
}

/** What the progress bar shows: a percentage, or none while the chunks are not known. */
export interface ProgressView {
  /** 0–100, or null while indeterminate. */
  percent: number | null;
  /** "3 of 12 chunks", or that the number of chunks is not known yet. */
  label: string;
}

export function progressView(progress: RunProgress | null): ProgressView {
  if (!progress || progress.chunksTotal === null) {
    return { percent: null, label: 'Number of chunks not known yet' };
  }
  const total = progress.chunksTotal;
  const done = Math.min(progress.chunksDone, total);
  const percent = total === 0 ? 100 : Math.round((done / total) * 100);
  return { percent, label: `${done} of ${total} chunk${total === 1 ? '' : 's'}` };
}

/** First wait between two progress reads; each wait is longer, up to the last. */
export const POLL_FIRST_MS = 1000;
export const POLL_MAX_MS = 8000;
const POLL_FACTOR = 1.5;

/** The wait before the next progress read: back-off, reset when the run moved on. */
export function nextPollDelay(previousMs: number | null, moved: boolean): number {
  if (previousMs === null || moved) return POLL_FIRST_MS;
  return Math.min(POLL_MAX_MS, Math.round(previousMs * POLL_FACTOR));
}

/** "3 hours ago", "yesterday", "2 days ago": how long ago a run was, in words. */
export function timeAgo(iso: string, now: number = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const seconds = Math.round((now - at) / 1000);
  if (seconds < 60) return 'just now';
  const units: [number, string][] = [
    [60, 'minute'],
    [3600, 'hour'],
    [86400, 'day'],
  ];
  let value = 0;
  let unit = 'minute';
  for (const [size, name] of units) {
    if (seconds >= size) {
      value = Math.floor(seconds / size);
      unit = name;
    }
  }
  if (unit === 'day' && value === 1) return 'yesterday';
  return `${value} ${unit}${value === 1 ? '' : 's'} ago`;
}

/** "Last run 3 hours ago · Scheduled". */
export function lastRunLabel(
  run: { evaluatedAt: string; trigger: RunTrigger },
  now: number = Date.now(),
): string {
  const trigger = TRIGGER_LABELS[run.trigger] ?? run.trigger;
  return `Last run ${timeAgo(run.evaluatedAt, now)} · ${trigger.toLowerCase()}`;
}
