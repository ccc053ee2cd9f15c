// The browser SDK in headless Chromium (Debian's, driven by playwright-core): slots resolve for
// emulated timezones, user agents, referrers and repeat visits; default content never flickers
// when a variant is chosen; the page falls back to its defaults when the wasm or the rules fail;
// beacons leave on page hide; nothing is stored or sent before consent. Screenshots go to
// test-artifacts/sdk/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { repo, dist, artifacts, need } from '../browser/support/paths.mjs';
import { startServer } from '../browser/support/server.mjs';
import { startTracker } from '../e2e/support.mjs';

const rules = JSON.parse(readFileSync(join(repo, 'tests', 'browser', 'fixtures', 'rules.json'), 'utf8'));
const shots = join(artifacts, 'sdk');

// 2025-06-02 (a Monday) 06:30 UTC.
const T0 = Date.UTC(2025, 5, 2, 6, 30);
const DAY = 86400000;

const UA = {
  desktop:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
};

let server;
let serverRules; // the mock tracker's rule sets by site (a test swaps one)
let browser;
let userData;

// Records, before every frame, which slots show their default content (rAF runs right before
// the frame is painted), and each slot's state after every DOM mutation.
const recorder = () => {
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

before(async () => {
  need(join(dist, 'browser', 'ithaca.mjs'), 'run `make wasm` to build wasm_sdk/dist');
  mkdirSync(shots, { recursive: true });
  server = await startServer({
    mounts: {
      '/sdk/': join(dist, 'browser'),
      '/ithaca/': join(dist, 'browser'),
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
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

async function open(name, { query = '', referer, context = {}, reuse, safari = false, noTemporal = false } = {}) {
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

const frames = (page) => page.evaluate(() => window.__frames);

test('greeting follows the visitor’s timezone, learned from Temporal or from Intl', async () => {
  const cases = [
    ['Europe/Berlin', 'morning'], // 08:30
    ['America/Los_Angeles', 'night'], // 23:30 the day before
    ['Asia/Tokyo', 'afternoon'], // 15:30
    ['Asia/Kolkata', 'afternoon'], // 12:00
    ['America/Sao_Paulo', 'night'], // 03:30
    ['Asia/Kathmandu', 'afternoon'], // 12:15
  ];
  for (const [[timezoneId, want], noTemporal] of cases.flatMap((c) => [[c, false], [c, true]])) {
    const { ctx, page, slots, errors } = await open('timezone-' + timezoneId.replace('/', '-') + (noTemporal ? '-intl' : ''), {
      query: `?now=${T0}`,
      context: { timezoneId },
      noTemporal,
    });
    // The zone the SDK gave the core is the one Intl names (Chromium says Asia/Calcutta for Kolkata).
    const time = await page.evaluate(() => ({
      temporal: typeof Temporal,
      zone: window.ithaca.getContext().time.timezone,
      intl: Intl.DateTimeFormat().resolvedOptions().timeZone,
    }));
    assert.equal(time.temporal, noTemporal ? 'undefined' : 'object', 'the page has Temporal only when not removed');
    assert.equal(time.zone, time.intl, timezoneId);
    assert.equal(slots.greeting.variant, want, timezoneId);
    assert.equal(slots.greeting.state, 'variant');
    assert.match(slots.greeting.text, new RegExp(want === 'night' ? 'Good night' : 'Good ' + want));
    assert.deepEqual(errors, []);
    await ctx.close();
  }
});

test('explanations: summaries by default, in full in debug mode and when turned on later', async () => {
  const explanation = (page) => page.evaluate(() => window.ithaca.decision('greeting').explanation);
  const plain = await open('explain-default', { query: `?now=${T0}`, context: { timezoneId: 'Europe/Berlin' } });
  const brief = await explanation(plain.page);
  assert.deepEqual(Object.keys(brief), ['summary']);
  assert.match(brief.summary, /matched/);
  // debug(true) decides again, with the details the console shows.
  await plain.page.evaluate(() => window.ithaca.debug(true));
  const full = await explanation(plain.page);
  assert.equal(full.summary, brief.summary);
  assert.ok(full.conditions && full.skipped, JSON.stringify(full));
  await plain.ctx.close();
  const debugged = await open('explain-debug', { query: `?now=${T0}&debug=1`, context: { timezoneId: 'Europe/Berlin' } });
  assert.deepEqual(Object.keys(await explanation(debugged.page)).sort(), ['conditions', 'skipped', 'summary']);
  await debugged.ctx.close();
});

test('device banner follows the user agent', async () => {
  const phone = await open('ua-iphone', { safari: true, context: { userAgent: UA.iphone, isMobile: true, hasTouch: true, viewport: { width: 390, height: 844 } } });
  assert.equal(phone.slots.banner.variant, 'app');
  assert.match(phone.slots.banner.text, /Get the app — for your phone/); // props filled in
  const ctxPhone = await phone.page.evaluate(() => window.ithaca.getContext().device);
  assert.equal(ctxPhone.type, 'mobile');
  assert.equal(ctxPhone.touch, true);
  await phone.ctx.close();

  const desk = await open('ua-desktop');
  assert.equal(desk.slots.banner.variant, 'none');
  assert.equal(desk.slots.banner.state, 'default');
  await desk.ctx.close();

  const bot = await open('ua-googlebot', { context: { userAgent: UA.googlebot } });
  assert.equal(bot.slots.banner.variant, 'bot');
  await bot.ctx.close();
});

test('message follows the referrer and campaign', async () => {
  const search = await open('ref-search', { referer: 'https://www.google.com/' });
  assert.equal(search.slots.source.variant, 'search');
  await search.ctx.close();
  const social = await open('ref-social', { referer: 'https://www.facebook.com/' });
  assert.equal(social.slots.source.variant, 'social');
  await social.ctx.close();
  const mail = await open('ref-newsletter', { query: '?utm_source=newsletter&utm_medium=email&utm_campaign=june' });
  assert.equal(mail.slots.source.variant, 'newsletter');
  const utm = await mail.page.evaluate(() => window.ithaca.getContext().utm);
  assert.equal(utm.campaign, 'june');
  await mail.ctx.close();
  const direct = await open('ref-direct');
  assert.equal(direct.slots.source.variant, 'generic');
  await direct.ctx.close();
});

test('repeat visits: count, days since last, journey, welcome back', async () => {
  const first = await open('visit-1', { query: `?now=${T0}` , referer: 'https://www.google.com/' });
  assert.equal(first.slots.welcome.variant, 'new');
  let visit = await first.page.evaluate(() => window.ithaca.getContext().visit);
  assert.equal(visit.first, true);
  assert.equal(visit.count, 1);
  await first.page.evaluate(() => window.ithaca.interest('shoes'));
  await first.page.close();

  // Same visit, ten minutes later: a second page view, not a second visit.
  const second = await open('visit-1-page-2', { query: `?now=${T0 + 600000}`, reuse: first.ctx });
  visit = await second.page.evaluate(() => window.ithaca.getContext().visit);
  assert.equal(visit.count, 1);
  assert.equal(visit.pageviews, 2);
  await second.page.close();

  // Three days after the last page view.
  const back = await open('visit-2', { query: `?now=${T0 + 600000 + 3 * DAY}`, reuse: first.ctx });
  assert.equal(back.slots.welcome.variant, 'back');
  assert.match(back.slots.welcome.text, /Welcome back/);
  const c = await back.page.evaluate(() => window.ithaca.getContext());
  assert.equal(c.visit.first, false);
  assert.equal(c.visit.count, 2);
  assert.equal(c.visit.days_since_last, 3);
  assert.deepEqual(c.journey.interests, ['shoes']);
  assert.equal(c.journey.first_touch.category, 'search');
  assert.equal(c.journey.touchpoints.length, 2);
  assert.equal(c.journey.stage, 'consideration');
  const stored = await back.page.evaluate(() => Object.keys(localStorage).sort());
  assert.deepEqual(stored, ['ithaca:rules:test', 'ithaca:state']);
  const cookies = await first.ctx.cookies();
  assert.deepEqual(cookies, [], 'never a cookie');
  await first.ctx.close();
});

test('no flicker: default content of a decided slot is never painted (network and cached rules)', async () => {
  const run1 = await open('flicker-network', { query: `?now=${T0}`, context: { timezoneId: 'Europe/Berlin' } });
  const f1 = await frames(run1.page);
  await run1.page.close();
  const run2 = await open('flicker-cached', { query: `?now=${T0}`, reuse: run1.ctx });
  const f2 = await frames(run2.page);
  for (const [f, slots] of [
    [f1, run1.slots],
    [f2, run2.slots],
  ]) {
    assert.ok(f.filter((x) => x.when === 'frame').length > 0, 'frames were recorded');
    for (const [id, s] of Object.entries(slots)) {
      if (s.state !== 'variant') continue;
      const shown = f.filter((x) => x.slot === id && x.defaultVisible);
      assert.deepEqual(shown, [], `default content of ${id} was visible before its variant`);
    }
  }
  assert.equal(run1.slots.greeting.state, 'variant');
  // With cached rules the page does not ask the network first: the request is a revalidation.
  const revalidations = server.requests.filter((r) => r.path === '/v1/rules/test' && r.headers['if-none-match']);
  assert.ok(revalidations.length > 0, 'cached rules are revalidated with If-None-Match');
  await run1.ctx.close();
});

test('falls back to default content when the wasm does not load', async () => {
  const t = Date.now();
  const r = await open('fallback-wasm', { query: '?wasm=/sdk/missing.wasm&timeout=5000' });
  for (const s of Object.values(r.slots)) assert.equal(s.state, 'fallback');
  assert.ok(Date.now() - t < 5000, 'failure is noticed before the timeout');
  assert.match(r.slots.greeting.text, /Hello \(default\)/);
  assert.deepEqual(r.errors, [], 'nothing thrown into the page');
  const status = await r.page.evaluate(() => window.ithaca.status);
  assert.match(status, /^failed/);
  // The API still answers.
  assert.equal(await r.page.evaluate(() => window.ithaca.decision('greeting')), null);
  await r.ctx.close();
});

test('falls back when the rules fail: server error, invalid rules, timeout', async () => {
  for (const [site, name] of [
    ['down', 'fallback-rules-500'],
    ['invalid', 'fallback-rules-invalid'],
    ['nosuchsite', 'fallback-rules-404'],
  ]) {
    const r = await open(name, { query: `?site=${site}` });
    for (const s of Object.values(r.slots)) assert.equal(s.state, 'fallback', site);
    assert.deepEqual(r.errors, []);
    await r.ctx.close();
  }
  const slow = await open('fallback-rules-slow', { query: '?site=slow&timeout=300' });
  for (const s of Object.values(slow.slots)) assert.equal(s.state, 'fallback');
  await slow.ctx.close();
});

// The events of pages whose URL carries `marker` (beacons of earlier tests may still arrive).
const eventsOf = (marker) =>
  server.collected.flatMap((c) => c.body.events.filter((e) => e.url.includes(marker)).map((e) => ({ ...e, contentType: c.type, site: c.body.site })));

test('events: pageview, exposure only when shown, beacon on page hide', async () => {
  const r = await open('events', { query: `?now=${T0}&m=ev1` });
  await r.page.evaluate(() => {
    window.ithaca.track('add_to_cart', { sku: 'A1', interest: 'shoes' });
    window.ithaca.conversion('signup');
  });
  await r.page.waitForTimeout(300);
  assert.deepEqual(eventsOf('m=ev1'), [], 'batched, not sent one by one');
  // Scroll the below-the-fold experiment slot into view, then hide the page.
  await r.page.evaluate(() => document.getElementById('offer').scrollIntoView());
  await r.page.waitForTimeout(300);
  await r.page.goto('about:blank');
  await waitFor(() => eventsOf('m=ev1').length > 0);
  await new Promise((res) => setTimeout(res, 200));
  const events = eventsOf('m=ev1');
  assert.equal(events[0].site, 'test');
  assert.match(events[0].contentType, /^text\/plain/);
  const types = events.map((e) => e.type);
  assert.ok(types.includes('pageview'));
  assert.ok(types.includes('event'));
  assert.ok(types.includes('conversion'));
  const exposures = events.filter((e) => e.type === 'exposure').map((e) => e.props.experiment).sort();
  assert.deepEqual(exposures, ['hero-test', 'offer-test']);
  for (const e of events) {
    // UUIDv7 carrying the event's time (tests/js/sdk_event_ids.test.mjs has the details).
    assert.match(e.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(typeof e.ts, 'number');
    assert.equal(parseInt(e.id.replace(/-/g, '').slice(0, 12), 16), e.ts);
    assert.match(e.url, /slots\.html/);
    assert.equal(typeof e.context, 'object');
  }
  assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'event ids are unique');
  const ev = events.find((e) => e.type === 'event');
  assert.equal(ev.name, 'add_to_cart');
  assert.deepEqual(ev.props, { sku: 'A1', interest: 'shoes' });
  await r.ctx.close();
});

// The collect requests carrying events of pages whose URL has `marker`, with the answers they got.
const attemptsOf = (marker) => server.attempts.filter((a) => a.body.events.some((e) => e.url.includes(marker)));

test('events the tracker did not take are sent again (network, 503, 429 after Retry-After), each id stored once', async () => {
  server.failCollect('m=retry1', 503, 429);
  const r = await open('events-retry', { query: `?now=${T0}&m=retry1` });
  // Offline first: the fetch fails without reaching the tracker.
  await r.ctx.setOffline(true);
  const flushed = Date.now();
  await r.page.evaluate(() => {
    window.ithaca.track('first');
    window.ithaca.conversion('second');
    window.ithaca.flush();
  });
  await r.page.waitForTimeout(300);
  await r.ctx.setOffline(false);
  // Pauses of 1 s and 2 s, then the 429's Retry-After of 2 s.
  await waitFor(() => attemptsOf('m=retry1').some((a) => a.status === 202), 15000);
  const tries = attemptsOf('m=retry1');
  assert.deepEqual(tries.map((t) => t.status), [503, 429, 202]);
  assert.ok(tries[0].at - flushed >= 900, `paused after the network error (${tries[0].at - flushed} ms)`);
  assert.ok(tries[1].at - tries[0].at >= 1900, `paused longer after the second failure (${tries[1].at - tries[0].at} ms)`);
  assert.ok(tries[2].at - tries[1].at >= 1900, `Retry-After honoured (${tries[2].at - tries[1].at} ms)`);
  for (const t of tries) assert.deepEqual(t.body.events.map((e) => e.id), tries[0].body.events.map((e) => e.id), 'the same batch each time');
  const events = eventsOf('m=retry1');
  assert.deepEqual(events.map((e) => e.id), tries[0].body.events.map((e) => e.id), 'stored once, all of them');
  for (const type of ['pageview', 'event', 'conversion']) assert.ok(events.some((e) => e.type === type), type);
  await r.ctx.close();

  // A batch the tracker refused (400) would be refused again: it is not retried.
  server.failCollect('m=retry2', 400);
  const s = await open('events-refused', { query: `?now=${T0}&m=retry2` });
  await s.page.evaluate(() => window.ithaca.flush());
  await s.page.waitForTimeout(2500);
  assert.deepEqual(attemptsOf('m=retry2').map((t) => t.status), [400]);
  await s.ctx.close();

  // A batch waiting for its retry when the page goes away leaves by beacon.
  server.failCollect('m=retry3', 503);
  const h = await open('events-retry-hide', { query: `?now=${T0}&m=retry3` });
  await h.page.evaluate(() => window.ithaca.flush());
  await waitFor(() => attemptsOf('m=retry3').length === 1);
  await h.page.waitForTimeout(100);
  await h.page.goto('about:blank');
  await waitFor(() => eventsOf('m=retry3').length > 0);
  assert.deepEqual(attemptsOf('m=retry3').map((t) => t.status), [503, 202]);
  const delivered = eventsOf('m=retry3').map((e) => e.id);
  for (const e of attemptsOf('m=retry3')[0].body.events) assert.ok(delivered.includes(e.id), `${e.type} delivered`);
  await h.ctx.close();
});

test('events a page could not deliver wait in storage, with consent, and the next page sends them', async () => {
  // The tracker fails this page's flush and the beacon when it is left, and the beacon of the
  // next page, which is left before it sent anything.
  server.failCollect('m=outbox1', 503, 503, 503);
  const r = await open('events-outbox', { query: `?now=${T0}&m=outbox1` });
  await r.page.evaluate(() => window.ithaca.flush());
  await waitFor(() => attemptsOf('m=outbox1').length === 1);
  await r.page.waitForTimeout(100);
  const undelivered = attemptsOf('m=outbox1')[0].body.events.map((e) => e.id);
  for (const m of ['m=outbox2', 'm=outbox2b']) {
    await r.page.goto(`${server.origin}/slots.html?now=${T0}&${m}`);
    await r.page.evaluate(() => window.ithaca.ready);
  }
  await waitFor(() => attemptsOf('m=outbox1').length === 3);
  assert.deepEqual(attemptsOf('m=outbox1').map((t) => t.status), [503, 503, 503], 'the beacons failed too');
  await r.page.evaluate(() => window.ithaca.flush());
  await waitFor(() => eventsOf('m=outbox1').length > 0);
  const delivered = eventsOf('m=outbox1').map((e) => e.id);
  assert.deepEqual(delivered.filter((id) => undelivered.includes(id)), undelivered, 'the next page sent them, ids and all');
  assert.equal(await r.page.evaluate(() => localStorage.getItem('ithaca:outbox')), null, 'and forgot them');
  // Kept events older than 6 days are let go: the tracker would file them under the wrong day.
  await r.page.evaluate((ts) => {
    const e = (id, at) => ({ type: 'event', name: 'old', id, ts: at, url: location.href.replace('outbox2b', 'outbox-old') });
    localStorage.setItem('ithaca:outbox', JSON.stringify([e('old-1', ts - 7 * 864e5), e('recent-1', ts - 5 * 864e5)]));
  }, T0);
  await r.page.goto(`${server.origin}/slots.html?now=${T0}&m=outbox5`);
  await r.page.evaluate(() => window.ithaca.ready.then(() => window.ithaca.flush()));
  await waitFor(() => eventsOf('m=outbox-old').length > 0);
  assert.deepEqual(eventsOf('m=outbox-old').map((e) => e.id), ['recent-1']);
  await r.ctx.close();

  // Without storage consent nothing is kept: the events are lost with the page.
  server.failCollect('m=outbox3', 503, 503);
  const n = await open('events-outbox-no-storage', { query: `?now=${T0}&requireConsent=1&m=outbox3` });
  await n.page.evaluate(() => window.ithaca.setConsent({ analytics: true, personalization: false }));
  await waitFor(() => attemptsOf('m=outbox3').length === 1);
  await n.page.waitForTimeout(100);
  await n.page.goto(`${server.origin}/slots.html?now=${T0}&m=outbox4`);
  await n.page.evaluate(() => window.ithaca.ready);
  assert.equal(await n.page.evaluate(() => localStorage.getItem('ithaca:outbox')), null);
  await n.page.evaluate(() => window.ithaca.flush());
  await waitFor(() => eventsOf('m=outbox4').length > 0);
  assert.deepEqual(eventsOf('m=outbox3'), []);
  await n.ctx.close();
});

// The usual production set-up: the tracker on its own origin (t.shop.example), the pages on
// another. The real tracker, allowing the test pages' origin; the pages from the test server.
test('a tracker on another origin: rules revalidated with their ETag, the answers to events read, refusals too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ithaca-cross-origin-'));
  const config = join(dir, 'sites.json');
  writeFileSync(config, JSON.stringify({ sites: [{ id: 'test', origins: [server.origin], rules: join(repo, 'tests', 'browser', 'fixtures', 'rules.json') }] }));
  const tracker = await startTracker({ config });
  try {
    const ctx = await browser.newContext({ timezoneId: 'UTC', userAgent: UA.desktop });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const at = (m) => `${server.origin}/slots.html?now=${T0}&tracker=${encodeURIComponent(tracker.url)}&m=${m}`;
    // The status of this page's rules request, once it was answered (resource timing).
    const rulesStatus = () =>
      page.waitForFunction(() => {
        const e = performance.getEntriesByType('resource').find((r) => r.name.includes('/v1/rules/'));
        return e && e.responseEnd > 0 && e.responseStatus;
      }).then((h) => h.jsonValue());
    await page.goto(at('xo1'));
    await page.waitForFunction(() => window.ithaca && window.ithaca.status === 'decided');
    assert.equal(await rulesStatus(), 200);
    // The next page decides from its cached copy and revalidates it: a 304, read across origins.
    await page.goto(at('xo2'));
    await page.waitForFunction(() => window.ithaca && window.ithaca.status === 'decided');
    assert.equal(await rulesStatus(), 304, 'revalidated with the ETag the first answer carried');
    // Events: the SDK reads the tracker's answers across origins, refusals included (a 400
    // would otherwise look like a network error, and be sent again).
    const sent = [];
    page.on('response', (r) => r.url().endsWith('/v1/collect') && sent.push(r.status()));
    await page.evaluate(() => window.ithaca.flush());
    await waitFor(() => sent.length === 1);
    assert.deepEqual(sent, [202]);
    const refused = await page.evaluate(async (url) => {
      const r = await fetch(url + '/v1/collect', { method: 'POST', body: '{"site":"test","type":"nonsense"}', headers: { 'content-type': 'text/plain' } });
      return [r.status, r.headers.get('retry-after')];
    }, tracker.url);
    assert.deepEqual(refused, [400, null]);
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    await tracker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exposure is not sent for an experiment slot that was never on screen', async () => {
  const r = await open('events-no-scroll', { query: '?m=ev2' });
  await r.page.goto('about:blank');
  await waitFor(() => eventsOf('m=ev2').length > 0);
  await new Promise((res) => setTimeout(res, 200));
  const events = eventsOf('m=ev2');
  const exposures = events.filter((e) => e.type === 'exposure').map((e) => e.props.experiment);
  assert.deepEqual(exposures, ['hero-test']);
  await r.ctx.close();
});

test('consent: nothing stored or sent before consent, then both', async () => {
  const requestsBefore = server.requests.length;
  const r = await open('consent-before', { query: '?requireConsent=1&m=c1' });
  assert.equal(r.slots.greeting.state, 'variant', 'contextual decisions need no consent');
  await r.page.evaluate(() => window.ithaca.track('clicked'));
  await r.page.evaluate(() => window.ithaca.flush());
  await r.page.waitForTimeout(300);
  assert.deepEqual(await r.page.evaluate(() => Object.keys(localStorage)), []);
  assert.deepEqual(await r.page.evaluate(() => Object.keys(sessionStorage)), []);
  assert.deepEqual(await r.ctx.cookies(), []);
  assert.deepEqual(eventsOf('m=c1'), []);
  assert.ok(!server.requests.slice(requestsBefore).some((q) => q.path === '/v1/collect'));
  const consent = await r.page.evaluate(() => window.ithaca.getContext().consent);
  assert.deepEqual(consent, { analytics: false, personalization: false, gpc: false, dnt: false });

  await r.page.evaluate(() => window.ithaca.setConsent({ analytics: true, personalization: true }));
  await waitFor(() => eventsOf('m=c1').length >= 3);
  const events = eventsOf('m=c1');
  assert.deepEqual(events.map((e) => e.type).sort(), ['event', 'exposure', 'pageview']);
  const keys = await r.page.evaluate(() => Object.keys(localStorage).sort());
  assert.deepEqual(keys, ['ithaca:consent', 'ithaca:state']);
  // Withdrawing consent removes everything.
  await r.page.evaluate(() => window.ithaca.setConsent({ analytics: false, personalization: false }));
  assert.deepEqual(await r.page.evaluate(() => Object.keys(localStorage)), []);
  await r.ctx.close();
});

test('Global Privacy Control: no storage, no events', async () => {
  const ctx = await browser.newContext({ timezoneId: 'UTC', userAgent: UA.desktop });
  await ctx.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  const r = await open('gpc', { reuse: ctx, query: '?m=gpc' });
  await r.page.evaluate(() => window.ithaca.track('clicked'));
  await r.page.goto('about:blank');
  await new Promise((res) => setTimeout(res, 300));
  assert.deepEqual(eventsOf('m=gpc'), []);
  const page = await ctx.newPage();
  await page.goto(`${server.origin}/slots.html`);
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), []);
  await ctx.close();
});

// The batches (request bodies) that carry events of pages whose URL has `marker`.
const batchesOf = (marker) => server.collected.map((c) => c.body).filter((b) => b.events.some((e) => e.url.includes(marker)));

test('visitor id: sent with consent, never without it or under GPC', async () => {
  // Consent by default (no requireConsent): the batch carries the stored first-party id.
  const r = await open('visitor-consented', { query: '?m=vid1' });
  const id = await r.page.evaluate(() => JSON.parse(localStorage.getItem('ithaca:state')).id);
  await r.page.goto('about:blank');
  await waitFor(() => batchesOf('m=vid1').length > 0);
  for (const b of batchesOf('m=vid1')) {
    assert.equal(b.visitor_id, id);
    for (const e of b.events) if (e.context) assert.equal(e.context.visitor.id, id);
  }
  await r.ctx.close();

  // Analytics granted, storage refused: events go out without any id.
  const a = await open('visitor-analytics-only', { query: '?requireConsent=1&m=vid2' });
  await a.page.evaluate(() => window.ithaca.setConsent({ analytics: true, personalization: false }));
  await a.page.goto('about:blank');
  await waitFor(() => batchesOf('m=vid2').length > 0);
  for (const b of batchesOf('m=vid2')) {
    assert.equal(b.visitor_id, undefined);
    for (const e of b.events) assert.equal(e.context && e.context.visitor, undefined);
  }
  await a.ctx.close();

  // GPC on a site that chose not to honour it for events: events, but never the id.
  const ctx = await browser.newContext({ timezoneId: 'UTC', userAgent: UA.desktop });
  await ctx.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  const g = await open('visitor-gpc', { reuse: ctx, query: '?ignoreGpc=1&m=vid3' });
  await g.page.goto('about:blank');
  await waitFor(() => batchesOf('m=vid3').length > 0);
  for (const b of batchesOf('m=vid3')) {
    assert.equal(b.visitor_id, undefined);
    for (const e of b.events) assert.equal(e.context && e.context.visitor, undefined);
  }
  await ctx.close();
});

test('interest() and conversion() decide again and notify subscribers', async () => {
  const r = await open('interest-redecides', { query: `?now=${T0}` });
  const stages = await r.page.evaluate(() => {
    const seen = [];
    window.ithaca.onChange((_d, all) => seen.push(all.journey.stage));
    window.ithaca.interest('shoes');
    window.ithaca.conversion('signup');
    return seen;
  });
  // Subscribing reports the current decision; each update decides again with the new journey.
  assert.deepEqual(stages, ['awareness', 'consideration', 'consideration']);
  const ctx = await r.page.evaluate(() => window.ithaca.getContext().journey);
  assert.deepEqual(ctx.interests, ['shoes']);
  assert.deepEqual(ctx.goals, ['signup']);
  await r.ctx.close();
});

test('server context: GET /v1/context once per visit, under what the page knows', async () => {
  const asked = () => server.requests.filter((q) => q.path === '/v1/context').length;
  const before = asked();
  // A generous budget: this test is about what is asked and kept, not about the race (below).
  const wait = '&timeout=6000&contextTimeout=3000';
  const r = await open('server-context-1', { query: `?now=${T0}${wait}`, context: { timezoneId: 'Asia/Tokyo' } });
  const geo = await r.page.evaluate(() => window.ithaca.getContext().geo);
  assert.equal(geo.country, 'DE', 'country from the tracker');
  assert.equal(geo.city, 'Berlin');
  assert.equal(geo.timezone_country, 'JP', 'the page’s own attributes stay');
  assert.equal(asked(), before + 1);
  await r.page.close();
  // The next page of the visit uses the copy kept with the visit state.
  const second = await open('server-context-2', { query: `?now=${T0 + 60000}${wait}`, reuse: r.ctx });
  assert.equal(await second.page.evaluate(() => window.ithaca.getContext().geo.country), 'DE');
  assert.equal(asked(), before + 1, 'asked once per visit');
  await second.page.close();
  // A new visit asks again.
  const later = await open('server-context-3', { query: `?now=${T0 + 2 * DAY}${wait}`, reuse: r.ctx });
  assert.equal(asked(), before + 2);
  await r.ctx.close();
  void later;
});

test('server context: a slow tracker never holds the first decision', async () => {
  const r = await open('server-context-slow', { query: '?site=slowctx&timeout=1500' });
  for (const s of Object.values(r.slots)) assert.notEqual(s.state, 'fallback');
  const timing = await r.page.evaluate(() => window.ithaca.timing);
  assert.ok(timing.decided < 1000, `decided after ${timing.decided} ms`);
  assert.equal(await r.page.evaluate(() => window.ithaca.getContext().geo.country), '', 'not known yet');
  await r.ctx.close();
});

test('rules refreshed in the background apply at once and notify subscribers', async () => {
  const rulesAsked = server.requests.filter((q) => q.path === '/v1/rules/test').length;
  const first = await open('rules-refresh-1', { query: `?now=${T0}` });
  await first.page.close();
  const original = serverRules.test;
  serverRules.test = { ...original, version: 'browser-test-2' };
  try {
    const page = await first.ctx.newPage();
    await page.goto(`${server.origin}/slots.html?now=${T0 + 60000}`);
    await page.waitForFunction(() => window.ithaca && window.ithaca.decisions() && window.ithaca.decisions().version === 'browser-test-2', null, { timeout: 10000 });
    await page.close();
    // A broken publish arrives in the background: the page keeps deciding with what it has.
    serverRules.test = '{"schema": 1, "site": "test", "slots": {"x": {"default": 7}}}';
    const next = await first.ctx.newPage();
    await next.goto(`${server.origin}/slots.html?now=${T0 + 120000}`);
    await next.waitForFunction(() => window.ithaca && window.ithaca.status === 'decided');
    await waitFor(() => server.requests.filter((q) => q.path === '/v1/rules/test').length >= rulesAsked + 3);
    await next.waitForTimeout(300);
    assert.equal(await next.evaluate(() => window.ithaca.decisions().version), 'browser-test-2');
    // Still deciding with the loaded rules: a new interest moves the journey on.
    assert.equal(await next.evaluate(() => window.ithaca.decisions().journey.stage), 'awareness');
    assert.equal(await next.evaluate(() => (window.ithaca.interest('x'), window.ithaca.decisions().journey.stage)), 'consideration');
  } finally {
    serverRules.test = original;
  }
  await first.ctx.close();
});

test('after the first decision the engine makes decideBrief’s catalog in idle time', async () => {
  const r = await open('prepare-idle', { query: `?now=${T0}` });
  await r.page.waitForFunction(() => window.ithaca.timing.prepared !== undefined, null, { timeout: 5000 });
  const t = await r.page.evaluate(() => window.ithaca.timing);
  assert.ok(t.prepared >= t.decided, JSON.stringify(t));
  assert.equal(await r.page.evaluate(() => window.ithaca.engine.failure), null);
  await r.ctx.close();
});

test('while a first visit’s rules download, the engine warms up its loader and decide; cached rules skip it', async () => {
  // Site 'slow' serves the 'test' rules after 3 s: the warm-up runs while they are on the way.
  const slow = await open('warm-up-slow', { query: `?site=slow&timeout=6000&now=${T0}` });
  const t = await slow.page.evaluate(() => window.ithaca.timing);
  assert.ok(t.warmed >= t.context && t.warmed < t.rules, JSON.stringify(t));
  assert.equal(await slow.page.evaluate(() => window.ithaca.engine.failure), null);
  // It changes nothing the page decides: the same decisions as with the rules at once (but for
  // experiments, which bucket each browser's own random visitor id).
  const fast = await open('warm-up-fast', { query: `?now=${T0}` });
  const brief = (r) =>
    r.page.evaluate(() => {
      const all = window.ithaca.decisions().decisions;
      return Object.fromEntries(Object.entries(all).filter(([, d]) => !d.experiment));
    });
  const expected = await brief(fast);
  assert.ok(Object.keys(expected).length >= 4, JSON.stringify(expected));
  assert.deepEqual(await brief(slow), expected);
  // The next page has the rules from its first-party cache at once: nothing to wait for.
  const next = await open('warm-up-cached', { query: `?now=${T0 + 60000}`, reuse: fast.ctx });
  assert.equal(await next.page.evaluate(() => window.ithaca.timing.warmed), undefined);
  await slow.ctx.close();
  await fast.ctx.close();
});

// A returning visitor's first-party copy that no longer loads — kept by a release that wrote
// another compiled format — is replaced by the tracker's: the page decides from the fresh rules
// (an ETag of the old format never revalidates the new one) and keeps those for the next page.
test('a cached rule set in an older compiled format is fetched again, once', async () => {
  const { loadEngine } = await import(join(dist, 'index.mjs'));
  const fresh = Buffer.from((await loadEngine()).compile(rules).bytes);
  const old = Buffer.from(fresh);
  old[4] = 1; // format 1, before patterns were carried compiled
  const ctx = await browser.newContext({ timezoneId: 'UTC', userAgent: UA.desktop });
  await ctx.addInitScript((cached) => {
    if (!localStorage.getItem('ithaca:rules:test')) localStorage.setItem('ithaca:rules:test', cached);
  }, JSON.stringify({ etag: '"v1-old-c1"', rules: old.toString('base64'), ts: T0 }));
  const before = server.requests.length;
  const r = await open('cache-old-format', { query: `?now=${T0}`, reuse: ctx });
  assert.equal(await r.page.evaluate(() => window.ithaca.status), 'decided');
  assert.equal(r.slots.greeting.state, 'variant');
  const asked = server.requests.slice(before).filter((q) => q.path === '/v1/rules/test');
  assert.deepEqual(asked.map((q) => q.headers['if-none-match']), ['"v1-old-c1"'], 'one request, revalidating the old copy');
  const kept = await r.page.evaluate(() => JSON.parse(localStorage.getItem('ithaca:rules:test')));
  assert.equal(kept.rules, fresh.toString('base64'), 'the fresh copy replaced the old one');
  assert.notEqual(kept.etag, '"v1-old-c1"');
  assert.deepEqual(r.errors, []);
  await ctx.close();
});

// The page's engine loads compiled rule sets only (docs/compiled-rules.md): from the tracker
// (?compiled=2), or inline as base64 text or bytes; a JSON rule set inline needs the tools engine
// and falls back to default content with a warning that says so.
test('rules: compiled from the tracker or inline; inline JSON falls back and says why', async () => {
  const { loadEngine } = await import(join(dist, 'index.mjs'));
  const { bytes } = (await loadEngine()).compile(rules);
  const base64 = Buffer.from(bytes).toString('base64');
  const fromTracker = await open('rules-tracker', { query: `?now=${T0}` });
  const expected = await fromTracker.page.evaluate(() => window.ithaca.decisions().decisions.greeting.variant);
  await fromTracker.ctx.close();
  const asked = server.requests.filter((q) => q.path === '/v1/rules/test');
  assert.ok(asked.length > 0 && asked.every((q) => q.query === '?compiled=2'), JSON.stringify(asked.map((q) => q.query)));

  for (const [name, script] of [
    ['rules-inline-base64', `window.__inlineRules = ${JSON.stringify(base64)};`],
    ['rules-inline-bytes', `window.__inlineRules = Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));`],
  ]) {
    const ctx = await browser.newContext({ timezoneId: 'UTC', userAgent: UA.desktop });
    await ctx.addInitScript(script);
    const before = server.requests.filter((q) => q.path === '/v1/rules/inline').length;
    const r = await open(name, { query: `?site=inline&now=${T0}`, reuse: ctx });
    assert.notEqual(r.slots.greeting.state, 'fallback', name);
    assert.equal(await r.page.evaluate(() => window.ithaca.decisions().decisions.greeting.variant), expected, name);
    assert.equal(server.requests.filter((q) => q.path === '/v1/rules/inline').length, before, 'no rules request');
    assert.deepEqual(r.errors, []);
    await ctx.close();
  }

  const ctx = await browser.newContext({ timezoneId: 'UTC', userAgent: UA.desktop });
  await ctx.addInitScript(`window.__inlineRules = ${JSON.stringify(rules)};`);
  const page = await ctx.newPage();
  const warnings = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await page.goto(`${server.origin}/slots.html?site=inline&now=${T0}`);
  await page.waitForFunction(() => document.querySelectorAll('[data-ithaca-slot]:not([data-ithaca-state])').length === 0);
  const states = await page.evaluate(() => Array.from(document.querySelectorAll('[data-ithaca-slot]'), (el) => el.getAttribute('data-ithaca-state')));
  assert.ok(states.every((s) => s === 'fallback'), states.join());
  assert.ok(warnings.some((w) => /tools engine/.test(w)), warnings.join('\n'));
  await ctx.close();
});

// A single-page app (pages/spa.html): its router replaces #view on every route; the hero slot
// stays in the layout. The rule set reads the path and the visit's page views.
const spaRules = {
  schema: 1,
  site: 'spa',
  version: 'spa-1',
  slots: {
    route: { default: 'plain', variants: { plain: {}, sale: { props: { banner: 'Sale' } } }, rules: [{ id: 'on-sale', when: "visit.path.startsWith('/sale')", variant: 'sale' }] },
    promo: { default: 'off', variants: { off: {}, on: {} }, rules: [{ id: 'always', when: 'true', variant: 'on' }] },
    views: { default: 'first', variants: { first: {}, many: {} }, rules: [{ id: 'many', when: 'visit.pageviews >= 2', variant: 'many' }] },
    hero: { default: 'a', variants: { a: {}, b: {} }, rules: [{ id: 'hero-test', experiment: 'hero-test' }] },
  },
  experiments: { 'hero-test': { traffic: 100, variants: [{ id: 'a', weight: 50 }, { id: 'b', weight: 50 }] } },
};

async function openSpa(name, query, initScript, referer) {
  serverRules.spa = spaRules;
  const ctx = await browser.newContext({ timezoneId: 'UTC', userAgent: UA.desktop });
  const page = await ctx.newPage();
  const errors = [];
  const warnings = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await page.addInitScript(recorder);
  if (initScript) await page.addInitScript(initScript);
  await page.goto(`${server.origin}/spa.html${query}`, referer ? { referer } : {});
  await page.evaluate(() => window.ithaca.ready);
  await page.screenshot({ path: join(shots, name + '.png') });
  return { ctx, page, errors, warnings };
}

// Each slot's state and variant, and what the visit says, after the next frame.
const spaState = (page) =>
  page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(r));
    const slots = Object.fromEntries(
      Array.from(document.querySelectorAll('[data-ithaca-slot]'), (el) => [el.id, { state: el.getAttribute('data-ithaca-state'), variant: el.getAttribute('data-ithaca-variant'), text: el.textContent.trim() }]),
    );
    const c = window.ithaca.getContext();
    return { slots, path: c && c.visit.path, pageviews: c && c.visit.pageviews };
  });

// The SPA's pages whose event URL carries `marker`, after the page is left (the beacon).
async function spaEvents(page, marker) {
  await page.goto('about:blank');
  await waitFor(() => eventsOf(marker).some((e) => e.type === 'pageview'));
  await new Promise((res) => setTimeout(res, 200));
  return eventsOf(marker);
}

test('single-page app: slots a route renders later are shown at once, and never flicker', async () => {
  const r = await openSpa('spa-inserted', '?m=spa0');
  // Without page() the route changes but the page view does not: the slots the router inserts
  // are shown with the page's decision, before their first frame.
  await r.page.evaluate(() => window.go('/sale'));
  const s = await spaState(r.page);
  assert.deepEqual(s.slots.promo, { state: 'variant', variant: 'on', text: 'Promo' });
  assert.equal(s.slots.route.state, 'default', 'still the first page view: /spa.html');
  assert.equal(s.slots.views.variant, 'first');
  assert.equal(s.pageviews, 1);
  const frames = await r.page.evaluate(() => window.__frames);
  assert.ok(frames.some((f) => f.slot === 'promo'), 'the promo slot was recorded');
  assert.deepEqual(frames.filter((f) => f.slot === 'promo' && f.when === 'frame' && f.defaultVisible), [], 'its default content was never painted');
  // Slots that left the document are let go: their old elements are not rendered into again.
  const old = await r.page.evaluate(() => document.getElementById('route'));
  await r.page.evaluate(() => window.go('/spa.html'));
  assert.ok(old, 'the first route rendered a slot');
  assert.equal(await r.page.evaluate(() => document.querySelectorAll('[data-ithaca-slot]:not([data-ithaca-state])').length), 0);
  assert.deepEqual(r.errors, []);
  await r.ctx.close();
});

test('single-page app: page() is a page view: path, visit, referrer, pageview and exposures', async () => {
  const r = await openSpa('spa-page', '?m=spa1');
  const first = await spaState(r.page);
  assert.equal(first.path, '/spa.html');
  assert.equal(first.pageviews, 1);
  assert.equal(first.slots.route.variant, 'plain');
  await r.page.evaluate(() => {
    window.go('/sale');
    window.ithaca.page();
  });
  const next = await spaState(r.page);
  assert.equal(next.path, '/sale');
  assert.equal(next.pageviews, 2);
  assert.deepEqual(next.slots.route, { state: 'variant', variant: 'sale', text: 'On sale' });
  assert.deepEqual(next.slots.views, { state: 'variant', variant: 'many', text: 'Welcome back to the shop' });
  assert.equal(next.slots.hero.variant, first.slots.hero.variant, 'the same visitor keeps the experiment variant');
  await r.page.screenshot({ path: join(shots, 'spa-page-sale.png') });
  const events = await spaEvents(r.page, 'm=spa1');
  const views = events.filter((e) => e.type === 'pageview');
  assert.deepEqual(views.map((e) => new URL(e.url).pathname), ['/spa.html', '/sale']);
  assert.equal(new URL(views[1].referrer).pathname, '/spa.html', 'the previous route is the referrer');
  assert.equal(views[1].context.visit.path, '/sale');
  // As on a site of many documents, later pages of a visit keep the visit's own referrer.
  assert.deepEqual(views[1].context.referrer, views[0].context.referrer);
  // The layout's experiment slot stayed on screen: one exposure per page view.
  assert.equal(events.filter((e) => e.type === 'exposure' && e.props.slot === 'hero').length, 2);
  assert.deepEqual(r.errors, []);
  await r.ctx.close();
});

// spa: true follows the Navigation API where there is one (Chromium), and wraps pushState where
// not (an init script hides the API): both count the same page views.
for (const api of ['navigation', 'pushState']) {
  test(`single-page app: spa: true (${api}) counts pushState and back/forward as page views, not replaceState or hashes`, async () => {
    const hide = api === 'pushState' ? () => Object.defineProperty(window, 'navigation', { value: undefined }) : undefined;
    const r = await openSpa('spa-history-' + api, `?spa=1&m=spa2${api}`, hide);
    assert.equal(await r.page.evaluate(() => typeof window.navigation), api === 'navigation' ? 'object' : 'undefined');
    await r.page.evaluate(() => window.go('/sale'));
    let s = await spaState(r.page);
    assert.equal(s.path, '/sale');
    assert.equal(s.pageviews, 2);
    assert.equal(s.slots.route.variant, 'sale');
    await r.page.evaluate(() => {
      history.replaceState(null, '', location.pathname + location.search + '#top');
      history.pushState(null, '', location.pathname + location.search + '#reviews');
    });
    s = await spaState(r.page);
    assert.equal(s.pageviews, 2, 'replaceState and a hash are not page views');
    await r.page.evaluate(() => new Promise((res) => {
      addEventListener('popstate', () => setTimeout(res, 0), { once: true });
      history.go(-2);
    }));
    s = await spaState(r.page);
    assert.equal(s.path, '/spa.html');
    assert.equal(s.pageviews, 3);
    assert.equal(s.slots.route.variant, 'plain');
    const paths = ['/spa.html', '/sale', '/spa.html'];
    if (api === 'navigation') {
      // A router's pushState saved before start() is seen too (the wrapper cannot see it).
      await r.page.evaluate(() => window.goSaved('/sale'));
      s = await spaState(r.page);
      assert.equal(s.path, '/sale');
      assert.equal(s.pageviews, 4);
      assert.equal(s.slots.route.variant, 'sale');
      paths.push('/sale');
    }
    // A path replaced, then a hash: still the same page view (the replaced URL is its own).
    const before = s.pageviews;
    await r.page.evaluate(() => {
      history.replaceState(null, '', '/replaced' + location.search);
      history.pushState(null, '', '/replaced' + location.search + '#more');
    });
    s = await spaState(r.page);
    assert.equal(s.pageviews, before, 'replaceState to a new path, then a hash');
    const views = (await spaEvents(r.page, `m=spa2${api}`)).filter((e) => e.type === 'pageview');
    assert.deepEqual(views.map((e) => new URL(e.url).pathname), paths);
    assert.deepEqual(r.errors, []);
    await r.ctx.close();
  });
}

test('single-page app: a route change before the first decision is the first page view, from the first referrer', async () => {
  const r = await openSpa('spa-redirect', '?spa=1&redirect=/sale&m=spa5', undefined, 'https://www.google.com/');
  const s = await spaState(r.page);
  assert.equal(s.path, '/sale');
  assert.equal(s.pageviews, 1);
  assert.equal(s.slots.route.variant, 'sale');
  const c = await r.page.evaluate(() => window.ithaca.getContext().referrer);
  assert.equal(c.category, 'search', 'the visit came from the search engine, not from its own landing URL');
  const views = (await spaEvents(r.page, 'm=spa5')).filter((e) => e.type === 'pageview');
  assert.equal(views.length, 1);
  assert.equal(new URL(views[0].url).pathname, '/sale');
  assert.equal(views[0].referrer, 'https://www.google.com/');
  assert.deepEqual(r.errors, []);
  await r.ctx.close();
});

test('single-page app: when the SDK failed, slots inserted later show their default at once', async () => {
  const r = await openSpa('spa-failed', '?site=nosuchsite&spa=1&m=spa3');
  assert.match(await r.page.evaluate(() => window.ithaca.status), /^failed/);
  await r.page.evaluate(() => window.go('/sale'));
  const s = await spaState(r.page);
  for (const id of ['route', 'promo', 'views', 'hero']) assert.equal(s.slots[id].state, 'fallback', id);
  // Page views still count, without a context.
  const views = (await spaEvents(r.page, 'm=spa3')).filter((e) => e.type === 'pageview');
  assert.deepEqual(views.map((e) => [new URL(e.url).pathname, e.context]), [['/spa.html', undefined], ['/sale', undefined]]);
  await r.ctx.close();
});

test('single-page app: observeSlots: false leaves later slots to page()', async () => {
  const r = await openSpa('spa-no-observe', '?noObserve=1&m=spa4');
  await r.page.evaluate(() => window.go('/sale'));
  let states = await r.page.evaluate(() => document.getElementById('promo').getAttribute('data-ithaca-state'));
  assert.equal(states, null, 'not shown by an observer');
  await r.page.evaluate(() => window.ithaca.page());
  states = await r.page.evaluate(() => document.getElementById('promo').getAttribute('data-ithaca-state'));
  assert.equal(states, 'variant', 'page() found it');
  await r.ctx.close();
});

// QA preview: ?ithaca_force=slot:variant shows a variant whatever the rules chose, with the
// variant's props, and sends no exposure; wrong slots and variants are warned about and ignored.
test('ithaca_force previews variants: shown with their props, no exposure, wrong ones ignored', async () => {
  const force = 'hero:b,route:sale,promo:nope,ghost:x,oops';
  const r = await openSpa('force', `?ithaca_force=${encodeURIComponent(force)}&m=force1`);
  const s = await spaState(r.page);
  assert.deepEqual(s.slots.hero, { state: 'variant', variant: 'b', text: 'Bold hero' });
  assert.deepEqual(s.slots.route, { state: 'variant', variant: 'sale', text: 'On sale' }, 'forced although the path is not /sale');
  const d = await r.page.evaluate(() => ({ hero: window.ithaca.decision('hero'), route: window.ithaca.decision('route') }));
  assert.equal(d.hero.reason, 'forced');
  assert.equal(d.hero.experiment, undefined);
  assert.match(d.hero.explanation.summary, /^forced to 'b' \(ithaca_force\); the rules chose '[ab]'$/);
  assert.deepEqual(d.route.props, { banner: 'Sale' });
  const warned = r.warnings.join('\n');
  assert.match(warned, /no slot "promo" with a variant "nope" \(it has: off,on\)/);
  assert.match(warned, /no slot "ghost" with a variant "x" \(it has: \)/);
  assert.match(warned, /no slot "oops" with a variant ""/);
  // A route change keeps the preview; the hero (forced) is never reported as exposed.
  await r.page.evaluate(() => {
    window.go('/sale');
    window.ithaca.page();
  });
  const next = await spaState(r.page);
  assert.equal(next.slots.hero.variant, 'b');
  assert.equal(next.slots.promo.variant, 'on', 'an undeclared variant is not forced');
  const events = await spaEvents(r.page, 'm=force1');
  assert.equal(events.filter((e) => e.type === 'pageview').length, 2);
  assert.deepEqual(events.filter((e) => e.type === 'exposure'), []);
  assert.deepEqual(r.errors, []);
  await r.ctx.close();

  // force: false: the page ignores ithaca_force; the experiment is exposed as usual.
  const off = await openSpa('force-off', `?ithaca_force=hero:b&noForce=1&m=force2`);
  assert.notEqual(await off.page.evaluate(() => window.ithaca.decision('hero').reason), 'forced');
  const offEvents = await spaEvents(off.page, 'm=force2');
  assert.equal(offEvents.filter((e) => e.type === 'exposure' && e.props.slot === 'hero').length, 1);
  await off.ctx.close();
});

test('a strict Content-Security-Policy: the SDK needs only what docs/sdk.md asks for', async () => {
  const ctx = await browser.newContext({ timezoneId: 'UTC', userAgent: UA.desktop });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.origin}/csp.html?m=csp`);
  await page.evaluate(() => window.ithaca.ready);
  assert.equal(await page.evaluate(() => window.ithaca.status), 'decided');
  const states = await page.evaluate(() => Array.from(document.querySelectorAll('[data-ithaca-slot]'), (el) => el.getAttribute('data-ithaca-state')));
  assert.ok(states.every((s) => s === 'variant' || s === 'default'), `decided: ${states}`);
  // A slot inserted later is shown too; the SDK added no style of its own.
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<div data-ithaca-slot="hero" id="hero2"><h2 data-default>x</h2><template data-variant="b"><h2>Bold hero</h2></template></div>'));
  assert.ok(await page.evaluate(() => document.getElementById('hero2').hasAttribute('data-ithaca-state')));
  assert.equal(await page.evaluate(() => document.querySelectorAll('style').length), 1);
  await page.evaluate(() => window.ithaca.flush());
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('debug overlay shows each slot’s decision and explanation', async () => {
  const r = await open('debug-overlay', { query: `?now=${T0}&debug=overlay` });
  const text = await r.page.evaluate(() => document.getElementById('ithaca-debug').shadowRoot.textContent);
  for (const slot of ['greeting', 'banner', 'source', 'welcome', 'hero', 'offer']) assert.match(text, new RegExp(slot));
  assert.match(text, /experiment/);
  await r.ctx.close();
});

test('the example page from docs/sdk.md works against the demo rule set', async () => {
  const ctx = await browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'de-DE', userAgent: UA.desktop });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && errors.push(m.text() + ' ' + m.location().url));
  await page.goto(`${server.origin}/example/index.html`);
  await page.waitForFunction(() => document.querySelectorAll('[data-ithaca-slot]:not([data-ithaca-state])').length === 0);
  const states = await page.evaluate(() => Array.from(document.querySelectorAll('[data-ithaca-slot]'), (el) => el.getAttribute('data-ithaca-state')));
  assert.ok(!states.includes('fallback'), `slots decided: ${states}`);
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('consent')).display), 'block', 'consent banner shown');
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), [], 'nothing stored before consent');
  await page.screenshot({ path: join(shots, 'example-before-consent.png') });
  await page.click('#accept');
  await page.click('[data-product=espresso-1kg]');
  const keys = await page.evaluate(() => Object.keys(localStorage).sort());
  assert.deepEqual(keys, ['ithaca:consent', 'ithaca:state', 'northwind-consent']);
  assert.deepEqual(await page.evaluate(() => JSON.parse(localStorage.getItem('ithaca:state')).journey.interests), ['espresso']);
  await page.screenshot({ path: join(shots, 'example-after-consent.png') });
  assert.deepEqual(errors, []);
  await ctx.close();
});

async function waitFor(cond, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
