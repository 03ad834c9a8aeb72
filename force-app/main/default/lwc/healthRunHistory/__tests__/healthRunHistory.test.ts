import { createElement } from 'lwc';
import HealthRunHistory from 'c/healthRunHistory';
import getHistory from '@salesforce/apex/AnalyticsHealthMonitorController.getHistory';

jest.mock(
  '@salesforce/apex/AnalyticsHealthMonitorController.getHistory',
  () => ({ default: jest.fn() }),
  { virtual: true },
);

const getHistoryMock = getHistory as unknown as jest.Mock;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

const runs = [
  {
    id: 'r3',
    evaluatedAt: '2026-11-23T06:00:00Z',
    trigger: 'dashboard',
    status: 'complete',
    score: 24,
    critical: 3,
    warning: 2,
    acknowledged: 1,
    newCritical: 1,
    message: null,
  },
  {
    id: 'r2',
    evaluatedAt: '2026-11-22T06:00:00Z',
    trigger: 'scheduled',
    status: 'failed',
    score: null,
    critical: null,
    message: 'Apex CPU time limit exceeded',
  },
  {
    id: 'r1',
    evaluatedAt: '2026-11-21T06:00:00Z',
    trigger: 'onDemand',
    status: 'complete',
    score: 100,
    critical: 0,
    warning: 0,
    acknowledged: 0,
    newCritical: 0,
    message: null,
  },
];

function mount(): HTMLElement {
  const element = createElement('c-health-run-history', { is: HealthRunHistory });
  document.body.appendChild(element);
  return element;
}

const $ = (element: HTMLElement, selector: string) =>
  element.shadowRoot?.querySelector(selector) as HTMLElement | null;
/** Inside the shared loading and error state the component renders. */
const stateOf = (element: HTMLElement, selector: string) =>
  element.shadowRoot?.querySelector('c-health-load-state')?.shadowRoot?.querySelector(selector) ??
  null;
const all = (element: HTMLElement, selector: string) => [
  ...(element.shadowRoot?.querySelectorAll(selector) ?? []),
];

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe('c-health-run-history', () => {
  it('shows a spinner while loading, then draws the complete runs and tables every run', async () => {
    getHistoryMock.mockResolvedValue(JSON.stringify(runs));
    const element = mount();
    expect(stateOf(element, '[data-id="loading"]')).not.toBeNull();
    await flush();
    expect(getHistoryMock).toHaveBeenCalledWith({ maxRuns: 30 });
    expect(stateOf(element, '[data-id="loading"]')).toBeNull();
    const svg = $(element, 'svg');
    expect(svg?.getAttribute('role')).toBe('img');
    expect($(element, 'desc')?.textContent).toContain('Score went from 100 to 24');
    expect(all(element, '[data-id="point"]')).toHaveLength(2);
    expect(all(element, '[data-id="bar"]')).toHaveLength(2);
    expect($(element, '[data-id="score-line"]')?.getAttribute('points')?.split(' ')).toHaveLength(
      2,
    );
    const rows = all(element, '[data-id="table"] tbody tr');
    expect(rows).toHaveLength(3);
    expect(rows[0].textContent).toContain('Dashboard');
    expect(rows[1].textContent).toContain('Failed');
    expect(rows[1].textContent).toContain('Apex CPU time limit exceeded');
    await expect(element).toBeAccessible();
  });

  it('keeps the table for screen readers and shows it on request', async () => {
    getHistoryMock.mockResolvedValue(JSON.stringify(runs));
    const element = mount();
    await flush();
    expect($(element, '[data-id="table-holder"]')?.className).toBe('slds-assistive-text');
    $(element, '[data-id="toggle-table"]')?.click();
    await flush();
    expect($(element, '[data-id="table-holder"]')?.className).toBe('slds-m-top_small');
  });

  it('says when no run is stored, and shows an error as such', async () => {
    getHistoryMock.mockResolvedValue('[]');
    const element = mount();
    await flush();
    expect($(element, '[data-id="empty"]')).not.toBeNull();
    expect($(element, 'svg')).toBeNull();
    getHistoryMock.mockRejectedValue({ body: { message: 'Assign Analytics Health Admin.' } });
    (element as unknown as { refresh: () => void }).refresh();
    await flush();
    expect(stateOf(element, '[data-id="error"]')?.textContent).toContain('Analytics Health Admin');
    expect($(element, '[data-id="empty"]')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('an answer that is not a run list is an error, not an empty history', async () => {
    getHistoryMock.mockResolvedValue('{"runs":[]}');
    const element = mount();
    await flush();
    expect(stateOf(element, '[data-id="error"]')?.textContent).toContain('not a list');
  });
});
