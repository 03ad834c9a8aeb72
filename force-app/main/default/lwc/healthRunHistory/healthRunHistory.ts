import { LightningElement, api } from 'lwc';
import getHistory from '@salesforce/apex/AnalyticsHealthMonitorController.getHistory';
import { errorMessage } from 'c/healthDashboardModel';
import {
  RUN_STATUS_LABELS,
  TRIGGER_LABELS,
  formatDateTime,
  historyChart,
  parseHistory,
  type HistoryChart,
  type RunSummary,
} from 'c/healthMonitorModel';

const MAX_RUNS = 30;

/**
 * Past runs: the score (line, 0–100) and the critical count (bars) over time, drawn
 * as SVG from the template, with the same numbers in a table for screen readers
 * (and for anyone who asks to see it).
 */
export default class HealthRunHistory extends LightningElement {
  loading = true;
  errorText = '';
  showTable = false;
  private runs: RunSummary[] = [];
  private chartData: HistoryChart | null = null;

  override connectedCallback(): void {
    this.load();
  }

  @api
  refresh(): void {
    this.load();
  }

  get hasError(): boolean {
    return Boolean(this.errorText);
  }

  get showEmpty(): boolean {
    return !this.loading && !this.errorText && this.runs.length === 0;
  }

  get hasRuns(): boolean {
    return !this.loading && !this.errorText && this.runs.length > 0;
  }

  get chart(): HistoryChart | null {
    return this.chartData;
  }

  get hasChart(): boolean {
    return this.chartData !== null;
  }

  get viewBox(): string {
    const c = this.chartData;
    return c ? `0 0 ${c.width} ${c.height}` : '';
  }

  get scoreAxisX(): number {
    return (this.chartData?.left ?? 0) - 6;
  }

  get criticalAxisX(): number {
    return (this.chartData?.right ?? 0) + 6;
  }

  get timeAxisY(): number {
    return (this.chartData?.bottom ?? 0) + 18;
  }

  get tableClass(): string {
    return this.showTable ? 'slds-m-top_small' : 'slds-assistive-text';
  }

  get tableToggleLabel(): string {
    return this.showTable ? 'Hide the table' : 'Show as a table';
  }

  get ariaTableShown(): string {
    return String(this.showTable);
  }

  get rows(): {
    key: string;
    at: string;
    trigger: string;
    status: string;
    score: string;
    critical: string;
    warning: string;
    acknowledged: string;
    newCritical: string;
    message: string;
  }[] {
    const n = (v: number | null) => (v === null ? '—' : String(v));
    return this.runs.map((r) => ({
      key: r.id,
      at: formatDateTime(r.evaluatedAt),
      trigger: TRIGGER_LABELS[r.trigger] ?? r.trigger,
      status: RUN_STATUS_LABELS[r.status] ?? r.status,
      score: n(r.score),
      critical: n(r.critical),
      warning: n(r.warning),
      acknowledged: n(r.acknowledged),
      newCritical: n(r.newCritical),
      message: r.message ?? '',
    }));
  }

  handleToggleTable(): void {
    this.showTable = !this.showTable;
  }

  private load(): void {
    this.loading = true;
    this.errorText = '';
    getHistory({ maxRuns: MAX_RUNS })
      .then((json) => {
        this.runs = parseHistory(json);
        this.chartData = historyChart(this.runs);
      })
      .catch((error: unknown) => {
        this.runs = [];
        this.chartData = null;
        this.errorText = errorMessage(error);
      })
      .finally(() => {
        this.loading = false;
      });
  }
}
