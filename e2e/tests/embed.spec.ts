// A course author embeds the hello lab in a lesson page on their own site. The lesson page
// sizes the frame from its resize messages, starts and stops runs by message, and listens for
// results; nothing else on the page (or in a message) can start a run or inject markup.
import type { Frame, Page } from '@playwright/test';
import { resultMessages as received, startCourseSite, type CourseSite } from '../course-site';
import { expect, test } from '../fixtures';
import {
  notices,
  outputLines,
  pageTitle,
  resultOf,
  results,
  runButton,
  stopButton,
} from '../playground';

const LESSON_1 =
  'lab=hello&embed=1&id=lesson-1&tasks=2&seconds=0.3&executors=sequential,event-loop';
const LESSON_2_LONG =
  'lab=hello&embed=1&id=lesson-2&tasks=2&seconds=5&executors=sequential,event-loop';

// To show that something did NOT happen (no run started, no second result), we have to give it
// time to happen: a run of these lessons starts within milliseconds of its trigger.
const SETTLE_MS = 1500;

interface ExecutorOutcome {
  name: string;
  status: string;
  wall_ms: unknown;
  expected_ms: unknown;
  tasks_done: unknown;
  tasks_total: unknown;
}

interface ResultMessage {
  type: 'async-playground:result';
  id: string | null;
  lab: string;
  params: Record<string, unknown>;
  executors: ExecutorOutcome[];
}

let courseSite: CourseSite;
let playgroundOrigin: string;

test.beforeAll(async ({}, testInfo) => {
  const baseUrl = testInfo.project.use.baseURL;
  if (!baseUrl) throw new Error('baseURL is not configured (BASE_URL)');
  playgroundOrigin = new URL(baseUrl).origin;
  courseSite = await startCourseSite(baseUrl);
  expect(courseSite.origin).not.toBe(playgroundOrigin);
});

test.afterAll(async () => {
  await courseSite?.close();
});

/** Opens the lesson page and waits until the embedded lab can run. */
async function openLesson(page: Page, playgroundQuery: string) {
  await page.goto(courseSite.lessonUrl(playgroundQuery));
  const playground = page.frameLocator('#playground');
  await expect(runButton(playground)).toBeVisible();
  return playground;
}

async function frameOf(page: Page, selector: string): Promise<Frame> {
  const frame = await (await page.locator(selector).elementHandle())?.contentFrame();
  if (!frame) throw new Error(`no frame in ${selector}`);
  return frame;
}

/** The lesson page posts a message into the playground frame, as a course site does. */
async function postFromLesson(page: Page, message: unknown): Promise<void> {
  await page.evaluate((data) => {
    const frame = document.getElementById('playground') as HTMLIFrameElement;
    frame.contentWindow?.postMessage(data, '*');
  }, message);
}

const resultMessages = (page: Page) => received<ResultMessage>(page);

test('the embedded lab has no chrome and tells the lesson page its height', async ({ page }) => {
  const playground = await openLesson(page, LESSON_1);

  await expect(pageTitle(playground)).toHaveText('Hello, await');
  await expect(playground.getByRole('banner')).toHaveCount(0);
  await expect(playground.getByRole('navigation')).toHaveCount(0);
  await expect(notices(playground)).toHaveCount(1);

  // All three forms course platforms listen for, each with a real height.
  await expect
    .poll(() =>
      page.evaluate(() => {
        const hasHeight = (data: unknown, key: string, value: string) =>
          typeof data === 'object' &&
          data !== null &&
          (data as Record<string, unknown>)[key] === value &&
          typeof (data as { height?: unknown }).height === 'number' &&
          ((data as { height: number }).height) > 0;
        return {
          playground: window.__messages.some((m) => hasHeight(m, 'type', 'async-playground:resize')),
          iframeResize: window.__messages.some((m) => hasHeight(m, 'context', 'iframe.resize')),
          lti: window.__messages.some((m) => hasHeight(m, 'subject', 'lti.frameResize')),
        };
      }),
    )
    .toEqual({ playground: true, iframeResize: true, lti: true });
  const origins = await page.evaluate(() => [...new Set(window.__messageOrigins)]);
  expect(origins).toEqual([playgroundOrigin]);
});

test('the lesson page starts a run by message and receives exactly one result', async ({
  page,
}) => {
  const playground = await openLesson(page, LESSON_1);

  await postFromLesson(page, { type: 'async-playground:run' });

  await expect.poll(async () => (await resultMessages(page)).length).toBe(1);
  const [result] = await resultMessages(page);
  expect(result).toMatchObject({
    type: 'async-playground:result',
    id: 'lesson-1',
    lab: 'hello',
    params: { tasks: 2, seconds: 0.3, sleep: 'async' },
  });
  expect(result.executors.map(({ name, status }) => ({ name, status }))).toEqual([
    { name: 'sequential', status: 'finished' },
    { name: 'event-loop', status: 'finished' },
  ]);
  for (const executor of result.executors) {
    expect(executor).toMatchObject({ tasks_done: 2, tasks_total: 2 });
    expect(Number.isFinite(executor.wall_ms), `${executor.name} wall_ms is a number`).toBe(true);
    expect(Number.isFinite(executor.expected_ms), `${executor.name} expected_ms`).toBe(true);
  }
  const [sequential, eventLoop] = result.executors;
  expect(sequential.wall_ms as number).toBeGreaterThanOrEqual(540);
  expect(eventLoop.wall_ms as number).toBeGreaterThanOrEqual(270);
  expect(eventLoop.wall_ms as number).toBeLessThan(sequential.wall_ms as number);
  // The frame shows the same run.
  await expect(resultOf(playground, 'event-loop')).toHaveAttribute('data-status', 'finished');
  await expect(outputLines(playground)).toHaveCount(8);

  await page.waitForTimeout(SETTLE_MS);
  expect(await resultMessages(page)).toHaveLength(1);
});

test('the lesson page stops a long run by message and receives one stopped result', async ({
  page,
}) => {
  const playground = await openLesson(page, LESSON_2_LONG);

  await postFromLesson(page, { type: 'async-playground:run' });
  await expect(resultOf(playground, 'sequential')).toHaveAttribute('data-status', 'running');
  await postFromLesson(page, { type: 'async-playground:stop' });

  await expect.poll(async () => (await resultMessages(page)).length).toBe(1);
  const [result] = await resultMessages(page);
  expect(result).toMatchObject({ id: 'lesson-2', lab: 'hello', params: { tasks: 2, seconds: 5 } });
  const [sequential] = result.executors;
  expect(sequential).toMatchObject({ name: 'sequential', status: 'stopped', tasks_total: 2 });
  expect(sequential.tasks_done as number).toBeLessThan(2);
  expect(result.executors.map((executor) => executor.status)).not.toContain('finished');
  await expect(stopButton(playground)).toBeDisabled();

  await page.waitForTimeout(SETTLE_MS);
  expect(await resultMessages(page)).toHaveLength(1);
});

test('other messages, and run requests from anyone but the parent, are ignored', async ({
  page,
}) => {
  const playground = await openLesson(page, LESSON_1);
  const playgroundFrame = await frameOf(page, '#playground');
  const otherWidget = await frameOf(page, '#other-widget');
  const markup = '<img src=x onerror=alert(1)>';

  // From the parent: messages that are not commands.
  for (const message of [
    { type: 'something-else' },
    { type: 'ASYNC-PLAYGROUND:RUN' },
    { type: 'async-playground:result', id: 'lesson-1', executors: [] },
    'async-playground:run',
    markup,
    null,
    42,
  ]) {
    await postFromLesson(page, message);
  }
  // From another frame of the same course page: a well-formed command, with markup in it.
  await otherWidget.evaluate((html) => {
    const target = window.parent.document.getElementById('playground') as HTMLIFrameElement;
    target.contentWindow?.postMessage({ type: 'async-playground:run', html }, '*');
    target.contentWindow?.postMessage({ type: 'async-playground:run' }, '*');
  }, markup);
  // From the playground's own window.
  await playgroundFrame.evaluate(() => window.postMessage({ type: 'async-playground:run' }, '*'));

  await page.waitForTimeout(SETTLE_MS);
  expect(await resultMessages(page)).toHaveLength(0);
  await expect(
    results(playground).locator('article[data-status="running"], article[data-status="finished"]'),
  ).toHaveCount(0);
  await expect(stopButton(playground)).toBeDisabled();
  await expect(playground.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);

  // The playground was listening all along: its parent's run request works.
  await postFromLesson(page, { type: 'async-playground:run' });
  await expect.poll(async () => (await resultMessages(page)).length).toBe(1);
  const [result] = await resultMessages(page);
  expect(result.executors.map((executor) => executor.status)).toEqual(['finished', 'finished']);
});
