// The entry API of the local Apex runtime: load the package's classes, run transactions (fresh
// static state and governor each), call methods, run anonymous Apex, read line coverage.
//
// Services: `services.org` (the in-memory org, org/), `services.async`, `services.test` and
// `services.debug` (harness/) are filled by those layers; `services.runtime` is this runtime.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { TransactionKind, Usage } from './governor';
import './natives/index';
import './natives/core';
import { exceptionFromError } from './natives/core';
import type { Interop, Services } from './natives/registry';
import { ApexThrown, Interpreter } from './interpreter/interpreter';
import type { ClassModel } from './interpreter/classes';
import { ApexError, UnsupportedError, type Value } from './values';
import { createOrg } from './org/orgService';
import { registerOrgTypes } from './org/natives';

export { ApexThrown } from './interpreter/interpreter';
import { ApexSourceError } from './interpreter/parse';
export { ApexSourceError };

/** The services object the layers share (see ARCHITECTURE.md). */
export interface RuntimeServices extends Services {
  org?: unknown;
  async?: unknown;
  test?: unknown;
  debug?: unknown;
  runtime?: ApexRuntime;
}

export interface MethodInfo {
  readonly name: string;
  readonly isStatic: boolean;
  /** Lower-case annotation names ('istest', 'testsetup'); 'testmethod' for the old modifier. */
  readonly annotations: readonly string[];
  readonly parameters: number;
}

export interface ClassInfo {
  /** Qualified name ('Outer.Inner' for inner classes). */
  readonly name: string;
  readonly file: string;
  readonly isTest: boolean;
  readonly methods: readonly MethodInfo[];
}

export interface FileCoverage {
  readonly file: string;
  /** Lines that start a statement (or a field initialiser). */
  readonly executable: number[];
  readonly covered: number[];
}

/**
 * The newest API version whose behaviour the runtime models. The default access mode of database
 * operations depends on the class's version: system mode up to here, user mode in the guide's
 * later versions ("Set an Access Mode for Database Operations"; SEMANTICS SQL-01). A newer class
 * is refused rather than run under the wrong default.
 */
export const NEWEST_MODELLED_API_VERSION = 66.0;

/** Refuses a class whose meta file names an API version the runtime does not model. */
function checkApiVersion(classPath: string): void {
  let meta: string;
  try {
    meta = readFileSync(`${classPath}-meta.xml`, 'utf8');
  } catch {
    return; // no meta file: the version is the project's, which the metadata check pins
  }
  const version = Number(/<apiVersion>\s*([\d.]+)\s*<\/apiVersion>/.exec(meta)?.[1]);
  if (version > NEWEST_MODELLED_API_VERSION) {
    throw new ApexSourceError(
      basename(classPath),
      1,
      `not supported by the local runtime: API version ${version.toFixed(1)} (the runtime models ` +
        `API ${NEWEST_MODELLED_API_VERSION.toFixed(1)} and earlier, where database operations default ` +
        `to system mode)`,
    );
  }
}

/** The services with the project's in-memory org and its custom types' statics, unless one is set. */
function withProjectOrg(root: string, services: RuntimeServices): RuntimeServices {
  if (!services.org) {
    const org = createOrg(root);
    registerOrgTypes(org);
    services.org = org;
  }
  return services;
}

/** One finished transaction, as ApexRuntime.onTransactionEnd reports it. */
export interface TransactionRecord {
  readonly kind: TransactionKind;
  readonly usage: Usage;
  /** What it ended with (ApexThrown, or a refusal), or null when it completed. */
  readonly error: unknown;
}

export class ApexRuntime {
  readonly services: RuntimeServices;
  readonly interpreter: Interpreter;
  /** Called as each transaction ends, nested ones included (the Apex benchmark records usage). */
  onTransactionEnd: ((record: TransactionRecord) => void) | null = null;
  private depth = 0;

  private constructor(files: { path: string; text: string }[], services: RuntimeServices = {}) {
    this.services = services;
    services.runtime = this;
    this.interpreter = new Interpreter(services);
    this.interpreter.load(files);
    this.interpreter.link();
  }

  /**
   * Every `.cls` file under `<root>/force-app`, at any depth. Without `services.org`, the
   * in-memory org of the project is created (createOrg) and its custom settings' and custom
   * metadata types' statics registered (registerOrgTypes).
   */
  static fromProject(root: string, services: RuntimeServices = {}): ApexRuntime {
    const files: { path: string; text: string }[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir).sort()) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (entry.endsWith('.cls')) {
          checkApiVersion(path);
          files.push({ path, text: readFileSync(path, 'utf8') });
        }
      }
    };
    walk(join(root, 'force-app'));
    return new ApexRuntime(files, withProjectOrg(root, services));
  }

  /**
   * Classes given as text. With `root` and without `services.org`, they run over the project's
   * in-memory org, as fromProject's classes do.
   */
  static fromSources(
    files: { path: string; text: string }[],
    services: RuntimeServices = {},
    root?: string,
  ): ApexRuntime {
    return new ApexRuntime(files, root === undefined ? services : withProjectOrg(root, services));
  }

  get interop(): Interop {
    return this.interpreter.interop;
  }

  classes(): ClassInfo[] {
    return [...this.interpreter.classes.byKey.values()]
      .filter((c) => c.name !== 'AnonymousBlock' || c.outer)
      .map((c) => ({
        name: c.qualified,
        file: c.file,
        isTest: c.isTest,
        methods: [...c.methods.values()].flat().map((m) => ({
          name: m.name,
          isStatic: m.isStatic,
          annotations: [
            ...m.annotations,
            ...(m.decl.modifiers.includes('testmethod') ? ['testmethod'] : []),
          ],
          parameters: m.arity,
        })),
      }));
  }

  /**
   * Runs `fn` as one transaction: fresh static state and a fresh Governor(kind). An uncaught
   * Apex exception leaves as ApexThrown. A transaction started inside another (an async job run
   * at Test.stopTest) gets its own statics and limits; the outer one's are restored after it.
   */
  transaction<T>(kind: TransactionKind, fn: () => T): { result: T; usage: Usage } {
    const rt = this.interpreter;
    const saved = this.depth > 0 ? this.saveState() : null;
    rt.beginTransaction(kind);
    this.depth++;
    try {
      const result = fn();
      const usage = rt.governor.finish();
      this.onTransactionEnd?.({ kind, usage, error: null });
      return { result, usage };
    } catch (error) {
      const thrown = toPublicError(rt.capture(error));
      this.onTransactionEnd?.({ kind, usage: rt.governor.finish(), error: thrown });
      throw thrown;
    } finally {
      this.depth--;
      if (saved) saved();
    }
  }

  private saveState(): () => void {
    const rt = this.interpreter;
    const { epoch, governor, frames } = rt;
    const statics = [...rt.classes.byKey.values()].map((c) => [c, c.epoch, c.statics] as const);
    return () => {
      rt.epoch = epoch;
      rt.governor = governor;
      rt.frames = frames;
      for (const [c, e, s] of statics) {
        c.epoch = e;
        c.statics = s;
      }
    };
  }

  /** Runs `fn` inside the current transaction, or a synchronous one of its own. */
  private inTransaction<T>(fn: () => T): T {
    if (this.depth > 0) {
      try {
        return fn();
      } catch (error) {
        throw toPublicError(this.interpreter.capture(error));
      }
    }
    return this.transaction('synchronous', fn).result;
  }

  /** A static method of a package class. */
  callStatic(className: string, method: string, args: Value[] = []): Value {
    const cls = this.classNamed(className);
    const candidates = cls.findMethods(method.toLowerCase()).filter((m) => m.isStatic);
    if (!candidates.length) {
      throw new UnsupportedError(`unknown static method ${cls.qualified}.${method}`);
    }
    return this.inTransaction(() => {
      const rt = this.interpreter;
      return rt.invoke(rt.selectOverload(candidates, args, method), null, args);
    });
  }

  /** `new ClassName(args)`. */
  newInstance(className: string, args: Value[] = []): Value {
    const cls = this.classNamed(className);
    return this.inTransaction(() => this.interpreter.instantiate(cls, args));
  }

  /** Anonymous Apex as one synchronous transaction. */
  runAnonymous(text: string, fileName = 'anonymous.apex'): { usage: Usage } {
    const rt = this.interpreter;
    const model = rt.loadAnonymous(text, fileName);
    try {
      const run = model.findMethods('run')[0];
      const { usage } = this.transaction('synchronous', () => rt.invoke(run, null, []));
      return { usage };
    } finally {
      rt.unloadAnonymous(model);
      rt.coverage.delete(fileName);
    }
  }

  /** Line coverage per class file, from every transaction run so far. */
  coverage(): FileCoverage[] {
    return [...this.interpreter.coverage.entries()].map(([file, { executable, hits }]) => {
      const lines = [...executable].sort((a, b) => a - b);
      return { file, executable: lines, covered: lines.filter((l) => hits[l] === 1) };
    });
  }

  /** Clears coverage counts (between test runs). */
  resetCoverage(): void {
    for (const { hits } of this.interpreter.coverage.values()) hits.fill(0);
  }

  private classNamed(name: string): ClassModel {
    const cls = this.interpreter.classes.lookup(name, null);
    if (!cls) throw new UnsupportedError(`unknown class ${name}`);
    return cls;
  }
}

/** What leaves the runtime: ApexThrown for Apex exceptions (natives' ApexErrors included). */
function toPublicError(error: unknown): unknown {
  if (error instanceof ApexError) return new ApexThrown(exceptionFromError(error), []);
  return error;
}
