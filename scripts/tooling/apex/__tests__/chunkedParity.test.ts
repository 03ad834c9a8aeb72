/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
// Chunked evaluation (ENGINE.md) in the Apex engine against the TypeScript engine, on seeded
// random snapshots: the Apex core and chunks (AnalyticsHealthChunks slices, each its own
// transaction, stored as JSON) assembled in shuffled order give the Apex whole report and the TS
// whole report, and each Apex chunk result is the TS chunk result for the same slice.
import fc from 'fast-check';
import {
  chunkObjectKeys,
  evaluate,
  evaluateChunk,
  sharedFacts,
  sliceFacts,
  validateOrgFacts,
  type ChunkResult,
  type OrgFacts,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { orgFactsArbitrary } from '../../testkit/randomSnapshot';
import { evaluateChunkedWithApex, evaluateWithApex } from '../cli/apexEngine';
import {
  PARITY_EVALUATED_AT,
  jsonDifferences,
  parityContext,
  type ParityContext,
} from '../cli/apexParity';

let context: ParityContext;

beforeAll(() => {
  context = parityContext();
  // Loads the runtime once (the slow part), outside the timed tests.
  evaluateWithApex(
    validateOrgFacts(fc.sample(orgFactsArbitrary(), { numRuns: 1, seed: 1 })[0]),
    context.records,
    {
      evaluatedAt: PARITY_EVALUATED_AT,
    },
  );
});

/** How to share the objects out: their order, the cut points (sorted; repeats = empty chunks), the hand-in order. */
interface Plan {
  shuffle: number[];
  cuts: number[];
  handOrder: number[];
}

const planArbitrary: fc.Arbitrary<Plan> = fc.integer({ min: 2, max: 5 }).chain((k) =>
  fc.record({
    shuffle: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 40 }),
    cuts: fc
      .array(
        fc.oneof(
          { arbitrary: fc.constantFrom(0, 0.5, 1), weight: 1 },
          { arbitrary: fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000), weight: 3 },
        ),
        {
          minLength: k - 1,
          maxLength: k - 1,
        },
      )
      .map((cuts) => cuts.sort((a, b) => a - b)),
    handOrder: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 6 }),
  }),
);

/** The objects in shuffled order, cut into cuts.length + 1 contiguous (possibly empty) chunks. */
function chunksOf(facts: OrgFacts, plan: Plan): string[][] {
  const order = chunkObjectKeys(facts)
    .map((key, i) => ({ key, rank: plan.shuffle[i % plan.shuffle.length] ?? 0, i }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((e) => e.key);
  const bounds = [0, ...plan.cuts.map((c) => Math.round(c * order.length)), order.length];
  return bounds.slice(1).map((end, i) => order.slice(bounds[i], end));
}

/** The results' indexes (core = 0) in the plan's hand-in order. */
function handOrderOf(count: number, plan: Plan): number[] {
  return Array.from({ length: count }, (_, i) => i)
    .map((i) => ({ i, rank: plan.handOrder[i % plan.handOrder.length] ?? 0 }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((e) => e.i);
}

/** The TS core and chunk results, through JSON as they are stored. */
function tsResults(facts: OrgFacts, chunks: string[][]): ChunkResult[] {
  const { compiled } = context;
  const results: ChunkResult[] = [evaluateChunk(sharedFacts(facts), compiled, { part: 'core' })];
  chunks.forEach((objects, index) => {
    const slice = sliceFacts(facts, new Set(objects));
    results.push(
      evaluateChunk(slice.facts, compiled, {
        part: { index, referencePositions: slice.referencePositions },
      }),
    );
  });
  return JSON.parse(JSON.stringify(results)) as ChunkResult[];
}

describe('chunked evaluation in the Apex engine', () => {
  it('equals the Apex and the TS whole reports, chunk for chunk the TS results (50 seeded snapshots)', () => {
    let split = 0;
    let withEmpty = 0;
    let segments = 0;
    fc.assert(
      fc.property(orgFactsArbitrary(), planArbitrary, (snapshot, plan) => {
        const facts = validateOrgFacts(snapshot);
        const chunks = chunksOf(facts, plan);
        if (chunks.filter((c) => c.length > 0).length > 1) split++;
        if (chunks.length > 1 && chunks.some((c) => c.length === 0)) withEmpty++;
        const handOrder = handOrderOf(chunks.length + 1, plan);
        const options = { evaluatedAt: PARITY_EVALUATED_AT };
        const tsWhole: unknown = JSON.parse(
          JSON.stringify(evaluate(facts, context.compiled, options)),
        );
        const apexWhole = evaluateWithApex(snapshot, context.records, options);
        const apex = evaluateChunkedWithApex(snapshot, context.records, chunks, {
          ...options,
          handOrder,
        });
        expect(jsonDifferences(apexWhole, tsWhole)).toEqual([]);
        expect(jsonDifferences(apex.report, tsWhole)).toEqual([]);
        const expected = tsResults(facts, chunks);
        expect(apex.results).toHaveLength(expected.length);
        expected.forEach((result, i) => {
          segments += result.segments.length;
          expect(jsonDifferences(apex.results[i], result, `$[${i}]`)).toEqual([]);
        });
      }),
      { numRuns: 50, seed: 20261205 },
    );
    // The runs really split objects among chunks, some with an empty chunk.
    expect(split).toBeGreaterThan(15);
    expect(withEmpty).toBeGreaterThan(3);
    expect(segments).toBeGreaterThan(500);
  });

  it('rejects an assembly without exactly one core result', () => {
    const facts = validateOrgFacts(fc.sample(orgFactsArbitrary(), { numRuns: 1, seed: 3 })[0]);
    expect(() =>
      evaluateChunkedWithApex(facts, context.records, [chunkObjectKeys(facts)], {
        evaluatedAt: PARITY_EVALUATED_AT,
        handOrder: [1],
      }),
    ).toThrow(/exactly one core result, not 0/);
  });
});
