// The service worker of a static host: where `api/health` is the build's static file saying no
// playground server is behind the page, it answers the HTTP labs' `api/delay?ms=N` after N ms,
// as the server does.
//
// It answers nothing else: every other request (the page, its scripts and wasm, `api/health`,
// other origins, other methods) goes to the network untouched, and nothing is ever cached, so
// the page is always the build the host serves now.
//
// `api/delay` here follows server/src/api.rs: `ms` is plain digits, given exactly once, at most
// MAX_DELAY_MS; other query keys are ignored; a bad `ms` gets 400 `{"error": "..."}` with the
// server's words. An answer is 200 `{"ms": N, "waited_ms": W, "simulated": true}`, W the
// measured wait in ms (3 decimals), with `Cache-Control: no-store`. There is no limit on
// requests in flight (the server's 429): nothing here holds a connection. A request the page
// aborts stops waiting at once and ends in a network error, which the page no longer awaits.

const MAX_DELAY_MS = 10_000;
/** Longest value shown back in an error message, in characters (code points). */
const MAX_EXCERPT_CHARS = 40;

self.addEventListener('install', () => {
  // A new build's worker takes over without waiting for every tab of the old one to close.
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  // Control the page that registered us now, not from its next load.
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const scope = new URL(self.registration.scope);
  if (!url.pathname.startsWith(scope.pathname) || !url.pathname.endsWith('/api/delay')) return;
  event.respondWith(delay(url, request.signal));
});

/**
 * The answer to `api/delay`, after the wait it asks for; rejects if `signal` aborts first.
 * @param {URL} url @param {AbortSignal} signal
 * @returns {Promise<Response>}
 */
async function delay(url, signal) {
  const parsed = parseMs(url.searchParams.getAll('ms'), MAX_DELAY_MS);
  if ('error' in parsed) return json(400, { error: parsed.error });
  const start = performance.now();
  await sleep(parsed.ms, signal);
  // Rounded to microseconds, as the server does: finer digits are noise.
  const waitedMs = Math.round((performance.now() - start) * 1000) / 1000;
  return json(200, { ms: parsed.ms, waited_ms: waitedMs, simulated: true });
}

/**
 * Reads `ms` from the values of every `ms` key of the query (decoded as the server decodes
 * them: `+` is a space, percent escapes are UTF-8, bad bytes become U+FFFD).
 * @param {string[]} values @param {number} maxMs
 * @returns {{ ms: number } | { error: string }}
 */
function parseMs(values, maxMs) {
  const range = `a whole number of milliseconds from 0 to ${maxMs}`;
  if (values.length === 0) return { error: `Missing \`ms\`: give the delay as \`?ms=N\`, ${range}.` };
  if (values.length > 1) return { error: `\`ms\` is given more than once: give it once, ${range}.` };
  const value = values[0];
  const shown = quotedExcerpt(value);
  if (value === '') return { error: `\`ms\` is empty: it must be ${range}.` };
  if (!/^[0-9]+$/.test(value)) return { error: `\`ms\` must be ${range}; got ${shown}.` };
  // Digits only, so Number is exact up to far beyond the cap and only grows past it.
  const ms = Number(value);
  if (ms > maxMs) {
    return {
      error: `\`ms\` is too large: the most this server waits is ${maxMs} ms; got ${shown}.`,
    };
  }
  return { ms };
}

/**
 * The value as shown back in an error message, quoted and escaped like Rust's `{:?}` of a
 * string, cut to MAX_EXCERPT_CHARS code points (then `...` after the closing quote).
 * @param {string} value
 */
function quotedExcerpt(value) {
  const chars = Array.from(value);
  if (chars.length <= MAX_EXCERPT_CHARS) return debugQuote(chars);
  return `${debugQuote(chars.slice(0, MAX_EXCERPT_CHARS))}...`;
}

/** Characters Rust's `{:?}` writes as `\u{...}`: not printable, or combining. */
const ESCAPED = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Grapheme_Extend}]|(?! )\p{Zs}/u;

/** @param {string[]} chars code points */
function debugQuote(chars) {
  let out = '"';
  for (const c of chars) {
    switch (c) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\0': out += '\\0'; break;
      default:
        out += ESCAPED.test(c) ? `\\u{${c.codePointAt(0).toString(16)}}` : c;
    }
  }
  return `${out}"`;
}

/**
 * Resolves after `ms` ms, or rejects with the abort reason as soon as `signal` aborts.
 * @param {number} ms @param {AbortSignal} signal
 * @returns {Promise<void>}
 */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** @param {number} status @param {unknown} body */
function json(status, body) {
  return new Response(JSON.stringify(body), {
    status,
    statusText: status === 200 ? 'OK' : 'Bad Request',
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
}
