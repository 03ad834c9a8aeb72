import { createElement } from 'lwc';
import HealthLoadState from 'c/healthLoadState';

type StateElement = HTMLElement & {
  loading: boolean;
  loadingText: string;
  errorText: string;
  errorTitle: string;
};

function mount(props: Partial<StateElement>): StateElement {
  const element = createElement('c-health-load-state', { is: HealthLoadState }) as StateElement;
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

const $ = (element: HTMLElement, selector: string) =>
  element.shadowRoot?.querySelector(selector) ?? null;

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

describe('c-health-load-state', () => {
  it('shows a spinner with its text while loading, and no error', async () => {
    const element = mount({ loading: true, loadingText: 'Loading the run history' });
    const spinner = $(element, '[data-id="loading"] lightning-spinner') as unknown as {
      alternativeText: string;
    };
    expect(spinner.alternativeText).toBe('Loading the run history');
    expect($(element, '[data-id="error"]')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows the error as an alert naming what could not be read', async () => {
    const element = mount({
      errorText: 'No permission.',
      errorTitle: 'The run history could not be read',
    });
    const alert = $(element, '[data-id="error"]');
    expect(alert?.getAttribute('role')).toBe('alert');
    expect(alert?.textContent).toBe('The run history could not be read: No permission.');
    expect($(element, '[data-id="loading"]')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows nothing when loaded without an error, and follows changes', async () => {
    const element = mount({ loading: true });
    element.loading = false;
    await Promise.resolve();
    expect($(element, '[data-id]')).toBeNull();
    element.errorText = 'Timed out';
    await Promise.resolve();
    expect($(element, '[data-id="error"]')?.textContent).toContain('Timed out');
  });
});
