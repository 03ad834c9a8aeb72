// Pass 1: Apex source text → apex-parser parse tree. Syntax errors stop the load with the file and
// line, as the platform's compiler would refuse the class.
import {
  ApexErrorListener,
  ApexParserFactory,
  type AnonymousUnitContext,
  type CompilationUnitContext,
} from '@apexdevtools/apex-parser';

/** A class or anonymous block the runtime cannot load: "File.cls:LINE: message". */
export class ApexSourceError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

class CollectingListener extends ApexErrorListener {
  readonly errors: { line: number; message: string }[] = [];
  apexSyntaxError(line: number, _column: number, message: string): void {
    this.errors.push({ line, message });
  }
}

const parserFor = (text: string, listener: ApexErrorListener) =>
  ApexParserFactory.createLexerAndParser(text, listener).parser;

function parseWith<T>(text: string, file: string, rule: (p: ReturnType<typeof parserFor>) => T): T {
  const listener = new CollectingListener();
  const parser = parserFor(text, listener);
  const tree = rule(parser);
  const first = listener.errors[0];
  if (first) throw new ApexSourceError(file, first.line, `syntax error: ${first.message}`);
  return tree;
}

/** A class, interface or enum file. */
export function parseClass(text: string, file: string): CompilationUnitContext {
  return parseWith(text, file, (p) => p.compilationUnit());
}

/** Anonymous Apex (statements and local declarations). */
export function parseAnonymous(text: string, file: string): AnonymousUnitContext {
  return parseWith(text, file, (p) => p.anonymousUnit());
}
