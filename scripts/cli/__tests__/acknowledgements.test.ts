import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  applyAcknowledgements,
  compileCatalog,
  evaluate,
  validateOrgFacts,
  type Acknowledgement,
} from '../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { loadCatalogRecords } from '../lib/catalogSource';
import { DEFAULT_SNAPSHOT, run } from '../analyticsHealth';

const fixedNow = () => new Date('2026-11-23T08:00:00Z');
const facts = validateOrgFacts(JSON.parse(readFileSync(DEFAULT_SNAPSHOT, 'utf8')));
const report = evaluate(facts, compileCatalog(loadCatalogRecords()), {
  evaluatedAt: fixedNow().toISOString(),
});

function ackFor(
  f: (typeof report.findings)[number],
  expiresAt: string | null = null,
): Acknowledgement {
  return {
    ruleId: f.ruleId,
    subjectType: f.subject.type,
    subjectId: f.subject.id ?? f.subject.label,
    reason: `Accepted until the ${f.ruleId} fix ships`,
    acknowledgedBy: 'ada.admin@example.com',
    acknowledgedAt: '2026-11-20T09:00:00Z',
    expiresAt,
  };
}

const criticalFailures = report.findings.filter(
  (f) => f.status === 'FAIL' && f.severity === 'CRITICAL',
);
const allCritical = criticalFailures.map((f) => ackFor(f));

function tempFile(name: string, content: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ah-ack-')), name);
  writeFileSync(file, content);
  return file;
}

function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, fixedNow);
  return { code, stdout, stderr };
}

describe('analytics-health check --acknowledgements', () => {
  it('applies the file to the report exactly as the engine does', () => {
    const file = tempFile('acks.json', JSON.stringify(allCritical));
    const { code, stdout, stderr } = cli('check', '--format', 'json', '--acknowledgements', file);
    expect(stderr).toBe('');
    const expected = applyAcknowledgements(report, allCritical);
    expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(expected.summary.acknowledged).toBe(criticalFailures.length);
    expect(expected.summary.critical).toBe(0);
    // Acknowledged failures do not count for --fail-on critical...
    expect(code).toBe(0);
  });

  it('...but the failures left still do, at their own threshold', () => {
    const file = tempFile('acks.json', JSON.stringify(allCritical));
    expect(report.findings.some((f) => f.status === 'FAIL' && f.severity === 'WARNING')).toBe(true);
    expect(cli('check', '--fail-on', 'warning', '--acknowledgements', file).code).toBe(1);
    const one = tempFile('one.json', JSON.stringify(allCritical.slice(0, 1)));
    expect(criticalFailures.length).toBeGreaterThan(1);
    expect(cli('check', '--acknowledgements', one).code).toBe(1);
  });

  it('lists acknowledged failures apart in the table, with who, when, why and until', () => {
    const acks = [ackFor(criticalFailures[0], '2027-01-31T00:00:00Z')];
    const { stdout } = cli('check', '--acknowledgements', tempFile('a.json', JSON.stringify(acks)));
    const [failingPart, acknowledgedPart] = stdout.split('Acknowledged — not scored (1)');
    expect(acknowledgedPart).toBeDefined();
    expect(acknowledgedPart).toContain(
      `${criticalFailures[0].ruleId}  ${criticalFailures[0].subject.label}`,
    );
    expect(acknowledgedPart).toContain(
      'Acknowledged by ada.admin@example.com on 2026-11-20T09:00:00Z',
    );
    expect(acknowledgedPart).toContain('until 2027-01-31T00:00:00Z');
    expect(failingPart).toContain(
      `Failing (${report.findings.filter((f) => f.status === 'FAIL').length - 1})`,
    );
    expect(stdout).toContain('acknowledged 1');
  });

  it('ignores an acknowledgement that expired before the run', () => {
    const expired = [ackFor(criticalFailures[0], '2026-11-01T00:00:00Z')];
    const { stdout } = cli(
      'check',
      '--format',
      'json',
      '--acknowledgements',
      tempFile('old.json', JSON.stringify(expired)),
    );
    const out = JSON.parse(stdout);
    expect(out.summary.acknowledged).toBe(0);
    expect(out.score).toBe(report.score);
  });

  it('rejects a bad file with exit 2, naming the file and the entry at fault', () => {
    const broken = [allCritical[0], { ...allCritical[1], reason: '' }];
    const file = tempFile('bad.json', JSON.stringify(broken));
    const bad = cli('check', '--acknowledgements', file);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain(file);
    expect(bad.stderr).toContain('[1].reason: expected non-empty string');

    const notJson = tempFile('x.json', '[{');
    expect(cli('check', '--acknowledgements', notJson).stderr).toContain(notJson);
    expect(cli('check', '--acknowledgements', '/nonexistent/acks.json').code).toBe(2);
    expect(cli('check', '--acknowledgements').code).toBe(2);
  });

  it('applies the file to a live org check too, and reads it before collecting', async () => {
    const file = tempFile('acks.json', JSON.stringify(allCritical));
    let stdout = '';
    const io = { stdout: (t: string) => (stdout += t), stderr: () => undefined };
    const collectLive = jest.fn(async () => ({ facts, requestCount: 3 }));
    const code = await run(
      ['check', '--target-org', 'demo', '--format', 'json', '--acknowledgements', file],
      io,
      fixedNow,
      { collectLive },
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).summary.acknowledged).toBe(criticalFailures.length);

    const bad = tempFile('bad.json', '{}');
    const refused = await run(
      ['check', '--target-org', 'demo', '--acknowledgements', bad],
      io,
      fixedNow,
      { collectLive },
    );
    expect(refused).toBe(2);
    expect(collectLive).toHaveBeenCalledTimes(1);
  });
});
