// Raw signals the browser already has, for the core to classify (derive_context), plus the few
// device facts only the page can know (touch, screen, dark mode). No network, no fingerprinting
// beyond what the rules use.

const has = (name) => typeof globalThis[name] !== 'undefined';

function media(query) {
  try {
    return has('matchMedia') ? globalThis.matchMedia(query).matches : false;
  } catch {
    return false;
  }
}

/** Low-entropy User-Agent Client Hints, shaped like the Sec-CH-UA headers the server sees. */
function clientHints(nav) {
  const d = nav && nav.userAgentData;
  if (!d) return undefined;
  const brands = Array.isArray(d.brands) ? d.brands : [];
  return {
    brands: brands.map((b) => ({ brand: String(b.brand), version: String(b.version) })),
    mobile: !!d.mobile,
    platform: String(d.platform || ''),
  };
}

let zone;

/**
 * The page's IANA time zone, asked once per page view. Temporal answers in well under a
 * millisecond; Intl.DateTimeFormat, the only other way, loads ICU's locale data on a page's first
 * call: 17–35 ms of main thread in headless Chromium here, 30–120 ms on a loaded machine
 * (docs/performance.md). Later decisions of the page reuse the answer.
 */
function pageTimeZone() {
  if (zone === undefined) {
    try {
      const temporal = globalThis.Temporal;
      zone = (temporal && temporal.Now && temporal.Now.timeZoneId()) || Intl.DateTimeFormat().resolvedOptions().timeZone || '';
    } catch {
      zone = ''; // very old engines
    }
  }
  return zone;
}

/**
 * The raw signals of ithaca::RawSignals for this page view. `referrer`: the page this one was
 * reached from (a single-page app's previous route); document.referrer when not given.
 */
export function rawSignals(now, referrer) {
  const nav = has('navigator') ? globalThis.navigator : undefined;
  const loc = has('location') ? globalThis.location : undefined;
  const doc = has('document') ? globalThis.document : undefined;
  const timezone = pageTimeZone();
  const raw = {
    user_agent: (nav && nav.userAgent) || '',
    url: (loc && loc.href) || '',
    referrer: referrer === undefined ? (doc && doc.referrer) || '' : referrer,
    site_host: (loc && loc.host) || '',
    now,
    tz_offset_minutes: -new Date(now).getTimezoneOffset(),
    timezone,
    languages: nav && nav.languages ? Array.from(nav.languages) : nav && nav.language ? [nav.language] : [],
  };
  const ch = clientHints(nav);
  if (ch) raw.ua_ch = Object.assign(ch, highEntropy);
  // Page-only device facts; max_touch_points tells an iPad (desktop UA) from a Mac.
  const scr = has('screen') ? globalThis.screen : undefined;
  raw.max_touch_points = (nav && nav.maxTouchPoints) || 0;
  raw.touch = raw.max_touch_points > 0 || media('(pointer: coarse)');
  if (scr && scr.width) {
    raw.screen_width = scr.width;
    raw.screen_height = scr.height;
  }
  raw.dark_mode = media('(prefers-color-scheme: dark)');
  return raw;
}

let highEntropy = {};

/**
 * Asks for the high-entropy Client Hints the classifier can use (OS version, model, full
 * versions, form factors) and waits at most `ms` for them; later signals see them too.
 */
export function requestHighEntropyHints(ms) {
  const d = has('navigator') ? globalThis.navigator.userAgentData : undefined;
  if (!d || typeof d.getHighEntropyValues !== 'function') return Promise.resolve();
  const hints = ['platformVersion', 'model', 'fullVersionList', 'formFactors'];
  const got = Promise.resolve()
    .then(() => d.getHighEntropyValues(hints))
    .then((v) => {
      const keep = {};
      for (const k of hints) if (v && v[k] !== undefined) keep[k] = v[k];
      highEntropy = keep;
    })
    .catch(() => {});
  return Promise.race([got, new Promise((r) => setTimeout(r, ms))]);
}

/** Global Privacy Control and Do Not Track, as the browser reports them. */
export function privacySignals() {
  const nav = has('navigator') ? globalThis.navigator : undefined;
  const dnt = nav ? nav.doNotTrack || globalThis.doNotTrack : undefined;
  return {
    gpc: !!(nav && nav.globalPrivacyControl === true),
    dnt: dnt === '1' || dnt === 'yes',
  };
}
