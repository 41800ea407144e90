// A learner who opens a lab sees its question and can run it at once, on a laptop and on a
// phone; the settings they rarely change first are folded away; a keyboard user skips to Run
// and keeps the focus on it through a run.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import {
  finishedResult,
  LABS,
  openPlayground,
  pageTitle,
  resultOf,
  results,
  runAllButton,
  runButton,
  stepButton,
} from '../playground';

const SCREENS = [
  { width: 1280, height: 800 },
  { width: 375, height: 667 },
] as const;

/** The lab's question: the paragraph under its title that ends with a question mark. */
const question = (page: Page) =>
  page.getByRole('paragraph').filter({ hasText: /\?\s*$/ }).first();

/** What a learner does first on a lab: Run (Run all on compare, Step and Run on generators). */
function firstActions(page: Page, id: string): Locator[] {
  if (id === 'compare') return [runAllButton(page)];
  if (id === 'generators') return [stepButton(page), runButton(page)];
  if (id === 'pitfalls') return [];
  return [runButton(page)];
}

async function expectOnFirstScreen(locator: Locator, height: number, what: string) {
  const box = await locator.boundingBox();
  expect(box, `${what} is drawn`).not.toBeNull();
  expect(box!.y + box!.height, `${what} ends within the first ${height} px`).toBeLessThanOrEqual(
    height,
  );
}

for (const viewport of SCREENS) {
  test.describe(`at ${viewport.width} x ${viewport.height}`, () => {
    test.use({ viewport });
    for (const lab of LABS) {
      test(`the ${lab.id} lab's title, question and first action are on the first screen`, async ({
        page,
      }) => {
        await openPlayground(page, `lab=${lab.id}`);
        await expect(pageTitle(page)).toHaveText(lab.title);
        await expect(question(page)).toBeVisible();
        await expectOnFirstScreen(pageTitle(page), viewport.height, 'the title');
        await expectOnFirstScreen(question(page), viewport.height, 'the question');
        for (const action of firstActions(page, lab.id)) {
          await expect(action).toBeVisible();
          await expectOnFirstScreen(action, viewport.height, `"${await action.innerText()}"`);
        }
      });
    }
  });
}

test('the advanced settings are folded, open on a click, and open by themselves when the link sets one', async ({
  page,
}) => {
  await openPlayground(page, 'lab=hello');
  const form = page.getByRole('form', { name: 'Parameters', exact: true });
  const switchInterval = form.getByRole('spinbutton', { name: 'GIL switch interval (ms)' });
  await expect(form.getByRole('spinbutton', { name: 'Tasks', exact: true })).toBeVisible();
  await expect(switchInterval).toBeHidden();
  await form.getByText('Advanced settings', { exact: true }).click();
  await expect(switchInterval).toBeVisible();
  // Its value still goes to the URL, and the fold stays open while it changes.
  await switchInterval.fill('7');
  await switchInterval.press('Tab');
  await expect(page).toHaveURL(/switch_ms=7/);
  await expect(switchInterval).toBeVisible();
  await switchInterval.fill('5');
  await switchInterval.press('Tab');
  await expect(switchInterval).toBeVisible();

  await openPlayground(page, 'lab=hello&switch_ms=10');
  await expect(switchInterval).toBeVisible();
  await expect(switchInterval).toHaveValue('10');
});

test('"Skip to Run" comes first; a run started from the keyboard leaves the focus on Run', async ({
  page,
}) => {
  await openPlayground(page, 'lab=hello&seconds=0.3');
  await expect(runButton(page)).toBeEnabled();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to Run', exact: true });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(runButton(page)).toBeFocused();
  await expect(page).not.toHaveURL(/#run/);

  await page.keyboard.press('Enter');
  await expect(resultOf(page, 'sequential')).toHaveAttribute(
    'data-status',
    /^(running|finished)$/,
  );
  // While it runs, Run says it is unavailable but keeps the focus; Enter does nothing.
  await expect(runButton(page)).toHaveAttribute('aria-disabled', 'true');
  await expect(runButton(page)).toBeFocused();
  await finishedResult(page, 'sequential');
  await finishedResult(page, 'event-loop');
  await expect(runButton(page)).toHaveAttribute('aria-disabled', 'false');
  await expect(runButton(page)).toBeFocused();
  // The run's answer in one line, first in the results, on the first screen.
  const answer = results(page).getByText(/^event-loop took \d+ ms, [\d.]+x faster than sequential \(\d+ ms\)\.$/);
  await expect(answer).toBeVisible();
  await expectOnFirstScreen(answer, page.viewportSize()!.height, 'the run\'s answer');
  // Two points to watch for beside it, the rest one click away.
  const watchFor = results(page).getByRole('heading', { name: 'Watch for', exact: true });
  await expect(watchFor).toBeVisible();
  await expectOnFirstScreen(watchFor, page.viewportSize()!.height, '"Watch for"');
  await results(page).getByRole('link', { name: 'Everything to notice', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'What to notice', exact: true })).toBeInViewport();
});
