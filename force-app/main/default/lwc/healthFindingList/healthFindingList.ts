import { LightningElement, api } from 'lwc';
import { pageGroups, type FindingRow, type RowGroup } from 'c/healthDashboardModel';

/**
 * The filtered findings, grouped by subject, one page at a time: 5,000 findings
 * render as one page of DOM, so filtering and paging stay fast.
 */
export default class HealthFindingList extends LightningElement {
  @api pageSize = 25;
  page = 0;
  private allRows: FindingRow[] = [];

  @api
  get rows(): FindingRow[] {
    return this.allRows;
  }
  set rows(value: FindingRow[]) {
    this.allRows = value ?? [];
    // A new filter result starts on its first page.
    this.page = 0;
  }

  get size(): number {
    return Math.max(1, Number(this.pageSize) || 25);
  }

  get pageCount(): number {
    return Math.max(1, Math.ceil(this.allRows.length / this.size));
  }

  get groups(): (RowGroup & { headingId: string; countLabel: string })[] {
    return pageGroups(this.allRows, this.page, this.size).map((g) => ({
      ...g,
      headingId: `group-${g.key}`,
      countLabel: `${g.count} finding${g.count === 1 ? '' : 's'}`,
    }));
  }

  get isEmpty(): boolean {
    return this.allRows.length === 0;
  }

  get hasPages(): boolean {
    return this.pageCount > 1;
  }

  get pageLabel(): string {
    const first = this.page * this.size + 1;
    const last = Math.min(this.allRows.length, (this.page + 1) * this.size);
    return `Page ${this.page + 1} of ${this.pageCount} · findings ${first}–${last} of ${this.allRows.length}`;
  }

  get previousDisabled(): boolean {
    return this.page === 0;
  }

  get nextDisabled(): boolean {
    return this.page >= this.pageCount - 1;
  }

  handlePrevious(): void {
    if (this.page > 0) this.page -= 1;
  }

  handleNext(): void {
    if (this.page < this.pageCount - 1) this.page += 1;
  }

  handleClear(): void {
    this.dispatchEvent(new CustomEvent('clearfilters'));
  }
}
