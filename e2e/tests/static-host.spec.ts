// A course author copies dist/ to a plain static host, under a nested sub-path, with no server
// of ours (README, "Deploying"): every file loads from under that path, the HTTP labs run over
// the service worker's simulated network, and finding out that no server of ours is there logs
// nothing: no console error, no failed request, no error status.
import type { BrowserContext } from '@playwright/test';
import { finishedResult, pageTitle, resultOf, runButton } from '../playground';
import { expect, STATIC_HOST_PREFIX, test } from '../static-host';

/** Every request of `context` that failed or got an error status, and every URL it asked for. */
function watchRequests(context: BrowserContext) {
  const failed: string[] = [];
  const urls: string[] = [];
  context.on('request', (request) => urls.push(request.url()));
  context.on('requestfailed', (request) =>
    failed.push(`${request.url()}: ${request.failure()?.errorText ?? 'failed'}`),
  );
  context.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.url()}: ${response.status()}`);
  });
  return { failed, urls };
}

test('the build deployed at a sub-path of a static host runs the HTTP lab on the simulated network, logging no error', async ({
  page,
  context,
  staticHost,
}) => {
  const requests = watchRequests(context);

  await page.goto(`${staticHost.baseURL}?lab=http&tasks=10&delay_ms=100&executors=sequential,event-loop`);
  const network = page.locator('p.network');
  await expect(network).toHaveAttribute('data-network', 'simulated');
  await runButton(page).click();
  const sequential = await finishedResult(page, 'sequential', { timeout: 30_000 });
  const eventLoop = await finishedResult(page, 'event-loop', { timeout: 30_000 });
  expect(sequential.tasksDone).toBe(10);
  expect(eventLoop.tasksDone).toBe(10);
  expect(sequential.wallMs).toBeGreaterThanOrEqual(10 * 100);
  expect(eventLoop.wallMs).toBeLessThan(sequential.wallMs);
  await expect(resultOf(page, 'event-loop')).toHaveAttribute('data-requests-failed', '0');

  // Nothing left the sub-path, nothing failed, nothing got an error status.
  const origin = new URL(staticHost.baseURL).origin;
  const outside = requests.urls.filter(
    (url) => url.startsWith(origin) && !new URL(url).pathname.startsWith(STATIC_HOST_PREFIX),
  );
  expect(outside).toEqual([]);
  expect(requests.failed).toEqual([]);
  // The page did look for our server, and the host answered with the build's own file.
  expect(requests.urls).toContain(new URL('api/health', staticHost.baseURL).toString());
});

test('a static host serves the build as it is: api/health says no server is here, api/delay is not there', async ({
  page,
  staticHost,
}) => {
  const health = await page.request.get(new URL('api/health', staticHost.baseURL).toString());
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ ok: false });
  const delay = await page.request.get(new URL('api/delay?ms=1', staticHost.baseURL).toString());
  expect(delay.status()).toBe(404);
  // The folder without its slash goes to the folder, query and all.
  const bare = staticHost.baseURL.slice(0, -1);
  await page.goto(`${bare}?lab=hello`);
  await expect(pageTitle(page)).toHaveText('Hello, await');
  // The page writes its whole query once it has drawn (after the title shows).
  await expect.poll(() => page.url().startsWith(`${staticHost.baseURL}?lab=hello&`)).toBe(true);
  // The home page's links are relative: they stay under the sub-path.
  await page.goto(staticHost.baseURL);
  await page.getByRole('navigation', { name: 'Labs' }).getByRole('link', { name: 'HTTP requests' }).click();
  await expect(pageTitle(page)).toHaveText('HTTP requests');
  expect(new URL(page.url()).pathname).toBe(STATIC_HOST_PREFIX);
});
