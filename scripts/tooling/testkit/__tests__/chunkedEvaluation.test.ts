// Chunked evaluation (ENGINE.md): the core plus k chunks of the objects, assembled, give exactly
// the report `evaluate` gives on the whole facts.
import fc from 'fast-check';
import {
  assembleReport,
  chunkObjectKeys,
  compileCatalog,
  evaluate,
  evaluateChunk,
  OrgModel,
  PER_OBJECT_SUBJECTS,
  sharedFacts,
  SubjectResolver,
  sliceFacts,
  validateOrgFacts,
  type ChunkResult,
  type OrgFacts,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { syntheticOrgOf } from '../../bench/syntheticOrg';
import { loadCatalogRecords } from '../../../cli/lib/catalogSource';
import { orgFactsArbitrary } from '../randomSnapshot';

const EVALUATED_AT = '2026-01-01T00:00:00.000Z';
const compiled = compileCatalog(loadCatalogRecords());

/** How to share the objects out: their order, the cut points (sorted, repeats = empty chunks), the order chunks are handed in. */
interface Plan {
  shuffle: number[];
  cuts: number[];
  handOrder: number[];
}

/** The objects in shuffled order, cut into cuts.length + 1 contiguous (possibly empty) chunks. */
function chunksOf(facts: OrgFacts, plan: Plan): Set<string>[] {
  const keys = chunkObjectKeys(facts);
  const order = keys
    .map((key, i) => ({ key, rank: plan.shuffle[i % plan.shuffle.length] ?? 0, i }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((e) => e.key);
  const bounds = [0, ...plan.cuts.map((c) => Math.round(c * order.length)), order.length];
  const chunks: Set<string>[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    chunks.push(new Set(order.slice(bounds[i], bounds[i + 1])));
  }
  return chunks;
}

function chunkedReport(facts: OrgFacts, objectChunks: Set<string>[], handOrder: number[]) {
  const shared = sharedFacts(facts);
  const results: ChunkResult[] = [evaluateChunk(shared, compiled, { part: 'core' })];
  objectChunks.forEach((objects, index) => {
    const slice = sliceFacts(facts, objects);
    // Through JSON, as chunks are stored between jobs.
    const result = evaluateChunk(slice.facts, compiled, {
      part: { index, referencePositions: slice.referencePositions },
    });
    results.push(JSON.parse(JSON.stringify(result)) as ChunkResult);
  });
  const handed = results
    .map((r, i) => ({ r, rank: handOrder[i % handOrder.length] ?? 0, i }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((e) => e.r);
  return assembleReport(handed, compiled, shared, { evaluatedAt: EVALUATED_AT });
}

function expectChunkedEqualsWhole(facts: OrgFacts, objectChunks: Set<string>[], handOrder = [0]) {
  const whole = JSON.stringify(evaluate(facts, compiled, { evaluatedAt: EVALUATED_AT }));
  const chunked = JSON.stringify(chunkedReport(facts, objectChunks, handOrder));
  if (chunked !== whole) expect(JSON.parse(chunked)).toEqual(JSON.parse(whole));
  expect(chunked).toBe(whole);
}

/**
 * An oracle besides `evaluate` (which runs the same assembly): each per-object rule's findings
 * follow its subjects in the order the resolver lists them on the whole facts.
 */
function expectSubjectOrder(facts: OrgFacts) {
  const report = evaluate(facts, compiled, { evaluatedAt: EVALUATED_AT });
  const resolver = new SubjectResolver(new OrgModel(facts));
  let checked = 0;
  for (const { definition } of compiled.rules) {
    if (!PER_OBJECT_SUBJECTS.has(definition.subject)) continue;
    const subjects = resolver.subjects(definition.subject);
    if (!Array.isArray(subjects)) continue;
    const labels = subjects.map((s) => s.ref.label);
    let at = 0;
    for (const finding of report.findings) {
      if (finding.ruleId !== definition.id || finding.subject.type === 'org') continue;
      at = labels.indexOf(finding.subject.label, at);
      expect(at).toBeGreaterThanOrEqual(0);
      at++;
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(0);
}

const planArbitrary: fc.Arbitrary<Plan> = fc.integer({ min: 1, max: 5 }).chain((k) =>
  fc.record({
    shuffle: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 40 }),
    // k - 1 cuts in [0, 1]: 0 and 1 and repeats give empty chunks and chunks ending at an end.
    cuts: fc
      .array(fc.oneof(fc.constantFrom(0, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true })), {
        minLength: k - 1,
        maxLength: k - 1,
      })
      .map((cuts) => cuts.sort((a, b) => a - b)),
    handOrder: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 6 }),
  }),
);

describe('chunked evaluation equals whole evaluation', () => {
  it('on 250 seeded random snapshots, 1–5 uneven chunks', () => {
    let split = 0;
    let withEmpty = 0;
    fc.assert(
      fc.property(orgFactsArbitrary(), planArbitrary, (snapshot, plan) => {
        const facts = validateOrgFacts(snapshot);
        const chunks = chunksOf(facts, plan);
        if (chunks.filter((c) => c.size > 0).length > 1) split++;
        if (chunks.length > 1 && chunks.some((c) => c.size === 0)) withEmpty++;
        expectChunkedEqualsWhole(facts, chunks, plan.handOrder);
      }),
      { numRuns: 250, seed: 20261205 },
    );
    // The runs really split objects among chunks, and some include an empty chunk.
    expect(split).toBeGreaterThan(50);
    expect(withEmpty).toBeGreaterThan(20);
  });

  it('on the bench shape at small scale, cut at object boundaries, with an empty chunk', () => {
    const facts = syntheticOrgOf({
      objects: 24,
      fieldsPerObject: 6,
      users: 30,
      flows: 5,
      jobs: 12,
    });
    const keys = chunkObjectKeys(facts);
    expect(keys.length).toBeGreaterThanOrEqual(24);
    expectSubjectOrder(facts);
    const cut = (...at: number[]) => {
      const bounds = [0, ...at, keys.length];
      return bounds.slice(1).map((end, i) => new Set(keys.slice(bounds[i], end)));
    };
    for (const chunks of [cut(), cut(0), cut(7, 7, 20), cut(1, 2, 3, keys.length)]) {
      expectChunkedEqualsWhole(facts, chunks, [3, 1, 2, 0]);
    }
    fc.assert(
      fc.property(planArbitrary, (plan) => {
        expectChunkedEqualsWhole(facts, chunksOf(facts, plan), plan.handOrder);
      }),
      { numRuns: 30, seed: 7 },
    );
  });

  it('reports an unknown per-object rule once, from the core', () => {
    const facts = syntheticOrgOf({ objects: 4, fieldsPerObject: 2, users: 5 });
    const noAnalytics: OrgFacts = { ...facts, analytics: null };
    const keys = chunkObjectKeys(noAnalytics);
    const report = chunkedReport(
      noAnalytics,
      [new Set(keys.slice(0, 2)), new Set(keys.slice(2))],
      [0],
    );
    const ah023 = report.findings.filter((f) => f.ruleId === 'AH023');
    expect(ah023).toHaveLength(1);
    expect(ah023[0].status).toBe('NOT_EVALUATED');
    expectChunkedEqualsWhole(noAnalytics, [new Set(keys.slice(0, 2)), new Set(keys.slice(2))]);
  });

  it('needs exactly one core result', () => {
    const facts = syntheticOrgOf({ objects: 2, fieldsPerObject: 2, users: 3 });
    expect(() => assembleReport([], compiled, sharedFacts(facts))).toThrow(/exactly one core/);
  });

  it('checks reference positions against the references', () => {
    const facts = syntheticOrgOf({ objects: 2, fieldsPerObject: 2, users: 3 });
    expect(() =>
      evaluateChunk(facts, compiled, { part: { index: 0, referencePositions: [0] } }),
    ).toThrow(/reference positions/);
  });
});
