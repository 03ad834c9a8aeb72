// selftest: proves the Apex checks catch what they claim to catch. It writes small SFDX projects
// with planted defects into a temporary folder, runs each check on them as a child process
// (`node scripts/tooling/checks/<check>.js <projectDir>`) and asserts the exit code and the finding:
//   - a clean project passes all four checks: a SOQL for-loop is accepted, and an LWC bundle whose
//     JavaScript PMD's parser cannot read (ES module, decorators, `catch {`) and a junk
//     __tests__ file do not make apex-pmd fail;
//   - a project without Apex fails every check (a check that checks nothing must not pass);
//   - (a) a syntax error fails apex-syntax (and apex-pmd, which cannot process the file);
//   - (b) a call to a method that does not exist fails apex-semantic (but not apex-syntax);
//   - (c) SOQL inside a for loop fails apex-loops and apex-pmd (OperationWithLimitsInLoop);
//   - (d) a class without a sharing declaration / a SOQL injection fails apex-pmd;
//   - (e) DML on a User fails apex-loops;
//   - (f) without Java, apex-semantic and apex-pmd fail with the prerequisite message;
//   - (g) apex-semantic fails on a method name Apex reserves (`collect`), a warning it treats as an error;
//   - (h) apex-soql-budget: a project within budget passes and prints its count; one more reachable
//     query, a budget left higher than the count, and a querying method called in a loop (which
//     apex-loops cannot see) each fail;
//   - (i) apex-soql-fields: a misspelt field, a query outside the query class, a product query class
//     naming a missing custom field or an undocumented standard field, and a catalog query
//     naming a field the custom metadata type lacks each fail.
//   - (k) apex-query-bounds: queries capped by named constants pass and print their rows per entry
//     point; a string query without LIMIT, a bare-number LIMIT, a cap above the query ceiling, a keyset
//     page above the page ceiling, static SOQL without LIMIT and an entry point reaching more than
//     50,000 rows each fail;
//   - (j) a complete product tree (lib/metadata-fixture.js) passes metadata-consistency and
//     sf-project-convert, and each planted inconsistency (wrong API version, extra class or user
//     permission in the permission set, missing tab component, invalid picklist value, duplicate
//     rule id, namespace prefix, ...) fails the check with its finding.
//   - (l) import-layers: product modules importing only the product pass, and a test may import
//     tooling; the CLI importing the tooling, or the package importing the CLI, fails.
//   - (l) import-cycles: a layered graph passes (a compiled .js beside its .ts is not a module of
//     its own); a cycle through an `import type`, through the LWC namespace `c/…` and through a
//     dynamic import() each fail with the cycle named file by file; a tree without modules fails.
// It also calls the exported run(projectDir) of the Node-only checks in-process to prove the
// { ok, errors } contract, and proves run-all's last step (lib/leftover-processes.js): a detached
// child carrying the run's marker is found after its parent is gone; the Salesforce CLI run with
// sf-project-convert's SF_ENV leaves no process behind, while with SF_AUTOUPDATE_DISABLE alone
// its detached `sf update --autoupdate` is found (and stopped). Last line: "N passed, N failed"; exit 1 if anything failed.
//
// Usage: node scripts/tooling/checks/selftest.js        (KEEP_SELFTEST_DIR=1 keeps the temporary folder)
import { execFile, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JAVA_REQUIRED_MESSAGE } from './lib/check-runner.js';
import { RUN_MARKER, leftoverProcesses } from './lib/leftover-processes.js';
import { SF_ENV } from './sf-project-convert.js';
import {
  CONSISTENCY_DEFECTS,
  CONVERT_DEFECTS,
  writeProductFixture,
} from './lib/metadata-fixture.js';

const CHECKS_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(CHECKS_DIR, '../../..');
const CLASSES = 'force-app/main/default/classes';
const META = `<?xml version="1.0" encoding="UTF-8"?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>66.0</apiVersion>
    <status>Active</status>
</ApexClass>
`;

// ── planted sources ────────────────────────────────────────────────────────────────────────────
const SOURCES = {
  syntaxError: {
    'Broken.cls': `public with sharing class Broken {
    public static Integer value() {
        Integer x = ;
        return x;
    }
}
`,
  },
  unknownMethod: {
    'Foo.cls': `/** @description A class that exists. */
public with sharing class Foo {
    /** @description Says hi. @return hi */
    public static String hello() {
        return 'hi';
    }
}
`,
    'Bar.cls': `/** @description Calls a method Foo does not have. */
public with sharing class Bar {
    /** @description Broken call. @return never */
    public static String call() {
        String s = Foo.nope();
        return s;
    }
}
`,
  },
  soqlInLoop: {
    'LoopQuery.cls': `/** @description Queries once per account: breaks at 100 accounts. */
public with sharing class LoopQuery {
    /**
     * @description Counts contacts of the accounts.
     * @param accountIds the accounts
     * @return the number of contacts
     */
    public static Integer countContacts(List<Id> accountIds) {
        Integer total = 0;
        for (Id accountId : accountIds) {
            total += [SELECT COUNT() FROM Contact WHERE AccountId = :accountId WITH USER_MODE];
        }
        return total;
    }
}
`,
  },
  noSharing: {
    'NoSharing.cls': `/** @description Runs a query without declaring its sharing mode. */
public class NoSharing {
    /** @description Counts accounts. @return the count */
    public static Integer countAccounts() {
        return [SELECT COUNT() FROM Account WITH USER_MODE];
    }
}
`,
  },
  soqlInjection: {
    'Injection.cls': `/** @description Builds a query from user input. */
public with sharing class Injection {
    /**
     * @description Finds accounts by name.
     * @param userInput text typed by the user
     * @return the accounts
     */
    public static List<Account> findByName(String userInput) {
        return Database.query('SELECT Id FROM Account WHERE Name = \\'' + userInput + '\\'');
    }
}
`,
  },
  setupDml: {
    'Deactivate.cls': `/** @description Changes a user: the package must not. */
public with sharing class Deactivate {
    /** @description Deactivates the user. @param someUser the user */
    public static void deactivate(User someUser) {
        someUser.IsActive = false;
        update someUser;
    }
}
`,
  },
  reservedName: {
    'Other.cls': `/** @description Uses a name Apex reserves. */
public with sharing class Other {
    /** @description Collects. @return one */
    public static Integer collect() {
        return 1;
    }
}
`,
  },
  // Allowed: the query is the loop's iterable, it runs once.
  soqlForLoop: {
    'SoqlForLoop.cls': `/** @description Iterates over a query result with a SOQL for-loop. */
public with sharing class SoqlForLoop {
    /**
     * @description Counts the given accounts that have a name.
     * @param ids the accounts
     * @return how many have a name
     */
    public static Integer countNamed(Set<Id> ids) {
        Integer named = 0;
        for (Account a : [SELECT Id, Name FROM Account WHERE Id IN :ids WITH USER_MODE]) {
            if (a.Name != null) {
                named++;
            }
        }
        return named;
    }
}
`,
  },
};

// An LWC bundle as the other checks will meet it. PMD's Rhino parser crashes on `catch {` and
// cannot read modules; apex-pmd leaves **/lwc/**/*.js and **/__tests__/** to ESLint and Jest.
const LWC_BUNDLE = {
  'force-app/main/default/lwc/sample/sample.js': `import { LightningElement, api } from 'lwc';

export default class Sample extends LightningElement {
    @api recordId;

    get parsed() {
        try {
            return JSON.parse(this.recordId);
        } catch {
            return null;
        }
    }
}
`,
  'force-app/main/default/lwc/sample/sample.html': `<template>
    <p>{recordId}</p>
</template>
`,
  'force-app/main/default/lwc/sample/sample.js-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>
<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>66.0</apiVersion>
    <isExposed>false</isExposed>
</LightningComponentBundle>
`,
  'force-app/main/default/lwc/sample/__tests__/sample.test.js':
    'this is { not JavaScript PMD could parse\n',
};

// ── planted projects for the SOQL budget and field checks ─────────────────────────────────────
const QUERIES_CLS = (usernameField = 'Username') => `/** @description The queries. */
public with sharing class FactsQueries {
    /** @description Users by id. Binds: ids. */
    public static final String USERS = 'SELECT Id, ${usernameField} FROM User WHERE Id IN :ids';
    /** @description Logins by user. Binds: ids. */
    public static final String LOGINS = 'SELECT UserId, IsFrozen FROM UserLogin WHERE UserId IN :ids';
}
`;
const SELECTOR_CLS = (extraQuery = '') => `/** @description Reads users. */
public virtual with sharing class UserSel {
    /** @description Users. @param ids the users @return the users */
    public virtual List<User> fetch(Set<Id> ids) {
        return (List<User>) Database.queryWithBinds(FactsQueries.USERS, new Map<String, Object>{ 'ids' => ids }, AccessLevel.USER_MODE);
    }
    /** @description Logins. @param ids the users @return the logins */
    public virtual List<UserLogin> logins(Set<Id> ids) {
        return (List<UserLogin>) Database.queryWithBinds(FactsQueries.LOGINS, new Map<String, Object>{ 'ids' => ids }, AccessLevel.USER_MODE);
    }${extraQuery}
}
`;
const ENTRY_CLS = (body) => `/** @description Entry point. */
public with sharing class Entry {
    private static UserSel users = new UserSel();
    /** @description Runs. @param ids the users @return a count */
    public static Integer runCheck(Set<Id> ids) {
        Integer total = 0;
${body}
        return total;
    }
}
`;
const ONE_QUERY = '        total += users.fetch(ids).size();';
const TWO_QUERIES = `${ONE_QUERY}\n        total += users.logins(ids).size();`;
const QUERY_IN_LOOP = `        for (Id userId : ids) {
            total += users.fetch(new Set<Id>{ userId }).size();
        }`;
const budgetFile = (count) => JSON.stringify({ entryPoints: { 'Entry.runCheck': count } }, null, 2);
const FIELD_REFERENCE = JSON.stringify(
  {
    queryClass: 'FactsQueries',
    catalogQueryClasses: { CatalogSel: 'reads Thing__mdt' },
    productQueryClasses: { RunSel: 'reads Run__c and User' },
    objects: {
      User: { Id: 'test', Username: 'test' },
      UserLogin: { UserId: 'test', IsFrozen: 'test' },
    },
  },
  null,
  2,
);
const THING_MDT = {
  'force-app/main/default/objects/Thing__mdt/Thing__mdt.object-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Thing</label>
    <pluralLabel>Things</pluralLabel>
    <visibility>Public</visibility>
</CustomObject>
`,
  'force-app/main/default/objects/Thing__mdt/fields/Value__c.field-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Value__c</fullName>
    <label>Value</label>
    <length>80</length>
    <type>Text</type>
</CustomField>
`,
};
const RUN_OBJECT = {
  'force-app/main/default/objects/Run__c/Run__c.object-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Run</label>
    <pluralLabel>Runs</pluralLabel>
</CustomObject>
`,
  'force-app/main/default/objects/Run__c/fields/Score__c.field-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Score__c</fullName>
    <label>Score</label>
    <precision>3</precision>
    <scale>0</scale>
    <type>Number</type>
</CustomField>
`,
};
const RUN_CLS = (runField, userField) => `/** @description Reads the product's own records. */
public with sharing class RunSel {
    /** @description Runs. @return the runs */
    public static List<Run__c> runs() {
        return [SELECT Id, CreatedBy.Name, ${runField} FROM Run__c WITH USER_MODE ORDER BY CreatedDate DESC];
    }
    /** @description Users. @return the users */
    public static List<User> users() {
        return [SELECT ${userField} FROM User WITH USER_MODE LIMIT 1];
    }
}
`;
const CATALOG_CLS = (field) => `/** @description Reads the catalog. */
public with sharing class CatalogSel {
    /** @description Things. @return the things */
    public static List<Thing__mdt> things() {
        return [SELECT DeveloperName, ${field} FROM Thing__mdt WITH USER_MODE];
    }
}
`;
function soqlProject(
  name,
  {
    entry = ONE_QUERY,
    budget = 2,
    queries = QUERIES_CLS(),
    selector = SELECTOR_CLS(),
    catalogField = 'Value__c',
    runField = 'Score__c',
    userField = 'Username',
  } = {},
) {
  return makeProject(
    name,
    {
      'FactsQueries.cls': queries,
      'UserSel.cls': selector,
      'Entry.cls': ENTRY_CLS(entry),
      'CatalogSel.cls': CATALOG_CLS(catalogField),
      'RunSel.cls': RUN_CLS(runField, userField),
    },
    {
      otherFiles: {
        'scripts/tooling/checks/apex-soql-budget.json': budgetFile(budget),
        'scripts/tooling/checks/soql-field-reference.json': FIELD_REFERENCE,
        ...THING_MDT,
        ...RUN_OBJECT,
      },
    },
  );
}

// (k) apex-query-bounds: FactsQueries with named caps, and planted unbounded or oversized queries.
const BOUNDED_QUERIES_CLS = ({
  maxUsers = 1000,
  loginsTail = "LIMIT ' + (MAX_USERS + 1)",
  extra = '',
} = {}) => `/** @description The queries. */
public with sharing class FactsQueries {
    /** @description Most users read. */
    public static final Integer MAX_USERS = ${maxUsers};
    /** @description Users by id. Binds: ids. */
    public static final String USERS = 'SELECT Id, Username FROM User WHERE Id IN :ids LIMIT ' + (MAX_USERS + 1);
    /** @description Logins by user. Binds: ids. */
    public static final String LOGINS = 'SELECT UserId, IsFrozen FROM UserLogin WHERE UserId IN :ids ${loginsTail};${extra}
}
`;
function boundsProject(
  name,
  { queries = BOUNDED_QUERIES_CLS(), selector = SELECTOR_CLS(), entry = TWO_QUERIES } = {},
) {
  return makeProject(
    name,
    { 'FactsQueries.cls': queries, 'UserSel.cls': selector, 'Entry.cls': ENTRY_CLS(entry) },
    { otherFiles: { 'scripts/tooling/checks/apex-soql-budget.json': budgetFile(2) } },
  );
}

// ── project builder ────────────────────────────────────────────────────────────────────────────
const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'apex-checks-selftest-'));

function sfdxProjectJson() {
  const real = path.join(REPO_ROOT, 'sfdx-project.json');
  if (existsSync(real)) return readFileSync(real, 'utf8');
  return JSON.stringify(
    { packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' },
    null,
    2,
  );
}

/** Writes a project named `name` with the given Apex classes; `withRealClasses` adds SalesforceId*. */
function makeProject(name, classes, { withRealClasses = true, otherFiles = {} } = {}) {
  const dir = path.join(tmpRoot, name);
  mkdirSync(path.join(dir, CLASSES), { recursive: true });
  writeFileSync(path.join(dir, 'sfdx-project.json'), sfdxProjectJson());
  if (withRealClasses) {
    for (const file of [
      'SalesforceId.cls',
      'SalesforceId.cls-meta.xml',
      'SalesforceIdTest.cls',
      'SalesforceIdTest.cls-meta.xml',
    ]) {
      cpSync(path.join(REPO_ROOT, CLASSES, 'primitives', file), path.join(dir, CLASSES, file));
    }
  }
  for (const [file, source] of Object.entries(classes)) {
    writeFileSync(path.join(dir, CLASSES, file), source);
    writeFileSync(path.join(dir, CLASSES, `${file}-meta.xml`), META);
  }
  for (const [file, content] of Object.entries(otherFiles)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const projects = {
  clean: makeProject('clean', SOURCES.soqlForLoop, { otherFiles: LWC_BUNDLE }),
  empty: makeProject('empty', {}, { withRealClasses: false }),
  syntaxError: makeProject('syntax-error', SOURCES.syntaxError),
  unknownMethod: makeProject('unknown-method', SOURCES.unknownMethod),
  soqlInLoop: makeProject('soql-in-loop', SOURCES.soqlInLoop),
  noSharing: makeProject('no-sharing', SOURCES.noSharing),
  soqlInjection: makeProject('soql-injection', SOURCES.soqlInjection),
  setupDml: makeProject('setup-dml', SOURCES.setupDml),
  reservedName: makeProject('reserved-name', SOURCES.reservedName),
  soqlWithinBudget: soqlProject('soql-within-budget', { entry: TWO_QUERIES, budget: 2 }),
  soqlOverBudget: soqlProject('soql-over-budget', { entry: TWO_QUERIES, budget: 1 }),
  soqlUnderBudget: soqlProject('soql-under-budget', { entry: ONE_QUERY, budget: 2 }),
  soqlCallInLoop: soqlProject('soql-call-in-loop', { entry: QUERY_IN_LOOP, budget: 1 }),
  fieldTypo: soqlProject('field-typo', { entry: TWO_QUERIES, queries: QUERIES_CLS('Usernme') }),
  queryOutside: soqlProject('query-outside', {
    entry: TWO_QUERIES,
    selector: SELECTOR_CLS(`
    /** @description Inline query. @return users */
    public List<User> inline() {
        return [SELECT Id FROM User WITH USER_MODE LIMIT 1];
    }`),
    budget: 2,
  }),
  catalogField: soqlProject('catalog-field', { entry: TWO_QUERIES, catalogField: 'Missing__c' }),
  productField: soqlProject('product-field', { entry: TWO_QUERIES, runField: 'Scroe__c' }),
  productStandardField: soqlProject('product-standard-field', {
    entry: TWO_QUERIES,
    userField: 'Usernme',
  }),
};
const boundsProjects = {
  bounded: boundsProject('bounds-ok'),
  noLimit: boundsProject('bounds-no-limit', { queries: BOUNDED_QUERIES_CLS({ loginsTail: "'" }) }),
  bareNumber: boundsProject('bounds-bare-number', {
    queries: BOUNDED_QUERIES_CLS({ loginsTail: "LIMIT 500'" }),
  }),
  overCeiling: boundsProject('bounds-over-ceiling', {
    queries: BOUNDED_QUERIES_CLS({ maxUsers: 20000 }),
  }),
  pageOverCeiling: boundsProject('bounds-page-over-ceiling', {
    queries: BOUNDED_QUERIES_CLS({
      loginsTail: "AND Id > :lastId ORDER BY Id LIMIT ' + PAGE_SIZE",
      extra: `
    /** @description Rows per page. */
    public static final Integer PAGE_SIZE = 5000;`,
    }),
  }),
  staticNoLimit: boundsProject('bounds-static-no-limit', {
    selector: SELECTOR_CLS(`
    /** @description Inline query. @return users */
    public List<User> inline() {
        return [SELECT Id FROM User WITH USER_MODE];
    }`),
  }),
  overTransaction: boundsProject('bounds-over-transaction', {
    queries: BOUNDED_QUERIES_CLS({ maxUsers: 10000 }),
    entry: Array(5).fill(ONE_QUERY).join('\n'),
  }),
};
// (l) import graphs: a layered one, and cycles through a type import, an LWC module and a
// dynamic import; the compiled .js beside a .ts is not a module of its own.
const cycleProject = (name, files) => {
  const dir = path.join(tmpRoot, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
};
const LAYERED = {
  'src/cli/main.ts': "import { collect } from '../collectors/collect';\nimport './usage.js';\n",
  'src/cli/usage.ts': "import { UsageError } from '../lib/errors';\nexport const u = UsageError;\n",
  'src/cli/usage.js': "import { run } from './main';\n",
  'src/collectors/collect.ts':
    "import type { UsageError } from '../lib/errors';\nexport const collect = 1;\n",
  'src/lib/errors.ts': "import 'some-package';\nexport class UsageError extends Error {}\n",
  'force-app/main/default/lwc/engine/engine.ts': 'export const engine = 1;\n',
  'force-app/main/default/lwc/monitor/monitor.js': "import { engine } from 'c/engine';\n",
};
const cycleProjects = {
  layered: cycleProject('cycles-none', LAYERED),
  typeCycle: cycleProject('cycles-type', {
    ...LAYERED,
    'src/lib/errors.ts':
      "import type { collect } from '../collectors/collect';\nexport class UsageError {}\n",
  }),
  lwcCycle: cycleProject('cycles-lwc', {
    ...LAYERED,
    'force-app/main/default/lwc/engine/engine.ts': "export * from 'c/monitor';\n",
  }),
  dynamicCycle: cycleProject('cycles-dynamic', {
    ...LAYERED,
    'src/collectors/collect.ts': "export const collect = () => import('../cli/main');\n",
  }),
  empty: cycleProject('cycles-empty', { 'README.md': 'nothing to import\n' }),
};
// (l) layers: the product (force-app/, scripts/cli/) never imports the tooling (scripts/tooling/).
const LAYERS = {
  'force-app/main/default/lwc/engine/engine.ts': 'export const engine = 1;\n',
  'scripts/cli/main.ts':
    "import { engine } from '../../force-app/main/default/lwc/engine/engine';\n",
  'scripts/cli/__tests__/main.test.ts': "import '../../tooling/bench/bench';\n",
  'scripts/tooling/bench/bench.ts': "import '../../cli/main';\n",
};
const layerProjects = {
  layered: cycleProject('layers-none', LAYERS),
  cliToTooling: cycleProject('layers-cli', {
    ...LAYERS,
    'scripts/cli/main.ts': "export const bench = () => import('../tooling/bench/bench');\n",
  }),
  packageToCli: cycleProject('layers-package', {
    ...LAYERS,
    'force-app/main/default/lwc/engine/engine.ts':
      "import type { x } from '../../../../../scripts/cli/main';\n",
  }),
};
const cycleCases = [
  {
    title:
      '(l) product modules that import only the product pass import-layers (tests may import tooling)',
    check: 'import-layers',
    dir: layerProjects.layered,
    exit: 0,
    output: [/0 import\(s\) against the layers, of 1 product imports in 4 modules/],
  },
  {
    title: '(l) the CLI importing the tooling (dynamic import) fails import-layers, naming both',
    check: 'import-layers',
    dir: layerProjects.cliToTooling,
    exit: 1,
    output: [
      /scripts\/cli\/main\.ts \(the CLI\) imports scripts\/tooling\/bench\/bench\.ts \(the tooling\)/,
    ],
  },
  {
    title: '(l) the package importing the CLI (a type import) fails import-layers',
    check: 'import-layers',
    dir: layerProjects.packageToCli,
    exit: 1,
    output: [
      /force-app\/main\/default\/lwc\/engine\/engine\.ts \(the package\) imports scripts\/cli\/main\.ts \(the CLI\)/,
    ],
  },
  {
    title: '(l) a layered import graph passes import-cycles (compiled .js beside its .ts ignored)',
    check: 'import-cycles',
    dir: cycleProjects.layered,
    exit: 0,
    output: [/0 cycle\(s\) among 6 modules and 5 imports/],
  },
  {
    title: '(l) a cycle through an `import type` fails import-cycles, naming it',
    check: 'import-cycles',
    dir: cycleProjects.typeCycle,
    exit: 1,
    output: [
      /import cycle: src\/collectors\/collect\.ts → src\/lib\/errors\.ts → src\/collectors\/collect\.ts/,
    ],
  },
  {
    title: '(l) a cycle through the LWC namespace (c/…) fails import-cycles',
    check: 'import-cycles',
    dir: cycleProjects.lwcCycle,
    exit: 1,
    output: [
      /import cycle: force-app\/main\/default\/lwc\/engine\/engine\.ts → force-app\/main\/default\/lwc\/monitor\/monitor\.js → force-app\/main\/default\/lwc\/engine\/engine\.ts/,
    ],
  },
  {
    title: '(l) a cycle through a dynamic import() fails import-cycles',
    check: 'import-cycles',
    dir: cycleProjects.dynamicCycle,
    exit: 1,
    output: [
      /import cycle: src\/cli\/main\.ts → src\/collectors\/collect\.ts → src\/cli\/main\.ts/,
    ],
  },
  {
    title: 'a project without modules fails import-cycles',
    check: 'import-cycles',
    dir: cycleProjects.empty,
    exit: 1,
    output: [/no TypeScript or JavaScript module found/],
  },
];

// (j) metadata trees: one clean, one per planted defect.
const metadataProject = (name, plant) => {
  const dir = writeProductFixture(path.join(tmpRoot, name), REPO_ROOT);
  if (plant) plant(dir);
  return dir;
};
const metadataClean = metadataProject('metadata-clean');
const metadataCases = [
  ...['metadata-consistency', 'sf-project-convert'].map((check) => ({
    title: `(j) complete product tree passes ${check}`,
    check,
    dir: metadataClean,
    exit: 0,
    output: [/✔/],
  })),
  ...[
    ...CONSISTENCY_DEFECTS.map((d) => ['metadata-consistency', ...d]),
    ...CONVERT_DEFECTS.map((d) => ['sf-project-convert', ...d]),
  ].map(([check, title, plant, pattern], i) => ({
    title: `(j) ${title} fails ${check}`,
    check,
    dir: metadataProject(`metadata-defect-${i}`, plant),
    exit: 1,
    output: [pattern],
  })),
];

// A PATH with no java on it (node is started by absolute path, so it is not needed on PATH).
const noJavaBin = path.join(tmpRoot, 'no-java-bin');
mkdirSync(noJavaBin);
const NO_JAVA_ENV = { ...process.env, PATH: noJavaBin };

// ── expectations ───────────────────────────────────────────────────────────────────────────────
// exit: expected exit code; output: regexes that must all appear in stdout+stderr.
const cases = [
  ...['apex-syntax', 'apex-semantic', 'apex-pmd', 'apex-loops'].map((check) => ({
    title: `clean project (SalesforceId, SOQL for-loop, LWC bundle) passes ${check}`,
    check,
    dir: projects.clean,
    exit: 0,
    output: [/✔/],
  })),
  ...['apex-syntax', 'apex-semantic', 'apex-pmd', 'apex-loops'].map((check) => ({
    title: `project without Apex fails ${check}`,
    check,
    dir: projects.empty,
    exit: 1,
    output: [/✖/],
  })),
  {
    title: '(a) syntax error fails apex-syntax',
    check: 'apex-syntax',
    dir: projects.syntaxError,
    exit: 1,
    output: [/Broken\.cls:3:\d+ /, /1 syntax error/],
  },
  {
    title: '(a) syntax error also fails apex-pmd (file cannot be processed)',
    check: 'apex-pmd',
    dir: projects.syntaxError,
    exit: 1,
    output: [/processing error for file .*Broken\.cls/],
  },
  {
    title: '(b) unknown method is valid syntax',
    check: 'apex-syntax',
    dir: projects.unknownMethod,
    exit: 0,
  },
  {
    title: '(b) unknown method Foo.nope() fails apex-semantic',
    check: 'apex-semantic',
    dir: projects.unknownMethod,
    exit: 1,
    output: [/Bar\.cls:5:\d+ Missing — No matching method found for 'nope' on 'Foo'/],
  },
  {
    title: '(c) SOQL in for loop fails apex-loops',
    check: 'apex-loops',
    dir: projects.soqlInLoop,
    exit: 1,
    output: [/LoopQuery\.cls:11:\d+ SOQL query inside for loop at line 10/],
  },
  {
    title: '(c) SOQL in for loop fails apex-pmd',
    check: 'apex-pmd',
    dir: projects.soqlInLoop,
    exit: 1,
    output: [/LoopQuery\.cls:11 OperationWithLimitsInLoop/],
  },
  {
    title: '(d) class without sharing declaration fails apex-pmd',
    check: 'apex-pmd',
    dir: projects.noSharing,
    exit: 1,
    output: [/NoSharing\.cls:\d+ ApexSharingViolations/],
  },
  {
    title: '(d) SOQL injection fails apex-pmd',
    check: 'apex-pmd',
    dir: projects.soqlInjection,
    exit: 1,
    output: [/Injection\.cls:\d+ ApexSOQLInjection/],
  },
  {
    title: '(e) DML on User fails apex-loops',
    check: 'apex-loops',
    dir: projects.setupDml,
    exit: 1,
    output: [/Deactivate\.cls:6:\d+ DML 'update' on setup object User/],
  },
  {
    title: '(f) no Java: apex-semantic fails with the prerequisite message',
    check: 'apex-semantic',
    dir: projects.clean,
    env: NO_JAVA_ENV,
    exit: 1,
    output: [new RegExp(escapeRegExp(JAVA_REQUIRED_MESSAGE))],
  },
  {
    title: '(f) no Java: apex-pmd fails with the prerequisite message',
    check: 'apex-pmd',
    dir: projects.clean,
    env: NO_JAVA_ENV,
    exit: 1,
    output: [new RegExp(escapeRegExp(JAVA_REQUIRED_MESSAGE))],
  },

  {
    title: '(g) a method name Apex reserves fails apex-semantic',
    check: 'apex-semantic',
    dir: projects.reservedName,
    exit: 1,
    output: [/Other\.cls:\d+:\d+ Warning — 'collect' is currently a legal method name/],
  },
  ...['apex-soql-budget', 'apex-soql-fields'].map((check) => ({
    title: `project without Apex fails ${check}`,
    check,
    dir: projects.empty,
    exit: 1,
    output: [/✖/],
  })),
  {
    title: '(h) queries within budget pass apex-soql-budget and the count is printed',
    check: 'apex-soql-budget',
    dir: projects.soqlWithinBudget,
    exit: 0,
    output: [
      /Entry\.runCheck: 2 SOQL statement\(s\) per call \(budget 2\)/,
      /UserSel\.logins Database\.queryWithBinds\(\)/,
    ],
  },
  {
    title: '(h) one more reachable query fails apex-soql-budget',
    check: 'apex-soql-budget',
    dir: projects.soqlOverBudget,
    exit: 1,
    output: [/Entry\.runCheck reaches 2 SOQL statements, over its budget of 1/],
  },
  {
    title: '(h) a budget above the count fails apex-soql-budget (keep it exact)',
    check: 'apex-soql-budget',
    dir: projects.soqlUnderBudget,
    exit: 1,
    output: [/under its budget of 2: lower the budget/],
  },
  {
    title: '(h) a querying method called in a loop fails apex-soql-budget',
    check: 'apex-soql-budget',
    dir: projects.soqlCallInLoop,
    exit: 1,
    output: [
      /Entry\.cls:\d+ users\.fetch\(\) inside for loop at line \d+ reaches 1 SOQL statement/,
    ],
  },
  {
    title: '(h) ... which apex-loops alone does not see',
    check: 'apex-loops',
    dir: projects.soqlCallInLoop,
    exit: 0,
  },
  {
    title: 'project without Apex fails apex-query-bounds',
    check: 'apex-query-bounds',
    dir: projects.empty,
    exit: 1,
    output: [/no Apex query/],
  },
  {
    title:
      '(k) queries capped by named constants pass apex-query-bounds, rows per entry point printed',
    check: 'apex-query-bounds',
    dir: boundsProjects.bounded,
    exit: 0,
    output: [
      /FactsQueries USERS: 1001 row\(s\)/,
      /Entry\.runCheck: at most 2002 row\(s\) per call/,
    ],
  },
  {
    title: '(k) a string query without LIMIT fails apex-query-bounds',
    check: 'apex-query-bounds',
    dir: boundsProjects.noLimit,
    exit: 1,
    output: [/FactsQueries\.cls:\d+ LOGINS has no LIMIT/],
  },
  {
    title: '(k) a LIMIT written as a bare number fails apex-query-bounds',
    check: 'apex-query-bounds',
    dir: boundsProjects.bareNumber,
    exit: 1,
    output: [/LOGINS writes its LIMIT as a bare number/],
  },
  {
    title: '(k) a cap above the per-query ceiling fails apex-query-bounds',
    check: 'apex-query-bounds',
    dir: boundsProjects.overCeiling,
    exit: 1,
    output: [/USERS reads up to 20001 rows, above the query ceiling of 10001/],
  },
  {
    title: '(k) a keyset page above the page ceiling fails apex-query-bounds',
    check: 'apex-query-bounds',
    dir: boundsProjects.pageOverCeiling,
    exit: 1,
    output: [/LOGINS reads up to 5000 rows, above the page ceiling of 2000/],
  },
  {
    title: '(k) static SOQL without LIMIT fails apex-query-bounds',
    check: 'apex-query-bounds',
    dir: boundsProjects.staticNoLimit,
    exit: 1,
    output: [/UserSel\.cls:\d+ \[SELECT \.\.\.\] has no LIMIT/],
  },
  {
    title: '(k) an entry point reaching more than 50,000 rows fails apex-query-bounds',
    check: 'apex-query-bounds',
    dir: boundsProjects.overTransaction,
    exit: 1,
    output: [/Entry\.runCheck can retrieve 50005 rows, above the 50000 rows/],
  },
  {
    title: '(i) documented fields pass apex-soql-fields',
    check: 'apex-soql-fields',
    dir: projects.soqlWithinBudget,
    exit: 0,
    output: [/USERS: User \(Id, Username\)/],
  },
  {
    title: '(i) a misspelt field fails apex-soql-fields',
    check: 'apex-soql-fields',
    dir: projects.fieldTypo,
    exit: 1,
    output: [/USERS: User\.Usernme is not a documented field/],
  },
  {
    title: '(i) a query outside the query class fails apex-soql-fields',
    check: 'apex-soql-fields',
    dir: projects.queryOutside,
    exit: 1,
    output: [/UserSel\.cls:\d+ SOQL outside FactsQueries/],
  },
  {
    title: '(i) a catalog query naming a field the type lacks fails apex-soql-fields',
    check: 'apex-soql-fields',
    dir: projects.catalogField,
    exit: 1,
    output: [/Thing__mdt\.Missing__c is not a field of Thing__mdt/],
  },
  {
    title: '(i) a product query naming a field its object lacks fails apex-soql-fields',
    check: 'apex-soql-fields',
    dir: projects.productField,
    exit: 1,
    output: [/RunSel\.cls:\d+ Run__c\.Scroe__c is not a field of Run__c/],
  },
  {
    title: '(i) a product query naming an undocumented standard field fails apex-soql-fields',
    check: 'apex-soql-fields',
    dir: projects.productStandardField,
    exit: 1,
    output: [/RunSel\.cls:\d+ User\.Usernme is not a documented field/],
  },
  ...metadataCases,
  ...cycleCases,
];

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function runCheck({ check, dir, env }) {
  const script = path.join(CHECKS_DIR, `${check}.js`);
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script, dir],
      { cwd: REPO_ROOT, env: env ?? process.env, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const exit = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ exit, output: `${stdout}${stderr}`, ms: Date.now() - started });
      },
    );
  });
}

/** Runs the cases with at most `limit` child processes at a time (PMD and apex-ls are JVMs). */
async function runAll(items, limit) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await runCheck(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** In-process: the exported run(projectDir) returns { ok, errors } (output silenced). */
async function inProcessCases() {
  const checks = [
    ['apex-syntax', projects.syntaxError, false],
    ['apex-syntax', projects.clean, true],
    ['apex-loops', projects.soqlInLoop, false],
    ['apex-loops', projects.clean, true],
    ['apex-soql-budget', projects.soqlOverBudget, false],
    ['apex-soql-budget', projects.soqlWithinBudget, true],
    ['apex-soql-fields', projects.fieldTypo, false],
    ['apex-soql-fields', projects.soqlWithinBudget, true],
    ['apex-query-bounds', boundsProjects.noLimit, false],
    ['apex-query-bounds', boundsProjects.bounded, true],
    ['import-cycles', cycleProjects.dynamicCycle, false],
    ['import-cycles', cycleProjects.layered, true],
    ['import-layers', layerProjects.cliToTooling, false],
    ['import-layers', layerProjects.layered, true],
  ];
  const outcomes = [];
  for (const [check, dir, expectedOk] of checks) {
    const { run } = await import(`./${check}.js`);
    const log = console.log;
    console.log = () => {};
    let result;
    try {
      result = await run(dir);
    } finally {
      console.log = log;
    }
    const shapeOk = typeof result?.ok === 'boolean' && Array.isArray(result?.errors);
    const pass =
      shapeOk &&
      result.ok === expectedOk &&
      (expectedOk ? result.errors.length === 0 : result.errors.length > 0);
    outcomes.push({
      title: `run(${path.basename(dir)}) of ${check} returns { ok: ${expectedOk}, errors: [${expectedOk ? '' : '…'}] }`,
      pass,
      detail: pass ? '' : `got ${JSON.stringify(result)}`,
    });
  }
  return outcomes;
}

/** Stops the processes this selftest started (found by its own marker), by pid. */
function stop(found) {
  for (const { pid } of found ?? []) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

/** run-all's leftover-process check, and the Salesforce CLI environment that keeps it green. */
async function leftoverCases() {
  const outcomes = [];
  const push = ({ title, pass, detail }) =>
    outcomes.push({ title, pass, detail: pass ? '' : detail });
  const marker = (name) => `selftest-${process.pid}-${name}`;
  // 1. A detached process in its own session (as the sf updater is) is found through its environment.
  const id = marker('detached');
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, [RUN_MARKER]: id },
  });
  child.unref();
  const found = await leftoverProcesses(id, { graceMs: 300 });
  stop(found);
  const gone = await leftoverProcesses(id, { graceMs: 3000 });
  push({
    title: 'leftover-processes finds a detached process carrying the run marker, by pid',
    pass:
      found === null ||
      (found.some((p) => p.pid === child.pid) && found.length === 1 && gone.length === 0),
    detail: `found ${JSON.stringify(found)}, after stopping it ${JSON.stringify(gone)}`,
  });
  // 2. The Salesforce CLI: SF_ENV leaves nothing; SF_AUTOUPDATE_DISABLE alone leaves the updater.
  const sf = path.join(REPO_ROOT, 'node_modules', '.bin', 'sf');
  if (!existsSync(sf)) return outcomes;
  const runSf = async (name, env) => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'selftest-sf-cache-'));
    const runId = marker(name);
    await new Promise((resolve) => {
      execFile(
        sf,
        ['--version'],
        {
          env: {
            ...process.env,
            ...env,
            // As under `npm test`: the CLI finds itself on PATH, so its updater can start.
            PATH: `${path.dirname(sf)}${path.delimiter}${process.env.PATH ?? ''}`,
            SF_CACHE_DIR: cache,
            [RUN_MARKER]: runId,
          },
          timeout: 60_000,
        },
        () => resolve(),
      );
    });
    const left = await leftoverProcesses(runId, { graceMs: 1500 });
    stop(left);
    rmSync(cache, { recursive: true, force: true });
    return left ?? [];
  };
  const withEnv = await runSf('sf-env', SF_ENV);
  push({
    title: 'sf run with SF_ENV (sf-project-convert) leaves no process behind',
    pass: withEnv.length === 0,
    detail: `still running: ${JSON.stringify(withEnv)}`,
  });
  const { SF_DISABLE_AUTOUPDATE: _oclifSpelling, ...documentedOnly } = SF_ENV;
  const withoutOclif = await runSf('sf-autoupdate', {
    ...documentedOnly,
    SF_DISABLE_AUTOUPDATE: '',
  });
  push({
    title:
      'sf run with SF_AUTOUPDATE_DISABLE alone leaves `sf update --autoupdate` running: found and stopped',
    pass: withoutOclif.some((p) => p.command.includes('update --autoupdate')),
    detail: `found ${JSON.stringify(withoutOclif)}`,
  });
  return outcomes;
}

// ── main ───────────────────────────────────────────────────────────────────────────────────────
const started = Date.now();
console.log(`selftest: planted projects in ${tmpRoot}`);
const results = await runAll(
  cases,
  Math.max(2, Math.min(4, Math.floor(os.availableParallelism() / 2))),
);
let passed = 0;
let failed = 0;
cases.forEach((c, i) => {
  const r = results[i];
  const problems = [];
  if (r.exit !== c.exit) problems.push(`exit code ${r.exit}, expected ${c.exit}`);
  for (const pattern of c.output ?? []) {
    if (!pattern.test(r.output)) problems.push(`output does not match ${pattern}`);
  }
  if (problems.length === 0) {
    passed += 1;
    console.log(`✔ ${c.title} (${(r.ms / 1000).toFixed(1)}s)`);
  } else {
    failed += 1;
    console.log(`✖ ${c.title}: ${problems.join('; ')}`);
    console.log(r.output.replace(/^/gm, '    │ '));
  }
});
for (const outcome of [...(await inProcessCases()), ...(await leftoverCases())]) {
  if (outcome.pass) passed += 1;
  else failed += 1;
  console.log(
    `${outcome.pass ? '✔' : '✖'} ${outcome.title}${outcome.detail ? `: ${outcome.detail}` : ''}`,
  );
}

if (process.env.KEEP_SELFTEST_DIR) console.log(`kept ${tmpRoot}`);
else rmSync(tmpRoot, { recursive: true, force: true });
console.log(`selftest took ${((Date.now() - started) / 1000).toFixed(1)}s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
