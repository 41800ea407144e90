// The article's first experiment: two `hello()` awaited in turn take 2 s, gathered they take
// 1 s, and with a blocking `time.sleep` they take 2 s again while the page freezes.
//
// Timing: the machines are shared and noisy, so the assertions are about order and ratios with
// wide margins, and lower bounds that no correct run can miss (a 1 s sleep never takes 0.9 s).
import { expect, test } from '../fixtures';
import {
  finishedResult,
  heartbeat,
  lagMeter,
  numericAttribute,
  openPlayground,
  outcomeOf,
  elapsedLines,
  outputLines,
  pageTitle,
  printedBy,
  printedLines,
  resultOf,
  runButton,
  runProgress,
  secondsField,
  stopButton,
} from '../playground';

test('awaiting in turn takes 2 s, gather takes 1 s, and the output shows why', async ({ page }) => {
  await openPlayground(page, 'lab=hello&executors=sequential,event-loop');
  await expect(pageTitle(page)).toHaveText('Hello, await');

  await runButton(page).click();

  const sequential = await finishedResult(page, 'sequential');
  const eventLoop = await finishedResult(page, 'event-loop');
  expect(sequential.wallMs).toBeGreaterThanOrEqual(1800);
  expect(eventLoop.wallMs).toBeGreaterThanOrEqual(900);
  expect(eventLoop.wallMs).toBeLessThan(sequential.wallMs / 1.5);
  for (const result of [sequential, eventLoop]) {
    expect(result.tasksDone).toBe(2);
    expect(result.tasksTotal).toBe(2);
    expect(result.representative).toBe(true);
  }
  // The model's prediction is the article's: 2 x 1 s in turn, 1 s together.
  expect(sequential.expectedMs).toBeGreaterThanOrEqual(1900);
  expect(sequential.expectedMs).toBeLessThanOrEqual(2100);
  expect(eventLoop.expectedMs).toBeGreaterThanOrEqual(900);
  expect(eventLoop.expectedMs).toBeLessThanOrEqual(1100);

  await expect(outputLines(page)).toHaveCount(8);
  // Each executor's closing line, as the lab's Python prints it.
  await expect(elapsedLines(page)).toHaveText([/^sequential: \d+\.\d\d s$/, /^event-loop: \d+\.\d\d s$/]);
  const lines = await printedLines(page);
  expect(lines.filter((line) => line.printed === 'hello')).toHaveLength(4);
  expect(lines.filter((line) => line.printed === 'goodbye')).toHaveLength(4);
  // Awaited in turn, each hello is followed by its goodbye before the next hello starts...
  expect(printedBy(lines, 'sequential')).toEqual(['hello', 'goodbye', 'hello', 'goodbye']);
  // ...gathered, both say hello before either says goodbye.
  expect(printedBy(lines, 'event-loop')).toEqual(['hello', 'hello', 'goodbye', 'goodbye']);
  // The executors ran one after the other, and the log is in run order.
  expect(lines.map((line) => line.executor)).toEqual([
    ...Array(4).fill('sequential'),
    ...Array(4).fill('event-loop'),
  ]);
});

test('a blocking sleep on the event loop takes 2 s again and freezes the page', async ({
  page,
}) => {
  await openPlayground(page, 'lab=hello&sleep=blocking&executors=event-loop');

  await runButton(page).click();

  const eventLoop = await finishedResult(page, 'event-loop');
  expect(eventLoop.wallMs).toBeGreaterThanOrEqual(1800);
  expect(eventLoop.tasksDone).toBe(2);
  // The freeze is seen: no timer ran on time and no frame was painted for a long while.
  await expect
    .poll(() => numericAttribute(lagMeter(page), 'data-peak-ms'), {
      message: 'the lag meter saw the event loop blocked',
    })
    .toBeGreaterThanOrEqual(500);
  await expect
    .poll(() => numericAttribute(heartbeat(page), 'data-max-frame-gap-ms'), {
      message: 'the heartbeat missed frames',
    })
    .toBeGreaterThanOrEqual(500);
  // The second hello was ready the whole first second: gather made it, the loop was held.
  const result = resultOf(page, 'event-loop');
  await expect(result.locator('.legend')).toContainText('ready: waiting for the thread');
  await expect(result.locator('.legend')).toContainText('blocking: time.sleep holding the thread');
  await result.getByText('Show as table', { exact: true }).click();
  const task2 = result.getByRole('row', { name: /^task 2 / });
  const state = (await task2.getByRole('cell').nth(3).innerText()).trim();
  const ready = /^ready ([\d.]+) (s|ms); blocking [\d.]+ m?s$/.exec(state);
  expect(ready, `task 2's state: ${state}`).not.toBeNull();
  const readyS = Number(ready?.[1]) / (ready?.[2] === 'ms' ? 1000 : 1);
  expect(readyS).toBeGreaterThanOrEqual(0.9);
  await expect(result.getByRole('row', { name: /^task 1 / }).getByRole('cell').nth(3)).toHaveText(
    // (A timer a few ms late on a busy machine is drawn ready for those ms.)
    /^(ready [\d.]+ m?s; )?blocking [\d.]+ m?s$/,
  );
  // A blocking sleep makes gather sequential again.
  await expect(outputLines(page)).toHaveCount(4);
  expect(printedBy(await printedLines(page), 'event-loop')).toEqual([
    'hello',
    'goodbye',
    'hello',
    'goodbye',
  ]);
});

test('a link with run=1 runs the lab as soon as it opens', async ({ page }) => {
  await openPlayground(page, 'lab=hello&seconds=0.5&executors=sequential,event-loop&run=1');

  // Nobody presses Run.
  const sequential = await finishedResult(page, 'sequential');
  const eventLoop = await finishedResult(page, 'event-loop');
  expect(sequential.tasksDone).toBe(2);
  expect(eventLoop.tasksDone).toBe(2);
  await expect(outputLines(page)).toHaveCount(8);
});

test('Stop ends a long run early, and the lab can run again', async ({ page }) => {
  await openPlayground(page, 'lab=hello&seconds=5&executors=sequential,event-loop');
  await expect(stopButton(page)).toBeDisabled();

  await runButton(page).click();
  await expect(resultOf(page, 'sequential')).toHaveAttribute('data-status', 'running');
  await expect(runProgress(page)).toBeVisible();
  await expect(stopButton(page)).toBeEnabled();

  await stopButton(page).click();

  const stopped = await outcomeOf(page, 'sequential');
  expect(stopped.status).toBe('stopped');
  expect(stopped.tasksDone).toBeLessThan(stopped.tasksTotal);
  await expect(stopButton(page)).toBeDisabled();
  await expect(runProgress(page)).toBeHidden();
  // Stop ends the whole run: the next executor does not start after it.
  await expect(resultOf(page, 'event-loop')).not.toHaveAttribute(
    'data-status',
    /^(running|finished)$/,
  );

  await secondsField(page).fill('0.2');
  await runButton(page).click();
  // The new run replaces the stopped one (it may already have finished: 2 x 0.2 s).
  await expect(resultOf(page, 'sequential')).not.toHaveAttribute('data-status', 'stopped');

  for (const executor of ['sequential', 'event-loop'] as const) {
    const result = await finishedResult(page, executor);
    expect(result.tasksDone).toBe(2);
    expect(result.tasksTotal).toBe(2);
  }
});

test('a run made while the tab was hidden is marked as not representative', async ({ page }) => {
  await openPlayground(page, 'lab=hello&executors=event-loop&seconds=0.5');
  await runButton(page).click();
  await expect(resultOf(page, 'event-loop')).toHaveAttribute('data-status', 'running');
  // Browsers throttle timers in hidden tabs: the page must say the figure is not comparable.
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  const result = await finishedResult(page, 'event-loop');
  expect(result.representative).toBe(false);
  await expect(resultOf(page, 'event-loop')).toContainText('Not representative');
});

test("the lab's notes arrive after the page; when they cannot, the page says so and the lab still runs", async ({
  page,
  browserErrors,
}) => {
  await openPlayground(page, 'lab=hello&executors=event-loop');
  await expect(page.locator('.notice-list li').first()).toContainText('Two awaits in a row');
  await expect(page.getByRole('heading', { name: 'Where the article is wrong' })).toBeVisible();

  browserErrors.expectConsoleError(/Failed to load resource/);
  await page.route('**/notes/hello.txt', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await openPlayground(page, 'lab=hello&executors=event-loop');
  await expect(page.getByText(/The notes on this lab could not be read \(the server answered 404/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Where the article is wrong' })).toHaveCount(0);
  await runButton(page).click();
  const eventLoop = await finishedResult(page, 'event-loop');
  expect(eventLoop.tasksDone).toBe(2);
});
