import { createElement } from 'lwc';
import HealthScoreSummary from 'c/healthScoreSummary';
import { demoReport } from '../../healthDashboardModel/__tests__/demoReports';

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

function mount(report: unknown) {
  const element = createElement('c-health-score-summary', { is: HealthScoreSummary });
  Object.assign(element, { report });
  document.body.appendChild(element);
  return element;
}

const text = (element: HTMLElement, selector: string) =>
  element.shadowRoot?.querySelector(selector)?.textContent?.trim();

describe('c-health-score-summary', () => {
  it('shows the score, the status and every count of the report', async () => {
    const report = demoReport('demo-broken-org');
    const element = mount(report);
    expect(text(element, '[data-id="score"]')).toBe(`${report.score}/100`);
    expect(text(element, '[data-id="status"]')).toBe('Jobs are failing or will fail');
    expect(element.shadowRoot?.querySelector('[data-id="status"]')?.className).toContain(
      'slds-theme_error',
    );
    const counts = Object.fromEntries(
      [...(element.shadowRoot?.querySelectorAll('[data-count]') ?? [])].map((n) => [
        (n as HTMLElement).dataset.count,
        Number(n.querySelector('dd')?.textContent),
      ]),
    );
    expect(counts).toEqual(report.summary);
    expect(text(element, '[data-id="last-run"]')).toBe(
      `Last run: ${new Date(report.evaluatedAt).toLocaleString()}`,
    );
    expect(element.shadowRoot?.textContent).toContain(
      'Northwind Outfitters UAT (00D5g000004XyZaEAK)',
    );
    await expect(element).toBeAccessible();
  });

  it('is green for a healthy org', async () => {
    const element = mount(demoReport('demo-healthy-org'));
    expect(text(element, '[data-id="score"]')).toBe('100/100');
    expect(text(element, '[data-id="status"]')).toBe('Healthy');
    await expect(element).toBeAccessible();
  });

  it('says no check has run without a report', async () => {
    const element = mount(null);
    expect(element.shadowRoot?.textContent).toContain('No check has run yet.');
    await expect(element).toBeAccessible();
  });
});
