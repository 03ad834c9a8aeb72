/**
 * What a live collection is asked for and hands back. The CLI and the sf plugin call a collector
 * through these types; the collectors implement them without importing either caller.
 */
import type { OrgFacts } from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';

/** What a live collection hands back: the facts and how many API requests it took. */
export interface LiveCollection {
  facts: OrgFacts;
  requestCount: number;
}

export interface LiveRequest {
  /** An alias or username the Salesforce CLI has stored auth for. */
  targetOrg: string;
  apiVersion: string | null;
  progress: (text: string) => void;
  now: () => Date;
}
