#!/usr/bin/env node
// `npm start`: builds the local preview of the Analytics Health dashboard and serves it.
//
//   node scripts/tooling/preview/server.js [--port <n>] [--no-build]
//
// --port 0 picks a free port (the browser test uses it); the default is $PORT or 3000.
// No org is needed: the engine runs in the page on the bundled demo snapshots.
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OUT_DIR, buildPreview } from './build.js';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Serves files under `dir`; anything outside it, or missing, is a 404. */
export function startServer({ dir = OUT_DIR, port = 0, host = '127.0.0.1' } = {}) {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(dir, relative);
    if (
      !file.startsWith(path.resolve(dir) + path.sep) ||
      !existsSync(file) ||
      !statSync(file).isFile()
    ) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('Not found');
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({
        server,
        url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${address.port}/`,
      });
    });
  });
}

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : process.argv[index + 1];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(option('--port', process.env.PORT ?? 3000));
  try {
    if (!process.argv.includes('--no-build')) await buildPreview();
    const { url } = await startServer({ port });
    console.log(`Analytics Health preview: ${url}`);
    console.log(
      'Demo snapshots: pick one in the page, or open ?snapshot=demo-healthy-org. Ctrl+C stops.',
    );
  } catch (error) {
    console.error(`✖ preview: ${error.message}`);
    process.exit(1);
  }
}
