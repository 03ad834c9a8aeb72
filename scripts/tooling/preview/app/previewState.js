// What the preview page asked for in its address: which demo snapshot, and the
// knobs the browser test and benchmark use (a slower run, a failing controller,
// a report repeated to a given number of findings).
import data from 'preview:data';

const params = new URLSearchParams(window.location.search);

export const snapshots = data.snapshots;
export const catalogRecords = data.catalogRecords;

export function selectedSnapshot() {
  const wanted = params.get('snapshot');
  return (
    snapshots.find((s) => s.id === wanted) ??
    snapshots.find((s) => s.id === 'demo-broken-org') ??
    snapshots[0]
  );
}

/** Milliseconds the fake controller waits, so the progress state is visible as in an org. */
export function delayMs() {
  const value = Number(params.get('delay') ?? 400);
  return Number.isFinite(value) && value >= 0 ? value : 400;
}

/**
 * `?fail=permission` makes the controller answer as it does without the permission set;
 * `?fail=run` makes a started check fail halfway through its chunks.
 */
export function failure() {
  return params.get('fail');
}

/** `?findings=5000`: the report's findings repeated (each with its own subject) for scale tests. */
export function repeatTo() {
  const value = Number(params.get('findings') ?? 0);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

/** `?history=none`: the org has no stored run yet, so the dashboard starts the first check itself. */
export function withoutHistory() {
  return params.get('history') === 'none';
}
