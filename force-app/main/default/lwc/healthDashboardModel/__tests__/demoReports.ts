// Real engine output on the bundled demo snapshots, for the component tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  compileCatalog,
  evaluate,
  validateOrgFacts,
  type Finding,
  type OrgFacts,
  type Report,
} from 'c/healthEngine';
import { PROJECT_ROOT, loadCatalogRecords } from '../../../../../../scripts/cli/lib/catalogSource';

const catalog = compileCatalog(loadCatalogRecords());

type DemoName = 'demo-broken-org' | 'demo-healthy-org';

export function demoReport(name: DemoName): Report {
  return demoReportWith(name, () => {});
}

/** The engine's report on a demo snapshot after `edit` changed its (freshly read) facts. */
export function demoReportWith(name: DemoName, edit: (facts: OrgFacts) => void): Report {
  const file = path.join(PROJECT_ROOT, 'scripts', 'cli', 'snapshots', `${name}.json`);
  const facts = validateOrgFacts(JSON.parse(readFileSync(file, 'utf8')));
  edit(facts);
  return evaluate(facts, catalog, { evaluatedAt: '2026-11-23T08:00:00.000Z' });
}

/** A report with `count` findings made by repeating the demo's, each with its own subject. */
export function largeReport(count: number): Report {
  const base = demoReport('demo-broken-org');
  const findings: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const f = base.findings[i % base.findings.length];
    findings.push({
      ...f,
      subject: { ...f.subject, id: `${f.subject.id}-${i}`, label: `${f.subject.label} #${i}` },
    });
  }
  return { ...base, findings };
}
