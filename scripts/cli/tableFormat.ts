/** Plain-text report for a terminal or a CI log: what fails first, then what could not run. */
import type {
  AcknowledgedFinding,
  CompiledCatalog,
  Finding,
  Report,
} from '../../force-app/main/default/lwc/healthEngine/healthEngine';

const ORDER = { CRITICAL: 0, WARNING: 1, INFO: 2 } as const;

/**
 * Org-controlled text made safe for a terminal: a username or profile name must not be able to
 * forge a line, colour the output or reorder what follows. Line breaks, tabs and the Unicode line
 * and paragraph separators become a space; every other C0/C1 control character (ESC and so every
 * escape sequence, BEL, backspace, DEL, …) and the bidi embeddings, overrides, isolates and marks
 * (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) are removed. JSON, CSV, SARIF and JUnit
 * keep the text exact under their own escaping.
 */
export function terminalSafe(text: string): string {
  return (
    text
      .replace(/[\t\n\v\f\r\u2028\u2029]/g, ' ')
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
  );
}

function wrap(text: string, indent: string, width = 100): string {
  const words = terminalSafe(text).split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && (indent + line + ' ' + word).length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

function findingBlock(f: Finding): string {
  const isNew = f.evidence?.newInSource === true;
  const lines = [
    `  [${f.severity}] ${terminalSafe(f.ruleId)}  ${terminalSafe(f.subject.label)}${isNew ? '  (new: this source causes it)' : ''}`,
    wrap(f.message, '      '),
  ];
  const files = f.evidence?.sourceFiles;
  if (Array.isArray(files) && files.length > 0)
    lines.push(wrap(`Files: ${files.join(', ')}`, '      '));
  if (f.remediation) lines.push(wrap(`Fix: ${f.remediation}`, '      '));
  if (f.reason) lines.push(wrap(`Why: ${f.reason}`, '      '));
  return lines.join('\n');
}

export function formatTable(report: Report): string {
  const s = report.summary;
  const out = [
    `Analytics Health — ${terminalSafe(report.org.name ?? report.org.id)} (${terminalSafe(report.org.id)})`,
    `Score ${report.score}/100   critical ${s.critical}   warning ${s.warning}   info ${s.info}   passed ${s.passed}   not evaluated ${s.notEvaluated}   errors ${s.errors}${
      'acknowledged' in s ? `   acknowledged ${(s as { acknowledged: number }).acknowledged}` : ''
    }`,
    '',
  ];
  const findings = report.findings as AcknowledgedFinding[];
  const failing = findings
    .filter((f) => f.status === 'FAIL' && !f.acknowledgement)
    .sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  out.push(failing.length ? `Failing (${failing.length})` : 'Failing: none');
  out.push(...failing.map(findingBlock));
  const acknowledged = findings.filter((f) => f.status === 'FAIL' && f.acknowledgement);
  if (acknowledged.length) {
    out.push('', `Acknowledged — not scored (${acknowledged.length})`);
    for (const f of acknowledged) {
      const a = f.acknowledgement;
      out.push(findingBlock(f));
      if (a) {
        const until = a.expiresAt ? `until ${a.expiresAt}` : 'until withdrawn';
        out.push(
          wrap(
            `Acknowledged by ${a.acknowledgedBy} on ${a.acknowledgedAt}, ${until}: ${a.reason}`,
            '      ',
          ),
        );
      }
    }
  }
  const notEvaluated = report.findings.filter((f) => f.status === 'NOT_EVALUATED');
  if (notEvaluated.length) {
    out.push('', `Not evaluated (${notEvaluated.length})`, ...notEvaluated.map(findingBlock));
  }
  const errors = report.findings.filter((f) => f.status === 'ERROR');
  if (errors.length) out.push('', `Errors (${errors.length})`, ...errors.map(findingBlock));
  if (report.externalReferences.length) {
    out.push('', 'Read through other connections (listed, not judged)');
    for (const r of report.externalReferences) {
      out.push(
        terminalSafe(`  ${r.assetName}: ${r.object} via ${r.connectionName} (${r.connectionType})`),
      );
    }
  }
  return `${out.join('\n')}\n`;
}

export function formatRulesTable(catalog: CompiledCatalog): string {
  const out = catalog.rules.map(
    ({ definition: d }) =>
      `${d.id.padEnd(7)} ${d.severity.padEnd(8)} ${d.subject.padEnd(16)} ${d.label}`,
  );
  for (const p of catalog.problems) out.push(`${p.id.padEnd(7)} ERROR    ${p.problem}`);
  return `${['ID      SEVERITY SUBJECT          RULE', ...out].join('\n')}\n`;
}
