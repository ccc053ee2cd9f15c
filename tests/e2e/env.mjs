// One tracker and one browser per test process, shared by every e2e file loaded in it and
// closed once at the end.
import { startTracker, launchBrowser } from './support.mjs';

let pending = null;

export function getEnv() {
  if (!pending) {
    pending = (async () => {
      const tracker = await startTracker();
      try {
        const browser = await launchBrowser();
        return { tracker, browser };
      } catch (e) {
        await tracker.stop();
        throw e;
      }
    })();
  }
  return pending;
}

export async function closeEnv() {
  if (!pending) return;
  const p = pending;
  pending = null;
  const env = await p.catch(() => null);
  if (!env) return;
  await env.browser.close().catch(() => {});
  await env.tracker.stop();
}

/** GET/PUT/POST on the tracker with the test admin token. */
export async function admin(env, method, path, body) {
  const { ADMIN_TOKEN } = await import('./support.mjs');
  const r = await fetch(env.tracker.url + path, {
    method,
    headers: { authorization: 'Bearer ' + ADMIN_TOKEN, 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(10000),
  });
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: r.status, json, text };
}
