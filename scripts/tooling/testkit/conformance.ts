/**
 * Runs the shared conformance vectors (staticresources/AnalyticsHealthVectors.json)
 * against the TypeScript engine. The Apex engine's test class follows the same
 * steps on the same file, so both engines are held to one set of answers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  compileCatalog,
  evaluate,
  validateOrgFacts,
  type CatalogRecord,
  type CatalogRecords,
  type Finding,
  type Report,
} from '../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { PROJECT_ROOT } from '../../cli/lib/catalogSource';

export const VECTORS_FILE = path.join(
  PROJECT_ROOT,
  'force-app/main/default/staticresources/AnalyticsHealthVectors.json',
);

export interface VectorCase {
  name: string;
  rules: string[];
  sets: { path: string; value: unknown }[];
  expect: { ruleId: string; subjectId: string; status: Finding['status'] }[];
  exact: boolean;
  catalogOverrides?: CatalogRecord[];
  listOverrides?: CatalogRecord[];
  messageIncludes?: string;
  reasonIncludes?: string;
  evidence?: Record<string, unknown>;
  severity?: string;
}

export interface Vectors {
  schemaVersion: 1;
  baseFacts: unknown;
  cases: VectorCase[];
}

export function loadVectors(file: string = VECTORS_FILE): Vectors {
  return JSON.parse(readFileSync(file, 'utf8')) as Vectors;
}

/** Sets `value` at a dot path; a numeric key equal to an array's length appends. */
export function setPath(target: unknown, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null)
      throw new Error(`vector path ${dotted}: ${key} is not an object`);
    node = next as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = JSON.parse(JSON.stringify(value)) as unknown;
}

/** The shipped catalog with the case's overrides applied. */
export function catalogForCase(shipped: CatalogRecords, vector: VectorCase): CatalogRecords {
  const rules = shipped.rules.map((r) => ({ ...r }));
  for (const override of vector.catalogOverrides ?? []) {
    const existing = rules.find((r) => r.Rule_Id__c === override.Rule_Id__c);
    if (existing) Object.assign(existing, override);
    else rules.push({ ...override });
  }
  return { rules, listEntries: [...shipped.listEntries, ...(vector.listOverrides ?? [])] };
}

/** The time every case is evaluated at (the Apex test class uses the same). */
export const VECTORS_EVALUATED_AT = '2026-11-20T08:00:00.000Z';

/** A case's facts: a copy of the base facts with the case's sets applied. */
export function caseFacts(vectors: Vectors, vector: VectorCase): unknown {
  const facts = JSON.parse(JSON.stringify(vectors.baseFacts)) as unknown;
  for (const { path: dotted, value } of vector.sets) setPath(facts, dotted, value);
  return facts;
}

export function runCase(vectors: Vectors, shipped: CatalogRecords, vector: VectorCase): Report {
  const compiled = compileCatalog(catalogForCase(shipped, vector));
  return evaluate(validateOrgFacts(caseFacts(vectors, vector)), compiled, {
    evaluatedAt: VECTORS_EVALUATED_AT,
  });
}

const key = (ruleId: string, subjectId: string | undefined, status: string) =>
  `${ruleId} | ${subjectId} | ${status}`;

/** Differences between a report and a case's expectations; empty when the case holds. */
export function checkCase(report: Report, vector: VectorCase): string[] {
  const wanted = new Set(vector.rules);
  const findings = report.findings.filter((f) => wanted.has(f.ruleId));
  const problems: string[] = [];
  const actual = findings.map((f) => key(f.ruleId, f.subject.id, f.status)).sort();
  const expected = vector.expect.map((e) => key(e.ruleId, e.subjectId, e.status)).sort();
  if (vector.exact && JSON.stringify(actual) !== JSON.stringify(expected)) {
    problems.push(`findings ${JSON.stringify(actual)} != expected ${JSON.stringify(expected)}`);
  }
  const notPassing = findings.filter((f) => f.status !== 'PASS');
  for (const f of notPassing) {
    if (vector.messageIncludes && !f.message.includes(vector.messageIncludes)) {
      problems.push(`message of ${f.ruleId} "${f.message}" lacks "${vector.messageIncludes}"`);
    }
    if (vector.reasonIncludes && !(f.reason ?? '').includes(vector.reasonIncludes)) {
      problems.push(`reason of ${f.ruleId} "${f.reason}" lacks "${vector.reasonIncludes}"`);
    }
  }
  if (vector.evidence) {
    const failing = findings.find((f) => f.status === 'FAIL' && f.ruleId === vector.rules[0]);
    for (const [name, value] of Object.entries(vector.evidence)) {
      if (JSON.stringify(failing?.evidence?.[name]) !== JSON.stringify(value)) {
        problems.push(
          `evidence.${name} ${JSON.stringify(failing?.evidence?.[name])} != ${JSON.stringify(value)}`,
        );
      }
    }
  }
  if (vector.severity) {
    for (const f of findings) {
      if (f.severity !== vector.severity) problems.push(`severity of ${f.ruleId} is ${f.severity}`);
    }
  }
  return problems;
}
