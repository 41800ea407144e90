// A learner reads the common await mistakes: what Python says, what Rust says, and, where the
// page can, a live run.
import { expect, test } from '../fixtures';
import { cases, heartbeat, numericAttribute, openPlayground, pageTitle, pitfallCase } from '../playground';

test('each pitfall shows the error Python and Rust print', async ({ page }) => {
  await openPlayground(page, 'lab=pitfalls');
  await expect(pageTitle(page)).toHaveText('Await pitfalls');
  await expect(cases(page).getByRole('article')).toHaveCount(4);

  await expect(pitfallCase(page, 'Awaiting time.sleep')).toContainText(
    "TypeError: object NoneType can't be used in 'await' expression",
  );
  await expect(pitfallCase(page, 'Awaiting time.sleep')).toContainText(
    'error[E0277]: `()` is not a future',
  );
  const forgotten = pitfallCase(page, 'Forgetting await');
  await expect(forgotten).toContainText("RuntimeWarning: coroutine 'hello' was never awaited");
  await expect(forgotten).toContainText('unused implementer of `Future` that must be used');
  await expect(forgotten).toContainText('futures do nothing unless you `.await` or poll them');
  await expect(pitfallCase(page, 'A blocking sleep inside async def')).toContainText(
    'it compiles without a warning',
  );
  const gather = pitfallCase(page, 'asyncio.gather given a plain generator');
  await expect(gather).toContainText(
    'TypeError: An asyncio.Future, a coroutine or an awaitable is required',
  );
  await expect(gather).toContainText('Python 3.11');
  // The explanations arrive with the lab's notes.
  await expect(pitfallCase(page, 'Awaiting time.sleep')).toContainText(
    'Rust checks what is awaited when it compiles',
  );
});

test("each pitfall's Python has its own Copy button, which copies the program as shown", async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openPlayground(page, 'lab=pitfalls');
  const forgotten = pitfallCase(page, 'Forgetting await');
  await forgotten.getByRole('button', { name: 'Copy the Python: Forgetting await' }).click();
  await expect(forgotten.getByText('Copied.')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await forgotten.locator('pre.code').first().innerText());
  expect(copied).toContain('async def hello():');
});

test('a future nobody awaits prints nothing; awaited, it prints hello', async ({ page }) => {
  await openPlayground(page, 'lab=pitfalls');
  const forgotten = pitfallCase(page, 'Forgetting await');
  await forgotten.getByRole('button', { name: /without \.await/ }).click();

  const result = forgotten.getByRole('list', { name: 'Live result: forgotten await' });
  await expect(result).toContainText('Without .await, hello() printed: nothing');
  await expect(result).toContainText('With .await, hello() printed: hello');
});

test('a blocking sleep freezes the page: the heartbeat stops for the whole second', async ({
  page,
}) => {
  await openPlayground(page, 'lab=pitfalls');
  const blocking = pitfallCase(page, 'A blocking sleep inside async def');
  await blocking.getByRole('button', { name: /^Block this page for/ }).click();

  await expect(blocking).toContainText('The page was blocked for');
  await expect
    .poll(() => numericAttribute(heartbeat(page), 'data-max-frame-gap-ms'))
    .toBeGreaterThanOrEqual(900);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test('the cases fit the screen without horizontal scrolling', async ({ page }) => {
    await openPlayground(page, 'lab=pitfalls');
    await expect(cases(page).getByRole('article')).toHaveCount(4);
    const widths = await page.evaluate(() => ({
      content: document.scrollingElement?.scrollWidth ?? 0,
      viewport: window.innerWidth,
    }));
    expect(widths.content).toBeLessThanOrEqual(widths.viewport + 1);
  });
});
