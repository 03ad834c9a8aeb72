import { createElement } from 'lwc';
import HealthFindingList from 'c/healthFindingList';
import { toRows } from 'c/healthDashboardModel';
import { demoReport, largeReport } from '../../healthDashboardModel/__tests__/demoReports';

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

const flush = () => Promise.resolve();

function mount(rows: unknown[], pageSize?: number) {
  const element = createElement('c-health-finding-list', { is: HealthFindingList });
  Object.assign(element, pageSize ? { rows, pageSize } : { rows });
  document.body.appendChild(element);
  return element;
}

const items = (element: HTMLElement) =>
  element.shadowRoot?.querySelectorAll('c-health-finding-item') ?? [];

describe('c-health-finding-list', () => {
  it('groups findings by status and subject with headings and counts', async () => {
    const rows = toRows(demoReport('demo-broken-org'));
    const element = mount(rows, 100);
    const headings = [...(element.shadowRoot?.querySelectorAll('h3') ?? [])].map(
      (h) =>
        `${h.querySelector('.group__label')?.textContent}: ${h.querySelector('.group__count')?.textContent}`,
    );
    const users = rows.filter((r) => r.subjectKind === 'user' && r.status === 'FAIL').length;
    expect(headings[0]).toBe(`Failed · Users: ${users} findings`);
    // One heading per status and subject, the statuses in the order of what needs attention.
    const pairs = new Set(rows.map((r) => `${r.status} ${r.subjectKind}`));
    expect(headings).toHaveLength(pairs.size);
    const order = ['Failed', 'Error', 'Not evaluated', 'Passed'];
    const ranks = headings.map((h) => order.indexOf(h.split(' · ')[0]));
    expect(ranks.every((rank, i) => rank >= 0 && (i === 0 || rank >= ranks[i - 1]))).toBe(true);
    expect(headings).toContain(
      `Passed · Users: ${rows.filter((r) => r.subjectKind === 'user' && r.status === 'PASS').length} findings`,
    );
    expect(items(element)).toHaveLength(rows.length);
    expect(element.shadowRoot?.querySelector('nav')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('renders 5,000 findings one page at a time and pages forward and back', async () => {
    const rows = toRows(largeReport(5000));
    const element = mount(rows);
    expect(items(element)).toHaveLength(25);
    const label = () => element.shadowRoot?.querySelector('[data-id="page-label"]')?.textContent;
    expect(label()).toBe('Page 1 of 200 · findings 1–25 of 5000');
    const previous = element.shadowRoot?.querySelector(
      '[data-id="previous"]',
    ) as unknown as HTMLElement & { disabled: boolean };
    const next = element.shadowRoot?.querySelector('[data-id="next"]') as unknown as HTMLElement & {
      disabled: boolean;
    };
    expect(previous.disabled).toBe(true);
    next.click();
    await flush();
    expect(label()).toBe('Page 2 of 200 · findings 26–50 of 5000');
    expect(previous.disabled).toBe(false);
    previous.click();
    await flush();
    expect(label()).toBe('Page 1 of 200 · findings 1–25 of 5000');
    await expect(element).toBeAccessible();
  });

  it('goes back to the first page when the rows change', async () => {
    const rows = toRows(largeReport(200));
    const element = mount(rows);
    (element.shadowRoot?.querySelector('[data-id="next"]') as HTMLElement).click();
    await flush();
    Object.assign(element, { rows: rows.slice(0, 120) });
    await flush();
    expect(element.shadowRoot?.querySelector('[data-id="page-label"]')?.textContent).toBe(
      'Page 1 of 5 · findings 1–25 of 120',
    );
  });

  it('says when nothing matches and offers to clear the filters', async () => {
    const element = mount([]);
    const handler = jest.fn();
    element.addEventListener('clearfilters', handler);
    expect(element.shadowRoot?.querySelector('[data-id="no-results"]')?.textContent).toContain(
      'Clear the filters',
    );
    (
      element.shadowRoot?.querySelector('[data-id="no-results"] lightning-button') as HTMLElement
    ).click();
    expect(handler).toHaveBeenCalledTimes(1);
    await expect(element).toBeAccessible();
  });
});
