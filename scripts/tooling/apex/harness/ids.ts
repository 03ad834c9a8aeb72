// Ids for the records the harness makes (jobs, schedules), with the platform's key prefixes:
// 707 AsyncApexJob, 08e CronTrigger, 08a CronJobDetail. A counter per prefix keeps them unique
// and ordered; the 18-character form comes from ApexId.
import { ApexId } from '../values';

export const ASYNC_APEX_JOB_PREFIX = '707';
export const CRON_TRIGGER_PREFIX = '08e';
export const CRON_JOB_DETAIL_PREFIX = '08a';

export class IdSource {
  private readonly counters = new Map<string, number>();

  next(prefix: string): ApexId {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    // 3 prefix + 'HX' (marks harness-made ids) + 10 digits = 15 characters.
    return new ApexId(`${prefix}HX${String(n).padStart(10, '0')}`);
  }
}
