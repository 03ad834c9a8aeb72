import fc from 'fast-check';
import jsonLogic from 'json-logic-js';
import {
  compile,
  isUnknown,
  LogicCompileError,
  operatorsUsed,
  Unknown,
  varPaths,
  type OperatorTable,
} from '../jsonLogic';

// ---------------------------------------------------------------------------
// Differential testing against json-logic-js 2.0.5
// ---------------------------------------------------------------------------

/** Keys the generated data objects use, so that generated `var` paths hit them. */
const KEYS = ['a', 'b', 'c', 'n', 's', 'x', 'arr', 'obj', '0', '1'];

/** Paths for `var` / `missing`: plain, dotted, numeric index, out of range, absent, scoped. */
const PATHS = [
  '',
  'a',
  'b',
  'c',
  'n',
  's',
  'x',
  'arr',
  'obj',
  'arr.0',
  'arr.1',
  'arr.7',
  'obj.a',
  'obj.b',
  'obj.arr.0',
  'obj.obj.a',
  'a.b',
  'a.0',
  's.0',
  's.length',
  'arr.length',
  '0',
  '1',
  'nope',
  'nope.deeper',
  'current',
  'accumulator',
  'current.a',
  'current.0',
];

const scalarArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, 1, -1, 2, 3, 10, 0.5, -2.5, 1000),
  fc.integer({ min: -20, max: 20 }),
  fc.double({ min: -100, max: 100, noNaN: true }),
  fc.constantFrom(
    '',
    '0',
    '1',
    '-1',
    '2.5',
    '10',
    ' 3 ',
    '1e2',
    'abc',
    'a',
    'b',
    'hello',
    'true',
    'null',
    'arr',
    'obj.a',
    'a.b',
  ),
  fc.string({ maxLength: 4 }),
  fc.boolean(),
  fc.constant(null),
);

/** Any JSON value: scalars, arrays (incl. empty), nested objects over KEYS. */
const { json: jsonArb } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { maxDepth: 3, depthSize: 'small', depthIdentifier: 'json' },
    { arbitrary: scalarArb, weight: 4 },
    {
      arbitrary: fc.array(tie('json'), { maxLength: 4, depthIdentifier: 'json' }),
      weight: 1,
    },
    {
      arbitrary: fc.dictionary(fc.constantFrom(...KEYS), tie('json'), {
        maxKeys: 4,
        noNullPrototype: true,
        depthIdentifier: 'json',
      }),
      weight: 1,
    },
  ),
}));

/** Mostly an object whose keys the paths above address; occasionally any JSON value. */
const dataArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc.record(
      {
        a: jsonArb,
        b: jsonArb,
        c: jsonArb,
        n: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -10, max: 10, noNaN: true })),
        s: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('', '0', '12', 'abc', 'a.b')),
        x: scalarArb,
        arr: fc.array(jsonArb, { maxLength: 5 }),
        obj: fc.dictionary(fc.constantFrom(...KEYS), jsonArb, {
          maxKeys: 4,
          noNullPrototype: true,
        }),
        '0': jsonArb,
        '1': jsonArb,
      },
      { requiredKeys: [], noNullPrototype: true },
    ),
    weight: 9,
  },
  { arbitrary: jsonArb, weight: 1 },
);

const STANDARD_OPERATORS = [
  'var',
  'missing',
  'missing_some',
  'if',
  '?:',
  '==',
  '===',
  '!=',
  '!==',
  '!',
  '!!',
  'or',
  'and',
  '>',
  '>=',
  '<',
  '<=',
  'max',
  'min',
  '+',
  '-',
  '*',
  '/',
  '%',
  'in',
  'cat',
  'substr',
  'merge',
  'map',
  'filter',
  'reduce',
  'all',
  'some',
  'none',
] as const;
type StandardOperator = (typeof STANDARD_OPERATORS)[number];

/**
 * JSON Logic over the given operators (literals, literal arrays and `var` are always
 * available). Any expression may appear in any argument position.
 */
function logicArbitrary(operators: readonly StandardOperator[]): fc.Arbitrary<unknown> {
  const enabled = new Set<string>(operators);
  const { expr } = fc.letrec<{ expr: unknown }>((tie) => {
    const e = tie('expr');
    const list = (minLength: number, maxLength: number): fc.Arbitrary<unknown[]> =>
      fc.array(e, { minLength, maxLength, depthIdentifier: 'logic' });
    const tuple = (...arbs: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown[]> => fc.tuple(...arbs);
    const pathArb: fc.Arbitrary<unknown> = fc.oneof(
      { arbitrary: fc.constantFrom(...PATHS), weight: 8 },
      { arbitrary: fc.constantFrom(0, 1, null), weight: 1 },
    );
    const keyArb: fc.Arbitrary<unknown> = fc.oneof(
      { arbitrary: fc.constantFrom(...PATHS), weight: 4 },
      { arbitrary: e, weight: 1 },
    );
    const smallInt = fc.integer({ min: -6, max: 6 });
    const arraySource: fc.Arbitrary<unknown> = fc.oneof(
      fc.constantFrom('arr', 'obj.arr', '', 'a', 'obj', 'current', 's').map((p) => ({ var: p })),
      list(0, 4),
      fc.array(scalarArb, { maxLength: 5 }),
      e,
    );
    const ops: Record<StandardOperator, fc.Arbitrary<unknown>> = {
      var: fc.oneof(
        pathArb,
        tuple(pathArb),
        tuple(pathArb, e),
        fc.constant([]),
        tuple(e),
        tuple(e, e),
      ),
      missing: fc.oneof(fc.constantFrom(...PATHS), fc.array(keyArb, { maxLength: 4 }), e),
      missing_some: tuple(
        fc.oneof(fc.integer({ min: 0, max: 3 }), e),
        fc.oneof(
          { arbitrary: fc.array(keyArb, { maxLength: 4 }), weight: 4 },
          { arbitrary: e, weight: 1 },
        ),
      ),
      if: list(0, 6),
      '?:': list(0, 5),
      '==': tuple(e, e),
      '===': tuple(e, e),
      '!=': tuple(e, e),
      '!==': tuple(e, e),
      '!': fc.oneof(e, list(1, 1)),
      '!!': fc.oneof(e, list(1, 1)),
      or: list(0, 4),
      and: list(0, 4),
      '>': tuple(e, e),
      '>=': tuple(e, e),
      '<': fc.oneof(tuple(e, e), tuple(e, e, e)),
      '<=': fc.oneof(tuple(e, e), tuple(e, e, e)),
      max: list(0, 4),
      min: list(0, 4),
      '+': fc.oneof(list(0, 4), e),
      '-': fc.oneof(list(1, 2), e),
      '*': fc.oneof(
        { arbitrary: list(1, 4), weight: 12 },
        { arbitrary: fc.constant([]), weight: 1 },
      ),
      '/': tuple(e, e),
      '%': tuple(e, e),
      in: tuple(
        e,
        fc.oneof(
          fc.constantFrom('', 'abc', 'hello world', '1,2', 'a.b'),
          list(0, 4),
          fc.array(scalarArb, { maxLength: 4 }),
          e,
        ),
      ),
      cat: fc.oneof(list(0, 4), e),
      substr: fc.oneof(tuple(e, smallInt), tuple(e, smallInt, smallInt), tuple(e, e, e), tuple(e)),
      merge: fc.array(fc.oneof(e, list(0, 3)), { maxLength: 4 }),
      map: tuple(arraySource, e),
      filter: tuple(arraySource, e),
      reduce: fc.oneof(tuple(arraySource, e), tuple(arraySource, e, e)),
      all: tuple(arraySource, e),
      some: tuple(arraySource, e),
      none: tuple(arraySource, e),
    };
    const operatorArbs = STANDARD_OPERATORS.filter((op) => enabled.has(op)).map((op) =>
      ops[op].map((args) => ({ [op]: args })),
    );
    // Degenerate calls that evaluate to undefined, null or throw: they must behave the same too.
    const edgeCases = (
      [
        ['and', { and: [] }],
        ['or', { or: [] }],
        ['if', { if: [] }],
        ['*', { '*': [] }],
        ['missing_some', { missing_some: [1] }],
      ] as const
    )
      .filter(([op]) => enabled.has(op))
      .map(([, logic]) => logic);
    const leaf: fc.Arbitrary<unknown> = fc.oneof(
      { arbitrary: scalarArb, weight: 4 },
      { arbitrary: pathArb.map((path) => ({ var: path })), weight: 4 },
      ...(edgeCases.length > 0 ? [{ arbitrary: fc.constantFrom(...edgeCases), weight: 1 }] : []),
    );
    return {
      expr: fc.oneof(
        { maxDepth: 4, depthSize: 'small', depthIdentifier: 'logic' },
        { arbitrary: leaf, weight: 4 },
        { arbitrary: list(0, 3), weight: 1 },
        ...operatorArbs.map((arbitrary) => ({ arbitrary, weight: 2 })),
      ),
    };
  });
  return expr;
}

type Outcome = { threw: true; error: unknown } | { threw: false; value: unknown };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality with Object.is at the leaves (NaN equals NaN, 0 and -0 differ). */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && sameValue(a[key], b[key]))
    );
  }
  return false;
}

function describeOutcome(outcome: Outcome): string {
  return outcome.threw
    ? `threw ${String(outcome.error)}`
    : `returned ${fc.stringify(outcome.value)}`;
}

/**
 * Compiles `logic` once, applies it to every data object, and compares each result with
 * json-logic-js. Returns a description of the first difference, or null when all agree.
 */
function difference(logic: unknown, dataList: unknown[]): string | null {
  let evaluator: ((data: unknown) => unknown) | undefined;
  let compileError: unknown;
  try {
    const compiled = compile(logic);
    evaluator = (data) => compiled(data, undefined);
  } catch (error) {
    compileError = error;
  }
  for (const data of dataList) {
    let expected: Outcome;
    try {
      expected = { threw: false, value: jsonLogic.apply(logic, data) };
    } catch (error) {
      expected = { threw: true, error };
    }
    let actual: Outcome;
    if (!evaluator) {
      actual = { threw: true, error: compileError };
    } else {
      try {
        actual = { threw: false, value: evaluator(data) };
      } catch (error) {
        actual = { threw: true, error };
      }
    }
    const agree = expected.threw
      ? actual.threw
      : !actual.threw && sameValue(actual.value, expected.value);
    if (!agree) {
      return (
        `logic ${fc.stringify(logic)} on data ${fc.stringify(data)}: ` +
        `json-logic-js ${describeOutcome(expected)}, compile() ${describeOutcome(actual)}`
      );
    }
  }
  return null;
}

/** The property: every case agrees with the reference (throws with the difference otherwise). */
function agreesWithReference(logicArb: fc.Arbitrary<unknown>) {
  return fc.property(logicArb, fc.array(dataArb, { minLength: 1, maxLength: 3 }), (logic, data) => {
    const diff = difference(logic, data);
    if (diff !== null) {
      throw new Error(diff);
    }
  });
}

const ALL_OPERATORS = logicArbitrary(STANDARD_OPERATORS);

describe('compile() agrees with json-logic-js 2.0.5 on JSON data', () => {
  const groups: [string, readonly StandardOperator[], number][] = [
    ['every standard operator, nested', STANDARD_OPERATORS, 3000],
    ['var, missing, missing_some', ['var', 'missing', 'missing_some', 'if', 'merge', 'cat'], 1000],
    [
      'if, ?:, and, or, !, !!, equality and comparisons',
      ['if', '?:', '==', '===', '!=', '!==', '!', '!!', 'or', 'and', '>', '>=', '<', '<='],
      1000,
    ],
    [
      'arithmetic, max/min and string operators',
      ['max', 'min', '+', '-', '*', '/', '%', 'cat', 'substr', 'in'],
      1000,
    ],
    [
      'array operators',
      ['map', 'filter', 'reduce', 'all', 'some', 'none', 'merge', 'in', '+', '<', '!'],
      1000,
    ],
  ];

  it.each(groups)('%s', (_name, operators, numRuns) => {
    const logicArb = operators === STANDARD_OPERATORS ? ALL_OPERATORS : logicArbitrary(operators);
    const details = fc.check(agreesWithReference(logicArb), { numRuns });
    const counterexample = details.counterexample ? difference(...details.counterexample) : null;
    expect({ report: fc.defaultReportMessage(details), counterexample }).toEqual({
      report: undefined,
      counterexample: null,
    });
    expect(details.numRuns).toBe(numRuns);
  });

  it('has zero differences over 2,000 sampled expressions', () => {
    const cases = fc.sample(
      fc.tuple(ALL_OPERATORS, fc.array(dataArb, { minLength: 1, maxLength: 3 })),
      2000,
    );
    const differences = cases
      .map(([logic, data]) => difference(logic, data))
      .filter((diff): diff is string => diff !== null);
    expect(cases).toHaveLength(2000);
    expect(differences.slice(0, 5)).toEqual([]);
    expect(differences).toHaveLength(0);
  });

  it('reads the property names subject contexts carry as it reads any other name', () => {
    // These names have their own read functions; 'length' and 'nope' take the generic one.
    const names = ['id', 'name', 'type', 'field', 'runAs', 'permissionable', 'length', 'nope'];
    const nameArb = fc.constantFrom(...names);
    const pathArb = fc.oneof(
      nameArb,
      fc.tuple(nameArb, nameArb).map(([a, b]) => `${a}.${b}`),
    );
    const valueArb = fc.oneof(
      jsonArb,
      fc.dictionary(nameArb, jsonArb, { maxKeys: 3, noNullPrototype: true }),
    );
    const namedDataArb = fc.oneof(
      { arbitrary: fc.dictionary(nameArb, valueArb, { noNullPrototype: true }), weight: 4 },
      { arbitrary: jsonArb, weight: 1 },
    );
    const details = fc.check(
      fc.property(pathArb, fc.array(namedDataArb, { minLength: 1, maxLength: 3 }), (path, data) => {
        const diff = difference({ var: path }, data);
        if (diff !== null) throw new Error(diff);
      }),
      { numRuns: 1000 },
    );
    expect(fc.defaultReportMessage(details)).toBeUndefined();
  });

  it('covers every standard operator in the generated expressions', () => {
    const seen = new Set<string>();
    for (const logic of fc.sample(ALL_OPERATORS, 2000)) {
      operatorsUsed(logic).forEach((op) => seen.add(op));
    }
    expect([...STANDARD_OPERATORS].filter((op) => !seen.has(op))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Three-valued (Kleene) logic with Unknown values in the data
// ---------------------------------------------------------------------------

describe('Unknown values', () => {
  const U = new Unknown('not collected');
  const run = (logic: unknown, data: unknown = { u: U }): unknown =>
    compile(logic)(data, undefined);

  it('is recognised by isUnknown and keeps its reason', () => {
    expect(isUnknown(U)).toBe(true);
    expect(U.reason).toBe('not collected');
    expect(isUnknown(null)).toBe(false);
    expect(isUnknown({ reason: 'x' })).toBe(false);
  });

  it('and: false wins, otherwise unknown', () => {
    expect(run({ and: [false, { var: 'u' }] })).toBe(false);
    expect(run({ and: [{ var: 'u' }, false] })).toBe(false);
    expect(run({ and: [0, { var: 'u' }] })).toBe(0);
    expect(run({ and: [true, { var: 'u' }] })).toBe(U);
    expect(run({ and: [{ var: 'u' }, true] })).toBe(U);
  });

  it('or: true wins, otherwise unknown', () => {
    expect(run({ or: [true, { var: 'u' }] })).toBe(true);
    expect(run({ or: [{ var: 'u' }, 'yes'] })).toBe('yes');
    expect(run({ or: [false, { var: 'u' }] })).toBe(U);
    expect(run({ or: [{ var: 'u' }, false] })).toBe(U);
  });

  it('!, !! and comparisons propagate the unknown', () => {
    expect(run({ '!': { var: 'u' } })).toBe(U);
    expect(run({ '!!': [{ var: 'u' }] })).toBe(U);
    expect(run({ '==': [{ var: 'u' }, 1] })).toBe(U);
    expect(run({ '==': [null, { var: 'u' }] })).toBe(U);
    expect(run({ '===': [{ var: 'u' }, { var: 'u' }] })).toBe(U);
    expect(run({ '<': [1, { var: 'u' }, 3] })).toBe(U);
    expect(run({ '+': [1, { var: 'u' }] })).toBe(U);
    expect(run({ cat: ['a', { var: 'u' }] })).toBe(U);
  });

  it('if: an unknown test is decided only when both branches agree', () => {
    expect(run({ if: [{ var: 'u' }, 1, 1] })).toBe(1);
    expect(run({ if: [{ var: 'u' }, 1, 2] })).toBe(U);
    expect(run({ if: [{ var: 'u' }, 1, false, 2, 1] })).toBe(1);
    expect(run({ if: [{ var: 'u' }, 1, false, 2, 3] })).toBe(U);
    expect(run({ if: [true, 1, { var: 'u' }, 2, 3] })).toBe(1);
  });

  it('all / some / none follow Kleene logic', () => {
    const all = { all: [{ var: 'list' }, { var: '' }] };
    const some = { some: [{ var: 'list' }, { var: '' }] };
    const none = { none: [{ var: 'list' }, { var: '' }] };
    expect(run(all, { list: [true, U] })).toBe(U);
    expect(run(all, { list: [false, U] })).toBe(false);
    expect(run(all, { list: [U, false] })).toBe(false);
    expect(run(some, { list: [U, true] })).toBe(true);
    expect(run(some, { list: [U, false] })).toBe(U);
    expect(run(none, { list: [U, true] })).toBe(false);
    expect(run(none, { list: [U, false] })).toBe(U);
    expect(run(all, { list: U })).toBe(U);
  });

  it('in: a found needle is true even next to an unknown member, else unknown', () => {
    expect(run({ in: ['a', { var: 'list' }] }, { list: [U, 'a'] })).toBe(true);
    expect(run({ in: ['b', { var: 'list' }] }, { list: [U, 'a'] })).toBe(U);
    expect(run({ in: ['b', { var: 'list' }] }, { list: ['a'] })).toBe(false);
    expect(run({ in: [{ var: 'u' }, ['a']] })).toBe(U);
    expect(run({ in: ['a', { var: 'u' }] })).toBe(U);
  });

  it('var through an Unknown returns that same Unknown, never the default', () => {
    const reason = new Unknown('profile not readable');
    const data = { profile: reason };
    expect(run({ var: 'profile.ipRanges' }, data)).toBe(reason);
    expect(run({ var: 'profile.ipRanges.0.start' }, data)).toBe(reason);
    expect(run({ var: ['profile.ipRanges', []] }, data)).toBe(reason);
    expect(run({ var: ['profile', 'fallback'] }, data)).toBe(reason);
    expect(run({ var: [{ cat: ['profile', '.x'] }, 'fallback'] }, data)).toBe(reason);
    expect(run({ var: 'x' }, reason)).toBe(reason);
    expect(run({ map: [{ var: 'list' }, { var: 'x' }] }, { list: [reason] })).toBe(reason);
    expect(run({ var: [{ var: 'u' }] })).toBe(U);
    // Through the named reads: an Unknown or missing parent, with and without a default.
    const field = { field: reason, runAs: null };
    expect(run({ var: 'field.permissionable' }, field)).toBe(reason);
    expect(run({ var: 'field' }, field)).toBe(reason);
    expect(run({ var: 'runAs.id' }, field)).toBeNull();
    expect(run({ var: ['runAs.id', 'nobody'] }, field)).toBe('nobody');
    expect(run({ var: 'id' }, reason)).toBe(reason);
  });

  it('map / filter / reduce with an unknown element result are unknown', () => {
    const data = { list: [{ ok: true }, { ok: U }] };
    expect(run({ map: [{ var: 'list' }, { var: 'ok' }] }, data)).toBe(U);
    expect(run({ filter: [{ var: 'list' }, { var: 'ok' }] }, data)).toBe(U);
    expect(run({ map: [{ var: 'u' }, 1] })).toBe(U);
    expect(
      run(
        {
          reduce: [{ var: 'list' }, { and: [{ var: 'accumulator' }, { var: 'current.ok' }] }, true],
        },
        data,
      ),
    ).toBe(U);
  });

  it('missing on an unknown value is unknown', () => {
    expect(run({ missing: ['u'] })).toBe(U);
    expect(run({ missing: ['u.deeper', 'absent'] })).toBe(U);
    expect(run({ missing_some: [1, ['u', 'absent']] })).toBe(U);
    expect(run({ missing: ['absent'] })).toEqual(['absent']);
  });
});

// ---------------------------------------------------------------------------
// Compile-once behaviour
// ---------------------------------------------------------------------------

describe('compile()', () => {
  it('rejects an unknown operator at compile time, even in a branch never taken', () => {
    expect(() => compile({ frobnicate: [1] })).toThrow(LogicCompileError);
    expect(() => compile({ if: [true, 1, { frobnicate: [1] }] })).toThrow(LogicCompileError);
    expect(() => compile({ if: [true, 1, { frobnicate: [1] }] })).toThrow(
      'Unknown operator "frobnicate"',
    );
  });

  it('runs a domain operator and checks its arity at compile time', () => {
    const operators: OperatorTable = {
      double: { arity: [1, 1], evaluate: ([x]) => (x as number) * 2 },
    };
    expect(compile({ double: [{ var: 'n' }] }, operators)({ n: 21 }, undefined)).toBe(42);
    expect(compile({ double: 4 }, operators)(null, undefined)).toBe(8);
    expect(() => compile({ double: [] }, operators)).toThrow(LogicCompileError);
    expect(() => compile({ double: [1, 2] }, operators)).toThrow(LogicCompileError);
    expect(() => compile({ double: [1] })).toThrow(LogicCompileError);
  });

  it('passes Unknown to a domain operator only when it accepts Unknown', () => {
    const U = new Unknown('not collected');
    const strict = jest.fn((args: unknown[]) => args.length);
    const lenient = jest.fn((args: unknown[]) => (isUnknown(args[0]) ? 'saw unknown' : 'known'));
    const operators: OperatorTable = {
      strict: { arity: [1, 2], evaluate: strict },
      lenient: { arity: [1, 1], acceptsUnknown: true, evaluate: lenient },
    };
    expect(compile({ strict: [1, { var: 'u' }] }, operators)({ u: U }, undefined)).toBe(U);
    expect(strict).not.toHaveBeenCalled();
    expect(compile({ strict: [1, 2] }, operators)({ u: U }, undefined)).toBe(2);
    expect(strict).toHaveBeenCalledTimes(1);

    expect(compile({ lenient: [{ var: 'u' }] }, operators)({ u: U }, undefined)).toBe(
      'saw unknown',
    );
    expect(lenient).toHaveBeenCalledWith([U], undefined);
  });

  it('binds a first argument once for the subjects that share it, and again when it changes', () => {
    const bindings: unknown[] = [];
    const operators: OperatorTable<{ scale: number }> = {
      times: {
        arity: [2, 2],
        evaluate: ([by, n], env) => (by as number) * (n as number) * env.scale,
        bind: (by, env) => {
          bindings.push(by);
          return (n) => (by as number) * (n as number) * env.scale;
        },
      },
    };
    const evaluate = compile({ times: [{ var: 'by' }, { var: 'n' }] }, operators);
    const one = { scale: 1 };
    const ten = { scale: 10 };
    const subjects = [
      { by: 2, n: 1 },
      { by: 2, n: 2 },
      { by: 3, n: 2 },
    ];
    expect(subjects.map((s) => evaluate(s, one))).toEqual([2, 4, 6]);
    expect(bindings).toEqual([2, 3]);
    // Another evaluation (env) binds again, even for the same value.
    expect(evaluate({ by: 3, n: 1 }, ten)).toBe(30);
    expect(bindings).toEqual([2, 3, 3]);
    // An object is bound for each subject: it could have changed since.
    const by = { valueOf: () => 4 };
    expect(evaluate({ by, n: 1 }, one)).toBe(4);
    expect(evaluate({ by, n: 2 }, one)).toBe(8);
    expect(bindings).toEqual([2, 3, 3, by, by]);
  });

  it('evaluates both arguments of a bindable operator before an Unknown first one decides', () => {
    const U = new Unknown('user not collected');
    const bind = jest.fn(() => () => true);
    const operators: OperatorTable = {
      reads: { arity: [2, 2], evaluate: () => true, bind },
      broken: {
        arity: [0, 0],
        evaluate: () => {
          throw new Error('second argument failed');
        },
      },
    };
    expect(compile({ reads: [{ var: 'u' }, 'x'] }, operators)({ u: U }, undefined)).toBe(U);
    expect(compile({ reads: ['x', { var: 'u' }] }, operators)({ u: U }, undefined)).toBe(U);
    expect(bind).not.toHaveBeenCalled();
    expect(() =>
      compile({ reads: [{ var: 'u' }, { broken: [] }] }, operators)({ u: U }, undefined),
    ).toThrow('second argument failed');
  });

  it('passes env through to domain operators untouched', () => {
    const env = { orgId: '00D' };
    const evaluate = jest.fn((_args: unknown[], e: typeof env) => e.orgId);
    const operators: OperatorTable<typeof env> = { org: { arity: [0, 0], evaluate } };
    expect(compile({ org: [] }, operators)({}, env)).toBe('00D');
    expect(evaluate).toHaveBeenCalledWith([], env);
  });

  it('folds constant sub-expressions at compile time', () => {
    expect(compile({ '+': [1, 2] })(undefined, undefined)).toBe(3);
    expect(compile({ if: [{ '<': [1, 2] }, 'yes', 'no'] })(undefined, undefined)).toBe('yes');
    expect(compile({ in: ['b', 'abc'] })(null, undefined)).toBe(true);
    // A constant that would throw is left to evaluation time, as json-logic-js throws then.
    const product = compile({ '*': [] });
    expect(() => product({}, undefined)).toThrow();
  });

  it('returns a fresh array from constant array logic on every evaluation', () => {
    const evaluate = compile([1, 2]);
    const first = evaluate({}, undefined) as number[];
    first.push(3);
    expect(evaluate({}, undefined)).toEqual([1, 2]);
  });

  it('evaluates a compiled condition against many subjects', () => {
    const evaluate = compile({ '>': [{ var: 'n' }, 2] });
    expect([1, 2, 3, 4].map((n) => evaluate({ n }, undefined))).toEqual([false, false, true, true]);
  });
});

describe('varPaths() and operatorsUsed()', () => {
  const logic = {
    and: [
      { var: 'a.b' },
      { var: ['c', 1] },
      { '!': { var: 'd' } },
      { var: [{ var: 'e' }] },
      { some: [{ var: 'list' }, { '==': [{ var: '' }, 2] }] },
      { missing: ['f'] },
    ],
  };

  it('varPaths lists every constant var name', () => {
    expect(varPaths(logic)).toEqual(['a.b', 'c', 'd', 'e', 'list', '']);
    expect(varPaths({ var: 'x' })).toEqual(['x']);
    expect(varPaths({ var: [0] })).toEqual([]);
    expect(varPaths(1)).toEqual([]);
  });

  it('operatorsUsed lists every operator', () => {
    expect(operatorsUsed(logic)).toEqual(new Set(['and', 'var', '!', 'some', '==', 'missing']));
    expect(operatorsUsed('x')).toEqual(new Set());
    expect(operatorsUsed([{ '+': [1, { '*': [2, 3] }] }])).toEqual(new Set(['+', '*']));
  });
});
