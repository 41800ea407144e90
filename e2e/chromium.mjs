// The one Chromium every browser run here uses (the tests and the benchmark), with the flags
// that keep it quiet on a closed network. Never `playwright install`: see TOOLCHAIN.md.
// Plain JavaScript so that both the TypeScript config and `node bench/run.mjs` can import it.

export const chromiumPath = '/usr/bin/chromium';

/** @type {string[]} */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Without these three, Chromium floods a closed network with refused connections.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
