// A course author embeds a lab on a platform that sizes frames by a protocol of its own: H5P's
// resizer (as it is today, and as older versions are), an LTI consumer that parses the
// message as text, a host of Embedly's protocol that finds the frame by its address. Each host
// here is written from that protocol's description and hears nothing else, and each sizes the
// frame to the lab's content.
import type { Frame, Page } from '@playwright/test';
import { courseSiteForSpec } from '../course-site';
import { expect, test } from '../fixtures';
import { runButton } from '../playground';

const LAB = 'lab=hello&embed=1&tasks=2&seconds=0.3&executors=sequential,event-loop';

const courseSite = courseSiteForSpec(test);

async function labFrame(page: Page): Promise<Frame> {
  const frame = await (await page.locator('#playground').elementHandle())?.contentFrame();
  if (!frame) throw new Error('no lab frame');
  return frame;
}

/** Whether the frame is as tall as the lab's content (within 2 px), and the content is a lab's. */
async function fitsTheLab(page: Page): Promise<boolean> {
  const frame = await labFrame(page);
  const content = await frame.evaluate(() =>
    Math.ceil(document.querySelector('.app')?.getBoundingClientRect().height ?? 0),
  );
  const height = await page.locator('#playground').evaluate((f) => f.getBoundingClientRect().height);
  return content > 400 && Math.abs(height - content) <= 2;
}

for (const kind of ['h5p', 'h5p-old', 'lti-text', 'embedly']) {
  test(`a host of the ${kind} protocol sizes the frame to the lab`, async ({ page }) => {
    await page.goto(courseSite().hostUrl(kind, LAB));
    await expect(runButton(page.frameLocator('#playground'))).toBeVisible();
    await expect.poll(() => fitsTheLab(page)).toBe(true);
  });
}

test('H5P: hello, prepareResize, resize, and a new round when the host window resizes', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1100, height: 800 });
  await page.goto(courseSite().hostUrl('h5p', LAB));
  await expect.poll(() => fitsTheLab(page)).toBe(true);
  const received = () => page.evaluate(() => window.__h5p);
  const first = await received();
  // hello first, then rounds of prepareResize and resize (a height change may start a second
  // round before the first one's answer: each prepareResize gets its resizePrepared).
  expect(first[0]).toBe('in:hello');
  expect(first.indexOf('in:prepareResize')).toBe(1);
  expect(first.indexOf('in:resize')).toBeGreaterThan(1);

  // The host's window narrows: it asks the frame, which measures again; the lab is taller
  // at the new width, and the frame follows it.
  await page.setViewportSize({ width: 420, height: 800 });
  await expect
    .poll(async () => (await received()).filter((a) => a === 'in:resize').length)
    .toBeGreaterThan(first.filter((a) => a === 'in:resize').length);
  await expect.poll(() => fitsTheLab(page)).toBe(true);
});

test('the text forms are JSON: LTI with its height, Embedly with the frame address', async ({
  page,
}) => {
  await page.goto(courseSite().hostUrl('embedly', LAB));
  await expect.poll(() => fitsTheLab(page)).toBe(true);
  const src = await page.locator('#playground').getAttribute('src');
  const texts = await page.evaluate(() =>
    window.__messages.filter((m): m is string => typeof m === 'string').map((m) => JSON.parse(m)),
  );
  expect(texts).toContainEqual({ subject: 'lti.frameResize', height: expect.any(Number) });
  expect(texts).toContainEqual({ context: 'iframe.resize', src, height: expect.any(Number) });
});
