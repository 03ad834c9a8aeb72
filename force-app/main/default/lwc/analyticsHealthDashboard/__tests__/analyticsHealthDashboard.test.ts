import { createElement } from 'lwc';
import AnalyticsHealthDashboard from 'c/analyticsHealthDashboard';
import runCheck from '@salesforce/apex/AnalyticsHealthController.runCheck';
import getCatalog from '@salesforce/apex/AnalyticsHealthController.getCatalog';
import {
  getDataConnectors,
  getDataflowJobs,
  getReplicatedDatasets,
} from 'lightning/analyticsWaveApi';
import { applyAcknowledgements } from 'c/healthEngine';
import { demoReport } from '../../healthDashboardModel/__tests__/demoReports';

jest.mock('@salesforce/apex/AnalyticsHealthController.runCheck', () => ({ default: jest.fn() }), {
  virtual: true,
});
jest.mock('@salesforce/apex/AnalyticsHealthController.getCatalog', () => ({ default: jest.fn() }), {
  virtual: true,
});

const runCheckMock = runCheck as unknown as jest.Mock;
const getCatalogMock = getCatalog as unknown as jest.Mock;
type TestAdapter = { emit: (value: unknown) => void; error: (body?: unknown) => void };
const adapter = (a: unknown) => a as TestAdapter;

const broken = demoReport('demo-broken-org');
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function mount(): HTMLElement {
  const element = createElement('c-analytics-health-dashboard', { is: AnalyticsHealthDashboard });
  document.body.appendChild(element);
  return element;
}

function $(element: HTMLElement, selector: string): HTMLElement | null {
  return element.shadowRoot?.querySelector(selector) ?? null;
}

function clickRun(element: HTMLElement): void {
  ($(element, 'lightning-button[data-id="run"]') as HTMLElement).click();
}

beforeEach(() => {
  getCatalogMock.mockResolvedValue(JSON.stringify([{ ruleId: 'AH001' }, { ruleId: 'AH002' }]));
});

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe('c-analytics-health-dashboard', () => {
  it('starts empty, says what to do, and names the catalog size', async () => {
    const element = mount();
    await flush();
    const empty = $(element, '[data-id="empty"]');
    expect(empty?.textContent).toContain('2 active rules');
    expect(empty?.textContent).toContain('Run check');
    expect($(element, 'c-health-score-summary')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows progress while the check runs, then the report', async () => {
    let resolve: (value: string) => void = () => undefined;
    runCheckMock.mockReturnValue(new Promise<string>((r) => (resolve = r)));
    const element = mount();
    await flush();
    clickRun(element);
    await flush();
    expect($(element, '[data-id="progress"]')?.textContent).toContain('Running the rules');
    expect($(element, '[data-id="announcement"]')?.textContent).toContain('Running the rules');
    expect(
      ($(element, 'lightning-button[data-id="run"]') as unknown as { disabled: boolean }).disabled,
    ).toBe(true);

    resolve(JSON.stringify(broken));
    await flush();
    await flush();
    expect($(element, '[data-id="progress"]')).toBeNull();
    const summary = $(element, 'c-health-score-summary') as unknown as { report: typeof broken };
    expect(summary.report.score).toBe(broken.score);
    expect(element.shadowRoot?.querySelectorAll('c-health-system-user-card')).toHaveLength(2);
    const list = $(element, 'c-health-finding-list') as unknown as { rows: unknown[] };
    expect(list.rows).toHaveLength(broken.findings.length);
    expect($(element, '[data-id="announcement"]')?.textContent).toBe(
      `Check finished. Score ${broken.score} out of 100, ${broken.summary.critical} critical, ${broken.summary.warning} warning.`,
    );
    await expect(element).toBeAccessible();
  });

  it('shows the report and warns when its run could not be stored', async () => {
    runCheckMock.mockResolvedValue(
      JSON.stringify({
        ...broken,
        runNotStored: 'The check ran, but its run could not be stored: no access',
      }),
    );
    const element = mount();
    await flush();
    clickRun(element);
    await flush();
    await flush();
    expect($(element, 'c-health-score-summary')).not.toBeNull();
    expect($(element, '[data-id="run-not-stored"]')?.textContent).toContain('no access');
    await expect(element).toBeAccessible();
  });

  it('shows no storage warning when the run was stored', async () => {
    runCheckMock.mockResolvedValue(JSON.stringify(broken));
    const element = mount();
    await flush();
    clickRun(element);
    await flush();
    await flush();
    expect($(element, '[data-id="run-not-stored"]')).toBeNull();
  });

  it('sends the analytics facts read in the browser to the controller', async () => {
    runCheckMock.mockResolvedValue(JSON.stringify(broken));
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
    await flush();
    clickRun(element);
    await flush();
    await flush();
    const sent = JSON.parse(runCheckMock.mock.calls[0][0].dashboardFactsJson);
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
    expect(sent.collectionErrors[0].fact).toBe('analytics');
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
    runCheckMock.mockResolvedValue(JSON.stringify(broken));
    const element = mount();
    adapter(getDataConnectors).error({ message: 'Insufficient privileges' });
    await flush();
    clickRun(element);
    await flush();
    const sent = JSON.parse(runCheckMock.mock.calls[0][0].dashboardFactsJson);
    expect(sent.analytics).toBeNull();
    expect(sent.collectionErrors.map((e: { message: string }) => e.message).join(' ')).toContain(
      'refused',
    );
  });

  it('shows an Apex error as an error, with what to do, and no results', async () => {
    runCheckMock.mockRejectedValue({
      body: {
        message:
          'You need the Analytics_Health_Run_Check custom permission (permission set Analytics Health Admin).',
      },
    });
    const element = mount();
    await flush();
    clickRun(element);
    await flush();
    await flush();
    const error = $(element, '[data-id="error"]');
    expect(error?.textContent).toContain('Analytics_Health_Run_Check');
    expect(error?.textContent).toContain('assign you the "Analytics Health Admin" permission set');
    expect($(element, 'c-health-score-summary')).toBeNull();
    expect($(element, '[data-id="empty"]')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('rejects an answer that is not a report', async () => {
    runCheckMock.mockResolvedValue('{"unexpected":true}');
    const element = mount();
    await flush();
    clickRun(element);
    await flush();
    await flush();
    expect($(element, '[data-id="error-message"]')?.textContent).toContain(
      'not an Analytics Health report',
    );
    expect($(element, '[data-id="error"]')?.textContent).toContain('Reload the tab');
  });

  it('shows a catalog error when the rules cannot be read', async () => {
    getCatalogMock.mockRejectedValue({
      body: { message: 'No permission to run Analytics Health.' },
    });
    const element = mount();
    await flush();
    expect($(element, '[data-id="catalog-error"]')?.textContent).toContain(
      'Analytics Health Admin',
    );
  });

  it('filters the findings list from the filter bar and clears it', async () => {
    runCheckMock.mockResolvedValue(JSON.stringify(broken));
    const element = mount();
    await flush();
    clickRun(element);
    await flush();
    await flush();
    const bar = $(element, 'c-health-filter-bar') as HTMLElement & { resultLabel: string };
    bar.dispatchEvent(
      new CustomEvent('filterchange', {
        detail: {
          search: '',
          severity: 'CRITICAL',
          status: 'FAIL',
          category: 'all',
          subjectType: 'profile',
        },
      }),
    );
    await flush();
    const list = $(element, 'c-health-finding-list') as HTMLElement & {
      rows: { ruleId: string }[];
    };
    expect(list.rows.map((r) => r.ruleId).sort()).toEqual(['AH030', 'AH032', 'AH033', 'AH035']);
    expect(bar.resultLabel).toBe(`4 of ${broken.findings.length} findings`);
    list.dispatchEvent(new CustomEvent('clearfilters'));
    await flush();
    expect(list.rows).toHaveLength(broken.findings.length);
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
    runCheckMock.mockResolvedValue(JSON.stringify(acked));
    const element = mount();
    await flush();
    clickRun(element);
    await flush();
    await flush();
    const list = $(element, 'c-health-finding-list') as unknown as { rows: { ruleId: string }[] };
    expect(list.rows).toHaveLength(broken.findings.length - acked.summary.acknowledged);
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
    await flush();
    const dialog = $(element, 'c-health-acknowledge-dialog') as unknown as HTMLElement & {
      target: unknown;
    };
    expect(dialog.target).toEqual(target);
    dialog.dispatchEvent(new CustomEvent('close'));
    await flush();
    expect($(element, 'c-health-acknowledge-dialog')).toBeNull();

    $(element, 'c-health-finding-list')?.dispatchEvent(
      new CustomEvent('acknowledge', { detail: target, bubbles: true, composed: true }),
    );
    await flush();
    $(element, 'c-health-acknowledge-dialog')?.dispatchEvent(new CustomEvent('acknowledged'));
    await flush();
    expect($(element, 'c-health-acknowledge-dialog')).toBeNull();
    expect(runCheckMock).toHaveBeenCalledTimes(2);
    await flush();
    $(element, 'c-health-acknowledgement-list')?.dispatchEvent(new CustomEvent('withdrawn'));
    await flush();
    expect(runCheckMock).toHaveBeenCalledTimes(3);
  });

  it('has a tab for each monitoring part, and hands the what-if the browser facts', async () => {
    const element = mount();
    await flush();
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
