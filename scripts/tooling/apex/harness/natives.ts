// The platform classes the harness models: System's async and debug methods, Test, Limits, the
// interfaces the package's classes implement (Queueable, Finalizer, Schedulable, HttpCalloutMock,
// Database.AllowsCallouts, …), their context objects, Auth.SessionManagement, and (in their own
// modules) Http and Messaging. registerHarnessNatives() is idempotent.
import { findNative, registerNative, type NativeContext } from '../natives/registry';
import {
  ApexList,
  ApexTypeValue,
  EnumValue,
  UnsupportedError,
  nullPointer,
  toApexString,
  typeRef,
  type Value,
} from '../values';
import {
  AsyncQueue,
  FinalizerContextValue,
  QueueableContextValue,
  SchedulableContextValue,
} from './asyncQueue';
import { registerHttp } from './http';
import { registerMessaging } from './messaging';
import { TestContext } from './testContext';

/** `services.debug`: where System.debug writes, one call a line. */
export interface DebugSink {
  write(text: string): void;
}

/**
 * `services.sessionPolicy` (optional): the profiles' session settings, which the platform answers
 * through Auth.SessionManagement and no SOQL reaches. `undefined` means "not known": the native
 * then fails loudly rather than guess.
 */
export interface SessionPolicy {
  requiredSessionLevel(
    profileId15: string,
  ): 'LOW' | 'STANDARD' | 'HIGH_ASSURANCE' | null | undefined;
  isIpAllowed(profileId15: string, address: string): boolean | undefined;
}

export function asyncQueue(ctx: NativeContext): AsyncQueue {
  const queue = ctx.services.async;
  if (!(queue instanceof AsyncQueue)) throw new Error('services.async is not installed');
  return queue;
}

export function testContext(ctx: NativeContext): TestContext {
  const test = ctx.services.test;
  if (!(test instanceof TestContext)) throw new Error('services.test is not installed');
  return test;
}

function enumConstants(type: string, names: string[]): Record<string, EnumValue> {
  const out: Record<string, EnumValue> = {};
  names.forEach((name, i) => (out[name] = new EnumValue(type, name, i)));
  return out;
}

export const PARENT_JOB_RESULT = enumConstants('System.ParentJobResult', [
  'SUCCESS',
  'UNHANDLED_EXCEPTION',
]);
export const SESSION_LEVEL = enumConstants('Auth.SessionLevel', [
  'LOW',
  'STANDARD',
  'HIGH_ASSURANCE',
]);

function enumFields(constants: Record<string, EnumValue>) {
  const fields: Record<string, () => Value> = {};
  for (const [name, value] of Object.entries(constants)) fields[name.toLowerCase()] = () => value;
  return fields;
}

function enumStatics(constants: Record<string, EnumValue>) {
  const values = Object.values(constants);
  return { values: () => new ApexList(typeRef(values[0].enumType), [...values]) };
}

function shortId(value: Value): string {
  if (value === null) throw nullPointer();
  return String(value).slice(0, 15);
}

let registered = false;

export function registerHarnessNatives(): void {
  if (registered) return;
  registered = true;
  registerHttp();
  registerMessaging();

  registerNative({
    name: 'System',
    statics: {
      debug: (ctx, _s, args) => {
        // debug(msg) or debug(LoggingLevel, msg)
        const message = args.length >= 2 ? args[1] : args[0];
        const sink = ctx.services.debug as DebugSink | undefined;
        sink?.write(toApexString(message ?? null));
        return null;
      },
      enqueuejob: (ctx, _s, [job]) => asyncQueue(ctx).enqueue(ctx, job ?? null),
      attachfinalizer: (ctx, _s, [finalizer]) => {
        asyncQueue(ctx).attachFinalizer(ctx, finalizer ?? null);
        return null;
      },
      abortjob: (ctx, _s, [id]) => {
        asyncQueue(ctx).abort(id === null || id === undefined ? null : String(id));
        return null;
      },
      schedule: (ctx, _s, [name, cron, job]) =>
        asyncQueue(ctx).schedule(
          ctx,
          name === null ? null : String(name),
          cron === null ? null : String(cron),
          job ?? null,
        ),
      isqueueable: (ctx) => asyncQueue(ctx).currentJob !== null,
      isscheduled: (ctx) => asyncQueue(ctx).inScheduledJob,
      // System.now()/today() are Datetime.now()/Date.today() (the dates natives own the clock).
      now: (ctx) => delegate(ctx, 'Datetime', 'now'),
      today: (ctx) => delegate(ctx, 'Date', 'today'),
      isfuture: () => false,
      isbatch: () => false,
    },
  });

  registerNative({
    name: 'System.Test',
    statics: {
      starttest: (ctx) => {
        ctx.governor.startTest();
        asyncQueue(ctx).startTest();
        return null;
      },
      stoptest: (ctx) => {
        ctx.governor.stopTest();
        asyncQueue(ctx).stopTest();
        return null;
      },
      isrunningtest: (ctx) => {
        const test = ctx.services.test;
        return test instanceof TestContext && test.running;
      },
      setmock: (ctx, _s, [type, mock]) => {
        if (!(type instanceof ApexTypeValue)) throw nullPointer();
        testContext(ctx).setMock(type.type.name, mock ?? null);
        return null;
      },
    },
  });

  const limits = (read: (ctx: NativeContext) => number) => (ctx: NativeContext) => read(ctx);
  registerNative({
    name: 'System.Limits',
    statics: {
      getqueries: limits((c) => c.governor.usage.soqlQueries),
      getlimitqueries: limits((c) => c.governor.limits.soqlQueries),
      getqueryrows: limits((c) => c.governor.usage.queryRows),
      getlimitqueryrows: limits((c) => c.governor.limits.queryRows),
      getdmlstatements: limits((c) => c.governor.usage.dmlStatements),
      getlimitdmlstatements: limits((c) => c.governor.limits.dmlStatements),
      getdmlrows: limits((c) => c.governor.usage.dmlRows),
      getlimitdmlrows: limits((c) => c.governor.limits.dmlRows),
      getcallouts: limits((c) => c.governor.usage.callouts),
      getlimitcallouts: limits((c) => c.governor.limits.callouts),
      getqueueablejobs: limits((c) => c.governor.usage.queueableJobs),
      getlimitqueueablejobs: limits((c) => c.governor.limits.queueableJobs),
      getemailinvocations: limits((c) => c.governor.usage.emailInvocations),
      getlimitemailinvocations: limits((c) => c.governor.limits.emailInvocations),
      getfuturecalls: limits((c) => c.governor.usage.futureCalls),
      getlimitfuturecalls: limits((c) => c.governor.limits.futureCalls),
      // The heap is the interpreter's estimate (peak so far), not a JVM measurement.
      getheapsize: limits((c) => c.governor.usage.heapBytes),
      getlimitheapsize: limits((c) => c.governor.limits.heapBytes),
      // CPU time is the wall-clock time of the transaction so far: the interpreter's own speed,
      // so only comparisons against the limit's order of magnitude mean anything.
      getcputime: limits((c) => c.governor.elapsedMillis()),
      getlimitcputime: limits((c) => c.governor.limits.cpuMillis),
    },
  });

  // Interfaces the package's classes implement; the runtime needs to know their names.
  for (const name of [
    'System.Queueable',
    'System.Finalizer',
    'System.Schedulable',
    'System.Comparable',
    'Database.AllowsCallouts',
    'Database.Stateful',
  ]) {
    registerNative({ name });
  }

  registerNative({
    name: 'System.QueueableContext',
    methods: {
      getjobid: (_c, s) => (s as QueueableContextValue).job.id,
    },
  });

  registerNative({
    name: 'System.FinalizerContext',
    methods: {
      getasyncapexjobid: (_c, s) => (s as FinalizerContextValue).job.id,
      getrequestid: (_c, s) => `harness-${(s as FinalizerContextValue).job.id.value}`,
      getresult: (_c, s) =>
        (s as FinalizerContextValue).job.failure
          ? PARENT_JOB_RESULT.UNHANDLED_EXCEPTION
          : PARENT_JOB_RESULT.SUCCESS,
      getexception: (ctx, s) => {
        const failure = (s as FinalizerContextValue).job.failure;
        if (!failure) return null;
        // The runtime may not hand over the exception object: one of its type is made here.
        return (
          failure.exception ?? ctx.interop.newInstance(typeRef(failure.typeName), [failure.message])
        );
      },
    },
  });

  registerNative({
    name: 'System.SchedulableContext',
    methods: {
      gettriggerid: (_c, s) => (s as SchedulableContextValue).job.id,
    },
  });

  registerNative({
    name: 'System.ParentJobResult',
    staticFields: enumFields(PARENT_JOB_RESULT),
    statics: enumStatics(PARENT_JOB_RESULT),
  });

  registerNative({
    name: 'Auth.SessionLevel',
    staticFields: enumFields(SESSION_LEVEL),
    statics: enumStatics(SESSION_LEVEL),
  });

  registerNative({
    name: 'Auth.SessionManagement',
    statics: {
      getrequiredsessionlevelforprofile: (ctx, _s, [profileId]) => {
        const id = shortId(profileId ?? null);
        const level = policy(ctx)?.requiredSessionLevel(id);
        if (level === undefined) {
          throw new UnsupportedError(
            `Auth.SessionManagement.getRequiredSessionLevelForProfile: the in-memory org holds no session settings for profile ${id}`,
          );
        }
        return level === null ? null : SESSION_LEVEL[level];
      },
      isipallowedforprofile: (ctx, _s, [profileId, address]) => {
        const id = shortId(profileId ?? null);
        if (address === null || address === undefined) throw nullPointer();
        const allowed = policy(ctx)?.isIpAllowed(id, String(address));
        if (allowed === undefined) {
          throw new UnsupportedError(
            `Auth.SessionManagement.isIpAllowedForProfile: the in-memory org holds no login IP ranges for profile ${id}`,
          );
        }
        return allowed;
      },
    },
  });
}

function delegate(ctx: NativeContext, className: string, method: string): Value {
  const fn = findNative(className)?.statics?.[method];
  if (!fn) throw new UnsupportedError(`${className}.${method}()`);
  return fn(ctx, null, []);
}

function policy(ctx: NativeContext): SessionPolicy | undefined {
  return ctx.services.sessionPolicy as SessionPolicy | undefined;
}
