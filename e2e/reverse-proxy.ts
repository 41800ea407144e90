// A reverse proxy in front of our server, as README's "Deploying" sets one up with nginx: it
// passes `/async-playground/...` to the server with that prefix stripped and the server's
// headers passed through, and nothing else.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The sub-path the proxy serves the playground under. */
export const PROXY_PREFIX = '/async-playground/';

export interface ReverseProxy {
  /** The playground's address through the proxy, e.g. `http://127.0.0.1:41234/async-playground/`. */
  baseURL: string;
  close(): Promise<void>;
}

/** Starts the proxy on 127.0.0.1 (a free port) in front of the server at `upstream`. */
export async function startReverseProxy(upstream: string): Promise<ReverseProxy> {
  const target = new URL(upstream);
  const server = http.createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === PROXY_PREFIX.slice(0, -1) || path.startsWith(`${PROXY_PREFIX.slice(0, -1)}?`)) {
      response.writeHead(301, { Location: PROXY_PREFIX + path.slice(PROXY_PREFIX.length - 1) });
      response.end();
      return;
    }
    if (!path.startsWith(PROXY_PREFIX)) {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('Not found.\n');
      return;
    }
    const forwarded = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        method: request.method,
        path: `/${path.slice(PROXY_PREFIX.length)}`,
        headers: { ...request.headers, host: target.host },
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => {
      if (!response.headersSent) response.writeHead(502, { 'Content-Type': 'text/plain' });
      response.end('Bad gateway.\n');
    });
    // A request the page aborts is aborted upstream too.
    response.on('close', () => forwarded.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}${PROXY_PREFIX}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
