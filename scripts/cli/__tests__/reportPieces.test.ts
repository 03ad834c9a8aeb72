import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  compileCatalog,
  evaluate,
  reportCsvPieces,
  reportToCsv,
  validateOrgFacts,
  type Finding,
  type Report,
} from '../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { loadCatalogRecords } from '../lib/catalogSource';
import { sampleSnapshots } from '../../tooling/testkit/randomSnapshot';
import { DEFAULT_SNAPSHOT, run } from '../analyticsHealth';
import { reportJsonPieces } from '../formats/jsonReport';
import { reportJunitPieces, reportToJunit } from '../formats/junit';

const catalog = compileCatalog(loadCatalogRecords());
const evaluatedAt = '2026-11-23T08:00:00.000Z';

function reportOf(facts: unknown): Report {
  return evaluate(validateOrgFacts(facts), catalog, { evaluatedAt });
}

function streamed(report: Report, omitPassed = false): string {
  return [...reportJsonPieces(report, { omitPassed })].join('');
}

const expected = (report: unknown) => `${JSON.stringify(report, null, 2)}\n`;

const demoReports = ['demo-broken-org.json', 'demo-healthy-org.json'].map((name) =>
  reportOf(JSON.parse(readFileSync(path.join(path.dirname(DEFAULT_SNAPSHOT), name), 'utf8'))),
);

function finding(i: number, status: Finding['status']): Finding {
  return {
    ruleId: `AH${String(i % 7).padStart(3, '0')}`,
    status,
    severity: 'WARNING',
    subject: { type: 'field', id: `Obj.F${i}`, label: `Obj.F${i} "quoted"\nline\u2028é` },
    message: `m${i}`,
  };
}

describe('the JSON report written in pieces', () => {
  it.each(demoReports.map((report, i) => [i, report] as const))(
    'equals JSON.stringify of demo report %i, byte for byte',
    (_, report) => {
      expect(streamed(report)).toBe(expected(report));
    },
  );

  it('equals JSON.stringify on random snapshots', () => {
    for (const facts of sampleSnapshots(25, 194)) {
      const report = reportOf(facts);
      expect(streamed(report)).toBe(expected(report));
    }
  });

  it('equals JSON.stringify across piece boundaries, with nested evidence and odd text', () => {
    const findings: Finding[] = [];
    for (let i = 0; i < 1201; i++) findings.push(finding(i, i % 3 === 0 ? 'FAIL' : 'PASS'));
    findings[500].evidence = { list: [1, [], {}, { a: [null, 'x\ty'] }], empty: {}, n: null };
    findings[501].remediation = 'Fix';
    findings[502].reason = undefined;
    const report = { ...demoReports[0], findings };
    const text = streamed(report);
    expect(text).toBe(expected(report));
    // The report is never produced as one piece.
    expect([...reportJsonPieces(report)].length).toBeGreaterThan(3);
  });

  it('writes an empty findings list and an org without a name as JSON.stringify does', () => {
    const report = { ...demoReports[1], findings: [], org: { id: '00D' }, systemUsers: [] };
    expect(streamed(report)).toBe(expected(report));
  });

  it('leaves PASS findings out with omitPassed, and nothing else', () => {
    const report = demoReports[0];
    const passed = report.findings.filter((f) => f.status === 'PASS').length;
    expect(passed).toBeGreaterThan(0);
    const text = streamed(report, true);
    expect(text).toBe(
      expected({ ...report, findings: report.findings.filter((f) => f.status !== 'PASS') }),
    );
    // The summary still counts what was left out.
    expect(JSON.parse(text).summary.passed).toBe(passed);
  });

  it('writes an empty list when every finding passed and they are omitted', () => {
    const report = { ...demoReports[1], findings: [finding(1, 'PASS'), finding(2, 'PASS')] };
    expect(JSON.parse(streamed(report, true)).findings).toEqual([]);
    expect(streamed(report, true)).toBe(expected({ ...report, findings: [] }));
  });
});

describe('the CSV report written in pieces', () => {
  it('joins to exactly reportToCsv, on demo and random reports and across pieces', () => {
    const reports = [...demoReports, ...sampleSnapshots(10, 195).map(reportOf)];
    const many: Finding[] = [];
    for (let i = 0; i < 450; i++) many.push(finding(i, i % 4 === 0 ? 'FAIL' : 'PASS'));
    many[7].message = '=HYPERLINK("x")';
    reports.push({ ...demoReports[0], findings: many }, { ...demoReports[0], findings: [] });
    for (const report of reports) {
      const pieces = [...reportCsvPieces(report)];
      expect(pieces.join('')).toBe(reportToCsv(report));
    }
    expect([...reportCsvPieces({ ...demoReports[0], findings: many })]).toHaveLength(3);
  });
});

describe('the JUnit report written in pieces', () => {
  it('joins to exactly reportToJunit, on demo and random reports and across pieces', () => {
    const reports = [...demoReports, ...sampleSnapshots(10, 196).map(reportOf)];
    const many: Finding[] = [];
    for (let i = 0; i < 450; i++) {
      many.push(finding(i, (['PASS', 'FAIL', 'NOT_EVALUATED', 'ERROR'] as const)[i % 4]));
    }
    many[9].reason = 'why <&> "not" \u0001';
    many[10].remediation = "Fix it's <b>";
    reports.push(
      { ...demoReports[0], findings: many },
      { ...demoReports[0], findings: [] },
      { ...demoReports[1], org: { id: '00D' } },
    );
    for (const report of reports) {
      expect([...reportJunitPieces(report)].join('')).toBe(reportToJunit(report));
    }
  });

  it('never makes one piece of a large suite', () => {
    const many: Finding[] = [];
    for (let i = 0; i < 1000; i++) many.push({ ...finding(i, 'PASS'), ruleId: 'AH001' });
    const pieces = [...reportJunitPieces({ ...demoReports[0], findings: many })];
    // Head, suite open, five pieces of 200 cases, suite close, document close.
    expect(pieces).toHaveLength(9);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(64 * 1024);
  });

  it('is what check --format junit writes', () => {
    const printed = cli('check', '--format', 'junit');
    expect(printed.stdout).toBe(reportToJunit(JSON.parse(cli('check', '--json').stdout)));
  });
});

function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(
    argv,
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    () => new Date(evaluatedAt),
  );
  return { code, stdout, stderr };
}

describe('analytics-health check --omit-passed', () => {
  it('prints the report without PASS findings; summary, score and exit code unchanged', () => {
    const full = cli('check', '--format', 'json');
    const omitted = cli('check', '--json', '--omit-passed');
    const report = JSON.parse(full.stdout) as Report;
    expect(omitted.code).toBe(full.code);
    expect(omitted.stdout).toBe(
      expected({ ...report, findings: report.findings.filter((f) => f.status !== 'PASS') }),
    );
    expect(report.summary.passed).toBeGreaterThan(0);
  });

  it('writes the same bytes to --output as to stdout', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'ah-json-')), 'report.json');
    const printed = cli('check', '--format', 'json', '--omit-passed');
    const written = cli('check', '--format', 'json', '--omit-passed', '--output', out);
    expect(written.stderr).toBe(`Wrote ${out}\n`);
    expect(readFileSync(out, 'utf8')).toBe(printed.stdout);
  });

  it.each([
    [['check', '--omit-passed'], /use it with --format json/],
    [['check', '--format', 'csv', '--omit-passed'], /use it with --format json/],
    [['rules', '--omit-passed'], /an option of check/],
  ])('%j: exit 2 with one line', (argv, message) => {
    const { code, stdout, stderr } = cli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});
