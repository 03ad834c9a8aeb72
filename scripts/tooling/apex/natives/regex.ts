// Pattern and Matcher. Apex regular expressions are java.util.regex patterns (Apex Reference,
// "Pattern Class"); they are translated here to JavaScript RegExp with the 'u' flag. Where the two
// dialects differ the translation reproduces Java (., \s, $, \Q…\E, escapes of any punctuation,
// POSIX \p{…} classes); Java-only syntax that is not translated (possessive quantifiers, atomic
// groups, class unions and intersections, \G, mid-pattern flags, …) throws UnsupportedError.
import { registerNative } from './registry';
import { int, listOf, required, str, stringException } from './support';
import {
  ApexError,
  STRING_TYPE,
  UnsupportedError,
  typeRef,
  type ApexInstance,
  type Value,
} from '../values';

// Java's line terminators (without UNIX_LINES): what `.` does not match and `$` may precede.
const LINE_TERMINATORS = '\\n\\r\\u0085\\u2028\\u2029';
const JAVA_SPACE = ' \\t\\n\\x0B\\f\\r';
const HORIZONTAL_SPACE = ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000';

// POSIX classes are ASCII in Java unless UNICODE_CHARACTER_CLASS is set.
const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: JAVA_SPACE,
};
const CATEGORIES = new Set(
  (
    'L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp ' +
    'C Cc Cf Co Cs Cn LC'
  ).split(' '),
);

export interface TranslatedRegex {
  /** JavaScript source, without anchoring. */
  source: string;
  /** JavaScript flags (always includes 'u'). */
  flags: string;
  /** Number of capturing groups. */
  groupCount: number;
}

const unsupported = (pattern: string, what: string) =>
  new UnsupportedError(`Java regex ${what} in /${pattern}/`);

/** Escapes one literal code point for a 'u'-mode JavaScript pattern. */
function literal(ch: string): string {
  return /[\^$\\.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** Translates a java.util.regex pattern to a JavaScript RegExp source with equal meaning. */
export function translateJavaRegex(pattern: string): TranslatedRegex {
  const flags = new Set<string>(['u']);
  let out = '';
  let i = 0;
  let groups = 0;
  let inClass = false;
  let classStart = -1; // index in `out` of the current class's first member
  const cps = Array.from(pattern);
  // Leading inline flags (?i), (?s), (?m) become RegExp flags; elsewhere they are unsupported.
  const lead = /^\(\?([imsdux]+)\)/.exec(pattern);
  if (lead) {
    for (const f of lead[1]) {
      if (f === 'i' || f === 'm' || f === 's') flags.add(f);
      else throw unsupported(pattern, `flag (?${f})`);
    }
    i = Array.from(lead[0]).length;
  }
  const dotAll = () => flags.has('s');
  while (i < cps.length) {
    const c = cps[i];
    if (c === '\\') {
      const n = cps[i + 1];
      if (n === undefined) throw stringException(`Invalid regex: trailing backslash in ${pattern}`);
      i += 2;
      if (n === 'Q') {
        // \Q…\E: everything up to \E (or the end) is literal.
        let text = '';
        while (i < cps.length && !(cps[i] === '\\' && cps[i + 1] === 'E')) text += cps[i++];
        if (i < cps.length) i += 2;
        for (const ch of Array.from(text)) out += literal(ch);
        continue;
      }
      if (/[0-9]/.test(n)) {
        if (inClass || n === '0') {
          // \0nnn octal (classes cannot hold back references).
          if (n !== '0') throw unsupported(pattern, 'back reference inside a class');
          let oct = '';
          while (oct.length < 3 && /[0-7]/.test(cps[i] ?? '')) oct += cps[i++];
          if (!oct)
            throw stringException(`Invalid regex: Illegal octal escape sequence in ${pattern}`);
          out += `\\u{${parseInt(oct, 8).toString(16)}}`;
        } else {
          let ref = n;
          while (/[0-9]/.test(cps[i] ?? '') && Number(ref + cps[i]) <= groups) ref += cps[i++];
          out += `\\${ref}`;
        }
        continue;
      }
      switch (n) {
        case 'd':
        case 'D':
        case 'w':
        case 'W':
        case 'b':
        case 'B':
        case 't':
        case 'n':
        case 'r':
        case 'f':
          out += `\\${n}`;
          continue;
        case 's':
          out += inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
          continue;
        case 'S':
          if (inClass) throw unsupported(pattern, '\\S inside a character class');
          out += `[^${JAVA_SPACE}]`;
          continue;
        case 'h':
          out += inClass ? HORIZONTAL_SPACE : `[${HORIZONTAL_SPACE}]`;
          continue;
        case 'H':
          if (inClass) throw unsupported(pattern, '\\H inside a character class');
          out += `[^${HORIZONTAL_SPACE}]`;
          continue;
        case 'R':
          if (inClass) throw stringException(`Invalid regex: \\R in a class in ${pattern}`);
          out += '(?:\\r\\n|[\\n\\x0B\\f\\r\\u0085\\u2028\\u2029])';
          continue;
        case 'A':
          out += '(?<![\\s\\S])';
          continue;
        case 'z':
          out += '(?![\\s\\S])';
          continue;
        case 'Z':
          out += `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?(?![\\s\\S]))`;
          continue;
        case 'e':
          out += '\\x1B';
          continue;
        case 'a':
          out += '\\x07';
          continue;
        case 'x': {
          if (cps[i] === '{') {
            const close = cps.indexOf('}', i);
            out += `\\u{${cps.slice(i + 1, close).join('')}}`;
            i = close + 1;
          } else {
            out += `\\x${cps[i]}${cps[i + 1]}`;
            i += 2;
          }
          continue;
        }
        case 'u':
          out += `\\u${cps.slice(i, i + 4).join('')}`;
          i += 4;
          continue;
        case 'c':
          out += `\\c${cps[i++]}`;
          continue;
        case 'k':
          out += '\\k';
          continue;
        case 'p':
        case 'P': {
          let name: string;
          if (cps[i] === '{') {
            const close = cps.indexOf('}', i);
            name = cps.slice(i + 1, close).join('');
            i = close + 1;
          } else {
            name = cps[i++];
          }
          const negate = n === 'P';
          const bare = name.replace(/^(Is|general_category=|gc=)/, '');
          if (CATEGORIES.has(bare)) {
            out += `\\${n}{${bare}}`;
          } else if (POSIX[name] !== undefined) {
            if (inClass && negate) throw unsupported(pattern, `\\P{${name}} inside a class`);
            out += inClass ? POSIX[name] : `[${negate ? '^' : ''}${POSIX[name]}]`;
          } else {
            throw unsupported(pattern, `property \\${n}{${name}}`);
          }
          continue;
        }
        case 'G':
        case 'X':
        case 'N':
        case 'V':
        case 'v':
          throw unsupported(pattern, `\\${n}`);
        default:
          if (/[a-zA-Z]/.test(n)) {
            throw stringException(`Invalid regex: Illegal/unsupported escape sequence \\${n}`);
          }
          // Java lets any punctuation be escaped; JavaScript 'u' mode only syntax characters.
          out += inClass && n === '-' ? '\\-' : literal(n);
          continue;
      }
    }
    if (inClass) {
      if (c === ']' && out.length > classStart) {
        inClass = false;
        out += ']';
      } else if (c === '[') {
        throw unsupported(pattern, 'nested character class (union)');
      } else if (c === '&' && cps[i + 1] === '&') {
        throw unsupported(pattern, 'character class intersection (&&)');
      } else if (c === ']') {
        throw unsupported(pattern, "']' as the first member of a class");
      } else {
        out += c;
      }
      i++;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        out += '[';
        i++;
        if (cps[i] === '^') {
          out += '^';
          i++;
        }
        classStart = out.length;
        continue;
      case '(':
        if (cps[i + 1] === '?') {
          const rest = cps.slice(i + 2, i + 4).join('');
          if (
            rest[0] === ':' ||
            rest[0] === '=' ||
            rest[0] === '!' ||
            rest === '<=' ||
            rest === '<!'
          ) {
            out += '(';
            i++;
            continue;
          }
          if (rest[0] === '<') {
            groups++; // named group (?<name>…)
            out += '(';
            i++;
            continue;
          }
          if (rest[0] === '>') throw unsupported(pattern, 'atomic group (?>…)');
          throw unsupported(pattern, 'inline flags inside the pattern');
        }
        groups++;
        out += '(';
        i++;
        continue;
      case '.':
        out += dotAll() ? '[\\s\\S]' : `[^${LINE_TERMINATORS}]`;
        i++;
        continue;
      case '$':
        // Without MULTILINE Java's $ also matches before a final line terminator.
        out += flags.has('m') ? '$' : `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?(?![\\s\\S]))`;
        i++;
        continue;
      case '*':
      case '+':
      case '?':
      case '}': {
        if (c === '}') {
          out += '\\}'; // a lone '}' is literal in Java
          i++;
          continue;
        }
        out += c;
        i++;
        if (cps[i] === '+') throw unsupported(pattern, `possessive quantifier ${c}+`);
        if (cps[i] === '?') out += cps[i++];
        continue;
      }
      case '{': {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(cps.slice(i).join(''));
        if (!m)
          throw stringException(`Invalid regex: Illegal repetition near index ${i} in ${pattern}`);
        out += m[0];
        i += m[0].length;
        if (cps[i] === '+') throw unsupported(pattern, 'possessive quantifier {n}+');
        if (cps[i] === '?') out += cps[i++];
        continue;
      }
      case ']':
        out += '\\]'; // a lone ']' is literal in Java
        i++;
        continue;
      case '/':
        out += '\\/';
        i++;
        continue;
      default:
        out += c;
        i++;
    }
  }
  if (inClass) throw stringException(`Invalid regex: Unclosed character class in ${pattern}`);
  const result = { source: out, flags: [...flags].join(''), groupCount: groups };
  try {
    RegExp(result.source, result.flags); // validates the translation
  } catch (e) {
    throw stringException(`Invalid regex: ${(e as Error).message}`);
  }
  return result;
}

const cache = new Map<string, TranslatedRegex>();
function translated(pattern: string): TranslatedRegex {
  let t = cache.get(pattern);
  if (!t) {
    t = translateJavaRegex(pattern);
    cache.set(pattern, t);
  }
  return t;
}

/** A global, index-reporting RegExp for scanning. */
export function scanner(pattern: string): RegExp {
  const t = translated(pattern);
  return new RegExp(t.source, `${t.flags}gd`);
}

/** A RegExp that must match the whole input (Java matches()). */
export function wholeMatcher(pattern: string): RegExp {
  const t = translated(pattern);
  return new RegExp(`(?<![\\s\\S])(?:${t.source})(?![\\s\\S])`, `${t.flags}d`);
}

/** A RegExp that must match at the start of the input (Java lookingAt()). */
function prefixMatcher(pattern: string): RegExp {
  const t = translated(pattern);
  return new RegExp(`(?<![\\s\\S])(?:${t.source})`, `${t.flags}d`);
}

/** Next match at or after `from`, stepping past empty matches as Java does. */
function execAt(re: RegExp, input: string, from: number): RegExpExecArray | null {
  re.lastIndex = from;
  return re.exec(input);
}

/** Java String.split(regex, limit): trailing empty strings dropped when limit is 0. */
export function javaSplit(input: string, pattern: string, limit = 0): string[] {
  const re = scanner(pattern);
  const parts: string[] = [];
  let start = 0;
  let from = 0;
  while (limit <= 0 || parts.length < limit - 1) {
    const m = execAt(re, input, from);
    if (!m) break;
    const end = m.index + m[0].length;
    if (m[0].length === 0) {
      if (m.index >= input.length) break;
      // A zero-width match at the very start yields no leading empty string (Java 8+).
      if (m.index === 0) {
        from = advance(input, 0);
        continue;
      }
    }
    parts.push(input.slice(start, m.index));
    start = end;
    from = m[0].length === 0 ? advance(input, end) : end;
  }
  if (parts.length === 0) return [input];
  parts.push(input.slice(start));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function advance(input: string, index: number): number {
  const cp = input.codePointAt(index);
  return index + (cp !== undefined && cp > 0xffff ? 2 : 1);
}

/** Java Matcher replacement text: $n, ${name} and \-escapes. */
function expandReplacement(replacement: string, m: RegExpExecArray, groupCount: number): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === '\\') {
      i++;
      if (i >= replacement.length) {
        throw new ApexError('System.StringException', 'character to be escaped is missing');
      }
      out += replacement[i];
    } else if (c === '$') {
      i++;
      if (replacement[i] === '{') {
        const close = replacement.indexOf('}', i);
        const name = replacement.slice(i + 1, close);
        if (!m.groups || !(name in m.groups)) {
          throw new ApexError('System.StringException', `No group with name {${name}}`);
        }
        out += m.groups[name] ?? '';
        i = close;
      } else {
        if (!/[0-9]/.test(replacement[i] ?? '')) {
          throw new ApexError('System.StringException', 'Illegal group reference');
        }
        let ref = Number(replacement[i]);
        if (ref > groupCount) throw new ApexError('System.StringException', `No group ${ref}`);
        while (
          /[0-9]/.test(replacement[i + 1] ?? '') &&
          ref * 10 + Number(replacement[i + 1]) <= groupCount
        ) {
          ref = ref * 10 + Number(replacement[++i]);
        }
        out += m[ref] ?? '';
      }
    } else {
      out += c;
    }
  }
  return out;
}

/** Java replaceAll / replaceFirst. */
export function javaReplace(
  input: string,
  pattern: string,
  replacement: string,
  all: boolean,
): string {
  const re = scanner(pattern);
  const groupCount = translated(pattern).groupCount;
  let out = '';
  let last = 0;
  let from = 0;
  while (from <= input.length) {
    const m = execAt(re, input, from);
    if (!m) break;
    out += input.slice(last, m.index) + expandReplacement(replacement, m, groupCount);
    last = m.index + m[0].length;
    if (!all) break;
    from = m[0].length === 0 ? advance(input, last) : last;
    if (m[0].length === 0 && last < input.length) {
      // The character skipped past an empty match is copied through.
      out += input.slice(last, from);
      last = from;
    }
  }
  return out + input.slice(last);
}

export function javaMatches(pattern: string, input: string): boolean {
  return wholeMatcher(pattern).test(input);
}

// ── Pattern and Matcher objects ─────────────────────────────────────────────────────────────

export class PatternValue implements ApexInstance {
  readonly apexType = typeRef('System.Pattern');
  constructor(readonly pattern: string) {
    translated(pattern); // compile now: a bad pattern fails at Pattern.compile
  }
  toString(): string {
    return this.pattern;
  }
}

export class MatcherValue implements ApexInstance {
  readonly apexType = typeRef('System.Matcher');
  private match: RegExpExecArray | null = null;
  /** Where the next find() starts; -1 after a failed find (no more matches until reset). */
  private next = 0;
  /** Where appendReplacement copies from. */
  appendPosition = 0;
  constructor(
    public pattern: PatternValue,
    public input: string,
  ) {}

  reset(input?: string): void {
    if (input !== undefined) this.input = input;
    this.match = null;
    this.next = 0;
    this.appendPosition = 0;
  }

  find(from?: number): boolean {
    if (from !== undefined) {
      if (from < 0 || from > this.input.length) {
        throw new ApexError('System.StringException', `Illegal start index`);
      }
      this.reset();
      this.next = from;
    }
    if (this.next < 0 || this.next > this.input.length) {
      this.match = null;
      return false;
    }
    const m = execAt(scanner(this.pattern.pattern), this.input, this.next);
    this.match = m;
    if (!m) {
      this.next = -1;
      return false;
    }
    const end = m.index + m[0].length;
    this.next = m[0].length === 0 ? end + 1 : end;
    return true;
  }

  matches(): boolean {
    this.match = wholeMatcher(this.pattern.pattern).exec(this.input);
    this.next = this.match ? this.input.length : -1;
    return this.match !== null;
  }

  lookingAt(): boolean {
    this.match = prefixMatcher(this.pattern.pattern).exec(this.input);
    this.next = this.match ? this.match[0].length : -1;
    return this.match !== null;
  }

  private current(): RegExpExecArray {
    if (!this.match) throw new ApexError('System.StringException', 'No match found');
    return this.match;
  }

  private groupIndex(group: Value): number {
    const n = int(group);
    if (n < 0 || n > this.groupCount()) {
      throw new ApexError('System.StringException', `No group ${n}`);
    }
    return n;
  }

  group(group: Value = 0): string | null {
    const m = this.current();
    if (typeof group === 'string') return m.groups?.[this.checkName(group)] ?? null;
    return m[this.groupIndex(group)] ?? null;
  }

  private checkName(name: string): string {
    const m = this.current();
    if (!m.groups || !(name in m.groups)) {
      throw new ApexError('System.StringException', `No group with name <${name}>`);
    }
    return name;
  }

  start(group: Value = 0): number {
    const m = this.current();
    if (typeof group === 'string') return m.indices?.groups?.[this.checkName(group)]?.[0] ?? -1;
    return m.indices?.[this.groupIndex(group)]?.[0] ?? -1;
  }

  end(group: Value = 0): number {
    const m = this.current();
    if (typeof group === 'string') return m.indices?.groups?.[this.checkName(group)]?.[1] ?? -1;
    return m.indices?.[this.groupIndex(group)]?.[1] ?? -1;
  }

  groupCount(): number {
    return translated(this.pattern.pattern).groupCount;
  }

  hitEnd(): boolean {
    throw new UnsupportedError('Matcher.hitEnd');
  }
}

const matcherOf = (self: Value) => self as MatcherValue;

registerNative({
  name: 'System.Pattern',
  statics: {
    compile: (_ctx, _self, [regex]) => new PatternValue(str(regex)),
    matches: (_ctx, _self, [regex, input]) => javaMatches(str(regex), str(input)),
    quote: (_ctx, _self, [text]) => {
      // Java's Pattern.quote: \Q…\E, splitting around any \E inside the text.
      const s = str(text);
      return `\\Q${s.split('\\E').join('\\E\\\\E\\Q')}\\E`;
    },
  },
  methods: {
    matcher: (_ctx, self, [input]) => new MatcherValue(self as PatternValue, str(input)),
    pattern: (_ctx, self) => (self as PatternValue).pattern,
    split: (_ctx, self, [input, limit]) =>
      listOf(
        STRING_TYPE,
        javaSplit(str(input), (self as PatternValue).pattern, limit == null ? 0 : int(limit)),
      ),
    tostring: (_ctx, self) => (self as PatternValue).pattern,
  },
});

const optionalGroup = (args: Value[]): Value => (args.length ? required(args[0]) : 0);

registerNative({
  name: 'System.Matcher',
  methods: {
    matches: (_ctx, self) => matcherOf(self).matches(),
    find: (_ctx, self, args) => matcherOf(self).find(args.length ? int(args[0]) : undefined),
    lookingat: (_ctx, self) => matcherOf(self).lookingAt(),
    group: (_ctx, self, args) => matcherOf(self).group(optionalGroup(args)),
    start: (_ctx, self, args) => matcherOf(self).start(optionalGroup(args)),
    end: (_ctx, self, args) => matcherOf(self).end(optionalGroup(args)),
    groupcount: (_ctx, self) => matcherOf(self).groupCount(),
    hitend: (_ctx, self) => matcherOf(self).hitEnd(),
    pattern: (_ctx, self) => matcherOf(self).pattern,
    reset: (_ctx, self, args) => {
      matcherOf(self).reset(args.length ? str(args[0]) : undefined);
      return self;
    },
    usepattern: (_ctx, self, [pattern]) => {
      matcherOf(self).pattern = required(pattern) as PatternValue;
      return self;
    },
    replaceall: (_ctx, self, [replacement]) => {
      const m = matcherOf(self);
      m.reset();
      return javaReplace(m.input, m.pattern.pattern, str(replacement), true);
    },
    replacefirst: (_ctx, self, [replacement]) => {
      const m = matcherOf(self);
      m.reset();
      return javaReplace(m.input, m.pattern.pattern, str(replacement), false);
    },
  },
});
