/**
 * How the org scripts run the Salesforce CLI. Everything that talks to an org goes through one
 * `SfRunner`, so the scripts can be tested without an org by passing a runner that records the
 * commands and answers them from fixtures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The JSON envelope `sf ... --json` prints: `status` 0 on success, else `name` and `message`. */
export interface SfJson {
  status: number;
  result?: unknown;
  name?: string;
  message?: string;
}

export interface SfResult {
  /** The process exit code. */
  status: number;
  /** Parsed stdout when the command was run with --json and printed JSON; else null. */
  json: SfJson | null;
}

export interface RunOptions {
  /** Show the command's own output as it runs (deploys, org open) instead of capturing JSON. */
  stream?: boolean;
}

/** Runs `sf <args>` and returns its exit code and, for --json commands, the parsed output. */
export type SfRunner = (args: string[], options?: RunOptions) => SfResult;

/** No update checks, no telemetry, no progress bars: scripts must not wait or phone home. */
export const SF_ENV: Readonly<Record<string, string>> = {
  // Both spellings: oclif's update hook, which spawns a detached `sf update --autoupdate` that
  // outlives the command, reads only SF_DISABLE_AUTOUPDATE; an npm-installed CLI sets it itself
  // only when SF_AUTOUPDATE_DISABLE is not set, so setting that one alone leaves the hook on.
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
  SF_DISABLE_TELEMETRY: 'true',
  SF_USE_PROGRESS_BAR: 'false',
};

/** Thrown when the CLI itself cannot be started. */
export class SfCliMissingError extends Error {
  override name = 'SfCliMissingError';
}

/**
 * The real runner: the project's pinned CLI (node_modules/.bin/sf) or, failing that, `sf` on the
 * PATH. Standard input is closed, so a command that would prompt fails instead of waiting.
 */
export function createSfRunner(projectDir: string): SfRunner {
  const local = path.join(projectDir, 'node_modules', '.bin', 'sf');
  const bin = existsSync(local) ? local : 'sf';
  return (args, options = {}) => {
    const run = spawnSync(bin, args, {
      cwd: projectDir,
      env: { ...process.env, ...SF_ENV },
      stdio: options.stream ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.error) {
      throw new SfCliMissingError(
        `Could not start the Salesforce CLI (${bin}): ${run.error.message}. Run: npm ci`,
      );
    }
    return { status: run.status ?? 1, json: options.stream ? null : parseJson(run.stdout) };
  };
}

function parseJson(stdout: string | null): SfJson | null {
  if (!stdout) return null;
  try {
    const value = JSON.parse(stdout) as unknown;
    return value && typeof value === 'object' && 'status' in value ? (value as SfJson) : null;
  } catch {
    return null;
  }
}
