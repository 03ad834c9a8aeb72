/**
 * Test doubles on 127.0.0.1 for the network rules: a small http proxy (CONNECT
 * tunnels for https, absolute-form requests for http) that records what it was
 * asked, or refuses everything; a server that records whatever reaches it (the
 * "foreign host"); and the self-signed certificate the fake org serves https with.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const FIXTURES = path.join(__dirname, 'fixtures');
export const TLS = {
  key: readFileSync(path.join(FIXTURES, 'localhost.key.pem'), 'utf8'),
  cert: readFileSync(path.join(FIXTURES, 'localhost.cert.pem'), 'utf8'),
};

export interface Seen {
  method: string;
  target: string;
  proxyAuthorization?: string;
  authorization?: string;
}

export interface LocalServer {
  url: string;
  port: number;
  seen: Seen[];
  close: () => Promise<void>;
}

async function listen(server: http.Server, seen: Seen[]): Promise<LocalServer> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A proxy that tunnels to 127.0.0.1 only; `refuse` answers every request with 403. */
export async function startProxy(options: { refuse?: boolean } = {}): Promise<LocalServer> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({
      method: req.method ?? '',
      target: req.url ?? '',
      proxyAuthorization: req.headers['proxy-authorization'],
      authorization: req.headers.authorization,
    });
    const target = new URL(req.url ?? '');
    if (options.refuse || target.hostname !== '127.0.0.1') {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden by policy');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: target.port,
        method: req.method,
        path: target.pathname + target.search,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push({
      method: 'CONNECT',
      target: req.url ?? '',
      proxyAuthorization: req.headers['proxy-authorization'],
    });
    const [host, port] = (req.url ?? '').split(':');
    if (options.refuse || host !== '127.0.0.1') {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });
  return listen(server, seen);
}

/** A server that records every request and answers like an org would, to tempt a follow-up. */
export async function startRecorder(): Promise<LocalServer> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({
      method: req.method ?? '',
      target: req.url ?? '',
      authorization: req.headers.authorization,
    });
    res
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ done: true, records: [], dataflows: [] }));
  });
  return listen(server, seen);
}

/** A server that answers every request with 403, as an org that forbids the API would. */
export async function startForbidding(): Promise<LocalServer> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', target: req.url ?? '' });
    res
      .writeHead(403, { 'Content-Type': 'application/json' })
      .end(JSON.stringify([{ errorCode: 'FORBIDDEN', message: 'API access is not enabled' }]));
  });
  return listen(server, seen);
}

/** A loopback URL nothing listens on: every connection is refused. */
export async function refusedUrl(): Promise<string> {
  const server = await listen(http.createServer(), []);
  await server.close();
  return server.url;
}
