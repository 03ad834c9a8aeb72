// Compiles every TypeScript source (LWC bundles, CLI, benchmark) to a .js file
// beside it, using the one tsconfig.json. Tests (`__tests__/`) and ambient
// declarations are type-checked but not emitted: jest runs the .ts directly and
// nothing deploys or imports a compiled test.
import ts from 'typescript';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const configPath = path.join(root, 'tsconfig.json');
const checkOnly = process.argv.includes('--check');

const read = ts.readConfigFile(configPath, ts.sys.readFile);
if (read.error) {
  console.error(ts.formatDiagnosticsWithColorAndContext([read.error], host()));
  process.exit(1);
}
const config = ts.parseJsonConfigFileContent(read.config, ts.sys, root);
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });

const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.length > 0) {
  console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host()));
  console.error(`✖ TypeScript: ${diagnostics.length} error(s)`);
  process.exit(1);
}

let emitted = 0;
if (!checkOnly) {
  const isTest = (file) => /[\\/]__tests__[\\/]/.test(file) || file.endsWith('.d.ts');
  for (const source of program.getSourceFiles()) {
    const file = source.fileName;
    if (file.includes('node_modules') || isTest(file)) continue;
    const result = program.emit(source);
    if (result.emitSkipped) {
      console.error(`✖ TypeScript: could not emit ${path.relative(root, file)}`);
      process.exit(1);
    }
    emitted += 1;
  }
  // The catalog records parsed once, for the CLI to start without parsing XML. Keyed by the
  // record files' content: a cache older than the records is never used (catalogSource.ts).
  const { writeCatalogCache } = await import('../../cli/lib/catalogSource.js');
  if (!writeCatalogCache())
    console.log('! Catalog records not cached: they are parsed at each run');
}
console.log(
  `✔ TypeScript: ${config.fileNames.length} files type-checked${checkOnly ? '' : `, ${emitted} compiled`}`,
);

function host() {
  return {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  };
}
