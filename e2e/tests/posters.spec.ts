// Where a lab cannot run (a course's print or PDF build, a link preview), its poster stands in:
// every lab has one, as SVG and PNG, beside the page; a lab page served by our server names its
// poster as its preview image.
import { expect, test } from '../fixtures';
import { LABS } from '../playground';

test('every lab has a poster, as SVG and as PNG, that a browser draws', async ({ page, baseURL }) => {
  await page.goto(baseURL ?? '/');
  for (const { id: lab } of LABS) {
    for (const kind of ['svg', 'png']) {
      const size = await page.evaluate(async (src) => {
        const image = new Image();
        image.src = src;
        await image.decode();
        return [image.naturalWidth, image.naturalHeight];
      }, `posters/${lab}.${kind}`);
      expect(size, `${lab}.${kind}`).toEqual([1200, 630]);
    }
  }
});

test('a lab page names its poster as its preview image', async ({ page, baseURL }) => {
  await page.goto(`${baseURL}?lab=sleep&tasks=100`);
  const image = await page.locator('meta[property="og:image"]').getAttribute('content');
  expect(new URL(image ?? '').pathname).toMatch(/posters\/sleep\.png$/);
  const oembed = await page
    .locator('link[type="application/json+oembed"]')
    .getAttribute('href');
  const answer = await page.request.get(oembed ?? '');
  expect(answer.status()).toBe(200);
  const json = await answer.json();
  expect(json.html).toContain('lab=sleep&amp;tasks=100');
  expect(json.html).toContain('embed=1');
});
