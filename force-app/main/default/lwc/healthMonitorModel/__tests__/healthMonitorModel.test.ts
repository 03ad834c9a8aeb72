import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  applyAcknowledgements,
  compileCatalog,
  validateOrgFacts,
  type OrgFacts,
} from 'c/healthEngine';
import {
  buildChange,
  describeChange,
  expiryFromDate,
  findingLines,
  historyChart,
  parseAcknowledgementRecords,
  parseCatalogRecords,
  parseComparison,
  parseHistory,
  parseRecipients,
  parseSchedule,
  presetOf,
  scheduleProblems,
  whatIfOptions,
  whatIfOutcome,
  WHAT_IF_KINDS,
  type RunSummary,
} from 'c/healthMonitorModel';
import { PROJECT_ROOT, loadCatalogRecords } from '../../../../../../scripts/lib/catalogSource';

const records = loadCatalogRecords();
const catalog = compileCatalog(records);
const CLONE = '00e5g000001IuClAAG';

function snapshot(name: string): OrgFacts {
  const file = path.join(PROJECT_ROOT, 'scripts', 'snapshots', `${name}.json`);
  return validateOrgFacts(JSON.parse(readFileSync(file, 'utf8')));
}

function run(id: string, at: string, score: number | null, critical: number, status = 'complete') {
  return { id, evaluatedAt: at, trigger: 'scheduled', status, score, critical, warning: 1 };
}

describe('history', () => {
  it('parses runs and rejects answers that are not a run list', () => {
    const runs = parseHistory(JSON.stringify([run('a', '2026-11-20T06:00:00Z', 80, 0)]));
    expect(runs[0]).toMatchObject({ id: 'a', score: 80, critical: 0, info: null, message: null });
    expect(() => parseHistory('')).toThrow('No run history');
    expect(() => parseHistory('{}')).toThrow('not a list');
    expect(() => parseHistory('[{"score":1}]')).toThrow('Run 1');
  });

  it('draws complete runs oldest to newest, score on 0–100 and critical bars to the largest count', () => {
    const runs = parseHistory(
      JSON.stringify([
        run('c', '2026-11-22T06:00:00Z', 24, 3),
        run('x', '2026-11-21T12:00:00Z', null, 0, 'failed'),
        run('b', '2026-11-21T06:00:00Z', 100, 0),
        run('a', '2026-11-20T06:00:00Z', 49, 1),
      ]),
    ) as RunSummary[];
    const chart = historyChart(runs);
    expect(chart).not.toBeNull();
    if (!chart) return;
    expect(chart.scorePoints.map((p) => p.key)).toEqual(['a', 'b', 'c']);
    // x grows with time, y is lower (higher on screen) for a better score
    expect(chart.scorePoints[0].x).toBe(chart.left);
    expect(chart.scorePoints[2].x).toBe(chart.right);
    expect(chart.scorePoints[1].y).toBe(chart.top);
    expect(chart.scorePoints[0].y).toBeGreaterThan(chart.scorePoints[1].y);
    expect(chart.criticalBars[2].height).toBe(chart.bottom - chart.top);
    expect(chart.criticalBars[1].height).toBe(0);
    expect(chart.maxCritical).toBe(3);
    expect(chart.scoreLine.split(' ')).toHaveLength(3);
    expect(chart.summary).toContain('Score went from 49 to 24');
    expect(historyChart([])).toBeNull();
    const single = historyChart(runs.slice(0, 1));
    expect(single?.summary).toBe('One run: score 24, 3 critical.');
  });
});

describe('comparison, schedule and acknowledgements', () => {
  it('parses a comparison and treats missing lists as empty', () => {
    const c = parseComparison('{"currentRunId":"b","previousRunId":null,"resolved":[]}');
    expect(c).toMatchObject({ currentRunId: 'b', previousRunId: null, newFailures: [] });
    expect(() => parseComparison('[]')).toThrow('not an object');
    expect(() => parseComparison('{"resolved":3}')).toThrow('resolved is not a list');
  });

  it('parses the schedule with defaults and recognises presets', () => {
    const s = parseSchedule(
      '{"cronExpression":"0 0 6 * * ?","recipients":["a@b.co"],"scheduled":true}',
    );
    expect(s).toEqual({
      cronExpression: '0 0 6 * * ?',
      retentionDays: 90,
      recipients: ['a@b.co'],
      notifyOnNewCritical: false,
      scheduled: true,
      nextRunAt: null,
    });
    expect(presetOf(' 0 0 6 * * ? ')).toBe('0 0 6 * * ?');
    expect(presetOf('0 15 3 * * ?')).toBe('custom');
  });

  it('names each schedule problem', () => {
    const ok = {
      cronExpression: '0 0 6 * * ?',
      retentionDays: 30,
      recipients: ['a@b.co'],
      notifyOnNewCritical: true,
    };
    expect(scheduleProblems(ok)).toEqual({});
    const bad = scheduleProblems({
      cronExpression: '0 6 *',
      retentionDays: 0,
      recipients: ['nope'],
      notifyOnNewCritical: false,
    });
    expect(Object.keys(bad).sort()).toEqual(['cronExpression', 'recipients', 'retentionDays']);
    expect(bad.recipients).toContain('nope');
    expect(scheduleProblems({ ...ok, recipients: [] }).recipients).toMatch(/at least one/);
    expect(parseRecipients('a@b.co, c@d.co;\ne@f.co ')).toEqual(['a@b.co', 'c@d.co', 'e@f.co']);
  });

  it('parses acknowledgements and turns a date into the end of that day', () => {
    const [ack] = parseAcknowledgementRecords(
      '[{"id":"1","ruleId":"AH030","subjectType":"profile","subjectId":"p","reason":"r","acknowledgedBy":"u","acknowledgedAt":"2026-11-01T00:00:00Z","expiresAt":null}]',
    );
    expect(ack.active).toBe(true);
    expect(ack.expiresAt).toBeNull();
    expect(() => parseAcknowledgementRecords('[{}]')).toThrow('Acknowledgement 1');
    expect(expiryFromDate('2026-12-31')).toBe('2026-12-31T23:59:59.000Z');
    expect(expiryFromDate('')).toBeNull();
  });
});

describe('what-if', () => {
  const facts = snapshot('demo-broken-org');

  it('offers pickers filled from the facts', () => {
    const options = whatIfOptions(facts);
    expect(options.profiles.map((p) => p.value)).toContain(CLONE);
    expect(options.principals.length).toBe(facts.profiles.length + facts.permissionSets.length);
    expect(options.users.length).toBe(facts.users.length);
    expect(options.fields.length).toBeGreaterThan(0);
    expect(options.objects.length).toBeGreaterThan(0);
  });

  it('builds every kind of change and names what is missing', () => {
    const values = {
      profileId: CLONE,
      principalId: CLONE,
      userId: facts.users[0].id,
      start: '10.0.0.0',
      end: '10.255.255.255',
      level: 'NONE',
      field: 'Account.Name',
      object: 'Account',
      access: 'viewAll',
      permission: 'ApiEnabled',
    };
    const options = whatIfOptions(facts);
    for (const kind of WHAT_IF_KINDS) {
      const built = buildChange(kind.value, values);
      if (!('change' in built)) throw new Error(`${kind.value}: ${built.problem}`);
      expect(built.change.kind).toBe(kind.value);
      expect(describeChange(built.change, options)).not.toBe('Unknown change');
    }
    expect(buildChange('addLoginIpRange', { profileId: CLONE })).toEqual({
      problem: 'Choose the first address of the range.',
    });
    expect(buildChange('', {})).toEqual({ problem: 'Choose a change to try.' });
  });

  it('adding 10.0.0.0–10.255.255.255 to the clone profile resolves AH030, as the engine says', () => {
    const outcome = whatIfOutcome(
      facts,
      parseCatalogRecords(JSON.stringify(records)),
      [{ kind: 'addLoginIpRange', profileId: CLONE, start: '10.0.0.0', end: '10.255.255.255' }],
      '2026-11-23T08:00:00.000Z',
    );
    expect(outcome.resolved.map((f) => f.ruleId)).toContain('AH030');
    expect(
      outcome.before.findings.find((f) => f.ruleId === 'AH030' && f.status === 'FAIL'),
    ).toBeDefined();
    expect(outcome.after.score).toBeGreaterThanOrEqual(outcome.before.score);
    const lines = findingLines(outcome.resolved, 'r');
    expect(lines[0].key).toBe('r-0');
    expect(lines[0].severityClass).toContain('slds-badge');
  });

  it('reports a change that does not fit the facts and a catalog without records', () => {
    expect(() =>
      whatIfOutcome(facts, catalog, [{ kind: 'removeLoginHours', profileId: '00e000000000000' }]),
    ).toThrow(/no profile/);
    expect(() => parseCatalogRecords('{"rules":[]}')).toThrow('no rules and list entries');
  });

  it('an acknowledged failure leaves the score as the engine computes it', () => {
    const report = whatIfOutcome(facts, catalog, []).before;
    const failing = report.findings.find((f) => f.status === 'FAIL' && f.severity === 'CRITICAL');
    expect(failing).toBeDefined();
    if (!failing) return;
    const acked = applyAcknowledgements(report, [
      {
        ruleId: failing.ruleId,
        subjectType: failing.subject.type,
        subjectId: failing.subject.id ?? failing.subject.label,
        reason: 'known',
        acknowledgedBy: 'admin',
        acknowledgedAt: report.evaluatedAt,
        expiresAt: null,
      },
    ]);
    expect(acked.summary.acknowledged).toBeGreaterThanOrEqual(1);
  });
});
