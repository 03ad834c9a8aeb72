import { LightningElement } from 'lwc';
import getSchedule from '@salesforce/apex/AnalyticsHealthMonitorController.getSchedule';
import saveSchedule from '@salesforce/apex/AnalyticsHealthMonitorController.saveSchedule';
import runNow from '@salesforce/apex/AnalyticsHealthMonitorController.runNow';
import { errorMessage } from 'c/healthDashboardModel';
import {
  CRON_PRESETS,
  CUSTOM_CRON,
  formatDateTime,
  parseRecipients,
  parseSchedule,
  presetOf,
  scheduleProblems,
  type ScheduleSettings,
} from 'c/healthMonitorModel';

/**
 * When the scheduled check runs (a preset or an Apex cron expression), how long runs
 * are kept, who gets an email about new critical findings; and "Run now". The form
 * names obvious mistakes itself; the controller's validation messages are shown as
 * they come.
 */
export default class HealthScheduleSettings extends LightningElement {
  loading = true;
  loadError = '';
  saveError = '';
  saving = false;
  status = '';
  runStatus = '';
  runError = '';
  starting = false;
  problems: Record<string, string> = {};

  cronExpression = '';
  preset = CUSTOM_CRON;
  retentionDays = 90;
  recipientsText = '';
  notifyOnNewCritical = false;
  private saved: ScheduleSettings | null = null;

  override connectedCallback(): void {
    getSchedule()
      .then((json) => this.show(parseSchedule(json)))
      .catch((error: unknown) => {
        this.loadError = errorMessage(error);
      })
      .finally(() => {
        this.loading = false;
      });
  }

  get ready(): boolean {
    return !this.loading && !this.loadError;
  }

  get hasLoadError(): boolean {
    return Boolean(this.loadError);
  }

  get hasSaveError(): boolean {
    return Boolean(this.saveError);
  }

  get hasRunError(): boolean {
    return Boolean(this.runError);
  }

  get presetOptions(): { label: string; value: string }[] {
    return [
      ...CRON_PRESETS.map(({ label, value }) => ({ label, value })),
      { label: 'Custom cron expression', value: CUSTOM_CRON },
    ];
  }

  get scheduleState(): string {
    const s = this.saved;
    if (!s) return '';
    if (!s.scheduled) return 'No check is scheduled.';
    return s.nextRunAt ? `Scheduled. Next run: ${formatDateTime(s.nextRunAt)}.` : 'Scheduled.';
  }

  get cronError(): string {
    return this.problems.cronExpression ?? '';
  }
  get retentionError(): string {
    return this.problems.retentionDays ?? '';
  }
  get recipientsError(): string {
    return this.problems.recipients ?? '';
  }
  get hasCronError(): boolean {
    return Boolean(this.cronError);
  }
  get hasRetentionError(): boolean {
    return Boolean(this.retentionError);
  }
  get hasRecipientsError(): boolean {
    return Boolean(this.recipientsError);
  }

  get saveLabel(): string {
    return this.saving ? 'Saving…' : 'Save schedule';
  }

  get runLabel(): string {
    return this.starting ? 'Starting…' : 'Run now';
  }

  handlePreset(event: CustomEvent<{ value: string }>): void {
    this.preset = event.detail.value;
    if (this.preset !== CUSTOM_CRON) this.cronExpression = this.preset;
  }

  handleCron(event: CustomEvent<{ value: string }>): void {
    this.cronExpression = event.detail.value ?? '';
    this.preset = presetOf(this.cronExpression);
  }

  handleRetention(event: CustomEvent<{ value: string }>): void {
    this.retentionDays = Number(event.detail.value);
  }

  handleRecipients(event: CustomEvent<{ value: string }>): void {
    this.recipientsText = event.detail.value ?? '';
  }

  handleNotify(event: CustomEvent<{ checked: boolean }>): void {
    this.notifyOnNewCritical = Boolean(event.detail.checked);
  }

  handleSave(): void {
    if (this.saving) return;
    const settings = {
      cronExpression: this.cronExpression.trim(),
      retentionDays: this.retentionDays,
      recipients: parseRecipients(this.recipientsText),
      notifyOnNewCritical: this.notifyOnNewCritical,
    };
    this.problems = scheduleProblems(settings);
    this.status = '';
    this.saveError = '';
    if (Object.keys(this.problems).length > 0) {
      this.status = 'The schedule was not saved: correct the fields marked.';
      return;
    }
    this.saving = true;
    saveSchedule({ settingsJson: JSON.stringify(settings) })
      .then((json) => {
        this.show(parseSchedule(json));
        this.status = 'Schedule saved.';
      })
      .catch((error: unknown) => {
        this.saveError = errorMessage(error);
        this.status = `The schedule was not saved: ${this.saveError}`;
      })
      .finally(() => {
        this.saving = false;
      });
  }

  handleRunNow(): void {
    if (this.starting) return;
    this.starting = true;
    this.runError = '';
    this.runStatus = '';
    runNow()
      .then((json) => {
        const { runId } = JSON.parse(String(json)) as { runId?: string };
        this.runStatus = `The check was queued (run ${runId ?? 'unknown'}). It appears in the history when it finishes.`;
        this.dispatchEvent(new CustomEvent('runqueued', { detail: { runId } }));
      })
      .catch((error: unknown) => {
        this.runError = errorMessage(error);
      })
      .finally(() => {
        this.starting = false;
      });
  }

  private show(settings: ScheduleSettings): void {
    this.saved = settings;
    this.cronExpression = settings.cronExpression;
    this.preset = presetOf(settings.cronExpression);
    this.retentionDays = settings.retentionDays;
    this.recipientsText = settings.recipients.join('\n');
    this.notifyOnNewCritical = settings.notifyOnNewCritical;
    this.problems = {};
  }
}
