/**
 * `npm run apex:run -- <file.apex>`: runs a file of anonymous Apex, with the project's classes, as
 * one synchronous transaction; the jobs it queues run afterwards, each in its own transaction.
 * Each System.debug(x) prints String.valueOf(x) alone on a line of stdout. An uncaught exception
 * prints 'TypeName: message' on stderr and exits 1 (so does a queued job that fails); input that
 * cannot run — no such file, not a file, a syntax error, an unsupported construct — prints one
 * line and exits 2.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { installHarness, asThrownApex } from '../harness/install';
import {
  loadProjectRuntime,
  processIo,
  projectRoot,
  refusalLine,
  type Io,
  type RuntimeLoader,
} from './common';

const USAGE = 'usage: apex:run <file.apex>';

export async function run(
  argv: string[],
  io: Io = processIo,
  load: RuntimeLoader = loadProjectRuntime,
): Promise<number> {
  if (argv.length !== 1 || argv[0].startsWith('--')) {
    io.stderr(`apex:run: ${argv.length === 0 ? 'no file given' : 'one file expected'}\n${USAGE}\n`);
    return 2;
  }
  const file = argv[0];
  let text: string;
  try {
    if (!statSync(file).isFile()) {
      io.stderr(`${file}: not a regular file\n`);
      return 2;
    }
    text = readFileSync(file, 'utf8');
  } catch {
    io.stderr(`${file}: no such file\n`);
    return 2;
  }
  try {
    const runtime = await load(projectRoot());
    const harness = installHarness(runtime, {
      debug: { write: (line) => io.stdout(`${line}\n`) },
    });
    try {
      runtime.runAnonymous(text, path.basename(file));
    } catch (error) {
      const thrown = asThrownApex(error);
      if (!thrown) throw error;
      io.stderr(`${thrown.typeName}: ${thrown.message}\n`);
      return 1;
    }
    // The transaction committed: its queued jobs run now, each in its own transaction.
    const failed = harness.queue.drain();
    for (const job of failed) {
      io.stderr(
        `${job.failure?.typeName}: ${job.failure?.message} (queued job ${job.className})\n`,
      );
    }
    return failed.length > 0 ? 1 : 0;
  } catch (error) {
    const line = refusalLine(error);
    if (line !== null) {
      io.stderr(`${line}\n`);
      return 2;
    }
    throw error;
  }
}

const isMain = process.argv[1]?.replace(/\.[jt]s$/, '').endsWith('apexRun');
if (isMain) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `apex:run: internal error: ${String((error as Error)?.stack ?? error)}\n`,
      );
      process.exit(3);
    },
  );
}
