// The program beside a lab's results: every line the page writes keeps to PEP 8's 79 columns,
// so on a laptop the program shows whole, in the column beside the results; on a phone it
// scrolls inside its own box, and a shade at its edge says there is more.
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { LABS, openPlayground, pageTitle, results } from '../playground';

/** The labs whose page is a form, its results and its program (not the stepper, the cases or
 *  the compare table). */
const WORKLOAD_LABS = LABS.filter((lab) => !['generators', 'pitfalls', 'compare'].includes(lab.id));

// The program's pane once the page's runs' code is here (just after the first paint), which
// numbers its lines: until then the page shows the same program in a box of its own.
const program = (page: Page) => page.locator('pre.code.numbered');

async function programBox(page: Page) {
  return program(page).evaluate((el) => ({
    scroll: el.scrollWidth,
    client: el.clientWidth,
    right: el.getBoundingClientRect().right,
  }));
}

test.describe('at 1280 x 800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  for (const lab of WORKLOAD_LABS) {
    test(`the ${lab.id} lab's program shows whole, in the column beside its results`, async ({
      page,
    }) => {
      await openPlayground(page, `lab=${lab.id}`);
      await expect(pageTitle(page)).toHaveText(lab.title);
      const box = await programBox(page);
      expect(box.scroll, 'the program scrolls sideways').toBeLessThanOrEqual(box.client + 1);
      const resultsBox = await results(page).boundingBox();
      expect(resultsBox?.x ?? 0).toBeGreaterThanOrEqual(box.right);
    });

    test(`embedded, the ${lab.id} lab is about one screen high before a run, its program scrolling in its own box`, async ({
      page,
    }) => {
      await openPlayground(page, `lab=${lab.id}&embed=1`);
      await expect(pageTitle(page)).toHaveText(lab.title);
      await expect(page.getByRole('heading', { name: 'The Python it stands for', exact: true })).toBeVisible();
      // 1.3 to 1.5 screens at 1280 x 800 (the snippet's frame is 900 high); the full page
      // runs to 3.5 and more.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      expect(height).toBeLessThanOrEqual(1.5 * 800);
      const box = await program(page).evaluate((el) => ({
        scroll: el.scrollHeight,
        client: el.clientHeight,
        shades: getComputedStyle(el).backgroundImage.match(/linear-gradient/g)?.length ?? 0,
      }));
      expect(box.scroll, 'the program scrolls in its own box').toBeGreaterThan(box.client);
      expect(box.shades, 'with a shade at the edges where there is more').toBeGreaterThanOrEqual(8);
    });
  }
});

test.describe('at 375 x 667', () => {
  test.use({ viewport: { width: 375, height: 667 } });

  test('a program wider than the phone scrolls in its own box, a shade at its edge', async ({
    page,
  }) => {
    await openPlayground(page, 'lab=mixed');
    const box = await programBox(page);
    expect(box.scroll).toBeGreaterThan(box.client);
    const shade = await program(page).evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(shade.match(/linear-gradient/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
    const page_ = await page.evaluate(() => ({
      content: document.scrollingElement?.scrollWidth ?? 0,
      viewport: window.innerWidth,
    }));
    expect(page_.content).toBeLessThanOrEqual(page_.viewport + 1);
  });
});
