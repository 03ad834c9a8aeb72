// Platform classes over the in-memory org (ctx.services.org): Database, AccessLevel, Savepoint,
// the Database result classes, StatusCode, Schema describe, SObject instance methods, UserInfo,
// FeatureManagement, and the statics of the package's custom settings and custom metadata types.
//
// The sharing mode of Database.* calls is read from ctx.services.sharing (a function returning
// 'with' | 'without' | 'inherited', which the interpreter provides for the calling class); without
// it, 'inherited'.
import { findNative, registerNative, type NativeContext } from '../natives/registry';
import {
  ApexError,
  ApexId,
  ApexList,
  ApexMap,
  DescribeMap,
  ApexSet,
  EnumValue,
  OBJECT_TYPE,
  STRING_TYPE,
  SObjectValue,
  UnsupportedError,
  isInstance,
  nullPointer,
  typeRef,
  type ApexInstance,
  type Value,
} from '../values';
import { hasException } from '../natives/core';
import {
  DmlError,
  fieldValue,
  sobjectException,
  type DmlOperation,
  type DmlRowResult,
} from './dml';
import { mergedSetting, recordOf, settingAt } from './metadata';
import { orgOf, type OrgService, type SavepointState } from './orgService';
import { DISPLAY_TYPES, type FieldDef, type ObjectDef } from './schema';
import { InaccessibleQueryError, queryException, type AccessMode, type SharingMode } from './soql';
import { indexKey } from './store';

// ── small instance types ────────────────────────────────────────────────────────────────────

class Instance implements ApexInstance {
  readonly apexType;
  constructor(type: string) {
    this.apexType = typeRef(type);
  }
}

class AccessLevelValue extends Instance {
  constructor(readonly mode: AccessMode) {
    super('System.AccessLevel');
  }
}
const USER_MODE = new AccessLevelValue('user');
const SYSTEM_MODE = new AccessLevelValue('system');

class SavepointValue extends Instance {
  constructor(readonly savepoint: SavepointState) {
    super('System.Savepoint');
  }
}

class ResultValue extends Instance {
  constructor(
    type: string,
    readonly result: DmlRowResult,
  ) {
    super(type);
  }
}

class ErrorValue extends Instance {
  constructor(readonly error: DmlRowResult['errors'][number]) {
    super('Database.Error');
  }
}

class SObjectTypeToken extends Instance {
  constructor(readonly object: ObjectDef) {
    super('Schema.SObjectType');
  }
  override toString(): string {
    return this.object.name;
  }
}

class DescribeSObject extends Instance {
  constructor(readonly object: ObjectDef) {
    super('Schema.DescribeSObjectResult');
  }
}

class FieldsOf extends Instance {
  constructor(readonly object: ObjectDef) {
    super('Schema.SObjectTypeFields');
  }
}

class SObjectFieldToken extends Instance {
  constructor(
    readonly object: ObjectDef,
    readonly field: FieldDef,
  ) {
    super('Schema.SObjectField');
  }
  override toString(): string {
    return this.field.name;
  }
}

class DescribeField extends Instance {
  constructor(
    readonly object: ObjectDef,
    readonly field: FieldDef,
  ) {
    super('Schema.DescribeFieldResult');
  }
}

// Tokens are singletons per definition, so == between tokens compares the same object.
const typeTokens = new WeakMap<ObjectDef, SObjectTypeToken>();
const describes = new WeakMap<ObjectDef, DescribeSObject>();
const fieldTokens = new WeakMap<FieldDef, SObjectFieldToken>();
const fieldDescribes = new WeakMap<FieldDef, DescribeField>();

export function typeToken(object: ObjectDef): SObjectTypeToken {
  let t = typeTokens.get(object);
  if (!t) typeTokens.set(object, (t = new SObjectTypeToken(object)));
  return t;
}
function describeOf(object: ObjectDef): DescribeSObject {
  let d = describes.get(object);
  if (!d) describes.set(object, (d = new DescribeSObject(object)));
  return d;
}
export function fieldToken(object: ObjectDef, field: FieldDef): SObjectFieldToken {
  let t = fieldTokens.get(field);
  if (!t) fieldTokens.set(field, (t = new SObjectFieldToken(object, field)));
  return t;
}
function fieldDescribeOf(object: ObjectDef, field: FieldDef): DescribeField {
  let d = fieldDescribes.get(field);
  if (!d) fieldDescribes.set(field, (d = new DescribeField(object, field)));
  return d;
}

const enumCache = new Map<string, EnumValue>();
function enumValue(type: string, names: readonly string[], name: string): EnumValue {
  const key = `${type}.${name}`;
  let v = enumCache.get(key);
  if (!v) {
    const ordinal = names.indexOf(name);
    if (ordinal < 0) throw new UnsupportedError(`${type}.${name}`);
    enumCache.set(key, (v = new EnumValue(type, name, ordinal)));
  }
  return v;
}

const STATUS_CODES = [
  'DUPLICATE_EXTERNAL_ID',
  'DUPLICATE_USERNAME',
  'DUPLICATE_VALUE',
  'ENTITY_IS_DELETED',
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'FIELD_INTEGRITY_EXCEPTION',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INVALID_CROSS_REFERENCE_KEY',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'INVALID_TYPE_FOR_OPERATION',
  'MISSING_ARGUMENT',
  'MIXED_DML_OPERATION',
  'REQUIRED_FIELD_MISSING',
  'STRING_TOO_LONG',
  'UNDELETE_FAILED',
];

export const statusCode = (name: string) => enumValue('System.StatusCode', STATUS_CODES, name);
export const displayType = (name: string) => enumValue('Schema.DisplayType', DISPLAY_TYPES, name);

// ── helpers ─────────────────────────────────────────────────────────────────────────────────

function sharingOf(ctx: NativeContext): SharingMode {
  const fn = ctx.services.sharing;
  return typeof fn === 'function' ? ((fn as () => SharingMode)() ?? 'inherited') : 'inherited';
}

function accessOf(value: Value | undefined): AccessMode | null {
  if (value instanceof AccessLevelValue) return value.mode;
  return null;
}

function objectDef(org: OrgService, name: string): ObjectDef {
  const def = org.schema.get(name);
  if (!def)
    throw new ApexError('System.InvalidParameterValueException', `Invalid sObject type: ${name}`);
  return def;
}

function str(value: Value): string {
  if (value === null) throw nullPointer();
  if (typeof value === 'string') return value;
  if (value instanceof ApexId) return value.value;
  throw new ApexError('System.TypeException', 'expected a String');
}

/** Reads a bind: a name, or a dotted path into SObjects / objects. */
function navigate(ctx: NativeContext, root: Value, rest: string[], expression: string): Value {
  let current = root;
  for (const part of rest) {
    if (current === null) throw nullPointer();
    if (current instanceof SObjectValue) current = current.get(part);
    else if (isInstance(current)) current = ctx.interop.getField(current, part);
    else throw queryException(`Invalid bind expression: ${expression}`);
  }
  return current;
}

function runQueryNative(
  ctx: NativeContext,
  text: string,
  bind: (expression: string) => Value,
  level: Value | undefined,
): Value {
  const org = orgOf(ctx);
  return org.query(ctx, text, bind, {
    accessLevel: accessOf(level) ?? 'system',
    sharing: sharingOf(ctx),
  });
}

const variableBind = (ctx: NativeContext) => (expression: string) => {
  const [head, ...rest] = expression.split('.');
  return navigate(ctx, ctx.interop.readVariable(head), rest, expression);
};

function mapBind(ctx: NativeContext, map: Value) {
  if (!(map instanceof ApexMap)) throw nullPointer();
  return (expression: string) => {
    const [head, ...rest] = expression.split('.');
    let found: Value | undefined;
    if (map.has(head)) found = map.get(head);
    else {
      // Bind map keys are matched without case (UNCONFIRMED: see the report).
      const key = map
        .keys()
        .find((k) => typeof k === 'string' && k.toLowerCase() === head.toLowerCase());
      if (key !== undefined) found = map.get(key);
    }
    if (found === undefined) throw queryException(`Key '${head}' does not exist in the bindMap`);
    return navigate(ctx, found, rest, expression);
  };
}

function recordsOf(
  org: OrgService,
  value: Value,
  op: DmlOperation,
): { records: SObjectValue[]; single: boolean } {
  if (value === null) throw nullPointer();
  const toRecord = (v: Value): SObjectValue => {
    if (v instanceof SObjectValue) return v;
    if ((op === 'delete' || op === 'undelete') && (v instanceof ApexId || typeof v === 'string')) {
      const id = new ApexId(v instanceof ApexId ? v.value : v);
      const def = org.schema.objectOfId(id.value);
      if (!def) throw new ApexError('System.StringException', `Invalid id: ${id.value}`);
      const record = new SObjectValue(def.name);
      record.set('Id', id);
      return record;
    }
    if (v === null) throw new ApexError('System.ListException', 'Invalid list: null element');
    throw new ApexError('System.TypeException', 'DML requires SObjects');
  };
  if (value instanceof ApexList) return { records: value.items.map(toRecord), single: false };
  if (value instanceof ApexSet) return { records: value.values().map(toRecord), single: false };
  return { records: [toRecord(value)], single: true };
}

const RESULT_TYPES: Record<DmlOperation, string> = {
  insert: 'Database.SaveResult',
  update: 'Database.SaveResult',
  upsert: 'Database.UpsertResult',
  delete: 'Database.DeleteResult',
  undelete: 'Database.UndeleteResult',
};

function dmlNative(op: DmlOperation) {
  return (ctx: NativeContext, _self: Value, args: Value[]): Value => {
    const org = orgOf(ctx);
    const { records, single } = recordsOf(org, args[0], op);
    let rest = args.slice(1);
    let externalIdField: string | null = null;
    if (op === 'upsert' && rest[0] instanceof SObjectFieldToken) {
      externalIdField = rest[0].field.name;
      rest = rest.slice(1);
    }
    let allOrNone = true;
    let level: AccessMode = 'system';
    for (const arg of rest) {
      if (typeof arg === 'boolean') allOrNone = arg;
      else if (arg instanceof AccessLevelValue) level = arg.mode;
      else if (arg !== null) throw new UnsupportedError(`Database.${op} with ${String(arg)}`);
    }
    const results = org.dml(ctx, op, records, {
      accessLevel: level,
      sharing: sharingOf(ctx),
      allOrNone,
      externalIdField,
    });
    const type = RESULT_TYPES[op];
    const values = results.map((r) => new ResultValue(type, r));
    return single ? values[0] : new ApexList(typeRef(type), values);
  };
}

// ── Database ────────────────────────────────────────────────────────────────────────────────

registerNative({
  name: 'Database',
  statics: {
    query: (ctx, _self, args) => runQueryNative(ctx, str(args[0]), variableBind(ctx), args[1]),
    querywithbinds: (ctx, _self, args) =>
      runQueryNative(ctx, str(args[0]), mapBind(ctx, args[1]), args[2]),
    countquery: (ctx, _self, args) => runQueryNative(ctx, str(args[0]), variableBind(ctx), args[1]),
    countquerywithbinds: (ctx, _self, args) =>
      runQueryNative(ctx, str(args[0]), mapBind(ctx, args[1]), args[2]),
    insert: dmlNative('insert'),
    update: dmlNative('update'),
    upsert: dmlNative('upsert'),
    delete: dmlNative('delete'),
    undelete: dmlNative('undelete'),
    setsavepoint: (ctx) => new SavepointValue(orgOf(ctx).savepoint(ctx)),
    rollback: (ctx, _self, args) => {
      const sp = args[0];
      if (!(sp instanceof SavepointValue)) throw nullPointer();
      orgOf(ctx).rollback(ctx, sp.savepoint);
      return null;
    },
  },
});

registerNative({
  name: 'System.AccessLevel',
  staticFields: { user_mode: () => USER_MODE, system_mode: () => SYSTEM_MODE },
});

registerNative({ name: 'System.Savepoint', aliases: ['Database.Savepoint'] });

const resultMethods = {
  getid: (_ctx: NativeContext, self: Value) => {
    const id = (self as ResultValue).result.id;
    return id ? new ApexId(id) : null;
  },
  issuccess: (_ctx: NativeContext, self: Value) => (self as ResultValue).result.success,
  geterrors: (_ctx: NativeContext, self: Value) =>
    new ApexList(
      typeRef('Database.Error'),
      (self as ResultValue).result.errors.map((e) => new ErrorValue(e)),
    ),
};
registerNative({ name: 'Database.SaveResult', methods: resultMethods });
registerNative({ name: 'Database.DeleteResult', methods: resultMethods });
registerNative({ name: 'Database.UndeleteResult', methods: resultMethods });
registerNative({
  name: 'Database.UpsertResult',
  methods: { ...resultMethods, iscreated: (_ctx, self) => (self as ResultValue).result.created },
});
registerNative({
  name: 'Database.Error',
  methods: {
    getmessage: (_ctx, self) => (self as ErrorValue).error.message,
    getstatuscode: (_ctx, self) => statusCode((self as ErrorValue).error.statusCode),
    getfields: (_ctx, self) => new ApexList(STRING_TYPE, [...(self as ErrorValue).error.fields]),
  },
});

// DmlException's own methods ([EXCB] Built-In Exceptions and Common Methods): the i-th failed row
// of the DML statement that threw. Only an exception the org raised carries rows; an index with no
// failed row is not modelled (the docs do not say what it throws).
function failedRow(self: Value, index: Value): DmlError['failures'][number] {
  const error = hasException(self) ? self.exception.error : null;
  const failures = error instanceof DmlError ? error.failures : [];
  const i = typeof index === 'number' ? index : -1;
  if (i < 0 || i >= failures.length) {
    throw new UnsupportedError(
      `DmlException row ${String(index)} of ${failures.length} failed rows`,
    );
  }
  return failures[i];
}
registerNative({
  name: 'System.DmlException',
  methods: {
    getnumdml: (_ctx, self) => {
      const error = hasException(self) ? self.exception.error : null;
      return error instanceof DmlError ? error.failures.length : 0;
    },
    getdmlfieldnames: (_ctx, self, [i]) =>
      new ApexList(STRING_TYPE, [...failedRow(self, i).fields]),
    getdmlid: (_ctx, self, [i]) => {
      const id = failedRow(self, i).id;
      return id ? new ApexId(id) : null;
    },
    getdmlindex: (_ctx, self, [i]) => failedRow(self, i).index,
    getdmlmessage: (_ctx, self, [i]) => failedRow(self, i).message,
    getdmltype: (_ctx, self, [i]) => statusCode(failedRow(self, i).statusCode),
  },
});

// QueryException.getInaccessibleFields() (Set an Access Mode for Database Operations): the fields
// a user-mode query could not read, per object. A QueryException the org did not raise for a
// user-mode denial has none.
registerNative({
  name: 'System.QueryException',
  methods: {
    getinaccessiblefields: (_ctx, self) => {
      const error = hasException(self) ? self.exception.error : null;
      const map = new ApexMap(STRING_TYPE, typeRef('Set', STRING_TYPE));
      if (error instanceof InaccessibleQueryError) {
        for (const [object, fields] of error.inaccessibleFields) {
          const set = new ApexSet(STRING_TYPE);
          for (const field of fields) set.add(field);
          map.put(object, set);
        }
      }
      return map;
    },
  },
});

registerNative({
  name: 'System.StatusCode',
  staticFields: Object.fromEntries(STATUS_CODES.map((c) => [c.toLowerCase(), () => statusCode(c)])),
});

// ── Schema ──────────────────────────────────────────────────────────────────────────────────

const DESCRIBE_OPTIONS = ['DEFAULT', 'DEFERRED', 'FULL'];
registerNative({
  name: 'Schema.SObjectDescribeOptions',
  aliases: ['SObjectDescribeOptions'],
  staticFields: Object.fromEntries(
    DESCRIBE_OPTIONS.map((o) => [
      o.toLowerCase(),
      () => enumValue('System.SObjectDescribeOptions', DESCRIBE_OPTIONS, o),
    ]),
  ),
});

registerNative({
  name: 'Schema.DisplayType',
  aliases: ['DisplayType'],
  staticFields: Object.fromEntries(
    DISPLAY_TYPES.map((t) => [t.toLowerCase(), () => displayType(t)]),
  ),
});

registerNative({
  name: 'Schema',
  statics: {
    getglobaldescribe: (ctx) => {
      const map = new DescribeMap(STRING_TYPE, typeRef('Schema.SObjectType'));
      for (const def of orgOf(ctx).schema.objects.values())
        map.put(def.name.toLowerCase(), typeToken(def));
      return map;
    },
    describesobjects: (ctx, _self, args) => {
      const names = args[0];
      if (!(names instanceof ApexList)) throw nullPointer();
      const org = orgOf(ctx);
      return new ApexList(
        typeRef('Schema.DescribeSObjectResult'),
        names.items.map((n) => describeOf(objectDef(org, str(n)))),
      );
    },
  },
});

registerNative({
  name: 'Schema.SObjectType',
  methods: {
    getdescribe: (_ctx, self) => describeOf((self as SObjectTypeToken).object),
    newsobject: (_ctx, self, args) => {
      const def = (self as SObjectTypeToken).object;
      const record = new SObjectValue(def.name);
      if (args[0] !== undefined && args[0] !== null) record.set('Id', new ApexId(str(args[0])));
      if (args[1] === true) {
        for (const field of def.fields.values()) {
          if (field.defaultValue !== undefined) record.set(field.name, field.defaultValue);
        }
      }
      return record;
    },
  },
});

const canRead = (ctx: NativeContext, def: ObjectDef) => orgOf(ctx).access().canObject(def, 'Read');

registerNative({
  name: 'Schema.DescribeSObjectResult',
  methods: {
    getname: (_ctx, self) => (self as DescribeSObject).object.name,
    getlocalname: (_ctx, self) => (self as DescribeSObject).object.name,
    getlabel: (_ctx, self) => (self as DescribeSObject).object.label,
    getlabelplural: (_ctx, self) => (self as DescribeSObject).object.labelPlural,
    getkeyprefix: (_ctx, self) => (self as DescribeSObject).object.keyPrefix,
    iscustom: (_ctx, self) => (self as DescribeSObject).object.custom,
    iscustomsetting: (_ctx, self) => (self as DescribeSObject).object.kind === 'setting',
    isqueryable: () => true,
    isaccessible: (ctx, self) => canRead(ctx, (self as DescribeSObject).object),
    iscreateable: (ctx, self) => {
      const def = (self as DescribeSObject).object;
      return def.createable && orgOf(ctx).access().canObject(def, 'Create');
    },
    isupdateable: (ctx, self) => {
      const def = (self as DescribeSObject).object;
      return def.updateable && orgOf(ctx).access().canObject(def, 'Edit');
    },
    isdeletable: (ctx, self) => {
      const def = (self as DescribeSObject).object;
      return def.deletable && orgOf(ctx).access().canObject(def, 'Delete');
    },
    getsobjecttype: (_ctx, self) => typeToken((self as DescribeSObject).object),
  },
  properties: { fields: (_ctx, self) => new FieldsOf((self as DescribeSObject).object) },
});

registerNative({
  name: 'Schema.SObjectTypeFields',
  methods: {
    getmap: (_ctx, self) => {
      const def = (self as FieldsOf).object;
      const map = new DescribeMap(STRING_TYPE, typeRef('Schema.SObjectField'));
      for (const field of def.fields.values())
        map.put(field.name.toLowerCase(), fieldToken(def, field));
      return map;
    },
  },
});

registerNative({
  name: 'Schema.SObjectField',
  methods: {
    getdescribe: (_ctx, self) => {
      const t = self as SObjectFieldToken;
      return fieldDescribeOf(t.object, t.field);
    },
  },
});

const fd = (self: Value) => self as DescribeField;
registerNative({
  name: 'Schema.DescribeFieldResult',
  methods: {
    getname: (_ctx, self) => fd(self).field.name,
    getlocalname: (_ctx, self) => fd(self).field.name,
    getlabel: (_ctx, self) => fd(self).field.label,
    gettype: (_ctx, self) => displayType(fd(self).field.type),
    iscustom: (_ctx, self) => fd(self).field.custom,
    ispermissionable: (_ctx, self) => fd(self).field.permissionable,
    isnillable: (_ctx, self) => fd(self).field.nillable,
    isunique: (_ctx, self) => fd(self).field.unique === true,
    isexternalid: (_ctx, self) => fd(self).field.externalId === true,
    iscasesensitive: (_ctx, self) => fd(self).field.caseSensitive === true,
    isnamefield: (_ctx, self) =>
      fd(self).field.nameField === true || fd(self).field.name === 'Name',
    isautonumber: (_ctx, self) => fd(self).field.autoNumberFormat !== undefined,
    isaccessible: (ctx, self) =>
      orgOf(ctx).access().canField(fd(self).object, fd(self).field.name, false),
    iscreateable: (ctx, self) =>
      fd(self).field.createable &&
      orgOf(ctx).access().canField(fd(self).object, fd(self).field.name, true),
    isupdateable: (ctx, self) =>
      fd(self).field.updateable &&
      orgOf(ctx).access().canField(fd(self).object, fd(self).field.name, true),
    getlength: (_ctx, self) => fd(self).field.length ?? 0,
    getprecision: (_ctx, self) => fd(self).field.precision ?? 0,
    getscale: (_ctx, self) => fd(self).field.scale ?? 0,
    getrelationshipname: (_ctx, self) => fd(self).field.relationshipName,
    getreferenceto: (ctx, self) => {
      const org = orgOf(ctx);
      const targets = fd(self).field.referenceTo.flatMap((n) => {
        if (n === '*')
          throw new UnsupportedError(`getReferenceTo of polymorphic ${fd(self).field.name}`);
        const def = org.schema.get(n);
        return def ? [typeToken(def)] : [];
      });
      return new ApexList(typeRef('Schema.SObjectType'), targets);
    },
    getsobjectfield: (_ctx, self) => fieldToken(fd(self).object, fd(self).field),
    getdefaultvalue: (_ctx, self) => fd(self).field.defaultValue ?? null,
  },
});

/** `Schema.SObjectType.X` / `X.SObjectType`: the token of an object name, or null. */
export function sobjectTypeOf(ctx: NativeContext, name: string): ApexInstance | null {
  const def = orgOf(ctx).schema.get(name);
  return def ? typeToken(def) : null;
}

/** `Schema.SObjectType.X` used as a describe (`Schema.SObjectType.X.fields.getMap()`). */
export function describeOfName(ctx: NativeContext, name: string): ApexInstance | null {
  const def = orgOf(ctx).schema.get(name);
  return def ? describeOf(def) : null;
}

/** `X.Field__c` as a token, or null when the object or field does not exist. */
export function sobjectFieldOf(
  ctx: NativeContext,
  object: string,
  field: string,
): ApexInstance | null {
  const def = orgOf(ctx).schema.get(object);
  const f = def?.fields.get(field.toLowerCase());
  return def && f ? fieldToken(def, f) : null;
}

// ── SObject instance methods ────────────────────────────────────────────────────────────────

function fieldName(value: Value): string {
  if (value instanceof SObjectFieldToken) return value.field.name;
  return str(value);
}

/** Reads a field as Apex does: unknown fields and fields a query did not select throw. */
export function readField(org: OrgService, record: SObjectValue, name: string): Value {
  const def = org.schema.get(record.sobjectType);
  const key = name.toLowerCase();
  if (
    def &&
    !def.fields.has(key) &&
    !def.relationships.has(key) &&
    !def.childRelationships.has(key)
  ) {
    throw sobjectException(`Invalid field ${name} for ${def.name}`);
  }
  if (record.queried && !record.queried.has(key) && !record.has(key)) {
    const spelled = def?.fields.get(key)?.name ?? name;
    throw sobjectException(
      `SObject row was retrieved via SOQL without querying the requested field: ${record.sobjectType}.${spelled}`,
    );
  }
  return record.get(name);
}

/** Writes a field as Apex does: the value must suit the field's type. */
export function writeField(
  org: OrgService,
  record: SObjectValue,
  name: string,
  value: Value,
): Value {
  const def = org.schema.get(record.sobjectType);
  const field = def?.fields.get(name.toLowerCase());
  if (def && !field) throw sobjectException(`Invalid field ${name} for ${def.name}`);
  const previous = record.get(name);
  record.set(field?.name ?? name, def && field ? fieldValue(def, field, value) : value);
  return previous;
}

const READ_ONLY_TIMESTAMPS = [
  'createddate',
  'createdbyid',
  'lastmodifieddate',
  'lastmodifiedbyid',
  'systemmodstamp',
];

// Id.getSObjectType() ([ID]): "the token for the sObject corresponding to this ID", found by the
// Id's key prefix. An Id whose prefix no object of the schema has is not modelled.
registerNative({
  name: 'Id',
  methods: {
    getsobjecttype: (ctx, self) => {
      const id = self instanceof ApexId ? self.value : str(self);
      const def = orgOf(ctx).schema.objectOfId(id);
      if (!def) throw new UnsupportedError(`Id.getSObjectType for key prefix ${id.slice(0, 3)}`);
      return typeToken(def);
    },
  },
});

registerNative({
  name: 'SObject',
  methods: {
    get: (ctx, self, args) => readField(orgOf(ctx), self as SObjectValue, fieldName(args[0])),
    put: (ctx, self, args) =>
      writeField(orgOf(ctx), self as SObjectValue, fieldName(args[0]), args[1]),
    getsobject: (ctx, self, args) => {
      const record = self as SObjectValue;
      const name = fieldName(args[0]);
      const def = orgOf(ctx).schema.get(record.sobjectType);
      if (def && !def.relationships.has(name.toLowerCase())) {
        throw sobjectException(`Invalid relationship ${name} for ${def.name}`);
      }
      const value = record.get(name);
      return value instanceof SObjectValue ? value : null;
    },
    putsobject: (_ctx, self, args) => {
      const record = self as SObjectValue;
      const previous = record.get(str(args[0]));
      record.set(str(args[0]), args[1]);
      return previous;
    },
    getsobjects: (ctx, self, args) => {
      const record = self as SObjectValue;
      const name = str(args[0]);
      const def = orgOf(ctx).schema.get(record.sobjectType);
      if (def && !def.childRelationships.has(name.toLowerCase())) {
        throw sobjectException(`Invalid relationship ${name} for ${def.name}`);
      }
      const value = record.get(name);
      return value instanceof ApexList ? value : null;
    },
    getsobjecttype: (ctx, self) => {
      const def = orgOf(ctx).schema.get((self as SObjectValue).sobjectType);
      return def ? typeToken(def) : null;
    },
    getpopulatedfieldsasmap: (_ctx, self) => {
      const map = new ApexMap(STRING_TYPE, OBJECT_TYPE);
      for (const [spelled, value] of (self as SObjectValue).fields.values())
        map.put(spelled, value);
      return map;
    },
    isset: (ctx, self, args) => {
      const record = self as SObjectValue;
      const name = fieldName(args[0]);
      const def = orgOf(ctx).schema.get(record.sobjectType);
      if (
        def &&
        !def.fields.has(name.toLowerCase()) &&
        !def.relationships.has(name.toLowerCase())
      ) {
        throw sobjectException(`Invalid field ${name} for ${def.name}`);
      }
      return record.has(name);
    },
    clone: (ctx, self, args) => {
      const [preserveId = false, deep = false, keepTimestamps = false, keepAutonumber = false] =
        args as boolean[];
      const record = self as SObjectValue;
      const def = orgOf(ctx).schema.get(record.sobjectType);
      const copy = new SObjectValue(record.sobjectType);
      for (const [key, [spelled, value]] of record.fields) {
        if (key === 'id' && !preserveId) continue;
        if (!keepTimestamps && READ_ONLY_TIMESTAMPS.includes(key)) continue;
        if (!keepAutonumber && def?.fields.get(key)?.autoNumberFormat) continue;
        copy.set(spelled, deep && value instanceof SObjectValue ? cloneDeep(value) : value);
      }
      return copy;
    },
  },
});

function cloneDeep(record: SObjectValue): SObjectValue {
  const copy = new SObjectValue(record.sobjectType);
  for (const [spelled, value] of record.fields.values()) {
    copy.set(spelled, value instanceof SObjectValue ? cloneDeep(value) : value);
  }
  return copy;
}

// ── UserInfo and FeatureManagement ──────────────────────────────────────────────────────────

const userField = (ctx: NativeContext, field: string) =>
  orgOf(ctx).runningUser().get(field) ?? null;

registerNative({
  name: 'System.UserInfo',
  statics: {
    getuserid: (ctx) => new ApexId(orgOf(ctx).runningUserId()),
    getname: (ctx) => userField(ctx, 'name'),
    getfirstname: (ctx) => userField(ctx, 'firstname'),
    getlastname: (ctx) => userField(ctx, 'lastname'),
    getusername: (ctx) => userField(ctx, 'username'),
    getuseremail: (ctx) => userField(ctx, 'email'),
    getusertype: (ctx) => userField(ctx, 'usertype'),
    getprofileid: (ctx) => userField(ctx, 'profileid'),
    getuserroleid: (ctx) => userField(ctx, 'userroleid'),
    getlocale: (ctx) => userField(ctx, 'localesidkey'),
    getlanguage: (ctx) => userField(ctx, 'languagelocalekey'),
    getorganizationid: (ctx) => new ApexId(orgOf(ctx).organizationId()),
    getorganizationname: (ctx) => orgOf(ctx).organization().get('name') ?? null,
    ismulticurrencyorganization: () => false,
    gettimezone: (ctx) => {
      const zone = findNative('System.TimeZone') ?? findNative('TimeZone');
      const factory = zone?.statics?.gettimezone;
      if (!factory) throw new UnsupportedError('UserInfo.getTimeZone (no TimeZone native)');
      return factory(ctx, null, [userField(ctx, 'timezonesidkey')]);
    },
  },
});

registerNative({
  name: 'System.FeatureManagement',
  statics: {
    checkpermission: (ctx, _self, args) => orgOf(ctx).access().hasCustomPermission(str(args[0])),
  },
});

// ── custom settings and custom metadata types ───────────────────────────────────────────────

function registerTypeStatics(def: ObjectDef): void {
  if (findNative(def.name)) return;
  const name = def.name;
  const defOf = (ctx: NativeContext) => objectDef(orgOf(ctx), name);
  if (def.kind === 'metadata') {
    registerNative({
      name,
      statics: {
        getall: (ctx) => {
          const d = defOf(ctx);
          const map = new ApexMap(STRING_TYPE, typeRef(d.name));
          for (const row of orgOf(ctx).store.rows(d))
            map.put(String(row.get('developername')), recordOf(d, row, true));
          return map;
        },
        getinstance: (ctx, _self, args) => {
          const d = defOf(ctx);
          const key = str(args[0]);
          const store = orgOf(ctx).store;
          const id =
            key.length >= 15 && d.keyPrefix && key.startsWith(d.keyPrefix)
              ? new ApexId(key).value
              : null;
          const row = id
            ? store.find(id)?.row
            : store.lookup(d, 'DeveloperName', [indexKey(key, true)])[0];
          return row ? recordOf(d, row, true) : null;
        },
      },
    });
    return;
  }
  if (def.settingType === 'Hierarchy') {
    registerNative({
      name,
      statics: {
        getorgdefaults: (ctx) => {
          const d = defOf(ctx);
          const org = orgOf(ctx);
          const row = settingAt(org.store, d, org.organizationId());
          if (row) return recordOf(d, row);
          const empty = new SObjectValue(d.name);
          empty.set('SetupOwnerId', new ApexId(org.organizationId()));
          return empty;
        },
        getinstance: (ctx, _self, args) => {
          const d = defOf(ctx);
          const org = orgOf(ctx);
          const id =
            args.length && args[0] !== null ? new ApexId(str(args[0])).value : org.runningUserId();
          if (id.startsWith('00e')) {
            const row = settingAt(org.store, d, id);
            return row
              ? recordOf(d, row)
              : mergedSetting(org.store, d, id, null, org.organizationId());
          }
          const user = org.store.find(id);
          const profile = user?.row.get('profileid');
          return mergedSetting(
            org.store,
            d,
            id,
            profile instanceof ApexId ? profile.value : null,
            org.organizationId(),
          );
        },
        getvalues: (ctx, _self, args) => {
          const d = defOf(ctx);
          const org = orgOf(ctx);
          const row = settingAt(org.store, d, new ApexId(str(args[0])).value);
          return row ? recordOf(d, row) : null;
        },
      },
    });
    return;
  }
  if (def.settingType === 'List') {
    const byName = (ctx: NativeContext, key: Value) => {
      const d = defOf(ctx);
      const row = orgOf(ctx).store.lookup(d, 'Name', [indexKey(str(key), true)])[0];
      return row ? recordOf(d, row) : null;
    };
    registerNative({
      name,
      statics: {
        getall: (ctx) => {
          const d = defOf(ctx);
          const map = new ApexMap(STRING_TYPE, typeRef(d.name));
          for (const row of orgOf(ctx).store.rows(d))
            map.put(String(row.get('name')), recordOf(d, row));
          return map;
        },
        getinstance: (ctx, _self, args) => byName(ctx, args[0]),
        getvalues: (ctx, _self, args) => byName(ctx, args[0]),
      },
    });
  }
}

/** Registers the statics of the org's custom settings and custom metadata types (once per name). */
export function registerOrgTypes(org: OrgService): void {
  for (const def of org.schema.objects.values()) {
    if (def.kind === 'metadata' || def.kind === 'setting') registerTypeStatics(def);
  }
}

export {
  AccessLevelValue,
  SavepointValue,
  SObjectTypeToken,
  SObjectFieldToken,
  DescribeSObject,
  DescribeField,
};
