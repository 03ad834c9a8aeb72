/**
 * The error every entry point (the `analytics-health` bin, the sf plugin) reports as bad input or
 * usage, and the exit codes they share. It lives apart from both so that the collectors and
 * readers they load can raise it without importing an entry point back.
 */

/** 0: no FAIL at or above --fail-on; 1: there is one; 2: bad input or usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Bad input or usage: exit code 2 with the message on one line, never a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}
