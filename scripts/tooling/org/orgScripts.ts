/**
 * The scripts that need a Salesforce org: deploy, Apex tests, the scratch-org demo and its
 * clean-up, and a managed package version. Each checks first that the org or Dev Hub it needs is
 * authenticated (`sf org display --json`, `sf org list --json`) and stops with the login command
 * to run when it is not. The CLI is reached only through the injected `SfRunner`.
 */
import type { SfJson, SfRunner } from './sfCli';

export const EXIT = {
  /** A step failed: deploy errors, failing tests, package version not created. */
  FAILED: 1,
  /** Bad arguments. */
  USAGE: 2,
  /** No org or Dev Hub authenticated, or the project is not ready (namespace). */
  NOT_AUTHENTICATED: 3,
  /** The org lacks a feature the demo needs (CRM Analytics). */
  FEATURE_UNAVAILABLE: 4,
} as const;

export class OrgScriptError extends Error {
  override name = 'OrgScriptError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export interface SfdxProject {
  packageDirectories: { path: string; package?: string; default?: boolean }[];
  namespace?: string;
  packageAliases?: Record<string, string>;
}

export interface OrgContext {
  sf: SfRunner;
  /** Compiles the TypeScript (LWC .js files) before anything is deployed; throws on failure. */
  build: () => void;
  project: SfdxProject;
  log: (line: string) => void;
}

export const PACKAGE_DIR = 'force-app';
export const DEMO_DIR = 'demo';
export const SCRATCH_DEF = 'config/project-scratch-def.json';
export const DEMO_ALIAS = 'analytics-health-demo';
export const PERMISSION_SET = 'Analytics_Health_Admin';
export const TAB = 'Analytics_Health';
export const DEMO_PROFILE = 'AH Demo Integration User';
export const INTEGRATION_LICENSE = 'Analytics Cloud Integration User';
export const MIN_COVERAGE = 75;
const WAIT_MINUTES = '30';

const LOGIN_ORG = (alias: string) => `sf org login web --alias ${alias}`;
const LOGIN_HUB = 'sf org login web --set-default-dev-hub --alias DevHub';

// ── arguments ───────────────────────────────────────────────────────────────────────────────────
export interface Options {
  targetOrg?: string;
  targetDevHub?: string;
  alias: string;
  durationDays: string;
  open: boolean;
  installationKey?: string;
  wait: string;
}

const VALUE_FLAGS: Record<string, keyof Options> = {
  '--target-org': 'targetOrg',
  '-o': 'targetOrg',
  '--target-dev-hub': 'targetDevHub',
  '-v': 'targetDevHub',
  '--alias': 'alias',
  '--duration-days': 'durationDays',
  '--installation-key': 'installationKey',
  '--wait': 'wait',
};

export function parseOptions(argv: string[]): Options {
  const options: Options = { alias: DEMO_ALIAS, durationDays: '7', open: true, wait: '60' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (flag === '--no-open') {
      options.open = false;
      continue;
    }
    const key = VALUE_FLAGS[flag];
    if (!key) throw new OrgScriptError(`Unknown option ${arg}`, EXIT.USAGE);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('-'))
      throw new OrgScriptError(`${flag} needs a value`, EXIT.USAGE);
    (options as unknown as Record<string, string>)[key] = value;
  }
  return options;
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────────────
const shown = (args: string[]) =>
  `sf ${args.map((a) => (/[\s'"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)).join(' ')}`;

function sfJson(ctx: OrgContext, args: string[]): SfJson {
  const result = ctx.sf([...args, '--json']);
  return result.json ?? { status: result.status || 1, message: 'the CLI printed no JSON' };
}

/** Runs a command whose own output the user should see; fails the script when it fails. */
function sfStep(ctx: OrgContext, args: string[], failure: string): void {
  ctx.log(`$ ${shown(args)}`);
  const { status } = ctx.sf(args, { stream: true });
  if (status !== 0) throw new OrgScriptError(`${failure} (sf exited with ${status})`, EXIT.FAILED);
}

interface OrgSummary {
  username: string;
  alias?: string;
  isExpired?: boolean;
  isDefaultDevHubUsername?: boolean;
}
interface OrgList {
  devHubs: OrgSummary[];
  scratchOrgs: OrgSummary[];
}

function orgList(ctx: OrgContext): OrgList {
  const json = sfJson(ctx, ['org', 'list']);
  const result = (json.status === 0 ? json.result : undefined) as Partial<OrgList> | undefined;
  return { devHubs: result?.devHubs ?? [], scratchOrgs: result?.scratchOrgs ?? [] };
}

/** The org to work on: the one named, or the default; stops with the login command otherwise. */
export function requireOrg(ctx: OrgContext, targetOrg: string | undefined): string {
  const json = sfJson(ctx, ['org', 'display', ...(targetOrg ? ['--target-org', targetOrg] : [])]);
  const result = json.result as { username?: string; alias?: string } | undefined;
  if (json.status === 0 && result?.username) return targetOrg ?? result.alias ?? result.username;
  const why = json.message
    ? ` (${json.message
        .replace(/See more help.*/s, '')
        .replace(/\s+/g, ' ')
        .trim()})`
    : '';
  throw new OrgScriptError(
    targetOrg
      ? `No authenticated org "${targetOrg}"${why}. Log in first: ${LOGIN_ORG(targetOrg)}`
      : `No target org${why}. Pass --target-org <alias>, or log in and make it the default: ${LOGIN_ORG('<alias>')} --set-default`,
    EXIT.NOT_AUTHENTICATED,
  );
}

/** The Dev Hub to use: the one named (alias or username) or the default one. */
export function requireDevHub(ctx: OrgContext, named: string | undefined, list = orgList(ctx)) {
  const hub = named
    ? list.devHubs.find((h) => h.alias === named || h.username === named)
    : list.devHubs.find((h) => h.isDefaultDevHubUsername);
  if (hub) return hub.alias ?? hub.username;
  const message = named
    ? `No authenticated Dev Hub "${named}" (sf org list shows ${list.devHubs.length} Dev Hub(s)). Log in: sf org login web --set-default-dev-hub --alias ${named}`
    : list.devHubs.length
      ? `No default Dev Hub. Pass --target-dev-hub <alias> (one of: ${list.devHubs.map((h) => h.alias ?? h.username).join(', ')}) or run: sf config set target-dev-hub=<alias>`
      : `No Dev Hub is authenticated. Log in to your Dev Hub org (Setup > Dev Hub enabled) first: ${LOGIN_HUB}`;
  throw new OrgScriptError(message, EXIT.NOT_AUTHENTICATED);
}

function build(ctx: OrgContext): void {
  ctx.log('Building TypeScript (LWC .js files are build output)…');
  try {
    ctx.build();
  } catch (error) {
    throw new OrgScriptError(`Build failed: ${(error as Error).message}`, EXIT.FAILED);
  }
}

function query<T>(ctx: OrgContext, org: string, soql: string): T[] {
  const json = sfJson(ctx, ['data', 'query', '--query', soql, '--target-org', org]);
  if (json.status !== 0)
    throw new OrgScriptError(`Query failed: ${soql}\n  ${json.message ?? ''}`, EXIT.FAILED);
  return ((json.result as { records?: T[] } | undefined)?.records ?? []) as T[];
}

function tabPath(project: SfdxProject): string {
  const ns = project.namespace?.trim();
  return `lightning/n/${ns ? `${ns}__` : ''}${TAB}`;
}

// ── npm run deploy ──────────────────────────────────────────────────────────────────────────────
export function deploy(ctx: OrgContext, options: Options): void {
  const org = requireOrg(ctx, options.targetOrg);
  build(ctx);
  sfStep(
    ctx,
    [
      'project',
      'deploy',
      'start',
      '--source-dir',
      PACKAGE_DIR,
      '--target-org',
      org,
      '--wait',
      WAIT_MINUTES,
    ],
    `Deploying ${PACKAGE_DIR} to ${org} failed`,
  );
  ctx.log(
    `✔ Deployed ${PACKAGE_DIR} to ${org}. Next: sf org assign permset --name ${PERMISSION_SET} --target-org ${org}`,
  );
}

// ── npm run test:apex ───────────────────────────────────────────────────────────────────────────
interface ApexTestRun {
  summary?: {
    outcome?: string;
    testsRan?: number;
    passing?: number;
    failing?: number;
    orgWideCoverage?: string;
    testRunCoverage?: string;
    testExecutionTime?: string;
  };
  tests?: { FullName?: string; Outcome?: string; Message?: string; StackTrace?: string }[];
}

export function testApex(ctx: OrgContext, options: Options): void {
  const org = requireOrg(ctx, options.targetOrg);
  const args = [
    'apex',
    'run',
    'test',
    '--target-org',
    org,
    '--test-level',
    'RunLocalTests',
    '--code-coverage',
    '--result-format',
    'human',
    '--wait',
    WAIT_MINUTES,
  ];
  ctx.log(`$ ${shown([...args, '--json'])}`);
  const json = sfJson(ctx, args);
  const run = json.result as ApexTestRun | undefined;
  if (!run?.summary)
    throw new OrgScriptError(
      `Apex tests did not run on ${org}: ${json.message ?? 'no result'}`,
      EXIT.FAILED,
    );
  const { summary } = run;
  const failures = (run.tests ?? []).filter((t) => t.Outcome !== 'Pass');
  for (const t of failures) {
    ctx.log(`✖ ${t.FullName}: ${t.Outcome}${t.Message ? ` — ${t.Message}` : ''}`);
    if (t.StackTrace) ctx.log(`    ${t.StackTrace.replace(/\n/g, '\n    ')}`);
  }
  const coverage = summary.testRunCoverage ?? summary.orgWideCoverage ?? 'unknown';
  ctx.log(
    `Apex tests on ${org}: ${summary.outcome}, ${summary.testsRan ?? 0} run, ${summary.passing ?? 0} passed, ` +
      `${summary.failing ?? failures.length} failed; coverage ${coverage} (org-wide ${summary.orgWideCoverage ?? 'unknown'})`,
  );
  if (summary.outcome !== 'Passed' || failures.length > 0 || (summary.failing ?? 0) > 0)
    throw new OrgScriptError('Apex tests failed', EXIT.FAILED);
  const percent = Number.parseFloat(coverage);
  if (!(percent >= MIN_COVERAGE))
    throw new OrgScriptError(
      `Apex code coverage ${coverage} is below the ${MIN_COVERAGE}% a package version needs`,
      EXIT.FAILED,
    );
  ctx.log('✔ Apex tests passed');
}

// ── npm run demo:org ────────────────────────────────────────────────────────────────────────────
interface UserRow {
  Id: string;
  Username: string;
  ProfileId: string;
}

export function demoOrg(ctx: OrgContext, options: Options): void {
  const list = orgList(ctx);
  const hub = requireDevHub(ctx, options.targetDevHub, list);
  const alias = options.alias;

  // 1. Scratch org: reuse a live one with the alias, so a rerun continues where it stopped.
  const existing = list.scratchOrgs.find(
    (o) => (o.alias === alias || o.username === alias) && !o.isExpired,
  );
  if (existing) {
    ctx.log(`1/7 Scratch org "${alias}" exists (${existing.username}); reusing it.`);
  } else {
    const args = [
      'org',
      'create',
      'scratch',
      '--definition-file',
      SCRATCH_DEF,
      '--alias',
      alias,
      '--duration-days',
      options.durationDays,
      '--target-dev-hub',
      hub,
      '--wait',
      WAIT_MINUTES,
    ];
    ctx.log(`1/7 Creating scratch org "${alias}" with CRM Analytics (takes a few minutes)…`);
    ctx.log(`$ ${shown([...args, '--json'])}`);
    const created = sfJson(ctx, args);
    if (created.status !== 0) {
      const message = created.message ?? 'no message';
      if (
        /DevelopmentWave|feature|not (available|supported|enabled)|edition|licen[cs]e/i.test(
          message,
        )
      )
        throw new OrgScriptError(
          `The Dev Hub ${hub} cannot create a scratch org with CRM Analytics (feature DevelopmentWave in ${SCRATCH_DEF}): ${message}`,
          EXIT.FEATURE_UNAVAILABLE,
        );
      throw new OrgScriptError(`Creating the scratch org failed: ${message}`, EXIT.FAILED);
    }
  }

  // 2. The package itself.
  build(ctx);
  ctx.log(`2/7 Deploying the package source (${PACKAGE_DIR})…`);
  sfStep(
    ctx,
    [
      'project',
      'deploy',
      'start',
      '--source-dir',
      PACKAGE_DIR,
      '--target-org',
      alias,
      '--wait',
      WAIT_MINUTES,
    ],
    `Deploying ${PACKAGE_DIR} failed`,
  );

  // 3. The permission set; already assigned counts as done.
  ctx.log(`3/7 Assigning ${PERMISSION_SET} to the admin user…`);
  const assigned = sfJson(ctx, [
    'org',
    'assign',
    'permset',
    '--name',
    PERMISSION_SET,
    '--target-org',
    alias,
  ]);
  const failures =
    (assigned.result as { failures?: { message?: string }[] } | undefined)?.failures ?? [];
  const duplicate = (m?: string) => /duplicate/i.test(m ?? '');
  if (
    assigned.status !== 0 &&
    !(failures.length > 0 && failures.every((f) => duplicate(f.message))) &&
    !duplicate(assigned.message)
  )
    throw new OrgScriptError(
      `Assigning ${PERMISSION_SET} failed: ${failures.map((f) => f.message).join('; ') || assigned.message}`,
      EXIT.FAILED,
    );

  // 4. CRM Analytics must be on: its Integration User exists only then.
  ctx.log('4/7 Looking for the CRM Analytics Integration User…');
  const [integrationUser] = query<UserRow>(
    ctx,
    alias,
    `SELECT Id, Username, ProfileId FROM User WHERE Profile.UserLicense.Name = '${INTEGRATION_LICENSE}' AND Username LIKE 'integration@%' LIMIT 1`,
  );
  if (!integrationUser)
    throw new OrgScriptError(
      `CRM Analytics is not available in "${alias}": it has no Integration User. The scratch definition (${SCRATCH_DEF}) must include the DevelopmentWave feature and the Dev Hub must be allowed to use it.`,
      EXIT.FEATURE_UNAVAILABLE,
    );

  // 5. The broken configuration (demo/, never packaged).
  ctx.log(
    `5/7 Deploying the broken demo configuration (${DEMO_DIR}/: profile, session level, object, dataflow)…`,
  );
  sfStep(
    ctx,
    [
      'project',
      'deploy',
      'start',
      '--source-dir',
      DEMO_DIR,
      '--target-org',
      alias,
      '--wait',
      WAIT_MINUTES,
    ],
    `Deploying the demo configuration (${DEMO_DIR}) failed`,
  );

  // 6. Point the Integration User at the broken clone (this changes the scratch org, on purpose).
  const [profile] = query<{ Id: string }>(
    ctx,
    alias,
    `SELECT Id FROM Profile WHERE Name = '${DEMO_PROFILE}' LIMIT 1`,
  );
  if (!profile)
    throw new OrgScriptError(
      `The demo profile "${DEMO_PROFILE}" is not in the org after the deploy`,
      EXIT.FAILED,
    );
  if (integrationUser.ProfileId === profile.Id) {
    ctx.log(`6/7 ${integrationUser.Username} already uses "${DEMO_PROFILE}".`);
  } else {
    ctx.log(`6/7 Moving ${integrationUser.Username} to "${DEMO_PROFILE}"…`);
    const updated = sfJson(ctx, [
      'data',
      'update',
      'record',
      '--sobject',
      'User',
      '--record-id',
      integrationUser.Id,
      '--values',
      `ProfileId=${profile.Id}`,
      '--target-org',
      alias,
    ]);
    if (updated.status !== 0)
      throw new OrgScriptError(
        `Changing the Integration User's profile failed: ${updated.message ?? ''}`,
        EXIT.FAILED,
      );
  }

  // 7. The dashboard.
  const open = ['org', 'open', '--target-org', alias, '--path', tabPath(ctx.project)];
  if (!options.open) open.push('--url-only');
  ctx.log('7/7 Opening the Analytics Health tab…');
  sfStep(ctx, open, 'Opening the org failed');
  ctx.log(`✔ Demo org "${alias}" is ready. Remove it with: npm run demo:org:delete`);
}

// ── npm run demo:org:delete ─────────────────────────────────────────────────────────────────────
export function demoOrgDelete(ctx: OrgContext, options: Options): void {
  const list = orgList(ctx);
  const org = list.scratchOrgs.find(
    (o) => o.alias === options.alias || o.username === options.alias,
  );
  if (!org) {
    ctx.log(`No scratch org "${options.alias}" is known to the CLI; nothing to delete.`);
    return;
  }
  requireDevHub(ctx, options.targetDevHub, list);
  const json = sfJson(ctx, [
    'org',
    'delete',
    'scratch',
    '--target-org',
    options.alias,
    '--no-prompt',
  ]);
  if (json.status !== 0)
    throw new OrgScriptError(
      `Deleting "${options.alias}" failed: ${json.message ?? ''}`,
      EXIT.FAILED,
    );
  ctx.log(`✔ Deleted scratch org "${options.alias}"`);
}

// ── npm run package:version ─────────────────────────────────────────────────────────────────────
interface VersionResult {
  Status?: string;
  SubscriberPackageVersionId?: string;
  Package2VersionId?: string;
  Error?: string[];
}

export function packageVersion(ctx: OrgContext, options: Options): void {
  const hub = requireDevHub(ctx, options.targetDevHub);
  const definition = ctx.project.packageDirectories.find(
    (d) => d.path === PACKAGE_DIR && d.package,
  );
  if (!definition?.package)
    throw new OrgScriptError(`sfdx-project.json has no package on ${PACKAGE_DIR}`, EXIT.USAGE);
  const name = definition.package;
  if (!ctx.project.namespace?.trim())
    throw new OrgScriptError(
      'sfdx-project.json has no namespace, and a managed package needs one. Register a namespace in a Developer Edition org, link it to the Dev Hub (Setup > Namespace Registries), set "namespace" in sfdx-project.json, then run this again.',
      EXIT.NOT_AUTHENTICATED,
    );

  if (!ctx.project.packageAliases?.[name]) {
    ctx.log(`The package "${name}" has no id in sfdx-project.json yet; creating it on ${hub}…`);
    const created = sfJson(ctx, [
      'package',
      'create',
      '--name',
      name,
      '--package-type',
      'Managed',
      '--path',
      PACKAGE_DIR,
      '--target-dev-hub',
      hub,
    ]);
    if (created.status !== 0)
      throw new OrgScriptError(
        `Creating the package failed: ${created.message ?? ''}`,
        EXIT.FAILED,
      );
    ctx.log('  sfdx-project.json now holds its id (packageAliases): commit that change.');
  }

  build(ctx);
  const args = [
    'package',
    'version',
    'create',
    '--package',
    name,
    '--code-coverage',
    ...(options.installationKey
      ? ['--installation-key', options.installationKey]
      : ['--installation-key-bypass']),
    '--wait',
    options.wait,
    '--target-dev-hub',
    hub,
  ];
  ctx.log(`Creating a version of "${name}" (runs the Apex tests for coverage; often 10+ minutes)…`);
  ctx.log(`$ ${shown([...args, '--json']).replace(options.installationKey ?? '\u0000', '****')}`);
  const json = sfJson(ctx, args);
  const result = json.result as VersionResult | undefined;
  if (json.status !== 0 || result?.Status !== 'Success' || !result.SubscriberPackageVersionId)
    throw new OrgScriptError(
      `The package version was not created: ${json.message ?? result?.Error?.join('; ') ?? result?.Status ?? 'no result'}`,
      EXIT.FAILED,
    );
  const id = result.SubscriberPackageVersionId;
  ctx.log(`✔ Package version ${id} created.`);
  ctx.log(`  Install: sf package install --package ${id} --target-org <org> --wait 20`);
  ctx.log(`  Or open: /packaging/installPackage.apexp?p0=${id} in the target org`);
  ctx.log(
    `  Release it when ready: sf package version promote --package ${id} --target-dev-hub ${hub}`,
  );
}

export const COMMANDS: Record<string, (ctx: OrgContext, options: Options) => void> = {
  deploy,
  'test:apex': testApex,
  'demo:org': demoOrg,
  'demo:org:delete': demoOrgDelete,
  'package:version': packageVersion,
};
