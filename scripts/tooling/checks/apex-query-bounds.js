// apex-query-bounds: every SOQL query of the package has a provable row bound, under documented
// ceilings, so the in-org check fits the 50,000 rows one transaction may retrieve. Why: a query
// without a LIMIT reads as many rows as the org holds; the governor limit then stops the whole check
// run in a large org, and a LIMIT written as a bare number hides what it caps.
//
// What it reads (non-test classes only): static SOQL ([SELECT ...]) and every string query, i.e. a
// field initialiser, local variable or return expression that concatenates a literal starting with
// SELECT (the FactsQueries constants, the permission set and catalog query builders). A string query
// is evaluated from its literals and the class constants it names (`' LIMIT ' + (MAX_USERS + 1)`).
//
// A query is bounded when, at its end, it has:
//   - `LIMIT 1` (a single-row query), or `SELECT COUNT() ...` (one row, however many it counts); or
//   - `LIMIT <n>` where n comes from a named Integer constant (static final, in the class or
//     Class.NAME): concatenated into a string query, or bound in static SOQL (`LIMIT :MAX_NOTIFIED`, or
//     `LIMIT :rowLimit` where the method sets `Integer rowLimit = Math.min(..., CONSTANT)`).
//   Keyset paging (`Id > :last ... ORDER BY Id LIMIT n`) is a paged query: one page per execution.
//
// Ceilings (documented in docs/in-org-limits.md, "Query budget"):
//   - a paged query reads at most PAGE_CEILING (2,000) rows per page;
//   - any other query at most QUERY_CEILING (10,001) rows: a cap of 10,000 plus the probe row that
//     tells the collector the cap was reached (it then reports it in collectionErrors);
//   - one call of each entry point of apex-soql-budget.json at most TRANSACTION_CEILING (50,000)
//     rows: the bounds of the queries it reaches, added up as apex-soql-budget adds up queries.
//
// Fails when: a query has no bound, a bound is a bare number other than 1, a bound is above its
// ceiling, a Database.query call runs a query this check cannot attribute, or an entry point can
// retrieve more than the transaction ceiling.
//
// Usage: node scripts/tooling/checks/apex-query-bounds.js [projectDir]   (default: current directory)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ApexErrorListener,
  ApexParserFactory,
  FieldDeclarationContext,
  LocalVariableDeclarationContext,
  MethodDeclarationContext,
  ReturnStatementContext,
  SoqlLiteralContext,
} from '@apexdevtools/apex-parser';
import { buildProgram, CallGraph } from './lib/apex-callgraph.js';
import { BUDGET_FILE } from './apex-soql-budget.js';
import {
  isMain,
  listApexFiles,
  printHeader,
  printSummary,
  rel,
  runCli,
} from './lib/check-runner.js';

const NAME = 'apex-query-bounds';
export const PAGE_CEILING = 2000;
export const QUERY_CEILING = 10001;
export const TRANSACTION_CEILING = 50000;

class CountingListener extends ApexErrorListener {
  count = 0;
  apexSyntaxError() {
    this.count += 1;
  }
}

const sourceOf = (source, ctx) => source.slice(ctx.start.start, ctx.stop.stop + 1);

function walk(node, visit) {
  if (!node?.children) return;
  visit(node);
  node.children.forEach((child) => walk(child, visit));
}

function enclosingMethod(node) {
  for (let n = node; n; n = n.parentCtx) if (n instanceof MethodDeclarationContext) return n;
  return null;
}

/** Tokens of an Apex expression: strings, numbers, names (dotted), operators; calls are opaque. */
function tokenize(text) {
  const tokens = [];
  const re = /\s+|'((?:\\.|[^'\\])*)'|(\d+)|([A-Za-z_][\w.]*)|(.)/gy;
  let m;
  while ((m = re.exec(text))) {
    if (m[1] !== undefined) tokens.push({ kind: 'str', value: m[1].replace(/\\(.)/g, '$1') });
    else if (m[2] !== undefined) tokens.push({ kind: 'num', value: Number(m[2]) });
    else if (m[3] !== undefined) tokens.push({ kind: 'name', value: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'op', value: m[4] });
  }
  return tokens;
}

/**
 * Evaluates `+ - *` over string and integer literals and named constants (Java-like: a string on
 * either side of + concatenates). Anything else (a call, a variable) is the opaque value '?'.
 */
function evaluate(text, resolve) {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const add = (a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a + b : `${String(a)}${String(b)}`;
  const factor = () => {
    const t = tokens[i++];
    if (!t) return '?';
    if (t.kind === 'str' || t.kind === 'num') return t.value;
    if (t.kind === 'op' && t.value === '(') {
      const v = expr();
      if (peek()?.value === ')') i++;
      return v;
    }
    if (t.kind === 'name') {
      if (peek()?.value === '(') {
        let depth = 0;
        do {
          const v = tokens[i++]?.value;
          if (v === '(') depth++;
          else if (v === ')') depth--;
        } while (depth > 0 && i < tokens.length);
        return '?';
      }
      const value = resolve(t.value);
      return value === undefined ? '?' : value;
    }
    return '?';
  };
  const term = () => {
    let v = factor();
    while (peek()?.value === '*') {
      i++;
      const r = factor();
      v = typeof v === 'number' && typeof r === 'number' ? v * r : '?';
    }
    return v;
  };
  const expr = () => {
    let v = term();
    while (peek()?.value === '+' || peek()?.value === '-') {
      const op = tokens[i++].value;
      const r = term();
      if (op === '+') v = add(v, r);
      else v = typeof v === 'number' && typeof r === 'number' ? v - r : '?';
    }
    return v;
  };
  return expr();
}

/** Parses the files: constants (Class.NAME → {text, cls}) and query sources. */
function readClasses(files) {
  const classes = [];
  const skipped = [];
  for (const file of files.filter((f) => f.endsWith('.cls'))) {
    const source = readFileSync(file, 'utf8');
    const listener = new CountingListener();
    const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
    const tree = parser.compilationUnit();
    if (listener.count > 0) {
      skipped.push(file);
      continue;
    }
    const isTest = /@IsTest\b/i.test(source.split(/\bclass\b/i)[0]);
    classes.push({ file, name: path.basename(file, '.cls'), source, tree, isTest });
  }
  return { classes, skipped };
}

function collectConstants(classes) {
  const constants = new Map(); // lower-case Class.NAME → { text, cls }
  for (const c of classes) {
    walk(c.tree, (n) => {
      if (!(n instanceof FieldDeclarationContext)) return;
      const modifiers = sourceOf(c.source, n.parentCtx.parentCtx ?? n).toLowerCase();
      if (!/\bstatic\b/.test(modifiers) || !/\bfinal\b/.test(modifiers)) return;
      for (const v of n.variableDeclarators().variableDeclarator_list()) {
        const init = v.expression();
        if (!init) continue;
        constants.set(`${c.name}.${v.id().getText()}`.toLowerCase(), {
          text: sourceOf(c.source, init),
          cls: c.name,
        });
      }
    });
  }
  const memo = new Map();
  const valueOf = (key, active = new Set()) => {
    if (memo.has(key)) return memo.get(key);
    const constant = constants.get(key);
    if (!constant || active.has(key)) return undefined;
    active.add(key);
    const value = evaluate(constant.text, (name) => resolver(constant.cls, active)(name));
    active.delete(key);
    memo.set(key, value);
    return value;
  };
  const resolver =
    (cls, active = new Set()) =>
    (name) => {
      const lower = name.toLowerCase();
      return lower.includes('.')
        ? valueOf(lower, active)
        : valueOf(`${cls}.${lower}`.toLowerCase(), active);
    };
  return { constants, valueOf, resolver };
}

/** Bound of an evaluated SOQL text: { rows, paged } or { problem }. */
export function boundOf(soql, limitValue) {
  const text = soql.replace(/\s+/g, ' ').trim();
  if (/^SELECT COUNT\(\s*\)\s/i.test(text)) return { rows: 1, paged: false };
  const paged = /\bId\s*>\s*:\w+/i.test(text) && /\bORDER BY Id\b(?!\s*DESC)/i.test(text);
  if (limitValue === undefined) return { problem: 'has no LIMIT: give it a named row cap' };
  if (limitValue === null) return { problem: 'has a LIMIT that is not a named Integer constant' };
  const ceiling = paged ? PAGE_CEILING : QUERY_CEILING;
  if (limitValue > ceiling)
    return {
      problem: `reads up to ${limitValue} rows, above the ${paged ? 'page' : 'query'} ceiling of ${ceiling}`,
    };
  return { rows: limitValue, paged };
}

/** The trailing LIMIT of a query text: a number, or undefined when there is none. */
const trailingLimit = (text) => {
  const m = /\bLIMIT\s+(\S+)\s*$/i.exec(text.replace(/\s+/g, ' ').trim());
  return m ? m[1] : undefined;
};

export async function run(projectDir) {
  printHeader(
    NAME,
    'every SOQL query has a named row bound, under the per-query and per-run ceilings',
  );
  const files = listApexFiles(projectDir);
  const { classes, skipped } = readClasses(files);
  const errors = skipped.map(
    (f) => `${rel(projectDir, f)} does not parse, so its queries cannot be checked`,
  );
  const { valueOf, resolver } = collectConstants(classes);
  const isIntConstant = (cls, name) => {
    const key = name.includes('.') ? name.toLowerCase() : `${cls}.${name}`.toLowerCase();
    return typeof valueOf(key) === 'number' ? valueOf(key) : undefined;
  };

  const boundsByName = new Map(); // lower-case Class.member → rows (string queries)
  const staticBounds = new Map(); // `${file}:${line}` → rows (static SOQL)
  let checked = 0;
  for (const c of classes.filter((k) => !k.isTest)) {
    const where = rel(projectDir, c.file);
    const report = (line, label, result) => {
      checked += 1;
      if (result.problem) errors.push(`${where}:${line} ${label} ${result.problem}`);
      else
        console.log(
          `  ${c.name} ${label}: ${result.rows} row(s)${result.paged ? ' per page' : ''}`,
        );
      return result.rows ?? 0;
    };
    // Static SOQL.
    walk(c.tree, (n) => {
      if (!(n instanceof SoqlLiteralContext)) return;
      const soql = sourceOf(c.source, n).slice(1, -1);
      const raw = trailingLimit(soql);
      let limit;
      if (raw === undefined) limit = undefined;
      else if (/^\d+$/.test(raw)) limit = raw === '1' ? 1 : null;
      else if (raw.startsWith(':')) {
        const name = raw.slice(1);
        limit = isIntConstant(c.name, name) ?? null;
        if (limit === null) {
          const method = enclosingMethod(n);
          const body = method ? sourceOf(c.source, method) : '';
          const m = new RegExp(
            `\\b${name}\\s*=\\s*Math\\.min\\([^;]*,\\s*([\\w.]+)\\s*\\)\\s*;`,
          ).exec(body);
          if (m) limit = isIntConstant(c.name, m[1]) ?? null;
        }
      } else limit = null;
      const rows = report(n.start.line, '[SELECT ...]', boundOf(soql, limit));
      staticBounds.set(`${c.file}:${n.start.line}`, rows);
    });
    // String queries: initialisers, local variables and return expressions with a SELECT literal.
    walk(c.tree, (n) => {
      let exprs = [];
      if (n instanceof FieldDeclarationContext || n instanceof LocalVariableDeclarationContext) {
        exprs = n
          .variableDeclarators()
          .variableDeclarator_list()
          .filter((v) => v.expression())
          .map((v) => ({
            name:
              n instanceof FieldDeclarationContext
                ? v.id().getText()
                : enclosingMethod(n)?.id().getText(),
            ctx: v.expression(),
          }));
      } else if (n instanceof ReturnStatementContext && n.expression()) {
        exprs = [{ name: enclosingMethod(n)?.id().getText(), ctx: n.expression() }];
      }
      for (const { name, ctx } of exprs) {
        const text = sourceOf(c.source, ctx);
        if (!/'\s*SELECT\s/i.test(text) || !name) continue;
        if (/\bLIMIT\s+(?!1\b)\d+/i.test(text)) {
          errors.push(
            `${where}:${ctx.start.line} ${name} writes its LIMIT as a bare number: name the cap`,
          );
          continue;
        }
        const value = evaluate(text, resolver(c.name));
        const raw = trailingLimit(String(value));
        const limit = raw === undefined ? undefined : /^\d+$/.test(raw) ? Number(raw) : null;
        const rows = report(ctx.start.line, name, boundOf(String(value), limit));
        const key = `${c.name}.${name}`.toLowerCase();
        boundsByName.set(key, Math.max(rows, boundsByName.get(key) ?? 0));
      }
    });
  }

  if (checked === 0 && errors.length === 0) errors.push('no Apex query found: nothing was checked');
  // Rows per entry point: the bounds of the reachable queries, added up like apex-soql-budget.
  const budgetPath = path.join(projectDir, BUDGET_FILE);
  const entries = existsSync(budgetPath)
    ? Object.keys(JSON.parse(readFileSync(budgetPath, 'utf8')).entryPoints ?? {})
    : [];
  const graph = new CallGraph(buildProgram(files));
  const siteRows = (method, q) => {
    if (q.text.startsWith('[')) return staticBounds.get(`${method.owner.file}:${q.line}`) ?? 0;
    const args = q.node.dotMethodCall().expressionList();
    const first = args ? args.expression(0).getText() : '';
    for (const token of first.match(/[A-Za-z_]\w*(?:\.\w+)?/g) ?? []) {
      const qualified = token.includes('.')
        ? token
        : `${method.owner.qualified.split('.')[0]}.${token}`;
      const rows = boundsByName.get(qualified.toLowerCase());
      if (rows !== undefined) return rows;
    }
    errors.push(
      `${rel(projectDir, method.owner.file)}:${q.line} ${q.text} runs a query this check cannot attribute: pass a query constant or builder`,
    );
    return 0;
  };
  const memo = new Map();
  const rowsOf = (method, active = new Set()) => {
    if (memo.has(method)) return memo.get(method);
    if (active.has(method)) return 0;
    active.add(method);
    const facts = graph.factsOf(method);
    let sum = facts.soql.reduce((acc, q) => acc + siteRows(method, q), 0);
    for (const call of facts.calls)
      sum += Math.max(0, ...call.targets.map((t) => rowsOf(t, active)));
    active.delete(method);
    memo.set(method, sum);
    return sum;
  };
  for (const entry of entries) {
    const roots = graph.methodsNamed(entry);
    if (roots.length === 0) continue; // apex-soql-budget reports unknown entry points
    const rows = Math.max(...roots.map((m) => rowsOf(m)));
    console.log(`  ${entry}: at most ${rows} row(s) per call (ceiling ${TRANSACTION_CEILING})`);
    if (rows > TRANSACTION_CEILING)
      errors.push(
        `${entry} can retrieve ${rows} rows, above the ${TRANSACTION_CEILING} rows of one transaction: lower a cap or split the work`,
      );
  }

  const unique = [...new Set(errors)];
  for (const error of unique) console.log(`  ${error}`);
  const ok = unique.length === 0;
  printSummary(
    NAME,
    ok,
    ok
      ? `${checked} quer(ies) bounded, every entry point within ceiling`
      : `${unique.length} problem(s)`,
  );
  return { ok, errors: unique };
}

if (isMain(import.meta.url)) await runCli(NAME, run);
