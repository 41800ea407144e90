// A stand-in for a course site that embeds the playground: a tiny HTTP server on another origin
// serving a lesson page with the playground in an iframe, and a second, unrelated widget frame.
// The lesson page records every message it receives in `window.__messages`. The site also
// serves the project's `examples/` folder as it is, under `/examples/`, so the example course
// page is tested from another origin exactly as a course author would host it.
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page, TestInfo } from '@playwright/test';
import { contentType } from './static-host';

/** The course pages the recipes build (`target/recipes/`, from `e2e/recipes/`), if built. */
const RECIPES_DIR = process.env.RECIPES_DIR ?? '';
/** The address the recipes frame the lab from, turned into the playground's as they are served. */
const RECIPE_PLACEHOLDER = 'http://playground.invalid/';

/** The project's `examples/` folder. */
const EXAMPLES_DIR = fileURLToPath(new URL('../examples/', import.meta.url));

export interface CourseSite {
  /** e.g. `http://localhost:41234` */
  origin: string;
  /** The lesson page embedding the playground opened with `playgroundQuery`. */
  lessonUrl(playgroundQuery: string): string;
  /** A page of the `kind` of host (`HOSTS`) framing the playground opened with `playgroundQuery`. */
  hostUrl(kind: string, playgroundQuery: string): string;
  /** A lesson page posting its results to the site's stand-in LRS with `examples/xapi.js`. */
  xapiLessonUrl(playgroundQuery: string): string;
  /** The statements the stand-in LRS has received, in order. */
  lrsRecords(): LrsRecord[];
  /** A page of a built recipe (`sphinx/`, `mkdocs/`), or null where none were built. */
  recipeUrl(recipe: string): string | null;
  /** `examples/<file>` on this site, given the playground's address as `?playground=`. */
  exampleUrl(file: string): string;
  close(): Promise<void>;
}

declare global {
  interface Window {
    /** Every `message` event's data the lesson page received, in order. */
    __messages: unknown[];
    /** The origin of each of those messages. */
    __messageOrigins: string[];
    /** On a host of H5P's protocol: the actions it received, as `in:<action>`. */
    __h5p: string[];
  }
}

/** The playground's result messages the lesson page open in `page` received, in order. */
export async function resultMessages<Message = unknown>(page: Page): Promise<Message[]> {
  const messages = await page.evaluate(() =>
    window.__messages.filter(
      (data) =>
        typeof data === 'object' &&
        data !== null &&
        (data as { type?: unknown }).type === 'async-playground:result',
    ),
  );
  return messages as Message[];
}

const escapeAttribute = (value: string) =>
  value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

function lessonPage(playgroundUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Lesson 1: hello, await</title></head>
<body>
<h1>Lesson 1: hello, await</h1>
<script>
  window.__messages = [];
  window.__messageOrigins = [];
  window.addEventListener('message', (event) => {
    window.__messages.push(event.data);
    window.__messageOrigins.push(event.origin);
  });
</script>
<iframe id="playground" name="playground" src="${escapeAttribute(playgroundUrl)}"
        title="Async Playground" width="720" height="400" style="border:0"></iframe>
<iframe id="other-widget" name="other-widget" src="/other-widget"
        title="Another widget" width="240" height="80"></iframe>
</body>
</html>`;
}

/**
 * The hosts of other resize protocols, each written from that protocol's description and
 * listening for nothing else: they size `#playground` from the framed page's messages.
 * - `h5p`: H5P's resizer as it is today (`h5p-resizer.js`): answers `hello`, shrinks the frame
 *   to 1 px on `prepareResize` and answers `resizePrepared`, sets the height from `resize`'s
 *   `height`; its window's resize is passed on as `resize`.
 * - `h5p-old`: older resizers: on `prepareResize` only when the heights differ, shrinks to
 *   `clientHeight`; sets the height from `resize`'s `scrollHeight`.
 * - `lti-text`: `JSON.parse` of a string, `subject: "lti.frameResize"`.
 * - `embedly`: `JSON.parse` of a string, `context: "iframe.resize"`, the frame found by `src`.
 * Every message the host receives is kept in `window.__messages`, and H5P's actions, in and
 * out, in `window.__h5p`.
 */
const HOSTS: Record<string, string> = {
  h5p: `
  const respond = (event, action) =>
    event.source.postMessage({ context: 'h5p', action }, event.origin);
  window.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || data.context !== 'h5p' || frame.contentWindow !== event.source) return;
    window.__h5p.push('in:' + data.action);
    if (data.action === 'hello') {
      window.addEventListener('resize', () => respond(event, 'resize'));
      respond(event, 'hello');
    } else if (data.action === 'prepareResize') {
      frame.style.height = '1px';
      respond(event, 'resizePrepared');
    } else if (data.action === 'resize') {
      frame.style.height = data.height + 'px';
    }
  });`,
  'h5p-old': `
  const respond = (event, action) =>
    event.source.postMessage({ context: 'h5p', action }, event.origin);
  window.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || data.context !== 'h5p' || frame.contentWindow !== event.source) return;
    window.__h5p.push('in:' + data.action);
    if (data.action === 'hello') {
      respond(event, 'hello');
    } else if (data.action === 'prepareResize') {
      if (frame.clientHeight !== data.scrollHeight || data.scrollHeight !== data.clientHeight) {
        frame.style.height = data.clientHeight + 'px';
        respond(event, 'resizePrepared');
      }
    } else if (data.action === 'resize') {
      frame.style.height = data.scrollHeight + 'px';
    }
  });`,
  'lti-text': `
  window.addEventListener('message', (event) => {
    if (typeof event.data !== 'string' || frame.contentWindow !== event.source) return;
    let data;
    try { data = JSON.parse(event.data); } catch { return; }
    if (data.subject === 'lti.frameResize') frame.style.height = data.height + 'px';
  });`,
  embedly: `
  window.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return;
    let data;
    try { data = JSON.parse(event.data); } catch { return; }
    if (data.context !== 'iframe.resize') return;
    const found = [...document.querySelectorAll('iframe')].find((f) => f.src === data.src);
    if (found) found.style.height = data.height + 'px';
  });`,
};

function hostPage(kind: string, playgroundUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A ${kind} host</title></head>
<body>
<h1>A ${kind} host</h1>
<iframe id="playground" src="${escapeAttribute(playgroundUrl)}" title="Async Playground"
        style="border:0;width:100%;height:150px"></iframe>
<script>
  window.__messages = [];
  window.__h5p = [];
  window.addEventListener('message', (event) => window.__messages.push(event.data));
  const frame = document.getElementById('playground');
  ${HOSTS[kind] ?? ''}
</script>
</body>
</html>`;
}

/** A lesson page that records its results in an LRS by `examples/xapi.js`. */
function xapiLessonPage(playgroundUrl: string, playgroundBase: string, origin: string): string {
  const config = {
    endpoint: `${origin}/lrs/`,
    auth: 'Basic bGVhcm5lcjpzZWNyZXQ=',
    actor: { objectType: 'Agent', name: 'Ada Learner', mbox: 'mailto:ada@example.org' },
    playground: playgroundBase,
  };
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Lesson with learning records</title></head>
<body>
<h1>Lesson with learning records</h1>
<iframe id="playground" src="${escapeAttribute(playgroundUrl)}" title="Async Playground"
        width="720" height="900" style="border:0"></iframe>
<script>window.asyncPlaygroundXapi = ${JSON.stringify(config).replaceAll('<', '\\u003c')};</script>
<script src="/examples/xapi.js"></script>
</body>
</html>`;
}

/** What the stand-in LRS received: each statement with the headers it came with. */
export interface LrsRecord {
  statement: Record<string, any>;
  version: string | undefined;
  authorization: string | undefined;
}

const otherWidgetPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Another widget</title></head>
<body><p>Another widget of the course page.</p></body></html>`;

/**
 * Starts the course site on 127.0.0.1 (port chosen by the system), reachable under a host name
 * other than the playground's, so the playground is framed cross-site as on a real course site.
 */
export async function startCourseSite(playgroundBaseUrl: string): Promise<CourseSite> {
  const playgroundHost = new URL(playgroundBaseUrl).hostname;
  const hostname = playgroundHost === '127.0.0.1' ? 'localhost' : '127.0.0.1';

  const records: LrsRecord[] = [];
  let siteOrigin = '';
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://course.invalid');
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (url.pathname === '/lesson') {
      const query = url.searchParams.get('playground') ?? '';
      const playgroundUrl = new URL(`?${query}`, playgroundBaseUrl).toString();
      send(200, 'text/html; charset=utf-8', lessonPage(playgroundUrl));
    } else if (url.pathname === '/host' && Object.hasOwn(HOSTS, url.searchParams.get('kind') ?? '')) {
      const query = url.searchParams.get('playground') ?? '';
      const playgroundUrl = new URL(`?${query}`, playgroundBaseUrl).toString();
      send(200, 'text/html; charset=utf-8', hostPage(url.searchParams.get('kind') ?? '', playgroundUrl));
    } else if (url.pathname === '/xapi-lesson') {
      const query = url.searchParams.get('playground') ?? '';
      const playgroundUrl = new URL(`?${query}`, playgroundBaseUrl).toString();
      send(200, 'text/html; charset=utf-8', xapiLessonPage(playgroundUrl, playgroundBaseUrl, siteOrigin));
    } else if (url.pathname === '/lrs/statements' && request.method === 'POST') {
      // A stand-in Learning Record Store: keeps each statement, answers its id as an LRS does.
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        try {
          records.push({
            statement: JSON.parse(body),
            version: request.headers['x-experience-api-version'] as string | undefined,
            authorization: request.headers.authorization,
          });
          send(200, 'application/json', JSON.stringify([`statement-${records.length}`]));
        } catch {
          send(400, 'text/plain', 'not a statement');
        }
      });
      return;
    } else if (url.pathname.startsWith('/recipes/') && RECIPES_DIR) {
      // A course page a site builder made (xtask builds them: e2e/recipes/), its frame's
      // placeholder address turned into the playground's.
      const relative = decodeURIComponent(url.pathname.slice('/recipes/'.length));
      const file = path.resolve(RECIPES_DIR, relative.endsWith('/') || relative === '' ? `${relative}index.html` : relative);
      if (!file.startsWith(path.resolve(RECIPES_DIR) + path.sep)) {
        send(404, 'text/plain', 'not found');
        return;
      }
      fs.readFile(file).then(
        (body) => {
          const type = contentType(file);
          response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
          response.end(
            type.startsWith('text/html')
              ? body.toString('utf8').replaceAll(RECIPE_PLACEHOLDER, playgroundBaseUrl)
              : body,
          );
        },
        () => send(404, 'text/plain', 'not found'),
      );
      return;
    } else if (url.pathname === '/other-widget') {
      send(200, 'text/html; charset=utf-8', otherWidgetPage);
    } else if (url.pathname.startsWith('/examples/')) {
      const name = url.pathname.slice('/examples/'.length);
      // One file of the folder, by its plain name: nothing else can be reached.
      if (!/^[\w-]+\.(html|js|css)$/.test(name)) {
        send(404, 'text/plain', 'not found');
        return;
      }
      const file = path.join(EXAMPLES_DIR, name);
      fs.readFile(file).then(
        (body) => {
          response.writeHead(200, { 'content-type': contentType(file), 'cache-control': 'no-store' });
          response.end(body);
        },
        () => send(404, 'text/plain', 'not found'),
      );
    } else if (url.pathname === '/favicon.ico') {
      response.writeHead(204).end();
    } else {
      send(404, 'text/plain', 'not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${hostname}:${port}`;
  siteOrigin = origin;

  return {
    origin,
    lessonUrl: (playgroundQuery) =>
      `${origin}/lesson?playground=${encodeURIComponent(playgroundQuery)}`,
    xapiLessonUrl: (playgroundQuery) =>
      `${origin}/xapi-lesson?playground=${encodeURIComponent(playgroundQuery)}`,
    lrsRecords: () => [...records],
    recipeUrl: (recipe) => (RECIPES_DIR ? `${origin}/recipes/${recipe}/` : null),
    hostUrl: (kind, playgroundQuery) =>
      `${origin}/host?kind=${kind}&playground=${encodeURIComponent(playgroundQuery)}`,
    exampleUrl: (file) =>
      `${origin}/examples/${file}?playground=${encodeURIComponent(playgroundBaseUrl)}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The hooks of a spec's `test` that `courseSiteForSpec` needs. */
interface SpecHooks {
  beforeAll(run: (fixtures: object, testInfo: TestInfo) => Promise<void>): void;
  afterAll(run: () => Promise<void>): void;
}

/**
 * A course site for one spec's tests: started (on another origin than the playground's
 * `baseURL`) before them, closed after them. Call the returned function inside a test.
 */
export function courseSiteForSpec(test: SpecHooks): () => CourseSite {
  let site: CourseSite | undefined;
  test.beforeAll(async ({}, testInfo) => {
    const baseUrl = testInfo.project.use.baseURL;
    if (!baseUrl) throw new Error('baseURL is not configured (BASE_URL)');
    site = await startCourseSite(baseUrl);
  });
  test.afterAll(async () => {
    await site?.close();
  });
  return () => {
    if (!site) throw new Error('the course site has not started');
    return site;
  };
}
