// Events to the tracker in batches: POST /v1/collect with navigator.sendBeacon (a text/plain
// body, which needs no CORS preflight) or fetch(keepalive) when a beacon is refused. Flushed on
// a timer, when a batch is full, and when the page is hidden or unloaded.

const MAX_QUEUE = 500; // events kept while sending is not (yet) allowed

// `prepare(body)` may amend a batch just before it leaves (the consented visitor id).
export function createQueue({ url, site, batchSize, interval, canSend, onSent, prepare }) {
  let queue = [];
  let timer = 0;

  function send(batch) {
    const doc = { site, events: batch };
    const body = JSON.stringify(prepare ? prepare(doc) : doc);
    let ok = false;
    try {
      const nav = globalThis.navigator;
      if (nav && typeof nav.sendBeacon === 'function') ok = nav.sendBeacon(url, body);
    } catch {
      ok = false;
    }
    if (!ok && typeof globalThis.fetch === 'function') {
      try {
        globalThis
          .fetch(url, {
            method: 'POST',
            body,
            keepalive: body.length < 60000,
            credentials: 'omit',
            headers: { 'content-type': 'text/plain;charset=UTF-8' },
          })
          .catch(() => {});
        ok = true;
      } catch {
        ok = false;
      }
    }
    if (onSent) onSent(batch, ok);
  }

  function flush() {
    if (timer) {
      clearTimeout(timer);
      timer = 0;
    }
    if (!url || !canSend() || !queue.length) return;
    const all = queue;
    queue = [];
    for (let i = 0; i < all.length; i += batchSize) send(all.slice(i, i + batchSize));
  }

  function push(event) {
    queue.push(event);
    if (queue.length > MAX_QUEUE) queue.shift();
    if (!canSend()) return;
    if (queue.length >= batchSize) flush();
    else if (!timer) timer = setTimeout(flush, interval);
  }

  return {
    push,
    flush,
    drop() {
      queue = [];
    },
    get size() {
      return queue.length;
    },
  };
}
