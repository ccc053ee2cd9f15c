// What the browser SDK's tests in headless Chromium share (tests/js/sdk_browser*.test.mjs): the
// test server with its mock tracker, one Chromium, the fixtures, and helpers to open the test
// page and read what reached the tracker. A test file calls before(startSession) and
// after(stopSession). Screenshots go to test-artifacts/sdk/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { repo, dist, artifacts, need } from './paths.mjs';
import { startServer } from './server.mjs';
import { startTracker } from '../../e2e/support.mjs';

export const rules = JSON.parse(readFileSync(join(repo, 'tests', 'browser', 'fixtures', 'rules.json'), 'utf8'));
export const shots = join(artifacts, 'sdk');

// 2025-06-02 (a Monday) 06:30 UTC.
export const T0 = Date.UTC(2025, 5, 2, 6, 30);
export const DAY = 86400000;

export const UA = {
  desktop:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
};

// Set by startSession(); importers see them as they are then (live bindings).
export let server;
export let serverRules; // the mock tracker's rule sets by site (a test swaps one)
export let browser;
let userData;

// Records, before every frame, which slots show their default content (rAF runs right before
// the frame is painted), and each slot's state after every DOM mutation.
export const recorder = () => {
  window.__frames = [];
  const snap = (when) => {
    for (const el of document.querySelectorAll('[data-ithaca-slot]')) {
      const d = el.querySelector(':scope > [data-default]');
      const visible = !!d && getComputedStyle(d).visibility === 'visible' && d.getClientRects().length > 0;
      window.__frames.push({ when, slot: el.id, state: el.getAttribute('data-ithaca-state'), defaultVisible: visible });
    }
  };
  const frame = () => {
    snap('frame');
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new MutationObserver(() => snap('mutation')).observe(document, { subtree: true, childList: true, attributes: true });
};

export async function startSession() {
  need(join(dist, 'browser', 'ithaca.mjs'), 'run `make wasm` to build wasm_sdk/dist');
  mkdirSync(shots, { recursive: true });
  server = await startServer({
    mounts: {
      '/sdk/': join(dist, 'browser'),
      '/example/': join(repo, 'wasm_sdk', 'examples'),
      '/': join(repo, 'tests', 'browser', 'pages'),
    },
    rules: (serverRules = {
      test: rules,
      invalid: '{"schema": 1, "site": "invalid", "slots": {"x": {"default": 7}}}',
      demo: readFileSync(join(repo, 'demo_site', 'rules', 'demo.json'), 'utf8'),
    }),
  });
  userData = mkdtempSync(join(tmpdir(), 'ithaca-chromium-'));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function stopSession() {
  await browser?.close();
  await server?.close();
  if (userData) rmSync(userData, { recursive: true, force: true });
}

/** Opens pages/slots.html in a fresh context (or `reuse`) once its slots are settled. */
export async function open(name, { query = '', referer, context = {}, reuse, safari = false, noTemporal = false } = {}) {
  const ctx = reuse || (await browser.newContext({ timezoneId: 'UTC', userAgent: UA.desktop, ...context }));
  const page = await ctx.newPage();
  // Safari has no User-Agent Client Hints; Chromium would invent some for an emulated iPhone.
  if (safari) await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'userAgentData', { get: () => undefined }));
  // Browsers without Temporal learn the time zone from Intl.
  if (noTemporal) await page.addInitScript(() => delete globalThis.Temporal);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(recorder);
  await page.goto(`${server.origin}/slots.html${query}`, referer ? { referer } : {});
  await page.waitForFunction(() => window.ithaca && document.querySelectorAll('[data-ithaca-slot]:not([data-ithaca-state])').length === 0, null, { timeout: 10000 });
  await page.evaluate(() => window.ithaca.ready);
  await page.screenshot({ path: join(shots, name + '.png'), fullPage: false });
  const slots = await page.evaluate(() =>
    Object.fromEntries(
      Array.from(document.querySelectorAll('[data-ithaca-slot]'), (el) => [
        el.id,
        { state: el.getAttribute('data-ithaca-state'), variant: el.getAttribute('data-ithaca-variant'), text: el.innerText.trim() },
      ]),
    ),
  );
  return { ctx, page, slots, errors };
}

export const frames = (page) => page.evaluate(() => window.__frames);

// The events of pages whose URL carries `marker` (beacons of earlier tests may still arrive).
export const eventsOf = (marker) =>
  server.collected.flatMap((c) => c.body.events.filter((e) => e.url.includes(marker)).map((e) => ({ ...e, contentType: c.type, site: c.body.site })));

export async function waitFor(cond, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

// The real tracker (build/native/bin/ithaca-tracker) serving the site `test` with the fixture
// rules and allowing the test pages' origin, as a production tracker on its own origin would.
// Returns {url, stop()}; stop() also removes its files.
export async function startSiteTracker() {
  const dir = mkdtempSync(join(tmpdir(), 'ithaca-site-tracker-'));
  const config = join(dir, 'sites.json');
  writeFileSync(config, JSON.stringify({ sites: [{ id: 'test', origins: [server.origin], rules: join(repo, 'tests', 'browser', 'fixtures', 'rules.json') }] }));
  const tracker = await startTracker({ config });
  return {
    url: tracker.url,
    stop: async () => {
      await tracker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
