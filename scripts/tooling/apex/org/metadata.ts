// Setup data read from the project's source: custom metadata records (typed per field), static
// resources (Body as a Blob), custom permissions, custom notification types, Apex classes and the
// package's permission sets with their object, field, custom permission, class and custom
// metadata type grants (as ObjectPermissions, FieldPermissions and SetupEntityAccess rows, which is
// how FeatureManagement and user mode see them). Also the custom metadata and custom setting
// statics (getAll, getInstance, getOrgDefaults, getValues).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexId,
  SObjectValue,
  type Value,
} from '../values';
import type { Dml } from './dml';
import { parseXml, type FieldDef, type ObjectDef, type OrgSchema } from './schema';
import { indexKey, type Row, type Store } from './store';

type XmlNode = Record<string, unknown>;
const text = (node: unknown): string | undefined =>
  typeof node === 'string' ? node : node === undefined || node === null ? undefined : String(node);
const list = (node: unknown): XmlNode[] =>
  node === undefined ? [] : Array.isArray(node) ? (node as XmlNode[]) : [node as XmlNode];

const sourceDir = (root: string, ...parts: string[]) =>
  join(root, 'force-app', 'main', 'default', ...parts);

function typedValue(field: FieldDef, raw: XmlNode | string | undefined, file: string): Value {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'object' && raw['@xsi:nil'] === 'true') return null;
  const value = typeof raw === 'string' ? raw : (text(raw['#text']) ?? '');
  try {
    return fieldValueOfText(field, value);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

/**
 * A custom metadata value written as text (as the record files hold it) typed as its field: a
 * number field gives a Decimal with the field's scale, a checkbox a Boolean, and so on.
 */
export function fieldValueOfText(field: FieldDef, value: string): Value {
  switch (field.type) {
    case 'BOOLEAN':
      return value === 'true';
    case 'DOUBLE':
    case 'CURRENCY':
    case 'PERCENT': {
      const d = ApexDecimal.parse(value);
      if (!d) throw new Error(`${field.name} is not a number: ${value}`);
      // Stored with the field's scale, as the platform returns number fields.
      return field.scale !== undefined ? d.setScale(field.scale, 'HALF_UP') : d;
    }
    case 'INTEGER':
      return Number(value);
    case 'DATE': {
      const [y, m, d] = value.split('-').map(Number);
      return ApexDate.of(y, m, d);
    }
    case 'DATETIME':
      return new ApexDatetime(Date.parse(value));
    default:
      return value;
  }
}

/** Loads the custom metadata records of every __mdt type into the store. */
export function loadCustomMetadata(root: string, schema: OrgSchema, dml: Dml): number {
  const dir = sourceDir(root, 'customMetadata');
  if (!existsSync(dir)) return 0;
  let count = 0;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.md-meta.xml'))
    .sort()) {
    const [typeName, developerName] = basename(file, '.md-meta.xml').split('.');
    const def = schema.get(`${typeName}__mdt`);
    if (!def) throw new Error(`customMetadata/${file}: no type ${typeName}__mdt`);
    const node = parseXml(readFileSync(join(dir, file), 'utf8')).CustomMetadata as XmlNode;
    const values: Record<string, Value> = {
      DeveloperName: developerName,
      MasterLabel: text(node.label) ?? developerName,
      Label: text(node.label) ?? developerName,
      Language: 'en_US',
      QualifiedApiName: developerName,
    };
    for (const entry of list(node.values)) {
      const fieldName = text(entry.field)!;
      const field = def.fields.get(fieldName.toLowerCase());
      if (!field) throw new Error(`customMetadata/${file}: no field ${fieldName} on ${def.name}`);
      const raw = Array.isArray(entry.value)
        ? (entry.value[0] as XmlNode)
        : (entry.value as XmlNode | undefined);
      values[field.name] = typedValue(field, raw, file);
    }
    dml.insertSystem(def.name, values);
    count++;
  }
  return count;
}

const CONTENT_TYPES: Record<string, string> = {};

/** StaticResource rows with their bodies. */
export function loadStaticResources(root: string, dml: Dml): void {
  const dir = sourceDir(root, 'staticresources');
  if (!existsSync(dir)) return;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.resource-meta.xml'))
    .sort()) {
    const name = basename(file, '.resource-meta.xml');
    const meta = parseXml(readFileSync(join(dir, file), 'utf8')).StaticResource as XmlNode;
    const bodyFile = readdirSync(dir).find((f) => f.startsWith(`${name}.`) && f !== file);
    if (!bodyFile)
      throw new Error(`staticresources/${name}: no body file (folders are not modelled)`);
    const bytes = new Uint8Array(readFileSync(join(dir, bodyFile)));
    dml.insertSystem('StaticResource', {
      Name: name,
      ContentType: text(meta.contentType) ?? CONTENT_TYPES[bodyFile] ?? 'application/octet-stream',
      CacheControl: text(meta.cacheControl) ?? 'Private',
      Description: text(meta.description) ?? null,
      Body: new ApexBlob(bytes),
      BodyLength: bytes.length,
    });
  }
}

export function loadCustomPermissions(root: string, dml: Dml): void {
  const dir = sourceDir(root, 'customPermissions');
  if (!existsSync(dir)) return;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.customPermission-meta.xml'))
    .sort()) {
    const name = basename(file, '.customPermission-meta.xml');
    const node = parseXml(readFileSync(join(dir, file), 'utf8')).CustomPermission as XmlNode;
    dml.insertSystem('CustomPermission', {
      DeveloperName: name,
      MasterLabel: text(node.label) ?? name,
      Description: text(node.description) ?? null,
      IsLicensed: text(node.isLicensed) === 'true',
    });
  }
}

export function loadNotificationTypes(root: string, dml: Dml): void {
  const dir = sourceDir(root, 'notificationtypes');
  if (!existsSync(dir)) return;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.notiftype-meta.xml'))
    .sort()) {
    const name = basename(file, '.notiftype-meta.xml');
    const node = parseXml(readFileSync(join(dir, file), 'utf8')).CustomNotificationType as XmlNode;
    dml.insertSystem('CustomNotificationType', {
      DeveloperName: name,
      MasterLabel: text(node.masterLabel) ?? name,
      CustomNotifTypeName: text(node.customNotifTypeName) ?? name,
      Description: text(node.description) ?? null,
      Desktop: text(node.desktop) === 'true',
      Mobile: text(node.mobile) === 'true',
    });
  }
}

export function loadApexClasses(root: string, dml: Dml): void {
  const dir = sourceDir(root, 'classes');
  if (!existsSync(dir)) return;
  // Classes sit in layer folders below classes/; the platform knows them by name only.
  const names: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(folder, entry.name));
      else if (entry.name.endsWith('.cls')) names.push(basename(entry.name, '.cls'));
    }
  };
  walk(dir);
  for (const name of names.sort()) {
    dml.insertSystem('ApexClass', {
      Name: name,
      Status: 'Active',
      IsValid: true,
    });
  }
}

/** One row by a text field, or undefined. */
export function rowBy(store: Store, def: ObjectDef, field: string, value: string): Row | undefined {
  return store.lookup(def, field, [indexKey(value, true)])[0];
}

/** The package's permission sets with their grants. */
export function loadPermissionSets(root: string, store: Store, dml: Dml): void {
  const dir = sourceDir(root, 'permissionsets');
  if (!existsSync(dir)) return;
  const schema = store.schema;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.permissionset-meta.xml'))
    .sort()) {
    const name = basename(file, '.permissionset-meta.xml');
    const node = parseXml(readFileSync(join(dir, file), 'utf8')).PermissionSet as XmlNode;
    const values: Record<string, Value> = {
      Name: name,
      Label: text(node.label) ?? name,
      Description: text(node.description) ?? null,
      Type: 'Regular',
      IsCustom: true,
      IsOwnedByProfile: false,
      HasActivationRequired: text(node.hasActivationRequired) === 'true',
    };
    for (const perm of list(node.userPermissions)) {
      if (text(perm.enabled) === 'true') values[`Permissions${text(perm.name)}`] = true;
    }
    const setId = new ApexId(dml.insertSystem('PermissionSet', values));
    for (const op of list(node.objectPermissions)) {
      dml.insertSystem('ObjectPermissions', {
        ParentId: setId,
        SobjectType: text(op.object)!,
        PermissionsCreate: text(op.allowCreate) === 'true',
        PermissionsRead: text(op.allowRead) === 'true',
        PermissionsEdit: text(op.allowEdit) === 'true',
        PermissionsDelete: text(op.allowDelete) === 'true',
        PermissionsViewAllRecords: text(op.viewAllRecords) === 'true',
        PermissionsModifyAllRecords: text(op.modifyAllRecords) === 'true',
      });
    }
    for (const fp of list(node.fieldPermissions)) {
      const field = text(fp.field)!;
      dml.insertSystem('FieldPermissions', {
        ParentId: setId,
        SobjectType: field.split('.')[0],
        Field: field,
        PermissionsRead: text(fp.readable) === 'true',
        PermissionsEdit: text(fp.editable) === 'true',
      });
    }
    const grant = (entityId: Value, type: string) =>
      dml.insertSystem('SetupEntityAccess', {
        ParentId: setId,
        SetupEntityId: entityId,
        SetupEntityType: type,
      });
    for (const cp of list(node.customPermissions)) {
      if (text(cp.enabled) !== 'true') continue;
      const row = rowBy(store, schema.get('CustomPermission')!, 'DeveloperName', text(cp.name)!);
      if (!row) throw new Error(`permissionsets/${file}: no custom permission ${text(cp.name)}`);
      grant(row.get('id') ?? null, 'CustomPermission');
    }
    for (const ca of list(node.classAccesses)) {
      if (text(ca.enabled) !== 'true') continue;
      const row = rowBy(store, schema.get('ApexClass')!, 'Name', text(ca.apexClass)!);
      if (row) grant(row.get('id') ?? null, 'ApexClass');
    }
    for (const ma of [
      ...list(node.customMetadataTypeAccesses),
      ...list(node.customSettingAccesses),
    ]) {
      if (text(ma.enabled) !== 'true') continue;
      const def = schema.get(text(ma.name)!);
      if (!def) throw new Error(`permissionsets/${file}: no type ${text(ma.name)}`);
      grant(new ApexId(def.durableId), 'CustomEntityDefinition');
    }
  }
}

// ── statics of custom metadata types and custom settings ───────────────────────────────────

/** A stored row as a fresh SObject with every field (no queried-field tracking). */
export function recordOf(def: ObjectDef, row: Row, truncateLongText = false): SObjectValue {
  const out = new SObjectValue(def.name);
  for (const field of def.fields.values()) {
    let value = row.get(field.name.toLowerCase()) ?? null;
    // Custom metadata statics return long text areas cut to 255 characters.
    if (truncateLongText && field.longText && typeof value === 'string')
      value = value.slice(0, 255);
    if (value !== null || field.name === 'Id') out.set(field.name, value);
  }
  return out;
}

/** Hierarchy custom setting value at one level (user, profile or org), or null. */
export function settingAt(store: Store, def: ObjectDef, ownerId: string): Row | undefined {
  return store.lookup(def, 'SetupOwnerId', [indexKey(new ApexId(ownerId), false)])[0];
}

/**
 * Hierarchy getInstance(user): the user's own record, else a new record (Id null) whose empty
 * fields are filled from the profile's and then the org's record.
 */
export function mergedSetting(
  store: Store,
  def: ObjectDef,
  userId: string,
  profileId: string | null,
  orgId: string,
): SObjectValue {
  const own = settingAt(store, def, userId);
  if (own) return recordOf(def, own);
  const out = new SObjectValue(def.name);
  out.set('SetupOwnerId', new ApexId(userId));
  const levels = [
    profileId ? settingAt(store, def, profileId) : undefined,
    settingAt(store, def, orgId),
  ];
  for (const field of def.fields.values()) {
    if (!field.custom) continue;
    for (const level of levels) {
      const value = level?.get(field.name.toLowerCase()) ?? null;
      if (value !== null) {
        out.set(field.name, value);
        break;
      }
    }
  }
  return out;
}
