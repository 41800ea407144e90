// A learner on a phone (375 CSS px wide), and a learner using only the keyboard.
import type { Page } from '@playwright/test';
import { smallTargets } from '../a11y';
import { expect, test } from '../fixtures';
import {
  finishedResult,
  heartbeat,
  LABS,
  lagMeter,
  openPlayground,
  pageTitle,
  resultOf,
  runButton,
  timelineOf,
} from '../playground';

test.use({ viewport: { width: 375, height: 812 } });

async function expectNoHorizontalScroll(page: Page, where = 'the page') {
  const widths = await page.evaluate(() => ({
    content: document.scrollingElement?.scrollWidth ?? 0,
    viewport: window.innerWidth,
  }));
  expect(widths.content, `${where} is no wider than the phone`).toBeLessThanOrEqual(
    widths.viewport + 1,
  );
}

for (const [where, query, title] of [
  ['home page', '', 'Async Playground'],
  ...LABS.map((lab) => [`${lab.id} lab`, `lab=${lab.id}`, lab.title] as const),
] as const) {
  test(`the ${where} fits a phone screen without horizontal scrolling, every target 44 px or more`, async ({
    page,
  }) => {
    await openPlayground(page, query);
    await expect(pageTitle(page)).toHaveText(title);

    await expectNoHorizontalScroll(page);
    expect(await smallTargets(page), 'controls (or their labels) under 44 x 44 px').toEqual([]);
  });
}

test('on a phone, a timeline of many rows scrolls inside its own box, not the page', async ({
  page,
}) => {
  await openPlayground(page, 'lab=sleep&tasks=100&seconds=0.2&executors=event-loop');
  await runButton(page).click();
  await finishedResult(page, 'event-loop');
  const timeline = timelineOf(page, 'event-loop');
  const box = await timeline.evaluate((el) => ({
    overflow: getComputedStyle(el).overflowX,
    scrolls: el.scrollWidth > el.clientWidth,
  }));
  expect(box).toEqual({ overflow: 'auto', scrolls: true });
  // A keyboard scrolls it too.
  await timeline.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => timeline.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  await expectNoHorizontalScroll(page);
});

test('on a phone, the hello lab fits the screen and runs from the keyboard alone', async ({
  page,
}) => {
  await openPlayground(page, 'lab=hello&seconds=0.3');
  await expect(runButton(page)).toBeEnabled();
  await expectNoHorizontalScroll(page);

  // Tab through the page until Run has the focus, as a keyboard user does.
  const runIsFocused = () => runButton(page).evaluate((button) => button === document.activeElement);
  let presses = 0;
  while (!(await runIsFocused())) {
    expect(presses++, 'Run is reachable with Tab').toBeLessThan(80);
    await page.keyboard.press('Tab');
  }
  await expect(runButton(page)).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(resultOf(page, 'sequential')).toHaveAttribute(
    'data-status',
    /^(running|finished)$/,
  );
  await finishedResult(page, 'sequential');
  await finishedResult(page, 'event-loop');
  // The results (timelines, log) fit the phone too.
  await expectNoHorizontalScroll(page);
});

test('on a phone, the responsiveness bar is one line that says what it shows', async ({ page }) => {
  await openPlayground(page, 'lab=hello');
  await expect(page.getByText('Responsive?', { exact: true })).toBeVisible();
  const dot = (await heartbeat(page).boundingBox())!;
  const meter = (await lagMeter(page).boundingBox())!;
  // One line: both sit on the same band, and the bar is no taller than one control.
  expect(Math.abs(dot.y + dot.height / 2 - (meter.y + meter.height / 2))).toBeLessThan(6);
  expect(meter.x + meter.width).toBeLessThanOrEqual(375);
});

test('on a phone, an executor name never breaks inside a word', async ({ page }) => {
  await openPlayground(page, 'lab=cats&seconds=0.1');
  await runButton(page).click();
  await finishedResult(page, 'run-in-executor');
  // Each name ("run-in-executor", "event-loop") is one word: its text sits on one line, in
  // the form's choices and on the result cards.
  const names = page.locator('.choice label code, .result h3');
  expect(await names.count()).toBeGreaterThanOrEqual(8);
  const broken = await names.evaluateAll((elements) =>
    elements
      .filter((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        return tops.size > 1;
      })
      .map((el) => el.textContent),
  );
  expect(broken).toEqual([]);
});
