import { LightningElement, api } from 'lwc';
import getLatestComparison from '@salesforce/apex/AnalyticsHealthMonitorController.getLatestComparison';
import { errorMessage } from 'c/healthDashboardModel';
import {
  COMPARISON_GROUPS,
  findingLines,
  parseComparison,
  type FindingLine,
  type RunComparison,
} from 'c/healthMonitorModel';

/** Since the last run: new failures, resolved, still failing and no longer known findings. */
export default class HealthRunDiff extends LightningElement {
  loading = true;
  errorText = '';
  private comparison: RunComparison | null = null;

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

  /** Fewer than two complete runs: nothing to compare yet. */
  get showEmpty(): boolean {
    return !this.loading && !this.errorText && !this.comparison?.previousRunId;
  }

  get hasComparison(): boolean {
    return !this.loading && !this.errorText && Boolean(this.comparison?.previousRunId);
  }

  get groups(): {
    key: string;
    heading: string;
    count: number;
    lines: FindingLine[];
    isEmpty: boolean;
  }[] {
    const c = this.comparison;
    if (!c) return [];
    return COMPARISON_GROUPS.map(({ key, label }) => {
      const lines = findingLines(c[key], key);
      return {
        key,
        heading: `${label} (${lines.length})`,
        count: lines.length,
        lines,
        isEmpty: lines.length === 0,
      };
    });
  }

  private load(): void {
    this.loading = true;
    this.errorText = '';
    getLatestComparison()
      .then((json) => {
        this.comparison = parseComparison(json);
      })
      .catch((error: unknown) => {
        this.comparison = null;
        this.errorText = errorMessage(error);
      })
      .finally(() => {
        this.loading = false;
      });
  }
}
