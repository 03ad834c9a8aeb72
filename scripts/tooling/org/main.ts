/**
 * `node scripts/tooling/bin/org.js <command> [options]`, behind the npm scripts deploy, test:apex,
 * demo:org, demo:org:delete and package:version (see docs/packaging.md).
 * Prints what failed and the command that fixes it; the exit code says which kind of failure.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMANDS, EXIT, OrgScriptError, parseOptions } from './orgScripts';
import type { SfdxProject } from './orgScripts';
import { SfCliMissingError, createSfRunner } from './sfCli';

const projectDir = process.cwd();
const [command, ...argv] = process.argv.slice(2);

function buildTypeScript(): void {
  const run = spawnSync(
    process.execPath,
    [path.join('scripts', 'tooling', 'build', 'compile-ts.js')],
    {
      cwd: projectDir,
      stdio: 'inherit',
    },
  );
  if (run.status !== 0)
    throw new Error(`scripts/tooling/build/compile-ts.js exited with ${run.status}`);
}

try {
  const action = COMMANDS[command ?? ''];
  if (!action)
    throw new OrgScriptError(
      `Usage: node scripts/tooling/bin/org.js <${Object.keys(COMMANDS).join('|')}> [options]`,
      EXIT.USAGE,
    );
  const project = JSON.parse(
    readFileSync(path.join(projectDir, 'sfdx-project.json'), 'utf8'),
  ) as SfdxProject;
  action(
    { sf: createSfRunner(projectDir), build: buildTypeScript, project, log: (l) => console.log(l) },
    parseOptions(argv),
  );
} catch (error) {
  if (error instanceof OrgScriptError || error instanceof SfCliMissingError) {
    console.error(`✖ ${error.message}`);
    process.exitCode = error instanceof OrgScriptError ? error.exitCode : EXIT.FAILED;
  } else {
    throw error;
  }
}
