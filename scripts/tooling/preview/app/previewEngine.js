// The local stand-in for AnalyticsHealthController: the project's engine on a demo
// snapshot, with the catalog read from the package's custom metadata at build time.
// A check runs as in the org, as a chain the page follows: startCheck starts it (or
// names the one already running), getRunProgress says how far it is. Here the chain is
// simulated on the clock, one step per tick: collecting the facts (the number of chunks
// not known yet), one tick per chunk of objects, storing the run; then the report.
import { applyAcknowledgements, chunkObjectKeys, evaluate, validateOrgFacts } from 'c/healthEngine';
import {
  activeAcknowledgements,
  newRunId,
  recordRun,
  runningCheck,
  setRunningCheck,
  setRunningPosition,
  storedReport,
} from './previewMonitor';
import { compiled, later, mergeDashboardFacts, permissionError } from './previewShared';
import { delayMs, failure, repeatTo, selectedSnapshot } from './previewState';

/** Objects per simulated chunk: small, so the demo snapshots show a few chunks. */
const OBJECTS_PER_CHUNK = 2;

/** Runs that ended without a stored report: a failure, or a scale-test report kept in memory. */
const ended = new Map();

function repeatFindings(report, count) {
  const findings = [];
  for (let i = 0; i < count; i++) {
    const f = report.findings[i % report.findings.length];
    findings.push({
      ...f,
      subject: {
        ...f.subject,
        id: `${f.subject.id ?? ''}-${i}`,
        label: `${f.subject.label} #${i}`,
      },
    });
  }
  return { ...report, findings };
}

/** How long one step of the simulated chain takes: twice the controller's delay. */
function tickMs() {
  return 2 * delayMs();
}

/** How many ticks a simulated run has gone through since it started. */
function ticksOf(run) {
  const tick = tickMs();
  return tick > 0 ? Math.floor((Date.now() - run.startedAt) / tick) : run.chunksTotal + 2;
}

/** Where a simulated run is, as getLatestRun's `running` names it (the last step once past it). */
function positionOf(run) {
  const total = run.chunksTotal;
  const step = ticksOf(run);
  if (step === 0) return { step: 'Collecting the org facts', chunksDone: 0, chunksTotal: null };
  if (step <= total) {
    return { step: 'Evaluating the rules', chunksDone: step - 1, chunksTotal: total };
  }
  return { step: 'Storing the run', chunksDone: total, chunksTotal: total };
}
setRunningPosition(positionOf);

function checkFacts(dashboardFactsJson) {
  return mergeDashboardFacts(validateOrgFacts(selectedSnapshot().facts), dashboardFactsJson);
}

export function startCheckLocally(dashboardFactsJson) {
  return later(() => {
    if (failure() === 'permission') throw permissionError();
    const current = runningCheck();
    if (current) return JSON.stringify({ runId: current.id, alreadyRunning: true });
    const chunksTotal = Math.max(
      1,
      Math.ceil(chunkObjectKeys(checkFacts(dashboardFactsJson)).length / OBJECTS_PER_CHUNK),
    );
    const id = newRunId();
    setRunningCheck({ id, startedAt: Date.now(), dashboardFactsJson, chunksTotal });
    return JSON.stringify({ runId: id, alreadyRunning: false });
  });
}

/** The last step: evaluate, apply the acknowledgements, keep the run (as the org's chain does). */
function finish(run) {
  let report = applyAcknowledgements(
    evaluate(checkFacts(run.dashboardFactsJson), compiled),
    activeAcknowledgements(),
  );
  const count = repeatTo();
  if (count > 0) {
    // Scale tests keep the history small: the repeated report is not stored.
    report = repeatFindings(report, count);
    ended.set(run.id, { report });
  } else {
    recordRun(report, 'dashboard', run.id);
  }
  setRunningCheck(null);
}

function progress(runId, fields) {
  return JSON.stringify({
    runId,
    status: 'Running',
    step: '',
    chunksDone: 0,
    chunksTotal: null,
    message: null,
    report: null,
    ...fields,
  });
}

export function runProgressLocally(runId) {
  return later(() => {
    if (failure() === 'permission') throw permissionError();
    const run = runningCheck();
    if (run && run.id === runId) {
      const total = run.chunksTotal;
      const step = ticksOf(run);
      const failAt = Math.ceil(total / 2);
      if (failure() === 'run' && step >= failAt + 1) {
        ended.set(run.id, {
          message: `Chunk ${failAt} of ${total} failed: Apex CPU time limit exceeded. The run was stopped; the next run starts clean.`,
        });
        setRunningCheck(null);
      } else if (step === 0) {
        return progress(runId, { step: 'Collecting the org facts' });
      } else if (step <= total) {
        return progress(runId, {
          step: 'Evaluating the rules',
          chunksDone: step - 1,
          chunksTotal: total,
        });
      } else if (step === total + 1) {
        return progress(runId, { step: 'Storing the run', chunksDone: total, chunksTotal: total });
      } else {
        finish(run);
      }
    }
    const outcome = ended.get(runId);
    if (outcome?.message) {
      return progress(runId, {
        status: 'Failed',
        step: 'Evaluating the rules',
        message: outcome.message,
      });
    }
    const report = outcome?.report ?? storedReport(runId);
    if (!report) throw { status: 400, body: { message: `No check run ${runId}.` } };
    return JSON.stringify({
      runId,
      status: 'Complete',
      step: 'Done',
      chunksDone: 0,
      chunksTotal: null,
      message: null,
      report,
    });
  });
}

export function catalogLocally() {
  return later(() => {
    if (failure() === 'permission') throw permissionError();
    return JSON.stringify(
      compiled.rules.map(({ definition: d }) => ({
        ruleId: d.id,
        label: d.label,
        category: d.category,
        subject: d.subject,
        severity: d.severity,
        helpText: d.helpText,
        sourceArticle: d.sourceArticle,
        factsNeeded: d.factsNeeded,
        remediation: d.remediation,
        sortOrder: d.sortOrder,
      })),
    );
  });
}
