// Rule sets from the tracker: GET /v1/rules/{site}, revalidated with If-None-Match against the
// last good copy kept in first-party storage (when storage is allowed). A cached copy is used
// at once and refreshed in the background for the next page (stale-while-revalidate), so a
// returning visitor's page never waits for the network.

/**
 * Fetches the rule set. `cached` is {etag, rules} or null. Resolves to
 * {status: 'fresh'|'unchanged'|'failed', rules?, etag?}; never rejects.
 */
export async function fetchRules(url, cached, timeoutMs) {
  if (typeof globalThis.fetch !== 'function') return { status: 'failed', error: 'no fetch' };
  const ctl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = ctl && timeoutMs > 0 ? setTimeout(() => ctl.abort(), timeoutMs) : 0;
  try {
    const headers = {};
    if (cached && cached.etag) headers['If-None-Match'] = cached.etag;
    const res = await globalThis.fetch(url, {
      headers,
      credentials: 'omit',
      signal: ctl ? ctl.signal : undefined,
    });
    if (res.status === 304 && cached) return { status: 'unchanged', rules: cached.rules, etag: cached.etag };
    if (!res.ok) return { status: 'failed', error: 'HTTP ' + res.status };
    const rules = await res.text();
    return { status: 'fresh', rules, etag: res.headers.get('ETag') || '' };
  } catch (e) {
    return { status: 'failed', error: String((e && e.message) || e) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * GET /v1/context: what the tracker can tell about this request (geo from the IP, device from
 * the headers), stored nowhere. Resolves to the object or null; never rejects.
 */
export async function fetchServerContext(url, timeoutMs) {
  if (typeof globalThis.fetch !== 'function') return null;
  const ctl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = ctl ? setTimeout(() => ctl.abort(), timeoutMs) : 0;
  try {
    const res = await globalThis.fetch(url, { credentials: 'omit', signal: ctl ? ctl.signal : undefined });
    if (!res.ok) return null;
    const ctx = await res.json();
    return ctx && typeof ctx === 'object' && !Array.isArray(ctx) ? ctx : null;
  } catch {
    return null;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
