import { LightningElement, wire } from 'lwc';
import startCheck from '@salesforce/apex/AnalyticsHealthController.startCheck';
import getRunProgress from '@salesforce/apex/AnalyticsHealthController.getRunProgress';
import getCatalog from '@salesforce/apex/AnalyticsHealthController.getCatalog';
import getLatestRun from '@salesforce/apex/AnalyticsHealthMonitorController.getLatestRun';
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
  asReport,
  errorMessage,
  filterOptions,
  findingView,
  notEvaluatedItems,
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
import {
  lastRunLabel,
  nextPollDelay,
  parseLatestRun,
  parseRunProgress,
  parseStartedCheck,
  progressView,
  type RunProgress,
  type RunningRun,
  type RunTrigger,
} from 'c/healthMonitorModel';

const PERMISSION_SET_LABEL = 'Analytics Health Admin';
/** How long an automatic first check waits for CRM Analytics to answer in the browser. */
const WIRE_WAIT_MS = 3000;
/** Progress reads that may fail in a row (a dropped connection) before the page gives up. */
const MAX_POLL_FAILURES = 3;

/**
 * The Analytics Health tab. Opens on the latest stored run; with none, starts a check by
 * itself. A check runs in the org as a chain of queued steps: the page starts it with
 * what CRM Analytics lets the admin see in the browser, then follows its progress until
 * the report is ready. The page never makes up a result: an Apex error, or a failed run,
 * is shown as that error.
 */
export default class AnalyticsHealthDashboard extends LightningElement {
  report: Report | null = null;
  /** Reading the latest stored run when the tab opens. */
  opening = true;
  running = false;
  progress = '';
  announcement = '';
  errorText = '';
  catalogError = '';
  ruleCount: number | null = null;
  filters: Filters = { ...EMPTY_FILTERS };
  showPassed = false;
  /** The failing finding the acknowledgement dialog is open for. */
  acknowledgeTarget: AcknowledgeTarget | null = null;
  acknowledgedCount = 0;
  /** When and how the report on screen was made, for "Last run 3 hours ago · scheduled". */
  lastRun: { evaluatedAt: string; trigger: RunTrigger } | null = null;
  runProgress: RunProgress | null = null;

  private rows: FindingRow[] = [];
  private filtered: FindingRow[] = [];
  private passedMatching = 0;
  private options: FilterOptions | null = null;
  private cards: SystemUserCard[] = [];
  private notEvaluated: NotEvaluatedItem[] = [];
  private changes: TimelineEntry[] = [];
  private facts: DashboardFacts | null = null;
  private wires: { connectors?: WireResult; jobs?: WireResult; replicatedDatasets?: WireResult } =
    {};
  private connected = false;
  /** A check asked for before CRM Analytics answered in the browser. */
  private waitingForWires = false;
  private wireTimer: ReturnType<typeof setTimeout> | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private pollDelay: number | null = null;
  private pollFailures = 0;
  private runId = '';

  @wire(getDataConnectors, {})
  wiredConnectors(result: unknown): void {
    this.wires = { ...this.wires, connectors: result as WireResult };
    this.startWhenWiresAnswered();
  }

  @wire(getDataflowJobs, {})
  wiredJobs(result: unknown): void {
    this.wires = { ...this.wires, jobs: result as WireResult };
    this.startWhenWiresAnswered();
  }

  @wire(getReplicatedDatasets, {})
  wiredReplicatedDatasets(result: unknown): void {
    this.wires = { ...this.wires, replicatedDatasets: result as WireResult };
    this.startWhenWiresAnswered();
  }

  override connectedCallback(): void {
    this.connected = true;
    getCatalog()
      .then((json) => {
        const rules = JSON.parse(String(json)) as unknown[];
        this.ruleCount = Array.isArray(rules) ? rules.length : null;
      })
      .catch((error: unknown) => {
        this.catalogError = errorMessage(error);
      });
    if (this.running && this.runId) {
      // Moved in the page while following a run: follow it again rather than start over.
      this.pollDelay = null;
      this.schedulePoll(false);
      return;
    }
    this.running = false;
    this.open();
  }

  override disconnectedCallback(): void {
    this.connected = false;
    this.stopPolling();
    if (this.wireTimer) clearTimeout(this.wireTimer);
    this.wireTimer = null;
    this.waitingForWires = false;
  }

  // ---- State shown by the template ----

  get hasReport(): boolean {
    return this.report !== null;
  }

  get showEmpty(): boolean {
    return !this.report && !this.running && !this.opening && !this.errorText;
  }

  get showOpening(): boolean {
    return this.opening && !this.errorText;
  }

  get lastRunText(): string {
    return this.lastRun && !this.running ? lastRunLabel(this.lastRun) : '';
  }

  /** The SLDS progress bar: a width and ARIA values, or none while the chunks are not known. */
  get progressPercent(): number | null {
    return progressView(this.runProgress).percent;
  }

  get progressDeterminate(): boolean {
    return this.progressPercent !== null;
  }

  get progressValueNow(): string | null {
    const percent = this.progressPercent;
    return percent === null ? null : String(percent);
  }

  /** What the run is doing now, as the org reports it; before the first report, what the page did. */
  get progressStep(): string {
    const step = this.runProgress?.step;
    return step ? `${step}…` : this.progress;
  }

  get progressLabel(): string {
    return progressView(this.runProgress).label;
  }

  get progressBarStyle(): string {
    return `width: ${this.progressPercent ?? 0}%;`;
  }

  get progressBarClass(): string {
    return this.progressDeterminate
      ? 'slds-progress-bar slds-progress-bar_medium'
      : 'slds-progress-bar slds-progress-bar_medium progress_indeterminate';
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
    if (this.running) return 'Running…';
    return this.report ? 'Run again' : 'Run check';
  }

  get runDisabled(): boolean {
    return this.running || this.opening;
  }

  get hasPassedToggle(): boolean {
    return this.filters.status !== 'PASS' && (this.passedMatching > 0 || this.showPassed);
  }

  get passedToggleLabel(): string {
    return `${this.showPassed ? 'Hide' : 'Show'} passed (${this.passedMatching})`;
  }

  get passedTogglePressed(): string {
    return String(this.showPassed);
  }

  /** A large run keeps its passed findings only up to a bound; the summary still counts them all. */
  get omittedPassedNote(): string {
    const omitted = (this.report as { omittedPassedFindings?: unknown } | null)
      ?.omittedPassedFindings;
    if (typeof omitted !== 'number' || omitted <= 0) return '';
    return `${omitted} more passed finding${omitted === 1 ? ' is' : 's are'} counted in the score but not listed: the run kept only the first ones.`;
  }

  /**
   * A run with very many failures lists a bounded number of them (every failing rule keeps at
   * least one); the summary and the score count them all, and the CLI lists them all.
   */
  get omittedProblemsNote(): string {
    const omitted = (this.report as { omittedFindings?: unknown } | null)?.omittedFindings;
    if (omitted === null || typeof omitted !== 'object') return '';
    const count = Object.values(omitted as Record<string, unknown>).reduce<number>(
      (sum, value) => sum + (typeof value === 'number' && value > 0 ? value : 0),
      0,
    );
    if (count <= 0) return '';
    return `${count} more failing or not evaluated finding${count === 1 ? ' is' : 's are'} counted in the summary and the score but not listed: a stored run lists the first ones of each rule. The CLI lists them all (analytics-health check --target-org <alias>).`;
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
    this.runProgress = null;
    this.say('Reading CRM Analytics connections and jobs…');
    if (this.wiresAnswered()) {
      this.start();
    } else {
      // The first automatic check may come before CRM Analytics answered in the browser.
      this.waitingForWires = true;
      // A bounded wait, cleared on disconnect: a timer is the only way to stop waiting.
      // eslint-disable-next-line @lwc/lwc/no-async-operation
      this.wireTimer = setTimeout(() => {
        this.wireTimer = null;
        if (this.waitingForWires) this.start();
      }, WIRE_WAIT_MS);
    }
  }

  handleTogglePassed(): void {
    this.showPassed = !this.showPassed;
    this.applyFilters();
  }

  handleFilterChange(event: CustomEvent<Filters>): void {
    this.filters = { ...event.detail };
    this.applyFilters();
  }

  handleClearFilters(): void {
    this.filters = { ...EMPTY_FILTERS };
    this.applyFilters();
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

  /** The latest stored run, or a first check when there is none. */
  private open(): void {
    getLatestRun()
      .then((json) => {
        if (!this.connected) return;
        const latest = parseLatestRun(json);
        this.opening = false;
        if (!latest) {
          this.say('No check has run yet. Starting the first one.');
          this.handleRun();
          return;
        }
        if (latest.report) {
          this.show(asReport(latest.report));
          this.lastRun = { evaluatedAt: latest.evaluatedAt, trigger: latest.trigger };
          this.say(`Showing the ${lastRunLabel(this.lastRun).toLowerCase()}.`);
        }
        if (latest.running) this.join(latest.running);
      })
      .catch((error: unknown) => {
        this.opening = false;
        this.errorText = errorMessage(error);
        this.say(`The latest run could not be read: ${this.errorText}`);
      });
  }

  /** Follows a run already in progress in the org (opened mid-run), as Run check follows its own. */
  private join(running: RunningRun): void {
    if (this.running) return;
    this.running = true;
    this.errorText = '';
    this.runProgress = { ...running, status: 'Running', message: null, report: null };
    this.say(
      this.lastRun
        ? `Showing the ${lastRunLabel(this.lastRun).toLowerCase()}. A check is running in the org: following its progress.`
        : 'A check is running in the org: following its progress.',
    );
    this.follow(running.runId);
  }

  private wiresAnswered(): boolean {
    const answered = (r: WireResult | undefined) =>
      Boolean(r && (r.data !== undefined || r.error !== undefined));
    return (
      answered(this.wires.connectors) &&
      answered(this.wires.jobs) &&
      answered(this.wires.replicatedDatasets)
    );
  }

  private startWhenWiresAnswered(): void {
    if (this.waitingForWires && this.wiresAnswered()) this.start();
  }

  /** Starts the chain in the org (or joins the one already running) and follows it. */
  private start(): void {
    this.waitingForWires = false;
    if (this.wireTimer) clearTimeout(this.wireTimer);
    this.wireTimer = null;
    const facts = collectAnalyticsFacts(this.wires);
    this.facts = facts;
    this.say('Starting the check in the org…');
    startCheck({ dashboardFactsJson: JSON.stringify(facts) })
      .then((json) => {
        const started = parseStartedCheck(json);
        this.say(
          started.alreadyRunning
            ? 'A check was already running. Following its progress.'
            : 'Check started. Collecting the org facts…',
        );
        this.follow(started.runId);
      })
      .catch((error: unknown) => this.failed(errorMessage(error)));
  }

  /** Polls a run's progress from the first, shortest delay until it completes or fails. */
  private follow(runId: string): void {
    this.runId = runId;
    this.pollDelay = null;
    this.pollFailures = 0;
    this.schedulePoll(false);
  }

  private schedulePoll(moved: boolean): void {
    if (!this.connected) return;
    this.pollDelay = nextPollDelay(this.pollDelay, moved);
    // Polling the run's progress needs a timer; it is cleared on disconnect and when the run ends.
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.pollTimer = setTimeout(() => this.poll(), this.pollDelay);
  }

  private stopPolling(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  private poll(): void {
    this.pollTimer = null;
    const runId = this.runId;
    getRunProgress({ runId }).then(
      (json) => {
        if (!this.connected || runId !== this.runId) return;
        try {
          this.progressed(parseRunProgress(json));
        } catch (error: unknown) {
          // An answer that is not progress, or a report that is not a report: not worth retrying.
          this.failed(errorMessage(error));
        }
      },
      (error: unknown) => {
        if (!this.connected || runId !== this.runId) return;
        this.pollFailures += 1;
        if (this.pollFailures >= MAX_POLL_FAILURES) {
          this.failed(`The progress of the check could not be read: ${errorMessage(error)}`);
        } else {
          this.schedulePoll(false);
        }
      },
    );
  }

  private progressed(progress: RunProgress): void {
    const before = this.runProgress;
    this.pollFailures = 0;
    if (progress.status === 'Failed') {
      this.failed(progress.message ?? 'The check run failed without saying why.');
      return;
    }
    if (progress.status === 'Complete') {
      this.finished(asReport(progress.report));
      return;
    }
    this.runProgress = progress;
    const moved =
      !before || before.step !== progress.step || before.chunksDone !== progress.chunksDone;
    if (moved) this.announcement = `${this.progressStep} ${progressView(progress).label}`;
    this.schedulePoll(moved);
  }

  private finished(report: Report): void {
    this.running = false;
    this.runId = '';
    this.runProgress = null;
    this.progress = '';
    this.show(report);
    // The org's report names how its run was started (a joined run may be a scheduled one).
    const trigger = (report as { trigger?: unknown }).trigger;
    this.lastRun = {
      evaluatedAt: report.evaluatedAt,
      trigger: typeof trigger === 'string' ? (trigger as RunTrigger) : 'dashboard',
    };
    const s = report.summary;
    this.announcement = `Check finished. Score ${report.score} out of 100, ${s.critical} critical, ${s.warning} warning.`;
    this.refreshMonitoring();
  }

  private failed(message: string): void {
    this.stopPolling();
    this.running = false;
    this.runId = '';
    this.runProgress = null;
    this.progress = '';
    this.errorText = message;
    this.announcement = `The check failed: ${message}`;
  }

  private say(text: string): void {
    this.progress = text;
    this.announcement = text;
  }

  private applyFilters(): void {
    const view = findingView(this.rows, this.filters, this.showPassed);
    this.filtered = view.rows;
    this.passedMatching = view.passed;
  }

  private show(report: Report): void {
    this.report = report;
    // Acknowledged failures are listed on their own tab, not among the findings.
    const findings = report.findings as AcknowledgedFinding[];
    const all = toRows(report);
    this.rows = all.filter((row) => !findings[Number(row.key)]?.acknowledgement);
    this.acknowledgedCount = all.length - this.rows.length;
    this.options = filterOptions(this.rows);
    this.applyFilters();
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
