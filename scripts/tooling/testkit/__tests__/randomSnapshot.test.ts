import fc from 'fast-check';
import {
  compileCatalog,
  evaluate,
  validateOrgFacts,
  type Finding,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { loadCatalogRecords } from '../../../cli/lib/catalogSource';
import { orgFactsArbitrary, sampleSnapshots, toId18 } from '../randomSnapshot';

const RUNS = 500;
const SEED = 20261120;
const STATUSES = ['PASS', 'FAIL', 'NOT_EVALUATED', 'ERROR'] as const;

/**
 * Verdicts no valid snapshot can reach with the shipped catalog, and why.
 * The coverage test fails if one of them is reached after all, so the list stays true.
 */
const UNREACHABLE: Record<string, { status: Finding['status']; reason: string }[]> = {
  // None since catalog v1.1: AH025 fails on what the connector does not offer.
};

const compiled = compileCatalog(loadCatalogRecords());
const snapshots = sampleSnapshots(RUNS, SEED);

type Table = Map<string, Record<(typeof STATUSES)[number], number>>;

function coverage(): Table {
  const table: Table = new Map();
  for (const rule of compiled.rules) {
    table.set(rule.definition.id, { PASS: 0, FAIL: 0, NOT_EVALUATED: 0, ERROR: 0 });
  }
  for (const snapshot of snapshots) {
    const report = evaluate(validateOrgFacts(snapshot), compiled, {
      evaluatedAt: '2026-01-01T00:00:00Z',
    });
    // Each rule counts once per snapshot and status, so one big org does not dominate.
    const seen = new Set<string>();
    for (const finding of report.findings) {
      const key = `${finding.ruleId}|${finding.status}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const row = table.get(finding.ruleId);
      if (row) row[finding.status] += 1;
    }
  }
  return table;
}

function formatTable(table: Table): string {
  // Each count is the number of snapshots in which the rule reached that status.
  const lines = [`rule   ${STATUSES.map((s) => s.padStart(14)).join('')}`];
  for (const [id, row] of table) {
    lines.push(`${id.padEnd(7)}${STATUSES.map((s) => String(row[s]).padStart(14)).join('')}`);
  }
  return lines.join('\n');
}

const STRICT_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;
const ID = /^[0-9A-Za-z]{15}([0-9A-Za-z]{3})?$/;

describe('random org snapshots', () => {
  it('are reproducible from the seed', () => {
    expect(JSON.stringify(sampleSnapshots(20, SEED))).toBe(JSON.stringify(snapshots.slice(0, 20)));
  });

  it('all pass validateOrgFacts and survive a JSON round trip', () => {
    for (const snapshot of snapshots) {
      expect(() => validateOrgFacts(snapshot)).not.toThrow();
      expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    }
  });

  it('use strict timestamps and valid, unique ids with the right key prefixes', () => {
    const problems: string[] = [];
    const checkId = (where: string, id: string, prefix: string) => {
      if (!ID.test(id) || !id.startsWith(prefix)) problems.push(`${where}: ${id}`);
      else if (id.length === 18 && toId18(id.slice(0, 15)) !== id)
        problems.push(`${where}: bad checksum ${id}`);
    };
    const checkUnique = (where: string, ids: string[]) => {
      const keys = ids.map((id) => id.slice(0, 15));
      if (new Set(keys).size !== keys.length) problems.push(`${where}: duplicate ids`);
    };
    for (const snapshot of snapshots) {
      const facts = validateOrgFacts(snapshot);
      checkId('org.id', facts.org.id, '00D');
      for (const u of facts.users) {
        checkId('user', u.id, '005');
        checkId('user.profileId', u.profileId, '00e');
        for (const id of u.permissionSetIds) checkId('user.permissionSetIds', id, '0PS');
      }
      for (const p of facts.profiles) checkId('profile', p.id, '00e');
      for (const s of facts.permissionSets) checkId('permissionSet', s.id, '0PS');
      checkUnique(
        'users',
        facts.users.map((u) => u.id),
      );
      checkUnique(
        'profiles',
        facts.profiles.map((p) => p.id),
      );
      checkUnique(
        'permissionSets',
        facts.permissionSets.map((s) => s.id),
      );
      const times = [
        facts.collectedAt,
        ...(facts.analytics?.jobs.map((j) => j.startedAt) ?? []),
        ...(facts.auditTrail?.map((e) => e.createdAt) ?? []),
      ];
      for (const t of times) if (!STRICT_ISO.test(t)) problems.push(`timestamp ${t}`);
      for (const list of [
        facts.analytics?.jobs.map((j) => j.startedAt),
        facts.auditTrail?.map((e) => e.createdAt),
      ]) {
        const ms = (list ?? []).map((t) => Date.parse(t));
        if (ms.some((m, i) => i > 0 && m > ms[i - 1])) problems.push('not newest first');
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('bring every active rule to PASS, FAIL and NOT_EVALUATED', () => {
    const table = coverage();
    const gaps: string[] = [];
    for (const [id, row] of table) {
      for (const status of ['PASS', 'FAIL', 'NOT_EVALUATED'] as const) {
        const exempt = UNREACHABLE[id]?.some((u) => u.status === status);
        if (row[status] === 0 && !exempt) gaps.push(`${id} never ${status}`);
        if (row[status] > 0 && exempt) gaps.push(`${id} reached ${status}, listed as unreachable`);
      }
    }
    // SHOW_COVERAGE=1 prints the table on success too, for tuning the generator.
    if (process.env.SHOW_COVERAGE) console.log(formatTable(table));
    if (gaps.length > 0) {
      throw new Error(
        `${gaps.join('\n')}\n\nCoverage over ${RUNS} snapshots:\n${formatTable(table)}`,
      );
    }
    expect(table.size).toBe(compiled.rules.length);
  });

  it('work as a fast-check arbitrary in a property', () => {
    fc.assert(
      fc.property(orgFactsArbitrary({ unknownFacts: false }), (snapshot) => {
        const facts = validateOrgFacts(snapshot);
        expect(facts.schema).not.toBeNull();
        expect(facts.collectionErrors).toEqual([]);
      }),
      { numRuns: 50, seed: SEED },
    );
  });
});
