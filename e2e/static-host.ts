// A plain static host, as a course site's CDN or GitHub Pages would be: it serves the built
// `dist/` at a nested sub-path (`/courses/async/playground/`) with the right content types and
// nothing else. It serves the build's files as they are and has no routes of its own, so
// `api/health` is the build's static file that says no server of ours is here, `api/delay` is
// 404, and the page must fall back to its service worker for `api/delay`.
//
//   import { expect, test } from '../static-host';
//   test('...', async ({ page, staticHost }) => {
//     await page.goto(`${staticHost.baseURL}?lab=http`);
//   });
//
// The build served is DIST_DIR (`cargo xtask test` sets it to the folder its server serves),
// by default `../dist` from this folder. The host listens on 127.0.0.1 on a free port, one per
// Playwright worker; every response is `Cache-Control: no-cache`, so a test sees the build on
// disk now. `test` is the suite's own (./fixtures), so console errors still fail a test.
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base } from './fixtures';

export { expect } from './fixtures';

export interface StaticHost {
  /** The page's address, e.g. `http://127.0.0.1:41234/courses/async/playground/`. */
  baseURL: string;
}

/** The sub-path the build is served under, to prove the page uses relative URLs only. */
export const STATIC_HOST_PREFIX = '/courses/async/playground/';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** The build folder: DIST_DIR (relative to the current directory) or `../dist` from here. */
export function distDir(): string {
  const fromEnv = process.env.DIST_DIR;
  return fromEnv
    ? path.resolve(fromEnv)
    : fileURLToPath(new URL('../dist/', import.meta.url));
}

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

type Outcome =
  | { kind: 'file'; file: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'status'; status: number };

/**
 * What a request path is on this host: a file of `root`, a redirect (a folder without its
 * trailing slash) or an error status. Anything that would leave `root` is 404.
 */
async function resolve(root: string, rawPath: string, search: string): Promise<Outcome> {
  if (!rawPath.startsWith(STATIC_HOST_PREFIX)) {
    return rawPath === STATIC_HOST_PREFIX.slice(0, -1)
      ? { kind: 'redirect', location: `${STATIC_HOST_PREFIX}${search}` }
      : { kind: 'status', status: 404 };
  }
  let relative: string;
  try {
    relative = decodeURIComponent(rawPath.slice(STATIC_HOST_PREFIX.length));
  } catch {
    return { kind: 'status', status: 400 };
  }
  const segments = relative.split('/');
  if (
    relative.includes('\0') ||
    relative.includes('\\') ||
    relative.startsWith('/') ||
    segments.some((segment) => segment === '..' || segment === '.')
  ) {
    return { kind: 'status', status: 404 };
  }
  let file = path.join(root, ...segments);
  let stat;
  try {
    // The real path, so a symbolic link cannot lead out of the build either.
    file = await fs.realpath(file);
    stat = await fs.stat(file);
  } catch {
    return { kind: 'status', status: 404 };
  }
  if (file !== root && !file.startsWith(root + path.sep)) return { kind: 'status', status: 404 };
  if (stat.isDirectory()) {
    if (relative !== '' && !relative.endsWith('/')) {
      return { kind: 'redirect', location: `${rawPath}/${search}` };
    }
    file = path.join(file, 'index.html');
    try {
      if (!(await fs.stat(file)).isFile()) return { kind: 'status', status: 404 };
    } catch {
      return { kind: 'status', status: 404 };
    }
  } else if (!stat.isFile()) {
    return { kind: 'status', status: 404 };
  }
  return { kind: 'file', file };
}

async function handle(root: string, request: http.IncomingMessage, response: http.ServerResponse) {
  response.setHeader('Cache-Control', 'no-cache');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('Method not allowed.\n');
    return;
  }
  // The query (`?lab=...`) is the page's business: it only goes along with a redirect.
  const target = (request.url ?? '/').split('#')[0];
  const queryAt = target.indexOf('?');
  const rawPath = queryAt < 0 ? target : target.slice(0, queryAt);
  const search = queryAt < 0 ? '' : target.slice(queryAt);
  const outcome = await resolve(root, rawPath, search);
  if (outcome.kind === 'redirect') {
    response.writeHead(301, { Location: outcome.location });
    response.end();
    return;
  }
  if (outcome.kind === 'status') {
    response.writeHead(outcome.status, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(outcome.status === 404 ? 'Not found.\n' : 'Bad request.\n');
    return;
  }
  const body = await fs.readFile(outcome.file);
  response.writeHead(200, {
    'Content-Type': contentType(outcome.file),
    'Content-Length': body.length,
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** Starts the host on 127.0.0.1 (a free port) serving `dist`; `close` stops it. */
export async function startStaticHost(
  dist: string = distDir(),
): Promise<StaticHost & { close(): Promise<void> }> {
  let root: string;
  try {
    root = await fs.realpath(dist);
    await fs.access(path.join(root, 'index.html'));
  } catch {
    throw new Error(
      `no build at ${dist} (index.html is missing): build the page first, or set DIST_DIR ` +
        'to the folder that holds index.html',
    );
  }
  const server = http.createServer((request, response) => {
    handle(root, request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end(`Internal error: ${String(error)}\n`);
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}${STATIC_HOST_PREFIX}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export const test = base.extend<{}, { staticHost: StaticHost }>({
  staticHost: [
    async ({}, use) => {
      const host = await startStaticHost();
      try {
        await use({ baseURL: host.baseURL });
      } finally {
        await host.close();
      }
    },
    { scope: 'worker' },
  ],
});
