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
  runAllButton,
  compareTable,
  runButton,
  stopButton,
} from '../playground';

/** The labs other specs open by id; the home page must list them. */
const LABS_THIS_SUITE_RUNS: readonly string[] = [
  'hello',
  'generators',
  'sleep',
  'http',
  'is-prime',
  'mixed',
  'combined',
  'cats',
  'compare',
  'pitfalls',
];

// LABS is read from this very navigation (registry.ts); here it is checked against the labs
// the rest of the suite opens by id, and each lab's page against its link.
test('the home page lists the labs as links to ?lab=<id>, those this suite runs among them', async ({
  page,
}) => {
  await openPlayground(page, '');

  await expect(pageTitle(page)).toHaveText('Async Playground');
  const labs = labsNavigation(page);
  await expect(labs.getByRole('link')).toHaveCount(LABS.length);
  for (const id of LABS_THIS_SUITE_RUNS) {
    const lab = LABS.find((l) => l.id === id);
    expect(lab, `the home page lists the ${id} lab`).toBeDefined();
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

    // Every lab is built: it can be run (Run, or Run all on compare), or it is a page of
    // explained cases.
    await expect(runButton(page).or(runAllButton(page)).or(cases(page)).first()).toBeVisible();
    if (await runAllButton(page).isVisible()) {
      await expect(stopButton(page)).toBeDisabled();
      await expect(compareTable(page)).toBeVisible();
    } else if (await runButton(page).isVisible()) {
      await expect(stopButton(page)).toBeDisabled();
      await expect(results(page)).toBeVisible();
    } else {
      await expect(cases(page).getByRole('article').first()).toBeVisible();
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
