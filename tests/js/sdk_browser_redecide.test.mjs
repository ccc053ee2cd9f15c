// The browser SDK in headless Chromium after its first decision: decisions that keep a slot's
// variant leave its elements alone, props written into default content are given back, a slot
// that fell back stays so for its page view, what the page records before the first decision
// counts in it, a router's redirect during start decides the new URL, a wasm download that
// never ends still settles `ready`, and two tabs of a site keep each other's visit state. The
// page: tests/browser/pages/redecide.html.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { UA, server, serverRules, browser, startSession, stopSession, eventsOf, waitFor } from '../browser/support/session.mjs';

const variants = (...names) => Object.fromEntries(names.map((n) => [n, { props: {} }]));
const RULES = {
  schema: 1,
  site: 'redecide',
  version: '1',
  slots: {
    form: { default: 'none', variants: variants('none', 'signup'), rules: [{ id: 'always', when: 'true', variant: 'signup' }] },
    promo: {
      default: 'none',
      variants: { none: { props: {} }, promo: { props: { headline: 'PROMO', link: '/promo', label: 'See the promo' } } },
      rules: [{ id: 'promo', when: 'has(custom.promo) && custom.promo == true', variant: 'promo' }],
    },
    fan: { default: 'plain', variants: variants('plain', 'fan'), rules: [{ id: 'tea', when: "'tea' in journey.interests", variant: 'fan' }] },
    path: { default: 'other', variants: variants('other', 'b'), rules: [{ id: 'b', when: "url.path == '/b'", variant: 'b' }] },
  },
};

before(async () => {
  await startSession();
  serverRules.redecide = RULES;
});
after(stopSession);

// Opens redecide.html; `delay` holds back the rules (ms), `stallWasm` never answers the wasm.
async function openPage(query, { delay = 0, stallWasm = false, reuse } = {}) {
  const ctx = reuse || (await browser.newContext({ timezoneId: 'UTC', userAgent: UA.desktop }));
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  if (delay) {
    await page.route('**/v1/rules/**', async (route) => {
      await new Promise((r) => setTimeout(r, delay));
      await route.continue();
    });
  }
  if (stallWasm) await page.route('**/ithaca.wasm', () => {}); // never answered
  await page.goto(`${server.origin}/redecide.html${query}`);
  await page.waitForFunction(() => window.ithaca && document.querySelectorAll('[data-ithaca-slot]:not([data-ithaca-state])').length === 0, null, { timeout: 10000 });
  const slot = (id) =>
    page.evaluate((id) => {
      const el = document.getElementById(id);
      return { state: el.getAttribute('data-ithaca-state'), variant: el.getAttribute('data-ithaca-variant'), html: el.innerHTML.replace(/\s*<template[\s\S]*?<\/template>/g, '').trim() };
    }, id);
  return { ctx, page, errors, slot };
}

test('a decision that keeps a slot’s variant leaves its elements alone: typed text, focus, listeners', async () => {
  const { ctx, page, errors, slot } = await openPage('?m=keep');
  await page.evaluate(() => window.ithaca.ready);
  assert.equal((await slot('form')).variant, 'signup');
  await page.fill('#email', 'ada@example.com');
  await page.evaluate(() => {
    const input = document.getElementById('email');
    input.focus();
    input.dataset.mark = 'mine';
    document.getElementById('send').addEventListener('click', () => (window.clicked = true));
  });
  // An interest, storage and a custom attribute: each decides again, the form stays the signup form.
  await page.evaluate(() => {
    window.ithaca.interest('coffee');
    window.ithaca.setCustom({ plan: 'basic' });
  });
  const after = await page.evaluate(() => {
    document.getElementById('send').click();
    const input = document.getElementById('email');
    return { value: input.value, mark: input.dataset.mark, focused: document.activeElement === input, clicked: window.clicked === true };
  });
  assert.deepEqual(after, { value: 'ada@example.com', mark: 'mine', focused: true, clicked: true });
  // A changed variant does swap the content.
  await page.evaluate(() => window.ithaca.interest('tea'));
  assert.equal((await slot('fan')).html, '<p>FAN</p>');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('props written into default content are given back when a decision no longer has them', async () => {
  const { ctx, page, errors, slot } = await openPage('?m=props');
  await page.evaluate(() => window.ithaca.ready);
  const before = (await slot('promo')).html;
  assert.match(before, /Default <b>headline<\/b>/);
  await page.evaluate(() => window.ithaca.setCustom({ promo: true }));
  const promo = await slot('promo');
  assert.equal(promo.variant, 'promo');
  assert.match(promo.html, /<h2 data-ithaca-prop="headline">PROMO<\/h2>/);
  assert.match(promo.html, /href="\/promo"/);
  assert.match(promo.html, /title="See the promo"/);
  await page.evaluate(() => window.ithaca.setCustom({ promo: false }));
  const back = await slot('promo');
  assert.equal(back.variant, 'none');
  assert.equal(back.html, before, 'the headline’s own children, the link’s href, and no title');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a slot that fell back keeps its default for the page view; the next page view decides it', async () => {
  const { ctx, page, errors, slot } = await openPage('?m=fallback&timeout=150', { delay: 700 });
  assert.equal((await slot('fan')).state, 'fallback', 'the rules were late');
  await page.evaluate(() => window.ithaca.ready);
  assert.equal(await page.evaluate(() => window.ithaca.status), 'decided');
  await page.evaluate(() => window.ithaca.interest('tea')); // the rules now say "fan"
  assert.deepEqual(await slot('fan'), { state: 'fallback', variant: null, html: '<p data-default="">Plain (default)</p>' });
  await page.evaluate(() => window.ithaca.page()); // a single-page app's next view
  assert.equal((await slot('fan')).state, 'variant');
  assert.equal((await slot('fan')).html, '<p>FAN</p>');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('interests and goals recorded before the first decision count in it', async () => {
  const { ctx, page, errors, slot } = await openPage('?m=early&early=tea', { delay: 300 });
  await page.evaluate(() => window.ithaca.ready);
  assert.equal((await slot('fan')).variant, 'fan');
  const journey = await page.evaluate(() => window.ithaca.getContext().journey);
  assert.ok(journey.interests.includes('tea'), JSON.stringify(journey));
  assert.ok(journey.goals.includes('signup'), JSON.stringify(journey));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a router’s redirect while the SDK starts: the first decision is the new URL’s', async () => {
  const { ctx, page, errors, slot } = await openPage('?m=redirect&spa&redirect=/b', { delay: 400 });
  await page.evaluate(() => window.ithaca.ready);
  const t = await page.evaluate(() => window.ithaca.timing);
  assert.ok(t.context < t.rules, 'the page was classified before the rules arrived (and the redirect)');
  assert.equal(await page.evaluate(() => location.pathname), '/b');
  assert.equal(await page.evaluate(() => window.ithaca.getContext().url.path), '/b');
  assert.equal((await slot('path')).variant, 'b');
  await page.goto('about:blank');
  await waitFor(() => eventsOf('m=redirect').some((e) => e.type === 'pageview'));
  const views = eventsOf('m=redirect').filter((e) => e.type === 'pageview');
  assert.equal(views.length, 1);
  assert.match(views[0].url, /\/b\?/);
  assert.equal(views[0].context.url.path, '/b');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a wasm download that never ends: the start fails in time, `ready` settles, the page view is sent', { timeout: 30000 }, async () => {
  const { ctx, page, slot } = await openPage('?m=stall&timeout=200', { stallWasm: true });
  assert.equal((await slot('form')).state, 'fallback');
  // The wasm gets max(4 × timeout, 5000) ms, as the rules do.
  const status = await page.evaluate(() => window.ithaca.ready.then(() => window.ithaca.status));
  assert.match(status, /^failed: the wasm engine did not load: no answer in 5000 ms/);
  await page.goto('about:blank');
  await waitFor(() => eventsOf('m=stall').length > 0);
  assert.deepEqual(eventsOf('m=stall').map((e) => [e.type, e.site, 'context' in e]), [['pageview', 'redecide', false]]);
  await ctx.close();
});

test('two tabs of a site: neither loses the other’s page views, interests and goals', async () => {
  // A shopper opens two products in tabs: each tab read the visit state when it loaded.
  const a = await openPage('?m=tabs');
  await a.page.evaluate(() => window.ithaca.ready);
  const b = await openPage('?m=tabs', { reuse: a.ctx });
  await b.page.evaluate(() => window.ithaca.ready);
  await a.page.evaluate(() => window.ithaca.interest('tea')); // after B's page view was written
  await b.page.evaluate(() => {
    window.ithaca.interest('coffee');
    window.ithaca.conversion('signup');
  });
  await a.page.evaluate(() => window.ithaca.conversion('newsletter'));
  const stored = await a.page.evaluate(() => JSON.parse(localStorage.getItem('ithaca:state')));
  assert.equal(stored.pageviews, 2, 'both tabs’ page views');
  assert.equal(stored.visits, 1);
  assert.deepEqual([...stored.journey.interests].sort(), ['coffee', 'tea']);
  assert.deepEqual([...stored.journey.goals].sort(), ['newsletter', 'signup']);
  // And tab A's next decision sees what tab B recorded.
  assert.ok((await a.page.evaluate(() => window.ithaca.getContext().journey.interests)).includes('coffee'));
  assert.deepEqual([...a.errors, ...b.errors], []);
  await a.ctx.close();
});

test('the kept rule set is the last one the engine took: a refused publish or a damaged copy never sticks', async () => {
  const good = { ...RULES, site: 'keep' };
  serverRules.keep = good;
  const kept = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('ithaca:rules:keep') || 'null'));
  const rulesRequests = () => server.requests.filter((r) => r.path === '/v1/rules/keep');
  const first = await openPage('?site=keep&m=keep1');
  const ctx = first.ctx;
  await first.page.evaluate(() => window.ithaca.ready);
  const goodCopy = await kept(first.page);
  assert.match(goodCopy.rules, /^SVRIU/);
  // A publish this engine refuses (here: a rule set that is not compiled at all).
  serverRules.keep = '{"schema": 1, "site": "keep", "slots": {"x": {"default": 7}}}';
  const asked = rulesRequests().length;
  const second = await openPage('?site=keep&m=keep2', { reuse: ctx });
  assert.equal(await second.page.evaluate(() => window.ithaca.ready.then(() => window.ithaca.status)), 'decided', 'from the kept copy');
  await waitFor(() => rulesRequests().length > asked); // the background revalidation got the refused copy
  await second.page.waitForTimeout(200);
  assert.deepEqual(await kept(second.page), goodCopy, 'the refused copy did not replace the good one');
  const third = await openPage('?site=keep&m=keep3', { reuse: ctx });
  assert.equal(await third.page.evaluate(() => window.ithaca.ready.then(() => window.ithaca.status)), 'decided');
  // A damaged copy in storage: forgotten, and the rules fetched again.
  serverRules.keep = good;
  await third.page.evaluate((etag) => localStorage.setItem('ithaca:rules:keep', JSON.stringify({ etag, rules: 'SVRIU@@not base64' })), goodCopy.etag);
  const before = rulesRequests().length;
  const fourth = await openPage('?site=keep&m=keep4', { reuse: ctx });
  assert.equal(await fourth.page.evaluate(() => window.ithaca.ready.then(() => window.ithaca.status)), 'decided');
  // The revalidation of the damaged copy (started before it failed to load), then the rules
  // asked for again without the SDK's If-None-Match (the browser's HTTP cache may add its own).
  assert.ok(rulesRequests().length - before >= 2, 'fetched again');
  assert.equal((await kept(fourth.page)).rules, goodCopy.rules, 'the good copy is kept again');
  await ctx.close();
});

test('storage full: the visit state the page could not write is not rolled back by a later write', async () => {
  const first = await openPage('?m=full1');
  await first.page.evaluate(() => window.ithaca.ready);
  // Two days later (the stored visit moved back), with the origin's storage full.
  await first.page.evaluate(() => {
    const s = JSON.parse(localStorage.getItem('ithaca:state'));
    s.last_ts -= 2 * 86400000;
    localStorage.setItem('ithaca:state', JSON.stringify(s));
    let n = 0;
    for (const size of [1 << 20, 1 << 14, 1 << 10, 64, 1]) {
      try {
        for (;;) localStorage.setItem('junk' + n++, 'x'.repeat(size));
      } catch {
        /* full at this size: go on with smaller pieces */
      }
    }
  });
  const second = await openPage('?m=full2', { reuse: first.ctx });
  await second.page.evaluate(() => window.ithaca.ready);
  const count = () => second.page.evaluate(() => window.ithaca.getContext().visit.count);
  assert.equal(await count(), 2, 'a second visit');
  await second.page.evaluate(() => window.ithaca.interest('espresso')); // its write fails too
  assert.equal(await count(), 2, 'still the second visit');
  assert.ok((await second.page.evaluate(() => window.ithaca.getContext().journey.interests)).includes('espresso'));
  assert.deepEqual([...first.errors, ...second.errors], []);
  await first.page.evaluate(() => localStorage.clear());
  await first.ctx.close();
});
