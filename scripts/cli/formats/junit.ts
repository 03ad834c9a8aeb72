/**
 * JUnit XML for CI test-report views: one test suite per rule, one test case per
 * rule × subject. FAIL is a failure, NOT_EVALUATED is skipped (with the reason),
 * ERROR is an error; PASS is a passing case.
 */
import type {
  Finding,
  Report,
} from '../../../force-app/main/default/lwc/healthEngine/healthEngine';

// XML 1.0 forbids most control characters even when escaped.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function testCase(finding: Finding): string {
  const subject = `${finding.subject.type} ${finding.subject.label}`;
  const open = `    <testcase classname="${escapeXml(finding.ruleId)}" name="${escapeXml(subject)}"`;
  switch (finding.status) {
    case 'PASS':
      return `${open}/>`;
    case 'FAIL': {
      const body = [finding.message, finding.remediation ? `Fix: ${finding.remediation}` : '']
        .filter(Boolean)
        .join('\n');
      return `${open}>\n      <failure message="${escapeXml(finding.message)}" type="${finding.severity}">${escapeXml(body)}</failure>\n    </testcase>`;
    }
    case 'NOT_EVALUATED':
      return `${open}>\n      <skipped message="${escapeXml(finding.reason ?? finding.message)}"/>\n    </testcase>`;
    default:
      return `${open}>\n      <error message="${escapeXml(finding.message)}" type="ERROR">${escapeXml(finding.reason ?? '')}</error>\n    </testcase>`;
  }
}

export function reportToJunit(report: Report): string {
  const byRule = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const list = byRule.get(finding.ruleId) ?? [];
    list.push(finding);
    byRule.set(finding.ruleId, list);
  }
  const labels = new Map(report.rules.map((r) => [r.id, r.label]));
  const count = (list: Finding[], status: Finding['status']) =>
    list.filter((f) => f.status === status).length;
  const suites = [...byRule].map(([ruleId, list]) => {
    const name = labels.has(ruleId) ? `${ruleId} ${labels.get(ruleId)}` : ruleId;
    return [
      `  <testsuite name="${escapeXml(name)}" tests="${list.length}" failures="${count(list, 'FAIL')}" errors="${count(list, 'ERROR')}" skipped="${count(list, 'NOT_EVALUATED')}" timestamp="${escapeXml(report.evaluatedAt)}">`,
      ...list.map(testCase),
      '  </testsuite>',
    ].join('\n');
  });
  const all = report.findings;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(`analytics-health ${report.org.name ?? report.org.id}`)}" tests="${all.length}" failures="${count(all, 'FAIL')}" errors="${count(all, 'ERROR')}" skipped="${count(all, 'NOT_EVALUATED')}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
