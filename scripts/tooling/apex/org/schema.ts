// The in-memory org's schema: the package's custom objects, custom settings and custom metadata
// types (read from force-app/main/default/objects), and a table of the standard and setup objects
// the package reads, with field names and types as the SOAP API Object Reference lists them.
// Only what the package and its tests touch is listed; an object or field that is not here does
// not exist in this org (SOQL and DML fail with the platform's "no such column" errors).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { ApexDecimal, type Value } from '../values';

/** Schema.DisplayType names (the describe's getType()). */
export type DisplayType =
  | 'ID'
  | 'STRING'
  | 'TEXTAREA'
  | 'BOOLEAN'
  | 'DOUBLE'
  | 'INTEGER'
  | 'LONG'
  | 'CURRENCY'
  | 'PERCENT'
  | 'DATE'
  | 'DATETIME'
  | 'TIME'
  | 'REFERENCE'
  | 'PICKLIST'
  | 'MULTIPICKLIST'
  | 'COMBOBOX'
  | 'EMAIL'
  | 'PHONE'
  | 'URL'
  | 'BASE64'
  | 'ADDRESS'
  | 'COMPLEXVALUE'
  | 'ANYTYPE'
  | 'DATACATEGORYGROUPREFERENCE'
  | 'ENCRYPTEDSTRING'
  | 'JSON'
  | 'LOCATION';

export const DISPLAY_TYPES: readonly DisplayType[] = [
  'ADDRESS',
  'ANYTYPE',
  'BASE64',
  'BOOLEAN',
  'COMBOBOX',
  'COMPLEXVALUE',
  'CURRENCY',
  'DATACATEGORYGROUPREFERENCE',
  'DATE',
  'DATETIME',
  'DOUBLE',
  'EMAIL',
  'ENCRYPTEDSTRING',
  'ID',
  'INTEGER',
  'JSON',
  'LOCATION',
  'LONG',
  'MULTIPICKLIST',
  'PERCENT',
  'PHONE',
  'PICKLIST',
  'REFERENCE',
  'STRING',
  'TEXTAREA',
  'TIME',
  'URL',
];

export interface FieldDef {
  /** API name as the describe spells it. */
  readonly name: string;
  readonly label: string;
  readonly type: DisplayType;
  readonly custom: boolean;
  readonly nillable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  /** DML refuses an insert without a value (REQUIRED_FIELD_MISSING). */
  readonly requiredOnCreate: boolean;
  /** Value a new record gets when none is given (checkbox defaults, IsActive, ...). */
  readonly defaultValue?: Value;
  readonly referenceTo: readonly string[];
  /** Parent relationship name ('Profile' for ProfileId), null for non-references. */
  readonly relationshipName: string | null;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly unique?: boolean;
  readonly caseSensitive?: boolean;
  readonly externalId?: boolean;
  readonly picklistValues?: readonly string[];
  readonly restrictedPicklist?: boolean;
  /** Field-level security applies (custom fields, most standard fields of data objects). */
  readonly permissionable: boolean;
  /** Long or rich text area (custom metadata statics truncate these). */
  readonly longText?: boolean;
  readonly autoNumberFormat?: string;
  readonly nameField?: boolean;
  /** Data classification (FieldDefinition.SecurityClassification / ComplianceGroup). */
  securityClassification?: string | null;
  complianceGroup?: string | null;
}

export interface ValidationRule {
  readonly name: string;
  readonly formula: string;
  readonly message: string;
  readonly displayField: string | null;
}

export type ObjectKind = 'standard' | 'setup' | 'custom' | 'setting' | 'metadata';
/** Org-wide default for records; 'None' for objects without record sharing (setup objects). */
export type SharingModel = 'Private' | 'Read' | 'ReadWrite' | 'None';

export interface ObjectDef {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string | null;
  readonly kind: ObjectKind;
  readonly custom: boolean;
  readonly settingType?: 'Hierarchy' | 'List';
  readonly sharingModel: SharingModel;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly deletable: boolean;
  /** Id of the object's definition (01I… for custom objects), EntityDefinition.DurableId. */
  readonly durableId: string;
  /** lower-case name → field. */
  readonly fields: Map<string, FieldDef>;
  /** lower-case parent relationship name → its reference field. */
  readonly relationships: Map<string, FieldDef>;
  /** lower-case child relationship name → child object and its reference field. */
  readonly childRelationships: Map<string, { object: string; field: string; name: string }>;
  readonly validationRules: ValidationRule[];
  /** Any of these user permissions opens a setup object to user-mode queries (special access rules). */
  readonly requiresAnyPermission?: readonly string[];
}

// ── standard objects ────────────────────────────────────────────────────────────────────────
//
// One line per field: 'Name:type[:flags]'. Types: string, textarea, boolean, double, int, long,
// currency, percent, date, datetime, picklist, multipicklist, email, phone, url, base64,
// ref>Target[,Target] (relationship name = field name without 'Id', or given after '@').
// Flags: r = required on create, ro = read-only, c = create-only (not updateable), u = unique,
// p = permissionable (field-level security applies), d=VALUE = default on create.

interface StdObject {
  prefix: string | null;
  label: string;
  plural: string;
  kind: 'standard' | 'setup';
  sharing: SharingModel;
  /** Which system fields the object has. */
  audit: 'full' | 'modstamp' | 'created' | 'none';
  owner?: boolean;
  dml?: 'crud' | 'cd' | 'ud' | 'u' | 'none';
  fields: string[];
  requiresAnyPermission?: string[];
}

/** The user permissions modelled as PermissionSet / Profile `Permissions*` fields. */
export const USER_PERMISSIONS = [
  'ApiEnabled',
  'ApiUserOnly',
  'AssignPermissionSets',
  'AuthorApex',
  'ChatterInternalUser',
  'CustomizeApplication',
  'EditReadonlyFields',
  'EmailMass',
  'EmailSingle',
  'ExportReport',
  'InsightsAppAdmin',
  'InsightsAppDashboardEditor',
  'InsightsAppEltEditor',
  'InsightsAppUploadUser',
  'InsightsAppUser',
  'InsightsCreateApplication',
  'LightningExperienceUser',
  'ManageCustomPermissions',
  'ManageDataIntegrations',
  'ManageInternalUsers',
  'ManageLoginAccessPolicies',
  'ManagePasswordPolicies',
  'ManageProfilesPermissionsets',
  'ManageRoles',
  'ManageSessionPermissionSets',
  'ManageSharing',
  'ManageUsers',
  'ModifyAllData',
  'PasswordNeverExpires',
  'QueryAllFiles',
  'ResetPasswords',
  'RunReports',
  'ViewAllCustomSettings',
  'ViewAllData',
  'ViewAllProfiles',
  'ViewAllUsers',
  'ViewEventLogFiles',
  'ViewHealthCheck',
  'ViewRoles',
  'ViewSetup',
];

const permissionFields = USER_PERMISSIONS.map((p) => `Permissions${p}:boolean`);

const STANDARD: Record<string, StdObject> = {
  Organization: {
    prefix: '00D',
    label: 'Organization',
    plural: 'Organizations',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'u',
    fields: [
      'Name:string',
      'Division:string',
      'City:string',
      'Country:string',
      'Phone:phone',
      'PrimaryContact:string',
      'DefaultLocaleSidKey:picklist',
      'LanguageLocaleKey:picklist',
      'TimeZoneSidKey:picklist',
      'OrganizationType:picklist:ro',
      'InstanceName:string:ro',
      'IsSandbox:boolean:ro',
      'NamespacePrefix:string:ro',
      'TrialExpirationDate:datetime:ro',
      'FiscalYearStartMonth:int:ro',
    ],
  },
  UserLicense: {
    prefix: '100',
    label: 'User License',
    plural: 'User Licenses',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'none',
    fields: [
      'Name:string:ro',
      'MasterLabel:string:ro',
      'LicenseDefinitionKey:string:ro',
      'Status:picklist:ro',
      'TotalLicenses:int:ro',
      'UsedLicenses:int:ro',
    ],
  },
  Profile: {
    prefix: '00e',
    label: 'Profile',
    plural: 'Profiles',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'none',
    fields: [
      'Name:string:r',
      'Description:string',
      'UserLicenseId:ref>UserLicense:c',
      'UserType:picklist:ro',
      ...permissionFields,
    ],
  },
  UserRole: {
    prefix: '00E',
    label: 'Role',
    plural: 'Roles',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'crud',
    fields: ['Name:string:r', 'DeveloperName:string', 'ParentRoleId:ref>UserRole'],
  },
  User: {
    prefix: '005',
    label: 'User',
    plural: 'Users',
    kind: 'setup',
    sharing: 'Read',
    audit: 'full',
    dml: 'crud',
    fields: [
      'Username:string:r:u',
      'LastName:string:r',
      'FirstName:string',
      'Name:string:ro',
      'Alias:string:r',
      'Email:email:r',
      'CommunityNickname:string',
      'EmailEncodingKey:picklist:r',
      'LanguageLocaleKey:picklist:r',
      'LocaleSidKey:picklist:r',
      'TimeZoneSidKey:picklist:r',
      'ProfileId:ref>Profile:r',
      'UserRoleId:ref>UserRole',
      'ManagerId:ref>User',
      'ContactId:ref>Contact',
      'AccountId:ref>Account:ro',
      'IsActive:boolean:d=true',
      'UserType:picklist:ro',
      'Title:string',
      'Department:string',
      'CompanyName:string',
      'Phone:phone',
      'FederationIdentifier:string',
      'LastLoginDate:datetime:ro',
    ],
  },
  UserLogin: {
    prefix: '060',
    label: 'User Login',
    plural: 'User Logins',
    kind: 'setup',
    sharing: 'None',
    audit: 'none',
    dml: 'u',
    requiresAnyPermission: ['ManageUsers'],
    fields: [
      'UserId:ref>User:ro',
      'IsFrozen:boolean',
      'IsPasswordLocked:boolean',
      'LastModifiedDate:datetime:ro',
      'LastModifiedById:ref>User:ro',
    ],
  },
  PermissionSet: {
    prefix: '0PS',
    label: 'Permission Set',
    plural: 'Permission Sets',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'crud',
    requiresAnyPermission: [
      'ViewSetup',
      'ManageSessionPermissionSets',
      'AssignPermissionSets',
      'ManageProfilesPermissionsets',
    ],
    fields: [
      'Name:string:r',
      'Label:string:r',
      'Description:string',
      'Type:picklist:ro',
      'IsOwnedByProfile:boolean:ro',
      'IsCustom:boolean:ro',
      'ProfileId:ref>Profile:ro',
      'LicenseId:ref>UserLicense,PermissionSetLicense:c',
      'PermissionSetGroupId:ref>PermissionSetGroup:ro',
      'NamespacePrefix:string:ro',
      'HasActivationRequired:boolean',
      ...permissionFields,
    ],
  },
  PermissionSetGroup: {
    prefix: '0PG',
    label: 'Permission Set Group',
    plural: 'Permission Set Groups',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'crud',
    fields: ['DeveloperName:string:r', 'MasterLabel:string:r', 'Status:picklist:ro'],
  },
  PermissionSetAssignment: {
    prefix: '0Pa',
    label: 'Permission Set Assignment',
    plural: 'Permission Set Assignments',
    kind: 'setup',
    sharing: 'None',
    audit: 'modstamp',
    dml: 'cd',
    requiresAnyPermission: ['ViewSetup', 'AssignPermissionSets', 'ManageUsers'],
    fields: [
      'AssigneeId:ref>User:r:c',
      'PermissionSetId:ref>PermissionSet:c',
      'PermissionSetGroupId:ref>PermissionSetGroup:c',
      'ExpirationDate:datetime',
      'IsActive:boolean:ro',
      'IsRevoked:boolean',
    ],
  },
  PermissionSetLicense: {
    prefix: '0PL',
    label: 'Permission Set License',
    plural: 'Permission Set Licenses',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'none',
    fields: [
      'DeveloperName:string:ro',
      'MasterLabel:string:ro',
      'Status:picklist:ro',
      'TotalLicenses:int:ro',
      'UsedLicenses:int:ro',
      'ExpirationDate:date:ro',
    ],
  },
  PermissionSetLicenseAssign: {
    prefix: '2LA',
    label: 'Permission Set License Assignment',
    plural: 'Permission Set License Assignments',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'cd',
    fields: ['AssigneeId:ref>User:r:c', 'PermissionSetLicenseId:ref>PermissionSetLicense:r:c'],
  },
  ObjectPermissions: {
    prefix: '110',
    label: 'Object Permissions',
    plural: 'Object Permissions',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'crud',
    requiresAnyPermission: ['ViewSetup'],
    fields: [
      'ParentId:ref>PermissionSet@Parent:r:c',
      'SobjectType:picklist:r:c',
      'PermissionsCreate:boolean',
      'PermissionsRead:boolean',
      'PermissionsEdit:boolean',
      'PermissionsDelete:boolean',
      'PermissionsViewAllRecords:boolean',
      'PermissionsModifyAllRecords:boolean',
      'PermissionsViewAllFields:boolean',
    ],
  },
  FieldPermissions: {
    prefix: '01k',
    label: 'Field Permissions',
    plural: 'Field Permissions',
    kind: 'setup',
    sharing: 'None',
    audit: 'modstamp',
    dml: 'crud',
    requiresAnyPermission: ['ViewSetup'],
    fields: [
      'ParentId:ref>PermissionSet@Parent:r:c',
      'SobjectType:picklist:r:c',
      'Field:picklist:r:c',
      'PermissionsRead:boolean',
      'PermissionsEdit:boolean',
    ],
  },
  SetupEntityAccess: {
    prefix: '0J0',
    label: 'Setup Entity Access',
    plural: 'Setup Entity Access',
    kind: 'setup',
    sharing: 'None',
    audit: 'modstamp',
    dml: 'cd',
    requiresAnyPermission: ['ViewSetup'],
    fields: [
      'ParentId:ref>PermissionSet@Parent:r:c',
      'SetupEntityId:ref>ApexClass,CustomPermission,CustomEntityDefinition,ConnectedApplication@SetupEntity:r:c',
      'SetupEntityType:string:ro',
    ],
  },
  // Read-only in an org (installed through Setup > Connected Apps OAuth Usage); tests mock its rows.
  ConnectedApplication: {
    prefix: '0H4',
    label: 'Connected App',
    plural: 'Connected Apps',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'none',
    requiresAnyPermission: ['ViewSetup'],
    fields: ['Name:string:ro', 'OptionsAllowAdminApprovedUsersOnly:boolean:ro'],
  },
  CustomPermission: {
    prefix: '0CP',
    label: 'Custom Permission',
    plural: 'Custom Permissions',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'none',
    fields: [
      'DeveloperName:string:ro',
      'MasterLabel:string:ro',
      'NamespacePrefix:string:ro',
      'Description:textarea:ro',
      'IsLicensed:boolean:ro',
    ],
  },
  CustomEntityDefinition: {
    prefix: '01I',
    label: 'Custom Object Definition',
    plural: 'Custom Object Definitions',
    kind: 'setup',
    sharing: 'None',
    audit: 'none',
    dml: 'none',
    fields: ['DeveloperName:string:ro', 'NamespacePrefix:string:ro'],
  },
  EntityDefinition: {
    prefix: null,
    label: 'Entity Definition',
    plural: 'Entity Definitions',
    kind: 'setup',
    sharing: 'None',
    audit: 'none',
    dml: 'none',
    fields: [
      'DurableId:string:ro',
      'QualifiedApiName:string:ro',
      'DeveloperName:string:ro',
      'Label:string:ro',
      'PluralLabel:string:ro',
      'KeyPrefix:string:ro',
      'NamespacePrefix:string:ro',
      'IsCustomSetting:boolean:ro',
      'IsQueryable:boolean:ro',
      'IsCustomizable:boolean:ro',
    ],
  },
  FieldDefinition: {
    prefix: null,
    label: 'Field Definition',
    plural: 'Field Definitions',
    kind: 'setup',
    sharing: 'None',
    audit: 'none',
    dml: 'none',
    fields: [
      'DurableId:string:ro',
      'QualifiedApiName:string:ro',
      'DeveloperName:string:ro',
      'Label:string:ro',
      'DataType:string:ro',
      'EntityDefinitionId:ref>EntityDefinition:ro',
      'NamespacePrefix:string:ro',
      'SecurityClassification:picklist:ro',
      'ComplianceGroup:multipicklist:ro',
      'BusinessStatus:picklist:ro',
      'IsNillable:boolean:ro',
      'IsCalculated:boolean:ro',
      'Length:int:ro',
      'Precision:int:ro',
      'Scale:int:ro',
      'Description:textarea:ro',
    ],
  },
  UserPackageLicense: {
    prefix: '051',
    label: 'User Package License',
    plural: 'User Package Licenses',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'cd',
    fields: ['UserId:ref>User:r:c', 'PackageLicenseId:ref>PackageLicense:r:c'],
  },
  PackageLicense: {
    prefix: '050',
    label: 'Package License',
    plural: 'Package Licenses',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'none',
    fields: [
      'NamespacePrefix:string:ro',
      'Status:picklist:ro',
      'AllowedLicenses:int:ro',
      'UsedLicenses:int:ro',
      'ExpirationDate:datetime:ro',
      'IsProvisioned:boolean:ro',
    ],
  },
  SetupAuditTrail: {
    prefix: '0Ym',
    label: 'Setup Audit Trail',
    plural: 'Setup Audit Trails',
    kind: 'setup',
    sharing: 'None',
    audit: 'created',
    dml: 'none',
    requiresAnyPermission: ['ViewSetup'],
    fields: [
      'Action:string:ro',
      'Section:string:ro',
      'Display:string:ro',
      'DelegateUser:string:ro',
      'CreatedByContext:string:ro',
      'CreatedByIssuer:string:ro',
      'ResponsibleNamespacePrefix:string:ro',
    ],
  },
  CronJobDetail: {
    prefix: '08a',
    label: 'Cron Job Detail',
    plural: 'Cron Job Details',
    kind: 'setup',
    sharing: 'None',
    audit: 'none',
    dml: 'none',
    fields: ['Name:string:ro', 'JobType:picklist:ro'],
  },
  CronTrigger: {
    prefix: '08e',
    label: 'Scheduled Job',
    plural: 'Scheduled Jobs',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'none',
    fields: [
      'CronExpression:string:ro',
      'CronJobDetailId:ref>CronJobDetail:ro',
      'EndTime:datetime:ro',
      'NextFireTime:datetime:ro',
      'OwnerId:ref>User:ro',
      'PreviousFireTime:datetime:ro',
      'StartTime:datetime:ro',
      'State:string:ro',
      'TimeZoneSidKey:picklist:ro',
      'TimesTriggered:int:ro',
    ],
  },
  ApexClass: {
    prefix: '01p',
    label: 'Apex Class',
    plural: 'Apex Classes',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'none',
    fields: [
      'Name:string:ro',
      'NamespacePrefix:string:ro',
      'ApiVersion:double:ro',
      'Status:picklist:ro',
      'IsValid:boolean:ro',
    ],
  },
  AsyncApexJob: {
    prefix: '707',
    label: 'Apex Job',
    plural: 'Apex Jobs',
    kind: 'setup',
    sharing: 'None',
    audit: 'created',
    dml: 'none',
    fields: [
      'ApexClassId:ref>ApexClass:ro',
      'CompletedDate:datetime:ro',
      'ExtendedStatus:string:ro',
      'JobItemsProcessed:int:ro',
      'JobType:picklist:ro',
      'MethodName:string:ro',
      'NumberOfErrors:int:ro',
      'ParentJobId:ref>AsyncApexJob:ro',
      'Status:picklist:ro',
      'TotalJobItems:int:ro',
      'CronTriggerId:ref>CronTrigger:ro',
    ],
  },
  ContentDocument: {
    prefix: '069',
    label: 'Content Document',
    plural: 'Content Documents',
    kind: 'standard',
    sharing: 'ReadWrite',
    audit: 'full',
    owner: true,
    dml: 'ud',
    fields: [
      'Title:string',
      'Description:textarea',
      'LatestPublishedVersionId:ref>ContentVersion:ro',
      'FileType:string:ro',
      'FileExtension:string:ro',
      'ContentSize:int:ro',
      'PublishStatus:picklist:ro',
      'ParentId:ref>ContentWorkspace:ro',
      'IsArchived:boolean:ro',
    ],
  },
  ContentVersion: {
    prefix: '068',
    label: 'Content Version',
    plural: 'Content Versions',
    kind: 'standard',
    sharing: 'ReadWrite',
    audit: 'full',
    owner: true,
    dml: 'crud',
    fields: [
      'Title:string',
      'PathOnClient:string:c',
      'VersionData:base64:c',
      'ContentDocumentId:ref>ContentDocument:c',
      'FirstPublishLocationId:ref>*:c',
      'IsLatest:boolean:ro',
      'VersionNumber:string:ro',
      'FileType:string:ro',
      'FileExtension:string:ro',
      'ContentSize:int:ro',
      'Checksum:string:ro',
      'Description:textarea',
      'ReasonForChange:string',
      'ContentLocation:picklist:c:d=S',
      'Origin:picklist:c:d=C',
      'IsMajorVersion:boolean:c:d=true',
      'SharingPrivacy:picklist:d=N',
      'SharingOption:picklist:d=A',
    ],
  },
  ContentWorkspace: {
    prefix: '058',
    label: 'Library',
    plural: 'Libraries',
    kind: 'standard',
    sharing: 'None',
    audit: 'full',
    dml: 'none',
    fields: ['Name:string:ro'],
  },
  ContentDocumentLink: {
    prefix: '06A',
    label: 'Content Document Link',
    plural: 'Content Document Links',
    kind: 'standard',
    sharing: 'None',
    audit: 'modstamp',
    dml: 'cd',
    fields: [
      'ContentDocumentId:ref>ContentDocument:r:c',
      'LinkedEntityId:ref>*:r:c',
      'ShareType:picklist:d=V',
      'Visibility:picklist:d=AllUsers',
    ],
  },
  CustomNotificationType: {
    prefix: '0ML',
    label: 'Custom Notification Type',
    plural: 'Custom Notification Types',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'none',
    fields: [
      'DeveloperName:string:ro',
      'MasterLabel:string:ro',
      'CustomNotifTypeName:string:ro',
      'Description:string:ro',
      'Desktop:boolean:ro',
      'Mobile:boolean:ro',
      'NamespacePrefix:string:ro',
    ],
  },
  StaticResource: {
    prefix: '081',
    label: 'Static Resource',
    plural: 'Static Resources',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    dml: 'none',
    fields: [
      'Name:string:ro',
      'NamespacePrefix:string:ro',
      'ContentType:string:ro',
      'BodyLength:int:ro',
      'Body:base64:ro',
      'Description:textarea:ro',
      'CacheControl:picklist:ro',
    ],
  },
  Group: {
    prefix: '00G',
    label: 'Group',
    plural: 'Groups',
    kind: 'setup',
    sharing: 'None',
    audit: 'full',
    owner: true,
    dml: 'crud',
    fields: [
      'Name:string:r',
      'DeveloperName:string',
      'Type:picklist:c:d=Regular',
      'RelatedId:ref>User,UserRole:ro',
      'Email:email',
      'DoesIncludeBosses:boolean:d=true',
      'DoesSendEmailToMembers:boolean',
    ],
  },
  GroupMember: {
    prefix: '011',
    label: 'Group Member',
    plural: 'Group Members',
    kind: 'setup',
    sharing: 'None',
    audit: 'modstamp',
    dml: 'cd',
    fields: ['GroupId:ref>Group:r:c', 'UserOrGroupId:ref>User,Group:r:c'],
  },
  Account: {
    prefix: '001',
    label: 'Account',
    plural: 'Accounts',
    kind: 'standard',
    sharing: 'ReadWrite',
    audit: 'full',
    owner: true,
    dml: 'crud',
    fields: [
      'Name:string:r',
      'Type:picklist:p',
      'Industry:picklist:p',
      'ParentId:ref>Account:p',
      'AccountNumber:string:p',
      'Phone:phone:p',
      'Website:url:p',
      'AnnualRevenue:currency:p',
      'NumberOfEmployees:int:p',
      'Description:textarea:p',
      'BillingCity:string:p',
      'BillingCountry:string:p',
    ],
  },
  Contact: {
    prefix: '003',
    label: 'Contact',
    plural: 'Contacts',
    kind: 'standard',
    sharing: 'ReadWrite',
    audit: 'full',
    owner: true,
    dml: 'crud',
    fields: [
      'LastName:string:r',
      'FirstName:string',
      'Name:string:ro',
      'AccountId:ref>Account:p',
      'Email:email:p',
      'Phone:phone:p',
      'Birthdate:date:p',
      'Title:string:p',
      'Department:string:p',
    ],
  },
};

/** Field lengths the Object Reference gives for the standard text fields that DML checks. */
const LENGTHS: Record<string, number> = {
  'user.username': 80,
  'user.lastname': 80,
  'user.firstname': 40,
  'user.alias': 8,
  'user.email': 128,
  'user.communitynickname': 40,
  'account.name': 255,
  'contact.lastname': 80,
  'contentversion.title': 255,
  'permissionset.name': 80,
  'permissionset.label': 80,
};

const TYPE_NAMES: Record<string, DisplayType> = {
  string: 'STRING',
  textarea: 'TEXTAREA',
  boolean: 'BOOLEAN',
  double: 'DOUBLE',
  int: 'INTEGER',
  long: 'LONG',
  currency: 'CURRENCY',
  percent: 'PERCENT',
  date: 'DATE',
  datetime: 'DATETIME',
  picklist: 'PICKLIST',
  multipicklist: 'MULTIPICKLIST',
  email: 'EMAIL',
  phone: 'PHONE',
  url: 'URL',
  base64: 'BASE64',
};

function labelOf(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/Id$/, ' ID')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
}

function stdField(objectName: string, spec: string): FieldDef {
  const [name, typeSpec, ...flags] = spec.split(':');
  const flag = (f: string) => flags.includes(f);
  const defaultFlag = flags.find((f) => f.startsWith('d='));
  let type: DisplayType;
  let referenceTo: string[] = [];
  let relationshipName: string | null = null;
  if (typeSpec.startsWith('ref>')) {
    type = 'REFERENCE';
    const [targets, rel] = typeSpec.slice(4).split('@');
    referenceTo = targets === '*' ? ['*'] : targets.split(',');
    relationshipName = rel ?? name.replace(/Id$/, '');
  } else {
    const mapped = TYPE_NAMES[typeSpec];
    if (!mapped) throw new Error(`schema: unknown type ${typeSpec} of ${objectName}.${name}`);
    type = mapped;
  }
  const readOnly = flag('ro');
  const isBoolean = type === 'BOOLEAN';
  let defaultValue: Value | undefined;
  if (defaultFlag) {
    const raw = defaultFlag.slice(2);
    defaultValue = isBoolean ? raw === 'true' : raw;
  } else if (isBoolean) {
    defaultValue = false;
  }
  return {
    name,
    label: labelOf(name),
    type,
    custom: false,
    nillable: !isBoolean && !flag('r'),
    createable: !readOnly,
    updateable: !readOnly && !flag('c'),
    requiredOnCreate: flag('r'),
    defaultValue,
    referenceTo,
    relationshipName,
    length: LENGTHS[`${objectName}.${name}`.toLowerCase()],
    unique: flag('u'),
    permissionable: flag('p'),
  };
}

const idField = (): FieldDef => ({
  name: 'Id',
  label: 'Record ID',
  type: 'ID',
  custom: false,
  nillable: false,
  createable: false,
  updateable: false,
  requiredOnCreate: false,
  referenceTo: [],
  relationshipName: null,
  permissionable: false,
});

function systemFields(audit: StdObject['audit'], owner: boolean): FieldDef[] {
  const specs: string[] = [];
  if (owner) specs.push('OwnerId:ref>User,Group@Owner:c');
  if (audit === 'full' || audit === 'created') {
    specs.push('CreatedDate:datetime:ro', 'CreatedById:ref>User@CreatedBy:ro');
  }
  if (audit === 'full') {
    specs.push('LastModifiedDate:datetime:ro', 'LastModifiedById:ref>User@LastModifiedBy:ro');
  }
  if (audit !== 'none') specs.push('SystemModstamp:datetime:ro');
  if (audit === 'full') specs.push('IsDeleted:boolean:ro');
  const fields = specs.map((s) => stdField('', s));
  // OwnerId is updateable (ownership transfer); stdField made it create-only only via 'c'.
  return fields.map((f) =>
    f.name === 'OwnerId' ? { ...f, updateable: true, nillable: false } : f,
  );
}

// ── custom metadata from source ─────────────────────────────────────────────────────────────

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ['values', 'value', 'fieldPermissions', 'objectPermissions'].includes(name),
});

export function parseXml(text: string): Record<string, unknown> {
  return xml.parse(text) as Record<string, unknown>;
}

type XmlNode = Record<string, unknown>;
const text = (node: unknown): string | undefined =>
  typeof node === 'string' ? node : node === undefined || node === null ? undefined : String(node);

function customFieldType(type: string | undefined, file: string): DisplayType {
  switch (type) {
    case 'Text':
    case 'AutoNumber':
      return 'STRING';
    case 'TextArea':
    case 'LongTextArea':
    case 'Html':
      return 'TEXTAREA';
    case 'Checkbox':
      return 'BOOLEAN';
    case 'Number':
      return 'DOUBLE';
    case 'Currency':
      return 'CURRENCY';
    case 'Percent':
      return 'PERCENT';
    case 'Date':
      return 'DATE';
    case 'DateTime':
      return 'DATETIME';
    case 'Time':
      return 'TIME';
    case 'Picklist':
      return 'PICKLIST';
    case 'MultiselectPicklist':
      return 'MULTIPICKLIST';
    case 'Lookup':
    case 'MasterDetail':
      return 'REFERENCE';
    case 'Email':
      return 'EMAIL';
    case 'Phone':
      return 'PHONE';
    case 'Url':
      return 'URL';
    default:
      throw new Error(`schema: field type ${type} of ${file} is not modelled`);
  }
}

function customField(node: XmlNode, file: string, kind: ObjectKind): FieldDef {
  const name = text(node.fullName)!;
  const typeName = text(node.type);
  const type = customFieldType(typeName, file);
  const required = text(node.required) === 'true' || typeName === 'MasterDetail';
  const values = ((node.valueSet as XmlNode | undefined)?.valueSetDefinition as XmlNode | undefined)
    ?.value as XmlNode[] | undefined;
  const rawDefault = text(node.defaultValue);
  let defaultValue: Value | undefined;
  if (type === 'BOOLEAN') defaultValue = rawDefault === 'true';
  else if (rawDefault !== undefined) {
    // Formula defaults: only literals are modelled.
    if (/^".*"$/.test(rawDefault)) defaultValue = rawDefault.slice(1, -1);
    else if (/^-?\d+(\.\d+)?$/.test(rawDefault)) defaultValue = ApexDecimal.parse(rawDefault);
    else throw new Error(`schema: default value formula ${rawDefault} of ${file} is not modelled`);
  }
  const length = text(node.length);
  const precision = text(node.precision);
  const scale = text(node.scale);
  return {
    name,
    label: text(node.label) ?? labelOf(name),
    type,
    custom: true,
    nillable: type !== 'BOOLEAN' && !required,
    createable: true,
    updateable: typeName !== 'MasterDetail' || text(node.reparentableMasterDetail) === 'true',
    // Custom metadata records are not DML'd; their required flag is a deploy-time check.
    requiredOnCreate: required && kind !== 'metadata',
    defaultValue,
    referenceTo: type === 'REFERENCE' ? [text(node.referenceTo)!] : [],
    relationshipName: type === 'REFERENCE' ? name.replace(/__c$/, '__r') : null,
    length: length ? Number(length) : typeName === 'TextArea' ? 255 : undefined,
    precision: precision ? Number(precision) : undefined,
    scale: scale ? Number(scale) : undefined,
    unique: text(node.unique) === 'true',
    caseSensitive: text(node.caseSensitive) === 'true',
    externalId: text(node.externalId) === 'true',
    picklistValues: values?.map((v) => text(v.fullName)!),
    restrictedPicklist: text((node.valueSet as XmlNode | undefined)?.restricted) === 'true',
    permissionable: !required && typeName !== 'MasterDetail' && kind !== 'metadata',
    longText: typeName === 'LongTextArea' || typeName === 'Html',
    securityClassification: text(node.securityClassification) ?? null,
    complianceGroup: text(node.complianceGroup) ?? null,
  };
}

// ── the schema ──────────────────────────────────────────────────────────────────────────────

export class OrgSchema {
  /** lower-case API name → object. */
  readonly objects = new Map<string, ObjectDef>();
  private readonly byPrefix = new Map<string, ObjectDef>();

  add(def: ObjectDef): void {
    this.objects.set(def.name.toLowerCase(), def);
    if (def.keyPrefix) this.byPrefix.set(def.keyPrefix, def);
  }

  get(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  /** The object an Id belongs to, by its key prefix. */
  objectOfId(id: string): ObjectDef | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }

  field(object: ObjectDef, name: string): FieldDef | undefined {
    return object.fields.get(name.toLowerCase());
  }

  /** Rebuilds child relationships after all objects are added. */
  link(): void {
    for (const def of this.objects.values()) {
      for (const field of def.fields.values()) {
        if (field.type !== 'REFERENCE' || !field.relationshipName) continue;
        for (const target of field.referenceTo) {
          const parent = this.get(target);
          if (!parent) continue;
          const childName = childRelationshipName(def, field);
          if (childName && !parent.childRelationships.has(childName.toLowerCase())) {
            parent.childRelationships.set(childName.toLowerCase(), {
              object: def.name,
              field: field.name,
              name: childName,
            });
          }
        }
      }
    }
  }
}

// Child relationship names the package may use: custom lookups name theirs in the field XML;
// standard ones are the plural label without spaces (Contacts, Users, ...).
const childRelationshipNames = new Map<string, string>();
function childRelationshipName(child: ObjectDef, field: FieldDef): string | null {
  const custom = childRelationshipNames.get(`${child.name}.${field.name}`.toLowerCase());
  if (custom) return custom;
  if (field.custom) return null;
  if (['OwnerId', 'CreatedById', 'LastModifiedById'].includes(field.name)) return null;
  return child.labelPlural.replace(/\s+/g, '');
}

function makeObject(
  partial: Omit<ObjectDef, 'fields' | 'relationships' | 'childRelationships' | 'validationRules'>,
  fields: FieldDef[],
  validationRules: ValidationRule[] = [],
): ObjectDef {
  const map = new Map<string, FieldDef>();
  const relationships = new Map<string, FieldDef>();
  for (const f of fields) {
    map.set(f.name.toLowerCase(), f);
    if (f.relationshipName) relationships.set(f.relationshipName.toLowerCase(), f);
  }
  return {
    ...partial,
    fields: map,
    relationships,
    childRelationships: new Map(),
    validationRules,
  };
}

function standardObjects(schema: OrgSchema): void {
  for (const [name, std] of Object.entries(STANDARD)) {
    const fields = [
      idField(),
      ...systemFields(std.audit, std.owner ?? false),
      ...std.fields.map((f) => stdField(name, f)),
    ];
    const dml = std.dml ?? 'crud';
    schema.add(
      makeObject(
        {
          name,
          label: std.label,
          labelPlural: std.plural,
          keyPrefix: std.prefix,
          kind: std.kind,
          custom: false,
          sharingModel: std.sharing,
          createable: dml === 'crud' || dml === 'cd',
          updateable: dml === 'crud' || dml === 'ud' || dml === 'u',
          deletable: dml === 'crud' || dml === 'cd' || dml === 'ud',
          durableId: name,
          requiresAnyPermission: std.requiresAnyPermission,
        },
        fields,
      ),
    );
  }
}

/** Key prefixes the org gives the package's own objects (a00…, m00…), in folder order. */
function customPrefix(kind: ObjectKind, index: number): string {
  const letter = kind === 'metadata' ? 'm' : 'a';
  return `${letter}${index.toString(36).padStart(2, '0')}`;
}

function readCustomObjects(schema: OrgSchema, objectsDir: string): void {
  if (!existsSync(objectsDir)) return;
  let dataIndex = 0;
  let mdtIndex = 0;
  let definitionIndex = 1;
  for (const dir of readdirSync(objectsDir).sort()) {
    const metaFile = join(objectsDir, dir, `${dir}.object-meta.xml`);
    if (!existsSync(metaFile)) continue;
    const meta = parseXml(readFileSync(metaFile, 'utf8')).CustomObject as XmlNode;
    const isMetadata = dir.endsWith('__mdt');
    const settingType = text(meta.customSettingsType) as 'Hierarchy' | 'List' | undefined;
    const kind: ObjectKind = isMetadata ? 'metadata' : settingType ? 'setting' : 'custom';
    const fieldsDir = join(objectsDir, dir, 'fields');
    const custom: FieldDef[] = existsSync(fieldsDir)
      ? readdirSync(fieldsDir)
          .filter((f) => f.endsWith('.field-meta.xml'))
          .sort()
          .map((f) => {
            const node = parseXml(readFileSync(join(fieldsDir, f), 'utf8')).CustomField as XmlNode;
            const def = customField(node, `${dir}/fields/${f}`, kind);
            const rel = text(node.relationshipName);
            if (rel) childRelationshipNames.set(`${dir}.${def.name}`.toLowerCase(), `${rel}__r`);
            return def;
          })
      : [];
    const rulesDir = join(objectsDir, dir, 'validationRules');
    const rules: ValidationRule[] = existsSync(rulesDir)
      ? readdirSync(rulesDir)
          .sort()
          .map((f) => parseXml(readFileSync(join(rulesDir, f), 'utf8')).ValidationRule as XmlNode)
          .filter((r) => text(r.active) === 'true')
          .map((r) => ({
            name: text(r.fullName)!,
            formula: text(r.errorConditionFormula)!,
            message: text(r.errorMessage)!,
            displayField: text(r.errorDisplayField) ?? null,
          }))
      : [];
    const nameField = meta.nameField as XmlNode | undefined;
    const system: FieldDef[] = [idField()];
    if (isMetadata) {
      for (const spec of [
        'DeveloperName:string:r',
        'MasterLabel:string:r',
        'Label:string',
        'Language:picklist',
        'NamespacePrefix:string:ro',
        'QualifiedApiName:string:ro',
        'SystemModstamp:datetime:ro',
      ]) {
        system.push(stdField(dir, spec));
      }
    } else {
      system.push(...systemFields('full', kind === 'custom'));
      const autoNumber = text(nameField?.type) === 'AutoNumber';
      system.push({
        ...stdField(dir, autoNumber ? 'Name:string:ro' : 'Name:string'),
        label: text(nameField?.label) ?? 'Name',
        autoNumberFormat: autoNumber ? text(nameField?.displayFormat) : undefined,
        nameField: true,
        length: 80,
        // Custom settings require a Name, except hierarchy ones (the platform fills it in).
        requiredOnCreate: settingType === 'List',
      });
      if (settingType === 'Hierarchy')
        system.push(stdField(dir, 'SetupOwnerId:ref>Organization,Profile,User@SetupOwner:c'));
    }
    const sharing = text(meta.sharingModel);
    const index = isMetadata ? mdtIndex++ : dataIndex++;
    schema.add(
      makeObject(
        {
          name: dir,
          label: text(meta.label) ?? dir,
          labelPlural: text(meta.pluralLabel) ?? text(meta.label) ?? dir,
          keyPrefix: customPrefix(kind, index),
          kind,
          custom: true,
          settingType,
          sharingModel:
            kind === 'custom'
              ? sharing === 'Private' || sharing === 'Read'
                ? sharing
                : sharing === 'ReadWrite' || sharing === undefined
                  ? 'ReadWrite'
                  : unsupportedSharing(dir, sharing)
              : 'None',
          createable: !isMetadata,
          updateable: !isMetadata,
          deletable: !isMetadata,
          durableId: `01I000000000${String(definitionIndex++).padStart(3, '0')}`,
        },
        [...system, ...custom],
        rules,
      ),
    );
  }
}

function unsupportedSharing(object: string, model: string): never {
  throw new Error(`schema: sharing model ${model} of ${object} is not modelled`);
}

/** The schema of the project: standard objects plus force-app/main/default/objects. */
export function loadSchema(projectRoot: string): OrgSchema {
  const schema = new OrgSchema();
  standardObjects(schema);
  readCustomObjects(schema, join(projectRoot, 'force-app', 'main', 'default', 'objects'));
  schema.link();
  return schema;
}

/** Whether a field holds text that SOQL compares without case. */
export function isTextType(type: DisplayType): boolean {
  return [
    'STRING',
    'TEXTAREA',
    'PICKLIST',
    'MULTIPICKLIST',
    'COMBOBOX',
    'EMAIL',
    'PHONE',
    'URL',
  ].includes(type);
}
