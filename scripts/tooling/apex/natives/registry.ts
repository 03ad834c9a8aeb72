// The table of platform classes ("natives") the runtime models. One module per namespace or class
// registers its methods here; the interpreter looks a call up by class and method name (both
// case-insensitive, as Apex identifiers are). Anything not in the table fails with
// "not supported by the local runtime: …" naming the class and method — never a silent guess.
import type { Governor } from '../governor';
import type { ApexInstance, TypeRef, Value } from '../values';

/** Callbacks into the interpreter, for natives that run user code or need class metadata. */
export interface Interop {
  /** `new T(args)` for a user or native class. */
  newInstance(type: TypeRef, args: Value[]): Value;
  /** An instance method with virtual dispatch (HttpCalloutMock.respond, Queueable.execute, ...). */
  invoke(target: Value, method: string, args: Value[]): Value;
  /** A static method of a user class. */
  invokeStatic(className: string, method: string, args: Value[]): Value;
  /** Apex `instanceof`. */
  isInstanceOf(value: Value, type: TypeRef): boolean;
  /** Assignment conversion to a declared type (Integer → Decimal, String → Id, ...); throws TypeException. */
  coerce(value: Value, type: TypeRef): Value;
  /** A type named in source or text ('List<String>', 'My.Inner'), resolved; null when unknown. */
  resolveType(name: string): TypeRef | null;
  /** A user class's fields with their declared types, in declaration order (JSON.deserialize). */
  describeClass(
    type: TypeRef,
  ): { fields: { name: string; type: TypeRef; transient?: boolean }[] } | null;
  /** An instance of a user class with default field values and no constructor run. */
  newBlank(type: TypeRef): ApexInstance;
  getField(target: ApexInstance, name: string): Value;
  setField(target: ApexInstance, name: string, value: Value): void;
  /** A variable visible where the native was called (Database.query binds); throws when none. */
  readVariable(name: string): Value;
  /** Where the code is now, 'Class.cls:12', for error messages. */
  location(): string;
}

/** What a native sees of the running transaction and org. */
export interface NativeContext {
  readonly interop: Interop;
  /** The current transaction's counters. */
  readonly governor: Governor;
  /**
   * The runtime services other layers provide (the in-memory org, the async queue, the test
   * context, debug output), keyed by name; each layer documents its own entry.
   */
  readonly services: Services;
}

/** Services are filled in by the layers that own them; see runtime.ts for who sets what. */
export interface Services {
  [name: string]: unknown;
}

/** A static or instance method. `self` is the receiver for instance methods, null for statics. */
export type NativeMethod = (ctx: NativeContext, self: Value, args: Value[]) => Value;

export interface NativeClass {
  /** Qualified name as Apex spells it: 'String', 'System.JSON', 'Schema.DescribeFieldResult'. */
  readonly name: string;
  /** Names the class also answers to ('JSON' for 'System.JSON'); System classes get this free. */
  readonly aliases?: readonly string[];
  /** Static methods, by lower-case name; a method resolves its own overloads by args. */
  readonly statics?: Record<string, NativeMethod>;
  /** Instance methods, by lower-case name. */
  readonly methods?: Record<string, NativeMethod>;
  /** Static properties and enum constants, by lower-case name (JSONToken.START_OBJECT). */
  readonly staticFields?: Record<string, (ctx: NativeContext) => Value>;
  /** Instance properties read as `x.name` (DescribeSObjectResult.fields), by lower-case name. */
  readonly properties?: Record<string, (ctx: NativeContext, self: Value) => Value>;
  /** `new T(args)`. */
  readonly construct?: (ctx: NativeContext, args: Value[], type: TypeRef) => Value;
  /** Supertypes for instanceof and for interfaces a user class may implement (e.g. 'Exception'). */
  readonly supertypes?: readonly string[];
}

const classes = new Map<string, NativeClass>();

/** Registers a native class under its name, its aliases and (for System) its short name. */
export function registerNative(cls: NativeClass): void {
  const names = [cls.name, ...(cls.aliases ?? [])];
  if (cls.name.startsWith('System.')) names.push(cls.name.slice('System.'.length));
  for (const name of names) {
    const key = name.toLowerCase();
    const existing = classes.get(key);
    classes.set(key, existing ? mergeNative(existing, cls) : cls);
  }
}

// Two modules may add to one class (e.g. SObject methods from the org layer and the core):
// their tables are merged; a method defined twice is a programming error.
function mergeNative(a: NativeClass, b: NativeClass): NativeClass {
  const merge = <T>(x?: Record<string, T>, y?: Record<string, T>) => {
    for (const key of Object.keys(y ?? {})) {
      if (x && key in x) throw new Error(`native ${a.name}.${key} registered twice`);
    }
    return { ...x, ...y };
  };
  if (a.construct && b.construct) throw new Error(`native ${a.name} constructor registered twice`);
  return {
    name: a.name,
    aliases: [...(a.aliases ?? []), ...(b.aliases ?? [])],
    statics: merge(a.statics, b.statics),
    methods: merge(a.methods, b.methods),
    staticFields: merge(a.staticFields, b.staticFields),
    properties: merge(a.properties, b.properties),
    construct: a.construct ?? b.construct,
    supertypes: [...(a.supertypes ?? []), ...(b.supertypes ?? [])],
  };
}

/** The native class of a (possibly qualified) name, case-insensitive; undefined when not modelled. */
export function findNative(name: string): NativeClass | undefined {
  return classes.get(name.toLowerCase());
}

/** Every registered native class (each once). */
export function allNatives(): NativeClass[] {
  return [...new Set(classes.values())];
}
