// A small NativeContext over a fresh in-memory org, for the org tests: a governor per context,
// local variables for Database.query binds, and the org in ctx.services.org.
import { resolve } from 'node:path';
import { Governor } from '../governor';
import type { Interop, NativeContext, Services } from '../natives/registry';
import { ApexError, type ApexInstance, type Value } from '../values';
import '../org/natives';
import { registerOrgTypes } from '../org/natives';
import { createOrg, type OrgService } from '../org/orgService';

export const PROJECT_ROOT = resolve(__dirname, '../../../..');

export interface OrgContext extends NativeContext {
  readonly org: OrgService;
  readonly variables: Map<string, Value>;
  governor: Governor;
}

let shared: OrgService | null = null;

/** A context over a fresh org (or the shared one, restored by the caller). */
export function orgContext(org: OrgService = (shared ??= createOrg(PROJECT_ROOT))): OrgContext {
  registerOrgTypes(org);
  const variables = new Map<string, Value>();
  const fail = (what: string) => () => {
    throw new Error(`fake interop: ${what}`);
  };
  const interop: Interop = {
    newInstance: fail('newInstance'),
    invoke: fail('invoke'),
    invokeStatic: fail('invokeStatic'),
    isInstanceOf: fail('isInstanceOf'),
    coerce: (value) => value,
    resolveType: () => null,
    describeClass: () => null,
    newBlank: fail('newBlank') as () => ApexInstance,
    getField: fail('getField'),
    setField: fail('setField'),
    readVariable: (name) => {
      if (!variables.has(name))
        throw new ApexError('System.QueryException', `Variable does not exist: ${name}`);
      return variables.get(name)!;
    },
    location: () => 'Test.cls:1',
  };
  const services: Services = { org, clock: () => Date.UTC(2026, 10, 20, 12, 0, 0) };
  return { interop, governor: new Governor('synchronous'), services, org, variables };
}
