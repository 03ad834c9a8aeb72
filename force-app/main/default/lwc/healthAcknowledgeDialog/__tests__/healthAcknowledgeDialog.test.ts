import { createElement } from 'lwc';
import HealthAcknowledgeDialog from 'c/healthAcknowledgeDialog';
import acknowledge from '@salesforce/apex/AnalyticsHealthMonitorController.acknowledge';

jest.mock(
  '@salesforce/apex/AnalyticsHealthMonitorController.acknowledge',
  () => ({ default: jest.fn() }),
  { virtual: true },
);

const acknowledgeMock = acknowledge as unknown as jest.Mock;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const target = {
  ruleId: 'AH030',
  subjectType: 'profile',
  subjectId: '00e5g000001IuClAAG',
  subjectLabel: 'Analytics Cloud Integration User (Clone)',
  message: 'Login IP ranges leave out Salesforce addresses.',
};

function mount(): HTMLElement {
  const element = createElement('c-health-acknowledge-dialog', { is: HealthAcknowledgeDialog });
  Object.assign(element, { target });
  document.body.appendChild(element);
  return element;
}

const $ = (element: HTMLElement, selector: string) =>
  element.shadowRoot?.querySelector(selector) as HTMLElement | null;

function type(element: HTMLElement, selector: string, value: string, event = 'input'): void {
  const field = $(element, selector) as HTMLInputElement;
  field.value = value;
  field.dispatchEvent(new CustomEvent(event));
}

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
});

describe('c-health-acknowledge-dialog', () => {
  it('is a labelled modal dialog about the finding, with focus on the reason', async () => {
    const element = mount();
    await flush();
    const dialog = $(element, '[data-id="dialog"]');
    expect(dialog?.getAttribute('role')).toBe('dialog');
    expect(dialog?.getAttribute('aria-modal')).toBe('true');
    expect($(element, 'h2')?.textContent).toBe('Acknowledge AH030');
    expect($(element, '[data-id="finding"]')?.textContent).toContain(target.subjectLabel);
    expect(element.shadowRoot?.activeElement).toBe($(element, '[data-id="reason"]'));
    await expect(element).toBeAccessible();
  });

  it('will not save without a reason, nor with an expiry in the past', async () => {
    const element = mount();
    await flush();
    $(element, '[data-id="save"]')?.click();
    await flush();
    expect($(element, '[data-id="reason-error"]')?.textContent).toContain('Say why');
    expect($(element, '[data-id="reason"]')?.getAttribute('aria-invalid')).toBe('true');
    type(element, '[data-id="reason"]', 'Replaced next sprint');
    type(element, '[data-id="expiry"]', '2000-01-01', 'change');
    $(element, '[data-id="save"]')?.click();
    await flush();
    expect($(element, '[data-id="reason-error"]')?.textContent).toBe('');
    expect($(element, '[data-id="expiry-error"]')?.textContent).toContain('today or a later date');
    expect(acknowledgeMock).not.toHaveBeenCalled();
  });

  it('saves the reason and expiry through the controller and reports the stored record', async () => {
    const stored = {
      id: 'a01',
      ...target,
      reason: 'Replaced next sprint',
      acknowledgedBy: 'Ada Admin',
      acknowledgedAt: '2026-11-23T08:00:00.000Z',
      expiresAt: '2099-12-31T23:59:59.000Z',
      active: true,
    };
    acknowledgeMock.mockResolvedValue(JSON.stringify(stored));
    const element = mount();
    const handler = jest.fn();
    element.addEventListener('acknowledged', handler);
    await flush();
    type(element, '[data-id="reason"]', '  Replaced next sprint ');
    type(element, '[data-id="expiry"]', '2099-12-31', 'change');
    $(element, '[data-id="save"]')?.click();
    await flush();
    await flush();
    expect(JSON.parse(acknowledgeMock.mock.calls[0][0].acknowledgementJson)).toEqual({
      ruleId: 'AH030',
      subjectType: 'profile',
      subjectId: target.subjectId,
      reason: 'Replaced next sprint',
      expiresAt: '2099-12-31T23:59:59.000Z',
    });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0][0].detail).toMatchObject({
      id: 'a01',
      acknowledgedBy: 'Ada Admin',
    });
  });

  it('shows the controller error and stays open', async () => {
    acknowledgeMock.mockRejectedValue({ body: { message: 'Reason is required.' } });
    const element = mount();
    const handler = jest.fn();
    element.addEventListener('acknowledged', handler);
    await flush();
    type(element, '[data-id="reason"]', 'x');
    $(element, '[data-id="save"]')?.click();
    await flush();
    await flush();
    expect($(element, '[data-id="save-error"]')?.textContent).toContain('Reason is required.');
    expect(handler).not.toHaveBeenCalled();
    await expect(element).toBeAccessible();
  });

  it('closes on Escape and on Cancel, and keeps focus inside with Tab', async () => {
    const element = mount();
    const close = jest.fn();
    element.addEventListener('close', close);
    await flush();
    $(element, '[data-id="dialog"]')?.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }),
    );
    $(element, '[data-id="cancel"]')?.click();
    expect(close).toHaveBeenCalledTimes(2);
    $(element, '[data-id="sentinel-start"]')?.dispatchEvent(new FocusEvent('focus'));
    expect(element.shadowRoot?.activeElement).toBe($(element, '[data-id="save"]'));
    $(element, '[data-id="sentinel-end"]')?.dispatchEvent(new FocusEvent('focus'));
    expect(element.shadowRoot?.activeElement).toBe($(element, '[data-id="reason"]'));
  });

  it('gives focus back to what had it when the dialog opened', async () => {
    const opener = document.createElement('button');
    document.body.appendChild(opener);
    opener.focus();
    const element = mount();
    await flush();
    expect(document.activeElement).toBe(element);
    document.body.removeChild(element);
    expect(document.activeElement).toBe(opener);
  });
});
