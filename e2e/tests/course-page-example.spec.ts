// The example course page of `examples/` (README, "Embedding in a course"), hosted on another
// origin with the playground's address in `?playground=`: it embeds two labs, sizes them from
// their resize messages, starts a run by message and lists the result it receives.
import { startCourseSite, type CourseSite } from '../course-site';
import { expect, test } from '../fixtures';
import { pageTitle, resultOf, results, runButton } from '../playground';

let courseSite: CourseSite;
let playgroundOrigin: string;

test.beforeAll(async ({}, testInfo) => {
  const baseUrl = testInfo.project.use.baseURL;
  if (!baseUrl) throw new Error('baseURL is not configured (BASE_URL)');
  playgroundOrigin = new URL(baseUrl).origin;
  courseSite = await startCourseSite(baseUrl);
  expect(courseSite.origin).not.toBe(playgroundOrigin);
});

test.afterAll(async () => {
  await courseSite?.close();
});

test('the example course page embeds two labs, starts a run and shows its result', async ({
  page,
}) => {
  await page.goto(courseSite.exampleUrl('course-page.html'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Lesson 3: waiting without blocking',
  );

  // Both labs load from the playground's origin, in embed mode, each with its own id.
  const hello = page.frameLocator('#lab-1');
  const isPrime = page.frameLocator('#lab-2');
  await expect(pageTitle(hello)).toHaveText('Hello, await');
  await page.locator('#lab-2').scrollIntoViewIfNeeded();
  await expect(pageTitle(isPrime)).toHaveText('Is prime (CPU-bound)');
  for (const selector of ['#lab-1', '#lab-2']) {
    const src = new URL((await page.locator(selector).getAttribute('src')) ?? '');
    expect(src.origin).toBe(playgroundOrigin);
    expect(src.searchParams.get('embed')).toBe('1');
  }
  await expect(hello.getByRole('banner')).toHaveCount(0);

  // The page took its frame's height from the playground's resize message. Chromium pauses
  // the rendering (and so the resize observer) of a cross-origin frame scrolled out of view:
  // the frame reports its final height once it is on screen again. (An embedded lab leaves
  // its notes to the full lab, so nothing arriving later changes its height before a run.)
  const run = page.getByRole('button', { name: 'Run lab 1' });
  await expect(run).toBeEnabled();
  await page.locator('#lab-1').scrollIntoViewIfNeeded();
  await expect(hello.locator('pre.code')).toBeVisible();
  await expect
    .poll(async () => {
      const frameHeight = await page.locator('#lab-1').evaluate((frame) => frame.clientHeight);
      const contentHeight = await hello
        .locator('.app')
        .evaluate((app) => Math.ceil(app.getBoundingClientRect().height));
      return frameHeight === contentHeight;
    })
    .toBe(true);

  // The course page's button starts the run by message; the result shows on the course page.
  await page.locator('#lab-1').scrollIntoViewIfNeeded();
  await run.click();
  await expect(resultOf(hello, 'sequential')).toHaveAttribute('data-status', /running|finished/);
  const rows = page.locator('#results tr');
  await expect(rows).toHaveCount(2, { timeout: 30_000 });
  const cells = await rows.evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
  );
  expect(cells.map((row) => row.slice(0, 4))).toEqual([
    ['hello', 'lesson-3-hello', 'sequential', 'finished'],
    ['hello', 'lesson-3-hello', 'event-loop', 'finished'],
  ]);
  const wallSeconds = cells.map((row) => Number(row[4]));
  expect(wallSeconds[0]).toBeGreaterThanOrEqual(2);
  expect(wallSeconds[1]).toBeGreaterThanOrEqual(1);
  expect(wallSeconds[1]).toBeLessThan(wallSeconds[0]);
  expect(cells.map((row) => row[6])).toEqual(['2 of 2', '2 of 2']);

  // The second lab was not started by the first one's button.
  await expect(runButton(isPrime)).toBeEnabled();
  await expect(
    results(isPrime).locator('article[data-status="running"], article[data-status="finished"]'),
  ).toHaveCount(0);
});

test('the third lab of the example course page is sized by its H5P-style resizer', async ({
  page,
}) => {
  await page.goto(courseSite.exampleUrl('course-page.html'));
  const cats = page.frameLocator('#lab-3');
  await page.locator('#lab-3').scrollIntoViewIfNeeded();
  await expect(pageTitle(cats)).toHaveText('Cats');
  await expect(cats.locator('pre.code')).toBeVisible();
  // course-page.js leaves this frame alone; only H5P's handshake can size it.
  await expect
    .poll(async () => {
      await page.locator('#lab-3').scrollIntoViewIfNeeded();
      const frameHeight = await page.locator('#lab-3').evaluate((frame) => frame.clientHeight);
      const contentHeight = await cats
        .locator('.app')
        .evaluate((app) => Math.ceil(app.getBoundingClientRect().height));
      return frameHeight === contentHeight;
    })
    .toBe(true);
  await expect(page.getByRole('button', { name: 'Run lab 3' })).toBeEnabled();
});

test('our server serves the example course page, and its labs load there', async ({ page }) => {
  const served = await page.goto(`examples/course-page.html?playground=${encodeURIComponent(`${playgroundOrigin}/`)}`);
  expect(served?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Lesson 3: waiting without blocking',
  );
  await expect(pageTitle(page.frameLocator('#lab-1'))).toHaveText('Hello, await');
});

test('the example course page opened from disk frames the labs', async ({ page }) => {
  // A page opened from disk is a `file:` page: the playground lets it frame the labs too.
  const onDisk = new URL('../../examples/course-page.html', import.meta.url);
  onDisk.searchParams.set('playground', `${playgroundOrigin}/`);
  await page.goto(onDisk.toString());
  await expect(pageTitle(page.frameLocator('#lab-1'))).toHaveText('Hello, await');
  await expect(page.getByRole('button', { name: 'Run lab 1' })).toBeEnabled();
});
