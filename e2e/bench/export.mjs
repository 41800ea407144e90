// Export then import of a big run: a 100,000-task sleep run on the event loop (kept as spans),
// written as JSON and as CSV, each timed from the click to the browser's download; then the JSON
// chosen with Import on another lab, timed from the choice to its results on screen. Its bars:
// each under 1 s on this machine, and the imported run's summary the same as the run's.
import { stat } from 'node:fs/promises';
import { BenchError, labUrl, navigation, progress, waitFor } from './page.mjs';
import { bar, row } from './rows.mjs';

/** @typedef {import('./rows.mjs').Row} Row */
/** @typedef {import('playwright-core').Page} Page */

/** Each file must be offered within this, ms. */
const BAR_MS = 1000;
const TASKS = 100_000;

/**
 * The summary the event loop's result card shows, as its data attributes hold it.
 * @param {Page} page
 */
const summaryOf = (page) => page.evaluate(() => ({
  .../** @type {HTMLElement} */ (document.querySelector('article[data-executor="event-loop"]')).dataset,
}));

/**
 * The run, then Export JSON and Export CSV, then Import of the JSON, each timed.
 * @param {Page} page
 * @returns {Promise<{ rows: Row[], details: object }>}
 */
export async function measureExport(page) {
  const url = labUrl(`lab=sleep&tasks=${TASKS}&seconds=1&executors=event-loop`);
  await navigation(url, () => page.goto(url));
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await waitFor(page, run, 'the Run button', { enabled: true });
  progress(`export: a run of ${TASKS.toLocaleString('en')} sleeps`);
  await run.click();
  await page.waitForFunction(() => /** @type {HTMLElement | null} */ (
    document.querySelector('article[data-executor="event-loop"]'))?.dataset.status === 'finished',
  null, { polling: 100 });
  const summary = await summaryOf(page);
  /** @type {Row[]} */
  const rows = [];
  /** @type {string | null} */
  let json = null;
  /** @type {Record<string, object>} */
  const details = {};
  for (const [label, kind] of [['Export JSON', 'json'], ['Export CSV', 'csv']]) {
    progress(`export: ${label}`);
    const button = page.getByRole('button', { name: label, exact: true });
    await waitFor(page, button, `the ${label} button`, { enabled: true });
    const started = Date.now();
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const ms = Date.now() - started;
    const path = await download.path();
    if (!path) throw new BenchError(`${label}: the download failed (${await download.failure()})`);
    const bytes = (await stat(path)).size;
    if (kind === 'json') json = path;
    details[kind] = { ms, bytes, name: download.suggestedFilename() };
    rows.push(row(`export-${kind}`, `export: ${label} of a ${TASKS.toLocaleString('en')}-task sleep run`, 'ms', [ms], {
      bars: [bar(kind, ms, '<', BAR_MS, 'ms')],
      note: `click to the download; a ${(bytes / 1e6).toFixed(1)} MB file`,
    }));
  }
  if (!json) throw new BenchError('Export JSON wrote no file');
  progress('export: Import of that JSON on another lab');
  const other = labUrl('lab=hello');
  await navigation(other, () => page.goto(other));
  const input = page.getByLabel('Import', { exact: true });
  await waitFor(page, input, 'the Import input', { enabled: true });
  const started = Date.now();
  await input.setInputFiles(json);
  await page.waitForFunction(() => {
    const card = /** @type {HTMLElement | null} */ (document.querySelector('article[data-executor="event-loop"]'));
    return card?.dataset.status === 'finished' && document.querySelector('.imported') !== null;
  }, null, { polling: 20 });
  const ms = Date.now() - started;
  const imported = await summaryOf(page);
  const same = JSON.stringify(imported) === JSON.stringify(summary) ? 1 : 0;
  details.import = { ms, same: same === 1, summary, imported };
  rows.push(row('import-json', `export: Import of that JSON on another lab`, 'ms', [ms], {
    bars: [bar('import', ms, '<', BAR_MS, 'ms'), bar('same summary', same, '==', 1, 'count')],
    note: same ? 'choice to the results; the same summary as the run' : 'choice to the results; the summary differs',
  }));
  return { rows, details };
}
