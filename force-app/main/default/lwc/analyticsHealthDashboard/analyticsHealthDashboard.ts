import { LightningElement, wire } from 'lwc';
import runCheck from '@salesforce/apex/AnalyticsHealthController.runCheck';
import getCatalog from '@salesforce/apex/AnalyticsHealthController.getCatalog';
import {
  getDataConnectors,
  getDataflowJobs,
  getReplicatedDatasets,
} from 'lightning/analyticsWaveApi';
import type { Report } from 'c/healthEngine';
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

  get collectionNotes(): { key: string; text: string }[] {
    return (this.facts?.collectionErrors ?? []).map((e, i) => ({
      key: `${i}`,
      text: `${e.fact}: ${e.message}`,
    }));
  }

  get hasCollectionNotes(): boolean {
    return this.collectionNotes.length > 0;
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

  private show(report: Report): void {
    this.report = report;
    this.rows = toRows(report);
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
