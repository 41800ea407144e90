// The runs as a file: a learner exports a run as JSON (the traces and summaries, with the lab,
// its parameters and the machine) and as CSV (one row per task step), from a lab and from
// the compare table; the buttons wait while nothing has run or a run is going.
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import {
  compareTable,
  finishedResult,
  notices,
  openPlayground,
  runAllButton,
  runButton,
} from '../playground';

const exportJson = (page: Page) => page.getByRole('button', { name: 'Export JSON', exact: true });
const exportCsv = (page: Page) => page.getByRole('button', { name: 'Export CSV', exact: true });

/** Clicks `button` and returns the download's suggested name and text. */
async function download(page: Page, button: ReturnType<typeof exportJson>) {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

test('a run exported as JSON and as CSV holds what the page showed', async ({ page }) => {
  await openPlayground(
    page,
    'lab=hello&tasks=2&seconds=0.2&executors=sequential,event-loop&predict=event-loop:0.25',
  );
  await expect(exportJson(page)).toBeDisabled();
  await expect(exportCsv(page)).toBeDisabled();
  await runButton(page).click();
  // While it runs (0.6 s in all), there is nothing whole to export.
  await expect(exportJson(page)).toBeDisabled();
  const ran = [await finishedResult(page, 'sequential'), await finishedResult(page, 'event-loop')];
  await expect(exportJson(page)).toBeEnabled();

  const json = await download(page, exportJson(page));
  expect(json.name).toBe('async-playground-hello.json');
  const file = JSON.parse(json.text);
  expect(file).toMatchObject({
    schema: 'async-playground/runs',
    version: 1,
    lab: 'hello',
    machine: { cores: expect.any(Number) },
  });
  expect(file.machine.browser).toContain('Chrom');
  expect(file.params).toContainEqual(['seconds', '0.2']);
  expect(file.items.map((item: { executor: string }) => item.executor)).toEqual(['sequential', 'event-loop']);
  expect(file.items[1].predicted_ms).toBe(250);
  for (const [i, item] of file.items.entries()) {
    expect(item.trace.status).toBe('finished');
    expect(item.trace.tasks_done).toBe(2);
    // The page rounds its attribute to 0.1 ms.
    expect(Math.abs(item.trace.wall_ms - ran[i].wallMs)).toBeLessThan(0.1);
    expect(item.trace.output.texts).toEqual(expect.arrayContaining(['hello']));
  }

  const csv = await download(page, exportCsv(page));
  expect(csv.name).toBe('async-playground-hello.csv');
  const rows = csv.text.trim().split('\n');
  expect(rows[0]).toBe('run,lab,executor,task,step,kind,start_ms,end_ms');
  // Two tasks of one sleep each, on each executor.
  expect(rows.slice(1).filter((row) => row.includes(',sleep,'))).toHaveLength(4);
  expect(rows[1]).toMatch(/^1,hello,sequential,0,/);
});

test('the compare table exports one run per row, with the row lab', async ({ page }) => {
  await openPlayground(page, 'lab=compare&scale=0.02');
  await expect(exportJson(page)).toBeDisabled();
  await runAllButton(page).click();
  await expect(compareTable(page).locator('tbody tr[data-status="finished"]')).toHaveCount(13, { timeout: 60_000 });
  const json = await download(page, exportJson(page));
  expect(json.name).toBe('async-playground-compare.json');
  const file = JSON.parse(json.text);
  expect(file.lab).toBe('compare');
  expect(file.items).toHaveLength(13);
  expect(file.items[0]).toMatchObject({ lab: 'sleep', executor: 'event-loop' });
  expect(file.items[12]).toMatchObject({ lab: 'combined', executor: 'pool-of-loops' });
});

test('a files worker that cannot load is said so, naming the file, and the page goes on', async ({
  page,
  browserErrors,
}) => {
  browserErrors.expectConsoleError(/Failed to load resource.*404|files_worker_bg\.wasm/);
  await page.route(/files_worker_bg\.wasm/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await openPlayground(page, 'lab=hello&tasks=2&seconds=0.1&executors=event-loop');
  await runButton(page).click();
  await finishedResult(page, 'event-loop');
  await exportJson(page).click();
  await expect(notices(page)).toContainText(
    'The file async-playground-hello.json could not be handled: its worker did not start.',
  );
  // The page goes on: it runs again.
  await runButton(page).click();
  await finishedResult(page, 'event-loop');
});
