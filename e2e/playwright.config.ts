// End-to-end tests of the Async Playground against a served release build.
//
// The caller serves the build (e.g. `cargo xtask serve --release`) and passes its address:
//   BASE_URL=http://127.0.0.1:8080/ npx playwright test
// There is no `webServer` entry on purpose: this suite tests whatever is served at BASE_URL,
// at any sub-path, and never decides how the app is built or served.
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

function baseUrlFromEnv(): string {
  const raw = process.env.BASE_URL;
  if (!raw) {
    throw new Error(
      'BASE_URL is not set. Serve the release build first, then run for example\n' +
        '  BASE_URL=http://127.0.0.1:8080/ npx playwright test',
    );
  }
  try {
    return new URL(raw).toString();
  } catch {
    throw new Error(`BASE_URL is not an absolute URL: ${JSON.stringify(raw)}`);
  }
}

export default defineConfig({
  testDir: './tests',
  // Timing tests need an idle machine (2 cores): never run two browsers at once.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL: baseUrlFromEnv(),
    viewport: { width: 1280, height: 800 },
    // No tracing: it attaches a debugger to Web Workers, which runs their wasm several times
    // slower and would make the pool look slow.
    trace: 'off',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
      },
    },
  ],
});
