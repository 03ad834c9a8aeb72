/**
 * Analytics Health rule engine: org facts + rule catalog → report.
 *
 * One engine for every host. The dashboard imports it as `c/healthEngine`, the
 * CLI and the tests import this file; it uses nothing from Node or the browser.
 * Compile the catalog once with `compileCatalog` and evaluate it on any number
 * of snapshots with `evaluate`.
 */
import {
  buildCatalog,
  type Catalog,
  type CatalogRecords,
  type RuleDefinition,
  type RuleProblem,
  type SubjectKind,
} from './catalog';
import { DOMAIN_OPERATORS, SECOND_PHASE_OPERATORS, type EvaluationEnv } from './domainOperators';
import {
  LogicCompileError,
  SubjectDataError,
  Unknown,
  compile,
  forEachOperation,
  operatorsUsed,
  truthy,
  varPaths,
  type Evaluator,
} from './jsonLogic';
import type { OrgFacts } from './orgFacts';
import { OrgModel } from './orgModel';
import {
  compileTemplate,
  plainEvidence,
  renderTemplate,
  scoreOf,
  summarize,
  type CompiledTemplate,
  type Finding,
  type Report,
  type ReportSystemUser,
} from './report';
import {
  SubjectResolver,
  type PositionedExternalReference,
  type Subject,
  type SubjectRef,
} from './subjects';

export * from './catalog';
export * from './orgFacts';
export * from './report';
export { Unknown, LogicCompileError, SubjectDataError, compile, truthy } from './jsonLogic';
export { DOMAIN_OPERATORS } from './domainOperators';
export type { EvaluationEnv } from './domainOperators';
export { OrgModel, idKey, otherIdForm, INTEGRATION_LICENSE } from './orgModel';
export type { UserView, ProfileView } from './orgModel';
export { SubjectResolver } from './subjects';
export * from './monitoring';
export * from './whatIf';
export type { Subject, SubjectRef, PositionedExternalReference } from './subjects';
export * from './chunks';

export interface CompiledRule {
  definition: RuleDefinition;
  condition: Evaluator<EvaluationEnv>;
  filter: Evaluator<EvaluationEnv> | null;
  evidence: [string, Evaluator<EvaluationEnv>][];
  conditionReadsEvidence: boolean;
  /** Second-phase rules read other rules' results, so they run after all the others. */
  phase: 1 | 2;
  failMessage: CompiledTemplate;
  passMessage: CompiledTemplate;
  remediation: CompiledTemplate;
}

export interface CompiledCatalog {
  catalog: Catalog;
  rules: CompiledRule[];
  problems: RuleProblem[];
}

/** Compiles every active rule once; a rule that does not compile becomes a problem. */
export function compileCatalog(source: CatalogRecords | Catalog): CompiledCatalog {
  const catalog = 'listEntries' in source ? buildCatalog(source) : source;
  const rules: CompiledRule[] = [];
  const problems = [...catalog.problems];
  for (const definition of catalog.rules) {
    try {
      rules.push(compileRule(definition, catalog));
    } catch (error) {
      problems.push({
        id: definition.id,
        label: definition.label,
        severity: definition.severity,
        sortOrder: definition.sortOrder,
        problem: `Rule ${definition.id}: ${(error as Error).message}`,
      });
    }
  }
  rules.sort((a, b) => catalogOrder(a.definition, b.definition));
  problems.sort(catalogOrder);
  return { catalog, rules, problems };
}

/** Catalog order: sort order, then id. Broken records take their place among the rules. */
function catalogOrder(
  a: { sortOrder: number; id: string },
  b: { sortOrder: number; id: string },
): number {
  return a.sortOrder - b.sortOrder || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function compileRule(definition: RuleDefinition, catalog: Catalog): CompiledRule {
  const where = (field: string, logic: unknown) => {
    try {
      return compile<EvaluationEnv>(logic, DOMAIN_OPERATORS);
    } catch (error) {
      if (error instanceof LogicCompileError) throw new Error(`${field}: ${error.message}`);
      throw error;
    }
  };
  const all = [
    definition.condition,
    definition.subjectFilter,
    ...Object.values(definition.evidence),
  ];
  const used = new Set<string>();
  for (const logic of all) for (const name of operatorsUsed(logic)) used.add(name);
  for (const listName of listNamesUsed(all)) {
    if (!catalog.lists.has(listName.toUpperCase())) {
      throw new Error(`it uses the list ${listName}, which has no entries in the catalog`);
    }
  }
  return {
    definition,
    condition: where('Condition__c', definition.condition),
    filter:
      definition.subjectFilter === null
        ? null
        : where('Subject_Filter__c', definition.subjectFilter),
    evidence: Object.entries(definition.evidence).map(([name, logic]) => [
      name,
      where(`Evidence__c.${name}`, logic),
    ]),
    conditionReadsEvidence: varPaths(definition.condition).some(
      (p) => p === 'evidence' || p.startsWith('evidence.'),
    ),
    phase: [...used].some((name) => SECOND_PHASE_OPERATORS.has(name)) ? 2 : 1,
    failMessage: compileTemplate(definition.failMessage),
    passMessage: compileTemplate(definition.passMessage),
    remediation: compileTemplate(definition.remediation),
  };
}

const LIST_OPERATORS: Record<string, number> = {
  inList: 0,
  listMatches: 0,
  profileAuditEvents: 1,
  ipRangesCover: 1,
  ipRangesMissing: 1,
};

/** Constant list names passed to list-reading operators, to catch a typo at compile time. */
function listNamesUsed(logics: unknown[]): string[] {
  const names: string[] = [];
  forEachOperation(logics, (op, args) => {
    const position = LIST_OPERATORS[op];
    if (position !== undefined && typeof args[position] === 'string')
      names.push(args[position] as string);
  });
  return names;
}

export interface EvaluateOptions {
  /** Report timestamp; defaults to now. Rule time windows use the facts' collectedAt instead. */
  evaluatedAt?: string;
}

const ORG_SUBJECT: SubjectRef = { type: 'org', id: 'org', label: 'org' };

/**
 * Subject kinds with one subject per referenced object or field: their rules run in the
 * chunks of a chunked evaluation, the other rules once, in the core (ENGINE.md).
 */
export const PER_OBJECT_SUBJECTS: ReadonlySet<SubjectKind> = new Set<SubjectKind>([
  'referencedObject',
  'referencedField',
  'readableField',
]);

/** One rule's findings on a run of subjects that stay together and in order across chunks. */
export interface ChunkSegment {
  ruleId: string;
  /** Where the run goes among the rule's runs: a reference position, or a lower-case object name. */
  order: number | string;
  findings: Finding[];
}

/** What one chunk (or the core) contributes to a report: plain JSON, to store between jobs. */
export interface ChunkResult {
  part: 'core' | number;
  segments: ChunkSegment[];
  externalReferences: PositionedExternalReference[];
}

export interface ChunkPart {
  /** The chunk's number, for the caller's bookkeeping; assembly does not depend on it. */
  index: number;
  /**
   * The position in the whole `analytics.references` list of each reference in this chunk's
   * facts (same length); omitted when the chunk holds the whole list.
   */
  referencePositions?: number[];
}

export interface EvaluateChunkOptions {
  /** 'core': the rules on org, users, profiles, jobs, audit events; else one slice of the objects. */
  part: 'core' | ChunkPart;
}

/** One evaluation's model, subjects and operator environment. */
interface Session {
  compiled: CompiledCatalog;
  model: OrgModel;
  resolver: SubjectResolver;
  env: EvaluationEnv;
}

function compiledOf(source: CompiledCatalog | CatalogRecords): CompiledCatalog {
  return 'rules' in source && 'problems' in source ? source : compileCatalog(source);
}

function openSession(
  facts: OrgFacts,
  compiled: CompiledCatalog,
  referencePositions?: readonly number[],
): Session {
  const model = new OrgModel(facts);
  return {
    compiled,
    model,
    resolver: new SubjectResolver(model, referencePositions),
    env: {
      model,
      lists: compiled.catalog.lists,
      failingRuleIds: new Set(),
      memo: new Map(),
      unevaluatedRuleIds: new Set(),
    },
  };
}

/** Evaluates a compiled catalog (or raw records) on validated org facts. */
export function evaluate(
  facts: OrgFacts,
  source: CompiledCatalog | CatalogRecords,
  options: EvaluateOptions = {},
): Report {
  // The core and a single chunk holding every object, on one model: the chunked path, whole.
  const session = openSession(facts, compiledOf(source));
  const chunks: ChunkResult[] = [
    { part: 'core', segments: coreSegments(session), externalReferences: [] },
    {
      part: 0,
      segments: objectSegments(session),
      externalReferences: session.resolver.positionedExternalReferences(),
    },
  ];
  return assemble(session, chunks, options);
}

/**
 * Evaluates one part of a chunked evaluation (ENGINE.md). The core takes the shared facts
 * (`sharedFacts`); a chunk takes the shared facts plus one slice of the objects (`sliceFacts`).
 */
export function evaluateChunk(
  facts: OrgFacts,
  source: CompiledCatalog | CatalogRecords,
  options: EvaluateChunkOptions,
): ChunkResult {
  const compiled = compiledOf(source);
  assertChunkable(compiled);
  const { part } = options;
  if (part === 'core') {
    return { part, segments: coreSegments(openSession(facts, compiled)), externalReferences: [] };
  }
  const positions = part.referencePositions;
  const references = facts.analytics?.references.length ?? 0;
  if (positions !== undefined && positions.length !== references) {
    throw new Error(
      `chunk ${part.index}: ${positions.length} reference positions for ${references} references`,
    );
  }
  const session = openSession(facts, compiled, positions);
  return {
    part: part.index,
    segments: objectSegments(session),
    externalReferences: session.resolver.positionedExternalReferences(),
  };
}

/**
 * The report of a chunked evaluation: the core's and every chunk's results (any order) and the
 * shared facts. Equal to `evaluate` on the whole facts when the chunks partition the objects.
 */
export function assembleReport(
  chunks: readonly ChunkResult[],
  source: CompiledCatalog | CatalogRecords,
  shared: OrgFacts,
  options: EvaluateOptions = {},
): Report {
  const compiled = compiledOf(source);
  assertChunkable(compiled);
  const cores = chunks.filter((c) => c.part === 'core').length;
  if (cores !== 1) throw new Error(`assembly needs exactly one core result, not ${cores}`);
  return assemble(openSession(shared, compiled), chunks, options);
}

/** A second-phase rule on per-object subjects would need every chunk's results first. */
function assertChunkable(compiled: CompiledCatalog): void {
  for (const { definition, phase } of compiled.rules) {
    if (phase === 2 && PER_OBJECT_SUBJECTS.has(definition.subject)) {
      throw new Error(
        `Rule ${definition.id} reads other rules' results on ${definition.subject} subjects: it cannot run chunked`,
      );
    }
  }
}

/**
 * The core: first-phase rules on org-, user-, profile-, job- and audit-level subjects, and the one
 * NOT_EVALUATED finding of a per-object rule whose subjects are unknown (decided by shared facts).
 */
function coreSegments(session: Session): ChunkSegment[] {
  const segments: ChunkSegment[] = [];
  for (const rule of session.compiled.rules) {
    if (rule.phase !== 1) continue;
    const { definition } = rule;
    if (!PER_OBJECT_SUBJECTS.has(definition.subject)) {
      const findings = ruleSubjectFindings(rule, session);
      segments.push({ ruleId: definition.id, order: 0, findings });
      continue;
    }
    const unknown = session.resolver.unknownOf(definition.subject);
    if (unknown) {
      segments.push({
        ruleId: definition.id,
        order: 0,
        findings: [unknownSubjects(rule, unknown)],
      });
    }
  }
  return segments;
}

/** A chunk: first-phase rules on the slice's referenced objects and fields, one segment per run. */
function objectSegments(session: Session): ChunkSegment[] {
  const segments: ChunkSegment[] = [];
  for (const rule of session.compiled.rules) {
    if (rule.phase !== 1 || !PER_OBJECT_SUBJECTS.has(rule.definition.subject)) continue;
    let segment: ChunkSegment | undefined;
    // Nothing when the list is Unknown: the core reports it, once.
    session.resolver.forEachSubject(rule.definition.subject, (subject) => {
      const finding = evaluateSubject(rule, subject, session.env);
      if (!finding) return;
      const order = subject.order ?? 0;
      if (!segment || segment.order !== order) {
        segment = { ruleId: rule.definition.id, order, findings: [] };
        segments.push(segment);
      }
      segment.findings.push(finding);
    });
  }
  return segments;
}

function compareOrder(a: ChunkSegment, b: ChunkSegment): number {
  const x = a.order;
  const y = b.order;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  // Code-unit order, as readableField sorts object names.
  const sx = String(x);
  const sy = String(y);
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

/** Every rule's findings in report order, second-phase rules run on the session, the report built. */
function assemble(
  session: Session,
  chunks: readonly ChunkResult[],
  options: EvaluateOptions,
): Report {
  const { compiled, model, env } = session;
  const segmentsByRule = new Map<string, ChunkSegment[]>();
  const external: PositionedExternalReference[] = [];
  for (const chunk of chunks) {
    for (const segment of chunk.segments) {
      let list = segmentsByRule.get(segment.ruleId);
      if (!list) {
        list = [];
        segmentsByRule.set(segment.ruleId, list);
      }
      list.push(segment);
    }
    for (const reference of chunk.externalReferences) external.push(reference);
  }
  const byRule = new Map<string, Finding[]>();
  for (const phase of [1, 2] as const) {
    for (const rule of compiled.rules) {
      if (rule.phase !== phase) continue;
      const { definition } = rule;
      let raw: Finding[];
      if (phase === 2) {
        raw = ruleSubjectFindings(rule, session);
      } else {
        const segments = segmentsByRule.get(definition.id) ?? [];
        if (segments.length > 1) segments.sort(compareOrder);
        raw = [];
        // A loop, not push(...): a rule on 200,000 fields would overflow the call stack.
        for (const segment of segments) {
          const list = segment.findings;
          for (let i = 0; i < list.length; i++) raw.push(list[i]);
        }
      }
      const findings = completeRule(rule, raw, env);
      if (findings.some((f) => f.status === 'FAIL')) {
        env.failingRuleIds.add(definition.id.toUpperCase());
      }
      // v1.1: a rule that could not be judged is still a probable cause (candidateRules).
      if (findings.some((f) => f.status === 'NOT_EVALUATED')) {
        env.unevaluatedRuleIds?.add(definition.id.toUpperCase());
      }
      byRule.set(definition.id, findings);
    }
  }

  // Rules in catalog order (sort order, then id); broken records in the same order.
  const findings: Finding[] = [];
  const problems = compiled.problems.slice();
  for (const rule of compiled.rules) {
    while (problems.length > 0 && catalogOrder(problems[0], rule.definition) < 0) {
      findings.push(problemFinding(problems.shift() as RuleProblem));
    }
    for (const finding of byRule.get(rule.definition.id) ?? []) findings.push(finding);
  }
  for (const problem of problems) findings.push(problemFinding(problem));

  const { facts } = model;
  return {
    schemaVersion: 1,
    org:
      facts.org.name === undefined
        ? { id: facts.org.id }
        : { id: facts.org.id, name: facts.org.name },
    evaluatedAt: options.evaluatedAt ?? new Date().toISOString(),
    score: scoreOf(findings),
    summary: summarize(findings),
    findings,
    rules: compiled.rules.map(({ definition: d }) => ({
      id: d.id,
      label: d.label,
      category: d.category,
      subject: d.subject,
      severity: d.severity,
      helpText: d.helpText,
      sourceArticle: d.sourceArticle,
      factsNeeded: d.factsNeeded,
    })),
    externalReferences: external.sort((a, b) => a.position - b.position).map((e) => e.reference),
    systemUsers: systemUsers(model),
  };
}

function systemUsers(model: OrgModel): ReportSystemUser[] {
  // A Security User that a connection runs as is listed once, as the Security User.
  const users = [
    model.integrationUser,
    model.securityUser,
    ...model.customIntegrationUsers.filter((u) => u !== model.securityUser),
  ];
  const result: ReportSystemUser[] = [];
  for (const user of users) {
    if (!user) continue;
    const profile = model.profile(user.profileId);
    result.push({
      role: model.roleOf(user) as ReportSystemUser['role'],
      id: user.id,
      username: user.username,
      name: user.name ?? user.username,
      isActive: user.isActive,
      isFrozen: user.isFrozen,
      userLicense: user.userLicense,
      permissionSetLicenses: user.permissionSetLicenses,
      profile: profile
        ? {
            id: profile.id,
            name: profile.name,
            isCustom: profile.isCustom,
            requiredSessionLevel: profile.requiredSessionLevel,
            loginIpRanges: profile.loginIpRanges,
            loginHours: profile.loginHours,
          }
        : null,
    });
  }
  return result;
}

function problemFinding(problem: RuleProblem): Finding {
  return {
    ruleId: problem.id,
    status: 'ERROR',
    severity: problem.severity,
    subject: { type: 'rule', id: problem.id, label: problem.label },
    message: `Rule ${problem.id} could not run: its catalog record is not usable.`,
    reason: problem.problem,
  };
}

/**
 * Facts that may be null on one element (one user, one profile, one permission set): a
 * collection error on one of them is told by its nulls, each making only the findings that
 * read it NOT_EVALUATED; the values that were collected stay trusted (RULES.md v1.1).
 */
const PER_ELEMENT_NULLABLE = new Set([
  'users.isFrozen',
  'profiles.requiredSessionLevel',
  'profiles.loginIpRanges',
  'profiles.loginHours',
  'profiles.userPermissions',
  'permissionSets.userPermissions',
  // One principal's object / field rows: the principal says which with rowsCollected false.
  'profiles.rowsCollected',
  'permissionSets.rowsCollected',
]);

/**
 * Whether a collection error is already told by the facts themselves: a per-element fact (its
 * nulls, or `rowsCollected` false, mark the unknown elements), or a fact that is null (its
 * Unknown names the error). Only an error on a fact that is present and cannot say "unknown"
 * (a list that may miss entries: users, objectPermissions, analytics.references, …) leaves
 * every finding drawn from it untrustworthy.
 */
export function collectionErrorExplained(facts: OrgFacts, fact: string): boolean {
  if (PER_ELEMENT_NULLABLE.has(fact)) return true;
  let value: unknown = facts;
  for (const key of fact.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    value = (value as Record<string, unknown>)[key];
  }
  return value === null;
}

/**
 * A collector error on a fact the rule needs (or on a parent of it, e.g.
 * "users" for "users.isFrozen") means that fact is incomplete: neither a pass
 * nor a fail drawn from it can be trusted — unless the facts already say which
 * part is unknown (collectionErrorExplained).
 */
function incompleteFacts(definition: RuleDefinition, env: EvaluationEnv): string | null {
  const { facts } = env.model;
  const errors = facts.collectionErrors.filter(
    (error) =>
      !collectionErrorExplained(facts, error.fact) &&
      definition.factsNeeded.some(
        (need) =>
          need === error.fact ||
          need.startsWith(`${error.fact}.`) ||
          // A part of the fact is incomplete (e.g. one asset's references), so the fact is too.
          error.fact.startsWith(`${need}.`),
      ),
  );
  if (errors.length === 0) return null;
  return `The facts this rule needs were not fully collected: ${errors
    .map((e) => `${e.fact}: ${e.message}`)
    .join('; ')}`;
}

/**
 * A rule's findings from its subjects' findings: one PASS on the org when no subject gave a
 * finding; PASS and FAIL become NOT_EVALUATED when a fact the rule needs is incomplete.
 */
function completeRule(rule: CompiledRule, raw: Finding[], env: EvaluationEnv): Finding[] {
  const { definition } = rule;
  const findings =
    raw.length > 0
      ? raw
      : [
          newFinding(
            definition,
            'PASS',
            ORG_SUBJECT,
            `${definition.label}: nothing to check in this org.`,
          ),
        ];
  const incomplete = incompleteFacts(definition, env);
  if (!incomplete) return findings;
  return findings.map((f) => {
    if (f.status !== 'PASS' && f.status !== 'FAIL') return f;
    const unknown = newFinding(
      definition,
      'NOT_EVALUATED',
      f.subject,
      `${definition.label}: not evaluated for ${f.subject.label}.`,
    );
    unknown.reason = incomplete;
    return unknown;
  });
}

/** The one finding of a rule whose subjects are unknown. */
function unknownSubjects(rule: CompiledRule, subjects: Unknown): Finding {
  const { definition } = rule;
  const unknown = newFinding(
    definition,
    'NOT_EVALUATED',
    ORG_SUBJECT,
    `${definition.label}: not evaluated.`,
  );
  unknown.reason = subjects.reason;
  return unknown;
}

/** A rule's findings on all its subjects (none when no subject applies). */
function ruleSubjectFindings(rule: CompiledRule, session: Session): Finding[] {
  const subjects = session.resolver.subjects(rule.definition.subject);
  if (subjects instanceof Unknown) return [unknownSubjects(rule, subjects)];
  const findings: Finding[] = [];
  for (const subject of subjects) {
    const finding = evaluateSubject(rule, subject, session.env);
    if (finding) findings.push(finding);
  }
  // Subjects the facts cannot list (v1.1): one NOT_EVALUATED on the org, never "nothing to check".
  if (subjects.rest) findings.push(unknownSubjects(rule, subjects.rest));
  return findings;
}

function evaluateSubject(rule: CompiledRule, subject: Subject, env: EvaluationEnv): Finding | null {
  const { definition } = rule;
  let data: Record<string, unknown> = subject.context;
  try {
    if (rule.filter) {
      const applies = rule.filter(data, env);
      if (applies instanceof Unknown) return notEvaluated(definition, subject.ref, applies);
      if (!truthy(applies)) return null;
    }
    let evidence: Record<string, unknown> | undefined;
    if (rule.conditionReadsEvidence) {
      evidence = computeEvidence(rule, data, env);
      data = { ...data, evidence };
    }
    const result = rule.condition(data, env);
    if (result instanceof Unknown) return notEvaluated(definition, subject.ref, result);
    if (truthy(result)) {
      const message = renderTemplate(rule.passMessage, data, subject.ref);
      return newFinding(definition, 'PASS', subject.ref, message);
    }
    if (evidence === undefined && rule.evidence.length > 0) {
      evidence = computeEvidence(rule, data, env);
      data = { ...data, evidence };
    }
    const failed = newFinding(
      definition,
      'FAIL',
      subject.ref,
      renderTemplate(rule.failMessage, data, subject.ref),
    );
    if (definition.remediation) {
      failed.remediation = renderTemplate(rule.remediation, data, subject.ref);
    }
    if (evidence && Object.keys(evidence).length > 0) {
      failed.evidence = plainEvidence(evidence) as Record<string, unknown>;
    }
    return failed;
  } catch (error) {
    const reason =
      error instanceof SubjectDataError
        ? `The facts for ${subject.ref.label} cannot be used: ${error.message}`
        : `Rule ${definition.id} failed on ${subject.ref.label}: ${(error as Error).message}`;
    const broken = newFinding(
      definition,
      'ERROR',
      subject.ref,
      `${definition.label}: could not be evaluated for ${subject.ref.label}.`,
    );
    broken.reason = reason;
    return broken;
  }
}

/**
 * Every finding starts with the same keys in the same order (the report's
 * order); optional ones are added after. One shape keeps the code that reads
 * hundreds of thousands of findings (score, summary, export) fast.
 */
function newFinding(
  definition: RuleDefinition,
  status: Finding['status'],
  subject: Finding['subject'],
  message: string,
): Finding {
  return { ruleId: definition.id, status, severity: definition.severity, subject, message };
}

function notEvaluated(
  definition: RuleDefinition,
  subject: Finding['subject'],
  unknown: Unknown,
): Finding {
  const result = newFinding(
    definition,
    'NOT_EVALUATED',
    subject,
    `${definition.label}: not evaluated for ${subject.label}.`,
  );
  result.reason = unknown.reason;
  return result;
}

export function computeEvidence(
  rule: CompiledRule,
  data: Record<string, unknown>,
  env: EvaluationEnv,
): Record<string, unknown> {
  // Each entry sees the ones before it as `evidence.<name>`.
  const evidence: Record<string, unknown> = {};
  const scope = { ...data, evidence };
  for (const [name, evaluator] of rule.evidence) {
    evidence[name] = evaluator(scope, env);
  }
  return evidence;
}
