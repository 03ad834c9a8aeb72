import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createElement } from 'lwc';
import HealthWhatIf from 'c/healthWhatIf';
import getFacts from '@salesforce/apex/AnalyticsHealthMonitorController.getFacts';
import getCatalogRecords from '@salesforce/apex/AnalyticsHealthMonitorController.getCatalogRecords';
import {
  applyWhatIf,
  compareReports,
  compileCatalog,
  evaluate,
  validateOrgFacts,
} from 'c/healthEngine';
import { WHAT_IF_KINDS } from 'c/healthMonitorModel';
import { PROJECT_ROOT, loadCatalogRecords } from '../../../../../../scripts/cli/lib/catalogSource';

jest.mock(
  '@salesforce/apex/AnalyticsHealthMonitorController.getFacts',
  () => ({ default: jest.fn() }),
  { virtual: true },
);
jest.mock(
  '@salesforce/apex/AnalyticsHealthMonitorController.getCatalogRecords',
  () => ({ default: jest.fn() }),
  { virtual: true },
);

const getFactsMock = getFacts as unknown as jest.Mock;
const getCatalogMock = getCatalogRecords as unknown as jest.Mock;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

const factsJson = readFileSync(
  path.join(PROJECT_ROOT, 'scripts', 'cli', 'snapshots', 'demo-broken-org.json'),
  'utf8',
);
const records = loadCatalogRecords();
const CLONE = '00e5g000001IuClAAG';

function mount(): HTMLElement {
  const element = createElement('c-health-what-if', { is: HealthWhatIf });
  Object.assign(element, { dashboardFactsJson: '{"analytics":null,"collectionErrors":[]}' });
  document.body.appendChild(element);
  return element;
}

const $ = (element: HTMLElement, selector: string) =>
  element.shadowRoot?.querySelector(selector) as HTMLElement | null;
/** Inside the shared loading and error state the component renders. */
const stateOf = (element: HTMLElement, selector: string) =>
  element.shadowRoot?.querySelector('c-health-load-state')?.shadowRoot?.querySelector(selector) ??
  null;

function choose(element: HTMLElement, dataId: string, value: string): void {
  $(element, `[data-id="${dataId}"]`)?.dispatchEvent(
    new CustomEvent('change', { detail: { value } }),
  );
}

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe('c-health-what-if', () => {
  beforeEach(() => {
    getFactsMock.mockResolvedValue(factsJson);
    getCatalogMock.mockResolvedValue(JSON.stringify(records));
  });

  it('says nothing is written, passes the dashboard facts on, and offers the change kinds', async () => {
    const element = mount();
    await flush();
    expect($(element, '[data-id="nothing-written"]')?.textContent).toContain(
      'Nothing is written to the org',
    );
    expect(getFactsMock).toHaveBeenCalledWith({
      dashboardFactsJson: '{"analytics":null,"collectionErrors":[]}',
    });
    const kinds = (
      $(element, '[data-id="kind"]') as unknown as { options: { label: string; value: string }[] }
    ).options;
    expect(kinds).toHaveLength(WHAT_IF_KINDS.length);
    expect(kinds.map((k) => k.label)).toEqual(
      expect.arrayContaining([
        'Approve the connected apps for the system profiles',
        "Add the system users to a sandbox's access group",
      ]),
    );
    await expect(element).toBeAccessible();
  });

  it('a wider IP range on the clone profile shows what the engine says it resolves', async () => {
    const element = mount();
    await flush();
    choose(element, 'kind', 'addLoginIpRange');
    await flush();
    const profiles = (
      $(element, '[data-id="profile"]') as unknown as { options: { value: string }[] }
    ).options;
    expect(profiles.map((o) => o.value)).toContain(CLONE);
    choose(element, 'profile', CLONE);
    choose(element, 'start', '10.0.0.0');
    choose(element, 'end', '10.255.255.255');
    ($(element, '[data-id="add"]') as HTMLElement).click();
    await flush();

    const facts = validateOrgFacts(JSON.parse(factsJson));
    const catalog = compileCatalog(records);
    const before = evaluate(facts, catalog);
    const after = evaluate(
      applyWhatIf(facts, [
        { kind: 'addLoginIpRange', profileId: CLONE, start: '10.0.0.0', end: '10.255.255.255' },
      ]),
      catalog,
    );
    const diff = compareReports(before, after);
    const shown = [...(element.shadowRoot?.querySelectorAll('[data-id="resolved"] li') ?? [])].map(
      (li) => li.getAttribute('data-rule'),
    );
    expect(shown).toContain('AH030');
    expect(shown).toEqual(diff.resolved.map((f) => f.ruleId));
    expect($(element, '[data-id="whatif-score"]')?.textContent).toBe(
      `Score ${before.score} → ${after.score}`,
    );
    expect($(element, '[data-id="changes"]')?.textContent).toContain('10.0.0.0–10.255.255.255');
    await expect(element).toBeAccessible();

    ($(element, '[data-id="remove"]') as HTMLElement).click();
    await flush();
    expect($(element, '[data-id="outcome"]')).toBeNull();
  });

  it('approves the connected apps for the system profiles: AH037 resolved, as the engine says', async () => {
    const element = mount();
    await flush();
    choose(element, 'kind', 'approveConnectedApps');
    await flush();
    // Nothing to pick: the panel says which profiles the change is for.
    expect($(element, '[data-id="system-scope"]')?.textContent).toContain(
      'Analytics Cloud Integration User (Clone), Analytics Cloud Security User',
    );
    ($(element, '[data-id="add"]') as HTMLElement).click();
    await flush();
    const facts = validateOrgFacts(JSON.parse(factsJson));
    const catalog = compileCatalog(records);
    const changes = [CLONE, '00e5g000001SecuAAG'].map((principalId) => ({
      kind: 'approveConnectedApps' as const,
      principalId,
    }));
    const diff = compareReports(
      evaluate(facts, catalog),
      evaluate(applyWhatIf(facts, changes), catalog),
    );
    const shown = [...(element.shadowRoot?.querySelectorAll('[data-id="resolved"] li') ?? [])].map(
      (li) => li.getAttribute('data-rule'),
    );
    expect(shown).toContain('AH037');
    expect(shown).toEqual(diff.resolved.map((f) => f.ruleId));
    expect(element.shadowRoot?.querySelectorAll('[data-id="changes"] li')).toHaveLength(2);
    await expect(element).toBeAccessible();
  });

  it("adds the system users to a sandbox's access group: AH043 resolved", async () => {
    const element = mount();
    await flush();
    choose(element, 'kind', 'addSandboxMembers');
    await flush();
    ($(element, '[data-id="add"]') as HTMLElement).click();
    await flush();
    expect($(element, '[data-id="problem"]')?.textContent).toContain('Choose a sandbox');
    const sandboxes = (
      $(element, '[data-id="sandbox"]') as unknown as { options: { value: string }[] }
    ).options;
    expect(sandboxes.map((o) => o.value)).toEqual(['Dev', 'UAT']);
    choose(element, 'sandbox', 'UAT');
    ($(element, '[data-id="add"]') as HTMLElement).click();
    await flush();
    const shown = [...(element.shadowRoot?.querySelectorAll('[data-id="resolved"] li') ?? [])];
    expect(shown.map((li) => li.getAttribute('data-rule'))).toEqual(['AH043']);
    expect(shown[0].textContent).toContain('UAT');
    expect($(element, '[data-id="changes"]')?.textContent).toContain(
      'to the access group of the sandbox UAT',
    );
    await expect(element).toBeAccessible();
  });

  it('names what is missing and a change that does not fit the facts', async () => {
    const element = mount();
    await flush();
    ($(element, '[data-id="add"]') as HTMLElement).click();
    await flush();
    expect($(element, '[data-id="problem"]')?.textContent).toContain('Choose a change to try');
    choose(element, 'kind', 'addLoginIpRange');
    await flush();
    choose(element, 'profile', CLONE);
    choose(element, 'start', '10.0.0.300');
    choose(element, 'end', '10.0.0.1');
    ($(element, '[data-id="add"]') as HTMLElement).click();
    await flush();
    expect($(element, '[data-id="problem"]')?.textContent).toContain('not an IPv4 address');
    expect($(element, '[data-id="outcome"]')).toBeNull();
  });

  it('tries several changes together and starts over', async () => {
    const element = mount();
    await flush();
    choose(element, 'kind', 'setUserFrozen');
    await flush();
    const users = ($(element, '[data-id="user"]') as unknown as { options: { value: string }[] })
      .options;
    choose(element, 'user', users[0].value);
    ($(element, '[data-id="add"]') as HTMLElement).click();
    choose(element, 'kind', 'setSessionLevel');
    await flush();
    choose(element, 'profile', CLONE);
    choose(element, 'level', 'NONE');
    ($(element, '[data-id="add"]') as HTMLElement).click();
    await flush();
    expect(element.shadowRoot?.querySelectorAll('[data-id="changes"] li')).toHaveLength(2);
    ($(element, '[data-id="reset"]') as HTMLElement).click();
    await flush();
    expect($(element, '[data-id="changes"]')).toBeNull();
  });

  it('shows an error when the facts or the catalog cannot be read', async () => {
    getCatalogMock.mockRejectedValue({ body: { message: 'No access to the catalog' } });
    const element = mount();
    await flush();
    expect(stateOf(element, '[data-id="error"]')?.textContent).toContain(
      'No access to the catalog',
    );
    expect($(element, '[data-id="kind"]')).toBeNull();
    await expect(element).toBeAccessible();
  });
});
