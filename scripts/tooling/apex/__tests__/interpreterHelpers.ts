// Helpers for the interpreter tests: small Apex sources run through ApexRuntime.fromSources.
import { ApexRuntime, type RuntimeServices } from '../runtime';
import type { Value } from '../values';

/** A runtime over one class `T` whose static `run()` has the given body. */
export function runtimeWith(body: string, members = '', services?: RuntimeServices): ApexRuntime {
  return ApexRuntime.fromSources(
    [
      {
        path: 'T.cls',
        text: `public class T {\n${members}\npublic static Object run() {\n${body}\n}\n}`,
      },
    ],
    services,
  );
}

/** Runs `body` as T.run() and returns its result. */
export function run(body: string, members = '', services?: RuntimeServices): Value {
  return runtimeWith(body, members, services).callStatic('T', 'run', []);
}

/** Runs and returns what was thrown (fails the test when nothing is). */
export function thrown(
  body: string,
  members = '',
): Error & { typeName?: string; stackTrace?: string[] } {
  try {
    run(body, members);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an exception');
}
