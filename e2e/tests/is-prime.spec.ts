// The article's "is prime" section: CPU jobs on the event loop run one after another and
// freeze the page, whatever the overlapping sleeps.
import { expect, test } from '../fixtures';
import {
  finishedResult,
  heartbeat,
  lagMeter,
  numericAttribute,
  openPlayground,
  pageTitle,
  runButton,
  shareLink,
} from '../playground';

test('CPU jobs on the event loop run one after another and freeze the page', async ({ page }) => {
  // n=auto: the page picks n on load so one job takes about 1 s here; 3 jobs keep it short.
  await openPlayground(page, 'lab=is-prime&jobs=3&seconds=0.2&executors=sequential,event-loop');
  await expect(pageTitle(page)).toHaveText('Is prime (CPU-bound)');
  // The page says which n it picked and what CPython would take for it.
  await expect(page.getByText(/Picked here: n = [\d,]+/)).toBeVisible();
  await expect(shareLink(page)).toHaveValue(/n=auto/);

  await runButton(page).click();
  const sequential = await finishedResult(page, 'sequential');
  const eventLoop = await finishedResult(page, 'event-loop');
  expect(eventLoop.tasksDone).toBe(3);
  // Sleeps overlap on the event loop, so it beats sequential, but by no more than the sleeps:
  // the CPU work (about 3 s) is the same on both.
  expect(eventLoop.wallMs).toBeLessThan(sequential.wallMs);
  expect(sequential.wallMs - eventLoop.wallMs).toBeLessThan(2 * 200 + 400);
  expect(eventLoop.wallMs).toBeGreaterThan(1500);
  // Each job held the only thread for about a second: the page froze.
  expect(await numericAttribute(lagMeter(page), 'data-peak-ms')).toBeGreaterThanOrEqual(400);
  expect(await numericAttribute(heartbeat(page), 'data-max-frame-gap-ms')).toBeGreaterThanOrEqual(400);
});

test('an explicit n is used as given and named in the result message parameters', async ({ page }) => {
  await openPlayground(page, 'lab=is-prime&n=16769823&jobs=2&seconds=0&executors=event-loop');
  await expect(page.getByText(/One is_prime\(16,769,823\) takes about/)).toBeVisible();
  await runButton(page).click();
  const eventLoop = await finishedResult(page, 'event-loop');
  expect(eventLoop.tasksDone).toBe(2);
  await expect(shareLink(page)).toHaveValue(/n=16769823/);
});
