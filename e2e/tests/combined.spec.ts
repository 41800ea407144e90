// The article's conclusion: asyncio inside multiprocessing, against each alone, on the mixed
// task (cpu, 10 concurrent requests, cpu).
import { expect, test } from '../fixtures';
import { finishedResult, openPlayground, pageTitle, printedLines, runButton } from '../playground';

test('a pool of event loops runs the mixed task beside the event loop and the plain pool', async ({ page }) => {
  // n = 3 x 62,500,001: the article's loop runs 125 M iterations, a fraction of a second here.
  await openPlayground(
    page,
    'lab=combined&jobs=4&requests=10&delay_ms=200&n=187500003&workers=2&executors=event-loop,pool,pool-of-loops',
  );
  await expect(pageTitle(page)).toHaveText('Pool of event loops');
  await runButton(page).click();
  // Three runs of CPU jobs and requests: a busy machine may take several times longer.
  test.setTimeout(150_000);
  const slow = { timeout: 45_000 };
  const eventLoop = await finishedResult(page, 'event-loop', slow);
  const pool = await finishedResult(page, 'pool', slow);
  const loops = await finishedResult(page, 'pool-of-loops', slow);
  for (const result of [eventLoop, pool, loops]) expect(result.tasksDone).toBe(4);
  // The models: one thread adds up every CPU job; a pool runs them two at a time, but each
  // process makes its requests one after another (a blocking client); a pool of loops runs the
  // CPU jobs in parallel and overlaps the requests inside each process. (Measured speed-ups
  // are asserted on a warm pool in pool.spec.ts; here the cold start would blur them.)
  expect(loops.expectedMs).toBeLessThan(pool.expectedMs);
  expect(loops.expectedMs).toBeLessThan(eventLoop.expectedMs);
  // Every task printed its responses once, on every executor.
  const lines = await printedLines(page);
  expect(lines.filter((line) => line.text.includes('10 responses'))).toHaveLength(12);
});
