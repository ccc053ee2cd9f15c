// Shared set-up for the demo site's end-to-end tests: a real tracker (build/native/bin/
// ithaca-tracker, or $ITHACA_TRACKER) on a free port with a temporary data folder and a test
// admin token, Debian's Chromium driven by playwright-core, console-error collection,
// screenshots under test-artifacts/demo/, and a small accessibility audit run in the page.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { vendorUplot } from '../../demo_site/tools/vendor.mjs';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifacts = join(repo, 'test-artifacts', 'demo');
export const ADMIN_TOKEN = 'e2e-admin-token-0123456789';

export const UA = {
  desktop: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  android: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  instagram:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 330.0.0.18.85 (iPhone15,2; iOS 17_4; en_US; en; scale=3.00; 1179x2556; 590185431)',
};

function need(path, hint) {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${hint}`);
  return path;
}

export function trackerBinary() {
  const candidates = [process.env.ITHACA_TRACKER, join(repo, 'build', 'native', 'bin', 'ithaca-tracker')].filter(Boolean);
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(`no ithaca-tracker binary (looked at ${candidates.join(', ')}): run \`make native\` or set ITHACA_TRACKER`);
}

/** Starts a tracker on a free port (`config`: a sites file); resolves to {url, dataDir, stop(), logs()}. */
export async function startTracker({ timeoutMs = 20000, config } = {}) {
  need(join(repo, 'wasm_sdk', 'dist', 'browser', 'ithaca.mjs'), 'run `make wasm` to build the SDK');
  vendorUplot();
  const dataDir = mkdtempSync(join(tmpdir(), 'ithaca-demo-e2e-'));
  const args = [
    '--host', '127.0.0.1', '--port', '0', '--data', dataDir, '--admin-token', ADMIN_TOKEN,
    '--static', join(repo, 'demo_site'), '--sdk', join(repo, 'wasm_sdk', 'dist', 'browser'),
    '--rate-limit', '0', '--rules-max-age', '0', '--trust-proxy', // generated traffic names its visitors' addresses
    ...(config ? ['--config', config] : []), // a sites file instead of the demo site
  ];
  const child = spawn(trackerBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ITHACA_ADMIN_TOKEN: '' } });
  let output = '';
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`the tracker did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const m = /msg=listening .*port=(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the tracker exited (${code}) before listening:\n${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url + '/healthz', { signal: AbortSignal.timeout(2000) });
      if (r.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error('the tracker never answered /healthz:\n' + output);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dataDir,
    logs: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Headless Debian Chromium (Playwright gives each launch a fresh, temporary profile). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30000,
  });
}

/**
 * A fresh browser context (its own storage) with its console errors and page errors recorded
 * in `errors`. Options: timezoneId, locale, userAgent, viewport, isMobile, hasTouch, time
 * (fixed clock: epoch ms or ISO string), clientHints (false: no navigator.userAgentData).
 */
export async function newPage(browser, { time, clientHints = true, ...options } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  // Safari and iOS in-app browsers have no User-Agent Client Hints; Chromium's emulation of a
  // phone UA still reports them (with formFactors ["Desktop"]), so phone tests switch them off.
  if (!clientHints) await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'userAgentData', { get: () => undefined }));
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url || ''})`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  if (time !== undefined) await page.clock.setFixedTime(time);
  return { context, page, errors };
}

/** Waits until the shop made its first decision and settled its country. */
export async function shopReady(page) {
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-shop-country'), null, { timeout: 15000 });
}

/** The slot's shown variant, state and visible text. */
export function slot(page, name, frame = page) {
  return frame.evaluate((n) => {
    const el = document.querySelector(`[data-ithaca-slot="${n}"]`);
    if (!el) return null;
    return { variant: el.getAttribute('data-ithaca-variant'), state: el.getAttribute('data-ithaca-state'), text: el.innerText.trim() };
  }, name);
}

/** Calls a function of the SDK's public module API in the page (the page's own instance). */
export function sdk(page, fn, ...args) {
  return page.evaluate(async ([f, a]) => (await import('/sdk/ithaca.mjs'))[f](...a), [fn, args]);
}

export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, name + '.png'), fullPage: true });
}

/**
 * Accessibility basics, checked in the page: every form control and button has an accessible
 * name, images have alt text, the page has a language and one h1, ids are unique, and visible
 * text meets WCAG AA contrast (4.5:1, 3:1 for large text) against its effective background.
 * Returns a list of problems.
 */
export function auditAccessibility(page) {
  return page.evaluate(() => {
    const problems = [];
    const visible = (el) => {
      const s = getComputedStyle(el);
      if (s.visibility === 'hidden' || s.display === 'none' || Number(s.opacity) === 0) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && !el.closest('[hidden],[aria-hidden="true"],.visually-hidden');
    };
    const name = (el) => {
      if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
      const by = el.getAttribute('aria-labelledby');
      if (by) return by.split(/\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' ');
      if (el.labels && el.labels.length) return Array.from(el.labels).map((l) => l.textContent).join(' ');
      if (el.title) return el.title;
      if (/^(BUTTON|A|SUMMARY)$/.test(el.tagName)) return el.textContent;
      if (el.tagName === 'INPUT' && /^(submit|button)$/.test(el.type)) return el.value;
      return '';
    };
    if (!document.documentElement.lang) problems.push('<html> has no lang');
    const h1 = document.querySelectorAll('h1');
    if (h1.length !== 1) problems.push(`${h1.length} h1 elements`);
    const ids = new Map();
    for (const el of document.querySelectorAll('[id]')) ids.set(el.id, (ids.get(el.id) || 0) + 1);
    for (const [id, n] of ids) if (n > 1) problems.push(`id "${id}" used ${n} times`);
    for (const el of document.querySelectorAll('input, select, textarea, button, a[href], summary')) {
      if (el.type === 'hidden' || !visible(el)) continue;
      if (!name(el).trim()) problems.push(`no accessible name: ${el.outerHTML.slice(0, 120)}`);
    }
    for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) problems.push(`img without alt: ${img.src}`);

    const parse = (c) => {
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(c);
      return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null;
    };
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      // The nearest opaque background (gradients and images: unknown, skipped).
      let layers = [];
      for (let e = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.backgroundImage && s.backgroundImage !== 'none') return null;
        const c = parse(s.backgroundColor);
        if (c && c[3] > 0) {
          layers.push(c);
          if (c[3] >= 1) break;
        }
      }
      let out = [255, 255, 255];
      for (const c of layers.reverse()) out = out.map((v, i) => v * (1 - c[3]) + c[i] * c[3]);
      return out;
    };
    const seen = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || seen.has(el) || !n.textContent.trim() || !visible(el) || el.closest('canvas,svg,template,option,.u-legend')) continue;
      seen.add(el);
      const s = getComputedStyle(el);
      const fg = parse(s.color);
      const bg = background(el);
      if (!fg || !bg) continue;
      const ink = fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
      const [a, b] = [lum(ink), lum(bg)];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const size = parseFloat(s.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) problems.push(`contrast ${ratio.toFixed(2)} for "${n.textContent.trim().slice(0, 40)}" (${s.color} on rgb(${bg.map(Math.round)}))`);
    }
    return problems;
  });
}

/**
 * Presses Tab `count` times and returns what got focus, failing items that are invisible or
 * have no visible focus indicator.
 */
export async function tabThrough(page, count) {
  const stops = [];
  for (let i = 0; i < count; i++) {
    await page.keyboard.press('Tab');
    stops.push(
      await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return { tag: 'BODY' };
        const s = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return {
          tag: el.tagName,
          text: (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().slice(0, 40),
          visible: r.width > 0 && r.height > 0,
          indicator: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none',
        };
      }),
    );
  }
  return stops;
}
