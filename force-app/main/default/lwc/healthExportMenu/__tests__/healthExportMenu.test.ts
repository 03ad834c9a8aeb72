import { createElement } from 'lwc';
import HealthExportMenu from 'c/healthExportMenu';
import { reportToCsv } from 'c/healthEngine';
import { demoReport } from '../../healthDashboardModel/__tests__/demoReports';

const report = demoReport('demo-broken-org');
let clicked: { href: string; download: string }[] = [];

beforeEach(() => {
  clicked = [];
  jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    clicked.push({ href: this.href, download: this.download });
  });
});

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.restoreAllMocks();
  delete (URL as unknown as Record<string, unknown>).createObjectURL;
  delete (URL as unknown as Record<string, unknown>).revokeObjectURL;
});

function mount(value: unknown) {
  const element = createElement('c-health-export-menu', { is: HealthExportMenu });
  Object.assign(element, { report: value });
  const handler = jest.fn();
  element.addEventListener('export', handler);
  document.body.appendChild(element);
  return { element, handler };
}

const button = (element: HTMLElement, format: string) =>
  element.shadowRoot?.querySelector(`lightning-button[data-format="${format}"]`) as HTMLElement & {
    disabled: boolean;
  };

describe('c-health-export-menu', () => {
  it('downloads the whole report as JSON', async () => {
    const { element, handler } = mount(report);
    button(element, 'json').click();
    const { detail } = handler.mock.calls[0][0];
    expect(detail.format).toBe('json');
    expect(JSON.parse(detail.content)).toEqual(report);
    expect(clicked).toHaveLength(1);
    expect(clicked[0].download).toBe(
      'analytics-health-00D5g000004XyZaEAK-2026-11-23T08-00-00-000Z.json',
    );
    // Without Blob URLs (jsdom) the content travels in a data URL.
    expect(clicked[0].href.startsWith('data:application/json;charset=utf-8,')).toBe(true);
    expect(
      JSON.parse(decodeURIComponent(clicked[0].href.slice(clicked[0].href.indexOf(',') + 1))),
    ).toEqual(report);
    await expect(element).toBeAccessible();
  });

  it('downloads the engine CSV through a Blob URL where there is one, and releases it later', () => {
    const blobs: Blob[] = [];
    Object.assign(URL, {
      createObjectURL: jest.fn((blob: Blob) => {
        blobs.push(blob);
        return `blob:test/${blobs.length}`;
      }),
      revokeObjectURL: jest.fn(),
    });
    const { element, handler } = mount(report);
    button(element, 'csv').click();
    expect(handler.mock.calls[0][0].detail.content).toBe(reportToCsv(report));
    expect(blobs[0].type).toBe('text/csv');
    expect(clicked[0]).toEqual({
      href: 'blob:test/1',
      download: 'analytics-health-00D5g000004XyZaEAK-2026-11-23T08-00-00-000Z.csv',
    });
    expect(URL.revokeObjectURL).not.toHaveBeenCalled();
    button(element, 'json').click();
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:test/1');
    document.body.removeChild(element);
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:test/2');
  });

  it.each(['=', '+', '-', '@', '\t', '\r'])(
    'neutralises a username or profile name starting with %j in the CSV (OWASP CSV injection)',
    (start) => {
      const username = `${start}HYPERLINK("https://evil.example","x")`;
      const profileName = `${start}cmd|' /C calc'!A0`;
      const findings = report.findings.map((f, i) =>
        i === 0
          ? { ...f, subject: { ...f.subject, label: username }, message: `${username} is active.` }
          : i === 1
            ? { ...f, subject: { ...f.subject, label: profileName }, reason: profileName }
            : f,
      );
      const { element, handler } = mount({ ...report, findings });
      button(element, 'csv').click();
      const content: string = handler.mock.calls[0][0].detail.content;
      const rows = content.split('\r\n');
      expect(rows[1]).toContain(
        `,"'${username.replace(/"/g, '""')}","'${username.replace(/"/g, '""')} is active."`,
      );
      expect(rows[2]).toContain(`,"'${profileName}",`);
      expect(rows[2].endsWith(`,"'${profileName}"`)).toBe(true);
      expect(content).toBe(reportToCsv({ ...report, findings }));
    },
  );

  it('is disabled and does nothing without a report', async () => {
    const { element, handler } = mount(null);
    expect(button(element, 'json').disabled).toBe(true);
    button(element, 'csv').click();
    expect(handler).not.toHaveBeenCalled();
    expect(clicked).toHaveLength(0);
    await expect(element).toBeAccessible();
  });
});
