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
  healthStatus,
  notEvaluatedItems,
  pageGroups,
  parseReport,
  reportCsv,
  reportJson,
  setupPathOf,
  subjectTypeLabel,
  systemUserCards,
  timeline,
  toRows,
} from 'c/healthDashboardModel';
import { demoReport, largeReport } from './demoReports';

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

  it('orders users before profiles, objects, fields and jobs, failures first in each group', () => {
    const order = [...new Set(rows.map((r) => r.subjectType))];
    expect(order.indexOf('user')).toBeLessThan(order.indexOf('profile'));
    expect(order.indexOf('profile')).toBeLessThan(order.indexOf('object'));
    expect(order.indexOf('field')).toBeLessThan(order.indexOf('job'));
    const users = rows.filter((r) => r.subjectType === 'user');
    expect(users[0].status).toBe('FAIL');
    expect(users[users.length - 1].status).toBe('PASS');
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
  it('groups one page by subject type with whole-list counts', () => {
    const rows = toRows(broken);
    const groups = pageGroups(rows, 0, 10);
    expect(groups[0].key).toBe('user');
    expect(groups[0].label).toBe('Users');
    expect(groups[0].rows).toHaveLength(10);
    expect(groups[0].count).toBe(rows.filter((r) => r.subjectType === 'user').length);
    const last = pageGroups(rows, Math.floor((rows.length - 1) / 10), 10);
    expect(last.flatMap((g) => g.rows)).toHaveLength(rows.length % 10 || 10);
  });

  it('names unknown subject types readably', () => {
    expect(subjectTypeLabel('dataset')).toBe('Dataset');
    expect(subjectTypeLabel('auditEvent')).toBe('Setup changes');
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
    const api = integration.items.find((i) => i.label === 'API client access');
    expect(api?.status).toBe('NOT_EVALUATED');
    expect(api?.detail).toContain('apiAccessControlEnabled');
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
    expect(items[0].ruleId).toBe('AH036');
    expect(items[0].reason).toContain('Metadata API');
    expect(items[0].factsNeeded).toContain('settings.apiAccessControlEnabled');
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
