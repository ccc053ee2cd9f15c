// The browser SDK in headless Chromium (Debian's, driven by playwright-core): slots resolve for
// emulated timezones, user agents, referrers and repeat visits; default content never flickers
// when a variant is chosen; the page falls back to its defaults when the wasm or the rules fail;
// rules come from the tracker, its cache or the page; debug mode and a strict CSP. Events and
// consent: sdk_browser_events.test.mjs; single-page apps and previews: sdk_browser_spa.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { dist } from '../browser/support/paths.mjs';
import { rules, shots, T0, DAY, UA, server, serverRules, browser, startSession, stopSession, open, frames, waitFor } from '../browser/support/session.mjs';

before(startSession);
after(stopSession);

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
