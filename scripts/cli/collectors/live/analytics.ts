/**
 * CRM Analytics REST API (`/wave/…`): connections, what data sync, dataflows and
 * recipes read, and recent jobs. Lists follow `nextPageUrl`; each definition is
 * one GET (the Analytics resources are not among those the composite batch
 * resource documents), sent with the client's bounded concurrency.
 */
import type {
  AssetReference,
  Connection,
  Job,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { referencesOfDefinition } from '../metadata/waveAssets';
import type { SalesforceClient } from './salesforceClient';

type Json = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const label = (item: Json) => str(item.label) || str(item.name) || str(item.id);

export interface AnalyticsFacts {
  connections: Connection[];
  references: AssetReference[];
  jobs: Job[];
  /** Assets or lists that could not be read: [fact, message]. */
  problems: [string, string][];
}

export async function collectConnections(client: SalesforceClient): Promise<Connection[]> {
  const items = await client.wavePages(`${client.dataPath}/wave/dataConnectors`, 'dataConnectors');
  // The API documents no run-as user for a connection: null = the Integration User or unknown.
  return items.map((item) => ({
    name: str(item.name) || label(item),
    type: str(item.connectorType),
    runAsUserId: null,
  }));
}

export async function collectDataSync(
  client: SalesforceClient,
  problems: [string, string][],
): Promise<AssetReference[]> {
  const datasets = await client.wavePages(
    `${client.dataPath}/wave/replicatedDatasets`,
    'replicatedDatasets',
  );
  const references = await Promise.all(
    datasets.map(async (dataset): Promise<AssetReference | null> => {
      const id = str(dataset.id);
      const object = str(dataset.sourceObjectName);
      if (!id || !object) return null;
      try {
        const result = await client.getJson(
          `${client.dataPath}/wave/replicatedDatasets/${encodeURIComponent(id)}/fields`,
        );
        const fields = Array.isArray(result.fields) ? (result.fields as Json[]) : [];
        const connector = (dataset.connector ?? {}) as Json;
        const connectionName = str(connector.name);
        return {
          assetType: 'dataSync',
          assetId: id,
          assetName: str(dataset.name) || object,
          ...(connectionName ? { connectionName } : {}),
          object,
          fields: fields
            .filter((f) => f.skipped !== true)
            .map((f) => str(f.name))
            .filter(Boolean),
        };
      } catch (error) {
        problems.push([
          'analytics.references',
          `data sync of ${object}: ${(error as Error).message}`,
        ]);
        return null;
      }
    }),
  );
  return references.filter((r): r is AssetReference => r !== null);
}

async function definitions(
  client: SalesforceClient,
  items: Json[],
  kind: 'dataflow' | 'recipe',
  problems: [string, string][],
): Promise<AssetReference[]> {
  const lists = await Promise.all(
    items.map(async (item) => {
      const id = str(item.id);
      const path =
        kind === 'dataflow'
          ? `${client.dataPath}/wave/dataflows/${encodeURIComponent(id)}`
          : `${client.dataPath}/wave/recipes/${encodeURIComponent(id)}?format=R3`;
      try {
        const detail = await client.getJson(path);
        const definition = kind === 'dataflow' ? detail.definition : detail.recipeDefinition;
        return referencesOfDefinition(definition, kind, label(item)).map((r) => ({
          ...r,
          assetId: id,
        }));
      } catch (error) {
        problems.push([
          'analytics.references',
          `${kind} ${label(item)}: ${(error as Error).message}`,
        ]);
        return [];
      }
    }),
  );
  return lists.flat();
}

export async function collectDataflows(client: SalesforceClient, problems: [string, string][]) {
  const items = await client.wavePages(`${client.dataPath}/wave/dataflows`, 'dataflows');
  // Recipes also appear as dataflows; they are read once, through /wave/recipes.
  const dataflows = items.filter((item) => str(item.type).toLowerCase() !== 'recipe');
  return definitions(client, dataflows, 'dataflow', problems);
}

export async function collectRecipes(client: SalesforceClient, problems: [string, string][]) {
  const items = await client.wavePages(`${client.dataPath}/wave/recipes`, 'recipes');
  return definitions(client, items, 'recipe', problems);
}

/** The newest 200 job runs (giving pageSize lifts the default seven-day window). */
export async function collectJobs(client: SalesforceClient): Promise<Job[]> {
  const result = await client.getJson(`${client.dataPath}/wave/dataflowjobs?pageSize=200`);
  if (!Array.isArray(result.dataflowJobs)) {
    throw new Error('malformed dataflowjobs response (no "dataflowJobs" array)');
  }
  const jobs = (result.dataflowJobs as Json[]).map((job) => ({
    id: str(job.id),
    name: label(job),
    type: str(job.jobType) || str(job.type),
    status: str(job.status),
    message: typeof job.message === 'string' && job.message !== '' ? job.message : null,
    startedAt: str(job.startDate),
  }));
  return jobs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
