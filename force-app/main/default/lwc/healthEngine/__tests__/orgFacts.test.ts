import { FactsValidationError, validateOrgFacts } from '../orgFacts';

/** A small valid snapshot; each test breaks one thing. */
function facts(): Record<string, unknown> {
  const principal = (id: string, name: string) => ({
    id,
    name,
    isCustom: true,
    userLicense: 'Analytics Cloud Integration User',
    requiredSessionLevel: null,
    loginIpRanges: [],
    loginHours: {},
    userPermissions: ['ViewAllData'],
  });
  const user = (id: string, username: string) => ({
    id,
    username,
    isActive: true,
    isFrozen: false,
    userLicense: 'Analytics Cloud Integration User',
    profileId: '00e000000000001AAA',
    permissionSetIds: [],
    permissionSetLicenses: [],
    packageLicenseNamespaces: [],
  });
  return {
    schemaVersion: 1,
    collectedAt: '2026-11-20T08:00:00Z',
    source: 'snapshot',
    org: { id: '00D000000000001EAA', isSandbox: false },
    settings: {
      enforceIpRangesEveryRequest: null,
      profileFilteringEnabled: null,
      apiAccessControlEnabled: null,
    },
    users: [
      user('005000000000001AAA', 'integration@x.com'),
      user('005000000000002AAA', 'security@x.com'),
    ],
    profiles: [principal('00e000000000001AAA', 'One'), principal('00e000000000002AAA', 'Two')],
    permissionSets: [
      { id: '0PS000000000001GAA', name: 'A', type: 'permissionSet', userPermissions: [] },
      { id: '0PS000000000002GAA', name: 'B', type: 'group', userPermissions: [] },
    ],
    objectPermissions: [],
    fieldPermissions: [],
    schema: null,
    analytics: {
      connections: [],
      references: [],
      jobs: [
        {
          id: '03C000000000001EAA',
          name: 'j',
          type: 'dataflow',
          status: 'Success',
          message: null,
          startedAt: '2026-11-19T02:00:00+01:00',
        },
      ],
    },
    packageLicenses: null,
    auditTrail: null,
    collectionErrors: [],
  };
}

function rejection(value: unknown): string {
  try {
    validateOrgFacts(value);
  } catch (error) {
    expect(error).toBeInstanceOf(FactsValidationError);
    return (error as Error).message;
  }
  throw new Error('the facts were accepted');
}

const STRICT = 'expected ISO-8601 date-time with seconds and a zone (Z or ±hh:mm)';

describe('validateOrgFacts, v1.1 additions', () => {
  it('accepts the base snapshot', () => {
    expect(() => validateOrgFacts(facts())).not.toThrow();
  });

  it.each([
    ['2026-11-20', 'a date without a time'],
    ['1', 'a number as text'],
    ['2026-11-20T08:00Z', 'a time without seconds'],
    ['2026-11-20T08:00:00', 'a time without a zone'],
    ['2026-11-20T08:00:00+0100', 'a zone without a colon'],
    ['2026-13-20T08:00:00Z', 'a month that does not exist'],
  ])('rejects collectedAt %s (%s) with one line naming the field', (value) => {
    const message = rejection({ ...facts(), collectedAt: value });
    expect(message).toBe(`collectedAt: ${STRICT}`);
    expect(message).not.toContain('\n');
  });

  it('applies the same rule to job and audit timestamps', () => {
    const data = facts();
    const analytics = data.analytics as { jobs: { startedAt: string }[] };
    analytics.jobs[0].startedAt = '2026-11-19';
    expect(rejection(data)).toBe(`analytics.jobs[0].startedAt: ${STRICT}`);
    const audited = {
      ...facts(),
      auditTrail: [{ createdAt: '2026-11-19 10:00:00Z', action: 'x', section: null, display: 'x' }],
    };
    expect(rejection(audited)).toBe(`auditTrail[0].createdAt: ${STRICT}`);
  });

  it.each([
    ['users', '005000000000001', '005000000000001AAA'],
    ['profiles', '00e000000000001AAA', '00e000000000001AAA'],
    ['permissionSets', '0PS000000000001', '0PS000000000001GAA'],
  ])(
    'rejects a second %s entry with the same id (15/18 normalised), naming the id',
    (list, copy, first) => {
      const data = facts();
      const records = data[list] as { id: string }[];
      records[1].id = copy;
      expect(rejection(data)).toBe(
        `${list}[1].id: expected an id not used twice (${copy} is also ${list}[0].id)`,
      );
      expect(records[0].id).toBe(first);
    },
  );

  it('keeps ids that differ only in the case of their 15 characters apart', () => {
    const data = facts();
    const users = data.users as { id: string }[];
    users[0].id = '005000000000a01';
    users[1].id = '005000000000A01';
    expect(() => validateOrgFacts(data)).not.toThrow();
  });

  it('accepts unknown permissions and uncollected rows for one principal, and checks their shape', () => {
    const data = facts();
    const profile = (data.profiles as Record<string, unknown>[])[0];
    profile.userPermissions = null;
    profile.rowsCollected = { object: false, field: true };
    const set = (data.permissionSets as Record<string, unknown>[])[1];
    set.userPermissions = null;
    expect(() => validateOrgFacts(data)).not.toThrow();
    profile.rowsCollected = { object: false };
    expect(rejection(data)).toBe(
      'profiles[0].rowsCollected.field: expected a value (the field is missing)',
    );
    profile.rowsCollected = true;
    expect(rejection(data)).toBe('profiles[0].rowsCollected: expected object');
    profile.rowsCollected = undefined;
    profile.userPermissions = 'ViewAllData';
    expect(rejection(data)).toBe('profiles[0].userPermissions: expected array or null');
  });
});
