import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DOMAIN_OPERATORS,
  FactsValidationError,
  OrgModel,
  SubjectDataError,
  SubjectResolver,
  buildCatalog,
  compile,
  compileCatalog,
  evaluate,
  formatValue,
  reportToCsv,
  scoreOf,
  validateOrgFacts,
  withoutNamespace,
  Unknown,
  type Finding,
} from '../healthEngine';
import { loadCatalogRecords } from '../../../../../../scripts/cli/lib/catalogSource';

const snapshots = path.resolve(__dirname, '../../../../../../scripts/cli/snapshots');
const load = (name: string) => JSON.parse(readFileSync(path.join(snapshots, name), 'utf8'));
const records = loadCatalogRecords();

describe('validateOrgFacts', () => {
  it('accepts the demo snapshots', () => {
    expect(validateOrgFacts(load('demo-broken-org.json')).org.name).toBe(
      'Northwind Outfitters UAT',
    );
    expect(validateOrgFacts(load('demo-healthy-org.json')).users).toHaveLength(2);
  });

  it.each([
    ['root', () => 5, '(root): expected object'],
    [
      'missing array',
      (f: Record<string, unknown>) => ({ ...f, users: undefined }),
      'users: expected a value (the field is missing)',
    ],
    ['wrong type', (f: Record<string, unknown>) => ({ ...f, users: {} }), 'users: expected array'],
    [
      'schema version',
      (f: Record<string, unknown>) => ({ ...f, schemaVersion: 2 }),
      'schemaVersion: expected 1',
    ],
    [
      'bad enum',
      (f: Record<string, unknown>) => ({ ...f, source: 'guess' }),
      'source: expected "apex" or "cli"',
    ],
    [
      'bad date',
      (f: Record<string, unknown>) => ({ ...f, collectedAt: 'yesterday' }),
      'collectedAt: expected ISO-8601',
    ],
    [
      'bad login day',
      (f: Record<string, unknown>) => {
        (f.profiles as Record<string, unknown>[])[0].loginHours = { funday: { start: 0, end: 60 } };
        return f;
      },
      'profiles[0].loginHours.funday: expected a day name',
    ],
    [
      'minutes out of range',
      (f: Record<string, unknown>) => {
        (f.profiles as Record<string, unknown>[])[0].loginHours = {
          monday: { start: 0, end: 2000 },
        };
        return f;
      },
      'profiles[0].loginHours.monday.end: expected whole minutes from 0 to 1440',
    ],
    [
      'nullable session level',
      (f: Record<string, unknown>) => {
        (f.profiles as Record<string, unknown>[])[1].requiredSessionLevel = 'LOW';
        return f;
      },
      'profiles[1].requiredSessionLevel: expected "NONE" or "STANDARD" or "HIGH_ASSURANCE" or null',
    ],
  ])('rejects %s with the JSON path', (_name, mutate, message) => {
    const facts = mutate(load('demo-healthy-org.json'));
    expect(() => validateOrgFacts(facts)).toThrow(FactsValidationError);
    expect(() => validateOrgFacts(facts)).toThrow(message);
  });
});

describe('catalog', () => {
  it('reads every shipped record with no problems and strips namespaces', () => {
    const catalog = buildCatalog(records);
    expect(catalog.problems).toEqual([]);
    expect(catalog.rules).toHaveLength(31);
    expect(catalog.lists.get('SALESFORCE_PUBLISHED_IP_RANGES')).toHaveLength(22);
    expect(catalog.lists.get('UNSUPPORTED_OBJECTS')).toEqual([]);
    expect(withoutNamespace({ ah__Condition__c: 1, Name: 2, ah__Thing__mdt: 3 })).toEqual({
      Condition__c: 1,
      Name: 2,
      ah__Thing__mdt: 3,
    });
  });

  it('turns each broken record into a problem naming the field', () => {
    const base = records.rules.find((r) => r.Rule_Id__c === 'AH004')!;
    const broken = [
      { ...base, Rule_Id__c: '1bad' },
      { ...base, Rule_Id__c: 'X01', Severity__c: 'SEVERE' },
      { ...base, Rule_Id__c: 'X02', Severity_Override__c: 'LOUD' },
      { ...base, Rule_Id__c: 'X03', Condition__c: '' },
      { ...base, Rule_Id__c: 'X04', Evidence__c: '[1]' },
      { ...base, Rule_Id__c: 'X05', Fail_Message__c: null },
      { ...base, Rule_Id__c: 'X06', Condition__c: '{"inList": ["NO_SUCH_LIST", 1]}' },
      { ...base, Rule_Id__c: 'X07', Condition__c: '{"hasPermission": [1]}' },
      { ...base },
    ];
    const compiled = compileCatalog({ rules: [base, ...broken], listEntries: records.listEntries });
    const problems = compiled.problems.map((p) => p.problem);
    expect(compiled.rules.map((r) => r.definition.id)).toEqual(['AH004']);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Rule_Id__c "1bad"'),
        expect.stringContaining('Severity__c "SEVERE"'),
        expect.stringContaining('Severity_Override__c "LOUD"'),
        expect.stringContaining('Condition__c is empty'),
        expect.stringContaining('Evidence__c must be a JSON object'),
        expect.stringContaining('Fail_Message__c is empty'),
        expect.stringContaining('NO_SUCH_LIST'),
        expect.stringContaining('takes 2 argument(s), got 1'),
        expect.stringContaining('used by another active record'),
      ]),
    );
    const report = evaluate(validateOrgFacts(load('demo-healthy-org.json')), compiled);
    expect(report.summary.errors).toBe(9);
    expect(report.findings.filter((f) => f.ruleId === 'AH004').map((f) => f.status)).toEqual([
      'PASS',
      'PASS',
      'ERROR',
    ]);
  });

  it('places a broken record among the rules by sort order, then id', () => {
    const ah001 = records.rules.find((r) => r.Rule_Id__c === 'AH001')!;
    const brokenFirst = { ...ah001, Rule_Id__c: 'AH000', Condition__c: 'not json' };
    const brokenAfter = { ...ah001, Rule_Id__c: 'AH001A', Condition__c: 'not json' };
    const compiled = compileCatalog({
      rules: [...records.rules, brokenAfter, brokenFirst],
      listEntries: records.listEntries,
    });
    const report = evaluate(validateOrgFacts(load('demo-healthy-org.json')), compiled);
    const order = [...new Set(report.findings.map((f) => f.ruleId))].slice(0, 4);
    // Same sort order as AH001: the ids decide.
    expect(order).toEqual(['AH000', 'AH001', 'AH001A', 'AH002']);
  });
});

describe('report', () => {
  const finding = (
    ruleId: string,
    status: Finding['status'],
    severity: Finding['severity'],
  ): Finding => ({
    ruleId,
    status,
    severity,
    subject: { type: 'org', id: 'org', label: 'org' },
    message: '',
  });

  it('scores per failing rule and caps any critical failure at 49', () => {
    expect(scoreOf([finding('A', 'PASS', 'CRITICAL')])).toBe(100);
    expect(
      scoreOf([
        finding('A', 'FAIL', 'WARNING'),
        finding('A', 'FAIL', 'WARNING'),
        finding('B', 'FAIL', 'INFO'),
      ]),
    ).toBe(94);
    expect(scoreOf([finding('A', 'FAIL', 'CRITICAL')])).toBe(49);
    expect(scoreOf(['A', 'B', 'C', 'D', 'E'].map((id) => finding(id, 'FAIL', 'CRITICAL')))).toBe(0);
    expect(
      scoreOf([finding('A', 'NOT_EVALUATED', 'CRITICAL'), finding('B', 'ERROR', 'CRITICAL')]),
    ).toBe(100);
  });

  it('formats template values', () => {
    expect(formatValue(['a', { label: 'b' }, { name: 'c' }, { display: 'd' }, { x: 1 }])).toBe(
      'a, b, c, d, {"x":1}',
    );
    expect(formatValue(new Unknown('why'))).toBe('unknown');
    expect(formatValue(null)).toBe('');
  });

  it('exports CSV with quoting for commas, quotes and line breaks', () => {
    const csv = reportToCsv({
      schemaVersion: 1,
      org: { id: 'x' },
      evaluatedAt: '',
      score: 0,
      summary: { critical: 0, warning: 0, info: 0, passed: 0, notEvaluated: 0, errors: 0 },
      findings: [{ ...finding('A', 'FAIL', 'INFO'), message: 'a, "b"\nc', remediation: ' padded' }],
      rules: [],
      externalReferences: [],
      systemUsers: [],
    });
    expect(csv).toBe(
      'ruleId,status,severity,subjectType,subjectId,subject,message,remediation,reason\r\nA,FAIL,INFO,org,org,org,"a, ""b""\nc"," padded",\r\n',
    );
  });

  it('evaluates a snapshot the same on any day (time windows use collectedAt)', () => {
    const facts = validateOrgFacts(load('demo-broken-org.json'));
    const compiled = compileCatalog(records);
    const a = evaluate(facts, compiled, { evaluatedAt: '2030-01-01T00:00:00Z' });
    const b = evaluate(facts, compiled, { evaluatedAt: '2026-11-23T00:00:00Z' });
    expect(a.findings).toEqual(b.findings);
    const changes = a.findings.find((f) => f.ruleId === 'AH041')!;
    expect(changes.status).toBe('FAIL');
    expect((changes.evidence!.events as unknown[]).length).toBe(6);
  });

  it('describes the system users with their own profiles', () => {
    const report = evaluate(
      validateOrgFacts(load('demo-broken-org.json')),
      compileCatalog(records),
    );
    expect(
      report.systemUsers.map((u) => [u.role, u.username, u.profile?.name, u.isFrozen]),
    ).toEqual([
      [
        'integrationUser',
        'integration@00d5g000004xyzaeak.com',
        'Analytics Cloud Integration User (Clone)',
        false,
      ],
      [
        'securityUser',
        'insightssecurity@00d5g000004xyzaeak.com',
        'Analytics Cloud Security User',
        true,
      ],
      [
        'customIntegrationUser',
        'sync.runner@northwind.example.uat',
        'Minimum Access - API Only Integrations',
        false,
      ],
    ]);
    expect(report.systemUsers[0].profile?.requiredSessionLevel).toBe('HIGH_ASSURANCE');
  });

  it('lists reads through other systems without judging them', () => {
    const report = evaluate(
      validateOrgFacts(load('demo-broken-org.json')),
      compileCatalog(records),
    );
    expect(report.externalReferences).toEqual([
      expect.objectContaining({
        assetName: 'Sales Pipeline',
        object: 'SALES_TARGETS',
        connectionType: 'SnowflakeDirect',
      }),
    ]);
    expect(report.findings.some((f) => f.subject.id === 'SALES_TARGETS')).toBe(false);
  });
});

describe('field access', () => {
  // The readable-field list is built per object then per field, and field reads
  // are matched case-insensitively through per-user indexes: pin both.
  const facts = () => {
    const f = validateOrgFacts(load('demo-healthy-org.json'));
    const integration = f.users.find((u) => u.username.startsWith('integration@'))!;
    const objects = ['Acc2', 'Acc', 'B_c'];
    f.schema = {
      objects: objects.map((name) => ({
        name,
        custom: false,
        namespace: null,
        fields: ['Zed', 'alpha', 'Mid'].map((field) => ({
          name: field,
          permissionable: true,
          securityClassification: 'Restricted',
        })),
      })),
    };
    f.fieldPermissions = objects.flatMap((object) =>
      ['zed', 'ALPHA', 'Mid'].map((field) => ({
        principalId: integration.profileId,
        field: `${object}.${field}`.toUpperCase(),
        read: true,
      })),
    );
    f.analytics!.references = [
      { assetType: 'recipe', assetName: 'R', object: 'acc', fields: ['ZED', 'Missing'] },
    ];
    f.analytics!.connections = [];
    return f;
  };

  it('lists readable sensitive fields in "object.field" order, whatever the case of the rows', () => {
    const report = evaluate(facts(), compileCatalog(records));
    const ids = report.findings.filter((x) => x.ruleId === 'AH026').map((x) => x.subject.id);
    const expected = ['Acc', 'Acc2', 'B_c'].flatMap((o) =>
      ['alpha', 'Mid', 'Zed'].map((f) => `${o}.${f}`),
    );
    expect(ids).toEqual(expected);
    expect([...expected].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))).toEqual(
      expected,
    );
    // Read by a recipe (through the reference "acc.ZED"): fine. Readable but unused: flagged.
    const status = (id: string) =>
      report.findings.find((x) => x.ruleId === 'AH026' && x.subject.id === id)?.status;
    expect(status('Acc.Zed')).toBe('PASS');
    expect(status('Acc.alpha')).toBe('FAIL');
  });

  it.each([
    ['with the read sets built before the field subjects', true],
    ['with the field subjects built first', false],
  ])('answers hasFieldRead alike for a field and for its name, %s', (_title, readsFirst) => {
    const f = facts();
    // "ACC.ZED" is spelled as the rows spell it; the others differ in case or are not granted.
    f.analytics!.references = [
      { assetType: 'recipe', assetName: 'R', object: 'ACC', fields: ['ZED', 'Mid', 'Nope'] },
      { assetType: 'recipe', assetName: 'S', object: 'Acc2', fields: ['zed', 'Alpha'] },
    ];
    const model = new OrgModel(f);
    const integration = model.integrationUser!;
    if (readsFirst) model.fieldReader(integration);
    const subjects = new SubjectResolver(model).subjects('referencedField');
    if (!Array.isArray(subjects)) throw new Error('expected field subjects');
    const env = { model, lists: new Map(), failingRuleIds: new Set<string>(), memo: new Map() };
    const byField = compile(
      { hasFieldRead: [{ var: 'runAs.id' }, { var: 'field' }] },
      DOMAIN_OPERATORS,
    );
    const byName = compile(
      { hasFieldRead: [{ var: 'runAs.id' }, { var: 'field.fullName' }] },
      DOMAIN_OPERATORS,
    );
    const answers = subjects.map((s) => [
      s.ref.id,
      byField(s.context, env),
      byName(s.context, env),
    ]);
    expect(answers).toEqual([
      ['ACC.ZED', true, true],
      ['ACC.Mid', true, true],
      ['ACC.Nope', false, false],
      ['Acc2.zed', true, true],
      ['Acc2.Alpha', true, true],
    ]);
    // Anything else that is an object is bad subject data, not a silent false.
    const byObject = compile(
      { hasFieldRead: [{ var: 'runAs.id' }, { var: 'object' }] },
      DOMAIN_OPERATORS,
    );
    expect(() => byObject(subjects[0].context, env)).toThrow(SubjectDataError);
    // A list reads as its text, as in the Apex engine: "ACC,ZED" is no field.
    const byList = compile(
      { hasFieldRead: [{ var: 'runAs.id' }, { merge: ['ACC.ZED'] }] },
      DOMAIN_OPERATORS,
    );
    expect(byList(subjects[0].context, env)).toBe(true);
    const byLongList = compile(
      { hasFieldRead: [{ var: 'runAs.id' }, { merge: ['ACC', 'ZED'] }] },
      DOMAIN_OPERATORS,
    );
    expect(byLongList(subjects[0].context, env)).toBe(false);
  });

  it('matches field-level security whatever the case of the reference', () => {
    const report = evaluate(facts(), compileCatalog(records));
    const byField = new Map(
      report.findings.filter((x) => x.ruleId === 'AH023').map((x) => [x.subject.id, x.status]),
    );
    expect(byField.get('acc.ZED')).toBe('PASS');
    expect(byField.get('acc.Missing')).toBe('NOT_EVALUATED');
  });
});
