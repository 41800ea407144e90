// Threads under the GIL and run_in_executor: the GIL model's overhead on CPU jobs, the page's
// frame gap while threads compute, 4,000 sleeping threads, and blocking sleeps handed to the
// interpreter's thread pool.
import { median } from './common.mjs';
import { openLab, pickedN, primeAtOrAbove, progress, resultOf, runOnPage } from './page.mjs';
import { bar, count, medianOf, ms, row, times } from './rows.mjs';

/** @typedef {import('./rows.mjs').Row} Row */
/** @typedef {import('playwright-core').Page} Page */

const THREADS_RUNS = 5;
const BARS = { gilOverheadMax: 1.1, threads4000WallMs: 1500, threadsFrameGapMs: 50,
  runInExecutorFrameGapMs: 50 };

/**
 * The GIL model's overhead (is-prime, 2 jobs of about 0.5 s, threads wall / event-loop wall,
 * 5 runs after a warm-up) and the page's longest frame gap during a CPU run on threads alone;
 * two rows.
 * @param {Page} page
 * @returns {Promise<{ rows: Row[], details: object }>}
 */
export async function measureGil(page) {
  const base = 'lab=is-prime&seconds=0&jobs=2&executors=event-loop,threads';
  await openLab(page, base);
  const n = primeAtOrAbove(Math.floor((await pickedN(page)) / 2));
  await openLab(page, `${base}&n=${n}`);
  progress('threads: warm-up run');
  await runOnPage(page, ['event-loop', 'threads']);
  /** @type {{eventLoopMs: number, threadsMs: number, ratio: number, modelRatio: number}[]} */
  const overhead = [];
  for (let run = 1; run <= THREADS_RUNS; run++) {
    progress(`threads: GIL overhead run ${run}/${THREADS_RUNS}`);
    const { wallMs, expectedMs } = await runOnPage(page, ['event-loop', 'threads']);
    overhead.push({ eventLoopMs: wallMs['event-loop'], threadsMs: wallMs.threads,
      ratio: wallMs.threads / wallMs['event-loop'],
      modelRatio: expectedMs.threads / expectedMs['event-loop'] });
  }
  progress('threads: frame gap during a CPU run on threads alone');
  await openLab(page, `lab=is-prime&seconds=0&jobs=2&n=${n}&executors=threads`);
  const alone = await runOnPage(page, ['threads']);
  const handoffs = Number(await resultOf(page, 'threads').getAttribute('data-gil-handoffs'));
  const medianOverhead = median(overhead.map((run) => run.ratio));
  return {
    rows: [
      row('gil-overhead', 'GIL model overhead, threads / event-loop, 2 CPU jobs', 'x',
        overhead.map((run) => run.ratio), {
          model: median(overhead.map((run) => run.modelRatio)),
          bars: [bar('threads / event-loop', medianOverhead, '<', BARS.gilOverheadMax, 'x')],
          note: `n = ${count(n)}; runs ${overhead.map((run) => times(run.ratio)).join(', ')}`,
        }),
      row('threads-cpu', 'threads computing, 2 CPU jobs under the GIL', 'ms',
        [alone.wallMs.threads], {
          model: alone.expectedMs.threads, frameGapMs: alone.maxFrameGapMs,
          bars: [bar('longest frame gap', alone.maxFrameGapMs, '<', BARS.threadsFrameGapMs, 'ms')],
          note: `${count(handoffs)} GIL hand-offs`,
        }),
    ],
    details: { n, overhead, medianOverhead,
      cpuAlone: { wallMs: alone.wallMs.threads, maxFrameGapMs: alone.maxFrameGapMs, handoffs } },
  };
}

/**
 * 4,000 threads each sleeping 1 s, 5 runs (CPython's threading runs the same beside it).
 * @param {Page} page
 * @returns {Promise<{ row: Row, details: object }>}
 */
export async function measureSleepingThreads(page) {
  /** @type {number[]} */ const wallMs = [];
  /** @type {number[]} */ const modelMs = [];
  /** @type {number[]} */ const gapMs = [];
  await openLab(page, 'lab=sleep&tasks=4000&seconds=1&executors=threads');
  for (let run = 1; run <= THREADS_RUNS; run++) {
    progress(`threads: 4000 x 1 s run ${run}/${THREADS_RUNS}`);
    const figures = await runOnPage(page, ['threads']);
    wallMs.push(figures.wallMs.threads);
    modelMs.push(figures.expectedMs.threads);
    gapMs.push(figures.maxFrameGapMs);
  }
  const medianMs = median(wallMs);
  return {
    row: row('threads-4000', 'sleep 4,000 x 1 s, a thread each', 'ms', wallMs, {
      model: median(modelMs), frameGapMs: medianOf(gapMs),
      bars: [bar('wall', medianMs, '<', BARS.threads4000WallMs, 'ms')],
      note: `runs ${wallMs.map(ms).join(', ')}`,
    }),
    details: { runsMs: wallMs, medianMs },
  };
}

/**
 * run-in-executor on hello with blocking sleeps: 2 tasks of 1 s handed to the interpreter's
 * thread pool while the page keeps painting; 5 runs.
 * @param {Page} page
 * @returns {Promise<{ row: Row, details: object }>}
 */
export async function measureRunInExecutor(page) {
  /** @type {{wallMs: number, expectedMs: number, maxFrameGapMs: number}[]} */ const runs = [];
  await openLab(page, 'lab=hello&tasks=2&seconds=1&sleep=blocking&executors=run-in-executor');
  for (let run = 1; run <= THREADS_RUNS; run++) {
    progress(`run-in-executor: hello, blocking sleeps, run ${run}/${THREADS_RUNS}`);
    const figures = await runOnPage(page, ['run-in-executor']);
    runs.push({ wallMs: figures.wallMs['run-in-executor'],
      expectedMs: figures.expectedMs['run-in-executor'], maxFrameGapMs: figures.maxFrameGapMs });
  }
  const gap = median(runs.map((r) => r.maxFrameGapMs));
  return {
    row: row('run-in-executor-hello', 'hello, 2 blocking sleeps in run_in_executor', 'ms',
      runs.map((r) => r.wallMs), {
        model: median(runs.map((r) => r.expectedMs)), frameGapMs: gap,
        bars: [bar('longest frame gap', gap, '<', BARS.runInExecutorFrameGapMs, 'ms')],
      }),
    details: { runs },
  };
}
