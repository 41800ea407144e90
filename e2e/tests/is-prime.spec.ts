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
  resultOf,
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
  const sequential = await finishedResult(page, 'sequential', { timeout: 45_000 });
  const eventLoop = await finishedResult(page, 'event-loop', { timeout: 45_000 });
  expect(eventLoop.tasksDone).toBe(3);
  // The CPU work is the same on both, but a busy machine may stretch one run's jobs more than
  // the other's, so the runs are compared on their waits: wall time less the time in CPU steps.
  // Sequential waits out the three 200 ms sleeps in turn; the event loop overlaps them.
  const cpuMs = (executor: 'sequential' | 'event-loop') =>
    numericAttribute(resultOf(page, executor), 'data-cpu-ms');
  const eventLoopCpuMs = await cpuMs('event-loop');
  const sequentialWaitMs = sequential.wallMs - (await cpuMs('sequential'));
  const eventLoopWaitMs = eventLoop.wallMs - eventLoopCpuMs;
  expect(sequentialWaitMs).toBeGreaterThanOrEqual(3 * 200 - 5);
  expect(eventLoopWaitMs).toBeGreaterThanOrEqual(200 - 5);
  expect(eventLoopWaitMs).toBeLessThan(sequentialWaitMs);
  // On one thread the jobs ran one after another: no speed-up, the wall holds all CPU time.
  expect(eventLoop.wallMs).toBeGreaterThanOrEqual(eventLoopCpuMs);
  // Three jobs of about a second each (n is picked on load, so a machine busier then than
  // now makes them shorter: only a floor well under that is checked).
  expect(eventLoopCpuMs).toBeGreaterThan(600);
  // Each job held the only thread while it ran: the page froze for about a job's time (at
  // least half of it, whatever the machine's speed when n was picked).
  const oneJobMs = eventLoopCpuMs / 3;
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
