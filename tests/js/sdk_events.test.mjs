// The browser SDK's event queue (wasm_sdk/src/browser/events.js) against a scripted tracker:
// random answers (202, 400, 408, 429, 503, a network error), beacons the browser refuses, the
// browser's 64 KiB quota for beacons and keepalive fetches on their way (events with large props
// fill it), requests without keepalive cancelled when their page is gone, the tab hidden now and
// then, and a next page that takes the outbox. Whatever happens, every event
// reaches the tracker, or its batch was refused, or the browser took it as a beacon when the page
// was left, or it waits in the outbox for the next page; fetch stores an event twice only when it
// was also kept for the next page, and a refused batch is not sent again. Timers are Node's mock timers: the pauses take no real time.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createQueue } from '../../wasm_sdk/src/browser/events.js';

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Lets the fetch promises and their continuations run.
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

// One simulated tracker and browser; `answers` picks each fetch's outcome.
function world(rnd) {
  const log = { stored: [], refused: [], beaconed: [], everKept: new Set(), fetches: 0 };
  const ids = (init) => JSON.parse(init.body).events.map((e) => e.id);
  let quota = 0; // bytes of beacons and keepalive fetches on their way: at most 64 KiB
  const pages = { current: 0, gone: new Set() };
  globalThis.fetch = async (url, init) => {
    log.fetches++;
    const bytes = Buffer.byteLength(init.body);
    const page = pages.current;
    if (init.keepalive) {
      if (quota + bytes > 65536) throw new TypeError('over the keepalive quota');
      quota += bytes;
    }
    try {
      // Answered after a while (mock time): a batch may still be on its way when the page is left.
      await new Promise((res) => setTimeout(res, Math.floor(rnd() * 3000)));
      if (pages.gone.has(page) && !init.keepalive) throw new TypeError('cancelled with its page');
      const r = rnd();
      // 408: the tracker timed a slow request out and stored nothing.
      const status = r < 0.45 ? 202 : r < 0.55 ? 400 : r < 0.65 ? 429 : r < 0.75 ? 408 : r < 0.87 ? 503 : 'network';
      if (status === 'network') throw new TypeError('fetch failed');
      if (status === 202) log.stored.push(...ids(init));
      if (status === 400) log.refused.push(...ids(init));
      return { status, headers: { get: (h) => (h === 'retry-after' && status === 429 ? '3' : null) } };
    } finally {
      if (init.keepalive) quota -= bytes;
    }
  };
  // A beacon the browser accepts is the browser's to deliver; one over the quota is refused, and
  // some are refused anyway (the SDK then tries a keepalive fetch).
  const navigator = {
    leaving: false, // the page's last beacons: what the browser delivers after the page is gone
    sendBeacon: (url, body) => {
      const bytes = Buffer.byteLength(body);
      if (quota + bytes > 65536) return false;
      if (!navigator.leaving && rnd() < 0.2) return false;
      quota += bytes;
      setTimeout(() => (quota -= bytes), 200); // on its way for a while
      log.beaconed.push(...JSON.parse(body).events.map((e) => e.id));
      return true;
    },
  };
  Object.defineProperty(globalThis, 'navigator', { value: navigator, configurable: true, writable: true });
  let kept = [];
  const outbox = {
    take: () => {
      const k = kept;
      kept = [];
      return k.length ? k : null;
    },
    keep: (events) => {
      kept = kept.concat(events);
      for (const e of events) log.everKept.add(e.id);
    },
  };
  return { log, outbox, navigator, pages, kept: () => kept };
}

test('events reach the tracker, are refused, or wait for the next page — whatever the tracker answers', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  const saved = { fetch: globalThis.fetch, navigator: Object.getOwnPropertyDescriptor(globalThis, 'navigator') };
  try {
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = prng(seed);
      const w = world(rnd);
      const pushed = [];
      let n = 0;
      // Two pages of one visit: the second takes what the first left in the outbox.
      for (let page = 0; page < 2; page++) {
        // A page that is gone runs nothing more: its timers are the browser's to drop.
        let alive = true;
        w.navigator.leaving = false;
        w.pages.current = page;
        const q = createQueue({ url: '/v1/collect', site: 's', batchSize: 1 + Math.floor(rnd() * 25), interval: 4000, canSend: () => alive, outbox: w.outbox });
        const steps = 5 + Math.floor(rnd() * 40);
        for (let i = 0; i < steps; i++) {
          const r = rnd();
          if (r < 0.5) {
            const e = { type: 'event', id: `e${n++}`, url: 'https://shop.example/' };
            // Some carry a lot (every event carries its context, about 2.5 KB): batches of them
            // fill the keepalive quota.
            if (rnd() < 0.4) e.props = { context: 'x'.repeat(Math.floor(rnd() * 8000)) };
            pushed.push(e.id);
            q.push(e);
          } else if (r < 0.85) {
            mock.timers.tick(Math.floor(rnd() * 20000));
          } else if (r < 0.95) {
            q.flush();
          } else {
            q.flush(true); // the tab hidden for a while
          }
          await settle();
        }
        w.navigator.leaving = true;
        q.flush(true); // the page is left
        alive = false;
        w.pages.gone.add(page);
        await settle();
        mock.timers.tick(60000);
        await settle();
      }
      const left = w.kept().map((e) => e.id);
      const accounted = new Set([...w.log.stored, ...w.log.refused, ...w.log.beaconed, ...left]);
      for (const id of pushed) assert.ok(accounted.has(id), `seed ${seed}: event ${id} was lost`);
      // A batch goes back to the queue only when it was not taken, so fetch stores an event twice
      // only when it was also kept for the next page (the tracker then stores its id once).
      const stored = new Set();
      for (const id of w.log.stored) {
        assert.ok(!stored.has(id) || w.log.everKept.has(id), `seed ${seed}: ${id} stored twice`);
        stored.add(id);
      }
      // A refused batch is not sent again (only a copy kept for the next page may be).
      const refused = new Set();
      for (const id of w.log.refused) {
        const again = refused.has(id) || stored.has(id);
        assert.ok(!again || w.log.everKept.has(id), `seed ${seed}: refused ${id} was sent again`);
        refused.add(id);
      }
    }
  } finally {
    mock.timers.reset();
    globalThis.fetch = saved.fetch;
    if (saved.navigator) Object.defineProperty(globalThis, 'navigator', saved.navigator);
    else delete globalThis.navigator;
  }
});

test('a page left with more than the browser takes by beacon keeps the rest for the next page', async () => {
  // A returning visitor's busy page: 19 events of about 3.6 KB each (their contexts) still queued
  // when the page is left — 69 KB, over the 64 KiB the browser lets a leaving page send.
  mock.timers.enable({ apis: ['setTimeout'] });
  const saved = { fetch: globalThis.fetch, navigator: Object.getOwnPropertyDescriptor(globalThis, 'navigator') };
  try {
    const w = world(() => 0); // every answer 202, no beacon refused but over the quota
    w.navigator.leaving = true;
    const q = createQueue({ url: '/v1/collect', site: 's', batchSize: 20, interval: 4000, canSend: () => true, outbox: w.outbox });
    const ids = [];
    for (let i = 0; i < 19; i++) {
      ids.push(`e${i}`);
      q.push({ type: 'event', id: `e${i}`, props: { context: 'x'.repeat(3600) } });
    }
    q.flush(true);
    w.pages.gone.add(0);
    await settle();
    mock.timers.tick(60000);
    await settle();
    const left = w.kept().map((e) => e.id);
    assert.ok(w.log.beaconed.length > 0, 'what fits goes by beacon');
    assert.ok(left.length > 0, 'the rest waits in the outbox');
    assert.deepEqual([...w.log.beaconed, ...left].sort(), [...ids].sort(), 'each event beaconed or kept, once');
  } finally {
    mock.timers.reset();
    globalThis.fetch = saved.fetch;
    if (saved.navigator) Object.defineProperty(globalThis, 'navigator', saved.navigator);
    else delete globalThis.navigator;
  }
});
