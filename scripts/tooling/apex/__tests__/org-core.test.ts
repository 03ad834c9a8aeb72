/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
// The in-memory org: schema, Ids, DML, SOQL, user mode, savepoints, snapshots, custom metadata,
// governor counting, through the Database / Schema / SObject natives where Apex would use them.
import { Governor } from '../governor';
import { exceptionFromError } from '../natives/core';
import { findNative } from '../natives/registry';
import {
  ApexBlob,
  ApexDatetime,
  ApexDecimal,
  ApexError,
  ApexId,
  ApexList,
  ApexMap,
  ApexSet,
  EnumValue,
  SObjectValue,
  STRING_TYPE,
  normalizeId,
  typeRef,
  type Value,
} from '../values';
import { DmlError } from '../org/dml';
import { loadSchema } from '../org/schema';
import type { OrgSnapshot } from '../org/orgService';
import { orgContext, PROJECT_ROOT, type OrgContext } from './orgContext';

let ctx: OrgContext;
let clean: OrgSnapshot;

beforeAll(() => {
  ctx = orgContext();
  clean = ctx.org.snapshot();
});

beforeEach(() => {
  ctx.org.restore(clean);
  ctx = orgContext(ctx.org);
});

const db = () => findNative('Database')!.statics!;
const accessLevel = (name: 'user_mode' | 'system_mode') =>
  findNative('System.AccessLevel')!.staticFields![name](ctx);

function query(text: string, binds: Record<string, Value> = {}, level?: 'user_mode'): Value {
  const map = new ApexMap(STRING_TYPE, typeRef('Object'));
  for (const [k, v] of Object.entries(binds)) map.put(k, v);
  return db().querywithbinds(ctx, null, level ? [text, map, accessLevel(level)] : [text, map]);
}

const rows = (v: Value) => (v as ApexList).items as SObjectValue[];

function record(type: string, fields: Record<string, Value>): SObjectValue {
  const r = new SObjectValue(type);
  for (const [k, v] of Object.entries(fields)) r.set(k, v);
  return r;
}

const insert = (...records: SObjectValue[]) =>
  db().insert(ctx, null, [new ApexList(typeRef('SObject'), records)]);

function newUser(username: string, extra: Record<string, Value> = {}): SObjectValue {
  const u = record('User', {
    ProfileId: ctx.org.runningUser().get('profileid')!,
    Username: username,
    Email: 'x@example.com',
    LastName: 'Tester',
    Alias: 'tst',
    TimeZoneSidKey: 'GMT',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    ...extra,
  });
  insert(u);
  return u;
}

function catchError(fn: () => unknown): ApexError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApexError) return e;
    throw e;
  }
  throw new Error('expected an ApexError');
}

describe('schema', () => {
  it('reads the custom objects, fields and types from source', () => {
    const schema = loadSchema(PROJECT_ROOT);
    const run = schema.get('analytics_health_run__c')!;
    expect(run.name).toBe('Analytics_Health_Run__c');
    expect(run.fields.get('score__c')?.type).toBe('DOUBLE');
    expect(run.fields.get('evaluated_at__c')?.type).toBe('DATETIME');
    expect(run.fields.get('name')?.autoNumberFormat).toBe('AHR-{000000}');
    const rule = schema.get('Analytics_Health_Rule__mdt')!;
    expect(rule.kind).toBe('metadata');
    expect(rule.fields.get('severity__c')?.picklistValues).toEqual(['CRITICAL', 'WARNING', 'INFO']);
    expect(schema.get('Analytics_Health_Settings__c')!.settingType).toBe('Hierarchy');
    expect(
      schema.get('Analytics_Health_Acknowledgement__c')!.validationRules.map((r) => r.name),
    ).toContain('Reason_Required');
    expect(schema.get('User')!.keyPrefix).toBe('005');
    expect(schema.get('PermissionSet')!.fields.get('isownedbyprofile')?.type).toBe('BOOLEAN');
    expect(schema.get('Nope__c')).toBeUndefined();
  });
});

describe('ids', () => {
  it('generates 18-character ids with the key prefix and a valid checksum', () => {
    const run = record('Analytics_Health_Run__c', { Status__c: 'running' });
    insert(run);
    const id = (run.get('Id') as ApexId).value;
    expect(id).toHaveLength(18);
    expect(normalizeId(id.slice(0, 15))).toBe(id);
    expect(id.slice(0, 3)).toBe(ctx.org.schema.get('Analytics_Health_Run__c')!.keyPrefix);
    ctx.governor = new Governor('synchronous'); // a new transaction: no mixed DML (SQL-10)
    const user = newUser('ids@example.com');
    expect((user.get('Id') as ApexId).value.startsWith('005')).toBe(true);
  });
});

describe('DML and SOQL', () => {
  it('round-trips an inserted record with system fields and the auto-number name', () => {
    const run = record('Analytics_Health_Run__c', { Status__c: 'complete', Score__c: 87 });
    insert(run);
    const [row] = rows(
      query(
        'SELECT Id, Name, Status__c, Score__c, CreatedDate, CreatedById FROM Analytics_Health_Run__c',
      ),
    );
    expect((row.get('Id') as ApexId).value).toBe((run.get('Id') as ApexId).value);
    expect(row.get('Name')).toMatch(/^AHR-\d{6}$/);
    expect(row.get('Status__c')).toBe('complete');
    expect(row.get('Score__c')).toBeInstanceOf(ApexDecimal);
    expect((row.get('Score__c') as ApexDecimal).toString()).toBe('87');
    expect((row.get('CreatedDate') as ApexDatetime).epochMillis).toBe(
      Date.UTC(2026, 10, 20, 12, 0, 0),
    );
    expect((row.get('CreatedById') as ApexId).value).toBe(ctx.org.runningUserId());
    expect(row.queried?.has('status__c')).toBe(true);
    expect(row.queried?.has('message__c')).toBe(false);
  });

  it('follows parent relationships', () => {
    newUser('rel@example.com', { FirstName: 'Rita' });
    const [u] = rows(
      query(
        "SELECT Id, Profile.Name, Profile.UserLicense.Name, CreatedBy.Username FROM User WHERE Username = 'REL@example.com'",
      ),
    );
    const profile = u.get('Profile') as SObjectValue;
    expect(profile.get('Name')).toBe('System Administrator');
    expect((profile.get('UserLicense') as SObjectValue).get('Name')).toBe('Salesforce');
    expect((u.get('CreatedBy') as SObjectValue).get('Username')).toBe(
      'admin@analytics-health.local',
    );
    expect(u.has('ProfileId')).toBe(false);
  });

  it('reads binds, IN lists and sets, LIKE without case', () => {
    const a = newUser('integration@acme.example');
    newUser('security@acme.example');
    newUser('other@acme.example');
    const ids = new ApexSet(typeRef('Id'));
    ids.add(a.get('Id'));
    expect(rows(query('SELECT Id FROM User WHERE Id IN :ids', { ids }))).toHaveLength(1);
    const liked = rows(
      query(
        "SELECT Username FROM User WHERE Username LIKE 'INTEGRATION@%' OR Username LIKE 'security@%' ORDER BY Username",
      ),
    );
    expect(liked.map((u) => u.get('Username'))).toEqual([
      expect.stringMatching(/^integration@00d/),
      'integration@acme.example',
      'security@acme.example',
    ]);
    const names = new ApexList(STRING_TYPE, ['OTHER@acme.example', 'none']);
    expect(rows(query('SELECT Id FROM User WHERE Username IN :names', { names }))).toHaveLength(1);
    expect(
      rows(
        query("SELECT Id FROM User WHERE Username NOT IN :names AND Username LIKE '%acme%'", {
          names,
        }),
      ),
    ).toHaveLength(2);
  });

  it('orders with nulls first or last, limits and offsets', () => {
    for (const [label, score] of [
      ['b', 2],
      ['A', null],
      ['c', 1],
    ] as const) {
      insert(
        record('Analytics_Health_Run__c', {
          Trigger__c: 'scheduled',
          Message__c: label,
          Score__c: score,
        }),
      );
    }
    const order = (text: string, binds = {}) =>
      rows(query(text, binds)).map((r) => r.get('Message__c'));
    expect(order('SELECT Message__c FROM Analytics_Health_Run__c ORDER BY Score__c')).toEqual([
      'A',
      'c',
      'b',
    ]);
    expect(order('SELECT Message__c FROM Analytics_Health_Run__c ORDER BY Score__c DESC')).toEqual([
      'b',
      'c',
      'A',
    ]);
    expect(
      order('SELECT Message__c FROM Analytics_Health_Run__c ORDER BY Score__c ASC NULLS LAST'),
    ).toEqual(['c', 'b', 'A']);
    expect(
      order('SELECT Message__c FROM Analytics_Health_Run__c ORDER BY Message__c DESC LIMIT 2'),
    ).toEqual(['c', 'b']);
    expect(
      order(
        'SELECT Message__c FROM Analytics_Health_Run__c ORDER BY Message__c LIMIT :n OFFSET 1',
        { n: 5 },
      ),
    ).toEqual(['b', 'c']);
  });

  it('counts with COUNT() and COUNT(Id)', () => {
    insert(
      record('Analytics_Health_Run__c', { Status__c: 'running' }),
      record('Analytics_Health_Run__c', { Status__c: 'failed' }),
    );
    expect(query('SELECT COUNT() FROM Analytics_Health_Run__c')).toBe(2);
    expect(query("SELECT COUNT() FROM Analytics_Health_Run__c WHERE Status__c = 'RUNNING'")).toBe(
      1,
    );
    const [agg] = rows(query('SELECT COUNT(Id) total FROM Analytics_Health_Run__c'));
    expect(agg.get('total')).toBe(2);
    expect(db().countquery(ctx, null, ['SELECT COUNT() FROM Analytics_Health_Run__c'])).toBe(2);
  });

  it('fails on unknown objects and fields with the platform messages', () => {
    expect(catchError(() => query('SELECT Id FROM Nope__c')).message).toMatch(
      /^sObject type 'Nope__c' is not supported/,
    );
    const e = catchError(() => query('SELECT Bogus__c FROM Analytics_Health_Run__c'));
    expect(e.typeName).toBe('System.QueryException');
    expect(e.message).toMatch(/^No such column 'Bogus__c' on entity 'Analytics_Health_Run__c'/);
  });

  it('refuses missing required fields, and reports rows with allOrNone false', () => {
    const e = catchError(() => insert(record('User', { LastName: 'X' }))) as DmlError;
    expect(e).toBeInstanceOf(DmlError);
    expect(e.message).toMatch(
      /^Insert failed\. First exception on row 0; first error: REQUIRED_FIELD_MISSING, Required fields are missing: \[/,
    );
    const results = db().insert(ctx, null, [
      new ApexList(typeRef('SObject'), [
        record('Analytics_Health_Run__c', { Status__c: 'running' }),
        // Not a User: a setup object would make the list mixed DML (SQL-10).
        record('Account', {}),
      ]),
      false,
    ]) as ApexList;
    const [ok, bad] = results.items as ApexInstanceLike[];
    const methods = findNative('Database.SaveResult')!.methods!;
    expect(methods.issuccess(ctx, ok as never, [])).toBe(true);
    expect(methods.issuccess(ctx, bad as never, [])).toBe(false);
    const [error] = (methods.geterrors(ctx, bad as never, []) as ApexList).items;
    const code = findNative('Database.Error')!.methods!.getstatuscode(ctx, error, []) as EnumValue;
    expect(code.name).toBe('REQUIRED_FIELD_MISSING');
    expect(query('SELECT COUNT() FROM Analytics_Health_Run__c')).toBe(1);
  });

  it('runs validation rules (a blank reason is refused)', () => {
    const e = catchError(() =>
      insert(
        record('Analytics_Health_Acknowledgement__c', {
          Rule_Id__c: 'AH001',
          Subject_Type__c: 'user',
          Subject_Id__c: 'x',
          Reason__c: '   ',
        }),
      ),
    ) as DmlError;
    expect(e.failures[0].statusCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(e.failures[0].fields).toEqual(['Reason__c']);
    insert(
      record('Analytics_Health_Acknowledgement__c', {
        Rule_Id__c: 'AH001',
        Subject_Type__c: 'user',
        Subject_Id__c: 'x',
        Reason__c: 'why',
      }),
    );
    const [ack] = rows(
      query('SELECT Active__c, CreatedBy.Name FROM Analytics_Health_Acknowledgement__c'),
    );
    expect(ack.get('Active__c')).toBe(true);
    expect((ack.get('CreatedBy') as SObjectValue).get('Name')).toBe('Admin User');
  });

  it('upserts on an external id and creates file documents', () => {
    const upsert = (identity: string, rule: string) =>
      db().upsert(ctx, null, [
        record('Analytics_Health_Notified_Finding__c', {
          Finding_Identity__c: identity,
          Rule_Id__c: rule,
        }),
        findNative('Schema')!.statics!.getglobaldescribe(ctx, null, []) &&
          fieldTokenOf('Analytics_Health_Notified_Finding__c', 'Finding_Identity__c'),
      ]);
    upsert('AH001|user|1', 'AH001');
    upsert('AH001|user|1', 'AH002');
    const found = rows(query('SELECT Rule_Id__c FROM Analytics_Health_Notified_Finding__c'));
    expect(found.map((r) => r.get('Rule_Id__c'))).toEqual(['AH002']);

    const run = record('Analytics_Health_Run__c', { Status__c: 'complete' });
    insert(run);
    insert(
      record('ContentVersion', {
        Title: 'r',
        PathOnClient: 'r.json',
        VersionData: new ApexBlob(new Uint8Array(Buffer.from('{}'))),
        FirstPublishLocationId: run.get('Id'),
      }),
    );
    const runIds = new ApexSet(typeRef('Id'));
    runIds.add(run.get('Id'));
    const [version] = rows(
      query(
        'SELECT ContentDocumentId, VersionData FROM ContentVersion WHERE FirstPublishLocationId IN :runIds AND IsLatest = TRUE',
        { runIds },
        'user_mode',
      ),
    );
    expect((version.get('VersionData') as ApexBlob).bytes).toHaveLength(2);
    db().delete(ctx, null, [record('ContentDocument', { Id: version.get('ContentDocumentId') })]);
    expect(query('SELECT COUNT() FROM ContentVersion')).toBe(0);
  });
});

type ApexInstanceLike = { apexType: unknown };

function fieldTokenOf(object: string, field: string): Value {
  const describe = findNative('Schema')!.statics!.getglobaldescribe(ctx, null, []) as ApexMap;
  const token = describe.get(object.toLowerCase());
  const d = findNative('Schema.SObjectType')!.methods!.getdescribe(ctx, token, []);
  const fields = findNative('Schema.DescribeSObjectResult')!.properties!.fields(ctx, d);
  const map = findNative('Schema.SObjectTypeFields')!.methods!.getmap(ctx, fields, []) as ApexMap;
  return map.get(field.toLowerCase());
}

describe('user mode and sharing', () => {
  it('denies a user without access to an object in user mode, not in system mode', () => {
    const minimum = rows(
      query("SELECT Id FROM Profile WHERE Name = 'Minimum Access - Salesforce'"),
    )[0].get('Id');
    const user = newUser('minimum@example.com', { ProfileId: minimum });
    ctx.governor = new Governor('synchronous'); // a new transaction: no mixed DML (SQL-10)
    // Owned by the user: runs are private, so system mode with sharing shows a user only its own.
    insert(record('Analytics_Health_Run__c', { Status__c: 'complete', OwnerId: user.get('Id') }));
    ctx.org.setRunningUser((user.get('Id') as ApexId).value);
    const e = catchError(() =>
      query('SELECT Status__c FROM Analytics_Health_Run__c', {}, 'user_mode'),
    );
    expect(e.typeName).toBe('System.QueryException');
    expect(
      rows(query('SELECT Status__c FROM Analytics_Health_Run__c WITH SYSTEM_MODE')),
    ).toHaveLength(1);
    expect(
      catchError(() => query('SELECT Id FROM Analytics_Health_Run__c WITH USER_MODE')).typeName,
    ).toBe('System.QueryException');
  });

  it('grants through the package permission set and checks custom permissions', () => {
    const standard = rows(query("SELECT Id FROM Profile WHERE Name = 'Standard User'"))[0].get(
      'Id',
    );
    const user = newUser('std@example.com', { ProfileId: standard });
    const userId = (user.get('Id') as ApexId).value;
    const check = () => {
      ctx.org.setRunningUser(userId);
      try {
        return findNative('FeatureManagement')!.statics!.checkpermission(ctx, null, [
          'Analytics_Health_Run_Check',
        ]);
      } finally {
        ctx.org.setRunningUser(ctx.org.store.find(clean.runningUserId)!.row.get('id')!.toString());
      }
    };
    expect(check()).toBe(false);
    const [set] = rows(query("SELECT Id FROM PermissionSet WHERE Name = 'Analytics_Health_Admin'"));
    insert(
      record('PermissionSetAssignment', {
        AssigneeId: user.get('Id'),
        PermissionSetId: set.get('Id'),
      }),
    );
    expect(check()).toBe(true);
    ctx.org.setRunningUser(userId);
    ctx.governor = new Governor('synchronous'); // a new transaction: no mixed DML (SQL-10)
    insert(record('Analytics_Health_Run__c', { Status__c: 'complete' }));
    expect(
      rows(query('SELECT Status__c, Score__c FROM Analytics_Health_Run__c', {}, 'user_mode')),
    ).toHaveLength(1);
  });

  it('lists the profile permission sets as assignments of every user', () => {
    const assignments = rows(
      query(
        'SELECT AssigneeId, PermissionSet.IsOwnedByProfile FROM PermissionSetAssignment WHERE PermissionSet.IsOwnedByProfile = TRUE',
      ),
    );
    expect(assignments.length).toBeGreaterThanOrEqual(3);
    expect(
      query(
        "SELECT COUNT() FROM User WHERE Profile.UserLicense.Name = 'Analytics Cloud Integration User'",
      ),
    ).toBe(2);
  });
});

describe('savepoints and snapshots', () => {
  it('rolls back to a savepoint without resetting limits or reusing ids', () => {
    const first = record('Analytics_Health_Run__c', { Status__c: 'running' });
    insert(first);
    const sp = db().setsavepoint(ctx, null, []);
    const second = record('Analytics_Health_Run__c', { Status__c: 'failed' });
    insert(second);
    const used = ctx.governor.usage.dmlStatements;
    db().rollback(ctx, null, [sp]);
    expect(query('SELECT COUNT() FROM Analytics_Health_Run__c')).toBe(1);
    expect(ctx.governor.usage.dmlStatements).toBe(used + 1);
    const third = record('Analytics_Health_Run__c', { Status__c: 'complete' });
    insert(third);
    expect((third.get('Id') as ApexId).value).not.toBe((second.get('Id') as ApexId).value);
  });

  it('restores a snapshot', () => {
    const snap = ctx.org.snapshot();
    insert(record('Analytics_Health_Run__c', { Status__c: 'running' }));
    expect(query('SELECT COUNT() FROM Analytics_Health_Run__c')).toBe(1);
    ctx.org.restore(snap);
    expect(query('SELECT COUNT() FROM Analytics_Health_Run__c')).toBe(0);
  });
});

describe('custom metadata, settings and static resources', () => {
  it('serves the real custom metadata records', () => {
    const getAll = findNative('Analytics_Health_Rule__mdt')!.statics!.getall(
      ctx,
      null,
      [],
    ) as ApexMap;
    expect(getAll.size).toBeGreaterThanOrEqual(10);
    const ah001 = getAll.get('AH001') as SObjectValue;
    expect(ah001.get('Severity__c')).toBe('CRITICAL');
    expect(ah001.get('Is_Active__c')).toBe(true);
    expect((ah001.get('Sort_Order__c') as ApexDecimal).toString()).toBe('1');
    const viaSoql = rows(
      query(
        "SELECT Rule_Id__c, Severity__c FROM Analytics_Health_Rule__mdt WHERE DeveloperName = 'AH001'",
        {},
        'user_mode',
      ),
    );
    expect(viaSoql[0].get('Rule_Id__c')).toBe('AH001');
    expect(
      findNative('Analytics_Health_Rule__mdt')!.statics!.getinstance(ctx, null, ['NOPE']),
    ).toBeNull();
  });

  it('returns org defaults of a hierarchy setting', () => {
    const statics = findNative('Analytics_Health_Settings__c')!.statics!;
    expect((statics.getorgdefaults(ctx, null, []) as SObjectValue).get('Id')).toBeNull();
    insert(
      record('Analytics_Health_Settings__c', {
        SetupOwnerId: new ApexId(ctx.org.organizationId()),
        Retention_Days__c: 30,
      }),
    );
    const defaults = statics.getorgdefaults(ctx, null, []) as SObjectValue;
    expect(defaults.get('Id')).not.toBeNull();
    expect((statics.getinstance(ctx, null, []) as SObjectValue).get('Retention_Days__c')).toEqual(
      defaults.get('Retention_Days__c'),
    );
  });

  it('serves static resources as blobs', () => {
    const [resource] = rows(
      query(
        "SELECT Body, ContentType FROM StaticResource WHERE Name = 'AnalyticsHealthVectors'",
        {},
        'user_mode',
      ),
    );
    expect(resource.get('ContentType')).toBe('application/json');
    expect(Buffer.from((resource.get('Body') as ApexBlob).bytes).toString('utf8')).toMatch(/^\{/);
  });
});

describe('SObject natives and describe', () => {
  it('refuses a field the query did not select', () => {
    insert(record('Analytics_Health_Run__c', { Status__c: 'running' }));
    const [row] = rows(query('SELECT Status__c FROM Analytics_Health_Run__c'));
    const get = findNative('SObject')!.methods!.get;
    expect(get(ctx, row, ['status__c'])).toBe('running');
    const e = catchError(() => get(ctx, row, ['Message__c']));
    expect(e.message).toBe(
      'SObject row was retrieved via SOQL without querying the requested field: Analytics_Health_Run__c.Message__c',
    );
    expect(catchError(() => get(ctx, row, ['Nope'])).message).toBe(
      'Invalid field Nope for Analytics_Health_Run__c',
    );
  });

  it('describes PermissionSet with its boolean Permissions fields', () => {
    const describe = findNative('Schema')!.statics!.describesobjects(ctx, null, [
      new ApexList(STRING_TYPE, ['PermissionSet']),
    ]) as ApexList;
    const d = describe.items[0];
    const fields = findNative('Schema.DescribeSObjectResult')!.properties!.fields(ctx, d);
    const map = findNative('Schema.SObjectTypeFields')!.methods!.getmap(ctx, fields, []) as ApexMap;
    expect(map.has('permissionsviewalldata')).toBe(true);
    const fd = findNative('Schema.SObjectField')!.methods!.getdescribe(
      ctx,
      map.get('permissionsviewalldata'),
      [],
    );
    const type = findNative('Schema.DescribeFieldResult')!.methods!.gettype(
      ctx,
      fd,
      [],
    ) as EnumValue;
    expect(type.name).toBe('BOOLEAN');
    expect(findNative('Schema.DescribeFieldResult')!.methods!.getname(ctx, fd, [])).toBe(
      'PermissionsViewAllData',
    );
  });

  it('answers UserInfo from the running user and the organization', () => {
    const ui = findNative('UserInfo')!.statics!;
    expect((ui.getuserid(ctx, null, []) as ApexId).value).toBe(ctx.org.runningUserId());
    expect(ui.getname(ctx, null, [])).toBe('Admin User');
    expect((ui.getorganizationid(ctx, null, []) as ApexId).value.startsWith('00D')).toBe(true);
    expect(ui.getlocale(ctx, null, [])).toBe('en_US');
  });
});

describe('governor', () => {
  it('throws on the 101st query', () => {
    for (let i = 0; i < 100; i++) query('SELECT Id FROM Organization LIMIT 1');
    const e = catchError(() => query('SELECT Id FROM Organization LIMIT 1'));
    expect(e.typeName).toBe('System.LimitException');
    expect(e.message).toBe('Too many SOQL queries: 101');
  });

  it('counts query rows', () => {
    const before = ctx.governor.usage.queryRows;
    const users = rows(query('SELECT Id FROM User'));
    expect(ctx.governor.usage.queryRows).toBe(before + users.length);
    expect(users.length).toBeGreaterThanOrEqual(3);
  });
});

describe('Id.getSObjectType, DmlException rows, FieldDefinition.EntityDefinition', () => {
  it('Id.getSObjectType gives the token of the object with the key prefix (Apex Reference, Id Class: getSObjectType())', () => {
    insert(record('Analytics_Health_Run__c', { Status__c: 'running' }));
    const [run] = rows(query('SELECT Id FROM Analytics_Health_Run__c'));
    const token = findNative('Id')!.methods!.getsobjecttype(ctx, run.get('Id'), []);
    expect(String(token)).toBe('Analytics_Health_Run__c');
    expect(token).toBe(findNative('SObject')!.methods!.getsobjecttype(ctx, run, []));
  });

  it('DmlException getNumDml/getDmlType/getDmlMessage/getDmlFieldNames/getDmlIndex read the failed rows (Apex Developer Guide, Built-In Exceptions and Common Methods)', () => {
    const good = record('Analytics_Health_Acknowledgement__c', {
      Rule_Id__c: 'AH001',
      Subject_Type__c: 'user',
      Subject_Id__c: 'x',
      Reason__c: 'why',
    });
    const blank = record('Analytics_Health_Acknowledgement__c', {
      Rule_Id__c: 'AH001',
      Subject_Type__c: 'user',
      Subject_Id__c: 'y',
      Reason__c: '   ',
    });
    const e = catchError(() => insert(good, blank));
    const thrown = exceptionFromError(e);
    const m = findNative('System.DmlException')!.methods!;
    expect(m.getnumdml(ctx, thrown, [])).toBe(1);
    expect((m.getdmltype(ctx, thrown, [0]) as EnumValue).name).toBe(
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
    );
    expect(m.getdmlindex(ctx, thrown, [0])).toBe(1);
    expect((m.getdmlfieldnames(ctx, thrown, [0]) as ApexList).items).toEqual(['Reason__c']);
    expect(typeof m.getdmlmessage(ctx, thrown, [0])).toBe('string');
    expect(m.getdmlid(ctx, thrown, [0])).toBeNull();
  });

  it('FieldDefinition.EntityDefinition is a relationship usable in SELECT and WHERE (Object Reference, FieldDefinition: EntityDefinition)', () => {
    const fields = rows(
      query(
        'SELECT EntityDefinition.QualifiedApiName, QualifiedApiName FROM FieldDefinition' +
          " WHERE EntityDefinition.QualifiedApiName IN ('Analytics_Health_Acknowledgement__c')",
      ),
    );
    expect(fields.length).toBeGreaterThan(0);
    for (const f of fields) {
      expect((f.get('EntityDefinition') as SObjectValue).get('QualifiedApiName')).toBe(
        'Analytics_Health_Acknowledgement__c',
      );
    }
    expect(fields.map((f) => f.get('QualifiedApiName'))).toContain('Reason__c');
  });
});
