// apex-semantic: runs the Apex Language Server's CheckForIssues (apex-ls, shipped as a jar inside
// @salesforce/code-analyzer-pmd-engine) over the project. Why: without an org this is the only way
// to catch what a compiler would — unknown types, methods that do not exist, wrong argument types,
// DML on non-SObjects, missing -meta.xml files. It reads sfdx-project.json at the project root.
//
// Failing: every Error, Syntax, Missing and Warning finding fails the check. Warnings fail too on
// purpose: the package is new, apex-ls warnings are real defects (not style), and a warning that
// is allowed to stay soon hides the next one. "Unused" findings are not requested (-d warnings):
// public methods only called from LWC or tests would be flagged until the product code uses them.
//
// Needs Java 11+ on PATH (the check fails with a clear message otherwise, never skips).
//
// Usage: node scripts/tooling/checks/apex-semantic.js [projectDir]   (default: current directory)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkJava,
  isMain,
  listApexFiles,
  printHeader,
  printSummary,
  rel,
  runCli,
} from './lib/check-runner.js';

const NAME = 'apex-semantic';
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const JAVA_LIB = path.join(
  REPO_ROOT,
  'node_modules/@salesforce/code-analyzer-pmd-engine/dist/java-lib',
);
const MAIN_CLASS = 'io.github.apexdevtools.apexls.CheckForIssues';
// CheckForIssues exit codes: 0 = no issues, 4 = issues found; anything else (1 bad arguments,
// 3 exception) means the analysis did not run properly.
const EXIT_OK = 0;
const EXIT_ISSUES = 4;
const FAILING_CATEGORIES = new Set(['Error', 'Syntax', 'Missing', 'Warning']);

export async function run(projectDir) {
  printHeader(NAME, 'apex-ls CheckForIssues (types, methods, signatures, metadata)');
  const fail = (message) => {
    printSummary(NAME, false, message);
    return { ok: false, errors: [message] };
  };

  const java = checkJava();
  if (!java.ok) return fail(java.message);
  if (!existsSync(JAVA_LIB)) return fail(`apex-ls jars not found at ${JAVA_LIB}; run npm ci`);
  if (!existsSync(path.join(projectDir, 'sfdx-project.json'))) {
    return fail(`no sfdx-project.json in ${projectDir}`);
  }
  const apexFiles = listApexFiles(projectDir);
  if (apexFiles.length === 0) return fail(`no .cls or .trigger files found in ${projectDir}`);

  const args = [
    '-cp',
    `${JAVA_LIB}${path.sep}*`,
    MAIN_CLASS,
    '--nocache',
    '--detail',
    'warnings',
    '--format',
    'json',
    '--workspace',
    projectDir,
  ];
  const result = spawnSync('java', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) return fail(`could not start java: ${result.error.message}`);
  if (result.status !== EXIT_OK && result.status !== EXIT_ISSUES) {
    return fail(
      `CheckForIssues exited with code ${result.status}:\n${result.stdout}${result.stderr}`,
    );
  }

  const findings = parseFindings(result.stdout);
  if (findings === null) {
    // Plain-text output instead of JSON, e.g. "No sfdx-project.json found": show it as is.
    return fail(
      `CheckForIssues output was not JSON (exit ${result.status}):\n${result.stdout}${result.stderr}`,
    );
  }
  if (result.status === EXIT_ISSUES && findings.length === 0) {
    return fail(
      `CheckForIssues reported issues (exit 4) but none could be read:\n${result.stdout}`,
    );
  }

  const errors = [];
  const notes = [];
  for (const f of findings) {
    const line = `${rel(projectDir, f.path)}:${f.line}:${f.column} ${f.category} — ${f.message}`;
    (FAILING_CATEGORIES.has(f.category) ? errors : notes).push(line);
  }
  for (const line of errors) console.log(`  ${line}`);
  for (const line of notes) console.log(`  (info) ${line}`);

  const ok = errors.length === 0;
  const scope = `${apexFiles.length} Apex file(s), ${java.message}`;
  printSummary(NAME, ok, ok ? `no issues (${scope})` : `${errors.length} issue(s) (${scope})`);
  return { ok, errors };
}

/** Flattens CheckForIssues' JSON ({ files: [{ path, messages: [...] }] }); null if not JSON. */
function parseFindings(stdout) {
  const start = stdout.indexOf('{');
  if (start < 0) return stdout.trim() === '' ? [] : null;
  let report;
  try {
    report = JSON.parse(stdout.slice(start));
  } catch {
    return null;
  }
  return (report.files ?? []).flatMap((file) =>
    (file.messages ?? []).map((m) => ({
      path: file.path,
      line: m.start?.line ?? 0,
      column: (m.start?.offset ?? 0) + 1,
      category: m.category,
      message: m.message,
    })),
  );
}

if (isMain(import.meta.url)) await runCli(NAME, run);
