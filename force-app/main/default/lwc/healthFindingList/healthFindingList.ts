import { LightningElement, api } from 'lwc';
import { pageGroups, type FindingRow, type RowGroup } from 'c/healthDashboardModel';

/**
 * The filtered findings, grouped by subject, one page at a time: 5,000 findings
 * render as one page of DOM, so filtering and paging stay fast.
 */
export default class HealthFindingList extends LightningElement {
  @api pageSize = 25;
  // Not `page` or `size`: axe reads those names off the host element, and LWC warns on a private one.
  private pageIndex = 0;
  private allRows: FindingRow[] = [];

  @api
  get rows(): FindingRow[] {
    return this.allRows;
  }
  set rows(value: FindingRow[]) {
    this.allRows = value ?? [];
    // A new filter result starts on its first page.
    this.pageIndex = 0;
  }

  get rowsPerPage(): number {
    return Math.max(1, Number(this.pageSize) || 25);
  }

  get pageCount(): number {
    return Math.max(1, Math.ceil(this.allRows.length / this.rowsPerPage));
  }

  get groups(): (RowGroup & { headingId: string; countLabel: string })[] {
    return pageGroups(this.allRows, this.pageIndex, this.rowsPerPage).map((g) => ({
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
    const first = this.pageIndex * this.rowsPerPage + 1;
    const last = Math.min(this.allRows.length, (this.pageIndex + 1) * this.rowsPerPage);
    return `Page ${this.pageIndex + 1} of ${this.pageCount} · findings ${first}–${last} of ${this.allRows.length}`;
  }

  get previousDisabled(): boolean {
    return this.pageIndex === 0;
  }

  get nextDisabled(): boolean {
    return this.pageIndex >= this.pageCount - 1;
  }

  handlePrevious(): void {
    if (this.pageIndex > 0) this.pageIndex -= 1;
  }

  handleNext(): void {
    if (this.pageIndex < this.pageCount - 1) this.pageIndex += 1;
  }

  handleClear(): void {
    this.dispatchEvent(new CustomEvent('clearfilters'));
  }
}
