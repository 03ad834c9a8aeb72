// SOQL over the in-memory org: the text is parsed with apex-parser's `query` rule (parse trees are
// cached per text; binds are read at each run) and evaluated against the store.
//
// Modelled: select lists with parent relationship paths, child subqueries, COUNT(), aggregate
// functions (COUNT, COUNT_DISTINCT, SUM, AVG, MIN, MAX) with GROUP BY on plain fields, WHERE with
// AND/OR/NOT, = != <> < <= > >=, LIKE, IN / NOT IN (lists, binds, semi-join subqueries),
// INCLUDES / EXCLUDES, date literals and the day/month/year date formulas, ORDER BY (ASC/DESC,
// NULLS FIRST/LAST), LIMIT, OFFSET, WITH USER_MODE / SYSTEM_MODE / SECURITY_ENFORCED, FOR UPDATE /
// FOR VIEW / FOR REFERENCE (accepted; no locking), ALL ROWS. Text comparisons ignore case.
// Not modelled, failing loudly: TYPEOF, FIELDS(), USING SCOPE, HAVING, WITH DATA CATEGORY,
// toLabel/format/convertCurrency, date functions in WHERE, GROUP BY ROLLUP/CUBE, fiscal literals.
import {
  ApexParserFactory,
  type BoundExpressionContext,
  type FieldNameContext,
  type FromNameListContext,
  type LogicalExpressionContext,
  type QueryContext,
  type SelectEntryContext,
  type SoqlFunctionContext,
  type SubFieldEntryContext,
  type SubQueryContext,
  type ValueContext,
  type WhereLogicalExpressionContext,
} from '@apexdevtools/apex-parser';
import type { Governor } from '../governor';
import {
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexError,
  ApexId,
  ApexList,
  ApexMap,
  ApexSet,
  ApexTime,
  SObjectValue,
  UnsupportedError,
  compareNumbers,
  decimalOf,
  isNumeric,
  normalizeId,
  typeRef,
  type Value,
} from '../values';
import { instantOf, zonedParts } from '../natives/support';
import type { UserAccess } from './access';
import { isTextType, type FieldDef, type ObjectDef, type OrgSchema } from './schema';
import { indexKey, type Row, type Store } from './store';

export type AccessMode = 'user' | 'system';
export type SharingMode = 'with' | 'without' | 'inherited';

export interface QueryOptions {
  accessLevel: AccessMode;
  sharing: SharingMode;
}

/** What a query needs from the org and the transaction. */
export interface QueryEnv {
  readonly store: Store;
  readonly governor: Governor;
  /** The running user's access (computed on demand). */
  access(): UserAccess;
  /** Now, epoch milliseconds, and the running user's time zone (date literals). */
  now(): number;
  timeZone(): string;
  /** The value of a bound expression (`:name`, `:a.b`), as its source text. */
  bind(expression: string): Value;
  /** Rows of derived objects (FieldDefinition, EntityDefinition) computed from the schema. */
  derivedRows(def: ObjectDef): Iterable<Row> | undefined;
}

export const queryException = (message: string) => new ApexError('System.QueryException', message);

/** A QueryException for user-mode denials, with the inaccessible fields per object. */
export class InaccessibleQueryError extends ApexError {
  constructor(
    message: string,
    readonly inaccessibleFields: Map<string, Set<string>>,
  ) {
    super('System.QueryException', message);
  }
}

export const noSuchColumn = (field: string, object: string) =>
  queryException(
    `No such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
export const unknownObject = (object: string) =>
  queryException(
    `sObject type '${object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
const badRelationship = (rel: string) =>
  queryException(
    `Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

// ── parsing ─────────────────────────────────────────────────────────────────────────────────

const parseCache = new Map<string, QueryContext>();

export function parseQuery(text: string): QueryContext {
  const cached = parseCache.get(text);
  if (cached) return cached;
  let tree: QueryContext;
  try {
    const parser = ApexParserFactory.createParser(text.trim(), true);
    tree = parser.query();
  } catch (e) {
    throw queryException(`unexpected token in query: ${(e as Error).message ?? text}`);
  }
  // The rule stops at the first token it cannot use: anything left over is a syntax error.
  const consumed = (tree.stop?.stop ?? -1) + 1;
  const rest = text.trim().slice(consumed).trim();
  if (rest) throw queryException(`unexpected token: '${rest.split(/\s+/)[0]}'`);
  if (parseCache.size > 5000) parseCache.clear();
  parseCache.set(text, tree);
  return tree;
}

const idText = (v: Value): string | null => (v instanceof ApexId ? v.value : null);

/** EntityDefinition rows by DurableId, built once per set of derived rows (the org caches them). */
const durableIds = new WeakMap<object, Map<string, Row>>();
function byDurableId(rows: Iterable<Row>): Map<string, Row> {
  let map = durableIds.get(rows);
  if (!map) {
    map = new Map();
    for (const r of rows) {
      const key = r.get('durableid');
      if (typeof key === 'string' && !map.has(key)) map.set(key, r);
    }
    durableIds.set(rows, map);
  }
  return map;
}

// ── field paths ─────────────────────────────────────────────────────────────────────────────

interface Path {
  /** Reference fields followed, in order. */
  readonly refs: FieldDef[];
  readonly field: FieldDef;
  /** Object that owns `field` (the first candidate for polymorphic paths). */
  readonly object: ObjectDef;
  /** Objects along the path with the field read on each, for user-mode checks. */
  readonly reads: { object: ObjectDef; field: FieldDef }[];
  readonly text: string;
}

function targetsOf(schema: OrgSchema, field: FieldDef): ObjectDef[] {
  if (field.referenceTo.includes('*')) return [...schema.objects.values()];
  return field.referenceTo.map((n) => schema.get(n)).filter((d): d is ObjectDef => d !== undefined);
}

function resolvePath(schema: OrgSchema, root: ObjectDef, segments: string[]): Path {
  // A path may start with the object's own name ('Account.Name' FROM Account).
  if (segments.length > 1 && segments[0].toLowerCase() === root.name.toLowerCase()) {
    if (!root.relationships.has(segments[0].toLowerCase())) segments = segments.slice(1);
  }
  const refs: FieldDef[] = [];
  const reads: { object: ObjectDef; field: FieldDef }[] = [];
  let current: ObjectDef[] = [root];
  for (let i = 0; i < segments.length - 1; i++) {
    const rel = segments[i].toLowerCase();
    const owner = current.find((d) => d.relationships.has(rel));
    if (!owner) throw badRelationship(segments[i]);
    const ref = owner.relationships.get(rel)!;
    refs.push(ref);
    reads.push({ object: owner, field: ref });
    current = targetsOf(schema, ref);
  }
  const last = segments[segments.length - 1];
  const owner = current.find((d) => d.fields.has(last.toLowerCase()));
  if (!owner)
    throw noSuchColumn(
      segments.length > 1 ? segments.join('.') : last,
      current[0]?.name ?? root.name,
    );
  const field = owner.fields.get(last.toLowerCase())!;
  reads.push({ object: owner, field });
  return { refs, field, object: owner, reads, text: segments.join('.') };
}

const segmentsOf = (ctx: FieldNameContext) => ctx.soqlId_list().map((s) => s.getText());

// ── values and comparison ───────────────────────────────────────────────────────────────────

function unescapeSoql(literal: string): string {
  return literal
    .slice(1, -1)
    .replace(/\\(.)/g, (_, c: string) =>
      c === 'n'
        ? '\n'
        : c === 't'
          ? '\t'
          : c === 'r'
            ? '\r'
            : c === 'b'
              ? '\b'
              : c === 'f'
                ? '\f'
                : c,
    );
}

function parseDatetimeLiteral(text: string): ApexDatetime {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i.exec(
    text,
  );
  if (!m) throw queryException(`invalid datetime: ${text}`);
  const ms = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  let offset = 0;
  if (m[8].toUpperCase() !== 'Z') {
    const sign = m[8][0] === '-' ? -1 : 1;
    const digits = m[8].slice(1).replace(':', '');
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
  }
  return new ApexDatetime(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms) - offset);
}

/** A date literal range: [start, end) in epoch days and epoch millis. */
interface DateRange {
  kind: 'range';
  startDay: number;
  endDay: number;
  startMillis: number;
  endMillis: number;
}

function dateRange(env: QueryEnv, startDay: number, endDay: number): DateRange {
  const zone = env.timeZone();
  const toInstant = (epochDay: number) => {
    const d = new ApexDate(epochDay);
    return instantOf(zone, d.year, d.month, d.day);
  };
  return {
    kind: 'range',
    startDay,
    endDay,
    startMillis: toInstant(startDay),
    endMillis: toInstant(endDay),
  };
}

function dateFormula(env: QueryEnv, text: string): DateRange {
  const p = zonedParts(env.now(), env.timeZone());
  const today = ApexDate.of(p.year, p.month, p.day).epochDay;
  const m = /^([A-Z_]+?)(?::(-?\d+))?$/i.exec(text);
  const name = (m?.[1] ?? text).toUpperCase();
  const n = m?.[2] !== undefined ? Number(m[2]) : 0;
  const monthStart = (y: number, mo: number) => {
    const date = new Date(Date.UTC(y, mo - 1, 1));
    return Math.floor(date.getTime() / 86400000);
  };
  switch (name) {
    case 'TODAY':
      return dateRange(env, today, today + 1);
    case 'YESTERDAY':
      return dateRange(env, today - 1, today);
    case 'TOMORROW':
      return dateRange(env, today + 1, today + 2);
    case 'LAST_N_DAYS':
      return dateRange(env, today - n, today + 1);
    case 'NEXT_N_DAYS':
      return dateRange(env, today + 1, today + n + 1);
    case 'N_DAYS_AGO':
      return dateRange(env, today - n, today - n + 1);
    case 'THIS_MONTH':
      return dateRange(env, monthStart(p.year, p.month), monthStart(p.year, p.month + 1));
    case 'LAST_MONTH':
      return dateRange(env, monthStart(p.year, p.month - 1), monthStart(p.year, p.month));
    case 'NEXT_MONTH':
      return dateRange(env, monthStart(p.year, p.month + 1), monthStart(p.year, p.month + 2));
    case 'THIS_YEAR':
      return dateRange(env, monthStart(p.year, 1), monthStart(p.year + 1, 1));
    case 'LAST_YEAR':
      return dateRange(env, monthStart(p.year - 1, 1), monthStart(p.year, 1));
    case 'NEXT_YEAR':
      return dateRange(env, monthStart(p.year + 1, 1), monthStart(p.year + 2, 1));
    default:
      throw new UnsupportedError(`SOQL date literal ${text}`);
  }
}

type Operand = Value | DateRange | Operand[];

/** Normalizes a bound or literal value to the field's type for comparison. */
function coerce(value: Value, field: FieldDef): Value {
  if (value === null) return null;
  if (value instanceof SObjectValue) {
    if (field.type === 'ID' || field.type === 'REFERENCE') return value.get('Id');
    throw queryException(
      `Invalid bind expression type of ${value.sobjectType} for column of type ${field.type}`,
    );
  }
  switch (field.type) {
    case 'ID':
    case 'REFERENCE': {
      if (value instanceof ApexId) return value;
      if (typeof value === 'string') {
        const id = normalizeId(value);
        if (id === null) throw queryException(`invalid ID field: ${value}`);
        return new ApexId(id);
      }
      throw queryException(`Invalid bind expression type for column of type Id`);
    }
    case 'DATE':
      if (value instanceof ApexDatetime)
        return new ApexDate(Math.floor(value.epochMillis / 86400000));
      return value;
    case 'DATETIME':
      if (value instanceof ApexDate) return new ApexDatetime(value.epochDay * 86400000);
      return value;
    default:
      if (value instanceof ApexId && isTextType(field.type)) return value.value;
      return value;
  }
}

/** Compares two values of a field's type: <0, 0, >0, or null when they cannot be ordered. */
function compare(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a instanceof ApexId && b instanceof ApexId)
    return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof ApexDate && b instanceof ApexDate) return a.epochDay - b.epochDay;
  if (a instanceof ApexDatetime && b instanceof ApexDatetime) return a.epochMillis - b.epochMillis;
  if (a instanceof ApexTime && b instanceof ApexTime) return a.millisOfDay - b.millisOfDay;
  return null;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]);
    else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, 'i');
}

const termsOf = (v: string) =>
  v
    .split(';')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
const sameTerms = (a: string, b: string) => {
  const x = termsOf(a).sort();
  const y = termsOf(b).sort();
  return x.length === y.length && x.every((t, i) => t === y[i]);
};

/** Bound collections become IN lists; anything else is a single value. */
function flattenBind(value: Value): Value[] {
  if (value instanceof ApexList) return value.items;
  if (value instanceof ApexSet) return value.values();
  if (value instanceof ApexMap) throw queryException('Invalid bind expression type of Map');
  return [value];
}

// ── the query run ───────────────────────────────────────────────────────────────────────────

type Predicate = (row: Row) => boolean;

interface Compiled {
  object: ObjectDef;
  where: Predicate | null;
  /** Index hint: a top-level `field = v` / `field IN (...)` conjunct. */
  hint: { field: string; keys: unknown[] } | null;
}

export class QueryRun {
  private readonly reads: { object: ObjectDef; field: FieldDef }[] = [];
  private readonly objectsRead = new Set<ObjectDef>();
  private readonly mode: AccessMode;
  private readonly securityEnforced: boolean;
  private readonly sharing: boolean;
  private access: UserAccess | null = null;
  private rowCount = 0;

  constructor(
    private readonly env: QueryEnv,
    private readonly tree: QueryContext,
    options: QueryOptions,
  ) {
    const withClause = tree.withClause();
    let mode = options.accessLevel;
    let securityEnforced = false;
    if (withClause) {
      if (withClause.USER_MODE()) mode = 'user';
      else if (withClause.SYSTEM_MODE()) mode = 'system';
      else if (withClause.SECURITY_ENFORCED()) securityEnforced = true;
      else throw new UnsupportedError(`SOQL ${withClause.getText()}`);
    }
    this.mode = mode;
    this.securityEnforced = securityEnforced;
    this.sharing = mode === 'user' || options.sharing !== 'without';
  }

  private get schema(): OrgSchema {
    return this.env.store.schema;
  }

  private user(): UserAccess {
    return (this.access ??= this.env.access());
  }

  private objectOf(from: FromNameListContext): ObjectDef {
    const names = from.fieldName_list();
    if (names.length !== 1 || segmentsOf(names[0]).length !== 1) {
      throw new UnsupportedError(`SOQL FROM ${from.getText()}`);
    }
    const name = segmentsOf(names[0])[0];
    const def = this.schema.get(name);
    if (!def) throw unknownObject(name);
    return def;
  }

  private path(def: ObjectDef, ctx: FieldNameContext): Path {
    const path = resolvePath(this.schema, def, segmentsOf(ctx));
    this.reads.push(...path.reads);
    return path;
  }

  /** Runs the query: a list of records, an Integer for COUNT(), or a list of AggregateResult. */
  run(): Value {
    const tree = this.tree;
    if (tree.usingScope()) throw new UnsupportedError('SOQL USING SCOPE');
    if (tree.UPDATE()) throw new UnsupportedError('SOQL UPDATE TRACKING / VIEWSTAT');
    const def = this.objectOf(tree.fromNameList());
    this.objectsRead.add(def);
    const entries = tree.selectList().selectEntry_list();
    const allRows = tree.allRowsClause() !== null;

    const isCountOnly =
      entries.length === 1 &&
      entries[0].soqlFunction()?.COUNT() !== null &&
      entries[0].soqlFunction()?.COUNT() !== undefined &&
      entries[0].soqlFunction()!.fieldName() === null;
    const aggregate =
      !isCountOnly && (tree.groupByClause() !== null || entries.some((e) => e.soqlFunction()));

    const compiled = this.compileWhere(def, tree.whereClause()?.whereLogicalExpression() ?? null);
    const order = tree.orderByClause()
      ? this.compileOrder(def, tree.orderByClause()!.fieldOrderList().fieldOrder_list())
      : [];
    const builders = isCountOnly || aggregate ? [] : entries.map((e) => this.compileEntry(def, e));
    const groupBy = aggregate ? this.compileAggregate(def, entries) : null;
    this.checkAccess();
    // A query of a custom metadata type counts toward the SOQL limit only when it reads a long
    // text area field (SEMANTICS LIM-04).
    const readsLongText = [...this.reads].some(({ field }) => field.longText);
    if (def.kind !== 'metadata' || readsLongText) this.env.governor.onQuery();

    let rows = this.scan(compiled, allRows);
    if (order.length) rows = sortRows(rows, order);
    const offset = this.intClause(
      tree.offsetClause()?.IntegerLiteral()?.getText(),
      tree.offsetClause()?.boundExpression(),
    );
    const limit = this.intClause(
      tree.limitClause()?.IntegerLiteral()?.getText(),
      tree.limitClause()?.boundExpression(),
    );

    if (isCountOnly) {
      let count = rows.length - (offset ?? 0);
      if (limit !== null) count = Math.min(count, limit);
      count = Math.max(count, 0);
      this.env.governor.onRows(count);
      return count;
    }
    if (groupBy) {
      const results = groupBy(rows);
      const sliced = results.slice(offset ?? 0, limit === null ? undefined : (offset ?? 0) + limit);
      this.env.governor.onRows(rows.length);
      return new ApexList(typeRef('AggregateResult'), sliced);
    }
    if (offset) rows = rows.slice(offset);
    if (limit !== null) rows = rows.slice(0, limit);
    const out = rows.map((row) => this.materialize(def, row, builders));
    this.rowCount += out.length;
    this.env.governor.onRows(this.rowCount);
    return new ApexList(typeRef(def.name), out);
  }

  private intClause(
    literal: string | undefined,
    bound: BoundExpressionContext | null | undefined,
  ): number | null {
    if (literal !== undefined) return Number(literal);
    if (!bound) return null;
    const value = this.env.bind(bound.expression().getText());
    if (typeof value !== 'number') throw queryException('LIMIT and OFFSET take an Integer');
    return value;
  }

  // ── rows ────────────────────────────────────────────────────────────────────────────────

  private tableRows(def: ObjectDef, allRows: boolean): Iterable<Row> {
    const derived = this.env.derivedRows(def);
    if (derived) return derived;
    if (!allRows) return this.env.store.rows(def);
    return [...this.env.store.rows(def), ...this.env.store.deletedRows(def)];
  }

  private scan(compiled: Compiled, allRows: boolean): Row[] {
    const def = compiled.object;
    let source: Iterable<Row>;
    if (compiled.hint && !allRows && !this.env.derivedRows(def)) {
      source = this.env.store.lookup(def, compiled.hint.field, compiled.hint.keys);
    } else {
      source = this.tableRows(def, allRows);
    }
    const out: Row[] = [];
    const visible = this.sharing ? this.user() : null;
    for (const row of source) {
      if (compiled.where && !compiled.where(row)) continue;
      if (visible && !visible.canSee(def, row)) continue;
      out.push(row);
    }
    return out;
  }

  /** The value at a path from a row; null when a reference on the way is empty. */
  private valueAt(row: Row, path: Path): Value {
    let current: Row | undefined = row;
    for (const ref of path.refs) {
      const target = this.parentRow(current!, ref);
      if (!target) return null;
      current = target.row;
    }
    return current!.get(path.field.name.toLowerCase()) ?? null;
  }

  private parentRow(row: Row, ref: FieldDef): { def: ObjectDef; row: Row } | undefined {
    const value = row.get(ref.name.toLowerCase()) ?? null;
    // FieldDefinition.EntityDefinitionId is text, not an Id: follow it by DurableId.
    if (ref.name === 'EntityDefinitionId' && typeof value === 'string') {
      const entity = this.schema.get('EntityDefinition')!;
      const found = byDurableId(this.env.derivedRows(entity) ?? []).get(value);
      return found ? { def: entity, row: found } : undefined;
    }
    const id = idText(value);
    if (!id) return undefined;
    const found = this.env.store.find(id);
    if (!found) return undefined;
    if (this.sharing && !this.user().canSee(found.def, found.row)) return undefined;
    return found;
  }

  // ── select ──────────────────────────────────────────────────────────────────────────────

  private compileEntry(
    def: ObjectDef,
    entry: SelectEntryContext | SubFieldEntryContext,
  ): (out: SObjectValue, row: Row) => void {
    if (entry.typeOf()) throw new UnsupportedError('SOQL TYPEOF');
    if (entry.soqlFunction())
      throw queryException('aggregate functions need GROUP BY or no other fields');
    const sub = entry.subQuery();
    if (sub) return this.compileChild(def, sub);
    const fieldCtx = entry.fieldName()!;
    const path = this.path(def, fieldCtx);
    return (out, row) => {
      let target = out;
      let current: Row | undefined = row;
      let currentDef = def;
      for (const ref of path.refs) {
        const rel = ref.relationshipName!;
        markQueried(target, rel);
        const parent: { def: ObjectDef; row: Row } | undefined = current
          ? this.parentRow(current, ref)
          : undefined;
        if (!parent) return;
        let nested = target.get(rel);
        if (!(nested instanceof SObjectValue)) {
          nested = new SObjectValue(parent.def.name);
          nested.set('Id', parent.row.get('id') ?? null);
          markQueried(nested, 'Id');
          target.set(rel, nested);
        }
        target = nested;
        current = parent.row;
        currentDef = parent.def;
      }
      const field = currentDef.fields.get(path.field.name.toLowerCase());
      markQueried(target, path.field.name);
      if (field) target.set(field.name, current!.get(field.name.toLowerCase()) ?? null);
    };
  }

  private compileChild(
    parent: ObjectDef,
    sub: SubQueryContext,
  ): (out: SObjectValue, row: Row) => void {
    const names = sub.fromNameList().fieldName_list();
    const relName =
      names.length === 1 ? segmentsOf(names[0]).join('.') : sub.fromNameList().getText();
    const rel = parent.childRelationships.get(relName.toLowerCase());
    if (!rel) throw badRelationship(relName);
    const child = this.schema.get(rel.object)!;
    this.objectsRead.add(child);
    const compiled = this.compileWhere(child, sub.whereClause()?.whereLogicalExpression() ?? null);
    const order = sub.orderByClause()
      ? this.compileOrder(child, sub.orderByClause()!.fieldOrderList().fieldOrder_list())
      : [];
    const builders = sub
      .subFieldList()
      .subFieldEntry_list()
      .map((e) => this.compileEntry(child, e));
    const limitText = sub.limitClause()?.IntegerLiteral()?.getText();
    const limitBound = sub.limitClause()?.boundExpression();
    const refField = rel.field.toLowerCase();
    return (out, row) => {
      const parentId = row.get('id') ?? null;
      let rows = this.env.store
        .lookup(child, refField, [indexKey(parentId, false)])
        .filter(
          (r) =>
            (!compiled.where || compiled.where(r)) &&
            (!this.sharing || this.user().canSee(child, r)),
        );
      if (order.length) rows = sortRows(rows, order);
      const limit = this.intClause(limitText, limitBound);
      if (limit !== null) rows = rows.slice(0, limit);
      this.rowCount += rows.length;
      const list = new ApexList(
        typeRef(child.name),
        rows.map((r) => this.materialize(child, r, builders)),
      );
      out.set(rel.name, list as unknown as Value);
      markQueried(out, rel.name);
    };
  }

  private materialize(
    def: ObjectDef,
    row: Row,
    builders: ((out: SObjectValue, row: Row) => void)[],
  ): SObjectValue {
    const out = new SObjectValue(def.name);
    out.set('Id', row.get('id') ?? null);
    out.queried = new Set(['id']);
    for (const build of builders) build(out, row);
    return out;
  }

  // ── where ───────────────────────────────────────────────────────────────────────────────

  private compileWhere(
    def: ObjectDef,
    expr: WhereLogicalExpressionContext | LogicalExpressionContext | null,
  ): Compiled {
    if (!expr) return { object: def, where: null, hint: null };
    const where = this.compileLogical(def, expr);
    return { object: def, where: where.predicate, hint: where.hint };
  }

  private compileLogical(
    def: ObjectDef,
    expr: WhereLogicalExpressionContext | LogicalExpressionContext,
  ): { predicate: Predicate; hint: Compiled['hint'] } {
    const parts =
      'whereConditionalExpression_list' in expr
        ? expr.whereConditionalExpression_list().map((c) => this.compileConditional(def, c))
        : expr.conditionalExpression_list().map((c) => this.compileConditional(def, c));
    if (expr.NOT()) {
      const inner = parts[0].predicate;
      return { predicate: (row) => !inner(row), hint: null };
    }
    if (expr.SOQLOR_list().length) {
      const preds = parts.map((p) => p.predicate);
      return { predicate: (row) => preds.some((p) => p(row)), hint: null };
    }
    if (parts.length === 1) return parts[0];
    const preds = parts.map((p) => p.predicate);
    return {
      predicate: (row) => preds.every((p) => p(row)),
      hint: parts.find((p) => p.hint)?.hint ?? null,
    };
  }

  private compileConditional(
    def: ObjectDef,
    // Both the WHERE and the WITH/HAVING variants of the rule have the same shape.
    c: {
      whereLogicalExpression?: () => WhereLogicalExpressionContext | null;
      logicalExpression?: () => LogicalExpressionContext | null;
      whereFieldExpression?: () => {
        fieldExpression(): ReturnType<ValueContext['getText']> extends string ? unknown : never;
      } | null;
      fieldExpression?: () => unknown;
      getText(): string;
    },
  ): { predicate: Predicate; hint: Compiled['hint'] } {
    const nested = c.whereLogicalExpression?.() ?? c.logicalExpression?.() ?? null;
    if (nested) return this.compileLogical(def, nested);
    const wfe = (c.whereFieldExpression?.() ?? null) as {
      fieldExpression(): unknown;
      FORMULA(): unknown;
    } | null;
    if (wfe?.FORMULA()) throw new UnsupportedError('SOQL FORMULA() in WHERE');
    const fe = (wfe ? wfe.fieldExpression() : c.fieldExpression?.()) as {
      fieldName(): FieldNameContext | null;
      soqlFunction(): SoqlFunctionContext | null;
      comparisonOperator(): { getText(): string; NOT(): unknown; IN(): unknown };
      value(): ValueContext;
    } | null;
    if (!fe) throw new UnsupportedError(`SOQL condition ${c.getText()}`);
    if (fe.soqlFunction())
      throw new UnsupportedError(`SOQL function in WHERE: ${fe.soqlFunction()!.getText()}`);
    const path = this.path(def, fe.fieldName()!);
    const op = fe.comparisonOperator().getText().toUpperCase();
    const operand = this.operand(path, fe.value());
    const predicate = this.comparison(path, op, operand);
    let hint: Compiled['hint'] = null;
    if (path.refs.length === 0 && (op === '=' || op === 'IN') && !(operand as DateRange)?.kind) {
      const values = Array.isArray(operand) ? (operand as Value[]) : [operand as Value];
      if (values.every((v) => !Array.isArray(v))) {
        hint = {
          field: path.field.name.toLowerCase(),
          keys: values.map((v) => indexKey(v, isTextType(path.field.type))),
        };
      }
    }
    return { predicate, hint };
  }

  private operand(path: Path, value: ValueContext): Operand {
    const field = path.field;
    if (value.NULL()) return null;
    if (value.BooleanLiteral()) return value.getText().toLowerCase() === 'true';
    if (value.StringLiteral()) return coerce(unescapeSoql(value.getText()), field);
    if (value.signedNumber()) {
      const text = value.getText();
      if (field.type === 'INTEGER' && /^[+-]?\d+$/.test(text)) return Number(text);
      return ApexDecimal.parse(text)!;
    }
    if (value.IntegerLiteral()) return ApexDecimal.parse(value.getText())!;
    if (value.DateLiteral()) {
      const [y, m, d] = value.getText().split('-').map(Number);
      return coerce(ApexDate.of(y, m, d), field);
    }
    if (value.DateTimeLiteral()) return coerce(parseDatetimeLiteral(value.getText()), field);
    if (value.dateFormula()) return dateFormula(this.env, value.dateFormula()!.getText());
    if (value.boundExpression()) {
      const bound = this.env.bind(value.boundExpression()!.expression().getText());
      if (bound instanceof ApexList || bound instanceof ApexSet)
        return flattenBind(bound).map((v) => coerce(v, field));
      return coerce(bound, field);
    }
    if (value.valueList())
      return value
        .valueList()!
        .value_list()
        .map((v) => this.operand(path, v) as Value);
    if (value.subQuery()) return this.semiJoin(value.subQuery()!).map((v) => coerce(v, field));
    throw new UnsupportedError(`SOQL value ${value.getText()}`);
  }

  /** `field IN (SELECT x FROM Y ...)`: the values of x. */
  private semiJoin(sub: SubQueryContext): Value[] {
    const def = this.objectOf(sub.fromNameList());
    this.objectsRead.add(def);
    const entries = sub.subFieldList().subFieldEntry_list();
    if (entries.length !== 1 || !entries[0].fieldName())
      throw queryException('a semi-join selects one field');
    const path = this.path(def, entries[0].fieldName()!);
    const compiled = this.compileWhere(def, sub.whereClause()?.whereLogicalExpression() ?? null);
    return this.scan(compiled, false).map((row) => this.valueAt(row, path));
  }

  private comparison(path: Path, op: string, operand: Operand): Predicate {
    const get = (row: Row) => this.valueAt(row, path);
    const text = isTextType(path.field.type);
    const equal = (a: Value, b: Value) => {
      if (a === null || b === null) return a === b;
      if (path.field.type === 'MULTIPICKLIST' && typeof a === 'string' && typeof b === 'string') {
        return sameTerms(a, b);
      }
      return compare(a, b) === 0;
    };
    if (
      operand !== null &&
      typeof operand === 'object' &&
      (operand as DateRange).kind === 'range'
    ) {
      const range = operand as DateRange;
      const datetime = path.field.type === 'DATETIME';
      const position = (v: Value): number | null => {
        if (v === null) return null;
        const x = datetime ? (v as ApexDatetime).epochMillis : (v as ApexDate).epochDay;
        const start = datetime ? range.startMillis : range.startDay;
        const end = datetime ? range.endMillis : range.endDay;
        return x < start ? -1 : x >= end ? 1 : 0;
      };
      return rangePredicate(op, (row) => position(get(row)));
    }
    switch (op) {
      case '=':
        return (row) => equal(get(row), operand as Value);
      case '!=':
      case '<>':
        return (row) => !equal(get(row), operand as Value);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return (row) => {
          const c = compare(get(row), operand as Value);
          if (c === null) return false;
          return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
        };
      case 'LIKE': {
        if (!text) throw queryException(`invalid operator on field ${path.text}: LIKE`);
        if (typeof operand !== 'string') return () => false;
        const re = likeToRegExp(operand);
        return (row) => {
          const v = get(row);
          return typeof v === 'string' && re.test(v);
        };
      }
      case 'IN':
      case 'NOTIN': {
        const list = (Array.isArray(operand) ? operand : [operand]) as Value[];
        const keys = new Set(list.map((v) => indexKey(v, text)));
        const has = (v: Value) =>
          path.field.type === 'MULTIPICKLIST'
            ? list.some((x) => equal(v, x))
            : keys.has(indexKey(v, text));
        return op === 'IN' ? (row) => get(row) !== null && has(get(row)) : (row) => !has(get(row));
      }
      case 'INCLUDES':
      case 'EXCLUDES': {
        const list = (Array.isArray(operand) ? operand : [operand]) as Value[];
        const includes = (v: Value) =>
          typeof v === 'string' &&
          list.some(
            (term) =>
              typeof term === 'string' && termsOf(term).every((t) => termsOf(v).includes(t)),
          );
        return op === 'INCLUDES' ? (row) => includes(get(row)) : (row) => !includes(get(row));
      }
      default:
        throw new UnsupportedError(`SOQL operator ${op}`);
    }
  }

  // ── order by ────────────────────────────────────────────────────────────────────────────

  private compileOrder(
    def: ObjectDef,
    items: ReturnType<
      NonNullable<ReturnType<QueryContext['orderByClause']>>['fieldOrderList']
    >['fieldOrder_list'] extends () => infer R
      ? R
      : never,
  ): OrderKey[] {
    return items.map((item) => {
      if (item.soqlFunction()) throw new UnsupportedError(`SOQL ORDER BY ${item.getText()}`);
      const path = this.path(def, item.fieldName()!);
      const desc = item.DESC() !== null;
      const nullsFirst = item.NULLS() ? item.FIRST() !== null : !desc;
      return { get: (row: Row) => this.valueAt(row, path), desc, nullsFirst };
    });
  }

  // ── aggregates ──────────────────────────────────────────────────────────────────────────

  private compileAggregate(
    def: ObjectDef,
    entries: SelectEntryContext[],
  ): (rows: Row[]) => SObjectValue[] {
    const group = this.tree.groupByClause();
    if (group?.ROLLUP() || group?.CUBE()) throw new UnsupportedError('SOQL GROUP BY ROLLUP/CUBE');
    if (group?.HAVING()) throw new UnsupportedError('SOQL HAVING');
    const groupPaths = (group?.fieldGroupByList().fieldGroupBy_list() ?? []).map((g) => {
      if (g.soqlFunction()) throw new UnsupportedError(`SOQL GROUP BY ${g.getText()}`);
      return this.path(def, g.fieldName()!);
    });
    let exprIndex = 0;
    const columns = entries.map((entry) => {
      const alias = entry.soqlId()?.getText();
      const fn = entry.soqlFunction();
      if (!fn) {
        const path = this.path(def, entry.fieldName()!);
        if (!groupPaths.some((g) => g.text.toLowerCase() === path.text.toLowerCase())) {
          throw queryException(`Field must be grouped or aggregated: ${path.field.name}`);
        }
        return {
          name: alias ?? path.field.name,
          value: (rows: Row[]) => this.valueAt(rows[0], path),
        };
      }
      const name = alias ?? `expr${exprIndex++}`;
      const kind = fn.COUNT()
        ? 'COUNT'
        : fn.COUNT_DISTINCT()
          ? 'COUNT_DISTINCT'
          : fn.SUM()
            ? 'SUM'
            : fn.AVG()
              ? 'AVG'
              : fn.MIN()
                ? 'MIN'
                : fn.MAX()
                  ? 'MAX'
                  : null;
      if (!kind || !fn.fieldName()) throw new UnsupportedError(`SOQL function ${fn.getText()}`);
      const path = this.path(def, fn.fieldName()!);
      return {
        name,
        value: (rows: Row[]) =>
          aggregateOf(
            kind,
            rows.map((r) => this.valueAt(r, path)),
          ),
      };
    });
    return (rows) => {
      const groups = new Map<string, Row[]>();
      if (!groupPaths.length) groups.set('', rows);
      else {
        for (const row of rows) {
          const key = groupPaths
            .map((p) => String(indexKey(this.valueAt(row, p), true)))
            .join('\u0000');
          const list = groups.get(key);
          if (list) list.push(row);
          else groups.set(key, [row]);
        }
      }
      return [...groups.values()].map((members) => {
        const out = new SObjectValue('AggregateResult');
        for (const column of columns) out.set(column.name, column.value(members));
        return out;
      });
    };
  }

  // ── user mode ───────────────────────────────────────────────────────────────────────────

  private checkAccess(): void {
    if (this.mode !== 'user' && !this.securityEnforced) return;
    const user = this.user();
    for (const def of this.objectsRead) {
      if (!user.canObject(def, 'Read')) throw unknownObject(def.name);
    }
    const denied = new Map<string, Set<string>>();
    for (const { object, field } of this.reads) {
      if (!user.canObject(object, 'Read') || !user.canField(object, field.name, false)) {
        const set = denied.get(object.name) ?? new Set<string>();
        set.add(field.name);
        denied.set(object.name, set);
      }
    }
    if (!denied.size) return;
    if (this.securityEnforced) {
      throw new InaccessibleQueryError(
        'Insufficient permissions: secure query included inaccessible field',
        denied,
      );
    }
    const [object, fields] = [...denied.entries()][0];
    const error = noSuchColumn([...fields][0], object);
    throw new InaccessibleQueryError(error.message, denied);
  }
}

interface OrderKey {
  get: (row: Row) => Value;
  desc: boolean;
  nullsFirst: boolean;
}

function sortRows(rows: Row[], keys: OrderKey[]): Row[] {
  const decorated = rows.map((row, index) => ({ row, index, values: keys.map((k) => k.get(row)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const x = a.values[i];
      const y = b.values[i];
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === keys[i].nullsFirst ? -1 : 1;
      }
      const c = compare(x, y) ?? 0;
      if (c !== 0) return keys[i].desc ? -c : c;
    }
    return a.index - b.index;
  });
  return decorated.map((d) => d.row);
}

function rangePredicate(op: string, position: (row: Row) => number | null): Predicate {
  return (row) => {
    const p = position(row);
    if (p === null) return op === '!=' || op === '<>';
    switch (op) {
      case '=':
        return p === 0;
      case '!=':
      case '<>':
        return p !== 0;
      case '<':
        return p < 0;
      case '<=':
        return p <= 0;
      case '>':
        return p > 0;
      case '>=':
        return p >= 0;
      default:
        throw new UnsupportedError(`SOQL operator ${op} with a date literal`);
    }
  };
}

function aggregateOf(kind: string, values: Value[]): Value {
  const present = values.filter((v) => v !== null);
  switch (kind) {
    case 'COUNT':
      return present.length;
    case 'COUNT_DISTINCT':
      return new Set(present.map((v) => indexKey(v, true))).size;
    case 'MIN':
    case 'MAX': {
      if (!present.length) return null;
      return present.reduce((best, v) => {
        const c = compare(v, best) ?? 0;
        return (kind === 'MIN' ? c < 0 : c > 0) ? v : best;
      });
    }
    case 'SUM':
    case 'AVG': {
      if (!present.length) return null;
      const sum = present.reduce<ApexDecimal>((acc, v) => {
        const d = decimalOf(v as number | bigint | ApexDouble | ApexDecimal);
        const scale = Math.max(acc.scale, d.scale);
        return new ApexDecimal(acc.withScale(scale).unscaled + d.withScale(scale).unscaled, scale);
      }, ApexDecimal.fromInteger(0));
      if (kind === 'SUM') return sum;
      return ApexDecimal.fromNumber(sum.toNumber() / present.length);
    }
    default:
      throw new UnsupportedError(`SOQL aggregate ${kind}`);
  }
}

function markQueried(target: SObjectValue, field: string): void {
  (target.queried ??= new Set()).add(field.toLowerCase());
}

/** Runs SOQL text: a list of records, an Integer for COUNT(), or AggregateResults. */
export function runQuery(env: QueryEnv, text: string, options: QueryOptions): Value {
  return new QueryRun(env, parseQuery(text), options).run();
}

/** The SObject type a query selects from (Database.query's result list type). */
export function queriedObject(schema: OrgSchema, text: string): ObjectDef {
  const from = parseQuery(text).fromNameList().fieldName_list()[0];
  const name = from ? segmentsOf(from)[0] : '';
  const def = schema.get(name);
  if (!def) throw unknownObject(name);
  return def;
}
