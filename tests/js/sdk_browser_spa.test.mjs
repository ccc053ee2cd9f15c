// The browser SDK in single-page apps (pages/spa.html), in headless Chromium: slots a route
// inserts, page(), spa: true with and without the Navigation API, redirects while starting; and
// previews of variants (?ithaca_force).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { shots, UA, server, serverRules, browser, recorder, startSession, stopSession, eventsOf, waitFor } from '../browser/support/session.mjs';

before(startSession);
after(stopSession);

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
    // The app's router hook calls page() as well: the navigation is still one page view.
    await r.page.evaluate(() => {
      window.go('/sale');
      window.ithaca.page();
    });
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

test('single-page app: with spa: true, only the first page() for a followed navigation is the same view', async () => {
  const r = await openSpa('spa-flow', '?spa=1&m=spa6');
  await r.page.evaluate(() => {
    window.go('/sale');
    window.ithaca.page(); // the router's hook: the navigation just counted
    window.ithaca.page(); // a step of a flow at the same address: a page view of its own
  });
  const s = await spaState(r.page);
  assert.equal(s.pageviews, 3);
  const views = (await spaEvents(r.page, 'm=spa6')).filter((e) => e.type === 'pageview');
  assert.deepEqual(views.map((e) => new URL(e.url).pathname), ['/spa.html', '/sale', '/sale']);
  assert.deepEqual(r.errors, []);
  await r.ctx.close();
});

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
