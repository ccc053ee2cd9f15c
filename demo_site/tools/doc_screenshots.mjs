#!/usr/bin/env node
// Renders the screenshots of docs/demo.md into docs/images/: a tracker on a free port with a
// temporary data folder, the seed command, and Chromium at fixed clocks so the pictures show
// the same scenarios every time. `node demo_site/tools/doc_screenshots.mjs`
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTracker, launchBrowser, newPage, shopReady, repo, UA, ADMIN_TOKEN } from '../../tests/e2e/support.mjs';
import { seed } from './seed.mjs';
import { fixtures, routeFixtures } from '../../tests/e2e/report_fixtures.mjs';

const out = join(repo, 'docs', 'images');
mkdirSync(out, { recursive: true });
const tracker = await startTracker();
const browser = await launchBrowser();
const shot = (page, name, clip) => page.screenshot({ path: join(out, name), clip, scale: 'css' });
try {
  await seed({ url: tracker.url, visitors: 400, days: 6, seed: 3, quiet: true });

  // Shop: a Berlin morning from a Google search; the "why" panel of the greeting.
  let p = await newPage(browser, { viewport: { width: 1100, height: 760 }, userAgent: UA.desktop, timezoneId: 'Europe/Berlin', locale: 'de-DE', time: '2026-11-28T07:40:00Z' });
  await p.page.goto(tracker.url + '/', { referer: 'https://www.google.com/' });
  await shopReady(p.page);
  await shot(p.page, 'demo-shop.png', { x: 0, y: 0, width: 1100, height: 620 });
  await p.page.click('[aria-controls="why-greeting"]');
  await shot(p.page, 'demo-why.png', { x: 0, y: 60, width: 1100, height: 560 });
  await p.context.close();

  // Shop on an iPhone in the morning: app banner, breakfast hero.
  p = await newPage(browser, { viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true, clientHints: false, userAgent: UA.iphone, timezoneId: 'Europe/London', locale: 'en-GB', time: '2026-11-18T07:30:00Z' });
  await p.page.goto(tracker.url + '/');
  await shopReady(p.page);
  await shot(p.page, 'demo-shop-iphone.png', { x: 0, y: 0, width: 390, height: 760 });
  await p.context.close();

  // Playground: an error marked while typing, and the decisions.
  p = await newPage(browser, { viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Berlin', time: '2026-11-18T07:30:00Z' });
  await p.page.goto(tracker.url + '/playground.html');
  await p.page.waitForFunction(() => document.documentElement.getAttribute('data-playground') === 'ready');
  await p.page.getByRole('button', { name: 'Berlin, 7:30, iPhone' }).click();
  await p.page.waitForFunction(() => document.querySelector('.decision[data-slot="app_banner"]')?.dataset.variant === 'ios');
  await p.page.waitForTimeout(1300); // let the change highlight fade
  await p.page.locator('#decisions-title').scrollIntoViewIfNeeded();
  const box = await p.page.locator('.pg-decisions').boundingBox();
  await p.page.screenshot({ path: join(out, 'demo-decisions.png'), clip: { x: 0, y: box.y - 10, width: 1280, height: Math.min(420, box.height + 20) }, scale: 'css' });
  await p.page.evaluate(() => window.scrollTo(0, 0));
  const editor = p.page.locator('#rules-text');
  const text = await editor.inputValue();
  const at = text.indexOf('time.hour < 11');
  await editor.focus();
  await editor.evaluate((el, i) => el.setSelectionRange(i, i), at);
  await p.page.keyboard.type('&& ');
  await p.page.waitForSelector('.error-item');
  await p.page.locator('.error-jump').first().click();
  await editor.evaluate((el) => el.setSelectionRange(el.selectionEnd + 1, el.selectionEnd + 1)); // keep the mark visible
  await shot(p.page, 'demo-playground.png', { x: 0, y: 60, width: 1280, height: 840 });
  await p.context.close();

  // Dashboard: whatever the tracker's reports give for the seeded traffic.
  p = await newPage(browser, { viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Berlin' });
  await p.page.goto(`${tracker.url}/dashboard.html#token=${ADMIN_TOKEN}`);
  await p.page.waitForFunction(() => ['ready', 'partial', 'empty'].includes(document.documentElement.getAttribute('data-dashboard')));
  const state = await p.page.evaluate(() => document.documentElement.getAttribute('data-dashboard'));
  if (state !== 'ready') {
    // The tracker lacks some reports: picture the charts with the tests' fixed responses.
    console.log(`doc_screenshots: the dashboard is "${state}" on this tracker; using the fixed report responses of tests/e2e/report_fixtures.mjs`);
    await routeFixtures(p.page, fixtures(Date.now()), ADMIN_TOKEN);
    await p.page.reload();
    await p.page.waitForFunction(() => document.documentElement.getAttribute('data-dashboard') === 'ready');
  }
  await shot(p.page, 'demo-dashboard.png', { x: 0, y: 0, width: 1280, height: 900 });
  await p.context.close();
  console.log('doc_screenshots: wrote', out);
} finally {
  await browser.close();
  await tracker.stop();
}
