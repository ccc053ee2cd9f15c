// Rule sets from the tracker: GET /v1/rules/{site}, revalidated with If-None-Match against the
// last good copy kept in first-party storage (when storage is allowed). A cached copy is used
// at once and refreshed in the background for the next page (stale-while-revalidate), so a
// returning visitor's page never waits for the network.

// GET without credentials, aborted after `timeoutMs` (0: never). `read(res)` runs before the
// timer is cleared, so a body that trickles in is aborted too. Rejects as fetch does.
async function get(url, headers, timeoutMs, read) {
  const ctl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = ctl && timeoutMs > 0 ? setTimeout(() => ctl.abort(), timeoutMs) : 0;
  try {
    return await read(await globalThis.fetch(url, { headers, credentials: 'omit', signal: ctl ? ctl.signal : undefined }));
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * Fetches the rule set. `cached` is {etag, rules} or null. Resolves to
 * {status: 'fresh'|'unchanged'|'failed', rules?, etag?}; never rejects.
 */
export async function fetchRules(url, cached, timeoutMs) {
  if (typeof globalThis.fetch !== 'function') return { status: 'failed', error: 'no fetch' };
  const headers = {};
  if (cached && cached.etag) headers['If-None-Match'] = cached.etag;
  try {
    return await get(url, headers, timeoutMs, async (res) => {
      if (res.status === 304 && cached) return { status: 'unchanged', rules: cached.rules, etag: cached.etag };
      if (!res.ok) return { status: 'failed', error: 'HTTP ' + res.status };
      const rules = await res.text();
      return { status: 'fresh', rules, etag: res.headers.get('ETag') || '' };
    });
  } catch (e) {
    return { status: 'failed', error: String((e && e.message) || e) };
  }
}

/**
 * GET /v1/context: what the tracker can tell about this request (geo from the IP, device from
 * the headers), stored nowhere. Resolves to the object or null; never rejects.
 */
export async function fetchServerContext(url, timeoutMs) {
  if (typeof globalThis.fetch !== 'function') return null;
  try {
    return await get(url, {}, timeoutMs, async (res) => {
      if (!res.ok) return null;
      const ctx = await res.json();
      return ctx && typeof ctx === 'object' && !Array.isArray(ctx) ? ctx : null;
    });
  } catch {
    return null;
  }
}
