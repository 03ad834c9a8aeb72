/**
 * A compile-once JSON Logic interpreter with three-valued (Kleene) logic.
 *
 * `compile(logic)` turns a rule condition into a closure once; the closure is
 * then applied to many subjects. On plain JSON data every standard operator
 * returns exactly what the reference implementation (json-logic-js 2.0) returns.
 * On top of that, a value may be `Unknown` — a fact the collector could not
 * read. Unknown never comes from JSON: the engine puts it into subject contexts
 * where the org facts say `null` means "not collected". Operators propagate it
 * so that only a result that really depends on a missing fact is unknown:
 * `and(false, ?)` is false, `or(true, ?)` is true, `!?` is `?`.
 *
 * No `eval` or `new Function`: the engine must run inside Lightning Locker/LWS.
 */

/** A value that could not be collected, with the reason shown to the admin. */
export class Unknown {
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

/** A rule definition problem found while compiling (unknown operator, bad arity). */
export class LogicCompileError extends Error {
  override name = 'LogicCompileError';
}

/**
 * Raised by an operator when a subject's facts are well-formed JSON but unusable
 * (an IP address that does not parse): that subject's finding becomes ERROR.
 */
export class SubjectDataError extends Error {
  override name = 'SubjectDataError';
}

/** The compiled form of a condition: data in, value out. `env` is passed through untouched. */
export type Evaluator<Env = unknown> = (data: unknown, env: Env) => unknown;

/** A domain operator. Its arguments arrive evaluated. */
export interface OperatorDefinition<Env = unknown> {
  /** Minimum and maximum number of arguments, checked at compile time. */
  arity: [number, number];
  /** When false (the default), any Unknown argument makes the result that Unknown. */
  acceptsUnknown?: boolean;
  /** Evaluated once per subject; may throw SubjectDataError. */
  evaluate(args: unknown[], env: Env): unknown;
  /**
   * For a two-argument operator whose first argument stays the same over many
   * subjects in a row (the user a rule reads as): the operator with that argument
   * resolved once, as a function of the second. Given known arguments, it answers
   * exactly as `evaluate` does, and its answer may depend only on them and `env`.
   */
  bind?(first: unknown, env: Env): (second: unknown) => unknown;
}

export type OperatorTable<Env = unknown> = Readonly<Record<string, OperatorDefinition<Env>>>;

interface Compiled<Env> {
  evaluate: Evaluator<Env>;
  /** Set when the node does not depend on data or env: folded at compile time. */
  constant?: { value: unknown };
}

/** JSON Logic truthiness: like JavaScript, except that an empty array is false. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value) && value.length === 0) {
    return false;
  }
  return Boolean(value);
}

/** True for a JSON Logic operation: an object with exactly one key. */
function isLogic(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Unknown) &&
    Object.keys(value).length === 1
  );
}

function firstUnknown(values: unknown[]): Unknown | undefined {
  for (const value of values) {
    if (value instanceof Unknown) {
      return value;
    }
  }
  return undefined;
}

/* eslint-disable eqeqeq -- JSON Logic's == and != are JavaScript's loose equality by definition */
/**
 * The standard operators that take two values, on two known values: compiled
 * conditions call these directly, without building an argument list.
 */
const BINARY_OPERATORS: Readonly<Record<string, (a: unknown, b: unknown) => unknown>> = {
  '==': (a, b) => a == b,
  '===': (a, b) => a === b,
  '!=': (a, b) => a != b,
  '!==': (a, b) => a !== b,
  '>': (a, b) => (a as number) > (b as number),
  '>=': (a, b) => (a as number) >= (b as number),
  '<': (a, b) => (a as number) < (b as number),
  '<=': (a, b) => (a as number) <= (b as number),
  '%': (a, b) => (a as number) % (b as number),
  '/': (a, b) => (a as number) / (b as number),
};

/** Every standard operator on its list of known values, as json-logic-js defines it. */
const STRICT_OPERATORS: Readonly<Record<string, (args: unknown[]) => unknown>> = {
  ...Object.fromEntries(
    Object.entries(BINARY_OPERATORS).map(([name, fn]) => [name, (a: unknown[]) => fn(a[0], a[1])]),
  ),
  // Given a third value, < and <= test that the middle one lies between the others.
  '<': (a) =>
    a[2] === undefined
      ? (a[0] as number) < (a[1] as number)
      : (a[0] as number) < (a[1] as number) && (a[1] as number) < (a[2] as number),
  '<=': (a) =>
    a[2] === undefined
      ? (a[0] as number) <= (a[1] as number)
      : (a[0] as number) <= (a[1] as number) && (a[1] as number) <= (a[2] as number),
  '!!': (a) => truthy(a[0]),
  '!': (a) => !truthy(a[0]),
  cat: (a) => a.join(''),
  substr: (a) => {
    const source = String(a[0]);
    const start = a[1] as number;
    const end = a[2] as number;
    if (end < 0) {
      const rest = substr(source, start, undefined);
      return substr(rest, 0, rest.length + end);
    }
    return substr(source, start, end);
  },
  '+': (a) => a.reduce<number>((sum, b) => parseFloat(sum as never) + parseFloat(b as string), 0),
  '*': (a) =>
    a.length === 0
      ? (() => {
          throw new TypeError('Reduce of empty array with no initial value');
        })()
      : a.reduce((p, b) => parseFloat(p as string) * parseFloat(b as string)),
  '-': (a) => (a[1] === undefined ? -(a[0] as number) : (a[0] as number) - (a[1] as number)),
  min: (a) => Math.min(...(a as number[])),
  max: (a) => Math.max(...(a as number[])),
  merge: (a) => a.reduce<unknown[]>((all, b) => all.concat(b), []),
  log: (a) => a[0],
};
/* eslint-enable eqeqeq */

/** String.prototype.substr semantics, which json-logic-js relies on, without the deprecated API. */
function substr(source: string, start: number, length: number | undefined): string {
  let from = Math.trunc(Number(start)) || 0;
  if (from < 0) {
    from = Math.max(source.length + from, 0);
  }
  const count = length === undefined ? source.length - from : Math.trunc(Number(length)) || 0;
  if (count <= 0) {
    return '';
  }
  return source.slice(from, from + count);
}

/** `in`: substring of a string or member of an array; Kleene over unknown array members. */
function inOperator(needle: unknown, haystack: unknown): unknown {
  if (needle instanceof Unknown) return needle;
  if (haystack instanceof Unknown) return haystack;
  if (!haystack || typeof (haystack as { indexOf?: unknown }).indexOf === 'undefined') {
    return false;
  }
  if ((haystack as { indexOf: (v: unknown) => number }).indexOf(needle) !== -1) {
    return true;
  }
  return Array.isArray(haystack) ? (firstUnknown(haystack) ?? false) : false;
}

/** `{"var": key}` for one fixed key, without a default: data in, value (or null) out. */
type Read = (data: unknown) => unknown;

/** What a named read is given: any value, typed so that `?.` may read a property of it. */
type Data = Record<string, unknown> | null | undefined;

/** A value whose properties `var` reads directly: an object that is not Unknown. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof Unknown);
}

/** `{"var": key}` on anything else: null on nothing, the Unknown itself, else the property. */
function readOther(value: unknown, key: string): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Unknown) return value;
  return (value as Record<string, unknown>)[key] ?? null;
}

/**
 * `{"var": key}` for each property name the subject contexts carry, each its own
 * function. A read through `value[key]`, with a key that differs from one `var`
 * to the next, goes through one shared slow ("megamorphic") lookup in JavaScript
 * engines; a function that reads one fixed name keeps its own fast lookup for the
 * few shapes that carry the name. Written out by hand because the engine may not
 * generate code (no `new Function`); any other name is read the generic way.
 * A name found with a value is that value at once: an Unknown carries none of
 * these names, so the check for one waits until the value is missing or null.
 * A path "a.b" is the read of b applied to the read of a: a missing or null "a"
 * gives null, an Unknown one gives that Unknown, exactly as the path walk does.
 */
const NAMED_READS: ReadonlyMap<string, (data: Data) => unknown> = new Map([
  ['id', (v) => v?.id ?? readOther(v, 'id')],
  ['name', (v) => v?.name ?? readOther(v, 'name')],
  ['fullName', (v) => v?.fullName ?? readOther(v, 'fullName')],
  ['type', (v) => v?.type ?? readOther(v, 'type')],
  ['org', (v) => v?.org ?? readOther(v, 'org')],
  ['settings', (v) => v?.settings ?? readOther(v, 'settings')],
  ['user', (v) => v?.user ?? readOther(v, 'user')],
  ['profile', (v) => v?.profile ?? readOther(v, 'profile')],
  ['runAs', (v) => v?.runAs ?? readOther(v, 'runAs')],
  ['object', (v) => v?.object ?? readOther(v, 'object')],
  ['field', (v) => v?.field ?? readOther(v, 'field')],
  ['fields', (v) => v?.fields ?? readOther(v, 'fields')],
  ['assets', (v) => v?.assets ?? readOther(v, 'assets')],
  ['job', (v) => v?.job ?? readOther(v, 'job')],
  ['event', (v) => v?.event ?? readOther(v, 'event')],
  ['evidence', (v) => v?.evidence ?? readOther(v, 'evidence')],
  ['referenced', (v) => v?.referenced ?? readOther(v, 'referenced')],
  ['integrationUser', (v) => v?.integrationUser ?? readOther(v, 'integrationUser')],
  ['securityUser', (v) => v?.securityUser ?? readOther(v, 'securityUser')],
  [
    'customIntegrationUsers',
    (v) => v?.customIntegrationUsers ?? readOther(v, 'customIntegrationUsers'),
  ],
  ['username', (v) => v?.username ?? readOther(v, 'username')],
  ['isActive', (v) => v?.isActive ?? readOther(v, 'isActive')],
  ['isFrozen', (v) => v?.isFrozen ?? readOther(v, 'isFrozen')],
  ['userLicense', (v) => v?.userLicense ?? readOther(v, 'userLicense')],
  [
    'holdsReservedUsername',
    (v) => v?.holdsReservedUsername ?? readOther(v, 'holdsReservedUsername'),
  ],
  ['isCustom', (v) => v?.isCustom ?? readOther(v, 'isCustom')],
  ['isSandbox', (v) => v?.isSandbox ?? readOther(v, 'isSandbox')],
  ['loginIpRanges', (v) => v?.loginIpRanges ?? readOther(v, 'loginIpRanges')],
  ['loginHours', (v) => v?.loginHours ?? readOther(v, 'loginHours')],
  ['requiredSessionLevel', (v) => v?.requiredSessionLevel ?? readOther(v, 'requiredSessionLevel')],
  ['permissionable', (v) => v?.permissionable ?? readOther(v, 'permissionable')],
  [
    'securityClassification',
    (v) => v?.securityClassification ?? readOther(v, 'securityClassification'),
  ],
  ['namespace', (v) => v?.namespace ?? readOther(v, 'namespace')],
  ['status', (v) => v?.status ?? readOther(v, 'status')],
  ['message', (v) => v?.message ?? readOther(v, 'message')],
  [
    'enforceIpRangesEveryRequest',
    (v) => v?.enforceIpRangesEveryRequest ?? readOther(v, 'enforceIpRangesEveryRequest'),
  ],
  [
    'profileFilteringEnabled',
    (v) => v?.profileFilteringEnabled ?? readOther(v, 'profileFilteringEnabled'),
  ],
  [
    'apiAccessControlEnabled',
    (v) => v?.apiAccessControlEnabled ?? readOther(v, 'apiAccessControlEnabled'),
  ],
]);

function readOf(key: string): Read {
  const named = NAMED_READS.get(key) as Read | undefined;
  return named ?? ((v) => (isRecord(v) ? (v[key] ?? null) : readOther(v, key)));
}

/** JSON Logic `var`, walking a pre-split path; an Unknown on the way is the answer. */
export function resolvePath(data: unknown, path: string[], notFound: unknown): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || current === undefined) {
      return notFound;
    }
    if (current instanceof Unknown) {
      return current;
    }
    current = (current as Record<string, unknown>)[key];
    if (current === undefined) {
      return notFound;
    }
  }
  return current;
}

/** Reads `path` (a JSON Logic var name) from data, as `{"var": path}` would. */
export function readVar(data: unknown, path: unknown, notFound: unknown = null): unknown {
  if (path === undefined || path === '' || path === null) {
    return data;
  }
  return resolvePath(data, String(path).split('.'), notFound);
}

/** An array or object (not Unknown): json-logic-js re-reads such a value as logic. */
function isComposite(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !(value instanceof Unknown);
}

function missingKeys<Env>(
  data: unknown,
  keys: unknown[],
  operators: OperatorTable<Env>,
  env: Env,
): unknown {
  const missing: unknown[] = [];
  for (const key of keys) {
    if (key instanceof Unknown) return key;
    // json-logic-js looks each key up as `{"var": key}`: an array key is [path, default].
    const value = isComposite(key)
      ? compileNode({ var: key }, operators).evaluate(data, env)
      : readVar(data, key);
    if (value instanceof Unknown) return value;
    if (value === null || value === '') {
      missing.push(key);
    }
  }
  return missing;
}

const ITERATING = new Set(['map', 'filter', 'reduce', 'all', 'some', 'none']);

/**
 * Compiles JSON Logic once. Throws LogicCompileError for an operator that is
 * neither standard nor in `operators`, or for a domain operator given the wrong
 * number of arguments.
 */
export function compile<Env = unknown>(
  logic: unknown,
  operators: OperatorTable<Env> = {},
): Evaluator<Env> {
  return compileNode(logic, operators).evaluate;
}

function constant<Env>(value: unknown): Compiled<Env> {
  return { evaluate: () => value, constant: { value } };
}

function compileNode<Env>(logic: unknown, operators: OperatorTable<Env>): Compiled<Env> {
  if (Array.isArray(logic)) {
    const items = logic.map((item) => compileNode(item, operators));
    if (items.every((item) => item.constant)) {
      // A fresh array each time: callers may not mutate, but never share by accident.
      const values = items.map((item) => item.constant!.value);
      return { evaluate: () => values.slice() };
    }
    const fns = items.map((item) => item.evaluate);
    return { evaluate: (data, env) => fns.map((fn) => fn(data, env)) };
  }
  if (!isLogic(logic)) {
    return constant(logic);
  }
  const op = Object.keys(logic)[0];
  let rawArgs = logic[op];
  if (!Array.isArray(rawArgs)) {
    rawArgs = [rawArgs];
  }
  const args = rawArgs as unknown[];

  if (op === 'var') return compileVar(args, operators);
  if (op === 'if' || op === '?:') return compileIf(args, operators);
  if (op === 'and' || op === 'or') return compileAndOr(op, args, operators);
  if (ITERATING.has(op)) return compileIterating(op, args, operators);
  if (op === 'missing' || op === 'missing_some') return compileMissing(op, args, operators);

  const compiledArgs = args.map((arg) => compileNode(arg, operators));
  const argFns = compiledArgs.map((arg) => arg.evaluate);
  const evalArgs = (data: unknown, env: Env): unknown[] => {
    const values = new Array<unknown>(argFns.length);
    for (let i = 0; i < argFns.length; i++) values[i] = argFns[i](data, env);
    return values;
  };

  if (op === 'in') {
    return foldIfConstant(compiledArgs, (data, env) => {
      const values = evalArgs(data, env);
      return inOperator(values[0], values[1]);
    });
  }

  const standard = Object.prototype.hasOwnProperty.call(STRICT_OPERATORS, op)
    ? STRICT_OPERATORS[op]
    : undefined;
  if (standard) {
    const evaluate = compileStandard(op, argFns, standard, evalArgs);
    return op === 'log' ? { evaluate } : foldIfConstant(compiledArgs, evaluate);
  }

  const domain = Object.prototype.hasOwnProperty.call(operators, op) ? operators[op] : undefined;
  if (!domain) {
    throw new LogicCompileError(`Unknown operator "${op}"`);
  }
  const [min, max] = domain.arity;
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw new LogicCompileError(
      `Operator "${op}" takes ${expected} argument(s), got ${args.length}`,
    );
  }
  if (domain.acceptsUnknown) {
    return { evaluate: (data, env) => domain.evaluate(evalArgs(data, env), env) };
  }
  if (domain.bind && argFns.length === 2) {
    return { evaluate: compileBound(domain, argFns[0], argFns[1]) };
  }
  return { evaluate: compileDomain(domain, argFns, evalArgs) };
}

/**
 * A domain operator that takes known arguments. With two or three (the shapes
 * rules over many subjects use), the argument list is a literal built after the
 * checks: no loop, and no list at all when an argument is Unknown.
 */
function compileDomain<Env>(
  domain: OperatorDefinition<Env>,
  argFns: Evaluator<Env>[],
  evalArgs: (data: unknown, env: Env) => unknown[],
): Evaluator<Env> {
  if (argFns.length === 2) {
    const [firstFn, secondFn] = argFns;
    return (data, env) => {
      const first = firstFn(data, env);
      const second = secondFn(data, env);
      if (first instanceof Unknown) return first;
      if (second instanceof Unknown) return second;
      return domain.evaluate([first, second], env);
    };
  }
  if (argFns.length === 3) {
    const [firstFn, secondFn, thirdFn] = argFns;
    return (data, env) => {
      const first = firstFn(data, env);
      const second = secondFn(data, env);
      const third = thirdFn(data, env);
      if (first instanceof Unknown) return first;
      if (second instanceof Unknown) return second;
      if (third instanceof Unknown) return third;
      return domain.evaluate([first, second, third], env);
    };
  }
  return (data, env) => {
    const values = evalArgs(data, env);
    return firstUnknown(values) ?? domain.evaluate(values, env);
  };
}

/**
 * A two-argument domain operator that can bind its first argument: bound again
 * only when that argument's value (or the evaluation) changes, so subjects that
 * share it (the fields one user reads) skip resolving it. Object values are
 * never kept: they could change between calls. The last binding stays until the
 * next evaluation replaces it.
 */
function compileBound<Env>(
  domain: OperatorDefinition<Env>,
  firstFn: Evaluator<Env>,
  secondFn: Evaluator<Env>,
): Evaluator<Env> {
  const bind = domain.bind as NonNullable<OperatorDefinition<Env>['bind']>;
  let boundFirst: unknown;
  let boundEnv: Env | undefined;
  let bound: ((second: unknown) => unknown) | undefined;
  return (data, env) => {
    // Both arguments are evaluated first, as in the general case, so an error
    // in the second is not hidden by an Unknown first.
    const first = firstFn(data, env);
    const second = secondFn(data, env);
    if (first instanceof Unknown) return first;
    if (second instanceof Unknown) return second;
    if (bound === undefined || first !== boundFirst || env !== boundEnv) {
      const fresh = bind.call(domain, first, env);
      if (typeof first === 'object' && first !== null) return fresh(second);
      bound = fresh;
      boundFirst = first;
      boundEnv = env;
    }
    return bound(second);
  };
}

/** Folds a pure operator whose arguments are all constants into its value. */
function foldIfConstant<Env>(args: Compiled<Env>[], evaluate: Evaluator<Env>): Compiled<Env> {
  if (args.every((arg) => arg.constant)) {
    try {
      const value = evaluate(undefined, undefined as Env);
      if (typeof value !== 'object' || value === null) {
        return constant(value);
      }
    } catch {
      // Leave it to run time, where json-logic-js would throw too.
    }
  }
  return { evaluate };
}

/**
 * A standard operator. The shapes conditions use most (one value for ! and !!,
 * two for comparisons) are evaluated without building an argument list.
 */
function compileStandard<Env>(
  op: string,
  argFns: Evaluator<Env>[],
  standard: (args: unknown[]) => unknown,
  evalArgs: (data: unknown, env: Env) => unknown[],
): Evaluator<Env> {
  const binary = argFns.length === 2 ? BINARY_OPERATORS[op] : undefined;
  if (binary) {
    const [firstFn, secondFn] = argFns;
    return (data, env) => {
      const first = firstFn(data, env);
      const second = secondFn(data, env);
      if (first instanceof Unknown) return first;
      if (second instanceof Unknown) return second;
      return binary(first, second);
    };
  }
  if (argFns.length === 1 && (op === '!' || op === '!!')) {
    const [only] = argFns;
    const negate = op === '!';
    return (data, env) => {
      const value = only(data, env);
      return value instanceof Unknown ? value : truthy(value) !== negate;
    };
  }
  return (data, env) => {
    const values = evalArgs(data, env);
    return firstUnknown(values) ?? standard(values);
  };
}

function compileVar<Env>(args: unknown[], operators: OperatorTable<Env>): Compiled<Env> {
  const [pathNode, defaultNode] = args.map((arg) => compileNode(arg, operators));
  if (pathNode === undefined) {
    return { evaluate: (data) => data };
  }
  // Like json-logic-js, the default is evaluated before the lookup, and undefined means null.
  const defaultFn: Evaluator<Env> = defaultNode
    ? (data, env) => defaultNode.evaluate(data, env) ?? null
    : () => null;
  if (pathNode.constant) {
    const path = pathNode.constant.value;
    if (path === '' || path === null || path === undefined) {
      return {
        evaluate: (data, env) => {
          defaultFn(data, env);
          return data;
        },
      };
    }
    const keys = String(path).split('.');
    if (keys.length === 1 && !defaultNode) {
      return { evaluate: readOf(keys[0]) };
    }
    if (keys.length === 2 && !defaultNode) {
      // The common "object.property" read.
      const readOuter = readOf(keys[0]);
      const readInner = readOf(keys[1]);
      return { evaluate: (data) => readInner(readOuter(data)) };
    }
    return { evaluate: (data, env) => resolvePath(data, keys, defaultFn(data, env)) };
  }
  return {
    evaluate: (data, env) => {
      const path = pathNode.evaluate(data, env);
      if (path instanceof Unknown) return path;
      const notFound = defaultFn(data, env);
      return readVar(data, path, notFound);
    },
  };
}

function compileIf<Env>(args: unknown[], operators: OperatorTable<Env>): Compiled<Env> {
  const nodes = args.map((arg) => compileNode(arg, operators).evaluate);
  const chain = (start: number, data: unknown, env: Env): unknown => {
    let i = start;
    for (; i < nodes.length - 1; i += 2) {
      const test = nodes[i](data, env);
      if (test instanceof Unknown) {
        // Undecided test: the answer is known only if both ways give the same value.
        const then = nodes[i + 1](data, env);
        const otherwise = chain(i + 2, data, env);
        return then === otherwise && !(then instanceof Unknown) ? then : test;
      }
      if (truthy(test)) {
        return nodes[i + 1](data, env);
      }
    }
    return nodes.length === i + 1 ? nodes[i](data, env) : null;
  };
  return { evaluate: (data, env) => chain(0, data, env) };
}

function compileAndOr<Env>(
  op: 'and' | 'or',
  args: unknown[],
  operators: OperatorTable<Env>,
): Compiled<Env> {
  const nodes = args.map((arg) => compileNode(arg, operators).evaluate);
  const stopWhen = op === 'or';
  if (nodes.length === 2) {
    // The common shape, unrolled: the same answers as the loop below.
    const [first, second] = nodes;
    return {
      evaluate: (data, env) => {
        const a = first(data, env);
        const aUnknown = a instanceof Unknown;
        if (!aUnknown && truthy(a) === stopWhen) return a;
        const b = second(data, env);
        if (b instanceof Unknown) return aUnknown ? a : b;
        if (truthy(b) === stopWhen) return b;
        return aUnknown ? a : b;
      },
    };
  }
  return {
    evaluate: (data, env) => {
      let current: unknown;
      let pending: Unknown | undefined;
      for (let i = 0; i < nodes.length; i++) {
        current = nodes[i](data, env);
        if (current instanceof Unknown) {
          pending ??= current;
        } else if (truthy(current) === stopWhen) {
          return current;
        }
      }
      return pending ?? current;
    },
  };
}

function compileIterating<Env>(
  op: string,
  args: unknown[],
  operators: OperatorTable<Env>,
): Compiled<Env> {
  const source = compileNode(args[0], operators).evaluate;
  const body = compileNode(args[1], operators).evaluate;
  switch (op) {
    case 'map':
    case 'filter':
      return {
        evaluate: (data, env) => {
          const items = source(data, env);
          if (items instanceof Unknown) return items;
          if (!Array.isArray(items)) return [];
          const out: unknown[] = [];
          for (const item of items) {
            const value = body(item, env);
            if (value instanceof Unknown) return value;
            if (op === 'map') out.push(value);
            else if (truthy(value)) out.push(item);
          }
          return out;
        },
      };
    case 'reduce': {
      const initialFn = args[2] !== undefined ? compileNode(args[2], operators).evaluate : null;
      return {
        evaluate: (data, env) => {
          const items = source(data, env);
          const initial = initialFn ? initialFn(data, env) : null;
          if (items instanceof Unknown) return items;
          if (!Array.isArray(items)) return initial;
          let accumulator = initial;
          for (const current of items) {
            accumulator = body({ current, accumulator }, env);
            if (accumulator instanceof Unknown) return accumulator;
          }
          return accumulator;
        },
      };
    }
    default: {
      // all / some / none: short-circuit on a decisive known answer, else unknown if any was.
      const decisive = op !== 'all';
      const emptyResult = op === 'none';
      const decidedResult = op === 'some';
      return {
        evaluate: (data, env) => {
          const items = source(data, env);
          if (items instanceof Unknown) return items;
          if (!Array.isArray(items) || items.length === 0) return emptyResult;
          let pending: Unknown | undefined;
          for (const item of items) {
            const value = body(item, env);
            if (value instanceof Unknown) {
              pending ??= value;
            } else if (truthy(value) === decisive) {
              return op === 'all' ? false : decidedResult;
            }
          }
          return pending ?? !decidedResult;
        },
      };
    }
  }
}

function compileMissing<Env>(
  op: string,
  args: unknown[],
  operators: OperatorTable<Env>,
): Compiled<Env> {
  const fns = args.map((arg) => compileNode(arg, operators).evaluate);
  if (op === 'missing') {
    return {
      evaluate: (data, env) => {
        const values = fns.map((fn) => fn(data, env));
        const keys = Array.isArray(values[0]) ? values[0] : values;
        return missingKeys(data, keys, operators, env);
      },
    };
  }
  return {
    evaluate: (data, env) => {
      const needCount = fns[0] ? fns[0](data, env) : undefined;
      const options = fns[1] ? fns[1](data, env) : undefined;
      if (needCount instanceof Unknown) return needCount;
      if (options instanceof Unknown) return options;
      const keys = Array.isArray(options) ? options : [options];
      // json-logic-js evaluates `{"missing": options}`, re-reading array or object options as logic.
      const missing = keys.some(isComposite)
        ? compileNode({ missing: options }, operators).evaluate(data, env)
        : missingKeys(data, keys, operators, env);
      if (missing instanceof Unknown) return missing;
      const count = (options as unknown[]).length - (missing as unknown[]).length;
      return count >= (needCount as number) ? [] : missing;
    },
  };
}

/** Calls `visit` for every operation in a condition, outermost first, with its arguments as written. */
export function forEachOperation(
  logic: unknown,
  visit: (op: string, args: unknown[]) => void,
): void {
  if (Array.isArray(logic)) {
    for (const item of logic) forEachOperation(item, visit);
    return;
  }
  if (!isLogic(logic)) return;
  const op = Object.keys(logic)[0];
  const raw = logic[op];
  const args = Array.isArray(raw) ? raw : [raw];
  visit(op, args);
  for (const arg of args) forEachOperation(arg, visit);
}

/** Every `var` path a condition reads with a constant name, for dependency analysis. */
export function varPaths(logic: unknown): string[] {
  const paths: string[] = [];
  forEachOperation(logic, (op, args) => {
    if (op === 'var' && typeof args[0] === 'string') paths.push(args[0]);
  });
  return paths;
}

/** Every operator name a condition uses. */
export function operatorsUsed(logic: unknown): Set<string> {
  const used = new Set<string>();
  forEachOperation(logic, (op) => used.add(op));
  return used;
}
