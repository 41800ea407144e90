// Every parameter lives in the URL: a course author shares a link and it reproduces the run.
// Links get mangled, so nothing in a URL may crash the page or inject markup.
import { expect, test } from '../fixtures';
import {
  embedSnippet,
  executorCheckbox,
  notices,
  openPlayground,
  pageTitle,
  runButton,
  secondsField,
  shareLink,
  sleepField,
  tasksField,
} from '../playground';
import type { Page } from '@playwright/test';

/** The hello lab's defaults (docs/ui-contract.md). */
const HELLO_DEFAULTS = { tasks: 2, seconds: 1, sleep: 'async' };

async function fieldNumber(page: Page, field: 'tasks' | 'seconds'): Promise<number> {
  const input = field === 'tasks' ? tasksField(page) : secondsField(page);
  return Number(await input.inputValue());
}

const invalidValues: { key: string; value: string; check: (page: Page) => Promise<void> }[] = [
  ...['-5', 'abc', '1e99'].map((value) => ({
    key: 'tasks',
    value,
    check: async (page: Page) => {
      await expect.poll(() => fieldNumber(page, 'tasks')).toBe(HELLO_DEFAULTS.tasks);
    },
  })),
  {
    key: 'seconds',
    value: 'NaN',
    check: async (page) => {
      await expect.poll(() => fieldNumber(page, 'seconds')).toBe(HELLO_DEFAULTS.seconds);
    },
  },
  {
    key: 'sleep',
    value: 'maybe',
    check: async (page) => {
      await expect(sleepField(page)).toHaveValue(HELLO_DEFAULTS.sleep);
    },
  },
  {
    key: 'executors',
    value: 'bogus',
    check: async (page) => {
      await expect(executorCheckbox(page, 'sequential')).toBeChecked();
      await expect(executorCheckbox(page, 'event-loop')).toBeChecked();
    },
  },
];

for (const { key, value, check } of invalidValues) {
  test(`${key}=${value} falls back to the default with a notice naming "${key}"`, async ({
    page,
  }) => {
    // A valid key next to the invalid one is still honoured.
    const other = key === 'tasks' ? 'seconds=0.5' : 'tasks=3';
    await openPlayground(page, `lab=hello&${key}=${encodeURIComponent(value)}&${other}`);

    await expect(pageTitle(page)).toHaveText('Hello, await');
    await expect(notices(page)).toHaveCount(1);
    await expect(notices(page)).toContainText(new RegExp(`\\b${key}\\b`));
    await check(page);
    if (key === 'tasks') await expect.poll(() => fieldNumber(page, 'seconds')).toBe(0.5);
    else await expect.poll(() => fieldNumber(page, 'tasks')).toBe(3);
  });
}

test('markup as the lab id shows the home page, with the value as text only', async ({ page }) => {
  await openPlayground(page, `lab=${encodeURIComponent('<script>alert(1)</script>')}`);

  await expect(pageTitle(page)).toHaveText('Async Playground');
  await expect(notices(page)).toContainText(/\blab\b/);
  const injectedScript = await page.evaluate(() =>
    [...document.scripts].some((script) => script.textContent?.includes('alert(1)')),
  );
  expect(injectedScript).toBe(false);
  // (An alert would fail the test through the fixture.)
});

test('markup in a parameter is never rendered as markup', async ({ page }) => {
  await openPlayground(page, `lab=hello&tasks=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);

  await expect(pageTitle(page)).toHaveText('Hello, await');
  await expect(notices(page)).toContainText(/\btasks\b/);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect.poll(() => fieldNumber(page, 'tasks')).toBe(HELLO_DEFAULTS.tasks);
});

test('a repeated key: the first one wins', async ({ page }) => {
  await openPlayground(page, 'lab=hello&tasks=3&tasks=7');

  await expect.poll(() => fieldNumber(page, 'tasks')).toBe(3);
});

test('editing a parameter updates the page URL as you type', async ({ page }) => {
  await openPlayground(page, 'lab=hello');

  await tasksField(page).fill('5');

  await expect(page).toHaveURL((url) => url.searchParams.get('tasks') === '5');
  await expect(page).toHaveURL((url) => url.searchParams.get('lab') === 'hello');
});

test('the share link spells out every parameter and reproduces the form', async ({ page }) => {
  await openPlayground(page, 'lab=hello');

  // Only the lab is given: the link still names every parameter, with its default.
  const defaults = new URL(await shareLink(page).inputValue());
  expect(Object.fromEntries(defaults.searchParams)).toMatchObject({
    lab: 'hello',
    tasks: '2',
    sleep: 'async',
    executors: 'sequential,event-loop',
  });
  expect(Number(defaults.searchParams.get('seconds'))).toBe(1);
  expect(defaults.searchParams.get('embed')).not.toBe('1');

  await tasksField(page).fill('3');
  await secondsField(page).fill('0.5');
  await sleepField(page).selectOption('blocking');
  await executorCheckbox(page, 'sequential').uncheck();
  await expect(shareLink(page)).toHaveValue(/[?&]tasks=3(&|$)/);
  const link = await shareLink(page).inputValue();
  expect(new URL(link).searchParams.get('sleep')).toBe('blocking');

  await page.goto(link);

  await expect(pageTitle(page)).toHaveText('Hello, await');
  await expect.poll(() => fieldNumber(page, 'tasks')).toBe(3);
  await expect.poll(() => fieldNumber(page, 'seconds')).toBe(0.5);
  await expect(sleepField(page)).toHaveValue('blocking');
  await expect(executorCheckbox(page, 'sequential')).not.toBeChecked();
  await expect(executorCheckbox(page, 'event-loop')).toBeChecked();
  await expect(shareLink(page)).toHaveValue(link);
});

test('the embed snippet is an iframe with embed=1, a title and lazy loading', async ({ page }) => {
  await openPlayground(page, 'lab=hello&tasks=3');

  const snippet = await embedSnippet(page).inputValue();
  expect(snippet).toMatch(/^\s*<iframe\b/);
  expect(snippet).toMatch(/<\/iframe>\s*$/);
  expect(snippet).toContain('loading="lazy"');
  expect(snippet).toMatch(/\btitle="[^"]+"/);
  expect(snippet).toContain('embed=1');

  const src = /\bsrc="([^"]+)"/.exec(snippet)?.[1] ?? '';
  const embedded = new URL(src.replaceAll('&amp;', '&'));
  for (const key of ['lab', 'tasks', 'seconds', 'sleep', 'executors']) {
    expect(embedded.searchParams.has(key), `the snippet's URL names ${key}`).toBe(true);
  }
  expect(embedded.searchParams.get('embed')).toBe('1');
  expect(embedded.searchParams.get('tasks')).toBe('3');
});

test('the copy buttons put the link and the snippet on the clipboard', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openPlayground(page, 'lab=hello');
  const readClipboard = () => page.evaluate(() => navigator.clipboard.readText());

  await page.getByRole('button', { name: 'Copy link', exact: true }).click();
  await expect.poll(readClipboard).toBe(await shareLink(page).inputValue());

  await page.getByRole('button', { name: 'Copy embed snippet', exact: true }).click();
  await expect.poll(readClipboard).toBe(await embedSnippet(page).inputValue());
});

test('theme=dark and theme=light set the page theme', async ({ page }) => {
  const html = page.locator('html');

  await openPlayground(page, 'lab=hello&theme=dark');
  await expect(html).toHaveAttribute('data-theme', 'dark');

  await openPlayground(page, 'lab=hello&theme=light');
  await expect(html).toHaveAttribute('data-theme', 'light');

  // The banner's Theme select switches it too.
  await page.getByRole('combobox', { name: 'Theme', exact: true }).selectOption({ label: 'Dark' });
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(runButton(page)).toBeVisible();
});

test("Embed, near the title, leads to the snippet's options, and they shape the snippet", async ({
  page,
}) => {
  await openPlayground(page, 'lab=hello&tasks=3');
  await page.getByRole('button', { name: 'Embed', exact: true }).click();
  const id = page.getByRole('textbox', { name: 'Frame id (optional)', exact: true });
  await expect(id).toBeFocused();
  await id.fill('week-3');
  await id.press('Tab');
  await page.getByRole('checkbox', { name: 'Run when the frame opens', exact: true }).check();
  await page.getByRole('combobox', { name: 'Frame theme', exact: true }).selectOption({ label: 'Dark' });
  const height = page.getByRole('spinbutton', { name: 'Frame height (px)', exact: true });
  await height.fill('640');
  await height.press('Tab');

  await expect(embedSnippet(page)).toHaveValue(/height="640"/);
  const snippet = await embedSnippet(page).inputValue();
  const src = /\bsrc="([^"]+)"/.exec(snippet)?.[1] ?? '';
  const embedded = new URL(src.replaceAll('&amp;', '&'));
  expect(embedded.searchParams.get('embed')).toBe('1');
  expect(embedded.searchParams.get('run')).toBe('1');
  expect(embedded.searchParams.get('theme')).toBe('dark');
  expect(embedded.searchParams.get('id')).toBe('week-3');
  expect(embedded.searchParams.get('tasks')).toBe('3');
  // The share link is the page's own, whatever the frame's options.
  const shared = new URL(await shareLink(page).inputValue());
  for (const key of ['embed', 'run', 'id', 'theme']) expect(shared.searchParams.has(key), key).toBe(false);
  // A height out of range leaves the last good one.
  await height.fill('5');
  await height.press('Tab');
  await expect(embedSnippet(page)).toHaveValue(/height="640"/);
});

test('embedded, a lab leaves sharing, the long notes and the article to the full lab, a link away', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openPlayground(page, 'lab=hello&embed=1');
  await expect(pageTitle(page)).toHaveText('Hello, await');
  await expect(page.getByRole('region', { name: 'Share and embed', exact: true })).toHaveCount(0);
  await expect(embedSnippet(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Embed', exact: true })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'What to notice', exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: "The article's original code", exact: true })).toHaveCount(0);
  // The program the run stands for stays beside it.
  await expect(page.getByRole('heading', { name: 'The Python it stands for', exact: true })).toBeVisible();
  const full = page.getByRole('link', { name: 'Open the full lab', exact: true });
  const href = new URL((await full.getAttribute('href')) ?? '');
  expect(href.searchParams.get('lab')).toBe('hello');
  expect(href.searchParams.has('embed')).toBe(false);
  await expect(full).toHaveAttribute('target', '_blank');
  // Compact before a run: the form beside the results, the program under them in a box of
  // its own (1.3 screens at 1280 x 800, where the full page is 3.5; each lab's in program.spec).
  await expect(page.getByRole('group', { name: 'The runs as a file', exact: true })).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Your predictions (optional)', exact: true })).toHaveCount(0);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(height).toBeLessThan(1.5 * 800);
});
