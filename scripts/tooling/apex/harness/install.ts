// Wires the harness into a runtime: registers its natives and fills `services.async`,
// `services.test`, `services.debug` and `services.messaging`, with the job runner the queue uses.
// The runtime and the org are reached through the small structural interfaces below, so the
// harness can be tested with fakes and does not depend on their internals.
import type { TransactionKind, Usage } from '../governor';
import type { Interop, Services } from '../natives/registry';
import {
  ApexDatetime,
  ApexError,
  ApexId,
  SObjectValue,
  UnsupportedError,
  type Value,
} from '../values';
import {
  AsyncQueue,
  HarnessError,
  type AsyncKind,
  type CronStore,
  type JobFailure,
  type JobRunner,
} from './asyncQueue';
import { Outbox } from './messaging';
import { registerHarnessNatives, type DebugSink } from './natives';
import { TestContext, type RunningUserAccess } from './testContext';

/** What the harness needs of ApexRuntime. */
export interface HarnessRuntime {
  readonly services: Services;
  readonly interop: Interop;
  transaction<T>(kind: TransactionKind, fn: () => T): { result: T; usage: Usage };
}

/** What the harness needs of services.org (the in-memory org). */
export interface HarnessOrg {
  snapshot(): unknown;
  restore(state: unknown): void;
}

/** An uncaught Apex exception as it leaves the runtime (ApexThrown, or an ApexError). */
export interface ThrownApex {
  readonly typeName: string;
  readonly message: string;
  /** The exception object, when the runtime keeps it. */
  readonly value?: Value;
  readonly stackTrace?: string;
}

export function asThrownApex(error: unknown): ThrownApex | null {
  if (error instanceof UnsupportedError || error instanceof HarnessError) return null;
  if (error instanceof ApexError) return error;
  if (
    error instanceof Error &&
    typeof (error as { typeName?: unknown }).typeName === 'string' &&
    error.constructor.name !== 'ApexSourceError'
  ) {
    return error as unknown as ThrownApex;
  }
  return null;
}

export class BufferedDebug implements DebugSink {
  readonly lines: string[] = [];
  write(text: string): void {
    this.lines.push(text);
  }
}

export interface Harness {
  readonly queue: AsyncQueue;
  readonly test: TestContext;
  readonly outbox: Outbox;
  readonly debug: DebugSink;
}

export interface InstallOptions {
  debug?: DebugSink;
  /** How runAs reaches the org's users (the org adapter). */
  users?: RunningUserAccess | null;
  maxChainDepth?: number;
}

/** The parts of org/orgService.ts's OrgService the adapters use (structural). */
interface OrgLike {
  readonly schema: { get(name: string): unknown };
  readonly store: {
    find(id: string): { row: ReadonlyMap<string, Value> } | undefined;
    remove(def: unknown, id: string, hard?: boolean): void;
  };
  runningUserId(): string;
  setRunningUser(userId: string): void;
  runningUser(): ReadonlyMap<string, Value>;
  insertSystem(objectName: string, values: Record<string, Value>): string;
}

function isOrgLike(org: unknown): org is OrgLike {
  const o = org as Partial<OrgLike> | undefined;
  return !!o && typeof o.runningUserId === 'function' && typeof o.insertSystem === 'function';
}

function userRecord(row: ReadonlyMap<string, Value>): SObjectValue {
  const user = new SObjectValue('User');
  for (const [field, value] of row) user.set(field, value);
  return user;
}

/** runAs over the in-memory org: the running user by Id, users read from the store. */
export function orgUsers(org: OrgLike): RunningUserAccess {
  return userAccessFrom(
    () => userRecord(org.runningUser()),
    (user) => org.setRunningUser(String(user.get('Id'))),
    (id) => {
      const found = org.store.find(new ApexId(id).value);
      return found ? userRecord(found.row) : null;
    },
  );
}

/** Scheduled jobs as CronJobDetail + CronTrigger rows, when the org's schema has them. */
export function orgCronStore(org: OrgLike, runningUserId: () => string): CronStore | null {
  const trigger = org.schema.get('CronTrigger');
  if (!trigger || !org.schema.get('CronJobDetail')) return null;
  return {
    add(job) {
      const detailId = org.insertSystem('CronJobDetail', { Name: job.name, JobType: '7' });
      const id = org.insertSystem('CronTrigger', {
        CronExpression: job.cron.text,
        CronJobDetailId: new ApexId(detailId),
        NextFireTime: job.nextFire === null ? null : new ApexDatetime(job.nextFire),
        StartTime: new ApexDatetime(job.scheduledAt),
        State: 'WAITING',
        TimeZoneSidKey: job.timeZone,
        TimesTriggered: 0,
        OwnerId: new ApexId(runningUserId()),
      });
      return new ApexId(id);
    },
    remove(job) {
      // System.abortJob deletes the trigger: it no longer answers queries.
      org.store.remove(trigger, job.id.value, true);
    },
  };
}

export function installHarness(runtime: HarnessRuntime, options: InstallOptions = {}): Harness {
  registerHarnessNatives();
  const services = runtime.services;
  const queue = new AsyncQueue({
    maxChainDepth: options.maxChainDepth,
    now: () => {
      const clock = services.clock;
      return typeof clock === 'function' ? Number((clock as () => number)()) : Date.now();
    },
    timeZone: () => (typeof services.timeZone === 'string' ? services.timeZone : 'GMT'),
  });
  const org = services.org;
  if (isOrgLike(org)) {
    queue.setCronStore(orgCronStore(org, () => org.runningUserId()));
  }
  const users = options.users ?? (isOrgLike(org) ? orgUsers(org) : null);
  const test = new TestContext(services, users);
  const outbox = new Outbox();
  const debug = options.debug ?? new BufferedDebug();
  services.async = queue;
  services.test = test;
  services.messaging = outbox;
  services.debug = debug;
  queue.runner = jobRunner(runtime);
  return { queue, test, outbox, debug };
}

function orgOf(runtime: HarnessRuntime): HarnessOrg | null {
  const org = runtime.services.org as Partial<HarnessOrg> | undefined;
  return org && typeof org.snapshot === 'function' && typeof org.restore === 'function'
    ? (org as HarnessOrg)
    : null;
}

/**
 * Each job in a transaction of its own; a job that ends with an exception has its data changes
 * rolled back (the org's snapshot), as a failed transaction commits nothing.
 */
export function jobRunner(runtime: HarnessRuntime): JobRunner {
  return {
    run(kind: AsyncKind, body: (interop: Interop) => void): JobFailure | null {
      const org = orgOf(runtime);
      const before = org?.snapshot();
      try {
        runtime.transaction(kind, () => body(runtime.interop));
        return null;
      } catch (error) {
        const thrown = asThrownApex(error);
        if (!thrown) throw error;
        if (org) org.restore(before);
        return {
          typeName: thrown.typeName,
          message: thrown.message,
          exception: thrown.value ?? null,
        };
      }
    },
  };
}

/** The running user through an org service exposing `runningUser` get/set (adapter). */
export function userAccessFrom(
  current: () => SObjectValue,
  set: (user: SObjectValue) => void,
  load: (id: string) => SObjectValue | null,
): RunningUserAccess {
  return {
    current,
    set,
    load(user: SObjectValue): SObjectValue {
      const id = user.get('Id');
      if (id === null) {
        throw new ApexError('System.InvalidParameterValueException', 'runAs: the User has no Id');
      }
      const stored = load(String(id));
      if (!stored)
        throw new ApexError('System.QueryException', `runAs: no User with Id ${String(id)}`);
      return stored;
    },
  };
}
