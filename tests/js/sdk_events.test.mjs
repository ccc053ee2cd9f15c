// The browser SDK's event queue (wasm_sdk/src/browser/events.js) against a scripted tracker:
// random answers (202, 400, 429, 503, a network error), beacons the browser refuses, the tab
// hidden now and then, and a next page that takes the outbox. Whatever happens, every event
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
  globalThis.fetch = async (url, init) => {
    log.fetches++;
    // Answered after a while (mock time): a batch may still be on its way when the page is left.
    await new Promise((res) => setTimeout(res, Math.floor(rnd() * 3000)));
    const r = rnd();
    const status = r < 0.45 ? 202 : r < 0.55 ? 400 : r < 0.7 ? 429 : r < 0.85 ? 503 : 'network';
    if (status === 'network') throw new TypeError('fetch failed');
    if (status === 202) log.stored.push(...ids(init));
    if (status === 400) log.refused.push(...ids(init));
    return { status, headers: { get: (h) => (h === 'retry-after' && status === 429 ? '3' : null) } };
  };
  // A beacon the browser accepts is the browser's to deliver; a refused one falls back to fetch.
  const navigator = {
    leaving: false, // the page's last beacons: what the browser delivers after the page is gone
    sendBeacon: (url, body) => {
      if (!navigator.leaving && rnd() < 0.2) return false;
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
  return { log, outbox, navigator, kept: () => kept };
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
        const q = createQueue({ url: '/v1/collect', site: 's', batchSize: 1 + Math.floor(rnd() * 5), interval: 4000, canSend: () => alive, outbox: w.outbox });
        const steps = 5 + Math.floor(rnd() * 40);
        for (let i = 0; i < steps; i++) {
          const r = rnd();
          if (r < 0.5) {
            const e = { type: 'event', id: `e${n++}`, url: 'https://shop.example/' };
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
