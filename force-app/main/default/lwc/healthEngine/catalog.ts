/**
 * The rule catalog as the engine sees it.
 *
 * Records arrive shaped like the custom metadata SObjects they are stored as
 * (`Analytics_Health_Rule__mdt`, `Analytics_Health_List_Entry__mdt`): from the
 * Apex controller in the org, or parsed from the package's XML by the CLI and
 * the tests. A namespace prefix (`ns__Condition__c`) is ignored, so the same
 * code reads records from the managed package and from source.
 *
 * A record that cannot be used is not dropped: it becomes a `RuleProblem`, and
 * the report shows it as an ERROR finding while every other rule still runs.
 */

export type Severity = 'CRITICAL' | 'WARNING' | 'INFO';
export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'WARNING', 'INFO'];

export const SUBJECT_KINDS = [
  'org',
  'user',
  'systemUser',
  'integrationUser',
  'systemProfile',
  'referencedObject',
  'referencedField',
  'readableField',
  'job',
  'auditEvent',
  // Catalog v1.1
  'dataset',
  'predicateField',
  'sandbox',
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** A custom metadata record as a plain object of field API name → value. */
export type CatalogRecord = Record<string, unknown>;

export interface CatalogRecords {
  rules: CatalogRecord[];
  listEntries: CatalogRecord[];
}

/** Field API names, without namespace, of the rule type. */
export const RULE_FIELDS = {
  ruleId: 'Rule_Id__c',
  category: 'Category__c',
  subject: 'Subject__c',
  subjectFilter: 'Subject_Filter__c',
  severity: 'Severity__c',
  severityOverride: 'Severity_Override__c',
  active: 'Is_Active__c',
  condition: 'Condition__c',
  evidence: 'Evidence__c',
  failMessage: 'Fail_Message__c',
  passMessage: 'Success_Message__c',
  remediation: 'Remediation__c',
  helpText: 'Help_Text__c',
  sourceArticle: 'Source_Article__c',
  factsNeeded: 'Facts_Needed__c',
  sortOrder: 'Sort_Order__c',
} as const;

/** Field API names, without namespace, of the list-entry type. */
export const LIST_ENTRY_FIELDS = {
  list: 'List__c',
  value: 'Value__c',
  relatedRules: 'Related_Rules__c',
  description: 'Description__c',
  source: 'Source__c',
  sourceDate: 'Source_Date__c',
  active: 'Is_Active__c',
} as const;

export interface RuleDefinition {
  id: string;
  label: string;
  category: string;
  subject: SubjectKind;
  subjectFilter: unknown;
  /** Severity after the subscriber's override. */
  severity: Severity;
  defaultSeverity: Severity;
  condition: unknown;
  evidence: Record<string, unknown>;
  failMessage: string;
  passMessage: string;
  remediation: string;
  helpText: string;
  sourceArticle: string;
  factsNeeded: string[];
  sortOrder: number;
}

export interface RuleProblem {
  /** The rule id if the record has a usable one, else the record's developer name. */
  id: string;
  label: string;
  severity: Severity;
  sortOrder: number;
  problem: string;
}

export interface ListEntry {
  list: string;
  value: string;
  relatedRules: string[];
  description: string;
  source: string;
  sourceDate: string;
  active: boolean;
}

export interface Catalog {
  rules: RuleDefinition[];
  problems: RuleProblem[];
  /** Active entries by list name (upper case); lists whose entries are all inactive are present and empty. */
  lists: Map<string, ListEntry[]>;
}

const NAMESPACE_PREFIX = /^[A-Za-z][A-Za-z0-9]*__(?=.+__c$)/;

/** Strips a managed-package namespace prefix from custom field names. */
export function withoutNamespace(record: CatalogRecord): CatalogRecord {
  const out: CatalogRecord = {};
  for (const key of Object.keys(record)) {
    out[key.replace(NAMESPACE_PREFIX, '')] = record[key];
  }
  return out;
}

const RULE_ID = /^[A-Za-z][A-Za-z0-9_]{1,39}$/;

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).trim();
}

function flag(value: unknown, fallback: boolean): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fallback;
}

function parseJson(raw: string, field: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new Error(`${field} is not valid JSON (${(error as Error).message})`);
  }
}

function severityOf(value: unknown): Severity | undefined {
  const upper = text(value).toUpperCase();
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : undefined;
}

/** Normalises one rule record; throws an Error whose message says what is wrong. */
function toRule(record: CatalogRecord): RuleDefinition {
  const f = RULE_FIELDS;
  const id = text(record[f.ruleId]);
  if (!RULE_ID.test(id)) {
    throw new Error(
      `${f.ruleId} "${id}" must start with a letter and hold 2–40 letters, digits or _`,
    );
  }
  const subject = text(record[f.subject]);
  if (!(SUBJECT_KINDS as readonly string[]).includes(subject)) {
    throw new Error(`${f.subject} "${subject}" is not one of ${SUBJECT_KINDS.join(', ')}`);
  }
  const defaultSeverity = severityOf(record[f.severity]);
  if (!defaultSeverity) {
    throw new Error(
      `${f.severity} "${text(record[f.severity])}" is not one of ${SEVERITIES.join(', ')}`,
    );
  }
  const overrideText = text(record[f.severityOverride]);
  const override = severityOf(overrideText);
  if (overrideText && !override) {
    throw new Error(
      `${f.severityOverride} "${overrideText}" is not one of ${SEVERITIES.join(', ')}`,
    );
  }
  const conditionText = text(record[f.condition]);
  if (!conditionText) throw new Error(`${f.condition} is empty`);
  const filterText = text(record[f.subjectFilter]);
  const evidenceText = text(record[f.evidence]);
  const evidence = evidenceText ? parseJson(evidenceText, f.evidence) : {};
  if (typeof evidence !== 'object' || evidence === null || Array.isArray(evidence)) {
    throw new Error(`${f.evidence} must be a JSON object of name → JSON Logic`);
  }
  const failMessage = text(record[f.failMessage]);
  if (!failMessage) throw new Error(`${f.failMessage} is empty`);
  const sortOrder = Number(record[f.sortOrder] ?? 0);
  return {
    id,
    label: text(record.MasterLabel) || text(record.Label) || id,
    category: text(record[f.category]) || 'General',
    subject: subject as SubjectKind,
    subjectFilter: filterText ? parseJson(filterText, f.subjectFilter) : null,
    severity: override ?? defaultSeverity,
    defaultSeverity,
    condition: parseJson(conditionText, f.condition),
    evidence: evidence as Record<string, unknown>,
    failMessage,
    passMessage: text(record[f.passMessage]) || failMessage,
    remediation: text(record[f.remediation]),
    helpText: text(record[f.helpText]),
    sourceArticle: text(record[f.sourceArticle]),
    factsNeeded: text(record[f.factsNeeded])
      .split(/[,\s]+/)
      .filter(Boolean),
    sortOrder: Number.isFinite(sortOrder) ? sortOrder : 0,
  };
}

function toListEntry(record: CatalogRecord): ListEntry {
  const f = LIST_ENTRY_FIELDS;
  return {
    list: text(record[f.list]).toUpperCase(),
    value: text(record[f.value]),
    relatedRules: text(record[f.relatedRules])
      .split(/[,\s]+/)
      .filter(Boolean),
    description: text(record[f.description]),
    source: text(record[f.source]),
    sourceDate: text(record[f.sourceDate]),
    active: flag(record[f.active], true),
  };
}

/**
 * Builds the catalog from records: inactive rules are left out, broken ones
 * become problems, duplicates of an id already taken become problems too.
 */
export function buildCatalog(records: CatalogRecords): Catalog {
  const rules: RuleDefinition[] = [];
  const problems: RuleProblem[] = [];
  const seen = new Set<string>();
  for (const raw of records.rules) {
    const record = withoutNamespace(raw);
    if (!flag(record[RULE_FIELDS.active], true)) continue;
    const fallbackId = text(record[RULE_FIELDS.ruleId]) || text(record.DeveloperName) || '(no id)';
    try {
      const rule = toRule(record);
      if (seen.has(rule.id.toUpperCase())) {
        throw new Error(`rule id ${rule.id} is used by another active record`);
      }
      seen.add(rule.id.toUpperCase());
      rules.push(rule);
    } catch (error) {
      problems.push({
        id: fallbackId,
        label: text(record.MasterLabel) || text(record.Label) || fallbackId,
        severity: severityOf(record[RULE_FIELDS.severity]) ?? 'WARNING',
        sortOrder: Number(record[RULE_FIELDS.sortOrder] ?? 0) || 0,
        problem: `Rule record ${text(record.DeveloperName) || fallbackId}: ${(error as Error).message}`,
      });
    }
  }
  const lists = new Map<string, ListEntry[]>();
  for (const raw of records.listEntries) {
    const entry = toListEntry(withoutNamespace(raw));
    if (!entry.list) continue;
    const bucket = lists.get(entry.list) ?? [];
    if (entry.active && entry.value) bucket.push(entry);
    lists.set(entry.list, bucket);
  }
  return { rules, problems, lists };
}
