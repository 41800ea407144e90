// The runs as a file: a learner exports a run as JSON (the traces and summaries, with the lab,
// its parameters and the machine) and as CSV (one row per task step), from a lab and from
// the compare table; the buttons wait while nothing has run or a run is going. Import shows an
// exported file's runs as if just run, marked as imported; a course links to a reference run
// with `import=`; a broken or hostile file is refused by name and changes nothing else.
import { readFile, writeFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import {
  compareTable,
  finishedResult,
  notices,
  openPlayground,
  pageTitle,
  readResult,
  resultOf,
  results,
  runAllButton,
  runButton,
} from '../playground';

const exportJson = (page: Page) => page.getByRole('button', { name: 'Export JSON', exact: true });
const exportCsv = (page: Page) => page.getByRole('button', { name: 'Export CSV', exact: true });

const importInput = (page: Page) => page.getByLabel('Import', { exact: true });
const importedMark = (page: Page) => page.getByRole('note').filter({ hasText: 'Imported from' });

/** Chooses a file named `name` holding `text` with the Import input. */
async function importText(page: Page, name: string, text: string) {
  await importInput(page).setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

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

  // Imported on a lab page, the file brings its table back: every row, as measured.
  const measured = await compareTable(page).locator('tbody td.measured').allInnerTexts();
  await openPlayground(page, 'lab=hello');
  await importText(page, 'table.json', json.text);
  await expect(importedMark(page)).toContainText('Imported from \u201ctable.json\u201d');
  await expect(compareTable(page).locator('tbody tr[data-status="finished"]')).toHaveCount(13);
  expect(await compareTable(page).locator('tbody td.measured').allInnerTexts()).toEqual(measured);
  await expect(page).toHaveURL(/lab=compare&/);
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

test('a run exported, then imported on another lab, shows the same results marked as imported', async ({
  page,
}) => {
  await openPlayground(
    page,
    'lab=hello&tasks=2&seconds=0.2&executors=sequential,event-loop&predict=event-loop:0.25',
  );
  await runButton(page).click();
  const ran = [await finishedResult(page, 'sequential'), await finishedResult(page, 'event-loop')];
  const json = await download(page, exportJson(page));

  await openPlayground(page, 'lab=sleep&theme=dark');
  await importText(page, 'my-run.json', json.text);
  await expect(importedMark(page)).toHaveText(
    /^Imported from \u201cmy-run\.json\u201d: run on Chrom\w* \d+ with \d+ cores\. Nothing ran on this page\.$/,
  );
  // The file's lab, with its parameters, executors and guesses; the page's own theme.
  await expect(pageTitle(page)).toHaveText('Hello, await');
  await expect(page).toHaveURL(/lab=hello&tasks=2&seconds=0\.2/);
  await expect(page).toHaveURL(/executors=sequential,event-loop/);
  await expect(page).toHaveURL(/predict=event-loop:0\.25/);
  await expect(page).toHaveURL(/theme=dark/);
  // The same results, in the same formats as a live run.
  for (const [i, executor] of (['sequential', 'event-loop'] as const).entries()) {
    const shown = await readResult(resultOf(page, executor));
    expect(shown).toEqual(ran[i]);
  }
  await expect(results(page)).toContainText('You predicted 250 ms');
  // An imported run replays like the page's own: the time cursor reads it.
  const time = page.getByRole('slider', { name: 'Time', exact: true });
  await time.focus();
  await page.keyboard.press('Home');
  await expect(resultOf(page, 'event-loop').locator('.cursor-readout')).toHaveText(
    /^At 0\.000 s: .* done/,
  );
  // Nothing to export again: the file is already one.
  await expect(exportJson(page)).toBeDisabled();

  // A run of the page's own ends the showing.
  await runButton(page).click();
  await finishedResult(page, 'event-loop');
  await expect(importedMark(page)).toHaveCount(0);
  await expect(exportJson(page)).toBeEnabled();
});

test('broken and hostile files are refused by name and change nothing else', async ({ page }, testInfo) => {
  await openPlayground(page, 'lab=hello&tasks=2&seconds=0.1&executors=event-loop');
  await runButton(page).click();
  const before = await finishedResult(page, 'event-loop');
  const url = page.url();
  const good = (await download(page, exportJson(page))).text;

  const refusals: [string, string, RegExp][] = [
    ['notes.json', 'not json at all', /is not an export of Async Playground: /],
    ['other.json', '{"schema": "someone-else/runs", "version": 1}', /its "schema" is not "async-playground\/runs"/],
    ['future.json', good.replace('"version":1', '"version":7'), /was written in a newer format \(version 7; this page reads up to 1\)/],
    ['deep.json', '['.repeat(5000) + ']'.repeat(5000), /nests deeper than an export does/],
    ['text.json', good.replace('"wall_ms":', '"wall_ms":"soon","x":'), /is not an export of Async Playground: /],
    [
      'markup.json',
      good.replace('"executor":"event-loop"', '"executor":"<img src=x onerror=alert(1)>"'),
      /has an executor "<img src=x onerror=alert\(1\)>" \(run 1\) that this page does not have/,
    ],
  ];
  for (const [name, text, why] of refusals) {
    await importText(page, name, text);
    const said = notices(page).locator('.notice').last();
    await expect(said).toContainText(`The file \u201c${name}\u201d `);
    await expect(said).toHaveText(new RegExp(`${why.source}.*\\. Nothing on the page changed\\.$`));
  }
  // Markup stays text.
  await expect(notices(page).locator('img')).toHaveCount(0);

  // Over the size cap: refused before it is read (read, its bytes would make three times as
  // much text, each a replacement character).
  const big = testInfo.outputPath('big.json');
  await writeFile(big, Buffer.alloc(50 * 1024 * 1024 + 1, 0xff));
  await importInput(page).setInputFiles(big);
  await expect(notices(page).locator('.notice').last()).toHaveText(
    'The file \u201cbig.json\u201d is larger than 50 MB (52428801 bytes). Nothing on the page changed.',
  );

  // Nothing else changed: the same run, parameters and address, nothing marked imported.
  expect(await readResult(resultOf(page, 'event-loop'))).toEqual(before);
  expect(page.url()).toBe(url);
  await expect(importedMark(page)).toHaveCount(0);
});

test('a course links to a reference run on its own site with import=', async ({ page, browserErrors }) => {
  await openPlayground(page, 'lab=hello&import=examples/hello-run.json');
  await expect(importedMark(page)).toContainText('Imported from \u201cexamples/hello-run.json\u201d: run on ');
  const sequential = await readResult(resultOf(page, 'sequential'));
  const gathered = await readResult(resultOf(page, 'event-loop'));
  expect(sequential.status).toBe('finished');
  expect(gathered.wallMs).toBeLessThan(sequential.wallMs / 1.5);
  // The address keeps the link's import while it shows that file.
  await expect(page).toHaveURL(/import=examples%2Fhello-run\.json/);

  // Another site's file is never read, not even through a redirect; a missing one is said so.
  const elsewhere: string[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).hostname === 'example.com') elsewhere.push(response.url());
  });
  await openPlayground(page, 'lab=hello&import=https://example.com/run.json');
  await expect(notices(page)).toContainText(
    'import: \u201chttps://example.com/run.json\u201d is not a path on this site (such as examples/hello-run.json); nothing was imported.',
  );
  browserErrors.expectConsoleError(/same-origin|Fetch API cannot load/);
  await page.route((url) => url.pathname.endsWith('/examples/moved.json'), (route) =>
    route.fulfill({ status: 302, headers: { location: 'https://example.com/run.json' } }),
  );
  await openPlayground(page, 'lab=hello&import=examples/moved.json');
  await expect(notices(page)).toContainText(
    'The file \u201cexamples/moved.json\u201d could not be read: this site did not answer with it. Nothing on the page changed.',
  );
  expect(elsewhere).toEqual([]);
  // The address no longer names a file the page does not show.
  await expect(page).not.toHaveURL(/import=/);
  browserErrors.expectConsoleError(/Failed to load resource.*404/);
  await openPlayground(page, 'lab=hello&import=examples/missing.json');
  await expect(notices(page)).toContainText(
    'The file \u201cexamples/missing.json\u201d could not be read: the site answered 404',
  );
  await expect(importedMark(page)).toHaveCount(0);
  await expect(runButton(page)).toBeEnabled();
});
