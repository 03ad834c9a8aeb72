// A small but complete product tree for the self-test of metadata-consistency and
// sf-project-convert: the real catalog (objects + customMetadata, copied from the project) plus a
// controller, custom permission, permission set, tab, app and dashboard bundle written here, so the
// self-test does not depend on which of those the project has yet. Each planted defect is a small
// edit of that tree, with the finding the check must report.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const DEFAULT = 'force-app/main/default';
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const XML = '<?xml version="1.0" encoding="UTF-8"?>';

const FILES = {
  'sfdx-project.json': JSON.stringify(
    {
      packageDirectories: [{ path: 'force-app', default: true, package: 'Analytics Health' }],
      namespace: '',
      sourceApiVersion: '66.0',
      packageAliases: {},
    },
    null,
    2,
  ),
  [`${DEFAULT}/classes/AnalyticsHealthController.cls`]: `/** @description Fixture controller. */
public with sharing class AnalyticsHealthController {
    /** @description Fixture method. @return the catalog */
    @AuraEnabled(cacheable=true)
    public static String getCatalog() {
        return [SELECT COUNT() FROM Analytics_Health_Rule__mdt WITH USER_MODE] + '';
    }
}
`,
  [`${DEFAULT}/classes/AnalyticsHealthController.cls-meta.xml`]: `${XML}
<ApexClass ${NS}>
    <apiVersion>66.0</apiVersion>
    <status>Active</status>
</ApexClass>
`,
  // A protected custom setting: the clean tree passes without any grant for it.
  [`${DEFAULT}/objects/Thing_Settings__c/Thing_Settings__c.object-meta.xml`]: `${XML}
<CustomObject ${NS}>
    <customSettingsType>Hierarchy</customSettingsType>
    <label>Thing Settings</label>
    <visibility>Protected</visibility>
</CustomObject>
`,
  [`${DEFAULT}/classes/CatalogHelper.cls`]: `/** @description Not called from the UI; only its property is serialised. */
public with sharing class CatalogHelper {
    /** @description Returned to the UI as data: needs no class access. */
    @AuraEnabled
    public Integer count;

    /** @description Fixture. @return one */
    public static Integer one() {
        return 1;
    }
}
`,
  [`${DEFAULT}/classes/CatalogHelper.cls-meta.xml`]: `${XML}
<ApexClass ${NS}>
    <apiVersion>66.0</apiVersion>
    <status>Active</status>
</ApexClass>
`,
  // A test class may name a subscriber's namespaced object as data.
  [`${DEFAULT}/classes/CatalogHelperTest.cls`]: `@IsTest
private class CatalogHelperTest {
    @IsTest
    static void shouldReadANamespacedObjectName() {
        Assert.areEqual('acme__Invoice__c', 'acme__Invoice__c'.trim(), 'fixture');
        Assert.areEqual(1, CatalogHelper.one(), 'one');
    }
}
`,
  [`${DEFAULT}/classes/CatalogHelperTest.cls-meta.xml`]: `${XML}
<ApexClass ${NS}>
    <apiVersion>66.0</apiVersion>
    <status>Active</status>
</ApexClass>
`,
  [`${DEFAULT}/customPermissions/Analytics_Health_Run_Check.customPermission-meta.xml`]: `${XML}
<CustomPermission ${NS}>
    <isLicensed>false</isLicensed>
    <label>Run Analytics Health check</label>
</CustomPermission>
`,
  [`${DEFAULT}/permissionsets/Analytics_Health_Admin.permissionset-meta.xml`]: `${XML}
<PermissionSet ${NS}>
    <classAccesses>
        <apexClass>AnalyticsHealthController</apexClass>
        <enabled>true</enabled>
    </classAccesses>
    <customMetadataTypeAccesses>
        <enabled>true</enabled>
        <name>Analytics_Health_List_Entry__mdt</name>
    </customMetadataTypeAccesses>
    <customMetadataTypeAccesses>
        <enabled>true</enabled>
        <name>Analytics_Health_Rule__mdt</name>
    </customMetadataTypeAccesses>
    <customPermissions>
        <enabled>true</enabled>
        <name>Analytics_Health_Run_Check</name>
    </customPermissions>
    <hasActivationRequired>false</hasActivationRequired>
    <label>Analytics Health Admin</label>
    <tabSettings>
        <tab>Analytics_Health</tab>
        <visibility>Visible</visibility>
    </tabSettings>
</PermissionSet>
`,
  [`${DEFAULT}/tabs/Analytics_Health.tab-meta.xml`]: `${XML}
<CustomTab ${NS}>
    <label>Analytics Health</label>
    <lwcComponent>analyticsHealthDashboard</lwcComponent>
    <motif>Custom19: Wrench</motif>
</CustomTab>
`,
  [`${DEFAULT}/applications/Analytics_Health.app-meta.xml`]: `${XML}
<CustomApplication ${NS}>
    <formFactors>Large</formFactors>
    <isNavAutomaticRefreshDisabled>false</isNavAutomaticRefreshDisabled>
    <isNavPersonalizationDisabled>false</isNavPersonalizationDisabled>
    <label>Analytics Health</label>
    <navType>Standard</navType>
    <tabs>Analytics_Health</tabs>
    <tabs>standard-home</tabs>
    <uiType>Lightning</uiType>
</CustomApplication>
`,
  [`${DEFAULT}/lwc/analyticsHealthDashboard/analyticsHealthDashboard.ts`]: `import { LightningElement } from 'lwc';

export default class AnalyticsHealthDashboard extends LightningElement {}
`,
  [`${DEFAULT}/lwc/analyticsHealthDashboard/analyticsHealthDashboard.js`]: `import { LightningElement } from 'lwc';

export default class AnalyticsHealthDashboard extends LightningElement {}
`,
  [`${DEFAULT}/lwc/analyticsHealthDashboard/analyticsHealthDashboard.html`]: `<template>
    <p>Analytics Health</p>
</template>
`,
  [`${DEFAULT}/lwc/analyticsHealthDashboard/analyticsHealthDashboard.js-meta.xml`]: `${XML}
<LightningComponentBundle ${NS}>
    <apiVersion>66.0</apiVersion>
    <isExposed>true</isExposed>
    <targets>
        <target>lightning__Tab</target>
    </targets>
</LightningComponentBundle>
`,
};

/** Writes the clean product tree into `dir`, copying the catalog from `repoRoot`. */
export function writeProductFixture(dir, repoRoot) {
  for (const [file, content] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  // The catalog only: the custom metadata types and their records. The product's other objects
  // (monitoring) would need grants the fixture's permission set does not write.
  for (const folder of ['objects', 'customMetadata']) {
    cpSync(path.join(repoRoot, DEFAULT, folder), path.join(dir, DEFAULT, folder), {
      recursive: true,
      filter: (source) =>
        folder !== 'objects' || !/[\\/]objects[\\/][^\\/]+__c([\\/]|$)/.test(source),
    });
  }
  cpSync(path.join(repoRoot, '.forceignore'), path.join(dir, '.forceignore'));
  return dir;
}

function edit(dir, file, from, to) {
  const full = path.join(dir, DEFAULT, file);
  const before = readFileSync(full, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`fixture edit did not apply to ${file}: ${from}`);
  writeFileSync(full, after);
}
const PERMSET = 'permissionsets/Analytics_Health_Admin.permissionset-meta.xml';
const AH030 = 'customMetadata/Analytics_Health_Rule.AH030.md-meta.xml';
const grant = (xml) => (dir) =>
  edit(dir, PERMSET, '<hasActivationRequired>', `${xml}\n    <hasActivationRequired>`);
// A custom object of the product, with the given sharing, granted by the permission set.
const shipObject = (sharing, permissions) => (dir) => {
  const folder = path.join(dir, DEFAULT, 'objects/Thing__c');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    path.join(folder, 'Thing__c.object-meta.xml'),
    `${XML}
<CustomObject ${NS}>
    <deploymentStatus>Deployed</deploymentStatus>
    <externalSharingModel>Private</externalSharingModel>
    <label>Thing</label>
    <nameField>
        <label>Thing Name</label>
        <type>Text</type>
    </nameField>
    <pluralLabel>Things</pluralLabel>
    <sharingModel>${sharing}</sharingModel>
</CustomObject>
`,
  );
  grant(
    `<objectPermissions>\n        ${permissions}\n        <object>Thing__c</object>\n    </objectPermissions>`,
  )(dir);
};

/** Planted defects for metadata-consistency: [name, edit(dir), expected output]. */
export const CONSISTENCY_DEFECTS = [
  [
    'object permissions on a custom setting (custom settings are not required, nor grantable so)',
    grant(
      '<objectPermissions>\n        <allowRead>true</allowRead>\n        <object>Thing_Settings__c</object>\n    </objectPermissions>',
    ),
    /grants object permissions on custom setting Thing_Settings__c: use customSettingAccesses/,
  ],
  [
    'wrong API version on a class',
    (dir) => edit(dir, 'classes/CatalogHelper.cls-meta.xml', '66.0', '65.0'),
    /CatalogHelper\.cls-meta\.xml: apiVersion 65\.0, sfdx-project\.json's sourceApiVersion is 66\.0/,
  ],
  [
    'class without its meta file',
    (dir) => rmSync(path.join(dir, DEFAULT, 'classes/CatalogHelper.cls-meta.xml')),
    /CatalogHelper\.cls: Apex class has no CatalogHelper\.cls-meta\.xml/,
  ],
  [
    'permission set grants an extra class',
    grant(
      '<classAccesses>\n        <apexClass>CatalogHelper</apexClass>\n        <enabled>true</enabled>\n    </classAccesses>',
    ),
    /grants class CatalogHelper, which has no @AuraEnabled static method/,
  ],
  [
    'controller class the permission set does not grant',
    (dir) =>
      edit(
        dir,
        'classes/CatalogHelper.cls',
        'public static Integer one()',
        '@AuraEnabled\n    public static Integer one()',
      ),
    /no permission set grants access to @AuraEnabled class CatalogHelper/,
  ],
  [
    'permission set grants ModifyAllData',
    grant(
      '<userPermissions>\n        <enabled>true</enabled>\n        <name>ModifyAllData</name>\n    </userPermissions>',
    ),
    /grants user permission ModifyAllData/,
  ],
  [
    'permission set lets users edit the product records',
    shipObject('Private', '<allowEdit>true</allowEdit>\n        <allowRead>true</allowRead>'),
    /grants edit on Thing__c: its records are written only by the product's Apex/,
  ],
  [
    'product object that is not private',
    shipObject('ReadWrite', '<allowRead>true</allowRead>'),
    /Thing__c\.object-meta\.xml: sharingModel ReadWrite; the product's records are private/,
  ],
  [
    'permission set grants an object the product does not ship',
    grant(
      '<objectPermissions>\n        <allowRead>true</allowRead>\n        <object>Account</object>\n    </objectPermissions>',
    ),
    /grants object Account, which the product does not ship/,
  ],
  [
    'permission set misses the custom permission',
    (dir) =>
      edit(
        dir,
        PERMSET,
        '<name>Analytics_Health_Run_Check</name>',
        '<name>Missing_Permission</name>',
      ),
    /no permission set grants custom permission Analytics_Health_Run_Check/,
  ],
  [
    'permission set misses a custom metadata type',
    (dir) =>
      edit(
        dir,
        PERMSET,
        /<customMetadataTypeAccesses>\s*<enabled>true<\/enabled>\s*<name>Analytics_Health_Rule__mdt<\/name>\s*<\/customMetadataTypeAccesses>/,
        '',
      ),
    /no permission set grants read on custom metadata type Analytics_Health_Rule__mdt/,
  ],
  [
    'tab shows a component that does not exist',
    (dir) =>
      edit(
        dir,
        'tabs/Analytics_Health.tab-meta.xml',
        'analyticsHealthDashboard',
        'analyticsHealthMissing',
      ),
    /shows LWC analyticsHealthMissing, which does not exist/,
  ],
  [
    'tab component not exposed for lightning__Tab',
    (dir) =>
      edit(
        dir,
        'lwc/analyticsHealthDashboard/analyticsHealthDashboard.js-meta.xml',
        'lightning__Tab',
        'lightning__AppPage',
      ),
    /LWC analyticsHealthDashboard does not list the target lightning__Tab/,
  ],
  [
    'app lists a tab the product does not ship',
    (dir) => edit(dir, 'applications/Analytics_Health.app-meta.xml', 'standard-home', 'Other_Tab'),
    /lists tab Other_Tab, which the product does not ship/,
  ],
  [
    'invalid picklist value in a rule',
    (dir) => edit(dir, AH030, '>CRITICAL<', '>SEVERE<'),
    /AH030\.md-meta\.xml: Severity__c = 'SEVERE' is not one of CRITICAL, WARNING, INFO/,
  ],
  [
    'duplicate rule id',
    (dir) => {
      const source = path.join(dir, DEFAULT, AH030);
      writeFileSync(source.replace('AH030', 'AH030_Copy'), readFileSync(source, 'utf8'));
    },
    /rule id AH030 is also used by/,
  ],
  [
    'rule id not in the catalog',
    (dir) => edit(dir, AH030, '>AH030<', '>AH099<'),
    /rule id AH099 is not a known catalog id/,
  ],
  [
    'condition that is not JSON',
    (dir) => edit(dir, AH030, '{"or":[', '{"or":[,'),
    /AH030\.md-meta\.xml: Condition__c is not valid JSON/,
  ],
  [
    'required field left empty',
    (dir) =>
      edit(
        dir,
        AH030,
        /(<field>Subject__c<\/field>\s*<value) xsi:type="xsd:string">systemProfile</,
        '$1 xsi:nil="true"><',
      ),
    /AH030\.md-meta\.xml: required field Subject__c is empty/,
  ],
  [
    'list entry in an unknown list',
    (dir) =>
      edit(
        dir,
        'customMetadata/Analytics_Health_List_Entry.Msg_Frozen.md-meta.xml',
        'JOB_MESSAGE_PATTERNS',
        'JOB_MESSAGES',
      ),
    /Msg_Frozen\.md-meta\.xml: list JOB_MESSAGES is not a known list/,
  ],
  [
    'namespace prefix hard-coded in Apex',
    (dir) =>
      edit(
        dir,
        'classes/AnalyticsHealthController.cls',
        'Analytics_Health_Rule__mdt',
        'acme__Analytics_Health_Rule__mdt',
      ),
    /AnalyticsHealthController\.cls:6: 'acme__Analytics_Health_Rule__mdt' carries a namespace prefix/,
  ],
];

/** Planted defects for sf-project-convert: [name, edit(dir), expected output]. */
export const CONVERT_DEFECTS = [
  [
    'no .forceignore: TypeScript source would be deployed',
    (dir) => rmSync(path.join(dir, '.forceignore')),
    /lwc[\\/]analyticsHealthDashboard[\\/]analyticsHealthDashboard\.ts was converted/,
  ],
  [
    'TypeScript bundle not built',
    (dir) =>
      rmSync(path.join(dir, DEFAULT, 'lwc/analyticsHealthDashboard/analyticsHealthDashboard.js')),
    /lwc\/analyticsHealthDashboard\/analyticsHealthDashboard\.js is missing from the conversion \(run npm run build\)/,
  ],
  [
    'a file the CLI cannot classify',
    (dir) => {
      mkdirSync(path.join(dir, DEFAULT, 'gadgets'), { recursive: true });
      writeFileSync(
        path.join(dir, DEFAULT, 'gadgets/Thing.gadget-meta.xml'),
        `${XML}\n<Gadget ${NS}/>\n`,
      );
    },
    /sf project convert source failed/,
  ],
];
