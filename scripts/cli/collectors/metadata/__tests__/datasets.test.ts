/**
 * Pre-deploy guard for row-level security: dataflow and recipe files that set a security
 * predicate or a sharing source become `analytics.datasets`, so AH027 and AH028 judge them.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  compileCatalog,
  evaluate,
  validateOrgFacts,
  type OrgFacts,
} from '../../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { PROJECT_ROOT, loadCatalogRecords } from '../../../lib/catalogSource';
import { overlaySource } from '../overlay';
import { annotateSourceFindings } from '../sourceFindings';
import { readSourceTree } from '../sourceTree';
import { datasetsOfDefinition } from '../waveAssets';

const sourceRoot = path.join(__dirname, 'fixtures', 'layouts', 'source');
const wave = path.join('force-app', 'main', 'default', 'wave');
const now = new Date('2026-11-23T08:00:00Z');
const catalog = compileCatalog(loadCatalogRecords());
const REGION_PREDICATE = `'OwnerId' == "$User.Id" || 'Region__c' == "$User.Sales_Region__c"`;

/** The healthy demo org, with a User object that has one custom field, and known datasets. */
function baseline(datasets: NonNullable<OrgFacts['analytics']>['datasets']): OrgFacts {
  const facts = validateOrgFacts(
    JSON.parse(
      readFileSync(
        path.join(PROJECT_ROOT, 'scripts', 'cli', 'snapshots', 'demo-healthy-org.json'),
        'utf8',
      ),
    ),
  );
  facts.schema?.objects.push({
    name: 'User',
    custom: false,
    namespace: null,
    fields: [
      { name: 'Id', permissionable: false },
      { name: 'Sales_Region__c', permissionable: true },
    ],
  });
  if (datasets === undefined) delete facts.analytics?.datasets;
  else if (facts.analytics) facts.analytics.datasets = datasets;
  return facts;
}

describe('reading predicates and sharing sources', () => {
  it('from a dataflow sfdcRegister node and a recipe save node', () => {
    const tree = readSourceTree(sourceRoot);
    expect(tree.datasets).toEqual([
      {
        name: 'Opportunities',
        label: 'Opportunities by region',
        predicate: REGION_PREDICATE,
        sharingSource: 'Opportunity',
        assetType: 'dataflow',
        assetName: 'Opportunities by region',
        file: path.join(wave, 'Opportunities.wdf'),
      },
      {
        // An empty predicate is none.
        name: 'Territories',
        label: 'Territories',
        predicate: null,
        sharingSource: 'Territory2',
        assetType: 'recipe',
        assetName: 'Territories',
        file: path.join(wave, 'Territories.wdpr'),
      },
    ]);
  });

  it('leaves out datasets registered without either, and nodes without a name', () => {
    expect(
      datasetsOfDefinition({
        plain: {
          action: 'sfdcRegister',
          parameters: { alias: 'Plain', rowLevelSecurityFilter: ' ' },
        },
        nameless: { action: 'sfdcRegister', parameters: { rowLevelSharingSource: 'Case' } },
        named: {
          action: 'sfdcRegister',
          parameters: { name: 'Cases', rowLevelSharingSource: 'Case' },
        },
      }),
    ).toEqual([{ name: 'Cases', label: 'Cases', predicate: null, sharingSource: 'Case' }]);
  });

  it("from a recipe's metadata (securityPredicate on targetDatasetAlias)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ah-datasets-'));
    try {
      mkdirSync(path.join(dir, 'wave'));
      mkdirSync(path.join(dir, 'permissionsets'));
      writeFileSync(
        path.join(dir, 'permissionsets', 'S.permissionset-meta.xml'),
        '<PermissionSet/>',
      );
      writeFileSync(path.join(dir, 'wave', 'Classic.wdpr'), '{"name": "Classic", "steps": []}');
      writeFileSync(
        path.join(dir, 'wave', 'Classic.wdpr-meta.xml'),
        `<WaveRecipe><format>R2</format><masterLabel>Classic prep</masterLabel><securityPredicate>'Owner' == "$User.Name"</securityPredicate><targetDatasetAlias>Classic_Out</targetDatasetAlias></WaveRecipe>`,
      );
      expect(readSourceTree(dir).datasets).toEqual([
        {
          name: 'Classic_Out',
          label: null,
          predicate: `'Owner' == "$User.Name"`,
          sharingSource: null,
          assetType: 'recipe',
          assetName: 'Classic prep',
          file: path.join('wave', 'Classic.wdpr'),
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('datasets laid over an org', () => {
  const tree = readSourceTree(sourceRoot);

  it('without a baseline: the source datasets are the org datasets, and AH028 judges them', () => {
    const { facts, provenance } = overlaySource(tree, null, now);
    const datasets = facts.analytics?.datasets ?? [];
    expect(datasets.map((d) => [d.name, d.predicate, d.sharingSource])).toEqual([
      ['Opportunities', REGION_PREDICATE, 'Opportunity'],
      ['Territories', null, 'Territory2'],
    ]);
    expect(facts.collectionErrors.map((e) => e.fact)).not.toContain('analytics.datasets');
    const report = annotateSourceFindings(
      evaluate(validateOrgFacts(facts), catalog, { evaluatedAt: now.toISOString() }),
      facts,
      provenance,
      null,
    );
    const ah028 = report.findings.filter((f) => f.ruleId === 'AH028');
    expect(ah028.map((f) => [f.subject.label, f.status, f.evidence?.sourceFiles])).toEqual([
      ['Opportunities', 'PASS', [path.join(wave, 'Opportunities.wdf')]],
      ['Territories', 'FAIL', [path.join(wave, 'Territories.wdpr')]],
    ]);
    // The Security User's profile is not in the source: its field access is unknown.
    const region = report.findings.find(
      (f) => f.ruleId === 'AH027' && f.subject.id === 'User.Sales_Region__c',
    );
    expect(region?.status).toBe('NOT_EVALUATED');
    expect(region?.evidence?.sourceFiles).toEqual([path.join(wave, 'Opportunities.wdf')]);
  });

  it('on a baseline: a new dataset whose predicate reads a custom User field fails AH027', () => {
    const { facts, provenance } = overlaySource(tree, baseline([]), now);
    const base = baseline([]);
    const report = annotateSourceFindings(
      evaluate(validateOrgFacts(facts), catalog, { evaluatedAt: now.toISOString() }),
      facts,
      provenance,
      evaluate(base, catalog, { evaluatedAt: now.toISOString() }),
    );
    const region = report.findings.find(
      (f) => f.ruleId === 'AH027' && f.subject.id === 'User.Sales_Region__c',
    );
    expect(region?.status).toBe('FAIL');
    expect(region?.evidence?.newInSource).toBe(true);
    // The Security User's profile is not in this source: only the predicate's file is named.
    expect(region?.evidence?.sourceFiles).toEqual([path.join(wave, 'Opportunities.wdf')]);
  });

  it('on a baseline that has the dataset: its security stays, with a note', () => {
    const existing = {
      id: '0Fb5g0000000001AAA',
      name: 'opportunities',
      predicate: `'OwnerId' == "$User.Id"`,
      sharingSource: 'Opportunity',
    };
    const { facts, notes, provenance } = overlaySource(tree, baseline([existing]), now);
    expect(facts.analytics?.datasets?.map((d) => [d.id, d.predicate])).toEqual([
      ['0Fb5g0000000001AAA', `'OwnerId' == "$User.Id"`],
      [expect.stringMatching(/^0FbSRC/), null],
    ]);
    expect(notes.join('\n')).toContain(
      `${path.join(wave, 'Opportunities.wdf')} sets the row-level security of dataset "Opportunities", which the baseline already has: its security stays as the baseline has it until the dataset itself is edited.`,
    );
    expect(provenance.datasetFiles.get('0Fb5g0000000001')).toBe(
      path.join(wave, 'Opportunities.wdf'),
    );
    // The predicate that applies reads no custom User field.
    const report = evaluate(validateOrgFacts(facts), catalog, { evaluatedAt: now.toISOString() });
    expect(report.findings.some((f) => f.subject.id === 'User.Sales_Region__c')).toBe(false);
  });

  it('on a baseline without dataset facts: the source datasets are listed and marked incomplete', () => {
    const { facts } = overlaySource(tree, baseline(undefined), now);
    expect(facts.analytics?.datasets?.map((d) => d.name)).toEqual(['Opportunities', 'Territories']);
    expect(facts.collectionErrors).toContainEqual({
      fact: 'analytics.datasets',
      message:
        'the baseline snapshot has no dataset facts: only the datasets the source defines are listed',
    });
  });
});
