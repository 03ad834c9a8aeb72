// apex-soql-budget: counts the SOQL statements one check run can execute and compares the count to
// the committed budget, so it cannot grow unnoticed. Why: a check run has 100 SOQL queries in one
// transaction; rules are catalog records, so adding a rule must never add a query. Only code changes
// can, and then the budget file changes in the same commit, visibly.
//
// How: builds a call graph of the non-test Apex classes (lib/apex-callgraph.js documents the
// resolution rules and limits) and, for each entry point in apex-soql-budget.json, sums the SOQL
// statements reachable from it (a statement reached through two call sites counts twice). It also
// fails when a call inside a loop reaches a method that queries (apex-loops sees only queries written
// directly in a loop body). The count is an upper bound: some queries are skipped at run time (e.g.
// no object permissions are read when analytics references no object).
//
// Fails when: the budget file is missing or names an entry point that does not exist; a count differs
// from its budget (higher: the run got more expensive; lower: tighten the budget so it stays exact);
// a call in a loop reaches SOQL.
//
// Usage: node scripts/tooling/checks/apex-soql-budget.js [projectDir]   (default: current directory)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildProgram, CallGraph } from './lib/apex-callgraph.js';
import {
  isMain,
  listApexFiles,
  printHeader,
  printSummary,
  rel,
  runCli,
} from './lib/check-runner.js';

const NAME = 'apex-soql-budget';
export const BUDGET_FILE = 'scripts/tooling/checks/apex-soql-budget.json';

export async function run(projectDir) {
  printHeader(NAME, 'SOQL statements reachable from one check run, against the committed budget');
  const fail = (message, errors = [message]) => {
    printSummary(NAME, false, message);
    return { ok: false, errors };
  };
  const budgetPath = path.join(projectDir, BUDGET_FILE);
  if (!existsSync(budgetPath)) return fail(`no budget file ${BUDGET_FILE}`);
  const budget = JSON.parse(readFileSync(budgetPath, 'utf8'));
  const entries = Object.entries(budget.entryPoints ?? {});
  if (entries.length === 0) return fail(`${BUDGET_FILE} lists no entryPoints`);

  const program = buildProgram(listApexFiles(projectDir));
  const graph = new CallGraph(program);
  const errors = [];
  for (const file of program.skipped) {
    errors.push(`${rel(projectDir, file)} does not parse, so its queries cannot be counted`);
  }

  for (const [entry, allowed] of entries) {
    const roots = graph.methodsNamed(entry);
    if (roots.length === 0) {
      errors.push(`entry point ${entry} not found in the Apex sources`);
      continue;
    }
    const count = Math.max(...roots.map((m) => graph.total(m)));
    console.log(`  ${entry}: ${count} SOQL statement(s) per call (budget ${allowed})`);
    for (const method of graph.reachable(roots)) {
      const facts = graph.factsOf(method);
      const where = `${rel(projectDir, method.owner.file)}`;
      for (const q of facts.soql) {
        console.log(`    ${method.owner.qualified}.${method.name} ${q.text} (${where}:${q.line})`);
      }
      for (const call of facts.calls) {
        const reached = graph.callTotal(call);
        if (call.loop && reached > 0) {
          errors.push(
            `${where}:${call.line} ${call.text} inside ${call.loop} reaches ${reached} SOQL statement(s)`,
          );
        }
      }
    }
    if (count > allowed) {
      errors.push(
        `${entry} reaches ${count} SOQL statements, over its budget of ${allowed}: remove the new query, or raise the budget in ${BUDGET_FILE} and say why in the commit`,
      );
    } else if (count < allowed) {
      errors.push(
        `${entry} reaches ${count} SOQL statements, under its budget of ${allowed}: lower the budget in ${BUDGET_FILE} to ${count} so it stays exact`,
      );
    }
  }

  for (const error of errors) console.log(`  ${error}`);
  const ok = errors.length === 0;
  printSummary(
    NAME,
    ok,
    ok ? `${entries.length} entry point(s) within budget` : `${errors.length} problem(s)`,
  );
  return { ok, errors };
}

if (isMain(import.meta.url)) await runCli(NAME, run);
