/**
 * The HTTP seam of the live collectors: a `fetch`-like function that takes a
 * request and resolves to status, headers and body text. The CLI uses Node's
 * http/https; tests pass a local server's URL or a function of their own.
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/** The request took longer than its timeout. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export const nodeTransport: Transport = (request) =>
  new Promise((resolve, reject) => {
    const url = new URL(request.url);
    const client = url.protocol === 'http:' ? http : https;
    const outgoing = client.request(
      url,
      { method: request.method, headers: request.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers[name.toLowerCase()] = String(value);
          }
          resolve({
            status: response.statusCode ?? 0,
            headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', reject);
      },
    );
    outgoing.setTimeout(request.timeoutMs, () => {
      outgoing.destroy(new TimeoutError(`no answer within ${request.timeoutMs} ms`));
    });
    outgoing.on('error', reject);
    if (request.body !== undefined) outgoing.write(request.body);
    outgoing.end();
  });
