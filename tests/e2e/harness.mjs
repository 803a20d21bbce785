// Shared end-to-end setup: a local server over www/, Debian's Chromium, and
// request recording. Every test file imports this instead of copying it.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WWW = join(ROOT, 'www');
export const OUTPUT = join(ROOT, 'tests', 'output');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Starts the server and the browser; returns { origin, browser, close }. */
export async function launch() {
  assert.ok(existsSync(join(WWW, 'pkg', 'dicom_inspector_bg.wasm')), 'www/pkg is not built: run scripts/test');
  assert.ok(existsSync(join(WWW, 'demo', 'index.json')), 'www/demo is not built: run scripts/test');
  const server = await startServer({ root: WWW, port: 0 });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await mkdir(OUTPUT, { recursive: true });
  return {
    origin,
    browser,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/**
 * Opens `path` on the server and records every request made after it has
 * loaded. Returns { context, page, requests, errors }.
 */
export async function openPage(env, path = '/', contextOptions = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 1000 }, ...contextOptions });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${env.origin}${path}`, { waitUntil: 'load' });
  const requests = [];
  context.on('request', (r) => requests.push({ url: r.url(), method: r.method() }));
  return { context, page, requests, errors };
}

/** Every request stays on the page's origin and only GETs the app's own files. */
export function assertLocalOnly(env, requests) {
  for (const r of requests) {
    const url = new URL(r.url);
    assert.equal(url.origin, env.origin, `request left the page's origin: ${r.method} ${r.url}`);
    assert.equal(r.method, 'GET', `not a GET: ${r.method} ${r.url}`);
    const file = join(WWW, decodeURIComponent(url.pathname));
    assert.ok(file.startsWith(WWW) && existsSync(file), `request for something that is not one of the app's files: ${r.url}`);
  }
}

/** Waits until the page's current batch run is over and rendered. */
export async function waitForRun(page, timeout = 60000) {
  await page.waitForFunction(() => window.inspectorPage?.run?.finished === true
    && !window.inspectorPage.entries.some((e) => e.status === 'queued'), null, { timeout });
  // The dashboard renders on a short timer after the last result.
  await page.waitForTimeout(250);
}

/** Opens a file of the batch by name (through the dashboard's file search) and waits for its view. */
export async function openFile(page, name) {
  await waitForRun(page);
  const onView = (n) => {
    const d = document.querySelector('#detail');
    return d?.dataset.file === n && !d.hasAttribute('aria-busy');
  };
  if (!await page.evaluate(onView, name)) {
    await page.fill('#file-search', name);
    await page.locator('#dashboard .matches button.file', { hasText: name }).first().click();
    await page.fill('#file-search', '');
  }
  await page.waitForFunction(onView, name, { timeout: 20000 });
}

/** The element-tree row of the first element matching `query` (the tree's own search). */
export async function elementRow(page, query) {
  const search = page.locator('#detail .tree input[type="search"]');
  await search.fill(query);
  await search.press('Enter');
  const row = page.locator('#detail .et-row.current-match');
  await row.waitFor();
  return row;
}

/** The text of a cell of a tree row: 0 tag, 1 name, 2 VR, 3 VM, 4 length, 5 offset, 6 value. */
export async function cell(row, column) {
  return (await row.locator(`.et-col-${column}`).textContent()).trim();
}

/**
 * Starts a main-thread heartbeat in the page; the returned function reads
 * { beats, gap }: ticks so far and the longest gap between two, in ms.
 */
export async function heartbeat(page, every = 20) {
  await page.evaluate((ms) => {
    window.__heartbeat = { beats: 0, gap: 0 };
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      window.__heartbeat.gap = Math.max(window.__heartbeat.gap, now - last);
      window.__heartbeat.beats += 1;
      last = now;
    }, ms);
  }, every);
  return () => page.evaluate(() => ({ ...window.__heartbeat }));
}
