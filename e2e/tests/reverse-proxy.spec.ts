// Our server behind a reverse proxy at a sub-path (README, "Deploying"): the page finds the
// server through the proxy and its HTTP lab uses the real network, with no service worker.
import { startReverseProxy, type ReverseProxy } from '../reverse-proxy';
import { expect, test } from '../fixtures';
import { finishedResult, pageTitle, resultOf, runButton } from '../playground';

let proxy: ReverseProxy;

test.beforeAll(async ({}, testInfo) => {
  const baseUrl = testInfo.project.use.baseURL;
  if (!baseUrl) throw new Error('baseURL is not configured (BASE_URL)');
  proxy = await startReverseProxy(baseUrl);
});

test.afterAll(async () => {
  await proxy?.close();
});

test('behind a reverse proxy at a sub-path the HTTP lab reaches our server', async ({ page }) => {
  await page.goto(`${proxy.baseURL}?lab=http&tasks=6&delay_ms=100&network=server&executors=sequential,event-loop`);
  await expect(pageTitle(page)).toHaveText('HTTP requests');
  await expect(page.locator('p.network')).toHaveAttribute('data-network', 'server');
  await runButton(page).click();
  const sequential = await finishedResult(page, 'sequential', { timeout: 30_000 });
  const eventLoop = await finishedResult(page, 'event-loop', { timeout: 30_000 });
  expect(sequential.tasksDone).toBe(6);
  expect(eventLoop.tasksDone).toBe(6);
  expect(eventLoop.wallMs).toBeLessThan(sequential.wallMs);
  await expect(resultOf(page, 'event-loop')).toHaveAttribute('data-requests-failed', '0');
  // The server's own answers came back through the proxy, with its headers.
  const health = await page.request.get(new URL('api/health', proxy.baseURL).toString());
  expect(await health.json()).toMatchObject({ ok: true });
  expect(health.headers()['content-security-policy']).toContain('frame-ancestors * file:');
  expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
});
