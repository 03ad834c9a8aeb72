import { createElement } from 'lwc';
import HealthScheduleSettings from 'c/healthScheduleSettings';
import getSchedule from '@salesforce/apex/AnalyticsHealthMonitorController.getSchedule';
import saveSchedule from '@salesforce/apex/AnalyticsHealthMonitorController.saveSchedule';
import runNow from '@salesforce/apex/AnalyticsHealthMonitorController.runNow';

jest.mock(
  '@salesforce/apex/AnalyticsHealthMonitorController.getSchedule',
  () => ({ default: jest.fn() }),
  { virtual: true },
);
jest.mock(
  '@salesforce/apex/AnalyticsHealthMonitorController.saveSchedule',
  () => ({ default: jest.fn() }),
  { virtual: true },
);
jest.mock(
  '@salesforce/apex/AnalyticsHealthMonitorController.runNow',
  () => ({ default: jest.fn() }),
  { virtual: true },
);

const getMock = getSchedule as unknown as jest.Mock;
const saveMock = saveSchedule as unknown as jest.Mock;
const runNowMock = runNow as unknown as jest.Mock;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

const saved = {
  cronExpression: '0 0 6 * * ?',
  retentionDays: 90,
  recipients: ['ops@example.com'],
  notifyOnNewCritical: true,
  scheduled: true,
  nextRunAt: '2026-11-24T06:00:00.000Z',
};

function mount(): HTMLElement {
  const element = createElement('c-health-schedule-settings', { is: HealthScheduleSettings });
  document.body.appendChild(element);
  return element;
}

const $ = (element: HTMLElement, selector: string) =>
  element.shadowRoot?.querySelector(selector) as (HTMLElement & Record<string, unknown>) | null;
/** Inside the shared loading and error state the component renders. */
const stateOf = (element: HTMLElement, selector: string) =>
  element.shadowRoot?.querySelector('c-health-load-state')?.shadowRoot?.querySelector(selector) ??
  null;

function change(element: HTMLElement, dataId: string, detail: Record<string, unknown>): void {
  $(element, `[data-id="${dataId}"]`)?.dispatchEvent(new CustomEvent('change', { detail }));
}

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe('c-health-schedule-settings', () => {
  beforeEach(() => getMock.mockResolvedValue(JSON.stringify(saved)));

  it('shows the saved schedule with its preset and next run', async () => {
    const element = mount();
    await flush();
    expect($(element, '[data-id="preset"]')?.value).toBe('0 0 6 * * ?');
    expect($(element, '[data-id="cron"]')?.value).toBe('0 0 6 * * ?');
    expect($(element, '[data-id="retention"]')?.value).toBe(90);
    expect($(element, '[data-id="recipients"]')?.value).toBe('ops@example.com');
    expect($(element, '[data-id="notify"]')?.checked).toBe(true);
    expect($(element, '[data-id="state"]')?.textContent).toContain('Next run');
    await expect(element).toBeAccessible();
  });

  it('a preset fills the cron; the form sends what it shows', async () => {
    saveMock.mockImplementation(({ settingsJson }) =>
      Promise.resolve(
        JSON.stringify({ ...JSON.parse(settingsJson), scheduled: true, nextRunAt: null }),
      ),
    );
    const element = mount();
    await flush();
    change(element, 'preset', { value: '0 0 6 ? * MON-FRI' });
    change(element, 'retention', { value: '30' });
    change(element, 'recipients', { value: 'a@example.com, b@example.com' });
    change(element, 'notify', { checked: true });
    await flush();
    expect($(element, '[data-id="cron"]')?.value).toBe('0 0 6 ? * MON-FRI');
    ($(element, '[data-id="save"]') as HTMLElement).click();
    await flush();
    await flush();
    expect(JSON.parse(saveMock.mock.calls[0][0].settingsJson)).toEqual({
      cronExpression: '0 0 6 ? * MON-FRI',
      retentionDays: 30,
      recipients: ['a@example.com', 'b@example.com'],
      notifyOnNewCritical: true,
    });
    expect($(element, '[data-id="status"]')?.textContent).toBe('Schedule saved.');
    expect($(element, '[data-id="recipients"]')?.value).toBe('a@example.com\nb@example.com');
  });

  it('names the fields it will not send', async () => {
    const element = mount();
    await flush();
    change(element, 'cron', { value: '0 6 *' });
    change(element, 'retention', { value: '0' });
    change(element, 'recipients', { value: 'not-an-address' });
    await flush();
    expect($(element, '[data-id="preset"]')?.value).toBe('custom');
    ($(element, '[data-id="save"]') as HTMLElement).click();
    await flush();
    expect(saveMock).not.toHaveBeenCalled();
    expect($(element, '[data-id="cron-error"]')?.textContent).toContain('six or seven fields');
    expect($(element, '[data-id="retention-error"]')?.textContent).toContain('1 to 3650');
    expect($(element, '[data-id="recipients-error"]')?.textContent).toContain('not-an-address');
    await expect(element).toBeAccessible();
  });

  it("shows the controller's validation message as it comes", async () => {
    saveMock.mockRejectedValue({
      body: { message: "Day-of-month and day-of-week can't both be set" },
    });
    const element = mount();
    await flush();
    change(element, 'cron', { value: '0 0 6 1 * MON' });
    ($(element, '[data-id="save"]') as HTMLElement).click();
    await flush();
    await flush();
    expect($(element, '[data-id="save-error"]')?.textContent).toContain(
      "Day-of-month and day-of-week can't both be set",
    );
  });

  it('Run now queues a run and says so; a failure is shown as an error', async () => {
    runNowMock.mockResolvedValue('{"runId":"a0B000000000001"}');
    const element = mount();
    const queued = jest.fn();
    element.addEventListener('runqueued', queued);
    await flush();
    ($(element, '[data-id="run-now"]') as HTMLElement).click();
    await flush();
    expect($(element, '[data-id="run-status"]')?.textContent).toContain('a0B000000000001');
    expect(queued.mock.calls[0][0].detail).toEqual({ runId: 'a0B000000000001' });
    runNowMock.mockRejectedValue({ body: { message: 'A run is already in progress' } });
    ($(element, '[data-id="run-now"]') as HTMLElement).click();
    await flush();
    expect($(element, '[data-id="run-error"]')?.textContent).toContain('already in progress');
  });

  it('shows a read error instead of the form', async () => {
    getMock.mockRejectedValue({ body: { message: 'Assign Analytics Health Admin.' } });
    const element = mount();
    await flush();
    expect(stateOf(element, '[data-id="error"]')?.textContent).toContain('Analytics Health Admin');
    expect($(element, '[data-id="cron"]')).toBeNull();
  });
});
