// Small helpers shared by the check scripts in scripts/tooling/checks/:
// - consistent summary lines (✔ name: summary / ✖ name: summary),
// - listing source files by extension (node_modules and dot-folders skipped),
// - the Java prerequisite check used by the Java-based Apex checks,
// - a CLI wrapper so each check is both importable (`run(projectDir)`) and runnable
//   (`node scripts/tooling/checks/<check>.js [projectDir]`, exit 0 = pass, 1 = fail).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const JAVA_REQUIRED_MESSAGE =
  'Java 11+ is required for the Apex checks. Run: npm run prereqs';
const MIN_JAVA_MAJOR = 11;

/** Prints the line that opens a check's output. */
export function printHeader(name, description) {
  console.log(`\n── ${name} ── ${description}`);
}

/** Prints the final ✔/✖ line of a check. */
export function printSummary(name, ok, summary) {
  console.log(`${ok ? '✔' : '✖'} ${name}: ${summary}`);
}

/**
 * Lists files under `dir` (recursively) whose name ends with one of `extensions`
 * (e.g. ['.cls', '.trigger']). Skips node_modules and dot-folders. Sorted, absolute paths.
 */
export function listFiles(dir, extensions) {
  const found = [];
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      found.push(...listFiles(full, extensions));
    } else if (extensions.some((ext) => entry.name.endsWith(ext))) {
      found.push(full);
    }
  }
  return found.sort();
}

/**
 * Source folders of the project: the packageDirectories of sfdx-project.json,
 * or force-app when the file is missing or lists none.
 */
export function sourceDirs(projectDir) {
  const projectFile = path.join(projectDir, 'sfdx-project.json');
  let dirs = [];
  if (existsSync(projectFile)) {
    const project = JSON.parse(readFileSync(projectFile, 'utf8'));
    dirs = (project.packageDirectories ?? []).map((p) => p.path).filter(Boolean);
  }
  if (dirs.length === 0) dirs = ['force-app'];
  return dirs.map((d) => path.resolve(projectDir, d));
}

/** Lists the .cls and .trigger files of the project. */
export function listApexFiles(projectDir) {
  return sourceDirs(projectDir).flatMap((dir) => listFiles(dir, ['.cls', '.trigger']));
}

/** Path relative to the project, with forward slashes, for readable output. */
export function rel(projectDir, file) {
  return path.relative(projectDir, file).split(path.sep).join('/');
}

/**
 * Checks that `java -version` runs and reports version 11 or later.
 * Returns { ok, major, message }; message is JAVA_REQUIRED_MESSAGE (plus the reason) when not ok.
 */
export function checkJava() {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    const reason =
      result.error?.code === 'ENOENT'
        ? 'java not found on PATH'
        : result.error
          ? result.error.message
          : `exit code ${result.status}`;
    return {
      ok: false,
      major: null,
      message: `${JAVA_REQUIRED_MESSAGE}\n  (java -version failed: ${reason})`,
    };
  }
  // "openjdk version "17.0.15" ..." or "java version "1.8.0_392" ..." (printed on stderr).
  const match = /version\s+"?(\d+)(?:\.(\d+))?/i.exec(`${result.stderr}\n${result.stdout}`);
  let major = match ? Number(match[1]) : NaN;
  if (major === 1 && match[2]) major = Number(match[2]); // 1.8 → 8
  if (!(major >= MIN_JAVA_MAJOR)) {
    const found = Number.isNaN(major) ? 'unknown version' : `Java ${major}`;
    return { ok: false, major, message: `${JAVA_REQUIRED_MESSAGE}\n  (found ${found})` };
  }
  return { ok: true, major, message: `Java ${major}` };
}

/** True when the module with this import.meta.url is the script node was started with. */
export function isMain(importMetaUrl) {
  return (
    Boolean(process.argv[1]) && importMetaUrl === pathToFileURL(path.resolve(process.argv[1])).href
  );
}

/**
 * Runs `run(projectDir)` for a CLI invocation: projectDir is argv[2] or the cwd.
 * Sets the exit code from the result's `ok`; an unexpected exception also fails the check.
 */
export async function runCli(name, run) {
  const projectDir = path.resolve(process.argv[2] ?? process.cwd());
  try {
    const result = await run(projectDir);
    process.exitCode = result.ok ? 0 : 1;
  } catch (error) {
    printSummary(name, false, `check crashed: ${error?.stack ?? error}`);
    process.exitCode = 1;
  }
}
