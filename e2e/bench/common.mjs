// What the bench scripts share: reading BASE_URL, printing a table, a median.

/**
 * The served build's address from BASE_URL, or exit 2 saying how to run `script`.
 * @param {string} script e.g. `bench/run.mjs`
 * @returns {URL}
 */
export function baseUrlFromEnv(script) {
  const raw = process.env.BASE_URL;
  if (!raw) {
    console.error('BASE_URL is not set. Serve the release build, then run for example\n' +
      `  BASE_URL=http://127.0.0.1:8080/ node ${script}`);
    process.exit(2);
  }
  try {
    return new URL(raw);
  } catch {
    console.error(`BASE_URL is not an absolute URL: ${JSON.stringify(raw)}`);
    process.exit(2);
  }
}

/**
 * Prints rows as a table under a rule after the header row; `alignRight` right-aligns every
 * column but the first (figures).
 * @param {string[][]} rows @param {{ alignRight?: boolean }} [options]
 */
export function printTable(rows, options = {}) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const [index, row] of rows.entries()) {
    console.log(row.map((cell, column) =>
      options.alignRight && column > 0 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))
      .join('  '));
    if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  }
}

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
