/**
 * Between runs: which failures are new, resolved or still open, and which an
 * admin has acknowledged. Pure functions over reports, shared by the dashboard,
 * the CLI (an acknowledgements file) and the tests; the Apex monitoring job
 * follows the same rules.
 */
import { idKey } from './orgModel';
import { scoreOf, summarize, type Finding, type Report } from './report';

/** Subject types whose ids are Salesforce record ids (case-sensitive, 15 or 18 characters). */
const RECORD_ID_SUBJECTS = new Set(['user', 'profile', 'permissionSet', 'job']);

/**
 * The identity of a finding across runs: rule, subject type and subject id.
 * Record ids compare on their first 15 characters, case kept; names (objects,
 * fields) compare case-insensitively, as everywhere in the engine.
 */
export function findingKey(finding: Pick<Finding, 'ruleId' | 'subject'>): string {
  const { type } = finding.subject;
  const id = finding.subject.id ?? finding.subject.label;
  const comparable = RECORD_ID_SUBJECTS.has(type) ? idKey(id) : id.toLowerCase();
  return `${finding.ruleId.toUpperCase()}|${type}|${comparable}`;
}

export interface ReportComparison {
  /** FAIL now, not FAIL in the previous run (or there was no previous run). */
  newFailures: Finding[];
  /** FAIL in the previous run, PASS now. */
  resolved: Finding[];
  /** FAIL in both runs. */
  stillFailing: Finding[];
  /** FAIL in the previous run, and now neither PASS nor FAIL (not evaluated, error, or gone). */
  noLongerKnown: Finding[];
}

/** Compares two runs' FAIL findings; `previous` null means this is the first run. */
export function compareReports(previous: Report | null, current: Report): ReportComparison {
  const before = new Map<string, Finding>();
  for (const f of previous?.findings ?? []) if (f.status === 'FAIL') before.set(findingKey(f), f);
  const now = new Map<string, Finding>();
  for (const f of current.findings) now.set(findingKey(f), f);

  const comparison: ReportComparison = {
    newFailures: [],
    resolved: [],
    stillFailing: [],
    noLongerKnown: [],
  };
  for (const f of current.findings) {
    if (f.status !== 'FAIL') continue;
    (before.has(findingKey(f)) ? comparison.stillFailing : comparison.newFailures).push(f);
  }
  for (const [key, failed] of before) {
    const latest = now.get(key);
    if (latest?.status === 'PASS') comparison.resolved.push(latest);
    else if (!latest || latest.status !== 'FAIL') comparison.noLongerKnown.push(failed);
  }
  return comparison;
}

// ---- Acknowledgements ----

/** An admin's decision to accept a failing finding for now: who, when, why, until when. */
export interface Acknowledgement {
  ruleId: string;
  subjectType: string;
  subjectId: string;
  reason: string;
  acknowledgedBy: string;
  acknowledgedAt: string;
  /** ISO-8601; null = until withdrawn. */
  expiresAt: string | null;
}

export class AcknowledgementError extends Error {
  override name = 'AcknowledgementError';
}

const ACK_STRING_FIELDS = [
  'ruleId',
  'subjectType',
  'subjectId',
  'reason',
  'acknowledgedBy',
  'acknowledgedAt',
] as const;

/** Checks a parsed acknowledgements file: an array of Acknowledgement. Names the first bad value. */
export function validateAcknowledgements(value: unknown): Acknowledgement[] {
  if (!Array.isArray(value)) throw new AcknowledgementError('(root): expected array');
  value.forEach((item: unknown, i) => {
    const at = `[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new AcknowledgementError(`${at}: expected object`);
    }
    const record = item as Record<string, unknown>;
    for (const key of ACK_STRING_FIELDS) {
      const field = record[key];
      if (typeof field !== 'string' || field.trim() === '') {
        throw new AcknowledgementError(`${at}.${key}: expected non-empty string`);
      }
    }
    if (Number.isNaN(Date.parse(record.acknowledgedAt as string))) {
      throw new AcknowledgementError(`${at}.acknowledgedAt: expected ISO-8601 date-time string`);
    }
    const expires = record.expiresAt;
    if (expires !== null && (typeof expires !== 'string' || Number.isNaN(Date.parse(expires)))) {
      throw new AcknowledgementError(`${at}.expiresAt: expected ISO-8601 date-time string or null`);
    }
  });
  return value as Acknowledgement[];
}

/** A finding as shown after acknowledgements: an acknowledged FAIL carries its acknowledgement. */
export interface AcknowledgedFinding extends Finding {
  acknowledgement?: Acknowledgement;
}

export interface AcknowledgedReport extends Report {
  findings: AcknowledgedFinding[];
  summary: Report['summary'] & { acknowledged: number };
}

/**
 * Marks each FAIL finding that an unexpired acknowledgement covers, at the
 * report's evaluatedAt. Acknowledged failures stay in the report, marked, but
 * neither lower the score nor count among the failures until they expire.
 * The input report is not changed.
 */
export function applyAcknowledgements(
  report: Report,
  acknowledgements: Acknowledgement[],
): AcknowledgedReport {
  const at = Date.parse(report.evaluatedAt);
  const active = new Map<string, Acknowledgement>();
  for (const ack of acknowledgements) {
    const expired = ack.expiresAt !== null && Date.parse(ack.expiresAt) <= at;
    if (expired) continue;
    active.set(
      findingKey({
        ruleId: ack.ruleId,
        subject: { type: ack.subjectType, id: ack.subjectId, label: '' },
      }),
      ack,
    );
  }
  let acknowledged = 0;
  const findings: AcknowledgedFinding[] = report.findings.map((f) => {
    const ack = f.status === 'FAIL' ? active.get(findingKey(f)) : undefined;
    if (!ack) return f;
    acknowledged++;
    return { ...f, acknowledgement: ack };
  });
  const counted = findings.filter((f) => !f.acknowledgement);
  return {
    ...report,
    findings,
    score: scoreOf(counted),
    summary: { ...summarize(counted), acknowledged },
  };
}
