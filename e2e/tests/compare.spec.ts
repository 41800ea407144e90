// A teacher closes a course on the article's table: every workload on every executor, run on
// the learner's machine, beside the article's own figures and the model's prediction.
import type { Page } from '@playwright/test';
import { resultMessages, startCourseSite, type CourseSite } from '../course-site';
import { expect, test } from '../fixtures';
import {
  compareTable,
  notices,
  openPlayground,
  pageTitle,
  runAllButton,
  runProgress,
  stopButton,
} from '../playground';

/** The table's rows, by key (`sleep/event-loop`), in the article's order. */
const ROWS = [
  'sleep/event-loop',
  'sleep/threads',
  'sleep/pool',
  'http/event-loop',
  'http/threads',
  'http/pool',
  'is-prime/event-loop',
  'is-prime/threads',
  'is-prime/pool',
  'mixed/event-loop',
  'mixed/threads',
  'mixed/pool',
  'combined/pool-of-loops',
];

const rowOf = (page: Page, key: string) => compareTable(page).locator(`tbody tr[data-row="${key}"]`);

/** Reads a duration as the page writes it (`12 ms`, `1.02 s`) in ms. */
function durationMs(text: string): number {
  const match = /([\d.,]+)\s*(ms|s)\b/.exec(text);
  if (!match) throw new Error(`no duration in "${text}"`);
  const value = Number(match[1].replaceAll(',', ''));
  return match[2] === 's' ? value * 1000 : value;
}

test('compare at a small scale runs every row, its measured time beside the article and the model', async ({
  page,
}) => {
  await openPlayground(page, 'lab=compare&scale=0.05');
  await expect(pageTitle(page)).toHaveText('Compare everything');

  // The page's first table: a header row and one row per workload x executor, before any run.
  const table = compareTable(page);
  await expect(table.getByRole('row')).toHaveCount(1 + ROWS.length);
  await expect(table.getByRole('columnheader')).toHaveText([
    'Workload on executor',
    'The article',
    'You predict (s)',
    'Model predicts',
    'Measured',
    'Speed-up over one at a time',
    'Status',
    'Why they differ',
  ]);
  expect(await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row')))).toEqual(ROWS);
  // The article's figures as it words them, and each row's size beside the article's.
  await expect(rowOf(page, 'sleep/threads').locator('td.article')).toHaveText('4.3 s');
  await expect(rowOf(page, 'mixed/event-loop').locator('td.article')).toHaveText('13 s');
  await expect(rowOf(page, 'combined/pool-of-loops').locator('td.article')).toHaveText('4.5 s');
  await expect(rowOf(page, 'http/event-loop').locator('td.article')).toHaveText('under 1 s');
  await expect(rowOf(page, 'sleep/event-loop').getByRole('rowheader')).toContainText(
    'Here: 4,000 tasks of 50 ms.',
  );
  await expect(rowOf(page, 'sleep/event-loop').getByRole('rowheader')).toContainText(
    'The article: 4,000 tasks of 3 s.',
  );
  // On fewer cores than the article's CPU rows assumed, they run a job per worker, and say so.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const fitted = rowOf(page, 'is-prime/pool').getByRole('rowheader');
  if (cores < 5) {
    await expect(fitted).toContainText(`Here: ${cores} jobs of`);
    await expect(fitted).toContainText('one per worker here, where the article ran 5 on 10 cores');
  } else {
    await expect(fitted).toContainText('Here: 5 jobs of');
  }
  // Each row's reason, read from the notes, names what differs.
  await expect(rowOf(page, 'http/event-loop').locator('td.why')).toContainText(
    '6 connections per host',
  );
  await expect(rowOf(page, 'mixed/pool').locator('td.why')).toContainText('10 processors');
  // Each row links to its lab with the row's parameters and its executor alone.
  const link = rowOf(page, 'sleep/pool').getByRole('link');
  const href = new URL((await link.getAttribute('href')) ?? '', page.url());
  expect(href.searchParams.get('lab')).toBe('sleep');
  expect(href.searchParams.get('tasks')).toBe('4');
  expect(href.searchParams.get('seconds')).toBe('0.05');
  expect(href.searchParams.get('executors')).toBe('pool');

  // Run all: scale 0.05 never asks, the progress bar and each row's status follow the run.
  await runAllButton(page).click();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(stopButton(page)).toBeEnabled();
  await expect(runProgress(page)).toBeVisible();
  await expect(rowOf(page, ROWS[0])).toHaveAttribute('data-status', /running|finished/);
  await expect(rowOf(page, ROWS[ROWS.length - 1])).toHaveAttribute('data-status', 'pending');
  for (const key of ROWS) {
    await expect(rowOf(page, key), key).toHaveAttribute('data-status', 'finished', {
      timeout: 90_000,
    });
  }
  await expect(runProgress(page)).toHaveAttribute('value', String(ROWS.length));
  await expect(notices(page)).toContainText(`Run all finished: ${ROWS.length} of ${ROWS.length} rows ran.`);
  await expect(runAllButton(page)).toBeEnabled();

  // The chart: per row the article's bar (where it gives a time), the model's and the
  // measured one, on a log scale; hidden from assistive technology, the table standing for it.
  const chart = page.locator('figure.compare-chart');
  await expect(chart.locator('figcaption')).toContainText('log scale');
  await expect(chart.locator('figcaption')).toContainText("The table above is the chart's text alternative.");
  await expect(chart.locator('svg')).toHaveAttribute('aria-hidden', 'true');
  await expect(chart.locator('rect.bar-measured')).toHaveCount(ROWS.length);
  await expect(chart.locator('rect.bar-predicted')).toHaveCount(ROWS.length);
  await expect(chart.locator('rect.bar-article')).toHaveCount(11);
  await expect(chart.locator('text.bar-words')).toHaveCount(2);

  // Every row measured a time; the event loop's 4,000 sleeps overlap (about one sleep of
  // 50 ms), and so do the threads' (no sleep of 50 ms ends sooner).
  const measured = async (key: string) => durationMs(await rowOf(page, key).locator('td.measured').innerText());
  for (const key of ROWS) expect(await measured(key), key).toBeGreaterThan(0);
  expect(await measured('sleep/event-loop')).toBeGreaterThanOrEqual(50);
  expect(await measured('sleep/event-loop')).toBeLessThan(50 * 8);
  expect(await measured('sleep/threads')).toBeGreaterThanOrEqual(50);

  // Each row's speed-up over running its own tasks one after another, so rows of different
  // sizes compare: 4,000 sleeps of 50 ms in turn would take 200 s.
  const speedUp = async (key: string) => {
    const text = await rowOf(page, key).locator('td.speedup').innerText();
    expect(text, key).toMatch(/^\d+(\.\d)?x$/);
    return parseFloat(text);
  };
  for (const key of ROWS) expect(await speedUp(key), key).toBeGreaterThan(0);
  expect(await speedUp('sleep/event-loop')).toBeGreaterThan(100);
});

test('Stop ends Run all in the row that is running; the rows after it never start', async ({
  page,
}) => {
  // At scale 1 the threads row sleeps a whole second: time enough to press Stop in it.
  await openPlayground(page, 'lab=compare&scale=1');
  await runAllButton(page).click();
  await expect(rowOf(page, 'sleep/threads')).toHaveAttribute('data-status', 'running', {
    timeout: 30_000,
  });
  await stopButton(page).click();
  await expect(rowOf(page, 'sleep/threads')).toHaveAttribute('data-status', 'stopped');
  await expect(rowOf(page, 'sleep/event-loop')).toHaveAttribute('data-status', 'finished');
  await expect(rowOf(page, 'http/event-loop')).toHaveAttribute('data-status', 'pending');
  await expect(notices(page)).toContainText('Run all stopped: 2 of 13 rows ran.');
  await expect(runAllButton(page)).toBeEnabled();
});

test('a link with run=1 runs the whole table when it opens', async ({ page }) => {
  await openPlayground(page, 'lab=compare&scale=0.01&run=1');
  for (const key of ROWS) {
    await expect(rowOf(page, key), key).toHaveAttribute('data-status', 'finished', {
      timeout: 90_000,
    });
  }
});

test('a scale over 1 asks before a long Run all, and Cancel runs nothing', async ({ page }) => {
  await openPlayground(page, 'lab=compare&scale=10');
  await runAllButton(page).click();
  const question = page.getByRole('alertdialog', { name: 'Long run' });
  await expect(question).toBeVisible();
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toHaveCount(0);
  await expect(rowOf(page, ROWS[0])).toHaveAttribute('data-status', 'pending');
});

test.describe('embedded in a course page', () => {
  let courseSite: CourseSite;
  test.beforeAll(async ({}, testInfo) => {
    courseSite = await startCourseSite(testInfo.project.use.baseURL ?? '');
  });
  test.afterAll(async () => courseSite?.close());

  test('one result message per row as it ends, the median run of each, with the row’s lab', async ({
    page,
  }) => {
    await page.goto(
      courseSite.lessonUrl('lab=compare&embed=1&id=table&scale=0.02&repeat=3&predict=sleep/pool:0.05'),
    );
    const playground = page.frameLocator('#playground');
    await expect(runAllButton(playground)).toBeEnabled();
    await page.evaluate(() => {
      const frame = document.getElementById('playground') as HTMLIFrameElement;
      frame.contentWindow?.postMessage({ type: 'async-playground:run' }, '*');
    });
    type Message = {
      id: string;
      lab: string;
      params: Record<string, unknown>;
      executors: { name: string; status: string; wall_ms: number; predicted_ms?: number }[];
    };
    // The first row's message arrives as the row ends, while the rest of the table runs.
    await expect
      .poll(async () => (await resultMessages<Message>(page)).length, { timeout: 60_000 })
      .toBeGreaterThan(0);
    await expect(runAllButton(playground)).toBeDisabled();
    await expect
      .poll(async () => (await resultMessages<Message>(page)).length, { timeout: 120_000 })
      .toBe(ROWS.length);
    const messages = await resultMessages<Message>(page);
    expect(messages.map((m) => `${m.lab}/${m.executors.map((e) => e.name).join(',')}`)).toEqual(ROWS);
    for (const m of messages) {
      expect(m.id).toBe('table');
      expect(m.executors[0].status).toBe('finished');
    }
    expect(messages[0].params).toMatchObject({ tasks: 4000, seconds: 0.02 });
    // The guess for a row rides in that row's message, and only there.
    expect(messages[2].executors[0]).toMatchObject({ name: 'pool', predicted_ms: 50 });
    expect(messages[0].executors[0]).not.toHaveProperty('predicted_ms');
    // With three runs per row, the row shows the median and the spread, and the message is
    // the median run's.
    const first = playground.locator('tbody tr[data-row="sleep/event-loop"] td.measured');
    await expect(first).toContainText('median of 3');
    const median = durationMs((await first.innerText()).split('\n')[0]);
    expect(Math.abs(median - messages[0].executors[0].wall_ms)).toBeLessThan(1);
    // Nothing more arrives once the table is done.
    await page.waitForTimeout(1000);
    expect(await resultMessages(page)).toHaveLength(ROWS.length);
  });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 667 } });

  test('each row of the table is a card, every figure named by its column', async ({ page }) => {
    await openPlayground(page, 'lab=compare');
    await expect(pageTitle(page)).toHaveText('Compare everything');
    const row = rowOf(page, 'mixed/pool');
    const box = await row.boundingBox();
    expect(box?.width ?? 0).toBeLessThanOrEqual(375);
    const label = await row
      .locator('td.speedup')
      .evaluate((td) => getComputedStyle(td, '::before').content);
    expect(label).toBe('"Speed-up over one at a time"');
    const widths = await page.evaluate(() => ({
      content: document.scrollingElement?.scrollWidth ?? 0,
      viewport: window.innerWidth,
    }));
    expect(widths.content).toBeLessThanOrEqual(widths.viewport + 1);
  });
});
