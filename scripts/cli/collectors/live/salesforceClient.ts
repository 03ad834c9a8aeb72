/**
 * A small Salesforce API client over an injectable transport: bounded
 * concurrency, retries with backoff on 429 (honouring Retry-After), 5xx,
 * timeouts and dropped connections, one token refresh on 401, SOQL with
 * queryMore, composite batches and CRM Analytics paging. It counts every HTTP
 * request it sends, retries included, so a run can report what it cost.
 */
/* eslint-disable no-await-in-loop -- retries and result pages are sequential by nature */
import { ProxyError, TimeoutError, type HttpResponse, type Transport } from './http';

export interface ClientOptions {
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
  transport: Transport;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Retries after the first attempt. */
  maxRetries?: number;
  timeoutMs?: number;
  /** First backoff; doubles on each retry. */
  backoffMs?: number;
  /** Longest Retry-After the client waits; a longer one fails the request. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called once on 401; resolves to a fresh access token. */
  refreshToken?: () => Promise<string>;
}

/** An API call that failed for good: its status (0 = no answer) and Salesforce's message. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly path: string;
  constructor(path: string, status: number, message: string) {
    super(`${status === 0 ? '' : `HTTP ${status} `}${message} (${path})`.trim());
    this.status = status;
    this.path = path;
  }
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const MAX_PAGES = 50;
export const BATCH_LIMIT = 25;

type Json = Record<string, unknown>;

function salesforceMessage(body: string): string {
  const fault = /<faultstring>([^<]*)<\/faultstring>/.exec(body);
  if (fault) return fault[1];
  try {
    const parsed = JSON.parse(body) as unknown;
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    if (first && typeof first === 'object') {
      const { errorCode, message } = first as Json;
      if (typeof message === 'string') {
        return typeof errorCode === 'string' ? `${errorCode}: ${message}` : message;
      }
    }
  } catch {
    // Not JSON (an HTML error page, a SOAP fault): fall through to the raw text.
  }
  return body.replace(/\s+/g, ' ').trim().slice(0, 200) || 'no message';
}

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** How an error message names where a URL points: host and port, or the scheme when there is no host. */
function hostOf(url: URL): string {
  return url.host
    ? `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`
    : url.protocol;
}

export class SalesforceClient {
  readonly instanceUrl: string;
  /** Scheme, host and port of the instance: the only place requests (and the token) go. */
  private readonly origin: URL;
  readonly apiVersion: string;
  private accessToken: string;
  private readonly options: Required<Omit<ClientOptions, 'refreshToken'>> &
    Pick<ClientOptions, 'refreshToken'>;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private sent = 0;

  constructor(options: ClientOptions) {
    this.instanceUrl = options.instanceUrl.replace(/\/+$/, '');
    this.origin = new URL(this.instanceUrl);
    this.apiVersion = options.apiVersion;
    this.accessToken = options.accessToken;
    this.options = {
      concurrency: 4,
      maxRetries: 3,
      timeoutMs: 60_000,
      backoffMs: 500,
      maxRetryAfterMs: 60_000,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...options,
    };
  }

  /** HTTP requests sent so far, retries included. */
  get requestCount(): number {
    return this.sent;
  }

  get dataPath(): string {
    return `/services/data/v${this.apiVersion}`;
  }

  private async acquire(): Promise<void> {
    if (this.inFlight < this.options.concurrency) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }

  /** Sends one request with retries; resolves to a 2xx response or throws ApiError. */
  async send(
    method: 'GET' | 'POST',
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse> {
    const url = this.resolve(path);
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      await this.acquire();
      let response: HttpResponse | undefined;
      let failure: Error | undefined;
      try {
        this.sent++;
        response = await this.options.transport({
          method,
          url,
          headers: {
            Authorization: `Bearer ${this.accessToken}`,
            Accept: 'application/json',
            ...headers,
          },
          ...(body === undefined ? {} : { body }),
          timeoutMs: this.options.timeoutMs,
        });
      } catch (error) {
        failure = error as Error;
      } finally {
        this.release();
      }
      const retriesLeft = attempt < this.options.maxRetries;
      if (failure instanceof ProxyError) throw new ApiError(path, 0, failure.message);
      if (failure) {
        const why = failure instanceof TimeoutError ? 'timed out' : `failed: ${failure.message}`;
        if (!retriesLeft)
          throw new ApiError(path, 0, `request ${why} after ${attempt + 1} attempt(s)`);
        await this.options.sleep(this.options.backoffMs * 2 ** attempt);
        continue;
      }
      const answer = response as HttpResponse;
      if (answer.status >= 200 && answer.status < 300) return answer;
      if (answer.status === 401 && !refreshed && this.options.refreshToken) {
        refreshed = true;
        this.accessToken = await this.options.refreshToken();
        attempt--; // a refreshed token is a fresh start, not a retry
        continue;
      }
      // A SOAP fault comes back as HTTP 500 but is an answer, not a transient failure.
      const isFault = answer.status === 500 && /<(\w+:)?Fault>/.test(answer.body);
      if (RETRY_STATUSES.has(answer.status) && retriesLeft && !isFault) {
        const wait = retryAfterMs(answer.headers['retry-after']);
        if (wait !== null && wait > this.options.maxRetryAfterMs) {
          throw new ApiError(
            path,
            answer.status,
            `asked to retry after ${Math.round(wait / 1000)} s`,
          );
        }
        await this.options.sleep(wait ?? this.options.backoffMs * 2 ** attempt);
        continue;
      }
      throw new ApiError(path, answer.status, salesforceMessage(answer.body));
    }
  }

  /**
   * A path or URL the org handed back (`nextRecordsUrl`, `nextPageUrl`) as an absolute URL
   * on the instance. A URL to any other scheme, host or port is refused before anything is
   * sent: the requests carry the org's access token.
   */
  resolve(path: string): string {
    const url = new URL(path, `${this.instanceUrl}/`);
    if (url.origin !== this.origin.origin) {
      throw new ApiError(
        path,
        0,
        `refused to send the org's token to ${hostOf(url)}: requests go only to the instance ${hostOf(this.origin)}`,
      );
    }
    return url.href;
  }

  async getJson(path: string): Promise<Json> {
    return this.parse(path, await this.send('GET', path));
  }

  async postJson(path: string, payload: unknown): Promise<Json> {
    const response = await this.send('POST', path, JSON.stringify(payload), {
      'Content-Type': 'application/json',
    });
    return this.parse(path, response);
  }

  private parse(path: string, response: HttpResponse): Json {
    try {
      const value = JSON.parse(response.body) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Json;
    } catch {
      // reported below
    }
    throw new ApiError(path, response.status, 'malformed response body (expected a JSON object)');
  }

  /** Every record of a SOQL query, following `nextRecordsUrl` (queryMore). */
  async query<T = Json>(soql: string, options: { tooling?: boolean } = {}): Promise<T[]> {
    const base = `${this.dataPath}${options.tooling ? '/tooling' : ''}/query`;
    const path = `${base}?q=${encodeURIComponent(soql)}`;
    return this.remainingRecords<T>(await this.getJson(path), path);
  }

  /**
   * GETs up to 25 REST resources per HTTP request (`/composite/batch`). Each entry is
   * the resource's JSON or an ApiError for that resource alone. A subrequest that
   * failed in a way worth retrying (429, 5xx) is fetched again on its own, with the
   * usual backoff. Query results are first pages: pass them to `remainingRecords`.
   */
  async batchGet(paths: string[]): Promise<(Json | ApiError)[]> {
    const chunks: string[][] = [];
    for (let start = 0; start < paths.length; start += BATCH_LIMIT) {
      chunks.push(paths.slice(start, start + BATCH_LIMIT));
    }
    const answers = await Promise.all(chunks.map((chunk) => this.batchChunk(chunk)));
    return answers.flat();
  }

  private async batchChunk(chunk: string[]): Promise<(Json | ApiError)[]> {
    const batchPath = `${this.dataPath}/composite/batch`;
    const answer = await this.postJson(batchPath, {
      haltOnError: false,
      batchRequests: chunk.map((path) => ({
        method: 'GET',
        url: path.startsWith(this.dataPath)
          ? `v${this.apiVersion}${path.slice(this.dataPath.length)}`
          : path,
      })),
    });
    const items = answer.results;
    if (!Array.isArray(items) || items.length !== chunk.length) {
      throw new ApiError(batchPath, 200, 'malformed batch result');
    }
    return Promise.all(
      items.map(async (item: unknown, index): Promise<Json | ApiError> => {
        const { statusCode, result } = (item ?? {}) as Json;
        const status = Number(statusCode) || 0;
        if (status >= 200 && status < 300) {
          return result && typeof result === 'object' && !Array.isArray(result)
            ? (result as Json)
            : new ApiError(
                chunk[index],
                status,
                'malformed response body (expected a JSON object)',
              );
        }
        if (RETRY_STATUSES.has(status)) {
          try {
            return await this.getJson(chunk[index]);
          } catch (error) {
            return error instanceof ApiError ? error : new ApiError(chunk[index], 0, String(error));
          }
        }
        return new ApiError(chunk[index], status, salesforceMessage(JSON.stringify(result ?? '')));
      }),
    );
  }

  /** The records of a query's first page and of every page after it (queryMore). */
  async remainingRecords<T = Json>(firstPage: Json, path = 'query'): Promise<T[]> {
    const records: T[] = [];
    let page: Json = firstPage;
    for (let count = 0; ; count++) {
      if (count >= MAX_PAGES * 10) throw new ApiError(path, 0, 'too many result pages');
      if (!Array.isArray(page.records)) {
        throw new ApiError(path, 200, 'malformed query result (no records array)');
      }
      records.push(...(page.records as T[]));
      if (page.done !== false || typeof page.nextRecordsUrl !== 'string') return records;
      page = await this.getJson(page.nextRecordsUrl);
    }
  }

  /** The REST path of a SOQL query, for `batchGet`. */
  queryPath(soql: string): string {
    return `${this.dataPath}/query?q=${encodeURIComponent(soql)}`;
  }

  /** Every item of a CRM Analytics list resource, following `nextPageUrl`. */
  async wavePages(path: string, key: string): Promise<Json[]> {
    const items: Json[] = [];
    let next: string | null = path;
    for (let page = 0; next !== null; page++) {
      if (page >= MAX_PAGES) throw new ApiError(path, 0, 'too many result pages');
      const result: Json = await this.getJson(next);
      const list = result[key];
      if (!Array.isArray(list)) throw new ApiError(next, 200, `malformed list (no "${key}" array)`);
      items.push(...(list as Json[]));
      next =
        typeof result.nextPageUrl === 'string' && result.nextPageUrl !== ''
          ? result.nextPageUrl
          : null;
    }
    return items;
  }

  /** A SOAP call (Metadata API); resolves to the response XML. */
  async soap(path: string, envelope: string): Promise<string> {
    const response = await this.send('POST', path, envelope, {
      'Content-Type': 'text/xml; charset=UTF-8',
      SOAPAction: '""',
      Accept: 'text/xml',
    });
    return response.body;
  }

  /** The session id for SOAP headers (the same token). */
  get sessionId(): string {
    return this.accessToken;
  }
}
