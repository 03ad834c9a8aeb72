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

/** The findings grouped by rule, in report order, and each rule's label. */
function suitesOf(report: Report): { byRule: Map<string, Finding[]>; labels: Map<string, string> } {
  const byRule = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const list = byRule.get(finding.ruleId) ?? [];
    list.push(finding);
    byRule.set(finding.ruleId, list);
  }
  return { byRule, labels: new Map(report.rules.map((r) => [r.id, r.label])) };
}

const count = (list: readonly Finding[], status: Finding['status']) =>
  list.filter((f) => f.status === status).length;

/** The XML declaration and the `<testsuites>` open tag, each a line without its line break. */
function documentHead(report: Report): string[] {
  const all = report.findings;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(`analytics-health ${report.org.name ?? report.org.id}`)}" tests="${all.length}" failures="${count(all, 'FAIL')}" errors="${count(all, 'ERROR')}" skipped="${count(all, 'NOT_EVALUATED')}">`,
  ];
}

/** One rule's `<testsuite>` open tag, without its line break. */
function suiteOpen(
  report: Report,
  ruleId: string,
  list: readonly Finding[],
  labels: ReadonlyMap<string, string>,
): string {
  const name = labels.has(ruleId) ? `${ruleId} ${labels.get(ruleId)}` : ruleId;
  return `  <testsuite name="${escapeXml(name)}" tests="${list.length}" failures="${count(list, 'FAIL')}" errors="${count(list, 'ERROR')}" skipped="${count(list, 'NOT_EVALUATED')}" timestamp="${escapeXml(report.evaluatedAt)}">`;
}

const SUITE_CLOSE = '  </testsuite>';
const DOCUMENT_CLOSE = '</testsuites>';

export function reportToJunit(report: Report): string {
  const { byRule, labels } = suitesOf(report);
  const suites = [...byRule].map(([ruleId, list]) =>
    [suiteOpen(report, ruleId, list, labels), ...list.map(testCase), SUITE_CLOSE].join('\n'),
  );
  return [...documentHead(report), ...suites, DOCUMENT_CLOSE, ''].join('\n');
}

/**
 * Test cases per piece of reportJunitPieces: some 20–60 KB of XML, below V8's large-object size,
 * so each piece dies young (see the JSON report's pieces).
 */
const CASES_PER_PIECE = 200;

/**
 * The JUnit XML in pieces; joined, they are exactly reportToJunit's text. A large org's report
 * (hundreds of thousands of test cases) is written without ever being one string.
 */
export function* reportJunitPieces(report: Report): Generator<string> {
  const { byRule, labels } = suitesOf(report);
  yield `${documentHead(report).join('\n')}\n`;
  for (const [ruleId, list] of byRule) {
    yield `${suiteOpen(report, ruleId, list, labels)}\n`;
    for (let start = 0; start < list.length; start += CASES_PER_PIECE) {
      const end = Math.min(start + CASES_PER_PIECE, list.length);
      const lines: string[] = [];
      for (let i = start; i < end; i++) lines.push(testCase(list[i]));
      yield `${lines.join('\n')}\n`;
    }
    yield `${SUITE_CLOSE}\n`;
  }
  yield `${DOCUMENT_CLOSE}\n`;
}
