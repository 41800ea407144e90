// A learner on a phone, and a learner using only the keyboard.
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { finishedResult, openPlayground, pageTitle, resultOf, runButton } from '../playground';

test.use({ viewport: { width: 390, height: 844 } });

async function expectNoHorizontalScroll(page: Page) {
  const widths = await page.evaluate(() => ({
    content: document.scrollingElement?.scrollWidth ?? 0,
    viewport: window.innerWidth,
  }));
  expect(widths.content, 'the page is no wider than the phone').toBeLessThanOrEqual(
    widths.viewport + 1,
  );
}

for (const [where, query, title] of [
  ['home page', '', 'Async Playground'],
  ['sleep lab', 'lab=sleep', 'Sleep x N'],
] as const) {
  test(`the ${where} fits a phone screen without horizontal scrolling`, async ({ page }) => {
    await openPlayground(page, query);
    await expect(pageTitle(page)).toHaveText(title);

    await expectNoHorizontalScroll(page);
  });
}

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
