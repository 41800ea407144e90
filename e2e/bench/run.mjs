#!/usr/bin/env node
// Browser benchmark of the Async Playground, measured on the served release build.
//
//   BASE_URL=http://127.0.0.1:8080/ node bench/run.mjs
//
// One list of case groups drives it (GROUPS below). Each group runs on a fresh browser context
// and gives rows of one table: a case, its figure over its runs (the median), the model's
// prediction, the longest frame gap, the timeline's frame, the wasm memory, and its bars. A
// group that fails gives FAIL rows saying why, and the benchmark goes on. The cases:
// - hello: two tasks awaited in turn and gathered, against the article's figures;
// - sleeps of 1 s gathered on the event loop, 4,000 to 10,000,000 tasks on the timer wheel and
//   up to 1,000,000 with a browser timer each (bars: 4,000 under 1,100 ms with frame gaps under
//   100 ms; 1,000,000 under 1,200 ms with frame gaps under 50 ms; 10,000,000 finishes and its
//   timeline draws a frame in under 16 ms, after zooming in and out too);
// - 4,000 sleeping threads (bar: under 1,500 ms) and 200 requests to the server's api/delay;
// - the pool's speed-up on CPU jobs (bar: 0.85 per worker), a warm pool's cost per task (bar:
//   under 1 ms), a cold pool's start, and the article's is_prime on the page;
// - the GIL model's overhead (bar: under 1.10x), frame gaps while threads compute and while
//   run_in_executor waits (bars: under 50 ms);
// - the first load (time to a usable Run, bytes) and every lab on a slow network (bar: under
//   1.4 s; goal 1 s);
// - Stop's latency (goal under 50 ms) and a soak of 50 pool runs (no growth).
// - the compare lab's whole table at scale 1, Run all (bar: under 60 s);
// - Export JSON and Export CSV of a 100,000-task sleep run (bar: each under 1 s).
// `cargo xtask bench` runs the same workloads in CPython and prints the table; this script
// prints progress on stderr and one JSON line (rows, detail sections, every figure) on stdout.
// BENCH_ONLY=hello,sleep-4000-wheel runs only the groups named (a quicker look at a few cases).
//
// The article's figures (its is_prime n, its wall times) come from the core, never copied here:
// `cargo xtask bench` passes them in PLAYGROUND_ARTICLE_FIGURES; run alone, this script asks
// `cargo xtask article-figures` for them.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../chromium.mjs';
import { measureCompare } from './compare.mjs';
import { measureExport } from './export.mjs';
import { measureFirstLoads, measureSlowLoads } from './first-load.mjs';
import { BASE_URL, BenchError, WAIT_MS } from './page.mjs';
import {
  measureArticleIsPrime, measurePoolColdStart, measurePoolDispatch, measurePoolSpeedup,
} from './pool.mjs';
import { SOAK_ROWS, STOP_CASES, measureSoak, measureStop, stopLabel } from './reliability.mjs';
import { failedRow, firstLine } from './rows.mjs';
import { measureGil, measureRunInExecutor, measureSleepingThreads } from './threads.mjs';
import {
  REQUESTS, SLEEP_CASES, measureHello, measureRequests, measureSleep, sleepId, sleepLabel,
} from './workloads.mjs';

/** @typedef {import('./rows.mjs').Row} Row */
/** @typedef {import('./rows.mjs').Unit} Unit */
/** @typedef {import('./first-load.mjs').Section} Section */
/** @typedef {import('playwright-core').Browser} Browser */
/** @typedef {import('playwright-core').BrowserContext} BrowserContext */
/** @typedef {import('playwright-core').Page} Page */

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

/**
 * What a group measured: its rows, detail sections printed after the table, and its figures.
 * @typedef {{ rows: Row[], sections?: Section[], details?: object }} Measured
 */

/**
 * A group of cases measured together on a fresh context (`page`), or on the browser itself
 * (loads that need contexts of their own). `planned` names its rows, so a failure still gives
 * each of them a row; `early` groups run before the others (an idle, fresh browser), though
 * their rows keep their place in the table.
 * @typedef {{ name: string, planned: { id: string, case: string, unit: Unit }[], early?: boolean,
 *   measure: (env: { browser: Browser, context: BrowserContext, page: Page }) =>
 *     Promise<Measured | { row: Row, sections?: Section[], details?: object }> }} Group
 */

/** @type {Group[]} */
const GROUPS = [
  { name: 'hello',
    planned: [{ id: 'hello-sequential', case: 'hello, 2 tasks awaited in turn', unit: 'ms' },
      { id: 'hello-event-loop', case: 'hello, 2 tasks gathered', unit: 'ms' }],
    measure: ({ page }) => measureHello(page, {
      sequential: ARTICLE.wallMs.hello.sequential, eventLoop: ARTICLE.wallMs.hello['event-loop'],
    }) },
  ...SLEEP_CASES.map((c) => /** @type {Group} */ ({
    name: sleepId(c),
    planned: [{ id: sleepId(c), case: sleepLabel(c), unit: 'ms' }],
    measure: ({ page }) => measureSleep(page, c),
  })),
  { name: 'threads-4000',
    planned: [{ id: 'threads-4000', case: 'sleep 4,000 x 1 s, a thread each', unit: 'ms' }],
    measure: ({ page }) => measureSleepingThreads(page) },
  { name: 'pool-speedup',
    planned: [{ id: 'pool-speedup', case: 'pool speed-up, CPU jobs', unit: 'x' }],
    measure: ({ page }) => measurePoolSpeedup(page) },
  { name: 'requests',
    planned: [{ id: 'requests-200', case: `${REQUESTS.tasks} requests gathered`, unit: 'ms' }],
    measure: ({ page }) => measureRequests(page) },
  { name: 'first-load', early: true,
    planned: [{ id: 'first-load-run-enabled', case: 'first load: a usable Run button', unit: 'ms' },
      { id: 'first-load-bytes', case: 'first load: bytes transferred', unit: 'bytes' }],
    measure: ({ browser }) => measureFirstLoads(browser) },
  { name: 'slow-network', early: true,
    planned: [{ id: 'slow-network-run-enabled', case: 'slow network: a usable Run button', unit: 'ms' }],
    measure: ({ browser }) => measureSlowLoads(browser) },
  { name: 'is-prime-article',
    planned: [{ id: 'is-prime-article', case: "the article's is_prime, one job", unit: 'ms' }],
    measure: ({ page }) => measureArticleIsPrime(page, ARTICLE.isPrime) },
  { name: 'pool-dispatch',
    planned: [{ id: 'pool-dispatch', case: 'pool dispatch, warm', unit: 'ms/task' }],
    measure: ({ page }) => measurePoolDispatch(page) },
  { name: 'pool-cold-start',
    planned: [{ id: 'pool-cold-start', case: 'pool cold start', unit: 'ms' }],
    measure: ({ page }) => measurePoolColdStart(page) },
  { name: 'gil',
    planned: [{ id: 'gil-overhead', case: 'GIL model overhead', unit: 'x' },
      { id: 'threads-cpu', case: 'threads computing under the GIL', unit: 'ms' }],
    measure: ({ page }) => measureGil(page) },
  { name: 'run-in-executor',
    planned: [{ id: 'run-in-executor-hello', case: 'hello, 2 blocking sleeps in run_in_executor', unit: 'ms' }],
    measure: ({ page }) => measureRunInExecutor(page) },
  ...STOP_CASES.map((c) => /** @type {Group} */ ({
    name: c.id,
    planned: [{ id: c.id, case: stopLabel(c), unit: 'ms' }],
    measure: ({ page }) => measureStop(page, c),
  })),
  { name: 'compare',
    planned: [{ id: 'compare-table', case: 'compare: the whole table at scale 1', unit: 'ms' }],
    measure: ({ page }) => measureCompare(page) },
  { name: 'export',
    planned: [{ id: 'export-json', case: 'export: Export JSON of a 100,000-task sleep run', unit: 'ms' },
      { id: 'export-csv', case: 'export: Export CSV of a 100,000-task sleep run', unit: 'ms' },
      { id: 'import-json', case: 'export: Import of that JSON on another lab', unit: 'ms' }],
    measure: ({ page }) => measureExport(page) },
  { name: 'soak',
    planned: SOAK_ROWS.map((r) => ({ ...r, unit: /** @type {Unit} */ (r.unit) })),
    measure: ({ context, page }) => measureSoak(context, page) },
];

async function main() {
  const started = Date.now();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const version = browser.version();
  /** @type {string[]} */
  const consoleErrors = [];
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
  /** @type {Map<string, Measured>} */
  const measured = new Map();
  /** @type {Record<string, object>} */
  const details = {};
  const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim()).filter(Boolean);
  const chosen = GROUPS.filter((g) => !only?.length || only.includes(g.name));
  const ordered = [...chosen.filter((g) => g.early), ...chosen.filter((g) => !g.early)];
  try {
    console.error(`Async Playground benchmark: ${BASE_URL} (Chromium ${version})`);
    for (const group of ordered) {
      const { context, page } = await freshPage();
      const groupStarted = Date.now();
      try {
        const result = await group.measure({ browser, context, page });
        const rows = 'row' in result ? [result.row] : result.rows;
        measured.set(group.name, { rows, sections: result.sections ?? [] });
        details[group.name] = { ...(result.details ?? {}), seconds: (Date.now() - groupStarted) / 1000 };
      } catch (error) {
        // A case the page cannot run yet, or a bench error: its rows say why, the rest goes on.
        const message = firstLine(error);
        console.error(`... ${group.name} failed: ${message}`);
        if (!(error instanceof BenchError) && error instanceof Error && error.stack) {
          console.error(error.stack.replace(/\x1b\[[0-9;]*m/g, ''));
        }
        measured.set(group.name, {
          rows: group.planned.map((p) => failedRow(p.id, p.case, p.unit, message)),
        });
        details[group.name] = { error: message, seconds: (Date.now() - groupStarted) / 1000 };
      } finally {
        await context.close().catch(() => {});
      }
    }
  } finally {
    await browser.close().catch(() => {});
  }
  const rows = chosen.flatMap((g) => measured.get(g.name)?.rows ?? []);
  const sections = chosen.flatMap((g) => measured.get(g.name)?.sections ?? []);
  if (consoleErrors.length) {
    sections.push({ title: `Console errors (${consoleErrors.length})`,
      rows: [['message'], ...consoleErrors.slice(0, 10).map((m) => [m.slice(0, 200)])] });
  }
  const ok = rows.every((r) => !r.error && r.bars.every((b) => b.goal || b.pass));
  console.log(JSON.stringify({
    ok, baseUrl: BASE_URL, chromium: version, seconds: (Date.now() - started) / 1000,
    rows, sections, details, consoleErrors,
  }));
  return ok;
}

try {
  process.exitCode = (await main()) ? 0 : 1;
} catch (error) {
  const message = firstLine(error);
  console.error(`\nbenchmark failed: ${message}`);
  if (error instanceof Error && error.stack) console.error(error.stack.replace(/\x1b\[[0-9;]*m/g, ''));
  console.log(JSON.stringify({ ok: false, baseUrl: BASE_URL, error: message, rows: [], sections: [] }));
  process.exitCode = 1;
}
