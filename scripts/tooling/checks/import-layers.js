// import-layers: the product never depends on the project's own tooling. Why: what ships (the
// package in force-app/, the CLI and sf plugin in scripts/cli/) must run without the checks,
// benchmarks, local Apex runtime and preview in scripts/tooling/, which are not installed with it.
//
// Layers, by folder (tests, in any __tests__ folder, may import anything):
//   force-app/        the package            → force-app/ only
//   scripts/cli/      the CLI and sf plugin  → force-app/ and scripts/cli/
//   scripts/tooling/  checks, build, bench…  → anything
// The graph is import-cycles' (every import kind, the LWC namespace, compiled .js read as .ts).
//
// Usage: node scripts/tooling/checks/import-layers.js [projectDir]   (default: current directory)
import { isMain, printHeader, rel, runCli } from './lib/check-runner.js';
import { importGraph, reportGraphCheck } from './import-cycles.js';

const NAME = 'import-layers';

const LAYERS = [
  { folder: 'force-app/', name: 'the package', mayImport: ['force-app/'] },
  { folder: 'scripts/cli/', name: 'the CLI', mayImport: ['force-app/', 'scripts/cli/'] },
  { folder: 'scripts/tooling/', name: 'the tooling', mayImport: null },
];

/**
 * The product's imports of tooling that are allowed, each with why. Keep it short: an entry here
 * is a feature that works only from a checkout, and the importer must say so when it is missing.
 */
const ALLOWED = new Map([
  [
    'scripts/cli/analyticsHealth.ts → scripts/tooling/apex/cli/apexEngine.ts',
    '`check --engine apex` loads the local Apex runtime on request only, and stops with a usage ' +
      'error naming the checkout when the runtime is not installed',
  ],
]);

const isTest = (file) => file.split('/').includes('__tests__');
const layerOf = (file) => LAYERS.find((layer) => file.startsWith(layer.folder)) ?? null;

/** Every import that crosses a layer the wrong way, as one line each. */
export function layerViolations(projectDir) {
  const graph = importGraph(projectDir);
  const violations = [];
  let checked = 0;
  for (const [from, targets] of graph) {
    const importer = rel(projectDir, from);
    const layer = layerOf(importer);
    if (!layer?.mayImport || isTest(importer)) continue;
    for (const to of targets) {
      checked++;
      const imported = rel(projectDir, to);
      if (layer.mayImport.some((folder) => imported.startsWith(folder))) continue;
      if (ALLOWED.has(`${importer} → ${imported}`)) continue;
      const target = layerOf(imported);
      violations.push(
        `${importer} (${layer.name}) imports ${imported}` +
          ` (${target ? target.name : 'outside every layer'}): ${layer.name} may import only ` +
          layer.mayImport.join(' and '),
      );
    }
  }
  return { violations, modules: graph.size, checked };
}

export async function run(projectDir) {
  printHeader(NAME, "the product's modules never import the project's tooling");
  const { violations, modules, checked } = layerViolations(projectDir);
  return reportGraphCheck(
    NAME,
    projectDir,
    [...violations],
    modules,
    () =>
      `${violations.length} import(s) against the layers, of ${checked} product imports in ${modules} modules`,
  );
}

if (isMain(import.meta.url)) await runCli(NAME, run);
