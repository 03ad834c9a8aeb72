// import-cycles: fails on any import cycle among the project's own TypeScript and JavaScript
// modules, naming each cycle file by file. Why: a cycle ties two layers together (the CLI and the
// collectors it loads, an engine and the monitor built on it), so neither can be read, tested or
// moved alone, and in ES modules a cycle can hand one side a binding that is not initialised yet.
//
// Every kind of import counts: static, `import type` (a type shared both ways still couples the
// two modules), `export … from`, dynamic `import('…')` with a literal and `require('…')`. Imports
// are read with TypeScript's preprocessor (no type-checking, so the whole tree takes well under a
// second). Resolved: relative specifiers (with or without extension, a folder's index) and the
// LWC namespace `c/<bundle>`; packages are outside the graph. A compiled .js beside its .ts is
// build output and is read as the .ts.
//
// Usage: node scripts/tooling/checks/import-cycles.js [projectDir]   (default: current directory)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { isMain, printHeader, printSummary, rel, runCli } from './lib/check-runner.js';

const NAME = 'import-cycles';
const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
/** Generated or third-party folders: nothing in them is the project's own source. */
const SKIPPED_DIRS = new Set(['node_modules', 'coverage', 'artifacts', 'reports']);

function sourceFiles(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) sourceFiles(full, found);
    } else if (EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !isBuildOutput(full)) {
      found.push(full);
    }
  }
  return found;
}

/** `x.js` beside `x.ts` is what the TypeScript build emitted. */
function isBuildOutput(file) {
  return file.endsWith('.js') && existsSync(`${file.slice(0, -3)}.ts`);
}

function isFile(file) {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The source file a resolved path stands for: `x.js` written for `x.ts` is `x.ts`. */
function source(file) {
  if (file.endsWith('.js') && isFile(`${file.slice(0, -3)}.ts`)) return `${file.slice(0, -3)}.ts`;
  return file;
}

function resolveFile(base) {
  if (isFile(base)) return source(base);
  for (const ext of EXTENSIONS) if (isFile(`${base}${ext}`)) return `${base}${ext}`;
  for (const ext of EXTENSIONS) {
    const index = path.join(base, `index${ext}`);
    if (isFile(index)) return index;
  }
  return null;
}

/** `c/<name>` → the bundle's module file, for every LWC bundle of the project. */
function lwcModules(files) {
  const modules = new Map();
  for (const file of files) {
    const parts = file.split(path.sep);
    const bundle = parts.at(-2);
    const at = parts.lastIndexOf('lwc');
    if (at === parts.length - 3 && path.parse(file).name === bundle && !modules.has(bundle)) {
      modules.set(bundle, file);
    }
  }
  return modules;
}

/** The project's import graph: file → the project files it imports. */
export function importGraph(projectDir) {
  const files = sourceFiles(projectDir).sort();
  const lwc = lwcModules(files);
  const graph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = new Set();
    for (const { fileName: specifier } of importedFiles) {
      let target = null;
      if (specifier.startsWith('./') || specifier.startsWith('../')) {
        target = resolveFile(path.resolve(path.dirname(file), specifier));
      } else if (specifier.startsWith('c/')) {
        target = lwc.get(specifier.slice(2)) ?? null;
      }
      if (target) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Strongly connected components (Tarjan, iterative so deep chains cannot overflow the stack). */
function stronglyConnected(graph) {
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const components = [];
  let next = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work = [[root, 0]];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work.at(-1);
      const [node, edge] = frame;
      const targets = graph.get(node) ?? [];
      if (edge < targets.length) {
        frame[1]++;
        const target = targets[edge];
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next++);
          stack.push(target);
          onStack.add(target);
          work.push([target, 0]);
        } else if (onStack.has(target)) {
          low.set(node, Math.min(low.get(node), index.get(target)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work.at(-1)[0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === index.get(node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        const selfLoop = (graph.get(node) ?? []).includes(node);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }
  return components;
}

/** The shortest cycle through the first file of a component, as a list that ends where it starts. */
function shortestCycle(graph, component) {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    for (const target of graph.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const cycle = [start];
        for (let at = node; at !== start; at = previous.get(at)) cycle.unshift(at);
        cycle.unshift(start);
        return cycle;
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

export async function run(projectDir) {
  printHeader(NAME, "no import cycle among the project's own modules");
  const started = Date.now();
  const graph = importGraph(projectDir);
  const edges = [...graph.values()].reduce((sum, targets) => sum + targets.length, 0);
  const errors = stronglyConnected(graph).map((component) => {
    const cycle = shortestCycle(graph, component)
      .map((file) => rel(projectDir, file))
      .join(' → ');
    const more = component.length > 2 ? ` (${component.length} modules import each other)` : '';
    return `import cycle: ${cycle}${more}`;
  });
  const ms = Date.now() - started;
  return reportGraphCheck(
    NAME,
    projectDir,
    errors,
    graph.size,
    () => `${errors.length} cycle(s) among ${graph.size} modules and ${edges} imports (${ms} ms)`,
  );
}

/**
 * Prints a graph check's errors and summary. A project without modules fails: a check that
 * found nothing to read has proved nothing.
 */
export function reportGraphCheck(name, projectDir, errors, modules, summary) {
  for (const error of errors) console.log(`  ${error}`);
  if (modules === 0) {
    errors.push('no TypeScript or JavaScript module found');
    printSummary(name, false, `no TypeScript or JavaScript module found in ${projectDir}`);
  } else {
    printSummary(name, errors.length === 0, summary());
  }
  return { ok: errors.length === 0, errors };
}

if (isMain(import.meta.url)) await runCli(NAME, run);
