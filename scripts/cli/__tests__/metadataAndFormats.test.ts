import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DEFAULT_SNAPSHOT, run } from '../analyticsHealth';
import { escapeXml, reportToJunit } from '../formats/junit';
import { reportToSarif } from '../formats/sarif';
import { PROJECT_ROOT } from '../lib/catalogSource';

const healthy = path.join(path.dirname(DEFAULT_SNAPSHOT), 'demo-healthy-org.json');
const fixtures = path.join(
  PROJECT_ROOT,
  'scripts',
  'cli',
  'collectors',
  'metadata',
  '__tests__',
  'fixtures',
);
const predeploy = path.join(fixtures, 'predeploy');
const fixedNow = () => new Date('2026-11-23T08:00:00Z');

function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, fixedNow, {
    cwd: PROJECT_ROOT,
  });
  if (typeof code !== 'number') throw new Error('a snapshot or metadata check is synchronous');
  return { code, stdout, stderr };
}

const sarifSchema = JSON.parse(
  readFileSync(
    path.join(
      PROJECT_ROOT,
      'node_modules',
      '@microsoft',
      'jest-sarif',
      'lib',
      'schemas',
      'sarif-2.1.0-rtm.5.json',
    ),
    'utf8',
  ),
);
// The published schema's language-tag pattern is not a valid Unicode-mode regular expression.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSchema);

describe('check --metadata (pre-deploy guard)', () => {
  it('reports what deploying the source would break, marking new failures and their files', () => {
    const { code, stdout, stderr } = cli(
      'check',
      '--metadata',
      predeploy,
      '--facts',
      healthy,
      '--json',
    );
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    const industry = report.findings.find(
      (f: { ruleId: string; subject: { id: string } }) =>
        f.ruleId === 'AH023' && f.subject.id === 'Account.Industry',
    );
    expect(industry.status).toBe('FAIL');
    expect(industry.message).toMatch(/cannot read Account\.Industry, which .*Sales Pipeline/);
    expect(industry.evidence.newInSource).toBe(true);
    expect(industry.evidence.sourceFiles).toEqual(
      [
        'scripts/cli/collectors/metadata/__tests__/fixtures/predeploy/force-app/main/default/profiles/Analytics Cloud Integration User %28Clone%29.profile-meta.xml',
        'scripts/cli/collectors/metadata/__tests__/fixtures/predeploy/force-app/main/default/wave/Sales_Pipeline.wdpr',
      ].map((f) => path.relative(predeploy, path.join(PROJECT_ROOT, f))),
    );
    expect(stderr).toContain(
      'Read 2 profile(s), 1 permission set(s), 1 profile session setting(s), 2 setting(s) and 1 analytics asset file(s)',
    );
    expect(stderr).toContain('note: Connection "Snowflake_Sales"');
  });

  it('does not mark failures the baseline already had as new', () => {
    const broken = JSON.parse(readFileSync(DEFAULT_SNAPSHOT, 'utf8'));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ah-meta-')), 'baseline.json');
    writeFileSync(file, JSON.stringify(broken));
    const report = JSON.parse(
      cli('check', '--metadata', predeploy, '--facts', file, '--format', 'json').stdout,
    );
    const ah005 = report.findings.filter(
      (f: { ruleId: string; status: string }) => f.ruleId === 'AH005' && f.status === 'FAIL',
    );
    expect(ah005.length).toBeGreaterThan(0);
    expect(
      ah005.every((f: { evidence?: { newInSource?: boolean } }) => !f.evidence?.newInSource),
    ).toBe(true);
  });

  it('shows new failures and files in the table and can save the overlaid facts', () => {
    const saved = path.join(mkdtempSync(path.join(tmpdir(), 'ah-meta-')), 'facts.json');
    const { stdout, stderr } = cli(
      'check',
      '--metadata',
      predeploy,
      '--facts',
      healthy,
      '--save-facts',
      saved,
    );
    expect(stdout).toContain('AH023  Account.Industry  (new: this source causes it)');
    expect(stdout).toContain('Files: ');
    expect(stderr).toContain(`Saved the facts to ${saved}`);
    expect(JSON.parse(readFileSync(saved, 'utf8')).source).toBe('metadata');
  });

  it('runs without a baseline against an empty org', () => {
    const { code, stdout, stderr } = cli(
      'check',
      '--metadata',
      predeploy,
      '--format',
      'json',
      '--fail-on',
      'never',
    );
    expect(code).toBe(0);
    expect(stderr).toContain('note: No baseline snapshot');
    expect(JSON.parse(stdout).org.id).toBe('00D000000000000AAA');
  });

  it('exits 2 naming file and line of malformed XML and JSON', () => {
    const { code, stdout, stderr } = cli('check', '--metadata', path.join(fixtures, 'broken'));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'Analytics Cloud Integration User.profile-meta.xml:7: not well-formed XML',
    );
    expect(stderr).toContain(`${path.join('wave', 'Broken.wdf')}:4: not valid JSON`);
  });

  it('exits 2 for a missing directory and conflicting options', () => {
    expect(cli('check', '--metadata', '/nonexistent/source').stderr).toContain(
      'Cannot read the source directory',
    );
    expect(cli('check', '--metadata', predeploy, '--target-org', 'x').code).toBe(2);
    expect(cli('check', '--target-org', 'x', '--facts', healthy).stderr).toContain(
      '--facts reads a snapshot',
    );
    expect(cli('check', '--save-facts', 'x.json').stderr).toContain('--save-facts needs');
    expect(cli('check', '--api-version', 'sixty').code).toBe(2);
  });
});

describe('SARIF', () => {
  it('validates against the SARIF 2.1.0 schema, with rules, levels and metadata file locations', () => {
    const { stdout } = cli(
      'check',
      '--metadata',
      predeploy,
      '--facts',
      healthy,
      '--format',
      'sarif',
    );
    const log = JSON.parse(stdout);
    const valid = validateSarif(log);
    expect(validateSarif.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The validator does reject a log that breaks the schema.
    expect(
      validateSarif({ ...log, runs: [{ ...log.runs[0], results: [{ level: 'fatal' }] }] }),
    ).toBe(false);
    const run0 = log.runs[0];
    expect(run0.tool.driver.rules).toHaveLength(31);
    const ah023 = run0.tool.driver.rules.find((r: { id: string }) => r.id === 'AH023');
    expect(ah023.defaultConfiguration.level).toBe('error');
    expect(ah023.help.text).toContain('000384569');
    const result = run0.results.find((r: { ruleId: string }) => r.ruleId === 'AH023');
    expect(result.level).toBe('error');
    expect(result.kind).toBe('fail');
    expect(run0.tool.driver.rules[result.ruleIndex].id).toBe('AH023');
    expect(
      result.locations.map(
        (l: { physicalLocation: { artifactLocation: { uri: string } } }) =>
          l.physicalLocation.artifactLocation.uri,
      ),
    ).toEqual([
      'scripts/cli/collectors/metadata/__tests__/fixtures/predeploy/force-app/main/default/profiles/Analytics%20Cloud%20Integration%20User%20%2528Clone%2529.profile-meta.xml',
      'scripts/cli/collectors/metadata/__tests__/fixtures/predeploy/force-app/main/default/wave/Sales_Pipeline.wdpr',
    ]);
    // Passing findings are not results.
    expect(run0.results.every((r: { kind: string }) => r.kind !== 'pass')).toBe(true);
  });

  it('maps severities, lists NOT_EVALUATED as review and broken rules as notifications', () => {
    const { stdout } = cli('check', '--format', 'sarif');
    const log = JSON.parse(stdout);
    expect(validateSarif(log)).toBe(true);
    const levels = new Set(log.runs[0].results.map((r: { level: string }) => r.level));
    expect(levels).toEqual(new Set(['error', 'warning', 'note', 'none']));
    const review = log.runs[0].results.find((r: { kind: string }) => r.kind === 'review');
    expect(review.message.text).toContain('Not evaluated:');
    // A snapshot's findings point at the snapshot.
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      'scripts/cli/snapshots/demo-broken-org.json',
    );
  });
});

describe('JUnit', () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (n) => n === 'testsuite' || n === 'testcase',
  });

  it('parses back to one test case per rule × subject', () => {
    const { stdout } = cli('check', '--format', 'junit');
    expect(XMLValidator.validate(stdout)).toBe(true);
    const json = JSON.parse(cli('check', '--format', 'json').stdout);
    const doc = parser.parse(stdout);
    const suites = doc.testsuites.testsuite;
    const cases = suites.flatMap((s: { testcase: unknown[] }) => s.testcase);
    expect(cases).toHaveLength(json.findings.length);
    expect(Number(doc.testsuites.tests)).toBe(json.findings.length);
    expect(Number(doc.testsuites.failures)).toBe(
      json.summary.critical + json.summary.warning + json.summary.info,
    );
    expect(Number(doc.testsuites.skipped)).toBe(json.summary.notEvaluated);
    const frozen = cases.find(
      (c: { classname: string; name: string }) =>
        c.classname === 'AH005' && c.name.startsWith('user insightssecurity@'),
    );
    expect(frozen.failure.type).toBe('CRITICAL');
    expect(frozen.failure['#text']).toContain('Fix:');
    const skipped = cases.find((c: { skipped?: unknown }) => c.skipped !== undefined);
    expect(skipped.skipped.message.length).toBeGreaterThan(0);
  });

  it('writes errors for broken rules and escapes XML', () => {
    expect(escapeXml('a<b & "c" \u0001')).toBe('a&lt;b &amp; &quot;c&quot; ');
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'ah-junit-')), 'junit.xml');
    expect(cli('check', '--facts', healthy, '--format', 'junit', '--output', out).code).toBe(0);
    const doc = parser.parse(readFileSync(out, 'utf8'));
    expect(Number(doc.testsuites.failures)).toBe(0);
    expect(doc.testsuites.testsuite.length).toBe(31);
  });
});

describe('a rule record that cannot run', () => {
  const report = {
    ...JSON.parse(cli('check', '--facts', healthy, '--json').stdout),
    findings: [
      {
        ruleId: 'AH099',
        status: 'ERROR',
        severity: 'WARNING',
        subject: { type: 'rule', id: 'AH099', label: 'AH099' },
        message: 'Rule AH099 could not run: its catalog record is not usable.',
        reason: 'Condition__c is not valid JSON',
      },
    ],
  };

  it('is a tool notification in SARIF, not a result', () => {
    const log = JSON.parse(reportToSarif(report, { toolVersion: '1.0.0' }));
    expect(validateSarif(log)).toBe(true);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(log.runs[0].invocations[0].toolConfigurationNotifications[0].message.text).toContain(
      'Condition__c is not valid JSON',
    );
  });

  it('is an error test case in JUnit', () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      reportToJunit(report),
    );
    expect(doc.testsuites.errors).toBe('1');
    expect(doc.testsuites.testsuite.testcase.error['#text']).toBe('Condition__c is not valid JSON');
  });
});
