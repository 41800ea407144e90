// A course author follows the README's recipes: a Sphinx (Jupyter Book) page with
// sphinx-iframes' iframe directive, and an MkDocs Material page with the embed snippet and the
// small resize script. Both were built from PyPI by `cargo xtask test` (e2e/recipes/); each
// page, served from the course's origin, loads the lab and sizes the frame to it (Sphinx by
// the H5P resizer sphinx-iframes puts on every page, MkDocs by the recipe's script).
import type { Page } from '@playwright/test';
import { courseSiteForSpec } from '../course-site';
import { expect, test } from '../fixtures';
import { pageTitle, runButton } from '../playground';

const courseSite = courseSiteForSpec(test);

/** Whether the page's lab frame is as tall as the lab's content (within 2 px). */
async function fits(page: Page): Promise<boolean> {
  const frameElement = page.locator('iframe[src*="lab=hello"]');
  const frame = await (await frameElement.elementHandle())?.contentFrame();
  if (!frame) return false;
  const content = await frame.evaluate(() =>
    Math.ceil(document.querySelector('.app')?.getBoundingClientRect().height ?? 0),
  );
  const height = await frameElement.evaluate((f) => f.getBoundingClientRect().height);
  return content > 400 && Math.abs(height - content) <= 2;
}

for (const recipe of ['sphinx', 'mkdocs']) {
  test(`the ${recipe} recipe frames the lab and sizes the frame to it`, async ({ page }) => {
    const url = courseSite().recipeUrl(recipe);
    test.skip(!url, 'the recipes were not built (cargo xtask test builds them)');
    await page.goto(url ?? '');
    await expect(page.getByRole('heading', { name: 'Lesson: await in turn, or gather' })).toBeVisible();
    const lab = page.frameLocator('iframe[src*="lab=hello"]');
    await expect(pageTitle(lab)).toHaveText('Hello, await');
    await expect(runButton(lab)).toBeVisible();
    await page.locator('iframe[src*="lab=hello"]').scrollIntoViewIfNeeded();
    await expect.poll(() => fits(page), { timeout: 15_000 }).toBe(true);
    // The lab keeps its own colours: no theme's filter inverts the frame.
    const filter = await page.locator('iframe[src*="lab=hello"]').evaluate((f) => getComputedStyle(f).filter);
    expect(filter).toBe('none');
  });
}
