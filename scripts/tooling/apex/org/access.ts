// What the running user may do, decided from the org's own setup rows, as the platform does:
// the user's permission sets are the profile's own set plus the assigned ones (every user has a
// PermissionSetAssignment to the profile's set); user permissions are the OR of their
// Permissions* flags; object and field access come from ObjectPermissions / FieldPermissions rows
// of those sets. Modify All Data / View All Data grant object access and View All / Modify All on
// records, never field access (field-level security still applies, so the admin profile gets
// FieldPermissions rows for every field when the org is built).
//
// Modelled sharing: org-wide defaults only. Private objects show a user the records they own;
// View All Data, Modify All Data and the object's View All / Modify All show everything. Roles,
// sharing rules, manual shares and groups are not modelled. Files (ContentDocument/Version) are
// visible to their owner, to users who can see a record they are linked to, and with Query All
// Files + View All Data.
import { ApexId, type Value } from '../values';
import type { ObjectDef } from './schema';
import { idOf, indexKey, type Row, type Store } from './store';

export type ObjectPermission =
  'Read' | 'Create' | 'Edit' | 'Delete' | 'ViewAllRecords' | 'ModifyAllRecords';

const FILE_OBJECTS = new Set(['contentversion', 'contentdocument', 'contentdocumentlink']);

const idText = (v: Value): string | null => (v instanceof ApexId ? v.value : null);

export class UserAccess {
  readonly permissionSetIds: string[];
  private readonly flags = new Map<string, boolean>();

  constructor(
    private readonly store: Store,
    readonly userId: string,
  ) {
    const schema = store.schema;
    const psa = schema.get('PermissionSetAssignment')!;
    const sets = new Set<string>();
    for (const row of store.lookup(psa, 'AssigneeId', [indexKey(new ApexId(userId), false)])) {
      const set = idText(row.get('permissionsetid') ?? null);
      if (set) sets.add(set);
    }
    // The profile's own set counts even if its assignment row is missing.
    const user = store.find(userId);
    const profileId = user ? idText(user.row.get('profileid') ?? null) : null;
    if (profileId) {
      const ps = schema.get('PermissionSet')!;
      for (const row of store.lookup(ps, 'ProfileId', [indexKey(new ApexId(profileId), false)])) {
        sets.add(idOf(row));
      }
    }
    this.permissionSetIds = [...sets];
  }

  /** A user permission ('ViewAllData', 'ManageUsers', ...). */
  has(permission: string): boolean {
    const key = permission.toLowerCase();
    let value = this.flags.get(key);
    if (value === undefined) {
      value = this.permissionSetIds.some(
        (id) => this.store.find(id)?.row.get(`permissions${key}`) === true,
      );
      this.flags.set(key, value);
    }
    return value;
  }

  private grants(objectName: string, permission: ObjectPermission): boolean {
    const op = this.store.schema.get('ObjectPermissions')!;
    const parents = new Set(this.permissionSetIds);
    return this.store
      .lookup(op, 'SobjectType', [indexKey(objectName, true)])
      .some(
        (row) =>
          parents.has(idText(row.get('parentid') ?? null) ?? '') &&
          row.get(`permissions${permission.toLowerCase()}`) === true,
      );
  }

  private customEntityGranted(def: ObjectDef): boolean {
    const sea = this.store.schema.get('SetupEntityAccess')!;
    const parents = new Set(this.permissionSetIds);
    return this.store
      .lookup(sea, 'SetupEntityId', [indexKey(new ApexId(def.durableId), false)])
      .some((row) => parents.has(idText(row.get('parentid') ?? null) ?? ''));
  }

  /** Object-level access (CRUD, View All, Modify All). */
  canObject(def: ObjectDef, permission: ObjectPermission): boolean {
    const name = def.name.toLowerCase();
    if (FILE_OBJECTS.has(name)) return true;
    switch (def.kind) {
      case 'setup': {
        if (permission === 'Read' || permission === 'ViewAllRecords') {
          return !def.requiresAnyPermission || def.requiresAnyPermission.some((p) => this.has(p));
        }
        return (
          this.has('ModifyAllData') || this.has('ManageUsers') || this.has('CustomizeApplication')
        );
      }
      case 'metadata':
      case 'setting': {
        const read =
          this.has('CustomizeApplication') ||
          (def.kind === 'setting' && this.has('ViewAllCustomSettings')) ||
          this.customEntityGranted(def);
        if (permission === 'Read' || permission === 'ViewAllRecords') return read;
        return def.kind === 'setting' && this.has('CustomizeApplication');
      }
      default: {
        if (this.has('ModifyAllData')) return true;
        if (this.has('ViewAllData') && (permission === 'Read' || permission === 'ViewAllRecords')) {
          return true;
        }
        if (this.grants(def.name, permission)) return true;
        // Modify All implies every other object permission; View All implies Read.
        if (permission !== 'ModifyAllRecords' && this.grants(def.name, 'ModifyAllRecords'))
          return true;
        return permission === 'Read' && this.grants(def.name, 'ViewAllRecords');
      }
    }
  }

  /** Field-level security: read or edit of one field (non-permissionable fields follow the object). */
  canField(def: ObjectDef, fieldName: string, edit: boolean): boolean {
    const field = def.fields.get(fieldName.toLowerCase());
    if (!field) return false;
    if (!field.permissionable) return this.canObject(def, edit ? 'Edit' : 'Read');
    const fp = this.store.schema.get('FieldPermissions')!;
    const parents = new Set(this.permissionSetIds);
    const flag = edit ? 'permissionsedit' : 'permissionsread';
    return this.store
      .lookup(fp, 'Field', [indexKey(`${def.name}.${field.name}`, true)])
      .some(
        (row) => parents.has(idText(row.get('parentid') ?? null) ?? '') && row.get(flag) === true,
      );
  }

  /** Whether one of the user's sets enables a custom permission (SetupEntityAccess rows). */
  hasCustomPermission(developerName: string): boolean {
    const cp = this.store.schema.get('CustomPermission')!;
    const permission = this.store.lookup(cp, 'DeveloperName', [indexKey(developerName, true)])[0];
    if (!permission) return false;
    const sea = this.store.schema.get('SetupEntityAccess')!;
    const parents = new Set(this.permissionSetIds);
    return this.store
      .lookup(sea, 'SetupEntityId', [indexKey(permission.get('id') ?? null, false)])
      .some((row) => parents.has(idText(row.get('parentid') ?? null) ?? ''));
  }

  private seesAll(def: ObjectDef): boolean {
    return (
      this.has('ViewAllData') ||
      this.has('ModifyAllData') ||
      this.grants(def.name, 'ViewAllRecords') ||
      this.grants(def.name, 'ModifyAllRecords')
    );
  }

  /** Record visibility under sharing. */
  canSee(def: ObjectDef, row: Row, depth = 0): boolean {
    const name = def.name.toLowerCase();
    if (name === 'contentdocument' || name === 'contentversion') {
      if (this.has('QueryAllFiles') && this.has('ViewAllData')) return true;
      if (idText(row.get('ownerid') ?? null) === this.userId) return true;
      const documentId = idText(
        row.get(name === 'contentdocument' ? 'id' : 'contentdocumentid') ?? null,
      );
      if (!documentId || depth > 2) return false;
      const links = this.store.lookup(
        this.store.schema.get('ContentDocumentLink')!,
        'ContentDocumentId',
        [indexKey(new ApexId(documentId), false)],
      );
      return links.some((link) => {
        const target = idText(link.get('linkedentityid') ?? null);
        if (!target) return false;
        if (target === this.userId) return true;
        const found = this.store.find(target);
        return (
          found !== undefined &&
          found.def.kind !== 'setup' &&
          this.canSee(found.def, found.row, depth + 1)
        );
      });
    }
    if (def.sharingModel !== 'Private') return true;
    return idText(row.get('ownerid') ?? null) === this.userId || this.seesAll(def);
  }

  /** Whether sharing lets the user edit or delete the record. */
  canEdit(def: ObjectDef, row: Row): boolean {
    const name = def.name.toLowerCase();
    if (name === 'contentdocument' || name === 'contentversion') {
      return idText(row.get('ownerid') ?? null) === this.userId || this.has('ModifyAllData');
    }
    if (def.sharingModel === 'ReadWrite' || def.sharingModel === 'None') return true;
    return (
      idText(row.get('ownerid') ?? null) === this.userId ||
      this.has('ModifyAllData') ||
      this.grants(def.name, 'ModifyAllRecords')
    );
  }
}
