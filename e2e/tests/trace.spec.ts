// An engineer digs into a run in the field's viewer: Export trace downloads the run as Chrome
// Trace Event JSON (a process per executor, a thread per task, a slice per step, the GIL's
// holder on a track of its own), which matches the run's table; Open in Perfetto opens
// Perfetto's UI in a new tab and hands it the trace by its postMessage handshake (a stand-in
// answers for ui.perfetto.dev: these machines have no internet).
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { finishedResult, openPlayground, runButton } from '../playground';

const exportTrace = (page: Page) => page.getByRole('button', { name: 'Export trace', exact: true });
const openInPerfetto = (page: Page) =>
  page.getByRole('button', { name: 'Open in Perfetto', exact: true });

interface TraceEvent {
  ph: string;
  name: string;
  cat?: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  args?: Record<string, unknown>;
}

/** Perfetto's side of the handshake, as its docs give it: PONG to each PING; keeps the trace. */
const STAND_IN = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Perfetto UI</title></head>
<body><p>Perfetto (a stand-in)</p><script>
  window.received = null;
  window.addEventListener('message', (event) => {
    if (event.data === 'PING') { event.source.postMessage('PONG', event.origin); return; }
    if (event.data && event.data.perfetto) {
      const { buffer, title } = event.data.perfetto;
      window.received = { title, text: new TextDecoder().decode(buffer), isBuffer: buffer instanceof ArrayBuffer };
    }
  });
</script></body></html>`;

test('Export trace writes the run as Trace Event JSON that matches its table', async ({ page }) => {
  await openPlayground(page, 'lab=hello&tasks=3&seconds=0.2&executors=sequential,event-loop,threads');
  await expect(exportTrace(page)).toBeDisabled();
  await runButton(page).click();
  for (const executor of ['sequential', 'event-loop', 'threads'] as const) await finishedResult(page, executor);
  await expect(exportTrace(page)).toBeEnabled();

  const [file] = await Promise.all([page.waitForEvent('download'), exportTrace(page).click()]);
  expect(file.suggestedFilename()).toBe('async-playground-hello.trace.json');
  const { traceEvents } = JSON.parse(await readFile(await file.path(), 'utf8')) as {
    traceEvents: TraceEvent[];
  };
  const processes = traceEvents
    .filter((e) => e.ph === 'M' && e.name === 'process_name')
    .map((e) => e.args?.name);
  expect(processes).toEqual(['hello · sequential', 'hello · event-loop', 'hello · threads']);
  for (const pid of [1, 2, 3]) {
    const sleeps = traceEvents.filter((e) => e.pid === pid && e.ph === 'X' && e.name === 'sleep');
    // Three tasks of one sleep each, each task a thread of its own, 0.2 s each (in µs).
    expect(sleeps).toHaveLength(3);
    expect(new Set(sleeps.map((e) => e.tid)).size).toBe(3);
    for (const sleep of sleeps) expect(sleep.dur).toBeGreaterThanOrEqual(190_000);
  }
  // Threads take the GIL to print: its holders are a track of their own.
  const holders = traceEvents.filter((e) => e.pid === 3 && e.cat === 'gil');
  expect(holders.length).toBeGreaterThan(0);
  expect(new Set(holders.map((e) => e.tid)).size).toBe(1);
});

test('Open in Perfetto opens its UI and hands it the trace by its handshake', async ({
  page,
  context,
}) => {
  await context.route('https://ui.perfetto.dev/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: STAND_IN }),
  );
  await openPlayground(page, 'lab=hello&tasks=2&seconds=0.1&executors=event-loop');
  await expect(page.getByText('may ask you to confirm a trace sent from a site')).toBeVisible();
  await runButton(page).click();
  await finishedResult(page, 'event-loop');

  const [perfetto] = await Promise.all([context.waitForEvent('page'), openInPerfetto(page).click()]);
  await perfetto.waitForLoadState();
  expect(new URL(perfetto.url()).origin).toBe('https://ui.perfetto.dev');
  await expect.poll(() => perfetto.evaluate(() => (window as any).received)).not.toBeNull();
  const received = await perfetto.evaluate(() => (window as any).received);
  expect(received.isBuffer).toBe(true);
  expect(received.title).toBe('Async Playground: hello');
  const trace = JSON.parse(received.text) as { traceEvents: TraceEvent[] };
  expect(trace.traceEvents.filter((e) => e.ph === 'X' && e.name === 'sleep')).toHaveLength(2);
});
