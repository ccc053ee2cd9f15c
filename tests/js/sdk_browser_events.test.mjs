// The browser SDK's events in headless Chromium: page views, exposures only when shown, beacons
// on page hide, batches sent again when the tracker did not take them and kept for the next
// page, a tracker on another origin; consent, Global Privacy Control and the visitor id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { T0, UA, server, browser, startSession, startSiteTracker, stopSession, open, eventsOf, waitFor } from '../browser/support/session.mjs';

before(startSession);
after(stopSession);

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
  assert.equal(await r.page.evaluate(() => localStorage.getItem('ithaca:outbox:test')), null, 'and forgot them');
  // Kept events older than 6 days are let go: the tracker would file them under the wrong day.
  await r.page.evaluate((ts) => {
    const e = (id, at) => ({ type: 'event', name: 'old', id, ts: at, url: location.href.replace('outbox2b', 'outbox-old') });
    localStorage.setItem('ithaca:outbox:test', JSON.stringify([e('old-1', ts - 7 * 864e5), e('recent-1', ts - 5 * 864e5)]));
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
  assert.equal(await n.page.evaluate(() => localStorage.getItem('ithaca:outbox:test')), null);
  await n.page.evaluate(() => window.ithaca.flush());
  await waitFor(() => eventsOf('m=outbox4').length > 0);
  assert.deepEqual(eventsOf('m=outbox3'), []);
  await n.ctx.close();
});

// The usual production set-up: the tracker on its own origin (t.shop.example), the pages on
// another. The real tracker, allowing the test pages' origin; the pages from the test server.
test('a tracker on another origin: rules revalidated with their ETag, the answers to events read, refusals too', async () => {
  const tracker = await startSiteTracker();
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
  // Withdrawing consent removes everything but the record of the refusal.
  await r.page.evaluate(() => window.ithaca.setConsent({ analytics: false, personalization: false }));
  assert.deepEqual(await r.page.evaluate(() => Object.keys(localStorage)), ['ithaca:consent']);
  await r.ctx.close();
});

test('consent: a visitor who opts out stays out on the next pages, also without requireConsent', async () => {
  const r = await open('consent-opt-out', { query: '?m=c2' });
  await r.page.evaluate(() => window.ithaca.setConsent({ analytics: false, personalization: false }));
  assert.deepEqual(await r.page.evaluate(() => Object.keys(localStorage)), ['ithaca:consent']);
  const before = eventsOf('m=c2').length; // the page view may have left before the opt-out
  await r.page.goto(`${server.origin}/slots.html?now=${T0}&m=c2`);
  await r.page.waitForFunction(() => window.ithaca && window.ithaca.status === 'decided');
  await r.page.evaluate(() => window.ithaca.track('clicked'));
  assert.deepEqual(await r.page.evaluate(() => window.ithaca.getContext().consent), { analytics: false, personalization: false, gpc: false, dnt: false });
  await r.page.goto('about:blank');
  await new Promise((res) => setTimeout(res, 300));
  assert.equal(eventsOf('m=c2').length, before, 'nothing sent from the next page');
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
