// Rule sets from the tracker: GET /v1/rules/{site}?compiled=2 — compiled, as the page's engine
// loads them (docs/compiled-rules.md) — revalidated with If-None-Match against the last good copy
// kept in first-party storage (when storage is allowed). A cached copy is used at once and
// refreshed in the background for the next page (stale-while-revalidate), so a returning
// visitor's page never waits for the network. Compiled rule sets travel here as base64 text:
// what storage keeps, and comparable with ===.

/** Bytes → base64 (in chunks: String.fromCharCode takes a bounded argument list). */
export function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** base64 → bytes; throws on text that is not base64. */
export function fromBase64(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// A compiled rule set: its bytes, or base64 text, which begins "SVRIU" ("ITHR", the format's magic).
export const isCompiled = (r) =>
  r instanceof Uint8Array || r instanceof ArrayBuffer || (typeof r === 'string' && r.startsWith('SVRIU'));

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
 * Fetches the compiled rule set. `cached` is {etag, rules} or null. Resolves to
 * {status: 'fresh'|'unchanged'|'failed', rules? (base64), etag?}; never rejects.
 */
export async function fetchRules(url, cached, timeoutMs) {
  if (typeof globalThis.fetch !== 'function') return { status: 'failed', error: 'no fetch' };
  const headers = {};
  if (cached && cached.etag) headers['If-None-Match'] = cached.etag;
  try {
    return await get(url, headers, timeoutMs, async (res) => {
      if (res.status === 304 && cached && cached.rules) return { status: 'unchanged', rules: cached.rules, etag: cached.etag };
      if (!res.ok) {
        // The tracker's error says why (a 406 names the compiled format it writes).
        const body = await res.json().catch(() => null);
        const why = body && body.error && body.error.message;
        return { status: 'failed', error: 'HTTP ' + res.status + (why ? ': ' + why : '') };
      }
      const rules = toBase64(new Uint8Array(await res.arrayBuffer()));
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
