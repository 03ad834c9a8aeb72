// The test context (`services.test`): whether a test is running (Test.isRunningTest), the mocks
// Test.setMock registered, and System.runAs. The interpreter runs a `System.runAs(user) { … }`
// block through `runAs(user, body)`: the block runs as that user — UserInfo, sharing and the
// user's locale and time zone — and the previous user is back afterwards, also when the block
// throws (Apex Developer Guide, "Using the runAs Method"). DML in the block is a mixed-DML scope of
// its own ("Mixed DML Operations in Test Methods"; SEMANTICS.md SQL-10).
import { SObjectValue, UnsupportedError, nullPointer, type Value } from '../values';
import type { Services } from '../natives/registry';

/** What runAs needs of the org: the running user and the users' records. */
export interface RunningUserAccess {
  /** The running user's record. */
  current(): SObjectValue;
  /** The stored record of a user given at least its Id (runAs takes `new User(Id = …)`). */
  load(user: SObjectValue): SObjectValue;
  /** Makes a user the running one (UserInfo, sharing). */
  set(user: SObjectValue): void;
}

/** The org's mixed-DML scopes (org/orgService.ts OrgService.mixedDmlScope). */
interface MixedDmlScopes {
  mixedDmlScope?(ctx: unknown, fn: () => void): void;
}

export class TestContext {
  /** Test.isRunningTest(): true while the test runner runs a test method or @TestSetup. */
  running = false;
  private readonly mocks = new Map<string, Value>();
  /** Nesting of runAs blocks (the outermost is the test's own user). */
  readonly runAsStack: SObjectValue[] = [];

  constructor(
    private readonly services: Services,
    private users: RunningUserAccess | null = null,
  ) {}

  setUserAccess(users: RunningUserAccess | null): void {
    this.users = users;
  }

  /** Test.setMock(interfaceType, mock): 'HttpCalloutMock', 'WebServiceMock', … */
  setMock(interfaceName: string, mock: Value): void {
    this.mocks.set(normalize(interfaceName), mock);
  }

  mock(interfaceName: string): Value {
    return this.mocks.get(normalize(interfaceName)) ?? null;
  }

  /** Between test methods: no mocks, no runAs. */
  reset(): void {
    this.mocks.clear();
    this.runAsStack.length = 0;
  }

  /** System.runAs(user) { body }: the interpreter calls runAs(ctx, user, body). */
  runAs(ctx: unknown, user: Value, body: () => void): void {
    if (user === null) throw nullPointer();
    if (!(user instanceof SObjectValue) || user.sobjectType.toLowerCase() !== 'user') {
      // Version overloads (System.runAs(Version)) are for managed-package tests only.
      throw new UnsupportedError('System.runAs with an argument other than a User');
    }
    if (!this.running) {
      // The platform refuses this at compile time: runAs belongs to test methods.
      throw new UnsupportedError('System.runAs outside a test method');
    }
    if (!this.users) throw new UnsupportedError('System.runAs: the in-memory org has no users');
    const target = this.users.load(user);
    const previous = this.users.current();
    const previousLocale = this.services.locale;
    const previousZone = this.services.timeZone;
    this.users.set(target);
    this.services.locale = stringField(target, 'LocaleSidKey') ?? previousLocale;
    this.services.timeZone = stringField(target, 'TimeZoneSidKey') ?? previousZone;
    this.runAsStack.push(target);
    const org = this.services.org as MixedDmlScopes | undefined;
    try {
      if (typeof org?.mixedDmlScope === 'function') org.mixedDmlScope(ctx, body);
      else body();
    } finally {
      this.runAsStack.pop();
      this.users.set(previous);
      this.services.locale = previousLocale;
      this.services.timeZone = previousZone;
    }
  }
}

function normalize(name: string): string {
  const lower = name.toLowerCase();
  return lower.startsWith('system.') ? lower.slice('system.'.length) : lower;
}

function stringField(record: SObjectValue, field: string): string | null {
  const value = record.get(field);
  return typeof value === 'string' && value !== '' ? value : null;
}
