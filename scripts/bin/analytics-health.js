#!/usr/bin/env node
// Launcher for the analytics-health CLI. The CLI and the engine are TypeScript
// compiled to .js by `npm run build` (run automatically by `npm ci`).
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const cli = new URL('../cli/analyticsHealth.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('analytics-health: the CLI is not built yet. Run: npm run build\n');
  process.exit(2);
}
register('./resolve-extensionless.js', import.meta.url);
const { run } = await import(cli.href);
const code = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
