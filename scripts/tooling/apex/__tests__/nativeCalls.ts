// Calls registered natives directly, as the interpreter would.
import '../natives/index';
import { findNative, type NativeContext } from '../natives/registry';
import type { Value } from '../values';
import { fakeContext } from './fakeContext';

export const defaultCtx = fakeContext();

/** An instance method: `self.method(args)`. */
export function call(
  cls: string,
  method: string,
  self: Value,
  args: Value[] = [],
  ctx: NativeContext = defaultCtx,
): Value {
  const fn = findNative(cls)?.methods?.[method.toLowerCase()];
  if (!fn) throw new Error(`no native ${cls}.${method}`);
  return fn(ctx, self, args);
}

/** A static method: `Class.method(args)`. */
export function stat(
  cls: string,
  method: string,
  args: Value[] = [],
  ctx: NativeContext = defaultCtx,
): Value {
  const fn = findNative(cls)?.statics?.[method.toLowerCase()];
  if (!fn) throw new Error(`no native static ${cls}.${method}`);
  return fn(ctx, null, args);
}

/** A static field / enum constant. */
export function field(cls: string, name: string, ctx: NativeContext = defaultCtx): Value {
  const fn = findNative(cls)?.staticFields?.[name.toLowerCase()];
  if (!fn) throw new Error(`no native field ${cls}.${name}`);
  return fn(ctx);
}

/** The Apex exception a call throws: "Type: message". */
export function apexErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    const err = e as { typeName?: string; message: string };
    return err.typeName
      ? `${err.typeName}: ${err.message}`
      : `${(e as Error).constructor.name}: ${err.message}`;
  }
  return 'no exception';
}
