import {
  EXIT,
  OrgScriptError,
  demoOrg,
  demoOrgDelete,
  deploy,
  packageVersion,
  parseOptions,
  testApex,
} from '../orgScripts';
import type { OrgContext, SfdxProject } from '../orgScripts';
import type { SfJson, SfResult } from '../sfCli';

/** A fake CLI: answers each command from the first rule whose prefix matches, records every call. */
function fakeSf(rules: [prefix: string, answer: SfJson | number][]) {
  const calls: string[] = [];
  const sf = (args: string[], options: { stream?: boolean } = {}): SfResult => {
    const line = args.join(' ');
    calls.push(options.stream ? `${line} [stream]` : line);
    const rule = rules.find(([prefix]) => line.startsWith(prefix));
    if (!rule) throw new Error(`unexpected command: sf ${line}`);
    const answer = rule[1];
    return typeof answer === 'number'
      ? { status: answer, json: null }
      : { status: answer.status, json: answer };
  };
  return { sf, calls };
}

const PROJECT: SfdxProject = {
  packageDirectories: [{ path: 'force-app', default: true, package: 'Analytics Health' }],
  namespace: '',
  packageAliases: {},
};

function context(rules: [string, SfJson | number][], project: SfdxProject = PROJECT) {
  const { sf, calls } = fakeSf(rules);
  const logs: string[] = [];
  let builds = 0;
  const ctx: OrgContext = {
    sf,
    build: () => {
      builds += 1;
      calls.push('<build>');
    },
    project,
    log: (line) => logs.push(line),
  };
  return { ctx, calls, logs, builds: () => builds };
}

function failure(run: () => void): OrgScriptError {
  try {
    run();
  } catch (error) {
    if (error instanceof OrgScriptError) return error;
    throw error;
  }
  throw new Error('expected the script to fail');
}

const ok = (result: unknown): SfJson => ({ status: 0, result });
const NO_DEFAULT_ORG: SfJson = {
  status: 1,
  name: 'NoDefaultEnvError',
  message: 'No default environment found. Use -o or --target-org to specify an environment.',
};
const ORG_LIST_EMPTY = ok({ devHubs: [], scratchOrgs: [], nonScratchOrgs: [], other: [] });
const ORG_LIST_HUB = ok({
  devHubs: [{ username: 'admin@hub.example', alias: 'DevHub', isDefaultDevHubUsername: true }],
  scratchOrgs: [],
});

describe('parseOptions', () => {
  it('reads flags with separate or inline values and defaults the rest', () => {
    expect(parseOptions(['--target-org', 'qa', '--target-dev-hub=Hub', '--no-open'])).toEqual({
      targetOrg: 'qa',
      targetDevHub: 'Hub',
      alias: 'analytics-health-demo',
      durationDays: '7',
      open: false,
      wait: '60',
    });
    expect(parseOptions(['-o', 'qa']).targetOrg).toBe('qa');
  });

  it('rejects unknown options and missing values as usage errors', () => {
    expect(failure(() => parseOptions(['--target-orgs', 'x'])).exitCode).toBe(EXIT.USAGE);
    const missing = failure(() => parseOptions(['--target-org']));
    expect(missing.exitCode).toBe(EXIT.USAGE);
    expect(missing.message).toContain('--target-org needs a value');
  });
});

describe('npm run deploy', () => {
  it('stops before building when no default org is authenticated, naming the login command', () => {
    const { ctx, calls } = context([['org display', NO_DEFAULT_ORG]]);
    const error = failure(() => deploy(ctx, parseOptions([])));
    expect(error.exitCode).toBe(EXIT.NOT_AUTHENTICATED);
    expect(error.message).toContain('No target org');
    expect(error.message).toContain('sf org login web --alias <alias> --set-default');
    expect(calls).toEqual(['org display --json']);
  });

  it('names the alias that is not authenticated', () => {
    const { ctx, calls } = context([
      ['org display', { status: 2, message: 'No authorization information found for qa.' }],
    ]);
    const error = failure(() => deploy(ctx, parseOptions(['--target-org', 'qa'])));
    expect(error.message).toContain('No authenticated org "qa"');
    expect(error.message).toContain('sf org login web --alias qa');
    expect(calls).toEqual(['org display --target-org qa --json']);
  });

  it('builds, then deploys force-app to the org and shows the CLI output', () => {
    const { ctx, calls } = context([
      ['org display', ok({ username: 'admin@qa.example', alias: 'qa' })],
      ['project deploy start', 0],
    ]);
    deploy(ctx, parseOptions(['--target-org', 'qa']));
    expect(calls).toEqual([
      'org display --target-org qa --json',
      '<build>',
      'project deploy start --source-dir force-app --target-org qa --wait 30 [stream]',
    ]);
  });

  it('fails when the deploy fails', () => {
    const { ctx } = context([
      ['org display', ok({ username: 'admin@qa.example' })],
      ['project deploy start', 1],
    ]);
    const error = failure(() => deploy(ctx, parseOptions([])));
    expect(error.exitCode).toBe(EXIT.FAILED);
    expect(error.message).toContain('Deploying force-app to admin@qa.example failed');
  });
});

describe('npm run test:apex', () => {
  const run = (summary: object, tests: object[] = []) =>
    context([
      ['org display', ok({ username: 'admin@qa.example', alias: 'qa' })],
      ['apex run test', { status: 0, result: { summary, tests } }],
    ]);

  it('runs local tests with coverage and a synchronous wait, and passes at 75% or more', () => {
    const { ctx, calls, logs } = run({
      outcome: 'Passed',
      testsRan: 12,
      passing: 12,
      failing: 0,
      testRunCoverage: '91%',
      orgWideCoverage: '88%',
    });
    testApex(ctx, parseOptions(['--target-org', 'qa']));
    expect(calls[1]).toBe(
      'apex run test --target-org qa --test-level RunLocalTests --code-coverage --result-format human --wait 30 --json',
    );
    expect(logs.join('\n')).toContain('12 run, 12 passed, 0 failed; coverage 91%');
  });

  it('fails on a failing test and prints its name and message', () => {
    const { ctx, logs } = context([
      ['org display', ok({ username: 'admin@qa.example' })],
      [
        'apex run test',
        {
          status: 100,
          result: {
            summary: {
              outcome: 'Failed',
              testsRan: 2,
              passing: 1,
              failing: 1,
              testRunCoverage: '80%',
            },
            tests: [
              { FullName: 'EngineTest.shouldPass', Outcome: 'Pass' },
              {
                FullName: 'EngineTest.shouldScore',
                Outcome: 'Fail',
                Message: 'System.AssertException: Expected 49',
              },
            ],
          },
        },
      ],
    ]);
    const error = failure(() => testApex(ctx, parseOptions([])));
    expect(error.exitCode).toBe(EXIT.FAILED);
    expect(logs.join('\n')).toContain('✖ EngineTest.shouldScore: Fail — System.AssertException');
    expect(logs.join('\n')).not.toContain('shouldPass');
  });

  it('fails below the coverage a package version needs', () => {
    const { ctx } = run({
      outcome: 'Passed',
      testsRan: 3,
      passing: 3,
      failing: 0,
      testRunCoverage: '60%',
    });
    expect(failure(() => testApex(ctx, parseOptions([]))).message).toContain(
      '60% is below the 75%',
    );
  });

  it('fails when the tests did not run at all', () => {
    const { ctx } = context([
      ['org display', ok({ username: 'admin@qa.example' })],
      ['apex run test', { status: 1, message: 'INVALID_SESSION_ID' }],
    ]);
    expect(failure(() => testApex(ctx, parseOptions([]))).message).toContain('INVALID_SESSION_ID');
  });
});

describe('npm run demo:org', () => {
  const INTEGRATION_USER = {
    Id: '005000000000001AAA',
    Username: 'integration@00d.com',
    ProfileId: '00e000000000001AAA',
  };
  const DEMO_PROFILE = { Id: '00e000000000099AAA' };

  function demoRules(overrides: [string, SfJson | number][] = []): [string, SfJson | number][] {
    return [
      ...overrides,
      ['org list', ORG_LIST_HUB],
      ['org create scratch', ok({ username: 'test-abc@example.com' })],
      ['project deploy start', 0],
      [
        'org assign permset',
        ok({ successes: [{ name: 'admin', value: 'Analytics_Health_Admin' }], failures: [] }),
      ],
      [
        'data query --query SELECT Id, Username, ProfileId FROM User',
        ok({ records: [INTEGRATION_USER] }),
      ],
      ['data query --query SELECT Id FROM Profile', ok({ records: [DEMO_PROFILE] })],
      ['data update record', ok({ id: INTEGRATION_USER.Id, success: true })],
      ['org open', 0],
    ];
  }

  it('stops with the Dev Hub login command when no Dev Hub is authenticated', () => {
    const { ctx, calls } = context([['org list', ORG_LIST_EMPTY]]);
    const error = failure(() => demoOrg(ctx, parseOptions([])));
    expect(error.exitCode).toBe(EXIT.NOT_AUTHENTICATED);
    expect(error.message).toContain('No Dev Hub is authenticated');
    expect(error.message).toContain('sf org login web --set-default-dev-hub --alias DevHub');
    expect(calls).toEqual(['org list --json']);
  });

  it('names the Dev Hub asked for when it is not authenticated', () => {
    const { ctx } = context([['org list', ORG_LIST_HUB]]);
    const error = failure(() => demoOrg(ctx, parseOptions(['--target-dev-hub', 'OtherHub'])));
    expect(error.message).toContain('No authenticated Dev Hub "OtherHub"');
  });

  it('creates the org, deploys, assigns, breaks the Integration User setup and opens the tab, in order', () => {
    const { ctx, calls } = context(demoRules());
    demoOrg(ctx, parseOptions([]));
    expect(calls).toEqual([
      'org list --json',
      'org create scratch --definition-file config/project-scratch-def.json --alias analytics-health-demo --duration-days 7 --target-dev-hub DevHub --wait 30 --json',
      '<build>',
      'project deploy start --source-dir force-app --target-org analytics-health-demo --wait 30 [stream]',
      'org assign permset --name Analytics_Health_Admin --target-org analytics-health-demo --json',
      "data query --query SELECT Id, Username, ProfileId FROM User WHERE Profile.UserLicense.Name = 'Analytics Cloud Integration User' AND Username LIKE 'integration@%' LIMIT 1 --target-org analytics-health-demo --json",
      'project deploy start --source-dir demo --target-org analytics-health-demo --wait 30 [stream]',
      "data query --query SELECT Id FROM Profile WHERE Name = 'AH Demo Integration User' LIMIT 1 --target-org analytics-health-demo --json",
      `data update record --sobject User --record-id ${INTEGRATION_USER.Id} --values ProfileId=${DEMO_PROFILE.Id} --target-org analytics-health-demo --json`,
      'org open --target-org analytics-health-demo --path lightning/n/Analytics_Health [stream]',
    ]);
  });

  it('continues on a rerun: reuses the org, accepts an existing assignment, skips a done profile change', () => {
    const { ctx, calls, logs } = context(
      demoRules([
        [
          'org list',
          ok({
            devHubs: [
              { username: 'admin@hub.example', alias: 'DevHub', isDefaultDevHubUsername: true },
            ],
            scratchOrgs: [
              {
                username: 'test-abc@example.com',
                alias: 'analytics-health-demo',
                isExpired: false,
              },
            ],
          }),
        ],
        [
          'org assign permset',
          {
            status: 1,
            result: {
              successes: [],
              failures: [{ name: 'admin', message: 'Duplicate PermissionSetAssignment' }],
            },
          },
        ],
        [
          'data query --query SELECT Id, Username, ProfileId FROM User',
          ok({ records: [{ ...INTEGRATION_USER, ProfileId: DEMO_PROFILE.Id }] }),
        ],
      ]),
    );
    demoOrg(ctx, parseOptions(['--no-open']));
    expect(calls.some((c) => c.startsWith('org create scratch'))).toBe(false);
    expect(calls.some((c) => c.startsWith('data update record'))).toBe(false);
    expect(calls.at(-1)).toBe(
      'org open --target-org analytics-health-demo --path lightning/n/Analytics_Health --url-only [stream]',
    );
    expect(logs.join('\n')).toContain('reusing it');
  });

  it('fails clearly when the Dev Hub cannot give CRM Analytics', () => {
    const { ctx, calls } = context(
      demoRules([
        [
          'org create scratch',
          { status: 1, message: 'The DevelopmentWave feature is not available for this Dev Hub.' },
        ],
      ]),
    );
    const error = failure(() => demoOrg(ctx, parseOptions([])));
    expect(error.exitCode).toBe(EXIT.FEATURE_UNAVAILABLE);
    expect(error.message).toContain('cannot create a scratch org with CRM Analytics');
    expect(calls).not.toContain('<build>');
  });

  it('fails clearly when the org has no Integration User (CRM Analytics off)', () => {
    const { ctx, calls } = context(
      demoRules([
        ['data query --query SELECT Id, Username, ProfileId FROM User', ok({ records: [] })],
      ]),
    );
    const error = failure(() => demoOrg(ctx, parseOptions([])));
    expect(error.exitCode).toBe(EXIT.FEATURE_UNAVAILABLE);
    expect(error.message).toContain('CRM Analytics is not available');
    expect(calls.some((c) => c.includes('--source-dir demo'))).toBe(false);
  });

  it('fails when another permission set error occurs', () => {
    const { ctx } = context(
      demoRules([
        [
          'org assign permset',
          {
            status: 1,
            result: { failures: [{ message: 'Permission set not found: Analytics_Health_Admin' }] },
          },
        ],
      ]),
    );
    expect(failure(() => demoOrg(ctx, parseOptions([]))).message).toContain(
      'Permission set not found',
    );
  });

  it('opens the namespaced tab when the project has a namespace', () => {
    const { ctx, calls } = context(demoRules(), { ...PROJECT, namespace: 'ahealth' });
    demoOrg(ctx, parseOptions([]));
    expect(calls.at(-1)).toContain('--path lightning/n/ahealth__Analytics_Health');
  });
});

describe('npm run demo:org:delete', () => {
  it('does nothing when the CLI knows no such scratch org', () => {
    const { ctx, calls, logs } = context([['org list', ORG_LIST_HUB]]);
    demoOrgDelete(ctx, parseOptions([]));
    expect(calls).toEqual(['org list --json']);
    expect(logs[0]).toContain('nothing to delete');
  });

  it('deletes the scratch org without prompting', () => {
    const { ctx, calls } = context([
      [
        'org list',
        ok({
          devHubs: [
            { username: 'admin@hub.example', alias: 'DevHub', isDefaultDevHubUsername: true },
          ],
          scratchOrgs: [{ username: 'test-abc@example.com', alias: 'analytics-health-demo' }],
        }),
      ],
      ['org delete scratch', ok({ orgId: '00D', username: 'test-abc@example.com' })],
    ]);
    demoOrgDelete(ctx, parseOptions([]));
    expect(calls).toEqual([
      'org list --json',
      'org delete scratch --target-org analytics-health-demo --no-prompt --json',
    ]);
  });
});

describe('npm run package:version', () => {
  const NAMESPACED = { ...PROJECT, namespace: 'ahealth' };

  it('stops without a Dev Hub', () => {
    const { ctx } = context([['org list', ORG_LIST_EMPTY]]);
    const error = failure(() => packageVersion(ctx, parseOptions([])));
    expect(error.exitCode).toBe(EXIT.NOT_AUTHENTICATED);
    expect(error.message).toContain('sf org login web --set-default-dev-hub');
  });

  it('stops while sfdx-project.json has no namespace', () => {
    const { ctx, calls } = context([['org list', ORG_LIST_HUB]]);
    const error = failure(() => packageVersion(ctx, parseOptions([])));
    expect(error.message).toContain('no namespace');
    expect(calls).toEqual(['org list --json']);
  });

  it('creates the package once, then a version with code coverage, and prints the install command', () => {
    const { ctx, calls, logs } = context(
      [
        ['org list', ORG_LIST_HUB],
        ['package create', ok({ Id: '0Ho000000000001AAA' })],
        [
          'package version create',
          ok({ Status: 'Success', SubscriberPackageVersionId: '04t000000000001AAA' }),
        ],
      ],
      NAMESPACED,
    );
    packageVersion(ctx, parseOptions([]));
    expect(calls).toEqual([
      'org list --json',
      'package create --name Analytics Health --package-type Managed --path force-app --target-dev-hub DevHub --json',
      '<build>',
      'package version create --package Analytics Health --code-coverage --installation-key-bypass --wait 60 --target-dev-hub DevHub --json',
    ]);
    expect(logs.join('\n')).toContain('sf package install --package 04t000000000001AAA');
  });

  it('skips package create when the alias exists and passes an installation key', () => {
    const { ctx, calls, logs } = context(
      [
        ['org list', ORG_LIST_HUB],
        ['package version create', ok({ Status: 'Success', SubscriberPackageVersionId: '04tX' })],
      ],
      { ...NAMESPACED, packageAliases: { 'Analytics Health': '0Ho000000000001AAA' } },
    );
    packageVersion(ctx, parseOptions(['--installation-key', 's3cret', '--wait', '90']));
    expect(calls.at(-1)).toBe(
      'package version create --package Analytics Health --code-coverage --installation-key s3cret --wait 90 --target-dev-hub DevHub --json',
    );
    expect(logs.join('\n')).not.toContain('s3cret');
  });

  it('fails when the version is not created', () => {
    const { ctx } = context(
      [
        ['org list', ORG_LIST_HUB],
        [
          'package version create',
          { status: 1, message: 'Code coverage is 62%; 75% is required.' },
        ],
      ],
      { ...NAMESPACED, packageAliases: { 'Analytics Health': '0Ho' } },
    );
    const error = failure(() => packageVersion(ctx, parseOptions([])));
    expect(error.exitCode).toBe(EXIT.FAILED);
    expect(error.message).toContain('75% is required');
  });
});
