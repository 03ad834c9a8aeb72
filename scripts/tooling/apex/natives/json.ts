// System.JSON, System.JSONParser and the System.JSONToken enum (Apex Reference "JSON Class",
// "JSONParser Class", "JSONToken Enum"). Apex's JSON support is Jackson-based: the pretty printer,
// number typing and token texts follow Jackson's defaults. Every problem is a
// System.JSONException (SEMANTICS.md JSN-12); row ids refer to SEMANTICS.md (JSN-*).
import { base64Decode, base64Encode } from './blob';
import { parseDate, parseIsoDatetime } from './dates';
import { registerNative, type NativeContext, type NativeMethod } from './registry';
import { required, str } from './support';
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexError,
  ApexId,
  ApexList,
  ApexMap,
  ApexSet,
  ApexTime,
  ApexTypeValue,
  EnumValue,
  OBJECT_TYPE,
  SObjectValue,
  STRING_TYPE,
  UnsupportedError,
  formatDouble,
  isInstance,
  normalizeId,
  toApexString,
  typeName,
  typeRef,
  type ApexInstance,
  type TypeRef,
  type Value,
} from '../values';

export const jsonException = (message: string) => new ApexError('System.JSONException', message);

// ── JSONToken ───────────────────────────────────────────────────────────────────────────────

const TOKEN_NAMES = [
  'END_ARRAY',
  'END_OBJECT',
  'FIELD_NAME',
  'NOT_AVAILABLE',
  'START_ARRAY',
  'START_OBJECT',
  'VALUE_EMBEDDED_OBJECT',
  'VALUE_FALSE',
  'VALUE_NULL',
  'VALUE_NUMBER_FLOAT',
  'VALUE_NUMBER_INT',
  'VALUE_STRING',
  'VALUE_TRUE',
] as const;
export type TokenName = (typeof TOKEN_NAMES)[number];
/** One EnumValue per constant, so `token == JSONToken.START_OBJECT` is identity. */
export const JSON_TOKEN = Object.fromEntries(
  TOKEN_NAMES.map((name, i) => [name, new EnumValue('System.JSONToken', name, i)]),
) as Record<TokenName, EnumValue>;

registerNative({
  name: 'System.JSONToken',
  staticFields: Object.fromEntries(TOKEN_NAMES.map((n) => [n.toLowerCase(), () => JSON_TOKEN[n]])),
  statics: {
    values: () => new ApexList(typeRef('System.JSONToken'), Object.values(JSON_TOKEN)),
  },
});

// ── lexer: one token at a time, with the grammar checked as it goes ─────────────────────────

export interface Token {
  type: TokenName;
  /** The text Jackson's getText() gives: the name, the string, the number as written, '{', … */
  text: string;
  /** The current field name: the name itself, or the name a value belongs to. */
  name: string | null;
}

type Frame = { kind: 'object' | 'array'; state: 'first' | 'value' | 'next'; name: string | null };

export class JsonLexer {
  private pos = 0;
  private readonly stack: Frame[] = [];
  private rootDone = false;

  constructor(private readonly text: string) {}

  private where(at = this.pos): string {
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    return `at [line:${line}, column:${column}]`;
  }

  private fail(what: string, at = this.pos): never {
    throw jsonException(`${what} ${this.where(at)}`);
  }

  private unexpected(expected: string): never {
    if (this.pos >= this.text.length) this.fail(`Unexpected end-of-input: ${expected}`);
    const ch = this.text[this.pos];
    return this.fail(
      `Unexpected character ('${ch}' (code ${ch.charCodeAt(0)})): ${expected}`,
      this.pos + 1,
    );
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /[ \t\r\n]/.test(this.text[this.pos])) this.pos++;
  }

  /** The next token, or null at the end of the input (after one root value). */
  next(): Token | null {
    this.skipSpace();
    const frame = this.stack[this.stack.length - 1];
    if (!frame) {
      if (this.rootDone) {
        if (this.pos < this.text.length) this.unexpected('expected end of input');
        return null;
      }
      if (this.pos >= this.text.length) return null; // no content
      return this.value(null);
    }
    const c = this.text[this.pos];
    if (frame.kind === 'object') {
      if (frame.state === 'value') {
        if (c !== ':') this.unexpected('was expecting a colon to separate field name and value');
        this.pos++;
        this.skipSpace();
        frame.state = 'next';
        return this.value(frame.name);
      }
      if (c === '}' && frame.state === 'first') return this.close('END_OBJECT', '}');
      if (frame.state === 'next') {
        if (c === '}') return this.close('END_OBJECT', '}');
        if (c !== ',') this.unexpected('was expecting comma to separate OBJECT entries');
        this.pos++;
        this.skipSpace();
      }
      if (this.text[this.pos] !== '"') {
        this.unexpected('was expecting double-quote to start field name');
      }
      const name = this.string();
      frame.name = name;
      frame.state = 'value';
      return { type: 'FIELD_NAME', text: name, name };
    }
    if (c === ']' && frame.state === 'first') return this.close('END_ARRAY', ']');
    if (frame.state === 'next') {
      if (c === ']') return this.close('END_ARRAY', ']');
      if (c !== ',') this.unexpected('was expecting comma to separate ARRAY entries');
      this.pos++;
      this.skipSpace();
    }
    frame.state = 'next';
    return this.value(frame.name);
  }

  private close(type: TokenName, text: string): Token {
    this.pos++;
    this.stack.pop();
    const parent = this.stack[this.stack.length - 1];
    if (!parent) this.rootDone = true;
    return { type, text, name: parent && parent.kind === 'object' ? parent.name : null };
  }

  private scalar(token: Token): Token {
    if (this.stack.length === 0) this.rootDone = true;
    return token;
  }

  private value(name: string | null): Token {
    if (this.pos >= this.text.length) this.unexpected('expected a value');
    const c = this.text[this.pos];
    if (c === '{' || c === '[') {
      this.pos++;
      this.stack.push({ kind: c === '{' ? 'object' : 'array', state: 'first', name: null });
      return { type: c === '{' ? 'START_OBJECT' : 'START_ARRAY', text: c, name };
    }
    if (c === '"') return this.scalar({ type: 'VALUE_STRING', text: this.string(), name });
    const word = /^(true|false|null)(?![A-Za-z0-9_])/.exec(this.text.slice(this.pos, this.pos + 6));
    if (word) {
      this.pos += word[1].length;
      const type =
        word[1] === 'true' ? 'VALUE_TRUE' : word[1] === 'false' ? 'VALUE_FALSE' : 'VALUE_NULL';
      return this.scalar({ type, text: word[1], name });
    }
    const num = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (num && !/[A-Za-z0-9.]/.test(this.text[this.pos + num[0].length] ?? '')) {
      this.pos += num[0].length;
      const float = num[2] !== undefined || num[3] !== undefined;
      return this.scalar({
        type: float ? 'VALUE_NUMBER_FLOAT' : 'VALUE_NUMBER_INT',
        text: num[0],
        name,
      });
    }
    return this.unexpected(
      "expected a valid value (number, String, array, object, 'true', 'false' or 'null')",
    );
  }

  private string(): string {
    let out = '';
    const start = this.pos;
    this.pos++; // opening quote
    for (;;) {
      if (this.pos >= this.text.length)
        this.fail('Unexpected end-of-input: was expecting closing quote for a string value', start);
      const c = this.text[this.pos++];
      if (c === '"') return out;
      if (c === '\\') {
        const e = this.text[this.pos++];
        const simple: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (e in simple) out += simple[e];
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos, this.pos + 4))) {
          out += String.fromCharCode(parseInt(this.text.slice(this.pos, this.pos + 4), 16));
          this.pos += 4;
        } else this.fail(`Unrecognized character escape '${e}' (code ${e?.charCodeAt(0)})`);
      } else if (c.charCodeAt(0) < 0x20) {
        this.fail(
          `Illegal unquoted character ((CTRL-CHAR, code ${c.charCodeAt(0)})): has to be escaped using backslash to be included in string value`,
        );
      } else {
        out += c;
      }
    }
  }
}

// ── a parsed tree that keeps numbers as written (for typing later) ──────────────────────────

export type JsonNode =
  | { t: 'object'; entries: [string, JsonNode][] }
  | { t: 'array'; items: JsonNode[] }
  | { t: 'string'; v: string }
  | { t: 'number'; text: string; float: boolean }
  | { t: 'boolean'; v: boolean }
  | { t: 'null' };

/** The subtree starting at `first` (already read from the lexer). */
export function readTree(lexer: JsonLexer, first: Token): JsonNode {
  switch (first.type) {
    case 'START_OBJECT': {
      const entries: [string, JsonNode][] = [];
      for (let t = lexer.next(); t && t.type !== 'END_OBJECT'; t = lexer.next()) {
        const value = lexer.next();
        if (!value) throw jsonException('Unexpected end-of-input');
        entries.push([t.text, readTree(lexer, value)]);
      }
      return { t: 'object', entries };
    }
    case 'START_ARRAY': {
      const items: JsonNode[] = [];
      for (let t = lexer.next(); t && t.type !== 'END_ARRAY'; t = lexer.next()) {
        items.push(readTree(lexer, t));
      }
      return { t: 'array', items };
    }
    case 'VALUE_STRING':
      return { t: 'string', v: first.text };
    case 'VALUE_NUMBER_INT':
    case 'VALUE_NUMBER_FLOAT':
      return { t: 'number', text: first.text, float: first.type === 'VALUE_NUMBER_FLOAT' };
    case 'VALUE_TRUE':
    case 'VALUE_FALSE':
      return { t: 'boolean', v: first.type === 'VALUE_TRUE' };
    case 'VALUE_NULL':
      return { t: 'null' };
    default:
      throw jsonException(`Unexpected token ${first.type}`);
  }
}

export function parseJson(text: string): JsonNode {
  const lexer = new JsonLexer(text);
  const first = lexer.next();
  if (!first) throw jsonException('No content to map due to end-of-input');
  const tree = readTree(lexer, first);
  lexer.next(); // throws on trailing content
  return tree;
}

// ── deserializeUntyped (JSN-01) ─────────────────────────────────────────────────────────────

/** A JSON number as deserializeUntyped types it: Integer, else Long, else Decimal. */
function untypedNumber(text: string, float: boolean): Value {
  if (!float) {
    const big = BigInt(text);
    if (big >= -2147483648n && big <= 2147483647n) return Number(big);
    if (big === BigInt.asIntN(64, big)) return big;
  }
  return ApexDecimal.parse(text) as ApexDecimal;
}

export function untyped(node: JsonNode): Value {
  switch (node.t) {
    case 'object': {
      const map = new ApexMap(STRING_TYPE, OBJECT_TYPE);
      for (const [k, v] of node.entries) map.put(k, untyped(v));
      return map;
    }
    case 'array':
      return new ApexList(OBJECT_TYPE, node.items.map(untyped));
    case 'string':
      return node.v;
    case 'number':
      return untypedNumber(node.text, node.float);
    case 'boolean':
      return node.v;
    default:
      return null;
  }
}

// ── deserialize(json, Type) (JSN-08, JSN-09) ────────────────────────────────────────────────

const describe = (n: JsonNode) =>
  n.t === 'object'
    ? 'an object'
    : n.t === 'array'
      ? 'an array'
      : n.t === 'string'
        ? `"${n.v}"`
        : n.t === 'number'
          ? n.text
          : String(n.t === 'boolean' ? n.v : 'null');

const mismatch = (n: JsonNode, type: TypeRef) =>
  jsonException(`Cannot deserialize ${describe(n)} as ${typeName(type)}`);

function scalarText(n: JsonNode): string | null {
  if (n.t === 'string') return n.v;
  if (n.t === 'number') return n.text;
  if (n.t === 'boolean') return String(n.v);
  return null;
}

/** Whether a type names an SObject type (the interpreter's resolved types carry a kind). */
function isSObjectType(ctx: NativeContext, type: TypeRef): boolean {
  const kind = (type as { kind?: string }).kind;
  if (kind !== undefined) return kind === 'sobject';
  return type.name === 'SObject' || ctx.interop.isInstanceOf(new SObjectValue(type.name), type);
}

interface Reading {
  ctx: NativeContext;
  strict: boolean;
}

function fieldTypes(
  ctx: NativeContext,
  type: TypeRef,
): Map<string, { name: string; type: TypeRef }> | null {
  const described = ctx.interop.describeClass(type);
  if (!described) return null;
  return new Map(described.fields.map((f) => [f.name.toLowerCase(), f]));
}

function readPrimitive(n: JsonNode, type: TypeRef): Value {
  const text = scalarText(n);
  const fail = () => mismatch(n, type);
  switch (type.name) {
    case 'String':
      if (text === null) throw fail();
      return text;
    case 'Boolean':
      if (n.t === 'boolean') return n.v;
      if (n.t === 'string' && /^(true|false)$/i.test(n.v)) return n.v.toLowerCase() === 'true';
      throw fail();
    case 'Integer':
    case 'Long': {
      if (text === null || n.t === 'boolean') throw fail();
      const d = ApexDecimal.parse(text);
      if (!d) throw fail();
      const whole = d.setScale(0, 'DOWN').unscaled;
      return type.name === 'Integer' ? Number(BigInt.asIntN(32, whole)) : BigInt.asIntN(64, whole);
    }
    case 'Decimal': {
      const d = text === null || n.t === 'boolean' ? null : ApexDecimal.parse(text);
      if (!d) throw fail();
      return d;
    }
    case 'Double': {
      if (text === null || n.t === 'boolean' || !ApexDecimal.parse(text)) throw fail();
      return new ApexDouble(Number(text));
    }
    case 'Id': {
      if (n.t !== 'string') throw fail();
      const id = normalizeId(n.v);
      if (id === null) throw new ApexError('System.StringException', `Invalid id: ${n.v}`);
      return new ApexId(id);
    }
    case 'Date': {
      if (n.t !== 'string') throw fail();
      return parseDate(n.v.slice(0, 10));
    }
    case 'Datetime': {
      if (n.t !== 'string') throw fail();
      const dt = parseIsoDatetime(n.v);
      if (!dt)
        throw jsonException(
          `Cannot deserialize instance of datetime from VALUE_STRING value ${n.v}`,
        );
      return dt;
    }
    case 'Time': {
      const m =
        n.t === 'string' ? /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/.exec(n.v) : null;
      if (!m) throw fail();
      const ms = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000;
      return new ApexTime(ms + Number((m[4] ?? '0').padEnd(3, '0')));
    }
    case 'Blob':
      if (n.t !== 'string') throw fail();
      return base64Decode(n.v);
    default:
      return undefined as unknown as Value; // not a primitive type
  }
}

function readSObject(r: Reading, n: JsonNode, type: TypeRef): SObjectValue {
  if (n.t !== 'object') throw mismatch(n, type);
  const attributes = n.entries.find(([k]) => k === 'attributes')?.[1];
  const declared =
    attributes?.t === 'object' ? attributes.entries.find(([k]) => k === 'type')?.[1] : undefined;
  const name = type.name === 'SObject' && declared?.t === 'string' ? declared.v : type.name;
  const record = new SObjectValue(name);
  const recordType = type.name === 'SObject' ? typeRef(name) : type;
  const fields = fieldTypes(r.ctx, recordType);
  for (const [key, value] of n.entries) {
    if (key === 'attributes') continue;
    const field = fields?.get(key.toLowerCase());
    if (fields && !field) {
      // Extra attributes are ignored for SObjects from API 35.0, except in deserializeStrict (JSN-08).
      if (r.strict) throw jsonException(`No such column '${key}' on sobject of type ${name}`);
      continue;
    }
    record.set(
      field ? field.name : key,
      field ? read(r, value, field.type) : readUntypedField(r, value),
    );
  }
  return record;
}

/** A field value of an SObject whose fields are not described: nested records stay records. */
function readUntypedField(r: Reading, n: JsonNode): Value {
  if (n.t === 'object' && n.entries.some(([k]) => k === 'attributes')) {
    return readSObject(r, n, typeRef('SObject'));
  }
  if (n.t === 'object' && n.entries.some(([k, v]) => k === 'records' && v.t === 'array')) {
    const records = n.entries.find(([k]) => k === 'records')![1] as {
      t: 'array';
      items: JsonNode[];
    };
    return new ApexList(
      typeRef('SObject'),
      records.items.map((x) => readSObject(r, x, typeRef('SObject'))),
    );
  }
  return untyped(n);
}

function readInstance(r: Reading, n: JsonNode, type: TypeRef): ApexInstance {
  if (n.t !== 'object') throw mismatch(n, type);
  const fields = fieldTypes(r.ctx, type);
  if (!fields) throw new UnsupportedError(`JSON.deserialize into ${typeName(type)}`);
  const instance = r.ctx.interop.newBlank(type);
  for (const [key, value] of n.entries) {
    const field = fields.get(key.toLowerCase());
    if (!field) {
      // Unknown attributes are ignored, except by deserializeStrict (JSN-08).
      if (r.strict) throw jsonException(`Unknown field: ${typeName(type)}.${key}`);
      continue;
    }
    r.ctx.interop.setField(instance, field.name, read(r, value, field.type));
  }
  return instance;
}

function read(r: Reading, n: JsonNode, type: TypeRef): Value {
  if (n.t === 'null') return null;
  switch (type.name) {
    case 'Object':
      return untyped(n);
    case 'List':
    case 'Set': {
      if (n.t !== 'array') {
        throw jsonException(`Malformed JSON: Expected '[' at the beginning of List/Set`);
      }
      const element = type.args[0] ?? OBJECT_TYPE;
      const items = n.items.map((x) => read(r, x, element));
      if (type.name === 'List') return new ApexList(element, items);
      const set = new ApexSet(element);
      for (const item of items) set.add(item);
      return set;
    }
    case 'Map': {
      if (n.t !== 'object')
        throw jsonException(`Malformed JSON: Expected '{' at the beginning of object`);
      const [keyType, valueType] = [type.args[0] ?? STRING_TYPE, type.args[1] ?? OBJECT_TYPE];
      const map = new ApexMap(keyType, valueType);
      for (const [k, v] of n.entries) {
        const key = keyType.name === 'Object' ? k : read(r, { t: 'string', v: k }, keyType);
        map.put(key, read(r, v, valueType));
      }
      return map;
    }
    default:
      break;
  }
  const primitive = readPrimitive(n, type);
  if (primitive !== undefined) return primitive;
  if (isSObjectType(r.ctx, type)) return readSObject(r, n, type);
  return readInstance(r, n, type);
}

export function deserializeTyped(
  ctx: NativeContext,
  json: string,
  type: TypeRef,
  strict: boolean,
): Value {
  return read({ ctx, strict }, parseJson(json), type);
}

/** The type a System.Type argument names. */
function typeArg(ctx: NativeContext, value: Value): TypeRef {
  const v = required(value);
  if (v instanceof ApexTypeValue) return v.type;
  if (typeof v === 'string') {
    const resolved = ctx.interop.resolveType(v);
    if (resolved) return resolved;
  }
  throw new Error('expected a System.Type');
}

// ── serialize (JSN-02 … JSN-07) ─────────────────────────────────────────────────────────────

/** Jackson's string escaping: quote, backslash and control characters. */
export function quote(text: string): string {
  let out = '"';
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (code < 0x20) {
      const short: Record<string, string> = {
        '\b': '\\b',
        '\t': '\\t',
        '\n': '\\n',
        '\f': '\\f',
        '\r': '\\r',
      };
      out += short[c] ?? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += c;
  }
  return `${out}"`;
}

/** Output shapes; pretty printing is applied when writing. */
type Out =
  | { t: 'raw'; text: string }
  | { t: 'object'; entries: [string, Out][] }
  | { t: 'array'; items: Out[] };

interface Writing {
  ctx: NativeContext;
  suppressNulls: boolean;
  depth: number;
}

function apiVersion(ctx: NativeContext): string {
  const v = ctx.services.apiVersion;
  // This package's sfdx-project.json sourceApiVersion when the runtime names none.
  return typeof v === 'string' && v ? v : '66.0';
}

function toOut(w: Writing, value: Value): Out {
  if (w.depth > 1000) throw jsonException('Maximum stack depth reached');
  const raw = (text: string): Out => ({ t: 'raw', text });
  if (value === null) return raw('null');
  switch (typeof value) {
    case 'string':
      return raw(quote(value));
    case 'boolean':
    case 'number':
    case 'bigint':
      return raw(String(value));
    default:
      break;
  }
  if (value instanceof ApexDouble) return raw(formatDouble(value.value));
  if (value instanceof ApexDecimal) return raw(value.toString()); // keeps the scale: 1.50
  if (value instanceof ApexId) return raw(quote(value.value));
  if (value instanceof ApexDate) return raw(quote(value.toString()));
  if (value instanceof ApexDatetime) return raw(quote(value.toJson()));
  if (value instanceof ApexTime) return raw(quote(value.toString()));
  if (value instanceof ApexBlob) return raw(quote(base64Encode(value)));
  if (value instanceof EnumValue) return raw(quote(value.name));
  const nested = (v: Value) => toOut({ ...w, depth: w.depth + 1 }, v);
  if (value instanceof ApexList) return { t: 'array', items: value.items.map(nested) };
  if (value instanceof ApexSet) return { t: 'array', items: value.values().map(nested) };
  if (value instanceof ApexMap) {
    return {
      t: 'object',
      entries: [...value.entries.values()].map(([k, v]) => [toApexString(k), nested(v)]),
    };
  }
  if (value instanceof SObjectValue) {
    const id = value.get('Id');
    const attributes: [string, Out][] = [['type', raw(quote(value.sobjectType))]];
    if (id !== null) {
      const url = `/services/data/v${apiVersion(w.ctx)}/sobjects/${value.sobjectType}/${toApexString(id)}`;
      attributes.push(['url', raw(quote(url))]);
    }
    const entries: [string, Out][] = [['attributes', { t: 'object', entries: attributes }]];
    for (const [name, v] of value.fields.values()) {
      if (v instanceof ApexList) {
        // A child relationship is written as a query result.
        entries.push([
          name,
          {
            t: 'object',
            entries: [
              ['totalSize', raw(String(v.items.length))],
              ['done', raw('true')],
              ['records', nested(v)],
            ],
          },
        ]);
      } else {
        entries.push([name, nested(v)]);
      }
    }
    return { t: 'object', entries };
  }
  if (isInstance(value)) {
    const described = w.ctx.interop.describeClass(value.apexType);
    if (!described) {
      throw new UnsupportedError(`JSON.serialize of a ${typeName(value.apexType)}`);
    }
    const entries: [string, Out][] = [];
    for (const field of described.fields) {
      if (field.transient) continue; // transient fields are not serialized (JSN-04)
      const v = w.ctx.interop.getField(value, field.name);
      if (v === null && w.suppressNulls) continue; // JSN-04
      entries.push([field.name, nested(v)]);
    }
    return { t: 'object', entries };
  }
  throw new UnsupportedError('JSON.serialize of this value');
}

function writeCompact(o: Out): string {
  if (o.t === 'raw') return o.text;
  if (o.t === 'array') return `[${o.items.map(writeCompact).join(',')}]`;
  return `{${o.entries.map(([k, v]) => `${quote(k)}:${writeCompact(v)}`).join(',')}}`;
}

/**
 * Jackson's DefaultPrettyPrinter: objects one member per line, indented two spaces per object
 * level, `"key" : value`; arrays inline `[ a, b ]` (they add no indentation level); empty ones
 * `{ }` and `[ ]` (JSN-07).
 */
function writePretty(o: Out, level: number): string {
  if (o.t === 'raw') return o.text;
  if (o.t === 'array') {
    if (!o.items.length) return '[ ]';
    return `[ ${o.items.map((x) => writePretty(x, level)).join(', ')} ]`;
  }
  if (!o.entries.length) return '{ }';
  const inner = '  '.repeat(level + 1);
  const members = o.entries.map(([k, v]) => `${inner}${quote(k)} : ${writePretty(v, level + 1)}`);
  return `{\n${members.join(',\n')}\n${'  '.repeat(level)}}`;
}

export function serialize(
  ctx: NativeContext,
  value: Value,
  suppressNulls: boolean,
  pretty: boolean,
): string {
  const out = toOut({ ctx, suppressNulls, depth: 0 }, value);
  return pretty ? writePretty(out, 0) : writeCompact(out);
}

// ── JSONParser (JSN-11) ─────────────────────────────────────────────────────────────────────

export class JsonParserValue implements ApexInstance {
  readonly apexType = typeRef('System.JSONParser');
  readonly lexer: JsonLexer;
  current: Token | null = null;
  lastCleared: Token | null = null;
  constructor(text: string) {
    this.lexer = new JsonLexer(text);
  }
  nextToken(): Token | null {
    this.current = this.lexer.next();
    return this.current;
  }
  /** The current token, which must be a value of the given kinds. */
  valueToken(kinds: TokenName[], what: string): Token {
    const t = this.current;
    if (!t || !kinds.includes(t.type)) {
      throw jsonException(`Current token (${t ? t.type : 'null'}) not ${what}`);
    }
    return t;
  }
  /** Skips the structure the current START token opens (the parser ends on its END token). */
  skipChildren(): void {
    if (
      !this.current ||
      (this.current.type !== 'START_OBJECT' && this.current.type !== 'START_ARRAY')
    )
      return;
    let depth = 1;
    while (depth > 0) {
      const t = this.nextToken();
      if (!t) return;
      if (t.type === 'START_OBJECT' || t.type === 'START_ARRAY') depth++;
      if (t.type === 'END_OBJECT' || t.type === 'END_ARRAY') depth--;
    }
  }
}

const parserOf = (self: Value) => required(self) as JsonParserValue;
const token = (t: Token | null): Value => (t ? JSON_TOKEN[t.type] : null);

const numberToken = (p: JsonParserValue) =>
  p.valueToken(
    ['VALUE_NUMBER_INT', 'VALUE_NUMBER_FLOAT'],
    'numeric, can not use numeric value accessors',
  );

function readValueAs(ctx: NativeContext, p: JsonParserValue, type: Value, strict: boolean): Value {
  if (!p.current) p.nextToken();
  if (!p.current) return null;
  const tree = readTree(p.lexer, p.current);
  return read({ ctx, strict }, tree, typeArg(ctx, type));
}

const parserMethods: Record<string, NativeMethod> = {
  nexttoken: (_ctx, self) => token(parserOf(self).nextToken()),
  nextvalue: (_ctx, self) => {
    const p = parserOf(self);
    let t = p.nextToken();
    while (t && t.type === 'FIELD_NAME') t = p.nextToken();
    return token(t);
  },
  getcurrenttoken: (_ctx, self) => token(parserOf(self).current),
  hascurrenttoken: (_ctx, self) => parserOf(self).current !== null,
  clearcurrenttoken: (_ctx, self) => {
    const p = parserOf(self);
    p.lastCleared = p.current;
    p.current = null;
    return null;
  },
  getlastclearedtoken: (_ctx, self) => token(parserOf(self).lastCleared),
  getcurrentname: (_ctx, self) => parserOf(self).current?.name ?? null,
  gettext: (_ctx, self) => parserOf(self).current?.text ?? null,
  getintegervalue: (_ctx, self) => {
    const d = ApexDecimal.parse(numberToken(parserOf(self)).text) as ApexDecimal;
    return Number(BigInt.asIntN(32, d.setScale(0, 'DOWN').unscaled));
  },
  getlongvalue: (_ctx, self) => {
    const d = ApexDecimal.parse(numberToken(parserOf(self)).text) as ApexDecimal;
    return BigInt.asIntN(64, d.setScale(0, 'DOWN').unscaled);
  },
  getdecimalvalue: (_ctx, self) => ApexDecimal.parse(numberToken(parserOf(self)).text),
  getdoublevalue: (_ctx, self) => new ApexDouble(Number(numberToken(parserOf(self)).text)),
  getbooleanvalue: (_ctx, self) =>
    parserOf(self).valueToken(['VALUE_TRUE', 'VALUE_FALSE'], 'a boolean').type === 'VALUE_TRUE',
  getdatetimevalue: (_ctx, self) =>
    readPrimitive(
      { t: 'string', v: parserOf(self).valueToken(['VALUE_STRING'], 'a string').text },
      typeRef('Datetime'),
    ),
  getdatevalue: (_ctx, self) =>
    readPrimitive(
      { t: 'string', v: parserOf(self).valueToken(['VALUE_STRING'], 'a string').text },
      typeRef('Date'),
    ),
  gettimevalue: (_ctx, self) =>
    readPrimitive(
      { t: 'string', v: parserOf(self).valueToken(['VALUE_STRING'], 'a string').text },
      typeRef('Time'),
    ),
  getidvalue: (_ctx, self) =>
    readPrimitive(
      { t: 'string', v: parserOf(self).valueToken(['VALUE_STRING'], 'a string').text },
      typeRef('Id'),
    ),
  getblobvalue: (_ctx, self) =>
    readPrimitive(
      { t: 'string', v: parserOf(self).valueToken(['VALUE_STRING'], 'a string').text },
      typeRef('Blob'),
    ),
  skipchildren: (_ctx, self) => {
    parserOf(self).skipChildren();
    return null;
  },
  readvalueas: (ctx, self, [type]) => readValueAs(ctx, parserOf(self), type, false),
  readvalueasstrict: (ctx, self, [type]) => readValueAs(ctx, parserOf(self), type, true),
};

registerNative({ name: 'System.JSONParser', methods: parserMethods });

// ── System.JSON ─────────────────────────────────────────────────────────────────────────────

registerNative({
  name: 'System.JSON',
  statics: {
    serialize: (ctx, _self, [value, suppressNulls]) =>
      serialize(ctx, value, suppressNulls === true, false),
    serializepretty: (ctx, _self, [value, suppressNulls]) =>
      serialize(ctx, value, suppressNulls === true, true),
    deserializeuntyped: (_ctx, _self, [json]) => untyped(parseJson(str(json))),
    deserialize: (ctx, _self, [json, type]) =>
      deserializeTyped(ctx, str(json), typeArg(ctx, type), false),
    deserializestrict: (ctx, _self, [json, type]) =>
      deserializeTyped(ctx, str(json), typeArg(ctx, type), true),
    createparser: (_ctx, _self, [json]) => new JsonParserValue(str(json)),
    creategenerator: () => {
      throw new UnsupportedError('JSON.createGenerator');
    },
  },
});
