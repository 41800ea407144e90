// multiprocessing.Pool as Web Workers: CPU jobs in parallel, a cold start shown apart, a warm
// pool reused, Stop that terminates busy workers, and the article's 4000 sleepers on 2 workers.
import { expect, test } from '../fixtures';
import {
  finishedResult,
  openPlayground,
  outcomeOf,
  resultOf,
  runButton,
  stopButton,
  timelineOf,
} from '../playground';

test('a pool of two workers runs CPU jobs in parallel, faster than the event loop', async ({ page }) => {
  // Two runs of eight jobs of about a second: a busy machine may take several times longer.
  test.setTimeout(150_000);
  const slow = { timeout: 45_000 };
  await openPlayground(page, 'lab=is-prime&jobs=4&seconds=0.2&workers=2&executors=event-loop,pool');
  await runButton(page).click();
  const cold = await finishedResult(page, 'pool', slow);
  expect(cold.tasksDone).toBe(4);
  expect(cold.tasksTotal).toBe(4);
  // The first run started the workers, shown apart on the timeline.
  await expect(resultOf(page, 'pool')).toContainText(/cold: .* for 2 workers/);
  // Each job sits under the worker that ran it, whose row starts with its start-up.
  await expect(timelineOf(page, 'pool').getByRole('button', { name: 'worker 1', exact: true })).toBeVisible();
  await expect(
    timelineOf(page, 'pool').getByRole('button', { name: /^worker 1, worker start-up, / }),
  ).toHaveCount(1);
  await expect(page.getByText('Pool: 2 workers alive and warm')).toBeVisible();

  // The second run reuses the warm pool: no start-up, and the jobs run two at a time.
  await runButton(page).click();
  await expect(resultOf(page, 'pool')).toHaveAttribute('data-status', 'pending');
  const eventLoop = await finishedResult(page, 'event-loop', slow);
  const warm = await finishedResult(page, 'pool', slow);
  await expect(resultOf(page, 'pool')).toContainText('warm pool: none');
  // With two cores or more the pool beats the event loop. By how much depends on what else
  // the machine runs, so only the order is checked here; the bench measures the speed-up.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  if (cores >= 2) expect(warm.wallMs).toBeLessThan(eventLoop.wallMs);
  await expect(resultOf(page, 'pool')).toContainText(/Speed-up/);

  // Discarding the pool brings the cold start back.
  await page.getByRole('button', { name: 'Discard warm pool' }).click();
  await expect(page.getByText('Pool: no worker alive')).toBeVisible();
});

test('a worker that fails to load ends the run as failed with a readable error', async ({ page, browserErrors }) => {
  browserErrors.expectConsoleError(/pool-worker\.js|Failed to load resource/);
  await page.route('**/pool-worker.js', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await openPlayground(page, 'lab=is-prime&jobs=2&seconds=0&n=1000003&workers=2&executors=pool');
  await runButton(page).click();
  const failed = await outcomeOf(page, 'pool');
  expect(failed.status).toBe('failed');
  await expect(resultOf(page, 'pool')).toContainText(/Worker \d did not start/);
  await expect(page.getByText('Pool: no worker alive')).toBeVisible();
  await expect(runButton(page)).toBeEnabled();
});

test('a worker that crashes during a task names the task, and no worker is left alive', async ({ page, browserErrors }) => {
  browserErrors.expectConsoleError(/boom/);
  // A stand-in worker that starts, then throws on its first task, as a panicking job would.
  // It says ready as a worker does: the bytes of `FromWorker::Ready` (postcard: the variant's
  // index 0, then the time as a little-endian f64).
  await page.route('**/pool-worker.js', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body:
        'self.onmessage = () => { throw new Error("boom"); };' +
        'const ready = new Uint8Array(9);' +
        'new DataView(ready.buffer).setFloat64(1, performance.timeOrigin + performance.now(), true);' +
        'postMessage(ready);',
    }),
  );
  await openPlayground(page, 'lab=is-prime&jobs=2&seconds=0&n=1000003&workers=1&executors=pool');
  await runButton(page).click();
  const failed = await outcomeOf(page, 'pool');
  expect(failed.status).toBe('failed');
  await expect(resultOf(page, 'pool')).toContainText(/Worker 1 failed while running task 1: .*boom/);
  await expect(page.getByText('Pool: no worker alive')).toBeVisible();
});

test('Stop during CPU jobs terminates the busy workers and the pool starts again later', async ({ page }) => {
  await openPlayground(page, 'lab=is-prime&jobs=6&seconds=0&workers=2&executors=pool');
  await runButton(page).click();
  await expect(resultOf(page, 'pool')).toHaveAttribute('data-status', 'running');
  await page.waitForTimeout(1200);
  await stopButton(page).click();
  const stopped = await outcomeOf(page, 'pool');
  expect(stopped.status).toBe('stopped');
  expect(stopped.tasksDone).toBeLessThan(6);
  await expect(page.getByText('Pool: no worker alive')).toBeVisible();
  await expect(stopButton(page)).toBeDisabled();

  // A new run starts new workers and finishes.
  await page.goto('?lab=is-prime&jobs=2&seconds=0&n=1000003&workers=2&executors=pool');
  await runButton(page).click();
  const again = await finishedResult(page, 'pool');
  expect(again.tasksDone).toBe(2);
});

test('4000 sleeps of 3 s on a pool of 2 workers project 100 minutes and ask first', async ({ page }) => {
  await openPlayground(page, 'lab=sleep&tasks=4000&seconds=3&workers=2&executors=pool');
  await runButton(page).click();
  const dialog = page.getByRole('alertdialog', { name: 'Long run' });
  await expect(dialog).toContainText('100.0 minutes');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText('Pool: no worker alive')).toBeVisible();
});

test('a few sleepers on the pool take one round per worker', async ({ page }) => {
  await openPlayground(page, 'lab=sleep&tasks=4&seconds=0.5&workers=2&executors=pool');
  await runButton(page).click();
  const pool = await finishedResult(page, 'pool');
  expect(pool.tasksDone).toBe(4);
  // Each worker sleeps through its tasks one at a time: 2 rounds of 0.5 s at least.
  expect(pool.wallMs).toBeGreaterThanOrEqual(1000);
  expect(pool.expectedMs).toBe(1000);
});
