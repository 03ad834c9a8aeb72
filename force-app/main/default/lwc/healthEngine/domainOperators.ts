/**
 * The domain operators rule conditions may use on top of standard JSON Logic.
 * Each one's exact semantics are documented in OPERATORS.md beside this file;
 * the Apex engine implements the same table.
 *
 * Unless an operator says otherwise, an Unknown argument makes its result that
 * Unknown (the compiler does this before calling it).
 */
import type { ListEntry } from './catalog';
import {
  SubjectDataError,
  Unknown,
  type OperatorDefinition,
  type OperatorTable,
} from './jsonLogic';
import { formatInterval, mergeIntervals, parseRange, uncovered, type Interval } from './ipRanges';
import { DAYS, type AuditEvent, type LoginHours } from './orgFacts';
import { FIELD_SLOT, idKey, type FieldReader, type OrgModel } from './orgModel';
import {
  connectedAppsNotApproved,
  notOfferedByConnector,
  sourceObjectIndex,
  type SourceObjectIndex,
} from './accessFacts';

/** What operators may consult besides their arguments. */
export interface EvaluationEnv {
  model: OrgModel;
  lists: Map<string, ListEntry[]>;
  /** Ids of rules with a FAIL finding so far; complete when second-phase rules run. */
  failingRuleIds: Set<string>;
  /** Per-evaluation memo for operators whose answer does not depend on the subject. */
  memo: Map<string, unknown>;
  /** Ids of rules with a NOT_EVALUATED finding so far (v1.1, candidateRules); complete like failingRuleIds. */
  unevaluatedRuleIds?: Set<string>;
}

const DAY_MS = 86_400_000;
export const JOB_FAILURE_LIST = 'JOB_FAILURE_STATUSES';

/** Operators whose answer depends on other rules' results: their rules run last. */
export const SECOND_PHASE_OPERATORS = new Set(['failingRules', 'candidateRules']);

function userOf(env: EvaluationEnv, id: unknown) {
  const user = typeof id === 'string' ? env.model.user(id) : undefined;
  return user ?? new Unknown(`the user ${String(id)} is not in the facts`);
}

/** hasFieldRead: a field given as "Object.Field" or as a field view of a subject (which carries its slot). */
function fieldRead(userId: unknown, field: unknown, env: EvaluationEnv): boolean | Unknown {
  const reader = fieldReaderOf(env, userId);
  return reader instanceof Unknown ? reader : readField(reader, field);
}

/** hasFieldRead with its user resolved once, for the many fields asked about next. */
function bindFieldRead(userId: unknown, env: EvaluationEnv): (field: unknown) => boolean | Unknown {
  const reader = fieldReaderOf(env, userId);
  return reader instanceof Unknown ? () => reader : (field) => readField(reader, field);
}

function fieldReaderOf(env: EvaluationEnv, userId: unknown): FieldReader | Unknown {
  const user = userOf(env, userId);
  return user instanceof Unknown ? user : env.model.fieldReader(user);
}

function readField(reader: FieldReader, field: unknown): boolean | Unknown {
  // A list is text to JSON Logic (as in the Apex engine), not a field.
  if (typeof field !== 'object' || field === null || Array.isArray(field)) {
    return reader(String(field));
  }
  const view = field as { fullName?: unknown; [FIELD_SLOT]?: number };
  if (typeof view.fullName !== 'string') {
    throw new SubjectDataError(
      'hasFieldRead takes a field name or a field, not an object without a fullName',
    );
  }
  return reader(view.fullName, view[FIELD_SLOT]);
}

function list(env: EvaluationEnv, name: unknown): ListEntry[] {
  const entries = env.lists.get(String(name).toUpperCase());
  if (!entries) {
    throw new Error(`the catalog has no list named ${String(name)}`);
  }
  return entries;
}

/**
 * Each list's values in lower case, by the name as the rule gives it, kept on the evaluation's
 * memo: a property of the memo object, so it lives and dies with the evaluation and costs one
 * property read per call (a WeakMap keyed by the memo cost a hash lookup per call).
 */
const LOWER_CASE_LISTS = Symbol('lowerCaseLists');
type MemoWithLists = EvaluationEnv['memo'] & {
  [LOWER_CASE_LISTS]?: Map<unknown, Set<string>>;
};

/**
 * A list's values in lower case, made once per evaluation: inList runs on every field of a large
 * org, and lower-casing the list's entries on each call made most of the engine's garbage.
 */
function lowerCaseValues(env: EvaluationEnv, name: unknown): Set<string> {
  const memo = env.memo as MemoWithLists;
  let byName = memo[LOWER_CASE_LISTS];
  if (!byName) {
    byName = new Map();
    memo[LOWER_CASE_LISTS] = byName;
  }
  let values = byName.get(name);
  if (!values) {
    values = new Set(list(env, name).map((entry) => entry.value.toLowerCase()));
    byName.set(name, values);
  }
  return values;
}

/** Ranges from an array of `{start, end}`/CIDR strings, or from a catalog list by name. */
function intervals(env: EvaluationEnv, value: unknown, memoKey?: string): Interval[] {
  if (typeof value === 'string') {
    const key = `ranges:${value.toUpperCase()}`;
    const cached = env.memo.get(key) as Interval[] | undefined;
    if (cached) return cached;
    const merged = mergeIntervals(list(env, value).map((entry) => parseRange(entry.value)));
    env.memo.set(key, merged);
    return merged;
  }
  if (!Array.isArray(value)) {
    throw new SubjectDataError(`expected a list of IP ranges${memoKey ? ` for ${memoKey}` : ''}`);
  }
  return mergeIntervals(value.map(parseRange));
}

function minutes(value: number): string {
  const h = Math.floor(value / 60);
  const m = value % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

function loginHoursObject(value: unknown): LoginHours {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SubjectDataError('login hours are not an object of days');
  }
  return value as LoginHours;
}

function daysRestricted(hours: LoginHours): string[] {
  const restricted: string[] = [];
  for (const day of DAYS) {
    const span = hours[day];
    if (!span) continue;
    if (span.start === 0 && span.end >= 1440) continue;
    restricted.push(
      span.start === span.end
        ? `${day}: no login`
        : `${day}: ${minutes(span.start)}–${minutes(span.end)}`,
    );
  }
  return restricted;
}

function timeOf(iso: unknown): number {
  const ms = typeof iso === 'string' ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) throw new SubjectDataError(`"${String(iso)}" is not a date-time`);
  return ms;
}

/** Case-insensitive whole-name match: not inside a longer word or a longer known name. */
function mentionsWholeName(text: string, name: string, longerNames: string[]): boolean {
  const haystack = text.toLowerCase();
  const needle = name.toLowerCase();
  if (!needle) return false;
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : haystack[at - 1];
    const rest = haystack.slice(at + needle.length);
    // The name must end where the sentence goes on: at the end, before punctuation, a closing
    // quote or a possessive ("X", X's), or before a lower-case word ("… for profile X from
    // None"). " (Clone)" or " Copy" is another name.
    const endsHere =
      rest === '' ||
      /^[:;,.)\]"'\u2019\u201d]/.test(rest) ||
      /^\s+(\p{Ll}|$)/u.test(text.slice(at + needle.length));
    const bounded = !/[\p{L}\p{N}_]/u.test(before) && endsHere;
    const insideLonger = longerNames.some((longer) => {
      const offset = longer.indexOf(needle);
      return offset >= 0 && haystack.startsWith(longer, at - offset);
    });
    if (bounded && !insideLonger) return true;
    from = at + 1;
  }
}

function profileNames(env: EvaluationEnv): string[] {
  const key = 'profileNames';
  let names = env.memo.get(key) as string[] | undefined;
  if (!names) {
    names = env.model.facts.profiles.map((p) => p.name.toLowerCase());
    env.memo.set(key, names);
  }
  return names;
}

function firstRecentFailureMs(env: EvaluationEnv, sinceMs: number): number | null | undefined {
  const analytics = env.model.facts.analytics;
  if (analytics === null) return undefined;
  const failures = list(env, JOB_FAILURE_LIST).map((e) => e.value.toLowerCase());
  let first: number | null = null;
  for (const job of analytics.jobs) {
    if (!failures.includes(job.status.toLowerCase())) continue;
    const started = Date.parse(job.startedAt);
    if (started < sinceMs || started > env.model.collectedAtMs) continue;
    if (first === null || started < first) first = started;
  }
  return first;
}

const op = (
  arity: [number, number],
  evaluate: OperatorDefinition<EvaluationEnv>['evaluate'],
  acceptsUnknown = false,
): OperatorDefinition<EvaluationEnv> => ({ arity, evaluate, acceptsUnknown });

export const DOMAIN_OPERATORS: OperatorTable<EvaluationEnv> = {
  hasPermission: op([2, 2], ([userId, permission], env) => {
    const user = userOf(env, userId);
    return user instanceof Unknown ? user : env.model.hasPermission(user, String(permission));
  }),

  hasObjectPermission: op([3, 3], ([userId, object, which], env) => {
    if (which !== 'read' && which !== 'viewAll') {
      throw new Error(
        `hasObjectPermission takes "read" or "viewAll", not ${JSON.stringify(which)}`,
      );
    }
    const user = userOf(env, userId);
    return user instanceof Unknown
      ? user
      : env.model.hasObjectPermission(user, String(object), which);
  }),

  hasFieldRead: {
    arity: [2, 2],
    evaluate: ([userId, field], env) => fieldRead(userId, field, env),
    bind: bindFieldRead,
  },

  packageLicense: op([1, 1], ([namespace], env) => {
    const licenses = env.model.facts.packageLicenses;
    if (licenses === null) return env.model.unknown('packageLicenses', 'the package licences');
    return env.model.packageLicense(String(namespace)) ?? null;
  }),

  holdsPackageLicense: op([2, 2], ([userId, namespace], env) => {
    if (namespace === null || namespace === '') return true;
    const licenses = env.model.facts.packageLicenses;
    if (licenses === null) return env.model.unknown('packageLicenses', 'the package licences');
    const license = env.model.packageLicense(String(namespace));
    if (!license || license.allowedLicenses === -1) return true;
    const user = userOf(env, userId);
    if (user instanceof Unknown) return user;
    return env.model.holdsLicenseOf(user, String(namespace));
  }),

  ipRangesCover: op([2, 2], ([ranges, target], env) => {
    const cover = intervals(env, ranges);
    return uncovered(cover, intervals(env, target)).length === 0;
  }),

  ipRangesMissing: op([2, 2], ([ranges, target], env) =>
    uncovered(intervals(env, ranges), intervals(env, target)).map(formatInterval),
  ),

  inList: op(
    [2, 2],
    ([name, value], env) => {
      if (name instanceof Unknown) return name;
      const values = lowerCaseValues(env, name);
      if (value instanceof Unknown) return values.size === 0 ? false : value;
      if (value === null || value === undefined) return false;
      return values.has(String(value).toLowerCase());
    },
    true,
  ),

  listMatches: op([2, 2], ([name, value], env) => {
    const entries = list(env, name);
    if (value === null || value === undefined) return [];
    const haystack = String(value).toLowerCase();
    return entries
      .filter((e) => haystack.includes(e.value.toLowerCase()))
      .map((e) => ({ value: e.value, description: e.description, relatedRules: e.relatedRules }));
  }),

  /** Case-insensitive "text contains fragment" (labels such as "Analytics" in a licence name). */
  containsText: op([2, 2], ([text, fragment]) => {
    if (text === null || text === undefined || fragment === null || fragment === undefined) {
      return false;
    }
    return String(text).toLowerCase().includes(String(fragment).toLowerCase());
  }),

  loginHoursUnrestricted: op(
    [1, 1],
    ([hours]) => daysRestricted(loginHoursObject(hours)).length === 0,
  ),

  loginHoursRestrictions: op([1, 1], ([hours]) => daysRestricted(loginHoursObject(hours))),

  withinDays: op([2, 2], ([iso, days], env) => {
    const at = timeOf(iso);
    const now = env.model.collectedAtMs;
    return at <= now && at >= now - Number(days) * DAY_MS;
  }),

  recentAuditEvents: op([1, 1], ([days], env) => {
    const { model } = env;
    if (model.facts.auditTrail === null)
      return model.unknown('auditTrail', 'the setup audit trail');
    const since = model.collectedAtMs - Number(days) * DAY_MS;
    const failure = firstRecentFailureMs(env, since);
    return model.facts.auditTrail
      .map((event, index) => ({ event, index, at: timeOf(event.createdAt) }))
      .filter(({ at }) => at >= since && at <= model.collectedAtMs)
      .sort((a, b) => b.at - a.at || a.index - b.index)
      .map(({ event, at }) => ({
        ...event,
        beforeFirstRecentFailure: failure === undefined ? null : failure !== null && at <= failure,
      }));
  }),

  mentionsSystemUser: op([1, 1], ([text], env) => {
    if (text === null || text === undefined) return false;
    const { model } = env;
    const value = String(text);
    const names = profileNames(env);
    const users = [model.integrationUser, model.securityUser, ...model.customIntegrationUsers];
    return users.some((user) => {
      if (!user) return false;
      const lower = value.toLowerCase();
      if (lower.includes(user.username.toLowerCase())) return true;
      const profile = model.profile(user.profileId);
      if (!profile) return false;
      const longer = names.filter((n) => n.length > profile.name.length);
      return mentionsWholeName(value, profile.name, longer);
    });
  }),

  profileAuditEvents: op([2, 2], ([profileId, listName], env) => {
    const { model } = env;
    if (model.facts.auditTrail === null)
      return model.unknown('auditTrail', 'the setup audit trail');
    const profile = model.profile(String(profileId));
    if (!profile) return new Unknown(`the profile ${String(profileId)} is not in the facts`);
    const actions = new Set(list(env, listName).map((e) => e.value.toLowerCase()));
    const longer = profileNames(env).filter((n) => n.length > profile.name.length);
    return model.facts.auditTrail.filter(
      (event: AuditEvent) =>
        actions.has(event.action.toLowerCase()) &&
        mentionsWholeName(event.display, profile.name, longer),
    );
  }),

  failingRules: op([1, 1], ([ids], env) => {
    const wanted = Array.isArray(ids) ? ids : [ids];
    return wanted.filter((id) => env.failingRuleIds.has(String(id).toUpperCase()));
  }),

  // ---- Catalog v1.1 ----

  candidateRules: op([1, 1], ([ids], env) => {
    const wanted = Array.isArray(ids) ? ids : [ids];
    const unevaluated = env.unevaluatedRuleIds;
    return wanted.filter((id) => {
      const key = String(id).toUpperCase();
      return env.failingRuleIds.has(key) || (unevaluated?.has(key) ?? false);
    });
  }),

  permissionSources: op([2, 2], ([userId, permission], env) => {
    const user = userOf(env, userId);
    if (user instanceof Unknown) return user;
    const { model } = env;
    const wanted = String(permission).toLowerCase();
    const grants = (names: readonly string[] | null | undefined) =>
      (names ?? []).some((name) => name.toLowerCase() === wanted);
    const sources: string[] = [];
    const profile = model.profile(user.profileId);
    if (profile && grants(profile.userPermissions)) sources.push(`profile ${profile.name}`);
    for (const id of user.permissionSetIds) {
      const set = model.facts.permissionSets.find((s) => idKey(s.id) === idKey(id));
      if (set && grants(set.userPermissions)) {
        sources.push(`permission set ${set.label ?? set.name}`);
      }
    }
    return sources;
  }),

  connectedAppsNotApproved: op([2, 2], ([userId, names], env) => {
    const user = userOf(env, userId);
    if (user instanceof Unknown) return user;
    const wanted = (Array.isArray(names) ? names : [names]).map(String);
    return connectedAppsNotApproved(env.model.facts, user, wanted, () =>
      env.model.unknown('connectedApps', 'the connected apps and their approvals'),
    );
  }),

  notOfferedByConnector: op([3, 3], ([assets, object, fields], env) => {
    const key = 'sourceObjectIndex';
    let index = env.memo.get(key) as SourceObjectIndex | null | undefined;
    if (index === undefined) {
      index = sourceObjectIndex(env.model.facts);
      env.memo.set(key, index);
    }
    const connections = (Array.isArray(assets) ? assets : []).map((asset) => {
      const name = (asset as { connectionName?: unknown } | null)?.connectionName;
      return typeof name === 'string' ? name : null;
    });
    const names = (Array.isArray(fields) ? fields : []).map(String);
    return notOfferedByConnector(index, connections, String(object), names);
  }),
};
