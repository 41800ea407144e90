// Accessibility checks the specs share: axe-core's WCAG 2.1 AA rules, the smallest run a lab's
// own form offers, and what a keyboard user and a phone user need of every control.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';
import { cases, compareTable, results, runAllButton, runButton } from './playground';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** What axe reports as `serious` or `critical`, one line per failing element. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated by the browser's debugger, not as a page script: the page's CSP stays as served.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // @ts-expect-error axe is the global the script above defines.
    const report = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return report.violations as {
      id: string;
      impact: string | null;
      nodes: { target: string[]; failureSummary?: string }[];
    }[];
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map((n) => `${v.impact} ${v.id}: ${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
    );
}

/** axe's serious and critical findings in the light and the dark theme (both must be empty). */
export async function expectNoSeriousViolations(page: Page, when: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await seriousViolations(page), `axe, ${when}, ${colorScheme} theme`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
}

/**
 * Runs the lab as briefly as its own form allows (every spinbutton at its minimum) and waits
 * until every result has ended; a page of cases presses each of its live runs instead.
 * Returns false when the lab has nothing to run.
 */
export async function runSmallest(page: Page): Promise<boolean> {
  if (await runButton(page).isVisible()) {
    const form = page.getByRole('form', { name: 'Parameters' });
    for (const field of await form.getByRole('spinbutton').all()) {
      const min = await field.getAttribute('min');
      if (min !== null) await field.fill(min);
    }
    await expect(runButton(page)).toBeEnabled();
    await runButton(page).click();
    const articles = results(page).getByRole('article');
    await expect(articles.first()).toBeVisible();
    for (const article of await articles.all()) {
      await expect(article).toHaveAttribute('data-status', /^(finished|stopped|failed)$/, {
        timeout: 60_000,
      });
    }
    return true;
  }
  if (await runAllButton(page).isVisible()) {
    // The compare lab at its smallest scale, once per row.
    const form = page.getByRole('form', { name: 'Parameters' });
    await form.getByRole('spinbutton', { name: 'Scale', exact: true }).fill('0.01');
    await runAllButton(page).click();
    const rows = compareTable(page).locator('tbody tr');
    await expect(rows.first()).toHaveAttribute('data-status', /^(running|finished)$/);
    for (const row of await rows.all()) {
      await expect(row).toHaveAttribute('data-status', /^(finished|stopped|failed)$/, {
        timeout: 90_000,
      });
    }
    return true;
  }
  if (await cases(page).isVisible()) {
    for (const button of await cases(page).getByRole('button').all()) await button.click();
    return true;
  }
  return false;
}

/** Opens every "Show as table" disclosure of the Results region. */
export async function showTables(page: Page): Promise<void> {
  for (const summary of await results(page).getByText('Show as table', { exact: true }).all()) {
    if (!(await summary.evaluate((s) => (s.parentElement as HTMLDetailsElement).open))) {
      await summary.click();
    }
  }
}

/** The controls a person can reach: links, buttons, fields, disclosures, scroll boxes. */
const CONTROLS =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), ' +
  'textarea:not([disabled]), summary, [tabindex="0"]';

/**
 * Presses Tab until the focus comes back round; every visible control must be reached, and
 * each must show where the focus is (an outline of at least 2 px). Returns how many were.
 */
export async function tabThroughEveryControl(page: Page): Promise<number> {
  // Start from the top of the page, as a fresh visit does: a click on the page's empty
  // corner moves the point Tab goes on from.
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.mouse.click(1, 1);
  // Each walk marks what it reaches with its own number: the page may be walked again later.
  const walk = Date.now();
  const seen: string[] = [];
  const unmarked: string[] = [];
  for (let presses = 0; presses < 400; presses++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate((walk) => {
      const el = document.activeElement as (HTMLElement & { reachedByTab?: number }) | null;
      if (!el || el === document.body) return null;
      if (el.reachedByTab === walk) return 'again';
      el.reachedByTab = walk;
      const style = getComputedStyle(el);
      const shown = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      const name = `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
      return { name, shown };
    }, walk);
    if (focus === 'again' || (focus === null && seen.length > 0)) break;
    if (focus === null) continue;
    seen.push(focus.name);
    if (!focus.shown) unmarked.push(focus.name);
  }
  expect(unmarked, 'every control shows where the focus is').toEqual([]);
  const missed = await page.evaluate(([selector, walk]) => {
    return [...document.querySelectorAll<HTMLElement & { reachedByTab?: number }>(selector)]
      .filter((el) => el.checkVisibility() && el.reachedByTab !== walk)
      // A radio group and a tab list are one stop each: the arrow keys move inside them.
      .filter((el) => !(el instanceof HTMLInputElement && el.type === 'radio'))
      .filter((el) => !(el.getAttribute('role') === 'tab' && el.getAttribute('aria-selected') !== 'true'))
      .map((el) => `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`);
  }, [CONTROLS, walk] as const);
  expect(missed, 'every control is reached with Tab').toEqual([]);
  return seen.length;
}

/** Controls whose target (the control, or its label) is smaller than 44 x 44 CSS px. */
export async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate((selector) => {
    const big = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width >= 43.5 && r.height >= 43.5;
    };
    return [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((el) => el.checkVisibility())
      // WCAG 2.5.5's exceptions: a timeline's bar is as long as what it stands for (its size
      // is its meaning; the arrow keys reach each one), and a line of a program is a target
      // within a block of text.
      .filter((el) => !el.matches('[data-bar], .code .line'))
      .filter((el) => {
        const labels = 'labels' in el ? [...((el as HTMLInputElement).labels ?? [])] : [];
        return !big(el) && !labels.some(big);
      })
      .map((el) => {
        const r = el.getBoundingClientRect();
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40);
        return `${el.tagName.toLowerCase()} "${name}": ${Math.round(r.width)} x ${Math.round(r.height)}`;
      });
  }, CONTROLS);
}

/** Whether the page is wider than the window (it would scroll sideways). */
export async function pageScrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(
    () => (document.scrollingElement?.scrollWidth ?? 0) > window.innerWidth + 1,
  );
}
