// The local stand-in for AnalyticsHealthController: the project's engine on a demo
// snapshot, with the catalog read from the package's custom metadata at build time.
import { applyAcknowledgements, compileCatalog, evaluate, validateOrgFacts } from 'c/healthEngine';
import { activeAcknowledgements, recordRun } from './previewMonitor';
import { catalogRecords, delayMs, failure, repeatTo, selectedSnapshot } from './previewState';

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

function repeatFindings(report, count) {
  const findings = [];
  for (let i = 0; i < count; i++) {
    const f = report.findings[i % report.findings.length];
    findings.push({
      ...f,
      subject: {
        ...f.subject,
        id: `${f.subject.id ?? ''}-${i}`,
        label: `${f.subject.label} #${i}`,
      },
    });
  }
  return { ...report, findings };
}

export function runCheckLocally(dashboardFactsJson) {
  return later(() => {
    if (failure() === 'permission') throw permissionError();
    const snapshot = selectedSnapshot();
    const facts = mergeDashboardFacts(validateOrgFacts(snapshot.facts), dashboardFactsJson);
    // As the org's controller does: acknowledgements applied, the run kept in the history.
    let report = applyAcknowledgements(evaluate(facts, compiled), activeAcknowledgements());
    const count = repeatTo();
    if (count > 0) report = repeatFindings(report, count);
    else recordRun(report, 'dashboard');
    return JSON.stringify(report);
  });
}

export function catalogLocally() {
  return later(() => {
    if (failure() === 'permission') throw permissionError();
    return JSON.stringify(
      compiled.rules.map(({ definition: d }) => ({
        ruleId: d.id,
        label: d.label,
        category: d.category,
        subject: d.subject,
        severity: d.severity,
        helpText: d.helpText,
        sourceArticle: d.sourceArticle,
        factsNeeded: d.factsNeeded,
        remediation: d.remediation,
        sortOrder: d.sortOrder,
      })),
    );
  });
}
