// A learner who uses a screen reader, the keyboard alone, or no colour vision, on every lab the
// home page lists (the page's own registry: a new lab is checked here without an edit).
import {
  expectNoSeriousViolations,
  pageScrollsSideways,
  runSmallest,
  showTables,
  smallTargets,
  tabThroughEveryControl,
} from '../a11y';
import { expect, test } from '../fixtures';
import {
  finishedResult,
  heartbeat,
  LABS,
  lagMeter,
  notices,
  openPlayground,
  pageTitle,
  resultOf,
  results,
  runButton,
  timelineOf,
} from '../playground';

for (const lab of LABS) {
  test(`the ${lab.id} lab passes axe before and after a run, light and dark; every control shows its focus and fits a phone`, async ({
    page,
  }) => {
    await openPlayground(page, `lab=${lab.id}`);
    await expect(pageTitle(page)).toHaveText(lab.title);
    await expectNoSeriousViolations(page, 'before a run');
    await tabThroughEveryControl(page);

    if (!(await runSmallest(page))) return;
    await showTables(page);
    await expectNoSeriousViolations(page, 'after a run');
    await tabThroughEveryControl(page);

    // The same results on a phone (layout.spec.ts checks each lab's page before a run).
    await page.setViewportSize({ width: 375, height: 812 });
    expect(await pageScrollsSideways(page), 'at 375 px the page scrolls sideways').toBe(false);
    expect(await smallTargets(page), 'at 375 px, targets under 44 x 44 px').toEqual([]);
  });
}

test('a run from the keyboard alone: Tab to Run, Enter, then Show as table opens with Enter', async ({
  page,
}) => {
  await openPlayground(page, 'lab=hello&tasks=3&seconds=0.2');
  await expect(runButton(page)).toBeEnabled();

  const focusOn = async (name: string) => {
    for (let presses = 0; presses < 120; presses++) {
      const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
      if (focused === name) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`"${name}" is not reachable with Tab`);
  };
  await focusOn('Run');
  await expect(runButton(page)).toBeFocused();
  await page.keyboard.press('Enter');
  await finishedResult(page, 'sequential');
  await finishedResult(page, 'event-loop');

  // The first "Show as table" after Run is the sequential result's.
  await focusOn('Show as table');
  await page.keyboard.press('Enter');
  const table = resultOf(page, 'sequential').getByRole('table');
  await expect(table).toBeVisible();
  // The header, sequential() (which awaits its tasks in turn), then its three tasks.
  await expect(table.getByRole('row')).toHaveCount(1 + 1 + 3);
  await page.keyboard.press('Enter');
  await expect(table).toBeHidden();
});

test('the timeline as a table: one row per timeline row, with its lane, start and end', async ({
  page,
}) => {
  await openPlayground(page, 'lab=hello&tasks=3&seconds=0.2&executors=sequential,event-loop');
  await runButton(page).click();
  await finishedResult(page, 'sequential');
  await finishedResult(page, 'event-loop');
  await showTables(page);

  // After the header and the executor's own function's row, the tasks' rows.
  const rows = async (executor: 'sequential' | 'event-loop') =>
    (await resultOf(page, executor).getByRole('table').getByRole('row').allInnerTexts())
      .slice(2)
      .map((line) => line.split('\t').map((cell) => cell.trim()));
  const sequential = await rows('sequential');
  expect(sequential.map((cells) => cells.slice(0, 2))).toEqual([
    ['task 1', 'main thread'],
    ['task 2', 'main thread'],
    ['task 3', 'main thread'],
  ]);
  // Each task starts when the one before it ended: one sleep apart.
  const seconds = (cell: string) => Number(cell.replace(' s', ''));
  for (let i = 1; i < 3; i++) {
    expect(seconds(sequential[i][2])).toBeCloseTo(seconds(sequential[i - 1][3]), 1);
    expect(seconds(sequential[i][2])).toBeGreaterThanOrEqual(0.19 * i);
  }
  // A browser timer can be late on a busy machine: past 4 ms the task is drawn ready for it.
  expect(sequential[0][4]).toMatch(/^(ready \d+ ms; )?suspended \d+ ms$/);
  expect(sequential[0][5]).toMatch(/^awaiting a sleep \d+ ms(; waiting for the thread \d+ ms)?$/);
  // gather starts them all at once.
  const gathered = await rows('event-loop');
  expect(gathered).toHaveLength(3);
  for (const cells of gathered) expect(seconds(cells[2])).toBeLessThan(0.1);
  await expect(timelineOf(page, 'event-loop')).toBeVisible();
});

test('many tasks: the table has one row per group of tasks, as the timeline draws them', async ({
  page,
}) => {
  await openPlayground(page, 'lab=sleep&tasks=100&seconds=0.2&executors=event-loop');
  await runButton(page).click();
  await finishedResult(page, 'event-loop');
  await showTables(page);
  const headers = resultOf(page, 'event-loop').getByRole('table').getByRole('rowheader');
  // 100 tasks on at most 24 rows: 5 a row, 20 rows, under event_loop().
  await expect(headers).toHaveCount(1 + 20);
  await expect(headers.first()).toHaveText('event_loop()');
  await expect(headers.nth(1)).toHaveText('tasks 1\u20135');
  await expect(headers.last()).toHaveText('tasks 96\u2013100');
});

test("the cats' calls are rows of the table, each under its task and its caller", async ({ page }) => {
  await openPlayground(page, 'lab=cats&cats=2&seconds=0.2&executors=event-loop');
  await runButton(page).click();
  await finishedResult(page, 'event-loop');
  const result = resultOf(page, 'event-loop');
  await result.getByText('Show as table', { exact: true }).click();
  const headers = await result.getByRole('table').getByRole('rowheader').allInnerTexts();
  const at = (name: string) => headers.indexOf(name);
  const sleep = 'task 1 \u203a exists \u203a _have_free_time \u203a _sleep';
  // gather's tasks sit under the function that gathered them.
  expect(at('event_loop()')).toBe(0);
  expect(at('task 1')).toBe(1);
  expect(at('task 1 \u203a exists')).toBeGreaterThan(at('task 1'));
  expect(at(sleep)).toBeGreaterThan(at('task 1 \u203a exists'));
  expect(at('task 2')).toBeGreaterThan(at(sleep));
});

test("the status region announces a run's start and end, and stays the page's only one", async ({
  page,
}) => {
  await openPlayground(page, 'lab=hello&seconds=0.5');
  await expect(notices(page)).toHaveCount(1);
  await expect(notices(page)).not.toContainText('Run');
  await runButton(page).click();
  await expect(notices(page)).toContainText('Run started: sequential, then event-loop.');
  await finishedResult(page, 'event-loop');
  await expect(notices(page)).toContainText(/Run finished: sequential \S+ m?s, event-loop \S+ m?s\./);
  await expect(page.getByRole('status')).toHaveCount(1);
});

for (const [query, label] of [
  ['lab=generators&seconds=2', 'Run'],
  ['lab=sleep&tasks=1000&seconds=1', 'Run'],
] as const) {
  test(`while a run goes (${query}), the live regions speak at most about once a second`, async ({
    page,
  }) => {
    await openPlayground(page, query);
    await expect(runButton(page)).toBeEnabled();
    // Every change inside a region a screen reader would read out (its aria-live not off at
    // that moment), stamped to the frame it came in.
    await page.evaluate(() => {
      const w = window as unknown as { __spoken: number[] };
      w.__spoken = [];
      const speaking = (node: Node | null) => {
        const el = node instanceof Element ? node : node?.parentElement;
        const region = el?.closest('[role=log],[role=status],[role=alert],[aria-live]');
        return !!region && region.getAttribute('aria-live') !== 'off';
      };
      new MutationObserver((records) => {
        if (records.some((r) => speaking(r.target))) w.__spoken.push(Math.round(performance.now()));
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByRole('button', { name: label, exact: true }).click();
    await expect(page.getByRole('status')).toContainText(/Run finished/, { timeout: 30_000 });
    const spoken = await page.evaluate(() => (window as unknown as { __spoken: number[] }).__spoken);
    expect(spoken.length, 'the start and the end are announced').toBeGreaterThanOrEqual(2);
    // The most updates inside any one second (a run's end may come with its last lines).
    const most = Math.max(...spoken.map((t) => spoken.filter((u) => u >= t && u < t + 1000).length));
    expect(most).toBeLessThanOrEqual(3);
  });
}

test('prefers-reduced-motion stills the heartbeat; the lag meter stays', async ({ page }) => {
  const dot = heartbeat(page).locator('.dot');
  const transforms = async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      seen.add(await dot.evaluate((el) => getComputedStyle(el).transform));
      await page.waitForTimeout(60);
    }
    return seen;
  };
  await openPlayground(page, 'lab=hello');
  await expect(heartbeat(page)).toBeVisible();
  expect((await transforms()).size, 'the heartbeat moves by default').toBeGreaterThan(1);

  await page.emulateMedia({ reducedMotion: 'reduce' });
  expect([...(await transforms())]).toEqual(['none']);
  await expect(lagMeter(page)).toBeVisible();
  await expect(lagMeter(page)).toHaveAttribute('aria-valuenow', /^\d+$/);
  await expect(results(page)).toBeVisible();
});
