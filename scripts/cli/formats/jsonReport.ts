/**
 * The JSON report, written in pieces: the same bytes as `JSON.stringify(report, null, 2)` plus a
 * newline, without ever holding them as one string. A large org's report is tens of megabytes;
 * as one string, plus the buffer made from it for the write, it added some 250 MB to the CLI's
 * peak resident size on the bench's large org.
 */
import type {
  Finding,
  Report,
} from '../../../force-app/main/default/lwc/healthEngine/healthEngine';

export interface JsonReportOptions {
  /** Leaves PASS findings out of `findings`; the summary still counts them. */
  omitPassed?: boolean;
}

/**
 * Findings per JSON.stringify call: pieces of some 30 KB. Below V8's large-object size (128 KB)
 * a piece is made in the young generation and dies there; larger ones went to the old generation
 * and stayed until the next full collection, adding their size to the peak.
 */
const FINDINGS_PER_PIECE = 100;

/**
 * The text of the report's member `key` with `value`, as JSON.stringify(report, null, 2) writes
 * it after `"key": `. The value is written inside an object of that one member, so it comes out
 * indented as in the report, with no pass over the text to indent it again.
 */
function member(key: string, value: unknown): string {
  const text = JSON.stringify({ [key]: value }, null, 2);
  return text.slice(`{\n  ${JSON.stringify(key)}: `.length, -'\n}'.length);
}

/** The report's findings array, in pieces of a few hundred findings. */
function* findingsPieces(findings: readonly Finding[], omitPassed: boolean): Generator<string> {
  const kept = omitPassed ? findings.filter((f) => f.status !== 'PASS') : findings;
  if (kept.length === 0) {
    yield '[]';
    return;
  }
  for (let start = 0; start < kept.length; start += FINDINGS_PER_PIECE) {
    // "[\n    {…},\n    {…}\n  ]" in the report: the findings are the lines between.
    const text = member('findings', kept.slice(start, start + FINDINGS_PER_PIECE));
    yield `${start === 0 ? '[' : ','}\n${text.slice('[\n'.length, -'\n  ]'.length)}`;
  }
  yield '\n  ]';
}

/** The report as JSON text in pieces; joined, they equal `${JSON.stringify(report, null, 2)}\n`. */
export function* reportJsonPieces(
  report: Report,
  options: JsonReportOptions = {},
): Generator<string> {
  let open = '{';
  for (const [key, value] of Object.entries(report)) {
    // JSON.stringify leaves out members whose value has no JSON form.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    const name = `${open}\n  ${JSON.stringify(key)}: `;
    open = ',';
    if (key === 'findings' && Array.isArray(value)) {
      yield name;
      yield* findingsPieces(value as Finding[], options.omitPassed === true);
    } else {
      yield `${name}${member(key, value)}`;
    }
  }
  yield open === '{' ? '{}\n' : '\n}\n';
}
