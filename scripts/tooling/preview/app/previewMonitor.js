// The local stand-in for AnalyticsHealthMonitorController, on the demo snapshots.
// Runs, acknowledgements and the schedule live in sessionStorage (one browser tab,
// one snapshot), so a reload keeps them and a new tab starts over. The history is
// seeded with a run of the other snapshot two days ago and one of this snapshot a
// day ago, so the chart and "since the last run" show a real difference at once.
import { applyAcknowledgements, compareReports, evaluate, validateOrgFacts } from 'c/healthEngine';
import { compiled, later, mergeDashboardFacts, permissionError } from './previewShared';
import {
  catalogRecords,
  failure,
  selectedSnapshot,
  snapshots,
  withoutHistory,
} from './previewState';

const DAY = 24 * 60 * 60 * 1000;
// A page opened with no history keeps its own runs, apart from the seeded ones.
const KEY = `analytics-health-preview-monitor:${selectedSnapshot().id}${withoutHistory() ? ':empty' : ''}`;

function seeded() {
  const current = selectedSnapshot();
  const other = snapshots.find((s) => s.id !== current.id) ?? current;
  const now = Date.now();
  const state = {
    runs: [],
    acknowledgements: [],
    schedule: {
      cronExpression: '0 0 6 * * ?',
      retentionDays: 90,
      recipients: [],
      notifyOnNewCritical: false,
      scheduled: true,
    },
    sequence: 0,
    /** The check chain in progress, if any (see previewEngine.js). */
    running: null,
  };
  if (withoutHistory()) return state;
  for (const [snapshot, ago] of [
    [other, 2 * DAY],
    [current, DAY],
  ]) {
    const report = evaluate(validateOrgFacts(snapshot.facts), compiled, {
      evaluatedAt: new Date(now - ago).toISOString(),
    });
    addRun(state, applyAcknowledgements(report, []), 'scheduled');
  }
  return state;
}

let state = load();

function load() {
  try {
    const saved = window.sessionStorage.getItem(KEY);
    if (saved) return JSON.parse(saved);
  } catch {
    // Storage unavailable (private mode): keep the state in memory only.
  }
  return seeded();
}

function save() {
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(state));
  } catch {
    // As above: memory only.
  }
}

function nextId(prefix) {
  state.sequence += 1;
  return `${prefix}${String(state.sequence).padStart(4, '0')}`;
}

function addRun(target, report, trigger, id = null) {
  const previous = target.runs[0]?.report ?? null;
  const diff = compareReports(previous, report);
  target.sequence += 1;
  target.runs.unshift({
    id: id ?? `run${String(target.sequence).padStart(4, '0')}`,
    trigger,
    report,
    newCritical: previous
      ? diff.newFailures.filter((f) => f.severity === 'CRITICAL' && !f.acknowledgement).length
      : 0,
  });
}

/** Keeps a dashboard or on-demand run, as the controller stores each run. */
export function recordRun(report, trigger, id = null) {
  addRun(state, report, trigger, id);
  save();
}

/** A new run id, as the org gives the run record one when the chain starts. */
export function newRunId() {
  const id = nextId('run');
  save();
  return id;
}

/** The check chain in progress: { id, startedAt, dashboardFactsJson, chunksTotal }, or null. */
export function runningCheck() {
  return state.running ?? null;
}

export function setRunningCheck(run) {
  state.running = run;
  save();
}

/** Says where a running check is; set by the simulated chain, which owns its clock. */
let runningPosition = () => ({ step: '', chunksDone: 0, chunksTotal: null });
export function setRunningPosition(position) {
  runningPosition = position;
}

/** A stored run's report, by id (the run a finished chain recorded). */
export function storedReport(runId) {
  return state.runs.find((r) => r.id === runId)?.report ?? null;
}

/** The acknowledgements in force now, in the engine's shape. */
export function activeAcknowledgements() {
  return state.acknowledgements.filter((a) => a.active).map(({ id, active, ...ack }) => ack);
}

function guarded(fn) {
  return later(() => {
    if (failure() === 'permission') throw permissionError();
    return fn();
  });
}

function apexError(message) {
  return { status: 400, body: { message } };
}

function summaryOf(run) {
  const { report } = run;
  return {
    id: run.id,
    evaluatedAt: report.evaluatedAt,
    trigger: run.trigger,
    status: 'complete',
    score: report.score,
    ...report.summary,
    newCritical: run.newCritical,
    message: null,
  };
}

export function getHistory(params) {
  return guarded(() => {
    const max = Number(params?.maxRuns) > 0 ? Number(params.maxRuns) : 50;
    return JSON.stringify(state.runs.slice(0, max).map(summaryOf));
  });
}

/**
 * The newest complete run, as the dashboard opens on it, and the check running now (`running`,
 * so a page opened mid-run follows it); null when there is neither.
 */
export function getLatestRun() {
  return guarded(() => {
    const run = state.runs[0];
    const current = runningCheck();
    const running = current ? { runId: current.id, ...runningPosition(current) } : null;
    if (!run && !running) return JSON.stringify(null);
    return JSON.stringify({
      runId: run?.id ?? null,
      trigger: run?.trigger ?? null,
      evaluatedAt: run?.report.evaluatedAt ?? null,
      report: run?.report ?? null,
      running,
    });
  });
}

export function getLatestComparison() {
  return guarded(() => {
    const [current, previous] = state.runs;
    if (!current || !previous) {
      return JSON.stringify({
        currentRunId: null,
        previousRunId: null,
        newFailures: [],
        resolved: [],
        stillFailing: [],
        noLongerKnown: [],
      });
    }
    return JSON.stringify({
      currentRunId: current.id,
      previousRunId: previous.id,
      ...compareReports(previous.report, current.report),
    });
  });
}

/** The next time a "s m h * * ?"-style expression fires, when the hour and minute are plain numbers. */
function nextRunAt(cron) {
  const [, minute, hour] = cron.trim().split(/\s+/);
  if (!/^\d+$/.test(minute ?? '') || !/^\d+$/.test(hour ?? '')) return null;
  const next = new Date();
  next.setHours(Number(hour), Number(minute), 0, 0);
  if (next.getTime() <= Date.now()) next.setTime(next.getTime() + DAY);
  return next.toISOString();
}

function scheduleJson() {
  const s = state.schedule;
  return JSON.stringify({ ...s, nextRunAt: s.scheduled ? nextRunAt(s.cronExpression) : null });
}

export function getSchedule() {
  return guarded(scheduleJson);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks as the controller does; System.schedule's own parser is stood in for by a field count. */
export function saveSchedule(params) {
  return guarded(() => {
    const settings = JSON.parse(params?.settingsJson ?? '{}');
    const cron = String(settings.cronExpression ?? '').trim();
    const fields = cron.split(/\s+/).filter(Boolean);
    if (fields.length < 6 || fields.length > 7) {
      throw apexError(`Invalid cron expression "${cron}": expected 6 or 7 fields.`);
    }
    const retention = Number(settings.retentionDays);
    if (!Number.isInteger(retention) || retention < 1 || retention > 3650) {
      throw apexError('Retention must be between 1 and 3650 days.');
    }
    const recipients = Array.isArray(settings.recipients) ? settings.recipients.map(String) : [];
    const bad = recipients.find((r) => !EMAIL.test(r));
    if (bad) throw apexError(`Invalid email address: ${bad}`);
    state.schedule = {
      cronExpression: cron,
      retentionDays: retention,
      recipients,
      notifyOnNewCritical: settings.notifyOnNewCritical === true,
      scheduled: true,
    };
    save();
    return scheduleJson();
  });
}

function checkNow(dashboardFactsJson) {
  const facts = mergeDashboardFacts(validateOrgFacts(selectedSnapshot().facts), dashboardFactsJson);
  return applyAcknowledgements(evaluate(facts, compiled), activeAcknowledgements());
}

/** The org queues the run; here it runs at once and is in the history when this answers. */
export function runNow() {
  return guarded(() => {
    recordRun(checkNow(null), 'onDemand');
    return JSON.stringify({ runId: state.runs[0].id });
  });
}

export function getAcknowledgements() {
  return guarded(() => JSON.stringify(state.acknowledgements));
}

export function acknowledge(params) {
  return guarded(() => {
    const input = JSON.parse(params?.acknowledgementJson ?? '{}');
    for (const key of ['ruleId', 'subjectType', 'subjectId']) {
      if (typeof input[key] !== 'string' || !input[key]) throw apexError(`${key} is required.`);
    }
    if (typeof input.reason !== 'string' || !input.reason.trim()) {
      throw apexError('A reason is required to acknowledge a finding.');
    }
    const stored = {
      id: nextId('ack'),
      ruleId: input.ruleId,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      reason: input.reason.trim(),
      acknowledgedBy: 'Preview Admin',
      acknowledgedAt: new Date().toISOString(),
      expiresAt: input.expiresAt ?? null,
      active: true,
    };
    state.acknowledgements.push(stored);
    save();
    return JSON.stringify(stored);
  });
}

export function withdrawAcknowledgement(params) {
  return guarded(() => {
    const ack = state.acknowledgements.find((a) => a.id === params?.acknowledgementId);
    if (!ack) throw apexError('No such acknowledgement.');
    ack.active = false;
    save();
    return JSON.stringify({ id: ack.id, active: false });
  });
}

export function getFacts(params) {
  return guarded(() =>
    JSON.stringify(
      mergeDashboardFacts(validateOrgFacts(selectedSnapshot().facts), params?.dashboardFactsJson),
    ),
  );
}

/** The rule and list records, as the what-if asks the controller for them. */
export function getCatalogRecords() {
  return guarded(() => JSON.stringify(catalogRecords));
}
