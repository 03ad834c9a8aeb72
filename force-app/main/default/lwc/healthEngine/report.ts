/**
 * The report the engine returns (ORG-FACTS.md, "Report"), its score and the
 * message templates that turn a finding's context into words.
 */
import type { Severity } from './catalog';
import { Unknown, resolvePath } from './jsonLogic';
import type { IpRange, LoginHours, SessionLevel } from './orgFacts';
import type { ExternalReference } from './subjects';

export type FindingStatus = 'FAIL' | 'PASS' | 'NOT_EVALUATED' | 'ERROR';

export interface Finding {
  ruleId: string;
  status: FindingStatus;
  severity: Severity;
  subject: { type: string; id?: string; label: string };
  message: string;
  remediation?: string;
  reason?: string;
  evidence?: Record<string, unknown>;
}

export interface ReportSummary {
  critical: number;
  warning: number;
  info: number;
  passed: number;
  notEvaluated: number;
  errors: number;
}

/** Catalog facts the dashboard shows beside a finding (joined on ruleId). */
export interface ReportRule {
  id: string;
  label: string;
  category: string;
  subject: string;
  severity: Severity;
  helpText: string;
  sourceArticle: string;
  factsNeeded: string[];
}

/** A CRM Analytics system user as the facts describe it: what the dashboard's user cards show. */
export interface ReportSystemUser {
  role: 'integrationUser' | 'securityUser' | 'customIntegrationUser';
  id: string;
  username: string;
  name: string;
  isActive: boolean;
  /** null: not collected. */
  isFrozen: boolean | null;
  userLicense: string;
  permissionSetLicenses: string[];
  /** null: the user's profile is not in the facts. Its null fields were not collected. */
  profile: {
    id: string;
    name: string;
    isCustom: boolean;
    requiredSessionLevel: SessionLevel | null;
    loginIpRanges: IpRange[] | null;
    loginHours: LoginHours | null;
  } | null;
}

export interface Report {
  schemaVersion: 1;
  org: { id: string; name?: string };
  evaluatedAt: string;
  score: number;
  summary: ReportSummary;
  findings: Finding[];
  /** The rules that ran, for help text and source articles. */
  rules: ReportRule[];
  /** Reads through connections to other orgs or systems: listed, never judged. */
  externalReferences: ExternalReference[];
  /** The Integration User, the Security User and any custom integration users, in that order. */
  systemUsers: ReportSystemUser[];
}

/**
 * Score, 0–100. Each rule with at least one FAIL deducts by its severity:
 * CRITICAL 25, WARNING 5, INFO 1 — once per rule, however many subjects fail,
 * because one unreadable field already fails the whole job. Any CRITICAL
 * failure caps the score at 49, so a broken setup never looks "mostly fine".
 * NOT_EVALUATED and ERROR findings do not change the score; the summary counts
 * them so the dashboard can say how much of the catalog could run.
 */
export const SCORE_WEIGHTS: Readonly<Record<Severity, number>> = {
  CRITICAL: 25,
  WARNING: 5,
  INFO: 1,
};
export const CRITICAL_SCORE_CAP = 49;

export function scoreOf(findings: Finding[]): number {
  const failing = new Map<string, Severity>();
  // Index loops: each runs once over every finding (see fieldReadsOf in orgModel).
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i];
    if (finding.status === 'FAIL') failing.set(finding.ruleId, finding.severity);
  }
  let score = 100;
  let critical = false;
  for (const severity of failing.values()) {
    score -= SCORE_WEIGHTS[severity];
    critical ||= severity === 'CRITICAL';
  }
  score = Math.max(0, score);
  return critical ? Math.min(score, CRITICAL_SCORE_CAP) : score;
}

export function summarize(findings: Finding[]): ReportSummary {
  const summary: ReportSummary = {
    critical: 0,
    warning: 0,
    info: 0,
    passed: 0,
    notEvaluated: 0,
    errors: 0,
  };
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i];
    switch (finding.status) {
      case 'FAIL':
        if (finding.severity === 'CRITICAL') summary.critical++;
        else if (finding.severity === 'WARNING') summary.warning++;
        else summary.info++;
        break;
      case 'PASS':
        summary.passed++;
        break;
      case 'NOT_EVALUATED':
        summary.notEvaluated++;
        break;
      default:
        summary.errors++;
    }
  }
  return summary;
}

// ---- Message templates: `{{path}}` reads like a JSON Logic var from the finding's data. ----

/** Literal text, or a placeholder's var path split once at compile time. */
type TemplatePart = string | { keys: string[] };
export type CompiledTemplate = TemplatePart[];

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;

export function compileTemplate(template: string): CompiledTemplate {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(template.slice(last, match.index));
    parts.push({ keys: match[1].split('.') });
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

/** How a value reads in a message: lists joined with commas, unknowns as "unknown". */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Unknown) return 'unknown';
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  if (typeof value === 'object') {
    const named = value as { label?: unknown; name?: unknown; display?: unknown };
    const name = named.label ?? named.name ?? named.display;
    return name !== undefined ? formatValue(name) : JSON.stringify(value);
  }
  return String(value);
}

/**
 * Fills a template from the data a rule's condition saw. `{{subject.…}}` reads
 * the finding's subject, which the data does not carry.
 */
export function renderTemplate(
  template: CompiledTemplate,
  data: unknown,
  subject?: { type: string; id?: string; label: string },
): string {
  // Joined, not concatenated with +=: a join makes one flat string, where += leaves a tree of
  // pieces that a JSON writer later copies flat while the tree is still held (a large org's
  // 200,000 messages, twice).
  const out: string[] = [];
  for (const part of template) {
    if (typeof part === 'string') {
      out.push(part);
    } else if (part.keys[0] === 'subject' && subject) {
      out.push(formatValue(resolvePath({ subject }, part.keys, null)));
    } else {
      out.push(formatValue(resolvePath(data, part.keys, null)));
    }
  }
  return out.join('');
}

/** Evidence as plain JSON: Unknown values become null. */
export function plainEvidence(value: unknown): unknown {
  if (value instanceof Unknown) return null;
  if (Array.isArray(value)) return value.map(plainEvidence);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      out[key] = plainEvidence((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}

// ---- Exports shared by the dashboard and the CLI ----

export const CSV_COLUMNS = [
  'ruleId',
  'status',
  'severity',
  'subjectType',
  'subjectId',
  'subject',
  'message',
  'remediation',
  'reason',
] as const;

/**
 * A cell a spreadsheet would read as a formula (OWASP "CSV Injection"): text that starts with
 * `=`, `+`, `-`, `@`, a tab or a carriage return. Such a cell gets a leading `'` and is quoted;
 * the rest stays exact. Numbers the writer emits itself are never text, so they stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  if (FORMULA_START.test(value)) return `"'${value.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The findings as RFC 4180 CSV, one row per finding, with a header row. Org-controlled text that
 * starts like a formula is neutralised (see csvCell).
 */
export function reportToCsv(report: Report): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const f of report.findings) rows.push(csvRow(f));
  return `${rows.join('\r\n')}\r\n`;
}

/** One finding's CSV row, without the line break. */
function csvRow(f: Finding): string {
  return [
    f.ruleId,
    f.status,
    f.severity,
    f.subject.type,
    f.subject.id ?? '',
    f.subject.label,
    f.message,
    f.remediation ?? '',
    f.reason ?? '',
  ]
    .map(csvCell)
    .join(',');
}

/**
 * reportToCsv in pieces of a few hundred rows (joined, the same text), for a writer that
 * streams a large report instead of holding it as one string.
 */
export function* reportCsvPieces(report: Report, rowsPerPiece = 200): Generator<string> {
  let piece = `${CSV_COLUMNS.join(',')}\r\n`;
  let rows = 0;
  for (const f of report.findings) {
    piece += `${csvRow(f)}\r\n`;
    if (++rows === rowsPerPiece) {
      yield piece;
      piece = '';
      rows = 0;
    }
  }
  if (piece !== '') yield piece;
}
