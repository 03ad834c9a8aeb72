import { createElement } from 'lwc';
import HealthSystemUserCard from 'c/healthSystemUserCard';
import { systemUserCards } from 'c/healthDashboardModel';
import { demoReport, demoReportWith } from '../../healthDashboardModel/__tests__/demoReports';

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

function mount(card: unknown) {
  const element = createElement('c-health-system-user-card', { is: HealthSystemUserCard });
  Object.assign(element, { card });
  document.body.appendChild(element);
  return element;
}

describe('c-health-system-user-card', () => {
  const [integration, security] = systemUserCards(demoReport('demo-broken-org'));

  it('lists each property with the result of its check', async () => {
    const element = mount(security);
    const root = element.shadowRoot as ShadowRoot;
    expect((root.querySelector('lightning-card') as unknown as { title: string }).title).toBe(
      'Security User',
    );
    expect(root.querySelector('[data-id="username"]')?.textContent).toBe(
      'insightssecurity@00d5g000004xyzaeak.com',
    );
    const frozen = root.querySelector('[data-property="Not frozen"]');
    expect(frozen?.querySelector('.slds-badge')?.textContent).toBe('Failed');
    expect(frozen?.querySelector('.slds-badge')?.className).toContain('slds-theme_error');
    expect(frozen?.textContent).toContain('is frozen');
    const failed = security.items.filter((i) => i.status === 'FAIL').length;
    expect(root.querySelector('[data-id="card-summary"]')?.textContent).toBe(
      `${failed} failed checks`,
    );
    await expect(element).toBeAccessible();
  });

  it("shows the user's own profile facts as a description list", async () => {
    const element = mount(integration);
    const root = element.shadowRoot as ShadowRoot;
    const value = (key: string) => root.querySelector(`[data-fact="${key}"]`)?.textContent?.trim();
    expect(value('profile')).toBe('Analytics Cloud Integration User (Clone) · custom');
    expect(value('session')).toBe('High Assurance');
    expect(value('licence')).toBe('Analytics Cloud Integration User');
    expect(root.querySelectorAll('[data-id="user-facts"] dt')).toHaveLength(5);
    await expect(element).toBeAccessible();
  });

  it('leaves the facts out when the report does not carry them', () => {
    const element = mount({ ...security, facts: [] });
    expect((element.shadowRoot as ShadowRoot).querySelector('[data-id="user-facts"]')).toBeNull();
  });

  it('shows a passed check and a not-evaluated one differently', () => {
    // The demo knows whether API Access Control is on; a copy that does not leaves AH036 undecided.
    const [undecided] = systemUserCards(
      demoReportWith('demo-broken-org', (facts) => {
        facts.settings.apiAccessControlEnabled = null;
      }),
    );
    const element = mount(undecided);
    const root = element.shadowRoot as ShadowRoot;
    expect(root.querySelector('[data-property="Active"] .slds-badge')?.className).toContain(
      'slds-theme_success',
    );
    // A passed check shows its badge only; the others explain themselves.
    expect(root.querySelector('[data-property="Active"] p')).toBeNull();
    expect(root.querySelector('[data-property="API client access"] p')?.textContent).toContain(
      'apiAccessControlEnabled',
    );
    expect(root.querySelector('[data-property="API client access"] .slds-badge')?.textContent).toBe(
      'Not evaluated',
    );
  });

  it('shows whether the connected apps are approved for each system user', () => {
    const apps = (card: unknown) =>
      mount(card).shadowRoot?.querySelector('[data-property="Connected apps approved"]');
    expect(apps(integration)?.querySelector('.slds-badge')?.textContent).toBe('Passed');
    const security_ = apps(security);
    expect(security_?.querySelector('.slds-badge')?.textContent).toBe('Failed');
    expect(security_?.querySelector('p')?.textContent).toContain('Wave Web');
  });

  it('says when the system user is missing', async () => {
    const element = mount({
      key: 'Security User',
      role: 'Security User',
      username: '',
      userId: '',
      found: false,
      items: [
        {
          key: 'x',
          label: 'Security User exists',
          status: 'FAIL',
          statusLabel: 'Failed',
          detail: 'No Security User.',
        },
      ],
    });
    expect(element.shadowRoot?.querySelector('[data-id="username"]')?.textContent).toBe(
      'No Security User found in this org.',
    );
    expect(element.shadowRoot?.querySelector('[data-id="card-summary"]')?.textContent).toBe(
      '1 failed check',
    );
    await expect(element).toBeAccessible();
  });
});
