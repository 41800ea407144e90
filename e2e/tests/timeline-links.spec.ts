// A learner reads a run against its program: each bar of a timeline is a focusable element
// of the drawing, named by its row, its state, its start and its end; activating it marks the
// line of the program it stands for (brought beside the results, whose pane stays where it
// is), and activating a line lights its bars. Rows sit under what ran them,
// and fold away.
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { finishedResult, openPlayground, resultOf, runButton, timelineOf } from '../playground';

const program = (page: Page) => page.locator('.explain pre.code');
const marked = (page: Page) => program(page).locator('[aria-current="true"]');
const bars = (page: Page, executor: 'event-loop' | 'sequential' | 'threads') =>
  timelineOf(page, executor).locator('[data-bar]');

async function runHello(page: Page, query = '') {
  await openPlayground(page, `lab=hello&seconds=0.3&executors=event-loop${query}`);
  await runButton(page).click();
  await finishedResult(page, 'event-loop');
  await expect(bars(page, 'event-loop').first()).toBeVisible();
}

test.describe('at 1280 x 800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('a bar leads to its line of the program, and the program and the timeline are in view together', async ({
    page,
  }) => {
    await runHello(page);
    const timeline = timelineOf(page, 'event-loop');
    // The first bar is the timeline's one stop in the tab order.
    await expect(timeline.locator('[data-bar][tabindex="0"]')).toHaveCount(1);
    const sleep = timeline.getByRole('button', { name: /^task 1, suspended: awaiting a sleep, .* to .*, line \d+$/ });
    await sleep.focus();
    const before = await sleep.boundingBox();
    await page.keyboard.press('Enter');
    await expect(marked(page)).toHaveCount(1);
    await expect(marked(page)).toHaveText('    await asyncio.sleep(SECONDS)');
    // The line came beside the results, whose pane stays: the bar did not move.
    await expect(marked(page)).toBeInViewport();
    await expect(sleep).toBeInViewport();
    const after = await sleep.boundingBox();
    // (A lit bar gains a 1 px edge.)
    expect(Math.abs((after?.y ?? 0) - (before?.y ?? 0)), 'the bar stayed where it was').toBeLessThan(3);
    // The program's text is the program alone: the numbers and the marks are the page's CSS.
    const text = await program(page).innerText();
    expect(text.startsWith('import asyncio\n')).toBe(true);
    expect(text).toContain('\n    await asyncio.sleep(SECONDS)\n');
  });

  test('a line leads to its bars: the gather lights every task of the run', async ({ page }) => {
    await runHello(page);
    const gather = program(page).getByRole('button', { name: /asyncio\.gather/ });
    await gather.click();
    await expect(gather).toHaveAttribute('aria-current', 'true');
    // Its name is its number and its code: the dot and the arrow are drawn, not read.
    await expect(gather).toHaveAccessibleName(/^\d+ +await asyncio\.gather/);
    const timeline = timelineOf(page, 'event-loop');
    const lit = timeline.locator('rect.lit');
    // The tasks' own bars (made by the gather) and event_loop()'s, which awaits it; on a busy
    // machine also a task's wait to start, drawn ready, which the gather's making began.
    await expect(timeline.locator('rect.lit[aria-label*="task alive"]')).toHaveCount(2);
    await expect(timeline.locator('rect.lit[aria-label^="event_loop()"]')).toHaveCount(1);
    const names = await lit.evaluateAll((bars) => bars.map((b) => b.getAttribute('aria-label') ?? ''));
    for (const name of names) {
      expect(name).toMatch(/^(event_loop\(\), suspended: awaiting asyncio\.gather|task \d, (task alive|ready: waiting for the thread))/);
    }
    // From the keyboard too: the sleep's line, then Enter lights every sleep of the run.
    const sleepLine = program(page).getByRole('button', { name: '    await asyncio.sleep(SECONDS)' });
    await sleepLine.focus();
    await page.keyboard.press('Enter');
    await expect(sleepLine).toHaveAttribute('aria-current', 'true');
    const sleeps = timeline.locator('[data-bar][aria-label*="awaiting a sleep"]');
    await expect(sleeps).toHaveCount(2);
    await expect(timeline.locator('[data-bar][aria-label*="awaiting a sleep"].lit')).toHaveCount(2);
    await expect(timeline.locator('rect.lit[aria-label*="task alive"]')).toHaveCount(0);
  });

  test("a line's bars are brought into view in the results' own pane", async ({ page }) => {
    await openPlayground(page, 'lab=hello&seconds=0.3&executors=sequential,event-loop');
    await runButton(page).click();
    await finishedResult(page, 'event-loop');
    // The gather is event-loop's: its bars are in the second card, below the first.
    await program(page).getByRole('button', { name: /asyncio\.gather/ }).click();
    const lit = timelineOf(page, 'event-loop').locator('rect.lit');
    await expect(lit.first()).toBeAttached();
    await expect(lit.first()).toBeInViewport();
    await expect(program(page).locator('[aria-current="true"]')).toBeInViewport();
  });

  test('the arrows move among the bars: along a row, and to the row below', async ({ page }) => {
    await runHello(page);
    const first = bars(page, 'event-loop').first();
    await first.focus();
    await expect(first).toHaveAccessibleName(/^event_loop\(\), suspended: awaiting asyncio\.gather/);
    await page.keyboard.press('ArrowDown');
    const focused = timelineOf(page, 'event-loop').locator('[data-bar]:focus');
    await expect(focused).toHaveAccessibleName(/^task 1, /);
    await expect(focused).toHaveAttribute('tabindex', '0');
    await expect(first).toHaveAttribute('tabindex', '-1');
    await page.keyboard.press('ArrowRight');
    await expect(focused).toHaveAccessibleName(/^task 1, /);
    await page.keyboard.press('ArrowDown');
    await expect(focused).toHaveAccessibleName(/^task 2, /);
  });

  test("gather's tasks sit under event_loop(), which folds them away", async ({ page }) => {
    await runHello(page);
    const timeline = timelineOf(page, 'event-loop');
    const fold = timeline.getByRole('button', { name: 'event_loop()', exact: true });
    await expect(fold).toHaveAttribute('aria-expanded', 'true');
    await expect(timeline.getByText('task 2', { exact: true })).toBeVisible();
    await fold.click();
    await expect(fold).toHaveAttribute('aria-expanded', 'false');
    await expect(timeline.getByText('task 2', { exact: true })).toHaveCount(0);
    await fold.press('Enter');
    await expect(timeline.getByText('task 2', { exact: true })).toBeVisible();
  });

  test("a blocking hello's bars name their state: the second task ready while the first blocks", async ({
    page,
  }) => {
    await runHello(page, '&sleep=blocking');
    const timeline = timelineOf(page, 'event-loop');
    await expect(timeline.getByRole('button', { name: /^task 2, ready: waiting for the thread, / })).toHaveCount(1);
    await timeline.getByRole('button', { name: /^task 1, blocking: time\.sleep holding the thread, / }).click();
    await expect(marked(page)).toHaveText(/^ {4}time\.sleep\(SECONDS\) {2}# sleep=blocking/);
  });
});

test.describe('at 375 x 667', () => {
  test.use({ viewport: { width: 375, height: 667 } });

  test("a cat's _sleep bar leads to its def, in the program's own pane", async ({ page }) => {
    await openPlayground(page, 'lab=cats&cats=2&seconds=0.3&executors=event-loop');
    await runButton(page).click();
    await finishedResult(page, 'event-loop');
    const call = resultOf(page, 'event-loop').getByRole('button', { name: /^task 1, in _sleep\(\), / });
    await call.focus();
    await page.keyboard.press('Enter');
    await expect(marked(page)).toHaveText(/^ {4}async def _sleep\(self\):/);
    // Marked inside the pane: the pane scrolled, so the line is within the pane's box.
    const inPane = await marked(page).evaluate((line) => {
      const pane = line.closest('pre') as HTMLElement;
      const a = line.getBoundingClientRect();
      const b = pane.getBoundingClientRect();
      return a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
    });
    expect(inPane).toBe(true);
  });
});
