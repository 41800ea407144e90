#!/usr/bin/env node
// Load test of the playground server's latency endpoint, on loopback only.
// Not a test of the page: it measures what the HTTP labs lean on, the server answering many
// delayed requests at once.
//
//   BASE_URL=http://127.0.0.1:8080/ node bench/load.mjs
//
// 10,000 GET requests to `api/delay?ms=100` with 1,000 in flight at all times (1,000 clients,
// each sending its next request when its answer has come, over its own keep-alive connection).
// Reported: wall time, throughput, latency (p50, p90, p99, max) and what p50 and p99 add over
// the 100 ms asked for, and the errors: any status but 200, a refused or reset connection, a
// timeout, or a body that is not `{"ms": 100, "waited_ms": >= 100}`. Exits 1 on any error.
// It refuses any host but loopback and ends within RUN_DEADLINE_MS whatever the server does.
// It prints a table, then one JSON line with every figure as the last line of output.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { baseUrlFromEnv, printTable } from './common.mjs';

const REQUESTS = 10_000;
const CONCURRENCY = 1_000;
const DELAY_MS = 100;
/** A request not answered by then counts as an error. */
const REQUEST_TIMEOUT_MS = 30_000;
/** The whole run stops here, answered or not. */
const RUN_DEADLINE_MS = 120_000;

function loopbackBaseUrl() {
  const url = baseUrlFromEnv('bench/load.mjs');
  if (url.protocol !== 'http:') {
    console.error(`BASE_URL must be an http: URL, got ${JSON.stringify(url.href)}`);
    process.exit(2);
  }
  if (!isLoopback(url.hostname)) {
    console.error(`refusing to load-test ${url.hostname}: only a loopback host (127.0.0.1, ` +
      '[::1], localhost) may be sent 10,000 requests');
    process.exit(2);
  }
  return url;
}

/** @param {string} hostname as `URL` gives it (IPv6 in brackets) */
function isLoopback(hostname) {
  return hostname === 'localhost' || hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

const BASE_URL = loopbackBaseUrl();
const DELAY_URL = new URL(`api/delay?ms=${DELAY_MS}`, BASE_URL);
const HEALTH_URL = new URL('api/health', BASE_URL);

const agent = new http.Agent({
  keepAlive: true,
  maxSockets: CONCURRENCY,
  // The default (256) would close most connections each time they fall idle for a moment.
  maxFreeSockets: CONCURRENCY,
});
let socketsOpened = 0;
const createConnection = agent.createConnection.bind(agent);
agent.createConnection = (/** @type {any[]} */ ...args) => {
  socketsOpened += 1;
  // @ts-ignore -- the agent's own arguments, passed through
  return createConnection(...args);
};

/**
 * One GET through `via`: resolves with the status and the body, rejects on a network error or
 * after REQUEST_TIMEOUT_MS.
 * @param {URL} url @param {http.Agent} via @returns {Promise<{ status: number, body: string }>}
 */
function get(url, via = agent) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: via }, (response) => {
      const chunks = /** @type {Buffer[]} */ ([]);
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    request.setTimeout(REQUEST_TIMEOUT_MS, () => {
      request.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' }));
    });
    request.on('error', reject);
  });
}

/** Why an answer to `api/delay?ms=DELAY_MS` is wrong, or null if it is right. */
function answerProblem(/** @type {{ status: number, body: string }} */ { status, body }) {
  if (status !== 200) return `HTTP ${status}`;
  try {
    const json = JSON.parse(body);
    if (json.ms !== DELAY_MS) return 'wrong ms in body';
    if (!(json.waited_ms >= DELAY_MS)) return 'waited_ms under the delay';
    return null;
  } catch {
    return 'body is not JSON';
  }
}

/** @param {number[]} sorted ascending @param {number} p in 0..100 (nearest rank) */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Runs every request; returns the latencies of the good answers and the errors by kind. */
async function run() {
  const latencies = /** @type {number[]} */ ([]);
  const errors = /** @type {Map<string, number>} */ (new Map());
  const countError = (/** @type {string} */ kind) => errors.set(kind, (errors.get(kind) ?? 0) + 1);
  let next = 0;
  let deadlinePassed = false;
  const deadline = setTimeout(() => {
    deadlinePassed = true;
    // Ends every request still waiting (each counts as an error) and stops the clients.
    agent.destroy();
  }, RUN_DEADLINE_MS);

  const client = async () => {
    while (next < REQUESTS && !deadlinePassed) {
      next += 1;
      const start = performance.now();
      try {
        const answer = await get(DELAY_URL);
        const took = performance.now() - start;
        const problem = answerProblem(answer);
        if (problem) countError(problem);
        else latencies.push(took);
      } catch (error) {
        const code = /** @type {{ code?: string }} */ (error).code;
        countError(deadlinePassed ? 'run deadline passed' : (code ?? String(error)));
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const wallMs = performance.now() - started;
  clearTimeout(deadline);
  const unsent = REQUESTS - next;
  if (unsent > 0) errors.set('not sent (run deadline passed)', unsent);
  return { latencies, errors, wallMs };
}

const round1 = (/** @type {number} */ value) => Math.round(value * 10) / 10;
const ms = (/** @type {number} */ value) => `${value.toFixed(1)} ms`;

async function main() {
  console.log(`Server load test: ${DELAY_URL} x ${REQUESTS.toLocaleString('en')}, ` +
    `${CONCURRENCY.toLocaleString('en')} concurrent\n`);
  // On a connection of its own, so every connection of the agent is one of the run's.
  const health = await get(HEALTH_URL, new http.Agent()).catch((error) => {
    throw new Error(`${HEALTH_URL} did not answer (${error.code ?? error}): is the server running?`);
  });
  if (health.status !== 200 || !health.body.includes('"ok":true')) {
    throw new Error(`${HEALTH_URL} answered HTTP ${health.status}: is this the playground server?`);
  }

  const { latencies, errors, wallMs } = await run();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const errorCount = [...errors.values()].reduce((sum, n) => sum + n, 0);
  const figures = {
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    delayMs: DELAY_MS,
    ok: latencies.length,
    errors: errorCount,
    connections: socketsOpened,
    wallMs: round1(wallMs),
    throughputRps: round1((latencies.length / wallMs) * 1000),
    // With every client waiting DELAY_MS per request, this is the most the run could reach.
    idealRps: round1((CONCURRENCY / DELAY_MS) * 1000),
    p50Ms: round1(percentile(latencies, 50)),
    p90Ms: round1(percentile(latencies, 90)),
    p99Ms: round1(percentile(latencies, 99)),
    maxMs: round1(latencies.at(-1) ?? NaN),
    p50OverMs: round1(percentile(latencies, 50) - DELAY_MS),
    p99OverMs: round1(percentile(latencies, 99) - DELAY_MS),
  };

  printTable([
    ['figure', 'value'],
    ['requests (concurrent)', `${REQUESTS.toLocaleString('en')} (${CONCURRENCY.toLocaleString('en')})`],
    ['answered 200, right body', figures.ok.toLocaleString('en')],
    ['errors', figures.errors.toLocaleString('en')],
    ['connections opened', figures.connections.toLocaleString('en')],
    ['wall time', ms(figures.wallMs)],
    ['throughput', `${figures.throughputRps.toLocaleString('en')} req/s (at most ${figures.idealRps.toLocaleString('en')})`],
    ['latency p50', `${ms(figures.p50Ms)} (+${ms(figures.p50OverMs)} over ${DELAY_MS} ms)`],
    ['latency p90', ms(figures.p90Ms)],
    ['latency p99', `${ms(figures.p99Ms)} (+${ms(figures.p99OverMs)} over ${DELAY_MS} ms)`],
    ['latency max', ms(figures.maxMs)],
  ], { alignRight: true });
  for (const [kind, n] of errors) console.log(`  error: ${kind}: ${n.toLocaleString('en')}`);
  console.log('');
  const ok = errorCount === 0;
  console.log(JSON.stringify({
    ok,
    baseUrl: BASE_URL.toString(),
    load: figures,
    errorKinds: Object.fromEntries(errors),
  }));
  process.exitCode = ok ? 0 : 1;
}

main().catch((error) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`error: ${message}`);
  console.log(JSON.stringify({ ok: false, baseUrl: BASE_URL.toString(), error: message }));
  agent.destroy();
  process.exitCode = 1;
});
