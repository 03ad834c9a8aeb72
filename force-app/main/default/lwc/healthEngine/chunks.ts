/**
 * Facts for a chunked evaluation (ENGINE.md): the shared part every chunk holds, and one
 * slice of the per-object lists. The unit is the object (its name in lower case): every
 * reference, schema entry, object-permission row and field-permission row of one object goes
 * to the same chunk, so each read group, field view and readable field is whole in one chunk.
 */
import { PREDICATE_OBJECT, predicateFieldKeys } from './accessFacts';
import type { AssetReference, OrgFacts, SObjectInfo } from './orgFacts';

/** The object of a field-permission row ("Object.Field"), in lower case. */
export function fieldObjectKey(field: string): string {
  const dot = field.indexOf('.');
  return dot < 0 ? '' : field.slice(0, dot).toLowerCase();
}

/**
 * Every object the per-object lists name (lower case), in order of first mention: references,
 * then schema, object permissions, field permissions. The units to share out among chunks.
 */
export function chunkObjectKeys(facts: OrgFacts): string[] {
  const keys = new Set<string>();
  for (const reference of facts.analytics?.references ?? []) {
    keys.add(reference.object.toLowerCase());
  }
  for (const object of facts.schema?.objects ?? []) keys.add(object.name.toLowerCase());
  for (const row of facts.objectPermissions) keys.add(row.object.toLowerCase());
  for (const row of facts.fieldPermissions) keys.add(fieldObjectKey(row.field));
  return [...keys];
}

/**
 * The facts without the per-object lists: what the core and the assembly read. The only rows
 * kept are those of the User fields security predicates read (and those fields' descriptions):
 * AH027 runs in the core on them (v1.1), and they are few.
 */
export function sharedFacts(facts: OrgFacts): OrgFacts {
  const predicateFields = predicateFieldKeys(facts);
  const userKey = PREDICATE_OBJECT.toLowerCase();
  const isPredicateField = (field: string) =>
    fieldObjectKey(field) === userKey &&
    predicateFields.has(field.slice(field.indexOf('.') + 1).toLowerCase());
  const predicateObjects: SObjectInfo[] = [];
  if (predicateFields.size > 0) {
    for (const object of facts.schema?.objects ?? []) {
      if (object.name.toLowerCase() !== userKey) continue;
      const fields = object.fields.filter((f) => predicateFields.has(f.name.toLowerCase()));
      predicateObjects.push({ ...object, fields });
    }
  }
  return {
    ...facts,
    objectPermissions: [],
    fieldPermissions:
      predicateFields.size === 0
        ? []
        : facts.fieldPermissions.filter((r) => isPredicateField(r.field)),
    schema: facts.schema === null ? null : { objects: predicateObjects },
    analytics: facts.analytics === null ? null : { ...facts.analytics, references: [] },
  };
}

export interface FactsSlice {
  /** The shared facts plus the objects' references, schema and permission rows, in list order. */
  facts: OrgFacts;
  /** Each kept reference's position in the whole references list (ChunkPart.referencePositions). */
  referencePositions: number[];
}

/** The shared facts plus everything about the given objects (lower-case names). */
export function sliceFacts(facts: OrgFacts, objects: ReadonlySet<string>): FactsSlice {
  const referencePositions: number[] = [];
  const references: AssetReference[] = [];
  (facts.analytics?.references ?? []).forEach((reference, index) => {
    if (!objects.has(reference.object.toLowerCase())) return;
    references.push(reference);
    referencePositions.push(index);
  });
  return {
    facts: {
      ...facts,
      objectPermissions: facts.objectPermissions.filter((r) => objects.has(r.object.toLowerCase())),
      fieldPermissions: facts.fieldPermissions.filter((r) => objects.has(fieldObjectKey(r.field))),
      schema:
        facts.schema === null
          ? null
          : { objects: facts.schema.objects.filter((o) => objects.has(o.name.toLowerCase())) },
      analytics: facts.analytics === null ? null : { ...facts.analytics, references },
    },
    referencePositions,
  };
}
