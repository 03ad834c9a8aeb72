// `npm test`: every check the project has, in order, each one loud when it fails.
// Runs them all (a failing lint does not hide a failing test), prints a summary,
// and exits non-zero if any failed. Missing system prerequisites (Java, Chromium)
// are installed by scripts/tooling/setup/install-prereqs.sh where the machine allows it.
// Last, it fails if a process a check started is still running (lib/leftover-processes.js).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUN_MARKER, leftoverProcesses } from './lib/leftover-processes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const checks = [
  ['prerequisites (Java)', 'bash', ['scripts/tooling/setup/install-prereqs.sh', '--java']],
  ['TypeScript build', 'node', ['scripts/tooling/build/compile-ts.js']],
  ['ESLint', bin('eslint'), ['--max-warnings=0', '.']],
  ['Prettier', bin('prettier'), ['--check', '--log-level=warn', '.']],
  // Two workers even on two cores: jest's default there (one) runs the suites one by one, and
  // many of them wait on child processes; measured 460 s with one, 205 s with two.
  ['Jest (with coverage)', bin('jest'), ['--coverage', '--ci', '--maxWorkers=2']],
  // The package's Apex tests, executed by the local Apex runtime (scripts/tooling/apex/).
  [
    'Apex tests in the local runtime',
    'node',
    ['--import', './scripts/cli/bin/register.js', 'scripts/tooling/apex/cli/apexTest.js'],
  ],
  // The Apex engine and the TypeScript engine: whole reports on 500 + 50 (tr_TR) random snapshots.
  [
    'Apex/TypeScript engine parity',
    'node',
    ['--import', './scripts/cli/bin/register.js', 'scripts/tooling/apex/cli/apexParity.js'],
  ],
  ['Apex syntax', 'node', ['scripts/tooling/checks/apex-syntax.js']],
  ['Apex semantics', 'node', ['scripts/tooling/checks/apex-semantic.js']],
  ['Apex SOQL/DML in loops', 'node', ['scripts/tooling/checks/apex-loops.js']],
  ['Apex SOQL budget per check run', 'node', ['scripts/tooling/checks/apex-soql-budget.js']],
  ['Apex query row bounds', 'node', ['scripts/tooling/checks/apex-query-bounds.js']],
  ['Apex SOQL field lists', 'node', ['scripts/tooling/checks/apex-soql-fields.js']],
  ['PMD (AppExchange + Security)', 'node', ['scripts/tooling/checks/apex-pmd.js']],
  [
    'sf project convert + manifest (offline)',
    'node',
    ['scripts/tooling/checks/sf-project-convert.js'],
  ],
  ['Metadata consistency', 'node', ['scripts/tooling/checks/metadata-consistency.js']],
  // No module of the project imports itself back through others (scripts/tooling/checks/import-cycles.js).
  ['Import cycles', 'node', ['scripts/tooling/checks/import-cycles.js']],
  // The product (force-app/, scripts/cli/) never imports the tooling (scripts/tooling/).
  ['Import layers', 'node', ['scripts/tooling/checks/import-layers.js']],
  ['Check scripts catch planted defects', 'node', ['scripts/tooling/checks/selftest.js']],
  ['prerequisites (Chromium)', 'bash', ['scripts/tooling/setup/install-prereqs.sh', '--chromium']],
  ['Dashboard in Chromium', 'node', ['scripts/tooling/checks/dashboard-browser.js']],
];

const only = process.argv.slice(2);
const results = [];
// Every process the checks start inherits this marker, so the last step can find the ones left.
const runId = `${process.pid}-${Date.now()}`;
const env = { ...process.env, [RUN_MARKER]: runId };
for (const [name, command, args] of checks) {
  if (only.length && !only.some((o) => name.toLowerCase().includes(o.toLowerCase()))) continue;
  process.stdout.write(`\n━━ ${name}\n`);
  const started = Date.now();
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = run.status === 0;
  if (run.error)
    process.stdout.write(`✖ ${name}: could not start ${command}: ${run.error.message}\n`);
  results.push({ name, ok, seconds });
}

process.stdout.write('\n━━ No process left behind\n');
const leftovers = await leftoverProcesses(runId, { exclude: [process.pid] });
if (leftovers === null) {
  process.stdout.write('(no /proc on this system: not checked)\n');
} else {
  for (const p of leftovers) process.stdout.write(`  still running: pid ${p.pid}: ${p.command}\n`);
  process.stdout.write(
    leftovers.length
      ? `✖ ${leftovers.length} process(es) started by this run are still running\n`
      : '✔ every process started by this run has exited\n',
  );
  results.push({ name: 'No process left behind', ok: leftovers.length === 0, seconds: '0.0' });
}

process.stdout.write('\n━━ Summary\n');
for (const r of results) process.stdout.write(`${r.ok ? '✔' : '✖'} ${r.name} (${r.seconds}s)\n`);
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`checks: ${results.length - failed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
