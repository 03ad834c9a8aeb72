/**
 * Reads the rule catalog from the package's custom metadata records
 * (`force-app/main/default/customMetadata/*.md-meta.xml`), the single source
 * of rules for the CLI, the local preview and the tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import type {
  CatalogRecord,
  CatalogRecords,
} from '../../force-app/main/default/lwc/healthEngine/healthEngine';

/** The project folder: beside this module when run as ESM, else the nearest sfdx-project.json (jest). */
function projectRoot(): string {
  const url = import.meta.url as string | undefined;
  if (url) return path.resolve(path.dirname(fileURLToPath(url)), '..', '..');
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

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === 'values',
});

/** A record file that cannot be read as a custom metadata record. */
export class CatalogSourceError extends Error {
  override name = 'CatalogSourceError';
}

/** Parses one `<CustomMetadata>` document into `{ DeveloperName, MasterLabel, Field__c: value }`. */
export function parseCustomMetadataRecord(xml: string, fileName: string): CatalogRecord {
  let document: Record<string, unknown>;
  try {
    document = parser.parse(xml, true) as Record<string, unknown>;
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

/** Loads every rule and list-entry record from a customMetadata folder. */
export function loadCatalogRecords(dir: string = CUSTOM_METADATA_DIR): CatalogRecords {
  const rules: CatalogRecord[] = [];
  const listEntries: CatalogRecord[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.md-meta.xml')) continue;
    const type = file.split('.')[0];
    if (type !== RULE_TYPE && type !== LIST_ENTRY_TYPE) continue;
    const record = parseCustomMetadataRecord(readFileSync(path.join(dir, file), 'utf8'), file);
    (type === RULE_TYPE ? rules : listEntries).push(record);
  }
  return { rules, listEntries };
}
