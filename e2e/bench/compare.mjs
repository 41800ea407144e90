// The compare lab at its default scale: Run all through the article's table, timed from the
// click to the last row's end. Its bar: the whole table in under a minute on this machine.
import { BenchError, WAIT_MS, labUrl, navigation, progress, waitFor } from './page.mjs';
import { bar, row } from './rows.mjs';

/** @typedef {import('./rows.mjs').Row} Row */
/** @typedef {import('playwright-core').Page} Page */

/** The table's whole run must end within this, ms. */
const BAR_MS = 60_000;

/**
 * One Run all at scale 1, with each row's figures as a section.
 * @param {Page} page
 * @returns {Promise<{ row: Row, sections: { title: string, rows: string[][] }[], details: object }>}
 */
export async function measureCompare(page) {
  const url = labUrl('lab=compare&scale=1&repeat=1');
  await navigation(url, () => page.goto(url));
  const runAll = page.getByRole('button', { name: 'Run all', exact: true });
  await waitFor(page, runAll, 'the "Run all" button', { enabled: true });
  progress('compare: Run all at scale 1');
  const started = Date.now();
  await runAll.click();
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('tbody tr[data-status]')];
    return rows.length > 0 &&
      rows.every((r) => /^(finished|stopped|failed)$/.test(/** @type {HTMLElement} */ (r).dataset.status ?? ''));
  }, null, { timeout: Math.max(WAIT_MS, 4 * BAR_MS), polling: 100 });
  const wallMs = Date.now() - started;
  const table = await page.locator('tbody tr[data-row]').evaluateAll((rows) => rows.map((r) => {
    const cell = (/** @type {string} */ c) => (r.querySelector(c)?.textContent ?? '').trim();
    return [/** @type {HTMLElement} */ (r).dataset.row ?? '', /** @type {HTMLElement} */ (r).dataset.status ?? '',
      cell('td.article'), cell('td.predicted'), cell('td.measured')];
  }));
  const failed = table.filter((r) => r[1] !== 'finished');
  if (failed.length) throw new BenchError(`rows not finished: ${failed.map((r) => `${r[0]} ${r[1]}`).join(', ')}`);
  return {
    row: row('compare-table', 'compare: the whole table at scale 1 (Run all, 13 rows)', 'ms', [wallMs], {
      bars: [bar('whole table', wallMs, '<', BAR_MS, 'ms')],
      note: 'click to the last row\'s end, the pauses between rows included',
    }),
    sections: [{ title: 'The compare table at scale 1, as the page showed it',
      rows: [['row', 'status', 'the article', 'model predicts', 'measured'], ...table] }],
    details: { table },
  };
}
