// The lab registry as the page itself lists it: the home page's "Labs" navigation, read once
// when the suite is collected. A new lab is then opened, checked and run by every spec that
// walks the labs without an edit here (ARCHITECTURE.md, invariant 7).
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

/** One lab as the home page lists it. */
export interface Lab {
  /** The `lab` URL key, read from the link's `href` (`?lab=<id>`). */
  id: string;
  /** The link text, which is the lab page's `h1`. */
  title: string;
}

/** Reads the labs from the home page served at `baseUrl`. */
export async function readLabRegistry(baseUrl: string): Promise<Lab[]> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage();
    await page.goto(new URL('?', baseUrl).toString());
    const navigation = page.getByRole('navigation', { name: 'Labs', exact: true });
    await navigation.getByRole('link').first().waitFor();
    const entries = await navigation.getByRole('listitem').evaluateAll((items) =>
      items.map((item) => {
        const link = item.querySelector('a');
        return {
          href: link?.getAttribute('href') ?? '',
          title: link?.textContent?.trim() ?? '',
        };
      }),
    );
    return entries.map(({ href, title }) => {
      const id = new URLSearchParams(href.replace(/^\?/, '')).get('lab');
      if (!id || !title || href !== `?lab=${id}`) {
        throw new Error(`The home page lists a lab link the contract does not allow: ${href}`);
      }
      return { id, title };
    });
  } finally {
    await browser.close();
  }
}
