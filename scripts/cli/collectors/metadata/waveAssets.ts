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
 * - `ReplicationFetcher` (older recipes): `connectorName`, `sourceObject`, `fields`;
 * - join steps of Data Prep classic (Recipe 2.0) recipes and the dataflows made from them: the
 *   dataset a join (or lookup, augment) step adds, when it names a source object
 *   (`sourceObject` / `sourceObjectName`, with `connectorName` / `connectionName`), reads the
 *   fields of its field list (`fields` on the dataset or on the step holding it). Salesforce
 *   does not publish the classic (R2) format, so these are the keys R3 recipes and
 *   `ReplicationFetcher` steps use, looked for at any depth of the step.
 * One object read by several nodes of an asset is one reference with the union of the fields.
 *
 * Datasets with row-level security: a dataflow's `sfdcRegister` node (`alias`, `name`,
 * `rowLevelSecurityFilter`, `rowLevelSharingSource`) and a recipe's `save` node
 * (`parameters.dataset` with `name`, `label` and the same two parameters).
 */
import path from 'node:path';
import type {
  AssetReference,
  AssetType,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { SourceFileError } from './sourceXml';

export interface SourceAssetReference extends AssetReference {
  file: string;
}

/** A dataset an asset registers with a security predicate or a sharing source. */
export interface SourceDataset {
  /** API name (a dataflow's `alias`, a recipe's `dataset.name`). */
  name: string;
  label: string | null;
  predicate: string | null;
  sharingSource: string | null;
  assetType: AssetType;
  assetName: string;
  file: string;
}

/** What one analytics asset file holds. */
export interface SourceAsset {
  references: SourceAssetReference[];
  datasets: SourceDataset[];
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

const JOIN_STEPS = new Set(['join', 'lookup', 'augment']);

const sourceObjectOf = (value: Json): string | undefined =>
  nonBlank(value.sourceObject) ?? nonBlank(value.sourceObjectName);

/**
 * The source object a join step's dataset reads: a descriptor naming it, either the holder
 * itself or its `dataset`; fields from the descriptor and from the holder's own field list.
 */
function datasetRead(holder: Json): RawRead | null {
  const dataset = isObject(holder.dataset) ? holder.dataset : null;
  const descriptor = dataset && sourceObjectOf(dataset) ? dataset : holder;
  const object = sourceObjectOf(descriptor);
  if (!object) return null;
  const connectionName =
    nonBlank(descriptor.connectorName) ??
    nonBlank(descriptor.connectionName) ??
    nonBlank(holder.connectorName) ??
    nonBlank(holder.connectionName);
  const fields = fieldNames(descriptor.fields);
  if (descriptor !== holder) fields.push(...fieldNames(holder.fields));
  return { ...(connectionName ? { connectionName } : {}), object, fields };
}

/** Every dataset descriptor inside one join step, at any depth. */
function joinStepReads(value: unknown, reads: RawRead[]): void {
  if (Array.isArray(value)) {
    for (const item of value) joinStepReads(item, reads);
    return;
  }
  if (!isObject(value)) return;
  const read = datasetRead(value);
  if (read) reads.push(read);
  for (const child of Object.values(value)) joinStepReads(child, reads);
}

/** Data Prep classic: join, lookup and augment steps anywhere in the document. */
function joinSteps(value: unknown, reads: RawRead[]): void {
  if (Array.isArray(value)) {
    for (const item of value) joinSteps(item, reads);
    return;
  }
  if (!isObject(value)) return;
  const kind = [value.type, value.action].find((v) => typeof v === 'string');
  if (typeof kind === 'string' && JOIN_STEPS.has(kind.toLowerCase())) {
    joinStepReads(value, reads);
    return;
  }
  for (const child of Object.values(value)) joinSteps(child, reads);
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
  joinSteps(definition, reads);
  return reads;
}

/** The datasets a definition registers with a security predicate or a sharing source. */
export function datasetsOfDefinition(definition: unknown): {
  name: string;
  label: string | null;
  predicate: string | null;
  sharingSource: string | null;
}[] {
  if (!isObject(definition)) return [];
  const datasets = [];
  for (const node of nodesOf(definition)) {
    const action = typeof node.action === 'string' ? node.action.toLowerCase() : '';
    const parameters = isObject(node.parameters) ? node.parameters : {};
    let holder: Json;
    let name: string | undefined;
    let label: string | undefined;
    if (action === 'sfdcregister') {
      holder = parameters;
      name = nonBlank(parameters.alias) ?? nonBlank(parameters.name);
      label = nonBlank(parameters.name);
    } else if (action === 'save' && isObject(parameters.dataset)) {
      holder = parameters.dataset;
      name = nonBlank(holder.name) ?? nonBlank(holder.label);
      label = nonBlank(holder.label);
    } else {
      continue;
    }
    const predicate = nonBlank(holder.rowLevelSecurityFilter) ?? null;
    const sharingSource = nonBlank(holder.rowLevelSharingSource) ?? null;
    if (!name || (predicate === null && sharingSource === null)) continue;
    datasets.push({ name, label: label ?? null, predicate, sharingSource });
  }
  return datasets;
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

function assetOf(
  definition: unknown,
  assetType: AssetType,
  assetName: string,
  file: string,
): SourceAsset {
  return {
    references: mergeReads(readsOfDefinition(definition), assetType, assetName, file),
    datasets: datasetsOfDefinition(definition).map((d) => ({ ...d, assetType, assetName, file })),
  };
}

/** `.wdf` dataflow files and template dataflow JSON. */
export function parseDataflowFile(
  text: string,
  file: string,
  label: string | null = null,
): SourceAsset {
  const json = parseJsonFile(text, file);
  const name = label ?? assetNameOf(file);
  if (Array.isArray(json)) {
    if (json.length > 2) {
      throw new SourceFileError(
        file,
        'expected [dataflow, recipe]: an array of at most two elements',
      );
    }
    const dataflow = assetOf(decodeHalf(json[0], file, 'first (dataflow)'), 'dataflow', name, file);
    const recipe = assetOf(decodeHalf(json[1], file, 'second (recipe)'), 'recipe', name, file);
    return {
      references: [...dataflow.references, ...recipe.references],
      datasets: [...dataflow.datasets, ...recipe.datasets],
    };
  }
  if (!isObject(json)) {
    throw new SourceFileError(file, 'expected a dataflow definition (a JSON object or array)');
  }
  return assetOf(json, 'dataflow', name, file);
}

/** `.wdpr` recipe files. */
export function parseRecipeFile(
  text: string,
  file: string,
  label: string | null = null,
): SourceAsset {
  const json = parseJsonFile(text, file);
  if (!isObject(json))
    throw new SourceFileError(file, 'expected a recipe definition (a JSON object)');
  return assetOf(json, 'recipe', label ?? assetNameOf(file), file);
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
