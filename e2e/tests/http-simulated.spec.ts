// A course author copies dist/ to a static host with no server of ours: the page's service
// worker answers the latency endpoint, and the page says the network is simulated there.
import { finishedResult, pageTitle, resultOf, runButton } from '../playground';
import { expect, test } from '../static-host';

test('on a static host the service worker answers api/delay, with no connection limit', async ({
  page,
  staticHost,
}) => {
  await page.goto(`${staticHost.baseURL}?lab=http&tasks=20&delay_ms=150&workers=2&executors=sequential,event-loop,pool`);
  await expect(pageTitle(page)).toHaveText('HTTP requests');
  const network = page.locator('p.network');
  await expect(network).toHaveAttribute('data-network', 'simulated');
  await expect(network).toContainText('Simulated network');

  await runButton(page).click();
  const sequential = await finishedResult(page, 'sequential', { timeout: 30_000 });
  const eventLoop = await finishedResult(page, 'event-loop', { timeout: 30_000 });
  expect(sequential.tasksDone).toBe(20);
  expect(eventLoop.tasksDone).toBe(20);
  expect(sequential.wallMs).toBeGreaterThanOrEqual(3000);
  // Nothing queues for a connection: all 20 answer after about one latency.
  expect(eventLoop.expectedMs).toBe(150);
  expect(eventLoop.wallMs * 4).toBeLessThan(sequential.wallMs);
  await expect(resultOf(page, 'event-loop')).toHaveAttribute('data-requests-failed', '0');
  await expect(resultOf(page, 'event-loop').getByText(/connections to the host/)).toHaveCount(0);
  // The pool's workers are the page's too: the service worker answers them as well.
  const pool = await finishedResult(page, 'pool', { timeout: 30_000 });
  expect(pool.tasksDone).toBe(20);
  await expect(resultOf(page, 'pool')).toHaveAttribute('data-requests-failed', '0');

  // The worker answers api/delay only: the app's own files still come from the host.
  const controlled = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '');
  expect(controlled).toBe(new URL('sw.js', page.url()).toString());
});
