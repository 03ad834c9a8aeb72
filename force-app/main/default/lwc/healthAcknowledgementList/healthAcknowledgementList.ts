import { LightningElement, api } from 'lwc';
import getAcknowledgements from '@salesforce/apex/AnalyticsHealthMonitorController.getAcknowledgements';
import withdrawAcknowledgement from '@salesforce/apex/AnalyticsHealthMonitorController.withdrawAcknowledgement';
import { findingKey, type AcknowledgedFinding, type Report } from 'c/healthEngine';
import { errorMessage } from 'c/healthDashboardModel';
import {
  formatDateTime,
  parseAcknowledgementRecords,
  type AcknowledgementRecord,
} from 'c/healthMonitorModel';

interface AcknowledgementItem {
  id: string;
  title: string;
  subject: string;
  message: string;
  reason: string;
  by: string;
  at: string;
  until: string;
  state: string;
  withdrawLabel: string;
}

/**
 * Acknowledged findings, apart from the others: who acknowledged each, when, why and
 * until when, with "Withdraw". Current ones come first; expired and withdrawn ones
 * stay listed below for the audit trail.
 */
export default class HealthAcknowledgementList extends LightningElement {
  /** The latest report, to name each acknowledged finding's subject and message. */
  @api report: Report | null = null;

  loading = true;
  errorText = '';
  withdrawError = '';
  withdrawingId = '';
  private records: AcknowledgementRecord[] = [];

  override connectedCallback(): void {
    this.load();
  }

  /** Reads the acknowledgements again (after one was added or withdrawn elsewhere). */
  @api
  refresh(): void {
    this.load();
  }

  get hasError(): boolean {
    return Boolean(this.errorText);
  }

  get hasWithdrawError(): boolean {
    return Boolean(this.withdrawError);
  }

  get current(): AcknowledgementItem[] {
    return this.items(true);
  }

  get past(): AcknowledgementItem[] {
    return this.items(false);
  }

  get showEmpty(): boolean {
    return !this.loading && !this.errorText && this.records.length === 0;
  }

  get hasCurrent(): boolean {
    return this.current.length > 0;
  }

  get hasPast(): boolean {
    return this.past.length > 0;
  }

  get showLists(): boolean {
    return !this.loading && !this.errorText && this.records.length > 0;
  }

  handleWithdraw(event: Event): void {
    const id = (event.currentTarget as HTMLElement).dataset.ackId ?? '';
    if (!id || this.withdrawingId) return;
    this.withdrawingId = id;
    this.withdrawError = '';
    withdrawAcknowledgement({ acknowledgementId: id })
      .then(() => {
        this.dispatchEvent(new CustomEvent('withdrawn', { detail: { id } }));
        this.load();
      })
      .catch((error: unknown) => {
        this.withdrawError = errorMessage(error);
      })
      .finally(() => {
        this.withdrawingId = '';
      });
  }

  private load(): void {
    this.loading = true;
    this.errorText = '';
    getAcknowledgements()
      .then((json) => {
        this.records = parseAcknowledgementRecords(json);
      })
      .catch((error: unknown) => {
        this.records = [];
        this.errorText = errorMessage(error);
      })
      .finally(() => {
        this.loading = false;
      });
  }

  private items(current: boolean): AcknowledgementItem[] {
    const now = Date.now();
    const findings = new Map<string, AcknowledgedFinding>();
    for (const f of this.report?.findings ?? []) findings.set(findingKey(f), f);
    return this.records
      .filter((r) => isCurrent(r, now) === current)
      .map((r) => {
        const finding = findings.get(
          findingKey({
            ruleId: r.ruleId,
            subject: { type: r.subjectType, id: r.subjectId, label: '' },
          }),
        );
        const state = !r.active ? 'Withdrawn' : isCurrent(r, now) ? 'Active' : 'Expired';
        return {
          id: r.id,
          title: r.ruleId,
          subject: finding?.subject.label ?? `${r.subjectType} ${r.subjectId}`,
          message: finding?.message ?? '',
          reason: r.reason,
          by: r.acknowledgedBy,
          at: formatDateTime(r.acknowledgedAt),
          until: r.expiresAt ? formatDateTime(r.expiresAt) : 'Until withdrawn',
          state,
          withdrawLabel: `Withdraw the acknowledgement of ${r.ruleId} for ${finding?.subject.label ?? r.subjectId}`,
        };
      });
  }
}

function isCurrent(r: AcknowledgementRecord, now: number): boolean {
  return r.active && (r.expiresAt === null || Date.parse(r.expiresAt) > now);
}
