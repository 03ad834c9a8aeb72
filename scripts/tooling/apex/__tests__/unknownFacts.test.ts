/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
// Three-valued evaluation holds in both engines: making one fact, or one part of one, unknown (null,
// or a principal's rows marked not collected, with the collection error a collector records) never
// turns a FAIL or NOT_EVALUATED into PASS, never drops a FAIL without a NOT_EVALUATED in its place,
// and changes no verdict outside what reads the blinded part (RULES.md v1.1 clarifications).
import fc from 'fast-check';
import {
  compileCatalog,
  evaluate,
  idKey,
  validateOrgFacts,
  type Finding,
  type OrgFacts,
  type Report,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { loadCatalogRecords } from '../../../cli/lib/catalogSource';
import { orgFactsArbitrary } from '../../testkit/randomSnapshot';
import { evaluateWithApex } from '../cli/apexEngine';

const EVALUATED_AT = '2026-11-20T08:00:00.000Z';
const records = loadCatalogRecords();
const compiled = compileCatalog(records);

/** What a blinding may change: rules (all their findings) and subjects (any rule's findings on them). */
interface Blinding {
  describe: string;
  apply(facts: OrgFacts): void;
  rules: Set<string>;
  subjects: Set<string>;
}

const related = (need: string, fact: string) =>
  need === fact || need.startsWith(`${fact}.`) || fact.startsWith(`${need}.`);

/** Facts that list a subject kind's subjects, besides what the rule's record names. */
const KIND_FACTS: Record<string, string[]> = {
  referencedObject: ['analytics', 'schema'],
  referencedField: ['analytics', 'schema'],
  readableField: ['analytics', 'schema', 'fieldPermissions'],
  job: ['analytics'],
  auditEvent: ['auditTrail'],
  dataset: ['analytics'],
  predicateField: ['analytics', 'schema'],
  sandbox: ['sandboxes'],
};

/** Rules that read the fact: named in their record, or listing their subjects from it. */
function rulesNeeding(fact: string): Set<string> {
  return new Set(
    compiled.rules
      .filter((r) =>
        [...r.definition.factsNeeded, ...(KIND_FACTS[r.definition.subject] ?? [])].some((need) =>
          related(need, fact),
        ),
      )
      .map((r) => r.definition.id),
  );
}

/** Rules that read who the custom integration users are (unknown when the connections are). */
function rulesOnCustomUsers(): string[] {
  return compiled.rules
    .filter(
      (r) =>
        r.definition.subject === 'integrationUser' ||
        JSON.stringify(r.definition.condition).includes('customIntegrationUsers'),
    )
    .map((r) => r.definition.id);
}

const addError = (facts: OrgFacts, fact: string) => {
  if (!facts.collectionErrors.some((e) => e.fact === fact)) {
    facts.collectionErrors.push({ fact, message: `${fact} was made unknown by the test` });
  }
};

/** Every way to make one fact or one part of one unknown in these facts. */
function blindings(facts: OrgFacts): Blinding[] {
  const result: Blinding[] = [];
  const whole = (fact: string, apply: (f: OrgFacts) => void, extraRules: string[] = []) =>
    result.push({
      describe: fact,
      apply: (f) => {
        apply(f);
        addError(f, fact);
      },
      rules: new Set([...rulesNeeding(fact), ...extraRules]),
      subjects: new Set(),
    });
  for (const name of [
    'enforceIpRangesEveryRequest',
    'profileFilteringEnabled',
    'apiAccessControlEnabled',
  ] as const) {
    if (facts.settings[name] !== null) {
      whole(`settings.${name}`, (f) => {
        f.settings[name] = null;
      });
    }
  }
  if (facts.org.isSandbox !== null) {
    whole('org.isSandbox', (f) => {
      f.org.isSandbox = null;
    });
  }
  if (facts.analytics !== null) {
    whole(
      'analytics',
      (f) => {
        f.analytics = null;
      },
      rulesOnCustomUsers(),
    );
  }
  for (const fact of ['schema', 'packageLicenses', 'auditTrail', 'connectedApps', 'sandboxes']) {
    const value = (facts as unknown as Record<string, unknown>)[fact];
    if (value !== null && value !== undefined) {
      whole(fact, (f) => {
        (f as unknown as Record<string, unknown>)[fact] = null;
      });
    }
  }
  facts.profiles.forEach((profile, index) => {
    for (const part of ['loginIpRanges', 'loginHours', 'requiredSessionLevel'] as const) {
      if (profile[part] === null) continue;
      result.push({
        describe: `profiles[${index}].${part}`,
        apply: (f) => {
          f.profiles[index][part] = null;
          addError(f, `profiles.${part}`);
        },
        rules: new Set(),
        subjects: new Set([profile.id]),
      });
    }
  });
  facts.users.forEach((user, index) => {
    if (user.isFrozen === null) return;
    result.push({
      describe: `users[${index}].isFrozen`,
      apply: (f) => {
        f.users[index].isFrozen = null;
        addError(f, 'users.isFrozen');
      },
      rules: new Set(),
      subjects: new Set([user.id]),
    });
  });
  const principals = [
    ...facts.profiles.map((p, i) => ({ list: 'profiles' as const, index: i, id: p.id })),
    ...facts.permissionSets.map((s, i) => ({
      list: 'permissionSets' as const,
      index: i,
      id: s.id,
    })),
  ];
  for (const { list, index, id } of principals) {
    const holders = facts.users
      .filter((u) => [u.profileId, ...u.permissionSetIds].some((p) => idKey(p) === idKey(id)))
      .map((u) => u.id);
    if (facts[list][index].userPermissions !== null) {
      result.push({
        describe: `${list}[${index}].userPermissions`,
        apply: (f) => {
          f[list][index].userPermissions = null;
          addError(f, `${list}.userPermissions`);
        },
        rules: new Set(),
        subjects: new Set(holders),
      });
    }
    for (const part of ['object', 'field'] as const) {
      if (facts[list][index].rowsCollected?.[part] === false) continue;
      result.push({
        describe: `${list}[${index}].rowsCollected.${part}`,
        apply: (f) => {
          const principal = f[list][index];
          principal.rowsCollected = {
            object: principal.rowsCollected?.object ?? true,
            field: principal.rowsCollected?.field ?? true,
            [part]: false,
          };
          addError(f, `${list}.rowsCollected`);
        },
        rules: rulesNeeding(`${part}Permissions`),
        subjects: new Set(),
      });
    }
  }
  return result;
}

/**
 * Findings by rule, subject id and label; a rule may judge one object twice (read by two users,
 * or by two assets), so a repeat gets its occurrence number.
 */
function keyed(findings: readonly Finding[]): Map<string, Finding> {
  const result = new Map<string, Finding>();
  for (const finding of findings) {
    const base = `${finding.ruleId}|${finding.subject.id ?? ''}|${finding.subject.label}`;
    let key = base;
    for (let n = 2; result.has(key); n++) key = `${base}#${n}`;
    result.set(key, finding);
  }
  return result;
}

/** Broken promises of one blinding, as readable lines (empty when it holds). */
function violations(before: Report, after: Report, blinding: Blinding): string[] {
  const problems: string[] = [];
  const afterByKey = keyed(after.findings);
  const beforeByKey = keyed(before.findings);
  const mayChange = (f: Finding) =>
    blinding.rules.has(f.ruleId) ||
    (f.subject.id !== undefined && [...blinding.subjects].some((s) => s === f.subject.id));
  const unknownOnOrg = (ruleId: string) =>
    after.findings.some(
      (f) => f.ruleId === ruleId && f.status === 'NOT_EVALUATED' && f.subject.type === 'org',
    );
  for (const [key, old] of beforeByKey) {
    const now = afterByKey.get(key);
    const where = `${key} after ${blinding.describe}`;
    if (!now) {
      if (old.status === 'FAIL' && !unknownOnOrg(old.ruleId)) {
        problems.push(`${where}: a FAIL vanished with no NOT_EVALUATED in its place`);
      }
      if (!mayChange(old)) problems.push(`${where}: the finding vanished`);
      continue;
    }
    if (now.status === 'PASS' && (old.status === 'FAIL' || old.status === 'NOT_EVALUATED')) {
      problems.push(`${where}: ${old.status} became PASS`);
    }
    if (old.status === 'FAIL' && now.status !== 'FAIL' && now.status !== 'NOT_EVALUATED') {
      problems.push(`${where}: FAIL became ${now.status}`);
    }
    if (now.status !== old.status && !mayChange(old)) {
      problems.push(
        `${where}: ${old.status} became ${now.status}, though it does not read that part`,
      );
    }
  }
  for (const [key, added] of afterByKey) {
    if (beforeByKey.has(key)) continue;
    const where = `${key} after ${blinding.describe}`;
    if (added.status === 'PASS' || added.status === 'FAIL') {
      // A new decided finding can only be the "nothing to check" PASS of a rule with no subject
      // left, which must not replace a FAIL (checked above), or a subject newly listed.
      if (!mayChange(added)) problems.push(`${where}: a new ${added.status}`);
    } else if (!mayChange(added)) {
      problems.push(`${where}: a new ${added.status}`);
    }
  }
  return problems;
}

const clone = (facts: unknown) => validateOrgFacts(JSON.parse(JSON.stringify(facts)));

/** One snapshot and one of its blindings, picked by index. */
const pairs = fc.tuple(orgFactsArbitrary(), fc.nat()).map(([snapshot, pick]) => {
  const facts = clone(snapshot);
  const all = blindings(facts);
  const blinding = all[pick % all.length];
  const blinded = clone(snapshot);
  blinding.apply(blinded);
  return { facts, blinded: clone(blinded), blinding };
});

describe('making one fact or part of a fact unknown', () => {
  it('keeps every decided verdict in the TypeScript engine (150 seeded snapshots)', () => {
    fc.assert(
      fc.property(pairs, ({ facts, blinded, blinding }) => {
        const before = evaluate(facts, compiled, { evaluatedAt: EVALUATED_AT });
        const after = evaluate(blinded, compiled, { evaluatedAt: EVALUATED_AT });
        expect(violations(before, after, blinding)).toEqual([]);
      }),
      { numRuns: 150, seed: 17_2026, endOnFailure: true },
    );
  });

  it('keeps every decided verdict in the Apex engine (4 seeded snapshots)', () => {
    fc.assert(
      fc.property(pairs, ({ facts, blinded, blinding }) => {
        const before = evaluateWithApex(facts, records, { evaluatedAt: EVALUATED_AT });
        const after = evaluateWithApex(blinded, records, { evaluatedAt: EVALUATED_AT });
        expect(violations(before, after, blinding)).toEqual([]);
      }),
      { numRuns: 4, seed: 2026_17, endOnFailure: true },
    );
  });

  it('catches a blinding that hides a decided verdict (the check can fail)', () => {
    const facts = clone(
      JSON.parse(
        JSON.stringify(
          fc.sample(orgFactsArbitrary({ unknownFacts: false }), { numRuns: 1, seed: 7 })[0],
        ),
      ),
    );
    const report = evaluate(facts, compiled, { evaluatedAt: EVALUATED_AT });
    const decided = report.findings.find(
      (f) => f.status === 'FAIL' || f.status === 'NOT_EVALUATED',
    );
    expect(decided).toBeDefined();
    const hidden: Report = {
      ...report,
      findings: report.findings.map((f) => (f === decided ? { ...f, status: 'PASS' } : f)),
    };
    const none: Blinding = {
      describe: 'nothing',
      apply: () => {},
      rules: new Set(),
      subjects: new Set(),
    };
    expect(violations(report, hidden, none).join('\n')).toMatch(/became PASS/);
  });
});
