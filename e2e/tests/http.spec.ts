// The article's "http request" section: real fetches of the page's latency endpoint, one after
// another, all at once, and one per process, with the browser's per-host connection limit.
import net from 'node:net';
import { startCourseSite, type CourseSite } from '../course-site';
import { expect, test } from '../fixtures';
import {
  finishedResult,
  notices,
  openPlayground,
  outcomeOf,
  outputLines,
  pageTitle,
  resultOf,
  runButton,
  stopButton,
} from '../playground';

/** A loopback port nothing listens on: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const networkLine = (page: import('@playwright/test').Page) => page.locator('p.network');

test('20 requests: one after another take over 3 s, all at once far less, queued 6 at a time', async ({ page }) => {
  // network=server: the real network, where the browser keeps 6 connections to a host.
  await openPlayground(page, 'lab=http&tasks=20&delay_ms=150&network=server&executors=sequential,event-loop');
  await expect(pageTitle(page)).toHaveText('HTTP requests');
  await expect(networkLine(page)).toHaveAttribute('data-network', 'server');
  await expect(networkLine(page)).toContainText('at most 6 at once');

  await runButton(page).click();
  const sequential = await finishedResult(page, 'sequential', { timeout: 30_000 });
  const eventLoop = await finishedResult(page, 'event-loop', { timeout: 30_000 });

  for (const result of [sequential, eventLoop]) {
    expect(result.tasksDone).toBe(20);
    await expect(resultOf(page, result.executor as 'sequential')).toHaveAttribute('data-requests-failed', '0');
  }
  // 20 latencies of 150 ms in a row.
  expect(sequential.wallMs).toBeGreaterThanOrEqual(3000);
  expect(eventLoop.wallMs * 1.5).toBeLessThan(sequential.wallMs);
  // Six connections to one host: 20 requests go out in 4 rounds, and the page says why.
  expect(eventLoop.expectedMs).toBe(600);
  expect(eventLoop.wallMs).toBeGreaterThanOrEqual(450);
  await expect(resultOf(page, 'event-loop').getByText(/one of the browser's 6 connections/)).toBeVisible();
  await expect(resultOf(page, 'event-loop').getByText(/Over HTTP\/2 \(https only\) they would share one connection/)).toBeVisible();
});

test('a pool process waits for each answer: Pool.map deals 20 tasks to two workers in chunks of 3, so one runs 11', async ({ page }) => {
  await openPlayground(page, 'lab=http&tasks=20&delay_ms=100&workers=2&executors=pool');
  await runButton(page).click();
  const pool = await finishedResult(page, 'pool', { timeout: 30_000 });
  expect(pool.tasksDone).toBe(20);
  expect(pool.expectedMs).toBe(1100);
  expect(pool.wallMs).toBeGreaterThanOrEqual(1100);
});

test('a refused url is explained on every request, the run goes on, and Run works again', async ({
  page,
  browserErrors,
}) => {
  browserErrors.expectConsoleError(/net::ERR_CONNECTION_REFUSED/);
  const target = `http://127.0.0.1:${await closedPort()}/`;
  await openPlayground(page, `lab=http&tasks=3&url=${encodeURIComponent(target)}&executors=event-loop&run=1`);

  // A link that fetches someone's url never starts on its own.
  await expect(notices(page)).toContainText('run: ignored');
  await expect(resultOf(page, 'event-loop')).toHaveCount(0);
  await expect(networkLine(page)).toContainText('your url');

  await runButton(page).click();
  const first = await finishedResult(page, 'event-loop');
  expect(first.tasksDone).toBe(3);
  await expect(resultOf(page, 'event-loop')).toHaveAttribute('data-requests-failed', '3');
  await expect(resultOf(page, 'event-loop').getByText(/Requests failed/)).toBeVisible();
  await expect(outputLines(page)).toHaveCount(3);
  await expect(outputLines(page).first()).toContainText('request failed: the browser could not fetch from');
  await expect(outputLines(page).first()).toContainText('CORS');

  await runButton(page).click();
  await expect(resultOf(page, 'event-loop')).toHaveAttribute('data-status', 'finished');
});

test('a javascript: url is refused with a notice naming the key', async ({ page }) => {
  await openPlayground(page, 'lab=http&url=javascript%3Aalert(1)');
  await expect(notices(page)).toContainText('url:');
  await expect(notices(page)).toContainText('is not an http or https URL');
  await expect(page.getByRole('textbox', { name: 'Your own URL (optional)' })).toHaveValue('');
});

test('Stop aborts the requests in flight, freeing the connections at once', async ({ page }) => {
  // Six requests of 8 s hold all six connections to the host.
  await openPlayground(page, 'lab=http&tasks=6&delay_ms=8000&executors=event-loop');
  await runButton(page).click();
  await expect(resultOf(page, 'event-loop')).toHaveAttribute('data-status', 'running');
  await page.waitForTimeout(300);
  await stopButton(page).click();
  const stopped = await outcomeOf(page, 'event-loop');
  expect(stopped.status).toBe('stopped');
  expect(stopped.tasksDone).toBe(0);
  expect(stopped.wallMs).toBeLessThan(8000);

  // Had they not been aborted, this request would wait for a connection for seconds.
  const ms = await page.evaluate(async () => {
    const start = performance.now();
    await (await fetch('api/delay?ms=0', { cache: 'no-store' })).json();
    return performance.now() - start;
  });
  expect(ms).toBeLessThan(3000);
});

test('the mixed lab runs cpu, 10 requests and cpu, beside the article figures', async ({ page }) => {
  // n = 3 x 20,000,001: a short CPU job.
  await openPlayground(
    page,
    'lab=mixed&jobs=2&requests=10&delay_ms=100&n=60000003&workers=2&executors=event-loop,pool',
  );
  await expect(pageTitle(page)).toHaveText('Mixing HTTP and CPU');
  await runButton(page).click();
  const eventLoop = await finishedResult(page, 'event-loop', { timeout: 30_000 });
  const pool = await finishedResult(page, 'pool', { timeout: 30_000 });
  expect(eventLoop.tasksDone).toBe(2);
  expect(pool.tasksDone).toBe(2);
  // A process's blocking client makes the 10 requests one after another: at least 1 s.
  expect(pool.wallMs).toBeGreaterThanOrEqual(1000);
  await expect(resultOf(page, 'event-loop').getByText('13.0 s on its machine')).toBeVisible();
  await expect(resultOf(page, 'pool').getByText('5.00 s on its machine')).toBeVisible();
});

test('by default, on our server over HTTP/1.1, the lab shows the article\'s case: 200 gathered requests of 200 ms in well under 2 s, and says why', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await openPlayground(page, 'lab=http&executors=event-loop&run=1');
  const network = networkLine(page);
  await expect(network).toHaveAttribute('data-network', 'simulated');
  await expect(network).toContainText('network=auto');
  await expect(network).toContainText('network=server shows that limit');
  const eventLoop = await finishedResult(page, 'event-loop', { timeout: 30_000 });
  expect(eventLoop.tasksDone).toBe(200);
  expect(eventLoop.wallMs).toBeLessThan(2000);
});

test('network=simulated on our own server: 200 gathered requests of 200 ms finish well under a second', async ({
  page,
}) => {
  await openPlayground(page, 'lab=http&tasks=200&delay_ms=200&network=simulated&executors=event-loop&run=1');
  const network = page.locator('p.network');
  await expect(network).toHaveAttribute('data-network', 'simulated');
  const eventLoop = await finishedResult(page, 'event-loop', { timeout: 30_000 });
  expect(eventLoop.tasksDone).toBe(200);
  // The article's "under 1 s": no browser limit; the client keeps one aiohttp session's limit
  // of 100 connections, so two rounds.
  expect(eventLoop.expectedMs).toBe(400);
  // Well under a second on an idle machine; through 6 connections it would take 34 latencies
  // (6.8 s). A wide margin: these machines are shared.
  expect(eventLoop.wallMs).toBeLessThan(2500);
  await expect(resultOf(page, 'event-loop')).toHaveAttribute('data-requests-failed', '0');
  // The page says which limit applied: the client's, not the browser's.
  await expect(resultOf(page, 'event-loop').getByText(/one of the client's 100 connections/)).toBeVisible();
  await expect(resultOf(page, 'event-loop').getByText(/browser's 6 connections/)).toHaveCount(0);
});

test("the lab's Python is this run's program, with the page's own endpoint and a Copy button", async ({
  page,
}) => {
  await openPlayground(page, 'lab=http&tasks=12&delay_ms=150&workers=3&executors=event-loop,pool');
  const explain = page.getByRole('region', { name: 'The Python it stands for', exact: true });
  const code = explain.locator('pre.code').first();
  await expect(code).toContainText('TASKS = 12');
  await expect(code).toContainText(`URL = "${new URL('api/delay?ms=150', page.url()).toString()}"`);
  await expect(code).toContainText('multiprocessing.Pool(3)');
  await expect(code).toContainText('timed("event-loop"');
  await expect(code).toContainText('if __name__ == "__main__":');
  await expect(code).not.toContainText('timed("sequential"');
  await expect(explain.getByRole('button', { name: 'Copy', exact: true })).toBeVisible();
  // The article's original is a click away.
  const original = explain.getByRole('link', { name: "The article's original code", exact: true });
  await expect(original).toHaveAttribute('target', '_blank');
  const answer = await page.request.get(new URL((await original.getAttribute('href')) ?? '', page.url()).toString());
  expect(answer.ok()).toBe(true);
  expect(await answer.text()).toContain('https://google.com');
});

test.describe('embedded on a course site', () => {
  let courseSite: CourseSite;
  test.beforeAll(async ({}, testInfo) => {
    courseSite = await startCourseSite(testInfo.project.use.baseURL ?? '');
  });
  test.afterAll(async () => courseSite?.close());

  test('in a frame on another site the lab still finds a network for network=auto, and says which and why', async ({
    page,
  }) => {
    await page.goto(courseSite.lessonUrl('lab=http&embed=1&tasks=3&delay_ms=50&executors=event-loop'));
    const network = page.frameLocator('#playground').locator('p.network');
    await expect(network).toHaveAttribute('data-network', /^(server|simulated)$/);
    // Either the service worker ran in the frame, or the page says why it could not.
    await expect(network).toContainText(/network=auto/);
    if ((await network.getAttribute('data-network')) === 'server') {
      await expect(network).toContainText('could not start the page\'s service worker here');
    }
  });
});
