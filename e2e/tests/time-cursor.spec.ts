// A learner replays a run that has ended: the slider "Time" moves an instant across it with the
// arrow keys, Home and End; every timeline marks the instant, each card says what its tasks
// were doing then, and the Output shows only what was printed by then.
import { expect, test } from '../fixtures';
import type { Page } from '@playwright/test';
import {
  finishedResult,
  openPlayground,
  outputLog,
  resultOf,
  runButton,
  timelineOf,
} from '../playground';

/** The printed lines the Output shows (those printed after the cursor are hidden). */
const outputLines = (page: Page) => outputLog(page).locator('li:not(.elapsed):not([hidden])');

test("the time cursor replays hello's blocking run: the Output and the readout follow it", async ({
  page,
}) => {
  await openPlayground(page, 'lab=hello&seconds=0.5&sleep=blocking&executors=event-loop');
  const time = page.getByRole('slider', { name: 'Time', exact: true });
  // Only once a run has ended.
  await expect(time).toHaveCount(0);
  await runButton(page).click();
  await finishedResult(page, 'event-loop');
  await expect(outputLines(page)).toHaveCount(4);

  await time.focus();
  await page.keyboard.press('Home');
  await expect(time).toHaveAttribute('aria-valuetext', '0.000 s');
  await expect(timelineOf(page, 'event-loop').locator('line.cursor').first()).toBeAttached();
  // A quarter of the way (each press is a 200th of the run): the first hello holds the thread
  // in time.sleep, the second is ready and waits for it; one line is printed.
  for (let i = 0; i < 50; i++) await page.keyboard.press('ArrowRight');
  const readout = resultOf(page, 'event-loop').locator('.cursor-readout');
  await expect(readout).toHaveText(/^At 0\.2\d\d s: 0 running, 1 ready, 0 suspended, 0 done \(1 blocking\)$/);
  await expect(outputLines(page)).toHaveCount(1);
  await expect(outputLines(page).first()).toContainText('hello');

  // End: the whole run again, every line and the elapsed time.
  await page.keyboard.press('End');
  await expect(readout).toHaveText(/0 running, 0 ready, 0 suspended, 2 done$/);
  await expect(outputLines(page)).toHaveCount(4);
  await page.getByRole('button', { name: 'Whole run', exact: true }).click();
  await expect(readout).toHaveCount(0);
  await expect(timelineOf(page, 'event-loop').locator('line.cursor')).toHaveCount(0);
});

test('threads: the readout says who holds the GIL at the instant', async ({ page }) => {
  await openPlayground(page, 'lab=is-prime&jobs=2&seconds=0&executors=threads&n=1000003');
  await runButton(page).click();
  await finishedResult(page, 'threads', { timeout: 45_000 });
  const time = page.getByRole('slider', { name: 'Time', exact: true });
  await time.focus();
  // From the end back, to an instant where a thread holds the GIL (before them, the workers
  // start: a cold start can take much of the run).
  await page.keyboard.press('End');
  const readout = resultOf(page, 'threads').locator('.cursor-readout');
  let text = '';
  for (let i = 0; i < 200 && !/the GIL: thread \d$/.test(text); i++) {
    await page.keyboard.press('ArrowLeft');
    text = await readout.innerText();
  }
  expect(text).toMatch(/^At [\d.]+ s: 1 running, .*; the GIL: thread \d$/);
});

test('view= opens the timelines on a range of the run, kept in the share link; zoom changes it', async ({
  page,
}) => {
  await openPlayground(page, 'lab=hello&seconds=0.5&executors=sequential,event-loop&view=200-800&run=1');
  await finishedResult(page, 'event-loop');
  const timeline = timelineOf(page, 'sequential');
  // The axis starts at the range's start and ends at its end.
  const ticks = timeline.locator('.tl-axis text');
  await expect(ticks.first()).toHaveText('200 ms');
  await expect(ticks.last()).toHaveText('800 ms');
  await expect(page).toHaveURL(/[?&]view=200-800(&|$)/);
  const time = page.getByRole('slider', { name: 'Time', exact: true });
  await expect(time).toHaveAttribute('min', '200');
  // Zoom in around the cursor at the range's middle: half as long, in the URL.
  await page.getByRole('button', { name: 'Zoom in', exact: true }).click();
  await expect(page).toHaveURL(/[?&]view=350-650(&|$)/);
  await page.getByRole('button', { name: 'Whole run', exact: true }).click();
  await expect(page).not.toHaveURL(/view=/);
  await expect(ticks.first()).toHaveText('0 ms');
});

test('a view= past the run or malformed shows the whole run, with a notice naming the key', async ({
  page,
}) => {
  await openPlayground(page, 'lab=hello&seconds=0.2&executors=event-loop&view=800-200');
  await expect(page.getByRole('status')).toContainText(/view: .800-200. is not a range of the run in ms/);
  await openPlayground(page, 'lab=hello&seconds=0.2&executors=event-loop&view=5000-6000&run=1');
  await finishedResult(page, 'event-loop');
  await expect(page.getByRole('status')).toContainText("view: 5000-6000 starts after the run's end");
  await expect(page).not.toHaveURL(/view=/);
});
