// A small evaluator for validation rule formulas: the functions the package's rules use (ISBLANK,
// TRIM, NOT, REGEX, AND, OR, LEN, ISPICKVAL, BEGINS, CONTAINS, IF, ISNULL) with &&, ||, !,
// comparisons and text concatenation. In formulas a blank text is the empty string. Anything else
// fails loudly, naming the rule.
import { ApexId, UnsupportedError, isNumeric, numberOf, type Value } from '../values';

type Token = { kind: 'id' | 'str' | 'num' | 'op'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const re =
    /\s*(?:([A-Za-z_][A-Za-z0-9_.]*)|"((?:[^"\\]|\\.)*)"|(\d+(?:\.\d+)?)|(\|\||&&|==|!=|<>|<=|>=|[()!,=<>+\-*/&]))/y;
  let pos = 0;
  while (pos < source.length) {
    if (/^\s*$/.test(source.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(source);
    if (!m) throw new UnsupportedError(`formula syntax at '${source.slice(pos)}'`);
    pos = re.lastIndex;
    if (m[1]) tokens.push({ kind: 'id', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'str', text: m[2].replace(/\\(.)/g, '$1') });
    else if (m[3]) tokens.push({ kind: 'num', text: m[3] });
    else tokens.push({ kind: 'op', text: m[4] });
  }
  return tokens;
}

type FormulaValue = string | number | boolean | null;

const asText = (v: FormulaValue): string => (v === null ? '' : String(v));

function toFormula(value: Value): FormulaValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (value instanceof ApexId) return value.value;
  if (isNumeric(value)) return numberOf(value);
  return String(value);
}

const COMPARISONS = ['=', '==', '!=', '<>', '<', '>', '<=', '>='];

class FormulaParser {
  private readonly tokens: Token[];
  private i = 0;

  constructor(
    private readonly source: string,
    private readonly fieldValue: (name: string) => Value,
  ) {
    this.tokens = tokenize(source);
  }

  run(): FormulaValue {
    const result = this.or();
    if (this.i !== this.tokens.length)
      throw new UnsupportedError(`formula: trailing input in ${this.source}`);
    return result;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private take(text?: string): Token {
    const t = this.tokens[this.i++];
    if (!t || (text !== undefined && t.text !== text)) {
      throw new UnsupportedError(`formula: expected ${text ?? 'more'} in ${this.source}`);
    }
    return t;
  }

  private or(): FormulaValue {
    let left = this.and();
    while (this.peek()?.text === '||') {
      this.take();
      const right = this.and();
      left = left === true || right === true;
    }
    return left;
  }

  private and(): FormulaValue {
    let left = this.comparison();
    while (this.peek()?.text === '&&') {
      this.take();
      const right = this.comparison();
      left = left === true && right === true;
    }
    return left;
  }

  private comparison(): FormulaValue {
    const left = this.additive();
    const op = this.peek()?.text;
    if (!op || !COMPARISONS.includes(op)) return left;
    this.take();
    const right = this.additive();
    const cmp =
      typeof left === 'number' && typeof right === 'number'
        ? left - right
        : asText(left).localeCompare(asText(right));
    switch (op) {
      case '=':
      case '==':
        return cmp === 0;
      case '!=':
      case '<>':
        return cmp !== 0;
      case '<':
        return cmp < 0;
      case '>':
        return cmp > 0;
      case '<=':
        return cmp <= 0;
      default:
        return cmp >= 0;
    }
  }

  private additive(): FormulaValue {
    let left = this.unary();
    while (['&', '+', '-'].includes(this.peek()?.text ?? '')) {
      const op = this.take().text;
      const right = this.unary();
      if (op === '&' || typeof left === 'string' || typeof right === 'string') {
        left = asText(left) + asText(right);
      } else {
        left = op === '+' ? Number(left) + Number(right) : Number(left) - Number(right);
      }
    }
    return left;
  }

  private unary(): FormulaValue {
    if (this.peek()?.text === '!') {
      this.take();
      return this.unary() !== true;
    }
    return this.primary();
  }

  private primary(): FormulaValue {
    const t = this.take();
    if (t.kind === 'str') return t.text;
    if (t.kind === 'num') return Number(t.text);
    if (t.text === '(') {
      const v = this.or();
      this.take(')');
      return v;
    }
    if (t.kind !== 'id') throw new UnsupportedError(`formula token ${t.text} in ${this.source}`);
    const upper = t.text.toUpperCase();
    if (upper === 'TRUE') return true;
    if (upper === 'FALSE') return false;
    if (upper === 'NULL') return null;
    if (this.peek()?.text !== '(') {
      if (t.text.includes('.'))
        throw new UnsupportedError(`formula cross-object reference ${t.text}`);
      return toFormula(this.fieldValue(t.text.toLowerCase()));
    }
    this.take('(');
    const args: FormulaValue[] = [];
    if (this.peek()?.text !== ')') {
      args.push(this.or());
      while (this.peek()?.text === ',') {
        this.take();
        args.push(this.or());
      }
    }
    this.take(')');
    return callFunction(upper, args);
  }
}

function callFunction(name: string, a: FormulaValue[]): FormulaValue {
  switch (name) {
    case 'ISBLANK':
    case 'ISNULL':
      return a[0] === null || a[0] === '';
    case 'TRIM':
      return asText(a[0]).trim();
    case 'LEN':
      return asText(a[0]).length;
    case 'NOT':
      return a[0] !== true;
    case 'AND':
      return a.every((x) => x === true);
    case 'OR':
      return a.some((x) => x === true);
    case 'IF':
      return a[0] === true ? a[1] : a[2];
    case 'REGEX':
      // The whole text must match (Java Matcher.matches()).
      return new RegExp(`^(?:${asText(a[1])})$`).test(asText(a[0]));
    case 'BEGINS':
      return asText(a[0]).startsWith(asText(a[1]));
    case 'CONTAINS':
      return asText(a[0]).includes(asText(a[1]));
    case 'ISPICKVAL':
      return asText(a[0]) === asText(a[1]);
    default:
      throw new UnsupportedError(`formula function ${name}`);
  }
}

/** Evaluates a formula against a record's field values (lower-case names). */
export function evaluateFormula(source: string, fieldValue: (name: string) => Value): FormulaValue {
  return new FormulaParser(source, fieldValue).run();
}
