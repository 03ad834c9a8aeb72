import { createElement } from 'lwc';
import HealthChangeTimeline from 'c/healthChangeTimeline';
import { timeline } from 'c/healthDashboardModel';
import { demoReport } from '../../healthDashboardModel/__tests__/demoReports';

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

function mount(entries: unknown) {
  const element = createElement('c-health-change-timeline', { is: HealthChangeTimeline });
  Object.assign(element, { entries });
  document.body.appendChild(element);
  return element;
}

describe('c-health-change-timeline', () => {
  it('shows setup changes and failed jobs, newest first, with time and author', async () => {
    const entries = timeline(demoReport('demo-broken-org'));
    const element = mount(entries);
    const items = [
      ...(element.shadowRoot?.querySelectorAll('li[data-kind]') ?? []),
    ] as HTMLElement[];
    expect(items).toHaveLength(entries.length);
    expect(items[0].dataset.kind).toBe('failedJob');
    expect(items[0].textContent).toContain('Billing failed');
    expect(items[0].querySelector('time')?.getAttribute('datetime')).toBe('2026-11-21T22:00:00Z');
    const froze = items.find((i) => i.textContent?.includes('Froze user Security User'));
    expect(froze?.dataset.kind).toBe('change');
    expect(froze?.textContent).toContain('By alex.admin@northwind.example.uat');
    await expect(element).toBeAccessible();
  });

  it('says when a time is not reported', () => {
    const element = mount([
      { key: 'a', kind: 'failedJob', at: '', title: 'X failed', detail: 'd', by: '' },
    ]);
    expect(element.shadowRoot?.querySelector('time')?.textContent).toBe('time not reported');
  });

  it('explains an empty timeline', async () => {
    const element = mount([]);
    expect(element.shadowRoot?.querySelector('[data-id="no-changes"]')?.textContent).toContain(
      'No setup changes',
    );
    await expect(element).toBeAccessible();
  });
});
