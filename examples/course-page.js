// The example course page's script: points each lab's iframe at the playground, sizes the
// frames from their resize messages, starts a lab's run by message and lists every result.
// What a message holds is shown as text only, never as markup.
'use strict';

/** Where the playground is served; `?playground=<url>` on this page's address overrides it. */
const PLAYGROUND_URL = 'http://127.0.0.1:8080/';

/** The frame heights accepted from resize messages, in CSS pixels. */
const MIN_HEIGHT = 200;
const MAX_HEIGHT = 6000;

/** The playground's address: `?playground=` if it is an http(s) URL, else PLAYGROUND_URL. */
function playgroundBase() {
  const given = new URLSearchParams(location.search).get('playground');
  if (given) {
    try {
      const url = new URL(given);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url;
    } catch {
      // Not a URL: keep the default.
    }
  }
  return new URL(PLAYGROUND_URL);
}

const base = playgroundBase();
const frames = [...document.querySelectorAll('iframe.lab')];

// Each lab's address: its query, embed mode, and the id its messages will carry.
for (const frame of frames) {
  const params = new URLSearchParams(frame.dataset.query);
  params.set('embed', '1');
  params.set('id', frame.dataset.embedId);
  const src = new URL(base);
  src.search = params.toString();
  frame.src = src.toString();
}

/** The lab frame whose window sent a message, if any. */
const frameOf = (source) => frames.find((frame) => frame.contentWindow === source);

/** A run button, enabled once its frame has spoken (it then listens for commands). */
const runButtonOf = (frame) => document.querySelector(`button[data-run="${frame.id}"]`);

for (const button of document.querySelectorAll('button[data-run]')) {
  button.addEventListener('click', () => {
    const frame = document.getElementById(button.dataset.run);
    // Only the playground's origin may read it; `async-playground:stop` stops a run.
    frame?.contentWindow?.postMessage({ type: 'async-playground:run' }, base.origin);
  });
}

const seconds = (ms) => (typeof ms === 'number' ? (ms / 1000).toFixed(2) : '');

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = String(text ?? '');
  if (className) td.className = className;
  return td;
}

/** One table row per executor of a result message. */
function showResult(message) {
  document.getElementById('results-empty')?.remove();
  const body = document.getElementById('results');
  for (const executor of Array.isArray(message.executors) ? message.executors : []) {
    const row = document.createElement('tr');
    row.dataset.embedId = String(message.id ?? '');
    row.append(
      cell(message.lab),
      cell(message.id),
      cell(executor.name),
      cell(executor.status),
      cell(seconds(executor.wall_ms), 'number'),
      cell(seconds(executor.expected_ms), 'number'),
      cell(`${executor.tasks_done} of ${executor.tasks_total}`, 'number'),
    );
    body.append(row);
  }
}

window.addEventListener('message', (event) => {
  // Only the labs' frames, from the playground's origin; everything else is someone else's.
  const frame = frameOf(event.source);
  if (!frame || event.origin !== base.origin) return;
  const data = event.data;
  if (typeof data !== 'object' || data === null) return;
  if (data.type === 'async-playground:resize' && typeof data.height === 'number') {
    // The playground also sends the forms course platforms listen for (README, "Embedding
    // in a course"); this page needs only its own. A frame sized by H5P's protocol
    // (h5p-resizer.js) is left to it.
    if (frame.dataset.resizer !== 'h5p') {
      const height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(data.height)));
      frame.style.height = `${height}px`;
    }
    const button = runButtonOf(frame);
    if (button) button.disabled = false;
  } else if (data.type === 'async-playground:result') {
    showResult(data);
  }
});
