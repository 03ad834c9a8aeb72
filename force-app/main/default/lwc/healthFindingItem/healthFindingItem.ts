import { LightningElement, api } from 'lwc';
import { SEVERITY_LABELS, STATUS_LABELS, type FindingRow } from 'c/healthDashboardModel';

const SEVERITY_CLASS = {
  CRITICAL: 'slds-badge slds-theme_error',
  WARNING: 'slds-badge slds-theme_warning',
  INFO: 'slds-badge slds-theme_info',
} as const;

const STATUS_CLASS = {
  FAIL: 'slds-badge slds-badge_inverse',
  ERROR: 'slds-badge slds-theme_error',
  NOT_EVALUATED: 'slds-badge slds-badge_lightest',
  PASS: 'slds-badge slds-theme_success',
} as const;

/** One finding: a one-line summary that opens to the why, the fix, the evidence and the source. */
export default class HealthFindingItem extends LightningElement {
  @api row: FindingRow | null = null;
  expanded = false;

  get severityLabel(): string {
    return this.row ? SEVERITY_LABELS[this.row.severity] : '';
  }

  get severityClass(): string {
    return this.row ? SEVERITY_CLASS[this.row.severity] : '';
  }

  get statusLabel(): string {
    return this.row ? STATUS_LABELS[this.row.status] : '';
  }

  get statusClass(): string {
    return this.row ? STATUS_CLASS[this.row.status] : '';
  }

  get ariaExpanded(): string {
    return String(this.expanded);
  }

  get collapsed(): boolean {
    return !this.expanded;
  }

  get chevronClass(): string {
    return this.expanded ? 'finding__chevron finding__chevron_open' : 'finding__chevron';
  }

  get hasSubjectDetail(): boolean {
    return Boolean(this.row?.subjectDetail);
  }

  get hasHelp(): boolean {
    return Boolean(this.row?.helpText);
  }

  get hasFix(): boolean {
    return Boolean(this.row?.remediation);
  }

  get hasSetupPath(): boolean {
    return Boolean(this.row?.setupPath);
  }

  get hasReason(): boolean {
    return Boolean(this.row?.reason);
  }

  get hasEvidence(): boolean {
    return Boolean(this.row?.evidenceText);
  }

  get hasArticle(): boolean {
    return (this.row?.articles.length ?? 0) > 0;
  }

  /** A failure can be accepted for now, with a reason; the page opens the dialog. */
  get canAcknowledge(): boolean {
    return this.row?.status === 'FAIL';
  }

  handleAcknowledge(): void {
    const row = this.row;
    if (!row) return;
    this.dispatchEvent(
      new CustomEvent('acknowledge', {
        bubbles: true,
        composed: true,
        detail: {
          ruleId: row.ruleId,
          subjectType: row.subjectType,
          subjectId: row.subjectId || row.subjectLabel,
          subjectLabel: row.subjectLabel,
          message: row.message,
        },
      }),
    );
  }

  handleToggle(): void {
    this.expanded = !this.expanded;
    this.dispatchEvent(
      new CustomEvent('toggle', { detail: { key: this.row?.key, expanded: this.expanded } }),
    );
  }
}
