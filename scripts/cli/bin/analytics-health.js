#!/usr/bin/env node
// Launcher for the analytics-health CLI. The CLI and the engine are TypeScript
// compiled to .js by `npm run build` (run automatically by `npm ci`).
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const cli = new URL('../analyticsHealth.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('analytics-health: the CLI is not built yet. Run: npm run build\n');
  process.exit(2);
}
const argv = process.argv.slice(2);

/** The --facts file of a check (the last one given), as the CLI will read it; else null. */
function factsFile(args) {
  if (args[0] !== 'check') return null;
  let file = null;
  for (let i = 1; i < args.length - 1; i++) {
    if (args[i] === '--facts' && !args[i + 1].startsWith('--')) file = args[i + 1];
  }
  return file;
}

// A large snapshot is read on a background thread while the CLI's modules load. Only a
// shortcut: the CLI checks its arguments itself, and reads the file on its own when this
// read was not of its --facts file or did not succeed (then saying why).
const { SNAPSHOT_MAX_BYTES, prefetchRegularFile, prefetchedFile } =
  await import('../lib/regularFile.js');
const facts = factsFile(argv);
// Only the holder keeps the bytes (no variable here does), so they are freed once parsed.
const reading =
  facts === null
    ? null
    : prefetchRegularFile(facts, SNAPSHOT_MAX_BYTES).then((bytes) =>
        bytes ? prefetchedFile(facts, bytes) : null,
      );

register('./resolve-extensionless.js', import.meta.url);
const { run } = await import(cli.href);
const prefetched = await reading;
const code = await run(
  argv,
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  },
  undefined,
  prefetched ? { prefetched } : {},
);
process.exitCode = code;
