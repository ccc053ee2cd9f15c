// First-party visit state in the visitor's own localStorage (never cookies), written only while
// the site allows it (consent.personalization and no GPC/DNT). Until then everything lives in
// memory for this page only, and nothing is written — not even the rule-set cache.

const VISIT_GAP_MS = 30 * 60 * 1000; // a new visit after 30 minutes without a page view
const DAY_MS = 86400000;
const MAX_TOUCHPOINTS = 10;
const MAX_INTERESTS = 10;

function storage() {
  try {
    const s = globalThis.localStorage;
    return s && typeof s.getItem === 'function' ? s : null;
  } catch {
    return null; // blocked storage (privacy modes, sandboxed frames) throws on access
  }
}

export function readText(key) {
  try {
    const s = storage();
    return (s && s.getItem(key)) || null;
  } catch {
    return null;
  }
}

/** Whether it was written: storage may be full or blocked (the page works without it). */
export function writeText(key, text) {
  try {
    const s = storage();
    if (!s) return false;
    s.setItem(key, text);
    return true;
  } catch {
    return false;
  }
}

export function removeKey(key) {
  try {
    const s = storage();
    if (s) s.removeItem(key);
  } catch {
    /* nothing to remove */
  }
}

export function readJson(key) {
  try {
    const t = readText(key);
    return t ? JSON.parse(t) : null;
  } catch {
    return null;
  }
}

export const writeJson = (key, value) => writeText(key, JSON.stringify(value));

export function removeKeys(prefix) {
  try {
    const s = storage();
    if (!s) return;
    const doomed = [];
    for (let i = 0; i < s.length; i++) {
      const k = s.key(i);
      if (k && k.startsWith(prefix)) doomed.push(k);
    }
    for (const k of doomed) s.removeItem(k);
  } catch {
    /* nothing to remove */
  }
}

function randomBytes(n) {
  const c = globalThis.crypto;
  const b = new Uint8Array(n);
  if (c && c.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < n; i++) b[i] = (Math.random() * 256) | 0;
  return b;
}

const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** A random id that says nothing about the visitor (first-party visitor ids). */
function randomId() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return hex(randomBytes(16));
}

/**
 * An event id: a UUIDv7 (RFC 9562), the event's time in Unix milliseconds in the first 48 bits,
 * then 74 random bits. The tracker keeps a unique index of event ids to store a retried event
 * once; ids that arrive in about ascending order land at its end, where random ones (v4) would
 * each dirty a page of their own: that halved its single-event rate (docs/performance.md).
 */
export function eventId(ms) {
  const b = randomBytes(16);
  for (let i = 5, t = Math.max(0, Math.floor(ms)); i >= 0; i--, t = Math.floor(t / 256)) b[i] = t % 256;
  b[6] = 0x70 | (b[6] & 0x0f); // version 7
  b[8] = 0x80 | (b[8] & 0x3f); // variant 10
  return hex(b).replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}

const unique = (list, max) => Array.from(new Set(list)).slice(0, max);

// A stored state this release can continue. One damaged, or written by another release, is
// started afresh: kept, it would fail every page of the site from then on.
const isList = (v) => v === undefined || Array.isArray(v);
function usable(s) {
  const j = s && s.journey;
  return (
    !!j && s.v === 1 && typeof s.id === 'string' && [s.visits, s.first_ts, s.last_ts].every(Number.isFinite) &&
    typeof j === 'object' && !Array.isArray(j) && isList(j.touchpoints) && isList(j.interests) && isList(j.goals)
  );
}

/** Whether a page view at `now` continues the visit of the stored state `s`. */
export function sameVisit(s, now) {
  return usable(s) && now - s.last_ts <= VISIT_GAP_MS;
}

/**
 * The visit and journey state for this page view. `previous` is what storage held (or null),
 * `entry` describes how this page was reached ({category, source, medium, campaign}).
 */
export function advance(previous, now, path, entry) {
  const p = usable(previous) ? previous : null;
  const newVisit = !sameVisit(p, now);
  const s = p
    ? JSON.parse(JSON.stringify(p))
    : { v: 1, id: randomId(), visits: 0, first_ts: now, last_ts: now, journey: {} };
  const daysSinceLast = p ? Math.max(0, Math.floor((now - p.last_ts) / DAY_MS)) : 0;
  if (newVisit) {
    s.visits += 1;
    s.visit_pageviews = 0;
    s.landing_path = path;
    s.landing = null; // the visit's referrer/utm, filled in after classification
    delete s.server; // the tracker's context is asked again once per visit
    s.days_since_last = p ? daysSinceLast : 0;
    const j = s.journey;
    const touch = Object.assign({ ts: now }, entry || { category: 'direct' });
    j.first_touch = j.first_touch || touch;
    j.last_touch = touch;
    j.touchpoints = (j.touchpoints || []).concat([touch]).slice(-MAX_TOUCHPOINTS);
  }
  s.visit_pageviews += 1;
  s.pageviews = (s.pageviews || 0) + 1;
  s.last_ts = now;
  s.new_visit = newVisit;
  return s;
}

/** The `visit` and `journey` context groups from a state. */
export function contextGroups(s, path) {
  const j = s.journey || {};
  return {
    visit: {
      first: s.visits === 1,
      count: s.visits,
      days_since_last: s.days_since_last || 0,
      pageviews: s.visit_pageviews,
      total_pageviews: s.pageviews,
      landing_path: s.landing_path,
      path,
    },
    journey: {
      stage: j.stage || '',
      first_touch: j.first_touch || null,
      last_touch: j.last_touch || null,
      touchpoints: j.touchpoints || [],
      interests: j.interests || [],
      goals: j.goals || [],
    },
  };
}

export function addInterest(s, name) {
  const j = s.journey;
  j.interests = unique([String(name)].concat(j.interests || []), MAX_INTERESTS);
}

export function addGoal(s, name) {
  const j = s.journey;
  j.goals = unique((j.goals || []).concat([String(name)]), 50);
}
