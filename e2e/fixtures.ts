// Every spec imports `test` and `expect` from here, never from '@playwright/test'.
//
// `test` fails any test during which the page (any of its frames, pages or workers) logs a
// console error, throws an uncaught exception or rejects a promise nobody handles, or opens a
// native dialog (`alert`, `confirm`, `prompt`): the page asks in the page, never with
// `window.confirm` (DESIGN.md), and an `alert` is what injected markup would run.
//
// A test that provokes an error on purpose (say, a fetch to a closed port) declares the console
// line it expects, and only console lines can be declared:
//
//   test('a refused connection is explained', async ({ page, browserErrors }) => {
//     browserErrors.expectConsoleError(/net::ERR_CONNECTION_REFUSED/);
//     ...
//   });
import { test as base, expect, type ConsoleMessage } from '@playwright/test';

export { expect };

export interface BrowserErrors {
  /** Allows console errors matching `line` in this test, e.g. an expected network failure. */
  expectConsoleError(line: RegExp): void;
}

function describeConsoleMessage(message: ConsoleMessage): string {
  const { url, lineNumber } = message.location();
  const where = url ? ` (${url}:${lineNumber + 1})` : '';
  const source = message.worker() ? ' [worker]' : '';
  return `${message.text()}${where}${source}`;
}

export const test = base.extend<{ browserErrors: BrowserErrors }>({
  browserErrors: [
    async ({ context }, use) => {
      const expectedLines: RegExp[] = [];
      const consoleErrors: string[] = [];
      const uncaughtErrors: string[] = [];
      const nativeDialogs: string[] = [];

      // Context-wide listeners cover every page, every frame (cross-origin ones included)
      // and every worker of the test, including pages opened after this point.
      context.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(describeConsoleMessage(message));
      });
      context.on('weberror', (webError) => {
        const error = webError.error();
        // A stack starts with "Name: message" already.
        uncaughtErrors.push(error.stack ?? `${error.name}: ${error.message}`);
      });
      context.on('dialog', (dialog) => {
        nativeDialogs.push(`${dialog.type()}: ${dialog.message()}`);
        // Dismiss it, or the page would wait forever for an answer.
        dialog.dismiss().catch(() => {});
      });

      await use({ expectConsoleError: (line) => expectedLines.push(line) });

      const unexpectedConsoleErrors = consoleErrors.filter(
        (line) => !expectedLines.some((expected) => expected.test(line)),
      );
      expect(
        { consoleErrors: unexpectedConsoleErrors, uncaughtErrors, nativeDialogs },
        'the page must log no console error, throw nothing uncaught and open no native dialog',
      ).toEqual({ consoleErrors: [], uncaughtErrors: [], nativeDialogs: [] });
    },
    { auto: true },
  ],
});
