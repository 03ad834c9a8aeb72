// Builds the local preview of the Analytics Health dashboard into artifacts/preview/:
// the real LWCs (compiled TypeScript), Lightning base components and SLDS, with the
// Apex controller and lightning/analyticsWaveApi replaced by the modules in app/.
// The rule catalog and the demo snapshots are read here, at build time, from the
// package's custom metadata XML and scripts/cli/snapshots/, and bundled as data.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rollup } from 'rollup';
import lwc from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import nodeResolve from '@rollup/plugin-node-resolve';
import '../../cli/bin/register.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..', '..');
export const OUT_DIR = path.join(ROOT, 'artifacts', 'preview');
const LWC_DIR = path.join(ROOT, 'force-app', 'main', 'default', 'lwc');
const SNAPSHOT_DIR = path.join(ROOT, 'scripts', 'cli', 'snapshots');
const SLDS_DIR = path.join(ROOT, 'node_modules', '@salesforce-ux', 'design-system', 'assets');

const VIRTUAL_DATA = '\0preview-data';

/** Reads the catalog records from the custom metadata XML and every demo snapshot. */
async function previewData() {
  const source = pathToFileURL(path.join(ROOT, 'scripts', 'cli', 'lib', 'catalogSource.js')).href;
  if (!existsSync(fileURLToPath(source))) {
    throw new Error('The TypeScript build output is missing. Run: npm run build');
  }
  const { loadCatalogRecords } = await import(source);
  const snapshots = readdirSync(SNAPSHOT_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      id: file.replace(/\.json$/, ''),
      facts: JSON.parse(readFileSync(path.join(SNAPSHOT_DIR, file), 'utf8')),
    }));
  return { catalogRecords: loadCatalogRecords(), snapshots };
}

/** One alias per component folder: the project keeps the flat force-app/…/lwc/<name> layout. */
function componentModules() {
  return readdirSync(LWC_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const file = path.join(LWC_DIR, entry.name, `${entry.name}.js`);
      if (!existsSync(file)) {
        throw new Error(`${path.relative(ROOT, file)} is missing. Run: npm run build`);
      }
      return { name: `c/${entry.name}`, path: file };
    });
}

const MONITOR_PREFIX = '@salesforce/apex/AnalyticsHealthMonitorController.';
const VIRTUAL_MONITOR = '\0preview-monitor:';

/** Each monitor controller method is the export of the same name in app/previewMonitor.js. */
function monitorController(file) {
  return {
    name: 'preview-monitor-controller',
    resolveId: (id) =>
      id.startsWith(MONITOR_PREFIX) ? VIRTUAL_MONITOR + id.slice(MONITOR_PREFIX.length) : null,
    load: (id) =>
      id.startsWith(VIRTUAL_MONITOR)
        ? `export { ${id.slice(VIRTUAL_MONITOR.length)} as default } from ${JSON.stringify(file)};`
        : null,
  };
}

export async function buildPreview({ quiet = false } = {}) {
  const started = Date.now();
  const data = await previewData();
  const app = (file) => path.join(here, 'app', file);
  const bundle = await rollup({
    input: app('main.js'),
    plugins: [
      {
        name: 'preview-data',
        resolveId: (id) => (id === 'preview:data' ? VIRTUAL_DATA : null),
        load: (id) => (id === VIRTUAL_DATA ? `export default ${JSON.stringify(data)};` : null),
      },
      monitorController(app('previewMonitor.js')),
      replace({
        preventAssignment: true,
        values: {
          'process.env.NODE_ENV': JSON.stringify('production'),
          'import.meta.env.SSR': 'false',
        },
      }),
      nodeResolve({ extensions: ['.js'], browser: true }),
      lwc({
        rootDir: ROOT,
        enableDynamicComponents: true,
        modules: [
          {
            name: '@salesforce/apex/AnalyticsHealthController.startCheck',
            path: app('apexStartCheck.js'),
          },
          {
            name: '@salesforce/apex/AnalyticsHealthController.getRunProgress',
            path: app('apexGetRunProgress.js'),
          },
          {
            name: '@salesforce/apex/AnalyticsHealthController.getCatalog',
            path: app('apexGetCatalog.js'),
          },
          { name: 'lightning/analyticsWaveApi', path: app('analyticsWaveApi.js') },
          {
            name: '@salesforce/gate/bc.260.enableComboboxElementInternals',
            path: app('closedGate.js'),
          },
          ...componentModules(),
          { npm: 'lightning-base-components' },
        ],
      }),
    ],
    onwarn(warning, warn) {
      // Base components have circular imports, `this` at module level and a few template
      // warnings of their own; none of them is ours to fix.
      if (['CIRCULAR_DEPENDENCY', 'THIS_IS_UNDEFINED'].includes(warning.code)) return;
      if (warning.id?.includes(`${path.sep}lightning-base-components${path.sep}`)) return;
      warn(warning);
    },
  });
  mkdirSync(OUT_DIR, { recursive: true });
  await bundle.write({
    file: path.join(OUT_DIR, 'app.js'),
    format: 'esm',
    inlineDynamicImports: true,
  });
  await bundle.close();
  cpSync(path.join(here, 'app', 'index.html'), path.join(OUT_DIR, 'index.html'));
  mkdirSync(path.join(OUT_DIR, 'assets', 'styles'), { recursive: true });
  cpSync(
    path.join(SLDS_DIR, 'styles', 'salesforce-lightning-design-system.min.css'),
    path.join(OUT_DIR, 'assets', 'styles', 'salesforce-lightning-design-system.min.css'),
  );
  writeFileSync(
    path.join(OUT_DIR, 'snapshots.json'),
    JSON.stringify(data.snapshots.map((s) => s.id)),
  );
  if (!quiet) {
    console.log(
      `✔ preview built in ${((Date.now() - started) / 1000).toFixed(1)}s → ${path.relative(ROOT, OUT_DIR)}`,
    );
  }
  return OUT_DIR;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildPreview().catch((error) => {
    console.error(`✖ preview build failed: ${error.message}`);
    process.exit(1);
  });
}
