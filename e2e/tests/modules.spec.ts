// The page loads only the lab it shows: each kind of lab page (the workload labs with the home
// page, the generators stepper, the pitfalls cases, the compare table) is a module of its own,
// which index.html's loader picks from the URL's lab before any wasm loads. A module that
// cannot load is said so, with a Retry button that loads it once it can. What only a run needs
// (the run driver, the executors, the results' timelines) is a module split off the page's,
// fetched after the first paint: if it cannot be fetched, Run says so and works once it can.
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import {
  finishedResult,
  LABS,
  labsNavigation,
  openPlayground,
  pageTitle,
  runButton,
} from '../playground';

/**
 * The page's modules each navigation asked for: `<kind>` of the first paint's files
 * (`app_<kind>-<hash>/app_<kind>.js` and `_bg.wasm`). A split module, fetched after the first
 * paint, may still be asked for by the page just left, so it is not counted here.
 */
function modulesRequested(page: Page): Set<string> {
  const kinds = new Set<string>();
  page.on('request', (request) => {
    const match = /\/app_([a-z]+)-[0-9a-f]+\/app_[a-z]+(\.js|_bg\.wasm)/.exec(request.url());
    if (match) kinds.add(match[1]);
  });
  return kinds;
}

const MODULE_OF: Record<string, string> = {
  generators: 'stepper',
  pitfalls: 'cases',
  compare: 'compare',
};

test('each lab downloads its own kind of page and no other', async ({ page }) => {
  const requested = modulesRequested(page);
  for (const lab of LABS) {
    requested.clear();
    await openPlayground(page, `lab=${lab.id}`);
    await expect(pageTitle(page)).toHaveText(lab.title);
    expect([...requested], lab.id).toEqual([MODULE_OF[lab.id] ?? 'workload']);
  }
  requested.clear();
  await openPlayground(page, '');
  await expect(labsNavigation(page)).toBeVisible();
  expect([...requested]).toEqual(['workload']);
});

test('from a lab of one kind to another and back', async ({ page }) => {
  await openPlayground(page, '');
  await labsNavigation(page).getByRole('link', { name: 'Build your own event loop' }).click();
  await expect(pageTitle(page)).toHaveText('Build your own event loop');
  await page.goBack();
  await labsNavigation(page).getByRole('link', { name: 'Hello, await' }).click();
  await expect(pageTitle(page)).toHaveText('Hello, await');
  await expect(runButton(page)).toBeEnabled();
  await page.goBack();
  await page.goForward();
  await expect(pageTitle(page)).toHaveText('Hello, await');
  await openPlayground(page, 'lab=pitfalls');
  await expect(pageTitle(page)).toHaveText('Await pitfalls');
  await page.goBack();
  await expect(pageTitle(page)).toHaveText('Hello, await');
  await expect(runButton(page)).toBeEnabled();
});

test('a module that cannot load is said so, and Retry loads it once it can', async ({
  page,
  browserErrors,
}) => {
  browserErrors.expectConsoleError(/Failed to load resource|net::ERR_FAILED/);
  const blocked = /\/app_stepper-/;
  await page.route(blocked, (route) => route.abort('failed'));
  await openPlayground(page, 'lab=generators');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText("The page's code (app_stepper) did not load");
  const retry = page.getByRole('button', { name: 'Retry', exact: true });
  await expect(retry).toBeFocused();
  // Still blocked: Retry says so again.
  await retry.click();
  await expect(alert).toContainText('did not load');
  await page.unroute(blocked);
  await page.getByRole('button', { name: 'Retry', exact: true }).click();
  await expect(pageTitle(page)).toHaveText('Build your own event loop');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test("the runs' code comes after the first paint; when it cannot, Run says so, and runs once it can", async ({
  page,
  browserErrors,
}) => {
  browserErrors.expectConsoleError(/Failed to load resource|net::ERR_FAILED/);
  const split = /\/app_workload-[0-9a-f]+\/split_runs\.wasm/;
  let asked = 0;
  await page.route(split, (route) => {
    asked += 1;
    return route.abort('failed');
  });
  await openPlayground(page, 'lab=hello&executors=event-loop');
  await expect(pageTitle(page)).toHaveText('Hello, await');
  // The page fetches it once it has painted, without waiting for Run.
  await expect.poll(() => asked).toBeGreaterThan(0);
  await runButton(page).click();
  const results = page.getByRole('region', { name: 'Results' });
  await expect(results.getByRole('alert')).toContainText(
    "event-loop could not start: the page's code for runs did not load",
  );
  await expect(runButton(page)).toBeEnabled();
  await page.unroute(split);
  await runButton(page).click();
  const eventLoop = await finishedResult(page, 'event-loop');
  expect(eventLoop.tasksDone).toBe(2);
  await expect(results.getByRole('alert')).toHaveCount(0);
});
