import fc from 'fast-check';
import { hasOverlongString, overlongStringPath } from '../analyticsHealth';

describe('hasOverlongString', () => {
  it('agrees with overlongStringPath on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 6 }), (json, max) => {
        expect(hasOverlongString(json, max)).toBe(overlongStringPath(json, max) !== null);
      }),
      { numRuns: 300 },
    );
  });

  it('finds a long string or key at any depth, in arrays and objects', () => {
    expect(hasOverlongString({ a: [{ b: ['ok', 'abcdefghi'] }] }, 8)).toBe(true);
    expect(hasOverlongString({ a: [{ ['k'.repeat(9)]: null }] }, 8)).toBe(true);
    expect(hasOverlongString([[[['abcdefghi']]]], 8)).toBe(true);
    expect(hasOverlongString({ a: [{ b: ['abcdefgh', 12345678901, true, null] }] }, 8)).toBe(false);
    expect(hasOverlongString('abcdefghi', 8)).toBe(true);
    expect(hasOverlongString(null, 0)).toBe(false);
  });
});
