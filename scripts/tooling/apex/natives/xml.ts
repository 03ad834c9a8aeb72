// Dom.Document and Dom.XmlNode (Apex Reference "Document Class", "XmlNode Class"), for reading
// XML such as SOAP responses: a small namespace-aware parser (elements, attributes, text, CDATA,
// comments, the predefined and numeric entities). Building documents is not modelled.
import { registerNative, type NativeMethod } from './registry';
import { int, required, str } from './support';
import {
  ApexError,
  ApexList,
  EnumValue,
  UnsupportedError,
  typeRef,
  type ApexInstance,
  type Value,
} from '../values';

const xmlException = (message: string) =>
  new ApexError('System.XmlException', `Failed to parse XML due to: ${message}`);

const NODE_TYPES = ['COMMENT', 'ELEMENT', 'TEXT'] as const;
const NODE_TYPE = Object.fromEntries(
  NODE_TYPES.map((name, i) => [name, new EnumValue('Dom.XmlNodeType', name, i)]),
) as Record<(typeof NODE_TYPES)[number], EnumValue>;

registerNative({
  name: 'Dom.XmlNodeType',
  staticFields: Object.fromEntries(NODE_TYPES.map((n) => [n.toLowerCase(), () => NODE_TYPE[n]])),
});

export class XmlNodeValue implements ApexInstance {
  readonly apexType = typeRef('Dom.XmlNode');
  readonly children: XmlNodeValue[] = [];
  /** Attributes in document order: [qualified name, namespace or null, local name, value]. */
  readonly attributes: [string, string | null, string, string][] = [];
  parent: XmlNodeValue | null = null;
  constructor(
    readonly kind: 'ELEMENT' | 'TEXT' | 'COMMENT',
    /** Local name (elements); the text (text and comments). */
    readonly name: string,
    readonly namespace: string | null = null,
    readonly prefix: string | null = null,
    /** Namespace declarations made on this element: prefix ('' for default) → URI. */
    readonly declarations = new Map<string, string>(),
  ) {}

  text(): string {
    if (this.kind !== 'ELEMENT') return this.name;
    return this.children
      .filter((c) => c.kind === 'TEXT')
      .map((c) => c.name)
      .join('');
  }

  lookupNamespace(prefix: string): string | null {
    const uri = this.declarations.get(prefix);
    if (uri !== undefined) return uri || null;
    if (this.parent) return this.parent.lookupNamespace(prefix);
    return prefix === 'xml' ? 'http://www.w3.org/XML/1998/namespace' : null;
  }
}

export class XmlDocumentValue implements ApexInstance {
  readonly apexType = typeRef('Dom.Document');
  root: XmlNodeValue | null = null;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (_m, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return String.fromCodePoint(code);
    }
    if (!(ref in ENTITIES)) throw xmlException(`undeclared entity &${ref};`);
    return ENTITIES[ref];
  });
}

/** Parses a document into its root element. */
export function parseXml(text: string): XmlNodeValue {
  let pos = 0;
  const fail = (what: string): never => {
    throw xmlException(`${what} (position ${pos})`);
  };
  /** Moves past the next `marker`; fails when there is none. */
  const skipPast = (marker: string, what: string) => {
    const at = text.indexOf(marker, pos);
    if (at < 0) fail(`unterminated ${what}`);
    pos = at + marker.length;
  };
  const skipMisc = () => {
    for (;;) {
      while (/\s/.test(text[pos] ?? '')) pos++;
      if (text.startsWith('<?', pos)) skipPast('?>', 'declaration');
      else if (text.startsWith('<!--', pos)) skipPast('-->', 'comment');
      else if (text.startsWith('<!DOCTYPE', pos)) skipPast('>', 'DOCTYPE');
      else return;
    }
  };
  const NAME = /[A-Za-z_:][\w.:-]*/y;
  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (!m) fail('expected a name');
    pos += m![0].length;
    return m![0];
  };

  const element = (parent: XmlNodeValue | null): XmlNodeValue => {
    if (text[pos] !== '<') fail('expected an element');
    pos++;
    const qname = readName();
    const raw: [string, string][] = [];
    for (;;) {
      while (/\s/.test(text[pos] ?? '')) pos++;
      if (text[pos] === '>' || text.startsWith('/>', pos)) break;
      const attr = readName();
      while (/\s/.test(text[pos] ?? '')) pos++;
      if (text[pos] !== '=') fail(`attribute ${attr} has no value`);
      pos++;
      while (/\s/.test(text[pos] ?? '')) pos++;
      const q = text[pos];
      if (q !== '"' && q !== "'") fail('attribute value must be quoted');
      const end = text.indexOf(q, pos + 1);
      if (end < 0) fail('unterminated attribute value');
      raw.push([attr, decode(text.slice(pos + 1, end))]);
      pos = end + 1;
    }
    const declarations = new Map<string, string>();
    for (const [k, v] of raw) {
      if (k === 'xmlns') declarations.set('', v);
      else if (k.startsWith('xmlns:')) declarations.set(k.slice(6), v);
    }
    const [prefix, local] = qname.includes(':') ? qname.split(':', 2) : [null, qname];
    const probe = new XmlNodeValue('ELEMENT', local, null, prefix, declarations);
    probe.parent = parent;
    const namespace = probe.lookupNamespace(prefix ?? '');
    if (prefix && namespace === null) fail(`unbound prefix ${prefix}`);
    const node = new XmlNodeValue('ELEMENT', local, namespace, prefix, declarations);
    node.parent = parent;
    for (const [k, v] of raw) {
      if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
      const [p, l] = k.includes(':') ? k.split(':', 2) : [null, k];
      node.attributes.push([k, p ? node.lookupNamespace(p) : null, l, v]);
    }
    if (text.startsWith('/>', pos)) {
      pos += 2;
      return node;
    }
    pos++; // '>'
    for (;;) {
      if (pos >= text.length) fail(`element ${qname} is not closed`);
      if (text.startsWith('</', pos)) {
        pos += 2;
        const closing = readName();
        if (closing !== qname) fail(`end tag ${closing} does not match ${qname}`);
        while (/\s/.test(text[pos] ?? '')) pos++;
        if (text[pos] !== '>') fail('expected >');
        pos++;
        return node;
      }
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos);
        if (end < 0) fail('unterminated comment');
        const c = new XmlNodeValue('COMMENT', text.slice(pos + 4, end));
        c.parent = node;
        node.children.push(c);
        pos = end + 3;
      } else if (text.startsWith('<![CDATA[', pos)) {
        const end = text.indexOf(']]>', pos);
        if (end < 0) fail('unterminated CDATA');
        appendText(node, text.slice(pos + 9, end));
        pos = end + 3;
      } else if (text.startsWith('<?', pos)) {
        skipPast('?>', 'processing instruction');
      } else if (text[pos] === '<') {
        node.children.push(element(node));
      } else {
        const end = text.indexOf('<', pos);
        appendText(node, decode(text.slice(pos, end < 0 ? text.length : end)));
        pos = end < 0 ? text.length : end;
      }
    }
  };

  skipMisc();
  if (pos >= text.length) fail('no root element');
  const root = element(null);
  skipMisc();
  if (pos < text.length) fail('content after the root element');
  return root;
}

function appendText(node: XmlNodeValue, text: string): void {
  const last = node.children[node.children.length - 1];
  if (last && last.kind === 'TEXT') {
    node.children[node.children.length - 1] = new XmlNodeValue('TEXT', last.name + text);
    node.children[node.children.length - 1].parent = node;
  } else {
    const t = new XmlNodeValue('TEXT', text);
    t.parent = node;
    node.children.push(t);
  }
}

const nodeOf = (self: Value) => required(self) as XmlNodeValue;
const nodeList = (nodes: XmlNodeValue[]) => new ApexList(typeRef('Dom.XmlNode'), nodes);
const optional = (v: Value) => (v === undefined || v === null ? null : str(v));

const elementMethods: Record<string, NativeMethod> = {
  getname: (_ctx, self) => (nodeOf(self).kind === 'ELEMENT' ? nodeOf(self).name : null),
  getnamespace: (_ctx, self) => nodeOf(self).namespace,
  getprefixfor: (_ctx, self, [uri]) => {
    for (let n: XmlNodeValue | null = nodeOf(self); n; n = n.parent) {
      for (const [prefix, u] of n.declarations) if (u === str(uri)) return prefix;
    }
    return null;
  },
  getnamespacefor: (_ctx, self, [prefix]) => nodeOf(self).lookupNamespace(str(prefix)),
  gettext: (_ctx, self) => nodeOf(self).text(),
  getnodetype: (_ctx, self) => NODE_TYPE[nodeOf(self).kind],
  getparent: (_ctx, self) => nodeOf(self).parent,
  getchildren: (_ctx, self) => nodeList(nodeOf(self).children),
  getchildelements: (_ctx, self) =>
    nodeList(nodeOf(self).children.filter((c) => c.kind === 'ELEMENT')),
  getchildelement: (_ctx, self, [name, namespace]) =>
    nodeOf(self).children.find(
      (c) => c.kind === 'ELEMENT' && c.name === str(name) && c.namespace === optional(namespace),
    ) ?? null,
  getattribute: (_ctx, self, [key, namespace]) =>
    nodeOf(self).attributes.find(
      ([, ns, local]) => local === str(key) && ns === optional(namespace),
    )?.[3] ?? null,
  getattributevalue: (_ctx, self, [key, namespace]) =>
    nodeOf(self).attributes.find(
      ([, ns, local]) => local === str(key) && ns === optional(namespace),
    )?.[3] ?? null,
  getattributecount: (_ctx, self) => nodeOf(self).attributes.length,
  getattributekeyat: (_ctx, self, [i]) => nodeOf(self).attributes[int(i)]?.[2] ?? null,
  getattributekeynsat: (_ctx, self, [i]) => nodeOf(self).attributes[int(i)]?.[1] ?? null,
};

const unsupportedBuild = (what: string) => () => {
  throw new UnsupportedError(`Dom.XmlNode.${what} (building XML)`);
};
for (const m of [
  'addchildelement',
  'addtextnode',
  'addcommentnode',
  'setattribute',
  'setattributens',
  'removechild',
  'removeattribute',
  'setnamespace',
]) {
  elementMethods[m] = unsupportedBuild(m);
}

registerNative({ name: 'Dom.XmlNode', methods: elementMethods });

registerNative({
  name: 'Dom.Document',
  construct: () => new XmlDocumentValue(),
  methods: {
    load: (_ctx, self, [xml]) => {
      (required(self) as XmlDocumentValue).root = parseXml(str(xml));
      return null;
    },
    getrootelement: (_ctx, self) => (required(self) as XmlDocumentValue).root,
    createrootelement: () => {
      throw new UnsupportedError('Dom.Document.createRootElement (building XML)');
    },
    toxmlstring: () => {
      throw new UnsupportedError('Dom.Document.toXmlString');
    },
  },
});
