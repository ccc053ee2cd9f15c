// Events to the tracker in batches: POST /v1/collect with a text/plain body (no CORS preflight),
// flushed on a timer, when a batch is full, and when the page is hidden or unloaded.
// While the page is shown a batch goes by fetch, so that one the tracker did not take (a network
// error, 429, 5xx) can be sent again after a pause: the tracker stores an event id once, so a
// retry never counts twice. When the page is hidden everything left goes by
// navigator.sendBeacon, which the browser delivers after the page is gone (fetch(keepalive)
// when a beacon is refused). If the tracker was failing then, that last try may fail too, so
// the events also wait in the `outbox` (the visitor's storage, with consent) for the next page,
// as do batches still on their way.

// Events kept while sending is not (yet) allowed or not getting through (and in the outbox).
export const MAX_EVENTS = 500;
// Pauses before sending again after failures in a row; after the last, what is left waits for
// the page to be hidden (one more try, by beacon) or the next event.
const RETRY_MS = [1000, 2000, 4000, 8000, 16000];

// `prepare(body)` may amend a batch just before it leaves (the consented visitor id).
// `outbox`: {take(): events kept by an earlier page (and forgets them), keep(events)}, or null.
export function createQueue({ url, site, batchSize, interval, canSend, prepare, outbox }) {
  let queue = (outbox && outbox.take()) || [];
  let timer = queue.length ? setTimeout(flush, interval) : 0;
  let failures = 0; // sends in a row the tracker did not take
  let carried = queue.length > 0; // events from an earlier page, until the tracker takes a batch
  let epoch = 0; // drop() starts a new one: a late failure must not bring dropped events back
  const inflight = new Set(); // batches sent by fetch, not answered yet

  const text = (batch) => {
    const doc = { site, events: batch };
    return JSON.stringify(prepare ? prepare(doc) : doc);
  };
  const post = (body) =>
    globalThis.fetch(url, {
      method: 'POST',
      body,
      keepalive: body.length < 60000,
      credentials: 'omit',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });

  function beacon(batch) {
    try {
      const nav = globalThis.navigator;
      if (nav && typeof nav.sendBeacon === 'function' && nav.sendBeacon(url, text(batch))) return;
    } catch {
      /* refused: by fetch instead */
    }
    send(batch); // sent again later if the page stays
  }

  function schedule(ms) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, ms);
  }

  // Sends a batch and puts it back at the front of the queue when it did not get through; the
  // answer to a refused batch (400, 403, 413) would be the same next time, so it is not retried.
  async function send(batch) {
    const at = epoch;
    let wait = 0;
    inflight.add(batch);
    try {
      const r = await post(text(batch));
      if (r.status !== 429 && r.status < 500) {
        failures = 0;
        carried = false;
        return;
      }
      wait = 1000 * Number(r.headers.get('retry-after')) || 0;
    } catch {
      /* the network: try again */
    } finally {
      inflight.delete(batch);
    }
    if (at !== epoch) return;
    queue = batch.concat(queue).slice(-MAX_EVENTS);
    if (failures < RETRY_MS.length) schedule(Math.max(wait, RETRY_MS[failures++]));
  }

  // `hiding`: the page is going away, so whatever is queued leaves now, by beacon.
  function flush(hiding) {
    if (timer) clearTimeout(timer);
    timer = 0;
    if (!url || !canSend()) return;
    const all = queue;
    queue = [];
    const viaFetch = hiding !== true && typeof globalThis.fetch === 'function';
    // Hidden: what is on its way may never be answered, and while the tracker fails the beacons
    // may fail too, so those wait for the next page as well.
    if (!viaFetch && outbox) {
      const kept = (failures || carried ? all : []).concat(...inflight);
      if (kept.length) outbox.keep(kept);
    }
    for (let i = 0; i < all.length; i += batchSize) {
      const batch = all.slice(i, i + batchSize);
      if (viaFetch) send(batch);
      else beacon(batch);
    }
  }

  function push(event) {
    queue.push(event);
    if (queue.length > MAX_EVENTS) queue.shift();
    if (!canSend()) return;
    if (queue.length >= batchSize) flush();
    else if (!timer) schedule(interval);
  }

  return {
    push,
    flush,
    drop() {
      queue = [];
      epoch++;
      if (outbox) outbox.take(); // and forget what an earlier page kept
    },
    get size() {
      return queue.length;
    },
  };
}
