/**
 * The Apex engine behind `analytics-health check --engine apex`: evaluates an org-facts snapshot
 * with `AnalyticsHealthEngine.evaluate` running in the local Apex runtime, the way the in-org
 * controller calls it — the facts through `JSON.deserializeUntyped`, the catalog as
 * `Analytics_Health_Rule__mdt` / `Analytics_Health_List_Entry__mdt` records with typed fields,
 * the report time as a Datetime — and hands the report back through `JSON.serialize`.
 * `evaluateChunkedWithApex` runs the chunked evaluation (ENGINE.md) the same way, one transaction
 * per part, and hands back every part's result and the assembled report.
 *
 * One runtime per process, created when first needed and reused (loading the package's classes
 * is the slow part; each evaluation is a transaction of its own, with fresh statics and limits).
 */
import type {
  CatalogRecord,
  CatalogRecords,
  ChunkResult,
  Report,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { ApexRuntime, ApexThrown } from '../runtime';
import '../natives/index';
import { findNative, type NativeContext } from '../natives/registry';
import type { OrgService } from '../org/orgService';
import { fieldValueOfText } from '../org/metadata';
import { installHarness } from '../harness/install';
import {
  ApexDatetime,
  ApexList,
  ApexMap,
  ApexSet,
  SObjectValue,
  typeRef,
  type Value,
} from '../values';
import { projectRoot, refusalLine } from './common';

export const RULE_TYPE = 'Analytics_Health_Rule__mdt';
export const LIST_ENTRY_TYPE = 'Analytics_Health_List_Entry__mdt';

export interface ApexEvaluateOptions {
  /** The report time, ISO 8601 (the TS engine's `evaluatedAt`). */
  evaluatedAt: string;
  /** The running user's locale, as Salesforce spells it ('tr_TR'); the runtime's default if absent. */
  locale?: string;
  /** The running user's time zone (IANA id); the runtime's default if absent. */
  timeZone?: string;
}

/** The Apex engine could not give a report: an uncaught Apex exception or a runtime refusal. */
export class ApexEngineError extends Error {
  override name = 'ApexEngineError';
}

let shared: ApexRuntime | undefined;

/** The process's runtime over this project, created on first use. */
export function apexRuntime(root: string = projectRoot()): ApexRuntime {
  if (!shared) {
    const runtime = ApexRuntime.fromProject(root);
    // System.debug output is not wanted here: a sink that keeps nothing.
    installHarness(runtime, { debug: { write: () => undefined } });
    shared = runtime;
  }
  return shared;
}

function jsonNative(method: string) {
  const fn = findNative('JSON')?.statics?.[method];
  if (!fn) throw new ApexEngineError(`the runtime has no JSON.${method}`);
  return fn;
}

/** One catalog record (field → value, as catalogSource reads it) as an SObject of its type. */
export function recordSObject(
  org: OrgService,
  typeName: string,
  record: CatalogRecord,
): SObjectValue {
  const def = org.schema.get(typeName);
  if (!def) throw new ApexEngineError(`the org's schema has no ${typeName}`);
  const out = new SObjectValue(def.name);
  for (const [field, value] of Object.entries(record)) {
    const known = def.fields.get(field.toLowerCase());
    if (!known) throw new ApexEngineError(`${def.name} has no field ${field}`);
    if (value === null || value === undefined) {
      out.set(known.name, null);
      continue;
    }
    try {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      out.set(known.name, fieldValueOfText(known, text));
    } catch (error) {
      throw new ApexEngineError(`${def.name}.${(error as Error).message}`);
    }
  }
  return out;
}

function recordList(org: OrgService, typeName: string, records: CatalogRecord[]): ApexList {
  return new ApexList(
    typeRef(typeName),
    records.map((r) => recordSObject(org, typeName, r)),
  );
}

/** One line naming an uncaught Apex exception or a refusal, with where it happened. */
export function errorLine(error: unknown): string | null {
  if (error instanceof ApexThrown) {
    const where = error.stackTrace[0] ? ` (${error.stackTrace[0]})` : '';
    return `${error.typeName}: ${error.message.split('\n')[0]}${where}`;
  }
  return refusalLine(error);
}

/** Any failure of the Apex side as one ApexEngineError line (a runtime bug included). */
function engineError(error: unknown): ApexEngineError {
  if (error instanceof ApexEngineError) return error;
  const line = errorLine(error);
  if (line !== null) return new ApexEngineError(`Apex engine: ${line}`);
  const message = error instanceof Error ? error.message : String(error);
  return new ApexEngineError(`Apex engine: internal error: ${message.split('\n')[0]}`);
}

function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw engineError(error);
  }
}

/** What an evaluation in the runtime works with (see withApexEngine). */
interface ApexEngineRun {
  runtime: ApexRuntime;
  org: OrgService;
  ctx: NativeContext;
  /** The facts as JSON text, for JSON.deserializeUntyped in the Apex. */
  factsText: string;
  /** evaluatedAt as epoch milliseconds. */
  evaluatedAt: number;
}

/**
 * Runs `body` on the shared runtime with the options' locale and time zone, restored after it;
 * any failure becomes one ApexEngineError line.
 */
function withApexEngine<T>(
  facts: unknown,
  options: ApexEvaluateOptions,
  body: (run: ApexEngineRun) => T,
): T {
  const runtime = guarded(() => apexRuntime());
  const services = runtime.services;
  const evaluatedAt = Date.parse(options.evaluatedAt);
  if (Number.isNaN(evaluatedAt)) {
    throw new ApexEngineError(`evaluatedAt is not a date: ${options.evaluatedAt}`);
  }
  const previousLocale = services.locale;
  const previousZone = services.timeZone;
  if (options.locale) services.locale = options.locale;
  if (options.timeZone) services.timeZone = options.timeZone;
  try {
    return body({
      runtime,
      org: services.org as OrgService,
      ctx: runtime.interpreter.ctx,
      factsText: JSON.stringify(facts),
      evaluatedAt,
    });
  } catch (error) {
    throw engineError(error);
  } finally {
    services.locale = previousLocale;
    services.timeZone = previousZone;
  }
}

/**
 * Evaluates `facts` (parsed JSON) against the catalog records with the Apex engine. Throws
 * ApexEngineError (one line) when the Apex throws or the runtime cannot run the code.
 */
export function evaluateWithApex(
  facts: unknown,
  records: CatalogRecords,
  options: ApexEvaluateOptions,
): Report {
  return withApexEngine(facts, options, ({ runtime, org, ctx, factsText, evaluatedAt }) => {
    const { result } = runtime.transaction('synchronous', () => {
      const factsValue = jsonNative('deserializeuntyped')(ctx, null, [factsText]);
      const report = runtime.callStatic('AnalyticsHealthEngine', 'evaluate', [
        factsValue,
        recordList(org, RULE_TYPE, records.rules),
        recordList(org, LIST_ENTRY_TYPE, records.listEntries),
        new ApexDatetime(evaluatedAt),
      ]);
      return jsonNative('serialize')(ctx, null, [report]);
    });
    return JSON.parse(String(result)) as Report;
  });
}

/** The Apex side of a chunked evaluation (ENGINE.md): every part's result and the assembled report. */
export interface ApexChunkedRun {
  /** The core's result, then each chunk's in the order given, as the Apex serialises them. */
  results: ChunkResult[];
  /** `AnalyticsHealthEngine.assembleReport` on the results in `handOrder`. */
  report: Report;
}

export interface ApexChunkedOptions extends ApexEvaluateOptions {
  /** Indexes into `results` (core = 0): the order the results are handed to the assembly. */
  handOrder?: number[];
}

/**
 * Evaluates `facts` chunk by chunk with the Apex engine, as the in-org check will: the core on
 * `AnalyticsHealthChunks.sharedFacts`, then one chunk per object list (lower-case names) on
 * `AnalyticsHealthChunks.sliceFacts`, each a transaction of its own whose result goes through
 * `JSON.serialize` (stored between jobs), then `assembleReport` in one more transaction.
 */
export function evaluateChunkedWithApex(
  facts: unknown,
  records: CatalogRecords,
  objectChunks: readonly (readonly string[])[],
  options: ApexChunkedOptions,
): ApexChunkedRun {
  return withApexEngine(facts, options, ({ runtime, org, ctx, factsText, evaluatedAt }) => {
    const deserialize = jsonNative('deserializeuntyped');
    const serialize = jsonNative('serialize');
    /** One transaction: the validated facts and the compiled catalog, then `fn`'s JSON result. */
    const inTransaction = (fn: (validated: Value, compiled: Value) => Value): unknown => {
      const { result } = runtime.transaction('synchronous', () => {
        const validated = runtime.callStatic('AnalyticsHealthFacts', 'validate', [
          deserialize(ctx, null, [factsText]),
        ]);
        const compiled = runtime.callStatic('AnalyticsHealthEngine', 'compileCatalog', [
          recordList(org, RULE_TYPE, records.rules),
          recordList(org, LIST_ENTRY_TYPE, records.listEntries),
        ]);
        return serialize(ctx, null, [fn(validated, compiled)]);
      });
      return JSON.parse(String(result));
    };
    const results: ChunkResult[] = [
      inTransaction((validated, compiled) => {
        const sharedFacts = runtime.callStatic('AnalyticsHealthChunks', 'sharedFacts', [validated]);
        return runtime.callStatic('AnalyticsHealthEngine', 'evaluateChunk', [
          sharedFacts,
          compiled,
          'core',
        ]);
      }) as ChunkResult,
    ];
    objectChunks.forEach((objects, index) => {
      const result = inTransaction((validated, compiled) => {
        const set = new ApexSet(typeRef('String'));
        for (const object of objects) set.add(object);
        const slice = runtime.callStatic('AnalyticsHealthChunks', 'sliceFacts', [
          validated,
          set,
        ]) as ApexMap;
        const part = deserialize(ctx, null, [JSON.stringify({ index })]) as ApexMap;
        part.put('referencePositions', slice.get('referencePositions'));
        return runtime.callStatic('AnalyticsHealthEngine', 'evaluateChunk', [
          slice.get('facts'),
          compiled,
          part,
        ]);
      });
      results.push(result as ChunkResult);
    });
    const handOrder = options.handOrder ?? results.map((_, i) => i);
    const handedText = JSON.stringify(handOrder.map((i) => results[i]));
    const report = inTransaction((validated, compiled) => {
      const sharedFacts = runtime.callStatic('AnalyticsHealthChunks', 'sharedFacts', [validated]);
      return runtime.callStatic('AnalyticsHealthEngine', 'assembleReport', [
        deserialize(ctx, null, [handedText]),
        compiled,
        sharedFacts,
        new ApexDatetime(evaluatedAt),
      ]);
    }) as Report;
    return { results, report };
  });
}
