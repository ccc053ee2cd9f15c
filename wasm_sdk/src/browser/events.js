// Events to the tracker in batches: POST /v1/collect with a text/plain body (no CORS preflight),
// flushed on a timer, when a batch is full, and when the page is hidden or unloaded.
// While the page is shown a batch goes by fetch, so that one the tracker did not take (a network
// error, 429, 5xx) can be sent again after a pause: the tracker stores an event id once, so a
// retry never counts twice. When the page is hidden everything left goes by
// navigator.sendBeacon, which the browser delivers after the page is gone, as much as the
// browser takes (KEEPALIVE_BYTES). What it does not take, batches still on their way, and —
// if the tracker was failing, when that last try may fail too — everything, wait in the `outbox`
// (the visitor's storage, with consent) for the next page.

// Events kept while sending is not (yet) allowed or not getting through (and in the outbox).
export const MAX_EVENTS = 500;
// Pauses before sending again after failures in a row; after the last, what is left waits for
// the page to be hidden (one more try, by beacon) or the next event.
const RETRY_MS = [1000, 2000, 4000, 8000, 16000];
// What a page may have on its way in beacons and keepalive fetches together (the Fetch
// standard's keepalive quota, which sendBeacon shares): a beacon over it is refused, and one
// refused as the page goes away is lost unless kept for the next page. Every event carries its
// context (about 2.5 KB), so a busy page's last batches can reach it.
const KEEPALIVE_BYTES = 65536;
const utf8 = typeof TextEncoder === 'function' ? new TextEncoder() : null;
const byteLength = (text) => (utf8 ? utf8.encode(text).length : 3 * text.length);

// The tracker refuses a whole batch for one event over its limits (docs/tracker-api.md), so an
// event is fitted to them when it is queued: a bad one loses a member, never its batch.
export const LIMITS = { name: 200, url: 2048, props: 4096, context: 16384 - 256, depth: 12 };

// Text without control characters, cut to `max` UTF-8 bytes (never inside a surrogate pair).
export function fitText(value, max) {
  let t = String(value).replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (byteLength(t) > max) {
    t = t.slice(0, max);
    while (byteLength(t) > max || /[\ud800-\udbff]$/.test(t)) t = t.slice(0, -1);
  }
  return t;
}

// How deep a JSON text nests (the tracker takes 16 levels for the whole body).
function depthOf(text) {
  let d = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++d);
    else if (c === 125 || c === 93) d--;
  }
  return max;
}

// A JSON copy of `v` taken now (later changes to the caller's object are not the event's), or
// undefined when it cannot be one (a BigInt, a cycle), is over `maxBytes`, or nests too deep.
export function jsonCopy(v, maxBytes = Infinity) {
  let text;
  try {
    text = JSON.stringify(v);
  } catch {
    return undefined;
  }
  if (text === undefined || byteLength(text) > maxBytes || depthOf(text) > LIMITS.depth) return undefined;
  return JSON.parse(text);
}

// `prepare(body)` may amend a batch just before it leaves (the consented visitor id).
// `outbox`: {take(): events kept by an earlier page (and forgets them), keep(events)}, or null.
export function createQueue({ url, site, batchSize, interval, canSend, prepare, outbox }) {
  let queue = (outbox && outbox.take()) || [];
  let timer = queue.length ? setTimeout(flush, interval) : 0;
  let failures = 0; // sends in a row the tracker did not take
  let carried = queue.length > 0; // events from an earlier page, until the tracker takes a batch
  let epoch = 0; // drop() starts a new one: a late failure must not bring dropped events back
  const inflight = new Map(); // batch sent by fetch, not answered yet → its keepalive bytes (or 0)

  const text = (batch) => {
    const doc = { site, events: batch };
    return JSON.stringify(prepare ? prepare(doc) : doc);
  };
  const post = (body, keepalive) =>
    globalThis.fetch(url, {
      method: 'POST',
      body,
      keepalive,
      credentials: 'omit',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });

  function beaconed(body) {
    try {
      const nav = globalThis.navigator;
      return !!(nav && typeof nav.sendBeacon === 'function' && nav.sendBeacon(url, body));
    } catch {
      return false;
    }
  }

  function schedule(ms) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, ms);
  }

  // Sends a batch and puts it back at the front of the queue when it did not get through (a
  // network error, 408, 429, 5xx); the answer to a refused batch (400, 403, 413) would be the
  // same next time, so it is not retried.
  async function send(batch) {
    const at = epoch;
    let wait = 0;
    const body = text(batch);
    const size = byteLength(body);
    inflight.set(batch, size < KEEPALIVE_BYTES ? size : 0);
    try {
      const r = await post(body, size < KEEPALIVE_BYTES);
      // 408: the tracker timed the request out (a slow link) and stored nothing.
      if (r.status !== 429 && r.status !== 408 && r.status < 500) {
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
    const batches = [];
    for (let i = 0; i < all.length; i += batchSize) batches.push(all.slice(i, i + batchSize));
    if (hiding !== true && typeof globalThis.fetch === 'function') {
      for (const batch of batches) send(batch);
      return;
    }
    // Hidden: by beacon (a refused one by a keepalive fetch) while what is left of
    // KEEPALIVE_BYTES holds it. What does not fit, what is on its way and may never be answered,
    // and — while the tracker fails, when the beacons may fail too — everything wait for the next
    // page; what did not fit is also sent again if this page stays (the tracker stores an id once).
    let room = KEEPALIVE_BYTES;
    for (const size of inflight.values()) room -= size;
    const unsent = [];
    const beacon = (batch) => {
      const body = text(batch);
      const size = byteLength(body);
      if (size <= room) {
        room -= size;
        if (!beaconed(body)) send(batch);
      } else if (batch.length > 1) {
        const half = batch.length >> 1; // a batch over the room may fit in smaller pieces
        beacon(batch.slice(0, half));
        beacon(batch.slice(half));
      } else unsent.push(batch[0]);
    };
    for (const batch of batches) beacon(batch);
    if (outbox) {
      const kept = new Set(failures || carried ? all : unsent); // a set: a refused beacon's batch is also in flight
      for (const batch of inflight.keys()) for (const e of batch) kept.add(e);
      if (kept.size) outbox.keep([...kept]);
    }
    if (unsent.length) {
      queue = unsent.concat(queue).slice(-MAX_EVENTS);
      schedule(RETRY_MS[0]);
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
