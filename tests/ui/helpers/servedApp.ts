import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildSandbox } from '../../../src/bench/sandbox/buildApp';
import { serveStatic, type StaticServer } from '../../../src/bench/sandbox/staticServer';

/** Filled in before the file's tests run: the browser, and the root URL the built pages are served at. */
export interface ServedApp {
  browser: Browser;
  url: string;
}

/**
 * For one test file: builds `pages` (see buildSandbox), serves them on 127.0.0.1, launches a
 * browser, and takes the server and the browser down again after the file's tests (the build is kept for
 * the next file: see buildSandbox).
 */
export function serveBuiltApp(launch: () => Promise<Browser>, pages?: string[]): ServedApp {
  const app = {} as ServedApp;
  let server: StaticServer | undefined;
  beforeAll(async () => {
    server = await serveStatic(await buildSandbox(pages));
    app.browser = await launch();
    app.url = server.url;
  });
  afterAll(async () => {
    await app.browser?.close();
    await server?.close();
  });
  return app;
}
