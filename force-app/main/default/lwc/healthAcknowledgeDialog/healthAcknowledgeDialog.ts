import { LightningElement, api } from 'lwc';
import acknowledge from '@salesforce/apex/AnalyticsHealthMonitorController.acknowledge';
import { errorMessage } from 'c/healthDashboardModel';
import { expiryFromDate, parseAcknowledgementRecords } from 'c/healthMonitorModel';

/** The failing finding being acknowledged. */
export interface AcknowledgeTarget {
  ruleId: string;
  subjectType: string;
  subjectId: string;
  subjectLabel: string;
  message: string;
}

/**
 * A modal dialog (SLDS markup) asking why a failing finding is accepted and until
 * when. Focus stays inside while it is open; Escape or Cancel closes it. Saving
 * calls the controller; its error is shown in the dialog, the dialog stays open.
 */
export default class HealthAcknowledgeDialog extends LightningElement {
  @api target: AcknowledgeTarget | null = null;

  reason = '';
  expiryDate = '';
  reasonError = '';
  expiryError = '';
  saveError = '';
  saving = false;
  private initialFocusDone = false;

  /** Where focus was when the dialog opened (the Acknowledge button); it goes back there. */
  private opener: HTMLElement | null = null;

  override connectedCallback(): void {
    let active = document.activeElement as HTMLElement | null;
    while (active?.shadowRoot?.activeElement) {
      active = active.shadowRoot.activeElement as HTMLElement;
    }
    this.opener = active;
  }

  override disconnectedCallback(): void {
    if (this.opener?.isConnected) this.opener.focus();
    this.opener = null;
  }

  override renderedCallback(): void {
    if (!this.initialFocusDone) {
      this.initialFocusDone = true;
      this.firstField()?.focus();
    }
  }

  get heading(): string {
    return `Acknowledge ${this.target?.ruleId ?? ''}`;
  }

  get subjectLabel(): string {
    return this.target?.subjectLabel ?? '';
  }

  get message(): string {
    return this.target?.message ?? '';
  }

  get reasonInvalid(): string {
    return String(Boolean(this.reasonError));
  }

  get expiryInvalid(): string {
    return String(Boolean(this.expiryError));
  }

  get hasReasonError(): boolean {
    return Boolean(this.reasonError);
  }

  get hasExpiryError(): boolean {
    return Boolean(this.expiryError);
  }

  get hasSaveError(): boolean {
    return Boolean(this.saveError);
  }

  get saveLabel(): string {
    return this.saving ? 'Saving…' : 'Acknowledge';
  }

  get today(): string {
    return new Date().toISOString().slice(0, 10);
  }

  handleReason(event: Event): void {
    this.reason = (event.target as HTMLTextAreaElement).value;
    if (this.reason.trim()) this.reasonError = '';
  }

  handleExpiry(event: Event): void {
    this.expiryDate = (event.target as HTMLInputElement).value;
    this.expiryError = '';
  }

  handleKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.stopPropagation();
      this.handleCancel();
    }
  }

  /** The sentinels before and after the dialog send focus back inside it. */
  handleFocusStart(): void {
    this.lastButton()?.focus();
  }

  handleFocusEnd(): void {
    this.firstField()?.focus();
  }

  handleCancel(): void {
    if (this.saving) return;
    this.dispatchEvent(new CustomEvent('close'));
  }

  handleSave(): void {
    if (this.saving || !this.target) return;
    this.reasonError = this.reason.trim() ? '' : 'Say why this failure is accepted.';
    this.expiryError =
      this.expiryDate && this.expiryDate < this.today ? 'Choose today or a later date.' : '';
    if (this.reasonError || this.expiryError) {
      (this.reasonError ? this.firstField() : this.expiryField())?.focus();
      return;
    }
    this.saving = true;
    this.saveError = '';
    const { ruleId, subjectType, subjectId } = this.target;
    acknowledge({
      acknowledgementJson: JSON.stringify({
        ruleId,
        subjectType,
        subjectId,
        reason: this.reason.trim(),
        expiresAt: expiryFromDate(this.expiryDate),
      }),
    })
      .then((json) => {
        const [stored] = parseAcknowledgementRecords(`[${String(json)}]`);
        this.dispatchEvent(new CustomEvent('acknowledged', { detail: stored }));
      })
      .catch((error: unknown) => {
        this.saveError = errorMessage(error);
      })
      .finally(() => {
        this.saving = false;
      });
  }

  private firstField(): HTMLElement | null | undefined {
    return this.template?.querySelector('[data-id="reason"]');
  }

  private expiryField(): HTMLElement | null | undefined {
    return this.template?.querySelector('[data-id="expiry"]');
  }

  private lastButton(): HTMLElement | null | undefined {
    return this.template?.querySelector('[data-id="save"]');
  }
}
