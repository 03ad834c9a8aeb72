/**
 * The sf CLI's stored auth (`sf org login web --alias <x>`), read through
 * `@salesforce/core`. Only this module touches it, so the collectors and their
 * tests need neither an org nor the library.
 */
import { UsageError } from '../../lib/usageError';

export interface TargetOrgAuth {
  username: string;
  orgId: string;
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
  /** Requests the auth itself sent (the token refresh). */
  requestCount: number;
  refresh: () => Promise<string>;
}

export function loginHint(targetOrg: string): string {
  return `Log in with the Salesforce CLI first: sf org login web --alias ${targetOrg}`;
}

export async function connectTargetOrg(
  targetOrg: string,
  apiVersion: string | null,
): Promise<TargetOrgAuth> {
  const { Org } = await import('@salesforce/core');
  let org;
  try {
    org = await Org.create({ aliasOrUsername: targetOrg });
  } catch (error) {
    throw new UsageError(
      `No authenticated org is known as "${targetOrg}" (${(error as Error).message}). ${loginHint(targetOrg)}`,
    );
  }
  try {
    // Validates the stored session and refreshes an expired access token.
    await org.refreshAuth();
  } catch (error) {
    throw new UsageError(
      `The stored auth of "${targetOrg}" no longer works (${(error as Error).message}). ${loginHint(targetOrg)}`,
    );
  }
  const connection = org.getConnection(apiVersion ?? undefined);
  let requests = 1;
  return {
    username: org.getUsername() ?? targetOrg,
    orgId: org.getOrgId(),
    instanceUrl: connection.instanceUrl,
    accessToken: connection.accessToken ?? '',
    apiVersion: apiVersion ?? connection.getApiVersion(),
    get requestCount() {
      return requests;
    },
    refresh: async () => {
      requests++;
      await org.refreshAuth();
      return org.getConnection(apiVersion ?? undefined).accessToken ?? '';
    },
  };
}
