// The async queue (`services.async`): queueables, their finalizers, and scheduled jobs.
//
// Outside a test, each queued job runs after the transaction that queued it, in a transaction of
// its own (kind 'queueable', asynchronous limits); its finalizer then runs in another one with the
// job's result ("Transaction Finalizers": the queueable and the finalizer run in separate Apex and
// database transactions). A job may queue one child job (the asynchronous limit of one
// System.enqueueJob); children run after their parent, in order. A chain deeper than
// `maxChainDepth` stops with a HarnessError: a job that always queues the next one would
// otherwise never end here.
//
// In a test (Apex Developer Guide, "Testing Asynchronous Apex" and the Test class): jobs queued
// after Test.startTest() run when Test.stopTest() is called, synchronously, each with limits of its
// own; a job that fails there makes stopTest() throw its exception after the finalizers ran. A
// queueable cannot chain in a test: System.enqueueJob from a running job throws
// System.AsyncException 'Maximum stack depth has been reached.' (COMMUNITY; the sentence "You can't
// chain queueable jobs in an Apex test" was in earlier Queueable docs). Jobs queued outside
// startTest/stopTest run when the test method ends (COMMUNITY, salesforce.stackexchange 298040).
// Scheduled jobs run (execute(SchedulableContext)) only in a test, at stopTest, when they were
// scheduled after startTest ("Testing the Apex Scheduler"); elsewhere they are recorded with their
// next fire time and never fire.
import type { NativeContext, Interop } from '../natives/registry';
import { ApexError, ApexId, nullPointer, typeRef, type ApexInstance, type Value } from '../values';
import { copyForQueue } from './copy';
import { nextFireTime, parseCron, type CronSchedule } from './cron';
import {
  ASYNC_APEX_JOB_PREFIX,
  CRON_JOB_DETAIL_PREFIX,
  CRON_TRIGGER_PREFIX,
  IdSource,
} from './ids';

/** An error of the harness itself (not an Apex exception): the CLI prints it and stops. */
export class HarnessError extends Error {}

export type AsyncKind = 'queueable' | 'finalizer' | 'schedulable';

/** The Apex exception a job ended with. */
export interface JobFailure {
  readonly typeName: string;
  readonly message: string;
  /** The exception object, when the runtime gives it (FinalizerContext.getException). */
  readonly exception: Value;
}

/**
 * Runs one job body as a transaction of its own and reports the uncaught Apex exception it ended
 * with (null on success); other errors (unsupported construct, harness bug) propagate. The
 * runtime's adapter (install.ts) provides it; in a test it keeps the test's static state and data
 * and gives the job fresh limits only.
 */
export interface JobRunner {
  run(kind: AsyncKind, body: (interop: Interop) => void): JobFailure | null;
}

export type JobStatus = 'Queued' | 'Processing' | 'Completed' | 'Failed' | 'Aborted';

export interface QueuedJob {
  readonly id: ApexId;
  /** The queueable as serialized when it was queued. */
  readonly job: Value;
  readonly className: string;
  /** 1 for a job queued by a synchronous transaction; its child has depth 2, … */
  readonly depth: number;
  readonly parent: QueuedJob | null;
  /** Queued in a test between Test.startTest() and Test.stopTest(). */
  readonly inTestWindow: boolean;
  status: JobStatus;
  finalizer: Value;
  failure: JobFailure | null;
  finalizerFailure: JobFailure | null;
}

export interface ScheduledJob {
  id: ApexId; // CronTrigger
  readonly detailId: ApexId; // CronJobDetail
  readonly name: string;
  readonly cron: CronSchedule;
  readonly job: Value;
  readonly timeZone: string;
  readonly scheduledAt: number;
  readonly nextFire: number | null;
  readonly inTestWindow: boolean;
  state: 'WAITING' | 'DELETED' | 'COMPLETE';
  timesTriggered: number;
  failure: JobFailure | null;
}

/** Where scheduled jobs become CronTrigger / CronJobDetail rows (the org adapter, when it can). */
export interface CronStore {
  /** Stores the rows; returns the CronTrigger row's Id, which System.schedule then returns. */
  add(job: ScheduledJob): ApexId | null;
  remove(job: ScheduledJob): void;
}

export interface AsyncQueueOptions {
  /** Chain depth that stops the run (default 100). */
  maxChainDepth?: number;
  /** Milliseconds since the epoch, for NextFireTime (default Date.now). */
  now?: () => number;
  /** The running user's time zone (IANA id), for cron expressions (default 'GMT'). */
  timeZone?: () => string;
  cronStore?: CronStore;
}

const asyncError = (message: string) => new ApexError('System.AsyncException', message);

/** `QueueableContext`, `FinalizerContext`, `SchedulableContext` values handed to execute(). */
export class QueueableContextValue implements ApexInstance {
  readonly apexType = typeRef('System.QueueableContext');
  constructor(readonly job: QueuedJob) {}
}
export class FinalizerContextValue implements ApexInstance {
  readonly apexType = typeRef('System.FinalizerContext');
  constructor(readonly job: QueuedJob) {}
}
export class SchedulableContextValue implements ApexInstance {
  readonly apexType = typeRef('System.SchedulableContext');
  constructor(readonly job: ScheduledJob) {}
}

export class AsyncQueue {
  readonly jobs: QueuedJob[] = [];
  readonly scheduled: ScheduledJob[] = [];
  private pending: QueuedJob[] = [];
  private readonly ids = new IdSource();
  private readonly maxChainDepth: number;
  private readonly now: () => number;
  private readonly timeZone: () => string;
  private cronStore: CronStore | null;
  /** The job whose execute() or finalizer is running. */
  private current: { job: QueuedJob; phase: 'execute' | 'finalizer' } | null = null;
  private running: { schedule: ScheduledJob } | null = null;
  /** Test context: set by the test runner; the test window is between startTest and stopTest. */
  testMode = false;
  private testWindow = false;
  /** How jobs run (install.ts sets it from the runtime). */
  runner: JobRunner | null = null;

  constructor(options: AsyncQueueOptions = {}) {
    this.maxChainDepth = options.maxChainDepth ?? 100;
    this.now = options.now ?? Date.now;
    this.timeZone = options.timeZone ?? (() => 'GMT');
    this.cronStore = options.cronStore ?? null;
  }

  setCronStore(store: CronStore | null): void {
    this.cronStore = store;
  }

  /** Jobs waiting to run. */
  get queued(): readonly QueuedJob[] {
    return this.pending;
  }

  /** The job running now, if any (System.isQueueable). */
  get currentJob(): QueuedJob | null {
    return this.current?.job ?? null;
  }

  get inScheduledJob(): boolean {
    return this.running !== null;
  }

  /** System.enqueueJob(job). */
  enqueue(ctx: NativeContext, job: Value): ApexId {
    if (job === null) throw nullPointer();
    if (this.testMode && (this.current || this.running)) {
      throw asyncError('Maximum stack depth has been reached.');
    }
    ctx.governor.onEnqueue();
    const parent = this.current?.job ?? null;
    const depth = parent ? parent.depth + 1 : 1;
    if (depth > this.maxChainDepth) {
      throw new HarnessError(
        `queueable chain deeper than ${this.maxChainDepth} jobs (last: ${className(job)}): ` +
          'stopped; does every job queue the next one?',
      );
    }
    const queued: QueuedJob = {
      id: this.ids.next(ASYNC_APEX_JOB_PREFIX),
      job: copyForQueue(job, ctx.interop),
      className: className(job),
      depth,
      parent,
      inTestWindow: this.testWindow,
      status: 'Queued',
      finalizer: null,
      failure: null,
      finalizerFailure: null,
    };
    this.jobs.push(queued);
    this.pending.push(queued);
    return queued.id;
  }

  /** System.attachFinalizer(finalizer): messages from "Transaction Finalizers Error Messages". */
  attachFinalizer(ctx: NativeContext, finalizer: Value): void {
    if (!this.current || this.current.phase !== 'execute') {
      throw asyncError('System.attachFinalizer(Finalizer) is not allowed in this context');
    }
    if (finalizer === null) throw asyncError('Argument cannot be null');
    if (!ctx.interop.isInstanceOf(finalizer, typeRef('System.Finalizer'))) {
      throw asyncError(`Class ${className(finalizer)} must implement the Finalizer interface`);
    }
    if (this.current.job.finalizer !== null) {
      throw asyncError('More than one Finalizer cannot be attached to same Async Apex Job');
    }
    this.current.job.finalizer = finalizer;
  }

  /** System.schedule(name, cron, schedulable): returns the CronTrigger Id. */
  schedule(ctx: NativeContext, name: string | null, cronText: string | null, job: Value): ApexId {
    if (name === null || cronText === null || job === null) throw nullPointer();
    if (!ctx.interop.isInstanceOf(job, typeRef('System.Schedulable'))) {
      throw new ApexError('System.TypeException', `${className(job)} is not Schedulable`);
    }
    const cron = parseCron(cronText);
    if (this.scheduled.some((s) => s.state === 'WAITING' && s.name === name)) {
      throw asyncError(`The Apex job named "${name}" is already scheduled for execution.`);
    }
    const now = this.now();
    const timeZone = this.timeZone();
    const entry: ScheduledJob = {
      id: this.ids.next(CRON_TRIGGER_PREFIX),
      detailId: this.ids.next(CRON_JOB_DETAIL_PREFIX),
      name,
      cron,
      job: copyForQueue(job, ctx.interop),
      timeZone,
      scheduledAt: now,
      nextFire: nextFireTime(cron, now, timeZone),
      inTestWindow: this.testWindow,
      state: 'WAITING',
      timesTriggered: 0,
      failure: null,
    };
    const rowId = this.cronStore?.add(entry) ?? null;
    if (rowId) entry.id = rowId;
    this.scheduled.push(entry);
    return entry.id;
  }

  /** System.abortJob(id): a CronTrigger or a queued AsyncApexJob. */
  abort(id: string | ApexId | null): void {
    if (id === null) throw nullPointer();
    const key = (typeof id === 'string' ? new ApexId(id) : id).value;
    const schedule = this.scheduled.find((s) => s.id.value === key && s.state === 'WAITING');
    if (schedule) {
      schedule.state = 'DELETED';
      this.cronStore?.remove(schedule);
      return;
    }
    const job = this.jobs.find((j) => j.id.value === key);
    if (job) {
      if (job.status === 'Queued') {
        job.status = 'Aborted';
        this.pending = this.pending.filter((j) => j !== job);
      }
      return;
    }
    // An Id of no job the harness knows: what the platform answers is not modelled.
    throw new HarnessError(`System.abortJob(${key}): no queued or scheduled job has this Id`);
  }

  // ── test context ──────────────────────────────────────────────────────────────────────────

  /** Test.startTest(): what is queued from now on runs at stopTest. */
  startTest(): void {
    this.testWindow = true;
  }

  /**
   * Test.stopTest(): runs the jobs queued since startTest, then the schedules made since then.
   * Throws the first job's exception (an ApexError) after every job and finalizer ran.
   */
  stopTest(runner: JobRunner | null = this.runner): void {
    if (!runner) throw new Error('the async queue has no job runner');
    this.testWindow = false;
    const window = this.pending.filter((j) => j.inTestWindow);
    this.pending = this.pending.filter((j) => !j.inTestWindow);
    let first: JobFailure | null = null;
    for (const job of window) {
      const failure = this.runJob(job, runner);
      first ??= failure;
    }
    for (const schedule of this.scheduled) {
      if (!schedule.inTestWindow || schedule.state !== 'WAITING' || schedule.timesTriggered > 0) {
        continue;
      }
      const failure = this.runSchedule(schedule, runner);
      first ??= failure;
    }
    if (first) throw new ApexError(first.typeName, first.message);
  }

  /** Resets the queue between test methods (and after apex:run). */
  reset(): void {
    this.pending = [];
    this.jobs.length = 0;
    this.scheduled.length = 0;
    this.current = null;
    this.running = null;
    this.testWindow = false;
  }

  // ── running ───────────────────────────────────────────────────────────────────────────────

  /**
   * Runs every queued job, children after their parents, until the queue is empty. Returns the
   * jobs that ended with an exception (their finalizers, if any, have run).
   */
  drain(runner: JobRunner | null = this.runner): QueuedJob[] {
    if (!runner) throw new Error('the async queue has no job runner');
    const failed: QueuedJob[] = [];
    while (this.pending.length > 0) {
      const job = this.pending.shift() as QueuedJob;
      if (this.runJob(job, runner)) failed.push(job);
    }
    return failed;
  }

  private runJob(job: QueuedJob, runner: JobRunner): JobFailure | null {
    job.status = 'Processing';
    this.current = { job, phase: 'execute' };
    let failure: JobFailure | null;
    try {
      failure = runner.run('queueable', (interop) => {
        interop.invoke(job.job, 'execute', [new QueueableContextValue(job)]);
      });
    } finally {
      this.current = null;
    }
    job.failure = failure;
    job.status = failure ? 'Failed' : 'Completed';
    if (failure) {
      // The failed transaction rolled back: the child it queued is not queued.
      this.pending = this.pending.filter((j) => j.parent !== job);
    }
    if (job.finalizer !== null) {
      const finalizer = job.finalizer;
      this.current = { job, phase: 'finalizer' };
      try {
        job.finalizerFailure = runner.run('finalizer', (interop) => {
          interop.invoke(finalizer, 'execute', [new FinalizerContextValue(job)]);
        });
      } finally {
        this.current = null;
      }
    }
    return failure;
  }

  private runSchedule(schedule: ScheduledJob, runner: JobRunner): JobFailure | null {
    this.running = { schedule };
    try {
      schedule.failure = runner.run('schedulable', (interop) => {
        interop.invoke(schedule.job, 'execute', [new SchedulableContextValue(schedule)]);
      });
    } finally {
      this.running = null;
    }
    schedule.timesTriggered++;
    return schedule.failure;
  }
}

function className(value: Value): string {
  if (value !== null && typeof value === 'object' && 'apexType' in value) {
    return (value as ApexInstance).apexType.name;
  }
  return String(value);
}
