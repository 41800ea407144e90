// The article's conclusion points at it: the event loop awaits CPU jobs it sends to a process
// pool (`await loop.run_in_executor(pool, is_prime, n)` with a ProcessPoolExecutor). The jobs
// run in parallel in the pool's workers while the page's own loop stays free.
import { expect, test } from '../fixtures';
import {
  elapsedLines,
  executorCheckbox,
  finishedResult,
  heartbeat,
  notices,
  numericAttribute,
  openPlayground,
  resultOf,
  runButton,
  sleepField,
  timelineOf,
} from '../playground';

test('a link runs the event loop and the process executor: the processes finish first, the page painting', async ({
  page,
}) => {
  // Two runs of four jobs of about a second each: a busy machine may take several times longer.
  test.setTimeout(150_000);
  const slow = { timeout: 60_000 };
  await openPlayground(
    page,
    'lab=is-prime&jobs=4&seconds=0.2&workers=2&executors=event-loop,process-executor&run=1',
  );
  const eventLoop = await finishedResult(page, 'event-loop', slow);
  const processes = await finishedResult(page, 'process-executor', slow);
  expect(processes.tasksDone).toBe(4);
  expect(processes.tasksTotal).toBe(4);
  // Its Python's closing line, as the program the page shows prints it.
  await expect(elapsedLines(page).last()).toHaveText(/^process-executor: \d+\.\d\d s$/);
  // The workers' start-up is shown apart, and each job ran in a worker's lane.
  await expect(resultOf(page, 'process-executor')).toContainText(/Worker start-up/);
  // Each job sits under the worker that ran it, whose row starts with its start-up.
  await expect(timelineOf(page, 'process-executor').getByRole('button', { name: 'worker 1', exact: true })).toBeVisible();
  await expect(
    timelineOf(page, 'process-executor').getByRole('button', { name: /^worker 1, worker start-up, / }),
  ).toHaveCount(1);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  if (cores >= 2) expect(processes.wallMs).toBeLessThan(eventLoop.wallMs);
  await expect(resultOf(page, 'process-executor')).toContainText(/Speed-up/);
  // The program beside the lab runs it as the page did.
  const explain = page.getByRole('region', { name: 'The Python it stands for', exact: true });
  const code = explain.locator('pre.code').first();
  await expect(code).toContainText('with concurrent.futures.ProcessPoolExecutor(2) as processes:');
  // The coroutine run-in-executor also uses: only the executor it is given differs.
  await expect(code).toContainText('await loop.run_in_executor(executor, is_prime_as_written, N)');
  // The gather is too long for one line of 79 columns: on three, as Black writes it.
  await expect(code).toContainText('await asyncio.gather(\n            *[offloaded_hello(processes) for _ in range(JOBS)]\n        )');
  await expect(code).toContainText('timed("process-executor", lambda: asyncio.run(process_executor()))');

  // Alone, the process executor leaves the page's thread free: the heartbeat never stalls for
  // anything like a job's time (the event loop's run above froze it for each job).
  await executorCheckbox(page, 'event-loop').uncheck();
  await runButton(page).click();
  await expect(resultOf(page, 'process-executor')).toHaveAttribute('data-status', 'running', slow);
  const alone = await finishedResult(page, 'process-executor', slow);
  expect(alone.tasksDone).toBe(4);
  const oneJobMs = (alone.wallMs - 200) / 2;
  expect(await numericAttribute(heartbeat(page), 'data-max-frame-gap-ms')).toBeLessThan(oneJobMs / 2);
});

test('with sleep=async there is nothing to send to processes: it is off, and a link that asks for it says why', async ({
  page,
}) => {
  await openPlayground(page, 'lab=sleep&tasks=4&seconds=0.2&workers=2&executors=event-loop,process-executor');
  await expect(executorCheckbox(page, 'process-executor')).toBeDisabled();
  await runButton(page).click();
  await finishedResult(page, 'event-loop');
  await expect(notices(page)).toContainText('process-executor: no step blocks here (sleep=async)');
  await expect(resultOf(page, 'process-executor')).toHaveCount(0);

  // With sleep=blocking it is offered, and four blocking sleeps on two processes take two rounds.
  await sleepField(page).selectOption('blocking');
  await expect(executorCheckbox(page, 'process-executor')).toBeEnabled();
  await executorCheckbox(page, 'process-executor').check();
  await runButton(page).click();
  const processes = await finishedResult(page, 'process-executor', { timeout: 30_000 });
  expect(processes.tasksDone).toBe(4);
  expect(processes.wallMs).toBeGreaterThanOrEqual(2 * 200 - 5);
});
