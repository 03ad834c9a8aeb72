// sf-project-convert: the Salesforce CLI turns the package directories into Metadata API format
// and a manifest, offline, the way a deploy or a package version build would:
//   sf project convert source   --source-dir force-app --source-dir demo --output-dir <tmp>/mdapi --json
//   sf project generate manifest --source-dir force-app --source-dir demo --output-dir <tmp> --name package.xml --json
// and then checks what came out:
//   - both commands succeed (a file the CLI cannot classify, a bundle without its meta file, or
//     malformed metadata fails here before an org ever sees it);
//   - the converted tree holds no TypeScript source, __tests__ folder or Markdown: .forceignore
//     keeps them out of deploys and package versions;
//   - every LWC bundle written in TypeScript arrives with its compiled .js (run npm run build);
//   - the generated manifest lists exactly the components the conversion wrote.
// The CLI runs from node_modules with auto-update, version checks and telemetry off.
//
// Usage: node scripts/tooling/checks/sf-project-convert.js [projectDir]   (default: current directory)
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { isMain, listFiles, printHeader, printSummary, rel, runCli } from './lib/check-runner.js';

const NAME = 'sf-project-convert';
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SF = path.join(REPO_ROOT, 'node_modules', '.bin', 'sf');
export const SF_ENV = {
  // Both spellings: oclif's update hook, which spawns a detached `sf update --autoupdate` that
  // outlives the command, reads only SF_DISABLE_AUTOUPDATE; an npm-installed CLI sets it itself
  // only when SF_AUTOUPDATE_DISABLE is not set, so setting that one alone leaves the hook on.
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
  SF_DISABLE_TELEMETRY: 'true',
  SF_USE_PROGRESS_BAR: 'false',
};

function sf(args, cwd) {
  return new Promise((resolve) => {
    execFile(
      SF,
      args,
      { cwd, env: { ...process.env, ...SF_ENV }, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        let json = null;
        try {
          json = JSON.parse(stdout);
        } catch {
          // not JSON: reported below with stderr
        }
        const ok = !error && json?.status === 0;
        const message = json?.message ?? (stderr.trim() || error?.message || 'no output');
        resolve({ ok, json, message });
      },
    );
  });
}

const parser = new XMLParser({ isArray: (name) => name === 'types' || name === 'members' });

/** "Type:Member" entries of a package.xml. */
function manifestMembers(file) {
  const doc = parser.parse(readFileSync(file, 'utf8'));
  return new Set(
    (doc.Package?.types ?? []).flatMap((t) => (t.members ?? []).map((m) => `${t.name}:${m}`)),
  );
}

/** Converts all package directories at once (one CLI start each: the CLI takes seconds to load). */
async function checkDirectories(projectDir, dirs, tmp) {
  const errors = [];
  const mdapi = path.join(tmp, 'mdapi');
  const sourceDirs = dirs.flatMap((d) => ['--source-dir', d]);
  const [convert, manifest] = await Promise.all([
    sf(
      ['project', 'convert', 'source', ...sourceDirs, '--output-dir', mdapi, '--json'],
      projectDir,
    ),
    sf(
      [
        'project',
        'generate',
        'manifest',
        ...sourceDirs,
        '--output-dir',
        tmp,
        '--name',
        'package.xml',
        '--json',
      ],
      projectDir,
    ),
  ]);
  if (!convert.ok) errors.push(`sf project convert source failed: ${convert.message}`);
  if (!manifest.ok) errors.push(`sf project generate manifest failed: ${manifest.message}`);
  if (!convert.ok || !manifest.ok) return { errors, components: 0 };

  for (const file of listFiles(mdapi, [''])) {
    const relative = path.relative(mdapi, file);
    // Custom metadata records convert to *.md; any other .md is documentation.
    const docs = relative.endsWith('.md') && !relative.startsWith(`customMetadata${path.sep}`);
    if (docs || /\.ts$|(^|[\\/])__tests__[\\/]/.test(relative))
      errors.push(`${relative} was converted; .forceignore must keep it out of deploys`);
  }
  // LWC bundles written in TypeScript must arrive compiled.
  for (const tsFile of dirs.flatMap((d) => listFiles(d, ['.ts']))) {
    const parts = tsFile.split(path.sep);
    const lwcIndex = parts.lastIndexOf('lwc');
    if (lwcIndex < 0 || parts.includes('__tests__') || tsFile.endsWith('.d.ts')) continue;
    const bundle = parts[lwcIndex + 1];
    const jsName = path.basename(tsFile).replace(/\.ts$/, '.js');
    if (!existsSync(path.join(mdapi, 'lwc', bundle, jsName)))
      errors.push(`lwc/${bundle}/${jsName} is missing from the conversion (run npm run build)`);
  }
  const convertedXml = path.join(mdapi, 'package.xml');
  const generatedXml = path.join(tmp, 'package.xml');
  if (!existsSync(convertedXml) || !existsSync(generatedXml)) {
    errors.push('a package.xml was not written');
    return { errors, components: 0 };
  }
  const converted = manifestMembers(convertedXml);
  const generated = manifestMembers(generatedXml);
  for (const m of converted) if (!generated.has(m)) errors.push(`manifest lacks ${m}`);
  for (const m of generated) if (!converted.has(m)) errors.push(`${m} was not converted`);
  return { errors, components: converted.size };
}

export async function run(projectDir) {
  printHeader(
    NAME,
    'sf project convert source + generate manifest, offline, all package directories',
  );
  if (!existsSync(SF)) {
    const message = `the Salesforce CLI is not installed in node_modules (${SF}). Run: npm ci`;
    printSummary(NAME, false, message);
    return { ok: false, errors: [message] };
  }
  const project = JSON.parse(readFileSync(path.join(projectDir, 'sfdx-project.json'), 'utf8'));
  const dirs = (project.packageDirectories ?? [])
    .map((d) => path.resolve(projectDir, d.path))
    .filter((d) => existsSync(d) && readdirSync(d).length > 0);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sf-convert-'));
  const started = Date.now();
  try {
    const result = dirs.length
      ? await checkDirectories(projectDir, dirs, tmp)
      : { errors: ['sfdx-project.json lists no package directory with files'], components: 0 };
    const { errors } = result;
    for (const error of errors) console.log(`  ${error}`);
    const ok = errors.length === 0;
    const detail = `${result.components} components from ${dirs.map((d) => rel(projectDir, d)).join(', ')}`;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    printSummary(
      NAME,
      ok,
      ok ? `converted and manifested: ${detail} (${seconds}s)` : `${errors.length} problem(s)`,
    );
    return { ok, errors };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runCli(NAME, run);
