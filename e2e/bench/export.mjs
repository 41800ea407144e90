// Export of a big run: a 100,000-task sleep run on the event loop (kept as spans), written as
// JSON and as CSV, each timed from the click to the browser's download. Its bar: each under
// 1 s on this machine.
import { stat } from 'node:fs/promises';
import { BenchError, labUrl, navigation, progress, waitFor } from './page.mjs';
import { bar, row } from './rows.mjs';

/** @typedef {import('./rows.mjs').Row} Row */
/** @typedef {import('playwright-core').Page} Page */

/** Each file must be offered within this, ms. */
const BAR_MS = 1000;
const TASKS = 100_000;

/**
 * The run, then Export JSON and Export CSV, each timed.
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
  /** @type {Row[]} */
  const rows = [];
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
    details[kind] = { ms, bytes, name: download.suggestedFilename() };
    rows.push(row(`export-${kind}`, `export: ${label} of a ${TASKS.toLocaleString('en')}-task sleep run`, 'ms', [ms], {
      bars: [bar(kind, ms, '<', BAR_MS, 'ms')],
      note: `click to the download; a ${(bytes / 1e6).toFixed(1)} MB file`,
    }));
  }
  return { rows, details };
}
