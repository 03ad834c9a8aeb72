// Natives at the core of the language: the System exception hierarchy and the methods every
// exception has, System.Type (`T.class`, Type.forName), and the methods of enum constants.
// User exceptions (`class MyException extends Exception`) are interpreter objects that carry the
// same ExceptionState, so the methods here serve both.
import {
  ApexError,
  ApexTypeValue,
  EnumValue,
  typeName,
  typeRef,
  type ApexInstance,
  type TypeRef,
  type Value,
} from '../values';
import { registerNative, type NativeContext } from './registry';

// ── exceptions ──────────────────────────────────────────────────────────────────────────────

/** What every exception object carries. */
export interface ExceptionState {
  /** Qualified type name as getTypeName() returns it: 'System.ListException', 'Outer.MyException'. */
  typeName: string;
  message: string | null;
  cause: Value;
  /** Line of the throw (or where the runtime raised it); 0 until thrown. */
  line: number;
  /** getStackTraceString() text; empty until thrown. */
  stackTrace: string;
  /** The error a native raised, when the exception came from one (extra details live there). */
  error: ApexError | null;
}

export const newExceptionState = (
  typeName: string,
  message: string | null = null,
): ExceptionState => ({
  typeName,
  message,
  cause: null,
  line: 0,
  stackTrace: '',
  error: null,
});

/** A System exception object (NullPointerException, DmlException, ...). */
export class SystemException implements ApexInstance {
  readonly apexType: TypeRef;
  constructor(readonly exception: ExceptionState) {
    this.apexType = typeRef(exception.typeName);
  }
}

export const hasException = (v: Value): v is Value & { exception: ExceptionState } =>
  typeof v === 'object' && v !== null && (v as { exception?: unknown }).exception != null;

/** Exceptions `catch (Exception e)` never sees (SEMANTICS EXC-10). */
export const UNCATCHABLE = new Set(['system.limitexception', 'system.assertexception']);

/** `Type: message`, as String.valueOf(e) prints an exception (EXC-16). */
export function exceptionText(state: ExceptionState): string {
  return `${state.typeName}: ${messageOf(state)}`;
}

/** getMessage(): a custom exception made without a message says 'Script-thrown exception' (EXC-13). */
function messageOf(state: ExceptionState): string | null {
  if (state.message !== null) return state.message;
  if (hasException(state.cause)) return exceptionText(state.cause.exception);
  return state.typeName.startsWith('System.') ? null : 'Script-thrown exception';
}

/** Applies the four implicit constructors: (), (String), (Exception), (String, Exception). */
export function initException(state: ExceptionState, args: Value[]): void {
  for (const arg of args) {
    if (typeof arg === 'string') state.message = arg;
    else if (hasException(arg)) state.cause = arg;
    else if (arg !== null) {
      throw new ApexError('System.TypeException', 'Invalid argument to an exception constructor');
    }
  }
}

const stateOf = (self: Value): ExceptionState => {
  if (!hasException(self)) throw new ApexError('System.TypeException', 'Not an exception');
  return self.exception;
};

const SYSTEM_EXCEPTIONS = [
  'AssertException',
  'AuraHandledException',
  'AsyncException',
  'BigObjectException',
  'CalloutException',
  'DmlException',
  'EmailException',
  'ExternalObjectException',
  'FinalException',
  'HandledException',
  'IllegalArgumentException',
  'InvalidHeaderException',
  'InvalidParameterValueException',
  'JSONException',
  'LimitException',
  'ListException',
  'MathException',
  'NoAccessException',
  'NoDataFoundException',
  'NoSuchElementException',
  'NullPointerException',
  'QueryException',
  'RequiredFeatureMissingException',
  'SearchException',
  'SecurityException',
  'SerializationException',
  'SObjectException',
  'StringException',
  'TypeException',
  'UnexpectedException',
  'VisualforceException',
  'XmlException',
];

registerNative({
  name: 'System.Exception',
  methods: {
    getmessage: (_ctx, self) => messageOf(stateOf(self)),
    setmessage: (_ctx, self, [message]) => {
      stateOf(self).message = message === null ? null : String(message);
      return null;
    },
    gettypename: (_ctx, self) => stateOf(self).typeName,
    getcause: (_ctx, self) => stateOf(self).cause,
    initcause: (_ctx, self, [cause]) => {
      const state = stateOf(self);
      if (state.cause !== null) {
        throw new ApexError('System.IllegalArgumentException', "Can't overwrite cause");
      }
      state.cause = cause;
      return null;
    },
    getlinenumber: (_ctx, self) => stateOf(self).line,
    getstacktracestring: (_ctx, self) => stateOf(self).stackTrace,
    tostring: (_ctx, self) => exceptionText(stateOf(self)),
    equals: (_ctx, self, [other]) => self === other,
    hashcode: (_ctx, self) => identityHash(self as object),
  },
  construct: () => {
    // EXC-12: "Type cannot be constructed: Exception".
    throw new ApexError('System.TypeException', 'Type cannot be constructed: Exception');
  },
});

for (const short of SYSTEM_EXCEPTIONS) {
  const name = `System.${short}`;
  registerNative({
    name,
    supertypes: ['System.Exception'],
    construct: (_ctx, args) => {
      const state = newExceptionState(name);
      initException(state, args);
      return new SystemException(state);
    },
  });
}

/** The exception object for an error a native or the runtime raised. */
export function exceptionFromError(error: ApexError): SystemException {
  const name = error.typeName.includes('.') ? error.typeName : `System.${error.typeName}`;
  const state = newExceptionState(name, error.message);
  state.error = error;
  return new SystemException(state);
}

// ── System.Type ─────────────────────────────────────────────────────────────────────────────

/** `System.Type` values are values.ts's ApexTypeValue; the name is kept for the interpreter. */
export { ApexTypeValue as TypeValue };
const TypeValue = ApexTypeValue;
const nameOfType = (t: ApexTypeValue) => typeName(t.type);

const typeOf = (self: Value): ApexTypeValue => {
  if (!(self instanceof TypeValue)) throw new ApexError('System.TypeException', 'Not a Type');
  return self;
};

function forName(ctx: NativeContext, args: Value[]): Value {
  const name = args.length === 2 && args[0] ? `${String(args[0])}.${String(args[1])}` : args.at(-1);
  if (name === null || name === undefined) return null;
  const type = ctx.interop.resolveType(String(name));
  return type ? new TypeValue(type) : null;
}

registerNative({
  name: 'System.Type',
  statics: {
    forname: (ctx, _self, args) => forName(ctx, args),
  },
  methods: {
    getname: (_ctx, self) => nameOfType(typeOf(self)),
    tostring: (_ctx, self) => nameOfType(typeOf(self)),
    newinstance: (ctx, self) => ctx.interop.newInstance(typeOf(self).type, []),
    equals: (_ctx, self, [other]) =>
      other instanceof TypeValue &&
      nameOfType(typeOf(self)).toLowerCase() === nameOfType(other).toLowerCase(),
    hashcode: (_ctx, self) => stringHash(nameOfType(typeOf(self)).toLowerCase()),
    isassignablefrom: (ctx, self, [other]) => {
      if (!(other instanceof TypeValue)) return false;
      const target = typeOf(self).type;
      if (
        target.name === 'Object' ||
        nameOfType(typeOf(self)).toLowerCase() === nameOfType(other).toLowerCase()
      ) {
        return true;
      }
      // A blank instance of a user class answers for its class.
      try {
        return ctx.interop.isInstanceOf(ctx.interop.newBlank(other.type), target);
      } catch {
        return false;
      }
    },
  },
});

// ── enums ───────────────────────────────────────────────────────────────────────────────────

const enumOf = (self: Value): EnumValue => {
  if (!(self instanceof EnumValue)) throw new ApexError('System.TypeException', 'Not an enum');
  return self;
};

/** Methods every enum constant has (user enums and system enums alike). */
registerNative({
  name: 'System.Enum',
  methods: {
    name: (_ctx, self) => enumOf(self).name,
    ordinal: (_ctx, self) => enumOf(self).ordinal,
    tostring: (_ctx, self) => enumOf(self).name,
    equals: (_ctx, self, [other]) => self === other,
    hashcode: (_ctx, self) => stringHash(`${enumOf(self).enumType}.${enumOf(self).name}`),
  },
});

// ── hashing helpers ─────────────────────────────────────────────────────────────────────────

/** Java's String.hashCode. */
export function stringHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

let nextIdentity = 0;
const identities = new WeakMap<object, number>();
/** A stable per-object hash for objects without hashCode(). */
export function identityHash(o: object): number {
  let id = identities.get(o);
  if (id === undefined) {
    id = (Math.imul(++nextIdentity, 0x9e3779b1) >>> 1) | 0;
    identities.set(o, id);
  }
  return id;
}
