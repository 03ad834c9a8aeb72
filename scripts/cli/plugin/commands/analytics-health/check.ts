/**
 * `sf analytics-health check`: the standalone `analytics-health check` as an sf command. The org
 * comes from --target-org or the CLI's default org; everything else is the shared CLI.
 */
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { asUsageFailure, runInSf } from '../../sfRun.js';

export default class Check extends SfCommand<unknown> {
  public static override readonly summary =
    'Check that the CRM Analytics Integration User and Security User can keep data sync, dataflows and recipes running.';

  // One line per paragraph: oclif wraps the help text to the terminal itself.
  public static override readonly description = [
    'Checks one of three sources against the Analytics Health rules: an org (--target-org, or the default org when neither --facts nor --metadata is given), a saved org snapshot (--facts), or a source tree before it is deployed (--metadata, optionally over a baseline snapshot given with --facts). With none of them, the bundled demo snapshot of a broken org is checked.',
    'Exit codes: 0 when no finding fails at or above --fail-on; 1 when one does; 2 when the input or the options are wrong or the org cannot be read. With --json the report is the result and the status of the envelope is the exit code.',
  ].join('\n\n');

  public static override readonly examples = [
    {
      description: 'Check the default org and print a table:',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Check an org by alias, fail only on critical findings, keep the facts:',
      command:
        '<%= config.bin %> <%= command.id %> --target-org prod --fail-on critical --save-facts prod-facts.json',
    },
    {
      description: 'Check what deploying a source tree would change, as SARIF for code scanning:',
      command:
        '<%= config.bin %> <%= command.id %> --metadata force-app --facts prod-facts.json --format sarif --output analytics-health.sarif',
    },
  ];

  public static override readonly flags = {
    'target-org': Flags.optionalOrg({
      summary: 'Username or alias of the org to check; the default org when not given.',
    }),
    'api-version': Flags.orgApiVersion({
      summary: 'API version of the requests to the org, such as 62.0.',
    }),
    facts: Flags.file({
      summary:
        'A saved org snapshot (JSON) to check; with --metadata, the org the source tree is deployed to.',
    }),
    metadata: Flags.directory({
      summary:
        'A source tree (profiles, permission sets, settings, analytics assets) to check before deploying it.',
    }),
    'save-facts': Flags.file({
      summary:
        'Also write the facts that were checked to this file (with --target-org or --metadata).',
    }),
    format: Flags.option({
      options: ['table', 'json', 'csv', 'sarif', 'junit'] as const,
      default: 'table' as const,
      summary: 'Format of the report printed or written to --output.',
    })(),
    'fail-on': Flags.option({
      options: ['critical', 'warning', 'info', 'never'] as const,
      default: 'critical' as const,
      summary: 'Lowest severity of a failing finding that makes the command exit 1.',
    })(),
    output: Flags.file({ summary: 'Write the report to this file instead of printing it.' }),
    acknowledgements: Flags.file({
      summary:
        'Accepted failures (a JSON array): shown apart, not scored, not counted for --fail-on.',
    }),
    'omit-passed': Flags.boolean({
      summary:
        'With --format json: leave the passed findings out of the report (its summary still counts them).',
    }),
    engine: Flags.option({
      options: ['ts', 'apex'] as const,
      default: 'ts' as const,
      summary:
        "Rule engine: ts, or the package's own Apex engine run in the local Apex runtime (slower).",
    })(),
  };

  public override async run(): Promise<unknown> {
    const { flags, metadata } = await this.parse(Check);
    const argv = ['check', '--format', flags.format, '--fail-on', flags['fail-on']];
    argv.push('--engine', flags.engine);
    if (flags['omit-passed']) argv.push('--omit-passed');
    const org = flags['target-org'];
    // The default org stands in only when no snapshot or source tree says what to check.
    const orgFromDefault = metadata.flags['target-org']?.setFromDefault === true;
    const useOrg = org !== undefined && !(orgFromDefault && (flags.facts || flags.metadata));
    const username = useOrg ? (org.getUsername() ?? '') : null;
    if (username !== null) argv.push('--target-org', username);
    const values: [string, string | undefined][] = [
      ['--api-version', useOrg ? flags['api-version'] : undefined],
      ['--facts', flags.facts],
      ['--metadata', flags.metadata],
      ['--save-facts', flags['save-facts']],
      ['--output', flags.output],
      ['--acknowledgements', flags.acknowledgements],
    ];
    for (const [flag, value] of values) if (value !== undefined) argv.push(flag, value);
    const spinner =
      username !== null
        ? `Checking ${username}`
        : flags.engine === 'apex'
          ? 'Evaluating with the Apex engine'
          : null;
    return runInSf(this, argv, spinner);
  }

  protected override catch(error: Error & { exitCode?: number }) {
    return super.catch(asUsageFailure(error));
  }
}
