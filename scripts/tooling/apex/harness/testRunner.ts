// Runs the package's Apex tests as the platform does ("Understanding Test Data", "Using Test Setup
// Methods"): every test method in a transaction of its own ('test'), over the org as it was before
// any test ran; a class's @TestSetup methods run once, before its first test method, and the data
// they leave is restored before each test method. A failing @TestSetup fails every test method of
// its class. Jobs a test queued outside Test.startTest/stopTest run when its method returns; one
// that fails there fails the test.
import type { TransactionKind, Usage } from '../governor';
import type { Services } from '../natives/registry';
import { ApexError, type Value } from '../values';
import type { AsyncQueue } from './asyncQueue';
import { asThrownApex, type HarnessOrg, type ThrownApex } from './install';
import type { Outbox } from './messaging';
import type { TestContext } from './testContext';

export interface TestMethodInfo {
  readonly name: string;
  /** Lower-case annotation names ('istest', 'testsetup'); 'testmethod' for the old modifier. */
  readonly annotations: readonly string[];
}

export interface TestClassInfo {
  readonly name: string;
  readonly file: string;
  readonly isTest: boolean;
  readonly methods: readonly TestMethodInfo[];
}

/** What the test runner needs of ApexRuntime. */
export interface TestRuntime {
  readonly services: Services;
  classes(): readonly TestClassInfo[];
  transaction<T>(kind: TransactionKind, fn: () => T): { result: T; usage: Usage };
  callStatic(className: string, method: string, args: Value[]): Value;
}

export type Outcome = 'Pass' | 'Fail';

export interface MethodResult {
  readonly name: string;
  readonly outcome: Outcome;
  /** 'TypeName: message' and where, for a failure. */
  readonly message?: string;
  readonly usage?: Usage;
}

export interface ClassResult {
  readonly name: string;
  readonly file: string;
  readonly passed: number;
  readonly failed: number;
  readonly methods: MethodResult[];
}

export interface RunOptions {
  /** Only this class (case-insensitive). */
  className?: string;
  onClass?: (result: ClassResult) => void;
}

/** The class asked for is not a test class of the project. */
export class MissingClassError extends Error {}

const has = (m: TestMethodInfo, annotation: string) => m.annotations.includes(annotation);
const isTestMethod = (m: TestMethodInfo) => has(m, 'istest') || has(m, 'testmethod');

export function testClasses(runtime: TestRuntime, className?: string): TestClassInfo[] {
  const all = runtime.classes().filter((c) => c.isTest && c.methods.some(isTestMethod));
  if (className === undefined) return [...all].sort((a, b) => a.name.localeCompare(b.name));
  const wanted = all.filter((c) => c.name.toLowerCase() === className.toLowerCase());
  if (wanted.length === 0) {
    throw new MissingClassError(`no test class named ${className}`);
  }
  return wanted;
}

/** Formats an uncaught exception: 'Type: message (at File.cls:12)'. */
export function describeFailure(thrown: ThrownApex): string {
  const where = firstLocation(thrown.stackTrace);
  return `${thrown.typeName}: ${thrown.message}${where ? ` at ${where}` : ''}`;
}

function firstLocation(stackTrace: string | undefined): string | null {
  if (!stackTrace) return null;
  const file = /([A-Za-z0-9_]+\.(?:cls|apex|trigger)):(\d+)/.exec(stackTrace);
  if (file) return `${file[1]}:${file[2]}`;
  // The platform's form: 'Class.Foo.bar: line 12, column 1'.
  const platform = /Class\.([A-Za-z0-9_]+)[^:]*: line (\d+)/.exec(stackTrace);
  return platform ? `${platform[1]}.cls:${platform[2]}` : null;
}

interface HarnessParts {
  queue: AsyncQueue;
  test: TestContext;
  outbox: Outbox;
  org: HarnessOrg;
}

function parts(runtime: TestRuntime): HarnessParts {
  const s = runtime.services;
  const org = s.org as HarnessOrg | undefined;
  if (!org || typeof org.snapshot !== 'function') {
    throw new Error('services.org has no snapshot(): the in-memory org is not installed');
  }
  return {
    queue: s.async as AsyncQueue,
    test: s.test as TestContext,
    outbox: s.messaging as Outbox,
    org,
  };
}

export function runTests(runtime: TestRuntime, options: RunOptions = {}): ClassResult[] {
  const classes = testClasses(runtime, options.className);
  const h = parts(runtime);
  const initial = h.org.snapshot();
  const results: ClassResult[] = [];
  try {
    for (const cls of classes) {
      const result = runClass(runtime, h, cls, initial);
      results.push(result);
      options.onClass?.(result);
    }
  } finally {
    h.org.restore(initial);
    h.test.running = false;
    h.queue.testMode = false;
    h.queue.reset();
    h.test.reset();
  }
  return results;
}

/** 'File.cls:12: reason' → 'File.cls:12: reason (in test method Cls.method)', first line only. */
function inMethod(message: string, label: string): string {
  const [first, ...rest] = message.split('\n');
  return [`${first} (in test method ${label})`, ...rest].join('\n');
}

/** Runs fn as a test transaction with fresh test state; returns the Apex failure, if any. */
function inTest(
  runtime: TestRuntime,
  h: HarnessParts,
  label: string,
  fn: () => void,
): { failure: string | null; usage?: Usage } {
  h.queue.reset();
  h.test.reset();
  h.outbox.reset();
  h.queue.testMode = true;
  h.test.running = true;
  try {
    const { usage } = runtime.transaction('test', () => {
      fn();
      // Jobs still queued (outside startTest/stopTest, or no stopTest) run as the test ends.
      const failed = h.queue.drain();
      if (failed.length > 0 && failed[0].failure) {
        throw new ApexError(failed[0].failure.typeName, failed[0].failure.message);
      }
    });
    return { failure: null, usage };
  } catch (error) {
    const thrown = asThrownApex(error);
    if (!thrown) {
      // Unsupported construct or harness error: the run stops, naming the test method it was in.
      if (error instanceof Error) error.message = inMethod(error.message, label);
      throw error;
    }
    return { failure: describeFailure(thrown) };
  } finally {
    h.test.running = false;
    h.queue.testMode = false;
  }
}

function runClass(
  runtime: TestRuntime,
  h: HarnessParts,
  cls: TestClassInfo,
  initial: unknown,
): ClassResult {
  h.org.restore(initial);
  let base = initial;
  let setupFailure: string | null = null;
  for (const setup of cls.methods.filter((m) => has(m, 'testsetup'))) {
    const { failure } = inTest(runtime, h, `${cls.name}.${setup.name}`, () =>
      runtime.callStatic(cls.name, setup.name, []),
    );
    if (failure) {
      setupFailure = `@TestSetup ${setup.name} failed: ${failure}`;
      break;
    }
  }
  if (!setupFailure) base = h.org.snapshot();
  const methods: MethodResult[] = [];
  for (const method of cls.methods.filter((m) => isTestMethod(m) && !has(m, 'testsetup'))) {
    if (setupFailure) {
      methods.push({ name: method.name, outcome: 'Fail', message: setupFailure });
      continue;
    }
    h.org.restore(base);
    const { failure, usage } = inTest(runtime, h, `${cls.name}.${method.name}`, () =>
      runtime.callStatic(cls.name, method.name, []),
    );
    methods.push(
      failure
        ? { name: method.name, outcome: 'Fail', message: failure }
        : { name: method.name, outcome: 'Pass', usage },
    );
  }
  const passed = methods.filter((m) => m.outcome === 'Pass').length;
  return { name: cls.name, file: cls.file, passed, failed: methods.length - passed, methods };
}
