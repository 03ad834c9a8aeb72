// metadata-consistency: what a deploy or a package version would reject, or what would ship
// wrong, found without an org by reading the source tree.
//   1. Meta files and API versions — every Apex class / trigger has its -meta.xml, every LWC bundle
//      its <bundle>.js-meta.xml, every object folder its .object-meta.xml, every static resource
//      its .resource-meta.xml; every meta file that states an <apiVersion> (in every package
//      directory, demo metadata included) states sfdx-project.json's sourceApiVersion.
//   2. Permission sets (product package directories) — together they grant every class with an
//      @AuraEnabled static method, every custom permission, both/all custom metadata types, every custom
//      object (custom settings excepted: no object permissions exist for them) and every tab the
//      product ships; and each grants nothing else: no other class,
//      object, field, tab, app, page or flow, no user permission (ModifyAllData and friends), no
//      Modify All on an object. At least one permission set must ship. The product's custom objects
//      (custom settings aside) are private — sharingModel and externalSharingModel Private — and no
//      permission set grants create, edit or delete on them or edit on their fields: their records
//      are written only by the product's Apex, after its own permission check.
//   3. Custom metadata records — each record's type exists; its fields exist on the type; required
//      fields are set; picklist values are values of the field; checkboxes are true/false, numbers
//      are numbers, text fits its length; Condition__c / Subject_Filter__c / Evidence__c hold JSON;
//      rule ids are unique, match the record name and are the catalog's known ids
//      (known-catalog.json, the ids of RULES.md), and every known id has its record; list entries
//      name a known list and known rule ids, with no duplicate value in one list; and the catalog
//      compiles with the engine (operators exist, every list a rule reads has entries).
//   4. Tabs and apps — an LWC tab names a bundle that exists, is exposed and targets lightning__Tab;
//      an object tab names a shipped object; an app lists shipped (or standard-*) tabs.
//   5. Namespace-agnostic — no Apex, LWC or metadata file of the product names an object, field or
//      Apex class with a namespace prefix (`xyz__Thing__c`, `@salesforce/apex/xyz.Class.method`);
//      comments, Apex test classes, LWC tests and static resources (test data) are not scanned:
//      the package's own components are referenced without prefix so the namespace can be set
//      late, and other packages' components are not the product's business.
//
// Usage: node scripts/tooling/checks/metadata-consistency.js [projectDir]   (default: current directory)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { isMain, listFiles, printHeader, printSummary, rel, runCli } from './lib/check-runner.js';

const NAME = 'metadata-consistency';
const CHECKS_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(CHECKS_DIR, '..', '..', '..');
const KNOWN = JSON.parse(readFileSync(path.join(CHECKS_DIR, 'known-catalog.json'), 'utf8'));

const RULE_TYPE = 'Analytics_Health_Rule';
const LIST_ENTRY_TYPE = 'Analytics_Health_List_Entry';
const JSON_FIELDS = ['Condition__c', 'Subject_Filter__c', 'Evidence__c'];

// Every direct child of the root element is read as an array (a permission set repeats them).
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (_name, jpath) => jpath.split('.').length === 2,
});

const asArray = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const text = (value) => {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first === null) return undefined;
  if (typeof first === 'object') return typeof first['#text'] === 'string' ? first['#text'] : '';
  return String(first);
};
const isTrue = (value) => text(value) === 'true';

/** The root element of a metadata XML file, or throws with the file name. */
function readXml(file, rootName) {
  const doc = parser.parse(readFileSync(file, 'utf8'));
  const root = doc[rootName];
  if (!root || typeof root !== 'object') throw new Error(`no <${rootName}> root element`);
  return root;
}

/** Package directories split into the product (packaged) and the rest (demo, unpackaged). */
function packageDirectories(projectDir) {
  const project = JSON.parse(readFileSync(path.join(projectDir, 'sfdx-project.json'), 'utf8'));
  const dirs = (project.packageDirectories ?? []).filter((d) => d.path);
  const packaged = dirs.filter((d) => d.package);
  const product = (packaged.length ? packaged : dirs.filter((d) => d.default)).map((d) =>
    path.resolve(projectDir, d.path),
  );
  const all = dirs.map((d) => path.resolve(projectDir, d.path));
  return { project, product, all };
}

/** The folder a metadata file sits in ("classes", "lwc", ...), found anywhere in its path. */
function kindFolder(file) {
  return path.basename(path.dirname(file));
}

// ── inventory of what the product ships ─────────────────────────────────────────────────────────
function inventory(dirs) {
  const files = dirs.flatMap((d) => listFiles(d, ['']));
  const inv = {
    files,
    classes: new Map(), // name → file (.cls)
    triggers: new Map(),
    lwc: new Map(), // bundle → folder
    objects: new Map(), // api name → folder
    fields: new Set(), // Object.Field
    staticResources: new Map(),
    tabs: new Map(),
    apps: new Map(),
    permissionSets: new Map(),
    customPermissions: new Set(),
    externalCredentials: new Set(),
    flexipages: new Set(),
    pages: new Set(),
    flows: new Set(),
    customMetadataRecords: [],
  };
  const named = (file, suffix) => path.basename(file).slice(0, -suffix.length);
  for (const file of files) {
    const base = path.basename(file);
    const folder = kindFolder(file);
    if (/[\\/]__tests__[\\/]/.test(file)) continue;
    if (base.endsWith('.cls')) inv.classes.set(named(file, '.cls'), file);
    else if (base.endsWith('.trigger')) inv.triggers.set(named(file, '.trigger'), file);
    else if (base.endsWith('.tab-meta.xml')) inv.tabs.set(named(file, '.tab-meta.xml'), file);
    else if (base.endsWith('.app-meta.xml')) inv.apps.set(named(file, '.app-meta.xml'), file);
    else if (base.endsWith('.permissionset-meta.xml'))
      inv.permissionSets.set(named(file, '.permissionset-meta.xml'), file);
    else if (base.endsWith('.customPermission-meta.xml'))
      inv.customPermissions.add(named(file, '.customPermission-meta.xml'));
    else if (base.endsWith('.externalCredential-meta.xml'))
      inv.externalCredentials.add(named(file, '.externalCredential-meta.xml'));
    else if (base.endsWith('.flexipage-meta.xml'))
      inv.flexipages.add(named(file, '.flexipage-meta.xml'));
    else if (base.endsWith('.page-meta.xml')) inv.pages.add(named(file, '.page-meta.xml'));
    else if (base.endsWith('.flow-meta.xml')) inv.flows.add(named(file, '.flow-meta.xml'));
    else if (base.endsWith('.md-meta.xml') && folder === 'customMetadata')
      inv.customMetadataRecords.push(file);
    else if (base.endsWith('.field-meta.xml') && folder === 'fields') {
      const object = path.basename(path.dirname(path.dirname(file)));
      inv.fields.add(`${object}.${named(file, '.field-meta.xml')}`);
    }
    // Bundles and folders: the directory right under lwc/, objects/, staticresources/.
    const parent = path.dirname(file);
    const grand = path.basename(path.dirname(parent));
    if (grand === 'lwc') inv.lwc.set(path.basename(parent), parent);
    if (grand === 'objects') inv.objects.set(path.basename(parent), parent);
    if (path.basename(path.dirname(path.dirname(parent))) === 'objects')
      inv.objects.set(path.basename(path.dirname(parent)), path.dirname(parent));
    if (folder === 'staticresources') {
      const resource = base.replace(/\.resource-meta\.xml$/, '').replace(/\.[^.]+$/, '');
      if (!inv.staticResources.has(resource)) inv.staticResources.set(resource, []);
      inv.staticResources.get(resource).push(file);
    } else if (grand === 'staticresources') {
      // A folder resource (zip source): staticresources/<name>/...
      const resource = path.basename(parent);
      if (!inv.staticResources.has(resource)) inv.staticResources.set(resource, []);
      inv.staticResources.get(resource).push(file);
    }
  }
  return inv;
}

// ── 1. meta files and API versions ──────────────────────────────────────────────────────────────
function checkMetaFiles(projectDir, inv, errors) {
  const need = (file, meta, what) => {
    if (!existsSync(meta))
      errors.push(`${rel(projectDir, file)}: ${what} has no ${path.basename(meta)}`);
  };
  for (const file of inv.classes.values()) need(file, `${file}-meta.xml`, 'Apex class');
  for (const file of inv.triggers.values()) need(file, `${file}-meta.xml`, 'Apex trigger');
  for (const [bundle, dir] of inv.lwc) {
    need(dir, path.join(dir, `${bundle}.js-meta.xml`), 'LWC bundle');
    const hasSource = ['.ts', '.js'].some((ext) => existsSync(path.join(dir, `${bundle}${ext}`)));
    if (!hasSource) errors.push(`${rel(projectDir, dir)}: LWC bundle has no ${bundle}.ts or .js`);
  }
  for (const [object, dir] of inv.objects)
    need(dir, path.join(dir, `${object}.object-meta.xml`), 'object');
  for (const [resource, files] of inv.staticResources) {
    const metas = files.filter((f) => f.endsWith('.resource-meta.xml'));
    const content = files.filter((f) => !f.endsWith('.resource-meta.xml'));
    const where = rel(projectDir, (metas[0] ?? content[0]).replace(/[\\/][^\\/]*$/, ''));
    if (metas.length === 0)
      errors.push(`${where}: static resource ${resource} has no ${resource}.resource-meta.xml`);
    if (content.length === 0)
      errors.push(`${where}: static resource ${resource} has a meta file but no content`);
  }
}

function checkApiVersions(projectDir, allFiles, sourceApiVersion, errors) {
  let checked = 0;
  for (const file of allFiles) {
    if (!file.endsWith('-meta.xml')) continue;
    const source = readFileSync(file, 'utf8');
    // Only the root element's own <apiVersion> (first level), not nested ones.
    const match = /^\s{0,4}<apiVersion>\s*([^<]*?)\s*<\/apiVersion>/m.exec(source);
    const required = /\.(cls|trigger|js)-meta\.xml$/.test(file);
    if (!match) {
      if (required) errors.push(`${rel(projectDir, file)}: no <apiVersion>`);
      continue;
    }
    checked += 1;
    if (match[1] !== sourceApiVersion)
      errors.push(
        `${rel(projectDir, file)}: apiVersion ${match[1]}, sfdx-project.json's sourceApiVersion is ${sourceApiVersion}`,
      );
  }
  return checked;
}

// ── 2. permission sets ──────────────────────────────────────────────────────────────────────────
function stripApexComments(source) {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

/** True for an Apex test class: @IsTest before its class keyword. */
function isTestClass(source) {
  const code = stripApexComments(source);
  return /@isTest\b/i.test(code.slice(0, code.search(/\bclass\b/i) + 1));
}

// An @AuraEnabled static method: what a component calls and a user needs class access for.
// (An @AuraEnabled property of a class that is only returned needs no access.)
const AURA_ENABLED_METHOD =
  /@AuraEnabled\b(?:\s*\([^)]*\))?\s+(?:(?:public|global|private|protected|override|virtual)\s+)*static\b[^;{=]*\(/i;

/** Classes the UI calls: any @AuraEnabled static method (test classes excluded). */
function auraEnabledClasses(inv) {
  const names = [];
  for (const [name, file] of inv.classes) {
    const source = readFileSync(file, 'utf8');
    if (isTestClass(source)) continue;
    if (AURA_ENABLED_METHOD.test(stripApexComments(source))) names.push(name);
  }
  return names.sort();
}

/** True when the object folder defines a custom setting (<customSettingsType> in its object file). */
function isCustomSetting(inv, object) {
  const file = path.join(inv.objects.get(object), `${object}.object-meta.xml`);
  return existsSync(file) && /<customSettingsType>/.test(readFileSync(file, 'utf8'));
}

// The product's records (custom objects other than settings) are private: org-wide default Private,
// inside and outside the org.
function checkPrivateObjects(projectDir, inv, errors) {
  for (const [object, dir] of inv.objects) {
    if (!object.endsWith('__c') || isCustomSetting(inv, object)) continue;
    const file = path.join(dir, `${object}.object-meta.xml`);
    if (!existsSync(file)) continue; // reported by the meta-file check
    let root;
    try {
      root = readXml(file, 'CustomObject');
    } catch (error) {
      errors.push(`${rel(projectDir, file)}: ${error.message}`);
      continue;
    }
    for (const element of ['sharingModel', 'externalSharingModel']) {
      const value = text(root[element]);
      if (value !== 'Private')
        errors.push(
          `${rel(projectDir, file)}: ${element} ${value ?? '(not set)'}; the product's records are private (Private)`,
        );
    }
  }
}

// Object permissions that would let a user write the product's records.
const WRITE_FLAGS = [
  ['allowCreate', 'create'],
  ['allowEdit', 'edit'],
  ['allowDelete', 'delete'],
];

// Elements of a permission set that describe it rather than grant anything.
const DESCRIPTIVE = new Set(['label', 'description', 'hasActivationRequired', 'license']);

function checkPermissionSets(projectDir, inv, errors) {
  if (inv.permissionSets.size === 0) {
    errors.push(
      'no permission set ships: the product must grant its controller, tab and metadata types through one',
    );
    return;
  }
  const objectsShipped = [...inv.objects.keys()];
  const required = {
    class: auraEnabledClasses(inv),
    customPermission: [...inv.customPermissions].sort(),
    customMetadataType: objectsShipped.filter((o) => o.endsWith('__mdt')).sort(),
    // Custom settings are left out: a permission set cannot grant object permissions on them, and the
    // product's protected setting is read and written only by its own Apex (getOrgDefaults / system
    // mode), which needs no grant. customSettingAccesses on a shipped setting stays allowed.
    object: objectsShipped.filter((o) => o.endsWith('__c') && !isCustomSetting(inv, o)).sort(),
    tab: [...inv.tabs.keys()].sort(),
  };
  const granted = Object.fromEntries(Object.keys(required).map((k) => [k, new Set()]));

  for (const file of inv.permissionSets.values()) {
    const where = rel(projectDir, file);
    let root;
    try {
      root = readXml(file, 'PermissionSet');
    } catch (error) {
      errors.push(`${where}: ${error.message}`);
      continue;
    }
    const extra = (what, detail) => errors.push(`${where}: grants ${what} ${detail}`);
    for (const [element, entries] of Object.entries(root)) {
      if (element.startsWith('@') || DESCRIPTIVE.has(element)) continue;
      for (const entry of asArray(entries)) {
        switch (element) {
          case 'classAccesses': {
            const apexClass = text(entry.apexClass);
            if (!inv.classes.has(apexClass))
              errors.push(`${where}: names class ${apexClass}, which does not exist`);
            else if (isTrue(entry.enabled)) {
              if (required.class.includes(apexClass)) granted.class.add(apexClass);
              else extra('class', `${apexClass}, which has no @AuraEnabled static method`);
            }
            break;
          }
          case 'customPermissions': {
            const permission = text(entry.name);
            if (!inv.customPermissions.has(permission))
              extra('custom permission', `${permission}, which the product does not ship`);
            else if (isTrue(entry.enabled)) granted.customPermission.add(permission);
            break;
          }
          case 'customMetadataTypeAccesses': {
            const type = text(entry.name);
            if (!required.customMetadataType.includes(type))
              extra('custom metadata type', `${type}, which the product does not ship`);
            else if (isTrue(entry.enabled)) granted.customMetadataType.add(type);
            break;
          }
          case 'customSettingAccesses': {
            const setting = text(entry.name);
            if (!inv.objects.has(setting))
              extra('custom setting', `${setting}, which the product does not ship`);
            break;
          }
          case 'objectPermissions': {
            const object = text(entry.object);
            if (!inv.objects.has(object))
              extra('object', `${object}, which the product does not ship`);
            else if (isCustomSetting(inv, object))
              extra('object permissions on custom setting', `${object}: use customSettingAccesses`);
            else if (isTrue(entry.allowRead)) granted.object.add(object);
            if (isTrue(entry.modifyAllRecords))
              extra('Modify All on', `${object}: the product only reads`);
            for (const [flag, write] of WRITE_FLAGS) {
              if (isTrue(entry[flag]))
                extra(write, `on ${object}: its records are written only by the product's Apex`);
            }
            break;
          }
          case 'fieldPermissions': {
            const field = text(entry.field);
            if (!inv.objects.has(String(field).split('.')[0]))
              extra('field', `${field}, whose object the product does not ship`);
            else if (!inv.fields.has(field))
              errors.push(`${where}: names field ${field}, which does not exist`);
            if (isTrue(entry.editable))
              extra(
                'edit on field',
                `${field}: its records are written only by the product's Apex`,
              );
            break;
          }
          case 'tabSettings': {
            const tab = text(entry.tab);
            if (!inv.tabs.has(tab)) extra('tab', `${tab}, which the product does not ship`);
            else if (['Visible', 'Available'].includes(text(entry.visibility)))
              granted.tab.add(tab);
            break;
          }
          case 'applicationVisibilities': {
            const app = text(entry.application);
            if (!inv.apps.has(app)) extra('app', `${app}, which the product does not ship`);
            break;
          }
          case 'pageAccesses': {
            const page = text(entry.apexPage);
            if (!inv.pages.has(page)) extra('page', `${page}, which the product does not ship`);
            break;
          }
          case 'flowAccesses': {
            const flow = text(entry.flow);
            if (!inv.flows.has(flow)) extra('flow', `${flow}, which the product does not ship`);
            break;
          }
          case 'externalCredentialPrincipalAccesses': {
            // "<ExternalCredential>-<Principal>"
            const principal = text(entry.externalCredentialPrincipal) ?? '';
            const credential = principal.split('-')[0];
            if (!inv.externalCredentials.has(credential))
              extra(
                'external credential principal',
                `${principal}, which the product does not ship`,
              );
            break;
          }
          case 'userPermissions':
            if (isTrue(entry.enabled))
              extra(
                'user permission',
                `${text(entry.name)}: the product needs none (its permission set grants only its own components)`,
              );
            break;
          default:
            errors.push(`${where}: unexpected element <${element}>; the check does not know it`);
        }
      }
    }
  }

  const labels = {
    class: 'access to @AuraEnabled class',
    customPermission: 'custom permission',
    customMetadataType: 'read on custom metadata type',
    object: 'read on custom object',
    tab: 'visibility of tab',
  };
  for (const [kind, names] of Object.entries(required)) {
    for (const item of names) {
      if (!granted[kind].has(item)) errors.push(`no permission set grants ${labels[kind]} ${item}`);
    }
  }
  return required;
}

// ── 3. custom metadata records ──────────────────────────────────────────────────────────────────
function loadTypes(inv) {
  const types = new Map(); // Type__mdt → Map(field → definition)
  for (const [object, dir] of inv.objects) {
    if (!object.endsWith('__mdt')) continue;
    const fields = new Map();
    const fieldsDir = path.join(dir, 'fields');
    if (existsSync(fieldsDir)) {
      for (const file of readdirSync(fieldsDir).filter((f) => f.endsWith('.field-meta.xml'))) {
        const root = readXml(path.join(fieldsDir, file), 'CustomField');
        const values = asArray(root.valueSet)
          .flatMap((vs) => asArray(vs.valueSetDefinition))
          .flatMap((def) => asArray(def.value))
          .map((v) => text(v.fullName));
        fields.set(text(root.fullName), {
          type: text(root.type),
          required: isTrue(root.required),
          length: Number(text(root.length) ?? NaN),
          restricted: root.valueSet ? isTrue(asArray(root.valueSet)[0].restricted) : false,
          values,
        });
      }
    }
    types.set(object, fields);
  }
  return types;
}

/** One record as { developerName, label, values: Map(field → {nil, type, text}) }. */
function readRecord(file) {
  const root = readXml(file, 'CustomMetadata');
  const values = new Map();
  for (const entry of asArray(root.values)) {
    const value = Array.isArray(entry.value) ? entry.value[0] : entry.value;
    const attrs = value && typeof value === 'object' ? value : {};
    values.set(text(entry.field), {
      nil: attrs['@xsi:nil'] === 'true' || value === undefined,
      xsdType: attrs['@xsi:type'],
      text: typeof value === 'string' ? value : (attrs['#text'] ?? ''),
    });
  }
  return { label: text(root.label), values };
}

function checkCustomMetadata(projectDir, inv, errors) {
  const types = loadTypes(inv);
  const ruleIds = new Map(); // id → first file
  const listValues = new Map(); // LIST|value → first file
  const relatedRules = [];
  const knownIds = new Set(KNOWN.ruleIds);
  const knownLists = new Set(KNOWN.lists);
  let records = 0;

  for (const file of inv.customMetadataRecords) {
    const where = rel(projectDir, file);
    const [typeName, ...rest] = path
      .basename(file)
      .replace(/\.md-meta\.xml$/, '')
      .split('.');
    const developerName = rest.join('.');
    const fields = types.get(`${typeName}__mdt`);
    if (!fields) {
      errors.push(`${where}: type ${typeName}__mdt does not exist`);
      continue;
    }
    let record;
    try {
      record = readRecord(file);
    } catch (error) {
      errors.push(`${where}: ${error.message}`);
      continue;
    }
    records += 1;
    if (!/^[A-Za-z](?!.*__)[A-Za-z0-9_]{0,39}$/.test(developerName) || developerName.endsWith('_'))
      errors.push(`${where}: record name ${developerName} is not a valid developer name`);
    if (!record.label) errors.push(`${where}: no <label>`);
    else if (record.label.length > 40)
      errors.push(`${where}: label is ${record.label.length} characters (40 at most)`);

    const value = (field) => {
      const v = record.values.get(field);
      return v && !v.nil && v.text !== '' ? v.text : null;
    };
    for (const [field, v] of record.values) {
      const definition = fields.get(field);
      if (!definition) {
        errors.push(`${where}: field ${field} does not exist on ${typeName}__mdt`);
        continue;
      }
      if (v.nil || v.text === '') continue;
      const at = `${where}: ${field}`;
      switch (definition.type) {
        case 'Picklist':
          if (definition.restricted && !definition.values.includes(v.text))
            errors.push(`${at} = '${v.text}' is not one of ${definition.values.join(', ')}`);
          break;
        case 'Checkbox':
          if (v.text !== 'true' && v.text !== 'false')
            errors.push(`${at} = '${v.text}' is not true or false`);
          break;
        case 'Number':
          if (!Number.isFinite(Number(v.text))) errors.push(`${at} = '${v.text}' is not a number`);
          break;
        default:
          if (Number.isFinite(definition.length) && v.text.length > definition.length)
            errors.push(`${at} holds ${v.text.length} characters (${definition.length} at most)`);
      }
    }
    for (const [field, definition] of fields) {
      if (definition.required && value(field) === null)
        errors.push(`${where}: required field ${field} is empty`);
    }
    for (const field of JSON_FIELDS) {
      const raw = value(field);
      if (raw === null || !fields.has(field)) continue;
      try {
        const parsed = JSON.parse(raw);
        if (field === 'Evidence__c' && (typeof parsed !== 'object' || Array.isArray(parsed)))
          errors.push(`${where}: Evidence__c must be a JSON object of named expressions`);
      } catch (error) {
        errors.push(`${where}: ${field} is not valid JSON (${error.message})`);
      }
    }

    if (typeName === RULE_TYPE) {
      const id = value('Rule_Id__c');
      if (value('Condition__c') === null) errors.push(`${where}: a rule needs a Condition__c`);
      if (id === null) continue;
      if (ruleIds.has(id))
        errors.push(`${where}: rule id ${id} is also used by ${rel(projectDir, ruleIds.get(id))}`);
      else ruleIds.set(id, file);
      if (!knownIds.has(id))
        errors.push(
          `${where}: rule id ${id} is not a known catalog id (scripts/tooling/checks/known-catalog.json)`,
        );
      if (developerName !== id)
        errors.push(`${where}: record name ${developerName} differs from its rule id ${id}`);
    } else if (typeName === LIST_ENTRY_TYPE) {
      const list = value('List__c');
      if (list !== null && !knownLists.has(list))
        errors.push(
          `${where}: list ${list} is not a known list (scripts/tooling/checks/known-catalog.json)`,
        );
      const entryValue = value('Value__c');
      if (list !== null && entryValue !== null) {
        const key = `${list}|${entryValue.toLowerCase()}`;
        if (listValues.has(key))
          errors.push(
            `${where}: ${list} already holds '${entryValue}' (${rel(projectDir, listValues.get(key))})`,
          );
        else listValues.set(key, file);
      }
      for (const id of (value('Related_Rules__c') ?? '').split(/[\s,;]+/).filter(Boolean))
        relatedRules.push({ where, id });
    }
  }
  for (const { where, id } of relatedRules) {
    if (!knownIds.has(id)) errors.push(`${where}: Related_Rules__c names unknown rule ${id}`);
  }
  if (types.has(`${RULE_TYPE}__mdt`)) {
    for (const id of KNOWN.ruleIds) {
      if (!ruleIds.has(id)) errors.push(`rule ${id} is a catalog id but has no record`);
    }
  }
  return { records, rules: ruleIds.size };
}

/** Compiles the catalog with the engine itself: unknown operators and missing lists show up. */
async function checkCatalogCompiles(projectDir, inv, errors) {
  const dirs = [...new Set(inv.customMetadataRecords.map((f) => path.dirname(f)))];
  if (dirs.length === 0) return;
  const engineFile = path.join(
    REPO_ROOT,
    'force-app/main/default/lwc/healthEngine/healthEngine.js',
  );
  const readerFile = path.join(REPO_ROOT, 'scripts/cli/lib/catalogSource.js');
  if (!existsSync(engineFile) || !existsSync(readerFile)) {
    errors.push('the engine is not built, so the catalog could not be compiled: run npm run build');
    return;
  }
  register('../../cli/bin/resolve-extensionless.js', import.meta.url);
  const { compileCatalog } = await import(pathToFileURL(engineFile).href);
  const { loadCatalogRecords } = await import(pathToFileURL(readerFile).href);
  for (const dir of dirs) {
    let problems;
    try {
      problems = compileCatalog(loadCatalogRecords(dir)).problems;
    } catch (error) {
      errors.push(`${rel(projectDir, dir)}: the catalog cannot be read: ${error.message}`);
      continue;
    }
    for (const p of problems) errors.push(`${rel(projectDir, dir)}: ${p.problem}`);
  }
}

// ── 4. tabs and apps ────────────────────────────────────────────────────────────────────────────
function checkTabsAndApps(projectDir, inv, errors) {
  for (const [tab, file] of inv.tabs) {
    const where = rel(projectDir, file);
    let root;
    try {
      root = readXml(file, 'CustomTab');
    } catch (error) {
      errors.push(`${where}: ${error.message}`);
      continue;
    }
    const component = text(root.lwcComponent);
    if (component !== undefined) {
      const dir = inv.lwc.get(component);
      const meta = dir && path.join(dir, `${component}.js-meta.xml`);
      if (!meta || !existsSync(meta)) {
        errors.push(`${where}: shows LWC ${component}, which does not exist`);
        continue;
      }
      const bundle = readXml(meta, 'LightningComponentBundle');
      const targets = asArray(bundle.targets)
        .flatMap((t) => asArray(t.target))
        .map((t) => text(t));
      if (!isTrue(bundle.isExposed))
        errors.push(`${where}: LWC ${component} is not exposed (isExposed false)`);
      if (!targets.includes('lightning__Tab'))
        errors.push(`${where}: LWC ${component} does not list the target lightning__Tab`);
    } else if (isTrue(root.customObject)) {
      if (!inv.objects.has(tab))
        errors.push(`${where}: object tab for ${tab}, which does not exist`);
    } else if (root.flexiPage !== undefined) {
      const page = text(root.flexiPage);
      if (!inv.flexipages.has(page))
        errors.push(`${where}: shows Lightning page ${page}, which does not exist`);
    }
  }
  for (const file of inv.apps.values()) {
    const where = rel(projectDir, file);
    let root;
    try {
      root = readXml(file, 'CustomApplication');
    } catch (error) {
      errors.push(`${where}: ${error.message}`);
      continue;
    }
    for (const tab of asArray(root.tabs).map((t) => text(t))) {
      if (!inv.tabs.has(tab) && !tab.startsWith('standard-'))
        errors.push(`${where}: lists tab ${tab}, which the product does not ship`);
    }
    const utility = text(root.utilityBar);
    if (utility !== undefined && !inv.flexipages.has(utility))
      errors.push(`${where}: utility bar ${utility} does not exist`);
  }
}

// ── 5. namespace-agnostic references ───────────────────────────────────────────────────────────
const NAMESPACED_API_NAME =
  /\b([A-Za-z][A-Za-z0-9]{0,14})__([A-Za-z][A-Za-z0-9_]*?)__(c|mdt|e|b|x|r|kav|share|history|feed)\b/gi;
const NAMESPACED_IMPORT =
  /@salesforce\/(?:apex\/[A-Za-z][A-Za-z0-9]*\.[A-Za-z][A-Za-z0-9_]*\.[A-Za-z]|label\/(?!c\.)[A-Za-z][A-Za-z0-9]*\.)/g;

// Comments are not references (a comment may show `ns__Field__c` as an example); strings are.
const STRING_OR_COMMENT =
  /("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;
function withoutComments(source) {
  return source.replace(STRING_OR_COMMENT, (match, literal) =>
    literal ? literal : match.replace(/[^\n]/g, ' '),
  );
}

function checkNamespaceAgnostic(projectDir, inv, errors) {
  let scanned = 0;
  for (const file of inv.files) {
    const folder = file.split(path.sep);
    if (folder.includes('__tests__') || folder.includes('staticresources')) continue;
    const isSource = /\.(cls|trigger|html|ts)$/.test(file);
    const isJs = file.endsWith('.js') && !existsSync(file.replace(/\.js$/, '.ts'));
    if (!isSource && !isJs && !file.endsWith('.xml')) continue;
    const source = readFileSync(file, 'utf8');
    // Test classes may hold namespaced names as data (subscriber objects in fixtures).
    if (file.endsWith('.cls') && isTestClass(source)) continue;
    scanned += 1;
    const lines = (isSource || isJs ? withoutComments(source) : source).split('\n');
    lines.forEach((line, index) => {
      for (const pattern of [NAMESPACED_API_NAME, NAMESPACED_IMPORT]) {
        pattern.lastIndex = 0;
        const match = pattern.exec(line);
        if (match)
          errors.push(
            `${rel(projectDir, file)}:${index + 1}: '${match[0]}' carries a namespace prefix; reference the product's own components without one`,
          );
      }
    });
  }
  return scanned;
}

// ── main ────────────────────────────────────────────────────────────────────────────────────────
export async function run(projectDir) {
  printHeader(NAME, 'meta files, API versions, permission set, catalog records, tab, namespace');
  const errors = [];
  const { project, product, all } = packageDirectories(projectDir);
  const sourceApiVersion = project.sourceApiVersion;
  if (!sourceApiVersion) errors.push('sfdx-project.json has no sourceApiVersion');

  const inv = inventory(product);
  const everything = all.flatMap((d) => listFiles(d, ['-meta.xml']));
  checkMetaFiles(projectDir, inventory(all), errors);
  const versioned = checkApiVersions(projectDir, everything, sourceApiVersion, errors);
  const required = checkPermissionSets(projectDir, inv, errors) ?? {};
  checkPrivateObjects(projectDir, inv, errors);
  const catalog = checkCustomMetadata(projectDir, inv, errors);
  await checkCatalogCompiles(projectDir, inv, errors);
  checkTabsAndApps(projectDir, inv, errors);
  const scanned = checkNamespaceAgnostic(projectDir, inv, errors);

  for (const error of errors) console.log(`  ${error}`);
  const ok = errors.length === 0;
  const counts =
    `${versioned} API versions, ${inv.permissionSets.size} permission set(s) ` +
    `(${required.class?.length ?? 0} controller class(es), ${inv.tabs.size} tab(s)), ` +
    `${catalog.records} catalog records (${catalog.rules} rules), ${scanned} files scanned for namespaces`;
  printSummary(NAME, ok, ok ? `consistent: ${counts}` : `${errors.length} problem(s); ${counts}`);
  return { ok, errors };
}

if (isMain(import.meta.url)) await runCli(NAME, run);
