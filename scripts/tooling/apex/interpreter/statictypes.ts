// Static (compile-time) types, as the Apex compiler sees them: what an argument expression is
// declared as, which overload a call site names, and what a native method returns. The compiler
// (compile.ts) asks these once per call site or cast; nothing here runs per call.
//
// Overloads (SEMANTICS TYP-10): the Apex Developer Guide ("Class Methods": user-defined methods
// "can be overloaded … If the parser can't find an exact match, it then seeks an approximate match
// using type coercion rules … If the parser finds multiple approximate matches, a parse-time
// exception is generated") resolves a call at compile time from the arguments' static types. The
// runtime does the same: an exact match wins; otherwise the most specific applicable overload; no
// unique one is the platform's compile error, refused here. An argument whose static type the
// runtime cannot work out (a native method it has no return type for) is refused only when the
// choice depends on it.
import { UnsupportedError } from '../values';
import type { ClassModel, MethodModel } from './classes';
import {
  listOf,
  nativeExtends,
  primitive,
  T_OBJECT,
  T_SOBJECT,
  type RType,
  type TypeSystem,
} from './types';

/** The type of the `null` literal: assignable to every type. */
export const T_NULL: RType = { name: 'null', args: [], kind: 'void' };
/** A static type: a type, T_NULL, or null when the local runtime cannot tell. */
export type SType = RType | null;

const NUMERIC_RANK: Record<string, number> = { Integer: 0, Long: 1, Double: 2, Decimal: 3 };

export const isNumericType = (t: SType): boolean =>
  !!t && t.kind === 'primitive' && t.name in NUMERIC_RANK;

/** The wider of two numeric types (Integer → Long → Double → Decimal; SEMANTICS NUM-04). */
export function widerNumeric(a: RType, b: RType): RType {
  return NUMERIC_RANK[a.name] >= NUMERIC_RANK[b.name] ? a : b;
}

const sameName = (a: string, b: string) =>
  a.toLowerCase().replace(/^system\./, '') === b.toLowerCase().replace(/^system\./, '');

export function sameStaticType(a: RType, b: RType): boolean {
  if (a.kind !== b.kind || !sameName(a.name, b.name) || a.args.length !== b.args.length) {
    return false;
  }
  if (a.cls || b.cls) return a.cls === b.cls;
  return a.args.every((x, i) => sameStaticType(x, b.args[i]));
}

/**
 * Can a value of static type `from` be passed where `to` is declared (assignment conversion)?
 * `strict` is the order used to rank overloads: numbers widen only up the chain
 * Integer → Long → Double → Decimal (a Decimal is also accepted where a Double is declared, but
 * that does not make Decimal the more specific of the two).
 */
export function staticAssignable(from: RType, to: RType, strict = false): boolean {
  if (from === T_NULL) return true;
  if (to.kind === 'object') return true;
  if (from.kind === 'object') return false;
  if (sameStaticType(from, to)) return true;
  if (from.kind === 'primitive' && to.kind === 'primitive') {
    const f = NUMERIC_RANK[from.name];
    const t = NUMERIC_RANK[to.name];
    if (f !== undefined && t !== undefined) {
      return f <= t || (!strict && from.name === 'Decimal' && to.name === 'Double');
    }
    if (from.name === 'Id' && to.name === 'String') return true;
    if (from.name === 'String' && to.name === 'Id') return !strict;
    return from.name === 'Date' && to.name === 'Datetime';
  }
  if (to.kind === 'sobject' && to.name === 'SObject') return from.kind === 'sobject';
  if (from.kind === 'user' && from.cls) {
    if (to.kind === 'user' && to.cls) return from.cls.isSubtypeOf(to.cls);
    if (to.kind === 'native')
      return from.cls.nativeSupertypes().some((s) => nativeExtends(s, to.name));
    return false;
  }
  if (from.kind === 'native' && to.kind === 'native') return nativeExtends(from.name, to.name);
  const element = (a: RType, b: RType) =>
    b.kind === 'object' ||
    sameStaticType(a, b) ||
    (a.kind !== 'primitive' && b.kind !== 'primitive' && staticAssignable(a, b, strict));
  if (from.kind === 'list' && to.kind === 'list') return element(from.args[0], to.args[0]);
  if (from.kind === 'map' && to.kind === 'map') {
    return sameStaticType(from.args[0], to.args[0]) && element(from.args[1], to.args[1]);
  }
  return false;
}

/** Is `a`'s parameter list at least as specific as `b`'s (each parameter passes as b's)? */
function moreSpecific(a: RType[], b: RType[]): boolean {
  return a.every((t, i) => staticAssignable(t, b[i], true));
}

/**
 * The overload a call site names, chosen from the arguments' static types (once, at compile
 * time). `describe` names the call for messages: 'Foo.bar', 'Foo constructor'.
 */
export function chooseOverload(
  candidates: readonly MethodModel[],
  argTypes: readonly SType[],
  paramTypes: (m: MethodModel) => RType[],
  describe: string,
): MethodModel {
  const sameArity = candidates.filter((m) => m.arity === argTypes.length);
  if (sameArity.length === 0) {
    throw new UnsupportedError(
      `no method ${describe} taking ${argTypes.length} argument(s) (a compile error in Apex)`,
    );
  }
  if (sameArity.length === 1) return sameArity[0];
  // Applicable: every known argument type converts to the parameter type.
  const applicable = sameArity.filter((m) => {
    const params = paramTypes(m);
    return argTypes.every((a, i) => a === null || staticAssignable(a, params[i]));
  });
  if (applicable.length === 0) {
    throw new UnsupportedError(
      `no overload of ${describe} accepts (${argTypes.map(typeLabel).join(', ')}) (a compile error in Apex)`,
    );
  }
  // An argument of unknown static type may only be ignored where the overloads agree on it.
  argTypes.forEach((a, i) => {
    if (a !== null || applicable.length < 2) return;
    const first = paramTypes(applicable[0])[i];
    if (!applicable.every((m) => sameStaticType(paramTypes(m)[i], first))) {
      throw new UnsupportedError(
        `overloaded call ${describe}: the static type of argument ${i + 1} cannot be determined, so the overload the platform would choose is unknown`,
      );
    }
  });
  if (applicable.length === 1) return applicable[0];
  const exact = applicable.filter((m) =>
    paramTypes(m).every((p, i) => {
      const a = argTypes[i];
      return a === null || (a !== T_NULL && sameStaticType(a, p));
    }),
  );
  if (exact.length === 1) return exact[0];
  const best = applicable.filter((m) =>
    applicable.every((o) => o === m || moreSpecific(paramTypes(m), paramTypes(o))),
  );
  if (best.length === 1) return best[0];
  throw new UnsupportedError(
    `ambiguous call ${describe}(${argTypes.map(typeLabel).join(', ')}): ${applicable
      .map(
        (m) =>
          `${m.cls.qualified}.${m.decl.isConstructor ? '<init>' : m.name}(${paramTypes(m).map(typeLabel).join(', ')})`,
      )
      .join(' and ')} both apply (a compile error in Apex)`,
  );
}

export function typeLabel(t: SType): string {
  if (t === null) return '?';
  if (t === T_NULL) return 'null';
  return t.args.length ? `${t.name}<${t.args.map(typeLabel).join(', ')}>` : t.name;
}

// ── native return types ───────────────────────────────────────────────────────────────────────

const S = primitive('String');
const I = primitive('Integer');
const L = primitive('Long');
const B = primitive('Boolean');
const DEC = primitive('Decimal');
const DBL = primitive('Double');
const DATE = primitive('Date');
const DT = primitive('Datetime');
const ID = primitive('Id');

type Rule = RType | ((self: RType | null, args: readonly SType[]) => SType);

const sameAsSelf: Rule = (self) => self;
const firstArg: Rule = (_self, args) => args[0] ?? null;
/** Math.abs/min/max: the argument type (the wider of two). */
const numericOfArgs: Rule = (_self, args) => {
  const known = args.filter((a): a is RType => isNumericType(a));
  if (known.length !== args.length || !known.length) return null;
  return known.reduce(widerNumeric);
};

function table(entries: Record<string, Rule>, ...names: [string[], Rule][]): Record<string, Rule> {
  const t: Record<string, Rule> = { ...entries };
  for (const [keys, rule] of names) for (const k of keys) t[k] = rule;
  return t;
}

/** Instance methods every value answers. */
const OBJECT_METHODS = table({ equals: B, hashcode: I, tostring: S });

const INSTANCE: Record<string, Record<string, Rule>> = {
  String: table(
    { split: listOf(S), length: I, getchars: listOf(I), charat: I, codepointat: I },
    [
      [
        'abbreviate',
        'capitalize',
        'center',
        'deletewhitespace',
        'difference',
        'escapecsv',
        'escapeecmascript',
        'escapehtml3',
        'escapehtml4',
        'escapejava',
        'escapesinglequotes',
        'escapeunicode',
        'escapexml',
        'left',
        'leftpad',
        'mid',
        'normalizespace',
        'remove',
        'removeend',
        'removeendignorecase',
        'removestart',
        'removestartignorecase',
        'repeat',
        'replace',
        'replaceall',
        'replacefirst',
        'reverse',
        'right',
        'rightpad',
        'substring',
        'substringafter',
        'substringafterlast',
        'substringbefore',
        'substringbeforelast',
        'substringbetween',
        'swapcase',
        'tolowercase',
        'touppercase',
        'trim',
        'uncapitalize',
        'unescapecsv',
        'unescapeecmascript',
        'unescapehtml3',
        'unescapehtml4',
        'unescapejava',
        'unescapeunicode',
        'unescapexml',
        'stripHtmlTags'.toLowerCase(),
        'format',
      ],
      S,
    ],
    [
      [
        'compareto',
        'countmatches',
        'indexof',
        'indexofany',
        'indexofanybut',
        'indexofchar',
        'indexofdifference',
        'indexofignorecase',
        'lastindexof',
        'lastindexofchar',
        'lastindexofignorecase',
        'getlevenshteindistance',
      ],
      I,
    ],
    [
      [
        'contains',
        'containsany',
        'containsignorecase',
        'containsnone',
        'containsonly',
        'containswhitespace',
        'endswith',
        'endswithignorecase',
        'equalsignorecase',
        'isalpha',
        'isalphaspace',
        'isalphanumeric',
        'isalphanumericspace',
        'isasciiprintable',
        'isnumeric',
        'isnumericspace',
        'isallloweercase',
        'isalllowercase',
        'isalluppercase',
        'iswhitespace',
        'startswith',
        'startswithignorecase',
        'matches',
      ],
      B,
    ],
    [['splitbycharactertype', 'splitbycharactertypecamelcase'], listOf(S)],
  ),
  Integer: table({ format: S, intvalue: I, longvalue: L, doublevalue: DBL }),
  Long: table({ format: S, intvalue: I, longvalue: L, doublevalue: DBL }),
  Double: table({ format: S, intvalue: I, longvalue: L, doublevalue: DBL, round: L }),
  Decimal: table(
    {
      format: S,
      toplainstring: S,
      intvalue: I,
      longvalue: L,
      doublevalue: DBL,
      round: L,
      scale: I,
      precision: I,
    },
    [['setscale', 'abs', 'divide', 'pow', 'striptrailingzeros'], DEC],
  ),
  Boolean: table({}),
  Id: table({ to15: S, getsobjecttype: { name: 'Schema.SObjectType', args: [], kind: 'native' } }),
  Date: table(
    { format: S, daysbetween: I, monthsbetween: I, isleapyear: B, issameday: B },
    [['adddays', 'addmonths', 'addyears', 'tostartofmonth', 'tostartofweek'], DATE],
    [['day', 'dayofyear', 'month', 'year'], I],
  ),
  Datetime: table(
    { format: S, formatgmt: S, formatlong: S, gettime: L, date: DATE, dategmt: DATE },
    [['adddays', 'addhours', 'addminutes', 'addmonths', 'addseconds', 'addyears'], DT],
    [
      [
        'day',
        'daygmt',
        'dayofyear',
        'dayofyeargmt',
        'hour',
        'hourgmt',
        'millisecond',
        'millisecondgmt',
        'minute',
        'minutegmt',
        'month',
        'monthgmt',
        'second',
        'secondgmt',
        'year',
        'yeargmt',
      ],
      I,
    ],
  ),
  List: table(
    { size: I, isempty: B, contains: B, indexof: I, equals: B, tostring: S },
    [['get', 'remove'], (self) => self?.args[0] ?? null],
    [['clone', 'deepclone'], sameAsSelf],
  ),
  Set: table(
    {
      size: I,
      isempty: B,
      contains: B,
      containsall: B,
      add: B,
      addall: B,
      remove: B,
      removeall: B,
      retainall: B,
    },
    [['clone'], sameAsSelf],
  ),
  Map: table(
    { size: I, isempty: B, containskey: B },
    [['get', 'remove', 'put'], (self) => self?.args[1] ?? null],
    [['keyset'], (self) => (self ? { name: 'Set', args: [self.args[0]], kind: 'set' } : null)],
    [['values'], (self) => (self ? listOf(self.args[1]) : null)],
    [['clone', 'deepclone'], sameAsSelf],
  ),
  'System.Exception': table({
    getmessage: S,
    gettypename: S,
    getlinenumber: I,
    getstacktracestring: S,
    getcause: { name: 'System.Exception', args: [], kind: 'native' },
  }),
  'System.Enum': table({ name: S, ordinal: I }),
  SObject: table(
    { get: T_OBJECT, put: T_OBJECT, getsobject: T_SOBJECT, getsobjects: listOf(T_SOBJECT) },
    [['clone'], sameAsSelf],
    [['getsobjecttype'], { name: 'Schema.SObjectType', args: [], kind: 'native' }],
  ),
};

const STATIC: Record<string, Record<string, Rule>> = {
  String: table({
    valueof: S,
    join: S,
    format: S,
    escapesinglequotes: S,
    fromchararray: S,
    isblank: B,
    isnotblank: B,
    isempty: B,
    isnotempty: B,
  }),
  Integer: table({ valueof: I }),
  Long: table({ valueof: L }),
  Decimal: table({ valueof: DEC }),
  Double: table({ valueof: DBL }),
  Boolean: table({ valueof: B }),
  Id: table({ valueof: ID }),
  Date: table({
    today: DATE,
    newinstance: DATE,
    valueof: DATE,
    parse: DATE,
    isleapyear: B,
    daysinmonth: I,
  }),
  Datetime: table({
    now: DT,
    newinstance: DT,
    newinstancegmt: DT,
    valueof: DT,
    valueofgmt: DT,
    parse: DT,
  }),
  'System.Math': table(
    { round: I, roundtolong: L, random: DBL, sqrt: DBL, pow: DBL, exp: DBL, log: DBL, log10: DBL },
    [['abs', 'min', 'max', 'mod'], numericOfArgs],
    [['floor', 'ceil'], firstArg],
  ),
  'System.JSON': table({
    serialize: S,
    serializepretty: S,
    deserializeuntyped: T_OBJECT,
    deserialize: T_OBJECT,
    deserializestrict: T_OBJECT,
  }),
  'System.UserInfo': table({
    getuserid: ID,
    getorganizationid: ID,
    getprofileid: ID,
    getusername: S,
    getname: S,
    getfirstname: S,
    getlastname: S,
    getuseremail: S,
    getlocale: S,
    getlanguage: S,
    getusertype: S,
    getorganizationname: S,
    getdefaultcurrency: S,
    getuserroleid: ID,
  }),
  Database: table({ query: listOf(T_SOBJECT), countquery: I }),
};

/** The static return type of a native method, or null when this table does not know it. */
export function nativeReturnType(
  owner: string,
  key: string,
  isStatic: boolean,
  self: RType | null,
  args: readonly SType[],
): SType {
  const rule =
    (isStatic ? STATIC : INSTANCE)[owner]?.[key] ?? (isStatic ? undefined : OBJECT_METHODS[key]);
  if (!rule) return null;
  return typeof rule === 'function' ? rule(self, args) : rule;
}

/** The native class whose instance methods a static type answers ('String', 'List', 'SObject'…). */
export function nativeOwnerOf(t: RType): string | null {
  switch (t.kind) {
    case 'primitive':
      return t.name;
    case 'list':
      return 'List';
    case 'set':
      return 'Set';
    case 'map':
      return 'Map';
    case 'sobject':
      return 'SObject';
    case 'native':
      return t.name;
    default:
      return null;
  }
}

/** The static type of `cls`'s instances (for `this`). */
export function typeOfClass(types: TypeSystem, cls: ClassModel): RType {
  return types.resolveName(cls.qualified, null) ?? T_OBJECT;
}
