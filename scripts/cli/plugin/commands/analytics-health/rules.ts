/** `sf analytics-health rules`: the rule catalog, as the standalone `analytics-health rules` lists it. */
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { asUsageFailure, runInSf } from '../../sfRun.js';

export default class Rules extends SfCommand<unknown> {
  public static override readonly summary =
    'List the Analytics Health rules: id, severity, category and title.';

  public static override readonly description =
    'Lists the rules a check evaluates. With --json the result is the list of rule definitions.';

  public static override readonly examples = [
    { description: 'List the rules:', command: '<%= config.bin %> <%= command.id %>' },
  ];

  public static override readonly flags = {
    format: Flags.option({
      options: ['table', 'json'] as const,
      default: 'table' as const,
      summary: 'Format of the list.',
    })(),
  };

  public override async run(): Promise<unknown> {
    const { flags } = await this.parse(Rules);
    return runInSf(this, ['rules', '--format', flags.format], null);
  }

  protected override catch(error: Error & { exitCode?: number }) {
    return super.catch(asUsageFailure(error));
  }
}
