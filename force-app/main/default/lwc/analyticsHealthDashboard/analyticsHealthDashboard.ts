import { LightningElement, wire } from 'lwc';
import runCheck from '@salesforce/apex/AnalyticsHealthController.runCheck';
import getCatalog from '@salesforce/apex/AnalyticsHealthController.getCatalog';
import {
  getDataConnectors,
  getDataflowJobs,
  getReplicatedDatasets,
} from 'lightning/analyticsWaveApi';
import type { AcknowledgedFinding, Report } from 'c/healthEngine';
import type { AcknowledgeTarget } from 'c/healthAcknowledgeDialog';
import { collectAnalyticsFacts, type DashboardFacts, type WireResult } from 'c/analyticsFacts';
import {
  EMPTY_FILTERS,
  errorMessage,
  filterOptions,
  filterRows,
  notEvaluatedItems,
  parseReport,
  systemUserCards,
  timeline,
  toRows,
  type CollectedJob,
  type FilterOptions,
  type Filters,
  type FindingRow,
  type NotEvaluatedItem,
  type SystemUserCard,
  type TimelineEntry,
} from 'c/healthDashboardModel';

const PERMISSION_SET_LABEL = 'Analytics Health Admin';

/**
 * The Analytics Health tab. Reads what CRM Analytics lets the admin see in the
 * browser, asks the controller to run the check, and lays out the report.
 * The page never makes up a result: an Apex error is shown as that error.
 */
export default class AnalyticsHealthDashboard extends LightningElement {
  report: Report | null = null;
  running = false;
  progress = '';
  announcement = '';
  errorText = '';
  catalogError = '';
  ruleCount: number | null = null;
  filters: Filters = { ...EMPTY_FILTERS };
  /** The failing finding the acknowledgement dialog is open for. */
  acknowledgeTarget: AcknowledgeTarget | null = null;
  acknowledgedCount = 0;

  private rows: FindingRow[] = [];
  private filtered: FindingRow[] = [];
  private options: FilterOptions | null = null;
  private cards: SystemUserCard[] = [];
  private notEvaluated: NotEvaluatedItem[] = [];
  private changes: TimelineEntry[] = [];
  private facts: DashboardFacts | null = null;
  private wires: { connectors?: WireResult; jobs?: WireResult; replicatedDatasets?: WireResult } =
    {};

  @wire(getDataConnectors, {})
  wiredConnectors(result: unknown): void {
    this.wires = { ...this.wires, connectors: result as WireResult };
  }

  @wire(getDataflowJobs, {})
  wiredJobs(result: unknown): void {
    this.wires = { ...this.wires, jobs: result as WireResult };
  }

  @wire(getReplicatedDatasets, {})
  wiredReplicatedDatasets(result: unknown): void {
    this.wires = { ...this.wires, replicatedDatasets: result as WireResult };
  }

  override connectedCallback(): void {
    getCatalog()
      .then((json) => {
        const rules = JSON.parse(String(json)) as unknown[];
        this.ruleCount = Array.isArray(rules) ? rules.length : null;
      })
      .catch((error: unknown) => {
        this.catalogError = errorMessage(error);
      });
  }

  // ---- State shown by the template ----

  get hasReport(): boolean {
    return this.report !== null;
  }

  get showEmpty(): boolean {
    return !this.report && !this.running && !this.errorText;
  }

  get hasError(): boolean {
    return Boolean(this.errorText);
  }

  get hasCatalogError(): boolean {
    return Boolean(this.catalogError) && !this.errorText;
  }

  get errorHint(): string {
    return advice(this.errorText);
  }

  get catalogHint(): string {
    return advice(this.catalogError);
  }

  get emptyText(): string {
    const rules = this.ruleCount === null ? 'The rule catalog' : `${this.ruleCount} active rules`;
    return `${rules} will check the Integration User, the Security User, their profiles and what analytics reads. Click Run check to see what would make jobs fail.`;
  }

  get runLabel(): string {
    return this.running ? 'Running…' : 'Run check';
  }

  get filteredRows(): FindingRow[] {
    return this.filtered;
  }

  get filterOpts(): FilterOptions | null {
    return this.options;
  }

  get userCards(): SystemUserCard[] {
    return this.cards;
  }

  get notEvaluatedList(): NotEvaluatedItem[] {
    return this.notEvaluated;
  }

  get changeEntries(): TimelineEntry[] {
    return this.changes;
  }

  get resultLabel(): string {
    return `${this.filtered.length} of ${this.rows.length} findings`;
  }

  /** Set by Apex when the check ran but its run (history, acknowledgements, alerts) was not stored. */
  get runNotStored(): string {
    const note = (this.report as { runNotStored?: unknown } | null)?.runNotStored;
    return typeof note === 'string' ? note : '';
  }

  get collectionNotes(): { key: string; text: string }[] {
    return (this.facts?.collectionErrors ?? []).map((e, i) => ({
      key: `${i}`,
      text: `${e.fact}: ${e.message}`,
    }));
  }

  get hasCollectionNotes(): boolean {
    return this.collectionNotes.length > 0;
  }

  get acknowledgedTabLabel(): string {
    return this.acknowledgedCount > 0 ? `Acknowledged (${this.acknowledgedCount})` : 'Acknowledged';
  }

  get showAcknowledgeDialog(): boolean {
    return this.acknowledgeTarget !== null;
  }

  /** What the what-if passes to the facts collector: the last run's, or what the wires hold now. */
  get whatIfFactsJson(): string {
    return JSON.stringify(this.facts ?? collectAnalyticsFacts(this.wires));
  }

  // ---- Actions ----

  handleRun(): void {
    if (this.running) return;
    this.running = true;
    this.errorText = '';
    this.progress = 'Reading CRM Analytics connections and jobs…';
    this.announcement = this.progress;
    const facts = collectAnalyticsFacts(this.wires);
    this.facts = facts;
    this.progress = 'Running the rules on the Integration User and Security User…';
    this.announcement = this.progress;
    runCheck({ dashboardFactsJson: JSON.stringify(facts) })
      .then((json) => {
        this.show(parseReport(json));
        const s = this.report?.summary;
        this.announcement = `Check finished. Score ${this.report?.score} out of 100, ${s?.critical} critical, ${s?.warning} warning.`;
      })
      .catch((error: unknown) => {
        this.errorText = errorMessage(error);
        this.announcement = `The check failed: ${this.errorText}`;
      })
      .finally(() => {
        this.running = false;
        this.progress = '';
      });
  }

  handleFilterChange(event: CustomEvent<Filters>): void {
    this.filters = { ...event.detail };
    this.filtered = filterRows(this.rows, this.filters);
  }

  handleClearFilters(): void {
    this.filters = { ...EMPTY_FILTERS };
    this.filtered = this.rows;
  }

  handleAcknowledge(event: CustomEvent<AcknowledgeTarget>): void {
    this.acknowledgeTarget = { ...event.detail };
  }

  handleDialogClose(): void {
    this.acknowledgeTarget = null;
  }

  /** The controller's report applies acknowledgements, so the check runs again to show it. */
  handleAcknowledged(): void {
    const ruleId = this.acknowledgeTarget?.ruleId ?? '';
    this.acknowledgeTarget = null;
    this.announcement = `${ruleId} acknowledged. Running the check again.`;
    this.refreshMonitoring();
    this.handleRun();
  }

  handleWithdrawn(): void {
    this.announcement = 'Acknowledgement withdrawn. Running the check again.';
    this.refreshMonitoring();
    this.handleRun();
  }

  /** A queued run may already be stored when the history is read again. */
  handleRunQueued(): void {
    this.refreshMonitoring();
  }

  private refreshMonitoring(): void {
    for (const selector of [
      'c-health-acknowledgement-list',
      'c-health-run-history',
      'c-health-run-diff',
    ]) {
      const part = this.template?.querySelector(selector) as unknown as {
        refresh?: () => void;
      } | null;
      part?.refresh?.();
    }
  }

  private show(report: Report): void {
    this.report = report;
    // Acknowledged failures are listed on their own tab, not among the findings.
    const findings = report.findings as AcknowledgedFinding[];
    const all = toRows(report);
    this.rows = all.filter((row) => !findings[Number(row.key)]?.acknowledgement);
    this.acknowledgedCount = all.length - this.rows.length;
    this.options = filterOptions(this.rows);
    this.filtered = filterRows(this.rows, this.filters);
    this.cards = systemUserCards(report);
    this.notEvaluated = notEvaluatedItems(report);
    this.changes = timeline(report, collectedJobs(this.facts));
  }
}

function collectedJobs(facts: DashboardFacts | null): CollectedJob[] {
  return facts?.analytics?.jobs ?? [];
}

/** What the admin can do about an error, in words. */
function advice(message: string): string {
  if (!message) return '';
  if (/permission/i.test(message)) {
    return `Ask your Salesforce admin to assign you the "${PERMISSION_SET_LABEL}" permission set, then reload this tab.`;
  }
  return 'Reload the tab and run the check again. If it keeps failing, send this message to your Salesforce admin.';
}
