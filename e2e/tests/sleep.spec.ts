// "Sleep x N": the article's 4000 tasks sleeping 3 s. Awaited in turn that is hours, so the
// page asks first; on the event loop it is about 3 s, and the page keeps painting meanwhile.
import { expect, test } from '../fixtures';
import {
  finishedResult,
  heartbeat,
  notices,
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

test('a million sleepers finish on the timer wheel with the page painting, and the density shows them', async ({
  page,
}) => {
  await openPlayground(page, 'lab=sleep&tasks=1000000&seconds=1&executors=event-loop,threads');
  await runButton(page).click();
  // threads takes 10,000: it is skipped with a notice naming it and its cap, the event loop runs.
  await expect(notices(page).filter({ hasText: 'threads takes here (at most 10,000)' })).toHaveCount(1);
  const eventLoop = await finishedResult(page, 'event-loop', { timeout: 60_000 });
  expect(eventLoop.tasksDone).toBe(1_000_000);
  expect(eventLoop.wallMs).toBeGreaterThanOrEqual(999);
  // The bench holds a million to 1.2 s; a busy test machine gets a wide margin.
  expect(eventLoop.wallMs).toBeLessThan(6000);
  await expect(resultOf(page, 'threads')).toHaveCount(0);
  expect(await numericAttribute(resultOf(page, 'event-loop'), 'data-memory-bytes')).toBeGreaterThan(0);
  await expect(resultOf(page, 'event-loop')).toContainText('Page memory');

  // The density is a slider over time: its readout counts the tasks at the cursor.
  const density = resultOf(page, 'event-loop').getByRole('slider', { name: 'Task density: event-loop' });
  await expect(density).toHaveAttribute('aria-valuetext', /1,000,000 asleep, 0 done/);
  expect(await numericAttribute(density, 'data-draw-ms')).toBeGreaterThanOrEqual(0);
  await density.focus();
  await page.keyboard.press('End');
  await expect(density).toHaveAttribute('aria-valuetext', /0 asleep, 1,000,000 done/);
  // Zooming in narrows the range around the cursor; "Whole run" shows it all again.
  const zoomIn = resultOf(page, 'event-loop').getByRole('button', { name: 'Zoom in', exact: true });
  const wholeRun = resultOf(page, 'event-loop').getByRole('button', { name: 'Whole run', exact: true });
  await expect(wholeRun).toBeDisabled();
  const rangeStart = resultOf(page, 'event-loop').locator('.density-axis span').first();
  await expect(rangeStart).toHaveText('0.000 s');
  await zoomIn.click();
  await zoomIn.click();
  await expect(wholeRun).toBeEnabled();
  await expect(rangeStart).not.toHaveText('0.000 s');
  // The cursor stays on the same moment, the end, where every task is done; each zoom also
  // halves the tasks shown, around those waking there: the last quarter.
  await expect(density).toHaveAttribute(
    'aria-valuetext',
    /^At \d\.\d+ s, tasks 750,001 to 1,000,000: 0 asleep, 250,000 done/,
  );
  // On the density itself, 0 shows the whole run again.
  await density.focus();
  await page.keyboard.press('0');
  await expect(wholeRun).toBeDisabled();
  await expect(rangeStart).toHaveText('0.000 s');
  await expect(density).toHaveAttribute('aria-valuetext', /^At \d\.\d+ s: 0 asleep, 1,000,000 done/);

  // Zoomed in far enough where the tasks are starting, each task is a row of its own.
  await page.keyboard.press('Home');
  for (let i = 0; i < 20; i++) await page.keyboard.press('+');
  const deep = (await density.getAttribute('aria-valuetext')) ?? '';
  const [, first, last] = deep.match(/, tasks ([\d,]+) to ([\d,]+):/) ?? [];
  const number = (text: string) => Number(text.replace(/,/g, ''));
  expect(number(last) - number(first) + 1, deep).toBe(12);
  expect(deep).toMatch(/^At 0\.\d+ s,/);

  // The pointer over the canvas moves the cursor too.
  await page.keyboard.press('0');
  const box = (await density.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
  expect(await numericAttribute(density, 'aria-valuenow')).toBeGreaterThan(400);
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  expect(await numericAttribute(density, 'aria-valuenow')).toBeLessThan(10);
});

test('with a browser timer per sleep the tasks still overlap, and above a million the event loop is skipped', async ({
  page,
}) => {
  await openPlayground(page, 'lab=sleep&tasks=20000&seconds=0.5&timer=browser&executors=event-loop');
  await expect(page.getByRole('combobox', { name: 'Timers', exact: true })).toHaveValue('browser');
  await runButton(page).click();
  const eventLoop = await finishedResult(page, 'event-loop', { timeout: 60_000 });
  expect(eventLoop.tasksDone).toBe(20_000);
  expect(eventLoop.wallMs).toBeGreaterThanOrEqual(499);

  await openPlayground(page, 'lab=sleep&tasks=2000000&seconds=1&timer=browser&executors=event-loop');
  await runButton(page).click();
  await expect(
    notices(page).filter({
      hasText: 'tasks: 2,000,000 is more than event-loop takes here (at most 1,000,000, with a browser timer per sleep)',
    }),
  ).toHaveCount(1);
  await expect(results(page).locator('article[data-status]')).toHaveCount(0);
});
