// The rows of the benchmark's table as the browser side reports them: `cargo xtask bench`
// (xtask/src/bench/table.rs) reads them from the JSON line, puts CPython's figure for the same
// workload beside each and prints the one table.
import { median } from './common.mjs';

/**
 * A bar a figure must meet (or, for a goal, is reported against without failing the bench).
 * @typedef {{ name: string, figure: number, op: '<' | '<=' | '>=' | '==', limit: number,
 *   unit: Unit, pass: boolean, goal: boolean }} Bar
 */

/** @typedef {'ms' | 'x' | 'ms/task' | 'bytes' | 'count' | 'per worker'} Unit */

/**
 * One case: its figure over its runs (the median is the row's figure), the model's prediction
 * for it, the longest frame gap, the timeline's frame and the wasm memory (medians over the
 * runs, where measured), its bars and a note. `error` says why a case could not be measured.
 * @typedef {{ id: string, case: string, unit: Unit, runs: number[], median: number | null,
 *   model: number | null, frameGapMs: number | null, drawMs: number | null,
 *   memoryBytes: number | null, bars: Bar[], note: string, error?: string }} Row
 */

/** @param {number} figure @param {Bar['op']} op @param {number} limit */
function meets(figure, op, limit) {
  switch (op) {
    case '<': return figure < limit;
    case '<=': return figure <= limit;
    case '>=': return figure >= limit;
    case '==': return figure === limit;
  }
}

/**
 * A bar: `name` (the figure's name) `op` `limit`.
 * @param {string} name @param {number} figure @param {Bar['op']} op @param {number} limit
 * @param {Unit} unit
 * @returns {Bar}
 */
export const bar = (name, figure, op, limit, unit) =>
  ({ name, figure, op, limit, unit, pass: meets(figure, op, limit), goal: false });

/**
 * A goal: reported as met or not, never a failure.
 * @param {string} name @param {number} figure @param {Bar['op']} op @param {number} limit
 * @param {Unit} unit
 * @returns {Bar}
 */
export const goal = (name, figure, op, limit, unit) => ({ ...bar(name, figure, op, limit, unit), goal: true });

/** The median of the values that are numbers, or null. @param {(number | null)[]} values */
export function medianOf(values) {
  const numbers = /** @type {number[]} */ (values.filter((v) => typeof v === 'number' && Number.isFinite(v)));
  return numbers.length ? median(numbers) : null;
}

/**
 * A row from its runs; the figure is their median.
 * @param {string} id @param {string} label @param {Unit} unit @param {number[]} runs
 * @param {Partial<Omit<Row, 'id' | 'case' | 'unit' | 'runs' | 'median'>>} [rest]
 * @returns {Row}
 */
export function row(id, label, unit, runs, rest = {}) {
  return {
    id, case: label, unit, runs, median: medianOf(runs),
    model: null, frameGapMs: null, drawMs: null, memoryBytes: null, bars: [], note: '',
    ...rest,
  };
}

/**
 * The row of a case that could not be measured.
 * @param {string} id @param {string} label @param {Unit} unit @param {string} error
 * @returns {Row}
 */
export const failedRow = (id, label, unit, error) => ({ ...row(id, label, unit, []), error });

/** An error's first line, without Playwright's colours. @param {unknown} error */
export function firstLine(error) {
  return (error instanceof Error ? error.message : String(error))
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')[0];
}

/** "1,234" @param {number} value */
export const count = (value) => value.toLocaleString('en-US');
/** "1,234 ms" @param {number} value */
export const ms = (value) => `${count(Math.round(value))} ms`;
/** "1.25x" @param {number} ratio */
export const times = (ratio) => `${ratio.toFixed(2)}x`;
