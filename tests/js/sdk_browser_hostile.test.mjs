// The browser SDK against a site's own mistakes and data it does not control, in headless
// Chromium: events the tracker would refuse are fitted to it (the real tracker, so a refusal
// would show), props taken when tracked, JSON that names __proto__, a visit state another
// release wrote, and props that would run script through data-ithaca-attr.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { T0, UA, server, serverRules, browser, startSession, startSiteTracker, stopSession, eventsOf, waitFor } from '../browser/support/session.mjs';

before(startSession);
after(stopSession);

async function openPage(url, initScript) {
  const ctx = await browser.newContext({ timezoneId: 'UTC', userAgent: UA.desktop });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  if (initScript) await page.addInitScript(initScript);
  await page.goto(url);
  await page.evaluate(() => window.ithaca.ready);
  return { ctx, page, errors };
}

test('events the tracker would refuse are fitted to it: a bad call never loses its batch', async () => {
  const tracker = await startSiteTracker();
  try {
    const r = await openPage(`${server.origin}/slots.html?now=${T0}&tracker=${encodeURIComponent(tracker.url)}&m=fit1`);
    await r.page.waitForFunction(() => window.ithaca.status === 'decided');
    const answers = [];
    const bodies = [];
    r.page.on('request', (q) => q.url().endsWith('/v1/collect') && bodies.push(JSON.parse(q.postData())));
    r.page.on('response', (q) => q.url().endsWith('/v1/collect') && answers.push(q.status()));
    await r.page.evaluate(() => {
      const circular = { a: 1 };
      circular.self = circular;
      let deep = {};
      for (let i = 0; i < 30; i++) deep = { deep };
      window.ithaca.setCustom({ notes: 'x'.repeat(20000) }); // the context over 16 KB
      window.ithaca.setCustom({ count: 10n }); // not JSON: ignored
      window.ithaca.track('Add to cart\n', { sku: 'A1' }); // a button's text
      window.ithaca.track('big', { blob: 'x'.repeat(5000) });
      window.ithaca.track('bigint', { n: 10n });
      window.ithaca.track('circular', circular);
      window.ithaca.track('deep', deep);
      window.ithaca.track('list', ['not', 'an', 'object']);
      window.ithaca.track('n'.repeat(300));
      window.ithaca.track('\n');
      window.ithaca.flush();
    });
    await waitFor(() => answers.length === 1);
    assert.deepEqual(answers, [202], 'the tracker took the batch');
    const events = bodies[0].events;
    const named = Object.fromEntries(events.filter((e) => e.type === 'event').map((e) => [e.name.slice(0, 20), e]));
    assert.deepEqual(Object.keys(named).sort(), ['Add to cart', 'big', 'bigint', 'circular', 'deep', 'list', 'n'.repeat(20)].sort());
    assert.deepEqual(named['Add to cart'].props, { sku: 'A1' });
    for (const name of ['big', 'bigint', 'circular', 'deep', 'list']) assert.equal(named[name].props, undefined, name);
    assert.equal(named['n'.repeat(20)].name, 'n'.repeat(200));
    for (const e of events) {
      assert.ok(e.context, 'each event keeps its context');
      assert.deepEqual(e.context.custom, {}, 'without the custom attributes that made it too large');
    }
    assert.deepEqual(r.errors, []);
    await r.ctx.close();
  } finally {
    await tracker.stop();
  }
});

test('props are the ones given when tracked, not what the object holds later', async () => {
  const r = await openPage(`${server.origin}/slots.html?now=${T0}&m=fit2`);
  await r.page.evaluate(() => {
    const cart = { sku: 'espresso', qty: 1 };
    window.ithaca.track('add', cart);
    cart.sku = 'decaf';
    cart.qty = 3;
    window.ithaca.track('add', cart);
  });
  await r.page.goto('about:blank');
  await waitFor(() => eventsOf('m=fit2').some((e) => e.type === 'event'));
  await new Promise((res) => setTimeout(res, 200));
  const adds = eventsOf('m=fit2').filter((e) => e.name === 'add').map((e) => e.props);
  assert.deepEqual(adds, [{ sku: 'espresso', qty: 1 }, { sku: 'decaf', qty: 3 }]);
  await r.ctx.close();
});

test('JSON that names __proto__ never reaches Object.prototype', async () => {
  const r = await openPage(`${server.origin}/slots.html?now=${T0}&m=fit3`);
  const polluted = await r.page.evaluate(() => {
    window.ithaca.setCustom(JSON.parse('{"__proto__": {"isAdmin": true}, "plan": "vip"}'));
    window.ithaca.updateContext(JSON.parse('{"geo": {"__proto__": {"x": 1}}, "constructor": {"prototype": {"y": 1}}}'));
    return ['isAdmin' in {}, 'x' in {}, 'y' in Object.prototype, window.ithaca.getContext().custom.plan];
  });
  assert.deepEqual(polluted, [false, false, false, 'vip']);
  assert.deepEqual(r.errors, []);
  await r.ctx.close();
});

test('a visit state this release cannot read is started afresh, not kept failing', async () => {
  // Written by another release, or damaged: the SDK must still decide, and replace it.
  const r = await openPage(`${server.origin}/slots.html?now=${T0}&m=fit4`, () => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('ithaca:state', JSON.stringify({ v: 1, id: 'x', visits: 3, first_ts: 1, last_ts: 2 }));
      sessionStorage.setItem('seeded', '1');
    }
  });
  assert.equal(await r.page.evaluate(() => window.ithaca.status), 'decided');
  const state = await r.page.evaluate(() => JSON.parse(localStorage.getItem('ithaca:state')));
  assert.equal(state.visits, 1, 'a new visitor state');
  assert.equal(typeof state.journey, 'object');
  await r.ctx.close();
});

test('props never run script through data-ithaca-attr', async () => {
  serverRules.hostile = {
    schema: 1,
    site: 'hostile',
    version: 'h-1',
    slots: {
      promo: {
        default: 'a',
        variants: { a: { props: { link: ' Java\tScript:window.__ran = 1', label: 'data:text/html,<b>' } } },
        rules: [],
      },
    },
  };
  const r = await openPage(`${server.origin}/redecide.html?site=hostile&m=fit5`);
  const link = await r.page.evaluate(() => {
    const a = document.getElementById('promo-link');
    return [a.getAttribute('href'), a.getAttribute('title')];
  });
  assert.deepEqual(link, ['/default', null], 'the page\'s own href stays; a data: document is no title either');
  await r.ctx.close();
});
