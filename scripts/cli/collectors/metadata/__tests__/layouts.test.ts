/**
 * Source format and Metadata API format hold the same components: the reader must give the
 * same facts for both, and refuse a tree that holds neither.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  compileCatalog,
  evaluate,
  validateOrgFacts,
} from '../../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { loadCatalogRecords } from '../../../lib/catalogSource';
import { overlaySource } from '../overlay';
import { NoMetadataError, readSourceTree, type SourceTree } from '../sourceTree';

const fixtures = path.join(__dirname, 'fixtures', 'layouts');
const sourceRoot = path.join(fixtures, 'source');
const mdapiRoot = path.join(fixtures, 'mdapi');
const now = new Date('2026-11-23T08:00:00Z');

/** The tree with file paths taken out, so two layouts can be compared. */
function withoutFiles(tree: SourceTree) {
  const strip = <T extends { file: string }>(items: T[]) =>
    items.map(({ file: _file, ...rest }) => rest);
  return {
    profiles: strip(tree.profiles),
    permissionSets: strip(tree.permissionSets),
    settings: strip(tree.settings),
    sessionSettings: strip(tree.sessionSettings),
    references: strip(tree.references),
    datasets: strip(tree.datasets),
    assetFiles: tree.assetFiles.length,
  };
}

describe('both layouts read the same way', () => {
  const source = readSourceTree(sourceRoot);
  const mdapi = readSourceTree(mdapiRoot);

  it('finds every component of the Metadata API layout (src/profiles/X.profile …)', () => {
    expect(mdapi.profiles.map((p) => [p.name, p.file])).toEqual([
      [
        'Analytics Cloud Integration User',
        path.join('src', 'profiles', 'Analytics Cloud Integration User.profile'),
      ],
    ]);
    expect(mdapi.permissionSets.map((p) => p.name)).toEqual(['Predicate_Fields']);
    expect(mdapi.settings).toEqual([
      {
        file: path.join('src', 'settings', 'Security.settings'),
        setting: 'enforceIpRangesEveryRequest',
        value: true,
      },
    ]);
    expect(mdapi.assetFiles).toEqual([
      path.join('src', 'wave', 'Opportunities.wdf'),
      path.join('src', 'wave', 'Territories.wdpr'),
    ]);
    // The label comes from the -meta.xml companion in this layout too.
    expect(mdapi.references.map((r) => r.assetName)).toEqual([
      'Opportunities by region',
      'Territories',
    ]);
  });

  it('gives the same components and the same overlaid facts as the source format', () => {
    expect(withoutFiles(mdapi)).toEqual(withoutFiles(source));
    expect(source.profiles[0].permissions.userPermissions).toHaveLength(13);
    const facts = (tree: SourceTree) => overlaySource(tree, null, now).facts;
    expect(facts(mdapi)).toEqual(facts(source));
  });

  it('reads Metadata API suffixes only in their type folder', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ah-layout-'));
    try {
      // A shell start-up file and a stray `.permissionset` outside `permissionsets/`.
      writeFileSync(path.join(dir, '.profile'), 'export PATH=$PATH:~/bin\n');
      mkdirSync(path.join(dir, 'notes'));
      writeFileSync(path.join(dir, 'notes', 'Draft.permissionset'), 'not XML');
      mkdirSync(path.join(dir, 'permissionsets'));
      writeFileSync(
        path.join(dir, 'permissionsets', 'Real.permissionset'),
        '<PermissionSet><label>Real</label></PermissionSet>',
      );
      const tree = readSourceTree(dir);
      expect(tree.profiles).toEqual([]);
      expect(tree.permissionSets.map((p) => p.file)).toEqual([
        path.join('permissionsets', 'Real.permissionset'),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a tree in neither layout', () => {
  it('is refused: no profile and no permission set is not a healthy report', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ah-layout-'));
    try {
      mkdirSync(path.join(dir, 'wave'));
      writeFileSync(path.join(dir, 'wave', 'Flow.wdf'), '{}');
      writeFileSync(path.join(dir, 'README.md'), '# not metadata\n');
      expect(() => readSourceTree(dir)).toThrow(NoMetadataError);
      expect(() => readSourceTree(dir)).toThrow(
        /no profile or permission set found, in source format .* or in Metadata API format/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a profile from a public repository, checked without a baseline', () => {
  const catalog = compileCatalog(loadCatalogRecords());

  it.each([
    ['source format', sourceRoot],
    ['Metadata API format', mdapiRoot],
  ])(
    '%s: its listed permissions are complete, so a missing View All Data fails AH020',
    (_layout, root) => {
      const { facts } = overlaySource(readSourceTree(root), null, now);
      const integration = facts.profiles.find((p) => p.name === 'Analytics Cloud Integration User');
      expect(integration?.userPermissions).toContain('ApiEnabled');
      expect(integration?.userPermissions).not.toContain('ViewAllData');
      // The Security User's profile is not in the tree: unknown for it alone.
      const security = facts.profiles.find((p) => p.name === 'Analytics Cloud Security User');
      expect(security?.userPermissions).toBeNull();
      const report = evaluate(validateOrgFacts(facts), catalog, {
        evaluatedAt: now.toISOString(),
      });
      const ah020 = report.findings.filter((f) => f.ruleId === 'AH020');
      expect(ah020.map((f) => [f.subject.label, f.status])).toEqual([
        ['integration@00d000000000000aaa.com', 'FAIL'],
      ]);
    },
  );
});
