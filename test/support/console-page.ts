// A console page in headless Chromium, for end-to-end tests: opened on a served node, with every
// request and uncaught page error recorded so a test can prove the console stayed offline and
// quiet. Conditions are polled through playwright (the console's CSP forbids evaluating strings).
import type { Browser, Page } from 'playwright-core';
import { waitFor } from './wait';

export interface ConsolePage {
  readonly page: Page;
  readonly origin: string;
  /** Requests to anything but the node that served the page (and data:/blob: URLs). */
  outsideRequests(): string[];
  pageErrors(): string[];
  /** Clicks a view in the navigation rail and waits for it to be current. */
  open(view: string): Promise<void>;
  count(selector: string): Promise<number>;
  waitForCount(selector: string, predicate: (n: number) => boolean, what: string, timeoutMs?: number): Promise<void>;
  text(selector: string): Promise<string>;
}

/** `colorScheme`: the light/dark setting the page sees as the system's. */
export async function openConsole(browser: Browser, url: string, viewport = { width: 1440, height: 900 }, colorScheme: 'light' | 'dark' = 'dark'): Promise<ConsolePage> {
  const page = await browser.newPage({ viewport, acceptDownloads: true, colorScheme });
  const origin = new URL(url).origin;
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('[data-testid="node-identity"] .node-name', { timeout: 30_000 });
  const count = (selector: string) => page.locator(selector).count();
  return {
    page,
    origin,
    outsideRequests: () => requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')),
    pageErrors: () => [...errors],
    async open(view) {
      await page.click(`[data-testid="nav-${view}"]`);
      await page.waitForSelector(`[data-testid="nav-${view}"][aria-current="page"]`);
    },
    count,
    async waitForCount(selector, predicate, what, timeoutMs = 30_000) {
      await waitFor(async () => predicate(await count(selector)), what, timeoutMs, 100);
    },
    text: (selector) => page.locator(selector).first().innerText(),
  };
}
