// CPU work: the pool's speed-up over the event loop, what a warm pool costs per task, a cold
// pool's start, and the article's is_prime on the page.
import { median } from './common.mjs';
import {
  articleIterations, openLab, pickedN, primeAtOrAbove, progress, runOnPage,
} from './page.mjs';
import { bar, count, ms, row } from './rows.mjs';

/** @typedef {import('./rows.mjs').Row} Row */
/** @typedef {import('playwright-core').Page} Page */

/** The page's cap on `workers` (`workers=auto` is one per core, at most this). */
const MAX_WORKERS = 16;
const POOL_RUNS = 3;
const ARTICLE_RUNS = 3;
const DISPATCH = { tasks: 2000, workers: 2 };
const COLD_START = { jobs: 2, n: 1_000_003, workers: 2 };
const BARS = { poolEfficiencyMin: 0.85, poolDispatchMsPerTask: 0.1 };

/**
 * CPU-bound jobs on the event loop against a warm pool of one worker per core: 2 x cores jobs
 * of about 0.5 s each (n is the first prime from half the n the page picks for 1 s), 3 runs
 * after a warm-up run; speed-up = event-loop wall / pool wall, efficiency = speed-up / workers.
 * @param {Page} page
 * @returns {Promise<{ row: Row, details: object }>}
 */
export async function measurePoolSpeedup(page) {
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
   *   efficiency: number, modelSpeedup: number, eventLoopJobMs: number, poolJobMs: number}[]} */
  const runs = [];
  for (let run = 1; run <= POOL_RUNS; run++) {
    progress(`pool speed-up run ${run}/${POOL_RUNS} (warm pool)`);
    const { wallMs, expectedMs, startupMs, cpuMs } = await runOnPage(page, ['event-loop', 'pool']);
    if (startupMs.pool !== 0) console.warn(`warning: pool run ${run} was not warm`);
    const speedup = wallMs['event-loop'] / wallMs.pool;
    // A job's own time, from its start to its end: on the page's thread alone, and in the
    // workers while every core computes.
    runs.push({ eventLoopMs: wallMs['event-loop'], poolMs: wallMs.pool,
      poolStartupMs: startupMs.pool, speedup, efficiency: speedup / workers,
      modelSpeedup: expectedMs['event-loop'] / expectedMs.pool,
      eventLoopJobMs: cpuMs['event-loop'] / jobs, poolJobMs: cpuMs.pool / jobs });
  }
  const medianEfficiency = median(runs.map((run) => run.efficiency));
  const jobAlone = median(runs.map((run) => run.eventLoopJobMs));
  const jobInWorker = median(runs.map((run) => run.poolJobMs));
  const details = {
    cores, workers, jobs, pickedN: picked, n, iterationsPerJob: articleIterations(n),
    expectedJobMs: warmUp.expectedMs['event-loop'] / jobs,
    warmUp: { eventLoopMs: warmUp.wallMs['event-loop'], poolMs: warmUp.wallMs.pool,
      poolStartupMs: warmUp.startupMs.pool },
    runs, medianEfficiency, medianEventLoopJobMs: jobAlone, medianPoolJobMs: jobInWorker,
  };
  return {
    row: row('pool-speedup', `pool speed-up, ${jobs} CPU jobs, ${workers} workers`, 'x',
      runs.map((run) => run.speedup), {
        model: median(runs.map((run) => run.modelSpeedup)),
        bars: [bar('efficiency', medianEfficiency, '>=', BARS.poolEfficiencyMin, 'per worker')],
        note: `event-loop / warm pool, jobs of ${ms(details.expectedJobMs)}; ${medianEfficiency.toFixed(3)} ` +
          `per worker; a job takes ${ms(jobAlone)} alone, ${ms(jobInWorker)} in a worker while ` +
          'every core computes',
      }),
    details,
  };
}

/**
 * What a warm pool costs per task: many tasks of no work on a pool that ran once before.
 * @param {Page} page
 * @returns {Promise<{ row: Row, details: object }>}
 */
export async function measurePoolDispatch(page) {
  const { tasks, workers } = DISPATCH;
  await openLab(page, `lab=sleep&tasks=${tasks}&seconds=0&workers=${workers}&executors=pool`);
  progress(`pool dispatch: ${tasks} tasks, cold run`);
  const cold = await runOnPage(page, ['pool']);
  progress(`pool dispatch: ${tasks} tasks, warm run`);
  const warm = await runOnPage(page, ['pool']);
  if (warm.startupMs.pool !== 0) console.warn('warning: the second dispatch run was not warm');
  const msPerTask = (warm.wallMs.pool * workers) / tasks;
  return {
    row: row('pool-dispatch', `pool dispatch, warm, ${count(tasks)} tasks of 0 s`, 'ms/task',
      [msPerTask], {
        bars: [bar('per task', msPerTask, '<', BARS.poolDispatchMsPerTask, 'ms/task')],
        note: `wall ${ms(warm.wallMs.pool)} x ${workers} workers / ${count(tasks)} tasks; ` +
          `cold run ${ms(cold.wallMs.pool)}`,
      }),
    details: { tasks, workers, cold: { wallMs: cold.wallMs.pool, startupMs: cold.startupMs.pool },
      warm: { wallMs: warm.wallMs.pool, startupMs: warm.startupMs.pool }, msPerTask },
  };
}

/**
 * A pool's cold start: the page's first pool run starts the workers; then "Discard warm pool"
 * and run again, cold on purpose. The workers start in parallel: the span from the first spawn
 * to the last ready is each worker's start-up.
 * @param {Page} page
 * @returns {Promise<{ row: Row, details: object }>}
 */
export async function measurePoolColdStart(page) {
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
  return {
    row: row('pool-cold-start', `pool cold start, ${workers} workers in parallel`, 'ms',
      [again.startupMs.pool], {
        note: `${discarded ? 'after "Discard warm pool"' : 'no discard button'}; the page's ` +
          `first run ${ms(first.startupMs.pool)}`,
      }),
    details: { workers, discarded, startupMs: again.startupMs.pool,
      firstRunStartupMs: first.startupMs.pool },
  };
}

/**
 * The article's is_prime(n) as one job on the event loop: the page's own speed on the loop the
 * article timed (`cargo xtask bench` puts CPython's time for the same loop beside it).
 * @param {Page} page @param {{ n: number, iterations: number }} article
 * @returns {Promise<{ row: Row, details: object }>}
 */
export async function measureArticleIsPrime(page, article) {
  await openLab(page, `lab=is-prime&seconds=0&jobs=1&n=${article.n}&executors=event-loop`);
  /** @type {number[]} */ const runsMs = [];
  /** @type {number[]} */ const modelMs = [];
  for (let run = 1; run <= ARTICLE_RUNS; run++) {
    progress(`is_prime(${article.n}) run ${run}/${ARTICLE_RUNS}`);
    const figures = await runOnPage(page, ['event-loop']);
    runsMs.push(figures.wallMs['event-loop']);
    modelMs.push(figures.expectedMs['event-loop']);
  }
  const medianWallMs = median(runsMs);
  const nsPerIteration = (medianWallMs * 1e6) / article.iterations;
  return {
    row: row('is-prime-article', `the article's is_prime(${article.n}), one job`, 'ms', runsMs, {
      model: median(modelMs),
      note: `${count(article.iterations)} iterations, ${nsPerIteration.toFixed(2)} ns each; ` +
        `runs ${runsMs.map(ms).join(', ')} (the wall also holds a yield)`,
    }),
    details: { ...article, runsMs, medianWallMs, nsPerIteration },
  };
}
