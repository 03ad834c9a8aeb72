// SEMANTICS.md §9–12: Limits (LIM), Testing (TST), SOQL/DML (SQL) and Async (ASY): one test per
// row, Apex run through the runtime; the TST rows run small @IsTest classes with the test runner
// apex:test uses.
import { runTests, type MethodResult } from '../harness/testRunner';
import { semanticsRuntime, type Apex } from './semanticsHelpers';

const classes: Record<string, string> = {
  Job: `public class Job implements Queueable {
      public static Integer runs = 0;
      public Integer children = 0;
      public Job() { }
      public Job(Integer children) { this.children = children; }
      public void execute(QueueableContext ctx) {
        insert new Account(Name = 'ran ' + Test.isRunningTest());
        for (Integer i = 0; i < children; i++) System.enqueueJob(new Job());
      }
    }`,
  Fin: `public class Fin implements Finalizer {
      public void execute(FinalizerContext ctx) {
        insert new Account(Name = 'fin ' + ctx.getResult() + ' ' + (ctx.getException() == null ? '-' : ctx.getException().getMessage()));
      }
    }`,
  FailingJob: `public class FailingJob implements Queueable {
      public void execute(QueueableContext ctx) {
        System.attachFinalizer(new Fin());
        throw new IllegalArgumentException('job broke');
      }
    }`,
  Tick: `public class Tick implements Schedulable {
      public void execute(SchedulableContext ctx) { insert new Account(Name = 'tick'); }
    }`,
  NewUserJob: `public class NewUserJob implements Queueable {
      public void execute(QueueableContext ctx) { insert MixedDml.newUser('sem-async'); }
    }`,
  MixedDml: `@IsTest public class MixedDml {
      public static User newUser(String name) {
        return new User(LastName = name, Alias = 'mx', Email = 'mx@example.com', Username = name + '@example.com.test',
          ProfileId = UserInfo.getProfileId(), EmailEncodingKey = 'UTF-8', LanguageLocaleKey = 'en_US', LocaleSidKey = 'en_US',
          TimeZoneSidKey = 'America/Los_Angeles');
      }
      @IsTest static void userAfterAccount() { insert new Account(Name = 'mx'); insert newUser('sem-mx1'); }
      @IsTest static void accountAfterUser() { insert newUser('sem-mx2'); insert new Account(Name = 'mx'); }
      @IsTest static void runAsAvoidsIt() {
        insert new Account(Name = 'mx before');
        User u;
        System.runAs(new User(Id = UserInfo.getUserId())) {
          u = newUser('sem-mx3');
          insert u;
          insert new PermissionSetAssignment(AssigneeId = u.Id, PermissionSetId = [SELECT Id FROM PermissionSet WHERE IsOwnedByProfile = false LIMIT 1].Id);
        }
        insert new Account(Name = 'mx after');
        System.assertEquals(2, [SELECT COUNT() FROM Account WHERE Name LIKE 'mx %']);
      }
      @IsTest static void mixedInsideRunAs() {
        System.runAs(new User(Id = UserInfo.getUserId())) { insert new Account(Name = 'mx'); insert newUser('sem-mx4'); }
      }
      @IsTest static void userUpdateOfOtherFields() {
        insert new Account(Name = 'mx');
        update new User(Id = UserInfo.getUserId(), Department = 'Analytics', Username = [SELECT Username FROM User WHERE Id = :UserInfo.getUserId()].Username);
        System.assertEquals('Analytics', [SELECT Department FROM User WHERE Id = :UserInfo.getUserId()].Department);
        try {
          update new User(Id = UserInfo.getUserId(), IsActive = true, Username = 'sem-renamed@example.com.test');
          System.assert(false, 'no exception');
        } catch (DmlException e) {
          System.assertEquals(StatusCode.MIXED_DML_OPERATION, e.getDmlType(0));
        }
      }
      @IsTest static void groupInsertMixes() {
        insert new Account(Name = 'mx');
        Group g = new Group(Name = 'mx group');
        insert g;
        delete g;
      }
      @IsTest static void rollbackKeepsIt() {
        Savepoint sp = Database.setSavepoint();
        insert new Account(Name = 'mx');
        Database.rollback(sp);
        insert newUser('sem-mx5');
      }
      @IsTest static void asyncJobIsItsOwnTransaction() {
        insert new Account(Name = 'mx');
        Test.startTest();
        System.enqueueJob(new NewUserJob());
        Test.stopTest();
        System.assertEquals(1, [SELECT COUNT() FROM User WHERE Username = 'sem-async@example.com.test']);
      }
    }`,
  UserModeTests: `@IsTest public class UserModeTests {
      static User minimumAccessUser(String name) {
        User u = MixedDml.newUser(name);
        u.ProfileId = [SELECT Id FROM Profile WHERE Name = 'Minimum Access - Salesforce'].Id;
        insert u;
        return u;
      }
      @IsTest static void objectDenied() {
        User u = minimumAccessUser('sem-um1');
        System.runAs(u) {
          System.assertEquals(0, [SELECT COUNT() FROM Account WITH SYSTEM_MODE]);
          try {
            List<Account> l = [SELECT Id FROM Account WITH USER_MODE];
            System.assert(false, 'static SOQL: no exception');
          } catch (QueryException e) {
            System.assert(e.getMessage().startsWith('sObject type \\'Account\\' is not supported'), e.getMessage());
          }
          try {
            List<SObject> l = Database.query('SELECT Id FROM Account', AccessLevel.USER_MODE);
            System.assert(false, 'Database.query: no exception');
          } catch (QueryException e) {
            System.assert(e.getMessage().startsWith('sObject type \\'Account\\' is not supported'), e.getMessage());
          }
        }
      }
      @IsTest static void fieldsDenied() {
        User u = minimumAccessUser('sem-um2');
        PermissionSet ps = new PermissionSet(Name = 'SemRunReader', Label = 'Sem Run Reader');
        insert ps;
        insert new ObjectPermissions(ParentId = ps.Id, SobjectType = 'Analytics_Health_Run__c', PermissionsRead = true);
        insert new PermissionSetAssignment(AssigneeId = u.Id, PermissionSetId = ps.Id);
        // A record to read, in a runAs block of its own: not mixed with the setup DML above. Owned by
        // u: runs are private (SQL-12), so u sees only its own.
        System.runAs(new User(Id = UserInfo.getUserId())) { insert new Analytics_Health_Run__c(Status__c = 'complete', OwnerId = u.Id); }
        System.runAs(u) {
          System.assertEquals(1, [SELECT Id FROM Analytics_Health_Run__c WITH USER_MODE].size(), 'the object is readable');
          System.assertEquals(1, [SELECT Status__c FROM Analytics_Health_Run__c WITH SYSTEM_MODE].size());
          Set<String> expected = new Set<String>{'Status__c', 'Score__c'};
          try {
            List<Analytics_Health_Run__c> l = [SELECT Status__c, Score__c FROM Analytics_Health_Run__c WITH USER_MODE];
            System.assert(false, 'static SOQL: no exception');
          } catch (QueryException e) {
            System.assertEquals(expected, e.getInaccessibleFields().get('Analytics_Health_Run__c'), e.getMessage());
          }
          try {
            List<SObject> l = Database.query('SELECT Status__c, Score__c FROM Analytics_Health_Run__c', AccessLevel.USER_MODE);
            System.assert(false, 'Database.query: no exception');
          } catch (QueryException e) {
            System.assertEquals(expected, e.getInaccessibleFields().get('Analytics_Health_Run__c'), e.getMessage());
          }
        }
      }
    }`,
  Mock: `@IsTest public class Mock implements HttpCalloutMock {
      public HttpResponse respond(HttpRequest req) {
        HttpResponse r = new HttpResponse(); r.setBody('mocked ' + req.getEndpoint()); r.setStatusCode(200); return r;
      }
    }`,
  Call: `public class Call {
      public static String get() {
        HttpRequest req = new HttpRequest(); req.setEndpoint('https://example.com/x'); req.setMethod('GET');
        return new Http().send(req).getBody();
      }
    }`,
  SemTests: `@IsTest private class SemTests {
      @TestSetup static void setup() { insert new Account(Name = 'setup'); }
      @IsTest static void limitsContext() {
        for (Integer i = 0; i < 98; i++) { List<Account> l = [SELECT Id FROM Account LIMIT 1]; }
        Test.startTest();
        System.assertEquals(0, Limits.getQueries());
        for (Integer i = 0; i < 100; i++) { List<Account> l = [SELECT Id FROM Account LIMIT 1]; }
        Test.stopTest();
        System.assertEquals(98, Limits.getQueries());
      }
      @IsTest static void startTwice() { Test.startTest(); Test.stopTest(); Test.startTest(); }
      @IsTest static void asyncAtStopTest() {
        Test.startTest();
        Id jobId = System.enqueueJob(new Job());
        System.assertEquals('707', String.valueOf(jobId).left(3));
        System.assertEquals(0, [SELECT COUNT() FROM Account WHERE Name LIKE 'ran%']);
        Test.stopTest();
        System.assertEquals(1, [SELECT COUNT() FROM Account WHERE Name = 'ran true']);
      }
      @IsTest static void chainInTest() {
        Test.startTest();
        System.enqueueJob(new Job(1));
        Test.stopTest();
      }
      @IsTest static void runAsSwitchesUser() {
        Profile p = [SELECT Id FROM Profile LIMIT 1];
        User u = new User(LastName = 'u', Alias = 'uu', Email = 'u@example.com', Username = 'sem-u@example.com.test', ProfileId = p.Id,
          EmailEncodingKey = 'UTF-8', LanguageLocaleKey = 'en_US', LocaleSidKey = 'en_US', TimeZoneSidKey = 'America/Los_Angeles');
        insert u;
        Id before = UserInfo.getUserId();
        System.runAs(u) { System.assertEquals(u.Id, UserInfo.getUserId()); }
        System.assertEquals(before, UserInfo.getUserId());
      }
      @IsTest static void mockedCallout() {
        Test.setMock(HttpCalloutMock.class, new Mock());
        System.assertEquals('mocked https://example.com/x', Call.get());
      }
      @IsTest static void unmockedCallout() { Call.get(); }
      @IsTest static void calloutAfterDml() {
        Test.setMock(HttpCalloutMock.class, new Mock());
        insert new Account(Name = 'dml');
        Call.get();
      }
      @IsTest static void runningTest() { System.assert(Test.isRunningTest()); }
      @IsTest static void setupAndIsolationA() {
        System.assertEquals(1, [SELECT COUNT() FROM Account]);
        insert new Account(Name = 'more');
      }
      @IsTest static void setupAndIsolationB() { System.assertEquals(1, [SELECT COUNT() FROM Account]); }
    }`,
};

let a: Apex;
/** A second runtime for the test-runner rows: its org holds nothing the other rows inserted. */
let t: Apex;
beforeAll(async () => {
  a = await semanticsRuntime(classes);
  t = await semanticsRuntime(classes);
});

let results: Map<string, MethodResult> | null = null;
/** The outcome of one SemTests method (the class runs once). */
function testResult(method: string, className = 'SemTests'): MethodResult {
  if (!results) {
    results = new Map();
    for (const cls of [
      ...runTests(t.runtime, { className: 'SemTests' }),
      ...runTests(t.runtime, { className: 'MixedDml' }),
      ...runTests(t.runtime, { className: 'UserModeTests' }),
    ]) {
      for (const m of cls.methods) results.set(`${cls.name}.${m.name}`.toLowerCase(), m);
    }
  }
  method = `${className}.${method}`;
  const r = results.get(method.toLowerCase());
  if (!r) throw new Error(`no result for ${method}`);
  return r;
}

test('LIM-01 per-transaction SOQL, row, SOSL and DML limits', () => {
  // 50,000 query rows in all, counted across queries; the message names row 50,001.
  a.run(`List<Account> rows = new List<Account>();
    for (Integer i = 0; i < 1000; i++) rows.add(new Account(Name = 'lim ' + i));
    insert rows;`);
  expect(
    a.run(`for (Integer i = 0; i < 50; i++) { List<Account> l = [SELECT Id FROM Account WHERE Name LIKE 'lim %' LIMIT 1000]; }
      System.debug(Limits.getQueryRows());`),
  ).toEqual(['50000']);
  expect(
    a.error(
      `for (Integer i = 0; i < 51; i++) { List<Account> l = [SELECT Id FROM Account WHERE Name LIKE 'lim %' LIMIT 1000]; }`,
    ),
  ).toBe('System.LimitException: Too many query rows: 50001');
  a.run(`delete [SELECT Id FROM Account WHERE Name LIKE 'lim %'];`);
  expect(
    a.run(`System.debug(Limits.getLimitQueries()); System.debug(Limits.getLimitQueryRows()); 
      System.debug(Limits.getLimitDmlStatements()); System.debug(Limits.getLimitDmlRows());`),
  ).toEqual(['100', '50000', '150', '10000']);
  // SOSL is not modelled: its limit fails loudly.
  expect(() => a.run(`Integer n = Limits.getLimitSoslQueries();`)).toThrow(
    /not supported by the local runtime/,
  );
});

test('LIM-02 callout, heap, CPU, email and future limits; CPU time is not measured', () => {
  expect(
    a.run(`System.debug(Limits.getLimitCallouts()); System.debug(Limits.getLimitHeapSize()); System.debug(Limits.getLimitCpuTime());
      System.debug(Limits.getLimitEmailInvocations()); System.debug(Limits.getLimitFutureCalls());`),
  ).toEqual(['100', '6000000', '10000', '10', '50']);
  // There is no Apex CPU clock: getCpuTime() is the interpreter's wall time in the transaction.
  expect(
    a.run(
      `Object c = Limits.getCpuTime(); System.debug(c instanceof Integer && (Integer) c >= 0);`,
    ),
  ).toEqual(['true']);
});

test('LIM-03 50 queueable jobs per synchronous transaction', () => {
  expect(a.show(`Limits.getLimitQueueableJobs()`)).toBe('50');
  expect(a.error(`for (Integer i = 0; i < 51; i++) System.enqueueJob(new Job());`)).toBe(
    'System.LimitException: Too many queueable jobs added to the queue: 51',
  );
  a.harness.queue.drain();
});

test('LIM-04 custom metadata queries count only when they read a long text area field', () => {
  expect(
    a.run(`List<Analytics_Health_Rule__mdt> r = [SELECT DeveloperName FROM Analytics_Health_Rule__mdt]; System.debug(Limits.getQueries());
      r = [SELECT Condition__c FROM Analytics_Health_Rule__mdt]; System.debug(Limits.getQueries());
      List<Account> l = [SELECT Id FROM Account]; System.debug(Limits.getQueries());`),
  ).toEqual(['0', '1', '2']);
});

test('LIM-05 exceeding a limit throws LimitException with the count', () => {
  expect(
    a.error(`for (Integer i = 0; i < 101; i++) { List<Account> l = [SELECT Id FROM Account]; }`),
  ).toBe('System.LimitException: Too many SOQL queries: 101');
  expect(a.error(`for (Integer i = 0; i < 151; i++) { insert new List<Account>(); }`)).toBe(
    'System.LimitException: Too many DML statements: 151',
  );
});

test('LIM-06 Limits used/limit pairs reflect the current context', () => {
  expect(
    a.run(`List<Account> l = [SELECT Id FROM Account]; insert new Account(Name = 'x'); System.debug(Limits.getQueries()); System.debug(Limits.getDmlStatements());
      System.debug(Limits.getDmlRows());`),
  ).toEqual(['1', '1', '1']);
});

test('LIM-07 Test.startTest() adds a fresh limits context', () => {
  expect(testResult('limitsContext')).toMatchObject({ outcome: 'Pass' });
});

test('LIM-08 setSavepoint and rollback each count as a DML statement', () => {
  expect(
    a.run(
      `Savepoint sp = Database.setSavepoint(); System.debug(Limits.getDmlStatements()); Database.rollback(sp); System.debug(Limits.getDmlStatements());`,
    ),
  ).toEqual(['1', '2']);
});

test('TST-01 startTest may be called once per test method', () => {
  expect(testResult('startTwice')).toMatchObject({ outcome: 'Fail' });
  expect(testResult('startTwice').message).toMatch(
    /^System\.FinalException: Testing already started/,
  );
});

test('TST-02 async work after startTest runs at stopTest; a chained child throws', () => {
  expect(testResult('asyncAtStopTest')).toMatchObject({ outcome: 'Pass' });
  expect(testResult('chainInTest').message).toMatch(
    /^System\.AsyncException: Maximum stack depth has been reached\./,
  );
});

test('TST-03 System.runAs switches the context user', () => {
  expect(testResult('runAsSwitchesUser')).toMatchObject({ outcome: 'Pass' });
});

test('TST-04 Test.setMock answers callouts; without it a callout fails', () => {
  expect(testResult('mockedCallout')).toMatchObject({ outcome: 'Pass' });
  expect(testResult('unmockedCallout').message).toMatch(/^System\.CalloutException: /);
});

test('TST-05 a callout after DML fails with uncommitted work pending', () => {
  expect(testResult('calloutAfterDml').message).toMatch(
    /^System\.CalloutException: You have uncommitted work pending\. Please commit or rollback before calling out/,
  );
});

test('TST-06 Test.isRunningTest() is true in tests only', () => {
  expect(testResult('runningTest')).toMatchObject({ outcome: 'Pass' });
  expect(a.show(`Test.isRunningTest()`)).toBe('false');
});

test('TST-07 @TestSetup data is seen by each method; changes roll back', () => {
  expect(testResult('setupAndIsolationA')).toMatchObject({ outcome: 'Pass' });
  expect(testResult('setupAndIsolationB')).toMatchObject({ outcome: 'Pass' });
});

test('TST-08 a test sees only its own and @TestSetup records', () => {
  // setupAndIsolationA/B count exactly the @TestSetup row. The in-memory org starts with no
  // business records; records inserted into the same runtime outside a test are not hidden.
  expect(testResult('setupAndIsolationB')).toMatchObject({ outcome: 'Pass' });
  expect(t.show(`[SELECT COUNT() FROM Account]`)).toBe('0');
});

test('SQL-01 default access mode: system mode in this runtime', () => {
  // No permission model for a default user: a plain query and DML run (system mode).
  expect(
    a.run(
      `insert new Account(Name = 'sys'); System.debug([SELECT COUNT() FROM Account WHERE Name = 'sys'] > 0);`,
    ),
  ).toEqual(['true']);
});

test('SQL-02 user mode denies what the running user cannot read; system mode does not', () => {
  // A System.runAs user without read access on the object, then with it but without field access.
  expect(testResult('objectDenied', 'UserModeTests')).toMatchObject({ outcome: 'Pass' });
  expect(testResult('fieldsDenied', 'UserModeTests')).toMatchObject({ outcome: 'Pass' });

  expect(
    a.run(`insert as system new Account(Name = 'am'); System.debug([SELECT COUNT() FROM Account WHERE Name = 'am' WITH SYSTEM_MODE]);
      System.debug(Database.query('SELECT Id FROM Account WHERE Name = \\'am\\'', AccessLevel.SYSTEM_MODE).size());`),
  ).toEqual(['1', '1']);
});

test('SQL-03 sharing keywords parse and run', () => {
  expect(a.show(`[SELECT COUNT() FROM Account WHERE Name = 'nobody']`)).toBe('0');
});

test('SQL-04 single-row assignment throws; ?. and List forms do not', () => {
  expect(a.error(`Account acc = [SELECT Id FROM Account WHERE Name = 'zero-rows'];`)).toBe(
    'System.QueryException: List has no rows for assignment to SObject',
  );
  expect(
    a.run(
      `System.debug([SELECT Name FROM Account WHERE Name = 'zero-rows']?.Name); System.debug([SELECT Id FROM Account WHERE Name = 'zero-rows'].size());`,
    ),
  ).toEqual(['null', '0']);
});

test('SQL-05 SOQL = and LIKE ignore case; _ and % wildcards', () => {
  expect(
    a.run(`insert new Account(Name = 'AcmeCase'); System.debug([SELECT COUNT() FROM Account WHERE Name = 'acmecase']);
      System.debug([SELECT COUNT() FROM Account WHERE Name LIKE 'acme%']); System.debug([SELECT COUNT() FROM Account WHERE Name LIKE 'acm_case']);`),
  ).toEqual(['1', '1', '1']);
});

test('SQL-06 ORDER BY: nulls first by default, text ignores case', () => {
  expect(
    a.run(`insert new List<Account>{new Account(Name = 'ob b', Description = 'b'), new Account(Name = 'ob a', Description = 'A'), new Account(Name = 'ob n')};
      for (Account r : [SELECT Description FROM Account WHERE Name LIKE 'ob %' ORDER BY Description]) System.debug(r.Description);
      for (Account r : [SELECT Description FROM Account WHERE Name LIKE 'ob %' ORDER BY Description DESC NULLS LAST]) System.debug(r.Description);`),
  ).toEqual(['null', 'A', 'b', 'b', 'A', 'null']);
});

test('SQL-07 date literals use the user time zone', () => {
  expect(
    a.run(`insert new Account(Name = 'dl'); System.debug([SELECT COUNT() FROM Account WHERE Name = 'dl' AND CreatedDate = TODAY]);
      System.debug([SELECT COUNT() FROM Account WHERE Name = 'dl' AND CreatedDate = LAST_N_DAYS:30]);`),
  ).toEqual(['1', '1']);
});

test('SQL-08 queryWithBinds reads binds from the map only', () => {
  expect(
    a.run(`insert new Account(Name = 'wb'); String n = 'other';
      System.debug(Database.queryWithBinds('SELECT Id FROM Account WHERE Name = :n', new Map<String, Object>{'n' => 'wb'}, AccessLevel.SYSTEM_MODE).size());`),
  ).toEqual(['1']);
  expect(
    a.error(
      `Object o = Database.queryWithBinds('SELECT Id FROM Account WHERE Name = :missing', new Map<String, Object>(), AccessLevel.SYSTEM_MODE);`,
    ),
  ).toMatch(/^System\.QueryException: /);
});

test('SQL-09 rollback undoes DML but not statics, Ids or limits', () => {
  expect(
    a.run(`Savepoint sp = Database.setSavepoint(); Account acc = new Account(Name = 'rb'); insert acc; Database.rollback(sp);
      System.debug([SELECT COUNT() FROM Account WHERE Name = 'rb']); System.debug(acc.Id != null); System.debug(Limits.getDmlStatements());`),
  ).toEqual(['0', 'true', '3']);
});

test('SQL-10 mixed DML: setup and non-setup DML in one transaction fail', () => {
  const mixed = (setup: string, original: string) =>
    `System.DmlException: Insert failed. First exception on row 0; first error: MIXED_DML_OPERATION, DML operation on setup object is not permitted after you have updated a non-setup object (or vice versa): ${setup}, original object: ${original}: []`;
  // Both orders, in a test method and in anonymous Apex.
  expect(testResult('userAfterAccount', 'MixedDml').message).toMatch(
    new RegExp(`^${escape(mixed('User', 'Account'))}`),
  );
  expect(testResult('accountAfterUser', 'MixedDml').message).toMatch(
    new RegExp(`^${escape(mixed('Account', 'User'))}`),
  );
  const user = (name: string) =>
    `new User(LastName = 'm', Alias = 'mm', Email = 'm@example.com', Username = '${name}@example.com.test', ProfileId = UserInfo.getProfileId(),
      EmailEncodingKey = 'UTF-8', LanguageLocaleKey = 'en_US', LocaleSidKey = 'en_US', TimeZoneSidKey = 'America/Los_Angeles')`;
  expect(a.error(`insert new Account(Name = 'mx'); insert ${user('sem-mixed')};`)).toBe(
    mixed('User', 'Account'),
  );
  // Database.insert(…, false) reports the row instead.
  expect(
    a.run(`insert new Account(Name = 'mx');
      Database.SaveResult r = Database.insert(new List<User>{${user('sem-mixed-partial')}}, false)[0];
      System.debug(r.isSuccess()); System.debug(r.getErrors()[0].getStatusCode());`),
  ).toEqual(['false', 'MIXED_DML_OPERATION']);
  // Each transaction starts afresh: an anonymous block, an async job.
  a.run(`insert new Account(Name = 'mx');`);
  expect(
    a.run(
      `insert ${user('sem-mixed-next')}; System.debug([SELECT COUNT() FROM User WHERE Username = 'sem-mixed-next@example.com.test']);`,
    ),
  ).toEqual(['1']);
  expect(testResult('asyncJobIsItsOwnTransaction', 'MixedDml')).toMatchObject({
    outcome: 'Pass',
  });
  // System.runAs gives a test its own scope; DML mixed inside one block still fails.
  expect(testResult('runAsAvoidsIt', 'MixedDml')).toMatchObject({ outcome: 'Pass' });
  expect(testResult('mixedInsideRunAs', 'MixedDml').message).toMatch(
    new RegExp(`^${escape(mixed('User', 'Account'))}`),
  );
  // A User update that changes none of the listed fields mixes; a change of one of them does not.
  expect(testResult('userUpdateOfOtherFields', 'MixedDml')).toMatchObject({ outcome: 'Pass' });
  // Group: insert mixes, delete does not.
  expect(testResult('groupInsertMixes', 'MixedDml').message).toMatch(
    /^System\.DmlException: Delete failed\. First exception on row 0 with id 00G\w+; first error: MIXED_DML_OPERATION, .*: Group, original object: Account: \[\]/,
  );
  // Rolling back to a savepoint does not undo the mix.
  expect(testResult('rollbackKeepsIt', 'MixedDml').message).toMatch(
    new RegExp(`^${escape(mixed('User', 'Account'))}`),
  );
});

/** A literal for new RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('SQL-11 Database.insert/upsert results, allOrNone', () => {
  expect(
    a.run(`List<Database.SaveResult> rs = Database.insert(new List<Account>{new Account(Name = 'ok'), new Account()}, false);
      System.debug(rs[0].isSuccess()); System.debug(rs[1].isSuccess()); System.debug(rs[1].getErrors()[0].getStatusCode());
      Account u = new Account(Name = 'up'); Database.UpsertResult ur = Database.upsert(u); System.debug(ur.isCreated()); System.debug(ur.getId() == u.Id);
      ur = Database.upsert(u); System.debug(ur.isCreated());`),
  ).toEqual(['true', 'false', 'REQUIRED_FIELD_MISSING', 'true', 'true', 'false']);
  expect(
    a.error(`Database.insert(new List<Account>{new Account(Name = 'aon'), new Account()});`),
  ).toMatch(/^System\.DmlException: Insert failed/);
  expect(a.show(`[SELECT COUNT() FROM Account WHERE Name = 'aon']`)).toBe('0');
});

test('ASY-01 enqueueJob returns a 707 Id', () => {
  expect(a.show(`String.valueOf(System.enqueueJob(new Job())).left(3)`)).toBe('707');
  expect(a.harness.queue.drain()).toEqual([]);
});

test('ASY-02 a running queueable may enqueue only one child', () => {
  a.run(`System.enqueueJob(new Job(2));`);
  const failed = a.harness.queue.drain();
  expect(failed.map((j) => `${j.failure?.typeName}: ${j.failure?.message}`)).toEqual([
    'System.LimitException: Too many queueable jobs added to the queue: 2',
  ]);
});

test('ASY-03 a finalizer runs after a failed job with UNHANDLED_EXCEPTION', () => {
  a.run(`System.enqueueJob(new FailingJob());`);
  a.harness.queue.drain();
  expect(a.show(`[SELECT Name FROM Account WHERE Name LIKE 'fin %' LIMIT 1].Name`)).toBe(
    'fin UNHANDLED_EXCEPTION job broke',
  );
});

test('ASY-04 System.schedule returns a CronTrigger Id; bad cron and duplicate names throw', () => {
  expect(
    a.show(`String.valueOf(System.schedule('sem tick', '0 0 13 * * ?', new Tick())).left(3)`),
  ).toBe('08e');
  expect(a.error(`System.schedule('sem bad', 'not a cron', new Tick());`)).toMatch(
    /^System\.StringException: /,
  );
  expect(a.error(`System.schedule('sem tick', '0 0 13 * * ?', new Tick());`)).toMatch(
    /is already scheduled for execution\.$/,
  );
});

test('ASY-05 System.abortJob removes a scheduled job', () => {
  expect(
    a.run(
      `Id j = System.schedule('sem abort', '0 0 13 * * ?', new Tick()); System.abortJob(j); System.debug([SELECT COUNT() FROM CronTrigger WHERE Id = :j]);`,
    ),
  ).toEqual(['0']);
});

test('ASY-06 in a test, jobs run only at stopTest', () => {
  // asyncAtStopTest asserts no job row before stopTest and one after.
  expect(testResult('asyncAtStopTest')).toMatchObject({ outcome: 'Pass' });
});
