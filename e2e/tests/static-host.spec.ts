// A course author copies dist/ to a plain static host, under a sub-path, with no server of ours.
import { pageTitle } from '../playground';
import { expect, test } from '../static-host';

test('the build opens from a static host at a sub-path, where api/health is 404', async ({
  page,
  staticHost,
  browserErrors,
}) => {
  // The page may probe api/health on load; on a static host that probe is a 404, which
  // Chromium logs as a failed resource.
  browserErrors.expectConsoleError(/status of 404 .*\/course\/api\/health/);

  await page.goto(`${staticHost.baseURL}?lab=hello`);

  await expect(pageTitle(page)).toHaveText('Hello, await');
  const health = await page.request.get(new URL('api/health', page.url()).toString());
  expect(health.status()).toBe(404);
});
