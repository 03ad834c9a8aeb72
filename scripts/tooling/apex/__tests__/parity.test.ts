/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
// The Apex engine (AnalyticsHealthEngine.cls in the local runtime) against the TypeScript engine:
// the shared conformance vectors, then whole reports on seeded random snapshots — as the default
// user and as a tr_TR-locale user. `npm run apex:parity` runs the same comparison on 500+ snapshots.
import fc from 'fast-check';
import {
  VECTORS_EVALUATED_AT,
  caseFacts,
  catalogForCase,
  checkCase,
  loadVectors,
  type VectorCase,
} from '../../testkit/conformance';
import { orgFactsArbitrary } from '../../testkit/randomSnapshot';
import { evaluateWithApex } from '../cli/apexEngine';
import {
  PARITY_EVALUATED_AT,
  jsonDifferences,
  parityContext,
  parityDifferences,
  type ParityContext,
} from '../cli/apexParity';
import type { Report } from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';

let context: ParityContext;

beforeAll(() => {
  context = parityContext();
  // Loads the runtime once (the slow part), outside the timed tests.
  evaluateWithApex(loadVectors().baseFacts, context.records, { evaluatedAt: PARITY_EVALUATED_AT });
});

describe('conformance vectors through the Apex engine', () => {
  const vectors = loadVectors();

  /** conformance.ts runCase's steps, with the Apex engine evaluating. */
  function runCaseWithApex(vector: VectorCase): Report {
    return evaluateWithApex(caseFacts(vectors, vector), catalogForCase(context.records, vector), {
      evaluatedAt: VECTORS_EVALUATED_AT,
    });
  }

  it('has vectors', () => {
    expect(vectors.cases.length).toBeGreaterThan(0);
  });

  it.each(vectors.cases.map((c) => [c.name, c] as const))('%s', (_name, vector) => {
    expect(checkCase(runCaseWithApex(vector), vector)).toEqual([]);
  });
});

describe('whole reports of both engines on random snapshots', () => {
  it('agree as the default user (50 seeded snapshots)', () => {
    fc.assert(
      fc.property(orgFactsArbitrary(), (snapshot) => {
        expect(parityDifferences(context, snapshot)).toEqual([]);
      }),
      { numRuns: 50, seed: 424242 },
    );
  });

  it('agree with the Apex engine running as a tr_TR user (30 seeded snapshots)', () => {
    fc.assert(
      fc.property(orgFactsArbitrary(), (snapshot) => {
        expect(parityDifferences(context, snapshot, 'tr_TR')).toEqual([]);
      }),
      { numRuns: 30, seed: 4242 },
    );
  });
});

describe('jsonDifferences', () => {
  it('ignores key order and reports values, lengths and missing keys', () => {
    expect(jsonDifferences({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toEqual([]);
    expect(jsonDifferences({ a: 1, b: [1], c: null }, { a: 2, b: [1, 2] })).toEqual([
      '$.a: 1 != 2',
      '$.b.length: 1 != 2',
      '$.c: null != (missing)',
    ]);
  });
});
