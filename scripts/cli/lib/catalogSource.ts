/**
 * Reads the rule catalog from the package's custom metadata records
 * (`force-app/main/default/customMetadata/*.md-meta.xml`), the single source
 * of rules for the CLI, the local preview and the tests.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { XMLParser } from 'fast-xml-parser';
import type {
  CatalogRecord,
  CatalogRecords,
} from '../../../force-app/main/default/lwc/healthEngine/healthEngine';

/** The project folder: beside this module when run as ESM, else the nearest sfdx-project.json (jest). */
function projectRoot(): string {
  const url = import.meta.url as string | undefined;
  if (url) return path.resolve(path.dirname(fileURLToPath(url)), '..', '..', '..');
  let dir = process.cwd();
  while (!existsSync(path.join(dir, 'sfdx-project.json')) && path.dirname(dir) !== dir)
    dir = path.dirname(dir);
  return dir;
}

export const PROJECT_ROOT = projectRoot();
export const CUSTOM_METADATA_DIR = path.join(
  PROJECT_ROOT,
  'force-app',
  'main',
  'default',
  'customMetadata',
);

const RULE_TYPE = 'Analytics_Health_Rule';
const LIST_ENTRY_TYPE = 'Analytics_Health_List_Entry';

/** Node's `require`, resolving from the project's own dependencies. */
const projectRequire = () => createRequire(path.join(PROJECT_ROOT, 'package.json'));

let xmlModule: typeof import('fast-xml-parser') | undefined;

/**
 * fast-xml-parser, loaded on first use through its CommonJS build: one file, where its ES module
 * build is some 40 modules (30 ms of a CLI run that reads the catalog from its cache and
 * parses no XML at all).
 */
export function fastXmlParser(): typeof import('fast-xml-parser') {
  xmlModule ??= projectRequire()('fast-xml-parser') as typeof import('fast-xml-parser');
  return xmlModule;
}

let recordParser: XMLParser | undefined;
function parser(): XMLParser {
  recordParser ??= new (fastXmlParser().XMLParser)({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => name === 'values',
  });
  return recordParser;
}

/** A record file that cannot be read as a custom metadata record. */
export class CatalogSourceError extends Error {
  override name = 'CatalogSourceError';
}

/** Parses one `<CustomMetadata>` document into `{ DeveloperName, MasterLabel, Field__c: value }`. */
export function parseCustomMetadataRecord(xml: string, fileName: string): CatalogRecord {
  let document: Record<string, unknown>;
  try {
    document = parser().parse(xml, true) as Record<string, unknown>;
  } catch (error) {
    throw new CatalogSourceError(`${fileName}: not well-formed XML (${(error as Error).message})`);
  }
  const root = document.CustomMetadata as Record<string, unknown> | undefined;
  if (!root) throw new CatalogSourceError(`${fileName}: no <CustomMetadata> element`);
  const developerName = path
    .basename(fileName)
    .replace(/\.md-meta\.xml$/, '')
    .split('.')
    .slice(1)
    .join('.');
  const record: CatalogRecord = {
    DeveloperName: developerName,
    MasterLabel: typeof root.label === 'string' ? root.label : developerName,
  };
  for (const value of (root.values as Record<string, unknown>[] | undefined) ?? []) {
    const field = value.field;
    if (typeof field !== 'string')
      throw new CatalogSourceError(`${fileName}: a <values> has no <field>`);
    record[field] = typedValue(value.value);
  }
  return record;
}

function typedValue(raw: unknown): unknown {
  if (raw === undefined || raw === '') return null;
  if (typeof raw === 'string') return raw;
  const node = raw as Record<string, unknown>;
  if (node['@xsi:nil'] === 'true') return null;
  const text = typeof node['#text'] === 'string' ? (node['#text'] as string) : '';
  switch (node['@xsi:type']) {
    case 'xsd:boolean':
      return text === 'true';
    case 'xsd:double':
    case 'xsd:int':
      return Number(text);
    default:
      return text;
  }
}

interface RecordFile {
  name: string;
  text: string;
}

/** The rule and list-entry record files of a folder, in name order. */
function readRecordFiles(dir: string): RecordFile[] {
  const files: RecordFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.md-meta.xml')) continue;
    const type = name.split('.')[0];
    if (type !== RULE_TYPE && type !== LIST_ENTRY_TYPE) continue;
    files.push({ name, text: readFileSync(path.join(dir, name), 'utf8') });
  }
  return files;
}

function parseRecordFiles(files: readonly RecordFile[]): CatalogRecords {
  const rules: CatalogRecord[] = [];
  const listEntries: CatalogRecord[] = [];
  for (const { name, text } of files) {
    const record = parseCustomMetadataRecord(text, name);
    (name.startsWith(`${RULE_TYPE}.`) ? rules : listEntries).push(record);
  }
  return { rules, listEntries };
}

/**
 * The cache of the package's records, written by `npm run build` (build output, not committed).
 * It only saves parsing the XML: the record files stay the one source, and are read each time.
 */
export const CATALOG_CACHE_FILE = path.join(
  PROJECT_ROOT,
  'scripts',
  'cli',
  'lib',
  'catalogRecords.cache.json',
);

/** The file of this module's own code, whose parsing the cache stands for; null if unknown. */
function ownSourceFile(): string | null {
  const url = import.meta.url as string | undefined;
  if (url) return fileURLToPath(url);
  return typeof __filename === 'string' ? __filename : null;
}

/**
 * What a cache entry stands for: every record file's name and text, this module's code and the
 * XML parser's version. Any change to one of them changes the key, and the cache is not used.
 * Null when this module cannot find its own code: then there is no cache at all.
 */
function cacheKey(files: readonly RecordFile[]): string | null {
  const source = ownSourceFile();
  if (source === null || !existsSync(source)) return null;
  const hash = createHash('sha256');
  hash.update(readFileSync(source));
  const parserPackage = path.join(
    path.dirname(projectRequire().resolve('fast-xml-parser')),
    '..',
    'package.json',
  );
  hash.update(
    `\0${(JSON.parse(readFileSync(parserPackage, 'utf8')) as { version: string }).version}`,
  );
  for (const { name, text } of files) hash.update(`\0${name}\0${text}`);
  return hash.digest('hex');
}

/** The cached records when the cache file holds them under this key; otherwise undefined. */
function cachedRecords(cacheFile: string, key: string | null): CatalogRecords | undefined {
  if (key === null) return undefined;
  let cache: { key?: unknown; records?: CatalogRecords };
  try {
    cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as typeof cache;
  } catch {
    return undefined; // No cache (not built yet) or an unreadable one: parse the XML.
  }
  return cache.key === key ? cache.records : undefined;
}

/**
 * Loads every rule and list-entry record from a customMetadata folder. For the package's own
 * folder, the records come from the build's cache when it was made from these very files (and
 * this very code); else, and for any other folder, from parsing the XML.
 */
export function loadCatalogRecords(
  dir: string = CUSTOM_METADATA_DIR,
  cacheFile: string | null = dir === CUSTOM_METADATA_DIR ? CATALOG_CACHE_FILE : null,
): CatalogRecords {
  const files = readRecordFiles(dir);
  if (cacheFile !== null) {
    const cached = cachedRecords(cacheFile, cacheKey(files));
    if (cached) return cached;
  }
  return parseRecordFiles(files);
}

/**
 * Writes the cache of a folder's records (the build does, for the package's folder). Only
 * records that JSON keeps exactly are cached (a NaN number would come back as null); when
 * the records cannot be cached or parsed, any older cache file is removed.
 */
export function writeCatalogCache(
  dir: string = CUSTOM_METADATA_DIR,
  cacheFile: string = CATALOG_CACHE_FILE,
): boolean {
  rmSync(cacheFile, { force: true });
  const files = readRecordFiles(dir);
  const key = cacheKey(files);
  if (key === null) return false;
  let records: CatalogRecords;
  try {
    records = parseRecordFiles(files);
  } catch (error) {
    if (error instanceof CatalogSourceError) return false; // Every load reports it, as before.
    throw error;
  }
  const text = JSON.stringify({ key, records });
  if (!isDeepStrictEqual((JSON.parse(text) as { records: unknown }).records, records)) return false;
  writeFileSync(cacheFile, text);
  return true;
}
