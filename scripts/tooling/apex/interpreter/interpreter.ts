// The interpreter's run-time core: the loaded classes, per-transaction static state, method
// invocation and dispatch, object construction, exceptions, calls into natives and the org, the
// Interop callbacks natives use, coverage and the heap samples. Method bodies are compiled to
// closures on their first call (compile.ts).
import { Governor, type TransactionKind } from '../governor';
import {
  exceptionFromError,
  exceptionText,
  hasException,
  initException,
  newExceptionState,
  stringHash,
  identityHash,
  SystemException,
  TypeValue,
  type ExceptionState,
} from '../natives/core';
import {
  findNative,
  type Interop,
  type NativeClass,
  type NativeContext,
  type NativeMethod,
  type Services,
} from '../natives/registry';
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexError,
  ApexId,
  ApexList,
  ApexMap,
  ApexSet,
  ApexTime,
  EnumValue,
  SObjectValue,
  UnsupportedError,
  isInstance,
  nullPointer,
  setHooks,
  strictValueEquals,
  toApexString,
  typeName,
  type ApexInstance,
  type TypeRef,
  type Value,
} from '../values';
import type { ClassDecl, DmlOp, Stmt } from './ast';
import type { OrgService } from '../org/orgService';
import { readField, writeField } from '../org/natives';
import { ClassModel, ClassTable, MethodModel, typeText } from './classes';
import { Compiler, type Compiled } from './compile';
import { ApexThrown, type CompilerRuntime, type Frame } from './compilerRuntime';
import { estimateHeap, HEAP_SAMPLE_STATEMENTS } from './heap';
import { Lowerer } from './lower';
import { ApexObject } from './objects';
import { parseAnonymous, parseClass } from './parse';
import { TypeSystem, listOf, primitive, type RType, T_OBJECT, T_SOBJECT } from './types';
import { sameStaticType } from './statictypes';
import { apexTypeOfField } from '../org/dml';

// A method's frame and an exception in flight live in compilerRuntime.ts, shared with compile.ts.
export { ApexThrown, type Frame };

/** What the interpreter needs from the test harness (services.test) for System.runAs. */
export interface TestBridge {
  runAs?(ctx: NativeContext, user: Value, body: () => void): void;
}

const STANDARD_SOBJECTS = new Set(
  [
    'Account',
    'Contact',
    'User',
    'Profile',
    'PermissionSet',
    'PermissionSetAssignment',
    'Organization',
    'Group',
    'GroupMember',
    'AsyncApexJob',
    'CronTrigger',
    'Lead',
    'Opportunity',
    'Case',
    'Task',
    'Event',
  ].map((s) => s.toLowerCase()),
);

/** Without an org schema: custom objects by suffix and a few standard objects. */
function fallbackSObjectName(name: string): string | null {
  if (/__(c|mdt|e|x|b|share|history)$/i.test(name) || STANDARD_SOBJECTS.has(name.toLowerCase())) {
    return name;
  }
  return null;
}

const MAX_STACK_DEPTH = 1000;
const located = new WeakSet<Error>();

export class Interpreter implements CompilerRuntime {
  readonly classes = new ClassTable();
  readonly types: TypeSystem;
  readonly compiler: Compiler;
  governor = new Governor('synchronous');
  /** Incremented per transaction: static state of a class is valid while its epoch matches. */
  epoch = 0;
  frames: Frame[] = [];
  /** File → executable lines and hits. */
  readonly coverage = new Map<string, { executable: Set<number>; hits: Uint8Array }>();
  readonly interop: Interop;
  readonly ctx: NativeContext;
  private sinceHeapSample = 0;
  private readonly overrides = new WeakMap<ClassModel, Map<MethodModel, MethodModel>>();

  constructor(readonly services: Services) {
    this.types = new TypeSystem(this.classes, (name) => this.sobjectName(name));
    this.compiler = new Compiler(this);
    this.interop = this.makeInterop();
    const currentGovernor = () => this.governor;
    this.ctx = {
      interop: this.interop,
      get governor() {
        return currentGovernor();
      },
      services,
    };
    // Database.* natives (org/natives.ts) read the calling class's sharing keyword from here, so
    // Database.query / Database.update in a `without sharing` class skip record access as the
    // statement forms do (SEMANTICS SQL-03, SQL-12).
    services.sharing = () => this.sharing();
    this.installHooks();
  }

  get org(): OrgService | undefined {
    return this.services.org as OrgService | undefined;
  }

  /** The API name of an SObject type: from the org's schema, else by naming convention. */
  sobjectName(name: string): string | null {
    const org = this.org;
    if (org) return org.schema.get(name)?.name ?? null;
    return fallbackSObjectName(name);
  }

  /** `record.Field`: through the org (unknown and unqueried fields throw), else as stored. */
  readSObjectField(record: SObjectValue, name: string): Value {
    const org = this.org;
    return org ? readField(org, record, name) : record.get(name);
  }

  /** `record.Field = v`: through the org (converted to the field's type), else as given. */
  writeSObjectField(record: SObjectValue, name: string, value: Value): void {
    const org = this.org;
    if (org) writeField(org, record, name, value);
    else record.set(name, value);
  }

  /** Sharing of the running code: the nearest class's keyword ('inherited' when none). */
  private sharing(): 'with' | 'without' | 'inherited' {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      for (let c: ClassModel | null = this.frames[i].cls; c; c = c.outer) {
        const s = c.sharing;
        if (s === 'with' || s === 'without') return s;
        if (s === 'inherited') break;
      }
    }
    return 'inherited';
  }

  // ── loading ───────────────────────────────────────────────────────────────────────────────

  /** Parses and registers classes; call link() once all are added. */
  load(files: { path: string; text: string }[]): ClassModel[] {
    const added: ClassModel[] = [];
    for (const { path, text } of files) {
      const file = path.split(/[\\/]/).pop()!;
      const decl = new Lowerer(text, file).compilationUnit(parseClass(text, file));
      const model = this.classes.add(decl, file);
      added.push(model);
      this.recordExecutableLines(file, decl);
    }
    return added;
  }

  /** Resolves superclasses and interfaces of every loaded class. */
  link(): void {
    for (const cls of this.classes.byKey.values()) this.linkClass(cls);
  }

  private linkClass(cls: ClassModel): void {
    const decl = cls.decl;
    if (decl.superclass) {
      const name = decl.superclass.name;
      const user = this.classes.lookup(name, cls.outer ?? null);
      if (user && user !== cls) cls.superclass = user;
      else cls.nativeSuper = findNative(name)?.name ?? name;
    }
    cls.interfaces = [];
    cls.nativeInterfaces = [];
    for (const i of decl.interfaces) {
      const user = this.classes.lookup(i.name, cls.outer ?? cls);
      if (user) cls.interfaces.push(user);
      else cls.nativeInterfaces.push(findNative(i.name)?.name ?? i.name);
    }
  }

  private recordExecutableLines(file: string, decl: ClassDecl): void {
    const lines = new Set<number>();
    const visit = (s: Stmt | null | undefined) => {
      if (!s) return;
      if (s.kind !== 'block' && s.kind !== 'empty') lines.add(s.line);
      switch (s.kind) {
        case 'block':
          s.body.forEach(visit);
          break;
        case 'if':
          visit(s.then);
          visit(s.otherwise);
          break;
        case 'while':
        case 'doWhile':
        case 'forEach':
        case 'runAs':
          visit(s.body);
          break;
        case 'for':
          visit(s.body);
          break;
        case 'try':
          visit(s.body);
          s.catches.forEach((c) => visit(c.body));
          visit(s.finally);
          break;
        case 'switch':
          s.whens.forEach((w) => visit(w.body));
          break;
        default:
          break;
      }
    };
    const visitClass = (c: ClassDecl) => {
      for (const m of [...c.methods, ...c.constructors]) visit(m.body);
      for (const p of c.properties) {
        visit(p.getter);
        visit(p.setter);
      }
      for (const item of [...c.staticInit, ...c.instanceInit]) {
        if (item.kind === 'block') visit(item.body);
        else if (item.field.init) lines.add(item.field.line);
      }
      c.inner.forEach(visitClass);
    };
    visitClass(decl);
    const max = Math.max(0, ...lines);
    this.coverage.set(file, { executable: lines, hits: new Uint8Array(max + 1) });
  }

  /** Anonymous Apex as a temporary class; removed again by the caller with unloadAnonymous. */
  loadAnonymous(text: string, file: string): ClassModel {
    const decl = new Lowerer(text, file).anonymous(parseAnonymous(text, file), 'AnonymousBlock');
    const model = this.classes.add(decl, file);
    this.types.clearCache();
    this.linkClass(model);
    for (const inner of model.inner.values()) this.linkClass(inner);
    return model;
  }

  unloadAnonymous(model: ClassModel): void {
    this.classes.remove(model);
    this.types.clearCache();
  }

  // ── transactions ──────────────────────────────────────────────────────────────────────────

  beginTransaction(kind: TransactionKind): void {
    this.epoch++;
    this.governor = new Governor(kind);
    this.frames = [];
    this.sinceHeapSample = 0;
  }

  /** Counts a statement; samples the heap every HEAP_SAMPLE_STATEMENTS. */
  onStatement(): void {
    this.governor.onStatement();
    if (++this.sinceHeapSample >= HEAP_SAMPLE_STATEMENTS) this.sampleHeap();
  }

  sampleHeap(): void {
    this.sinceHeapSample = 0;
    const roots: Value[] = [];
    for (const cls of this.classes.byKey.values()) {
      if (cls.epoch === this.epoch) roots.push(...cls.statics);
    }
    for (const frame of this.frames) {
      roots.push(...frame.locals, frame.self, frame.ret);
    }
    this.governor.onHeap(estimateHeap(roots));
  }

  hitsFor(file: string): Uint8Array {
    return this.coverage.get(file)?.hits ?? new Uint8Array(0);
  }

  // ── statics ───────────────────────────────────────────────────────────────────────────────

  /** The static fields of a class in this transaction, initialised on first use. */
  statics(cls: ClassModel): Value[] {
    if (cls.epoch === this.epoch) return cls.statics;
    if (cls.failedEpoch === this.epoch) {
      // SEMANTICS EXC-17: what the platform does when a class whose static initialiser threw is
      // used again in the same transaction is not known; the runtime refuses rather than run on
      // half-initialised statics.
      throw new UnsupportedError(
        `use of ${cls.qualified} after its static initialiser threw in this transaction`,
      );
    }
    cls.epoch = this.epoch;
    cls.statics = new Array<Value>(cls.staticCount).fill(null);
    try {
      if (cls.superclass) this.statics(cls.superclass);
      if (cls.outer) this.statics(cls.outer);
      const init = this.compiler.staticInitializer(cls);
      // An exception thrown here reaches the code that first used the class as it is, not
      // wrapped, with a `Class.X.<clinit>` frame in its stack trace (EXC-17, UNCONFIRMED).
      if (init) this.run(init, cls, null, []);
    } catch (error) {
      cls.epoch = -1;
      cls.failedEpoch = this.epoch;
      throw error;
    }
    return cls.statics;
  }

  // ── invocation ────────────────────────────────────────────────────────────────────────────

  /** Calls a method (no dispatch): arguments converted to the parameter types. */
  invoke(method: MethodModel, self: ApexObject | null, args: Value[]): Value {
    if (method.isAbstract) {
      throw new ApexError('System.UnexpectedException', `Abstract method called: ${method.label}`);
    }
    const compiled = (method.compiled as Compiled | null) ?? this.compiler.method(method);
    if (method.isStatic) this.statics(method.cls);
    return this.run(compiled, method.cls, self, args, method);
  }

  run(
    compiled: Compiled,
    cls: ClassModel,
    self: ApexObject | null,
    args: Value[],
    method: MethodModel | null = null,
  ): Value {
    const locals = new Array<Value>(compiled.slots).fill(null);
    const converters = compiled.params;
    for (let i = 0; i < converters.length; i++) {
      const conv = converters[i];
      const arg = args[i] ?? null;
      locals[i] = conv ? conv(arg) : arg;
    }
    const frame: Frame = { locals, self, method, cls, line: method?.decl.line ?? 0, ret: null };
    const frames = this.frames;
    if (frames.length >= MAX_STACK_DEPTH) {
      throw new ApexError(
        'System.LimitException',
        `Maximum stack depth reached: ${frames.length + 1}`,
      );
    }
    frames.push(frame);
    try {
      compiled.body(frame);
      return frame.ret;
    } catch (error) {
      throw this.capture(error);
    } finally {
      frames.pop();
    }
  }

  /** The method that runs for `method` on an object of class `cls` (virtual dispatch). */
  override(cls: ClassModel, method: MethodModel): MethodModel {
    if (cls === method.cls) return method;
    let table = this.overrides.get(cls);
    if (!table) {
      table = new Map();
      this.overrides.set(cls, table);
    }
    let found = table.get(method);
    if (!found) {
      found = method;
      const candidates = cls.findMethods(method.key);
      // Same signature: parameter types as written, else as resolved in each class (an
      // interface's `Inner` and the implementation's `Outer.Inner` are one type).
      const sameResolved = (c: MethodModel) => {
        try {
          const a = this.compiler.paramTypes(c);
          const b = this.compiler.paramTypes(method);
          return a.every((t, i) => sameStaticType(t, b[i]));
        } catch (error) {
          if (error instanceof UnsupportedError) return false;
          throw error;
        }
      };
      for (const c of candidates) {
        if (
          c.arity === method.arity &&
          (c.decl.params.every((p, i) => sameParam(p.type, method.decl.params[i].type)) ||
            sameResolved(c))
        ) {
          found = c;
          break;
        }
      }
      table.set(method, found);
    }
    return found;
  }

  /**
   * The overload for values handed in by the host or a native (runtime.callStatic, Interop,
   * `new` through Type.newInstance): there is no Apex call site, so no static types; the most
   * specific fit of the runtime types, refused when that is not unique. Apex call sites never
   * come here: the compiler chooses their overload from static types (statictypes.ts, TYP-10).
   */
  selectOverload(candidates: MethodModel[], args: Value[], what: string): MethodModel {
    let best: MethodModel | null = null;
    let bestScore = -1;
    let tied = false;
    let sameArity = 0;
    for (const m of candidates) {
      if (m.arity !== args.length) continue;
      sameArity++;
      const score = this.matchScore(m, args);
      if (score > bestScore) {
        best = m;
        bestScore = score;
        tied = false;
      } else if (score === bestScore) tied = true;
    }
    if (best && sameArity === 1) return best;
    if (best && bestScore >= 0 && !tied) return best;
    throw new UnsupportedError(
      tied
        ? `overloaded ${what} called with runtime values only: the overload is ambiguous`
        : `no method ${what} for ${args.length} argument(s)`,
    );
  }

  /** -1 when an argument does not fit; otherwise higher for exact and more specific types. */
  private matchScore(m: MethodModel, args: Value[]): number {
    const types = this.compiler.paramTypes(m);
    let score = 0;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      const type = types[i];
      if (arg === null) continue;
      if (this.types.isInstance(arg, type)) {
        score += type.kind === 'object' ? 1 : exactType(arg, type) ? 4 : 2;
      } else if (numericWidening(arg, type)) score += 1;
      else return -1;
    }
    return score;
  }

  /**
   * `new C(args)` for a user class. `ctor` is the constructor the call site chose from the static
   * argument types (null: the implicit one); undefined (host and native callers) chooses by the
   * runtime types.
   */
  instantiate(cls: ClassModel, args: Value[], ctor?: MethodModel | null): ApexObject {
    if (cls.isAbstract) {
      throw new UnsupportedError(`cannot construct abstract class or interface ${cls.qualified}`);
    }
    this.statics(cls);
    cls.instanceFields();
    const obj = new ApexObject(cls, new Array<Value>(cls.fieldCount).fill(null));
    if (cls.isException) obj.exception = newExceptionState(cls.qualified);
    this.construct(cls, obj, args, ctor);
    return obj;
  }

  /** Runs the constructor chain of `cls` for `obj`: this()/super(), initialisers, body. */
  construct(cls: ClassModel, obj: ApexObject, args: Value[], chosen?: MethodModel | null): void {
    const ctor =
      chosen !== undefined
        ? chosen
        : cls.constructors.length
          ? this.findConstructor(cls, args)
          : null;
    if (!ctor) {
      if (cls.isException && args.length) {
        // The implicit exception constructors pass their arguments up to Exception.
        this.constructSuper(cls, obj, args);
        this.runInstanceInit(cls, obj);
        return;
      }
      if (args.length || cls.constructors.length) {
        throw new UnsupportedError(
          `constructor not defined: ${cls.qualified}(${args.length} argument(s))`,
        );
      }
      this.constructSuper(cls, obj, []);
      this.runInstanceInit(cls, obj);
      return;
    }
    const compiled = (ctor.compiled as Compiled | null) ?? this.compiler.method(ctor);
    const prologue = compiled.prologue;
    // The prologue (this(...) / super(...)) runs in the constructor's frame, before its body.
    const wrapped: Compiled = {
      ...compiled,
      body: (frame) => {
        if (prologue?.error) {
          frame.line = prologue.line;
          throw prologue.error;
        }
        const chainArgs = prologue ? prologue.args.map((a) => a(frame)) : [];
        if (prologue?.which === 'this') this.construct(cls, obj, chainArgs, prologue.ctor);
        else {
          this.constructSuper(cls, obj, chainArgs, prologue ? prologue.ctor : undefined);
          this.runInstanceInit(cls, obj);
        }
        return compiled.body(frame);
      },
    };
    this.run(wrapped, cls, obj, args, ctor);
  }

  private findConstructor(cls: ClassModel, args: Value[]): MethodModel | null {
    const sameArity = cls.constructors.filter((c) => c.arity === args.length);
    if (!sameArity.length) return null;
    return this.selectOverload(sameArity, args, `${cls.qualified} constructor`);
  }

  private constructSuper(
    cls: ClassModel,
    obj: ApexObject,
    args: Value[],
    ctor?: MethodModel | null,
  ): void {
    if (cls.superclass) this.construct(cls.superclass, obj, args, ctor);
    else if (cls.isException && obj.exception) initException(obj.exception, args);
  }

  private runInstanceInit(cls: ClassModel, obj: ApexObject): void {
    const init = this.compiler.instanceInitializer(cls);
    if (init) this.run(init, cls, obj, []);
  }

  // ── calls by name ─────────────────────────────────────────────────────────────────────────

  /** `target.name(args)` on any value: user methods with virtual dispatch, else natives. */
  callMethod(target: Value, key: string, args: Value[]): Value {
    if (target === null) throw nullPointer();
    if (target instanceof ApexObject) {
      const candidates = target.cls.findMethods(key);
      if (candidates.length) {
        const m =
          candidates.length === 1 ? candidates[0] : this.selectOverload(candidates, args, key);
        if (m.isStatic) return this.invoke(m, null, args);
        return this.invoke(m, target, args);
      }
      const native = this.nativeMethodOf(target, key);
      if (native) return native(this.ctx, target, args);
      return this.objectMethod(target, key, args);
    }
    const native = this.nativeMethodOf(target, key);
    if (native) return native(this.ctx, target, args);
    return this.objectMethod(target, key, args);
  }

  /** equals / hashCode / toString every value has. */
  private objectMethod(target: Value, key: string, args: Value[]): Value {
    switch (key) {
      case 'equals':
        if (args.length === 1) return this.valueEquals(target, args[0]);
        break;
      case 'hashcode':
        if (args.length === 0) return this.hashOf(target);
        break;
      case 'tostring':
        if (args.length === 0) return toApexString(target);
        break;
      default:
        break;
    }
    throw new UnsupportedError(`${nativeTypeName(target)}.${key}`);
  }

  valueEquals(a: Value, b: Value): boolean {
    if (a instanceof ApexObject) {
      const eq = this.userMethod(a, 'equals', 1);
      if (eq) return this.invoke(eq, a, [b]) === true;
      return a === b;
    }
    return strictValueEquals(a, b);
  }

  hashOf(v: Value): number {
    if (v instanceof ApexObject) {
      const h = this.userMethod(v, 'hashcode', 0);
      if (h) return this.invoke(h, v, []) as number;
      return identityHash(v);
    }
    if (typeof v === 'string') return stringHash(v);
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1231 : 1237;
    if (v === null) return 0;
    return stringHash(toApexString(v));
  }

  userMethod(obj: ApexObject, key: string, arity: number): MethodModel | null {
    for (const m of obj.cls.findMethods(key)) if (m.arity === arity && !m.isStatic) return m;
    return null;
  }

  /** An instance method of a built-in or native value, found by its runtime type name. */
  nativeMethodOf(target: Value, key: string): NativeMethod | null {
    for (const name of nativeTypeNames(target)) {
      const method = this.findNativeMember(name, key, 'methods');
      if (method) return method;
    }
    return null;
  }

  private findNativeMember<K extends 'methods' | 'properties'>(
    name: string,
    key: string,
    table: K,
    seen = new Set<string>(),
  ): NonNullable<NativeClass[K]>[string] | null {
    const lower = name.toLowerCase();
    if (seen.has(lower)) return null;
    seen.add(lower);
    const native = findNative(name);
    if (!native) return null;
    const found = native[table]?.[key];
    if (found) return found as NonNullable<NativeClass[K]>[string];
    for (const s of native.supertypes ?? []) {
      const inherited = this.findNativeMember(s, key, table, seen);
      if (inherited) return inherited;
    }
    return null;
  }

  /** `target.name` on any value. */
  readMember(target: Value, name: string, key: string): Value {
    if (target instanceof SObjectValue) return this.readSObjectField(target, name);
    if (target instanceof ApexObject) {
      const field = target.cls.instanceFields().get(key);
      if (field) {
        const getter = field.property?.getter;
        return getter ? this.invoke(getter, target, []) : target.fields[field.slot];
      }
      const st = target.cls.findStatic(key);
      if (st) return this.statics(st.owner)[st.slot];
    }
    if (target === null) throw nullPointer();
    for (const typeName of nativeTypeNames(target)) {
      const prop = this.findNativeMember(typeName, key, 'properties');
      if (prop) return prop(this.ctx, target);
    }
    throw new UnsupportedError(`${nativeTypeName(target)}.${name}`);
  }

  writeMember(target: Value, name: string, key: string, value: Value): void {
    if (target instanceof SObjectValue) {
      this.writeSObjectField(target, name, value);
      return;
    }
    if (target instanceof ApexObject) {
      const field = target.cls.instanceFields().get(key);
      if (field) {
        const setter = field.property?.setter;
        const stored = this.compiler.fieldConverter(field)(value);
        if (setter) this.invoke(setter, target, [stored]);
        else target.fields[field.slot] = stored;
        return;
      }
      const st = target.cls.findStatic(key);
      if (st) {
        this.statics(st.owner)[st.slot] = this.compiler.fieldConverter(st)(value);
        return;
      }
    }
    if (target === null) throw nullPointer();
    throw new UnsupportedError(`setting ${nativeTypeName(target)}.${name}`);
  }

  /** A static method of a native class ('SObjectType:<name>' or 'SObject' for SObject types). */
  nativeStatic(native: NativeClass, key: string): NativeMethod | null {
    return native.statics?.[key] ?? null;
  }

  // ── exceptions ────────────────────────────────────────────────────────────────────────────

  /** Turns what a call threw into an ApexThrown (ApexError from natives), locating the rest. */
  capture(error: unknown): unknown {
    if (error instanceof ApexThrown) return error;
    if (error instanceof ApexError) {
      const exception = exceptionFromError(error);
      return this.thrownFrom(exception);
    }
    if (error instanceof Error && !located.has(error) && !(error instanceof RangeError)) {
      located.add(error);
      if (error instanceof UnsupportedError || !(error as { location?: string }).location) {
        if (error instanceof UnsupportedError)
          error.message = `${this.location()}: ${error.message}`;
      }
    }
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      return this.thrownFrom(
        exceptionFromError(
          new ApexError('System.LimitException', 'Maximum stack depth reached: 1001'),
        ),
      );
    }
    return error;
  }

  /** Fills the line and stack of an exception being thrown here (once). */
  thrownFrom(exception: Value & { exception: ExceptionState }): ApexThrown {
    const state = exception.exception;
    const top = this.frames[this.frames.length - 1];
    if (!state.stackTrace) {
      state.line = top?.line ?? 0;
      state.stackTrace = this.frames
        .slice()
        .reverse()
        .map((f) => `${traceLabel(f)}: line ${f.line}, column 1`)
        .join('\n');
    }
    const files = this.frames
      .slice()
      .reverse()
      .map((f) => `${f.cls.file}:${f.line}`);
    return new ApexThrown(exception, files);
  }

  location(): string {
    const top = this.frames[this.frames.length - 1];
    return top ? `${top.cls.file}:${top.line}` : '<runtime>';
  }

  // ── SOQL, DML, runAs ──────────────────────────────────────────────────────────────────────

  query(text: string, binds: Value[]): Value {
    const org = this.org;
    if (!org) throw new UnsupportedError('SOQL without an org (services.org)');
    const bind = (name: string): Value => {
      const m = /^__bind(\d+)$/.exec(name.trim());
      if (m) return binds[Number(m[1])] ?? null;
      return this.interop.readVariable(name);
    };
    const result = org.query(this.ctx, text, bind, {
      accessLevel: 'system',
      sharing: this.sharing(),
    });
    this.sampleHeap();
    return result;
  }

  dml(op: DmlOp, target: Value, access: 'user' | 'system' | null, externalId: string | null): void {
    const org = this.org;
    if (!org) throw new UnsupportedError(`${op} without an org (services.org)`);
    if (op === 'merge') throw new UnsupportedError('merge');
    if (target === null) throw nullPointer();
    const records =
      target instanceof ApexList ? (target.items as SObjectValue[]) : [target as SObjectValue];
    org.dml(this.ctx, op, records, {
      accessLevel: access ?? 'system',
      sharing: this.sharing(),
      allOrNone: true,
      externalIdField: externalId,
    });
  }

  runAs(user: Value, body: () => void): void {
    const test = this.services.test as TestBridge | undefined;
    if (!test?.runAs) {
      throw new UnsupportedError('System.runAs without a test harness (services.test.runAs)');
    }
    test.runAs(this.ctx, user, body);
  }

  // ── natives' view: Interop ────────────────────────────────────────────────────────────────

  newInstanceOf(type: TypeRef, args: Value[]): Value {
    const r = (type as RType).kind ? (type as RType) : this.types.parse(typeName(type), null);
    if (!r) throw new UnsupportedError(`unknown type ${typeName(type)}`);
    switch (r.kind) {
      case 'user':
        return this.instantiate(r.cls!, args);
      case 'list':
        return new ApexList(r.args[0]);
      case 'set':
        return new ApexSet(r.args[0]);
      case 'map':
        return new ApexMap(r.args[0], r.args[1]);
      case 'sobject':
        return new SObjectValue(r.name);
      case 'native': {
        const native = findNative(r.name);
        if (native?.construct) return native.construct(this.ctx, args, r);
        break;
      }
      default:
        break;
    }
    throw new UnsupportedError(`new ${typeName(type)}`);
  }

  private makeInterop(): Interop {
    return {
      newInstance: (type, args) => this.newInstanceOf(type, args),
      invoke: (target, method, args) => this.callMethod(target, method.toLowerCase(), args),
      invokeStatic: (className, method, args) => {
        const cls = this.classes.lookup(className, null);
        if (!cls) throw new UnsupportedError(`unknown class ${className}`);
        const candidates = cls.findMethods(method.toLowerCase()).filter((m) => m.isStatic);
        if (!candidates.length) throw new UnsupportedError(`unknown method ${className}.${method}`);
        return this.invoke(this.selectOverload(candidates, args, method), null, args);
      },
      isInstanceOf: (value, type) => {
        const r = (type as RType).kind ? (type as RType) : this.types.parse(typeName(type), null);
        return r ? this.types.isInstance(value, r) : false;
      },
      coerce: (value, type) => {
        const r = (type as RType).kind ? (type as RType) : this.types.parse(typeName(type), null);
        return r ? this.types.coerceChecked(value, r) : value;
      },
      resolveType: (name) => {
        const top = this.frames[this.frames.length - 1];
        return this.types.parse(name, top?.cls ?? null);
      },
      describeClass: (type) => {
        const r = (type as RType).kind ? (type as RType) : this.types.parse(typeName(type), null);
        if (r?.kind === 'sobject') return this.describeSObject(r.name);
        if (!r?.cls) return null;
        const cls = r.cls;
        const fields: { name: string; type: TypeRef; transient: boolean }[] = [];
        for (const f of cls.instanceFields().values()) {
          const transient = f.decl?.modifiers.includes('transient') ?? false;
          fields.push({ name: f.name, type: this.types.resolve(f.type, f.owner), transient });
        }
        return { fields };
      },
      newBlank: (type) => {
        const r = (type as RType).kind ? (type as RType) : this.types.parse(typeName(type), null);
        if (!r?.cls) throw new UnsupportedError(`not a class: ${typeName(type)}`);
        const cls = r.cls;
        this.statics(cls);
        cls.instanceFields();
        const obj = new ApexObject(cls, new Array<Value>(cls.fieldCount).fill(null));
        if (cls.isException) obj.exception = newExceptionState(cls.qualified);
        // Field initialisers run; no constructor body does.
        for (const c of [...cls.ancestors()].reverse()) this.runInstanceInit(c, obj);
        return obj;
      },
      getField: (target, name) => this.readMember(target as Value, name, name.toLowerCase()),
      setField: (target, name, value) =>
        this.writeMember(target as Value, name, name.toLowerCase(), value),
      readVariable: (name) => this.readVariable(name),
      location: () => this.location(),
    };
  }

  /** An SObject type's fields, parent relationships and child relationships (JSON typing). */
  private describeSObject(name: string): { fields: { name: string; type: TypeRef }[] } | null {
    const def = this.org?.schema.get(name);
    if (!def) return null;
    const sobjectType = (object: readonly string[]) =>
      object.length === 1 ? (this.types.resolveName(object[0], null) ?? T_SOBJECT) : T_SOBJECT;
    const fields: { name: string; type: TypeRef }[] = [];
    for (const field of def.fields.values()) {
      fields.push({ name: field.name, type: primitive(apexTypeOfField(field)) });
    }
    for (const field of def.relationships.values()) {
      if (field.relationshipName) {
        fields.push({ name: field.relationshipName, type: sobjectType(field.referenceTo) });
      }
    }
    for (const child of def.childRelationships.values()) {
      fields.push({ name: child.name, type: listOf(sobjectType([child.object])) });
    }
    return { fields };
  }

  private readVariable(name: string): Value {
    const key = name.toLowerCase();
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const frame = this.frames[i];
      const compiled = frame.method?.compiled as Compiled | null;
      const slot = compiled?.varSlots.get(key);
      if (slot !== undefined) return frame.locals[slot];
      if (frame.self) {
        const field = frame.self.cls.instanceFields().get(key);
        if (field) return frame.self.fields[field.slot];
      }
      const st = frame.cls.findStatic(key);
      if (st) return this.statics(st.owner)[st.slot];
      // Binds read the calling method's variables only.
      if (frame.method) break;
    }
    throw new ApexError('System.QueryException', `Variable does not exist: ${name}`);
  }

  // ── equality, hashing and printing of user objects (values.ts hooks) ─────────────────────

  private installHooks(): void {
    const printing = new Set<object>();
    setHooks({
      equals: (a, b) => {
        if (a instanceof ApexObject) return this.valueEquals(a, b);
        if (a instanceof TypeValue)
          return (
            b instanceof TypeValue && a.toString().toLowerCase() === b.toString().toLowerCase()
          );
        return undefined;
      },
      hashCode: (a) => {
        if (a instanceof ApexObject) {
          const h = this.userMethod(a, 'hashcode', 0);
          return h ? (this.invoke(h, a, []) as number) : undefined;
        }
        if (a instanceof TypeValue) return stringHash(a.toString().toLowerCase());
        return undefined;
      },
      toString: (a) => {
        if (a instanceof ApexObject) {
          const ts = this.userMethod(a, 'tostring', 0);
          if (ts) return String(this.invoke(ts, a, []));
          if (a.exception) return exceptionText(a.exception);
          if (printing.has(a)) return `${a.cls.qualified}:[...]`;
          printing.add(a);
          try {
            const fields = [...a.cls.instanceFields().values()].map(
              (f) => `${f.name}=${toApexString(a.fields[f.slot])}`,
            );
            return `${a.cls.qualified}:[${fields.join(', ')}]`;
          } finally {
            printing.delete(a);
          }
        }
        if (a instanceof SystemException) return exceptionText(a.exception);
        if (a instanceof TypeValue) return a.toString();
        const ts = this.nativeMethodOf(a, 'tostring');
        if (ts) return String(ts(this.ctx, a, []));
        // A native value that defines its text (an SObjectType token prints 'Account', IDN-06).
        if (a.toString !== Object.prototype.toString) return a.toString();
        return typeName(a.apexType);
      },
    });
  }
}

function traceLabel(f: Frame): string {
  if (f.cls.name === 'AnonymousBlock' && !f.cls.outer) return 'AnonymousBlock';
  const method = f.method ? (f.method.decl.isConstructor ? '<init>' : f.method.name) : '<clinit>';
  return `Class.${f.cls.qualified}.${method}`;
}

function sameParam(
  a: { name: string; args: readonly unknown[] },
  b: { name: string; args: readonly unknown[] },
): boolean {
  return typeText(a as never).toLowerCase() === typeText(b as never).toLowerCase();
}

function exactType(value: Value, type: RType): boolean {
  switch (type.kind) {
    case 'primitive':
      if (type.name === 'Double') return value instanceof ApexDouble;
      if (type.name === 'Decimal') return value instanceof ApexDecimal;
      if (type.name === 'String') return typeof value === 'string';
      return true;
    case 'user':
      return value instanceof ApexObject && value.cls === type.cls;
    default:
      return true;
  }
}

function numericWidening(value: Value, type: RType): boolean {
  if (type.kind !== 'primitive') return false;
  if (typeof value === 'number') return ['Long', 'Double', 'Decimal'].includes(type.name);
  if (typeof value === 'bigint') return ['Double', 'Decimal'].includes(type.name);
  if (value instanceof ApexDecimal || value instanceof ApexDouble) {
    return ['Double', 'Decimal'].includes(type.name);
  }
  if (typeof value === 'string') return type.name === 'Id';
  return false;
}

/** The native class names whose instance methods apply to a value, most specific first. */
export function nativeTypeNames(v: Value): string[] {
  switch (typeof v) {
    case 'string':
      return ['String'];
    case 'number':
      return ['Integer'];
    case 'bigint':
      return ['Long'];
    case 'boolean':
      return ['Boolean'];
    default:
      break;
  }
  if (v instanceof ApexDouble) return ['Double'];
  if (v instanceof ApexDecimal) return ['Decimal'];
  if (v instanceof ApexId) return ['Id'];
  if (v instanceof ApexDate) return ['Date'];
  if (v instanceof ApexDatetime) return ['Datetime'];
  if (v instanceof ApexTime) return ['Time'];
  if (v instanceof ApexBlob) return ['Blob'];
  if (v instanceof ApexList) return ['List'];
  if (v instanceof ApexSet) return ['Set'];
  if (v instanceof ApexMap) return ['Map'];
  if (v instanceof SObjectValue) return [`SObject:${v.sobjectType}`, 'SObject'];
  if (v instanceof EnumValue) return [v.enumType, 'System.Enum'];
  if (v instanceof ApexObject) return v.cls.nativeSupertypes();
  if (hasException(v)) return [(v as ApexInstance).apexType.name, 'System.Exception'];
  if (isInstance(v)) return [v.apexType.name];
  return [];
}

function nativeTypeName(v: Value): string {
  if (v instanceof ApexObject) return v.cls.qualified;
  return nativeTypeNames(v)[0] ?? 'Object';
}

export { T_OBJECT };
