import type { Report } from 'c/healthEngine';
import {
  ALL,
  articlesOf,
  EMPTY_FILTERS,
  dataUrl,
  errorMessage,
  exportFileName,
  filterOptions,
  filterRows,
  findingView,
  healthStatus,
  notEvaluatedItems,
  pageGroups,
  parseReport,
  reportCsv,
  reportJson,
  setupPathOf,
  subjectDetailOf,
  subjectKindOf,
  subjectTypeLabel,
  systemUserCards,
  timeline,
  toRows,
} from 'c/healthDashboardModel';
import { demoReport, demoReportWith, largeReport } from './demoReports';

const broken = demoReport('demo-broken-org');
const healthy = demoReport('demo-healthy-org');

describe('rows', () => {
  const rows = toRows(broken);

  it('has one row per finding, joined to its rule', () => {
    expect(rows).toHaveLength(broken.findings.length);
    const frozen = rows.find((r) => r.ruleId === 'AH005' && r.status === 'FAIL');
    expect(frozen?.ruleLabel).toBe('System users are not frozen');
    expect(frozen?.category).toBe('Users');
    expect(frozen?.helpText.length).toBeGreaterThan(20);
    expect(frozen?.sourceArticle).toMatch(/^\d+$/);
    expect(frozen?.setupPath).toBe('Setup > Users > Users');
    expect(frozen?.articles[0].href).toBe(
      `https://help.salesforce.com/s/articleView?id=${frozen?.sourceArticle.split(', ')[0]}&type=1`,
    );
  });

  it('orders failures first, then errors, not evaluated and passed; by subject within each', () => {
    const ranks = rows.map((r) => ['FAIL', 'ERROR', 'NOT_EVALUATED', 'PASS'].indexOf(r.status));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const failed = rows.filter((r) => r.status === 'FAIL');
    const order = [...new Set(failed.map((r) => r.subjectKind))];
    expect(order.indexOf('user')).toBeLessThan(order.indexOf('profile'));
    expect(order.indexOf('profile')).toBeLessThan(order.indexOf('field'));
    expect(order.indexOf('field')).toBeLessThan(order.indexOf('job'));
    const failedUsers = failed.filter((r) => r.subjectKind === 'user');
    const severities = failedUsers.map((r) => ['CRITICAL', 'WARNING', 'INFO'].indexOf(r.severity));
    expect(severities).toEqual([...severities].sort((a, b) => a - b));
  });

  it('keeps evidence as readable JSON and leaves it empty when there is none', () => {
    const withEvidence = rows.find((r) => r.ruleId === 'AH030' && r.status === 'FAIL');
    expect(JSON.parse(withEvidence?.evidenceText ?? '')).toEqual({ missing: ['10.128.0.0/9'] });
    expect(rows.find((r) => r.status === 'PASS')?.evidenceText).toBe('');
  });

  it('links every article a rule cites', () => {
    expect(articlesOf('000384569, 005385258').map((a) => a.label)).toEqual([
      'Knowledge article 000384569',
      'Knowledge article 005385258',
    ]);
    expect(articlesOf('')).toEqual([]);
  });

  it('finds the Setup path a remediation names', () => {
    expect(setupPathOf('Open Setup > Users > Profiles > Login Hours, and clear.')).toBe(
      'Setup > Users > Profiles > Login Hours',
    );
    expect(setupPathOf('Contact Salesforce Support.')).toBe('');
    expect(setupPathOf('in a set (Setup > Users > Permission Sets) or not')).toBe(
      'Setup > Users > Permission Sets',
    );
    expect(
      setupPathOf(
        'Open Setup > Object Manager > Invoice__c > Set Field-Level Security and give Read access.',
      ),
    ).toBe('Setup > Object Manager > Invoice__c > Set Field-Level Security');
  });
});

describe('filters', () => {
  const rows = toRows(broken);

  it('returns every row with no filter', () => {
    expect(filterRows(rows, EMPTY_FILTERS)).toHaveLength(rows.length);
  });

  it('filters by severity, status, category and subject type together', () => {
    const result = filterRows(rows, {
      ...EMPTY_FILTERS,
      severity: 'CRITICAL',
      status: 'FAIL',
      subjectType: 'profile',
    });
    expect(result.map((r) => r.ruleId).sort()).toEqual(['AH030', 'AH032', 'AH033', 'AH035']);
    expect(
      filterRows(rows, { ...EMPTY_FILTERS, category: 'Jobs' }).every((r) => r.ruleId === 'AH040'),
    ).toBe(true);
  });

  it('matches every search word, case-insensitively, in ids, subjects and messages', () => {
    const result = filterRows(rows, { ...EMPTY_FILTERS, search: 'INVOICE amount' });
    expect(result.map((r) => r.subjectLabel)).toEqual(['Invoice__c.Amount__c']);
    expect(filterRows(rows, { ...EMPTY_FILTERS, search: 'no-such-thing' })).toEqual([]);
  });

  it('offers the categories and subject types of the report', () => {
    const options = filterOptions(rows);
    expect(options.category[0]).toEqual({ label: 'All categories', value: ALL });
    expect(options.category.map((o) => o.value)).toContain('Authentication');
    expect(options.subjectType.map((o) => o.label)).toEqual(
      expect.arrayContaining(['Users', 'Profiles', 'Objects', 'Fields', 'Jobs', 'Org']),
    );
    expect(options.status.map((o) => o.value)).toEqual([
      ALL,
      'FAIL',
      'ERROR',
      'NOT_EVALUATED',
      'PASS',
    ]);
  });

  it('filters 5,000 findings in well under 100 ms', () => {
    const big = toRows(largeReport(5000));
    const started = performance.now();
    const result = filterRows(big, {
      ...EMPTY_FILTERS,
      search: 'integration',
      severity: 'CRITICAL',
    });
    const elapsed = performance.now() - started;
    expect(result.length).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(100);
  });
});

describe('pages and groups', () => {
  it('groups one page by status and subject type with whole-list counts', () => {
    const rows = toRows(broken);
    const failedUsers = rows.filter((r) => r.subjectKind === 'user' && r.status === 'FAIL');
    const groups = pageGroups(rows, 0, failedUsers.length + 1);
    expect(groups[0].key).toBe('FAIL-user');
    expect(groups[0].label).toBe('Failed · Users');
    expect(groups[0].rows).toHaveLength(failedUsers.length);
    expect(groups[1].label).toMatch(/^Failed · /);
    expect(groups[1].rows).toHaveLength(1);
    expect(groups[1].count).toBe(
      rows.filter((r) => r.status === 'FAIL' && r.subjectKind === groups[1].rows[0].subjectKind)
        .length,
    );
    const last = pageGroups(rows, Math.floor((rows.length - 1) / 10), 10);
    expect(last.flatMap((g) => g.rows)).toHaveLength(rows.length % 10 || 10);
  });

  it('names the subject kinds, and unknown ones readably', () => {
    expect(subjectTypeLabel('dataset')).toBe('Datasets');
    expect(subjectTypeLabel('predicateField')).toBe('Security predicate fields');
    expect(subjectTypeLabel('auditEvent')).toBe('Setup changes');
    expect(subjectTypeLabel('widget')).toBe('Widget');
  });
});

describe('status', () => {
  it('is critical with a critical failure, healthy without failures', () => {
    expect(healthStatus(broken).status).toBe('critical');
    expect(healthStatus(healthy)).toEqual({ status: 'healthy', label: 'Healthy' });
    const warningOnly: Report = { ...healthy, summary: { ...healthy.summary, warning: 1 } };
    expect(healthStatus(warningOnly).status).toBe('warning');
  });
});

describe('system user cards', () => {
  it('shows the Integration and Security User with the results of their checks', () => {
    const [integration, security] = systemUserCards(broken);
    expect(integration.role).toBe('Integration User');
    expect(integration.username).toBe('integration@00d5g000004xyzaeak.com');
    expect(security.role).toBe('Security User');
    expect(security.username).toBe('insightssecurity@00d5g000004xyzaeak.com');
    const frozen = security.items.find((i) => i.label === 'Not frozen');
    expect(frozen?.status).toBe('FAIL');
    expect(frozen?.detail).toContain('is frozen');
    expect(integration.items.find((i) => i.label === 'Not frozen')?.status).toBe('PASS');
    // The demo org limits API access to admin-approved apps (catalog v1.1: AH037 fails there too).
    const api = integration.items.find((i) => i.label === 'API client access');
    expect(api?.status).toBe('FAIL');
    expect(api?.detail).toContain('Use Any API Client');
    const hours = integration.items.find((i) => i.label === 'Login hours');
    expect(hours?.status).toBe('FAIL');
    expect(hours?.detail).toContain('Analytics Cloud Integration User (Clone) limits login hours');
    // Each card shows its own user's profile: the Security User's profile requires no
    // High Assurance session, even though the Integration User's clone does.
    expect(integration.items.find((i) => i.label === 'Session level')?.status).toBe('FAIL');
    expect(security.items.find((i) => i.label === 'Session level')?.status).toBe('PASS');
    expect(security.items.find((i) => i.label === 'Login hours')?.status).toBe('PASS');
    const fact = (card: typeof security, key: string) =>
      card.facts.find((f) => f.key === key)?.value;
    expect(fact(integration, 'profile')).toBe('Analytics Cloud Integration User (Clone) · custom');
    expect(fact(integration, 'session')).toBe('High Assurance');
    expect(fact(integration, 'ip')).toBe('10.0.0.0–10.127.255.255, 13.108.0.0–13.111.255.255');
    expect(fact(integration, 'hours')).toBe('Set for 7 days');
    expect(fact(security, 'profile')).toBe('Analytics Cloud Security User · standard');
    expect(fact(security, 'ip')).toBe('No restriction');
    const unchanged = integration.items.find((i) => i.label === 'Profile unchanged');
    const ah007 = broken.findings.filter((f) => f.ruleId === 'AH007');
    expect(unchanged?.status).toBe(
      ah007.some((f) => f.status === 'FAIL') ? 'FAIL' : ah007[0].status,
    );
    expect(unchanged?.status).not.toBe('NONE');
  });

  it('says when a system user is missing instead of inventing one', () => {
    const noSecurity: Report = {
      ...broken,
      findings: broken.findings.filter((f) => !f.subject.label.startsWith('insightssecurity@')),
      systemUsers: broken.systemUsers.filter((u) => u.role !== 'securityUser'),
    };
    const security = systemUserCards(noSecurity)[1];
    expect(security.found).toBe(false);
    expect(security.items).toHaveLength(1);
    expect(security.items[0].label).toBe('Security User exists');
    const bare: Report = { ...noSecurity, findings: [] };
    expect(systemUserCards(bare)[1].items[0].status).toBe('NONE');
  });
});

describe('not evaluated', () => {
  it('lists each NOT_EVALUATED finding with its reason and the facts it needs', () => {
    const items = notEvaluatedItems(broken);
    expect(items).toHaveLength(broken.summary.notEvaluated);
    // The demo's Cases dataset has a predicate the collector could not read.
    const predicate = items.find((i) => i.ruleId === 'AH028');
    expect(predicate?.reason).toContain('security predicate of Cases');
    expect(predicate?.factsNeeded).toContain('analytics.datasets');
    expect(notEvaluatedItems(healthy)).toEqual([]);
  });
});

describe('timeline', () => {
  it('puts setup changes and failed jobs together, newest first', () => {
    const entries = timeline(broken);
    const kinds = entries.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'change')).toHaveLength(6);
    expect(kinds.filter((k) => k === 'failedJob')).toHaveLength(2);
    const times = entries.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(entries[0]).toMatchObject({
      kind: 'failedJob',
      title: 'Billing failed',
      at: '2026-11-21T22:00:00Z',
    });
    const froze = entries.find((e) => e.detail === 'frozeuser');
    expect(froze?.by).toBe('alex.admin@northwind.example.uat');
  });

  it('takes a job time from the collected jobs and lists failed jobs no rule judged', () => {
    const jobs = [
      {
        id: '03C5g000000JobBEAQ',
        name: 'Billing',
        status: 'Failure',
        message: 'x',
        startedAt: '2026-11-22T05:00:00Z',
      },
      {
        id: '03C000000000ZZZ',
        name: 'Orphan',
        status: 'Failure',
        message: 'boom',
        startedAt: '2026-11-22T06:00:00Z',
      },
      {
        id: '03C000000000YYY',
        name: 'Fine',
        status: 'Success',
        message: null,
        startedAt: '2026-11-22T07:00:00Z',
      },
    ];
    const entries = timeline(broken, jobs);
    expect(entries[0]).toMatchObject({
      title: 'Orphan failed',
      detail: 'boom',
      at: '2026-11-22T06:00:00Z',
    });
    expect(entries[1]).toMatchObject({ title: 'Billing failed', at: '2026-11-22T05:00:00Z' });
    expect(entries.some((e) => e.title.startsWith('Fine'))).toBe(false);
  });

  it('is empty for a healthy org', () => {
    expect(timeline(healthy)).toEqual([]);
  });
});

describe('exports and parsing', () => {
  it('exports the report as JSON and as the engine CSV', () => {
    expect(JSON.parse(reportJson(broken))).toEqual(broken);
    const csv = reportCsv(broken).trim().split('\r\n');
    expect(csv[0]).toBe(
      'ruleId,status,severity,subjectType,subjectId,subject,message,remediation,reason',
    );
    expect(csv).toHaveLength(broken.findings.length + 1);
    expect(exportFileName(broken, 'csv')).toBe(
      'analytics-health-00D5g000004XyZaEAK-2026-11-23T08-00-00-000Z.csv',
    );
    expect(decodeURIComponent(dataUrl('a,b\r\n', 'text/csv').split(',').slice(1).join(','))).toBe(
      'a,b\r\n',
    );
  });

  it('parses a report and rejects anything else', () => {
    expect(parseReport(JSON.stringify(healthy)).score).toBe(100);
    expect(() => parseReport('')).toThrow('no report');
    expect(() => parseReport(null)).toThrow('no report');
    expect(() => parseReport('{"hello":1}')).toThrow('not an Analytics Health report');
    expect(() => parseReport('{oops')).toThrow();
  });

  it('reads Apex, page and plain errors', () => {
    expect(errorMessage({ body: { message: 'Assign the permission set' } })).toBe(
      'Assign the permission set',
    );
    expect(errorMessage({ body: [{ message: 'a' }, { message: 'b' }] })).toBe('a b');
    expect(errorMessage({ body: { pageErrors: [{ message: 'p' }] } })).toBe('p');
    expect(errorMessage(new Error('plain'))).toBe('plain');
    expect(errorMessage('text')).toBe('text');
    expect(errorMessage(undefined)).toBe('Unknown error.');
  });
});

describe('what needs attention', () => {
  const rows = toRows(broken);
  const passed = rows.filter((r) => r.status === 'PASS');

  it('leaves the passed findings out unless asked, and counts them', () => {
    const view = findingView(rows, EMPTY_FILTERS, false);
    expect(passed.length).toBeGreaterThan(0);
    expect(view.rows).toHaveLength(rows.length - passed.length);
    expect(view.rows.some((r) => r.status === 'PASS')).toBe(false);
    expect(view.passed).toBe(passed.length);
    expect(view.passedShown).toBe(false);
    const all = findingView(rows, EMPTY_FILTERS, true);
    expect(all.rows).toEqual(rows);
    expect(all.passed).toBe(passed.length);
  });

  it('counts only the passed findings that match the filters', () => {
    const filters = { ...EMPTY_FILTERS, subjectType: 'field' };
    const view = findingView(rows, filters, false);
    const fieldPassed = passed.filter((r) => r.subjectKind === 'field').length;
    expect(view.passed).toBe(fieldPassed);
    expect(view.rows.every((r) => r.subjectKind === 'field' && r.status !== 'PASS')).toBe(true);
    expect(findingView(rows, filters, true).rows).toHaveLength(
      rows.filter((r) => r.subjectKind === 'field').length,
    );
  });

  it('shows the passed findings when the status filter asks for them', () => {
    const view = findingView(rows, { ...EMPTY_FILTERS, status: 'PASS' }, false);
    expect(view.rows).toHaveLength(passed.length);
    expect(view.passedShown).toBe(true);
  });
});

describe('catalog v1.1 subjects', () => {
  const rows = toRows(broken);
  const only = (ruleId: string, status = 'FAIL') =>
    rows.filter((r) => r.ruleId === ruleId && r.status === status);

  it('shows each new subject with its kind and what identifies it', () => {
    const [field] = only('AH027');
    expect(field).toMatchObject({
      subjectType: 'field',
      subjectKind: 'predicateField',
      subjectKindLabel: 'Predicate field',
      subjectLabel: 'User.Sales_Region__c',
      subjectDetail: 'read by the security predicates of Opportunities',
    });
    const [dataset] = only('AH028');
    expect(dataset).toMatchObject({
      subjectKind: 'dataset',
      subjectKindLabel: 'Dataset',
      subjectLabel: 'Accounts',
      subjectDetail: 'id 0Fb5g000000AcctCAA · inherits sharing from Account',
    });
    const [sandbox] = only('AH043');
    expect(sandbox).toMatchObject({
      subjectKind: 'sandbox',
      subjectKindLabel: 'Sandbox',
      subjectLabel: 'UAT',
      subjectDetail: 'access group 00G5g000000UatGEAS',
    });
    const [apps] = only('AH037');
    expect(apps).toMatchObject({
      subjectType: 'user',
      subjectKind: 'connectedApp',
      subjectLabel: 'insightssecurity@00d5g000004xyzaeak.com',
      subjectDetail:
        'missing Wave Web (not approved for the profile or a permission set of insightssecurity@00d5g000004xyzaeak.com)',
    });
    // The passed one lists nothing missing, so it says nothing more than its user.
    expect(only('AH037', 'PASS')[0].subjectDetail).toBe('');
    // A field a dataflow reads stays a plain field.
    expect(only('AH023')[0].subjectKind).toBe('field');
  });

  it('offers the new kinds in the subject filter, and each keeps to its own findings', () => {
    const offered = filterOptions(rows).subjectType;
    for (const [kind, label, ruleIds] of [
      ['predicateField', 'Security predicate fields', ['AH027']],
      ['dataset', 'Datasets', ['AH027', 'AH028']],
      ['sandbox', 'Sandboxes', ['AH043']],
      ['connectedApp', 'Connected apps', ['AH037']],
    ] as const) {
      expect(offered).toContainEqual({ label, value: kind });
      const chosen = filterRows(rows, { ...EMPTY_FILTERS, subjectType: kind });
      expect(chosen.length).toBeGreaterThan(0);
      expect([...new Set(chosen.map((r) => r.ruleId))].sort()).toEqual([...ruleIds]);
    }
    // "Fields" and "Users" no longer hold them.
    const fields = filterRows(rows, { ...EMPTY_FILTERS, subjectType: 'field' });
    expect(fields.some((r) => r.ruleId === 'AH027')).toBe(false);
    const users = filterRows(rows, { ...EMPTY_FILTERS, subjectType: 'user' });
    expect(users.some((r) => r.ruleId === 'AH037')).toBe(false);
  });

  it('groups them under their own headings and finds them by search', () => {
    const failed = rows.filter((r) => r.status === 'FAIL');
    const labels = pageGroups(failed, 0, failed.length).map((g) => g.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'Failed · Connected apps',
        'Failed · Security predicate fields',
        'Failed · Datasets',
        'Failed · Sandboxes',
      ]),
    );
    expect(labels.indexOf('Failed · Users')).toBeLessThan(
      labels.indexOf('Failed · Connected apps'),
    );
    const bySandboxGroup = filterRows(rows, { ...EMPTY_FILTERS, search: '00G5g000000UatGEAS' });
    expect(bySandboxGroup.map((r) => r.ruleId)).toContain('AH043');
    const byKind = filterRows(rows, { ...EMPTY_FILTERS, search: 'predicate field' });
    expect(byKind.every((r) => r.ruleId === 'AH027')).toBe(true);
  });

  it('takes the kind from the rule, and reads no detail from missing evidence', () => {
    const finding = { ruleId: 'X', status: 'FAIL', severity: 'INFO', message: '' } as const;
    const rule = (subject: string, factsNeeded: string[] = []) => ({
      id: 'X',
      label: 'X',
      category: '',
      subject,
      severity: 'INFO' as const,
      helpText: '',
      sourceArticle: '',
      factsNeeded,
    });
    const field = { ...finding, subject: { type: 'field', id: 'User.A__c', label: 'User.A__c' } };
    const user = { ...finding, subject: { type: 'user', id: '005', label: 'u@x' } };
    expect(subjectKindOf(field, rule('predicateField'))).toBe('predicateField');
    expect(subjectKindOf(field, rule('referencedField'))).toBe('field');
    expect(subjectKindOf(field, undefined)).toBe('field');
    expect(subjectKindOf(user, rule('systemUser', ['connectedApps']))).toBe('connectedApp');
    expect(subjectKindOf(user, rule('systemUser', ['users']))).toBe('user');
    expect(subjectDetailOf('sandbox', { ...user, subject: { type: 'sandbox', label: 'S' } })).toBe(
      '',
    );
    expect(subjectDetailOf('predicateField', { ...field, evidence: { datasets: 'oops' } })).toBe(
      'read by the security predicates of oops',
    );
    expect(subjectDetailOf('connectedApp', { ...user, evidence: { missingApps: [] } })).toBe('');
  });

  it('names a source that is not an article without linking it', () => {
    expect(
      articlesOf(
        'Trailhead: Control Access and Secure Your Data; Salesforce Help: security predicates',
      ),
    ).toEqual([
      {
        key: '0-Trailhead: Control Access and Secure Your Data',
        label: 'Trailhead: Control Access and Secure Your Data',
        href: '',
      },
      {
        key: '1-Salesforce Help: security predicates',
        label: 'Salesforce Help: security predicates',
        href: '',
      },
    ]);
    const mixed = articlesOf('002953328, Tooling API SandboxInfo');
    expect(mixed.map((a) => a.href)).toEqual([
      'https://help.salesforce.com/s/articleView?id=002953328&type=1',
      '',
    ]);
    expect(mixed[1].label).toBe('Tooling API SandboxInfo');
  });

  it('shows the connected-app check on each system user card', () => {
    const [integration, security] = systemUserCards(broken);
    const item = (card: typeof security) =>
      card.items.find((i) => i.label === 'Connected apps approved');
    expect(item(integration)?.status).toBe('PASS');
    expect(item(security)?.status).toBe('FAIL');
    expect(item(security)?.detail).toContain('Wave Web');
  });

  it('names the kind of a subject that could not be evaluated', () => {
    const cases = notEvaluatedItems(broken).filter((i) => i.subjectLabel === 'Cases');
    expect(cases.map((i) => i.ruleId).sort()).toEqual(['AH027', 'AH028']);
    expect(cases.every((i) => i.subjectKindLabel === 'Dataset')).toBe(true);
  });

  it('exports the new subjects in the CSV, a formula-like dataset name neutralised', () => {
    const report = demoReportWith('demo-broken-org', (facts) => {
      const accounts = facts.analytics?.datasets?.find((d) => d.name === 'Accounts');
      if (accounts) accounts.name = '=HYPERLINK("https://example.invalid","open")';
    });
    const lines = reportCsv(report).trim().split('\r\n');
    const kinds = lines.map((line) => line.split(',')[3]);
    expect(kinds).toEqual(expect.arrayContaining(['dataset', 'sandbox', 'field']));
    const dataset = lines.find((l) => l.startsWith('AH028,FAIL,'));
    expect(dataset).toContain(',"\'=HYPERLINK(""https://example.invalid"",""open"")",');
    expect(lines.find((l) => l.startsWith('AH043,FAIL,'))).toContain(',sandbox,UAT,UAT,');
    expect(lines.find((l) => l.startsWith('AH027,FAIL,'))).toContain(
      ',field,User.Sales_Region__c,User.Sales_Region__c,',
    );
    expect(lines.find((l) => l.startsWith('AH037,FAIL,'))).toContain(
      ',user,0055g00000SecuUAAQ,insightssecurity@00d5g000004xyzaeak.com,',
    );
  });
});
