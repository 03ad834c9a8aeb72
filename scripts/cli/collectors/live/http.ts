/**
 * The HTTP seam of the live collectors: a `fetch`-like function that takes a
 * request and resolves to status, headers and body text. The CLI uses Node's
 * http/https (through the proxy the environment names, as curl reads it); tests
 * pass a local server's URL or a function of their own.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

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

/** The proxy refused to carry the request, or the proxy setting is unusable: retrying will not help. */
export class ProxyError extends Error {
  override name = 'ProxyError';
}

type Env = Record<string, string | undefined>;

export interface NodeTransportOptions {
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read; process.env (at each request) by default. */
  env?: Env;
  /** Extra certificates to trust (tests only: a local server's self-signed certificate). */
  ca?: string | Buffer;
}

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

const portOf = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

function envValue(env: Env, name: string): string | undefined {
  // The lower-case form wins, as in curl.
  return env[name.toLowerCase()] ?? env[name.toUpperCase()];
}

/** One NO_PROXY entry matches: `*`, a host or domain (leading dot optional), an IP or CIDR, with an optional port. */
function noProxyMatches(entry: string, host: string, port: number): boolean {
  if (entry === '*') return true;
  let name = entry;
  let entryPort: number | null = null;
  const withPort = /^\[([^\]]+)\](?::(\d+))?$/.exec(name) ?? /^([^:]+):(\d+)$/.exec(name);
  if (withPort) {
    name = withPort[1];
    entryPort = withPort[2] === undefined ? null : Number(withPort[2]);
  }
  if (entryPort !== null && entryPort !== port) return false;
  name = name.toLowerCase().replace(/^\./, '').replace(/\.$/, '');
  const cidr = /^(.+)\/(\d{1,3})$/.exec(name);
  if (cidr && net.isIP(cidr[1]) && net.isIP(host)) {
    const type = net.isIPv4(cidr[1]) ? 'ipv4' : 'ipv6';
    if (type !== (net.isIPv4(host) ? 'ipv4' : 'ipv6')) return false;
    const block = new net.BlockList();
    try {
      block.addSubnet(cidr[1], Number(cidr[2]), type);
    } catch {
      return false; // a prefix longer than the address: not an entry curl would match either
    }
    return block.check(host, type);
  }
  if (net.isIP(name) || net.isIP(host)) return name === host;
  return host === name || host.endsWith(`.${name}`);
}

/** Whether NO_PROXY (curl's rules) sends this host and port direct. */
export function bypassesProxy(
  noProxy: string | undefined,
  hostname: string,
  port: number,
): boolean {
  if (!noProxy) return false;
  const host = bare(hostname).replace(/\.$/, '');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => noProxyMatches(entry, host, port));
}

/** The proxy for a URL: HTTPS_PROXY for https, HTTP_PROXY for http, unless NO_PROXY names the host. */
export function proxyFor(target: URL, env: Env = process.env): URL | null {
  const variable = target.protocol === 'https:' ? 'https_proxy' : 'http_proxy';
  const value = envValue(env, variable)?.trim();
  if (!value) return null;
  if (bypassesProxy(envValue(env, 'no_proxy'), target.hostname, portOf(target))) return null;
  let proxy: URL;
  try {
    // curl reads a proxy without a scheme as http://.
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new ProxyError(`${variable.toUpperCase()} is not a URL: ${value}`);
  }
  if (proxy.protocol !== 'http:') {
    throw new ProxyError(
      `${variable.toUpperCase()} uses ${proxy.protocol.slice(0, -1)}; only http:// proxies are supported`,
    );
  }
  return proxy;
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username && !proxy.password) return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'Proxy-Authorization': `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/** The proxy as an error message names it: host and port, never its credentials. */
const proxyName = (proxy: URL) => `proxy ${proxy.hostname}:${portOf(proxy)}`;

function readResponse(
  outgoing: http.ClientRequest,
  resolve: (response: HttpResponse) => void,
  reject: (error: Error) => void,
): void {
  outgoing.on('response', (response) => {
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
  });
}

function send(
  request: HttpRequest,
  outgoing: http.ClientRequest,
  resolve: (response: HttpResponse) => void,
  reject: (error: Error) => void,
): void {
  readResponse(outgoing, resolve, reject);
  outgoing.setTimeout(request.timeoutMs, () => {
    outgoing.destroy(new TimeoutError(`no answer within ${request.timeoutMs} ms`));
  });
  outgoing.on('error', reject);
  if (request.body !== undefined) outgoing.write(request.body);
  outgoing.end();
}

/** An https request through an http proxy: CONNECT, then TLS to the target inside the tunnel. */
function tunnel(
  request: HttpRequest,
  url: URL,
  proxy: URL,
  ca: NodeTransportOptions['ca'],
  resolve: (response: HttpResponse) => void,
  reject: (error: Error) => void,
): void {
  const host = bare(url.hostname);
  const authority = `${net.isIPv6(host) ? `[${host}]` : host}:${portOf(url)}`;
  const connect = http.request({
    host: bare(proxy.hostname),
    port: portOf(proxy),
    method: 'CONNECT',
    path: authority,
    headers: { Host: authority, ...proxyAuthorization(proxy) },
  });
  connect.setTimeout(request.timeoutMs, () => {
    connect.destroy(
      new TimeoutError(`no answer from ${proxyName(proxy)} within ${request.timeoutMs} ms`),
    );
  });
  connect.on('error', (error) => {
    reject(
      error instanceof TimeoutError ? error : new Error(`${proxyName(proxy)}: ${error.message}`),
    );
  });
  connect.on('response', (response) => {
    // A proxy that answers CONNECT with a response instead of a tunnel refused it.
    response.resume();
    connect.destroy();
    reject(
      new ProxyError(
        `${proxyName(proxy)} refused the tunnel to ${authority}: HTTP ${response.statusCode} ${response.statusMessage ?? ''}`.trim(),
      ),
    );
  });
  connect.on('connect', (response, socket) => {
    if (response.statusCode !== 200) {
      socket.destroy();
      reject(
        new ProxyError(
          `${proxyName(proxy)} refused the tunnel to ${authority}: HTTP ${response.statusCode} ${response.statusMessage ?? ''}`.trim(),
        ),
      );
      return;
    }
    const secure = tls.connect({
      socket,
      host,
      // RFC 6066: no IP addresses as server name; the certificate is still checked against the host.
      ...(net.isIP(host) ? {} : { servername: host }),
      ...(ca === undefined ? {} : { ca }),
    });
    const outgoing = https.request(url, {
      method: request.method,
      headers: request.headers,
      createConnection: () => secure,
    });
    send(request, outgoing, resolve, reject);
  });
  connect.end();
}

/** Node's http/https with the environment's proxy settings; `ca` adds trust (tests). */
export function createNodeTransport(options: NodeTransportOptions = {}): Transport {
  return (request) =>
    new Promise((resolve, reject) => {
      const url = new URL(request.url);
      let proxy: URL | null;
      try {
        proxy = proxyFor(url, options.env ?? process.env);
      } catch (error) {
        reject(error as Error);
        return;
      }
      const extra = options.ca === undefined ? {} : { ca: options.ca };
      if (proxy && url.protocol === 'https:') {
        tunnel(request, url, proxy, options.ca, resolve, reject);
        return;
      }
      if (proxy) {
        // Plain http through the proxy: the absolute URL as the request target.
        const outgoing = http.request({
          host: bare(proxy.hostname),
          port: portOf(proxy),
          method: request.method,
          path: url.href,
          headers: { ...request.headers, Host: url.host, ...proxyAuthorization(proxy) },
        });
        send(request, outgoing, resolve, reject);
        return;
      }
      const client = url.protocol === 'http:' ? http : https;
      const outgoing = client.request(url, {
        method: request.method,
        headers: request.headers,
        ...extra,
      });
      send(request, outgoing, resolve, reject);
    });
}

/** The CLI's transport: proxy settings read from process.env at each request. */
export const nodeTransport: Transport = createNodeTransport();
