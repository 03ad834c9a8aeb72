import type { LiveCollection, LiveRequest } from '../../cli/analyticsHealth';

export async function collectFromTargetOrg(_request: LiveRequest): Promise<LiveCollection> {
  throw new Error('not yet');
}
