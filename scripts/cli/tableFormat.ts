/** Plain-text report for a terminal or a CI log: what fails first, then what could not run. */
import type {
  AcknowledgedFinding,
  CompiledCatalog,
  Finding,
  Report,
} from '../../force-app/main/default/lwc/healthEngine/healthEngine';

const ORDER = { CRITICAL: 0, WARNING: 1, INFO: 2 } as const;

function wrap(text: string, indent: string, width = 100): string {
  const words = text.split(/\s+/);
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
    `  [${f.severity}] ${f.ruleId}  ${f.subject.label}${isNew ? '  (new: this source causes it)' : ''}`,
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
    `Analytics Health — ${report.org.name ?? report.org.id} (${report.org.id})`,
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
      out.push(`  ${r.assetName}: ${r.object} via ${r.connectionName} (${r.connectionType})`);
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
