import { loadCatalogRecords } from '../catalogSource';
import { checkCase, loadVectors, runCase } from '../conformance';

const vectors = loadVectors();
const shipped = loadCatalogRecords();

describe('conformance vectors on the TypeScript engine', () => {
  it.each(vectors.cases.map((c) => [c.name, c] as const))('%s', (_name, vector) => {
    const report = runCase(vectors, shipped, vector);
    expect(checkCase(report, vector)).toEqual([]);
  });

  it('cover every shipped rule with a PASS, a FAIL and a NOT_EVALUATED case', () => {
    const seen = new Map<string, Set<string>>();
    for (const vector of vectors.cases) {
      for (const e of vector.expect) {
        const statuses = seen.get(e.ruleId) ?? new Set<string>();
        statuses.add(e.status);
        seen.set(e.ruleId, statuses);
      }
    }
    const ruleIds = shipped.rules.map((r) => String(r.Rule_Id__c));
    const missing = ruleIds.filter((id) =>
      ['PASS', 'FAIL', 'NOT_EVALUATED'].some((status) => !seen.get(id)?.has(status)),
    );
    expect(ruleIds.length).toBeGreaterThanOrEqual(27);
    expect(missing).toEqual([]);
  });

  it('include ERROR cases for broken rule records and bad facts', () => {
    const errors = vectors.cases.filter((c) => c.expect.some((e) => e.status === 'ERROR'));
    expect(errors.length).toBeGreaterThanOrEqual(4);
  });
});
