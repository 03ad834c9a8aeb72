import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCatalogRecords } from '../../../../../../scripts/cli/lib/catalogSource';
import { notOfferedByConnector, predicateUserFields, sourceObjectIndex } from '../accessFacts';
import {
  FactsValidationError,
  applyWhatIf,
  compileCatalog,
  evaluate,
  sharedFacts,
  validateOrgFacts,
  WhatIfError,
  type OrgFacts,
} from '../healthEngine';

const SNAPSHOTS = path.join(__dirname, '../../../../../../scripts/cli/snapshots');
const compiled = compileCatalog(loadCatalogRecords());
const broken = (): OrgFacts =>
  validateOrgFacts(JSON.parse(readFileSync(path.join(SNAPSHOTS, 'demo-broken-org.json'), 'utf8')));
const statuses = (facts: OrgFacts, ruleId: string) =>
  evaluate(facts, compiled, { evaluatedAt: '2026-11-23T08:00:00Z' })
    .findings.filter((f) => f.ruleId === ruleId)
    .map((f) => `${f.subject.id}:${f.status}`);

function rejection(mutate: (facts: Record<string, unknown>) => void): string {
  const facts = JSON.parse(JSON.stringify(broken())) as Record<string, unknown>;
  mutate(facts);
  try {
    validateOrgFacts(facts);
  } catch (error) {
    if (error instanceof FactsValidationError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('org facts v1.1', () => {
  it('accepts snapshots without the v1.1 facts (absent means not collected)', () => {
    const facts = JSON.parse(JSON.stringify(broken())) as Record<string, unknown>;
    delete facts.connectedApps;
    delete facts.sandboxes;
    expect(() => validateOrgFacts(facts)).not.toThrow();
  });

  it('names the JSON path of a bad v1.1 value', () => {
    expect(
      rejection((f) => {
        (f.sandboxes as Record<string, unknown>[])[0].memberUserIds = 'everyone';
      }),
    ).toBe('sandboxes[0].memberUserIds: expected array or null');
    expect(
      rejection((f) => {
        (f.connectedApps as Record<string, unknown>[])[1].installed = 'yes';
      }),
    ).toBe('connectedApps[1].installed: expected boolean');
    expect(
      rejection((f) => {
        const analytics = f.analytics as Record<string, Record<string, unknown>[]>;
        analytics.datasets[0].predicateKnown = 'no';
      }),
    ).toBe('analytics.datasets[0].predicateKnown: expected boolean');
    expect(
      rejection((f) => {
        const analytics = f.analytics as Record<string, Record<string, unknown>[]>;
        (analytics.sourceObjects[0].objects as unknown[]).push({ name: '', fields: null });
      }),
    ).toBe('analytics.sourceObjects[0].objects[5].name: expected non-empty string');
  });
});

describe('catalog v1.1 readings', () => {
  it('reads each $User field of a predicate once, in order, whatever its case', () => {
    expect(
      predicateUserFields(
        '\'Region\' == "$User.Region__c" && (\'Owner\' == "$User.Id" || \'R\' == "$User.region__c")',
      ),
    ).toEqual(['Region__c', 'Id']);
    expect(predicateUserFields('\'OwnerId\' == "$Owner.Id"')).toEqual([]);
  });

  it('lets the connector decide only where its list was read', () => {
    const facts = broken();
    const index = sourceObjectIndex(facts);
    expect(notOfferedByConnector(index, [undefined], 'account', ['Name', 'Rating'])).toEqual([
      'account.Rating',
    ]);
    expect(notOfferedByConnector(index, ['SFDC_LOCAL'], 'Lead', ['Id'])).toEqual(['Lead']);
    // Contact's fields were not read; SFDC_EU has no list: the catalog decides.
    expect(notOfferedByConnector(index, [null], 'Contact', ['Email'])).toBeNull();
    expect(notOfferedByConnector(index, ['SFDC_EU'], 'Case', ['Status'])).toBeNull();
    expect(notOfferedByConnector(null, [null], 'Account', ['Id'])).toBeNull();
  });

  it('keeps the predicate fields of User in the shared facts of a chunked run, and nothing else', () => {
    const facts = broken();
    facts.fieldPermissions = [
      ...facts.fieldPermissions,
      { principalId: '00e5g000001SecuAAG', field: 'User.Sales_Region__c', read: true },
      { principalId: '00e5g000001SecuAAG', field: 'User.Phone', read: true },
    ];
    const shared = sharedFacts(facts);
    expect(shared.fieldPermissions.map((r) => r.field)).toEqual(['User.Sales_Region__c']);
    expect(shared.schema?.objects.map((o) => [o.name, o.fields.map((f) => f.name)])).toEqual([
      // The demo's predicate also reads $User.Id.
      ['User', ['Id', 'Sales_Region__c']],
    ]);
    expect(shared.objectPermissions).toEqual([]);
  });
});

describe('what-if for catalog v1.1', () => {
  it('approving the connected apps for the Security User profile resolves AH037', () => {
    const facts = broken();
    expect(statuses(facts, 'AH037')).toEqual([
      '0055g00000IntgUAAQ:PASS',
      '0055g00000SecuUAAQ:FAIL',
    ]);
    const after = applyWhatIf(facts, [
      { kind: 'approveConnectedApps', principalId: '00e5g000001SecuAAG' },
    ]);
    expect(statuses(after, 'AH037')).toEqual([
      '0055g00000IntgUAAQ:PASS',
      '0055g00000SecuUAAQ:PASS',
    ]);
    // The input is not touched.
    expect(facts.connectedApps?.[1].approvedPrincipalIds).toEqual(['00e5g000001IuClAAG']);
  });

  it('installs an app that is missing, and refuses an unknown principal', () => {
    const facts = { ...broken(), connectedApps: null };
    const after = applyWhatIf(facts, [
      { kind: 'approveConnectedApps', principalId: '00e5g000001SecuAAG', apps: ['Insights'] },
    ]);
    expect(after.connectedApps).toEqual([
      {
        name: 'Insights',
        installed: true,
        adminApprovedUsersOnly: true,
        approvedPrincipalIds: ['00e5g000001SecuAAG'],
      },
    ]);
    expect(() =>
      applyWhatIf(facts, [{ kind: 'approveConnectedApps', principalId: '00e5g0000000000AAA' }]),
    ).toThrow(WhatIfError);
  });

  it("adding the system users to the sandbox's access group resolves AH043", () => {
    const facts = broken();
    expect(statuses(facts, 'AH043')).toEqual(['UAT:FAIL', 'Dev:PASS']);
    const after = applyWhatIf(facts, [
      { kind: 'addSandboxMembers', sandbox: 'uat', userIds: ['0055g00000SecuUAAQ'] },
    ]);
    expect(statuses(after, 'AH043')).toEqual(['UAT:PASS', 'Dev:PASS']);
    expect(() =>
      applyWhatIf(facts, [{ kind: 'addSandboxMembers', sandbox: 'Prod2', userIds: [] }]),
    ).toThrow('change 1 (addSandboxMembers): no sandbox Prod2 in the facts');
  });
});
