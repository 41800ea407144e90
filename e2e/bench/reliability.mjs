// Reliability: how soon Stop stops a run, and fifty runs in a row with the wasm memory, the JS
// heap and the live workers after each.
import { median } from './common.mjs';
import {
  BenchError, WAIT_MS, WATCH_RUN_START, openLab, progress, runButton, runOnPage, waitForRunStart,
} from './page.mjs';
import { bar, goal, ms, row } from './rows.mjs';

/** @typedef {import('./rows.mjs').Row} Row */
/** @typedef {import('playwright-core').Page} Page */

const STOP_RUNS = 5;
/** How long a run goes before Stop is pressed, ms. */
const STOP_AFTER_MS = 1000;
/** Stop's latency is reported against a goal, not judged. */
const STOP_GOAL_MS = 50;
const SOAK = { runs: 50, jobs: 4, n: 1_000_003, workers: 2 };
const SOAK_HEAP_GROWTH = 1.05;

/** The runs Stop is measured on: what runs when it is pressed, and the lab URL. */
export const STOP_CASES = [
  { id: 'stop-sleeps', what: 'sleeps on the event loop',
    query: 'lab=sleep&tasks=1000&seconds=20&sleep=async&executors=event-loop' },
  { id: 'stop-pool-cpu', what: 'CPU jobs on a pool',
    query: 'lab=is-prime&seconds=0&jobs=40&n=auto&workers=2&executors=pool' },
  { id: 'stop-requests', what: 'requests at the server',
    query: 'lab=http&tasks=6&delay_ms=10000&network=server&executors=event-loop' },
];

/** @param {typeof STOP_CASES[number]} c */
export const stopLabel = (c) => `Stop to "stopped", ${c.what}`;

/**
 * Records in the page's clock the click on Stop (the input event's own time) and the first
 * moment after it when a result article says "stopped".
 */
const WATCH_STOP = `(() => {
  window.__stopClickMs = null;
  window.__stoppedAtMs = null;
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    if (button && button.textContent.trim() === 'Stop') window.__stopClickMs = event.timeStamp;
  }, { capture: true, once: true });
  const observer = new MutationObserver(() => {
    if (window.__stopClickMs !== null &&
        document.querySelector('article[data-status="stopped"]') !== null) {
      window.__stoppedAtMs = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true,
    attributeFilter: ['data-status'] });
})();`;

/**
 * Stop's latency on one lab: opens it, runs, presses Stop after STOP_AFTER_MS; click to
 * "stopped" in ms for each of STOP_RUNS runs; one row.
 * @param {Page} page @param {typeof STOP_CASES[number]} c
 * @returns {Promise<{ row: Row, details: object }>}
 */
export async function measureStop(page, c) {
  progress(`Stop during ${c.what}`);
  /** @type {number[]} */ const runsMs = [];
  for (let run = 1; run <= STOP_RUNS; run++) {
    await openLab(page, c.query);
    await page.evaluate(WATCH_RUN_START);
    await runButton(page).click();
    await waitForRunStart(page);
    await page.waitForTimeout(STOP_AFTER_MS);
    await page.evaluate(WATCH_STOP);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    const latency = await page.waitForFunction(() => {
      const w = /** @type {any} */ (window);
      return w.__stoppedAtMs !== null && w.__stoppedAtMs - w.__stopClickMs;
    }, undefined, { timeout: WAIT_MS }).then((handle) => handle.jsonValue())
      .catch(() => { throw new BenchError(`no result said "stopped" after Stop on ${page.url()}`); });
    runsMs.push(Number(latency));
  }
  const medianMs = median(runsMs);
  return {
    row: row(c.id, stopLabel(c), 'ms', runsMs, {
      bars: [goal('click to stopped', medianMs, '<', STOP_GOAL_MS, 'ms')],
      note: `after ${ms(STOP_AFTER_MS)} of running; runs ${runsMs.map(ms).join(', ')}`,
    }),
    details: { ...c, afterMs: STOP_AFTER_MS, runsMs, medianMs, worstMs: Math.max(...runsMs) },
  };
}

// Keeps the app's wasm memory where the bench can read it: the page's loader announces the
// instance's exports in its `async-playground:started` event.
const KEEP_WASM_MEMORY = `addEventListener('async-playground:started', (event) => {
  window.__wasmMemory = event.detail?.wasm?.memory ?? null;
});`;

export const SOAK_ROWS = [
  { id: 'soak-wasm-memory', case: `soak, ${SOAK.runs} pool runs: wasm memory`, unit: 'bytes' },
  { id: 'soak-js-heap', case: `soak, ${SOAK.runs} pool runs: JS heap after a GC`, unit: 'bytes' },
  { id: 'soak-workers', case: `soak, ${SOAK.runs} pool runs: live workers`, unit: 'count' },
];

/**
 * 50 runs in a row of a lab with a pool: the wasm memory, the JS heap (after a garbage
 * collection) and the live workers after each; three rows (no wasm memory growth after run 2;
 * the JS heap flat over the second half, run 50 within 5% of run 25; as many workers after
 * every run).
 * @param {import('playwright-core').BrowserContext} context @param {Page} page
 * @returns {Promise<{ rows: Row[], details: object }>}
 */
export async function measureSoak(context, page) {
  const { runs, jobs, n, workers } = SOAK;
  await page.addInitScript(KEEP_WASM_MEMORY);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await openLab(page, `lab=is-prime&seconds=0&jobs=${jobs}&n=${n}&workers=${workers}&executors=pool`);
  /** @type {{wasmBytes: number, jsHeapBytes: number, workers: number, wallMs: number}[]} */
  const after = [];
  for (let run = 1; run <= runs; run++) {
    if (run % 10 === 1) progress(`soak: run ${run}/${runs}`);
    const result = await runOnPage(page, ['pool']);
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const jsHeapBytes = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? NaN;
    const wasmBytes = await page.evaluate(() => /** @type {any} */ (window).__wasmMemory?.buffer.byteLength ?? NaN);
    const { targetInfos } = await cdp.send('Target.getTargets');
    after.push({ wasmBytes, jsHeapBytes, wallMs: result.wallMs.pool,
      workers: targetInfos.filter((target) => target.type === 'worker').length });
  }
  const second = after[1];
  const half = after[Math.floor(runs / 2) - 1];
  const last = after[after.length - 1];
  const largest = (/** @type {number[]} */ values) => Math.max(...values);
  const wasmMax = largest(after.slice(1).map((run) => run.wasmBytes));
  const heapMax = largest(after.slice(1).map((run) => run.jsHeapBytes));
  const workerCounts = after.map((run) => run.workers);
  const [fewest, most] = [Math.min(...workerCounts), Math.max(...workerCounts)];
  const mb = (/** @type {number} */ bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
  const [soakWasm, soakHeap, soakWorkers] = SOAK_ROWS;
  return {
    rows: [
      row(soakWasm.id, soakWasm.case, 'bytes', [last.wasmBytes], {
        memoryBytes: last.wasmBytes,
        bars: [bar('growth after run 2', wasmMax - second.wasmBytes, '==', 0, 'bytes')],
        note: `after run 2 ${mb(second.wasmBytes)}, largest after it ${mb(wasmMax)}`,
      }),
      row(soakHeap.id, soakHeap.case, 'bytes', [last.jsHeapBytes], {
        bars: [bar(`run ${runs} / run ${Math.floor(runs / 2)}`, last.jsHeapBytes / half.jsHeapBytes,
          '<=', SOAK_HEAP_GROWTH, 'x')],
        note: `after run 2 ${mb(second.jsHeapBytes)}, run ${Math.floor(runs / 2)} ` +
          `${mb(half.jsHeapBytes)}, largest ${mb(heapMax)}`,
      }),
      row(soakWorkers.id, soakWorkers.case, 'count', [most], {
        bars: [bar('most - fewest after a run', most - fewest, '==', 0, 'count')],
        note: `fewest after a run ${fewest}`,
      }),
    ],
    details: { runs, jobs, n, workers, after,
      wasmBytes: { run2: second.wasmBytes, last: last.wasmBytes, max: wasmMax },
      jsHeapBytes: { run2: second.jsHeapBytes, half: half.jsHeapBytes, last: last.jsHeapBytes,
        max: heapMax },
      liveWorkers: { min: fewest, max: most } },
  };
}
