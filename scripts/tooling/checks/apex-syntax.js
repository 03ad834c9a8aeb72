// apex-syntax: parses every .cls and .trigger file of the project with @apexdevtools/apex-parser
// and reports each lexer/parser error as file:line:column. Why: it is the fastest check (no Java,
// no org) and catches broken Apex before the slower semantic and PMD checks run.
// A project with no Apex files fails: a check that checks nothing must not pass silently.
//
// Usage: node scripts/tooling/checks/apex-syntax.js [projectDir]   (default: current directory)
import { readFileSync } from 'node:fs';
import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';
import {
  isMain,
  listApexFiles,
  printHeader,
  printSummary,
  rel,
  runCli,
} from './lib/check-runner.js';

const NAME = 'apex-syntax';

/** Collects every syntax error reported by the lexer and the parser of one file. */
class CollectingListener extends ApexErrorListener {
  constructor() {
    super();
    this.errors = [];
  }

  apexSyntaxError(line, column, message) {
    this.errors.push({ line, column: column + 1, message: shorten(message) }); // ANTLR columns are 0-based
  }
}

/** ANTLR lists every acceptable token ("expecting {'abstract', ...}"); keep the message readable. */
function shorten(message) {
  const at = message.indexOf(' expecting {');
  if (at < 0 || message.length - at < 150) return message;
  const count = message.slice(at).split(', ').length;
  return `${message.slice(0, at)} (expecting one of ${count} tokens)`;
}

/** Returns the syntax errors of one Apex source ({ line, column, message }[]). */
export function parseApex(source, isTrigger) {
  const listener = new CollectingListener();
  // createLexerAndParser attaches the listener to both lexer and parser (and removes the default
  // console listeners), so lexer errors such as bad string escapes are caught too.
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  if (isTrigger) parser.triggerUnit();
  else parser.compilationUnit();
  return listener.errors;
}

export async function run(projectDir) {
  printHeader(NAME, 'parse every .cls and .trigger with apex-parser');
  const files = listApexFiles(projectDir);
  if (files.length === 0) {
    const message = `no .cls or .trigger files found under the package directories of ${projectDir}`;
    printSummary(NAME, false, message);
    return { ok: false, errors: [message], filesParsed: 0 };
  }

  const errors = [];
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const e of parseApex(source, file.endsWith('.trigger'))) {
      errors.push(`${rel(projectDir, file)}:${e.line}:${e.column} ${e.message}`);
    }
  }

  for (const error of errors) console.log(`  ${error}`);
  const ok = errors.length === 0;
  const summary = ok
    ? `${files.length} file(s) parsed, no syntax errors`
    : `${errors.length} syntax error(s) in ${files.length} file(s) parsed`;
  printSummary(NAME, ok, summary);
  return { ok, errors, filesParsed: files.length };
}

if (isMain(import.meta.url)) await runCli(NAME, run);
