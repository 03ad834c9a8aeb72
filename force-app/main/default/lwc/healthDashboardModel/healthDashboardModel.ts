/**
 * What the Analytics Health dashboard shows, computed from the engine's Report:
 * rows for the findings list, filtering and grouping, the system-user cards, the
 * NOT_EVALUATED list, the "what changed" timeline and the exports.
 *
 * Pure functions with no DOM, so the components stay thin and the rules of the
 * page are tested once, here. Everything is derived from the Report (and, for
 * job times, from the jobs the browser collected); nothing is filled in.
 */
import {
  idKey,
  reportToCsv,
  type Finding,
  type FindingStatus,
  type Report,
  type ReportRule,
  type ReportSystemUser,
  type Severity,
} from 'c/healthEngine';

export interface FindingRow {
  key: string;
  ruleId: string;
  ruleLabel: string;
  category: string;
  status: FindingStatus;
  severity: Severity;
  /** The engine's subject type: what an acknowledgement names. */
  subjectType: string;
  /** What the list groups and the subject filter chooses by (see subjectKindOf). */
  subjectKind: string;
  /** The kind in the singular, shown before the subject ("Dataset", "Sandbox"). */
  subjectKindLabel: string;
  subjectId: string;
  subjectLabel: string;
  /** More of what identifies the subject, from the finding's evidence; may be empty. */
  subjectDetail: string;
  message: string;
  remediation: string;
  setupPath: string;
  reason: string;
  helpText: string;
  sourceArticle: string;
  /** Each knowledge article the rule cites (the catalog may list several, comma-separated). */
  articles: { key: string; label: string; href: string }[];
  evidenceText: string;
  /** Lower-case text the search box matches against. */
  searchText: string;
}

export interface Filters {
  search: string;
  severity: string;
  status: string;
  category: string;
  /** A subject kind (FindingRow.subjectKind), or ALL. */
  subjectType: string;
}

export const ALL = 'all';

export const EMPTY_FILTERS: Filters = {
  search: '',
  severity: ALL,
  status: ALL,
  category: ALL,
  subjectType: ALL,
};

/** Failing first, then by severity, so the first page shows what breaks jobs. */
const STATUS_ORDER: Record<FindingStatus, number> = {
  FAIL: 0,
  ERROR: 1,
  NOT_EVALUATED: 2,
  PASS: 3,
};
const SEVERITY_ORDER: Record<Severity, number> = { CRITICAL: 0, WARNING: 1, INFO: 2 };

export const STATUS_LABELS: Record<FindingStatus, string> = {
  FAIL: 'Failed',
  ERROR: 'Error',
  NOT_EVALUATED: 'Not evaluated',
  PASS: 'Passed',
};

export const SEVERITY_LABELS: Record<Severity, string> = {
  CRITICAL: 'Critical',
  WARNING: 'Warning',
  INFO: 'Info',
};

const SUBJECT_TYPE_LABELS: Record<string, string> = {
  user: 'Users',
  connectedApp: 'Connected apps',
  profile: 'Profiles',
  object: 'Objects',
  field: 'Fields',
  predicateField: 'Security predicate fields',
  dataset: 'Datasets',
  sandbox: 'Sandboxes',
  job: 'Jobs',
  org: 'Org',
  auditEvent: 'Setup changes',
  rule: 'Rule records',
};

/** One subject of a kind, in front of its name in the list. */
const SUBJECT_KIND_SINGULAR: Record<string, string> = {
  user: 'User',
  connectedApp: 'Connected apps of',
  profile: 'Profile',
  object: 'Object',
  field: 'Field',
  predicateField: 'Predicate field',
  dataset: 'Dataset',
  sandbox: 'Sandbox',
  job: 'Job',
  org: 'Org',
  auditEvent: 'Setup change',
  rule: 'Rule record',
};

export function subjectTypeLabel(type: string): string {
  return SUBJECT_TYPE_LABELS[type] ?? type.charAt(0).toUpperCase() + type.slice(1);
}

export function subjectKindSingular(kind: string): string {
  return SUBJECT_KIND_SINGULAR[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1);
}

const SUBJECT_TYPE_ORDER = [
  'user',
  'connectedApp',
  'profile',
  'object',
  'field',
  'predicateField',
  'dataset',
  'sandbox',
  'job',
  'auditEvent',
  'org',
  'rule',
];

/**
 * What a finding is about, for grouping and the subject filter. Mostly the engine's subject
 * type; where one type stands for two things the rule's subject kind tells them apart: a
 * User field a security predicate reads is a "field" like a field a dataflow reads, and a
 * system user judged on its connected-app approvals is a "user" like any other.
 */
export function subjectKindOf(finding: Finding, rule: ReportRule | undefined): string {
  const type = finding.subject.type;
  if (type === 'field' && rule?.subject === 'predicateField') return 'predicateField';
  if (type === 'user' && rule?.factsNeeded.includes('connectedApps')) return 'connectedApp';
  return type;
}

const listText = (value: unknown): string =>
  Array.isArray(value)
    ? value.filter((v) => typeof v === 'string' || typeof v === 'number').join(', ')
    : typeof value === 'string'
      ? value
      : '';

/**
 * What else identifies a subject of the v1.1 kinds, read from the evidence the catalog's
 * rules keep (datasets, accessGroup, missingApps, sharingSource). A key the evidence does not
 * carry adds nothing: the text is a help for reading the list, never a verdict.
 */
export function subjectDetailOf(kind: string, finding: Finding): string {
  const evidence = finding.evidence ?? {};
  const parts: string[] = [];
  const add = (label: string, value: unknown) => {
    const text = listText(value);
    if (text) parts.push(`${label} ${text}`);
  };
  switch (kind) {
    case 'predicateField':
      add('read by the security predicates of', evidence.datasets);
      break;
    case 'dataset':
      if (finding.subject.id && finding.subject.id !== finding.subject.label) {
        parts.push(`id ${finding.subject.id}`);
      }
      add('inherits sharing from', evidence.sharingSource);
      break;
    case 'sandbox':
      add('access group', evidence.accessGroup);
      break;
    case 'connectedApp':
      add('missing', evidence.missingApps);
      break;
    default:
      break;
  }
  return parts.join(' · ');
}

function subjectTypeRank(type: string): number {
  const index = SUBJECT_TYPE_ORDER.indexOf(type);
  return index === -1 ? SUBJECT_TYPE_ORDER.length : index;
}

/** The "Setup > ..." path a remediation names, so the page can show where to go. */
export function setupPathOf(remediation: string): string {
  const match = /Setup(?: > [^>.,;:'\s](?:[^>.,;:']*[^>.,;:'\s])?)+/.exec(remediation);
  if (!match) return '';
  // A page name ends where the sentence goes on ("... Security and give ...").
  let path = match[0].replace(/ (?:and|or|then|so|to|if|where|click|in) .*$/, '').trim();
  // "(Setup > Users)" keeps its own parenthesis out; "Profile (Clone)" keeps its own.
  while (path.endsWith(')') && path.split('(').length < path.split(')').length) {
    path = path.slice(0, -1);
  }
  return path;
}

/** Salesforce Help's address for a knowledge article number. */
export function articleUrl(article: string): string {
  return `https://help.salesforce.com/s/articleView?id=${encodeURIComponent(article)}&type=1`;
}

/** A knowledge article number; other sources ("Tooling API SandboxInfo") are named, not linked. */
const ARTICLE_NUMBER = /^\d{6,12}$/;

/**
 * Each source a rule cites, comma- or semicolon-separated: an article number becomes a link
 * to Salesforce Help; any other source is shown as written, with no link (href '').
 */
export function articlesOf(sourceArticle: string): FindingRow['articles'] {
  return sourceArticle
    .split(/\s*[,;]\s*/)
    .map((source) => source.trim())
    .filter(Boolean)
    .map((source, index) =>
      ARTICLE_NUMBER.test(source)
        ? {
            key: `${index}-${source}`,
            label: `Knowledge article ${source}`,
            href: articleUrl(source),
          }
        : { key: `${index}-${source}`, label: source, href: '' },
    );
}

export function rulesById(report: Report): Map<string, ReportRule> {
  return new Map((report.rules ?? []).map((rule) => [rule.id, rule]));
}

export function toRows(report: Report): FindingRow[] {
  const rules = rulesById(report);
  const rows = report.findings.map((finding: Finding, index: number): FindingRow => {
    const rule = rules.get(finding.ruleId);
    const remediation = finding.remediation ?? '';
    const evidenceText =
      finding.evidence && Object.keys(finding.evidence).length > 0
        ? JSON.stringify(finding.evidence, null, 2)
        : '';
    const subjectKind = subjectKindOf(finding, rule);
    const row: FindingRow = {
      key: `${index}`,
      ruleId: finding.ruleId,
      ruleLabel: rule?.label ?? finding.ruleId,
      category: rule?.category ?? '',
      status: finding.status,
      severity: finding.severity,
      subjectType: finding.subject.type,
      subjectKind,
      subjectKindLabel: subjectKindSingular(subjectKind),
      subjectId: finding.subject.id ?? '',
      subjectLabel: finding.subject.label,
      subjectDetail: subjectDetailOf(subjectKind, finding),
      message: finding.message,
      remediation,
      setupPath: setupPathOf(remediation),
      reason: finding.reason ?? '',
      helpText: rule?.helpText ?? '',
      sourceArticle: rule?.sourceArticle ?? '',
      articles: articlesOf(rule?.sourceArticle ?? ''),
      evidenceText,
      searchText: '',
    };
    row.searchText = [
      row.ruleId,
      row.ruleLabel,
      row.category,
      row.subjectKindLabel,
      row.subjectLabel,
      row.subjectId,
      row.subjectDetail,
      row.message,
      row.remediation,
      row.reason,
    ]
      .join('\n')
      .toLowerCase();
    return row;
  });
  // What needs attention first: failures, then errors, then what could not be evaluated;
  // within each, by subject type and severity.
  rows.sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      subjectTypeRank(a.subjectKind) - subjectTypeRank(b.subjectKind) ||
      a.subjectKind.localeCompare(b.subjectKind) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      Number(a.key) - Number(b.key),
  );
  return rows;
}

/** One pass over the rows; every test is a string compare, so 5,000 rows take a few ms. */
export function filterRows(rows: FindingRow[], filters: Filters): FindingRow[] {
  const terms = filters.search.toLowerCase().split(/\s+/).filter(Boolean);
  const out: FindingRow[] = [];
  for (const row of rows) {
    if (filters.severity !== ALL && row.severity !== filters.severity) continue;
    if (filters.status !== ALL && row.status !== filters.status) continue;
    if (filters.category !== ALL && row.category !== filters.category) continue;
    if (filters.subjectType !== ALL && row.subjectKind !== filters.subjectType) continue;
    if (terms.length > 0 && !terms.every((term) => row.searchText.includes(term))) continue;
    out.push(row);
  }
  return out;
}

/** What the findings list shows: the rows, and how many passed findings match the filters. */
export interface FindingView {
  rows: FindingRow[];
  /** Passed findings that match the filters, shown or not. */
  passed: number;
  /** Whether the passed ones are among `rows`. */
  passedShown: boolean;
}

/**
 * The filtered rows with the passed findings left out unless asked for: the list opens on
 * what needs attention. Choosing the status "Passed" in the filters asks for them too.
 */
export function findingView(
  rows: FindingRow[],
  filters: Filters,
  showPassed: boolean,
): FindingView {
  const matching = filterRows(rows, filters);
  let passed = 0;
  for (const row of matching) if (row.status === 'PASS') passed++;
  const passedShown = showPassed || filters.status === 'PASS';
  return {
    rows: passedShown || passed === 0 ? matching : matching.filter((r) => r.status !== 'PASS'),
    passed,
    passedShown,
  };
}

export interface RowGroup {
  key: string;
  label: string;
  count: number;
  rows: FindingRow[];
}

const groupKey = (row: FindingRow) => `${row.status}-${row.subjectKind}`;

/**
 * One page of the (already sorted) rows, grouped by status and subject type ("Failed ·
 * Users"). `count` is the group's size in the whole filtered list, not only on this page.
 */
export function pageGroups(rows: FindingRow[], page: number, pageSize: number): RowGroup[] {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(groupKey(row), (totals.get(groupKey(row)) ?? 0) + 1);
  const groups: RowGroup[] = [];
  for (const row of rows.slice(page * pageSize, (page + 1) * pageSize)) {
    let group = groups[groups.length - 1];
    const key = groupKey(row);
    if (!group || group.key !== key) {
      group = {
        key,
        label: `${STATUS_LABELS[row.status]} · ${subjectTypeLabel(row.subjectKind)}`,
        count: totals.get(key) ?? 0,
        rows: [],
      };
      groups.push(group);
    }
    group.rows.push(row);
  }
  return groups;
}

export interface Option {
  label: string;
  value: string;
}

export interface FilterOptions {
  severity: Option[];
  status: Option[];
  category: Option[];
  subjectType: Option[];
}

export function filterOptions(rows: FindingRow[]): FilterOptions {
  const distinct = (pick: (row: FindingRow) => string) =>
    [...new Set(rows.map(pick).filter(Boolean))].sort();
  const withAll = (label: string, options: Option[]): Option[] => [
    { label, value: ALL },
    ...options,
  ];
  return {
    severity: withAll(
      'All severities',
      (['CRITICAL', 'WARNING', 'INFO'] as Severity[]).map((s) => ({
        label: SEVERITY_LABELS[s],
        value: s,
      })),
    ),
    status: withAll(
      'All statuses',
      (['FAIL', 'ERROR', 'NOT_EVALUATED', 'PASS'] as FindingStatus[]).map((s) => ({
        label: STATUS_LABELS[s],
        value: s,
      })),
    ),
    category: withAll(
      'All categories',
      distinct((r) => r.category).map((c) => ({ label: c, value: c })),
    ),
    subjectType: withAll(
      'All subjects',
      [...new Set(rows.map((r) => r.subjectKind))]
        .sort((a, b) => subjectTypeRank(a) - subjectTypeRank(b) || a.localeCompare(b))
        .map((t) => ({ label: subjectTypeLabel(t), value: t })),
    ),
  };
}

// ---- Score and status ----

export type HealthStatus = 'critical' | 'warning' | 'healthy';

export function healthStatus(report: Report): { status: HealthStatus; label: string } {
  if (report.summary.critical > 0) {
    return { status: 'critical', label: 'Jobs are failing or will fail' };
  }
  if (report.summary.warning > 0) return { status: 'warning', label: 'Needs attention' };
  return { status: 'healthy', label: 'Healthy' };
}

// ---- System user cards ----

export interface CardItem {
  key: string;
  label: string;
  /** PASS, FAIL, NOT_EVALUATED, ERROR, or NONE when the report has no finding for it. */
  status: FindingStatus | 'NONE';
  statusLabel: string;
  detail: string;
}

export interface CardFact {
  key: string;
  label: string;
  value: string;
}

export interface SystemUserCard {
  key: string;
  role: 'Integration User' | 'Security User';
  username: string;
  userId: string;
  found: boolean;
  /** What the facts say of the user and its profile (empty when the report does not carry them). */
  facts: CardFact[];
  items: CardItem[];
}

/**
 * Properties of a system user and the catalog rules that check them: each
 * property shows the outcome of its check and the engine's own message. The
 * report's systemUsers say which profile is the user's, so a card shows only
 * its own profile's checks, and the profile's facts beside them.
 */
const USER_PROPERTIES: { label: string; ruleId: string }[] = [
  { label: 'Active', ruleId: 'AH004' },
  { label: 'Not frozen', ruleId: 'AH005' },
  { label: 'Licences', ruleId: 'AH006' },
  { label: 'No MFA requirement', ruleId: 'AH034' },
  { label: 'API client access', ruleId: 'AH036' },
  { label: 'Connected apps approved', ruleId: 'AH037' },
];
const PROFILE_PROPERTIES: { label: string; ruleId: string }[] = [
  { label: 'Profile unchanged', ruleId: 'AH007' },
  { label: 'Session level', ruleId: 'AH035' },
  { label: 'IP ranges (internal)', ruleId: 'AH030' },
  { label: 'IP ranges (published)', ruleId: 'AH031' },
  { label: 'IP enforcement', ruleId: 'AH032' },
  { label: 'Login hours', ruleId: 'AH033' },
];

const ROLE_OF: Record<ReportSystemUser['role'], SystemUserCard['role'] | null> = {
  integrationUser: 'Integration User',
  securityUser: 'Security User',
  customIntegrationUser: null,
};

function cardItem(label: string, findings: Finding[], withSubject: boolean): CardItem {
  if (findings.length === 0) {
    return {
      key: label,
      label,
      status: 'NONE',
      statusLabel: 'Not in report',
      detail: 'The report has no result for this check.',
    };
  }
  const worst = [...findings].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status])[0];
  const detail = findings
    .filter((f) => f.status === worst.status)
    .map((f) => {
      const text =
        f.status === 'NOT_EVALUATED' || f.status === 'ERROR' ? (f.reason ?? f.message) : f.message;
      return withSubject && f.subject.type !== 'org' ? `${f.subject.label}: ${text}` : text;
    })
    .join(' ');
  return {
    key: label,
    label,
    status: worst.status,
    statusLabel: STATUS_LABELS[worst.status],
    detail,
  };
}

const SESSION_LEVEL_LABELS: Record<string, string> = {
  NONE: 'None',
  STANDARD: 'Standard',
  HIGH_ASSURANCE: 'High Assurance',
};

function cardFacts(user: ReportSystemUser): CardFact[] {
  const unknown = 'Not collected';
  const profile = user.profile;
  const facts: CardFact[] = [
    { key: 'licence', label: 'Licence', value: user.userLicense },
    {
      key: 'profile',
      label: 'Profile',
      value: profile
        ? `${profile.name} · ${profile.isCustom ? 'custom' : 'standard'}`
        : 'Not in the facts',
    },
  ];
  if (!profile) return facts;
  const ranges = profile.loginIpRanges;
  const hours = profile.loginHours;
  const restrictedDays = hours ? Object.keys(hours).length : 0;
  facts.push(
    {
      key: 'session',
      label: 'Session required',
      value:
        profile.requiredSessionLevel === null
          ? unknown
          : (SESSION_LEVEL_LABELS[profile.requiredSessionLevel] ?? profile.requiredSessionLevel),
    },
    {
      key: 'ip',
      label: 'Login IP ranges',
      value:
        ranges === null
          ? unknown
          : ranges.length === 0
            ? 'No restriction'
            : ranges.map((r) => `${r.start}–${r.end}`).join(', '),
    },
    {
      key: 'hours',
      label: 'Login hours',
      value:
        hours === null
          ? unknown
          : restrictedDays === 0
            ? 'No restriction'
            : `Set for ${restrictedDays} day${restrictedDays === 1 ? '' : 's'}`,
    },
  );
  return facts;
}

export function systemUserCards(report: Report): SystemUserCard[] {
  const rules = rulesById(report);
  // The engine decides who is which system user; the cards take its word for it.
  const described = report.systemUsers ?? [];
  // The user's own profile when the report says which it is; else every system profile.
  // A profile rule with nothing to check reports one PASS on the org; that is its result too.
  const profileFindings = (ruleId: string, profileId: string | undefined) =>
    report.findings.filter(
      (f) =>
        f.ruleId === ruleId &&
        ((f.subject.type === 'profile' &&
          (!profileId || (!!f.subject.id && idKey(f.subject.id) === idKey(profileId)))) ||
          f.subject.type === 'org'),
    );
  const cards: SystemUserCard[] = [];
  for (const role of ['Integration User', 'Security User'] as const) {
    const user = described.find((u) => ROLE_OF[u.role] === role);
    if (!user) {
      const existsRule = role === 'Integration User' ? 'AH001' : 'AH002';
      const exists = report.findings.find((f) => f.ruleId === existsRule);
      cards.push({
        key: role,
        role,
        username: '',
        userId: '',
        found: false,
        facts: [],
        items: [
          cardItem(rules.get(existsRule)?.label ?? `${role} exists`, exists ? [exists] : [], false),
        ],
      });
      continue;
    }
    const items = USER_PROPERTIES.filter((p) => rules.has(p.ruleId)).map((p) =>
      cardItem(
        p.label,
        report.findings.filter((f) => f.ruleId === p.ruleId && f.subject.id === user.id),
        false,
      ),
    );
    const profileId = user.profile?.id;
    for (const p of PROFILE_PROPERTIES) {
      if (rules.has(p.ruleId))
        items.push(cardItem(p.label, profileFindings(p.ruleId, profileId), !profileId));
    }
    cards.push({
      key: role,
      role,
      username: user.username,
      userId: user.id,
      found: true,
      facts: cardFacts(user),
      items,
    });
  }
  return cards;
}

// ---- NOT_EVALUATED ----

export interface NotEvaluatedItem {
  key: string;
  ruleId: string;
  ruleLabel: string;
  /** The subject's kind in the singular ("Dataset"), as in the findings list. */
  subjectKindLabel: string;
  subjectLabel: string;
  reason: string;
  factsNeeded: string;
}

export function notEvaluatedItems(report: Report): NotEvaluatedItem[] {
  const rules = rulesById(report);
  return report.findings
    .map((f, index) => ({ f, index }))
    .filter(({ f }) => f.status === 'NOT_EVALUATED')
    .map(({ f, index }) => {
      const rule = rules.get(f.ruleId);
      return {
        key: `${index}`,
        ruleId: f.ruleId,
        ruleLabel: rule?.label ?? f.ruleId,
        subjectKindLabel: subjectKindSingular(subjectKindOf(f, rule)),
        subjectLabel: f.subject.label,
        reason: f.reason ?? 'The engine gave no reason.',
        factsNeeded: (rule?.factsNeeded ?? []).join(', '),
      };
    });
}

// ---- What changed ----

export interface TimelineEntry {
  key: string;
  kind: 'change' | 'failedJob';
  at: string;
  title: string;
  detail: string;
  by: string;
}

export interface CollectedJob {
  id: string;
  name: string;
  status: string;
  message: string | null;
  startedAt: string;
}

interface AuditEventLike {
  createdAt?: unknown;
  display?: unknown;
  action?: unknown;
  createdBy?: unknown;
}

const ISO_TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/;

/**
 * Setup changes that can affect analytics (the evidence of the "recent changes"
 * rule) next to the failed jobs (FAIL findings on jobs), newest first. A job's
 * time comes from the jobs the browser collected, else from the timestamp in
 * the engine's message; without either it is listed without a time.
 */
export function timeline(report: Report, jobs: CollectedJob[] = []): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const seen = new Set<string>();
  for (const f of report.findings) {
    const events = (f.evidence as { events?: unknown } | undefined)?.events;
    if (f.subject.type !== 'org' || !Array.isArray(events)) continue;
    for (const raw of events as AuditEventLike[]) {
      const at = typeof raw.createdAt === 'string' ? raw.createdAt : '';
      const title = typeof raw.display === 'string' ? raw.display : String(raw.action ?? '');
      const id = `${at}|${title}`;
      if (seen.has(id)) continue;
      seen.add(id);
      entries.push({
        key: `change-${entries.length}`,
        kind: 'change',
        at,
        title,
        detail: typeof raw.action === 'string' ? raw.action : '',
        by: typeof raw.createdBy === 'string' ? raw.createdBy : '',
      });
    }
  }
  const jobsById = new Map(jobs.map((j) => [j.id, j]));
  for (const f of report.findings) {
    if (f.subject.type !== 'job' || f.status !== 'FAIL') continue;
    const job = f.subject.id ? jobsById.get(f.subject.id) : undefined;
    const at = job?.startedAt ?? ISO_TIMESTAMP.exec(f.message)?.[0] ?? '';
    entries.push({
      key: `job-${entries.length}`,
      kind: 'failedJob',
      at,
      title: `${f.subject.label} failed`,
      detail: f.message,
      by: '',
    });
  }
  // Failed runs the browser saw that no finding covers (e.g. the jobs rule could not run).
  const judged = new Set(
    report.findings.filter((f) => f.subject.type === 'job').map((f) => f.subject.id),
  );
  for (const job of jobs) {
    if (judged.has(job.id) || !/^fail/i.test(job.status)) continue;
    entries.push({
      key: `job-${entries.length}`,
      kind: 'failedJob',
      at: job.startedAt,
      title: `${job.name} failed`,
      detail: job.message ?? '',
      by: '',
    });
  }
  entries.sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? 1 : -1));
  return entries;
}

// ---- Exports ----

export function reportJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function reportCsv(report: Report): string {
  return reportToCsv(report);
}

export function dataUrl(content: string, mimeType: string): string {
  return `data:${mimeType};charset=utf-8,${encodeURIComponent(content)}`;
}

export function exportFileName(report: Report, extension: 'json' | 'csv'): string {
  const stamp = report.evaluatedAt.replace(/[:.]/g, '-');
  return `analytics-health-${report.org.id}-${stamp}.${extension}`;
}

/** Parses the controller's answer; anything that is not a Report is an error, never a result. */
export function parseReport(json: unknown): Report {
  if (typeof json !== 'string' || json.trim() === '') {
    throw new Error('The check returned no report.');
  }
  return asReport(JSON.parse(json));
}

/** A report already parsed from JSON (e.g. inside a run's progress); anything else throws. */
export function asReport(parsed: unknown): Report {
  const value = parsed as Partial<Report> | null;
  if (
    !value ||
    typeof value !== 'object' ||
    !Array.isArray(value.findings) ||
    !value.summary ||
    typeof value.score !== 'number'
  ) {
    throw new Error('The check returned something that is not an Analytics Health report.');
  }
  return value as Report;
}

/** The text of an Apex or JavaScript error as the platform hands it over. */
export function errorMessage(error: unknown): string {
  if (!error) return 'Unknown error.';
  if (typeof error === 'string') return error;
  const body = (error as { body?: unknown }).body;
  if (Array.isArray(body)) {
    const messages = body.map((b) => (b as { message?: string }).message).filter(Boolean);
    if (messages.length > 0) return messages.join(' ');
  }
  if (body && typeof body === 'object') {
    const { message, pageErrors } = body as {
      message?: string;
      pageErrors?: { message?: string }[];
    };
    if (message) return message;
    if (pageErrors?.length) return pageErrors.map((p) => p.message).join(' ');
  }
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && message ? message : String(error);
}
