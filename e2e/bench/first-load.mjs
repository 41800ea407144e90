// The first load: the time from navigation start to a usable Run button and the bytes it took,
// with an empty cache (then a warm reload), and every lab on an emulated slow connection.
import { median } from './common.mjs';
import { WAIT_MS, labUrl, navigation, progress, waitFor } from './page.mjs';
import { bar, count, goal, ms, row } from './rows.mjs';

/** @typedef {import('./rows.mjs').Row} Row */
/** @typedef {{ title: string, rows: string[][] }} Section */
/** @typedef {import('playwright-core').Browser} Browser */

/** Cold loads of the hello lab, each in a fresh context. */
const FIRST_LOADS = 3;
/** Chromium's network emulation for the slow first load (Lighthouse's slow 4G). */
const SLOW_NETWORK = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8,
  uploadThroughput: 750_000 / 8 };
/** The labs whose page has a Run button. */
// Every lab with a Run button (Run all on compare; the pitfalls' cases have none).
const RUN_LABS = ['hello', 'generators', 'sleep', 'http', 'is-prime', 'mixed', 'combined', 'cats', 'compare'];
const SLOW = { barMs: 1400, goalMs: 1000 };

const kb = (/** @type {number} */ bytes) => `${(bytes / 1000).toFixed(1)} kB`;

// Records, from the first script of the document on, when the Run button becomes enabled,
// in the page's clock (milliseconds since navigation start).
const RECORD_RUN_ENABLED = `(() => {
  window.__runEnabledAtMs = null;
  const check = () => {
    if (window.__runEnabledAtMs !== null) return;
    // Run, or Run all on compare: the page's first action, \`#run\`.
    const run = document.getElementById('run');
    const usable = run && !run.disabled && run.getAttribute('aria-disabled') !== 'true';
    if (usable) { window.__runEnabledAtMs = performance.now(); observer.disconnect(); }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, characterData: true,
    attributes: true, attributeFilter: ['disabled', 'aria-disabled', 'aria-label'] });
})();`;

/**
 * A page in a context of its own (an empty cache) that records when Run becomes usable, with
 * a CDP session watching its network.
 * @param {Browser} browser
 */
async function newLoadPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  await page.addInitScript(RECORD_RUN_ENABLED);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  return { context, page, cdp };
}

/**
 * Loads the hello lab in a context with an empty cache (and, when asked, reloads it), and
 * reports for each load the time to an enabled Run button and the bytes transferred (CDP
 * encodedDataLength).
 * @param {Browser} browser @param {boolean} reload
 */
async function loadHello(browser, reload) {
  const { context, page, cdp } = await newLoadPage(browser);
  /** @type {Map<string, {url: string, type: string, encoding: string, bytes: number}>} */
  let requests = new Map();
  cdp.on('Network.responseReceived', (event) => {
    const headers = Object.fromEntries(
      Object.entries(event.response.headers).map(([key, value]) => [key.toLowerCase(), value]));
    requests.set(event.requestId, {
      url: event.response.url,
      type: event.type,
      encoding: String(headers['content-encoding'] ?? 'identity'),
      bytes: 0,
    });
  });
  cdp.on('Network.loadingFinished', (event) => {
    const request = requests.get(event.requestId);
    if (request) request.bytes = event.encodedDataLength;
  });

  const load = async (/** @type {() => Promise<unknown>} */ navigate) => {
    requests = new Map();
    const startedAt = Date.now();
    await navigate();
    await waitFor(page, page.locator('#run'), 'the "Run" button', { enabled: true });
    const wallToRunEnabledMs = Date.now() - startedAt;
    // Let late requests (workers, the latency probe) finish before counting bytes.
    await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => {});
    const timing = await page.evaluate(() => {
      const [entry] = /** @type {PerformanceNavigationTiming[]} */ (
        performance.getEntriesByType('navigation'));
      return {
        runEnabledMs: /** @type {any} */ (window).__runEnabledAtMs,
        domContentLoadedMs: entry?.domContentLoadedEventEnd ?? null,
      };
    });
    const resources = [...requests.values()];
    return {
      runEnabledMs: typeof timing.runEnabledMs === 'number'
        ? Math.round(timing.runEnabledMs) : wallToRunEnabledMs,
      wallToRunEnabledMs,
      domContentLoadedMs: Math.round(timing.domContentLoadedMs ?? NaN),
      transferredBytes: resources.reduce((sum, resource) => sum + resource.bytes, 0),
      resources: resources.map(({ url, type, encoding, bytes }) => ({
        path: new URL(url).pathname + (url.includes('?') ? '?…' : ''), type, encoding, bytes,
      })),
    };
  };

  const url = labUrl('lab=hello');
  const first = await load(() => navigation(url, () => page.goto(url, { waitUntil: 'commit' })));
  const again = reload
    ? await load(() => navigation(url, () => page.reload({ waitUntil: 'commit' })))
    : null;
  await context.close();
  return { first, reload: again };
}

/**
 * FIRST_LOADS cold loads of the hello lab and a warm reload after the last: two rows (time to
 * a usable Run, bytes), and the last cold load's responses.
 * @param {Browser} browser
 * @returns {Promise<{ rows: Row[], sections: Section[], details: object }>}
 */
export async function measureFirstLoads(browser) {
  const cold = [];
  for (let load = 1; load <= FIRST_LOADS; load++) {
    progress(`first load ${load}/${FIRST_LOADS}${load === FIRST_LOADS ? ' and a warm reload' : ''}`);
    cold.push(await loadHello(browser, load === FIRST_LOADS));
  }
  const last = cold[cold.length - 1];
  const reload = /** @type {NonNullable<typeof last.reload>} */ (last.reload);
  const firsts = cold.map((load) => load.first);
  const dcl = median(firsts.map((load) => load.domContentLoadedMs));
  return {
    rows: [
      row('first-load-run-enabled', 'first load: a usable Run button', 'ms',
        firsts.map((load) => load.runEnabledMs), {
          note: `from navigation start, empty cache; DOMContentLoaded ${ms(dcl)}; warm reload ` +
            `${ms(reload.runEnabledMs)}`,
        }),
      row('first-load-bytes', 'first load: bytes transferred', 'bytes',
        firsts.map((load) => load.transferredBytes), {
          note: `${last.first.resources.length} responses; warm reload ${kb(reload.transferredBytes)} ` +
            `in ${reload.resources.length}`,
        }),
    ],
    sections: [{
      title: 'First load, per response (the last cold load)',
      rows: [['path', 'type', 'encoding', 'transferred'],
        ...last.first.resources.map((r) => [r.path, r.type, r.encoding, kb(r.bytes)])],
    }],
    details: { loads: firsts, reload },
  };
}

/**
 * Each lab with a Run button, opened with an empty cache on an emulated slow connection: the
 * time from navigation start to an enabled Run; one row (the slowest lab) and a section.
 * @param {Browser} browser
 * @returns {Promise<{ row: Row, sections: Section[], details: object }>}
 */
export async function measureSlowLoads(browser) {
  /** @type {{lab: string, runEnabledMs: number, transferredBytes: number}[]} */ const labs = [];
  for (const lab of RUN_LABS) {
    progress(`slow network: first load of ${lab}`);
    const { context, page, cdp } = await newLoadPage(browser);
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.emulateNetworkConditions', SLOW_NETWORK);
    let transferredBytes = 0;
    cdp.on('Network.loadingFinished', (event) => { transferredBytes += event.encodedDataLength; });
    const url = labUrl(`lab=${lab}`);
    await navigation(url, () => page.goto(url, { waitUntil: 'commit' }));
    await waitFor(page, page.locator('#run'), 'the "Run" button', { enabled: true });
    const runEnabledMs = await page.evaluate(() => /** @type {any} */ (window).__runEnabledAtMs);
    labs.push({ lab, runEnabledMs: Math.round(Number(runEnabledMs)), transferredBytes });
    await context.close();
  }
  const worst = labs.reduce((a, b) => (b.runEnabledMs > a.runEnabledMs ? b : a));
  return {
    row: row('slow-network-run-enabled', 'slow network: a usable Run button, slowest lab', 'ms',
      [worst.runEnabledMs], {
        bars: [bar('slowest lab', worst.runEnabledMs, '<', SLOW.barMs, 'ms'),
          goal('slowest lab', worst.runEnabledMs, '<', SLOW.goalMs, 'ms')],
        note: `${worst.lab}; 1.6 Mbps down, 150 ms round trip, empty cache`,
      }),
    sections: [{
      title: 'Slow network: a usable Run button, per lab (1.6 Mbps, 150 ms round trip, empty cache)',
      rows: [['lab', 'Run enabled', 'transferred'],
        ...labs.map((l) => [l.lab, ms(l.runEnabledMs), `${count(l.transferredBytes)} bytes`])],
    }],
    details: { network: SLOW_NETWORK, labs, worst },
  };
}
