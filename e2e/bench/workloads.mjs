// The cases that run one lab URL a few times and read its result: hello, sleeps on the event
// loop (the timer wheel and one browser timer per task, up to ten million tasks) and requests.
import {
  BenchError, WAIT_MS, optionalResultNumber, parameterChoice, progress, resultOf, runLab,
} from './page.mjs';
import { bar, count, medianOf, ms, row } from './rows.mjs';

/** @typedef {import('./rows.mjs').Row} Row */
/** @typedef {import('playwright-core').Page} Page */

/**
 * A sleep case: `tasks` sleeps of 1 s gathered on the event loop, with `timer` keeping their
 * deadlines, run `runs` times; its bars, and whether to zoom its timeline after each run.
 * @typedef {{ tasks: number, timer: 'wheel' | 'browser', runs: number, timeoutMs?: number,
 *   zoom?: boolean,
 *   bars?: { wallMs?: number, frameGapMs?: number, drawMs?: number } }} SleepCase
 */

/** @type {SleepCase[]} */
export const SLEEP_CASES = [
  { tasks: 4_000, timer: 'wheel', runs: 5, bars: { wallMs: 1100, frameGapMs: 100 } },
  { tasks: 100_000, timer: 'wheel', runs: 5 },
  { tasks: 1_000_000, timer: 'wheel', runs: 5, bars: { wallMs: 1200, frameGapMs: 50 } },
  // Ten million must finish (any wall time) and its timeline must draw within a frame.
  { tasks: 10_000_000, timer: 'wheel', runs: 5, timeoutMs: 180_000, zoom: true,
    bars: { drawMs: 16 } },
  { tasks: 4_000, timer: 'browser', runs: 5 },
  { tasks: 100_000, timer: 'browser', runs: 3 },
  // A run takes some 45 s here, most of it the page frozen setting a million timers: one run
  // keeps the bench within its 10 minutes.
  { tasks: 1_000_000, timer: 'browser', runs: 1, timeoutMs: 120_000 },
];

/** The row id of a sleep case; CPython's figures are filed under the same ids. @param {SleepCase} c */
export const sleepId = (c) => `sleep-${c.tasks}-${c.timer}`;

/** @param {SleepCase} c */
export const sleepLabel = (c) =>
  `sleep ${count(c.tasks)} x 1 s, ${c.timer === 'wheel' ? 'timer wheel' : 'a browser timer each'}`;

/** The timeline of an executor's result: its density canvas. @param {Page} page */
const timeline = (page) => resultOf(page, 'event-loop').locator('canvas[data-draw-ms]');

/**
 * How long the timeline's last frame took to draw, ms, or null when the page has no such canvas
 * (it paints just after the result shows: wait a moment for it).
 * @param {Page} page
 */
async function drawMs(page) {
  const canvas = timeline(page);
  try {
    await canvas.first().waitFor({ state: 'attached', timeout: 2_000 });
  } catch {
    return null;
  }
  const value = Number(await canvas.first().getAttribute('data-draw-ms'));
  return Number.isFinite(value) ? value : null;
}

// Records the click on a zoom button (the input event's own time) and the moment the timeline
// has painted the new range after it (its data-draw-ms is written at the end of a paint).
const WATCH_ZOOM = (/** @type {Element} */ canvas, /** @type {string} */ button) => {
  const w = /** @type {any} */ (window);
  w.__zoom = { clickMs: null, paintedMs: null };
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('button') : null;
    if (target && target.textContent?.trim() === button) w.__zoom.clickMs = event.timeStamp;
  }, { capture: true, once: true });
  const observer = new MutationObserver(() => {
    if (w.__zoom.clickMs !== null) { w.__zoom.paintedMs = performance.now(); observer.disconnect(); }
  });
  observer.observe(canvas, { attributes: true, attributeFilter: ['data-draw-ms'] });
};

/**
 * Presses the timeline's `button` ("Zoom in" or "Zoom out"); returns the time from the click to
 * the new range painted, and the paint's own time, ms.
 * @param {Page} page @param {string} button
 */
async function zoom(page, button) {
  const control = resultOf(page, 'event-loop').getByRole('button', { name: button, exact: true });
  if ((await control.count()) === 0 || (await timeline(page).count()) === 0) {
    throw new BenchError(`no timeline with a "${button}" button in "event-loop result" on ${page.url()}`);
  }
  await timeline(page).first().evaluate(WATCH_ZOOM, button);
  await control.click();
  const handle = await page.waitForFunction(() => {
    const z = /** @type {any} */ (window).__zoom;
    return z.paintedMs !== null && z.paintedMs - z.clickMs;
  }, undefined, { timeout: WAIT_MS }).catch(() => {
    throw new BenchError(`the timeline did not paint after "${button}" on ${page.url()}`);
  });
  return { clickToPaintedMs: Number(await handle.jsonValue()), drawMs: await drawMs(page) };
}

/**
 * Runs a sleep case; one row.
 * @param {Page} page @param {SleepCase} c
 * @returns {Promise<{ row: Row, details: object }>}
 */
export async function measureSleep(page, c) {
  const query = `lab=sleep&tasks=${c.tasks}&seconds=1&sleep=async&executors=event-loop&timer=${c.timer}`;
  /** @typedef {{ clickToPaintedMs: number, drawMs: number | null }} Zoom */
  /** @type {{ wallMs: number, expectedMs: number, maxFrameGapMs: number, memoryBytes: number | null,
   *   drawMs: number | null, zoomIn?: Zoom, zoomOut?: Zoom }[]} */
  const runs = [];
  for (let run = 1; run <= c.runs; run++) {
    progress(`${sleepLabel(c)}: run ${run}/${c.runs}`);
    const figures = await runLab(page, query, ['event-loop'], { timeoutMs: c.timeoutMs ?? WAIT_MS });
    const ran = figures.tasksTotal['event-loop'];
    if (ran !== c.tasks) {
      throw new BenchError(`the page ran ${count(ran)} tasks, not ${count(c.tasks)} (${page.url()})`);
    }
    // A page without the choice keeps every sleep on its one timer wheel.
    const timer = await parameterChoice(page, 'Timers') ?? 'wheel';
    if (timer !== c.timer) {
      throw new BenchError(`the page kept its sleeps on "${timer}" timers, not "${c.timer}" ` +
        `(does its sleep lab offer timer=${c.timer}?)`);
    }
    const result = { wallMs: figures.wallMs['event-loop'], expectedMs: figures.expectedMs['event-loop'],
      maxFrameGapMs: figures.maxFrameGapMs, memoryBytes: figures.memoryBytes['event-loop'],
      drawMs: await drawMs(page) };
    if (c.zoom) {
      runs.push({ ...result, zoomIn: await zoom(page, 'Zoom in'), zoomOut: await zoom(page, 'Zoom out') });
    } else {
      runs.push(result);
    }
  }
  const figure = (/** @type {(run: typeof runs[number]) => number | null} */ of) => medianOf(runs.map(of));
  // The timeline's worst frame: the first paint, and the repaints after zooming in and out.
  const worstDraw = (/** @type {typeof runs[number]} */ run) => {
    const draws = [run.drawMs, run.zoomIn?.drawMs, run.zoomOut?.drawMs]
      .filter((v) => typeof v === 'number');
    return draws.length ? Math.max(...draws) : null;
  };
  const wall = runs.map((run) => run.wallMs);
  const gap = figure((run) => run.maxFrameGapMs);
  const draw = figure(worstDraw);
  const bars = [];
  if (c.bars?.wallMs !== undefined) bars.push(bar('wall', medianOf(wall) ?? NaN, '<', c.bars.wallMs, 'ms'));
  if (c.bars?.frameGapMs !== undefined) {
    bars.push(bar('longest frame gap', gap ?? NaN, '<', c.bars.frameGapMs, 'ms'));
  }
  if (c.bars?.drawMs !== undefined) bars.push(bar('timeline frame', draw ?? NaN, '<', c.bars.drawMs, 'ms'));
  const zoomNote = c.zoom
    ? `; zoom in, click to painted ${ms(figure((run) => run.zoomIn?.clickToPaintedMs ?? null) ?? NaN)}`
    : '';
  return {
    row: row(sleepId(c), sleepLabel(c), 'ms', wall, {
      model: figure((run) => run.expectedMs), frameGapMs: gap, drawMs: draw,
      memoryBytes: figure((run) => run.memoryBytes), bars,
      note: `runs ${wall.map(ms).join(', ')}${zoomNote}`,
    }),
    details: { ...c, query, runs },
  };
}

const HELLO_RUNS = 3;

/**
 * The hello lab, two tasks awaited in turn and gathered, against the article's figures; two rows.
 * @param {Page} page @param {{ sequential: number, eventLoop: number }} articleMs
 * @returns {Promise<{ rows: Row[], details: object }>}
 */
export async function measureHello(page, articleMs) {
  /** @type {{ sequential: number[], eventLoop: number[], modelSequential: number[], modelEventLoop: number[],
   *   gap: number[] }} */
  const runs = { sequential: [], eventLoop: [], modelSequential: [], modelEventLoop: [], gap: [] };
  for (let run = 1; run <= HELLO_RUNS; run++) {
    progress(`hello run ${run}/${HELLO_RUNS}`);
    const figures = await runLab(page,
      'lab=hello&tasks=2&seconds=1&sleep=async&executors=sequential,event-loop',
      ['sequential', 'event-loop']);
    runs.sequential.push(figures.wallMs.sequential);
    runs.eventLoop.push(figures.wallMs['event-loop']);
    runs.modelSequential.push(figures.expectedMs.sequential);
    runs.modelEventLoop.push(figures.expectedMs['event-loop']);
    runs.gap.push(figures.maxFrameGapMs);
  }
  const deviation = (/** @type {number[]} */ values, /** @type {number} */ target) =>
    Math.max(...values.map((value) => Math.abs(value - target)));
  const note = (/** @type {number[]} */ values, /** @type {number} */ target) =>
    `the article's ${ms(target)}; largest deviation ${ms(deviation(values, target))}`;
  return {
    rows: [
      row('hello-sequential', 'hello, 2 tasks awaited in turn', 'ms', runs.sequential, {
        model: medianOf(runs.modelSequential), note: note(runs.sequential, articleMs.sequential),
      }),
      row('hello-event-loop', 'hello, 2 tasks gathered', 'ms', runs.eventLoop, {
        model: medianOf(runs.modelEventLoop), frameGapMs: medianOf(runs.gap),
        note: note(runs.eventLoop, articleMs.eventLoop),
      }),
    ],
    details: { runs, articleMs },
  };
}

/** Requests of the http lab: as many as aiohttp's case, to our server's `api/delay`. */
export const REQUESTS = { tasks: 200, delayMs: 200, runs: 3 };

/**
 * 200 requests gathered on the event loop against the server's latency endpoint; one row.
 * @param {Page} page
 * @returns {Promise<{ row: Row, details: object }>}
 */
export async function measureRequests(page) {
  const { tasks, delayMs, runs } = REQUESTS;
  const query = `lab=http&tasks=${tasks}&delay_ms=${delayMs}&network=server&executors=event-loop`;
  /** @type {{ wallMs: number, expectedMs: number, maxFrameGapMs: number, failed: number }[]} */
  const results = [];
  for (let run = 1; run <= runs; run++) {
    progress(`${tasks} requests: run ${run}/${runs}`);
    const figures = await runLab(page, query, ['event-loop']);
    const failed = await optionalResultNumber(page, 'event-loop', 'data-requests-failed') ?? 0;
    if (failed > 0) throw new BenchError(`${failed} of ${tasks} requests failed on ${page.url()}`);
    results.push({ wallMs: figures.wallMs['event-loop'], expectedMs: figures.expectedMs['event-loop'],
      maxFrameGapMs: figures.maxFrameGapMs, failed });
  }
  const wall = results.map((r) => r.wallMs);
  return {
    row: row('requests-200', `${tasks} requests gathered, api/delay?ms=${delayMs}`, 'ms', wall, {
      model: medianOf(results.map((r) => r.expectedMs)),
      frameGapMs: medianOf(results.map((r) => r.maxFrameGapMs)),
      note: 'HTTP/1.1: the browser opens 6 connections to one host; aiohttp up to 100',
    }),
    details: { tasks, delayMs, query, runs: results },
  };
}
