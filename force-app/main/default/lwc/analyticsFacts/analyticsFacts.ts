/**
 * Turns what `lightning/analyticsWaveApi` returns to the admin's browser into the
 * `analytics` part of the org facts, plus the collection errors that explain
 * anything missing. The result is the `dashboardFactsJson` the controller takes.
 *
 * The wire adapters give data connectors (connections), dataflow jobs (recipes,
 * dataflows and data sync runs) and replicated datasets (the objects data sync
 * reads). They do not give the run-as user of a connection or the field list of
 * each synced object, so those are reported as collection errors rather than
 * guessed: the rules that need them then say NOT_EVALUATED.
 */

import type { AssetReference, CollectionError, OrgFacts } from 'c/healthEngine';

export interface WireResult {
  data?: unknown;
  error?: unknown;
}

/** The reads data sync makes, as far as the browser can see them (no field lists). */
export type AnalyticsReference = AssetReference & { assetType: 'dataSync' };

/** The dashboard's part of the org facts: the contract's own types, nothing restated. */
export interface DashboardFacts {
  analytics: NonNullable<OrgFacts['analytics']> | null;
  collectionErrors: CollectionError[];
}

type Json = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function wireError(error: unknown): string {
  const body = (error as { body?: unknown } | null)?.body;
  if (Array.isArray(body) && body.length > 0) {
    const first = body[0] as { message?: unknown };
    if (typeof first.message === 'string') return first.message;
  }
  if (body && typeof body === 'object' && typeof (body as Json).message === 'string') {
    return (body as Json).message as string;
  }
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message ? message : 'the request failed';
}

function list(data: unknown, key: string): Json[] | null {
  const value = (data as Json | null | undefined)?.[key];
  return Array.isArray(value) ? (value as Json[]) : null;
}

/**
 * Builds the dashboard facts from the three wire results. Any of them missing
 * (not answered, errored, or the module is not available) makes `analytics`
 * null with the reason, because a partial list would read as "none found".
 */
export function collectAnalyticsFacts(results: {
  connectors?: WireResult;
  jobs?: WireResult;
  replicatedDatasets?: WireResult;
}): DashboardFacts {
  const errors: { fact: string; message: string }[] = [];
  const need = (result: WireResult | undefined, key: string, what: string): Json[] | null => {
    if (!result || (result.data === undefined && result.error === undefined)) {
      errors.push({ fact: 'analytics', message: `CRM Analytics did not answer for ${what}.` });
      return null;
    }
    if (result.error !== undefined) {
      errors.push({
        fact: 'analytics',
        message: `CRM Analytics refused to list ${what}: ${wireError(result.error)}`,
      });
      return null;
    }
    const items = list(result.data, key);
    if (!items) {
      errors.push({ fact: 'analytics', message: `CRM Analytics returned no ${key} list.` });
      return null;
    }
    return items;
  };
  const connectors = need(results.connectors, 'dataConnectors', 'data connectors');
  const jobs = need(results.jobs, 'dataflowJobs', 'dataflow jobs');
  const datasets = need(results.replicatedDatasets, 'replicatedDatasets', 'replicated datasets');
  if (!connectors || !jobs || !datasets) return { analytics: null, collectionErrors: errors };

  return {
    analytics: {
      connections: connectors.map((c) => ({
        name: text(c.name) || text(c.label),
        type: text(c.connectorType),
        runAsUserId: null,
      })),
      references: datasets.map((d) => {
        const connector = (d.connector ?? {}) as Json;
        const reference: AnalyticsReference = {
          assetType: 'dataSync',
          assetName: text(d.name) || text(d.sourceObjectName),
          object: text(d.sourceObjectName),
          fields: [],
        };
        const connectionName = text(connector.name);
        if (connectionName) reference.connectionName = connectionName;
        return reference;
      }),
      jobs: jobs.map((j) => ({
        id: text(j.id),
        name: text(j.label) || text(j.name),
        type: text(j.jobType),
        status: text(j.status),
        message: typeof j.message === 'string' ? j.message : null,
        startedAt: text(j.startDate),
      })),
    },
    // Without field lists and run-as users the reads cannot be judged: a rule
    // would pass on "no fields read". Flagging `analytics` as incomplete makes
    // those rules NOT_EVALUATED with this reason instead.
    collectionErrors: [
      {
        fact: 'analytics',
        message:
          'Read in the browser: data connectors, dataflow jobs and the objects data sync reads. ' +
          'The CRM Analytics API does not give the fields each asset reads or the user a connection runs as.',
      },
    ],
  };
}

/** The facts to send when `lightning/analyticsWaveApi` cannot be used at all. */
export function unavailableAnalyticsFacts(reason: string): DashboardFacts {
  return { analytics: null, collectionErrors: [{ fact: 'analytics', message: reason }] };
}
