// SEMANTICS.md SQL-12: record access on a private object (org-wide default Private), run through the
// test runner: the owner sees and edits its record; another user sees it only with View All (or
// View All Data) and edits it only with Modify All (or Modify All Data), in user mode and in system
// mode under `with sharing`; `without sharing` lifts record access but user mode still checks it.
import { runTests, type MethodResult } from '../harness/testRunner';
import { semanticsRuntime, type Apex } from './semanticsHelpers';

const classes: Record<string, string> = {
  // Analytics_Health_Run__c is Private in the project's metadata.
  WithSharingDml: `public with sharing class WithSharingDml {
      public static Integer visible() { return [SELECT COUNT() FROM Analytics_Health_Run__c WITH SYSTEM_MODE]; }
      public static void setScore(Id runId, Integer score) { update as system new Analytics_Health_Run__c(Id = runId, Score__c = score); }
      public static void remove(Id runId) { delete as system new Analytics_Health_Run__c(Id = runId); }
      public static Integer visibleViaDatabase() { return Database.query('SELECT Id FROM Analytics_Health_Run__c', AccessLevel.SYSTEM_MODE).size(); }
      public static void setScoreViaDatabase(Id runId, Integer score) {
        Database.update(new Analytics_Health_Run__c(Id = runId, Score__c = score), true, AccessLevel.SYSTEM_MODE);
      }
    }`,
  WithoutSharingDml: `public without sharing class WithoutSharingDml {
      public static Integer visible() { return [SELECT COUNT() FROM Analytics_Health_Run__c WITH SYSTEM_MODE]; }
      public static Integer visibleInUserMode() { return [SELECT COUNT() FROM Analytics_Health_Run__c WITH USER_MODE]; }
      public static void setScore(Id runId, Integer score) { update as system new Analytics_Health_Run__c(Id = runId, Score__c = score); }
      public static void setScoreAsUser(Id runId, Integer score) { update as user new Analytics_Health_Run__c(Id = runId, Score__c = score); }
      public static Integer visibleViaDatabase() { return Database.query('SELECT Id FROM Analytics_Health_Run__c', AccessLevel.SYSTEM_MODE).size(); }
      public static void setScoreViaDatabase(Id runId, Integer score) {
        Database.update(new Analytics_Health_Run__c(Id = runId, Score__c = score), true, AccessLevel.SYSTEM_MODE);
      }
    }`,
  SharingTests: `@IsTest public class SharingTests {
      static User newUser(String name, List<String> grants) {
        User u = new User(LastName = name, Alias = 'sh', Email = 'sh@example.com', Username = name + '@example.com.test',
          ProfileId = [SELECT Id FROM Profile WHERE Name = 'Standard User'].Id, EmailEncodingKey = 'UTF-8',
          LanguageLocaleKey = 'en_US', LocaleSidKey = 'en_US', TimeZoneSidKey = 'GMT');
        insert u;
        PermissionSet ps = new PermissionSet(Name = 'Sh_' + name.replace('-', '_'), Label = name);
        insert ps;
        insert new ObjectPermissions(ParentId = ps.Id, SobjectType = 'Analytics_Health_Run__c', PermissionsRead = true,
          PermissionsEdit = grants.contains('Edit'), PermissionsDelete = grants.contains('Delete'),
          PermissionsViewAllRecords = grants.contains('ViewAll') || grants.contains('ModifyAll'),
          PermissionsModifyAllRecords = grants.contains('ModifyAll'));
        insert new FieldPermissions(ParentId = ps.Id, SobjectType = 'Analytics_Health_Run__c',
          Field = 'Analytics_Health_Run__c.Score__c', PermissionsRead = true, PermissionsEdit = true);
        insert new PermissionSetAssignment(AssigneeId = u.Id, PermissionSetId = ps.Id);
        return u;
      }
      static Id ownedRun(User owner) {
        Analytics_Health_Run__c run = new Analytics_Health_Run__c(Status__c = 'complete', Score__c = 50);
        System.runAs(owner) { insert as system run; }
        return run.Id;
      }
      static Decimal scoreOf(Id runId) {
        return [SELECT Score__c FROM Analytics_Health_Run__c WHERE Id = :runId WITH SYSTEM_MODE].Score__c;
      }
      static String refusal(Exception e) {
        return e instanceof DmlException ? String.valueOf(((DmlException) e).getDmlType(0)) : e.getTypeName();
      }
      @IsTest static void ownerSeesAndEdits() {
        User owner = newUser('sh-owner', new List<String>{'Edit'});
        Id runId = ownedRun(owner);
        System.runAs(owner) {
          System.assertEquals(1, [SELECT COUNT() FROM Analytics_Health_Run__c WITH USER_MODE], 'own record');
          update as user new Analytics_Health_Run__c(Id = runId, Score__c = 60);
          WithSharingDml.setScore(runId, 70);
        }
        System.assertEquals(70, scoreOf(runId));
      }
      @IsTest static void readerSeesOnlyItsOwn() {
        User owner = newUser('sh-owner2', new List<String>{'Edit'});
        User reader = newUser('sh-reader', new List<String>{'Edit'});
        Id runId = ownedRun(owner);
        List<String> refusals = new List<String>();
        System.runAs(reader) {
          System.assertEquals(0, [SELECT COUNT() FROM Analytics_Health_Run__c WITH USER_MODE], 'user mode');
          System.assertEquals(0, WithSharingDml.visible(), 'system mode, with sharing');
          System.assertEquals(1, WithoutSharingDml.visible(), 'system mode, without sharing');
          System.assertEquals(0, WithoutSharingDml.visibleInUserMode(), 'user mode ignores the class keyword');
          try { WithSharingDml.setScore(runId, 1); } catch (Exception e) { refusals.add(refusal(e)); }
          try { WithoutSharingDml.setScoreAsUser(runId, 1); } catch (Exception e) { refusals.add(refusal(e)); }
          WithoutSharingDml.setScore(runId, 80);
        }
        System.assertEquals(new List<String>{'INSUFFICIENT_ACCESS_OR_READONLY', 'INSUFFICIENT_ACCESS_OR_READONLY'}, refusals);
        System.assertEquals(80, scoreOf(runId), 'without sharing edits another user record');
      }
      @IsTest static void databaseMethodsFollowTheClassKeyword() {
        User owner = newUser('sh-owner6', new List<String>{'Edit'});
        User reader = newUser('sh-reader2', new List<String>{'Edit'});
        Id runId = ownedRun(owner);
        List<String> refusals = new List<String>();
        System.runAs(reader) {
          System.assertEquals(0, WithSharingDml.visibleViaDatabase(), 'Database.query, with sharing');
          System.assertEquals(1, WithoutSharingDml.visibleViaDatabase(), 'Database.query, without sharing');
          try { WithSharingDml.setScoreViaDatabase(runId, 1); } catch (Exception e) { refusals.add(refusal(e)); }
          WithoutSharingDml.setScoreViaDatabase(runId, 85);
        }
        System.assertEquals(new List<String>{'INSUFFICIENT_ACCESS_OR_READONLY'}, refusals);
        System.assertEquals(85, scoreOf(runId), 'Database.update in a without sharing class edits it');
      }
      @IsTest static void viewAllReadsButDoesNotEdit() {
        User owner = newUser('sh-owner3', new List<String>{'Edit'});
        User viewer = newUser('sh-viewer', new List<String>{'Edit', 'Delete', 'ViewAll'});
        Id runId = ownedRun(owner);
        List<String> refusals = new List<String>();
        System.runAs(viewer) {
          System.assertEquals(1, [SELECT COUNT() FROM Analytics_Health_Run__c WITH USER_MODE], 'View All reads');
          System.assertEquals(1, WithSharingDml.visible(), 'also under with sharing');
          try { update as user new Analytics_Health_Run__c(Id = runId, Score__c = 1); } catch (Exception e) { refusals.add(refusal(e)); }
          try { WithSharingDml.setScore(runId, 1); } catch (Exception e) { refusals.add(refusal(e)); }
          try { WithSharingDml.remove(runId); } catch (Exception e) { refusals.add(refusal(e)); }
        }
        System.assertEquals(new List<String>{'INSUFFICIENT_ACCESS_OR_READONLY', 'INSUFFICIENT_ACCESS_OR_READONLY',
          'INSUFFICIENT_ACCESS_OR_READONLY'}, refusals);
        System.assertEquals(50, scoreOf(runId));
      }
      @IsTest static void modifyAllEdits() {
        User owner = newUser('sh-owner4', new List<String>{'Edit'});
        User editor = newUser('sh-editor', new List<String>{'Edit', 'Delete', 'ModifyAll'});
        Id runId = ownedRun(owner);
        System.runAs(editor) { update as user new Analytics_Health_Run__c(Id = runId, Score__c = 90); }
        System.assertEquals(90, scoreOf(runId));
      }
      @IsTest static void noEditPermissionRefusedInUserModeEvenForTheOwner() {
        User owner = newUser('sh-owner5', new List<String>());
        Id runId = ownedRun(owner);
        String refused;
        System.runAs(owner) {
          try { update as user new Analytics_Health_Run__c(Id = runId, Score__c = 1); } catch (Exception e) { refused = e.getTypeName(); }
          WithSharingDml.setScore(runId, 40);
        }
        System.assertNotEquals(null, refused, 'user mode needs the Edit object permission, owner or not');
        System.assertEquals(40, scoreOf(runId), 'system mode ignores the object permission; the owner passes sharing');
      }
    }`,
};

let t: Apex;
let results: Map<string, MethodResult>;
beforeAll(async () => {
  t = await semanticsRuntime(classes);
  results = new Map();
  for (const cls of runTests(t.runtime, { className: 'SharingTests' })) {
    for (const m of cls.methods) results.set(m.name.toLowerCase(), m);
  }
});

const outcome = (method: string) => {
  const r = results.get(method.toLowerCase());
  if (!r) throw new Error(`no result for ${method}`);
  return { outcome: r.outcome, message: r.message };
};

test('SQL-12 a private record: its owner sees and edits it', () => {
  expect(outcome('ownerSeesAndEdits')).toMatchObject({ outcome: 'Pass' });
});

test('SQL-12 another user: not seen, not edited, in user mode and under with sharing; without sharing lifts it', () => {
  expect(outcome('readerSeesOnlyItsOwn')).toMatchObject({ outcome: 'Pass' });
});

test('SQL-12 Database.query / Database.update follow the calling class keyword, as statements do', () => {
  expect(outcome('databaseMethodsFollowTheClassKeyword')).toMatchObject({ outcome: 'Pass' });
});

test('SQL-12 View All reads every record but grants no edit or delete', () => {
  expect(outcome('viewAllReadsButDoesNotEdit')).toMatchObject({ outcome: 'Pass' });
});

test('SQL-12 Modify All edits every record', () => {
  expect(outcome('modifyAllEdits')).toMatchObject({ outcome: 'Pass' });
});

test('SQL-12 user mode needs the object permission even for the owner; system mode does not', () => {
  expect(outcome('noEditPermissionRefusedInUserModeEvenForTheOwner')).toMatchObject({
    outcome: 'Pass',
  });
});
