// apex-loops: walks the syntax tree of every Apex file (apex-parser) and fails on
//   1. a SOQL query, SOSL query, DML statement (insert/update/upsert/delete/undelete/merge) or a
//      Database.* / Search.* DML or query call that runs inside a loop (for, enhanced for, while,
//      do-while). Why: each one counts against per-transaction governor limits (100 SOQL, 150
//      DML), so one inside a loop breaks as soon as the org has enough records. This also covers
//      @IsTest classes: slow, limit-hungry tests hide the same bug.
//      "Inside a loop" means the loop body, and also the condition/update of a classic for and the
//      condition of while/do-while (they run on every iteration). The iterable of an enhanced for
//      runs once, so a SOQL for-loop `for (Account a : [SELECT ...])` is allowed.
//   2. DML on setup objects (User, Profile, PermissionSet, PermissionSetAssignment, UserLogin,
//      ObjectPermissions, FieldPermissions) outside @IsTest classes. Why: Analytics Health reports
//      on these objects; changing them is the admin's decision, not the package's, and mixing
//      setup and non-setup DML in one transaction fails with MIXED_DML_OPERATION. Tests may still
//      create users or permission set assignments to set up their data.
// It also prints, per top-level class or trigger, how many SOQL statements it contains (static
// [SELECT ...] plus Database.query-style calls), to spot classes that query too much.
//
// Limitations (by design, to keep the check simple and fast):
//   - The type of a DML target is found only when it is simple: a variable, parameter or field
//     declared in the same class (`update someUser;` with `User someUser` or `List<User> users`),
//     `new User(...)`, `new List<User>{...}`, a cast `(User) x` or an inline [SELECT ... FROM User].
//     Other expressions (method results, map values, SObject-typed variables) are not resolved.
//     Block scoping is ignored: a name declared anywhere in the method counts for the whole method.
//   - Calls made inside a loop to a method that itself queries or does DML are not followed here;
//     apex-soql-budget follows calls and fails when one in a loop reaches a query.
//   - Files that do not parse are skipped here (apex-syntax reports them).
//
// Usage: node scripts/tooling/checks/apex-loops.js [projectDir]   (default: current directory)
import { readFileSync } from 'node:fs';
import {
  ApexErrorListener,
  ApexParserFactory,
  CastExpressionContext,
  ClassDeclarationContext,
  ConstructorDeclarationContext,
  DeleteStatementContext,
  DoWhileStatementContext,
  DotExpressionContext,
  ForStatementContext,
  IdPrimaryContext,
  InsertStatementContext,
  MergeStatementContext,
  MethodDeclarationContext,
  NewExpressionContext,
  PrimaryExpressionContext,
  SoqlLiteralContext,
  SoqlPrimaryContext,
  SoslLiteralContext,
  SubExpressionContext,
  ThisPrimaryContext,
  UndeleteStatementContext,
  UpdateStatementContext,
  UpsertStatementContext,
  WhileStatementContext,
} from '@apexdevtools/apex-parser';
import {
  isMain,
  listApexFiles,
  printHeader,
  printSummary,
  rel,
  runCli,
} from './lib/check-runner.js';
import { declaredVariables, hasIsTestAnnotation } from './lib/apex-ast.js';

const NAME = 'apex-loops';
// lower-case name → name as written in messages
const SETUP_OBJECTS = new Map(
  [
    'User',
    'Profile',
    'PermissionSet',
    'PermissionSetAssignment',
    'UserLogin',
    'ObjectPermissions',
    'FieldPermissions',
  ].map((name) => [name.toLowerCase(), name]),
);
const DML_STATEMENTS = [
  [InsertStatementContext, 'insert'],
  [UpdateStatementContext, 'update'],
  [UpsertStatementContext, 'upsert'],
  [DeleteStatementContext, 'delete'],
  [UndeleteStatementContext, 'undelete'],
  [MergeStatementContext, 'merge'],
];
// Methods of the Database class that run a SOQL query (counted as SOQL) or DML.
const DATABASE_QUERY_METHODS = new Set(
  [
    'query',
    'queryWithBinds',
    'countQuery',
    'countQueryWithBinds',
    'getQueryLocator',
    'getQueryLocatorWithBinds',
  ].map((m) => m.toLowerCase()),
);
const DATABASE_DML_METHODS = new Set(
  [
    'insert',
    'update',
    'upsert',
    'delete',
    'undelete',
    'merge',
    'convertLead',
    'emptyRecycleBin',
    'insertImmediate',
    'updateImmediate',
    'deleteImmediate',
    'insertAsync',
    'updateAsync',
    'deleteAsync',
  ].map((m) => m.toLowerCase()),
);
const SEARCH_METHODS = new Set(['query', 'find']);

/** Collects syntax errors so unparsable files can be skipped instead of half-analysed. */
class CountingListener extends ApexErrorListener {
  count = 0;
  apexSyntaxError() {
    this.count += 1;
  }
}

/**
 * Analyses one Apex source. Returns { parsed, findings: [{ line, column, message }],
 * soql: [{ name, staticSoql, dynamicSoql }] } (one soql entry per top-level class or trigger).
 */
export function analyseApex(source, isTrigger) {
  const listener = new CountingListener();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  const tree = isTrigger ? parser.triggerUnit() : parser.compilationUnit();
  if (listener.count > 0) return { parsed: false, findings: [], soql: [] };

  const findings = [];
  const soql = [];
  const report = (ctx, message) =>
    findings.push({ line: ctx.start.line, column: ctx.start.column + 1, message });

  // state: { loop: description of the innermost enclosing loop or null, vars: Map name → type,
  //          fields: Map of the class fields, isTest, counter: SOQL counter of the top-level type }
  function walk(node, state) {
    if (!node?.children) return;

    if (node instanceof ClassDeclarationContext) {
      const isTest = state.isTest || hasIsTestAnnotation(node);
      let counter = state.counter;
      if (!counter) {
        counter = { name: node.id().getText(), staticSoql: 0, dynamicSoql: 0 };
        soql.push(counter);
      }
      const fields = new Map([...(state.fields ?? []), ...classFields(node)]);
      walkChildren(node, { loop: null, vars: fields, fields, isTest, counter });
      return;
    }
    if (node instanceof MethodDeclarationContext || node instanceof ConstructorDeclarationContext) {
      walkChildren(node, {
        ...state,
        loop: null,
        vars: new Map([...state.fields, ...declaredVariables(node)]),
      });
      return;
    }

    if (node instanceof ForStatementContext) {
      const loop = `for loop at line ${node.start.line}`;
      const control = node.forControl();
      const enhanced = control?.enhancedForControl();
      if (enhanced) {
        walk(enhanced.expression(), state); // the iterable (e.g. a SOQL for-loop's query) runs once
      } else if (control) {
        walk(control.forInit(), state); // runs once
        walk(control.expression(), { ...state, loop }); // condition: every iteration
        walk(control.forUpdate(), { ...state, loop }); // update: every iteration
      }
      walk(node.statement(), { ...state, loop });
      return;
    }
    if (node instanceof WhileStatementContext) {
      walkChildren(node, { ...state, loop: `while loop at line ${node.start.line}` });
      return;
    }
    if (node instanceof DoWhileStatementContext) {
      walkChildren(node, { ...state, loop: `do-while loop at line ${node.start.line}` });
      return;
    }

    if (node instanceof SoqlLiteralContext) {
      if (state.counter) state.counter.staticSoql += 1;
      if (state.loop) report(node, `SOQL query inside ${state.loop}`);
    } else if (node instanceof SoslLiteralContext) {
      if (state.loop) report(node, `SOSL query inside ${state.loop}`);
    }

    for (const [type, keyword] of DML_STATEMENTS) {
      if (!(node instanceof type)) continue;
      if (state.loop) report(node, `DML statement '${keyword}' inside ${state.loop}`);
      const target = sobjectTypeOf(node.expression(0), state.vars); // merge: the master record
      if (target && SETUP_OBJECTS.has(target) && !state.isTest) {
        report(
          node,
          `DML '${keyword}' on setup object ${SETUP_OBJECTS.get(target)} (the package must not change setup objects)`,
        );
      }
    }

    if (node instanceof DotExpressionContext && node.dotMethodCall()) {
      const receiver = node
        .expression()
        .getText()
        .toLowerCase()
        .replace(/^system\./, '');
      const method = node.dotMethodCall().anyId().getText().toLowerCase();
      const call = `${node.expression().getText()}.${node.dotMethodCall().anyId().getText()}()`;
      if (receiver === 'database' && DATABASE_QUERY_METHODS.has(method)) {
        if (state.counter) state.counter.dynamicSoql += 1;
        if (state.loop) report(node, `SOQL call ${call} inside ${state.loop}`);
      } else if (receiver === 'database' && DATABASE_DML_METHODS.has(method)) {
        if (state.loop) report(node, `DML call ${call} inside ${state.loop}`);
        const firstArgument = node.dotMethodCall().expressionList()?.expression(0);
        const target = sobjectTypeOf(firstArgument, state.vars);
        if (target && SETUP_OBJECTS.has(target) && !state.isTest) {
          report(
            node,
            `DML call ${call} on setup object ${SETUP_OBJECTS.get(target)} (the package must not change setup objects)`,
          );
        }
      } else if (receiver === 'search' && SEARCH_METHODS.has(method)) {
        if (state.loop) report(node, `SOSL call ${call} inside ${state.loop}`);
      }
    }

    walkChildren(node, state);
  }

  function walkChildren(node, state) {
    for (const child of node.children ?? []) walk(child, state);
  }

  if (isTrigger) {
    const counter = { name: tree.id(0).getText(), staticSoql: 0, dynamicSoql: 0 };
    soql.push(counter);
    walkChildren(tree, {
      loop: null,
      vars: declaredVariables(tree),
      fields: new Map(),
      isTest: false,
      counter,
    });
  } else {
    walkChildren(tree, {
      loop: null,
      vars: new Map(),
      fields: new Map(),
      isTest: false,
      counter: null,
    });
  }
  return { parsed: true, findings, soql };
}

/** Fields declared directly in a class body: Map lower-case name → lower-case type text. */
function classFields(classCtx) {
  const fields = new Map();
  for (const declaration of classCtx.classBody().classBodyDeclaration_list()) {
    const field = declaration.memberDeclaration()?.fieldDeclaration();
    if (!field) continue;
    for (const v of field.variableDeclarators().variableDeclarator_list()) {
      fields.set(v.id().getText().toLowerCase(), field.typeRef().getText().toLowerCase());
    }
  }
  return fields;
}

/** Lower-case SObject type a DML target expression works on, when simply detectable; else null. */
function sobjectTypeOf(expr, vars) {
  if (!expr) return null;
  if (expr instanceof SubExpressionContext) return sobjectTypeOf(expr.expression(), vars);
  if (expr instanceof CastExpressionContext) return elementType(expr.typeRef().getText());
  if (expr instanceof NewExpressionContext)
    return elementType(expr.creator().createdName().getText());
  if (expr instanceof DotExpressionContext && !expr.dotMethodCall()) {
    // this.field
    const owner = expr.expression();
    if (
      owner instanceof PrimaryExpressionContext &&
      owner.primary() instanceof ThisPrimaryContext
    ) {
      const type = vars.get(expr.anyId().getText().toLowerCase());
      return type ? elementType(type) : null;
    }
    return null;
  }
  if (expr instanceof PrimaryExpressionContext) {
    const primary = expr.primary();
    if (primary instanceof IdPrimaryContext) {
      const type = vars.get(primary.id().getText().toLowerCase());
      return type ? elementType(type) : null;
    }
    if (primary instanceof SoqlPrimaryContext) {
      const from = primary.soqlLiteral().query()?.fromNameList()?.fieldName(0);
      return from ? elementType(from.getText()) : null;
    }
  }
  return null;
}

/** "List<Schema.User>" / "User[]" / "User" → "user". */
function elementType(typeText) {
  let type = typeText.toLowerCase().replace(/\s+/g, '');
  const list = /^list<(.+)>$/.exec(type) ?? /^(.+)\[\]$/.exec(type);
  if (list) type = list[1];
  return type.replace(/^schema\./, '');
}

export async function run(projectDir) {
  printHeader(NAME, 'SOQL/SOSL/DML inside loops, DML on setup objects, SOQL count per class');
  const files = listApexFiles(projectDir);
  if (files.length === 0) {
    const message = `no .cls or .trigger files found under the package directories of ${projectDir}`;
    printSummary(NAME, false, message);
    return { ok: false, errors: [message] };
  }

  const errors = [];
  const rows = [];
  const skipped = [];
  for (const file of files) {
    const result = analyseApex(readFileSync(file, 'utf8'), file.endsWith('.trigger'));
    if (!result.parsed) {
      skipped.push(rel(projectDir, file));
      continue;
    }
    for (const f of result.findings)
      errors.push(`${rel(projectDir, file)}:${f.line}:${f.column} ${f.message}`);
    rows.push(...result.soql);
  }

  printSoqlTable(rows);
  for (const file of skipped) console.log(`  (skipped, does not parse — see apex-syntax) ${file}`);
  for (const error of errors) console.log(`  ${error}`);

  const ok = errors.length === 0;
  const analysed = files.length - skipped.length;
  const summary = ok
    ? `${analysed} file(s) analysed, no query or DML in loops, no setup-object DML`
    : `${errors.length} problem(s) in ${analysed} file(s) analysed`;
  printSummary(NAME, ok, summary);
  return { ok, errors };
}

function printSoqlTable(rows) {
  const header = ['Class / trigger', 'SOQL', '[SELECT]', 'Database.query*'];
  const body = rows.map((r) => [
    r.name,
    String(r.staticSoql + r.dynamicSoql),
    String(r.staticSoql),
    String(r.dynamicSoql),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const format = (row) =>
    `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')}`;
  console.log(format(header));
  console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of body) console.log(format(row));
}

if (isMain(import.meta.url)) await runCli(NAME, run);
