/**
 * What the two sf commands share: they turn their flags back into the standalone CLI's arguments
 * and run the very same parseArgs and execute, so options, checks, formats and exit codes cannot
 * drift apart. Only the presentation is sf's: a spinner for progress, the --json envelope, notes
 * as sf warnings, and errors raised as sf errors with exit code 2.
 */
import { register } from 'node:module';
import { SfError } from '@salesforce/core';
import type { SfCommand } from '@salesforce/sf-plugins-core';

// The engine's modules import each other without extensions (the LWC form); the bin installs the
// same resolve hook before it loads the CLI.
register('../bin/resolve-extensionless.js', import.meta.url);

type Cli = typeof import('../analyticsHealth');

let cli: Promise<Cli> | undefined;
function loadCli(): Promise<Cli> {
  cli ??= import('../analyticsHealth.js');
  return cli;
}

/**
 * Every error of the commands exits 2, as in the standalone CLI: a wrong flag value (oclif says 1),
 * an unknown org, an unreadable file. Exit 1 stays the answer "a finding failed".
 */
export function asUsageFailure(error: Error): Error {
  const oclif = (error as { oclif?: { exit?: number } }).oclif;
  if (oclif) oclif.exit = 2;
  if (error instanceof SfError) {
    error.exitCode = 2;
    return error;
  }
  return new SfError(
    error.message,
    error.name === 'Error' ? 'InvalidInput' : error.name,
    [],
    2,
    error,
  );
}

/**
 * Runs `argv` (the standalone CLI's arguments) inside an sf command. With --json the report or
 * rule list is the command's result; without it the chosen format is printed as the bin prints it.
 * Exit 1 (a FAIL at or above --fail-on) is set on process.exitCode, which sf also puts in the
 * envelope's status.
 */
export async function runInSf(
  command: SfCommand<unknown>,
  argv: string[],
  spinnerTitle: string | null,
): Promise<unknown> {
  const { execute, parseArgs, UsageError } = await loadCli();
  let options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      throw new SfError(error.message, 'AnalyticsHealthUsage', undefined, 2);
    }
    throw error;
  }
  let result: unknown;
  let failure: string | null = null;
  let spinning = false;
  const stopSpinner = () => {
    if (spinning) command.spinner.stop();
    spinning = false;
  };
  // A terminal shows the latest step on a spinner; a log (CI) keeps every step on its own line,
  // as the bin writes them.
  if (spinnerTitle && process.stderr.isTTY) {
    command.spinner.start(spinnerTitle);
    spinning = true;
  }
  const code = await execute(options, {
    stdout: (text) => {
      stopSpinner();
      process.stdout.write(text);
    },
    stderr: (text) => {
      const line = text.replace(/\n$/, '');
      if (line.startsWith('note: ')) command.warn(line.slice('note: '.length));
      else command.logToStderr(line);
    },
    progress: (text) => {
      if (spinning) command.spinner.status = text.trim();
      else command.logToStderr(text);
    },
    ...(command.jsonEnabled() ? { result: (value: unknown) => (result = value) } : {}),
    error: (message) => (failure = message),
  });
  stopSpinner();
  if (code === 2) {
    throw new SfError(failure ?? 'the check could not run', 'AnalyticsHealthError', undefined, 2);
  }
  if (code === 1) process.exitCode = 1;
  return result;
}
