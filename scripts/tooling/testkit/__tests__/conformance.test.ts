import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, loadCatalogRecords } from '../../../cli/lib/catalogSource';
import { otherIdForm } from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
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

  it('write every 18-character id with its right checksum suffix', () => {
    const text = JSON.stringify(vectors);
    const ids = [
      ...new Set(text.match(/(?<![A-Za-z0-9@])0[0-9A-Za-z]{2}0[0-9A-Za-z]{14}(?![A-Za-z0-9])/g)),
    ];
    expect(ids.length).toBeGreaterThan(5);
    expect(ids.filter((id) => otherIdForm(otherIdForm(id) as string) !== id)).toEqual([]);
  });

  it('include ERROR cases for broken rule records and bad facts', () => {
    const errors = vectors.cases.filter((c) => c.expect.some((e) => e.status === 'ERROR'));
    expect(errors.length).toBeGreaterThanOrEqual(4);
  });
});

describe('the Apex conformance test class', () => {
  // It cannot run here; this keeps its case count and ranges in step with the vector file,
  // so the day it runs in an org it runs every case.
  const source = readFileSync(
    path.join(
      PROJECT_ROOT,
      'force-app/main/default/classes/engine/AnalyticsHealthConformanceTest.cls',
    ),
    'utf8',
  );

  it('expects exactly as many cases as the vector file holds', () => {
    const total = /TOTAL_CASES\s*=\s*(\d+)\s*;/.exec(source);
    expect(Number(total?.[1])).toBe(vectors.cases.length);
  });

  it('runs every index range of the vector file', () => {
    const perMethod = Number(/CASES_PER_METHOD\s*=\s*(\d+)\s*;/.exec(source)?.[1]);
    const starts = [...source.matchAll(/runRange\((\d+)\)/g)].map((m) => Number(m[1]));
    const covered = new Set(
      starts.flatMap((s) => Array.from({ length: perMethod }, (_, i) => s + i)),
    );
    const missing = vectors.cases.map((_, i) => i).filter((i) => !covered.has(i));
    expect(missing).toEqual([]);
  });
});
