import { createElement } from 'lwc';
import AnalyticsHealthDashboard from 'c/analyticsHealthDashboard';
import startCheck from '@salesforce/apex/AnalyticsHealthController.startCheck';
import getRunProgress from '@salesforce/apex/AnalyticsHealthController.getRunProgress';
import getCatalog from '@salesforce/apex/AnalyticsHealthController.getCatalog';
import getLatestRun from '@salesforce/apex/AnalyticsHealthMonitorController.getLatestRun';
import {
  getDataConnectors,
  getDataflowJobs,
  getReplicatedDatasets,
} from 'lightning/analyticsWaveApi';
import { applyAcknowledgements, type Report } from 'c/healthEngine';
import { demoReport } from '../../healthDashboardModel/__tests__/demoReports';

jest.mock('@salesforce/apex/AnalyticsHealthController.startCheck', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock(
  '@salesforce/apex/AnalyticsHealthController.getRunProgress',
  () => ({ default: jest.fn() }),
  { virtual: true },
);
jest.mock('@salesforce/apex/AnalyticsHealthController.getCatalog', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock(
  '@salesforce/apex/AnalyticsHealthMonitorController.getLatestRun',
  () => ({ default: jest.fn() }),
  { virtual: true },
);
const startMock = startCheck as unknown as jest.Mock;
const progressMock = getRunProgress as unknown as jest.Mock;
const getCatalogMock = getCatalog as unknown as jest.Mock;
const latestMock = getLatestRun as unknown as jest.Mock;
type TestAdapter = { emit: (value: unknown) => void; error: (body?: unknown) => void };
const adapter = (a: unknown) => a as TestAdapter;

const broken = demoReport('demo-broken-org');
const passedCount = broken.findings.filter((f) => f.status === 'PASS').length;
const attentionCount = broken.findings.length - passedCount;
const HOUR = 3600 * 1000;

/** Lets promises and re-renders settle, moving the fake clock by `ms`. */
const settle = (ms = 0) => jest.advanceTimersByTimeAsync(ms);

const progress = (fields: Record<string, unknown>) =>
  JSON.stringify({
    runId: 'run1',
    status: 'Running',
    step: 'Evaluating',
    chunksDone: 0,
    chunksTotal: null,
    message: null,
    report: null,
    ...fields,
  });
const complete = (report: unknown = broken) =>
  progress({ status: 'Complete', step: 'Done', chunksDone: 4, chunksTotal: 4, report });
const started = (alreadyRunning = false) => JSON.stringify({ runId: 'run1', alreadyRunning });
const latest = (report: Report, hoursAgo: number, trigger = 'scheduled') =>
  JSON.stringify({
    runId: 'runOld',
    trigger,
    evaluatedAt: new Date(Date.now() - hoursAgo * HOUR).toISOString(),
    report,
  });

/** axe needs real timers; pending fake timers are dropped, so this ends a test's timeline. */
async function expectAccessible(element: HTMLElement): Promise<void> {
  jest.useRealTimers();
  await expect(element).toBeAccessible();
}

function mount(): HTMLElement {
  const element = createElement('c-analytics-health-dashboard', { is: AnalyticsHealthDashboard });
  document.body.appendChild(element);
  return element;
}

function $(element: HTMLElement, selector: string): HTMLElement | null {
  return element.shadowRoot?.querySelector(selector) ?? null;
}

/** Every browser read of CRM Analytics answers (here: with nothing). */
function answerWires(): void {
  adapter(getDataConnectors).emit({ dataConnectors: [] });
  adapter(getDataflowJobs).emit({ dataflowJobs: [] });
  adapter(getReplicatedDatasets).emit({ replicatedDatasets: [] });
}

function clickRun(element: HTMLElement): void {
  ($(element, 'lightning-button[data-id="run"]') as HTMLElement).click();
}

const listRows = (element: HTMLElement) =>
  ($(element, 'c-health-finding-list') as unknown as { rows: { status: string; ruleId: string }[] })
    .rows;
const bar = (element: HTMLElement) => $(element, '[data-id="progress-bar"]');

/** Opens on a stored run, so a test can then click Run again. */
async function openOnStoredRun(): Promise<HTMLElement> {
  latestMock.mockResolvedValue(latest(broken, 3));
  const element = mount();
  answerWires();
  await settle();
  return element;
}

/** Runs the check from the button, the org answering complete at the first read. */
async function runToCompletion(element: HTMLElement, report: unknown = broken): Promise<void> {
  startMock.mockResolvedValue(started());
  progressMock.mockResolvedValue(complete(report));
  clickRun(element);
  await settle();
  await settle(1000);
}

beforeEach(() => {
  jest.useFakeTimers();
  getCatalogMock.mockResolvedValue(JSON.stringify([{ ruleId: 'AH001' }, { ruleId: 'AH002' }]));
});

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
  jest.useRealTimers();
});

describe('c-analytics-health-dashboard: opening', () => {
  it('opens on the latest stored run, says when and how it ran, and does not start a check', async () => {
    const element = await openOnStoredRun();
    const summary = $(element, 'c-health-score-summary') as unknown as { report: Report };
    expect(summary.report.score).toBe(broken.score);
    expect($(element, '[data-id="last-run"]')?.textContent).toBe(
      'Last run 3 hours ago · scheduled',
    );
    expect(
      ($(element, 'lightning-button[data-id="run"]') as unknown as { label: string }).label,
    ).toBe('Run again');
    expect(element.shadowRoot?.querySelectorAll('c-health-system-user-card')).toHaveLength(2);
    expect(startMock).not.toHaveBeenCalled();
    expect($(element, '[data-id="empty"]')).toBeNull();
  });

  it('opened while a run is in progress, shows the stored run and that run’s progress, then its report', async () => {
    const running = { runId: 'runBusy', step: 'Evaluating', chunksDone: 1, chunksTotal: 4 };
    latestMock.mockResolvedValue(JSON.stringify({ ...JSON.parse(latest(broken, 3)), running }));
    const newer = { ...broken, score: broken.score + 1, evaluatedAt: new Date().toISOString() };
    progressMock.mockResolvedValueOnce(
      progress({ runId: 'runBusy', chunksDone: 2, chunksTotal: 4 }),
    );
    progressMock.mockResolvedValueOnce(
      progress({
        runId: 'runBusy',
        status: 'Complete',
        step: 'Done',
        chunksDone: 4,
        chunksTotal: 4,
        report: newer,
      }),
    );
    const element = mount();
    answerWires();
    await settle();
    const summary = () =>
      ($(element, 'c-health-score-summary') as unknown as { report: Report }).report;
    expect(summary().score).toBe(broken.score);
    expect($(element, '[data-id="progress"]')).not.toBeNull();
    expect(bar(element)?.getAttribute('aria-valuetext')).toBe('1 of 4 chunks');
    expect(startMock).not.toHaveBeenCalled();

    await settle(1000);
    expect(progressMock).toHaveBeenCalledWith({ runId: 'runBusy' });
    expect(bar(element)?.getAttribute('aria-valuetext')).toBe('2 of 4 chunks');

    await settle(5000);
    expect($(element, '[data-id="progress"]')).toBeNull();
    expect(summary().score).toBe(broken.score + 1);
    expect(startMock).not.toHaveBeenCalled();
  });

  it('shows a spinner while it reads the latest run', async () => {
    latestMock.mockReturnValue(new Promise(() => undefined));
    const element = mount();
    await settle();
    expect($(element, '[data-id="opening"]')).not.toBeNull();
    expect(
      ($(element, 'lightning-button[data-id="run"]') as unknown as { disabled: boolean }).disabled,
    ).toBe(true);
  });

  it('with no stored run, starts a check by itself and shows its progress to the report', async () => {
    latestMock.mockResolvedValue('null');
    startMock.mockResolvedValue(started());
    progressMock.mockResolvedValueOnce(progress({ step: 'Collecting the facts' }));
    progressMock.mockResolvedValueOnce(progress({ chunksDone: 1, chunksTotal: 4 }));
    progressMock.mockResolvedValueOnce(
      complete({ ...broken, evaluatedAt: new Date().toISOString() }),
    );
    const element = mount();
    answerWires();
    await settle();
    expect(startMock).toHaveBeenCalledTimes(1);
    expect($(element, '[data-id="progress"]')).not.toBeNull();
    expect($(element, '[data-id="empty"]')).toBeNull();

    await settle(1000);
    // Chunks not known yet: an indeterminate bar, no value.
    expect(progressMock).toHaveBeenCalledWith({ runId: 'run1' });
    expect(bar(element)?.getAttribute('role')).toBe('progressbar');
    expect(bar(element)?.hasAttribute('aria-valuenow')).toBe(false);
    expect($(element, '[data-id="progress-step"]')?.textContent).toBe('Collecting the facts…');

    await settle(1000);
    expect(bar(element)?.getAttribute('aria-valuenow')).toBe('25');
    expect(bar(element)?.getAttribute('aria-valuetext')).toBe('1 of 4 chunks');
    expect($(element, '[data-id="progress-label"]')?.textContent?.trim()).toBe('1 of 4 chunks');
    expect($(element, '[data-id="announcement"]')?.textContent).toContain('1 of 4 chunks');
    expect($(element, '[data-id="announcement"]')?.getAttribute('aria-live')).toBe('polite');

    await settle(1000);
    expect($(element, '[data-id="progress"]')).toBeNull();
    const summary = $(element, 'c-health-score-summary') as unknown as { report: Report };
    expect(summary.report.score).toBe(broken.score);
    expect($(element, '[data-id="announcement"]')?.textContent).toBe(
      `Check finished. Score ${broken.score} out of 100, ${broken.summary.critical} critical, ${broken.summary.warning} warning.`,
    );
    expect($(element, '[data-id="last-run"]')?.textContent).toBe('Last run just now · dashboard');
    // Complete: no more reads.
    await settle(60000);
    expect(progressMock).toHaveBeenCalledTimes(3);
  });

  it('shows an accessible progress bar with and without a known number of chunks', async () => {
    latestMock.mockResolvedValue('null');
    startMock.mockResolvedValue(started());
    progressMock.mockResolvedValue(progress({ step: 'Collecting the facts' }));
    const element = mount();
    answerWires();
    await settle();
    await settle(1000);
    expect(bar(element)?.getAttribute('aria-valuetext')).toBe('Number of chunks not known yet');
    await expectAccessible(element);
  });

  it('waits a moment for CRM Analytics before the first check, then starts without it', async () => {
    latestMock.mockResolvedValue('null');
    startMock.mockResolvedValue(started());
    progressMock.mockResolvedValue(complete());
    mount();
    await settle();
    expect(startMock).not.toHaveBeenCalled();
    await settle(3000);
    expect(startMock).toHaveBeenCalledTimes(1);
    const sent = JSON.parse(startMock.mock.calls[0][0].dashboardFactsJson);
    expect(sent.collectionErrors[0].message).toContain('did not answer');
  });

  it('shows an error reading the latest run as an error, with what to do', async () => {
    latestMock.mockRejectedValue({
      body: { message: 'You do not have the custom permission Analytics_Health_Run_Check.' },
    });
    const element = mount();
    await settle();
    expect($(element, '[data-id="error"]')?.textContent).toContain(
      'assign you the "Analytics Health Admin" permission set',
    );
    expect(startMock).not.toHaveBeenCalled();
    expect($(element, 'c-health-score-summary')).toBeNull();
  });

  it('refuses a stored run that is not a report', async () => {
    latestMock.mockResolvedValue(
      JSON.stringify({
        runId: 'r',
        trigger: 'scheduled',
        evaluatedAt: '2026-11-01T00:00:00Z',
        report: { x: 1 },
      }),
    );
    const element = mount();
    await settle();
    expect($(element, '[data-id="error-message"]')?.textContent).toContain(
      'not an Analytics Health report',
    );
  });
});

describe('c-analytics-health-dashboard: running a check', () => {
  it('backs off between reads while the run does not move, and reads sooner when it does', async () => {
    const element = await openOnStoredRun();
    startMock.mockResolvedValue(started());
    progressMock.mockResolvedValue(progress({ chunksDone: 1, chunksTotal: 8 }));
    clickRun(element);
    await settle();
    await settle(1000);
    expect(progressMock).toHaveBeenCalledTimes(1);
    // The first read moved the run (nothing known before): the next wait is the first one again.
    await settle(1000);
    expect(progressMock).toHaveBeenCalledTimes(2);
    await settle(1499);
    expect(progressMock).toHaveBeenCalledTimes(2);
    await settle(1);
    expect(progressMock).toHaveBeenCalledTimes(3);
    await settle(2249);
    expect(progressMock).toHaveBeenCalledTimes(3);
    await settle(1);
    expect(progressMock).toHaveBeenCalledTimes(4);
    progressMock.mockResolvedValue(progress({ chunksDone: 2, chunksTotal: 8 }));
    await settle(3375);
    expect(progressMock).toHaveBeenCalledTimes(5);
    expect(bar(element)?.getAttribute('aria-valuenow')).toBe('25');
    await settle(1000);
    expect(progressMock).toHaveBeenCalledTimes(6);
  });

  it('shows a failed run as an error with its message and stops reading', async () => {
    const element = await openOnStoredRun();
    startMock.mockResolvedValue(started());
    progressMock.mockResolvedValue(
      progress({ status: 'Failed', message: 'Chunk 3 of 12 failed: Apex CPU time limit exceeded' }),
    );
    clickRun(element);
    await settle();
    await settle(1000);
    expect($(element, '[data-id="error-message"]')?.textContent).toBe(
      'Chunk 3 of 12 failed: Apex CPU time limit exceeded',
    );
    expect($(element, '[data-id="progress"]')).toBeNull();
    expect($(element, '[data-id="announcement"]')?.textContent).toContain('The check failed');
    // The stored run stays on screen under the error; Run again is offered.
    expect($(element, 'c-health-score-summary')).not.toBeNull();
    expect(
      ($(element, 'lightning-button[data-id="run"]') as unknown as { disabled: boolean }).disabled,
    ).toBe(false);
    await settle(60000);
    expect(progressMock).toHaveBeenCalledTimes(1);
  });

  it('joins a run that is already in progress', async () => {
    // The tab opens with no stored run while a scheduled run is going: it follows that one.
    latestMock.mockResolvedValue('null');
    startMock.mockResolvedValue(JSON.stringify({ runId: 'runBusy', alreadyRunning: true }));
    progressMock.mockResolvedValue(
      progress({ runId: 'runBusy', chunksDone: 3, chunksTotal: 4, step: 'Evaluating' }),
    );
    const element = mount();
    answerWires();
    await settle();
    expect($(element, '[data-id="announcement"]')?.textContent).toContain('already running');
    await settle(1000);
    expect(progressMock).toHaveBeenCalledWith({ runId: 'runBusy' });
    expect(bar(element)?.getAttribute('aria-valuenow')).toBe('75');
    await expectAccessible(element);
  });

  it('keeps reading through a dropped read, and gives up after three in a row', async () => {
    const element = await openOnStoredRun();
    startMock.mockResolvedValue(started());
    progressMock.mockRejectedValue(new Error('Network down'));
    clickRun(element);
    await settle();
    await settle(1000);
    expect($(element, '[data-id="error"]')).toBeNull();
    await settle(1500 + 2250);
    expect(progressMock).toHaveBeenCalledTimes(3);
    expect($(element, '[data-id="error-message"]')?.textContent).toBe(
      'The progress of the check could not be read: Network down',
    );
  });

  it('stops reading when the page is closed, and follows the run again when put back', async () => {
    const element = await openOnStoredRun();
    startMock.mockResolvedValue(started());
    progressMock.mockResolvedValue(progress({ chunksDone: 1, chunksTotal: 4 }));
    clickRun(element);
    await settle();
    await settle(1000);
    expect(progressMock).toHaveBeenCalledTimes(1);
    document.body.removeChild(element);
    await settle(60000);
    expect(progressMock).toHaveBeenCalledTimes(1);
    // Put back (moved in the page): it follows the same run again, without starting another.
    progressMock.mockResolvedValue(complete());
    document.body.appendChild(element);
    await settle(1000);
    expect(progressMock).toHaveBeenCalledTimes(2);
    expect(startMock).toHaveBeenCalledTimes(1);
    expect($(element, 'c-health-score-summary')).not.toBeNull();
    expect($(element, '[data-id="progress"]')).toBeNull();
  });

  it('shows an Apex error from startCheck as an error, with what to do', async () => {
    latestMock.mockResolvedValue('null');
    startMock.mockRejectedValue({
      body: {
        message:
          'You need the Analytics_Health_Run_Check custom permission (permission set Analytics Health Admin).',
      },
    });
    const element = mount();
    answerWires();
    await settle();
    const error = $(element, '[data-id="error"]');
    expect(error?.textContent).toContain('Analytics_Health_Run_Check');
    expect(error?.textContent).toContain('assign you the "Analytics Health Admin" permission set');
    expect(progressMock).not.toHaveBeenCalled();
    await expectAccessible(element);
  });

  it('rejects a complete run whose report is not a report', async () => {
    const element = await openOnStoredRun();
    await runToCompletion(element, { unexpected: true });
    expect($(element, '[data-id="error-message"]')?.textContent).toContain(
      'not an Analytics Health report',
    );
    expect($(element, '[data-id="error"]')?.textContent).toContain('Reload the tab');
  });

  it('names how a joined run was started, and says when passed findings were left out', async () => {
    const element = await openOnStoredRun();
    await runToCompletion(element, {
      ...broken,
      evaluatedAt: new Date(Date.now() - 2 * 60 * 1000).toISOString(),
      trigger: 'scheduled',
      omittedPassedFindings: 120,
    });
    expect($(element, '[data-id="last-run"]')?.textContent).toBe(
      'Last run 2 minutes ago · scheduled',
    );
    expect($(element, '[data-id="omitted-passed"]')?.textContent?.trim()).toBe(
      '120 more passed findings are counted in the score but not listed: the run kept only the first ones.',
    );
  });

  it('says how many failures a stored run counts but does not list', async () => {
    const element = await openOnStoredRun();
    await runToCompletion(element, {
      ...broken,
      omittedFindings: { critical: 48000, notEvaluated: 12 },
    });
    expect($(element, '[data-id="omitted-problems"]')?.textContent?.trim()).toBe(
      '48012 more failing or not evaluated findings are counted in the summary and the score but not listed: a stored run lists the first ones of each rule. The CLI lists them all (analytics-health check --target-org <alias>).',
    );
    await runToCompletion(element, broken);
    expect($(element, '[data-id="omitted-problems"]')).toBeNull();
    await runToCompletion(element, { ...broken, omittedFindings: { warning: 1 } });
    expect($(element, '[data-id="omitted-problems"]')?.textContent).toContain(
      '1 more failing or not evaluated finding is counted',
    );
    jest.useRealTimers();
    await expect(element).toBeAccessible();
  });

  it('shows the report and warns when its run could not be stored', async () => {
    const element = await openOnStoredRun();
    await runToCompletion(element, {
      ...broken,
      runNotStored: 'The run could not be stored: no access',
    });
    expect($(element, '[data-id="run-not-stored"]')?.textContent).toContain('no access');
  });

  it('sends the analytics facts read in the browser to startCheck', async () => {
    latestMock.mockResolvedValue(latest(broken, 1));
    const element = mount();
    adapter(getDataConnectors).emit({
      dataConnectors: [{ name: 'SFDC_LOCAL', connectorType: 'SfdcLocal' }],
    });
    adapter(getDataflowJobs).emit({
      dataflowJobs: [
        {
          id: '03CJOB',
          label: 'Nightly',
          jobType: 'dataflow',
          status: 'Failure',
          message: 'Oops',
          startDate: '2026-11-22T01:00:00Z',
        },
      ],
    });
    adapter(getReplicatedDatasets).emit({
      replicatedDatasets: [
        { name: 'Account', sourceObjectName: 'Account', connector: { name: 'SFDC_LOCAL' } },
      ],
    });
    await settle();
    await runToCompletion(element);
    const sent = JSON.parse(startMock.mock.calls[0][0].dashboardFactsJson);
    expect(sent.analytics.connections).toEqual([
      { name: 'SFDC_LOCAL', type: 'SfdcLocal', runAsUserId: null },
    ]);
    expect(sent.analytics.jobs[0]).toMatchObject({
      id: '03CJOB',
      name: 'Nightly',
      status: 'Failure',
    });
    expect(sent.analytics.references[0]).toMatchObject({
      assetType: 'dataSync',
      object: 'Account',
      fields: [],
    });
    // The failed job the browser saw is on the timeline even though no rule judged it.
    const timelineEl = $(element, 'c-health-change-timeline') as unknown as {
      entries: { title: string }[];
    };
    expect(timelineEl.entries.map((e) => e.title)).toContain('Nightly failed');
    expect($(element, '[data-id="collection-notes"]')?.textContent).toContain(
      'does not give the fields',
    );
  });

  it('passes analytics null with the reason when CRM Analytics refuses', async () => {
    latestMock.mockResolvedValue(latest(broken, 1));
    const element = mount();
    adapter(getDataConnectors).error({ message: 'Insufficient privileges' });
    adapter(getDataflowJobs).emit({ dataflowJobs: [] });
    adapter(getReplicatedDatasets).emit({ replicatedDatasets: [] });
    await settle();
    await runToCompletion(element);
    const sent = JSON.parse(startMock.mock.calls[0][0].dashboardFactsJson);
    expect(sent.analytics).toBeNull();
    expect(sent.collectionErrors.map((e: { message: string }) => e.message).join(' ')).toContain(
      'refused',
    );
  });

  it('shows a catalog error when the rules cannot be read', async () => {
    latestMock.mockResolvedValue(latest(broken, 1));
    getCatalogMock.mockRejectedValue({
      body: { message: 'No permission to run Analytics Health.' },
    });
    const element = mount();
    await settle();
    expect($(element, '[data-id="catalog-error"]')?.textContent).toContain(
      'Analytics Health Admin',
    );
  });
});

describe('c-analytics-health-dashboard: findings', () => {
  const filterTo = (element: HTMLElement, change: Record<string, string>) =>
    $(element, 'c-health-filter-bar')?.dispatchEvent(
      new CustomEvent('filterchange', {
        detail: {
          search: '',
          severity: 'all',
          status: 'all',
          category: 'all',
          subjectType: 'all',
          ...change,
        },
      }),
    );
  const toggle = (element: HTMLElement) =>
    $(element, '[data-id="toggle-passed"]') as unknown as HTMLElement & { label: string };

  it('opens on what needs attention, failures first, with passed ones behind a toggle', async () => {
    const element = await openOnStoredRun();
    const rows = listRows(element);
    expect(rows).toHaveLength(attentionCount);
    expect(rows.every((r) => r.status !== 'PASS')).toBe(true);
    const order = ['FAIL', 'ERROR', 'NOT_EVALUATED'];
    const ranks = rows.map((r) => order.indexOf(r.status));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(rows[0].status).toBe('FAIL');
    expect(toggle(element).label).toBe(`Show passed (${passedCount})`);
    expect(toggle(element).getAttribute('aria-pressed')).toBe('false');

    toggle(element).click();
    await settle();
    expect(listRows(element)).toHaveLength(broken.findings.length);
    expect(listRows(element).at(-1)?.status).toBe('PASS');
    expect(toggle(element).label).toBe(`Hide passed (${passedCount})`);
    expect(toggle(element).getAttribute('aria-pressed')).toBe('true');
    await expectAccessible(element);
  });

  it('counts and shows only the passed findings the filters let through', async () => {
    const element = await openOnStoredRun();
    filterTo(element, { subjectType: 'profile' });
    await settle();
    const profile = broken.findings.filter((f) => f.subject.type === 'profile');
    const profilePassed = profile.filter((f) => f.status === 'PASS').length;
    expect(profilePassed).toBeGreaterThan(0);
    expect(listRows(element)).toHaveLength(profile.length - profilePassed);
    expect(toggle(element).label).toBe(`Show passed (${profilePassed})`);
    toggle(element).click();
    await settle();
    expect(listRows(element)).toHaveLength(profile.length);
    // Asking for the status "Passed" shows them, and the toggle has nothing to add.
    filterTo(element, { status: 'PASS' });
    await settle();
    expect(listRows(element)).toHaveLength(passedCount);
    expect($(element, '[data-id="toggle-passed"]')).toBeNull();
  });

  it('filters the findings list from the filter bar and clears it', async () => {
    const element = await openOnStoredRun();
    filterTo(element, { severity: 'CRITICAL', status: 'FAIL', subjectType: 'profile' });
    await settle();
    expect(
      listRows(element)
        .map((r) => r.ruleId)
        .sort(),
    ).toEqual(['AH030', 'AH032', 'AH033', 'AH035']);
    const barEl = $(element, 'c-health-filter-bar') as unknown as { resultLabel: string };
    expect(barEl.resultLabel).toBe(`4 of ${broken.findings.length} findings`);
    $(element, 'c-health-finding-list')?.dispatchEvent(new CustomEvent('clearfilters'));
    await settle();
    expect(listRows(element)).toHaveLength(attentionCount);
  });

  it('filters to the catalog v1.1 subject kinds, each row keeping its engine subject type', async () => {
    const element = await openOnStoredRun();
    const shown = () =>
      listRows(element) as unknown as {
        subjectKind: string;
        subjectType: string;
        subjectLabel: string;
      }[];
    filterTo(element, { subjectType: 'predicateField', status: 'FAIL' });
    await settle();
    const predicate = broken.findings.filter((f) => f.ruleId === 'AH027' && f.status === 'FAIL');
    expect(predicate.length).toBeGreaterThan(0);
    expect(shown().map((r) => r.subjectLabel)).toEqual(predicate.map((f) => f.subject.label));
    // Acknowledgements name the engine's type: a predicate field is still a field there.
    expect(
      shown().every((r) => r.subjectKind === 'predicateField' && r.subjectType === 'field'),
    ).toBe(true);
    filterTo(element, { subjectType: 'sandbox' });
    await settle();
    const sandboxes = broken.findings.filter(
      (f) => f.subject.type === 'sandbox' && f.status !== 'PASS',
    );
    expect(sandboxes.length).toBeGreaterThan(0);
    expect(shown().map((r) => r.subjectLabel)).toEqual(sandboxes.map((f) => f.subject.label));
    await expectAccessible(element);
  });

  it('lists acknowledged failures apart and runs the check again after an acknowledgement', async () => {
    const failing = broken.findings.find((f) => f.status === 'FAIL' && f.subject.id);
    if (!failing) throw new Error('the demo report has a failure with a subject id');
    const acked = applyAcknowledgements(broken, [
      {
        ruleId: failing.ruleId,
        subjectType: failing.subject.type,
        subjectId: failing.subject.id as string,
        reason: 'Known',
        acknowledgedBy: 'Ada Admin',
        acknowledgedAt: broken.evaluatedAt,
        expiresAt: null,
      },
    ]);
    latestMock.mockResolvedValue(latest(acked, 2));
    const element = mount();
    answerWires();
    await settle();
    expect(listRows(element)).toHaveLength(attentionCount - acked.summary.acknowledged);
    expect(($(element, '[data-id="tab-acknowledged"]') as unknown as { label: string }).label).toBe(
      `Acknowledged (${acked.summary.acknowledged})`,
    );

    const target = {
      ruleId: failing.ruleId,
      subjectType: failing.subject.type,
      subjectId: failing.subject.id,
      subjectLabel: failing.subject.label,
      message: failing.message,
    };
    $(element, 'c-health-finding-list')?.dispatchEvent(
      new CustomEvent('acknowledge', { detail: target, bubbles: true, composed: true }),
    );
    await settle();
    const dialog = $(element, 'c-health-acknowledge-dialog') as unknown as HTMLElement & {
      target: unknown;
    };
    expect(dialog.target).toEqual(target);
    dialog.dispatchEvent(new CustomEvent('close'));
    await settle();
    expect($(element, 'c-health-acknowledge-dialog')).toBeNull();

    startMock.mockResolvedValue(started());
    progressMock.mockResolvedValue(complete(acked));
    $(element, 'c-health-finding-list')?.dispatchEvent(
      new CustomEvent('acknowledge', { detail: target, bubbles: true, composed: true }),
    );
    await settle();
    $(element, 'c-health-acknowledge-dialog')?.dispatchEvent(new CustomEvent('acknowledged'));
    await settle();
    expect($(element, 'c-health-acknowledge-dialog')).toBeNull();
    expect(startMock).toHaveBeenCalledTimes(1);
    await settle(1000);
    $(element, 'c-health-acknowledgement-list')?.dispatchEvent(new CustomEvent('withdrawn'));
    await settle();
    expect(startMock).toHaveBeenCalledTimes(2);
  });

  it('has a tab for each monitoring part, and hands the what-if the browser facts', async () => {
    const element = await openOnStoredRun();
    const labels = [...(element.shadowRoot?.querySelectorAll('lightning-tab') ?? [])].map(
      (t) => (t as unknown as { label: string }).label,
    );
    expect(labels).toEqual(['Findings', 'History', 'Acknowledged', 'What if', 'Schedule']);
    const whatIf = $(element, 'c-health-what-if') as unknown as { dashboardFactsJson: string };
    expect(JSON.parse(whatIf.dashboardFactsJson)).toHaveProperty('collectionErrors');
    const history = $(element, 'c-health-run-history') as unknown as { refresh: () => void };
    const refresh = jest.spyOn(history, 'refresh');
    $(element, 'c-health-schedule-settings')?.dispatchEvent(
      new CustomEvent('runqueued', { detail: { runId: 'r9' } }),
    );
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});
