import { LightningElement, api } from 'lwc';
import type { TimelineEntry } from 'c/healthDashboardModel';

/** Setup changes and failed jobs on one time line, newest first. */
export default class HealthChangeTimeline extends LightningElement {
  @api entries: TimelineEntry[] = [];

  get items(): (TimelineEntry & {
    iconName: string;
    kindLabel: string;
    when: string;
    hasBy: boolean;
  })[] {
    return (this.entries ?? []).map((e) => {
      const date = e.at ? new Date(e.at) : null;
      return {
        ...e,
        iconName: e.kind === 'failedJob' ? 'standard:incident' : 'standard:custom',
        kindLabel: e.kind === 'failedJob' ? 'Failed job' : 'Setup change',
        when: date && !Number.isNaN(date.getTime()) ? date.toLocaleString() : 'time not reported',
        hasBy: Boolean(e.by),
      };
    });
  }

  get isEmpty(): boolean {
    return this.items.length === 0;
  }
}
