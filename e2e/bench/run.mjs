#!/usr/bin/env node
// Browser benchmark of the Async Playground, measured on the served release build.
// Not a test: it prints figures and judges only its bars: the two DESIGN/TOOLCHAIN set and
// two for the pool.
//
//   BASE_URL=http://127.0.0.1:8080/ node bench/run.mjs
//
// (a) hello: sequential and event-loop wall time, 5 runs: median and the largest deviation from
//     the wall times the article reports for them;
// (b) sleep lab, 4000 tasks x 1 s on the event loop: wall and the heartbeat's longest frame gap
//     (bar: wall < 1100 ms, gap < 100 ms);
// (c) 100,000 tasks x 1 s on the event loop: wall and longest frame gap (reported only);
// (d) first load: time from navigation start to the Run button being enabled, and the bytes
//     transferred (a warm reload is shown beside it);
// (e) pool speed-up on CPU: is-prime, 2 x cores jobs of half the n the page picks for 1 s (about
//     0.5 s each), event-loop against a warm pool of one worker per core (workers=auto), 3 runs
//     after a warm-up run: speed-up = event-loop wall / pool wall, efficiency = speed-up /
//     workers (bar: median >= 0.85);
// (f) warm pool dispatch: sleep lab, 2000 tasks x 0 s on 2 workers, run twice; on the warm run,
//     overhead per task = wall x workers / tasks (bar: < 1 ms);
// (g) pool cold start: first spawn to last worker ready, 2 workers, after "Discard warm pool"
//     (workers start in parallel, so the span is each worker's start-up; reported only);
// (h) the article's is_prime(16769823) (11,179,882 iterations), one job on the event loop,
//     3 runs: median wall (`cargo xtask bench` prints CPython's time for the same loop beside it).
// (i) threads: the GIL model's overhead (is-prime, 2 jobs of about 0.5 s, threads wall /
//     event-loop wall, 5 runs: bar median < 1.10), 4000 threads x 1 s sleeps (5 runs: bar median
//     wall < 1500 ms; `cargo xtask bench` prints CPython's threading beside it), the page's
//     longest frame gap during a threads CPU run (bar < 50 ms), and run-in-executor on hello with
//     sleep=blocking (2 tasks of 1 s: wall about 1 s, bar frame gap < 50 ms).
// (j) Stop: from the click (the input event's own time) to a result article saying "stopped",
//     in the page's clock, during sleeps on the event loop, CPU jobs on a pool and requests held
//     by the server, 5 runs each (goal < 50 ms; reported only);
// (k) soak: 50 runs in a row of is-prime on a pool of 2; after each, the wasm memory
//     (`memory.buffer.byteLength`), the JS heap after a garbage collection (CDP
//     `Performance.getMetrics`) and the live dedicated workers (CDP `Target.getTargets`)
//     (bars: no wasm memory growth after run 2; the JS heap flat over the second half, run 50
//     within 5% of run 25, its growth from run 2 reported beside it (the first runs fill V8's
//     caches: a rise that levels off); as many workers after every run);
// (l) slow network: every lab with a Run button opened with an empty cache under Chromium's
//     network emulation (1.6 Mbps down, 750 kbps up, 150 ms round trip): time from navigation
//     start to an enabled Run (bar < 2000 ms on every lab; goal 1000 ms).
// It prints a table, then one JSON line with every figure as the last line of output.
//
// The article's figures (its is_prime n, its wall times) come from the core, never copied here:
// `cargo xtask bench` passes them in PLAYGROUND_ARTICLE_FIGURES; run alone, this script asks
// `cargo xtask article-figures` for them.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../chromium.mjs';
import { baseUrlFromEnv, printTable } from './common.mjs';

const WAIT_MS = 60_000;
const HELLO_RUNS = 5;
const SLEEP_4000_RUNS = 3;
const POOL_RUNS = 3;
const ARTICLE_RUNS = 3;

/**
 * The article's figures as the core holds them (xtask/src/article.rs).
 * @returns {{ isPrime: { n: number, iterations: number },
 *   wallMs: Record<string, Record<string, number>> }}
 */
function articleFigures() {
  const json =
    process.env.PLAYGROUND_ARTICLE_FIGURES ??
    execFileSync('cargo', ['xtask', 'article-figures'], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  return JSON.parse(json);
}
const ARTICLE = articleFigures();
/** The n the article timed is_prime with. */
const ARTICLE_N = ARTICLE.isPrime.n;
/** What the article's two hellos took, awaited in turn and gathered. */
const ARTICLE_HELLO_MS = {
  sequential: ARTICLE.wallMs.hello.sequential,
  eventLoop: ARTICLE.wallMs.hello['event-loop'],
};
const DISPATCH = { tasks: 2000, workers: 2 };
const COLD_START = { jobs: 2, n: 1_000_003, workers: 2 };
/** The page's cap on `workers` (`workers=auto` is one per core, at most this). */
const MAX_WORKERS = 16;
const THREADS_RUNS = 5;
const BARS = {
  sleep4000WallMs: 1100,
  sleep4000FrameGapMs: 100,
  poolEfficiencyMin: 0.85,
  poolDispatchMsPerTask: 1,
  gilOverheadMax: 1.1,
  threads4000WallMs: 1500,
  threadsFrameGapMs: 50,
  runInExecutorFrameGapMs: 50,
  soakHeapGrowth: 0.05,
  slowRunEnabledMs: 2000,
};
/** Figures reported against a goal, not judged. */
const GOALS = { stopLatencyMs: 50, slowRunEnabledMs: 1000 };
const STOP_RUNS = 5;
/** How long a run goes before Stop is pressed, ms. */
const STOP_AFTER_MS = 1000;
const SOAK = { runs: 50, jobs: 4, n: 1_000_003, workers: 2 };
/** Chromium's network emulation for the slow first load (Lighthouse's slow 4G). */
const SLOW_NETWORK = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8,
  uploadThroughput: 750_000 / 8 };
/** The labs whose page has a Run button. */
const RUN_LABS = ['hello', 'generators', 'sleep', 'http', 'is-prime', 'mixed', 'combined', 'cats'];

/** An expected element or state that did not come: the message says which, and where. */
class BenchError extends Error {}

const BASE_URL = baseUrlFromEnv('bench/run.mjs').toString();
const labUrl = (/** @type {string} */ query) => new URL(`?${query}`, BASE_URL).toString();

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** @param {number[]} values @param {number} target */
const maxDeviation = (values, target) => Math.max(...values.map((value) => Math.abs(value - target)));

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

/** @param {Page} page */
const runButton = (page) => page.getByRole('button', { name: 'Run', exact: true });

/** @param {Page} page @param {string} executor */
const resultOf = (page, executor) =>
  page
    .getByRole('region', { name: 'Results', exact: true })
    .getByRole('article', { name: `${executor} result`, exact: true });

/**
 * Navigates, turning a failed or non-2xx load into a BenchError that names the URL.
 * @param {string} url @param {() => Promise<import('playwright-core').Response | null>} navigate
 */
async function navigation(url, navigate) {
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

/** @param {Page} page */
const heartbeat = (page) => page.getByRole('img', { name: 'Heartbeat', exact: true });

/**
 * Waits for `locator` to be visible (and enabled when asked), or throws a BenchError naming it.
 * @param {Page} page @param {Locator} locator @param {string} what
 * @param {{ enabled?: boolean }} [options]
 */
async function waitFor(page, locator, what, options = {}) {
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
 * @param {Page} page @param {string} executor
 */
async function finishedWallMs(page, executor) {
  const article = resultOf(page, executor);
  await waitFor(page, article, `the result article "${executor} result"`);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const status = await article.getAttribute('data-status', { timeout: WAIT_MS });
    if (status === 'finished') break;
    if (status === 'stopped' || status === 'failed') {
      throw new BenchError(`${executor} ended with status "${status}" on ${page.url()}`);
    }
    if (await page.getByRole('alertdialog', { name: 'Long run' }).isVisible()) {
      throw new BenchError(`unexpected "Long run" dialog on ${page.url()}`);
    }
    if (Date.now() > deadline) {
      throw new BenchError(`"${executor} result" not finished after ${WAIT_MS / 1000} s ` +
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

/** @param {Page} page */
async function maxFrameGapMs(page) {
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
 * Reads a numeric data attribute of an executor's result article.
 * @param {Page} page @param {string} executor @param {string} attribute
 */
async function resultNumber(page, executor, attribute) {
  const value = Number(await resultOf(page, executor).getAttribute(attribute));
  if (!Number.isFinite(value)) throw new BenchError(`"${executor} result" has no ${attribute}`);
  return value;
}

/** Opens a lab page and waits for its Run button. @param {Page} page @param {string} query */
async function openLab(page, query) {
  await navigation(labUrl(query), () => page.goto(labUrl(query)));
  await waitFor(page, runButton(page), 'the "Run" button', { enabled: true });
}

// Sets window.__benchRunStarted once a result article appears or its data-status changes. On a
// page that has run before, the articles still say "finished" until the next run resets them,
// and a short run can go from pending to finished between two polls.
const WATCH_RUN_START = `(() => {
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
async function waitForRunStart(page) {
  const deadline = Date.now() + WAIT_MS;
  while (!(await page.evaluate(() => /** @type {any} */ (window).__benchRunStarted))) {
    if (await page.getByRole('alertdialog', { name: 'Long run' }).isVisible()) {
      throw new BenchError(`unexpected "Long run" dialog on ${page.url()}`);
    }
    if (Date.now() > deadline) {
      throw new BenchError(`no run started ${WAIT_MS / 1000} s after pressing Run on ${page.url()}`);
    }
    await page.waitForTimeout(20);
  }
}

/**
 * Presses Run on the lab page that is open (again, if it ran before: a warm pool stays warm)
 * and returns each executor's figures once every one has finished.
 * @param {Page} page @param {string[]} executors
 */
async function runOnPage(page, executors) {
  await waitFor(page, runButton(page), 'the "Run" button', { enabled: true });
  await page.evaluate(WATCH_RUN_START);
  // A run that blocks the page (many tasks) holds up the click's own acknowledgement.
  await runButton(page).click({ timeout: WAIT_MS });
  await waitForRunStart(page);
  // One call that resolves in the page when the run ends: polling from here would cost the
  // browser CPU time (a round trip through the page's thread every poll) that the pool's
  // workers, computing on every core, would lose.
  await page.evaluate(WAIT_RUN_END, { count: executors.length, timeoutMs: WAIT_MS });
  /** @type {Record<string, number>} */ const wallMs = {};
  /** @type {Record<string, number>} */ const expectedMs = {};
  /** @type {Record<string, number>} */ const startupMs = {};
  /** @type {Record<string, number>} */ const cpuMs = {};
  for (const executor of executors) {
    wallMs[executor] = await finishedWallMs(page, executor);
    expectedMs[executor] = await resultNumber(page, executor, 'data-expected-ms');
    startupMs[executor] = await resultNumber(page, executor, 'data-startup-ms');
    cpuMs[executor] = await resultNumber(page, executor, 'data-cpu-ms');
  }
  return { wallMs, expectedMs, startupMs, cpuMs, maxFrameGapMs: await maxFrameGapMs(page) };
}

/**
 * Opens a lab, presses Run and returns its result figures.
 * @param {Page} page @param {string} query @param {string[]} executors
 */
async function runLab(page, query, executors) {
  await openLab(page, query);
  return runOnPage(page, executors);
}

// Records, from the first script of the document on, when the Run button becomes enabled,
// in the page's clock (milliseconds since navigation start).
const RECORD_RUN_ENABLED = `(() => {
  window.__runEnabledAtMs = null;
  const isRun = (b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim() === 'Run';
  const check = () => {
    if (window.__runEnabledAtMs !== null) return;
    const run = [...document.querySelectorAll('button')].find(isRun);
    if (run && !run.disabled) { window.__runEnabledAtMs = performance.now(); observer.disconnect(); }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, characterData: true,
    attributes: true, attributeFilter: ['disabled', 'aria-label'] });
})();`;

/**
 * Loads the hello lab in a context with an empty cache, then reloads it, and reports for each
 * load the time to an enabled Run button and the bytes transferred (CDP encodedDataLength).
 * @param {import('playwright-core').Browser} browser
 */
async function measureLoads(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  await page.addInitScript(RECORD_RUN_ENABLED);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
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
    await waitFor(page, runButton(page), 'the "Run" button', { enabled: true });
    const wallToRunEnabledMs = Date.now() - startedAt;
    // Let late requests (workers, the latency probe) finish before counting bytes.
    await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => {});
    const timing = await page.evaluate(() => {
      const [navigation] = /** @type {PerformanceNavigationTiming[]} */ (
        performance.getEntriesByType('navigation'));
      return {
        runEnabledMs: /** @type {any} */ (window).__runEnabledAtMs,
        domContentLoadedMs: navigation?.domContentLoadedEventEnd ?? null,
        loadMs: navigation?.loadEventEnd ?? null,
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
  const reload = await load(() => navigation(url, () => page.reload({ waitUntil: 'commit' })));
  await context.close();
  return { first, reload };
}

/** The smallest prime factor of `n` (n >= 2; trial division, n up to about 10^12). */
function smallestFactor(/** @type {number} */ n) {
  if (n % 2 === 0) return 2;
  for (let factor = 3; factor * factor <= n; factor += 2) if (n % factor === 0) return factor;
  return n;
}

/** Iterations of the article's loop for `n`: it stops at the largest proper divisor. */
const articleIterations = (/** @type {number} */ n) => (n < 2 ? 0 : n - n / smallestFactor(n));

/** The first prime >= `n`: the article's loop runs n - 1 iterations for a prime. */
function primeAtOrAbove(/** @type {number} */ n) {
  let candidate = Math.max(2, n);
  while (smallestFactor(candidate) !== candidate) candidate++;
  return candidate;
}

/** The n the is-prime page picked for `n=auto` ("Picked here: n = 416,193,297."). @param {Page} page */
async function pickedN(page) {
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

/**
 * (e) CPU-bound jobs on the event loop against a warm pool of one worker per core. The jobs
 * take about 0.5 s each: n is the first prime from half the n the page picks for 1 s.
 * @param {Page} page
 */
async function measurePoolSpeedup(page) {
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const workers = Math.min(Math.max(cores, 1), MAX_WORKERS);
  const jobs = 2 * cores;
  const common = `lab=is-prime&seconds=0&jobs=${jobs}&workers=auto&executors=event-loop,pool`;
  progress(`pool speed-up: the n picked for 1 s per job (${cores} cores)`);
  await openLab(page, common);
  const picked = await pickedN(page);
  const n = primeAtOrAbove(Math.floor(picked / 2));
  await openLab(page, `${common}&n=${n}`);
  progress('pool speed-up: warm-up run (the pool starts cold)');
  const warmUp = await runOnPage(page, ['event-loop', 'pool']);
  /** @type {{eventLoopMs: number, poolMs: number, poolStartupMs: number, speedup: number,
   *   efficiency: number, eventLoopJobMs: number, poolJobMs: number}[]} */
  const runs = [];
  for (let run = 1; run <= POOL_RUNS; run++) {
    progress(`pool speed-up run ${run}/${POOL_RUNS} (warm pool)`);
    const { wallMs, startupMs, cpuMs } = await runOnPage(page, ['event-loop', 'pool']);
    if (startupMs.pool !== 0) console.warn(`warning: pool run ${run} was not warm`);
    const speedup = wallMs['event-loop'] / wallMs.pool;
    // A job's own time, from its start to its end: on the page's thread alone, and in the
    // workers while every core computes.
    runs.push({ eventLoopMs: wallMs['event-loop'], poolMs: wallMs.pool,
      poolStartupMs: startupMs.pool, speedup, efficiency: speedup / workers,
      eventLoopJobMs: cpuMs['event-loop'] / jobs, poolJobMs: cpuMs.pool / jobs });
  }
  return {
    cores, workers, jobs, pickedN: picked, n, iterationsPerJob: articleIterations(n),
    expectedJobMs: warmUp.expectedMs['event-loop'] / jobs,
    warmUp: { eventLoopMs: warmUp.wallMs['event-loop'], poolMs: warmUp.wallMs.pool,
      poolStartupMs: warmUp.startupMs.pool },
    runs,
    medianSpeedup: median(runs.map((run) => run.speedup)),
    medianEfficiency: median(runs.map((run) => run.efficiency)),
    medianEventLoopJobMs: median(runs.map((run) => run.eventLoopJobMs)),
    medianPoolJobMs: median(runs.map((run) => run.poolJobMs)),
  };
}

/**
 * (f) What a warm pool costs per task: many tasks of no work on a pool that ran once before.
 * @param {Page} page
 */
async function measurePoolDispatch(page) {
  const { tasks, workers } = DISPATCH;
  await openLab(page, `lab=sleep&tasks=${tasks}&seconds=0&workers=${workers}&executors=pool`);
  progress(`pool dispatch: ${tasks} tasks, cold run`);
  const cold = await runOnPage(page, ['pool']);
  progress(`pool dispatch: ${tasks} tasks, warm run`);
  const warm = await runOnPage(page, ['pool']);
  if (warm.startupMs.pool !== 0) console.warn('warning: the second dispatch run was not warm');
  return {
    tasks, workers,
    cold: { wallMs: cold.wallMs.pool, startupMs: cold.startupMs.pool },
    warm: { wallMs: warm.wallMs.pool, startupMs: warm.startupMs.pool },
    msPerTask: (warm.wallMs.pool * workers) / tasks,
  };
}

/**
 * (g) A pool's cold start: the page's first pool run starts the workers; then "Discard warm
 * pool" and run again, cold on purpose. The workers start in parallel: the span from the first
 * spawn to the last ready is each worker's start-up.
 * @param {Page} page
 */
async function measurePoolColdStart(page) {
  const { jobs, n, workers } = COLD_START;
  await openLab(page, `lab=is-prime&seconds=0&jobs=${jobs}&n=${n}&workers=${workers}&executors=pool`);
  progress('pool cold start: first run of the page');
  const first = await runOnPage(page, ['pool']);
  const discard = page.getByRole('button', { name: 'Discard warm pool', exact: true });
  const discarded = await discard.isVisible();
  if (discarded) await discard.click();
  else console.warn('warning: no "Discard warm pool" button after a pool run');
  progress('pool cold start: run after "Discard warm pool"');
  const again = await runOnPage(page, ['pool']);
  return { workers, discarded, startupMs: again.startupMs.pool,
    firstRunStartupMs: first.startupMs.pool };
}

/**
 * (h) The article's is_prime(16769823) as one job on the event loop: the page's own speed on
 * the loop the article timed (CPython's time for it is measured by `cargo xtask bench`).
 * @param {Page} page
 */
async function measureArticleIsPrime(page) {
  await openLab(page, `lab=is-prime&seconds=0&jobs=1&n=${ARTICLE_N}&executors=event-loop`);
  /** @type {number[]} */ const runsMs = [];
  for (let run = 1; run <= ARTICLE_RUNS; run++) {
    progress(`is_prime(${ARTICLE_N}) run ${run}/${ARTICLE_RUNS}`);
    runsMs.push((await runOnPage(page, ['event-loop'])).wallMs['event-loop']);
  }
  const iterations = ARTICLE.isPrime.iterations;
  const medianWallMs = median(runsMs);
  return { n: ARTICLE_N, iterations, runsMs, medianWallMs,
    nsPerIteration: (medianWallMs * 1e6) / iterations };
}

/**
 * (i) Threads under the GIL and run_in_executor.
 * @param {Page} page
 */
async function measureThreads(page) {
  const base = 'lab=is-prime&seconds=0&jobs=2&executors=event-loop,threads';
  await openLab(page, base);
  const n = primeAtOrAbove(Math.floor((await pickedN(page)) / 2));
  await openLab(page, `${base}&n=${n}`);
  progress('threads: warm-up run');
  await runOnPage(page, ['event-loop', 'threads']);
  /** @type {{eventLoopMs: number, threadsMs: number, ratio: number}[]} */ const overhead = [];
  for (let run = 1; run <= THREADS_RUNS; run++) {
    progress(`threads: GIL overhead run ${run}/${THREADS_RUNS}`);
    const { wallMs } = await runOnPage(page, ['event-loop', 'threads']);
    overhead.push({ eventLoopMs: wallMs['event-loop'], threadsMs: wallMs.threads,
      ratio: wallMs.threads / wallMs['event-loop'] });
  }
  progress('threads: frame gap during a CPU run on threads alone');
  await openLab(page, `lab=is-prime&seconds=0&jobs=2&n=${n}&executors=threads`);
  const alone = await runOnPage(page, ['threads']);
  const handoffs = Number(await resultOf(page, 'threads').getAttribute('data-gil-handoffs'));
  /** @type {number[]} */ const sleepers = [];
  await openLab(page, 'lab=sleep&tasks=4000&seconds=1&executors=threads');
  for (let run = 1; run <= THREADS_RUNS; run++) {
    progress(`threads: 4000 x 1 s run ${run}/${THREADS_RUNS}`);
    sleepers.push((await runOnPage(page, ['threads'])).wallMs.threads);
  }
  /** @type {{wallMs: number, maxFrameGapMs: number}[]} */ const offloaded = [];
  await openLab(page, 'lab=hello&tasks=2&seconds=1&sleep=blocking&executors=run-in-executor');
  for (let run = 1; run <= THREADS_RUNS; run++) {
    progress(`run-in-executor: hello, blocking sleeps, run ${run}/${THREADS_RUNS}`);
    const result = await runOnPage(page, ['run-in-executor']);
    offloaded.push({ wallMs: result.wallMs['run-in-executor'], maxFrameGapMs: result.maxFrameGapMs });
  }
  return {
    n,
    overhead,
    medianOverhead: median(overhead.map((run) => run.ratio)),
    cpuAlone: { wallMs: alone.wallMs.threads, maxFrameGapMs: alone.maxFrameGapMs, handoffs },
    sleepers4000: { runsMs: sleepers, medianMs: median(sleepers) },
    runInExecutor: { runs: offloaded, medianWallMs: median(offloaded.map((r) => r.wallMs)),
      medianMaxFrameGapMs: median(offloaded.map((r) => r.maxFrameGapMs)) },
  };
}

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
 * (j) Stop's latency on one lab: opens it, runs, presses Stop after STOP_AFTER_MS, and
 * returns click-to-stopped in ms for each of STOP_RUNS runs.
 * @param {Page} page @param {string} query
 */
async function measureStop(page, query) {
  /** @type {number[]} */ const runsMs = [];
  for (let run = 1; run <= STOP_RUNS; run++) {
    await openLab(page, query);
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
  return { runsMs, medianMs: median(runsMs), worstMs: Math.max(...runsMs) };
}

/** (j) Stop during sleeps, CPU jobs on a pool and requests. @param {Page} page */
async function measureStops(page) {
  progress('Stop during sleeps');
  const sleeps = await measureStop(page,
    'lab=sleep&tasks=1000&seconds=20&sleep=async&executors=event-loop');
  progress('Stop during CPU jobs on a pool');
  const poolCpu = await measureStop(page,
    'lab=is-prime&seconds=0&jobs=40&n=auto&workers=2&executors=pool');
  progress('Stop during requests');
  const fetches = await measureStop(page,
    'lab=http&tasks=6&delay_ms=10000&executors=event-loop');
  return { afterMs: STOP_AFTER_MS, sleeps, poolCpu, fetches };
}

// Keeps the app's wasm memory where the bench can read it: Trunk's loader announces the
// instance's exports in its `TrunkApplicationStarted` event.
const KEEP_WASM_MEMORY = `addEventListener('TrunkApplicationStarted', (event) => {
  window.__wasmMemory = event.detail?.wasm?.memory ?? null;
});`;

/**
 * (k) 50 runs in a row of a lab with a pool: the wasm memory, the JS heap (after a garbage
 * collection) and the live workers after each.
 * @param {import('playwright-core').BrowserContext} context @param {Page} page
 */
async function measureSoak(context, page) {
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
  const last = after[after.length - 1];
  const workerCounts = after.map((run) => run.workers);
  return {
    runs, jobs, n, workers, after,
    wasmBytes: { run2: second.wasmBytes, last: last.wasmBytes,
      max: Math.max(...after.slice(1).map((run) => run.wasmBytes)) },
    jsHeapBytes: { run2: second.jsHeapBytes, half: after[Math.floor(runs / 2) - 1].jsHeapBytes,
      last: last.jsHeapBytes,
      max: Math.max(...after.slice(1).map((run) => run.jsHeapBytes)) },
    liveWorkers: { min: Math.min(...workerCounts), max: Math.max(...workerCounts) },
  };
}

/**
 * (l) Each lab with a Run button, opened with an empty cache on an emulated slow connection:
 * the time from navigation start to an enabled Run, and the bytes transferred.
 * @param {import('playwright-core').Browser} browser
 */
async function measureSlowLoads(browser) {
  /** @type {{lab: string, runEnabledMs: number, transferredBytes: number}[]} */ const labs = [];
  for (const lab of RUN_LABS) {
    progress(`slow network: first load of ${lab}`);
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    await page.addInitScript(RECORD_RUN_ENABLED);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.emulateNetworkConditions', SLOW_NETWORK);
    let transferredBytes = 0;
    cdp.on('Network.loadingFinished', (event) => { transferredBytes += event.encodedDataLength; });
    const url = labUrl(`lab=${lab}`);
    await navigation(url, () => page.goto(url, { waitUntil: 'commit' }));
    await waitFor(page, runButton(page), 'the "Run" button', { enabled: true });
    const runEnabledMs = await page.evaluate(() => /** @type {any} */ (window).__runEnabledAtMs);
    labs.push({ lab, runEnabledMs: Math.round(Number(runEnabledMs)), transferredBytes });
    await context.close();
  }
  const worst = labs.reduce((a, b) => (b.runEnabledMs > a.runEnabledMs ? b : a));
  return { network: SLOW_NETWORK, labs, worst };
}

/** Progress goes to stderr: stdout holds only the tables and the final JSON line. */
const progress = (/** @type {string} */ step) => console.error(`... ${step}`);

const kb = (/** @type {number} */ bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (/** @type {number} */ value) => `${Math.round(value)} ms`;
const times = (/** @type {number} */ ratio) => `${ratio.toFixed(2)}x`;
const count = (/** @type {number} */ value) => value.toLocaleString('en-US');

async function main() {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  /** @type {string[]} */
  const consoleErrors = [];
  try {
    console.log(`Async Playground benchmark: ${BASE_URL} (Chromium ${browser.version()})\n`);

    // (d) first: a cold cache needs a fresh context, before anything else has loaded.
    progress('first load and warm reload');
    const loads = await measureLoads(browser);
    const slowLoads = await measureSlowLoads(browser);

    /** A fresh context and page, listening for console errors. */
    const freshPage = async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(WAIT_MS);
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
      page.on('dialog', (dialog) => {
        consoleErrors.push(`native dialog: ${dialog.message()}`);
        dialog.dismiss().catch(() => {});
      });
      return { context, page };
    };
    const { context, page } = await freshPage();

    // (a)
    /** @type {number[]} */ const sequential = [];
    /** @type {number[]} */ const eventLoop = [];
    for (let run = 1; run <= HELLO_RUNS; run++) {
      progress(`hello run ${run}/${HELLO_RUNS}`);
      const { wallMs } = await runLab(page,
        'lab=hello&tasks=2&seconds=1&sleep=async&executors=sequential,event-loop',
        ['sequential', 'event-loop']);
      sequential.push(wallMs.sequential);
      eventLoop.push(wallMs['event-loop']);
    }

    // (b)
    /** @type {{wallMs: number, maxFrameGapMs: number}[]} */ const sleep4000 = [];
    for (let run = 1; run <= SLEEP_4000_RUNS; run++) {
      progress(`sleep 4000 x 1 s run ${run}/${SLEEP_4000_RUNS}`);
      const result = await runLab(page,
        'lab=sleep&tasks=4000&seconds=1&sleep=async&executors=event-loop', ['event-loop']);
      sleep4000.push({ wallMs: result.wallMs['event-loop'], maxFrameGapMs: result.maxFrameGapMs });
    }

    // (c)
    progress('sleep 100000 x 1 s run 1/1');
    const big = await runLab(page,
      'lab=sleep&tasks=100000&seconds=1&sleep=async&executors=event-loop', ['event-loop']);

    await context.close();

    // (e) to (h) on a fresh page: the 100,000-task run leaves a large heap behind, and its
    // garbage collection would be measured as the pool's.
    const fresh = await freshPage();
    const poolSpeedup = await measurePoolSpeedup(fresh.page);
    const poolDispatch = await measurePoolDispatch(fresh.page);
    const poolColdStart = await measurePoolColdStart(fresh.page);
    const isPrimeArticle = await measureArticleIsPrime(fresh.page);
    await fresh.context.close();
    const forThreads = await freshPage();
    const threads = await measureThreads(forThreads.page);
    await forThreads.context.close();
    const forStops = await freshPage();
    const stops = await measureStops(forStops.page);
    await forStops.context.close();
    const forSoak = await freshPage();
    const soak = await measureSoak(forSoak.context, forSoak.page);
    await forSoak.context.close();

    const hello = {
      sequential: { runsMs: sequential, medianMs: median(sequential),
        maxDeviationMs: maxDeviation(sequential, ARTICLE_HELLO_MS.sequential) },
      eventLoop: { runsMs: eventLoop, medianMs: median(eventLoop),
        maxDeviationMs: maxDeviation(eventLoop, ARTICLE_HELLO_MS.eventLoop) },
    };
    const sleepWall = sleep4000.map((run) => run.wallMs);
    const sleepGap = sleep4000.map((run) => run.maxFrameGapMs);
    const sleepSummary = {
      runs: sleep4000,
      medianWallMs: median(sleepWall),
      worstWallMs: Math.max(...sleepWall),
      medianMaxFrameGapMs: median(sleepGap),
      worstMaxFrameGapMs: Math.max(...sleepGap),
    };
    const bars = {
      sleep4000Wall: sleepSummary.medianWallMs < BARS.sleep4000WallMs,
      sleep4000FrameGap: sleepSummary.medianMaxFrameGapMs < BARS.sleep4000FrameGapMs,
      poolEfficiency: poolSpeedup.medianEfficiency >= BARS.poolEfficiencyMin,
      poolDispatch: poolDispatch.msPerTask < BARS.poolDispatchMsPerTask,
      gilOverhead: threads.medianOverhead < BARS.gilOverheadMax,
      threads4000: threads.sleepers4000.medianMs < BARS.threads4000WallMs,
      threadsFrameGap: threads.cpuAlone.maxFrameGapMs < BARS.threadsFrameGapMs,
      runInExecutorFrameGap: threads.runInExecutor.medianMaxFrameGapMs < BARS.runInExecutorFrameGapMs,
      soakWasmMemory: soak.wasmBytes.max === soak.wasmBytes.run2,
      soakJsHeap: soak.jsHeapBytes.last <= soak.jsHeapBytes.half * (1 + BARS.soakHeapGrowth),
      soakWorkers: soak.liveWorkers.min === soak.liveWorkers.max,
      slowRunEnabled: slowLoads.worst.runEnabledMs < BARS.slowRunEnabledMs,
    };
    const goal = (/** @type {boolean} */ met) => (met ? 'met' : 'not met');
    const stopRow = (/** @type {string} */ what, /** @type {{medianMs: number, worstMs: number, runsMs: number[]}} */ stop) =>
      [`Stop -> stopped, ${what} (median)`, ms(stop.medianMs),
        `worst ${ms(stop.worstMs)}; runs ${stop.runsMs.map(ms).join(', ')}; goal < ` +
        `${GOALS.stopLatencyMs} ms: ${goal(stop.medianMs < GOALS.stopLatencyMs)}`];
    const mb = (/** @type {number} */ bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
    const pass = (/** @type {boolean} */ ok) => (ok ? 'pass' : 'FAIL');

    console.log('');
    printTable([
      ['measure', 'result', 'detail'],
      ['hello sequential (median)', ms(hello.sequential.medianMs),
        `max deviation from the article's ${ms(ARTICLE_HELLO_MS.sequential)}: ` +
        `${ms(hello.sequential.maxDeviationMs)} (${HELLO_RUNS} runs)`],
      ['hello event-loop (median)', ms(hello.eventLoop.medianMs),
        `max deviation from the article's ${ms(ARTICLE_HELLO_MS.eventLoop)}: ` +
        `${ms(hello.eventLoop.maxDeviationMs)} (${HELLO_RUNS} runs)`],
      ['sleep 4000 x 1 s wall (median)', ms(sleepSummary.medianWallMs),
        `worst ${ms(sleepSummary.worstWallMs)}; bar < ${BARS.sleep4000WallMs} ms: ` +
        pass(bars.sleep4000Wall)],
      ['sleep 4000 x 1 s frame gap (median)', ms(sleepSummary.medianMaxFrameGapMs),
        `worst ${ms(sleepSummary.worstMaxFrameGapMs)}; bar < ${BARS.sleep4000FrameGapMs} ms: ` +
        pass(bars.sleep4000FrameGap)],
      ['sleep 100000 x 1 s wall', ms(big.wallMs['event-loop']), 'report only'],
      ['sleep 100000 x 1 s frame gap', ms(big.maxFrameGapMs), 'report only'],
      [`pool speed-up, ${poolSpeedup.jobs} jobs (median)`, times(poolSpeedup.medianSpeedup),
        `event-loop / warm pool of ${poolSpeedup.workers} (${poolSpeedup.cores} cores); runs ` +
        poolSpeedup.runs.map((run) => times(run.speedup)).join(', ')],
      ['one job, page thread alone / in a worker (median)',
        `${ms(poolSpeedup.medianEventLoopJobMs)} / ${ms(poolSpeedup.medianPoolJobMs)}`,
        `a job in a worker takes ${times(poolSpeedup.medianPoolJobMs / poolSpeedup.medianEventLoopJobMs)} ` +
        'its time alone while every core computes'],
      ['pool efficiency per worker (median)', poolSpeedup.medianEfficiency.toFixed(3),
        `runs ${poolSpeedup.runs.map((run) => run.efficiency.toFixed(3)).join(', ')}; ` +
        `bar >= ${BARS.poolEfficiencyMin}: ${pass(bars.poolEfficiency)}`],
      ['pool speed-up walls (median)', `${ms(median(poolSpeedup.runs.map((r) => r.eventLoopMs)))} / ` +
        ms(median(poolSpeedup.runs.map((r) => r.poolMs))),
        `n = ${count(poolSpeedup.n)} (picked for 1 s: ${count(poolSpeedup.pickedN)}), about ` +
        `${ms(poolSpeedup.expectedJobMs)} a job; warm-up ${ms(poolSpeedup.warmUp.eventLoopMs)} / ` +
        `${ms(poolSpeedup.warmUp.poolMs)}, cold start ${ms(poolSpeedup.warmUp.poolStartupMs)}`],
      [`pool dispatch, warm (${count(poolDispatch.tasks)} x 0 s)`,
        `${poolDispatch.msPerTask.toFixed(3)} ms/task`,
        `wall ${ms(poolDispatch.warm.wallMs)} x ${poolDispatch.workers} workers / ` +
        `${count(poolDispatch.tasks)} tasks (cold run ${ms(poolDispatch.cold.wallMs)}); ` +
        `bar < ${BARS.poolDispatchMsPerTask} ms: ${pass(bars.poolDispatch)}`],
      ['pool cold start, per worker', ms(poolColdStart.startupMs),
        `${poolColdStart.workers} workers in parallel, ` +
        `${poolColdStart.discarded ? 'after "Discard warm pool"' : 'no discard button'}; ` +
        `page's first run ${ms(poolColdStart.firstRunStartupMs)}; report only`],
      [`is_prime(${isPrimeArticle.n}) event-loop (median)`, ms(isPrimeArticle.medianWallMs),
        `${count(isPrimeArticle.iterations)} iterations, ` +
        `${isPrimeArticle.nsPerIteration.toFixed(2)} ns each; runs ` +
        isPrimeArticle.runsMs.map(ms).join(', ')],
      ['GIL model overhead, threads / event-loop (median)', times(threads.medianOverhead),
        `2 jobs of n = ${count(threads.n)}; runs ` +
        threads.overhead.map((run) => times(run.ratio)).join(', ') +
        `; bar < ${BARS.gilOverheadMax}: ${pass(bars.gilOverhead)}`],
      ['threads CPU run alone: frame gap', ms(threads.cpuAlone.maxFrameGapMs),
        `wall ${ms(threads.cpuAlone.wallMs)}, ${count(threads.cpuAlone.handoffs)} GIL hand-offs; ` +
        `bar < ${BARS.threadsFrameGapMs} ms: ${pass(bars.threadsFrameGap)}`],
      ['4000 threads x 1 s sleep (median)', ms(threads.sleepers4000.medianMs),
        `runs ${threads.sleepers4000.runsMs.map(ms).join(', ')}; bar < ` +
        `${BARS.threads4000WallMs} ms: ${pass(bars.threads4000)}`],
      ['run-in-executor, hello blocking 2 x 1 s (median)', ms(threads.runInExecutor.medianWallMs),
        `frame gap ${ms(threads.runInExecutor.medianMaxFrameGapMs)}; bar < ` +
        `${BARS.runInExecutorFrameGapMs} ms: ${pass(bars.runInExecutorFrameGap)}`],
      stopRow('sleeps on the event loop', stops.sleeps),
      stopRow('CPU jobs on a pool', stops.poolCpu),
      stopRow('requests at the server', stops.fetches),
      [`soak, ${soak.runs} pool runs: wasm memory`, mb(soak.wasmBytes.last),
        `after run 2 ${mb(soak.wasmBytes.run2)}, largest after it ${mb(soak.wasmBytes.max)}; ` +
        `bar no growth after run 2: ${pass(bars.soakWasmMemory)}`],
      [`soak, ${soak.runs} pool runs: JS heap`, mb(soak.jsHeapBytes.last),
        `after run 2 ${mb(soak.jsHeapBytes.run2)}, run ${Math.floor(soak.runs / 2)} ` +
        `${mb(soak.jsHeapBytes.half)}, largest ${mb(soak.jsHeapBytes.max)} (after a GC); bar <= ` +
        `run ${Math.floor(soak.runs / 2)} + ${BARS.soakHeapGrowth * 100}%: ${pass(bars.soakJsHeap)}`],
      [`soak, ${soak.runs} pool runs: live workers`, String(soak.liveWorkers.max),
        `fewest after a run ${soak.liveWorkers.min}; bar flat: ${pass(bars.soakWorkers)}`],
      ['slow network: Run enabled (worst lab)', ms(slowLoads.worst.runEnabledMs),
        `${slowLoads.worst.lab}; 1.6 Mbps, 150 ms RTT, cold cache; bar < ` +
        `${BARS.slowRunEnabledMs} ms: ${pass(bars.slowRunEnabled)}; goal < ` +
        `${GOALS.slowRunEnabledMs} ms: ${goal(slowLoads.worst.runEnabledMs < GOALS.slowRunEnabledMs)}`],
      ['slow network: Run enabled per lab', '',
        slowLoads.labs.map((lab) => `${lab.lab} ${ms(lab.runEnabledMs)}`).join(', ')],
      ['first load: Run enabled', ms(loads.first.runEnabledMs),
        `from navigation start; DOMContentLoaded ${ms(loads.first.domContentLoadedMs)}`],
      ['first load: transferred', kb(loads.first.transferredBytes),
        `${loads.first.resources.length} responses`],
      ['warm reload: Run enabled', ms(loads.reload.runEnabledMs), ''],
      ['warm reload: transferred', kb(loads.reload.transferredBytes),
        `${loads.reload.resources.length} responses`],
    ]);
    console.log('\nFirst load, per response:');
    printTable([
      ['path', 'type', 'encoding', 'transferred'],
      ...loads.first.resources.map((resource) =>
        [resource.path, resource.type, resource.encoding, kb(resource.bytes)]),
    ]);
    if (consoleErrors.length) {
      console.log(`\nwarning: ${consoleErrors.length} console error(s), first: ${consoleErrors[0]}`);
    }
    console.log(JSON.stringify({
      ok: true,
      baseUrl: BASE_URL,
      chromium: browser.version(),
      hello,
      sleep4000: { ...sleepSummary,
        bars: { sleep4000WallMs: BARS.sleep4000WallMs, sleep4000FrameGapMs: BARS.sleep4000FrameGapMs },
        pass: { sleep4000Wall: bars.sleep4000Wall, sleep4000FrameGap: bars.sleep4000FrameGap } },
      sleep100000: { wallMs: big.wallMs['event-loop'], maxFrameGapMs: big.maxFrameGapMs },
      poolSpeedup: { ...poolSpeedup, bar: { efficiencyMin: BARS.poolEfficiencyMin },
        pass: bars.poolEfficiency },
      poolDispatch: { ...poolDispatch, bar: { msPerTask: BARS.poolDispatchMsPerTask },
        pass: bars.poolDispatch },
      poolColdStart,
      isPrimeArticle,
      threads: { ...threads, bars: { gilOverheadMax: BARS.gilOverheadMax,
        threads4000WallMs: BARS.threads4000WallMs, threadsFrameGapMs: BARS.threadsFrameGapMs,
        runInExecutorFrameGapMs: BARS.runInExecutorFrameGapMs },
        pass: { gilOverhead: bars.gilOverhead, threads4000: bars.threads4000,
          threadsFrameGap: bars.threadsFrameGap, runInExecutorFrameGap: bars.runInExecutorFrameGap } },
      stops: { ...stops, goalMs: GOALS.stopLatencyMs },
      soak: { ...soak, bars: { jsHeapGrowth: BARS.soakHeapGrowth },
        pass: { wasmMemory: bars.soakWasmMemory, jsHeap: bars.soakJsHeap, workers: bars.soakWorkers } },
      slowLoads: { ...slowLoads, bar: { runEnabledMs: BARS.slowRunEnabledMs },
        goal: { runEnabledMs: GOALS.slowRunEnabledMs }, pass: bars.slowRunEnabled },
      firstLoad: loads.first,
      warmReload: loads.reload,
      consoleErrors,
    }));
    return Object.values(bars).every(Boolean);
  } finally {
    await browser.close();
  }
}

try {
  const barsMet = await main();
  process.exitCode = barsMet ? 0 : 1;
} catch (error) {
  // Playwright's messages carry a colored call log: keep the plain first line.
  const message = (error instanceof Error ? error.message : String(error))
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')[0];
  console.error(`\nbenchmark failed: ${message}`);
  if (!(error instanceof BenchError) && error instanceof Error && error.stack) {
    console.error(error.stack.replace(/\x1b\[[0-9;]*m/g, ''));
  }
  console.log(JSON.stringify({ ok: false, baseUrl: BASE_URL, error: message }));
  process.exitCode = 1;
}
