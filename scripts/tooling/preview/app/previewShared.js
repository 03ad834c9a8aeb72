// What the two local stand-in controllers (previewEngine.js for AnalyticsHealthController,
// previewMonitor.js for the monitor controller) share: the compiled catalog, the delayed answer,
// the permission error and the merge of the facts the browser read. Both import it; neither
// imports the other's helpers, so the monitor can record the engine's runs without a cycle.
import { compileCatalog } from 'c/healthEngine';
import { catalogRecords, delayMs } from './previewState';

export const compiled = compileCatalog(catalogRecords);

/** The error the real controller throws without the custom permission, as Apex delivers it. */
export function permissionError() {
  return {
    status: 500,
    body: {
      message:
        'Analytics Health needs the custom permission Analytics_Health_Run_Check. Assign the permission set Analytics Health Admin.',
    },
  };
}

export function later(fn) {
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      try {
        resolve(fn());
      } catch (error) {
        reject(error);
      }
    }, delayMs());
  });
}

/**
 * As the org's collector does, the analytics facts the browser read replace the
 * snapshot's; when the browser could not read them (always, here: there is no CRM
 * Analytics API locally) the snapshot's own analytics facts stand in.
 */
export function mergeDashboardFacts(facts, dashboardFactsJson) {
  if (!dashboardFactsJson) return facts;
  const dashboard = JSON.parse(dashboardFactsJson);
  if (!dashboard || dashboard.analytics === null || dashboard.analytics === undefined) return facts;
  return {
    ...facts,
    analytics: dashboard.analytics,
    collectionErrors: [
      ...facts.collectionErrors.filter((e) => !e.fact.startsWith('analytics')),
      ...(dashboard.collectionErrors ?? []),
    ],
  };
}
