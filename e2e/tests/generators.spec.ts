// A learner builds the article's event loop from generators: each version of hello prints
// what CPython prints, in order, and the busy waits never freeze the page.
//
// Timing: the machines are shared and noisy, so the assertions are about order, with lower
// bounds no correct run can miss and upper bounds with wide margins.
import { resultMessages, startCourseSite } from '../course-site';
import { expect, test } from '../fixtures';
import {
  generatorLoopOutcome,
  generatorLoopResult,
  heartbeat,
  numericAttribute,
  openPlayground,
  outputLines,
  pageTitle,
  printedTexts,
  resetButton,
  runButton,
  stepButton,
  stopButton,
  versionTab,
  versionTabs,
} from '../playground';

test('yield from asleep: both hellos, then both goodbyes after one shared wait', async ({
  page,
}) => {
  await openPlayground(page, 'lab=generators&solution=4&seconds=0.5&run=1');
  await expect(pageTitle(page)).toHaveText('Build your own event loop');

  const result = await generatorLoopOutcome(page);
  expect(result.status).toBe('finished');
  expect(result.wallMs).toBeGreaterThanOrEqual(450);
  expect(result.wallMs).toBeLessThan(2500);
  expect(result.expectedMs).toBe(500);
  expect(result.tasksDone).toBe(2);

  const printed = await printedTexts(page);
  expect(printed.filter((text) => text === 'hello' || text === 'goodbye')).toEqual([
    'hello',
    'hello',
    'goodbye',
    'goodbye',
  ]);
  // The loop printed None on every tick of the wait: one line, with its count.
  expect(printed[0]).toBe('hello');
  expect(printed[1]).toBe('None');
  const run = printed.find((text) => /^None x [\d,]+$/.test(text));
  expect(run, 'a run of Nones collapsed with its count').toBeDefined();
  // Its source is the generators' numbers, never the words printed.
  await expect(outputLines(page).filter({ hasText: /None x/ }).first()).toContainText(
    'generators 1 and 2',
  );
  // The busy wait ran in slices: the page kept painting.
  const gap = await numericAttribute(heartbeat(page), 'data-max-frame-gap-ms');
  expect(gap).toBeLessThan(300);
});

test('without a yield, hello runs when called and the loop raises the TypeError', async ({
  page,
}) => {
  await openPlayground(page, 'lab=generators&solution=0&seconds=0.2&run=1');

  const result = await generatorLoopOutcome(page);
  expect(result.status).toBe('failed');
  expect(result.wallMs).toBeGreaterThanOrEqual(380);
  expect(await printedTexts(page)).toEqual([
    'hello',
    'goodbye',
    'hello',
    'goodbye',
    "TypeError: 'NoneType' object is not an iterator",
  ]);
});

test('yield asleep prints the generator object and finishes in well under the sleep', async ({
  page,
}) => {
  await openPlayground(page, 'lab=generators&solution=3&seconds=2&run=1');

  const result = await generatorLoopOutcome(page);
  expect(result.status).toBe('finished');
  expect(result.wallMs).toBeLessThan(500);
  const printed = await printedTexts(page);
  expect(printed).toHaveLength(6);
  expect(printed[1]).toMatch(/^<generator object asleep at 0x[0-9a-f]+>$/);
  expect(printed.filter((text) => text === 'hello' || text === 'goodbye')).toEqual([
    'hello',
    'hello',
    'goodbye',
    'goodbye',
  ]);
});

test('one yield before time.sleep: the goodbyes come one sleep apart', async ({ page }) => {
  await openPlayground(page, 'lab=generators&solution=1&seconds=0.4&run=1');

  const result = await generatorLoopOutcome(page);
  expect(result.status).toBe('finished');
  expect(result.wallMs).toBeGreaterThanOrEqual(780);
  expect(await printedTexts(page)).toEqual(['hello', 'None', 'hello', 'None', 'goodbye', 'goodbye']);
  const stamps = await outputLines(page).locator('.t').allInnerTexts();
  const apartMs = (parseFloat(stamps[5]) - parseFloat(stamps[4])) * 1000;
  expect(apartMs).toBeGreaterThanOrEqual(380);
  expect(apartMs).toBeLessThan(1500);
});

test('Step runs one next() at a time from the keyboard, before any Run', async ({ page }) => {
  await openPlayground(page, 'lab=generators&solution=1&seconds=0.2');
  await expect(versionTab(page, 1)).toHaveAttribute('aria-selected', 'true');

  // Tab through the page until Step has the focus, as a keyboard user does.
  const stepIsFocused = () =>
    stepButton(page).evaluate((button) => button === document.activeElement);
  let presses = 0;
  while (!(await stepIsFocused())) {
    expect(presses++, 'Step is reachable with Tab').toBeLessThan(40);
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  await expect.poll(() => printedTexts(page)).toEqual(['hello', 'None']);
  // The line where generator 1 stopped is marked in the Python: its bare yield.
  // (Its number and arrow are drawn by CSS: the code's text is the program alone.)
  await expect(page.locator('[aria-current="step"]')).toHaveText(/^\s+yield$/);
  await expect(page.locator('pre.code.numbered')).toHaveAttribute('data-current-line', /^\d+$/);

  await expect(stepButton(page)).toBeFocused();
  await page.keyboard.press(' ');
  await expect.poll(() => printedTexts(page)).toEqual(['hello', 'None', 'hello', 'None']);
  await expect(page.getByText(/next\(\) 2 ran generator 2/)).toBeVisible();

  // The third next() is generator 1's time.sleep, then its goodbye.
  await page.keyboard.press('Enter');
  await expect
    .poll(() => printedTexts(page))
    .toEqual(['hello', 'None', 'hello', 'None', 'goodbye']);
  await expect(generatorLoopResult(page)).toHaveAttribute('data-status', 'running');
  await expect(stopButton(page)).toBeEnabled();

  // Run plays the rest.
  await runButton(page).click();
  const result = await generatorLoopOutcome(page);
  expect(result.status).toBe('finished');
  expect(await printedTexts(page)).toEqual(['hello', 'None', 'hello', 'None', 'goodbye', 'goodbye']);
  // Its wall time counted the pauses between the steps, and the result says so.
  await expect(generatorLoopResult(page)).toContainText(
    'Stepped by hand: the wall time counts your pauses between steps',
  );
});

test('Stop ends a busy wait where it is, and Reset goes back before the first step', async ({
  page,
}) => {
  await openPlayground(page, 'lab=generators&solution=2&seconds=30');
  await runButton(page).click();
  await expect(stopButton(page)).toBeEnabled();
  await expect.poll(async () => (await printedTexts(page)).length).toBeGreaterThanOrEqual(4);
  await page.waitForTimeout(2000);
  await stopButton(page).click();

  const result = await generatorLoopOutcome(page);
  expect(result.status).toBe('stopped');
  expect(result.tasksDone).toBe(0);
  // A frozen page would show one gap as long as the run (over 2 s); a busy machine delays
  // frames by less than half of that.
  const gap = await numericAttribute(heartbeat(page), 'data-max-frame-gap-ms');
  expect(gap, 'the busy wait never froze the page').toBeLessThan(1000);

  await resetButton(page).click();
  await expect(outputLines(page)).toHaveCount(0);
  await expect(generatorLoopResult(page)).toHaveAttribute('data-status', 'pending');
});

test("the versions are tabs in the article's order, and the arrow keys move among them", async ({
  page,
}) => {
  await openPlayground(page, 'lab=generators&solution=1');
  const names = [
    '0: no yield',
    '1: yield, then time.sleep',
    '2: a loop that yields until the time is up',
    '3: yield asleep(seconds)',
    '4: yield from asleep(seconds)',
  ];
  await expect(versionTabs(page)).toHaveCount(names.length);
  for (const [i, name] of names.entries()) {
    await expect(versionTabs(page).nth(i)).toHaveAccessibleName(name);
  }
  // One tab in the tab order, the chosen one; the panel it controls is the stepper.
  await expect(versionTab(page, 1)).toHaveAttribute('tabindex', '0');
  await expect(versionTab(page, 2)).toHaveAttribute('tabindex', '-1');
  await expect(page.getByRole('tabpanel', { name: /^1: / })).toContainText('The loop now');

  await versionTab(page, 1).focus();
  await page.keyboard.press('ArrowRight');
  await expect(versionTab(page, 2)).toBeFocused();
  await expect(versionTab(page, 2)).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/[?&]solution=2(&|$)/);
  await expect(page.getByRole('heading', { name: 'The Python of version 2', exact: true })).toBeVisible();
  await page.keyboard.press('End');
  await expect(versionTab(page, 4)).toBeFocused();
  await expect(page).toHaveURL(/[?&]solution=4(&|$)/);
  await page.keyboard.press('Home');
  await expect(versionTab(page, 0)).toHaveAttribute('aria-selected', 'true');
  await versionTab(page, 3).click();
  await expect(page).toHaveURL(/[?&]solution=3(&|$)/);
  await expect(page.getByRole('tabpanel', { name: /^3: / })).toBeVisible();
});

test('the helper class the article does not have is folded, and one click shows it', async ({
  page,
}) => {
  await openPlayground(page, 'lab=generators');
  const program = page.locator('#stepper-program');
  const helperLine = program.locator('.line', { hasText: 'def show(self, value) -> None:' });
  await expect(program.locator('.line', { hasText: /^class Collapsed:$/ })).toBeVisible();
  await expect(helperLine).toBeHidden();
  const show = page.getByRole('button', { name: 'Show class Collapsed', exact: true });
  await expect(show).toHaveAttribute('aria-expanded', 'false');
  await show.click();
  await expect(helperLine).toBeVisible();
  const fold = page.getByRole('button', { name: 'Fold class Collapsed', exact: true });
  await expect(fold).toHaveAttribute('aria-expanded', 'true');
  // Folded or not, each line keeps its own number: the call at the end is the last line.
  const lines = await program.locator('.line').count();
  await fold.click();
  await expect(program.locator('.line').last()).toHaveAttribute('data-n', String(lines));
  await expect(program.locator('.line').last()).toHaveText('loop([hello(), hello()])');
});

/** Whether the element is on the screen whole, below the sticky bar. */
async function onScreen(page: import('@playwright/test').Page, selector: string) {
  return page.locator(selector).last().evaluate((el) => {
    const box = el.getBoundingClientRect();
    const bar = document.querySelector('.vitals')?.getBoundingClientRect().bottom ?? 0;
    return box.height > 0 && box.top >= bar - 1 && box.bottom <= window.innerHeight + 1;
  });
}

for (const [width, height] of [
  [1280, 800],
  [375, 667],
]) {
  test(`at ${width} px, a Step keeps the marked line, the loop's state and the newest output in view`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height });
    // A long wait: every step of these six is a next() that yields.
    await openPlayground(page, 'lab=generators&solution=4&seconds=30');
    for (let n = 1; n <= 6; n++) {
      await stepButton(page).click();
      await expect(page.locator('[data-steps]')).toHaveAttribute('data-steps', String(n));
      for (const part of [
        'button:text-is("Step")',
        '[aria-current="step"]',
        '.last-step',
        '#gen-output-log li',
      ]) {
        expect(await onScreen(page, part), `after step ${n}: ${part} on screen`).toBe(true);
      }
    }
    // On a phone the program's pane scrolled itself to the marked line (the page kept Step in
    // view); a wide screen shows the whole program.
    if (width < 960) {
      expect(await page.locator('#stepper-program').evaluate((pre) => pre.scrollTop)).toBeGreaterThan(0);
    }
  });
}

test("the article's original code is a click away", async ({ page }) => {
  await openPlayground(page, 'lab=generators');
  // A link to the article's code as printed, a file of the build, opened in a new tab.
  const original = page.getByRole('link', { name: "The article's original code", exact: true });
  await expect(original).toHaveAttribute('target', '_blank');
  const answer = await page.request.get(new URL((await original.getAttribute('href')) ?? '', page.url()).toString());
  expect(answer.ok()).toBe(true);
  expect(await answer.text()).toContain('except StopException:');
});

test('embedded, the lesson page runs the loop by message and gets one result', async ({
  page,
}, testInfo) => {
  const baseUrl = testInfo.project.use.baseURL;
  if (!baseUrl) throw new Error('baseURL is not configured (BASE_URL)');
  const courseSite = await startCourseSite(baseUrl);
  try {
    await page.goto(
      courseSite.lessonUrl('lab=generators&embed=1&id=loop-1&solution=2&seconds=0.3'),
    );
    const playground = page.frameLocator('#playground');
    await expect(runButton(playground)).toBeEnabled();
    await page.evaluate(() => {
      const frame = document.getElementById('playground') as HTMLIFrameElement;
      frame.contentWindow?.postMessage({ type: 'async-playground:run' }, '*');
    });

    const results = () => resultMessages(page);
    await expect.poll(async () => (await results()).length).toBe(1);
    const [result] = await results();
    expect(result).toMatchObject({
      id: 'loop-1',
      lab: 'generators',
      params: { solution: '2', seconds: 0.3 },
      executors: [
        { name: 'generator-loop', status: 'finished', expected_ms: 300, tasks_done: 2, tasks_total: 2 },
      ],
    });
    // One message per run: nothing more arrives.
    await page.waitForTimeout(1000);
    expect(await results()).toHaveLength(1);
  } finally {
    await courseSite.close();
  }
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test('the lab fits the screen, run included, without horizontal scrolling', async ({ page }) => {
    await openPlayground(page, 'lab=generators&solution=4&seconds=0.3&run=1');
    expect((await generatorLoopOutcome(page)).status).toBe('finished');
    const widths = await page.evaluate(() => ({
      content: document.scrollingElement?.scrollWidth ?? 0,
      viewport: window.innerWidth,
    }));
    expect(widths.content).toBeLessThanOrEqual(widths.viewport + 1);
  });
});

test('while Run goes the Output log stays quiet for a screen reader, and speaks again after', async ({
  page,
}) => {
  await openPlayground(page, 'lab=generators&solution=4&seconds=1');
  const log = page.getByRole('log', { name: 'Output', exact: true });
  await expect(log).toHaveAttribute('aria-live', 'polite');
  await runButton(page).click();
  await expect(log).toHaveAttribute('aria-live', 'off');
  const result = await generatorLoopOutcome(page);
  expect(result.status).toBe('finished');
  await expect(log).toHaveAttribute('aria-live', 'polite');
});

test('Step back undoes a Step: the next() count, the marked line and the Output go back with it', async ({
  page,
}) => {
  await openPlayground(page, 'lab=generators&solution=4&seconds=0.2');
  const steps = page.locator('[data-steps]');
  const back = page.getByRole('button', { name: 'Step back', exact: true });
  // Nothing to undo yet: it says so, and keeps its place in the tab order.
  await expect(back).toHaveAttribute('aria-disabled', 'true');
  for (const n of [1, 2, 3]) {
    await stepButton(page).click();
    await expect(steps).toHaveAttribute('data-steps', String(n));
  }
  const marked = page.locator('#stepper-program').getAttribute('data-current-line');
  const printed = await outputLines(page).count();
  await stepButton(page).click();
  await expect(steps).toHaveAttribute('data-steps', '4');
  await expect(back).toHaveAttribute('aria-disabled', 'false');
  await back.click();
  await expect(steps).toHaveAttribute('data-steps', '3');
  await expect(page.locator('#stepper-program')).toHaveAttribute('data-current-line', (await marked) ?? '');
  await expect(outputLines(page)).toHaveCount(printed);
  // From the keyboard too, back to before the first step.
  await back.focus();
  for (const n of [2, 1, 0]) {
    await page.keyboard.press('Enter');
    await expect(steps).toHaveAttribute('data-steps', String(n));
  }
  await expect(back).toHaveAttribute('aria-disabled', 'true');
  await expect(back).toBeFocused();
});
