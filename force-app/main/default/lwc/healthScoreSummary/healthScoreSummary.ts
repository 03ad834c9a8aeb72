import { LightningElement, api } from 'lwc';
import type { Report } from 'c/healthEngine';
import { healthStatus } from 'c/healthDashboardModel';

const STATUS_THEME = {
  critical: 'slds-badge slds-theme_error',
  warning: 'slds-badge slds-theme_warning',
  healthy: 'slds-badge slds-theme_success',
} as const;

/** Score, status, counts by severity and the time of the run. */
export default class HealthScoreSummary extends LightningElement {
  @api report: Report | null = null;

  get hasReport(): boolean {
    return this.report !== null && this.report !== undefined;
  }

  get score(): number {
    return this.report?.score ?? 0;
  }

  get scoreLabel(): string {
    return `Score ${this.score} out of 100`;
  }

  get statusLabel(): string {
    return this.report ? healthStatus(this.report).label : '';
  }

  get statusClass(): string {
    return this.report ? STATUS_THEME[healthStatus(this.report).status] : '';
  }

  get orgName(): string {
    const org = this.report?.org;
    return org ? `${org.name ?? 'Org'} (${org.id})` : '';
  }

  get lastRun(): string {
    const at = this.report?.evaluatedAt;
    if (!at) return '';
    const date = new Date(at);
    return Number.isNaN(date.getTime()) ? at : date.toLocaleString();
  }

  get counts(): { key: string; label: string; value: number; className: string }[] {
    const s = this.report?.summary;
    if (!s) return [];
    const cell = 'slds-col slds-size_1-of-3 slds-medium-size_1-of-6 slds-p-around_x-small';
    return [
      {
        key: 'critical',
        label: 'Critical',
        value: s.critical,
        className: `${cell} count count_critical`,
      },
      {
        key: 'warning',
        label: 'Warning',
        value: s.warning,
        className: `${cell} count count_warning`,
      },
      { key: 'info', label: 'Info', value: s.info, className: `${cell} count` },
      { key: 'passed', label: 'Passed', value: s.passed, className: `${cell} count` },
      {
        key: 'notEvaluated',
        label: 'Not evaluated',
        value: s.notEvaluated,
        className: `${cell} count`,
      },
      { key: 'errors', label: 'Errors', value: s.errors, className: `${cell} count` },
    ];
  }
}
