#!/usr/bin/env node
// Launcher for the scripts that need an org (scripts/tooling/org, TypeScript compiled by `npm run build`,
// which `npm ci` runs): `node scripts/tooling/bin/org.js <deploy|test:apex|demo:org|...> [options]`.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const main = new URL('../org/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('The org scripts are not built yet. Run: npm run build\n');
  process.exit(2);
}
register('../../cli/bin/resolve-extensionless.js', import.meta.url);
await import(main.href);
