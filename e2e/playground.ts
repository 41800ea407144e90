// The words the specs use for what a person sees on the page, taken from docs/ui-contract.md.
// Everything is found by role and accessible name, as a person (or a screen reader) finds it;
// data attributes are read only where the contract names them.
import type { FrameLocator, Locator, Page } from '@playwright/test';
import { expect } from './fixtures';
import { type Lab, readLabRegistry } from './registry';

export type { Lab };

/**
 * The lab registry, as the served page's home page lists it (id, title). Read
 * when the specs are collected, so specs can make one test per lab; BASE_URL must be served.
 */
export const LABS: readonly Lab[] = await readLabRegistry(process.env.BASE_URL ?? '');

export type ExecutorId =
  | 'sequential'
  | 'event-loop'
  | 'threads'
  | 'pool'
  | 'pool-of-loops'
  | 'run-in-executor'
  | 'process-executor';

export type RunStatus = 'pending' | 'running' | 'finished' | 'stopped' | 'failed';

/** A page, or the playground inside a course site's iframe. */
type Surface = Page | FrameLocator;

/**
 * Opens the page with the given query, e.g. `lab=hello&tasks=3`, relative to BASE_URL so a
 * sub-path deploy works. `openPlayground(page, '')` opens the home page (`?`).
 */
export async function openPlayground(page: Page, query: string): Promise<void> {
  await page.goto(`?${query}`);
}

export const pageTitle = (surface: Surface) => surface.getByRole('heading', { level: 1 });
export const notices = (surface: Surface) => surface.getByRole('status');
export const labsNavigation = (surface: Surface) =>
  surface.getByRole('navigation', { name: 'Labs', exact: true });

export const runButton = (surface: Surface) =>
  surface.getByRole('button', { name: 'Run', exact: true });
export const runAllButton = (surface: Surface) =>
  surface.getByRole('button', { name: 'Run all', exact: true });
export const compareTable = (surface: Surface) => surface.getByRole('table').first();
export const stopButton = (surface: Surface) =>
  surface.getByRole('button', { name: 'Stop', exact: true });
export const runProgress = (surface: Surface) =>
  surface.getByRole('progressbar', { name: 'Run progress' });

export const tasksField = (surface: Surface) =>
  surface.getByRole('spinbutton', { name: 'Tasks', exact: true });
export const secondsField = (surface: Surface) =>
  surface.getByRole('spinbutton', { name: 'Seconds per sleep', exact: true });
export const sleepField = (surface: Surface) =>
  surface.getByRole('combobox', { name: 'Sleep', exact: true });

/** The checkbox of one executor: its accessible name starts with the executor id. */
export function executorCheckbox(surface: Surface, executor: ExecutorId): Locator {
  // `pool` must not match `pool-of-loops`: the id is followed by neither a word char nor `-`.
  const startsWithId = new RegExp(`^${executor}(?![\\w-])`);
  return surface
    .getByRole('group', { name: 'Executors' })
    .getByRole('checkbox', { name: startsWithId });
}

export const shareLink = (surface: Surface) =>
  surface.getByRole('textbox', { name: 'Share link', exact: true });
export const embedSnippet = (surface: Surface) =>
  surface.getByRole('textbox', { name: 'Embed snippet', exact: true });

export const results = (surface: Surface) => surface.getByRole('region', { name: 'Results', exact: true });

/** The result article of one executor, e.g. "event-loop result". */
export const resultOf = (surface: Surface, executor: ExecutorId) =>
  results(surface).getByRole('article', { name: `${executor} result`, exact: true });

export const timelineOf = (surface: Surface, executor: ExecutorId) =>
  resultOf(surface, executor).getByRole('group', { name: `Timeline: ${executor}`, exact: true });

export const heartbeat = (surface: Surface) =>
  surface.getByRole('img', { name: 'Heartbeat', exact: true });
export const lagMeter = (surface: Surface) =>
  surface.getByRole('meter', { name: 'Event-loop lag', exact: true });

export const outputLog = (surface: Surface) => surface.getByRole('log', { name: 'Output', exact: true });
/** The lines the tasks printed (not each executor's closing `name: 1.00 s` line). */
export const outputLines = (surface: Surface) => outputLog(surface).locator('li:not(.elapsed)');
/** Each finished executor's closing line, as its Python prints it: `event-loop: 1.00 s`. */
export const elapsedLines = (surface: Surface) => outputLog(surface).locator('li.elapsed samp');

/** What one result article says, from its data attributes. */
export interface ExecutorResult {
  executor: string;
  status: RunStatus;
  wallMs: number;
  expectedMs: number;
  tasksDone: number;
  tasksTotal: number;
  representative: boolean;
}

export async function readResult(article: Locator): Promise<ExecutorResult> {
  const data = await article.evaluate((element) => ({ ...(element as HTMLElement).dataset }));
  return {
    executor: data.executor ?? '',
    status: data.status as RunStatus,
    wallMs: Number(data.wallMs),
    expectedMs: Number(data.expectedMs),
    tasksDone: Number(data.tasksDone),
    tasksTotal: Number(data.tasksTotal),
    representative: data.representative !== 'false',
  };
}

/**
 * Waits until the executor's run ends (finished, stopped or failed) and returns its result.
 * `timeout` is for long runs; the default is the expect timeout.
 */
export async function outcomeOf(
  surface: Surface,
  executor: ExecutorId,
  options: { timeout?: number } = {},
): Promise<ExecutorResult> {
  const article = resultOf(surface, executor);
  await expect(article).toHaveAttribute('data-status', /^(finished|stopped|failed)$/, options);
  return readResult(article);
}

/** Waits for the executor's run to finish, failing at once (with its status) if it did not. */
export async function finishedResult(
  surface: Surface,
  executor: ExecutorId,
  options: { timeout?: number } = {},
): Promise<ExecutorResult> {
  const result = await outcomeOf(surface, executor, options);
  expect(result.status, `${executor} should finish`).toBe('finished');
  return result;
}

/** Reads a numeric data attribute, e.g. the heartbeat's `data-max-frame-gap-ms`. */
export async function numericAttribute(element: Locator, name: string): Promise<number> {
  const value = await element.getAttribute(name);
  return value === null ? Number.NaN : Number(value);
}

/** One printed line of the Output log, classified by what it says. */
export interface PrintedLine {
  executor: ExecutorId | 'unknown';
  printed: 'hello' | 'goodbye' | 'other';
  text: string;
}

/**
 * The Output log's lines. Each line shows its timestamp, executor, task and printed text; the
 * task may well be called `hello`, so a line saying `goodbye` anywhere is a goodbye.
 */
export async function printedLines(surface: Surface): Promise<PrintedLine[]> {
  const texts = await outputLines(surface).allInnerTexts();
  return texts.map((text) => ({
    text,
    executor: text.includes('event-loop')
      ? 'event-loop'
      : text.includes('sequential')
        ? 'sequential'
        : 'unknown',
    printed: /\bgoodbye\b/.test(text) ? 'goodbye' : /\bhello\b/.test(text) ? 'hello' : 'other',
  }));
}

/** What one executor printed, in order: e.g. ['hello', 'goodbye', 'hello', 'goodbye']. */
export function printedBy(lines: PrintedLine[], executor: ExecutorId): string[] {
  return lines.filter((line) => line.executor === executor).map((line) => line.printed);
}

// The generators lab (a stepper) and the pitfalls lab (a page of cases).

export const stepButton = (surface: Surface) =>
  surface.getByRole('button', { name: 'Step', exact: true });
export const resetButton = (surface: Surface) =>
  surface.getByRole('button', { name: 'Reset', exact: true });
export const speedField = (surface: Surface) =>
  surface.getByRole('combobox', { name: 'Speed', exact: true });
/** The versions of hello, as tabs in the article's order: '0: no yield' to '4: yield from asleep(seconds)'. */
export const versionTabs = (surface: Surface) =>
  surface.getByRole('tablist', { name: 'Version of hello', exact: true }).getByRole('tab');
/** The tab of version `n` (0 to 4). */
export const versionTab = (surface: Surface, n: number) =>
  surface.getByRole('tab', { name: new RegExp(`^${n}: `) });

/** The generators lab's result: the same data attributes as an executor's result article. */
export const generatorLoopResult = (surface: Surface) =>
  results(surface).getByRole('article', { name: 'generator-loop result', exact: true });

/** Waits until the generators lab's run ends (finished, stopped or failed); returns its result. */
export async function generatorLoopOutcome(
  surface: Surface,
  options: { timeout?: number } = {},
): Promise<ExecutorResult> {
  const article = generatorLoopResult(surface);
  await expect(article).toHaveAttribute('data-status', /^(finished|stopped|failed)$/, options);
  return readResult(article);
}

/**
 * The printed text of each Output line, in order, without its time or source: `hello`,
 * `None x 1,234` for a run of one value.
 */
export async function printedTexts(surface: Surface): Promise<string[]> {
  return outputLog(surface).locator('li samp').allInnerTexts();
}

/** The pitfalls lab's cases, and one case by its title. */
export const cases = (surface: Surface) => surface.getByRole('region', { name: 'Cases', exact: true });
export const pitfallCase = (surface: Surface, title: string) =>
  cases(surface).getByRole('article', { name: title, exact: true });
