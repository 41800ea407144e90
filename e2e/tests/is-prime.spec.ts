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
  // Sleeps overlap on the event loop, so it beats sequential, but by about the sleeps only:
  // the CPU work (three jobs) is the same on both. Margins are wide (a shared machine may
  // slow either run): the gain stays under the sleeps plus one job, where running the jobs
  // in parallel would gain two.
  expect(eventLoop.wallMs).toBeLessThan(sequential.wallMs);
  const oneJobMs = (eventLoop.wallMs - 200) / 3;
  expect(sequential.wallMs - eventLoop.wallMs).toBeLessThan(2 * 200 + oneJobMs);
  // Three jobs of about a second each (n is picked on load; a busy machine may pick small).
  expect(eventLoop.wallMs).toBeGreaterThan(1000);
  // Each job held the only thread while it ran: the page froze for about a job's time (at
  // least half of it, whatever the machine's speed when n was picked).
  expect(await numericAttribute(lagMeter(page), 'data-peak-ms')).toBeGreaterThanOrEqual(oneJobMs / 2);
  expect(await numericAttribute(heartbeat(page), 'data-max-frame-gap-ms')).toBeGreaterThanOrEqual(
    oneJobMs / 2,
  );
});

test('an explicit n is used as given and named in the result message parameters', async ({ page }) => {
  await openPlayground(page, 'lab=is-prime&n=16769823&jobs=2&seconds=0&executors=event-loop');
  await expect(page.getByText(/One is_prime\(16,769,823\) takes about/)).toBeVisible();
  await runButton(page).click();
  const eventLoop = await finishedResult(page, 'event-loop');
  expect(eventLoop.tasksDone).toBe(2);
  await expect(shareLink(page)).toHaveValue(/n=16769823/);
});
