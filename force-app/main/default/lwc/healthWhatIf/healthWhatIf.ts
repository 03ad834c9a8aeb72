import { LightningElement, api } from 'lwc';
import getFacts from '@salesforce/apex/AnalyticsHealthMonitorController.getFacts';
import getCatalogRecords from '@salesforce/apex/AnalyticsHealthMonitorController.getCatalogRecords';
import {
  ANALYTICS_CONNECTED_APPS,
  validateOrgFacts,
  type CompiledCatalog,
  type OrgFacts,
  type WhatIfChange,
} from 'c/healthEngine';
import { errorMessage } from 'c/healthDashboardModel';
import {
  SESSION_LEVEL_OPTIONS,
  WHAT_IF_KINDS,
  buildChanges,
  describeChange,
  findingLines,
  parseCatalogRecords,
  whatIfOptions,
  whatIfOutcome,
  type FindingLine,
  type WhatIfOptions,
  type WhatIfOutcome,
  type WhatIfValues,
} from 'c/healthMonitorModel';

const ACCESS_OPTIONS = [
  { label: 'Read', value: 'read' },
  { label: 'View All', value: 'viewAll' },
];

/**
 * What-if: the admin describes one or more changes; the engine evaluates the
 * current facts and the changed copy in the browser and lists the findings the
 * changes would resolve or create. Nothing is sent to or written in the org.
 */
export default class HealthWhatIf extends LightningElement {
  /** What the dashboard read from CRM Analytics, passed on to the facts collector. */
  @api dashboardFactsJson: string | null = null;

  loading = true;
  errorText = '';
  problem = '';
  kind = '';
  values: WhatIfValues = {};
  changes: WhatIfChange[] = [];
  outcome: WhatIfOutcome | null = null;
  announcement = '';

  private facts: OrgFacts | null = null;
  private catalog: CompiledCatalog | null = null;
  private options: WhatIfOptions | null = null;

  override connectedCallback(): void {
    Promise.all([getFacts({ dashboardFactsJson: this.dashboardFactsJson }), getCatalogRecords()])
      .then(([factsJson, catalogJson]) => {
        this.facts = validateOrgFacts(JSON.parse(String(factsJson)));
        this.catalog = parseCatalogRecords(catalogJson);
        this.options = whatIfOptions(this.facts);
      })
      .catch((error: unknown) => {
        this.errorText = errorMessage(error);
      })
      .finally(() => {
        this.loading = false;
      });
  }

  get ready(): boolean {
    return !this.loading && !this.errorText;
  }

  get hasError(): boolean {
    return Boolean(this.errorText);
  }

  get hasProblem(): boolean {
    return Boolean(this.problem);
  }

  get kindOptions(): { label: string; value: string }[] {
    return WHAT_IF_KINDS.map(({ label, value }) => ({ label, value }));
  }

  private needs(input: string): boolean {
    return (
      WHAT_IF_KINDS.find((k) => k.value === this.kind)?.inputs.includes(input as never) ?? false
    );
  }

  get needsProfile(): boolean {
    return this.needs('profile');
  }
  get needsPrincipal(): boolean {
    return this.needs('principal');
  }
  get needsUser(): boolean {
    return this.needs('user');
  }
  get needsRange(): boolean {
    return this.needs('range');
  }
  get needsLevel(): boolean {
    return this.needs('level');
  }
  get needsField(): boolean {
    return this.needs('field');
  }
  get needsObject(): boolean {
    return this.needs('object');
  }
  get needsAccess(): boolean {
    return this.needs('access');
  }
  get needsPermission(): boolean {
    return this.needs('permission');
  }
  get needsSandbox(): boolean {
    return this.needs('sandbox');
  }

  /** For the kinds that act on the system users as a whole: who the change is for. */
  get systemScope(): string {
    const options = this.options;
    if (!options) return '';
    const names = (list: { label: string }[]) => list.map((o) => o.label).join(', ');
    if (this.kind === 'approveConnectedApps') {
      return options.systemProfiles.length > 0
        ? `Approves ${ANALYTICS_CONNECTED_APPS.join(' and ')} for these profiles: ${names(options.systemProfiles)}.`
        : 'The facts name no system user.';
    }
    if (this.kind === 'addSandboxMembers') {
      return options.systemUsers.length > 0
        ? `Adds these users: ${names(options.systemUsers)}.`
        : 'The facts name no system user.';
    }
    return '';
  }

  get hasSystemScope(): boolean {
    return Boolean(this.systemScope);
  }

  get profileOptions() {
    return this.options?.profiles ?? [];
  }
  get principalOptions() {
    return this.options?.principals ?? [];
  }
  get userOptions() {
    return this.options?.users ?? [];
  }
  get fieldOptions() {
    return this.options?.fields ?? [];
  }
  get objectOptions() {
    return this.options?.objects ?? [];
  }
  get permissionOptions() {
    return this.options?.permissions ?? [];
  }
  get sandboxOptions() {
    return this.options?.sandboxes ?? [];
  }
  get levelOptions() {
    return SESSION_LEVEL_OPTIONS;
  }
  get accessOptions() {
    return ACCESS_OPTIONS;
  }

  get changeItems(): { key: string; index: number; text: string; removeLabel: string }[] {
    const options = this.options;
    if (!options) return [];
    return this.changes.map((change, index) => {
      const text = describeChange(change, options);
      return { key: `${index}`, index, text, removeLabel: `Remove: ${text}` };
    });
  }

  get hasChanges(): boolean {
    return this.changes.length > 0;
  }

  get hasOutcome(): boolean {
    return this.outcome !== null;
  }

  get scoreText(): string {
    const o = this.outcome;
    return o ? `Score ${o.before.score} → ${o.after.score}` : '';
  }

  get resolvedLines(): FindingLine[] {
    return findingLines(this.outcome?.resolved ?? [], 'resolved');
  }

  get createdLines(): FindingLine[] {
    return findingLines(this.outcome?.created ?? [], 'created');
  }

  get unknownLines(): FindingLine[] {
    return findingLines(this.outcome?.noLongerKnown ?? [], 'unknown');
  }

  get hasResolved(): boolean {
    return this.resolvedLines.length > 0;
  }
  get hasCreated(): boolean {
    return this.createdLines.length > 0;
  }
  get hasUnknown(): boolean {
    return this.unknownLines.length > 0;
  }

  get resolvedHeading(): string {
    return `Would resolve (${this.resolvedLines.length})`;
  }
  get createdHeading(): string {
    return `Would create (${this.createdLines.length})`;
  }
  get unknownHeading(): string {
    return `Could no longer be decided (${this.unknownLines.length})`;
  }

  get stillFailingText(): string {
    return `${this.outcome?.stillFailing ?? 0} failures would remain.`;
  }

  handleKind(event: CustomEvent<{ value: string }>): void {
    this.kind = event.detail.value;
    this.values = {};
    this.problem = '';
  }

  handleValue(event: CustomEvent<{ value: string }>): void {
    const name = (event.target as HTMLElement).dataset.name as keyof WhatIfValues;
    this.values = { ...this.values, [name]: event.detail.value };
    this.problem = '';
  }

  handleAdd(): void {
    if (!this.options) return;
    const built = buildChanges(this.kind, this.values, this.options);
    if ('problem' in built) {
      this.problem = built.problem;
      return;
    }
    this.evaluateWith([...this.changes, ...built.changes]);
  }

  handleRemove(event: Event): void {
    const index = Number((event.currentTarget as HTMLElement).dataset.index);
    const rest = this.changes.filter((_, i) => i !== index);
    if (rest.length === 0) {
      this.changes = [];
      this.outcome = null;
      this.announcement = 'All changes removed.';
      return;
    }
    this.evaluateWith(rest);
  }

  handleReset(): void {
    this.changes = [];
    this.outcome = null;
    this.problem = '';
    this.announcement = 'All changes removed.';
  }

  private evaluateWith(changes: WhatIfChange[]): void {
    if (!this.facts || !this.catalog) return;
    try {
      this.outcome = whatIfOutcome(this.facts, this.catalog, changes);
      this.changes = changes;
      this.problem = '';
      this.announcement = `${this.scoreText}. ${this.resolvedHeading}. ${this.createdHeading}.`;
    } catch (error) {
      this.problem = errorMessage(error);
    }
  }
}
