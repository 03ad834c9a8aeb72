/**
 * Parses one metadata XML file of a source tree. A file that is not well-formed
 * is an error naming the file and the line, so a pipeline log points at the fix.
 */
import type { XMLParser } from 'fast-xml-parser';
import { fastXmlParser } from '../../lib/catalogSource';

/** A source file that cannot be read as the metadata it claims to be. */
export class SourceFileError extends Error {
  override name = 'SourceFileError';
  readonly file: string;
  readonly line: number | null;
  constructor(file: string, message: string, line: number | null = null) {
    super(`${file}${line === null ? '' : `:${line}`}: ${message}`);
    this.file = file;
    this.line = line;
  }
}

/** Elements that repeat in Profile, PermissionSet and settings files: always arrays. */
const REPEATED = new Set([
  'userPermissions',
  'objectPermissions',
  'fieldPermissions',
  'loginIpRanges',
]);

// Made on first use: a CLI run on a snapshot never loads the XML parser.
let sourceParser: XMLParser | undefined;
function parser(): XMLParser {
  sourceParser ??= new (fastXmlParser().XMLParser)({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true,
    isArray: (name) => REPEATED.has(name),
  });
  return sourceParser;
}

export type XmlElement = Record<string, unknown>;

/** Returns the root element named `root`; throws SourceFileError when the XML is broken. */
export function parseMetadataXml(text: string, file: string, root: string): XmlElement {
  const valid = fastXmlParser().XMLValidator.validate(text);
  if (valid !== true) {
    throw new SourceFileError(file, `not well-formed XML: ${valid.err.msg}`, valid.err.line);
  }
  const document = parser().parse(text) as XmlElement;
  const element = document[root];
  if (element === undefined) {
    throw new SourceFileError(file, `expected a <${root}> root element`);
  }
  // An empty root (`<Profile/>` or `<Profile></Profile>`) parses as an empty string.
  return typeof element === 'object' && element !== null ? (element as XmlElement) : {};
}

/** `true`/`false` text as a boolean; anything else (absent, empty) as null. */
export function xmlBoolean(value: unknown): boolean | null {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

export function xmlText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function xmlList(value: unknown): XmlElement[] {
  if (Array.isArray(value)) return value.filter((v): v is XmlElement => typeof v === 'object');
  return typeof value === 'object' && value !== null ? [value as XmlElement] : [];
}
