import { LightningElement, api } from 'lwc';
import type { Report } from 'c/healthEngine';
import { dataUrl, exportFileName, reportCsv, reportJson } from 'c/healthDashboardModel';

const FORMATS = {
  json: { mime: 'application/json', content: reportJson },
  csv: { mime: 'text/csv', content: reportCsv },
} as const;

/** Downloads the report as JSON (the full report) or CSV (one row per finding). */
export default class HealthExportMenu extends LightningElement {
  @api report: Report | null = null;
  private objectUrl: string | null = null;

  override disconnectedCallback(): void {
    this.releaseUrl();
  }

  private releaseUrl(): void {
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = null;
  }

  get disabled(): boolean {
    return !this.report;
  }

  handleExport(event: Event): void {
    const format = (event.currentTarget as HTMLElement).dataset.format as keyof typeof FORMATS;
    const report = this.report;
    if (!report || !FORMATS[format]) return;
    const { mime, content: render } = FORMATS[format];
    const content = render(report);
    const fileName = exportFileName(report, format);
    const anchor = this.template?.querySelector(
      'a[data-id="download"]',
    ) as HTMLAnchorElement | null;
    if (!anchor) return;
    // A Blob URL handles reports of any size; a data URL is the fallback where Blob URLs are missing.
    const canBlob = typeof URL !== 'undefined' && typeof URL.createObjectURL === 'function';
    // The previous download's URL is released here, not right after click(), which may race the download.
    this.releaseUrl();
    let href: string;
    if (canBlob) {
      href = URL.createObjectURL(new Blob([content], { type: mime }));
      this.objectUrl = href;
    } else {
      href = dataUrl(content, mime);
    }
    anchor.href = href;
    anchor.download = fileName;
    anchor.click();
    this.dispatchEvent(new CustomEvent('export', { detail: { format, fileName, content } }));
  }
}
