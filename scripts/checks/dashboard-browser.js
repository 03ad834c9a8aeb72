// `npm test` step "Dashboard in Chromium": builds the local preview, serves it on a free
// port and drives headless Chromium through it like an admin would: run the check,
// compare every number on screen with the engine's own report for the same snapshot,
// filter, open a finding, export JSON and CSV, work the page by keyboard, run axe-core,
// and see the healthy snapshot and the permission error. Screenshots go to
// artifacts/screenshots/ (git-ignored) so a person can look.
//
//   node scripts/checks/dashboard-browser.js [--no-build]
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import '../bin/register.js';
import { INSTALL_HINT, chromiumPath, launchChromium } from '../browser/chromium.js';
import { buildPreview } from '../preview/build.js';
import { startServer } from '../preview/server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'artifacts', 'screenshots');
const started = Date.now();

if (!chromiumPath()) {
  console.error(
    `✖ Dashboard in Chromium: Chromium is not installed.\n  Install it with: ${INSTALL_HINT}`,
  );
  process.exit(1);
}

const engine = await import(
  pathToFileURL(path.join(ROOT, 'force-app/main/default/lwc/healthEngine/healthEngine.js')).href
);
const { loadCatalogRecords } = await import(
  pathToFileURL(path.join(ROOT, 'scripts/lib/catalogSource.js')).href
);
const catalog = engine.compileCatalog(loadCatalogRecords());

/** The engine's report for a demo snapshot: what the screen must show. */
function expectedReport(snapshot) {
  const file = path.join(ROOT, 'scripts', 'snapshots', `${snapshot}.json`);
  return engine.evaluate(engine.validateOrgFacts(JSON.parse(readFileSync(file, 'utf8'))), catalog);
}

const steps = [];
async function step(name, fn) {
  const t = Date.now();
  try {
    await fn();
    steps.push({ name, ok: true, ms: Date.now() - t });
    console.log(`  ✔ ${name} (${Date.now() - t} ms)`);
  } catch (error) {
    steps.push({ name, ok: false, ms: Date.now() - t });
    console.log(`  ✖ ${name}\n    ${String(error.message).split('\n').join('\n    ')}`);
  }
}

const text = async (page, selector) => (await page.locator(selector).first().innerText()).trim();
const count = async (page, key) => Number(await text(page, `[data-count="${key}"] dd`));

async function chooseOption(page, filter, label) {
  await page.locator(`lightning-combobox[data-filter="${filter}"] button`).first().click();
  await page
    .locator(`lightning-combobox[data-filter="${filter}"] [role="option"]`)
    .filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) })
    .first()
    .click();
}

async function waitForCount(page, selector, expected, timeout = 5000) {
  const until = Date.now() + timeout;
  let actual = -1;
  while (Date.now() < until) {
    actual = await page.locator(selector).count();
    if (actual === expected) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`expected ${expected} × ${selector}, found ${actual}`);
}

/** The focused element, looking through shadow roots. */
function focusedDescription(page) {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (!active) return '';
    const ownText = (active.getAttribute('aria-label') || active.textContent || '').trim();
    return `${active.tagName.toLowerCase()}|${active.getAttribute('data-id') ?? ''}|${ownText.slice(0, 80)}`;
  });
}

async function tabUntil(page, predicate, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await focusedDescription(page);
    if (predicate(focused)) return focused;
  }
  throw new Error(
    `Tab never reached the expected element (last focus: ${await focusedDescription(page)})`,
  );
}

rmSync(SHOTS, { recursive: true, force: true });
mkdirSync(SHOTS, { recursive: true });
const shot = (page, name, fullPage = false) =>
  page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });

if (!process.argv.includes('--no-build')) await buildPreview({ quiet: true });
const { server, url } = await startServer({ port: 0 });
const browser = await launchChromium();
const page = await browser.context.newPage();
const pageErrors = [];
page.on('pageerror', (error) => pageErrors.push(error.message));
console.log(`Dashboard in Chromium — preview at ${url}`);

try {
  const broken = expectedReport('demo-broken-org');

  await step('empty state says what to do', async () => {
    await page.goto(`${url}?snapshot=demo-broken-org&delay=600`);
    // The catalog size arrives from getCatalog a moment after the page renders.
    await page
      .locator('[data-id="empty"]', { hasText: `${catalog.rules.length} active rules` })
      .waitFor({ timeout: 5000 });
    const empty = await text(page, '[data-id="empty"]');
    assert.match(empty, /Click Run check/);
    await shot(page, '01-empty');
  });

  await step('Run check shows progress, then the report', async () => {
    await page.locator('lightning-button[data-id="run"] button').click();
    await page.locator('[data-id="progress"]').waitFor();
    assert.match(await text(page, '[data-id="progress"]'), /Running the rules/);
    assert.match(await page.locator('[data-id="announcement"]').textContent(), /Running the rules/);
    await shot(page, '02-running');
    await page.locator('[data-id="score"]').waitFor();
    await page.locator('[data-id="progress"]').waitFor({ state: 'detached' });
    assert.match(await page.locator('[data-id="announcement"]').textContent(), /Check finished/);
  });

  await step('numbers on screen equal the engine report', async () => {
    assert.equal(await text(page, '[data-id="score"]'), `${broken.score}/100`);
    for (const key of ['critical', 'warning', 'info', 'passed', 'notEvaluated', 'errors']) {
      assert.equal(await count(page, key), broken.summary[key], `count ${key}`);
    }
    assert.equal(
      await text(page, '[data-id="result-count"]'),
      `${broken.findings.length} of ${broken.findings.length} findings`,
    );
    const notEvaluated = broken.findings.filter((f) => f.status === 'NOT_EVALUATED').length;
    assert.equal(
      await page.locator('c-health-not-evaluated-list li[data-rule]').count(),
      notEvaluated,
    );
    const usernames = await page
      .locator('c-health-system-user-card [data-id="username"]')
      .allInnerTexts();
    assert.deepEqual(usernames, [
      'integration@00d5g000004xyzaeak.com',
      'insightssecurity@00d5g000004xyzaeak.com',
    ]);
    const failedJobs = broken.findings.filter(
      (f) => f.subject.type === 'job' && f.status === 'FAIL',
    );
    assert.equal(
      await page.locator('c-health-change-timeline li[data-kind="failedJob"]').count(),
      failedJobs.length,
    );
    await shot(page, '03-report');
    await shot(page, '03-report-full', true);
  });

  await step('filters by severity and status, and by search', async () => {
    await chooseOption(page, 'severity', 'Critical');
    await chooseOption(page, 'status', 'Failed');
    const critical = broken.findings.filter(
      (f) => f.severity === 'CRITICAL' && f.status === 'FAIL',
    );
    assert.equal(
      await text(page, '[data-id="result-count"]'),
      `${critical.length} of ${broken.findings.length} findings`,
    );
    assert.equal(await page.locator('c-health-finding-item').count(), critical.length);
    const severities = await page
      .locator('c-health-finding-item article')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-status')));
    assert.ok(severities.every((s) => s === 'FAIL'));
    await shot(page, '04-filtered');
    await page.locator('[data-id="clear-filters"] button').click();
    const term = 'invoice__c';
    await page.locator('lightning-input[data-filter="search"] input').fill(term);
    const matching = broken.findings.filter((f) =>
      [f.ruleId, f.subject.label, f.subject.id, f.message, f.remediation, f.reason]
        .join('\n')
        .toLowerCase()
        .includes(term),
    );
    assert.ok(matching.length > 0);
    await waitForCount(page, 'c-health-finding-item', matching.length);
    assert.equal(
      await text(page, '[data-id="result-count"]'),
      `${matching.length} of ${broken.findings.length} findings`,
    );
  });

  await step('a finding opens to why, fix, evidence and source', async () => {
    const first = page.locator('c-health-finding-item').first();
    const ruleId = await first.locator('article').getAttribute('data-rule');
    await first.locator('[data-id="toggle"]').click();
    assert.equal(await first.locator('[data-id="toggle"]').getAttribute('aria-expanded'), 'true');
    const rule = broken.rules.find((r) => r.id === ruleId);
    assert.equal(await text(first, '[data-id="help"]'), rule.helpText);
    assert.match(await text(first, '[data-id="setup-path"]'), /^Setup > /);
    const hrefs = await first
      .locator('[data-id="article"]')
      .evaluateAll((links) => links.map((a) => a.href));
    assert.deepEqual(
      hrefs,
      rule.sourceArticle
        .split(/[\s,;]+/)
        .map((a) => `https://help.salesforce.com/s/articleView?id=${a}&type=1`),
    );
    assert.ok((await first.locator('[data-id="evidence"]').count()) === 1);
    await shot(page, '05-finding-open');
    await page.locator('[data-id="clear-filters"] button').click();
  });

  await step('exports JSON and CSV with the report content', async () => {
    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('lightning-button[data-format="csv"] button').click(),
    ]);
    assert.match(csvDownload.suggestedFilename(), /^analytics-health-00D5g000004XyZaEAK-.*\.csv$/);
    const csv = readFileSync(await csvDownload.path(), 'utf8');
    assert.equal(csv, engine.reportToCsv(broken));
    const [jsonDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('lightning-button[data-format="json"] button').click(),
    ]);
    const exported = JSON.parse(readFileSync(await jsonDownload.path(), 'utf8'));
    assert.deepEqual({ ...exported, evaluatedAt: '' }, { ...broken, evaluatedAt: '' });
  });

  await step('keyboard: run the check, reach the filters and open a finding', async () => {
    await page.goto(`${url}?snapshot=demo-broken-org&delay=0`);
    await page.locator('[data-id="empty"]').waitFor();
    await tabUntil(page, (f) => f.includes('Run check'));
    await page.keyboard.press('Enter');
    await page.locator('[data-id="score"]').waitFor();
    await tabUntil(page, (f) => f.startsWith('input|') && f.includes(''));
    assert.match(await focusedDescription(page), /^input\|/);
    await page.keyboard.type('frozen');
    await tabUntil(page, (f) => f.startsWith('button|toggle|'));
    await page.keyboard.press('Enter');
    const open = page.locator('c-health-finding-item [data-id="toggle"][aria-expanded="true"]');
    assert.equal(await open.count(), 1);
    await shot(page, '06-keyboard');
  });

  await step('axe-core: no serious or critical violations', async () => {
    for (const state of ['report', 'open finding']) {
      if (state === 'report') {
        await page.goto(`${url}?snapshot=demo-broken-org&delay=0`);
        await page.locator('lightning-button[data-id="run"] button').click();
        await page.locator('[data-id="score"]').waitFor();
      } else {
        await page.locator('c-health-finding-item [data-id="toggle"]').first().click();
      }
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
      assert.equal(
        bad.length,
        0,
        `${state}: ${bad
          .map(
            (v) =>
              `${v.id} (${v.impact}): ${v.nodes
                .map((n) => n.target.join(' '))
                .slice(0, 3)
                .join('; ')}`,
          )
          .join('\n')}`,
      );
    }
  });

  await step('healthy snapshot from the switch scores as the engine says', async () => {
    const healthy = expectedReport('demo-healthy-org');
    await page.selectOption('#snapshot', 'demo-healthy-org');
    await page.waitForURL(/snapshot=demo-healthy-org/);
    await page.locator('lightning-button[data-id="run"] button').click();
    await page.locator('[data-id="score"]').waitFor();
    assert.equal(await text(page, '[data-id="score"]'), `${healthy.score}/100`);
    assert.equal(await text(page, '[data-id="status"]'), 'Healthy');
    assert.equal(await count(page, 'passed'), healthy.summary.passed);
    await shot(page, '07-healthy');
  });

  await step('a controller error is shown as an error with what to do', async () => {
    await page.goto(`${url}?fail=permission&delay=0`);
    await page.locator('[data-id="catalog-error"]').waitFor();
    await page.locator('lightning-button[data-id="run"] button').click();
    await page.locator('[data-id="error"]').waitFor();
    assert.match(await text(page, '[data-id="error"]'), /Analytics_Health_Run_Check/);
    assert.match(await text(page, '[data-id="error"]'), /Analytics Health Admin/);
    assert.equal(await page.locator('[data-id="score"]').count(), 0);
    await shot(page, '08-error');
  });

  await step('no script errors in the page', async () => {
    assert.deepEqual(pageErrors, []);
  });
} finally {
  await browser.close();
  server.close();
}

const failed = steps.filter((s) => !s.ok);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  `${failed.length === 0 ? '✔' : '✖'} Dashboard in Chromium: ${steps.length - failed.length}/${steps.length} steps passed in ${seconds}s; screenshots in ${path.relative(ROOT, SHOTS)}/`,
);
process.exit(failed.length === 0 ? 0 : 1);
