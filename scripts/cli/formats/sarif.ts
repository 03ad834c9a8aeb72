/**
 * SARIF 2.1.0 for code-scanning UIs. Each catalog rule is a reporting descriptor
 * (id, help, default level); each FAIL finding is a result at its severity's level
 * and each NOT_EVALUATED finding a `review` result, so a scan shows what it could
 * not check. PASS findings are left out: they are not results to act on. A rule
 * record that could not run is a tool notification, not a result.
 */
import type {
  Finding,
  Report,
  Severity,
} from '../../../force-app/main/default/lwc/healthEngine/healthEngine';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  CRITICAL: 'error',
  WARNING: 'warning',
  INFO: 'note',
};

/** GitHub ranks security alerts by this number (0.1–10). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  CRITICAL: '9.0',
  WARNING: '5.0',
  INFO: '2.0',
};

export interface SarifOptions {
  toolVersion: string;
  /** Files (relative, `/`-separated) a finding points to; none for a live org. */
  locationsOf?: (finding: Finding) => string[];
}

/** A relative path as a URI reference: each segment percent-encoded (spaces, `%` in names). */
export function toUriReference(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

export function reportToSarif(report: Report, options: SarifOptions): string {
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.id, index]));
  const results: Record<string, unknown>[] = [];
  const notifications: Record<string, unknown>[] = [];
  for (const finding of report.findings) {
    if (finding.status === 'ERROR') {
      notifications.push({
        level: 'error',
        message: { text: `${finding.ruleId}: ${finding.message} ${finding.reason ?? ''}`.trim() },
        descriptor: { id: finding.ruleId },
      });
      continue;
    }
    if (finding.status === 'PASS') continue;
    const failed = finding.status === 'FAIL';
    const text = [
      finding.message,
      failed && finding.remediation ? `Fix: ${finding.remediation}` : '',
      !failed && finding.reason ? `Not evaluated: ${finding.reason}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const result: Record<string, unknown> = {
      ruleId: finding.ruleId,
      kind: failed ? 'fail' : 'review',
      level: failed ? LEVEL[finding.severity] : 'none',
      message: { text },
      partialFingerprints: {
        'analyticsHealthSubject/v1': `${finding.ruleId}|${finding.subject.type}|${finding.subject.id ?? finding.subject.label}`,
      },
      properties: {
        subject: finding.subject,
        ...(finding.evidence ? { evidence: finding.evidence } : {}),
      },
    };
    const index = ruleIndex.get(finding.ruleId);
    if (index !== undefined) result.ruleIndex = index;
    const files = options.locationsOf?.(finding) ?? [];
    if (files.length > 0) {
      result.locations = files.map((file) => ({
        physicalLocation: { artifactLocation: { uri: toUriReference(file) } },
      }));
    }
    results.push(result);
  }
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'analytics-health',
            version: options.toolVersion,
            rules: report.rules.map((rule) => ({
              id: rule.id,
              name: rule.label,
              shortDescription: { text: rule.label },
              fullDescription: { text: rule.helpText || rule.label },
              help: {
                text: `${rule.helpText}\nSource: Salesforce knowledge article ${rule.sourceArticle}.`.trim(),
              },
              defaultConfiguration: { level: LEVEL[rule.severity] },
              properties: {
                category: rule.category,
                severity: rule.severity,
                'security-severity': SECURITY_SEVERITY[rule.severity],
                tags: ['salesforce', 'crm-analytics', rule.category].filter(Boolean),
              },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: notifications.length === 0,
            ...(notifications.length > 0 ? { toolConfigurationNotifications: notifications } : {}),
          },
        ],
        results,
        properties: { org: report.org, score: report.score, summary: report.summary },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
