import { LightningElement, api } from 'lwc';
import type { NotEvaluatedItem } from 'c/healthDashboardModel';

/** Rules that could not run: the reason, and the facts that would let them run. */
export default class HealthNotEvaluatedList extends LightningElement {
  @api items: NotEvaluatedItem[] = [];

  get list(): NotEvaluatedItem[] {
    return this.items ?? [];
  }

  get isEmpty(): boolean {
    return this.list.length === 0;
  }

  get cardTitle(): string {
    return `Not evaluated (${this.list.length})`;
  }
}
