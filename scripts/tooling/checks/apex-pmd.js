// apex-pmd: runs PMD through Salesforce Code Analyzer v5 (@salesforce/code-analyzer-core with the
// @salesforce/code-analyzer-pmd-engine plugin) over the package directories. Why: AppExchange
// security review scans the package with Code Analyzer; running the same rules here finds the
// problems (SOQL injection, CRUD/FLS, sharing, hard-coded secrets, risky metadata...) first.
//
// Rules: PMD rules tagged AppExchange, Security and Recommended (selectors "pmd:AppExchange",
// "pmd:Security", "pmd:Recommended"). Recommended adds the performance rules (e.g.
// OperationWithLimitsInLoop), ApexDoc, test-quality and naming rules; the code passes them all.
// A justified exception is made in the code with @SuppressWarnings('PMD.RuleName') plus a reason.
//
// Files: everything under the package directories of sfdx-project.json (Apex, Visualforce,
// metadata XML, LWC/Aura HTML, Aura JS), except **/__tests__/**, **/node_modules/** and LWC
// JavaScript (**/lwc/**/*.js). Why LWC JS is left out: PMD parses JavaScript with Rhino, which
// does not understand ES modules. Every LWC file is a module, so PMD either silently turns it into
// an empty tree (checked: AvoidLwcBubblesComposedTrue catches `bubbles: true, composed: true` in a
// plain script but not in the same code with `export`) or crashes on it (NullPointerException on
// healthEngine/jsonLogic.js). Scanning it would only produce false failures, never findings.
// LWC JavaScript is checked by ESLint (@lwc/eslint-plugin-lwc, @salesforce/eslint-plugin-lightning).
//
// Fails on any violation of any severity, on any file PMD could not process, when no rule is
// selected or no file is scanned (a misconfigured check must fail loudly), and when Java 11+ is
// missing.
//
// Usage: node scripts/tooling/checks/apex-pmd.js [projectDir]   (default: current directory)
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CodeAnalyzer,
  CodeAnalyzerConfig,
  EventType,
  LogLevel,
  SeverityLevel,
} from '@salesforce/code-analyzer-core';
import { createEnginePlugin } from '@salesforce/code-analyzer-pmd-engine';
import {
  checkJava,
  isMain,
  printHeader,
  printSummary,
  rel,
  runCli,
  sourceDirs,
} from './lib/check-runner.js';

const NAME = 'apex-pmd';
const TAGS = ['AppExchange', 'Security', 'Recommended'];
const IGNORED_FILES = ['**/__tests__/**', '**/node_modules/**', '**/lwc/**/*.js'];

export async function run(projectDir) {
  printHeader(NAME, `PMD via Code Analyzer, rules tagged ${TAGS.join(' + ')}`);
  const fail = (message, errors = [message]) => {
    printSummary(NAME, false, message);
    return { ok: false, errors };
  };

  const java = checkJava();
  if (!java.ok) return fail(java.message);

  const roots = sourceDirs(projectDir).filter((dir) => existsSync(dir));
  if (roots.length === 0) return fail(`no package directory found in ${projectDir}`);

  // Code Analyzer keeps its working folder when a run reports problems; use our own and remove it.
  const workingFolder = mkdtempSync(path.join(os.tmpdir(), 'apex-pmd-'));
  try {
    return await analyse(projectDir, roots, workingFolder, fail);
  } finally {
    rmSync(workingFolder, { recursive: true, force: true });
  }
}

async function analyse(projectDir, roots, workingFolder, fail) {
  const config = CodeAnalyzerConfig.fromObject(
    {
      ignores: { files: IGNORED_FILES },
      engines: { cpd: { disable_engine: true } },
      root_working_folder: workingFolder,
    },
    projectDir,
  );
  const analyzer = new CodeAnalyzer(config);
  // Errors logged by Code Analyzer or PMD (e.g. "PMD issued a processing error for file ...")
  // mean something was not analysed: they fail the check.
  const engineErrors = [];
  const onLog = (event) => {
    if (event.logLevel === LogLevel.Error) engineErrors.push(event.message.trim());
  };
  analyzer.onEvent(EventType.LogEvent, onLog);
  analyzer.onEvent(EventType.EngineLogEvent, onLog);
  await analyzer.addEnginePlugin(createEnginePlugin());

  const projectFile = path.join(projectDir, 'sfdx-project.json');
  const workspace = await analyzer.createWorkspace([
    ...roots,
    ...(existsSync(projectFile) ? [projectFile] : []),
  ]);

  const scanned = await filesPmdScans(analyzer, workspace);
  console.log(`  files scanned: ${scanned.length}`);
  if (scanned.length === 0)
    return fail(`no file for PMD to scan under ${roots.map((r) => rel(projectDir, r)).join(', ')}`);

  const selection = await analyzer.selectRules(
    TAGS.map((tag) => `pmd:${tag}`),
    { workspace },
  );
  const rules = selection.getEngineNames().includes('pmd') ? selection.getRulesFor('pmd') : [];
  const perTag = TAGS.map(
    (tag) => `${tag} ${rules.filter((r) => r.getTags().includes(tag)).length}`,
  ).join(', ');
  console.log(`  rules selected: ${rules.length} (${perTag}; a rule can carry several tags)`);
  if (rules.length === 0)
    return fail(`0 rules selected for ${TAGS.join(', ')}: the check is misconfigured`);

  const results = await analyzer.run(selection, { workspace });
  const violations = results.getViolations().map((v) => {
    const location = v.getPrimaryLocation();
    const file = location.getFile() ? rel(projectDir, location.getFile()) : '(no file)';
    return {
      severity: v.getRule().getSeverityLevel(),
      text: `${file}:${location.getStartLine() ?? 0} ${v.getRule().getName()} — ${v.getMessage().trim()}`,
    };
  });
  violations.sort((a, b) => a.severity - b.severity || a.text.localeCompare(b.text));

  const counts = Object.keys(SeverityLevel)
    .filter((key) => Number.isNaN(Number(key)))
    .map((key) => `${key} ${violations.filter((v) => v.severity === SeverityLevel[key]).length}`);
  console.log(`  violations by severity: ${counts.join(' | ')}`);
  for (const v of violations) console.log(`  [${SeverityLevel[v.severity]}] ${v.text}`);
  for (const e of engineErrors) console.log(`  [engine error] ${e.replace(/\n/g, '\n    ')}`);

  const errors = [...violations.map((v) => v.text), ...engineErrors];
  const ok = errors.length === 0;
  const scope = `${rules.length} rules, ${scanned.length} files`;
  const summary = ok
    ? `no violations (${scope})`
    : `${violations.length} violation(s), ${engineErrors.length} engine error(s) (${scope})`;
  printSummary(NAME, ok, summary);
  return { ok, errors };
}

/** The workspace files PMD will actually read: those whose extension belongs to a PMD language. */
async function filesPmdScans(analyzer, workspace) {
  const pmdConfig = analyzer.getEngineConfig('pmd');
  const extensions = new Set(
    (pmdConfig.rule_languages ?? []).flatMap(
      (language) => pmdConfig.file_extensions?.[language] ?? [],
    ),
  );
  const files = await workspace.getTargetedFiles();
  return files.filter((file) => extensions.has(path.extname(file).toLowerCase()));
}

if (isMain(import.meta.url)) await runCli(NAME, run);
