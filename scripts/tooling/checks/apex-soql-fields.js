// apex-soql-fields: keeps every SOQL field list in one place and checks its field names. Why: no
// local tool checks SOQL select lists (apex-ls and PMD do not), and a misspelt field only fails in an
// org, at run time. So:
//   1. Every non-test class that writes SOQL ([SELECT ...] or a string starting with SELECT) must be
//      the query class named in soql-field-reference.json (FactsQueries) or one of its catalog query
//      classes: a query anywhere else fails.
//   2. Every field of every FactsQueries query (select list, WHERE and ORDER BY) must be listed for
//      its object in soql-field-reference.json, where each field names the document it comes from
//      (the org facts contract, the platform notes, or the Salesforce object reference). A List<String>
//      constant NAME_FIELDS is a select list whose FROM is in the string constant NAME_FILTER.
//   3. Every field of a catalog query class's static SOQL must exist on the custom metadata type
//      (objects/<Type>/fields/*.field-meta.xml) or be a standard field of custom metadata records.
//   4. A product query class (productQueryClasses: the monitoring runs and acknowledgements) may hold
//      static SOQL on the product's own custom objects, whose fields must exist under objects/ or be
//      standard fields of custom object records, and on standard objects, whose fields must be
//      documented in soql-field-reference.json like those of FactsQueries.
//
// Usage: node scripts/tooling/checks/apex-soql-fields.js [projectDir]   (default: current directory)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ApexErrorListener,
  ApexParserFactory,
  FieldDeclarationContext,
  SoqlLiteralContext,
} from '@apexdevtools/apex-parser';
import {
  isMain,
  listApexFiles,
  listFiles,
  printHeader,
  printSummary,
  rel,
  runCli,
  sourceDirs,
} from './lib/check-runner.js';

const NAME = 'apex-soql-fields';
export const REFERENCE_FILE = 'scripts/tooling/checks/soql-field-reference.json';
const CMDT_STANDARD_FIELDS = [
  'Id',
  'DeveloperName',
  'MasterLabel',
  'Label',
  'QualifiedApiName',
  'NamespacePrefix',
  'Language',
];
const RECORD_STANDARD_FIELDS = [
  'Id',
  'Name',
  'OwnerId',
  'CreatedDate',
  'CreatedById',
  'CreatedBy.Name',
  'LastModifiedDate',
  'LastModifiedById',
];
const SOQL_KEYWORDS = new Set([
  'select',
  'from',
  'where',
  'and',
  'or',
  'not',
  'in',
  'like',
  'order',
  'by',
  'asc',
  'desc',
  'nulls',
  'first',
  'last',
  'limit',
  'true',
  'false',
  'null',
  'with',
  'user_mode',
  'system_mode',
  'includes',
  'excludes',
  'offset',
]);

class CountingListener extends ApexErrorListener {
  count = 0;
  apexSyntaxError() {
    this.count += 1;
  }
}

/** Source text of a parse-tree node (getText() drops whitespace). */
const sourceOf = (source, ctx) => source.slice(ctx.start.start, ctx.stop.stop + 1);

/** The string literals of a piece of Apex source, unescaped, in order. */
function stringLiterals(text) {
  return [...text.matchAll(/'((?:\\.|[^'\\])*)'/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
}

/** Splits a SOQL query into { object, fields } (select list + WHERE / ORDER BY field names). */
export function parseQuery(soql) {
  const text = soql.replace(/\s+/g, ' ').trim();
  const match = /^SELECT (.+?) FROM (\w+)(.*)$/i.exec(text);
  if (!match) return null;
  const fields = match[1]
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const rest = match[3].replace(/:\w+/g, ' ').replace(/'(?:\\.|[^'\\])*'/g, ' ');
  for (const token of rest.match(/[A-Za-z_][\w.]*/g) ?? []) {
    if (!SOQL_KEYWORDS.has(token.toLowerCase()) && !/^\d/.test(token)) fields.push(token);
  }
  return { object: match[2], fields: [...new Set(fields)] };
}

function fieldAllowed(field, documented) {
  return Object.keys(documented).some((name) =>
    name.endsWith('*')
      ? field.toLowerCase().startsWith(name.slice(0, -1).toLowerCase())
      : name.toLowerCase() === field.toLowerCase(),
  );
}

function parseClass(file) {
  const source = readFileSync(file, 'utf8');
  const listener = new CountingListener();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  const tree = parser.compilationUnit();
  return {
    source,
    tree,
    ok: listener.count === 0,
    isTest: /@IsTest\b/i.test(source.split(/\bclass\b/i)[0]),
  };
}

function walk(node, visit) {
  if (!node?.children) return;
  visit(node);
  node.children.forEach((child) => walk(child, visit));
}

export async function run(projectDir) {
  printHeader(NAME, 'SOQL kept in one class; its field names checked against the documented ones');
  const fail = (message) => {
    printSummary(NAME, false, message);
    return { ok: false, errors: [message] };
  };
  const referencePath = path.join(projectDir, REFERENCE_FILE);
  if (!existsSync(referencePath)) return fail(`no field reference ${REFERENCE_FILE}`);
  const reference = JSON.parse(readFileSync(referencePath, 'utf8'));
  const queryClass = reference.queryClass;
  const catalogClasses = new Set(Object.keys(reference.catalogQueryClasses ?? {}));
  const productClasses = new Set(Object.keys(reference.productQueryClasses ?? {}));
  const documented = new Map(
    Object.entries(reference.objects ?? {}).map(([object, fields]) => [
      object.toLowerCase(),
      fields,
    ]),
  );

  const errors = [];
  let queriesChecked = 0;
  let queryClassFound = false;
  for (const file of listApexFiles(projectDir).filter((f) => f.endsWith('.cls'))) {
    const className = path.basename(file, '.cls');
    const where = rel(projectDir, file);
    const parsed = parseClass(file);
    if (!parsed.ok) {
      errors.push(`${where} does not parse, so its queries cannot be checked`);
      continue;
    }
    if (parsed.isTest) continue;

    const staticQueries = [];
    walk(parsed.tree, (n) => {
      if (n instanceof SoqlLiteralContext)
        staticQueries.push({ line: n.start.line, soql: sourceOf(parsed.source, n).slice(1, -1) });
    });
    const stringQueries = [];
    walk(parsed.tree, (n) => {
      if (!(n instanceof FieldDeclarationContext)) return;
      for (const v of n.variableDeclarators().variableDeclarator_list()) {
        const literals = stringLiterals(sourceOf(parsed.source, v));
        stringQueries.push({
          name: v.id().getText(),
          line: v.start.line,
          type: n.typeRef().getText(),
          literals,
        });
      }
    });
    const selectStrings = [...parsed.source.matchAll(/'\s*SELECT\s/gi)].length;

    if (className === queryClass) {
      queryClassFound = true;
      const constants = new Map(stringQueries.map((c) => [c.name, c]));
      for (const constant of stringQueries) {
        let query = null;
        const joined = constant.literals.join('');
        if (/^\s*SELECT\s/i.test(joined)) query = parseQuery(joined);
        else if (/^List<String>$/i.test(constant.type) && constant.name.endsWith('_FIELDS')) {
          const filter = constants.get(constant.name.replace(/_FIELDS$/, '_FILTER'));
          const from = filter && /FROM\s+(\w+)/i.exec(filter.literals.join(''));
          if (!from) {
            errors.push(
              `${where}:${constant.line} ${constant.name} has no ${constant.name.replace(/_FIELDS$/, '_FILTER')} constant naming its FROM object`,
            );
            continue;
          }
          const rest = parseQuery(
            `SELECT Id FROM ${from[1]} ${filter.literals.join('').replace(/^.*?FROM\s+\w+/i, '')}`,
          );
          query = {
            object: from[1],
            fields: [...new Set([...constant.literals, ...rest.fields])],
          };
        }
        if (!query) continue;
        queriesChecked += 1;
        const fields = documented.get(query.object.toLowerCase());
        if (!fields) {
          errors.push(
            `${where}:${constant.line} ${constant.name} queries ${query.object}, which ${REFERENCE_FILE} does not document`,
          );
          continue;
        }
        for (const field of query.fields) {
          if (!fieldAllowed(field, fields)) {
            errors.push(
              `${where}:${constant.line} ${constant.name}: ${query.object}.${field} is not a documented field (${REFERENCE_FILE})`,
            );
          }
        }
        console.log(`  ${constant.name}: ${query.object} (${query.fields.join(', ')})`);
      }
      for (const q of staticQueries) {
        errors.push(
          `${where}:${q.line} static SOQL in ${queryClass}: keep queries as checked string constants`,
        );
      }
    } else if (catalogClasses.has(className)) {
      for (const q of staticQueries) {
        queriesChecked += 1;
        errors.push(...checkCatalogQuery(projectDir, where, q));
      }
    } else if (productClasses.has(className)) {
      for (const q of staticQueries) {
        queriesChecked += 1;
        errors.push(...checkProductQuery(projectDir, where, q, documented));
      }
      if (selectStrings)
        errors.push(`${where}: dynamic SOQL in a product query class: write it as static SOQL`);
    } else if (staticQueries.length || selectStrings) {
      const line = staticQueries[0]?.line ?? '?';
      errors.push(
        `${where}:${line} SOQL outside ${queryClass}: move the query there so its fields are checked`,
      );
    }
  }
  if (!queryClassFound) errors.push(`query class ${queryClass}.cls not found`);

  for (const error of errors) console.log(`  ${error}`);
  const ok = errors.length === 0;
  printSummary(
    NAME,
    ok,
    ok
      ? `${queriesChecked} quer(ies) checked, all fields documented`
      : `${errors.length} problem(s)`,
  );
  return { ok, errors };
}

/** Fields of a custom metadata query must exist on the type (objects/<Type>/fields). */
function checkCatalogQuery(projectDir, where, q) {
  const query = parseQuery(q.soql.replace(/\bWITH\s+USER_MODE\b/i, ''));
  if (!query) return [`${where}:${q.line} query not understood: ${q.soql.slice(0, 60)}`];
  const objectDirs = sourceDirs(projectDir).flatMap((dir) =>
    listFiles(dir, ['.object-meta.xml']).filter(
      (f) => path.basename(f) === `${query.object}.object-meta.xml`,
    ),
  );
  if (objectDirs.length === 0)
    return [`${where}:${q.line} ${query.object} is not defined under objects/`];
  const fieldsDir = path.join(path.dirname(objectDirs[0]), 'fields');
  const defined = new Set([
    ...CMDT_STANDARD_FIELDS.map((f) => f.toLowerCase()),
    ...listFiles(fieldsDir, ['.field-meta.xml']).map((f) =>
      path.basename(f, '.field-meta.xml').toLowerCase(),
    ),
  ]);
  return query.fields
    .filter((f) => !defined.has(f.toLowerCase()))
    .map((f) => `${where}:${q.line} ${query.object}.${f} is not a field of ${query.object}`);
}

/**
 * Fields of a product query: on a custom object of the product, defined under objects/ (or standard
 * record fields); on a standard object, documented in the reference file.
 */
function checkProductQuery(projectDir, where, q, documented) {
  const query = parseQuery(q.soql);
  if (!query) return [`${where}:${q.line} query not understood: ${q.soql.slice(0, 60)}`];
  if (/__c$/i.test(query.object)) {
    const objectFiles = sourceDirs(projectDir).flatMap((dir) =>
      listFiles(dir, ['.object-meta.xml']).filter(
        (f) => path.basename(f) === `${query.object}.object-meta.xml`,
      ),
    );
    if (objectFiles.length === 0)
      return [`${where}:${q.line} ${query.object} is not defined under objects/`];
    const fieldsDir = path.join(path.dirname(objectFiles[0]), 'fields');
    const defined = new Set([
      ...RECORD_STANDARD_FIELDS.map((f) => f.toLowerCase()),
      ...listFiles(fieldsDir, ['.field-meta.xml']).map((f) =>
        path.basename(f, '.field-meta.xml').toLowerCase(),
      ),
    ]);
    return query.fields
      .filter((f) => !defined.has(f.toLowerCase()))
      .map((f) => `${where}:${q.line} ${query.object}.${f} is not a field of ${query.object}`);
  }
  const fields = documented.get(query.object.toLowerCase());
  if (!fields)
    return [
      `${where}:${q.line} queries ${query.object}, which ${REFERENCE_FILE} does not document`,
    ];
  return query.fields
    .filter((f) => !fieldAllowed(f, fields))
    .map(
      (f) =>
        `${where}:${q.line} ${query.object}.${f} is not a documented field (${REFERENCE_FILE})`,
    );
}

if (isMain(import.meta.url)) await runCli(NAME, run);
