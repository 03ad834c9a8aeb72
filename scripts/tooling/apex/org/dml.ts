// DML over the store: insert, update, upsert, delete, undelete with the platform's row checks
// (required fields, types, lengths, restricted picklists, unique fields, references, validation
// rules), user-mode object and field permissions, sharing on update/delete, and the side effects
// the package relies on (a User gets its UserLogin and profile permission set assignment; a
// ContentVersion creates its ContentDocument and links it to FirstPublishLocationId; deleting a
// ContentDocument deletes its versions and links; deleting a record clears lookups to it).
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexError,
  ApexId,
  ApexTime,
  SObjectValue,
  normalizeId,
  typeName,
  runtimeType,
  type Value,
} from '../values';
import type { UserAccess } from './access';
import { evaluateFormula } from './formula';
import { isTextType, type FieldDef, type ObjectDef } from './schema';
import type { AccessMode, SharingMode } from './soql';
import { idOf, indexKey, type Row, type Store } from './store';

export type DmlOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'undelete';

export interface DmlOptions {
  accessLevel: AccessMode;
  sharing: SharingMode;
  /** false: Database.insert(records, false) — failing rows are reported, the others saved. */
  allOrNone: boolean;
  /** Upsert's matching field (null: Id). */
  externalIdField?: string | null;
}

export interface DmlRowError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface DmlRowResult {
  id: string | null;
  success: boolean;
  /** Upsert: whether the row was inserted. */
  created: boolean;
  errors: DmlRowError[];
}

/** System.DmlException with the per-row failures (getDmlType, getDmlMessage, getDmlFields, ...). */
export class DmlError extends ApexError {
  constructor(
    message: string,
    readonly failures: (DmlRowError & { index: number; id: string | null })[],
  ) {
    super('System.DmlException', message);
  }
}

export const sobjectException = (message: string) =>
  new ApexError('System.SObjectException', message);

/**
 * What one mixed-DML scope (a transaction, or a System.runAs block in a test) has written: the
 * first setup and the first non-setup object (SEMANTICS.md SQL-10).
 */
export interface MixedDmlScope {
  setup: string | null;
  other: string | null;
}

/**
 * Setup objects: DML on them can't be mixed with DML on other objects in one transaction
 * (Apex Developer Guide, "sObjects That Can't Be Used Together in DML Operations"). Group and
 * User have exceptions (see mixedKind).
 */
const SETUP_OBJECTS = new Set(
  [
    'AuthSession',
    'ContentWorkspace',
    'FieldPermissions',
    'ForecastingShare',
    'Group',
    'GroupMember',
    'ObjectPermissions',
    'ObjectTerritory2AssignmentRule',
    'ObjectTerritory2AssignmentRuleItem',
    'PermissionSet',
    'PermissionSetAssignment',
    'QueueSObject',
    'RuleTerritory2Association',
    'SetupEntityAccess',
    'Territory',
    'Territory2',
    'Territory2Model',
    'UserTerritory2Association',
    'User',
    'UserRole',
  ].map((n) => n.toLowerCase()),
);

/** A User update is setup DML only when it changes one of these fields (same page). */
const USER_SETUP_FIELDS = [
  'userroleid',
  'isactive',
  'forecastenabled',
  'isportalenabled',
  'username',
  'profileid',
];

/** What DML needs from the org. */
export interface DmlEnv {
  readonly store: Store;
  now(): number;
  userId(): string;
  organizationId(): string;
  access(): UserAccess;
  /** Next auto-number for an object (never rolled back). */
  nextAutoNumber(def: ObjectDef): number;
}

const CAPITALIZED: Record<DmlOperation, string> = {
  insert: 'Insert',
  update: 'Update',
  upsert: 'Upsert',
  delete: 'Delete',
  undelete: 'Undelete',
};

const rowError = (statusCode: string, message: string, fields: string[] = []): DmlRowError => ({
  statusCode,
  message,
  fields,
});

const idText = (v: Value): string | null => (v instanceof ApexId ? v.value : null);

/** One row's failure, caught per row. */
class RowFailure extends Error {
  constructor(readonly error: DmlRowError) {
    super(error.message);
  }
}

/** A value converted to what the field stores, or an error message ('Illegal assignment …'). */
export function fieldValue(_def: ObjectDef, field: FieldDef, value: Value): Value {
  if (value === null) return null;
  const illegal = () =>
    sobjectException(
      `Illegal assignment from ${typeName(runtimeType(value))} to ${apexTypeOfField(field)}`,
    );
  switch (field.type) {
    case 'ID':
    case 'REFERENCE': {
      if (value instanceof ApexId) return value;
      if (typeof value === 'string') {
        const id = normalizeId(value);
        if (id === null) throw new ApexError('System.StringException', `Invalid id: ${value}`);
        return new ApexId(id);
      }
      throw illegal();
    }
    case 'BOOLEAN':
      if (typeof value === 'boolean') return value;
      throw illegal();
    case 'INTEGER':
      if (typeof value === 'number') return value;
      throw illegal();
    case 'LONG':
      if (typeof value === 'bigint' || typeof value === 'number') return BigInt(value);
      throw illegal();
    case 'DOUBLE':
    case 'CURRENCY':
    case 'PERCENT':
      // Number fields hold Decimals (SEMANTICS.md NUM-17).
      if (value instanceof ApexDecimal) return value;
      if (typeof value === 'number' || typeof value === 'bigint')
        return ApexDecimal.fromInteger(value);
      if (value instanceof ApexDouble) return ApexDecimal.fromNumber(value.value);
      throw illegal();
    case 'DATE':
      if (value instanceof ApexDate) return value;
      throw illegal();
    case 'DATETIME':
      if (value instanceof ApexDatetime) return value;
      throw illegal();
    case 'TIME':
      if (value instanceof ApexTime) return value;
      throw illegal();
    case 'BASE64':
      if (value instanceof ApexBlob) return value;
      throw illegal();
    default:
      if (typeof value === 'string') return value;
      if (value instanceof ApexId && isTextType(field.type)) return value.value;
      throw illegal();
  }
}

export function apexTypeOfField(field: FieldDef): string {
  switch (field.type) {
    case 'ID':
    case 'REFERENCE':
      return 'Id';
    case 'BOOLEAN':
      return 'Boolean';
    case 'INTEGER':
      return 'Integer';
    case 'LONG':
      return 'Long';
    case 'DOUBLE':
    case 'CURRENCY':
    case 'PERCENT':
      return 'Decimal';
    case 'DATE':
      return 'Date';
    case 'DATETIME':
      return 'Datetime';
    case 'TIME':
      return 'Time';
    case 'BASE64':
      return 'Blob';
    default:
      return 'String';
  }
}

/** The fields a record carries for DML: plain fields only (relationship objects are skipped). */
function writtenFields(def: ObjectDef, record: SObjectValue): [FieldDef, Value][] {
  const out: [FieldDef, Value][] = [];
  for (const [key, [spelled, value]] of record.fields) {
    const field = def.fields.get(key);
    if (!field) {
      if (def.relationships.has(key) || def.childRelationships.has(key)) continue;
      throw sobjectException(`Invalid field ${spelled} for ${def.name}`);
    }
    out.push([field, value]);
  }
  return out;
}

export class Dml {
  constructor(private readonly env: DmlEnv) {}

  private get schema() {
    return this.env.store.schema;
  }

  run(
    op: DmlOperation,
    records: SObjectValue[],
    options: DmlOptions,
    mixed: MixedDmlScope | null = null,
  ): DmlRowResult[] {
    const userMode = options.accessLevel === 'user';
    const sharing = userMode || options.sharing !== 'without';
    const access = userMode || sharing ? this.env.access() : null;
    const defs = records.map((r) => {
      const def = this.schema.get(r.sobjectType);
      if (!def) throw sobjectException(`Invalid sObject type: ${r.sobjectType}`);
      return def;
    });
    if (userMode) this.checkObjectAccess(op, records, defs, access!);

    const results: DmlRowResult[] = records.map(() => ({
      id: null,
      success: true,
      created: false,
      errors: [],
    }));
    const pending: (() => void)[] = [];
    const batchUnique = new Map<string, string>();
    // Mixed DML: a row's kind is checked against what the scope (and earlier rows) wrote.
    const seen: MixedDmlScope = mixed ? { ...mixed } : { setup: null, other: null };
    const kinds = records.map((record, index) =>
      mixed ? this.mixedKind(op, defs[index], record) : null,
    );
    records.forEach((record, index) => {
      const def = defs[index];
      const result = results[index];
      const kind = kinds[index];
      if (kind) {
        const original = kind === 'setup' ? seen.other : seen.setup;
        if (original !== null) {
          result.success = false;
          result.id = op === 'insert' ? null : idText(record.get('Id'));
          result.errors.push(
            rowError(
              'MIXED_DML_OPERATION',
              `DML operation on setup object is not permitted after you have updated a non-setup object (or vice versa): ${def.name}, original object: ${original}`,
            ),
          );
          kinds[index] = null;
          return;
        }
        seen[kind] ??= def.name;
      }
      try {
        const action = this.prepare(
          op,
          def,
          record,
          options,
          sharing ? access : null,
          batchUnique,
          result,
        );
        if (result.errors.length) result.success = false;
        else if (action) pending.push(action);
      } catch (e) {
        if (e instanceof RowFailure) {
          result.success = false;
          result.errors.push(e.error);
        } else throw e;
      }
    });
    const failed = results.findIndex((r) => !r.success);
    if (failed >= 0 && options.allOrNone) {
      const first = results[failed].errors[0];
      const failures = results.flatMap((r, index) =>
        r.errors.length ? [{ ...r.errors[0], index, id: r.id }] : [],
      );
      throw new DmlError(
        `${CAPITALIZED[op]} failed. First exception on row ${failed}${results[failed].id ? ` with id ${results[failed].id}` : ''}; first error: ${first.statusCode}, ${first.message}: [${first.fields.join(', ')}]`,
        failures,
      );
    }
    for (const action of pending) action();
    if (mixed) {
      records.forEach((_, index) => {
        const kind = kinds[index];
        if (kind && results[index].success) mixed[kind] ??= defs[index].name;
      });
    }
    return results;
  }

  /**
   * Whether a row's DML is setup DML ('setup'), other DML ('other'), or may mix with both (null):
   * a Group may be inserted and updated with other objects, and a User updated when none of
   * USER_SETUP_FIELDS changes.
   */
  private mixedKind(
    op: DmlOperation,
    def: ObjectDef,
    record: SObjectValue,
  ): 'setup' | 'other' | null {
    const name = def.name.toLowerCase();
    if (!SETUP_OBJECTS.has(name)) return 'other';
    if (name === 'group') return op === 'delete' || op === 'undelete' ? 'setup' : null;
    if (name === 'user' && (op === 'update' || op === 'upsert')) {
      const id = idText(record.get('Id'));
      const found = id ? this.env.store.find(id) : undefined;
      if (!found || found.def !== def) return op === 'upsert' ? 'setup' : null;
      const changes = USER_SETUP_FIELDS.some((key) => {
        const written = record.fields.get(key);
        const field = def.fields.get(key);
        if (!written || !field) return false;
        let value: Value;
        try {
          value = fieldValue(def, field, written[1]);
        } catch {
          return false; // the row fails on its own
        }
        return !sameValue(found.row.get(key) ?? null, value);
      });
      return changes ? 'setup' : null;
    }
    return 'setup';
  }

  private checkObjectAccess(
    op: DmlOperation,
    records: SObjectValue[],
    defs: ObjectDef[],
    access: UserAccess,
  ): void {
    const seen = new Set<ObjectDef>();
    records.forEach((record, i) => {
      const def = defs[i];
      const needed =
        op === 'insert'
          ? ['Create']
          : op === 'update'
            ? ['Edit']
            : op === 'upsert'
              ? ['Create', 'Edit']
              : op === 'delete'
                ? ['Delete']
                : ['Delete'];
      if (!seen.has(def)) {
        seen.add(def);
        for (const p of needed) {
          if (!access.canObject(def, p as 'Create')) {
            throw new ApexError(
              'System.SecurityException',
              `DML operation ${op.toUpperCase()} not allowed on ${def.name}`,
            );
          }
        }
      }
      if (op === 'insert' || op === 'update' || op === 'upsert') {
        for (const [field] of writtenFields(def, record)) {
          if (field.name === 'Id' || !field.permissionable) continue;
          if (!access.canField(def, field.name, true)) {
            throw new ApexError(
              'System.SecurityException',
              `Operation failed due to fields being inaccessible on Sobject ${def.name}, check errors on Exception or Result!`,
            );
          }
        }
      }
    });
  }

  /** Validates one record and returns the write to perform (run only if the whole call may proceed). */
  private prepare(
    op: DmlOperation,
    def: ObjectDef,
    record: SObjectValue,
    options: DmlOptions,
    sharing: UserAccess | null,
    batchUnique: Map<string, string>,
    result: DmlRowResult,
  ): (() => void) | null {
    const store = this.env.store;
    const recordId = idText(record.get('Id'));
    if (op === 'delete' || op === 'undelete') {
      if (!recordId)
        throw new RowFailure(rowError('MISSING_ARGUMENT', 'Id not specified in a delete call'));
      result.id = recordId;
      if (op === 'undelete') {
        if (!store.findDeleted(recordId)) {
          throw new RowFailure(rowError('UNDELETE_FAILED', 'Entity is not in the recycle bin'));
        }
        return () => store.restoreDeleted(def, recordId);
      }
      if (!def.deletable)
        throw new RowFailure(
          rowError('INVALID_TYPE_FOR_OPERATION', `entity type ${def.name} does not support delete`),
        );
      const found = store.find(recordId);
      if (!found) throw new RowFailure(rowError('ENTITY_IS_DELETED', 'entity is deleted'));
      if (sharing && !sharing.canEdit(found.def, found.row)) {
        throw new RowFailure(
          rowError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id'),
        );
      }
      return () => this.deleteCascade(found.def, recordId);
    }

    let existing: Row | undefined;
    if (op === 'update' || (op === 'upsert' && recordId)) {
      if (!recordId)
        throw new RowFailure(rowError('MISSING_ARGUMENT', 'Id not specified in an update call'));
      const found = store.find(recordId);
      if (!found || found.def !== def) {
        if (op === 'update' || found)
          throw new RowFailure(
            rowError(
              store.findDeleted(recordId) ? 'ENTITY_IS_DELETED' : 'INVALID_CROSS_REFERENCE_KEY',
              store.findDeleted(recordId) ? 'entity is deleted' : 'invalid cross reference id',
            ),
          );
      }
      existing = found?.row;
    } else if (op === 'upsert') {
      const keyField = options.externalIdField
        ? def.fields.get(options.externalIdField.toLowerCase())
        : undefined;
      if (options.externalIdField && !keyField)
        throw sobjectException(`Invalid field ${options.externalIdField} for ${def.name}`);
      if (keyField) {
        const key = record.get(keyField.name);
        if (key !== null) {
          const matches = store
            .lookup(def, keyField.name, [indexKey(key, isTextType(keyField.type))])
            .filter(
              (row) => !keyField.caseSensitive || row.get(keyField.name.toLowerCase()) === key,
            );
          if (matches.length > 1) {
            throw new RowFailure(
              rowError(
                'DUPLICATE_EXTERNAL_ID',
                `${keyField.label}: more than one record found for external id field: [${matches.map(idOf).join(', ')}]`,
                [keyField.name],
              ),
            );
          }
          existing = matches[0];
        }
      }
    } else if (recordId) {
      throw new RowFailure(
        rowError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']),
      );
    }

    if (existing) {
      if (!def.updateable)
        throw new RowFailure(
          rowError('INVALID_TYPE_FOR_OPERATION', `entity type ${def.name} does not support update`),
        );
      if (sharing && !sharing.canEdit(def, existing)) {
        throw new RowFailure(
          rowError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id'),
        );
      }
      const row = this.updatedRow(def, existing, record);
      this.checkRow(def, row, existing, batchUnique);
      result.id = idOf(row);
      result.created = false;
      return () => {
        store.replace(def, row);
        record.set('Id', row.get('id') ?? null);
      };
    }
    if (!def.createable)
      throw new RowFailure(
        rowError('INVALID_TYPE_FOR_OPERATION', `entity type ${def.name} does not support insert`),
      );
    const row = this.newRow(def, record);
    this.checkRow(def, row, undefined, batchUnique);
    result.created = op === 'upsert';
    return () => {
      const id = store.newId(def);
      const stored = new Map(row);
      stored.set('id', new ApexId(id));
      this.finishInsert(def, stored);
      store.insert(def, stored);
      this.afterInsert(def, stored);
      record.set('Id', new ApexId(id));
      result.id = id;
    };
  }

  private newRow(def: ObjectDef, record: SObjectValue): Map<string, Value> {
    const row = new Map<string, Value>();
    for (const field of def.fields.values()) {
      if (field.defaultValue !== undefined) row.set(field.name.toLowerCase(), field.defaultValue);
    }
    for (const [field, value] of writtenFields(def, record)) {
      if (field.name === 'Id') continue;
      if (!field.createable) {
        if (value === null) continue;
        throw new RowFailure(
          rowError(
            'INVALID_FIELD_FOR_INSERT_UPDATE',
            `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
            [field.name],
          ),
        );
      }
      const stored = fieldValue(def, field, value);
      row.set(
        field.name.toLowerCase(),
        field.type === 'BOOLEAN' && stored === null ? false : stored,
      );
    }
    const now = new ApexDatetime(this.env.now());
    const user = new ApexId(this.env.userId());
    const set = (name: string, value: Value) => {
      if (def.fields.has(name)) row.set(name, value);
    };
    set('createddate', now);
    set('lastmodifieddate', now);
    set('systemmodstamp', now);
    set('createdbyid', user);
    set('lastmodifiedbyid', user);
    set('isdeleted', false);
    if (def.fields.has('ownerid') && !row.get('ownerid')) row.set('ownerid', user);
    return row;
  }

  private updatedRow(def: ObjectDef, existing: Row, record: SObjectValue): Map<string, Value> {
    const row = new Map(existing);
    for (const [field, value] of writtenFields(def, record)) {
      if (field.name === 'Id') continue;
      const stored = fieldValue(def, field, value);
      const before = existing.get(field.name.toLowerCase()) ?? null;
      if (!field.updateable) {
        // Values a query returned come back unchanged: only a change is refused.
        if (sameValue(before, stored)) continue;
        throw new RowFailure(
          rowError(
            'INVALID_FIELD_FOR_INSERT_UPDATE',
            `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
            [field.name],
          ),
        );
      }
      row.set(
        field.name.toLowerCase(),
        field.type === 'BOOLEAN' && stored === null ? false : stored,
      );
    }
    const now = new ApexDatetime(this.env.now());
    if (def.fields.has('lastmodifieddate')) row.set('lastmodifieddate', now);
    if (def.fields.has('systemmodstamp')) row.set('systemmodstamp', now);
    if (def.fields.has('lastmodifiedbyid'))
      row.set('lastmodifiedbyid', new ApexId(this.env.userId()));
    if (def.name === 'User')
      row.set('name', [row.get('firstname'), row.get('lastname')].filter(Boolean).join(' '));
    return row;
  }

  /** Required fields, lengths, picklists, uniqueness, references and validation rules. */
  private checkRow(
    def: ObjectDef,
    row: Map<string, Value>,
    existing: Row | undefined,
    batchUnique: Map<string, string>,
  ): void {
    const missing: string[] = [];
    for (const field of def.fields.values()) {
      const value = row.get(field.name.toLowerCase()) ?? null;
      if (field.requiredOnCreate && (value === null || value === '')) missing.push(field.name);
    }
    if (missing.length) {
      throw new RowFailure(
        rowError(
          'REQUIRED_FIELD_MISSING',
          `Required fields are missing: [${missing.join(', ')}]`,
          missing,
        ),
      );
    }
    for (const [key, value] of row) {
      const field = def.fields.get(key);
      if (!field || value === null) continue;
      if (existing && sameValue(existing.get(key) ?? null, value)) continue;
      if (typeof value === 'string' && field.length !== undefined && value.length > field.length) {
        throw new RowFailure(
          rowError(
            'STRING_TOO_LONG',
            `${field.label}: data value too large: ${value.slice(0, 255)} (max length=${field.length})`,
            [field.name],
          ),
        );
      }
      if (
        field.restrictedPicklist &&
        field.picklistValues &&
        typeof value === 'string' &&
        !field.picklistValues.includes(value)
      ) {
        throw new RowFailure(
          rowError(
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            `${field.label}: bad value for restricted picklist field: ${value}`,
            [field.name],
          ),
        );
      }
      if (field.type === 'REFERENCE') this.checkReference(def, field, value);
    }
    const selfId = existing ? idOf(existing) : null;
    for (const field of def.fields.values()) {
      const unique =
        field.unique || (def.settingType === 'Hierarchy' && field.name === 'SetupOwnerId');
      if (!unique) continue;
      const value = row.get(field.name.toLowerCase()) ?? null;
      if (value === null) continue;
      const textual = isTextType(field.type);
      const key = `${def.name}.${field.name}:${String(indexKey(value, textual))}`;
      const clash =
        this.env.store
          .lookup(def, field.name, [indexKey(value, textual)])
          .find(
            (r) =>
              idOf(r) !== selfId &&
              (!field.caseSensitive || r.get(field.name.toLowerCase()) === value),
          ) ?? null;
      const clashId = clash ? idOf(clash) : batchUnique.get(key);
      if (clashId !== undefined && clashId !== selfId) {
        if (def.name === 'User' && field.name === 'Username') {
          throw new RowFailure(
            rowError(
              'DUPLICATE_USERNAME',
              "Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address).",
              ['Username'],
            ),
          );
        }
        throw new RowFailure(
          rowError(
            'DUPLICATE_VALUE',
            `duplicate value found: ${field.name} duplicates value on record with id: ${clashId}`,
            [field.name],
          ),
        );
      }
      batchUnique.set(key, selfId ?? '');
    }
    for (const rule of def.validationRules) {
      const failing = evaluateFormula(rule.formula, (name) => row.get(name) ?? null);
      if (failing === true) {
        throw new RowFailure(
          rowError(
            'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            rule.message,
            rule.displayField ? [rule.displayField] : [],
          ),
        );
      }
    }
  }

  private checkReference(def: ObjectDef, field: FieldDef, value: Value): void {
    const id = idText(value);
    if (!id) return;
    const target = this.schema.objectOfId(id);
    const allowed =
      field.referenceTo.includes('*') ||
      (target !== undefined &&
        field.referenceTo.some((t) => t.toLowerCase() === target.name.toLowerCase()));
    if (!allowed) {
      throw new RowFailure(
        rowError('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${id}`, [
          field.name,
        ]),
      );
    }
    if (!this.env.store.find(id) && !(def.settingType && id === this.env.organizationId())) {
      throw new RowFailure(
        rowError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]),
      );
    }
  }

  /** Values the platform fills in on insert. */
  private finishInsert(def: ObjectDef, row: Map<string, Value>): void {
    const nameField = def.fields.get('name');
    if (nameField?.autoNumberFormat) {
      const format = nameField.autoNumberFormat;
      const n = this.env.nextAutoNumber(def);
      row.set(
        'name',
        format.replace(/\{(0+)\}/, (_, zeros: string) => String(n).padStart(zeros.length, '0')),
      );
    }
    switch (def.name) {
      case 'User':
        row.set('name', [row.get('firstname'), row.get('lastname')].filter(Boolean).join(' '));
        row.set('usertype', 'Standard');
        if (!row.get('communitynickname'))
          row.set('communitynickname', String(row.get('alias') ?? ''));
        break;
      case 'PermissionSetAssignment':
        row.set('isactive', true);
        break;
      case 'PermissionSet':
        row.set('iscustom', true);
        row.set('isownedbyprofile', false);
        row.set('type', 'Regular');
        break;
      case 'ContentVersion':
        this.versionDefaults(row);
        break;
      default:
        break;
    }
    if (def.settingType === 'Hierarchy') {
      if (!row.get('setupownerid')) row.set('setupownerid', new ApexId(this.env.organizationId()));
      if (!row.get('name')) row.set('name', def.name);
    }
  }

  private versionDefaults(row: Map<string, Value>): void {
    const path = String(row.get('pathonclient') ?? '');
    const dot = path.lastIndexOf('.');
    const extension = dot >= 0 ? path.slice(dot + 1).toLowerCase() : '';
    if (!row.get('title')) row.set('title', dot >= 0 ? path.slice(0, dot) : path);
    row.set('fileextension', extension || null);
    row.set('filetype', extension ? extension.toUpperCase() : 'UNKNOWN');
    const data = row.get('versiondata');
    row.set('contentsize', data instanceof ApexBlob ? data.bytes.length : 0);
    row.set('islatest', true);
  }

  private afterInsert(def: ObjectDef, row: Map<string, Value>): void {
    const store = this.env.store;
    const id = idOf(row);
    if (def.name === 'User') {
      this.insertSystem('UserLogin', {
        UserId: new ApexId(id),
        IsFrozen: false,
        IsPasswordLocked: false,
      });
      const profileId = idText(row.get('profileid') ?? null);
      const ps = this.schema.get('PermissionSet')!;
      const profileSet = profileId
        ? store.lookup(ps, 'ProfileId', [indexKey(new ApexId(profileId), false)])[0]
        : undefined;
      if (profileSet) {
        this.insertSystem('PermissionSetAssignment', {
          AssigneeId: new ApexId(id),
          PermissionSetId: profileSet.get('id') ?? null,
          IsActive: true,
        });
      }
    }
    if (def.name === 'ContentVersion') {
      // Work on a copy: the stored row must not change under the index.
      row = new Map(row);
      const documentDef = this.schema.get('ContentDocument')!;
      let documentId = idText(row.get('contentdocumentid') ?? null);
      const versionDef = def;
      if (documentId) {
        // A new version of an existing document: the previous latest one steps down.
        for (const other of store.lookup(versionDef, 'ContentDocumentId', [
          indexKey(new ApexId(documentId), false),
        ])) {
          if (idOf(other) !== id && other.get('islatest') === true) {
            const copy = new Map(other);
            copy.set('islatest', false);
            store.replace(versionDef, copy);
          }
        }
        const document = store.find(documentId);
        const count = store.lookup(versionDef, 'ContentDocumentId', [
          indexKey(new ApexId(documentId), false),
        ]).length;
        row.set('versionnumber', String(count + 1));
        if (document) {
          const copy = new Map(document.row);
          copy.set('latestpublishedversionid', new ApexId(id));
          copy.set('title', row.get('title') ?? null);
          store.replace(documentDef, copy);
        }
      } else {
        documentId = this.insertSystem('ContentDocument', {
          Title: row.get('title') ?? null,
          LatestPublishedVersionId: new ApexId(id),
          FileType: row.get('filetype') ?? null,
          FileExtension: row.get('fileextension') ?? null,
          ContentSize: row.get('contentsize') ?? null,
          PublishStatus: 'P',
          OwnerId: row.get('ownerid') ?? null,
          IsArchived: false,
        });
        row.set('contentdocumentid', new ApexId(documentId));
        row.set('versionnumber', '1');
        const location = idText(row.get('firstpublishlocationid') ?? null);
        if (location) {
          this.insertSystem('ContentDocumentLink', {
            ContentDocumentId: new ApexId(documentId),
            LinkedEntityId: new ApexId(location),
            ShareType: 'V',
            Visibility: 'AllUsers',
          });
        }
      }
      store.replace(def, row);
    }
  }

  /** Inserts a row without checks (platform-made records), with system fields filled in. */
  insertSystem(objectName: string, values: Record<string, Value>): string {
    const def = this.schema.get(objectName);
    if (!def) throw new Error(`org: no object ${objectName}`);
    const row = systemRow(def, new ApexDatetime(this.env.now()), new ApexId(this.env.userId()));
    for (const [name, value] of Object.entries(values)) {
      const field = def.fields.get(name.toLowerCase());
      if (!field) throw new Error(`org: no field ${objectName}.${name}`);
      row.set(field.name.toLowerCase(), value === null ? null : fieldValue(def, field, value));
    }
    const id = idText(row.get('id') ?? null) ?? this.env.store.newId(def);
    row.set('id', new ApexId(id));
    this.env.store.insert(def, row);
    return id;
  }

  private deleteCascade(def: ObjectDef, id: string): void {
    const store = this.env.store;
    if (def.name === 'ContentDocument') {
      const key = [indexKey(new ApexId(id), false)];
      for (const version of store.lookup(
        this.schema.get('ContentVersion')!,
        'ContentDocumentId',
        key,
      )) {
        store.remove(this.schema.get('ContentVersion')!, idOf(version));
      }
      for (const link of store.lookup(
        this.schema.get('ContentDocumentLink')!,
        'ContentDocumentId',
        key,
      )) {
        store.remove(this.schema.get('ContentDocumentLink')!, idOf(link), true);
      }
    }
    store.remove(def, id);
    // Files stay when the record they were shared with goes; only the link goes.
    const links = this.schema.get('ContentDocumentLink')!;
    for (const link of store.lookup(links, 'LinkedEntityId', [indexKey(new ApexId(id), false)])) {
      store.remove(links, idOf(link), true);
    }
    // Lookups to the deleted record are cleared (custom lookups default to SetNull).
    for (const child of def.childRelationships.values()) {
      const childDef = this.schema.get(child.object)!;
      if (childDef.kind !== 'custom') continue;
      for (const row of store.lookup(childDef, child.field, [indexKey(new ApexId(id), false)])) {
        const copy = new Map(row);
        copy.set(child.field.toLowerCase(), null);
        store.replace(childDef, copy);
      }
    }
  }
}

function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (a instanceof ApexId && b instanceof ApexId) return a.value === b.value;
  if (a instanceof ApexDecimal && b instanceof ApexDecimal) return a.compareTo(b) === 0;
  if (a instanceof ApexDatetime && b instanceof ApexDatetime)
    return a.epochMillis === b.epochMillis;
  if (a instanceof ApexDate && b instanceof ApexDate) return a.epochDay === b.epochDay;
  return false;
}

/**
 * A new row of a platform-made record: the fields' defaults, then the system fields (created and
 * modified by `user` at `now`, owned by `user`, not deleted) where the object has them.
 */
export function systemRow(def: ObjectDef, now: ApexDatetime, user: ApexId): Map<string, Value> {
  const row = new Map<string, Value>();
  for (const field of def.fields.values()) {
    if (field.defaultValue !== undefined) row.set(field.name.toLowerCase(), field.defaultValue);
  }
  for (const [name, value] of [
    ['createddate', now],
    ['lastmodifieddate', now],
    ['systemmodstamp', now],
    ['createdbyid', user],
    ['lastmodifiedbyid', user],
    ['isdeleted', false],
    ['ownerid', user],
  ] as [string, Value][]) {
    if (def.fields.has(name)) row.set(name, value);
  }
  return row;
}
