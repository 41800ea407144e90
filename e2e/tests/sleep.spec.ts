// "Sleep x N": the article's 4000 tasks sleeping 3 s. Awaited in turn that is hours, so the
// page asks first; on the event loop it is about 3 s, and the page keeps painting meanwhile.
import { expect, test } from '../fixtures';
import {
  finishedResult,
  heartbeat,
  numericAttribute,
  openPlayground,
  outputLines,
  pageTitle,
  resultOf,
  results,
  runButton,
  runProgress,
  stopButton,
  timelineOf,
} from '../playground';

test('a run projected at hours asks first, and Cancel runs nothing', async ({ page }) => {
  await openPlayground(page, 'lab=sleep&tasks=4000&seconds=3&executors=sequential,event-loop');
  await expect(pageTitle(page)).toHaveText('Sleep x N');

  await runButton(page).click();

  // 4000 x 3 s awaited in turn is 12,000 s, plus 3 s gathered.
  const longRun = page.getByRole('alertdialog', { name: 'Long run' });
  await expect(longRun).toBeVisible();
  await expect(longRun).toContainText('3.3 hours');
  await expect(longRun.getByRole('button', { name: 'Run anyway', exact: true })).toBeVisible();

  await longRun.getByRole('button', { name: 'Cancel', exact: true }).click();

  await expect(longRun).toBeHidden();
  await expect(stopButton(page)).toBeDisabled();
  await expect(runProgress(page)).toBeHidden();
  await expect(
    results(page).locator('article[data-status="running"], article[data-status="finished"]'),
  ).toHaveCount(0);
  await expect(outputLines(page)).toHaveCount(0);
});

test('4000 sleeps of 3 s gathered on the event loop take about 3 s and the page keeps painting', async ({
  page,
}) => {
  await openPlayground(page, 'lab=sleep&tasks=4000&seconds=3&executors=event-loop');

  await runButton(page).click();
  // 3 s is under a minute: no question asked.
  await expect(resultOf(page, 'event-loop')).toHaveAttribute('data-status', /^(running|finished)$/);
  await expect(page.getByRole('alertdialog')).toHaveCount(0);

  const eventLoop = await finishedResult(page, 'event-loop', { timeout: 30_000 });
  expect(eventLoop.tasksDone).toBe(4000);
  expect(eventLoop.tasksTotal).toBe(4000);
  expect(eventLoop.wallMs).toBeGreaterThanOrEqual(2900);
  expect(eventLoop.wallMs).toBeLessThan(6000);
  // Sleeping tasks do not block the main thread: no gap between frames near the 3 s a
  // blocked page would show (a wide margin: a busy machine delays frames; the bench holds
  // the gap to its bar).
  const maxFrameGapMs = await numericAttribute(heartbeat(page), 'data-max-frame-gap-ms');
  expect(maxFrameGapMs).toBeGreaterThanOrEqual(0);
  expect(maxFrameGapMs).toBeLessThan(3000 / 2);
  // With 4000 lanes the timeline is still one named picture.
  await expect(timelineOf(page, 'event-loop')).toHaveCount(1);
  await expect(timelineOf(page, 'event-loop')).toBeVisible();
});
