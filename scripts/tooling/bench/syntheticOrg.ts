/**
 * Synthetic large orgs for `npm run bench`: sizes that real orgs reach, with the
 * shape of a real FLS table (most rows belong to profiles the rules never ask about).
 */
import {
  validateOrgFacts,
  type OrgFacts,
} from '../../../force-app/main/default/lwc/healthEngine/healthEngine';

const LIC = 'Analytics Cloud Integration User';

/** The sizes of a synthetic org (see syntheticOrgOf). */
export interface SyntheticSizes {
  objects: number;
  fieldsPerObject: number;
  users: number;
  /** Dataflows the references and jobs are spread over (default 40). */
  flows?: number;
  /** Dataflow jobs (default 200). */
  jobs?: number;
  /** Maps each generated 15-character Id (default: kept as it is). */
  id?: (id: string) => string;
  /**
   * Every n-th field of each object gets no read row for the Integration User's profile, so the
   * rule on referenced fields fails there (default: the profile reads every field).
   */
  unreadableEvery?: number;
}

/** A synthetic org: `scale` 1 = 2,000 objects × 100 fields read, ~1,000,000 FLS rows, 3,000 users. */
export function syntheticOrg(scale: number): OrgFacts {
  return syntheticOrgOf({ objects: 2000 * scale, fieldsPerObject: 100, users: 3000 * scale });
}

/**
 * A synthetic org of the given sizes: 50 profiles plus the Integration and Security User profiles,
 * the Integration profile reading every field of every object, four more FLS rows per field for
 * other profiles, and every object referenced by a dataflow.
 */
export function syntheticOrgOf(sizes: SyntheticSizes): OrgFacts {
  const { objects, fieldsPerObject, users } = sizes;
  const flows = sizes.flows ?? 40;
  const id = sizes.id ?? ((value: string) => value);
  const profiles = Array.from({ length: 50 }, (_, i) => ({
    id: id(`00e${String(i).padStart(12, '0')}`),
    name: `Profile ${i}`,
    isCustom: true,
    userLicense: 'Salesforce',
    requiredSessionLevel: 'NONE' as const,
    loginIpRanges: [],
    loginHours: {},
    userPermissions: ['ApiEnabled'],
  }));
  profiles.push(
    {
      id: id('00eIU0000000000'),
      name: 'Analytics Cloud Integration User (Clone)',
      isCustom: true,
      userLicense: LIC,
      requiredSessionLevel: 'NONE',
      loginIpRanges: [{ start: '10.0.0.0', end: '10.255.255.255' }] as never,
      loginHours: {},
      userPermissions: ['ApiEnabled', 'ViewAllData', 'ViewAllProfiles'],
    },
    {
      id: id('00eSU0000000000'),
      name: 'Analytics Cloud Security User',
      isCustom: false,
      userLicense: LIC,
      requiredSessionLevel: 'NONE',
      loginIpRanges: [],
      loginHours: {},
      userPermissions: ['ApiEnabled'],
    },
  );
  const objectNames = Array.from({ length: objects }, (_, i) => `Obj${i}__c`);
  const fieldNames = Array.from({ length: fieldsPerObject }, (_, j) => `Field${j}__c`);
  const integrationProfile = id('00eIU0000000000');
  const fieldPermissions = [];
  const objectPermissions = [];
  for (const object of objectNames) {
    objectPermissions.push({ principalId: integrationProfile, object, read: true, viewAll: true });
    for (const [index, field] of fieldNames.entries()) {
      if (!sizes.unreadableEvery || index % sizes.unreadableEvery !== 0) {
        fieldPermissions.push({
          principalId: integrationProfile,
          field: `${object}.${field}`,
          read: true,
        });
      }
      // Other profiles' rows: the bulk of a real org's FLS table.
      for (let p = 0; p < 4; p++) {
        fieldPermissions.push({
          principalId: profiles[(p * 7 + field.length) % 50].id,
          field: `${object}.${field}`,
          read: p % 2 === 0,
        });
      }
    }
  }
  return snapshotOf({
    schemaVersion: 1,
    collectedAt: '2026-11-20T08:00:00Z',
    source: 'snapshot',
    org: { id: '00D000000000001AAA', name: 'Synthetic', isSandbox: false },
    settings: {
      enforceIpRangesEveryRequest: false,
      profileFilteringEnabled: true,
      apiAccessControlEnabled: false,
    },
    users: [
      {
        id: id('005IU0000000000'),
        username: 'integration@00d000000000001aaa.com',
        isActive: true,
        isFrozen: false,
        userLicense: LIC,
        profileId: integrationProfile,
        permissionSetIds: [],
        permissionSetLicenses: [],
        packageLicenseNamespaces: [],
      },
      {
        id: id('005SU0000000000'),
        username: 'insightssecurity@00d000000000001aaa.com',
        isActive: true,
        isFrozen: false,
        userLicense: LIC,
        profileId: id('00eSU0000000000'),
        permissionSetIds: [],
        permissionSetLicenses: [],
        packageLicenseNamespaces: [],
      },
      ...Array.from({ length: users }, (_, i) => ({
        id: id(`005${String(i).padStart(12, '0')}`),
        username: `user${i}@example.com`,
        isActive: true,
        isFrozen: false,
        userLicense: 'Salesforce',
        profileId: profiles[i % 50].id,
        permissionSetIds: [],
        permissionSetLicenses: [],
        packageLicenseNamespaces: [],
      })),
    ],
    profiles,
    permissionSets: [],
    objectPermissions,
    fieldPermissions,
    schema: {
      objects: objectNames.map((name) => ({
        name,
        custom: true,
        namespace: null,
        fields: [
          { name: 'Id', type: 'id', permissionable: false },
          ...fieldNames.map((f, j) => ({
            name: f,
            type: 'string',
            permissionable: true,
            securityClassification: j === 0 ? 'Confidential' : null,
          })),
        ],
      })),
    },
    analytics: {
      connections: [{ name: 'SFDC_LOCAL', type: 'SfdcLocal', runAsUserId: null }],
      references: objectNames.map((object, i) => ({
        assetType: 'dataflow',
        assetName: `Flow ${i % flows}`,
        object,
        fields: ['Id', ...fieldNames],
      })),
      jobs: Array.from({ length: sizes.jobs ?? 200 }, (_, i) => ({
        id: id(`03C${String(i).padStart(12, '0')}`),
        name: `Flow ${i % flows}`,
        type: 'dataflow',
        status: i % 10 ? 'Success' : 'Failure',
        message: i % 10 ? null : 'Queue wait time exceeded limit',
        startedAt: '2026-11-19T02:00:00Z',
      })),
    },
    packageLicenses: [],
    auditTrail: [],
    collectionErrors: [],
  });
}

/**
 * The facts as a host receives them: serialised and parsed, like a snapshot file
 * or an Apex response. (Strings built in place would be slower to hash than
 * parsed ones and make the engine look worse than it is in real use.)
 */
function snapshotOf(facts: unknown): OrgFacts {
  return validateOrgFacts(JSON.parse(JSON.stringify(facts)));
}
