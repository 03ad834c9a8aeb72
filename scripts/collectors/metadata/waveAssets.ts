/**
 * CRM Analytics assets in a source tree → which objects and fields they read.
 *
 * Shapes found in real repositories, all accepted:
 * - `.wdf`: a JSON array of two JSON-encoded strings `[dataflow, recipe]` (either may be
 *   `"{}"` or null), a plain `{"nodes": …}` object, a template export
 *   `{"workflowDefinition": …}`, or the bare dataflow definition (node name → node);
 * - `.wdpr` recipes: R3 `{"nodes": …}` or older recipes with `ReplicationFetcher` steps;
 * - template dataflow JSON (`waveTemplates/<template>/…/*.json`).
 *
 * Nodes that read Salesforce or connected data:
 * - `sfdcDigest` / `sobjectDigest`: `parameters.object`, `parameters.fields[].name`, always
 *   the local org;
 * - `digest`: the same plus `parameters.connectionName`;
 * - R3 `load` whose `parameters.dataset.type` is `connectedDataset`: `connectionName`,
 *   `sourceObjectName`, `parameters.fields` as plain strings;
 * - `ReplicationFetcher` (older recipes): `connectorName`, `sourceObject`, `fields`.
 * One object read by several nodes of an asset is one reference with the union of the fields.
 */
import path from 'node:path';
import type {
  AssetReference,
  AssetType,
} from '../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { SourceFileError } from './sourceXml';

export interface SourceAssetReference extends AssetReference {
  file: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON.parse with the file and line of a syntax error. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : null;
    throw new SourceFileError(file, `not valid JSON: ${message}`, line);
  }
}

interface RawRead {
  connectionName?: string;
  object: string;
  fields: string[];
}

function fieldNames(fields: unknown): string[] {
  if (!Array.isArray(fields)) return [];
  const names: string[] = [];
  for (const field of fields) {
    if (typeof field === 'string') names.push(field);
    else if (isObject(field) && typeof field.name === 'string') names.push(field.name);
  }
  return names;
}

function nonBlank(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** What one node (dataflow or recipe) reads, or null when it reads no source data. */
function readOfNode(node: Json): RawRead | null {
  const action = typeof node.action === 'string' ? node.action : '';
  const parameters = isObject(node.parameters) ? node.parameters : {};
  switch (action.toLowerCase()) {
    case 'sfdcdigest':
    case 'sobjectdigest': {
      const object = nonBlank(parameters.object);
      return object ? { object, fields: fieldNames(parameters.fields) } : null;
    }
    case 'digest': {
      const object = nonBlank(parameters.object);
      if (!object) return null;
      const connectionName = nonBlank(parameters.connectionName);
      return {
        ...(connectionName ? { connectionName } : {}),
        object,
        fields: fieldNames(parameters.fields),
      };
    }
    case 'load': {
      const dataset = isObject(parameters.dataset) ? parameters.dataset : {};
      if (dataset.type !== 'connectedDataset') return null;
      const object = nonBlank(dataset.sourceObjectName);
      if (!object) return null;
      const connectionName = nonBlank(dataset.connectionName);
      return {
        ...(connectionName ? { connectionName } : {}),
        object,
        fields: fieldNames(parameters.fields),
      };
    }
    default:
      return null;
  }
}

/** Older recipes: a `ReplicationFetcher` step anywhere in the document. */
function replicationFetchers(value: unknown, reads: RawRead[]): void {
  if (Array.isArray(value)) {
    for (const item of value) replicationFetchers(item, reads);
    return;
  }
  if (!isObject(value)) return;
  const kind = [value.type, value.action, value.name].find((v) => typeof v === 'string');
  if (typeof kind === 'string' && kind.toLowerCase() === 'replicationfetcher') {
    const holder = isObject(value.parameters) ? { ...value, ...value.parameters } : value;
    const object = nonBlank(holder.sourceObject);
    if (object) {
      const connectionName = nonBlank(holder.connectorName);
      reads.push({
        ...(connectionName ? { connectionName } : {}),
        object,
        fields: fieldNames(holder.fields),
      });
    }
  }
  for (const child of Object.values(value)) replicationFetchers(child, reads);
}

/** The node map of a definition in any of the accepted shapes. */
function nodesOf(definition: Json): Json[] {
  let container: unknown = definition;
  if (isObject(definition.workflowDefinition)) container = definition.workflowDefinition;
  if (isObject(container) && isObject(container.nodes)) container = container.nodes;
  if (!isObject(container)) return [];
  return Object.values(container).filter(isObject);
}

function readsOfDefinition(definition: unknown): RawRead[] {
  if (!isObject(definition)) return [];
  const reads: RawRead[] = [];
  for (const node of nodesOf(definition)) {
    const read = readOfNode(node);
    if (read) reads.push(read);
  }
  replicationFetchers(definition, reads);
  return reads;
}

/** A half of the two-string `.wdf` array: a JSON-encoded string, an object, or null. */
function decodeHalf(half: unknown, file: string, which: string): unknown {
  if (half === null || half === undefined) return null;
  if (isObject(half)) return half;
  if (typeof half !== 'string') {
    throw new SourceFileError(file, `the ${which} element must be a JSON-encoded string or null`);
  }
  if (half.trim() === '') return null;
  try {
    return JSON.parse(half);
  } catch (error) {
    throw new SourceFileError(
      file,
      `the ${which} element is not JSON-encoded: ${(error as Error).message}`,
    );
  }
}

/** Union of fields per (connection, object), case-insensitive, first spelling kept. */
function mergeReads(
  reads: RawRead[],
  assetType: AssetType,
  assetName: string,
  file: string,
): SourceAssetReference[] {
  const byKey = new Map<string, SourceAssetReference>();
  for (const read of reads) {
    const key = `${(read.connectionName ?? '').toLowerCase()}|${read.object.toLowerCase()}`;
    let reference = byKey.get(key);
    if (!reference) {
      reference = {
        assetType,
        assetName,
        ...(read.connectionName ? { connectionName: read.connectionName } : {}),
        object: read.object,
        fields: [],
        file,
      };
      byKey.set(key, reference);
    }
    const seen = new Set(reference.fields.map((f) => f.toLowerCase()));
    for (const field of read.fields) {
      if (!seen.has(field.toLowerCase())) {
        seen.add(field.toLowerCase());
        reference.fields.push(field);
      }
    }
  }
  return [...byKey.values()];
}

export function assetNameOf(file: string): string {
  const base = path.basename(file).replace(/\.(wdf|wdpr|json)$/i, '');
  const parts = file.split(/[\\/]/);
  const templates = parts.lastIndexOf('waveTemplates');
  // A template's dataflow is named after its template, which is what admins see.
  return templates >= 0 && parts[templates + 1] ? `${parts[templates + 1]}/${base}` : base;
}

/** `.wdf` dataflow files and template dataflow JSON. */
export function parseDataflowFile(
  text: string,
  file: string,
  label: string | null = null,
): SourceAssetReference[] {
  const json = parseJsonFile(text, file);
  const name = label ?? assetNameOf(file);
  if (Array.isArray(json)) {
    if (json.length > 2) {
      throw new SourceFileError(
        file,
        'expected [dataflow, recipe]: an array of at most two elements',
      );
    }
    const dataflow = decodeHalf(json[0], file, 'first (dataflow)');
    const recipe = decodeHalf(json[1], file, 'second (recipe)');
    return [
      ...mergeReads(readsOfDefinition(dataflow), 'dataflow', name, file),
      ...mergeReads(readsOfDefinition(recipe), 'recipe', name, file),
    ];
  }
  if (!isObject(json)) {
    throw new SourceFileError(file, 'expected a dataflow definition (a JSON object or array)');
  }
  return mergeReads(readsOfDefinition(json), 'dataflow', name, file);
}

/** `.wdpr` recipe files. */
export function parseRecipeFile(
  text: string,
  file: string,
  label: string | null = null,
): SourceAssetReference[] {
  const json = parseJsonFile(text, file);
  if (!isObject(json))
    throw new SourceFileError(file, 'expected a recipe definition (a JSON object)');
  return mergeReads(readsOfDefinition(json), 'recipe', label ?? assetNameOf(file), file);
}

/** References of a definition fetched from the API (dataflow `definition`, recipe `recipeDefinition`). */
export function referencesOfDefinition(
  definition: unknown,
  assetType: AssetType,
  assetName: string,
): AssetReference[] {
  return mergeReads(readsOfDefinition(definition), assetType, assetName, '').map(
    ({ file: _file, ...reference }) => reference,
  );
}
