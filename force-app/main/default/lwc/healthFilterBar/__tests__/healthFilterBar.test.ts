import { createElement } from 'lwc';
import HealthFilterBar from 'c/healthFilterBar';
import { EMPTY_FILTERS, filterOptions, toRows } from 'c/healthDashboardModel';
import { demoReport } from '../../healthDashboardModel/__tests__/demoReports';

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

function mount() {
  const element = createElement('c-health-filter-bar', { is: HealthFilterBar });
  const options = filterOptions(toRows(demoReport('demo-broken-org')));
  Object.assign(element, {
    options,
    filters: { ...EMPTY_FILTERS, status: 'FAIL' },
    resultLabel: '21 of 69 findings',
  });
  const handler = jest.fn();
  element.addEventListener('filterchange', handler);
  document.body.appendChild(element);
  return { element, handler, options };
}

describe('c-health-filter-bar', () => {
  it('labels the search and the four filters and shows the current values', async () => {
    const { element, options } = mount();
    const root = element.shadowRoot as ShadowRoot;
    const search = root.querySelector('lightning-input') as unknown as {
      label: string;
      type: string;
    };
    expect(search.label).toBe('Search findings');
    expect(search.type).toBe('search');
    const combos = [...root.querySelectorAll('lightning-combobox')] as unknown as {
      label: string;
      value: string;
      options: unknown[];
    }[];
    expect(combos.map((c) => c.label)).toEqual(['Severity', 'Status', 'Category', 'Subject']);
    expect(combos[1].value).toBe('FAIL');
    expect(combos[2].options).toEqual(options.category);
    // The subject filter offers the catalog v1.1 kinds by name.
    const subjects = (combos[3].options as { label: string; value: string }[]).map((o) => o.label);
    expect(subjects).toEqual(
      expect.arrayContaining([
        'Connected apps',
        'Security predicate fields',
        'Datasets',
        'Sandboxes',
      ]),
    );
    expect(root.querySelector('[data-id="result-count"]')?.textContent).toBe('21 of 69 findings');
    await expect(element).toBeAccessible();
  });

  it('fires filterchange with every filter when one changes', () => {
    const { element, handler } = mount();
    const root = element.shadowRoot as ShadowRoot;
    root
      .querySelector('lightning-combobox[data-filter="severity"]')
      ?.dispatchEvent(new CustomEvent('change', { detail: { value: 'CRITICAL' } }));
    expect(handler.mock.calls[0][0].detail).toEqual({
      ...EMPTY_FILTERS,
      status: 'FAIL',
      severity: 'CRITICAL',
    });
    root
      .querySelector('lightning-input')
      ?.dispatchEvent(new CustomEvent('change', { detail: { value: 'frozen' } }));
    expect(handler.mock.calls[1][0].detail).toEqual({
      ...EMPTY_FILTERS,
      status: 'FAIL',
      search: 'frozen',
    });
  });

  it('chooses a new subject kind', () => {
    const { element, handler } = mount();
    element.shadowRoot
      ?.querySelector('lightning-combobox[data-filter="subjectType"]')
      ?.dispatchEvent(new CustomEvent('change', { detail: { value: 'sandbox' } }));
    expect(handler.mock.calls[0][0].detail).toEqual({
      ...EMPTY_FILTERS,
      status: 'FAIL',
      subjectType: 'sandbox',
    });
  });

  it('clears every filter', () => {
    const { element, handler } = mount();
    (element.shadowRoot?.querySelector('[data-id="clear-filters"]') as HTMLElement).click();
    expect(handler.mock.calls[0][0].detail).toEqual(EMPTY_FILTERS);
  });
});
