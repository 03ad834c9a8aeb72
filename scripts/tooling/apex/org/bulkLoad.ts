// Loads many records into the in-memory org at once, for benchmarks: no DML checks, triggers or
// per-row index updates (Store.insertMany drops the table's indexes, which are rebuilt on their
// next use). Rows get what insertSystem gives a platform-made record — field defaults, the
// system fields — with one shared value per system field, so a million rows stay lean.
import { ApexDatetime, ApexId, normalizeId, type Value } from '../values';
import type { FieldDef, ObjectDef } from './schema';
import type { OrgService } from './orgService';
import type { Row } from './store';
import { systemRow } from './dml';

/** One record: field API name (any case) → value; Id and reference fields may be given as text. */
export type BulkRecord = Readonly<Record<string, Value | undefined>>;

export interface BulkLoadOptions {
  /** CreatedDate and friends (default: now). */
  now?: number;
  /** CreatedById, LastModifiedById, OwnerId (default: the org's running user). */
  userId?: string;
}

/** Text Ids as ApexIds, one instance per Id (rows share them; stored values are never mutated). */
export class IdCache {
  private readonly ids = new Map<string, ApexId>();

  get(value: string): ApexId {
    let id = this.ids.get(value);
    if (!id) {
      const normal = normalizeId(value);
      if (!normal) throw new Error(`bulkLoad: not an Id: ${value}`);
      id = new ApexId(normal);
      this.ids.set(value, id);
    }
    return id;
  }
}

function isIdField(field: FieldDef): boolean {
  return field.type === 'ID' || field.type === 'REFERENCE';
}

/**
 * Stores `records` as rows of `objectName`; returns their Ids (18 characters), in order. Unknown
 * fields throw; values are stored as given, except Id and reference fields given as text.
 */
export function bulkLoad(
  org: OrgService,
  objectName: string,
  records: Iterable<BulkRecord>,
  options: BulkLoadOptions = {},
  ids: IdCache = new IdCache(),
): string[] {
  const found = org.schema.get(objectName);
  if (!found) throw new Error(`bulkLoad: no object ${objectName}`);
  const def: ObjectDef = found;
  const base = baseRow(def, options, org);
  const fields = new Map<string, FieldDef>();
  const fieldOf = (name: string): FieldDef => {
    let field = fields.get(name);
    if (!field) {
      field = def.fields.get(name.toLowerCase());
      if (!field) throw new Error(`bulkLoad: no field ${def.name}.${name}`);
      fields.set(name, field);
    }
    return field;
  };
  const out: string[] = [];
  function* rows(): Iterable<Row> {
    for (const record of records) {
      const row = new Map(base);
      for (const [name, value] of Object.entries(record)) {
        if (value === undefined) continue;
        const field = fieldOf(name);
        row.set(
          field.name.toLowerCase(),
          typeof value === 'string' && isIdField(field) ? ids.get(value) : value,
        );
      }
      let id = row.get('id');
      if (!(id instanceof ApexId)) {
        id = new ApexId(org.store.newId(def));
        row.set('id', id);
      }
      out.push(id.value);
      yield row;
    }
  }
  org.store.insertMany(def, rows());
  return out;
}

/** Defaults and system fields, as Dml.insertSystem fills them. */
function baseRow(def: ObjectDef, options: BulkLoadOptions, org: OrgService): Map<string, Value> {
  return systemRow(
    def,
    new ApexDatetime(options.now ?? Date.now()),
    new ApexId(options.userId ?? org.runningUserId()),
  );
}
