// Finds Debian's Chromium and launches it headless for the browser test and the benchmark.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const INSTALL_HINT =
  'bash scripts/tooling/setup/install-prereqs.sh --chromium   (or: npm run prereqs)';

/** The Chromium executable: $CHROMIUM_PATH, else `chromium` or `chromium-browser` on PATH. */
export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // not on PATH; try the next name
    }
  }
  return null;
}

/**
 * A headless Chromium with a fresh profile and nothing running in the background
 * (no first-run, sync, component updates or background networking), so a run
 * depends only on the page under test. `close()` removes the profile.
 */
export async function launchChromium() {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw new Error(`Chromium is not installed. Install it with:\n    ${INSTALL_HINT}`);
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'analytics-health-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1440, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
