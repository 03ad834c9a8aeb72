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
  buildChanges,
  describeChange,
  expiryFromDate,
  findingLines,
  historyChart,
  lastRunLabel,
  nextPollDelay,
  parseLatestRun,
  parseRunProgress,
  parseStartedCheck,
  progressView,
  timeAgo,
  POLL_FIRST_MS,
  POLL_MAX_MS,
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
import { PROJECT_ROOT, loadCatalogRecords } from '../../../../../../scripts/cli/lib/catalogSource';

const records = loadCatalogRecords();
const catalog = compileCatalog(records);
const CLONE = '00e5g000001IuClAAG';

function snapshot(name: string): OrgFacts {
  const file = path.join(PROJECT_ROOT, 'scripts', 'cli', 'snapshots', `${name}.json`);
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
      const built = buildChanges(kind.value, { ...values, sandbox: 'UAT' }, options);
      if (!('changes' in built)) throw new Error(`${kind.value}: ${built.problem}`);
      for (const change of built.changes) {
        expect(change.kind).toBe(kind.value);
        expect(describeChange(change, options)).not.toBe('Unknown change');
      }
    }
    expect(buildChange('addLoginIpRange', { profileId: CLONE })).toEqual({
      problem: 'Choose the first address of the range.',
    });
    expect(buildChange('', {})).toEqual({ problem: 'Choose a change to try.' });
  });

  it('offers the sandboxes and the system users and their profiles, from the facts', () => {
    const options = whatIfOptions(facts);
    expect(options.sandboxes).toEqual([
      { label: 'Dev (every user gets access)', value: 'Dev' },
      { label: 'UAT (access group 00G5g000000UatGEAS)', value: 'UAT' },
    ]);
    expect(options.systemUsers.map((u) => u.label)).toEqual([
      'integration@00d5g000004xyzaeak.com',
      'insightssecurity@00d5g000004xyzaeak.com',
    ]);
    expect(options.systemProfiles.map((p) => p.value)).toEqual([CLONE, '00e5g000001SecuAAG']);
    const none = whatIfOptions({ ...facts, sandboxes: null, users: [] });
    expect(none.sandboxes).toEqual([]);
    expect(none.systemProfiles).toEqual([]);
  });

  it('approves the connected apps for every system profile, which resolves AH037', () => {
    const options = whatIfOptions(facts);
    const built = buildChanges('approveConnectedApps', {}, options);
    if (!('changes' in built)) throw new Error(built.problem);
    expect(built.changes).toEqual([
      { kind: 'approveConnectedApps', principalId: CLONE, apps: ['Insights', 'Wave Web'] },
      {
        kind: 'approveConnectedApps',
        principalId: '00e5g000001SecuAAG',
        apps: ['Insights', 'Wave Web'],
      },
    ]);
    expect(describeChange(built.changes[1], options)).toBe(
      'Approve Insights and Wave Web for Analytics Cloud Security User (profile)',
    );
    const outcome = whatIfOutcome(facts, catalog, built.changes, '2026-11-23T08:00:00.000Z');
    const failing = outcome.before.findings.filter(
      (f) => f.ruleId === 'AH037' && f.status === 'FAIL',
    );
    expect(failing).toHaveLength(1);
    expect(outcome.resolved.filter((f) => f.ruleId === 'AH037').map((f) => f.subject)).toEqual(
      failing.map((f) => f.subject),
    );
    expect(outcome.after.findings.some((f) => f.ruleId === 'AH037' && f.status === 'FAIL')).toBe(
      false,
    );
    expect(
      buildChanges('approveConnectedApps', {}, whatIfOptions({ ...facts, users: [] })),
    ).toEqual({ problem: 'The facts name no system user, so there is no profile to approve.' });
  });

  it("adds the system users to a sandbox's access group, which resolves AH043", () => {
    const options = whatIfOptions(facts);
    expect(buildChanges('addSandboxMembers', {}, options)).toEqual({
      problem: 'Choose a sandbox.',
    });
    expect(
      buildChanges('addSandboxMembers', {}, whatIfOptions({ ...facts, sandboxes: [] })),
    ).toEqual({ problem: 'The facts list no sandbox (they are read in production only).' });
    const built = buildChanges('addSandboxMembers', { sandbox: 'UAT' }, options);
    if (!('changes' in built)) throw new Error(built.problem);
    expect(built.changes).toEqual([
      {
        kind: 'addSandboxMembers',
        sandbox: 'UAT',
        userIds: ['0055g00000IntgUAAQ', '0055g00000SecuUAAQ'],
      },
    ]);
    expect(describeChange(built.changes[0], options)).toContain(
      'to the access group of the sandbox UAT',
    );
    const outcome = whatIfOutcome(facts, catalog, built.changes, '2026-11-23T08:00:00.000Z');
    expect(outcome.resolved.map((f) => [f.ruleId, f.subject.label])).toEqual([['AH043', 'UAT']]);
    expect(outcome.created).toEqual([]);
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
    // The range is added to a profile: its AH030 finding reads as one, as in the findings list.
    const ah030 = lines.find((line) => line.ruleId === 'AH030');
    expect(ah030?.subjectKindLabel).toBe('Profile');
    expect(ah030?.subject).not.toBe('');
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

describe('the latest run and a check in progress', () => {
  const now = Date.parse('2026-12-01T12:00:00.000Z');

  it('reads the latest run, or null when none is stored', () => {
    expect(parseLatestRun('null')).toBeNull();
    expect(parseLatestRun(null)).toBeNull();
    const latest = parseLatestRun(
      JSON.stringify({
        runId: 'a01',
        trigger: 'scheduled',
        evaluatedAt: '2026-12-01T09:00:00.000Z',
        report: { score: 80 },
      }),
    );
    expect(latest).toEqual({
      runId: 'a01',
      trigger: 'scheduled',
      evaluatedAt: '2026-12-01T09:00:00.000Z',
      report: { score: 80 },
      running: null,
    });
    expect(() => parseLatestRun('{"runId":"a01"}')).toThrow('no run id, time or report');
    expect(() => parseLatestRun('[]')).toThrow('not an object');
  });

  it('reads the run in progress beside the latest run, or alone before any run completed', () => {
    const running = { runId: 'a09', step: 'evaluate', chunksDone: 1, chunksTotal: 3 };
    const both = parseLatestRun(
      JSON.stringify({
        runId: 'a01',
        trigger: 'scheduled',
        evaluatedAt: '2026-12-01T09:00:00.000Z',
        report: { score: 80 },
        running,
      }),
    );
    expect(both?.report).toEqual({ score: 80 });
    expect(both?.running).toEqual(running);
    const first = parseLatestRun(
      JSON.stringify({ runId: null, trigger: null, evaluatedAt: null, report: null, running }),
    );
    expect(first?.report).toBeNull();
    expect(first?.running).toEqual(running);
    // Chunks not decided yet: total unknown, none done.
    expect(
      parseLatestRun(JSON.stringify({ report: null, running: { runId: 'a09', step: 'collect' } }))
        ?.running,
    ).toEqual({ runId: 'a09', step: 'collect', chunksDone: 0, chunksTotal: null });
    expect(() => parseLatestRun('{"report":null,"running":{"step":"collect"}}')).toThrow(
      'running run returned has no run id',
    );
    expect(() => parseLatestRun('{"report":null,"running":[]}')).toThrow('not an object');
  });

  it('reads what startCheck answers', () => {
    expect(parseStartedCheck('{"runId":"a02","alreadyRunning":true}')).toEqual({
      runId: 'a02',
      alreadyRunning: true,
    });
    expect(parseStartedCheck('{"runId":"a02"}').alreadyRunning).toBe(false);
    expect(() => parseStartedCheck('{"alreadyRunning":false}')).toThrow('no run id');
  });

  it('reads the progress of a run and refuses what it cannot follow', () => {
    const running = parseRunProgress(
      JSON.stringify({
        runId: 'a02',
        status: 'Running',
        step: 'Evaluating',
        chunksDone: 2,
        chunksTotal: null,
      }),
    );
    expect(running).toMatchObject({
      status: 'Running',
      chunksDone: 2,
      chunksTotal: null,
      report: null,
    });
    expect(parseRunProgress('{"runId":"a02","status":"failed","message":"Boom"}')).toMatchObject({
      status: 'Failed',
      message: 'Boom',
    });
    expect(() => parseRunProgress('{"runId":"a02","status":"Queued"}')).toThrow('no known status');
    expect(() => parseRunProgress('{"runId":"a02","status":"Complete"}')).toThrow('no report');
  });

  it('shows chunks done of total, or no value while the total is unknown', () => {
    const at = (chunksDone: number, chunksTotal: number | null) =>
      progressView({
        runId: 'a',
        status: 'Running',
        step: '',
        chunksDone,
        chunksTotal,
        message: null,
        report: null,
      });
    expect(progressView(null).percent).toBeNull();
    expect(at(3, null)).toEqual({ percent: null, label: 'Number of chunks not known yet' });
    expect(at(3, 12)).toEqual({ percent: 25, label: '3 of 12 chunks' });
    expect(at(1, 1)).toEqual({ percent: 100, label: '1 of 1 chunk' });
    expect(at(5, 4).label).toBe('4 of 4 chunks');
    expect(at(0, 0).percent).toBe(100);
  });

  it('waits longer between reads while nothing moves, up to a ceiling, and starts over when it does', () => {
    const waits: number[] = [];
    let wait: number | null = null;
    for (let i = 0; i < 8; i++) {
      wait = nextPollDelay(wait, false);
      waits.push(wait);
    }
    expect(waits[0]).toBe(POLL_FIRST_MS);
    expect(waits[1]).toBe(1500);
    expect(waits.every((w, i) => i === 0 || w >= waits[i - 1])).toBe(true);
    expect(waits[waits.length - 1]).toBe(POLL_MAX_MS);
    expect(nextPollDelay(POLL_MAX_MS, true)).toBe(POLL_FIRST_MS);
  });

  it('says how long ago a run was, and how it was started', () => {
    expect(timeAgo('2026-12-01T11:59:30.000Z', now)).toBe('just now');
    expect(timeAgo('2026-12-01T11:59:00.000Z', now)).toBe('1 minute ago');
    expect(timeAgo('2026-12-01T09:00:00.000Z', now)).toBe('3 hours ago');
    expect(timeAgo('2026-11-30T11:00:00.000Z', now)).toBe('yesterday');
    expect(timeAgo('2026-11-28T12:00:00.000Z', now)).toBe('3 days ago');
    expect(timeAgo('not a date', now)).toBe('not a date');
    expect(
      lastRunLabel({ evaluatedAt: '2026-12-01T09:00:00.000Z', trigger: 'scheduled' }, now),
    ).toBe('Last run 3 hours ago · scheduled');
    expect(
      lastRunLabel({ evaluatedAt: '2026-12-01T11:00:00.000Z', trigger: 'onDemand' }, now),
    ).toBe('Last run 1 hour ago · run now');
  });
});
