// Governor limits, counted per transaction in one place: the SOQL layer, DML, callouts, async
// calls, email and the interpreter (statements, heap estimate) all report here. A limit exceeded
// throws System.LimitException with the platform's message; the interpreter never lets Apex code
// catch it (Apex Developer Guide, "Execution Governors and Limits").
import { ApexError } from './values';

/** Per-transaction limits. Values from "Execution Governors and Limits" (sync / async). */
export interface LimitSet {
  soqlQueries: number;
  queryRows: number;
  dmlStatements: number;
  dmlRows: number;
  callouts: number;
  heapBytes: number;
  cpuMillis: number;
  queueableJobs: number;
  emailInvocations: number;
  futureCalls: number;
}

export const SYNCHRONOUS_LIMITS: LimitSet = {
  soqlQueries: 100,
  queryRows: 50000,
  dmlStatements: 150,
  dmlRows: 10000,
  callouts: 100,
  heapBytes: 6000000, // as Limits.getLimitHeapSize() and debug logs report it (LIM-02)
  cpuMillis: 10000,
  queueableJobs: 50,
  emailInvocations: 10,
  futureCalls: 50,
};

export const ASYNCHRONOUS_LIMITS: LimitSet = {
  ...SYNCHRONOUS_LIMITS,
  soqlQueries: 200,
  heapBytes: 12000000,
  cpuMillis: 60000,
  // A queueable may enqueue one child job.
  queueableJobs: 1,
  futureCalls: 0,
};

/**
 * A finalizer runs with the synchronous limits except heap, enqueued jobs and future calls, where
 * the asynchronous ones apply (Apex Developer Guide, "Transaction Finalizers").
 */
export const FINALIZER_LIMITS: LimitSet = {
  ...SYNCHRONOUS_LIMITS,
  heapBytes: ASYNCHRONOUS_LIMITS.heapBytes,
  queueableJobs: ASYNCHRONOUS_LIMITS.queueableJobs,
  futureCalls: ASYNCHRONOUS_LIMITS.futureCalls,
};

export type TransactionKind = 'synchronous' | 'queueable' | 'finalizer' | 'schedulable' | 'test';

/** What one transaction used: the benchmark and `apex:test` read these. */
export interface Usage {
  soqlQueries: number;
  queryRows: number;
  dmlStatements: number;
  dmlRows: number;
  callouts: number;
  queueableJobs: number;
  emailInvocations: number;
  futureCalls: number;
  /** Peak heap estimate (see the size model in heap.ts). */
  heapBytes: number;
  /** Statements executed (the interpreter counts one per statement run). */
  statements: number;
  /** Wall-clock milliseconds spent in the transaction. */
  wallMillis: number;
}

const emptyUsage = (): Usage => ({
  soqlQueries: 0,
  queryRows: 0,
  dmlStatements: 0,
  dmlRows: 0,
  callouts: 0,
  queueableJobs: 0,
  emailInvocations: 0,
  futureCalls: 0,
  heapBytes: 0,
  statements: 0,
  wallMillis: 0,
});

function limitsFor(kind: TransactionKind): LimitSet {
  if (kind === 'finalizer') return FINALIZER_LIMITS;
  return kind === 'queueable' || kind === 'schedulable' ? ASYNCHRONOUS_LIMITS : SYNCHRONOUS_LIMITS;
}

function limitError(message: string): ApexError {
  return new ApexError('System.LimitException', message);
}

/** One transaction's counters. Test.startTest() swaps in a fresh set until stopTest(). */
export class Governor {
  readonly limits: LimitSet;
  usage: Usage = emptyUsage();
  private saved: Usage | null = null;
  private testStarted = false;
  private readonly started = Date.now();

  constructor(readonly kind: TransactionKind) {
    this.limits = limitsFor(kind);
  }

  onQuery(): void {
    if (++this.usage.soqlQueries > this.limits.soqlQueries) {
      throw limitError(`Too many SOQL queries: ${this.usage.soqlQueries}`);
    }
  }

  onRows(rows: number): void {
    this.usage.queryRows += rows;
    if (this.usage.queryRows > this.limits.queryRows) {
      // The platform stops at the first row over the limit ('Too many query rows: 50001'), so the
      // transaction never holds more: usage records that row, not the whole result.
      this.usage.queryRows = this.limits.queryRows + 1;
      throw limitError(`Too many query rows: ${this.usage.queryRows}`);
    }
  }

  onDml(rows: number): void {
    if (++this.usage.dmlStatements > this.limits.dmlStatements) {
      throw limitError(`Too many DML statements: ${this.usage.dmlStatements}`);
    }
    this.usage.dmlRows += rows;
    if (this.usage.dmlRows > this.limits.dmlRows) {
      throw limitError(`Too many DML rows: ${this.usage.dmlRows}`);
    }
  }

  onCallout(): void {
    if (++this.usage.callouts > this.limits.callouts) {
      throw limitError(`Too many callouts: ${this.usage.callouts}`);
    }
  }

  onEnqueue(): void {
    if (++this.usage.queueableJobs > this.limits.queueableJobs) {
      throw limitError(`Too many queueable jobs added to the queue: ${this.usage.queueableJobs}`);
    }
  }

  onEmailInvocation(): void {
    if (++this.usage.emailInvocations > this.limits.emailInvocations) {
      throw limitError(`Too many Email Invocations: ${this.usage.emailInvocations}`);
    }
  }

  onStatement(): void {
    this.usage.statements++;
  }

  /** The heap estimate now; the peak is kept. */
  onHeap(bytes: number): void {
    if (bytes > this.usage.heapBytes) this.usage.heapBytes = bytes;
    if (bytes > this.limits.heapBytes) throw limitError(`Apex heap size too large: ${bytes}`);
  }

  /** Test.startTest(): a fresh set of limits for the code under test. */
  startTest(): void {
    // Once per test method, even after stopTest (SEMANTICS TST-01).
    if (this.saved || this.testStarted) {
      throw new ApexError('System.FinalException', 'Testing already started');
    }
    this.testStarted = true;
    this.saved = this.usage;
    this.usage = emptyUsage();
  }

  /** Test.stopTest(): back to the test's own counters. */
  stopTest(): void {
    if (!this.saved) throw new ApexError('System.FinalException', 'Testing has not started');
    this.usage = this.saved;
    this.saved = null;
  }

  get inTest(): boolean {
    return this.saved !== null;
  }

  /** Wall-clock milliseconds since the transaction began (Limits.getCpuTime's stand-in). */
  elapsedMillis(): number {
    return Date.now() - this.started;
  }

  /** Closes the transaction's wall clock and returns what it used. */
  finish(): Usage {
    this.usage.wallMillis = this.elapsedMillis();
    return this.usage;
  }
}
