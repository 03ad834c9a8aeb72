import { LightningElement, api } from 'lwc';
import { EMPTY_FILTERS, type FilterOptions, type Filters } from 'c/healthDashboardModel';

const NO_OPTIONS: FilterOptions = { severity: [], status: [], category: [], subjectType: [] };

/** Search box and the four filters; every change fires `filterchange` with all filters. */
export default class HealthFilterBar extends LightningElement {
  @api options: FilterOptions = NO_OPTIONS;
  @api filters: Filters = EMPTY_FILTERS;
  /** "n of m findings", read by screen readers as it changes. */
  @api resultLabel = '';

  get current(): Filters {
    return this.filters ?? EMPTY_FILTERS;
  }

  get opts(): FilterOptions {
    return this.options ?? NO_OPTIONS;
  }

  handleSearch(event: CustomEvent<{ value: string }>): void {
    this.emit({ search: event.detail.value ?? '' });
  }

  handleFilter(event: CustomEvent<{ value: string }>): void {
    const name = (event.target as HTMLElement).dataset.filter as keyof Filters;
    this.emit({ [name]: event.detail.value });
  }

  handleClear(): void {
    this.emit({ ...EMPTY_FILTERS });
  }

  private emit(change: Partial<Filters>): void {
    this.dispatchEvent(new CustomEvent('filterchange', { detail: { ...this.current, ...change } }));
  }
}
