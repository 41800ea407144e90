// The bench's hands on the page: open a lab, press Run, wait for the run to end and read its
// result articles and the heartbeat, in the contract's own words (docs/ui-contract.md).
import { baseUrlFromEnv } from './common.mjs';

/** How long the page may take to show something or to end a run, unless a case says more. */
export const WAIT_MS = 60_000;

/** An expected element or state that did not come: the message says which, and where. */
export class BenchError extends Error {}

export const BASE_URL = baseUrlFromEnv('bench/run.mjs').toString();
export const labUrl = (/** @type {string} */ query) => new URL(`?${query}`, BASE_URL).toString();

/** Progress goes to stderr: stdout holds only the final JSON line. */
export const progress = (/** @type {string} */ step) => console.error(`... ${step}`);

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

/** @param {Page} page */
export const runButton = (page) => page.getByRole('button', { name: 'Run', exact: true });

/** @param {Page} page @param {string} executor */
export const resultOf = (page, executor) =>
  page
    .getByRole('region', { name: 'Results', exact: true })
    .getByRole('article', { name: `${executor} result`, exact: true });

/** @param {Page} page */
const heartbeat = (page) => page.getByRole('img', { name: 'Heartbeat', exact: true });

/** @param {Page} page */
const longRunDialog = (page) => page.getByRole('alertdialog', { name: 'Long run' });

/**
 * Navigates, turning a failed or non-2xx load into a BenchError that names the URL.
 * @param {string} url @param {() => Promise<import('playwright-core').Response | null>} navigate
 */
export async function navigation(url, navigate) {
  let response;
  try {
    response = await navigate();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new BenchError(`could not open ${url} (${reason})`);
  }
  if (response && !response.ok()) {
    throw new BenchError(`${url} answered HTTP ${response.status()}: is the release build served?`);
  }
}

/**
 * Waits for `locator` to be visible (and enabled when asked), or throws a BenchError naming it.
 * @param {Page} page @param {Locator} locator @param {string} what
 * @param {{ enabled?: boolean }} [options]
 */
export async function waitFor(page, locator, what, options = {}) {
  const deadline = Date.now() + WAIT_MS;
  try {
    await locator.waitFor({ state: 'visible', timeout: WAIT_MS });
    while (options.enabled && !(await locator.isEnabled())) {
      if (Date.now() > deadline) throw new Error('still disabled');
      await page.waitForTimeout(20);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new BenchError(`${what} was not ${options.enabled ? 'visible and enabled' : 'visible'} after ` +
      `${WAIT_MS / 1000} s on ${page.url()} (${reason})`);
  }
}

/**
 * Waits until an executor's run ends and returns its wall time; throws unless it finished.
 * @param {Page} page @param {string} executor @param {number} timeoutMs
 */
async function finishedWallMs(page, executor, timeoutMs) {
  const article = resultOf(page, executor);
  await waitFor(page, article, `the result article "${executor} result"`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await article.getAttribute('data-status', { timeout: timeoutMs });
    if (status === 'finished') break;
    if (status === 'stopped' || status === 'failed') {
      throw new BenchError(`${executor} ended with status "${status}" on ${page.url()}`);
    }
    if (await longRunDialog(page).isVisible()) {
      throw new BenchError(`unexpected "Long run" dialog on ${page.url()}`);
    }
    if (Date.now() > deadline) {
      throw new BenchError(`"${executor} result" not finished after ${timeoutMs / 1000} s ` +
        `(data-status="${status}") on ${page.url()}`);
    }
    await page.waitForTimeout(100);
  }
  const wallMs = Number(await article.getAttribute('data-wall-ms'));
  if (!Number.isFinite(wallMs)) throw new BenchError(`"${executor} result" has no data-wall-ms`);
  const representative = await article.getAttribute('data-representative');
  if (representative === 'false') console.warn(`warning: ${executor} run marked not representative`);
  return wallMs;
}

/** The heartbeat's longest frame gap since the last executor started, ms. @param {Page} page */
export async function maxFrameGapMs(page) {
  await waitFor(page, heartbeat(page), 'the heartbeat (img "Heartbeat")');
  const deadline = Date.now() + 2_000;
  for (;;) {
    const gap = Number(await heartbeat(page).getAttribute('data-max-frame-gap-ms'));
    if (Number.isFinite(gap)) return gap;
    if (Date.now() > deadline) throw new BenchError('the heartbeat has no data-max-frame-gap-ms');
    await page.waitForTimeout(50);
  }
}

/**
 * A numeric data attribute of an executor's result article; throws when it is missing.
 * @param {Page} page @param {string} executor @param {string} attribute
 */
export async function resultNumber(page, executor, attribute) {
  const value = await optionalResultNumber(page, executor, attribute);
  if (value === null) throw new BenchError(`"${executor} result" has no ${attribute}`);
  return value;
}

/**
 * A numeric data attribute of an executor's result article, or null when the page has none.
 * @param {Page} page @param {string} executor @param {string} attribute
 */
export async function optionalResultNumber(page, executor, attribute) {
  const raw = await resultOf(page, executor).getAttribute(attribute);
  const value = raw === null || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(value) ? value : null;
}

/** Opens a lab page and waits for its Run button. @param {Page} page @param {string} query */
export async function openLab(page, query) {
  await navigation(labUrl(query), () => page.goto(labUrl(query)));
  await waitFor(page, runButton(page), 'the "Run" button', { enabled: true });
}

// Sets window.__benchRunStarted once a result article appears or its data-status changes. On a
// page that has run before, the articles still say "finished" until the next run resets them,
// and a short run can go from pending to finished between two polls.
export const WATCH_RUN_START = `(() => {
  window.__benchRunStarted = false;
  const hasArticle = (node) => node.nodeType === 1 &&
    (node.matches('article[data-status]') || node.querySelector('article[data-status]') !== null);
  const observer = new MutationObserver((records) => {
    const started = records.some((record) => record.type === 'attributes'
      ? record.target.nodeName === 'ARTICLE'
      : [...record.addedNodes].some(hasArticle));
    if (started) { window.__benchRunStarted = true; observer.disconnect(); }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true,
    attributeFilter: ['data-status'] });
})();`;

// Resolves once `count` result articles have ended (or a "Long run" dialog shows, or the
// timeout passes: the checks after it then say what is wrong), watching the page's mutations.
const WAIT_RUN_END = (/** @type {{count: number, timeoutMs: number}} */ { count, timeoutMs }) =>
  new Promise((resolve) => {
    const ended = () => {
      const articles = [...document.querySelectorAll('article[data-status]')]
        .map((a) => /** @type {HTMLElement} */ (a));
      return articles.length >= count &&
        articles.every((a) => /^(finished|stopped|failed)$/.test(a.dataset.status ?? '')) ||
        document.querySelector('[role="alertdialog"]') !== null;
    };
    if (ended()) { resolve(true); return; }
    const observer = new MutationObserver(() => {
      if (ended()) { observer.disconnect(); clearTimeout(timer); resolve(true); }
    });
    const timer = setTimeout(() => { observer.disconnect(); resolve(false); }, timeoutMs);
    observer.observe(document.body, { subtree: true, childList: true, attributes: true,
      attributeFilter: ['data-status', 'role'] });
  });

/** Waits until the run just asked for has started (see WATCH_RUN_START). @param {Page} page */
export async function waitForRunStart(page) {
  const deadline = Date.now() + WAIT_MS;
  while (!(await page.evaluate(() => /** @type {any} */ (window).__benchRunStarted))) {
    if (await longRunDialog(page).isVisible()) {
      throw new BenchError(`unexpected "Long run" dialog on ${page.url()}`);
    }
    if (Date.now() > deadline) {
      throw new BenchError(`no run started ${WAIT_MS / 1000} s after pressing Run on ${page.url()}`);
    }
    await page.waitForTimeout(20);
  }
}

/**
 * What one run of the open page measured, by executor, and the heartbeat's longest frame gap.
 * @typedef {{ wallMs: Record<string, number>, expectedMs: Record<string, number>,
 *   startupMs: Record<string, number>, cpuMs: Record<string, number>,
 *   tasksTotal: Record<string, number>, memoryBytes: Record<string, number | null>,
 *   maxFrameGapMs: number }} RunFigures
 */

/**
 * Presses Run on the lab page that is open (again, if it ran before: a warm pool stays warm)
 * and returns each executor's figures once every one has finished.
 * @param {Page} page @param {string[]} executors @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<RunFigures>}
 */
export async function runOnPage(page, executors, options = {}) {
  const timeoutMs = options.timeoutMs ?? WAIT_MS;
  await waitFor(page, runButton(page), 'the "Run" button', { enabled: true });
  await page.evaluate(WATCH_RUN_START);
  // A run that blocks the page (many tasks) holds up the click's own acknowledgement.
  await runButton(page).click({ timeout: timeoutMs });
  await waitForRunStart(page);
  // One call that resolves in the page when the run ends: polling from here would cost the
  // browser CPU time (a round trip through the page's thread every poll) that the pool's
  // workers, computing on every core, would lose.
  await page.evaluate(WAIT_RUN_END, { count: executors.length, timeoutMs });
  /** @type {RunFigures} */
  const figures = { wallMs: {}, expectedMs: {}, startupMs: {}, cpuMs: {}, tasksTotal: {},
    memoryBytes: {}, maxFrameGapMs: 0 };
  for (const executor of executors) {
    figures.wallMs[executor] = await finishedWallMs(page, executor, timeoutMs);
    figures.expectedMs[executor] = await resultNumber(page, executor, 'data-expected-ms');
    figures.startupMs[executor] = await resultNumber(page, executor, 'data-startup-ms');
    figures.cpuMs[executor] = await resultNumber(page, executor, 'data-cpu-ms');
    figures.tasksTotal[executor] = await resultNumber(page, executor, 'data-tasks-total');
    // Zero or absent: a page that does not report its wasm memory.
    const memory = await optionalResultNumber(page, executor, 'data-memory-bytes');
    figures.memoryBytes[executor] = memory ? memory : null;
  }
  figures.maxFrameGapMs = await maxFrameGapMs(page);
  return figures;
}

/**
 * Opens a lab, presses Run and returns its result figures.
 * @param {Page} page @param {string} query @param {string[]} executors
 * @param {{ timeoutMs?: number }} [options]
 */
export async function runLab(page, query, executors, options = {}) {
  await openLab(page, query);
  return runOnPage(page, executors, options);
}

/**
 * The value of the select labelled `label` in the form "Parameters", or null when the lab has
 * no such parameter.
 * @param {Page} page @param {string} label
 */
export async function parameterChoice(page, label) {
  const field = page.getByRole('form', { name: 'Parameters', exact: true })
    .getByLabel(label, { exact: true });
  if ((await field.count()) === 0) return null;
  return field.first().inputValue();
}

/** The smallest prime factor of `n` (n >= 2; trial division, n up to about 10^12). */
function smallestFactor(/** @type {number} */ n) {
  if (n % 2 === 0) return 2;
  for (let factor = 3; factor * factor <= n; factor += 2) if (n % factor === 0) return factor;
  return n;
}

/** Iterations of the article's loop for `n`: it stops at the largest proper divisor. */
export const articleIterations = (/** @type {number} */ n) =>
  (n < 2 ? 0 : n - n / smallestFactor(n));

/** The first prime >= `n`: the article's loop runs n - 1 iterations for a prime. */
export function primeAtOrAbove(/** @type {number} */ n) {
  let candidate = Math.max(2, n);
  while (smallestFactor(candidate) !== candidate) candidate++;
  return candidate;
}

/** The n the is-prime page picked for `n=auto` ("Picked here: n = 416,193,297."). @param {Page} page */
export async function pickedN(page) {
  const form = page.getByRole('form', { name: 'Parameters', exact: true });
  await waitFor(page, form, 'the form "Parameters"');
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const match = /Picked here: n = ([\d,]+)\./.exec(await form.innerText());
    if (match) return Number(match[1].replaceAll(',', ''));
    if (Date.now() > deadline) {
      throw new BenchError(`no "Picked here: n = …" under the n field on ${page.url()}`);
    }
    await page.waitForTimeout(100);
  }
}
