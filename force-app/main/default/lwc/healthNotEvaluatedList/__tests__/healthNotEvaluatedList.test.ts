import { createElement } from 'lwc';
import HealthNotEvaluatedList from 'c/healthNotEvaluatedList';
import { notEvaluatedItems } from 'c/healthDashboardModel';
import { demoReport } from '../../healthDashboardModel/__tests__/demoReports';

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

function mount(items: unknown) {
  const element = createElement('c-health-not-evaluated-list', { is: HealthNotEvaluatedList });
  Object.assign(element, { items });
  document.body.appendChild(element);
  return element;
}

describe('c-health-not-evaluated-list', () => {
  it('lists each rule that could not run, its reason and the facts it needs', async () => {
    const items = notEvaluatedItems(demoReport('demo-broken-org'));
    const element = mount(items);
    const root = element.shadowRoot as ShadowRoot;
    expect((root.querySelector('lightning-card') as unknown as { title: string }).title).toBe(
      `Not evaluated (${items.length})`,
    );
    const entries = root.querySelectorAll('li[data-rule]');
    expect(entries).toHaveLength(items.length);
    // The demo's Cases dataset, whose current version could not be read.
    const sharing = root.querySelector('li[data-rule="AH028"]');
    expect(sharing?.textContent).toContain('Dataset Cases');
    expect(sharing?.textContent).toContain("could not read the dataset's current version");
    expect(sharing?.textContent).toContain('Facts it needs: analytics.datasets');
    await expect(element).toBeAccessible();
  });

  it('says every rule could run when the list is empty', async () => {
    const element = mount([]);
    expect(element.shadowRoot?.querySelector('[data-id="all-evaluated"]')).not.toBeNull();
    await expect(element).toBeAccessible();
  });
});
