import { createElement } from 'lwc';
import HealthRunDiff from 'c/healthRunDiff';
import getLatestComparison from '@salesforce/apex/AnalyticsHealthMonitorController.getLatestComparison';
import { compareReports } from 'c/healthEngine';
import { demoReport } from '../../healthDashboardModel/__tests__/demoReports';

jest.mock(
  '@salesforce/apex/AnalyticsHealthMonitorController.getLatestComparison',
  () => ({ default: jest.fn() }),
  { virtual: true },
);

const getMock = getLatestComparison as unknown as jest.Mock;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function mount(): HTMLElement {
  const element = createElement('c-health-run-diff', { is: HealthRunDiff });
  document.body.appendChild(element);
  return element;
}

const $ = (element: HTMLElement, selector: string) =>
  element.shadowRoot?.querySelector(selector) as HTMLElement | null;
/** Inside the shared loading and error state the component renders. */
const stateOf = (element: HTMLElement, selector: string) =>
  element.shadowRoot?.querySelector('c-health-load-state')?.shadowRoot?.querySelector(selector) ??
  null;

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe('c-health-run-diff', () => {
  it('lists new, resolved, still failing and no longer known findings with their counts', async () => {
    // From the healthy demo org to the broken one: everything failing is new.
    const diff = compareReports(demoReport('demo-healthy-org'), demoReport('demo-broken-org'));
    getMock.mockResolvedValue(JSON.stringify({ currentRunId: 'r2', previousRunId: 'r1', ...diff }));
    const element = mount();
    await flush();
    const headings = [...(element.shadowRoot?.querySelectorAll('[data-id="group-heading"]') ?? [])];
    expect(headings.map((h) => h.textContent)).toEqual([
      `New failures (${diff.newFailures.length})`,
      `Resolved (${diff.resolved.length})`,
      `Still failing (${diff.stillFailing.length})`,
      `No longer known (${diff.noLongerKnown.length})`,
    ]);
    expect(diff.newFailures.length).toBeGreaterThan(0);
    const items = element.shadowRoot?.querySelectorAll('[data-group="newFailures"] li') ?? [];
    expect(items).toHaveLength(diff.newFailures.length);
    expect(items[0].getAttribute('data-rule')).toBe(diff.newFailures[0].ruleId);
    // Each line names the subject's kind before its name ("Profile Analytics Cloud Integration User").
    const { type, label } = diff.newFailures[0].subject;
    const kind = { user: 'User', profile: 'Profile', field: 'Field', object: 'Object', org: 'Org' }[
      type as 'user'
    ];
    expect(items[0].textContent).toContain(`${kind ?? type} ${label}`);
    await expect(element).toBeAccessible();
  });

  it('says there is nothing to compare before two runs, and shows errors', async () => {
    getMock.mockResolvedValue(
      JSON.stringify({
        currentRunId: 'r1',
        previousRunId: null,
        newFailures: [],
        resolved: [],
        stillFailing: [],
        noLongerKnown: [],
      }),
    );
    const element = mount();
    await flush();
    expect($(element, '[data-id="empty"]')).not.toBeNull();
    getMock.mockRejectedValue(new Error('Timed out'));
    (element as unknown as { refresh: () => void }).refresh();
    await flush();
    expect(stateOf(element, '[data-id="error"]')?.textContent).toContain('Timed out');
    await expect(element).toBeAccessible();
  });
});
