import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_SNAPSHOT, exitCodeFor, parseArgs, run } from '../analyticsHealth';
import { formatTable } from '../tableFormat';

const healthy = path.join(path.dirname(DEFAULT_SNAPSHOT), 'demo-healthy-org.json');
const fixedNow = () => new Date('2026-11-23T08:00:00Z');

function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, fixedNow);
  return { code, stdout, stderr };
}

function tempFile(name: string, content: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ah-cli-')), name);
  writeFileSync(file, content);
  return file;
}

describe('analytics-health check', () => {
  it('prints exactly the report as JSON and exits 1 on the broken demo org', () => {
    const { code, stdout, stderr } = cli('check', '--format', 'json');
    const report = JSON.parse(stdout);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(report.schemaVersion).toBe(1);
    expect(report.evaluatedAt).toBe('2026-11-23T08:00:00.000Z');
    expect(report.summary.critical).toBeGreaterThan(5);
    expect(report.score).toBeLessThanOrEqual(49);
    const failed = new Set(
      report.findings
        .filter((f: { status: string }) => f.status === 'FAIL')
        .map((f: { ruleId: string }) => f.ruleId),
    );
    for (const id of [
      'AH003',
      'AH005',
      'AH021',
      'AH022',
      'AH023',
      'AH024',
      'AH030',
      'AH032',
      'AH033',
      'AH034',
      'AH035',
      'AH040',
      'AH041',
    ]) {
      expect(failed).toContain(id);
    }
    const jobFinding = report.findings.find(
      (f: { subject: { id: string } }) => f.subject.id === '03C5g000000JobBEAQ',
    );
    expect(jobFinding.evidence.probableCauses).toEqual(
      expect.arrayContaining(['AH030', 'AH033', 'AH035']),
    );
  });

  it('scores the healthy demo org 100 and exits 0', () => {
    const { code, stdout } = cli('check', '--facts', healthy);
    expect(code).toBe(0);
    expect(stdout).toContain('Score 100/100');
    expect(stdout).toContain('Failing: none');
  });

  it('honours --fail-on: never → 0, info → 1 on the broken org', () => {
    expect(cli('check', '--fail-on', 'never').code).toBe(0);
    expect(cli('check', '--fail-on', 'info').code).toBe(1);
  });

  it('writes CSV with one row per finding and quotes commas', () => {
    const { stdout } = cli('check', '--format', 'csv');
    const rows = stdout.trim().split('\r\n');
    const json = JSON.parse(cli('check', '--format', 'json').stdout);
    expect(rows[0]).toBe(
      'ruleId,status,severity,subjectType,subjectId,subject,message,remediation,reason',
    );
    expect(rows).toHaveLength(json.findings.length + 1);
    expect(stdout).toMatch(
      /AH005,FAIL,CRITICAL,user,0055g00000SecuUAAQ,insightssecurity@\S+,"The Security User/,
    );
  });

  it('prints the table with failures, unknowns and external reads', () => {
    const { stdout } = cli('check');
    expect(stdout).toContain('[CRITICAL] AH005');
    expect(stdout).toContain('Not evaluated (2)');
    expect(stdout).toContain('SALES_TARGETS via Snowflake_Sales (SnowflakeDirect)');
  });

  it('writes to --output and says so on stderr', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'ah-out-')), 'report.json');
    const { code, stdout, stderr } = cli(
      'check',
      '--facts',
      healthy,
      '--format',
      'json',
      '--output',
      out,
    );
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain(out);
    expect(JSON.parse(readFileSync(out, 'utf8')).score).toBe(100);
  });

  it('rejects a malformed snapshot with exit 2 and the JSON path', () => {
    const facts = JSON.parse(readFileSync(healthy, 'utf8'));
    facts.users[1].isFrozen = 'no';
    const { code, stdout, stderr } = cli(
      'check',
      '--facts',
      tempFile('bad.json', JSON.stringify(facts)),
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('users[1].isFrozen: expected boolean or null');
  });

  it('rejects text that is not JSON and a missing file with exit 2', () => {
    expect(cli('check', '--facts', tempFile('x.json', '{ nope')).stderr).toContain(
      'is not valid JSON',
    );
    const missing = cli('check', '--facts', '/nonexistent/snapshot.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read /nonexistent/snapshot.json');
  });

  it('rejects bad usage with exit 2', () => {
    expect(cli('check', '--format', 'xml').code).toBe(2);
    expect(cli('check', '--fail-on', 'sometimes').stderr).toContain('--fail-on must be one of');
    expect(cli('check', '--facts').stderr).toContain('--facts needs a value');
    expect(cli('frobnicate').code).toBe(2);
    expect(cli('check', '--bogus').stderr).toContain('Unknown option');
    expect(cli('rules', '--format', 'csv').code).toBe(2);
  });

  it('prints help with exit 0', () => {
    const { code, stdout } = cli('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage:');
    expect(parseArgs(['check']).facts).toBe(DEFAULT_SNAPSHOT);
  });
});

describe('analytics-health rules', () => {
  it('lists every shipped rule in the table and as JSON', () => {
    const table = cli('rules').stdout;
    expect(table).toContain('AH001   CRITICAL org');
    expect(table).toContain('AH042');
    const rules = JSON.parse(cli('rules', '--format', 'json').stdout);
    expect(rules.map((r: { id: string }) => r.id)).toHaveLength(31);
  });
});

describe('exit codes', () => {
  const report = (
    status: 'FAIL' | 'NOT_EVALUATED' | 'ERROR',
    severity: 'CRITICAL' | 'WARNING' | 'INFO',
  ) =>
    ({
      findings: [
        { ruleId: 'X', status, severity, subject: { type: 'org', label: 'org' }, message: '' },
      ],
    }) as unknown as Parameters<typeof exitCodeFor>[0];
  it('count only FAIL at or above the threshold', () => {
    expect(exitCodeFor(report('FAIL', 'WARNING'), 'critical')).toBe(0);
    expect(exitCodeFor(report('FAIL', 'WARNING'), 'warning')).toBe(1);
    expect(exitCodeFor(report('FAIL', 'CRITICAL'), 'info')).toBe(1);
    expect(exitCodeFor(report('NOT_EVALUATED', 'CRITICAL'), 'info')).toBe(0);
    expect(exitCodeFor(report('ERROR', 'CRITICAL'), 'info')).toBe(0);
  });
  it('formats an ERROR finding with its reason', () => {
    const text = formatTable({
      schemaVersion: 1,
      org: { id: '00D' },
      evaluatedAt: '',
      score: 100,
      summary: { critical: 0, warning: 0, info: 0, passed: 0, notEvaluated: 0, errors: 1 },
      findings: [
        {
          ruleId: 'AH004',
          status: 'ERROR',
          severity: 'CRITICAL',
          subject: { type: 'rule', id: 'AH004', label: 'AH004' },
          message: 'broken',
          reason: 'Condition__c is not valid JSON',
        },
      ],
      rules: [],
      externalReferences: [],
      systemUsers: [],
    });
    expect(text).toContain('Errors (1)');
    expect(text).toContain('Why: Condition__c is not valid JSON');
  });
});
