// Http, HttpRequest and HttpResponse. No call leaves the machine: in a test, Http.send hands the
// request to the HttpCalloutMock registered with Test.setMock and returns what its respond()
// returns ("Testing HTTP Callouts by Implementing the HttpCalloutMock Interface"); without a mock
// it throws the platform's System.CalloutException 'Methods defined as TestMethod do not support
// Web service callouts'. Outside a test a callout is not supported (the runtime makes no network
// calls). Before a callout, pending uncommitted work — DML, or a queued job, in this transaction or
// since Test.startTest() — throws System.CalloutException 'You have uncommitted work pending.
// Please commit or rollback before calling out' ("Performing DML Operations and Mock Callouts").
// Named Credential endpoints ('callout:Name/path') are accepted as they are.
import { registerNative, type NativeContext } from '../natives/registry';
import {
  ApexBlob,
  ApexError,
  ApexList,
  STRING_TYPE,
  UnsupportedError,
  nullPointer,
  typeRef,
  type ApexInstance,
  type Value,
} from '../values';
import type { TestContext } from './testContext';

class Headers {
  /** lower-case name → [name as set, value]. */
  readonly map = new Map<string, [string, string]>();
  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), [name, value]);
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase())?.[1] ?? null;
  }
  keys(): string[] {
    return [...this.map.values()].map(([name]) => name);
  }
}

export class HttpRequestValue implements ApexInstance {
  readonly apexType = typeRef('System.HttpRequest');
  method: string | null = null;
  endpoint: string | null = null;
  body: string | null = null;
  bodyBlob: ApexBlob | null = null;
  timeout: number | null = null;
  compressed = false;
  readonly headers = new Headers();
}

export class HttpResponseValue implements ApexInstance {
  readonly apexType = typeRef('System.HttpResponse');
  statusCode: number | null = null;
  status: string | null = null;
  body: string | null = null;
  bodyBlob: ApexBlob | null = null;
  readonly headers = new Headers();
}

export class HttpValue implements ApexInstance {
  readonly apexType = typeRef('System.Http');
}

/** One callout the harness answered: for tests of the harness and for reports. */
export interface CalloutRecord {
  readonly method: string | null;
  readonly endpoint: string | null;
  readonly body: string | null;
}

const calloutError = (message: string) => new ApexError('System.CalloutException', message);

function text(v: Value): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  return String(v);
}

function self<T>(value: Value, type: new () => T): T {
  if (!(value instanceof type)) throw nullPointer();
  return value;
}

const utf8 = (s: string) => new ApexBlob(new TextEncoder().encode(s));
const fromUtf8 = (b: ApexBlob) => new TextDecoder().decode(b.bytes);

/** Pending uncommitted work: DML or queued async work counted in the current limits. */
export function hasUncommittedWork(ctx: NativeContext): boolean {
  const usage = ctx.governor.usage;
  return usage.dmlStatements > 0 || usage.queueableJobs > 0 || usage.futureCalls > 0;
}

/** Http.send(request). */
export function send(ctx: NativeContext, request: Value): Value {
  const req = self(request, HttpRequestValue);
  if (hasUncommittedWork(ctx)) {
    throw calloutError(
      'You have uncommitted work pending. Please commit or rollback before calling out',
    );
  }
  const test = ctx.services.test as TestContext | undefined;
  const responder = ctx.services.calloutResponder;
  if (!test?.running && typeof responder === 'function') {
    return answerOutsideTest(ctx, req, responder as CalloutResponder);
  }
  if (!test?.running) {
    throw new UnsupportedError(
      `HTTP callout to ${req.endpoint ?? '(no endpoint)'} outside a test (no network calls)`,
    );
  }
  const mock = test.mock('HttpCalloutMock');
  if (mock === null) {
    throw calloutError('Methods defined as TestMethod do not support Web service callouts');
  }
  ctx.governor.onCallout();
  const callouts = ctx.services.callouts;
  if (Array.isArray(callouts)) {
    callouts.push({ method: req.method, endpoint: req.endpoint, body: req.body });
  }
  return ctx.interop.invoke(mock, 'respond', [req]);
}

/**
 * Answers a callout made outside a test, in place of the org's APIs (the Apex benchmark sets
 * `services.calloutResponder`): counted against the callout limit like any callout.
 */
export type CalloutResponder = (request: CalloutRecord) => { statusCode: number; body: string };

function answerOutsideTest(
  ctx: NativeContext,
  req: HttpRequestValue,
  responder: CalloutResponder,
): HttpResponseValue {
  ctx.governor.onCallout();
  const body = req.bodyBlob ? fromUtf8(req.bodyBlob) : req.body;
  const answer = responder({ method: req.method, endpoint: req.endpoint, body });
  const response = new HttpResponseValue();
  response.statusCode = answer.statusCode;
  response.status = answer.statusCode === 200 ? 'OK' : 'Error';
  response.body = answer.body;
  return response;
}

export function registerHttp(): void {
  registerNative({
    name: 'System.Http',
    construct: () => new HttpValue(),
    methods: {
      send: (ctx, _self, [request]) => send(ctx, request),
      tostring: () => 'System.Http',
    },
  });

  registerNative({
    name: 'System.HttpRequest',
    construct: () => new HttpRequestValue(),
    methods: {
      setmethod: (_c, s, [v]) => {
        self(s, HttpRequestValue).method = text(v);
        return null;
      },
      getmethod: (_c, s) => self(s, HttpRequestValue).method,
      setendpoint: (_c, s, [v]) => {
        self(s, HttpRequestValue).endpoint = text(v);
        return null;
      },
      getendpoint: (_c, s) => self(s, HttpRequestValue).endpoint,
      setbody: (_c, s, [v]) => {
        const r = self(s, HttpRequestValue);
        r.body = text(v);
        r.bodyBlob = null;
        return null;
      },
      getbody: (_c, s) => {
        const r = self(s, HttpRequestValue);
        return r.bodyBlob ? fromUtf8(r.bodyBlob) : r.body;
      },
      setbodyasblob: (_c, s, [v]) => {
        const r = self(s, HttpRequestValue);
        r.bodyBlob = v instanceof ApexBlob ? v : null;
        r.body = null;
        return null;
      },
      getbodyasblob: (_c, s) => {
        const r = self(s, HttpRequestValue);
        return r.bodyBlob ?? (r.body === null ? null : utf8(r.body));
      },
      setheader: (_c, s, [k, v]) => {
        if (k === null) throw nullPointer();
        self(s, HttpRequestValue).headers.set(String(k), text(v) ?? '');
        return null;
      },
      getheader: (_c, s, [k]) =>
        k === null ? null : self(s, HttpRequestValue).headers.get(String(k)),
      settimeout: (_c, s, [v]) => {
        self(s, HttpRequestValue).timeout = v as number | null;
        return null;
      },
      setcompressed: (_c, s, [v]) => {
        self(s, HttpRequestValue).compressed = v === true;
        return null;
      },
      getcompressed: (_c, s) => self(s, HttpRequestValue).compressed,
      tostring: (_c, s) => {
        const r = self(s, HttpRequestValue);
        return `System.HttpRequest[Endpoint=${r.endpoint}, Method=${r.method}]`;
      },
    },
  });

  registerNative({
    name: 'System.HttpResponse',
    construct: () => new HttpResponseValue(),
    methods: {
      setstatuscode: (_c, s, [v]) => {
        self(s, HttpResponseValue).statusCode = v as number | null;
        return null;
      },
      getstatuscode: (_c, s) => self(s, HttpResponseValue).statusCode,
      setstatus: (_c, s, [v]) => {
        self(s, HttpResponseValue).status = text(v);
        return null;
      },
      getstatus: (_c, s) => self(s, HttpResponseValue).status,
      setbody: (_c, s, [v]) => {
        const r = self(s, HttpResponseValue);
        r.body = text(v);
        r.bodyBlob = null;
        return null;
      },
      getbody: (_c, s) => {
        const r = self(s, HttpResponseValue);
        return r.bodyBlob ? fromUtf8(r.bodyBlob) : r.body;
      },
      setbodyasblob: (_c, s, [v]) => {
        const r = self(s, HttpResponseValue);
        r.bodyBlob = v instanceof ApexBlob ? v : null;
        r.body = null;
        return null;
      },
      getbodyasblob: (_c, s) => {
        const r = self(s, HttpResponseValue);
        return r.bodyBlob ?? (r.body === null ? null : utf8(r.body));
      },
      setheader: (_c, s, [k, v]) => {
        if (k === null) throw nullPointer();
        self(s, HttpResponseValue).headers.set(String(k), text(v) ?? '');
        return null;
      },
      getheader: (_c, s, [k]) =>
        k === null ? null : self(s, HttpResponseValue).headers.get(String(k)),
      getheaderkeys: (_c, s) =>
        new ApexList(STRING_TYPE, self(s, HttpResponseValue).headers.keys()),
      tostring: (_c, s) => {
        const r = self(s, HttpResponseValue);
        return `System.HttpResponse[Status=${r.status}, StatusCode=${r.statusCode}]`;
      },
    },
  });

  // The mock interface a test class implements: respond(HttpRequest) → HttpResponse.
  registerNative({ name: 'System.HttpCalloutMock' });
}
