// Pass 4: AST → closures. Each method body is compiled on its first call: names are resolved once
// (locals to frame slots, fields to object slots, statics to class slots), and each expression
// gets its static type (typeOf; statictypes.ts) so that a call site names one overload and a cast
// knows whether it converts numbers, as the Apex compiler decides (SEMANTICS TYP-10, TYP-11).
// Running a statement is then a chain of closure calls. Statements return a completion code
// (NORMAL, BREAK, CONTINUE, RETURN); Apex exceptions travel as JavaScript exceptions.
import { findNative, type NativeClass } from '../natives/registry';
import { hasException, UNCATCHABLE } from '../natives/core';
import { describeOfName, sobjectFieldOf, sobjectTypeOf } from '../org/natives';
import {
  ApexDecimal,
  ApexTypeValue,
  ApexDouble,
  ApexError,
  ApexList,
  ApexMap,
  ApexSet,
  EnumValue,
  SObjectValue,
  UnsupportedError,
  looseEquals,
  nullPointer,
  strictValueEquals,
  typeRef,
  type Value,
} from '../values';
import type { Expr, Stmt, WhenLabel } from './ast';
import type { ClassModel, FieldModel, MethodModel } from './classes';
import { ApexThrown, type CompilerRuntime, type Frame } from './compilerRuntime';
import { ApexObject } from './objects';
import {
  add,
  bitNot,
  bitwise,
  compare,
  divide,
  multiply,
  negate,
  shiftBits,
  step,
  subtract,
} from './operators';
import { convert, converterFor, listOf, T_OBJECT, type RType } from './types';
import { apexTypeOfField } from '../org/dml';
import {
  chooseOverload,
  isNumericType,
  nativeOwnerOf,
  nativeReturnType,
  sameStaticType,
  staticAssignable,
  T_NULL,
  widerNumeric,
  type SType,
} from './statictypes';

export type ExprFn = (f: Frame) => Value;
export type StmtFn = (f: Frame) => number;
export type Converter = ((v: Value) => Value) | null;

export const NORMAL = 0;
export const BREAK = 1;
export const CONTINUE = 2;
export const RETURN = 3;

export interface Compiled {
  body: StmtFn;
  slots: number;
  /** Conversion of each argument to its parameter type. */
  params: Converter[];
  /** Local variable name → slot (Database.query binds read them). */
  varSlots: Map<string, number>;
  /** A constructor's leading this(...) or super(...). */
  prologue: Prologue | null;
}

/**
 * A constructor's leading this(...) / super(...): the constructor it names was chosen from the
 * arguments' static types (undefined: none declared, the implicit one; `error` when the choice is
 * refused, thrown when the constructor runs).
 */
export interface Prologue {
  which: 'this' | 'super';
  args: ExprFn[];
  ctor: MethodModel | null;
  line: number;
  error: Error | null;
}

interface Var {
  slot: number;
  type: RType;
  conv: Converter;
}

/** Names visible at a point of a method: its locals, chained by block. */
class Scope {
  private readonly vars = new Map<string, Var>();
  constructor(
    readonly cls: ClassModel,
    readonly isStatic: boolean,
    readonly counter: { next: number; names: Map<string, number> },
    readonly parent: Scope | null,
    /** Inside a property accessor, the property's own name is its stored value. */
    readonly accessor: FieldModel | null,
  ) {}
  lookup(key: string): Var | undefined {
    return this.vars.get(key) ?? this.parent?.lookup(key);
  }
  declare(name: string, type: RType): Var {
    const key = name.toLowerCase();
    const v: Var = { slot: this.counter.next++, type, conv: converterFor(type) };
    this.vars.set(key, v);
    this.counter.names.set(key, v.slot);
    return v;
  }
  child(): Scope {
    return new Scope(this.cls, this.isStatic, this.counter, this, this.accessor);
  }
}

/** An assignable place: reads, writes (with conversion to its type) and read-modify-write. */
interface LValue {
  read: ExprFn;
  write: (f: Frame, v: Value) => void;
  /** Applies `fn` to the current value and stores the result; returns old (post) or new value. */
  update: (f: Frame, fn: (old: Value) => Value, post: boolean) => Value;
  /** Declared type when known at compile time (stores convert to it). */
  type: RType | null;
  /** Static type for overload resolution and casts, when it differs from `type` (member reads). */
  stype?: SType;
}

/** The static type of a place (TYP-10). */
const staticTypeOf = (lv: LValue): SType => (lv.stype !== undefined ? lv.stype : lv.type);

type TypeTarget =
  | { kind: 'user'; cls: ClassModel }
  | { kind: 'native'; native: NativeClass }
  | { kind: 'sobject'; name: string };

type Resolved = { kind: 'value'; lvalue: LValue } | { kind: 'type'; target: TypeTarget };

type CallExpr = Extract<Expr, { kind: 'call' }>;

/** A planned call site: its static type, and how to build its closure. */
interface CallPlan {
  returnType: SType;
  build: () => ExprFn;
}

const sameArity = (methods: MethodModel[], n: number) => methods.filter((m) => m.arity === n);

const isStringType = (t: SType) => t?.kind === 'primitive' && t.name === 'String';

export class Compiler {
  private readonly paramTypeCache = new WeakMap<MethodModel, RType[]>();
  private readonly fieldConverters = new WeakMap<FieldModel, (v: Value) => Value>();
  private readonly staticInits = new WeakMap<ClassModel, Compiled | null>();
  private readonly instanceInits = new WeakMap<ClassModel, Compiled | null>();
  private readonly callPlans = new WeakMap<Expr, CallPlan>();
  private readonly staticTypes = new WeakMap<Expr, SType>();

  constructor(private readonly rt: CompilerRuntime) {}

  // ── methods ───────────────────────────────────────────────────────────────────────────────

  paramTypes(m: MethodModel): RType[] {
    let types = this.paramTypeCache.get(m);
    if (!types) {
      types = m.decl.params.map((p) => this.rt.types.resolve(p.type, m.cls));
      this.paramTypeCache.set(m, types);
    }
    return types;
  }

  fieldConverter(field: FieldModel): (v: Value) => Value {
    let conv = this.fieldConverters.get(field);
    if (!conv) {
      const c = converterFor(this.rt.types.resolve(field.type, field.owner));
      conv = c ?? ((v: Value) => v);
      this.fieldConverters.set(field, conv);
    }
    return conv;
  }

  method(m: MethodModel): Compiled {
    const counter = { next: 0, names: new Map<string, number>() };
    const accessor =
      m.name.endsWith('.get') || m.name.endsWith('.set')
        ? ((m.isStatic ? m.cls.staticFields : m.cls.ownFields).get(
            m.name.slice(0, -4).toLowerCase(),
          ) ?? null)
        : null;
    const scope = new Scope(m.cls, m.isStatic, counter, null, accessor);
    const params = m.decl.params.map((p, i) => {
      const v = scope.declare(p.name, this.paramTypes(m)[i]);
      return v.conv;
    });
    let statements =
      m.decl.body?.kind === 'block' ? m.decl.body.body : m.decl.body ? [m.decl.body] : [];
    let prologue: Compiled['prologue'] = null;
    const first = statements[0];
    if (m.decl.isConstructor && first?.kind === 'expr' && first.expr.kind === 'ctorCall') {
      prologue = this.prologue(first.expr, m, scope);
      statements = statements.slice(1);
    }
    const returnType = m.decl.returnType ? this.rt.types.resolve(m.decl.returnType, m.cls) : null;
    const body = this.block(statements, scope, returnType);
    const compiled: Compiled = {
      body,
      slots: counter.next,
      params,
      varSlots: counter.names,
      prologue,
    };
    m.compiled = compiled;
    return compiled;
  }

  /** `this(...)` / `super(...)`: the constructor is chosen once, from the static argument types. */
  private prologue(
    call: Extract<Expr, { kind: 'ctorCall' }>,
    m: MethodModel,
    scope: Scope,
  ): Prologue {
    const args = call.args.map((a) => this.expr(a, scope));
    const target = call.which === 'this' ? m.cls : m.cls.superclass;
    let ctor: MethodModel | null = null;
    let error: Error | null = null;
    if (target) {
      try {
        ctor = this.chooseConstructor(target, call.args, scope);
      } catch (e) {
        if (!(e instanceof UnsupportedError)) throw e;
        error = e;
      }
    }
    return { which: call.which, args, ctor, line: call.line, error };
  }

  /**
   * The constructor `new cls(args)` names (static argument types, like methods: TYP-10); null for
   * the implicit one (no constructor declared, or an exception class's built-in four, EXC-11).
   */
  private chooseConstructor(
    cls: ClassModel,
    args: readonly Expr[],
    scope: Scope,
  ): MethodModel | null {
    const argTypes = args.map((a) => this.typeOf(a, scope));
    const ctors = cls.constructors;
    if (!ctors.length) {
      if (args.length && !cls.isException) {
        throw new UnsupportedError(
          `constructor not defined: ${cls.qualified}(${args.length} argument(s))`,
        );
      }
      return null;
    }
    const what = `${cls.qualified} constructor`;
    if (cls.isException) {
      // Declared constructors sit beside the implicit (), (String), (Exception), (String, Exception).
      const fits = ctors.filter(
        (c) =>
          c.arity === args.length &&
          this.paramTypes(c).every(
            (p, i) => argTypes[i] === null || staticAssignable(argTypes[i]!, p),
          ),
      );
      if (!fits.length) return null;
      return chooseOverload(fits, argTypes, (c) => this.paramTypes(c), what);
    }
    return chooseOverload(ctors, argTypes, (c) => this.paramTypes(c), what);
  }

  staticInitializer(cls: ClassModel): Compiled | null {
    if (this.staticInits.has(cls)) return this.staticInits.get(cls)!;
    const init = this.initializer(cls, true);
    this.staticInits.set(cls, init);
    return init;
  }

  instanceInitializer(cls: ClassModel): Compiled | null {
    if (this.instanceInits.has(cls)) return this.instanceInits.get(cls)!;
    const init = this.initializer(cls, false);
    this.instanceInits.set(cls, init);
    return init;
  }

  private initializer(cls: ClassModel, isStatic: boolean): Compiled | null {
    const items = isStatic ? cls.decl.staticInit : cls.decl.instanceInit;
    if (!items.length) return null;
    const counter = { next: 0, names: new Map<string, number>() };
    const scope = new Scope(cls, isStatic, counter, null, null);
    const steps: StmtFn[] = items.map((item) => {
      if (item.kind === 'block') return this.stmt(item.body, scope.child(), null);
      const field = (isStatic ? cls.staticFields : cls.ownFields).get(
        item.field.name.toLowerCase(),
      )!;
      const init = item.field.init;
      if (!init) return () => NORMAL;
      const line = item.field.line;
      return this.located(line, () => {
        const value = this.valueFor(init, scope, this.rt.types.resolve(field.type, cls));
        const rt = this.rt;
        const hits = rt.hitsFor(cls.file);
        return isStatic
          ? (f) => {
              f.line = line;
              hits[line] = 1;
              cls.statics[field.slot] = value(f);
              return NORMAL;
            }
          : (f) => {
              f.line = line;
              hits[line] = 1;
              f.self!.fields[field.slot] = value(f);
              return NORMAL;
            };
      });
    });
    const body: StmtFn = (f) => {
      for (let i = 0; i < steps.length; i++) steps[i](f);
      return NORMAL;
    };
    return { body, slots: counter.next + 1, params: [], varSlots: counter.names, prologue: null };
  }

  /** Compiles, turning a compile-time failure into a statement that fails when it runs. */
  private located(line: number, build: () => StmtFn): StmtFn {
    try {
      return build();
    } catch (error) {
      if (error instanceof UnsupportedError || error instanceof ApexError) {
        return (f) => {
          f.line = line;
          throw error;
        };
      }
      throw error;
    }
  }

  // ── statements ────────────────────────────────────────────────────────────────────────────

  private block(statements: readonly Stmt[], scope: Scope, returnType: RType | null): StmtFn {
    const inner = scope.child();
    const fns = statements.map((s) => this.stmt(s, inner, returnType));
    switch (fns.length) {
      case 0:
        return () => NORMAL;
      case 1:
        return fns[0];
      case 2: {
        const [a, b] = fns;
        return (f) => a(f) || b(f);
      }
      default:
        break;
    }
    return (f) => {
      for (let i = 0; i < fns.length; i++) {
        const c = fns[i](f);
        if (c !== NORMAL) return c;
      }
      return NORMAL;
    };
  }

  private stmt(s: Stmt, scope: Scope, returnType: RType | null): StmtFn {
    if (s.kind === 'block') return this.block(s.body, scope, returnType);
    if (s.kind === 'empty') return () => NORMAL;
    const line = s.line;
    const inner = this.located(line, () => this.stmtBody(s, scope, returnType));
    const rt = this.rt;
    const hits = rt.hitsFor(scope.cls.file);
    return (f) => {
      f.line = line;
      hits[line] = 1;
      rt.onStatement();
      return inner(f);
    };
  }

  private stmtBody(s: Stmt, scope: Scope, returnType: RType | null): StmtFn {
    switch (s.kind) {
      case 'expr': {
        const e = this.expr(s.expr, scope);
        return (f) => {
          e(f);
          return NORMAL;
        };
      }
      case 'local': {
        const type = this.rt.types.resolve(s.type, scope.cls);
        const inits = s.names.map(({ name, init }) => {
          const value = init ? this.valueFor(init, scope, type) : null;
          const v = scope.declare(name, type);
          return { slot: v.slot, value };
        });
        if (inits.length === 1) {
          const { slot, value } = inits[0];
          if (!value) {
            return (f) => {
              f.locals[slot] = null;
              return NORMAL;
            };
          }
          return (f) => {
            f.locals[slot] = value(f);
            return NORMAL;
          };
        }
        return (f) => {
          for (const { slot, value } of inits) f.locals[slot] = value ? value(f) : null;
          return NORMAL;
        };
      }
      case 'if': {
        const test = this.condition(s.test, scope);
        const then = this.stmt(s.then, scope.child(), returnType);
        const otherwise = s.otherwise ? this.stmt(s.otherwise, scope.child(), returnType) : null;
        if (!otherwise) return (f) => (test(f) ? then(f) : NORMAL);
        return (f) => (test(f) ? then(f) : otherwise(f));
      }
      case 'while': {
        const test = this.condition(s.test, scope);
        const body = this.stmt(s.body, scope.child(), returnType);
        return (f) => {
          while (test(f)) {
            const c = body(f);
            if (c === BREAK) break;
            if (c === RETURN) return c;
          }
          return NORMAL;
        };
      }
      case 'doWhile': {
        const test = this.condition(s.test, scope);
        const body = this.stmt(s.body, scope.child(), returnType);
        return (f) => {
          do {
            const c = body(f);
            if (c === BREAK) break;
            if (c === RETURN) return c;
          } while (test(f));
          return NORMAL;
        };
      }
      case 'for':
        return this.forLoop(s, scope, returnType);
      case 'forEach':
        return this.forEach(s, scope, returnType);
      case 'return': {
        if (!s.value) return () => RETURN;
        const value = this.valueFor(s.value, scope, returnType);
        return (f) => {
          f.ret = value(f);
          return RETURN;
        };
      }
      case 'break':
        return () => BREAK;
      case 'continue':
        return () => CONTINUE;
      case 'throw': {
        const value = this.expr(s.value, scope);
        const rt = this.rt;
        return (f) => {
          const ex = value(f);
          if (ex === null) throw nullPointer();
          if (!hasException(ex))
            throw new ApexError('System.TypeException', 'Only exceptions can be thrown');
          throw rt.thrownFrom(ex);
        };
      }
      case 'try':
        return this.tryStatement(s, scope, returnType);
      case 'switch':
        return this.switchStatement(s, scope, returnType);
      case 'dml': {
        const target = this.expr(s.target, scope);
        const other = s.other ? this.expr(s.other, scope) : null;
        const { op, access, externalId } = s;
        return (f) => {
          if (other) other(f);
          this.rt.dml(op, target(f), access, externalId);
          return NORMAL;
        };
      }
      case 'runAs': {
        const args = s.args.map((a) => this.expr(a, scope));
        const body = this.stmt(s.body, scope.child(), returnType);
        return (f) => {
          const user = args.length ? args[0](f) : null;
          let completion = NORMAL;
          this.rt.runAs(user, () => {
            completion = body(f);
          });
          return completion === RETURN ? RETURN : NORMAL;
        };
      }
      default:
        break;
    }
    throw new UnsupportedError(`statement ${s.kind}`);
  }

  private forLoop(
    s: Extract<Stmt, { kind: 'for' }>,
    outer: Scope,
    returnType: RType | null,
  ): StmtFn {
    const scope = outer.child();
    let init: StmtFn | null = null;
    if (Array.isArray(s.init)) {
      const exprs = s.init.map((e) => this.expr(e, scope));
      init = (f) => {
        for (const e of exprs) e(f);
        return NORMAL;
      };
    } else if (s.init) init = this.stmtBody(s.init, scope, returnType);
    const test = s.test ? this.condition(s.test, scope) : () => true;
    const updates = s.update.map((e) => this.expr(e, scope));
    const body = this.stmt(s.body, scope.child(), returnType);
    const update = updates.length === 1 ? updates[0] : (f: Frame) => updates.forEach((u) => u(f));
    return (f) => {
      if (init) init(f);
      for (; test(f); update(f)) {
        const c = body(f);
        if (c === BREAK) break;
        if (c === RETURN) return c;
      }
      return NORMAL;
    };
  }

  private forEach(
    s: Extract<Stmt, { kind: 'forEach' }>,
    outer: Scope,
    returnType: RType | null,
  ): StmtFn {
    const scope = outer.child();
    const type = this.rt.types.resolve(s.type, scope.cls);
    const iterable = this.expr(s.iterable, scope);
    const v = scope.declare(s.name, type);
    const slot = v.slot;
    const conv = v.conv;
    const body = this.stmt(s.body, scope.child(), returnType);
    // SOQL for loop with a List variable: batches of 200 records.
    const batches = s.iterable.kind === 'soql' && type.kind === 'list';
    const rt = this.rt;
    return (f) => {
      const source = iterable(f);
      if (source === null) throw nullPointer();
      if (batches) {
        const rows = (source as ApexList).items;
        for (let i = 0; i < rows.length; i += 200) {
          f.locals[slot] = new ApexList(type.args[0], rows.slice(i, i + 200));
          const c = body(f);
          if (c === BREAK) break;
          if (c === RETURN) return c;
        }
        return NORMAL;
      }
      if (source instanceof ApexList || source instanceof ApexSet) {
        // While the loop runs the collection cannot change (iterating > 0 makes changes throw).
        const items = source instanceof ApexList ? source.items : source.values();
        source.iterating++;
        try {
          for (let i = 0; i < items.length; i++) {
            const item = items[i];
            f.locals[slot] = conv ? conv(item) : item;
            const c = body(f);
            if (c === BREAK) break;
            if (c === RETURN) return c;
          }
        } finally {
          source.iterating--;
        }
        return NORMAL;
      }
      // An Iterable: iterator(), then hasNext()/next().
      const iterator = rt.callMethod(source, 'iterator', []);
      while (rt.callMethod(iterator, 'hasnext', []) === true) {
        const item = rt.callMethod(iterator, 'next', []);
        f.locals[slot] = conv ? conv(item) : item;
        const c = body(f);
        if (c === BREAK) break;
        if (c === RETURN) return c;
      }
      return NORMAL;
    };
  }

  private tryStatement(
    s: Extract<Stmt, { kind: 'try' }>,
    scope: Scope,
    returnType: RType | null,
  ): StmtFn {
    const body = this.stmt(s.body, scope.child(), returnType);
    const catches = s.catches.map((c) => {
      const inner = scope.child();
      const type = this.rt.types.resolve(c.type, scope.cls);
      const v = inner.declare(c.name, type);
      const catchesAll = type.kind === 'native' && /^(system\.)?exception$/i.test(type.name);
      return { type, slot: v.slot, catchesAll, body: this.stmt(c.body, inner, returnType) };
    });
    const fin = s.finally ? this.stmt(s.finally, scope.child(), returnType) : null;
    const rt = this.rt;
    const types = rt.types;
    return (f) => {
      let completion = NORMAL;
      let uncatchable = false;
      try {
        completion = body(f);
      } catch (error) {
        const thrown = rt.capture(error);
        if (!(thrown instanceof ApexThrown)) throw thrown;
        if (thrown.uncatchable) {
          uncatchable = true;
          throw thrown;
        }
        const ex = thrown.exception;
        const clause = catches.find((c) => (c.catchesAll ? true : types.isInstance(ex, c.type)));
        if (!clause) throw thrown;
        f.locals[clause.slot] = ex;
        completion = clause.body(f);
      } finally {
        // The platform ends the transaction on an uncatchable exception: no finally runs.
        if (fin && !uncatchable) {
          const c = fin(f);
          if (c !== NORMAL) completion = c;
        }
      }
      return completion;
    };
  }

  private switchStatement(
    s: Extract<Stmt, { kind: 'switch' }>,
    scope: Scope,
    returnType: RType | null,
  ): StmtFn {
    const subject = this.expr(s.subject, scope);
    const types = this.rt.types;
    const whens = s.whens.map((w) => {
      const inner = scope.child();
      const label: WhenLabel = w.label;
      let matches: (v: Value, f: Frame) => boolean;
      if (label.kind === 'else') matches = () => true;
      else if (label.kind === 'type') {
        const type = types.resolve(label.type, scope.cls);
        const slot = inner.declare(label.name, type).slot;
        matches = (v, f) => {
          if (!types.isInstance(v, type)) return false;
          f.locals[slot] = v;
          return true;
        };
      } else {
        const values = label.values;
        matches = (v) => values.some((candidate) => whenMatches(v, candidate));
      }
      return { matches, body: this.stmt(w.body, inner, returnType) };
    });
    return (f) => {
      const v = subject(f);
      for (const w of whens) if (w.matches(v, f)) return w.body(f);
      return NORMAL;
    };
  }

  /** A Boolean condition: null throws NullPointerException (SEMANTICS NUL-03). */
  private condition(e: Expr, scope: Scope): (f: Frame) => boolean {
    const fn = this.expr(e, scope);
    return (f) => {
      const v = fn(f);
      if (v === true) return true;
      if (v === false) return false;
      throw v === null
        ? nullPointer()
        : new ApexError('System.TypeException', 'Condition is not a Boolean');
    };
  }

  /** An expression stored into a place of `type`: converted, and SOQL narrowed to one row. */
  private valueFor(e: Expr, scope: Scope, type: RType | null): ExprFn {
    const fn = this.expr(e, scope);
    if (!type) return fn;
    if (e.kind === 'soql' && !e.isCount && type.kind === 'sobject') {
      return (f) => singleRow(fn(f));
    }
    if (e.kind === 'soql' && e.isCount && type.kind === 'primitive') return fn;
    const conv = converterFor(type);
    return conv ? (f) => conv(fn(f)) : fn;
  }

  // ── static types ──────────────────────────────────────────────────────────────────────────

  /**
   * The static (declared) type of an expression, as the Apex compiler sees it (TYP-10, TYP-11):
   * T_NULL for the `null` literal, null where the local runtime cannot work it out (a native
   * method missing from statictypes.ts). Used to choose overloads and numeric casts.
   */
  typeOf(e: Expr, scope: Scope): SType {
    if (this.staticTypes.has(e)) return this.staticTypes.get(e)!;
    const t = this.typeOfUncached(e, scope);
    this.staticTypes.set(e, t);
    return t;
  }

  private typeOfUncached(e: Expr, scope: Scope): SType {
    const types = this.rt.types;
    const named = (name: string) => types.resolveName(name, null);
    switch (e.kind) {
      case 'literal':
        return literalType(e.value, named);
      case 'name': {
        const r = this.tryResolveName(e.parts, scope);
        return r?.kind === 'value' ? staticTypeOf(r.lvalue) : null;
      }
      case 'field': {
        if (e.target.kind === 'this' && !scope.isStatic) {
          const field = scope.cls.instanceFields().get(e.name.toLowerCase());
          if (field) return types.resolve(field.type, field.owner);
        }
        let target = this.typeOf(e.target, scope);
        if (e.target.kind === 'soql') target = target?.kind === 'list' ? target.args[0] : null;
        return this.memberType(target, e.name);
      }
      case 'index': {
        const target = this.typeOf(e.target, scope);
        if (target?.kind === 'list') return target.args[0];
        if (target?.kind === 'map') return target.args[1];
        return null;
      }
      case 'this':
        return scope.isStatic ? null : this.classType(scope.cls);
      case 'super':
        return scope.cls.superclass ? this.classType(scope.cls.superclass) : null;
      case 'call':
        return this.planCall(e, scope).returnType;
      case 'new':
      case 'newCollection':
      case 'cast':
        return types.resolve(e.type, scope.cls);
      case 'unary':
        return e.op === '!' ? named('Boolean') : this.typeOf(e.operand, scope);
      case 'increment':
        return this.typeOf(e.target, scope);
      case 'assign':
        return this.typeOf(e.target, scope);
      case 'logical':
      case 'instanceof':
        return named('Boolean');
      case 'binary':
        return this.binaryType(e.op, this.typeOf(e.left, scope), this.typeOf(e.right, scope));
      case 'coalesce': {
        const left = this.typeOf(e.left, scope);
        return left === T_NULL ? this.typeOf(e.right, scope) : left;
      }
      case 'conditional':
        return conditionalType(this.typeOf(e.then, scope), this.typeOf(e.otherwise, scope));
      case 'typeLiteral':
        return named('System.Type');
      case 'soql': {
        if (e.isCount) return named('Integer');
        // The outer FROM once parenthesised sub-queries are cut out.
        let text = e.text;
        for (let prev = ''; prev !== text;) {
          prev = text;
          text = text.replace(/\([^()]*\)/g, '');
        }
        const from = /\bfrom\s+([\w.]+)/i.exec(text);
        const sobject = from ? named(from[1]) : null;
        return sobject?.kind === 'sobject' ? listOf(sobject) : null;
      }
      default:
        return null;
    }
  }

  private binaryType(op: string, l: SType, r: SType): SType {
    const named = (name: string) => this.rt.types.resolveName(name, null);
    switch (op) {
      case '<':
      case '<=':
      case '>':
      case '>=':
      case '==':
      case '!=':
      case '===':
      case '!==':
        return named('Boolean');
      case '+':
      case '-':
      case '*':
      case '/':
        if (op === '+' && (isStringType(l) || isStringType(r))) return named('String');
        if (l && r && isNumericType(l) && isNumericType(r)) return widerNumeric(l, r);
        if (l?.kind === 'primitive' && ['Date', 'Datetime', 'Time'].includes(l.name)) return l;
        return null;
      case '&':
      case '|':
      case '^':
        if (l && r && isNumericType(l) && isNumericType(r)) return widerNumeric(l, r);
        return l?.kind === 'primitive' && l.name === 'Boolean' ? l : null;
      case '<<':
      case '>>':
      case '>>>':
        return l;
      default:
        return null;
    }
  }

  // ── expressions ───────────────────────────────────────────────────────────────────────────

  expr(e: Expr, scope: Scope): ExprFn {
    const rt = this.rt;
    switch (e.kind) {
      case 'literal': {
        const v = e.value;
        return () => v;
      }
      case 'name': {
        const r = this.resolveName(e.parts, scope);
        if (r.kind === 'type')
          throw new UnsupportedError(`type used as a value: ${e.parts.join('.')}`);
        return r.lvalue.read;
      }
      case 'field':
      case 'index':
        return this.lvalue(e, scope).read;
      case 'this':
      case 'super':
        return (f) => f.self;
      case 'call':
        return this.call(e, scope);
      case 'ctorCall':
        throw new UnsupportedError(`${e.which}(...) outside the start of a constructor`);
      case 'new':
        return this.newExpr(e, scope);
      case 'newCollection':
        return this.newCollection(e, scope);
      case 'unary':
        return this.unary(e, scope);
      case 'increment': {
        const target = this.lvalue(e.target, scope);
        const delta = e.op === '++' ? 1 : -1;
        const post = !e.prefix;
        return (f) => target.update(f, (old) => step(old, delta), post);
      }
      case 'binary':
        return this.binary(e.op, this.expr(e.left, scope), this.expr(e.right, scope));
      case 'logical': {
        const left = this.condition(e.left, scope);
        const right = this.condition(e.right, scope);
        return e.op === '&&' ? (f) => left(f) && right(f) : (f) => left(f) || right(f);
      }
      case 'coalesce': {
        const left = this.expr(e.left, scope);
        const right = this.expr(e.right, scope);
        return (f) => {
          const v = left(f);
          return v === null ? right(f) : v;
        };
      }
      case 'conditional': {
        const test = this.condition(e.test, scope);
        const then = this.expr(e.then, scope);
        const otherwise = this.expr(e.otherwise, scope);
        return (f) => (test(f) ? then(f) : otherwise(f));
      }
      case 'assign':
        return this.assign(e, scope);
      case 'cast': {
        const type = rt.types.resolve(e.type, scope.cls);
        const operand = this.valueFor(e.operand, scope, type.kind === 'sobject' ? type : null);
        const types = rt.types;
        // TYP-11: a numeric cast converts when the operand's static type is a number
        // ((Integer) someDecimal → truncation); from any other static type (Object) it only checks
        // the runtime type (TypeException, TYP-08).
        const source = this.typeOf(e.operand, scope);
        if (type.kind === 'primitive' && isNumericType(type) && source === null) {
          const what = `cast to ${type.name} of an expression whose static type the local runtime cannot determine (Apex converts a number of a numeric static type but throws TypeException for an Object)`;
          return (f) => {
            const v = operand(f);
            if (isNumberValue(v) && !types.isInstance(v, type)) throw new UnsupportedError(what);
            return types.cast(v, type, false);
          };
        }
        const numericSource = isNumericType(source);
        return (f) => types.cast(operand(f), type, numericSource);
      }
      case 'instanceof': {
        const type = rt.types.resolve(e.type, scope.cls);
        const operand = this.expr(e.operand, scope);
        const types = rt.types;
        return (f) => types.isInstance(operand(f), type);
      }
      case 'typeLiteral': {
        const value = new ApexTypeValue(
          e.type ? rt.types.resolve(e.type, scope.cls) : typeRef('void'),
        );
        return () => value;
      }
      case 'soql': {
        const binds = e.binds.map((b) => this.expr(b, scope));
        const text = e.text;
        return (f) =>
          rt.query(
            text,
            binds.map((b) => b(f)),
          );
      }
      default:
        throw new UnsupportedError('unexpected case');
    }
  }

  private unary(e: Extract<Expr, { kind: 'unary' }>, scope: Scope): ExprFn {
    const operand = this.expr(e.operand, scope);
    switch (e.op) {
      case '-':
        return (f) => {
          const v = operand(f);
          return typeof v === 'number' ? -v | 0 : negate(v === null ? throwNull() : v);
        };
      case '+':
        return (f) => {
          const v = operand(f);
          return v === null ? throwNull() : v;
        };
      case '!':
        return (f) => {
          const v = operand(f);
          if (typeof v === 'boolean') return !v;
          throw nullPointer();
        };
      case '~':
        return (f) => bitNot(operand(f) ?? throwNull());
      default:
        throw new UnsupportedError('unexpected case');
    }
  }

  private binary(op: string, l: ExprFn, r: ExprFn): ExprFn {
    switch (op) {
      case '+':
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (typeof a === 'number' && typeof b === 'number') return (a + b) | 0;
          if (typeof a === 'string' && typeof b === 'string') return a + b;
          return add(a, b);
        };
      case '-':
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (typeof a === 'number' && typeof b === 'number') return (a - b) | 0;
          return subtract(a, b);
        };
      case '*':
        return (f) => multiply(l(f), r(f));
      case '/':
        return (f) => divide(l(f), r(f));
      case '<':
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (typeof a === 'number' && typeof b === 'number') return a < b;
          const c = compare(a, b);
          return c !== null && c < 0;
        };
      case '<=':
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (typeof a === 'number' && typeof b === 'number') return a <= b;
          const c = compare(a, b);
          return c !== null && c <= 0;
        };
      case '>':
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (typeof a === 'number' && typeof b === 'number') return a > b;
          const c = compare(a, b);
          return c !== null && c > 0;
        };
      case '>=':
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (typeof a === 'number' && typeof b === 'number') return a >= b;
          const c = compare(a, b);
          return c !== null && c >= 0;
        };
      case '==':
        return (f) => looseEquals(l(f), r(f));
      case '!=':
        return (f) => !looseEquals(l(f), r(f));
      case '===':
        return (f) => exactEquals(l(f), r(f));
      case '!==':
        return (f) => !exactEquals(l(f), r(f));
      case '&':
      case '|':
      case '^':
        return (f) => bitwise(op, l(f), r(f));
      case '<<':
      case '>>':
      case '>>>':
        return (f) => shiftBits(op, l(f) ?? throwNull(), r(f) ?? throwNull());
      default:
        break;
    }
    throw new UnsupportedError(`operator ${op}`);
  }

  private assign(e: Extract<Expr, { kind: 'assign' }>, scope: Scope): ExprFn {
    const target = this.lvalue(e.target, scope);
    if (e.op === '=') {
      const value = this.valueFor(e.value, scope, target.type);
      return (f) => {
        const v = value(f);
        target.write(f, v);
        return v;
      };
    }
    const value = this.expr(e.value, scope);
    const combine = operatorFunction(e.op.slice(0, -1));
    // Read-modify-write: the target's parts are evaluated once, before the right-hand side.
    return (f) => target.update(f, (old) => combine(old, value(f)), false);
  }

  // ── names, fields, indexes ────────────────────────────────────────────────────────────────

  private lvalue(e: Expr, scope: Scope): LValue {
    switch (e.kind) {
      case 'name': {
        const r = this.resolveName(e.parts, scope);
        if (r.kind === 'type')
          throw new UnsupportedError(`type used as a value: ${e.parts.join('.')}`);
        return r.lvalue;
      }
      case 'field': {
        if (e.target.kind === 'this' && !scope.isStatic) {
          const field = scope.cls.instanceFields().get(e.name.toLowerCase());
          if (field) return this.instanceField(field, scope);
        }
        let target = this.expr(e.target, scope);
        if (e.target.kind === 'soql') {
          // `[SELECT …].Name` reads the single row; `[SELECT …]?.Name` is null for no row (NUL-07).
          const rows = target;
          const safe = e.safe;
          target = (f) => {
            const result = rows(f);
            if (safe && result instanceof ApexList && result.items.length === 0) return null;
            return singleRow(result);
          };
        }
        return this.member(target, e.name, e.safe, false);
      }
      case 'index': {
        const target = this.expr(e.target, scope);
        const index = this.expr(e.index, scope);
        const read: ExprFn = (f) => {
          const list = target(f);
          const i = index(f);
          return listItem(list, i);
        };
        return {
          read,
          type: null,
          write: (f, v) => setListItem(target(f), index(f), v),
          update: (f, fn, post) => {
            const list = target(f);
            const i = index(f);
            const old = listItem(list, i);
            const next = fn(old);
            setListItem(list, i, next);
            return post ? old : next;
          },
        };
      }
      default:
        throw new UnsupportedError(`assignment to ${e.kind}`);
    }
  }

  private localVar(v: Var): LValue {
    const { slot, conv } = v;
    return {
      read: (f) => f.locals[slot],
      write: conv
        ? (f, x) => {
            f.locals[slot] = conv(x);
          }
        : (f, x) => {
            f.locals[slot] = x;
          },
      update: (f, fn, post) => {
        const old = f.locals[slot];
        const next = fn(old);
        f.locals[slot] = conv ? conv(next) : next;
        return post ? old : next;
      },
      type: v.type,
    };
  }

  private instanceField(field: FieldModel, scope: Scope): LValue {
    const slot = field.slot;
    const conv = this.fieldConverter(field);
    const type = this.rt.types.resolve(field.type, field.owner);
    const rt = this.rt;
    const getter = field.property && scope.accessor !== field ? field.property.getter : null;
    const setter = field.property && scope.accessor !== field ? field.property.setter : null;
    const read: ExprFn = getter
      ? (f) => rt.invoke(getter, f.self, [])
      : (f) => f.self!.fields[slot];
    const write = setter
      ? (f: Frame, v: Value) => {
          rt.invoke(setter, f.self, [conv(v)]);
        }
      : (f: Frame, v: Value) => {
          f.self!.fields[slot] = conv(v);
        };
    return {
      read,
      write,
      update: (f, fn, post) => {
        const old = read(f);
        const next = fn(old);
        write(f, next);
        return post ? old : next;
      },
      type,
    };
  }

  private staticField(field: FieldModel, scope: Scope | null): LValue {
    const cls = field.owner;
    const slot = field.slot;
    const rt = this.rt;
    const conv = this.fieldConverter(field);
    const type = rt.types.resolve(field.type, cls);
    const inAccessor = scope?.accessor === field;
    const getter = field.property && !inAccessor ? field.property.getter : null;
    const setter = field.property && !inAccessor ? field.property.setter : null;
    const statics = () => (cls.epoch === rt.epoch ? cls.statics : rt.statics(cls));
    const read: ExprFn = getter ? () => rt.invoke(getter, null, []) : () => statics()[slot];
    const write = setter
      ? (_f: Frame, v: Value) => {
          rt.invoke(setter, null, [conv(v)]);
        }
      : (_f: Frame, v: Value) => {
          statics()[slot] = conv(v);
        };
    return {
      read,
      write,
      update: (f, fn, post) => {
        const old = read(f);
        const next = fn(old);
        write(f, next);
        return post ? old : next;
      },
      type,
    };
  }

  /** `target.name` on a runtime value; `safe` for `?.`; `nullSafe` for SObject relationship reads. */
  private member(
    target: ExprFn,
    name: string,
    safe: boolean,
    afterSObject: boolean,
    stype: SType = null,
  ): LValue {
    const key = name.toLowerCase();
    const rt = this.rt;
    let cachedCls: ClassModel | null = null;
    let cachedSlot = -1;
    const read: ExprFn = (f) => {
      const t = target(f);
      if (t instanceof SObjectValue) return rt.readSObjectField(t, name);
      if (t instanceof ApexObject) {
        if (t.cls === cachedCls) return t.fields[cachedSlot];
        const field = t.cls.instanceFields().get(key);
        if (field && !field.property?.getter) {
          cachedCls = t.cls;
          cachedSlot = field.slot;
          return t.fields[cachedSlot];
        }
      }
      if (t === null) {
        if (safe) return null;
        // Reading through a null relationship yields null (SEMANTICS NUL-09).
        if (afterSObject) return null;
        throw nullPointer();
      }
      return rt.readMember(t, name, key);
    };
    return {
      read,
      type: null,
      stype,
      write: (f, v) => rt.writeMember(target(f), name, key, v),
      update: (f, fn, post) => {
        const t = target(f);
        const old = t === null ? throwNull() : rt.readMember(t, name, key);
        const next = fn(old);
        rt.writeMember(t, name, key, next);
        return post ? old : next;
      },
    };
  }

  /** Resolves `a.b.c`: a local, field or static with field reads after it, or a type. */
  private resolveName(parts: string[], scope: Scope): Resolved {
    const head = parts[0].toLowerCase();
    const rest = parts.slice(1);
    const local = scope.lookup(head);
    if (local) return this.chain(this.localVar(local), rest);
    if (scope.accessor && scope.accessor.name.toLowerCase() === head) {
      const field = scope.accessor;
      return this.chain(
        field.isStatic ? this.staticField(field, scope) : this.instanceField(field, scope),
        rest,
      );
    }
    if (!scope.isStatic) {
      const field = scope.cls.instanceFields().get(head);
      if (field) return this.chain(this.instanceField(field, scope), rest);
    }
    for (let c: ClassModel | null = scope.cls; c; c = c.outer) {
      const field = c.findStatic(head);
      if (field) return this.chain(this.staticField(field, scope), rest);
      if (c.kind === 'enum') {
        const constant = c.enumValues.find((v) => v.name.toLowerCase() === head);
        if (constant) return this.chain(constantLValue(constant), rest);
      }
    }
    // Schema.SObjectType.Account / SObjectType.Account: the describe result of Account.
    const lower = parts.map((p) => p.toLowerCase());
    const describeAt =
      lower[0] === 'schema' && lower[1] === 'sobjecttype' ? 2 : lower[0] === 'sobjecttype' ? 1 : -1;
    if (describeAt > 0 && parts.length > describeAt) {
      const sobject = this.rt.sobjectName(parts[describeAt]);
      if (sobject) {
        const rt = this.rt;
        const describe: ExprFn = () => {
          if (!rt.org) throw new UnsupportedError(`Schema.SObjectType.${sobject} without an org`);
          return describeOfName(rt.ctx, sobject);
        };
        return this.chain(readOnly(describe), parts.slice(describeAt + 1));
      }
    }
    for (let i = parts.length; i >= 1; i--) {
      const target = this.typeTarget(parts.slice(0, i).join('.'), scope.cls);
      if (!target) continue;
      if (i === parts.length) return { kind: 'type', target };
      return this.chain(this.staticMember(target, parts[i], scope), parts.slice(i + 1));
    }
    throw new UnsupportedError(`unknown variable or type ${parts.join('.')}`);
  }

  private chain(base: LValue, rest: string[]): Resolved {
    let lv = base;
    let afterSObject = false;
    for (const name of rest) {
      const prev = lv;
      lv = this.member(
        prev.read,
        name,
        false,
        afterSObject,
        this.memberType(staticTypeOf(prev), name),
      );
      afterSObject = true;
    }
    return { kind: 'value', lvalue: lv };
  }

  /** The static type of `x.name` for `x` of static type `t` (fields, sObject fields). */
  private memberType(t: SType, name: string): SType {
    if (!t) return null;
    const key = name.toLowerCase();
    const types = this.rt.types;
    if (t.kind === 'user' && t.cls) {
      const field = t.cls.instanceFields().get(key) ?? t.cls.findStatic(key);
      return field ? types.resolve(field.type, field.owner) : null;
    }
    if (t.kind === 'sobject' && t.name !== 'SObject') {
      const def = this.rt.org?.schema.get(t.name);
      if (!def) return null;
      const field = def.fields.get(key);
      if (field) return types.resolveName(apexTypeOfField(field), null);
      const parent = def.relationships.get(key);
      if (parent) {
        const targets = parent.referenceTo;
        return targets.length === 1 && targets[0] !== '*'
          ? types.resolveName(targets[0], null)
          : null;
      }
      const child = def.childRelationships.get(key);
      if (child) {
        const element = types.resolveName(child.object, null);
        return element ? listOf(element) : null;
      }
    }
    return null;
  }

  private typeTarget(name: string, from: ClassModel): TypeTarget | null {
    const cls = this.rt.classes.lookup(name, from);
    if (cls) return { kind: 'user', cls };
    const lower = name.toLowerCase();
    const sobject = this.rt.sobjectName(lower.startsWith('schema.') ? name.slice(7) : name);
    if (sobject) return { kind: 'sobject', name: sobject };
    const native = findNative(name);
    if (native) return { kind: 'native', native };
    return null;
  }

  private sobjectToken(sobject: string): Value {
    if (!this.rt.org) throw new UnsupportedError(`${sobject}.SObjectType without an org`);
    return sobjectTypeOf(this.rt.ctx, sobject);
  }

  private staticMember(target: TypeTarget, name: string, scope: Scope): LValue {
    const key = name.toLowerCase();
    const rt = this.rt;
    switch (target.kind) {
      case 'user': {
        const field = target.cls.findStatic(key);
        if (field) return this.staticField(field, scope);
        const constant = target.cls.enumValues.find((v) => v.name.toLowerCase() === key);
        if (constant) return constantLValue(constant);
        throw new UnsupportedError(`unknown static ${target.cls.qualified}.${name}`);
      }
      case 'native': {
        const getter = target.native.staticFields?.[key];
        if (!getter) throw new UnsupportedError(`${target.native.name}.${name}`);
        return readOnly(() => getter(rt.ctx));
      }
      case 'sobject': {
        const sobject = target.name;
        const special = findNative(`SObjectType:${sobject}`)?.staticFields?.[key];
        if (special) return readOnly(() => special(rt.ctx));
        if (key === 'sobjecttype') return readOnly(() => this.sobjectToken(sobject));
        return readOnly(() => {
          const token = rt.org ? sobjectFieldOf(rt.ctx, sobject, name) : null;
          if (token === null) throw new UnsupportedError(`${sobject}.${name}`);
          return token;
        });
      }
      default:
        throw new UnsupportedError('unexpected case');
    }
  }

  // ── calls ─────────────────────────────────────────────────────────────────────────────────
  // A call site is planned once, at compile time: the user method it names is chosen from the
  // receiver's and the arguments' static types (TYP-10); at run time only the override of that
  // method in the object's class is looked up (virtual dispatch), cached per class.

  private call(e: CallExpr, scope: Scope): ExprFn {
    return this.planCall(e, scope).build();
  }

  private planCall(e: CallExpr, scope: Scope): CallPlan {
    let plan = this.callPlans.get(e);
    if (!plan) {
      plan = this.planCallUncached(e, scope);
      this.callPlans.set(e, plan);
    }
    return plan;
  }

  private planCallUncached(e: CallExpr, scope: Scope): CallPlan {
    const rt = this.rt;
    const key = e.name.toLowerCase();
    const argTypes = e.args.map((a) => this.typeOf(a, scope));
    const argsOf = (): ((f: Frame) => Value[]) => {
      const args = e.args.map((a) => this.expr(a, scope));
      return (f) => {
        const values = new Array<Value>(args.length);
        for (let i = 0; i < args.length; i++) values[i] = args[i](f);
        return values;
      };
    };
    const target = e.target;
    if (target === null) return this.unqualifiedCall(e.name, key, scope, argTypes, argsOf);
    if (target.kind === 'super') {
      const parent = scope.cls.superclass;
      const candidates = parent ? sameArity(parent.findMethods(key), argTypes.length) : [];
      if (parent && candidates.length) {
        const m = this.choose(candidates, argTypes, `${parent.qualified}.${e.name}`);
        return {
          returnType: this.returnTypeOf(m),
          build: () => {
            const evalArgs = argsOf();
            return (f) => rt.invoke(m, f.self, evalArgs(f));
          },
        };
      }
      return {
        returnType: this.inheritedNativeType(scope.cls, key, argTypes),
        build: () => {
          const evalArgs = argsOf();
          return (f) => {
            const method = rt.nativeMethodOf(f.self, key);
            if (!method) throw new UnsupportedError(`super.${e.name}`);
            return method(rt.ctx, f.self, evalArgs(f));
          };
        },
      };
    }
    if (target.kind === 'name') {
      const r = this.tryResolveName(target.parts, scope);
      if (r?.kind === 'type') return this.staticCall(r.target, e.name, key, argTypes, argsOf);
      if (r?.kind === 'value') {
        const lv = r.lvalue;
        return this.instanceCall(() => lv.read, staticTypeOf(lv), e, argTypes, argsOf);
      }
      throw new UnsupportedError(`unknown variable or type ${target.parts.join('.')}`);
    }
    const receiver = this.typeOf(target, scope);
    return this.instanceCall(() => this.expr(target, scope), receiver, e, argTypes, argsOf);
  }

  private choose(candidates: MethodModel[], argTypes: SType[], what: string): MethodModel {
    return chooseOverload(candidates, argTypes, (m) => this.paramTypes(m), what);
  }

  private returnTypeOf(m: MethodModel): SType {
    if (!m.decl.returnType) return null;
    try {
      return this.rt.types.resolve(m.decl.returnType, m.cls);
    } catch (error) {
      if (error instanceof UnsupportedError) return null;
      throw error;
    }
  }

  /** Methods a user class inherits from a native supertype: Exception.getMessage(), enum name(). */
  private inheritedNativeType(cls: ClassModel, key: string, argTypes: SType[]): SType {
    const self = this.classType(cls);
    if (cls.isException) return nativeReturnType('System.Exception', key, false, self, argTypes);
    if (cls.kind === 'enum') return nativeReturnType('System.Enum', key, false, self, argTypes);
    return nativeReturnType('Object', key, false, self, argTypes);
  }

  private classType(cls: ClassModel): RType {
    return { name: cls.qualified, args: [], kind: 'user', cls };
  }

  private tryResolveName(parts: string[], scope: Scope): Resolved | null {
    try {
      return this.resolveName(parts, scope);
    } catch (error) {
      if (error instanceof UnsupportedError) return null;
      throw error;
    }
  }

  private instanceCall(
    targetOf: () => ExprFn,
    receiver: SType,
    e: CallExpr,
    argTypes: SType[],
    argsOf: () => (f: Frame) => Value[],
  ): CallPlan {
    const rt = this.rt;
    const key = e.name.toLowerCase();
    const safe = e.safe;
    if (receiver && receiver.kind === 'user' && receiver.cls) {
      const cls = receiver.cls;
      const candidates = sameArity(cls.findMethods(key), argTypes.length);
      if (candidates.length) {
        // Chosen on the receiver's static type; the object's class supplies the override.
        const m = this.choose(candidates, argTypes, `${cls.qualified}.${e.name}`);
        return {
          returnType: this.returnTypeOf(m),
          build: () => {
            const target = targetOf();
            const evalArgs = argsOf();
            let cachedCls: ClassModel | null = null;
            let cachedMethod: MethodModel = m;
            return (f) => {
              const t = target(f);
              if (t === null) {
                if (safe) return null;
                throw nullPointer();
              }
              const values = evalArgs(f);
              if (t instanceof ApexObject) {
                if (t.cls !== cachedCls) {
                  cachedMethod = rt.override(t.cls, m);
                  cachedCls = t.cls;
                }
                return rt.invoke(cachedMethod, cachedMethod.isStatic ? null : t, values);
              }
              return rt.callMethod(t, key, values);
            };
          },
        };
      }
      return {
        returnType: this.inheritedNativeType(cls, key, argTypes),
        build: () => this.dynamicCall(targetOf(), e, argsOf()),
      };
    }
    const owner = receiver ? (nativeOwnerOf(receiver) ?? 'Object') : null;
    return {
      returnType: owner ? nativeReturnType(owner, key, false, receiver, argTypes) : null,
      build: () => this.dynamicCall(targetOf(), e, argsOf()),
    };
  }

  /**
   * A call on a receiver that is not statically a user class (a native value, or Object / a
   * type the runtime cannot work out). Natives pick their own overloads; a user object found at
   * run time may only be called when one of its methods fits the arity, since the overload the
   * platform would choose depends on a static type the runtime does not have.
   */
  private dynamicCall(target: ExprFn, e: CallExpr, evalArgs: (f: Frame) => Value[]): ExprFn {
    const rt = this.rt;
    const key = e.name.toLowerCase();
    const safe = e.safe;
    let cachedCls: ClassModel | null = null;
    let cachedMethod: MethodModel | null = null;
    return (f) => {
      const t = target(f);
      if (t === null) {
        if (safe) return null;
        throw nullPointer();
      }
      const values = evalArgs(f);
      if (t instanceof ApexObject) {
        if (t.cls !== cachedCls) {
          const fits = sameArity(t.cls.findMethods(key), values.length);
          if (fits.length > 1) {
            throw new UnsupportedError(
              `call of overloaded ${t.cls.qualified}.${e.name} on a receiver whose static type the local runtime cannot determine`,
            );
          }
          cachedMethod = fits[0] ?? null;
          cachedCls = t.cls;
        }
        if (cachedMethod) {
          return rt.invoke(cachedMethod, cachedMethod.isStatic ? null : t, values);
        }
      }
      return rt.callMethod(t, key, values);
    };
  }

  private unqualifiedCall(
    name: string,
    key: string,
    scope: Scope,
    argTypes: SType[],
    argsOf: () => (f: Frame) => Value[],
  ): CallPlan {
    const rt = this.rt;
    for (let c: ClassModel | null = scope.cls; c; c = c.outer) {
      const candidates = c.findMethods(key).filter((m) => c === scope.cls || m.isStatic);
      if (!candidates.length) continue;
      const m = this.choose(candidates, argTypes, `${c.qualified}.${name}`);
      return {
        returnType: this.returnTypeOf(m),
        build: () => {
          const evalArgs = argsOf();
          if (m.isStatic) return (f) => rt.invoke(m, null, evalArgs(f));
          return (f) => {
            const values = evalArgs(f);
            const self = f.self;
            if (!self)
              throw new UnsupportedError(`instance method ${name} called from a static context`);
            return rt.invoke(rt.override(self.cls, m), self, values);
          };
        },
      };
    }
    // A method a user class inherits from a native superclass (getMessage on an exception).
    if (!scope.isStatic && scope.cls.nativeSupertypes().length) {
      return {
        returnType: this.inheritedNativeType(scope.cls, key, argTypes),
        build: () => {
          const evalArgs = argsOf();
          return (f) => {
            const method = rt.nativeMethodOf(f.self, key);
            if (!method) throw new UnsupportedError(`unknown method ${name}`);
            return method(rt.ctx, f.self, evalArgs(f));
          };
        },
      };
    }
    throw new UnsupportedError(`unknown method ${scope.cls.qualified}.${name}`);
  }

  private staticCall(
    target: TypeTarget,
    name: string,
    key: string,
    argTypes: SType[],
    argsOf: () => (f: Frame) => Value[],
  ): CallPlan {
    const rt = this.rt;
    switch (target.kind) {
      case 'user': {
        const cls = target.cls;
        const candidates = cls.findMethods(key).filter((m) => m.isStatic);
        if (candidates.length) {
          const m = this.choose(candidates, argTypes, `${cls.qualified}.${name}`);
          return {
            returnType: this.returnTypeOf(m),
            build: () => {
              const evalArgs = argsOf();
              return (f) => rt.invoke(m, null, evalArgs(f));
            },
          };
        }
        if (cls.kind === 'enum' && key === 'values') {
          return {
            returnType: listOf(this.classType(cls)),
            build: () => () => new ApexList(cls.type, [...cls.enumValues]),
          };
        }
        if (cls.kind === 'enum' && key === 'valueof') {
          return {
            returnType: this.classType(cls),
            build: () => {
              const evalArgs = argsOf();
              return (f) => {
                const [text] = evalArgs(f);
                const found = cls.enumValues.find((v) => v.name === text);
                if (!found) {
                  throw new ApexError(
                    'System.NoSuchElementException',
                    `No enum constant ${cls.qualified}.${String(text)}`,
                  );
                }
                return found;
              };
            },
          };
        }
        throw new UnsupportedError(`unknown method ${cls.qualified}.${name}`);
      }
      case 'native': {
        const native = target.native;
        const method = native.statics?.[key];
        if (!method) throw new UnsupportedError(`${native.name}.${name}`);
        return {
          returnType: nativeReturnType(native.name, key, true, null, argTypes),
          build: () => {
            const evalArgs = argsOf();
            return (f) => method(rt.ctx, null, evalArgs(f));
          },
        };
      }
      case 'sobject': {
        // Custom metadata / settings statics (getAll, getInstance, getOrgDefaults, ...):
        // 'SObjectType:<name>' when a native models that type, else the generic 'SObject'
        // static table, which receives the SObject type's API name as `self`.
        const sobject = target.name;
        const own = rt.types.resolveName(sobject, null);
        const returnType: SType =
          own && ['getinstance', 'getorgdefaults', 'getvalues'].includes(key)
            ? own
            : own && key === 'getall'
              ? { name: 'Map', args: [rt.types.resolveName('String', null)!, own], kind: 'map' }
              : null;
        const special =
          findNative(`SObjectType:${sobject}`)?.statics?.[key] ??
          findNative(sobject)?.statics?.[key];
        return {
          returnType,
          build: () => {
            const evalArgs = argsOf();
            if (special) return (f) => special(rt.ctx, null, evalArgs(f));
            return (f) => {
              const generic = findNative('SObject')?.statics?.[key];
              if (!generic) throw new UnsupportedError(`${sobject}.${name}`);
              return generic(rt.ctx, sobject, evalArgs(f));
            };
          },
        };
      }
      default:
        throw new UnsupportedError('unexpected case');
    }
  }

  // ── new ───────────────────────────────────────────────────────────────────────────────────

  private newExpr(e: Extract<Expr, { kind: 'new' }>, scope: Scope): ExprFn {
    const rt = this.rt;
    const type = rt.types.resolve(e.type, scope.cls);
    if (type.kind === 'sobject') {
      // new Account(Name = 'x', ...): named field values.
      const fields = e.args.map((a) => {
        if (a.kind !== 'assign' || a.target.kind !== 'name' || a.target.parts.length !== 1) {
          throw new UnsupportedError(`SObject constructor argument in new ${type.name}`);
        }
        return { name: a.target.parts[0], value: this.expr(a.value, scope) };
      });
      const sobject = type.name;
      return (f) => {
        const record = new SObjectValue(sobject === 'SObject' ? 'SObject' : sobject);
        for (const field of fields) rt.writeSObjectField(record, field.name, field.value(f));
        return record;
      };
    }
    const args = e.args.map((a) => this.expr(a, scope));
    const evalArgs = (f: Frame) => args.map((a) => a(f));
    switch (type.kind) {
      case 'user': {
        const cls = type.cls!;
        const ctor = this.chooseConstructor(cls, e.args, scope);
        return (f) => rt.instantiate(cls, evalArgs(f), ctor);
      }
      case 'list':
        return (f) => {
          const [source] = evalArgs(f);
          const list = new ApexList(type.args[0]);
          if (source !== undefined) {
            if (source === null) throw nullPointer();
            list.items.push(...itemsOf(source));
          }
          return list;
        };
      case 'set':
        return (f) => {
          const [source] = evalArgs(f);
          const set = new ApexSet(type.args[0]);
          if (source !== undefined) {
            if (source === null) throw nullPointer();
            for (const item of itemsOf(source)) set.add(item);
          }
          return set;
        };
      case 'map':
        return (f) => {
          const [source] = evalArgs(f);
          const map = new ApexMap(type.args[0], type.args[1]);
          if (source instanceof ApexMap) {
            for (const [k, v] of source.entries.values()) map.put(k, v);
          } else if (source instanceof ApexList) {
            // new Map<Id, SObject>(records): keyed by Id.
            for (const record of source.items) {
              if (record instanceof SObjectValue)
                map.put(convert(record.get('Id'), type.args[0]), record);
            }
          } else if (source === null) throw nullPointer();
          return map;
        };
      case 'native': {
        const native = findNative(type.name);
        const construct = native?.construct;
        if (!construct) throw new UnsupportedError(`new ${type.name}`);
        return (f) => construct(rt.ctx, evalArgs(f), type);
      }
      default:
        break;
    }
    throw new UnsupportedError(`new ${type.name}`);
  }

  private newCollection(e: Extract<Expr, { kind: 'newCollection' }>, scope: Scope): ExprFn {
    const type = this.rt.types.resolve(e.type, scope.cls);
    if (type.kind === 'map') {
      const [keyType, valueType] = type.args;
      const keyConv = converterFor(keyType);
      const valueConv = converterFor(valueType);
      const pairs = (e.pairs ?? []).map(
        ([k, v]) => [this.expr(k, scope), this.expr(v, scope)] as const,
      );
      return (f) => {
        const map = new ApexMap(keyType, valueType);
        for (const [k, v] of pairs) {
          const key = k(f);
          const value = v(f);
          map.put(keyConv ? keyConv(key) : key, valueConv ? valueConv(value) : value);
        }
        return map;
      };
    }
    if (type.kind !== 'list' && type.kind !== 'set')
      throw new UnsupportedError(`new ${type.name}{...}`);
    const element = type.args[0] ?? T_OBJECT;
    const conv = converterFor(element);
    const items = (e.items ?? []).map((i) => this.expr(i, scope));
    if (type.kind === 'set') {
      return (f) => {
        const set = new ApexSet(element);
        for (const item of items) {
          const v = item(f);
          set.add(conv ? conv(v) : v);
        }
        return set;
      };
    }
    const size = e.size ? this.expr(e.size, scope) : null;
    return (f) => {
      if (size) {
        const n = size(f);
        if (typeof n !== 'number') throw nullPointer();
        return new ApexList(element, new Array<Value>(n).fill(null));
      }
      const values = new Array<Value>(items.length);
      for (let i = 0; i < items.length; i++) {
        const v = items[i](f);
        values[i] = conv ? conv(v) : v;
      }
      return new ApexList(element, values);
    };
  }
}

/** A binary operator as a function of two values (compound assignment). */
function operatorFunction(op: string): (a: Value, b: Value) => Value {
  switch (op) {
    case '+':
      return add;
    case '-':
      return subtract;
    case '*':
      return multiply;
    case '/':
      return divide;
    case '&':
    case '|':
    case '^':
      return (a, b) => bitwise(op, a, b);
    case '<<':
    case '>>':
    case '>>>':
      return (a, b) => shiftBits(op, a ?? throwNull(), b ?? throwNull());
    default:
      break;
  }
  throw new UnsupportedError(`operator ${op}=`);
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────────

/** The static type of a literal. */
function literalType(v: Value, named: (name: string) => RType | null): SType {
  if (v === null) return T_NULL;
  switch (typeof v) {
    case 'number':
      return named('Integer');
    case 'bigint':
      return named('Long');
    case 'string':
      return named('String');
    case 'boolean':
      return named('Boolean');
    default:
      break;
  }
  if (v instanceof ApexDecimal) return named('Decimal');
  if (v instanceof ApexDouble) return named('Double');
  return null;
}

/** `c ? a : b`: the common type of the branches, when the runtime can tell it. */
function conditionalType(a: SType, b: SType): SType {
  if (a === T_NULL) return b;
  if (b === T_NULL) return a;
  if (!a || !b) return null;
  if (sameStaticType(a, b)) return a;
  if (isNumericType(a) && isNumericType(b)) return widerNumeric(a, b);
  if (staticAssignable(a, b, true)) return b;
  if (staticAssignable(b, a, true)) return a;
  return null;
}

function isNumberValue(v: Value): boolean {
  return (
    typeof v === 'number' ||
    typeof v === 'bigint' ||
    v instanceof ApexDecimal ||
    v instanceof ApexDouble
  );
}

function throwNull(): never {
  throw nullPointer();
}

function readOnly(read: ExprFn): LValue {
  return {
    read,
    type: null,
    write: () => {
      throw new UnsupportedError('assignment to a constant');
    },
    update: () => {
      throw new UnsupportedError('assignment to a constant');
    },
  };
}

function constantLValue(value: EnumValue): LValue {
  return readOnly(() => value);
}

function itemsOf(source: Value): Value[] {
  if (source instanceof ApexList) return source.items;
  if (source instanceof ApexSet) return source.values();
  throw new ApexError('System.TypeException', 'Expected a List or Set');
}

function listItem(list: Value, index: Value): Value {
  if (list instanceof ApexList) {
    if (typeof index !== 'number') throw nullPointer();
    if (index < 0 || index >= list.items.length) {
      throw new ApexError('System.ListException', `List index out of bounds: ${index}`);
    }
    return list.items[index];
  }
  if (list === null) throw nullPointer();
  if (list instanceof ApexMap) return list.get(index);
  throw new UnsupportedError('indexing a value that is not a List');
}

function setListItem(list: Value, index: Value, value: Value): void {
  if (list instanceof ApexList) {
    if (typeof index !== 'number') throw nullPointer();
    if (index < 0 || index >= list.items.length) {
      throw new ApexError('System.ListException', `List index out of bounds: ${index}`);
    }
    list.items[index] = convert(value, list.elementType);
    return;
  }
  if (list === null) throw nullPointer();
  throw new UnsupportedError('indexing a value that is not a List');
}

/** `SObject x = [SELECT ...]`: exactly one row (SEMANTICS EXC-03). */
function singleRow(result: Value): Value {
  const rows = result instanceof ApexList ? result.items : [];
  if (rows.length === 0) {
    throw new ApexError('System.QueryException', 'List has no rows for assignment to SObject');
  }
  if (rows.length > 1) {
    throw new ApexError(
      'System.QueryException',
      'List has more than 1 row for assignment to SObject',
    );
  }
  return rows[0];
}

/** `===`: the same object for collections, SObjects and class instances; values otherwise. */
function exactEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a === 'object' && !(a instanceof ApexDecimal) && !(a instanceof ApexDouble)) {
    if (
      a instanceof ApexList ||
      a instanceof ApexSet ||
      a instanceof ApexMap ||
      a instanceof SObjectValue ||
      a instanceof ApexObject
    ) {
      return false;
    }
  }
  return strictValueEquals(a, b);
}

/** A `when` value against the switch subject: Strings case-sensitively (STR-07), enums by name. */
function whenMatches(subject: Value, label: Value | { enumName: string[] }): boolean {
  if (label !== null && typeof label === 'object' && 'enumName' in label) {
    if (!(subject instanceof EnumValue)) return false;
    return subject.name.toLowerCase() === label.enumName[label.enumName.length - 1].toLowerCase();
  }
  if (label === null) return subject === null;
  if (subject === null) return false;
  if (typeof label === 'string')
    return subject === label || (typeof subject !== 'string' && String(subject) === label);
  return looseEquals(subject, label);
}

export { UNCATCHABLE };
