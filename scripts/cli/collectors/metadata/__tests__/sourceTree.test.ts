import path from 'node:path';
import { readFileSync } from 'node:fs';
import {
  evaluate,
  validateOrgFacts,
  compileCatalog,
  type OrgFacts,
} from '../../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { loadCatalogRecords, PROJECT_ROOT } from '../../../lib/catalogSource';
import { EMPTY_ORG_ID, overlaySource } from '../overlay';
import { parsePermissionSet, parseProfile, parseSessionSetting } from '../permissionFiles';
import { parseSettingsFile } from '../settingsFiles';
import { SourceFileError } from '../sourceXml';
import { SourceTreeError, readSourceTree } from '../sourceTree';
import { parseDataflowFile, parseRecipeFile } from '../waveAssets';

const fixtures = path.join(__dirname, 'fixtures');
const healthy = (): OrgFacts =>
  validateOrgFacts(
    JSON.parse(
      readFileSync(
        path.join(PROJECT_ROOT, 'scripts', 'cli', 'snapshots', 'demo-healthy-org.json'),
        'utf8',
      ),
    ),
  );
const now = new Date('2026-11-23T08:00:00Z');

describe('analytics assets in every stored shape', () => {
  const tree = readSourceTree(path.join(fixtures, 'shapes'));
  const refs = (asset: string) =>
    tree.references
      .filter((r) => r.assetName === asset)
      .map(({ assetType, connectionName, object, fields }) => ({
        assetType,
        connectionName,
        object,
        fields,
      }));

  it('reads a .wdf of two JSON-encoded strings: dataflow digests and recipe loads', () => {
    expect(refs('Two_Strings')).toEqual([
      // Two digests of Account: one reference, the union of their fields (case-insensitive).
      {
        assetType: 'dataflow',
        connectionName: undefined,
        object: 'Account',
        fields: ['Id', 'Name', 'Industry'],
      },
      {
        assetType: 'dataflow',
        connectionName: undefined,
        object: 'Case',
        fields: ['Id', 'Status'],
      },
      {
        assetType: 'recipe',
        connectionName: 'SFDC_LOCAL',
        object: 'Lead',
        fields: ['Id', 'LeadSource'],
      },
    ]);
  });

  it('accepts "{}" and null halves', () => {
    expect(tree.assetFiles).toContain(path.join('wave', 'Empty_Pair.wdf'));
    expect(refs('Empty_Pair')).toEqual([]);
  });

  it('reads a plain {"nodes": …} object with digest nodes and their connections', () => {
    expect(refs('Plain_Nodes')).toEqual([
      {
        assetType: 'dataflow',
        connectionName: 'SFDC_LOCAL',
        object: 'Contact',
        fields: ['Id', 'Email'],
      },
      { assetType: 'dataflow', connectionName: 'Partner_Org', object: 'Order', fields: ['Id'] },
    ]);
  });

  it('reads a template export {"workflowDefinition": …}', () => {
    expect(refs('Template_Export')).toEqual([
      {
        assetType: 'dataflow',
        connectionName: undefined,
        object: 'Opportunity',
        fields: ['Id', 'Amount'],
      },
    ]);
  });

  it("reads older recipes' ReplicationFetcher steps", () => {
    expect(refs('Legacy_Prep')).toEqual([
      {
        assetType: 'recipe',
        connectionName: 'SFDC_LOCAL',
        object: 'Campaign',
        fields: ['Id', 'Type', 'Status'],
      },
    ]);
  });

  it('reads the source objects a Data Prep classic (Recipe 2.0) join step adds, with their field lists', () => {
    expect(refs('Prepared_Opportunities')).toEqual([
      {
        assetType: 'recipe',
        connectionName: 'SFDC_LOCAL',
        object: 'Opportunity',
        fields: ['Id', 'AccountId', 'Amount'],
      },
      // The join's dataset: fields listed on the dataset itself.
      {
        assetType: 'recipe',
        connectionName: 'SFDC_LOCAL',
        object: 'Account',
        fields: ['Id', 'Industry'],
      },
      // The lookup's dataset: fields listed on the step that holds it.
      {
        assetType: 'recipe',
        connectionName: 'SFDC_LOCAL',
        object: 'User',
        fields: ['Id', 'Department'],
      },
      // A join with an analytics dataset (no source object) reads no Salesforce data.
    ]);
  });

  it("reads a template's dataflow JSON and ignores its other files", () => {
    expect(refs('Service_Analytics/ServiceAnalyticsDataflow')).toEqual([
      {
        assetType: 'dataflow',
        connectionName: undefined,
        object: 'Task',
        fields: ['Id', 'Subject'],
      },
    ]);
    expect(tree.assetFiles.some((f) => f.endsWith('template-info.json'))).toBe(false);
  });

  it('rejects a .wdf whose halves are not JSON-encoded', () => {
    expect(() => parseDataflowFile('["{not json", null]', 'wave/X.wdf')).toThrow(
      /wave\/X\.wdf: the first \(dataflow\) element is not JSON-encoded/,
    );
    expect(() => parseDataflowFile('[1, 2]', 'wave/X.wdf')).toThrow(/JSON-encoded string or null/);
    expect(() => parseDataflowFile('["{}", "{}", "{}"]', 'wave/X.wdf')).toThrow(/at most two/);
    expect(() => parseDataflowFile('"text"', 'wave/X.wdf')).toThrow(/a JSON object or array/);
    expect(() => parseRecipeFile('[]', 'wave/X.wdpr')).toThrow(/a JSON object/);
  });
});

describe('profiles, permission sets and settings', () => {
  it('reads enabled permissions, object and field rows, IP ranges and login hours', () => {
    const file = path.join(
      fixtures,
      'predeploy/force-app/main/default/profiles/Analytics Cloud Integration User %28Clone%29.profile-meta.xml',
    );
    const profile = parseProfile(readFileSync(file, 'utf8'), 'p.profile-meta.xml');
    expect(profile.permissions?.userPermissions).toEqual([
      'ApiEnabled',
      'ViewAllData',
      'ViewAllProfiles',
      'ViewSetup',
    ]);
    expect(profile.permissions?.objects).toContainEqual({
      object: 'Account',
      read: true,
      viewAll: true,
    });
    expect(profile.permissions?.fields).toContainEqual({ field: 'Account.Industry', read: false });
    expect(profile.loginHours).toEqual({ monday: { start: 480, end: 1080 } });
    expect(profile.loginIpRanges).toEqual([]);
    expect(profile.isCustom).toBe(true);
  });

  it('decodes the file name and treats each permission section a file lacks as unknown', () => {
    const tree = readSourceTree(path.join(fixtures, 'predeploy'));
    expect(tree.profiles.map((p) => p.name).sort()).toEqual([
      'Analytics Cloud Integration User (Clone)',
      'Analytics Cloud Security User',
    ]);
    const security = tree.profiles.find((p) => p.name === 'Analytics Cloud Security User');
    expect(security?.permissions).toEqual({ userPermissions: null, objects: null, fields: null });
    const layoutsOnly = readSourceTree(path.join(fixtures, 'shapes')).profiles[0];
    expect(layoutsOnly.permissions).toEqual({ userPermissions: null, objects: null, fields: null });
    expect(layoutsOnly.loginIpRanges).toEqual([
      { start: '10.0.0.0', end: '10.255.255.255', description: 'Office' },
    ]);
    // Field rows only: the user permissions and object rows of this set are not in the file.
    expect(tree.permissionSets[0].permissions).toEqual({
      userPermissions: null,
      objects: null,
      fields: [{ field: 'Account.Industry', read: true }],
    });
  });

  it('takes a listed permission that is not enabled as off, and the list as known', () => {
    const profile = parseProfile(
      '<Profile><userPermissions><enabled>false</enabled><name>ViewAllData</name></userPermissions></Profile>',
      'p.profile-meta.xml',
    );
    expect(profile.permissions.userPermissions).toEqual([]);
  });

  it('reads permission sets and the three org settings', () => {
    const set = parsePermissionSet(
      '<PermissionSet><label>X</label><userPermissions><enabled>true</enabled><name>ViewAllData</name></userPermissions></PermissionSet>',
      'ps/X_Y.permissionset-meta.xml',
    );
    expect(set).toMatchObject({
      name: 'X_Y',
      label: 'X',
      permissions: { userPermissions: ['ViewAllData'] },
    });
    expect(
      parseSettingsFile(
        '<ConnectedAppSettings><enableAdminApprovedAppsOnly>true</enableAdminApprovedAppsOnly></ConnectedAppSettings>',
        'settings/ConnectedApp.settings-meta.xml',
      ),
    ).toEqual([
      {
        file: 'settings/ConnectedApp.settings-meta.xml',
        setting: 'apiAccessControlEnabled',
        value: true,
      },
    ]);
    // A value absent from the file says nothing about the org.
    expect(
      parseSettingsFile(
        '<SecuritySettings><passwordPolicies/></SecuritySettings>',
        'Security.settings-meta.xml',
      ),
    ).toEqual([]);
  });

  it('names the file and the entry that is incomplete', () => {
    expect(() =>
      parseProfile(
        '<Profile><userPermissions><enabled>true</enabled></userPermissions></Profile>',
        'a.profile-meta.xml',
      ),
    ).toThrow('a.profile-meta.xml: a <userPermissions> entry has no <name>');
    expect(() =>
      parseProfile(
        '<Profile><loginHours><mondayStart>480</mondayStart></loginHours></Profile>',
        'b.profile-meta.xml',
      ),
    ).toThrow('<mondayEnd> must be minutes after midnight');
    expect(() =>
      parseProfile(
        '<Profile><loginIpRanges><startAddress>1.1.1.1</startAddress></loginIpRanges></Profile>',
        'c',
      ),
    ).toThrow('needs <startAddress> and <endAddress>');
    expect(() => parseProfile('<PermissionSet/>', 'd.profile-meta.xml')).toThrow(
      'expected a <Profile> root element',
    );
    expect(() =>
      parseProfile(
        '<Profile><objectPermissions><allowRead>true</allowRead></objectPermissions></Profile>',
        'e',
      ),
    ).toThrow('has no <object>');
    expect(() =>
      parseProfile(
        '<Profile><fieldPermissions><readable>true</readable></fieldPermissions></Profile>',
        'f',
      ),
    ).toThrow('has no <field>');
  });
});

describe('profile session settings', () => {
  it('sets the required session level of the named profile; none given means NONE', () => {
    const tree = readSourceTree(path.join(fixtures, 'predeploy'));
    expect(tree.sessionSettings).toEqual([
      {
        file: path.join(
          'force-app/main/default/profileSessionSettings',
          'Analytics Cloud Integration User %28Clone%29.profileSessionSetting-meta.xml',
        ),
        profile: 'Analytics Cloud Integration User (Clone)',
        requiredSessionLevel: 'HIGH_ASSURANCE',
      },
    ]);
    const { facts, provenance } = overlaySource(tree, healthy(), now);
    const clone = facts.profiles.find((p) => p.name === 'Analytics Cloud Integration User (Clone)');
    expect(clone?.requiredSessionLevel).toBe('HIGH_ASSURANCE');
    expect(provenance.sessionFiles.get('00e5g000001HIuC')).toContain('profileSessionSetting');
    expect(
      parseSessionSetting(
        '<ProfileSessionSetting><profile>P</profile><sessionTimeout>120</sessionTimeout></ProfileSessionSetting>',
        'x.profileSessionSetting-meta.xml',
      ).requiredSessionLevel,
    ).toBe('NONE');
    expect(() =>
      parseSessionSetting(
        '<ProfileSessionSetting><requiredSessionLevel>LOW</requiredSessionLevel></ProfileSessionSetting>',
        'Y.profileSessionSetting-meta.xml',
      ),
    ).toThrow(
      'Y.profileSessionSetting-meta.xml: <requiredSessionLevel> LOW is not STANDARD or HIGH_ASSURANCE',
    );
  });
});

describe('malformed files', () => {
  it('reports every unreadable file with its line', () => {
    let caught: unknown;
    try {
      readSourceTree(path.join(fixtures, 'broken'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SourceTreeError);
    const errors = (caught as SourceTreeError).errors;
    expect(errors.map((e) => [e.file, e.line])).toEqual([
      [path.join('profiles', 'Analytics Cloud Integration User.profile-meta.xml'), 7],
      [path.join('wave', 'Broken.wdf'), 4],
    ]);
    expect(errors[0].message).toMatch(/not well-formed XML: .*userPermissions/);
    expect(errors[1]).toBeInstanceOf(SourceFileError);
  });
});

describe('overlay on a baseline', () => {
  const catalog = compileCatalog(loadCatalogRecords());
  const tree = readSourceTree(path.join(fixtures, 'predeploy'));
  const baseline = healthy();
  const { facts, provenance, notes } = overlaySource(tree, baseline, now);

  it('keeps baseline ids, replaces the permission rows of the profiles in source, applies settings', () => {
    const clone = facts.profiles.find((p) => p.name === 'Analytics Cloud Integration User (Clone)');
    expect(clone?.id).toBe('00e5g000001HIuCAAG');
    expect(facts.fieldPermissions).toContainEqual({
      principalId: '00e5g000001HIuCAAG',
      field: 'Account.Industry',
      read: false,
    });
    expect(
      facts.fieldPermissions.filter(
        (f) => f.principalId === '00e5g000001HIuCAAG' && f.field === 'Account.Industry',
      ),
    ).toHaveLength(1);
    expect(facts.settings.enforceIpRangesEveryRequest).toBe(true);
    expect(facts.source).toBe('metadata');
    expect(provenance.profileFiles.size).toBe(2);
  });

  it('gives components found only in the source ids that stay distinct on 15 characters', () => {
    const twoProfiles = {
      ...tree,
      profiles: [
        ...tree.profiles,
        { ...tree.profiles[0], name: 'New One', file: 'a' },
        { ...tree.profiles[0], name: 'New Two', file: 'b' },
      ],
    };
    const ids = overlaySource(twoProfiles, baseline, now)
      .facts.profiles.filter((p) => p.name.startsWith('New'))
      .map((p) => p.id);
    expect(ids).toEqual(['00eSRC000000001AAA', '00eSRC000000002AAA']);
    const readers = facts.permissionSets.find((p) => p.name === 'Analytics_Readers');
    expect(readers?.id.slice(0, 15)).toBe('0PSSRC000000001');
    expect(facts.fieldPermissions).toContainEqual({
      principalId: readers?.id,
      field: 'Account.Industry',
      read: true,
    });
  });

  it('keeps the baseline permissions of a profile retrieved without permission sections', () => {
    const security = facts.profiles.find((p) => p.name === 'Analytics Cloud Security User');
    expect(security?.userPermissions).toEqual(['ApiEnabled']);
    expect(notes.join('\n')).toContain(
      "Analytics Cloud Security User.profile-meta.xml has no <userPermissions>, <objectPermissions>, <fieldPermissions> entries (retrieved without them): the baseline's stay",
    );
    expect(security?.rowsCollected).toBeUndefined();
    expect(facts.collectionErrors).toEqual([]);
  });

  it('replaces the baseline asset of the same name and lists other connections', () => {
    const pipeline = facts.analytics?.references.filter((r) => r.assetName === 'Sales Pipeline');
    expect(pipeline?.map((r) => r.object)).toEqual(['Opportunity', 'Account', 'SALES_TARGETS']);
    expect(facts.analytics?.connections).toContainEqual({
      name: 'Snowflake_Sales',
      type: 'Unknown',
      runAsUserId: null,
    });
  });

  it('reports the FLS the source removes, naming the assets that read the field', () => {
    const report = evaluate(validateOrgFacts(facts), catalog, { evaluatedAt: now.toISOString() });
    const industry = report.findings.find(
      (f) => f.ruleId === 'AH023' && f.subject.id === 'Account.Industry',
    );
    expect(industry?.status).toBe('FAIL');
    expect(industry?.message).toContain('Sales Pipeline');
    expect(report.externalReferences).toContainEqual(
      expect.objectContaining({ object: 'SALES_TARGETS', connectionName: 'Snowflake_Sales' }),
    );
  });
});

describe('overlay on an empty org', () => {
  const catalog = compileCatalog(loadCatalogRecords());

  it('holds the standard system users; a system profile the source lacks is unknown alone', () => {
    const tree = readSourceTree(path.join(fixtures, 'predeploy'));
    const { facts, notes } = overlaySource(tree, null, now);
    expect(facts.org.id).toBe(EMPTY_ORG_ID);
    expect(facts.users.map((u) => u.username)).toEqual([
      'integration@00d000000000000aaa.com',
      'insightssecurity@00d000000000000aaa.com',
    ]);
    expect(notes[0]).toContain('No baseline snapshot');
    // Per principal: the two standard profiles are unknown, nothing is unknown org-wide.
    for (const name of ['Analytics Cloud Integration User', 'Analytics Cloud Security User']) {
      const profile = facts.profiles.find((p) => p.name === name);
      expect(profile?.userPermissions).toBeNull();
      expect(profile?.rowsCollected).toEqual({ object: false, field: false });
    }
    const clone = facts.profiles.find((p) => p.name === 'Analytics Cloud Integration User (Clone)');
    expect(clone?.userPermissions).toEqual([
      'ApiEnabled',
      'ViewAllData',
      'ViewAllProfiles',
      'ViewSetup',
    ]);
    expect(clone?.rowsCollected).toBeUndefined();
    expect(facts.collectionErrors.map((e) => e.fact)).toEqual([
      'profiles.userPermissions',
      'objectPermissions',
      'fieldPermissions',
    ]);
    const why = facts.collectionErrors[0].message;
    expect(why).toContain('"Analytics Cloud Integration User" is not in the source');
    expect(why).toContain(
      'Analytics Cloud Security User.profile-meta.xml has no <userPermissions> entries',
    );
    // A principal no user holds needs no reason: the set only in the source is not named.
    expect(facts.collectionErrors.map((e) => e.message).join()).not.toContain('Analytics_Readers');
    const report = evaluate(validateOrgFacts(facts), catalog, { evaluatedAt: now.toISOString() });
    const ah020 = report.findings.filter((f) => f.ruleId === 'AH020');
    expect(ah020.map((f) => f.status)).toEqual(['NOT_EVALUATED']);
    expect(ah020[0].reason).toContain('"Analytics Cloud Integration User" is not in the source');
  });

  it('judges the standard profiles when the source holds them', () => {
    const tree = readSourceTree(path.join(fixtures, 'predeploy'));
    const integration = tree.profiles.find((p) => p.name.startsWith('Analytics Cloud Integration'));
    if (!integration) throw new Error('fixture changed');
    integration.name = 'Analytics Cloud Integration User';
    const security = tree.profiles.find((p) => p.name === 'Analytics Cloud Security User');
    if (!security) throw new Error('fixture changed');
    security.permissions = { userPermissions: ['ApiEnabled'], objects: [], fields: [] };
    const { facts } = overlaySource(tree, null, now);
    expect(facts.collectionErrors).toEqual([]);
    const report = evaluate(validateOrgFacts(facts), catalog, { evaluatedAt: now.toISOString() });
    const byRule = (id: string) => report.findings.filter((f) => f.ruleId === id);
    expect(byRule('AH020').map((f) => f.status)).toEqual(['PASS']);
    expect(
      byRule('AH033').find((f) => f.subject.label === 'Analytics Cloud Integration User')?.status,
    ).toBe('FAIL');
    // No schema in an empty org: the field cannot be judged as non-permissionable, and Read is missing.
    const industry = byRule('AH023').find((f) => f.subject.id === 'Account.Industry');
    expect(industry?.status).not.toBe('PASS');
  });
});
