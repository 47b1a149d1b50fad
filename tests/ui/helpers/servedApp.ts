import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildSandbox } from './buildApp';
import { serveStatic, type StaticServer } from './staticServer';

/** Filled in before the file's tests run: the browser, and the root URL the built pages are served at. */
export interface ServedApp {
  browser: Browser;
  url: string;
}

/**
 * For one test file: builds `pages` (see buildSandbox), serves them on 127.0.0.1, launches a
 * browser, and takes all three down again after the file's tests.
 */
export function serveBuiltApp(launch: () => Promise<Browser>, pages?: string[]): ServedApp {
  const app = {} as ServedApp;
  let dist: string | undefined;
  let server: StaticServer | undefined;
  beforeAll(async () => {
    dist = await buildSandbox(pages);
    server = await serveStatic(dist);
    app.browser = await launch();
    app.url = server.url;
  });
  afterAll(async () => {
    await app.browser?.close();
    await server?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });
  return app;
}
