// A learner opens the playground's address and picks a lab from the list.
import { expect, test } from '../fixtures';
import {
  cases,
  LABS,
  labsNavigation,
  notices,
  openPlayground,
  pageTitle,
  results,
  runButton,
  stopButton,
} from '../playground';

/** The labs the rest of this suite runs; they must be built, not "coming soon". */
const LABS_THIS_SUITE_RUNS: readonly string[] = ['hello', 'sleep'];

test('the home page lists every lab of the registry as a link to ?lab=<id>', async ({ page }) => {
  await openPlayground(page, '');

  await expect(pageTitle(page)).toHaveText('Async Playground');
  const labs = labsNavigation(page);
  await expect(labs.getByRole('link')).toHaveCount(LABS.length);
  for (const lab of LABS) {
    await expect(labs.getByRole('link', { name: lab.title, exact: true })).toHaveAttribute(
      'href',
      `?lab=${lab.id}`,
    );
  }
  await expect(notices(page)).toHaveCount(1);
});

for (const lab of LABS) {
  test(`following "${lab.title}" from the home page opens the ${lab.id} lab`, async ({ page }) => {
    await openPlayground(page, '');
    await labsNavigation(page).getByRole('link', { name: lab.title, exact: true }).click();

    await expect(page).toHaveURL((url) => url.searchParams.get('lab') === lab.id);
    await expect(pageTitle(page)).toHaveText(lab.title);
    await expect(notices(page)).toHaveCount(1);

    // A lab is built (it can be run, or it is a page of explained cases) or says it is coming
    // soon, with a way back.
    const comingSoon = page.locator('p').filter({ hasText: /coming soon/i });
    await expect(runButton(page).or(cases(page)).or(comingSoon).first()).toBeVisible();
    if (await runButton(page).isVisible()) {
      await expect(stopButton(page)).toBeDisabled();
      await expect(results(page)).toBeVisible();
    } else if (await cases(page).isVisible()) {
      await expect(cases(page).getByRole('article').first()).toBeVisible();
    } else {
      expect(LABS_THIS_SUITE_RUNS, `${lab.id} must be built, not coming soon`).not.toContain(
        lab.id,
      );
      await expect(comingSoon).toBeVisible();
    }

    await page.getByRole('link', { name: 'All labs', exact: true }).first().click();
    await expect(pageTitle(page)).toHaveText('Async Playground');
  });
}

test('an unknown lab shows the home page and a notice naming `lab`', async ({ page }) => {
  await openPlayground(page, 'lab=nope');

  await expect(pageTitle(page)).toHaveText('Async Playground');
  await expect(labsNavigation(page)).toBeVisible();
  await expect(notices(page)).toHaveCount(1);
  await expect(notices(page)).toContainText(/\blab\b/);
});
