import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  AcknowledgementError,
  WhatIfError,
  applyAcknowledgements,
  applyWhatIf,
  compareReports,
  compileCatalog,
  evaluate,
  findingKey,
  validateAcknowledgements,
  validateOrgFacts,
  type Acknowledgement,
  type OrgFacts,
  type Report,
} from '../healthEngine';
import { loadCatalogRecords } from '../../../../../../scripts/cli/lib/catalogSource';

const snapshots = path.resolve(__dirname, '../../../../../../scripts/cli/snapshots');
const brokenFacts = (): OrgFacts =>
  validateOrgFacts(JSON.parse(readFileSync(path.join(snapshots, 'demo-broken-org.json'), 'utf8')));
const compiled = compileCatalog(loadCatalogRecords());
const run = (facts: OrgFacts, evaluatedAt = '2026-11-22T08:00:00.000Z'): Report =>
  evaluate(facts, compiled, { evaluatedAt });

const CLONE_PROFILE = '00e5g000001IuClAAG';
const INTEGRATION_USER = '0055g00000IntgUAAQ';
const SECURITY_USER = '0055g00000SecuUAAQ';
const status = (report: Report, ruleId: string, subjectId: string) =>
  report.findings.find((f) => f.ruleId === ruleId && f.subject.id === subjectId)?.status;

describe('findingKey', () => {
  it('matches record ids on 15 characters and names whatever their case', () => {
    const key = (type: string, id: string) =>
      findingKey({ ruleId: 'ah005', subject: { type, id, label: '' } });
    expect(key('user', '0055g00000SecuUAAQ')).toBe(key('user', '0055g00000SecuU'));
    // 15-character ids are case-sensitive: two users, two keys.
    expect(key('user', '0055g00000SecuU')).not.toBe(key('user', '0055g00000SECUU'));
    expect(key('field', 'Invoice__c.Amount__c')).toBe(key('field', 'invoice__c.amount__c'));
    expect(key('field', 'X')).not.toBe(key('object', 'X'));
  });
});

describe('compareReports', () => {
  it('sorts failures into new, resolved, still failing and no longer known', () => {
    const before = run(brokenFacts());
    const facts = brokenFacts();
    // Unfreeze the Security User (resolves AH005), freeze the Integration User (new AH005),
    // and lose the audit trail (AH041 can no longer be judged).
    const after = run({
      ...applyWhatIf(facts, [
        { kind: 'setUserFrozen', userId: SECURITY_USER, frozen: false },
        { kind: 'setUserFrozen', userId: INTEGRATION_USER, frozen: true },
      ]),
      auditTrail: null,
    });
    const diff = compareReports(before, after);
    const ids = (list: { ruleId: string; subject: { id?: string } }[]) =>
      list.map((f) => `${f.ruleId} ${f.subject.id}`);
    expect(ids(diff.newFailures)).toEqual([`AH005 ${INTEGRATION_USER}`]);
    expect(ids(diff.resolved)).toEqual([`AH005 ${SECURITY_USER}`]);
    expect(ids(diff.noLongerKnown)).toEqual(expect.arrayContaining(['AH041 org']));
    expect(diff.stillFailing.length).toBe(
      before.findings.filter((f) => f.status === 'FAIL').length -
        diff.resolved.length -
        diff.noLongerKnown.length,
    );
  });

  it('treats every failure of a first run as new', () => {
    const report = run(brokenFacts());
    const diff = compareReports(null, report);
    expect(diff.newFailures).toHaveLength(
      report.findings.filter((f) => f.status === 'FAIL').length,
    );
    expect(diff.resolved).toEqual([]);
  });
});

describe('acknowledgements', () => {
  const ack = (overrides: Partial<Acknowledgement> = {}): Acknowledgement => ({
    ruleId: 'AH026',
    subjectType: 'field',
    subjectId: 'Contact.SSN__c',
    reason: 'Read access is needed by a report; reviewed weekly.',
    acknowledgedBy: 'alex.admin@northwind.example.uat',
    acknowledgedAt: '2026-11-21T09:00:00Z',
    expiresAt: '2026-12-31T00:00:00Z',
    ...overrides,
  });

  it('marks an acknowledged failure and stops it lowering the score until it expires', () => {
    const report = run(brokenFacts());
    const info = report.summary.info;
    const acknowledged = applyAcknowledgements(report, [ack()]);
    const finding = acknowledged.findings.find(
      (f) => f.ruleId === 'AH026' && f.subject.id === 'Contact.SSN__c',
    )!;
    expect(finding.status).toBe('FAIL');
    expect(finding.acknowledgement?.reason).toContain('reviewed weekly');
    expect(acknowledged.summary.acknowledged).toBe(1);
    expect(acknowledged.summary.info).toBe(info - 1);
    // The input report is unchanged.
    expect(
      report.findings.find((f) => f.ruleId === 'AH026' && f.subject.id === 'Contact.SSN__c'),
    ).not.toHaveProperty('acknowledgement');

    const later = applyAcknowledgements(run(brokenFacts(), '2027-01-05T00:00:00.000Z'), [ack()]);
    expect(later.summary.acknowledged).toBe(0);
    expect(later.summary.info).toBe(info);
  });

  it('raises the score when the acknowledged rule was the only failure of its severity', () => {
    const facts = brokenFacts();
    const report = run(facts);
    // Acknowledge every failing CRITICAL finding: the critical cap no longer applies.
    const acks = report.findings
      .filter((f) => f.status === 'FAIL' && f.severity === 'CRITICAL')
      .map((f) =>
        ack({
          ruleId: f.ruleId,
          subjectType: f.subject.type,
          subjectId: f.subject.id!,
          expiresAt: null,
        }),
      );
    const acknowledged = applyAcknowledgements(report, acks);
    expect(report.score).toBe(0);
    expect(acknowledged.summary.critical).toBe(0);
    // 100 − 5 per failing WARNING rule − 1 per failing INFO rule.
    const failingRules = (severity: string) =>
      new Set(
        report.findings
          .filter((f) => f.status === 'FAIL' && f.severity === severity)
          .map((f) => f.ruleId),
      ).size;
    expect(acknowledged.score).toBe(100 - 5 * failingRules('WARNING') - failingRules('INFO'));
  });

  it('ignores acknowledgements of findings that do not fail', () => {
    const report = run(brokenFacts());
    const passing = report.findings.find((f) => f.status === 'PASS')!;
    const result = applyAcknowledgements(report, [
      ack({
        ruleId: passing.ruleId,
        subjectType: passing.subject.type,
        subjectId: passing.subject.id!,
      }),
    ]);
    expect(result.summary.acknowledged).toBe(0);
    expect(result.score).toBe(report.score);
  });

  it.each([
    [{}, '(root): expected array'],
    [[5], '[0]: expected object'],
    [[{ ...ack(), reason: '  ' }], '[0].reason: expected non-empty string'],
    [[ack(), { ...ack(), acknowledgedAt: 'yesterday' }], '[1].acknowledgedAt: expected ISO-8601'],
    [[{ ...ack(), expiresAt: 7 }], '[0].expiresAt: expected ISO-8601 date-time string or null'],
  ])('rejects a malformed acknowledgements file (%#)', (value, message) => {
    expect(() => validateAcknowledgements(value)).toThrow(AcknowledgementError);
    expect(() => validateAcknowledgements(value)).toThrow(message);
  });

  it('accepts a well-formed file', () => {
    expect(validateAcknowledgements([ack(), ack({ expiresAt: null })])).toHaveLength(2);
  });
});

describe('applyWhatIf', () => {
  it('shows which findings adding 10.0.0.0/8 and lifting login hours would resolve', () => {
    const facts = brokenFacts();
    const before = run(facts);
    const after = run(
      applyWhatIf(facts, [
        {
          kind: 'addLoginIpRange',
          profileId: CLONE_PROFILE,
          start: '10.0.0.0',
          end: '10.255.255.255',
        },
        { kind: 'removeLoginHours', profileId: CLONE_PROFILE },
        { kind: 'setSessionLevel', profileId: CLONE_PROFILE, level: 'NONE' },
      ]),
    );
    expect(status(before, 'AH030', CLONE_PROFILE)).toBe('FAIL');
    expect(status(after, 'AH030', CLONE_PROFILE)).toBe('PASS');
    expect(status(after, 'AH033', CLONE_PROFILE)).toBe('PASS');
    expect(status(after, 'AH035', CLONE_PROFILE)).toBe('PASS');
    // The published ranges are still missing: AH031 keeps failing.
    expect(status(after, 'AH031', CLONE_PROFILE)).toBe('FAIL');
    expect(
      compareReports(before, after)
        .resolved.map((f) => f.ruleId)
        .sort(),
    ).toEqual(['AH030', 'AH033', 'AH035']);
  });

  it('grants and revokes field and object access and user permissions', () => {
    const facts = brokenFacts();
    const after = run(
      applyWhatIf(facts, [
        { kind: 'grantFieldRead', principalId: CLONE_PROFILE, field: 'Invoice__c.Amount__c' },
        {
          kind: 'grantObjectAccess',
          principalId: CLONE_PROFILE,
          object: 'Invoice__c',
          access: 'viewAll',
        },
        {
          kind: 'grantUserPermission',
          principalId: CLONE_PROFILE,
          permission: 'PermissionsViewAllProfiles',
        },
      ]),
    );
    expect(status(after, 'AH023', 'Invoice__c.Amount__c')).toBe('PASS');
    expect(status(after, 'AH022', 'Invoice__c')).toBe('PASS');
    expect(status(after, 'AH021', INTEGRATION_USER)).toBe('PASS');

    const revoked = run(
      applyWhatIf(facts, [
        { kind: 'revokeUserPermission', principalId: CLONE_PROFILE, permission: 'ViewAllData' },
      ]),
    );
    expect(status(revoked, 'AH020', INTEGRATION_USER)).toBe('FAIL');
  });

  it('leaves the input facts untouched', () => {
    const facts = brokenFacts();
    const copy = JSON.parse(JSON.stringify(facts)) as OrgFacts;
    applyWhatIf(facts, [
      {
        kind: 'addLoginIpRange',
        profileId: CLONE_PROFILE,
        start: '10.0.0.0',
        end: '10.255.255.255',
      },
      { kind: 'grantFieldRead', principalId: CLONE_PROFILE, field: 'Invoice__c.Amount__c' },
      { kind: 'setUserActive', userId: INTEGRATION_USER, active: false },
    ]);
    expect(facts).toEqual(copy);
  });

  it.each([
    [
      { kind: 'removeLoginHours', profileId: '00e000000000000' },
      'change 1 (removeLoginHours): no profile',
    ],
    [
      { kind: 'addLoginIpRange', profileId: CLONE_PROFILE, start: '10.0.0.300', end: '10.0.0.1' },
      'is not an IPv4 address',
    ],
    [
      { kind: 'addLoginIpRange', profileId: CLONE_PROFILE, start: '10.0.0.9', end: '10.0.0.1' },
      'starts after it ends',
    ],
    [
      { kind: 'grantFieldRead', principalId: '0PS000000000000', field: 'A.b' },
      'no profile or permission set',
    ],
    [{ kind: 'setUserFrozen', userId: '005000000000000', frozen: true }, 'no user'],
    [{ kind: 'setSessionLevel', profileId: CLONE_PROFILE, level: 'MAX' }, 'unknown session level'],
    [{ kind: 'paintItBlue' }, 'unknown change'],
  ])('names the change at fault (%#)', (change, message) => {
    expect(() => applyWhatIf(brokenFacts(), [change as never])).toThrow(WhatIfError);
    expect(() => applyWhatIf(brokenFacts(), [change as never])).toThrow(message);
  });
});
