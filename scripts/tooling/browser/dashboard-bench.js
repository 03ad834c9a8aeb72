// `npm run bench:dashboard`: how fast the dashboard filters 5,000 findings in Chromium.
//
//   node scripts/tooling/browser/dashboard-bench.js [--findings 5000] [--runs 20] [--no-build]
//
// Serves the local preview with the demo report's findings repeated to --findings
// (each with its own subject), runs the check, then times each kind of filter change
// from the event the filter bar fires to the page having rendered its result (the
// count line updated and the first page of findings in the DOM), and to the next
// painted frame. Prints median, p95 and max per kind; a median over 100 ms fails.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INSTALL_HINT, chromiumPath, launchChromium } from './chromium.js';
import { buildPreview } from '../preview/build.js';
import { startServer } from '../preview/server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const option = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const FINDINGS = option('--findings', 5000);
const RUNS = option('--runs', 20);
const BUDGET_MS = 100;

if (!chromiumPath()) {
  console.error(`✖ dashboard bench: Chromium is not installed. Install it with: ${INSTALL_HINT}`);
  process.exit(1);
}

if (!process.argv.includes('--no-build')) await buildPreview({ quiet: true });
const { server, url } = await startServer({
  dir: path.join(ROOT, 'artifacts', 'preview'),
  port: 0,
});
const browser = await launchChromium();
let failed = false;
try {
  const page = await browser.context.newPage();
  // With no stored run the page starts the check itself; the report has FINDINGS findings.
  const started = Date.now();
  await page.goto(`${url}?findings=${FINDINGS}&delay=0&history=none`);
  await page
    .locator('[data-id="result-count"]', { hasText: `of ${FINDINGS} findings` })
    .waitFor({ timeout: 60000 });
  const total = await page.locator('[data-id="result-count"]').innerText();
  console.log(`Dashboard bench: ${total} (check and first render ${Date.now() - started} ms)`);

  // Filter changes as the filter bar sends them; the last one of each pair resets.
  const cases = [
    ['severity = Critical', { severity: 'CRITICAL' }],
    ['status = Failed', { status: 'FAIL' }],
    ['category = Authentication', { category: 'Authentication' }],
    ['subject = Profiles', { subjectType: 'profile' }],
    ['search "integration"', { search: 'integration' }],
    [
      'search "invoice amount" + Critical + Failed',
      { search: 'invoice amount', severity: 'CRITICAL', status: 'FAIL' },
    ],
  ];
  const rows = [];
  for (const [name, change] of cases) {
    const timings = await page.evaluate(
      async ({ change, runs }) => {
        const find = (root, selector) => {
          const direct = root.querySelector(selector);
          if (direct) return direct;
          for (const el of root.querySelectorAll('*')) {
            if (el.shadowRoot) {
              const found = find(el.shadowRoot, selector);
              if (found) return found;
            }
          }
          return null;
        };
        const bar = find(document, 'c-health-filter-bar');
        const countLine = () => find(document, '[data-id="result-count"]').textContent;
        const base = {
          search: '',
          severity: 'all',
          status: 'all',
          category: 'all',
          subjectType: 'all',
        };
        const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
        const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
        const apply = async (filters) => {
          const before = countLine();
          const t0 = performance.now();
          bar.dispatchEvent(new CustomEvent('filterchange', { detail: filters }));
          await settle();
          const rendered = performance.now() - t0;
          await frame();
          const painted = performance.now() - t0;
          return { rendered, painted, changed: countLine() !== before, line: countLine() };
        };
        const out = [];
        for (let i = 0; i < runs; i++) {
          const result = await apply({ ...base, ...change });
          out.push(result);
          await apply(base);
        }
        return out;
      },
      { change, runs: RUNS },
    );
    if (!timings.every((t) => t.changed))
      throw new Error(`${name}: the result count did not change`);
    const stats = (key) => {
      const values = timings.map((t) => t[key]).sort((a, b) => a - b);
      const at = (q) => values[Math.min(values.length - 1, Math.floor(q * values.length))];
      return { median: at(0.5), p95: at(0.95), max: values[values.length - 1] };
    };
    rows.push({
      name,
      line: timings[0].line,
      rendered: stats('rendered'),
      painted: stats('painted'),
    });
  }

  const ms = (value) => `${value.toFixed(1)} ms`.padStart(9);
  console.log(
    `\n${'filter'.padEnd(46)} ${'result'.padEnd(22)} render median   p95      max   | paint median`,
  );
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(46)} ${row.line.padEnd(22)} ${ms(row.rendered.median)} ${ms(row.rendered.p95)} ${ms(row.rendered.max)} | ${ms(row.painted.median)}`,
    );
    if (row.rendered.median > BUDGET_MS) failed = true;
  }
  const worst = Math.max(...rows.map((r) => r.rendered.median));
  // Timings scale with whatever else the machine is doing; say how busy it was.
  const load = os.loadavg()[0].toFixed(1);
  console.log(`machine: ${os.cpus().length} CPUs, load average ${load} during the run`);
  console.log(
    `\n${failed ? '✖' : '✔'} ${FINDINGS} findings, ${RUNS} runs per filter: slowest median filter-to-render ${worst.toFixed(1)} ms (budget ${BUDGET_MS} ms)`,
  );
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
