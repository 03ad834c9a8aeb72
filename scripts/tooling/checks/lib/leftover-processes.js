// Finds processes a run started that are still alive once it is over. run-all.js gives every
// check it starts one environment variable, RUN_MARKER=<id>; every descendant inherits it, also
// one that detaches into its own session and is re-parented to init (as the Salesforce CLI's
// `sf update --autoupdate` does), so no process tree or process group would find it, but
// /proc/<pid>/environ does. Linux only: without /proc the scan reports null.
import { readdirSync, readFileSync } from 'node:fs';

export const RUN_MARKER = 'ANALYTICS_HEALTH_RUN_ID';

function read(file) {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return null; // gone, or another user's process
  }
}

/**
 * Live processes whose environment holds RUN_MARKER=<id>, other than those in `exclude`:
 * [{ pid, command }], or null when there is no /proc to look in.
 */
export function processesWithMarker(id, exclude = [process.pid]) {
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  const wanted = `${RUN_MARKER}=${id}`;
  const found = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (exclude.includes(pid)) continue;
    const environ = read(`/proc/${pid}/environ`);
    if (environ === null || !environ.split('\0').includes(wanted)) continue;
    const stat = read(`/proc/${pid}/stat`) ?? '';
    const state = stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
    if (state === 'Z' || state === 'X') continue; // exited, waiting to be reaped
    const command = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' ');
    found.push({ pid, command });
  }
  return found;
}

/** processesWithMarker after giving them up to `graceMs` to exit on their own. */
export async function leftoverProcesses(id, { exclude = [process.pid], graceMs = 3000 } = {}) {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const found = processesWithMarker(id, exclude);
    if (found === null || found.length === 0 || Date.now() >= deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
