import { LightningElement, api } from 'lwc';

/**
 * The loading and error states of a part that reads the controller: a spinner while
 * `loading`, and an alert naming what could not be read and why when `errorText` is set.
 * The monitoring parts show their own content only when neither applies.
 */
export default class HealthLoadState extends LightningElement {
  @api loading = false;
  /** What the spinner says to screen readers, e.g. "Loading the run history". */
  @api loadingText = 'Loading';
  /** The error as the controller gave it; empty when there is none. */
  @api errorText = '';
  /** What could not be done, e.g. "The run history could not be read". */
  @api errorTitle = 'This could not be read';

  get hasError(): boolean {
    return Boolean(this.errorText);
  }

  get showSpinner(): boolean {
    return Boolean(this.loading);
  }
}
