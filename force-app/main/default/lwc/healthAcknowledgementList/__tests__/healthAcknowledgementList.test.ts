import { createElement } from 'lwc';
import HealthAcknowledgementList from 'c/healthAcknowledgementList';
import getAcknowledgements from '@salesforce/apex/AnalyticsHealthMonitorController.getAcknowledgements';
import withdrawAcknowledgement from '@salesforce/apex/AnalyticsHealthMonitorController.withdrawAcknowledgement';
import { applyAcknowledgements } from 'c/healthEngine';
import { demoReport } from '../../healthDashboardModel/__tests__/demoReports';

jest.mock(
  '@salesforce/apex/AnalyticsHealthMonitorController.getAcknowledgements',
  () => ({ default: jest.fn() }),
  { virtual: true },
);
jest.mock(
  '@salesforce/apex/AnalyticsHealthMonitorController.withdrawAcknowledgement',
  () => ({ default: jest.fn() }),
  { virtual: true },
);

const getMock = getAcknowledgements as unknown as jest.Mock;
const withdrawMock = withdrawAcknowledgement as unknown as jest.Mock;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

const report = demoReport('demo-broken-org');
const failing = report.findings.find((f) => f.status === 'FAIL' && f.subject.id);
if (!failing) throw new Error('the demo report has a failing finding with a subject id');
const base = {
  ruleId: failing.ruleId,
  subjectType: failing.subject.type,
  subjectId: failing.subject.id as string,
  acknowledgedBy: 'Ada Admin',
  acknowledgedAt: '2026-11-20T08:00:00.000Z',
};
const records = [
  { id: 'a1', ...base, reason: 'Replaced next sprint', expiresAt: null, active: true },
  {
    id: 'a2',
    ...base,
    reason: 'Old decision',
    expiresAt: '2026-01-01T00:00:00.000Z',
    active: true,
  },
  { id: 'a3', ...base, reason: 'Changed our mind', expiresAt: null, active: false },
];

function mount(): HTMLElement {
  const element = createElement('c-health-acknowledgement-list', { is: HealthAcknowledgementList });
  const ack = { ...base, reason: records[0].reason, expiresAt: null };
  Object.assign(element, { report: applyAcknowledgements(report, [ack]) });
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

describe('c-health-acknowledgement-list', () => {
  it('lists current acknowledgements with who, when, why and until, apart from past ones', async () => {
    getMock.mockResolvedValue(JSON.stringify(records));
    const element = mount();
    await flush();
    const current = element.shadowRoot?.querySelectorAll('[data-id="current"] li') ?? [];
    expect(current).toHaveLength(1);
    expect(current[0].textContent).toContain(failing.subject.label);
    expect(current[0].textContent).toContain('Replaced next sprint');
    expect(current[0].textContent).toContain('Ada Admin');
    expect(current[0].textContent).toContain('Until withdrawn');
    const past = element.shadowRoot?.querySelectorAll('[data-id="past"] li') ?? [];
    expect([...past].map((li) => li.textContent)).toEqual([
      expect.stringContaining('Expired'),
      expect.stringContaining('Withdrawn'),
    ]);
    await expect(element).toBeAccessible();
  });

  it('withdraws one, tells the page and reads the list again', async () => {
    getMock.mockResolvedValue(JSON.stringify(records.slice(0, 1)));
    withdrawMock.mockResolvedValue(JSON.stringify({ id: 'a1', active: false }));
    const element = mount();
    const handler = jest.fn();
    element.addEventListener('withdrawn', handler);
    await flush();
    getMock.mockResolvedValue(JSON.stringify([{ ...records[0], active: false }]));
    $(element, '[data-id="withdraw"]')?.click();
    await flush();
    await flush();
    expect(withdrawMock).toHaveBeenCalledWith({ acknowledgementId: 'a1' });
    expect(handler.mock.calls[0][0].detail).toEqual({ id: 'a1' });
    expect(getMock).toHaveBeenCalledTimes(2);
    expect($(element, '[data-id="no-current"]')).not.toBeNull();
  });

  it('shows a failed withdrawal as an error', async () => {
    getMock.mockResolvedValue(JSON.stringify(records.slice(0, 1)));
    withdrawMock.mockRejectedValue({ body: { message: 'Insufficient access' } });
    const element = mount();
    await flush();
    $(element, '[data-id="withdraw"]')?.click();
    await flush();
    await flush();
    expect($(element, '[data-id="withdraw-error"]')?.textContent).toContain('Insufficient access');
  });

  it('says when nothing is acknowledged, and shows a read error as such', async () => {
    getMock.mockResolvedValue('[]');
    const element = mount();
    await flush();
    expect($(element, '[data-id="empty"]')).not.toBeNull();
    getMock.mockRejectedValue({
      body: { message: 'Assign the permission set Analytics Health Admin.' },
    });
    (element as unknown as { refresh: () => void }).refresh();
    await flush();
    expect(stateOf(element, '[data-id="error"]')?.textContent).toContain('Analytics Health Admin');
    expect($(element, '[data-id="empty"]')).toBeNull();
    await expect(element).toBeAccessible();
  });
});
