import { createElement } from 'lwc';
import HealthFindingItem from 'c/healthFindingItem';
import { articleUrl, toRows } from 'c/healthDashboardModel';
import { demoReport } from '../../healthDashboardModel/__tests__/demoReports';

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

const rows = toRows(demoReport('demo-broken-org'));
const flush = () => Promise.resolve();

function mount(row: unknown) {
  const element = createElement('c-health-finding-item', { is: HealthFindingItem });
  Object.assign(element, { row });
  document.body.appendChild(element);
  return element;
}

describe('c-health-finding-item', () => {
  it('shows severity, status, rule, subject and message, closed at first', async () => {
    const row = rows.find((r) => r.ruleId === 'AH030' && r.status === 'FAIL');
    const element = mount(row);
    const root = element.shadowRoot as ShadowRoot;
    const toggle = root.querySelector('[data-id="toggle"]') as HTMLButtonElement;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.textContent).toContain('Critical');
    expect(toggle.textContent).toContain('Failed');
    expect(toggle.textContent).toContain('AH030');
    expect(toggle.textContent).toContain('Analytics Cloud Integration User (Clone)');
    expect((root.querySelector('[data-id="details"]') as HTMLElement).hidden).toBe(true);
    expect(root.querySelector('[data-id="help"]')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('opens to why it matters, the fix with its Setup page, evidence and the article', async () => {
    const row = rows.find((r) => r.ruleId === 'AH030' && r.status === 'FAIL');
    const element = mount(row);
    const handler = jest.fn();
    element.addEventListener('toggle', handler);
    const root = element.shadowRoot as ShadowRoot;
    (root.querySelector('[data-id="toggle"]') as HTMLButtonElement).click();
    await flush();
    expect(root.querySelector('[data-id="toggle"]')?.getAttribute('aria-expanded')).toBe('true');
    expect(root.querySelector('[data-id="help"]')?.textContent).toBe(row?.helpText);
    expect(root.querySelector('[data-id="setup-path"]')?.textContent).toBe(
      'Setup > Users > Profiles > Analytics Cloud Integration User (Clone) > Login IP Ranges',
    );
    expect(root.querySelector('[data-id="fix"]')?.textContent).toContain(row?.remediation);
    expect(JSON.parse(root.querySelector('[data-id="evidence"]')?.textContent ?? '')).toEqual({
      missing: ['10.128.0.0/9'],
    });
    const articles = [...root.querySelectorAll('[data-id="article"]')] as HTMLAnchorElement[];
    expect(articles.map((a) => a.href)).toEqual(
      (row?.sourceArticle ?? '').split(', ').map((a) => articleUrl(a)),
    );
    expect(articles[0].textContent).toMatch(/^Knowledge article \d+$/);
    expect(handler.mock.calls[0][0].detail).toEqual({ key: row?.key, expanded: true });
    await expect(element).toBeAccessible();
    (root.querySelector('[data-id="toggle"]') as HTMLButtonElement).click();
    await flush();
    expect(root.querySelector('[data-id="help"]')).toBeNull();
  });

  it('shows the reason of a NOT_EVALUATED finding', async () => {
    // The demo's Cases dataset: its current version could not be read.
    const row = rows.find((r) => r.ruleId === 'AH028' && r.status === 'NOT_EVALUATED');
    const element = mount(row);
    const root = element.shadowRoot as ShadowRoot;
    (root.querySelector('[data-id="toggle"]') as HTMLButtonElement).click();
    await flush();
    expect(root.querySelector('[data-id="reason"]')?.textContent).toContain(
      "could not read the dataset's current version",
    );
    expect(root.querySelector('[data-id="fix"]')).toBeNull();
    expect(root.querySelector('[data-id="evidence"]')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('names the kind of a new subject and what identifies it', async () => {
    const row = rows.find((r) => r.ruleId === 'AH043' && r.status === 'FAIL');
    const element = mount(row);
    const root = element.shadowRoot as ShadowRoot;
    expect(root.querySelector('[data-id="subject-kind"]')?.textContent).toBe('Sandbox');
    expect(root.querySelector('[data-id="subject-label"]')?.textContent).toBe('UAT');
    expect(root.querySelector('[data-id="subject-detail"]')?.textContent).toBe(
      'access group 00G5g000000UatGEAS',
    );
    // A subject with nothing more to say shows no empty detail.
    const user = mount(rows.find((r) => r.ruleId === 'AH005' && r.status === 'FAIL'));
    expect(user.shadowRoot?.querySelector('[data-id="subject-kind"]')?.textContent).toBe('User');
    expect(user.shadowRoot?.querySelector('[data-id="subject-detail"]')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('links article numbers and names other sources as text', async () => {
    const row = rows.find((r) => r.ruleId === 'AH043' && r.status === 'FAIL');
    const element = mount(row);
    const root = element.shadowRoot as ShadowRoot;
    (root.querySelector('[data-id="toggle"]') as HTMLButtonElement).click();
    await flush();
    const links = [...root.querySelectorAll('[data-id="article"]')] as HTMLAnchorElement[];
    expect(links.map((a) => a.href)).toEqual([articleUrl('002953328')]);
    expect(root.querySelector('[data-id="source"]')?.textContent).toBe('Tooling API SandboxInfo');
    await expect(element).toBeAccessible();
  });

  it('offers Acknowledge on an open failure only, and asks the page to open the dialog', async () => {
    const failing = rows.find((r) => r.ruleId === 'AH030' && r.status === 'FAIL');
    const element = mount(failing);
    const root = element.shadowRoot as ShadowRoot;
    const handler = jest.fn();
    document.body.addEventListener('acknowledge', handler);
    (root.querySelector('[data-id="toggle"]') as HTMLButtonElement).click();
    await flush();
    (root.querySelector('[data-id="acknowledge"]') as HTMLButtonElement).click();
    document.body.removeEventListener('acknowledge', handler);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0][0].detail).toEqual({
      ruleId: 'AH030',
      subjectType: failing?.subjectType,
      subjectId: failing?.subjectId,
      subjectLabel: failing?.subjectLabel,
      message: failing?.message,
    });

    const passing = mount(rows.find((r) => r.status === 'PASS'));
    const passRoot = passing.shadowRoot as ShadowRoot;
    (passRoot.querySelector('[data-id="toggle"]') as HTMLButtonElement).click();
    await flush();
    expect(passRoot.querySelector('[data-id="acknowledge"]')).toBeNull();
  });
});
