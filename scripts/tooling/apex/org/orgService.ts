// The OrgService that goes into ctx.services.org: SOQL, DML, schema, the running user,
// savepoints and test snapshots over one in-memory org, plus the default org the package's tests
// assume (an Organization, the System Administrator / Standard User / Minimum Access profiles, the
// CRM Analytics Integration and Security users, an admin as running user) and the setup data read
// from the project's source.
import type { Governor } from '../governor';
import type { NativeContext } from '../natives/registry';
import { nowMillis } from '../natives/support';
import { ApexError, ApexId, SObjectValue, type Value } from '../values';
import { UserAccess } from './access';
import {
  Dml,
  type DmlOperation,
  type DmlOptions,
  type DmlRowResult,
  type MixedDmlScope,
} from './dml';
import {
  loadApexClasses,
  loadCustomMetadata,
  loadCustomPermissions,
  loadNotificationTypes,
  loadPermissionSets,
  loadStaticResources,
} from './metadata';
import { USER_PERMISSIONS, loadSchema, type ObjectDef, type OrgSchema } from './schema';
import { runQuery, type QueryOptions } from './soql';
import { Store, type Row, type StoreState } from './store';

/** A Database.Savepoint: the data at setSavepoint() time. */
export interface SavepointState {
  readonly state: StoreState;
  readonly serial: number;
  valid: boolean;
}

/** What snapshot() keeps: data plus the running user. */
export interface OrgSnapshot {
  readonly state: StoreState;
  readonly runningUserId: string;
}

export interface OrgService {
  readonly schema: OrgSchema;
  readonly store: Store;
  /** SOQL text; binds are asked for by their expression text. */
  query(
    ctx: NativeContext,
    text: string,
    bind: (expression: string) => Value,
    options: QueryOptions,
  ): Value;
  /** DML; throws DmlException when allOrNone and a row fails, else returns per-row results. */
  dml(
    ctx: NativeContext,
    op: DmlOperation,
    records: SObjectValue[],
    options: DmlOptions,
  ): DmlRowResult[];
  /**
   * Runs `fn` in a mixed-DML scope of its own (System.runAs in a test; SEMANTICS.md SQL-10): DML
   * inside does not mix with the transaction's DML before or after it.
   */
  mixedDmlScope<T>(ctx: NativeContext, fn: () => T): T;
  /** The running user's Id (18 characters). */
  runningUserId(): string;
  /** System.runAs switches it. */
  setRunningUser(userId: string): void;
  /** The running user's record (every field). */
  runningUser(): Row;
  organizationId(): string;
  organization(): Row;
  access(userId?: string): UserAccess;
  savepoint(ctx: NativeContext): SavepointState;
  rollback(ctx: NativeContext, savepoint: SavepointState): void;
  snapshot(): OrgSnapshot;
  restore(snapshot: OrgSnapshot): void;
  /** Inserts a platform-made record without DML checks (CronTrigger, AsyncApexJob, audit rows). */
  insertSystem(objectName: string, values: Record<string, Value>): string;
  /** Derived rows (EntityDefinition, FieldDefinition) computed from the schema. */
  derivedRows(def: ObjectDef): Iterable<Row> | undefined;
}

const DEFAULT_TIME_ZONE = 'America/Los_Angeles';

class InMemoryOrg implements OrgService {
  readonly store: Store;
  private readonly dmlEngine: Dml;
  private userId = '';
  private orgId = '';
  private serial = 0;
  private savepoints: SavepointState[] = [];
  private readonly autoNumbers = new Map<string, number>();
  private readonly derived = new Map<string, Row[]>();
  /** Mixed-DML scopes per transaction (its Governor); the last one is current. */
  private readonly mixedScopes = new WeakMap<Governor, MixedDmlScope[]>();
  /** The clock for system fields while no transaction context is at hand (org setup). */
  private clock: () => number = () => Date.now();

  constructor(readonly schema: OrgSchema) {
    this.store = new Store(schema);
    this.dmlEngine = new Dml({
      store: this.store,
      now: () => this.clock(),
      userId: () => this.userId,
      organizationId: () => this.orgId,
      access: () => this.access(),
      nextAutoNumber: (def) => {
        const next = (this.autoNumbers.get(def.name) ?? 0) + 1;
        this.autoNumbers.set(def.name, next);
        return next;
      },
    });
  }

  private withClock<T>(ctx: NativeContext, fn: () => T): T {
    const saved = this.clock;
    this.clock = () => nowMillis(ctx);
    try {
      return fn();
    } finally {
      this.clock = saved;
    }
  }

  query(
    ctx: NativeContext,
    text: string,
    bind: (expression: string) => Value,
    options: QueryOptions,
  ): Value {
    return this.withClock(ctx, () =>
      runQuery(
        {
          store: this.store,
          governor: ctx.governor,
          access: () => this.access(),
          now: () => nowMillis(ctx),
          timeZone: () => String(this.runningUser().get('timezonesidkey') ?? DEFAULT_TIME_ZONE),
          bind,
          derivedRows: (def) => this.derivedRows(def),
        },
        text,
        options,
      ),
    );
  }

  dml(
    ctx: NativeContext,
    op: DmlOperation,
    records: SObjectValue[],
    options: DmlOptions,
  ): DmlRowResult[] {
    ctx.governor.onDml(records.length);
    const scope = this.mixedScopeStack(ctx);
    return this.withClock(ctx, () =>
      this.dmlEngine.run(op, records, options, scope[scope.length - 1]),
    );
  }

  private mixedScopeStack(ctx: NativeContext): MixedDmlScope[] {
    let stack = this.mixedScopes.get(ctx.governor);
    if (!stack) {
      stack = [{ setup: null, other: null }];
      this.mixedScopes.set(ctx.governor, stack);
    }
    return stack;
  }

  mixedDmlScope<T>(ctx: NativeContext, fn: () => T): T {
    const stack = this.mixedScopeStack(ctx);
    stack.push({ setup: null, other: null });
    try {
      return fn();
    } finally {
      stack.pop();
    }
  }

  runningUserId(): string {
    return this.userId;
  }

  setRunningUser(userId: string): void {
    const found = this.store.find(new ApexId(userId).value);
    if (!found || found.def.name !== 'User')
      throw new ApexError('System.InvalidParameterValueException', `no user ${userId}`);
    this.userId = found.row.get('id')!.toString();
  }

  runningUser(): Row {
    return this.store.find(this.userId)!.row;
  }

  organizationId(): string {
    return this.orgId;
  }

  organization(): Row {
    return this.store.find(this.orgId)!.row;
  }

  access(userId = this.userId): UserAccess {
    return new UserAccess(this.store, userId);
  }

  savepoint(ctx: NativeContext): SavepointState {
    // setSavepoint and rollback count against the DML statement limit.
    ctx.governor.onDml(0);
    const sp = { state: this.store.snapshot(), serial: ++this.serial, valid: true };
    this.savepoints.push(sp);
    return sp;
  }

  rollback(ctx: NativeContext, savepoint: SavepointState): void {
    ctx.governor.onDml(0);
    if (!savepoint.valid) {
      throw new ApexError('System.TypeException', 'Savepoint does not exist in this context.');
    }
    this.store.restore(savepoint.state);
    // Savepoints set after this one are gone.
    for (const sp of this.savepoints) if (sp.serial > savepoint.serial) sp.valid = false;
    this.savepoints = this.savepoints.filter((sp) => sp.valid);
  }

  snapshot(): OrgSnapshot {
    return { state: this.store.snapshot(), runningUserId: this.userId };
  }

  restore(snapshot: OrgSnapshot): void {
    this.store.restore(snapshot.state);
    this.userId = snapshot.runningUserId;
    for (const sp of this.savepoints) sp.valid = false;
    this.savepoints = [];
  }

  insertSystem(objectName: string, values: Record<string, Value>): string {
    return this.dmlEngine.insertSystem(objectName, values);
  }

  derivedRows(def: ObjectDef): Iterable<Row> | undefined {
    if (def.name !== 'EntityDefinition' && def.name !== 'FieldDefinition') return undefined;
    let rows = this.derived.get(def.name);
    if (!rows) {
      rows = def.name === 'EntityDefinition' ? this.entityRows() : this.fieldRows();
      this.derived.set(def.name, rows);
    }
    return rows;
  }

  private entityRows(): Row[] {
    return [...this.schema.objects.values()].map(
      (o) =>
        new Map<string, Value>([
          ['id', null],
          ['durableid', o.durableId],
          ['qualifiedapiname', o.name],
          ['developername', o.name.replace(/__(c|mdt)$/, '')],
          ['label', o.label],
          ['plurallabel', o.labelPlural],
          ['keyprefix', o.keyPrefix],
          ['namespaceprefix', null],
          ['iscustomsetting', o.kind === 'setting'],
          ['isqueryable', true],
          ['iscustomizable', o.kind !== 'setup'],
        ]),
    );
  }

  private fieldRows(): Row[] {
    const rows: Row[] = [];
    for (const o of this.schema.objects.values()) {
      for (const f of o.fields.values()) {
        rows.push(
          new Map<string, Value>([
            ['id', null],
            ['durableid', `${o.durableId}.${f.name}`],
            ['qualifiedapiname', f.name],
            ['developername', f.name.replace(/__c$/, '')],
            ['label', f.label],
            ['datatype', f.type],
            ['entitydefinitionid', o.durableId],
            ['namespaceprefix', null],
            ['securityclassification', f.securityClassification ?? null],
            ['compliancegroup', f.complianceGroup ?? null],
            ['businessstatus', null],
            ['isnillable', f.nillable],
            ['iscalculated', false],
            ['length', f.length ?? 0],
            ['precision', f.precision ?? 0],
            ['scale', f.scale ?? 0],
            ['description', null],
          ]),
        );
      }
    }
    return rows;
  }

  /** Drops cached derived rows (after a classification change in the schema). */
  invalidateDerived(): void {
    this.derived.clear();
  }

  // ── the default org ─────────────────────────────────────────────────────────────────────

  build(projectRoot: string): void {
    const ins = (object: string, values: Record<string, Value>) =>
      this.dmlEngine.insertSystem(object, values);
    const userDef = this.schema.get('User')!;
    // The admin's Id is reserved first so every setup row can name its creator.
    this.userId = this.store.newId(userDef);
    this.orgId = ins('Organization', {
      Name: 'Analytics Health Local',
      OrganizationType: 'Developer Edition',
      InstanceName: 'LOCAL',
      IsSandbox: false,
      DefaultLocaleSidKey: 'en_US',
      LanguageLocaleKey: 'en_US',
      TimeZoneSidKey: DEFAULT_TIME_ZONE,
      FiscalYearStartMonth: 1,
    });
    const salesforce = ins('UserLicense', {
      Name: 'Salesforce',
      MasterLabel: 'Salesforce',
      LicenseDefinitionKey: 'SFDC',
      Status: 'Active',
      TotalLicenses: 2,
      UsedLicenses: 1,
    });
    const integration = ins('UserLicense', {
      Name: 'Analytics Cloud Integration User',
      MasterLabel: 'Analytics Cloud Integration User',
      Status: 'Active',
      TotalLicenses: 2,
      UsedLicenses: 2,
    });
    const all = Object.fromEntries(
      USER_PERMISSIONS.filter(
        (p) => !['ApiUserOnly', 'PasswordNeverExpires', 'QueryAllFiles'].includes(p),
      ).map((p) => [p, true]),
    );
    const admin = this.profile('System Administrator', salesforce, all);
    const standard = this.profile('Standard User', salesforce, {
      ApiEnabled: true,
      RunReports: true,
      ExportReport: true,
      EmailSingle: true,
      ChatterInternalUser: true,
      LightningExperienceUser: true,
    });
    this.profile('Minimum Access - Salesforce', salesforce, {});
    const integrationProfile = this.profile('Analytics Cloud Integration User', integration, {
      ApiEnabled: true,
      ViewAllData: true,
      InsightsAppUser: true,
    });
    const securityProfile = this.profile('Analytics Cloud Security User', integration, {
      ApiEnabled: true,
      InsightsAppUser: true,
    });
    this.grantObjects(
      admin.setId,
      [...this.schema.objects.values()].filter((o) => o.kind === 'custom' || o.kind === 'standard'),
      true,
    );
    this.grantObjects(
      standard.setId,
      ['Account', 'Contact'].map((n) => this.schema.get(n)!),
      false,
    );
    this.grantObjects(
      integrationProfile.setId,
      ['Account', 'Contact'].map((n) => this.schema.get(n)!),
      false,
      true,
    );

    const org15 = this.orgId.slice(0, 15).toLowerCase();
    const adminId = this.userId;
    this.user(adminId, admin.profileId, 'admin@analytics-health.local', 'Admin', 'User');
    this.user(
      null,
      integrationProfile.profileId,
      `integration@${org15}.com`,
      'Integration',
      'User',
    );
    this.user(null, securityProfile.profileId, `insightssecurity@${org15}.com`, 'Security', 'User');

    loadCustomMetadata(projectRoot, this.schema, this.dmlEngine);
    for (const def of this.schema.objects.values()) {
      if (def.custom)
        ins('CustomEntityDefinition', {
          Id: new ApexId(def.durableId),
          DeveloperName: def.name.replace(/__(c|mdt)$/, ''),
        });
    }
    loadStaticResources(projectRoot, this.dmlEngine);
    loadCustomPermissions(projectRoot, this.dmlEngine);
    loadNotificationTypes(projectRoot, this.dmlEngine);
    loadApexClasses(projectRoot, this.dmlEngine);
    loadPermissionSets(projectRoot, this.store, this.dmlEngine);
    this.userId = adminId;
  }

  private profile(
    name: string,
    licenseId: string,
    permissions: Record<string, boolean>,
  ): { profileId: string; setId: string } {
    const flags = Object.fromEntries(
      USER_PERMISSIONS.map((p) => [`Permissions${p}`, permissions[p] === true]),
    );
    const profileId = this.dmlEngine.insertSystem('Profile', {
      Name: name,
      UserLicenseId: new ApexId(licenseId),
      UserType: 'Standard',
      ...flags,
    });
    const setId = this.dmlEngine.insertSystem('PermissionSet', {
      Name: `X${profileId.slice(0, 15)}`,
      Label: name,
      Type: 'Profile',
      IsOwnedByProfile: true,
      IsCustom: false,
      ProfileId: new ApexId(profileId),
      LicenseId: new ApexId(licenseId),
      ...flags,
    });
    return { profileId, setId };
  }

  /** ObjectPermissions for the objects and FieldPermissions for their permissionable fields. */
  private grantObjects(setId: string, objects: ObjectDef[], full: boolean, readOnly = false): void {
    const parent = new ApexId(setId);
    for (const def of objects) {
      this.dmlEngine.insertSystem('ObjectPermissions', {
        ParentId: parent,
        SobjectType: def.name,
        PermissionsRead: true,
        PermissionsCreate: !readOnly,
        PermissionsEdit: !readOnly,
        PermissionsDelete: !readOnly,
        PermissionsViewAllRecords: full || readOnly,
        PermissionsModifyAllRecords: full,
      });
      for (const field of def.fields.values()) {
        if (!field.permissionable) continue;
        this.dmlEngine.insertSystem('FieldPermissions', {
          ParentId: parent,
          SobjectType: def.name,
          Field: `${def.name}.${field.name}`,
          PermissionsRead: true,
          PermissionsEdit: !readOnly && field.updateable,
        });
      }
    }
  }

  private user(
    id: string | null,
    profileId: string,
    username: string,
    firstName: string,
    lastName: string,
  ): string {
    const userId = this.dmlEngine.insertSystem('User', {
      ...(id ? { Id: new ApexId(id) } : {}),
      Username: username,
      FirstName: firstName,
      LastName: lastName,
      Name: `${firstName} ${lastName}`,
      Alias: `${firstName.slice(0, 4)}${lastName.slice(0, 4)}`.toLowerCase(),
      Email: username,
      CommunityNickname: username.split('@')[0],
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      LocaleSidKey: 'en_US',
      TimeZoneSidKey: DEFAULT_TIME_ZONE,
      ProfileId: new ApexId(profileId),
      IsActive: true,
      UserType: 'Standard',
    });
    this.dmlEngine.insertSystem('UserLogin', {
      UserId: new ApexId(userId),
      IsFrozen: false,
      IsPasswordLocked: false,
    });
    const ps = this.schema.get('PermissionSet')!;
    const set = this.store.lookup(ps, 'ProfileId', [`i:${profileId}`])[0];
    if (set)
      this.dmlEngine.insertSystem('PermissionSetAssignment', {
        AssigneeId: new ApexId(userId),
        PermissionSetId: set.get('id') ?? null,
        IsActive: true,
      });
    return userId;
  }
}

const schemas = new Map<string, OrgSchema>();

/** A fresh org for a project: its schema (cached per project), default setup data and users. */
export function createOrg(projectRoot: string): OrgService {
  let schema = schemas.get(projectRoot);
  if (!schema) {
    schema = loadSchema(projectRoot);
    schemas.set(projectRoot, schema);
  }
  const org = new InMemoryOrg(schema);
  org.build(projectRoot);
  return org;
}

/** The org of a native call (ctx.services.org). */
export function orgOf(ctx: NativeContext): OrgService {
  const org = ctx.services.org as OrgService | undefined;
  if (!org) throw new Error('no org service in ctx.services.org');
  return org;
}
