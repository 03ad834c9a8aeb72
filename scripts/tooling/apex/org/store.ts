// The records of the in-memory org: one table per object, rows keyed by their 18-character Id, with
// equality indexes built on demand (SOQL uses them for `field = x` and `field IN :list`).
// Snapshots (test isolation, savepoints) are copy-on-write per table: taking one is O(tables), and
// the first write to a table after it copies that table's row map once.
import { ApexDecimal, ApexDouble, ApexId, keyOf, normalizeId, type Value } from '../values';
import { isTextType, type ObjectDef, type OrgSchema } from './schema';

/** A stored record: lower-case field name → value. Rows are replaced, never mutated, once stored. */
export type Row = ReadonlyMap<string, Value>;

interface Table {
  readonly def: ObjectDef;
  rows: Map<string, Row>;
  /** Deleted rows (the recycle bin), for ALL ROWS and undelete. */
  deleted: Map<string, Row>;
  /** The maps above are shared with a snapshot: copy before writing. */
  shared: boolean;
  /** lower-case field → index key → ids. */
  indexes: Map<string, Map<unknown, Set<string>>>;
}

/** A frozen copy of the data (not of Id counters: Ids are never reused, as on the platform). */
export interface StoreState {
  readonly tables: ReadonlyMap<string, { rows: Map<string, Row>; deleted: Map<string, Row> }>;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The key an index files a value under: text without case, Ids by their 18 characters. */
export function indexKey(value: Value, textual: boolean): unknown {
  if (value === null) return null;
  if (typeof value === 'string') return textual ? `s:${value.toLowerCase()}` : `s:${value}`;
  if (value instanceof ApexId) return `i:${value.value}`;
  if (value instanceof ApexDouble) return keyOf(ApexDecimal.fromNumber(value.value));
  return keyOf(value);
}

export class Store {
  private readonly tables = new Map<string, Table>();
  private readonly counters = new Map<string, number>();
  /** id → lower-case object name, for every live or deleted row. */
  private readonly owners = new Map<string, string>();

  constructor(readonly schema: OrgSchema) {}

  private table(def: ObjectDef): Table {
    const key = def.name.toLowerCase();
    let table = this.tables.get(key);
    if (!table) {
      table = { def, rows: new Map(), deleted: new Map(), shared: false, indexes: new Map() };
      this.tables.set(key, table);
    }
    return table;
  }

  private writable(def: ObjectDef): Table {
    const table = this.table(def);
    if (table.shared) {
      table.rows = new Map(table.rows);
      table.deleted = new Map(table.deleted);
      table.shared = false;
    }
    return table;
  }

  /** A new 18-character Id with the object's key prefix; the counter never goes back. */
  newId(def: ObjectDef): string {
    const prefix = def.keyPrefix ?? '000';
    const next = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, next);
    let n = next;
    let digits = '';
    for (let i = 0; i < 9; i++) {
      digits = BASE62[n % 62] + digits;
      n = Math.floor(n / 62);
    }
    // Characters 4-6 are the pod/instance part of a real Id; a fixed '000' stands in.
    return normalizeId(`${prefix}000${digits}`)!;
  }

  /** The object and row of a live record. */
  find(id: string): { def: ObjectDef; row: Row } | undefined {
    const owner = this.owners.get(id);
    if (!owner) return undefined;
    const table = this.tables.get(owner)!;
    const row = table.rows.get(id);
    return row ? { def: table.def, row } : undefined;
  }

  /** A deleted (recycle bin) record. */
  findDeleted(id: string): { def: ObjectDef; row: Row } | undefined {
    const owner = this.owners.get(id);
    if (!owner) return undefined;
    const table = this.tables.get(owner)!;
    const row = table.deleted.get(id);
    return row ? { def: table.def, row } : undefined;
  }

  /** Live rows of an object, in insertion order. */
  rows(def: ObjectDef): Iterable<Row> {
    return this.table(def).rows.values();
  }

  deletedRows(def: ObjectDef): Iterable<Row> {
    return this.table(def).deleted.values();
  }

  count(def: ObjectDef): number {
    return this.table(def).rows.size;
  }

  /** Rows whose field equals one of the keys (index keys, see indexKey). */
  lookup(def: ObjectDef, field: string, keys: Iterable<unknown>): Row[] {
    const table = this.table(def);
    const index = this.index(table, field.toLowerCase());
    const out: Row[] = [];
    const seen = new Set<string>();
    for (const key of keys) {
      for (const id of index.get(key) ?? []) {
        if (seen.has(id)) continue;
        seen.add(id);
        out.push(table.rows.get(id)!);
      }
    }
    // Keep insertion order, as a scan would.
    if (out.length > 1) {
      const order = new Map<string, number>();
      let i = 0;
      for (const id of table.rows.keys()) {
        if (seen.has(id)) order.set(id, i++);
        if (order.size === seen.size) break;
      }
      out.sort((a, b) => order.get(idOf(a))! - order.get(idOf(b))!);
    }
    return out;
  }

  private index(table: Table, field: string): Map<unknown, Set<string>> {
    let index = table.indexes.get(field);
    if (index) return index;
    index = new Map();
    const textual = isTextType(table.def.fields.get(field)?.type ?? 'ID');
    for (const [id, row] of table.rows)
      addToIndex(index, indexKey(row.get(field) ?? null, textual), id);
    table.indexes.set(field, index);
    return index;
  }

  private reindex(table: Table, id: string, before: Row | undefined, after: Row | undefined): void {
    for (const [field, index] of table.indexes) {
      const textual = isTextType(table.def.fields.get(field)?.type ?? 'ID');
      if (before) {
        const key = indexKey(before.get(field) ?? null, textual);
        const ids = index.get(key);
        ids?.delete(id);
        if (ids && ids.size === 0) index.delete(key);
      }
      if (after) addToIndex(index, indexKey(after.get(field) ?? null, textual), id);
    }
  }

  /** Stores a new row (no checks: the DML layer validated it). */
  insert(def: ObjectDef, row: Row): void {
    const table = this.writable(def);
    const id = idOf(row);
    table.rows.set(id, row);
    this.owners.set(id, def.name.toLowerCase());
    this.reindex(table, id, undefined, row);
  }

  /**
   * Stores many new rows at once (bulkLoad.ts; no checks). The table's indexes are dropped and
   * rebuilt on their next use, instead of being updated row by row. Returns the number stored.
   */
  insertMany(def: ObjectDef, rows: Iterable<Row>): number {
    const table = this.writable(def);
    const owner = def.name.toLowerCase();
    let stored = 0;
    for (const row of rows) {
      const id = idOf(row);
      table.rows.set(id, row);
      this.owners.set(id, owner);
      stored++;
    }
    table.indexes.clear();
    return stored;
  }

  /** Replaces a live row. */
  replace(def: ObjectDef, row: Row): void {
    const table = this.writable(def);
    const id = idOf(row);
    const before = table.rows.get(id);
    if (!before) throw new Error(`store: no ${def.name} row ${id}`);
    table.rows.set(id, row);
    this.reindex(table, id, before, row);
  }

  /** Moves a row to the recycle bin (or drops it when `hard`). */
  remove(def: ObjectDef, id: string, hard = false): void {
    const table = this.writable(def);
    const before = table.rows.get(id);
    if (!before) return;
    table.rows.delete(id);
    if (!hard) table.deleted.set(id, withField(before, 'isdeleted', true));
    this.reindex(table, id, before, undefined);
  }

  /** Brings a row back from the recycle bin. */
  restoreDeleted(def: ObjectDef, id: string): Row | undefined {
    const table = this.writable(def);
    const row = table.deleted.get(id);
    if (!row) return undefined;
    table.deleted.delete(id);
    const live = withField(row, 'isdeleted', false);
    table.rows.set(id, live);
    this.reindex(table, id, undefined, live);
    return live;
  }

  snapshot(): StoreState {
    const tables = new Map<string, { rows: Map<string, Row>; deleted: Map<string, Row> }>();
    for (const [name, table] of this.tables) {
      table.shared = true;
      tables.set(name, { rows: table.rows, deleted: table.deleted });
    }
    return { tables };
  }

  restore(state: StoreState): void {
    for (const [name, table] of this.tables) {
      const saved = state.tables.get(name);
      table.rows = saved ? saved.rows : new Map();
      table.deleted = saved ? saved.deleted : new Map();
      table.shared = true;
      table.indexes.clear();
      for (const id of table.rows.keys()) this.owners.set(id, name);
      for (const id of table.deleted.keys()) this.owners.set(id, name);
    }
  }
}

function addToIndex(index: Map<unknown, Set<string>>, key: unknown, id: string): void {
  let ids = index.get(key);
  if (!ids) index.set(key, (ids = new Set()));
  ids.add(id);
}

export function idOf(row: Row): string {
  const id = row.get('id');
  if (!(id instanceof ApexId)) throw new Error('store: row without Id');
  return id.value;
}

export function withField(row: Row, field: string, value: Value): Row {
  const next = new Map(row);
  next.set(field, value);
  return next;
}
