// Ithaca's browser SDK: gathers the page's context, lets the wasm core decide every slot, shows
// the chosen variants without flicker, and reports page views, events, conversions and
// exposures to the first-party tracker. Contract: no function here throws into the host page;
// anything that fails leaves the page with its default content.
import names from 'ithaca:page-names';
import { instantiateUrl } from '../wasm_loader.js';
import { wrapModule } from '../engine.js';
import { rawSignals, privacySignals, requestHighEntropyHints } from './signals.js';
import { readJson, writeJson, readText, writeText, removeKey, removeKeys, eventId, advance, sameVisit, contextGroups, addInterest, addGoal } from './state.js';
import { createQueue, MAX_EVENTS, LIMITS, fitText, jsonCopy } from './events.js';
import { fetchRules, fetchServerContext, fromBase64, isCompiled } from './rules.js';
import { installHideCss, findSlots, slotsIn, render, fallback, isSettled, isFallback, hideCss } from './slots.js';
import { logDecisions, showOverlay, hideOverlay } from './debug.js';

export { hideCss };
export const version = '0.1.0';

let sharedEngine = null; // one wasm instance per page, shared by every start()
const clock = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
const moduleStart = clock(); // when this module began to run: the zero of `timing`

function loadBrowserEngine(wasmUrl) {
  if (!sharedEngine) {
    const url = wasmUrl ? String(wasmUrl) : new URL('ithaca.wasm', import.meta.url).href;
    // Called now, not in a later microtask, so the wasm download starts at once; a throw still
    // becomes a rejection.
    sharedEngine = new Promise((resolve) => resolve(instantiateUrl(url, names))).then(wrapModule);
    sharedEngine.catch(() => {
      sharedEngine = null; // let a later start() try again
    });
  }
  return sharedEngine;
}

// A small rule set that goes through what loading and deciding a real one does (segments, &&,
// in, a macro, a regex, an experiment), for the engine to compile while a first visit's rules
// are still on the network: V8 compiles wasm functions on their first call. Its source is
// warm_rules.json; scripts/package.mjs compiles it and writes its bytes in here, one character
// each (none when this file runs unbundled, and then there is no warm-up).
// eslint-disable-next-line no-undef
const WARM_RULES = typeof ITHACA_WARM_RULES === 'string' ? ITHACA_WARM_RULES : '';
const WARM_CONTEXT = { device: { type: 'mobile' }, geo: { country: 'DE', languages: ['de'] }, time: { hour: 9 }, referrer: { source: 'google' }, visitor: { id: 'w' } };

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// What makes a new page of a single-page app: its path and query (not the hash).
const pageKey = () => (globalThis.location ? globalThis.location.pathname + globalThis.location.search : '');

// What the host gets of a decision is its own deep copy: the engine shares the fixed parts of
// decisions between visitors and freezes them (engine.decideBrief), arrays in props included.
const copyJson = (v) => JSON.parse(JSON.stringify(v));

// Keys that would reach an object's prototype: never merged (JSON.parse makes "__proto__" an
// own key, and the tracker's context and a site's custom attributes are JSON).
const unsafeKey = (k) => k === '__proto__' || k === 'constructor' || k === 'prototype';

function merge(target, source) {
  if (!isObject(source)) return target;
  for (const [k, v] of Object.entries(source)) {
    if (unsafeKey(k)) continue;
    if (isObject(v) && isObject(target[k])) merge(target[k], v);
    else target[k] = isObject(v) ? merge({}, v) : v;
  }
  return target;
}

// Fills what `target` leaves unknown (missing, null or '') from `source`: the server's view
// lies under the page's own, which the core reports as '' where the browser cannot know it.
function underlay(target, source) {
  if (!isObject(source)) return target;
  for (const [k, v] of Object.entries(source)) {
    if (unsafeKey(k)) continue;
    const t = target[k];
    if (isObject(t) && isObject(v)) underlay(t, v);
    else if (t === undefined || t === null || t === '') target[k] = isObject(v) ? merge({}, v) : v;
  }
  return target;
}

// Attributes a site gives (setCustom, updateContext, …) as JSON, copied: a value JSON cannot
// hold (a BigInt, a cycle) would break every later event, so such a call is ignored.
function attributes(value) {
  const copy = jsonCopy(value);
  if (value !== undefined && copy === undefined) warn('attributes ignored: not JSON', value);
  return copy;
}

function warn(...args) {
  try {
    globalThis.console && globalThis.console.warn('[ithaca]', ...args);
  } catch {
    /* a console that throws is not our problem to surface */
  }
}

// Calls fn and swallows anything it throws: the host page must never see our exceptions.
function guard(fn, fallbackValue) {
  try {
    return fn();
  } catch (e) {
    warn(e);
    return fallbackValue;
  }
}

class Ithaca {
  constructor(options) {
    // An option given as undefined keeps its default (`{timeout: cfg.timeout}` with none set).
    const given = Object.entries(Object.assign({}, options)).filter(([, v]) => v !== undefined);
    const o = (this.options = Object.assign(
      { timeout: 1000, batchSize: 20, flushInterval: 4000, storagePrefix: 'ithaca:', tracker: '' },
      Object.fromEntries(given),
    ));
    this.site = String(o.site || '');
    this.doc = typeof document !== 'undefined' ? document : null;
    this.root = o.root || this.doc;
    this.prefix = o.storagePrefix;
    this.subscribers = new Set();
    this.result = null;
    this.context = null;
    this.exposed = new Set();
    this.status = 'starting';
    // Milliseconds since the module started: start() called, engine ready, rules ready, decided.
    this.timing = { start: clock() - moduleStart };
    this.custom = merge({}, attributes(o.custom));
    this.overrides = merge({}, attributes(o.context));
    this.replaced = {}; // replaceContext's attributes: each call's replace the last call's
    const t = typeof o.now === 'function' ? o.now : () => Date.now();
    this.now = () => Number(t());

    const privacy = privacySignals();
    const honour = o.honorGlobalPrivacyControl !== false;
    this.privacy = privacy;
    this.blocked = honour && (privacy.gpc || privacy.dnt);
    // The visitor's last choice (setConsent), with or without requireConsent: an opt-out holds
    // on the next pages too.
    const stored = this.blocked ? null : readJson(this.prefix + 'consent');
    const known = Object.assign({}, stored, o.consent);
    const dflt = !o.requireConsent;
    this.consent = {
      analytics: !this.blocked && (known.analytics === undefined ? dflt : !!known.analytics),
      personalization: !this.blocked && (known.personalization === undefined ? dflt : !!known.personalization),
    };

    const base = o.tracker === undefined || o.tracker === null ? '' : String(o.tracker).replace(/\/$/, '');
    this.rulesUrl = o.rulesUrl || (this.site ? `${base}/v1/rules/${encodeURIComponent(this.site)}?compiled=2` : '');
    this.rulesKey = this.prefix + 'rules:' + this.site; // the last good rule set, kept for the next page
    // The tracker's server-side context (geo from the IP): asked when rules come from a tracker
    // or a tracker is named; `serverContext: false` turns it off.
    const askServer = o.serverContext !== false && this.site && (o.rules === undefined || !!o.tracker);
    this.contextUrl = o.contextUrl || (askServer ? `${base}/v1/context?site=${encodeURIComponent(this.site)}` : '');
    this.collectUrl = o.collectUrl || (o.collect === false ? '' : `${base}/v1/collect`);
    // Events a page could not deliver, for the next page of the same site (a batch names its site).
    const outbox = this.prefix + 'outbox:' + this.site;
    this.queue = createQueue({
      url: this.collectUrl,
      site: this.site,
      batchSize: Math.max(1, o.batchSize | 0),
      interval: o.flushInterval,
      canSend: () => this.consent.analytics,
      prepare: (body) => this.withVisitorId(body),
      outbox: {
        // Events older than 6 days are let go: the tracker would file them under the day they
        // arrive (it trusts a client's time up to 7 days back).
        take: () => {
          const kept = this.canPersist() ? readJson(outbox) : null;
          removeKeys(outbox);
          return Array.isArray(kept) ? kept.filter((e) => e && this.now() - e.ts < 6 * 864e5) : null;
        },
        keep: (events) => {
          if (!this.canPersist()) return;
          const kept = readJson(outbox);
          writeJson(outbox, (Array.isArray(kept) ? kept : []).concat(events).slice(-MAX_EVENTS));
        },
      },
    });

    this.debugMode = o.debug || this.debugFromPage();
    this.forced = this.forcedVariants();
    // This page view's URL and the page it was reached from; page() moves both along.
    this.pageUrl = globalThis.location ? globalThis.location.href : '';
    this.pageReferrer = this.doc ? this.doc.referrer : '';
    this.pageKey = pageKey();
    this.slots = findSlots(this.root);
    this.revealAfter = Math.max(2 * o.timeout, o.timeout + 500); // the anti-flicker rule's own timeout
    if (this.slots.length) installHideCss(this.doc, this.revealAfter);
    this.timer = setTimeout(() => this.settleAll('timeout'), o.timeout);
    this.listen();
    this.watchSlots();
    if (o.spa) this.followHistory();

    // The visit state as this page read it; `basis` is its text, to tell whether another tab of
    // the site wrote it since (persist()).
    this.basis = this.canPersist() ? readText(this.prefix + 'state') : null;
    this.stored = guard(() => JSON.parse(this.basis), null);
    this.ready = this.boot().catch((e) => this.fail('start failed: ' + e));
  }

  canPersist() {
    return this.consent.personalization && !this.blocked;
  }

  debugFromPage() {
    return guard(() => {
      const q = globalThis.location ? new URLSearchParams(globalThis.location.search).get('ithaca_debug') : null;
      return q ? (q === 'overlay' ? 'overlay' : true) : false;
    }, false);
  }

  // QA preview: {slot: variant} from the `force` option and the page's
  // ?ithaca_force=slot:variant,slot:variant (which `force: false` ignores); null when none.
  forcedVariants() {
    return guard(() => {
      const o = this.options.force;
      if (o === false) return null;
      const forced = Object.assign({}, isObject(o) ? o : null);
      const q = globalThis.location ? new URLSearchParams(globalThis.location.search).get('ithaca_force') : '';
      for (const pair of q ? q.split(',') : []) {
        const [slot, ...variant] = pair.split(':');
        forced[slot] = variant.join(':');
      }
      if (!Object.keys(forced).length) return null;
      warn('previewing forced variants', forced);
      return forced;
    }, null);
  }

  // A forced slot shows the variant asked for, whatever the rules chose, and sends no exposure
  // (its decision names no experiment): a preview must not count in an experiment's results.
  // Variants a slot does not declare are refused, unless it declares none (its templates say).
  applyForced(result) {
    if (!this.forced || !result.decisions) return;
    const declared = this.engine.slotVariants(this.rulesId) || {};
    for (let [slot, variant] of Object.entries(this.forced)) {
      variant = String(variant);
      const chosen = result.decisions[slot];
      const variants = declared[slot] || {};
      const names = Object.keys(variants);
      if (!chosen || (names.length && !names.includes(variant))) {
        if (!this.forceWarned) warn(`ithaca_force: no slot "${slot}" with a variant "${variant}" (it has: ${names})`);
        continue;
      }
      const d = { variant, reason: 'forced', rule: null };
      if (variants[variant] && variants[variant].props !== undefined) d.props = variants[variant].props;
      d.explanation = { summary: `forced to '${variant}' (ithaca_force); the rules chose '${chosen.variant}'` };
      result.decisions[slot] = d;
    }
    this.forceWarned = true;
  }

  listen() {
    if (typeof addEventListener !== 'function') return;
    const flush = () => guard(() => this.queue.flush(true));
    addEventListener('pagehide', flush);
    if (this.doc) {
      this.doc.addEventListener('visibilitychange', () => {
        if (this.doc.visibilityState === 'hidden') flush();
      });
    }
  }

  async boot() {
    const o = this.options;
    // The engine and the rules get the same time to arrive: a stalled wasm download fails the
    // start (default content stays, `ready` settles, the page view is sent) instead of hanging.
    const patience = Math.max(o.timeout * 4, 5000);
    const engineP = o.engine
      ? Promise.resolve(o.engine)
      : Promise.race([
          loadBrowserEngine(o.wasmUrl),
          new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${patience} ms`)), patience)),
        ]);
    engineP.catch(() => {});
    let rulesP;
    let cached = null;
    if (o.rules !== undefined) {
      rulesP = Promise.resolve({ status: 'inline', rules: o.rules });
    } else if (this.rulesUrl) {
      cached = this.canPersist() ? readJson(this.rulesKey) : null;
      if (!cached || typeof cached.rules !== 'string') cached = null;
      const fetched = fetchRules(this.rulesUrl, cached, patience);
      rulesP = cached ? Promise.resolve({ status: 'cached', rules: cached.rules, next: fetched }) : fetched;
    } else {
      rulesP = Promise.resolve({ status: 'failed', error: 'no rules and no tracker' });
    }

    let rulesHere = false;
    rulesP.then(() => (rulesHere = true), () => {});
    const hintsP = requestHighEntropyHints(50);
    const serverP = this.serverContext();
    let engine;
    try {
      engine = await engineP;
      await hintsP;
    } catch (e) {
      this.fail('the wasm engine did not load: ' + ((e && e.message) || e));
      return;
    }
    this.engine = engine;
    this.timing.engine = clock() - moduleStart;
    // Classify the page's signals now: on a first visit this overlaps the rules download, and the
    // first call into the classifier (which the engine compiles on first use) is off the path.
    const derivedUrl = this.pageUrl;
    const derived = this.derive();
    this.timing.context = clock() - moduleStart;
    // The same for the loader and decide while the rules download (a first visit): they arrive
    // to an engine that decides at once instead of compiling first. Cached rules need no wait.
    if (!rulesHere) this.warmUp();
    let got = await rulesP;
    this.timing.rules = clock() - moduleStart;
    if (got.status === 'cached' && !this.loadRules(got.rules)) {
      // The kept copy does not load (another compiled format, or damaged in storage): forget
      // it and take the revalidation's answer — unless that is a 304 confirming the very copy
      // that failed: then the rules are asked for whole.
      removeKey(this.rulesKey);
      got = await got.next;
      if (got.status === 'unchanged') got = await fetchRules(this.rulesUrl, null, patience);
    }
    if (got.status === 'failed') {
      this.fail('rules did not load: ' + got.error);
      return;
    }
    if (got.status !== 'cached' && !this.loadRules(got.rules)) {
      this.fail('invalid rules');
      return;
    }
    if (got.status === 'fresh') this.keepRules(got); // kept only once the engine took it
    this.timing.loaded = clock() - moduleStart;
    this.server = await serverP;
    // A router that moved to another URL meanwhile (page() while starting): this page's context
    // is that URL's.
    this.decideAndShow(true, this.pageUrl === derivedUrl ? derived : undefined);
    if (got.status === 'cached') got.next.then((r) => this.applyFresh(r, got.rules));
  }

  warmUp() {
    guard(() => {
      if (!WARM_RULES) return;
      const { id } = this.engine.loadCompiled(Uint8Array.from(WARM_RULES, (c) => c.charCodeAt(0)));
      if (!id) return;
      this.engine.decideBrief(id, WARM_CONTEXT);
      this.engine.unload(id);
      this.timing.warmed = clock() - moduleStart;
    });
  }

  // Rules revalidated in the background: when they changed, decide again at once so that
  // subscribers (and the OpenFeature provider) see the published rules without a reload.
  applyFresh(r, used) {
    guard(() => {
      if (r.status !== 'fresh' || !this.engine) return;
      if (r.rules === used) this.keepRules(r); // the same rules under a new tag
      else if (this.loadRules(r.rules)) {
        this.keepRules(r);
        this.redecide();
      } // a copy the engine refuses is not kept: the last good one stays for the next page
    });
  }

  // The last good rule set, for the next page (with storage consent).
  keepRules(r) {
    if (this.canPersist()) writeJson(this.rulesKey, { etag: r.etag, rules: r.rules, ts: this.now() });
  }

  // GET /v1/context once per visit: kept with the visit state (so only with storage consent),
  // fetched in parallel with the engine and the rules, and waited for at most `contextTimeout`
  // ms from start — the first decision never waits longer for it. Resolves to an object or null.
  serverContext() {
    const o = this.options;
    if (!this.contextUrl) return Promise.resolve(null);
    const s = this.stored;
    if (s && s.server && sameVisit(s, this.now())) return Promise.resolve(s.server);
    const budget = Math.max(0, Math.min(o.contextTimeout === undefined ? 250 : o.contextTimeout, o.timeout / 2));
    const fetched = fetchServerContext(this.contextUrl, 5000).then((ctx) => {
      this.serverFetched = ctx;
      if (ctx && this.state) {
        this.change((s) => {
          s.server = ctx;
        });
        this.persist();
      }
      return ctx;
    });
    return Promise.race([fetched, new Promise((r) => setTimeout(() => r(null), budget))]);
  }

  // The consented first-party id goes with a batch only with both consents and never under
  // GPC / DNT (even when the site chose not to honour them for storage and events).
  withVisitorId(body) {
    const id = this.state && this.state.id;
    const allowed = this.canPersist() && this.consent.analytics && !this.privacy.gpc && !this.privacy.dnt;
    if (allowed && id) body.visitor_id = id;
    else for (const e of body.events) if (e.context) delete e.context.visitor;
    return body;
  }

  // A rejected rule set leaves the one already loaded in place (a bad publish must not blank a
  // page that decided from the previous one). Compiled rule sets (bytes or base64) are what the
  // page's engine loads; a JSON rule set loads only into a tools engine (the `engine` option).
  loadRules(rules) {
    let bytes = rules;
    try {
      if (typeof rules === 'string' && isCompiled(rules)) bytes = fromBase64(rules);
    } catch {
      warn('rule set rejected: its base64 text is damaged');
      return false;
    }
    const r = isCompiled(rules) ? this.engine.loadCompiled(bytes) : this.engine.load(rules);
    if (!r.id) {
      const report = guard(() => JSON.parse(r.report), r.report);
      const errors = (report && (report.errors || (report.error && [report.error]))) || [];
      warn('rule set rejected: ' + errors.map((e) => (e.path ? e.path + ': ' : '') + e.message).join('; '), report);
      return false;
    }
    if (this.rulesId) this.engine.unload(this.rulesId);
    this.rulesId = r.id;
    return true;
  }

  fail(why) {
    this.status = 'failed: ' + why;
    warn(why);
    this.settleAll('failure');
    if (!this.pageviewSent) this.pageview();
    this.refreshDebug();
  }

  settleAll() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = 0;
    for (const el of this.slots) if (!isSettled(el)) fallback(el);
  }

  // Slots inserted after start (a single-page app's next route, a component rendered later) are
  // shown as they arrive: a MutationObserver's callback runs before the next frame is painted,
  // so the anti-flicker rule keeps them hidden until then and their default content is never
  // painted when a variant is chosen. Slots that left the document are let go.
  watchSlots() {
    const root = this.root;
    if (this.options.observeSlots === false || typeof MutationObserver !== 'function') return;
    if (!root || typeof root.querySelectorAll !== 'function') return;
    this.mutations = new MutationObserver((records) =>
      guard(() => {
        let removed = false;
        for (const r of records) {
          removed = removed || r.removedNodes.length > 0;
          const added = r.addedNodes; // indexed: iterating a NodeList with for…of costs more here
          for (let i = 0; i < added.length; i++) if (added[i].nodeType === 1) for (const el of slotsIn(added[i])) this.adopt(el);
        }
        if (removed) this.keepSlots(this.slots.filter((el) => el.isConnected));
      }),
    );
    this.mutations.observe(root, { childList: true, subtree: true });
  }

  // The page's slots are now `slots`; the ones that left are no longer watched for exposure.
  keepSlots(slots) {
    if (this.observer) for (const el of this.slots) if (!slots.includes(el)) this.observer.unobserve(el);
    this.slots = slots;
  }

  // A slot that appeared: shown with the current decision, or with its default content when the
  // SDK has given up on deciding (failure or timeout); before the first decision it just waits.
  adopt(el) {
    if (this.slots.includes(el)) return;
    installHideCss(this.doc, this.revealAfter);
    this.slots.push(el);
    const name = el.getAttribute('data-ithaca-slot');
    if (this.result && this.status === 'decided') {
      guard(() => render(el, this.result.decisions && this.result.decisions[name]));
      this.watchExposure(el, name);
    } else if (!this.timer) fallback(el);
  }

  // `spa: true`: history.pushState and back/forward navigations that change the path or query
  // are page views (page() below). replaceState and hash changes are not: apps use them for
  // filters and scroll positions. The Navigation API sees every same-document navigation, also a
  // router's pushState saved before start() ran; without it, pushState is wrapped.
  followHistory() {
    if (typeof addEventListener !== 'function') return;
    const changed = () => guard(() => pageKey() !== this.pageKey && this.view(true));
    // A replaced URL is this page view's own from now on (a later hash change is no new page).
    const replaced = () =>
      guard(() => {
        this.pageKey = pageKey();
        this.pageUrl = globalThis.location.href;
        this.followed = null;
      });
    const nav = globalThis.navigation;
    if (nav && typeof nav.addEventListener === 'function') {
      nav.addEventListener('currententrychange', (e) => (e.navigationType === 'replace' ? replaced() : changed()));
      return;
    }
    const h = globalThis.history;
    if (!h || typeof h.pushState !== 'function') return;
    for (const [name, after] of [['pushState', changed], ['replaceState', replaced]]) {
      const original = h[name];
      h[name] = function (...args) {
        const r = original.apply(this, args); // the app's own errors stay the app's
        after();
        return r;
      };
    }
    addEventListener('popstate', changed);
  }

  // The core's classification of this page's raw signals (time, geo, device, referrer, utm).
  derive() {
    const derived = guard(() => JSON.parse(this.engine.context(rawSignals(this.now(), this.pageReferrer))), {});
    return isObject(derived) && !derived.error ? derived : {};
  }

  buildContext(first, derived = this.derive()) {
    const now = this.now();
    const path = globalThis.location ? globalThis.location.pathname : '/';
    if (first || !this.state) {
      const ref = derived.referrer || {};
      const utm = derived.utm || {};
      const entry = { category: ref.category || 'direct' };
      if (ref.source) entry.source = ref.source;
      if (utm.source) entry.source = entry.source || utm.source;
      if (utm.medium) entry.medium = utm.medium;
      if (utm.campaign) entry.campaign = utm.campaign;
      const server = this.server || this.serverFetched;
      this.state = this.stored;
      this.change((previous) => {
        const next = advance(previous, now, path, entry);
        if (next.new_visit) next.landing = { referrer: ref, utm };
        if (server) next.server = server;
        return next;
      });
      // Interests and goals recorded before the first decision (the page's own script at start).
      for (const record of this.early || []) this.change(record);
      this.early = null;
    }
    const s = this.state;
    // Later pages of a visit keep the visit's own referrer and campaign.
    const cat = derived.referrer && derived.referrer.category;
    if (!s.new_visit && s.landing && (cat === 'internal' || cat === 'direct' || !cat)) {
      if (s.landing.referrer) derived.referrer = s.landing.referrer;
      if (s.landing.utm) derived.utm = derived.campaign = s.landing.utm;
    }
    const ctx = merge(underlay(derived, s.server), contextGroups(s, path));
    ctx.consent = {
      analytics: this.consent.analytics,
      personalization: this.consent.personalization,
      gpc: this.privacy.gpc,
      dnt: this.privacy.dnt,
    };
    ctx.custom = merge({}, this.custom);
    ctx.visitor = { id: s.id };
    return merge(merge(ctx, this.overrides), this.replaced);
  }

  // Every change to the visit state goes through here: `step(state)` changes it in place (and
  // returns nothing) or returns the next one, and is kept until written, for persist() to apply again to another tab's state.
  change(step) {
    const next = step(this.state);
    if (next && typeof next === 'object') this.state = next;
    (this.pending || (this.pending = [])).push(step);
  }

  // Writes the visit state. If another tab of the site wrote it since this page read or wrote
  // it (shoppers open products in tabs), this page's own changes are applied to that state
  // instead, so that neither tab's page views, interests and goals are lost.
  persist() {
    if (!this.canPersist() || !this.state) return;
    const key = this.prefix + 'state';
    const now = readText(key);
    if (now && now !== this.basis) {
      let theirs = guard(() => JSON.parse(now), null);
      if (theirs && theirs.v === 1) {
        for (const step of this.pending || []) {
          const next = step(theirs);
          if (next && typeof next === 'object') theirs = next;
        }
        this.state = Object.assign(theirs, { new_visit: this.state.new_visit });
      }
    }
    const s = Object.assign({}, this.state);
    delete s.new_visit;
    const text = JSON.stringify(s);
    // Not written (storage full or blocked): the steps wait for the next write, which is then
    // still made over what this page last read or wrote.
    if (!writeText(key, text)) return;
    this.basis = text;
    this.pending = [];
  }

  decideAndShow(first, derived) {
    const ctx = this.buildContext(first, derived);
    // Explanations in full only when someone reads them (debug mode, or a page that shows them:
    // the `explain` option); otherwise summaries, which cost less to make and to parse.
    // Outside debug mode the wasm answers with numbers into texts parsed once per rule set
    // (engine.decideBrief): no JSON to write and parse per decision. Its fixed parts are frozen.
    const explain = !!(this.debugMode || this.options.explain);
    const result = guard(
      () => (explain ? JSON.parse(this.engine.decideLoaded(this.rulesId, ctx, { explain })) : this.engine.decideBrief(this.rulesId, ctx)),
      null,
    );
    if (!result || result.error) {
      this.fail('decide failed: ' + (result ? JSON.stringify(result.error) : 'no answer'));
      return;
    }
    guard(() => this.applyForced(result));
    // A rule set's first brief decision skips the catalog decideBrief needs from the second on;
    // it is made in idle time, so a later decision (an interest, consent) does not wait for it.
    if (!explain && this.preparedId !== this.rulesId) {
      this.preparedId = this.rulesId;
      const id = this.rulesId;
      const later = globalThis.requestIdleCallback ? (f) => globalThis.requestIdleCallback(f, { timeout: 2000 }) : (f) => setTimeout(f, 0);
      later(() => {
        if (guard(() => this.engine.prepareBrief(id), false) && this.timing.prepared === undefined) this.timing.prepared = clock() - moduleStart;
      });
    }
    const previous = this.result;
    this.context = ctx;
    this.result = result;
    this.status = 'decided';
    const stage = result.journey && result.journey.stage;
    if (stage) this.change((s) => {
      s.journey.stage = stage;
    });
    this.persist();
    for (const el of this.slots) {
      // A slot that already fell back keeps its default for the rest of the page view: swapping
      // it now would flicker. A new page view (page()) decides it again.
      if (isSettled(el) && (first ? !previous : isFallback(el))) continue;
      const name = el.getAttribute('data-ithaca-slot');
      guard(() => render(el, result.decisions && result.decisions[name]));
      this.watchExposure(el, name);
    }
    if (first) {
      if (this.timing.decided === undefined) this.timing.decided = clock() - moduleStart;
      this.settleAll();
      this.pageview();
    }
    for (const sub of this.subscribers) {
      const before = previous && previous.decisions && previous.decisions[sub.slot];
      const now = result.decisions && result.decisions[sub.slot];
      if (sub.slot === null || !before || !now || before.variant !== now.variant || first) this.notify(sub);
    }
    if (this.debugMode) logDecisions(result, ctx);
    this.refreshDebug();
  }

  notify(sub) {
    guard(() => {
      if (sub.slot === null) sub.cb(this.result ? copyJson(this.result.decisions) : {}, this.result && copyJson(this.result));
      else {
        const d = this.decision(sub.slot);
        if (d) sub.cb(d, sub.slot);
      }
    });
  }

  watchExposure(el, slot) {
    if (typeof IntersectionObserver !== 'function') return;
    if (!this.observer) {
      this.observer = new IntersectionObserver((entries) => {
        for (const e of entries) {
          if (e.isIntersecting && (!this.doc || this.doc.visibilityState !== 'hidden')) {
            this.observer.unobserve(e.target);
            this.expose(e.target.getAttribute('data-ithaca-slot'));
          }
        }
      });
    }
    this.observer.observe(el);
    void slot;
  }

  // Queues an event fitted to what the tracker accepts (LIMITS): text cleaned and cut, props
  // and context copied now, a member that cannot be sent left out with a warning.
  event(type, name, props) {
    const loc = globalThis.location;
    const ts = this.now();
    const e = {
      type,
      id: eventId(ts),
      ts,
      url: fitText(loc ? loc.href : '', LIMITS.url),
      referrer: fitText(this.pageReferrer, LIMITS.url),
    };
    if (name !== undefined) {
      e.name = fitText(name, LIMITS.name);
      if (!e.name) return warn(`${type} without a name: not sent`);
    }
    if (props !== undefined && props !== null) {
      e.props = isObject(props) ? jsonCopy(props, LIMITS.props) : undefined;
      if (e.props === undefined) warn(`${type} ${e.name || ''}: props left out (not a JSON object, or over 4 KB)`);
    }
    // context.visitor is settled when the batch is sent (withVisitorId): consent may change first.
    if (this.context) {
      e.context =
        jsonCopy(this.context, LIMITS.context) || jsonCopy(Object.assign({}, this.context, { custom: {} }), LIMITS.context);
      if (!e.context) warn(`${type}: context left out (over 16 KB)`);
    }
    this.queue.push(e);
  }

  pageview() {
    this.pageviewSent = true;
    this.event('pageview');
  }

  // followed: counted by spa: true. The app's own page() for the URL just counted that way (a
  // router hook beside spa: true) is the same page view, not a second one.
  view(followed) {
    if (!followed && this.followed === pageKey()) {
      this.followed = null; // once: a later page() at this URL is a page view of its own
      return;
    }
    // Before the first decision the page view is still the first one, at the new URL (a
    // router's redirect): it keeps the document's referrer, which the visit is classified by.
    if (this.status !== 'starting') this.pageReferrer = this.pageUrl;
    this.pageUrl = globalThis.location ? globalThis.location.href : '';
    this.pageKey = pageKey();
    this.followed = followed ? this.pageKey : null;
    this.exposed.clear();
    const known = this.slots;
    this.keepSlots(findSlots(this.root));
    for (const el of this.slots) if (!known.includes(el) && !this.result && !this.timer) fallback(el);
    if (this.result && this.rulesId) {
      this.stored = Object.assign({}, this.state, { new_visit: undefined });
      this.decideAndShow(true);
    } else if (this.status !== 'starting') this.pageview(); // failed: the page view still counts
    // (still starting: the first decision is this page's)
  }

  // ---- public API (every method guarded) ----

  // A page view without a page load (a single-page app's route change, after the URL changed):
  // the visit counts a page view at the new path, the previous URL becomes the referrer,
  // exposures are reported again, slots are looked for again, and the new page is decided.
  page() {
    guard(() => this.view(false));
  }

  decision(slot) {
    return guard(() => {
      const d = this.result && this.result.decisions && this.result.decisions[slot];
      return d ? copyJson(d) : null;
    }, null);
  }

  decisions() {
    return guard(() => (this.result ? copyJson(this.result) : null), null);
  }

  subscribe(slot, cb) {
    return guard(
      () => {
        if (typeof slot === 'function') [slot, cb] = [null, slot];
        const sub = { slot: slot === undefined ? null : slot, cb };
        this.subscribers.add(sub);
        if (this.result) this.notify(sub);
        return () => this.subscribers.delete(sub);
      },
      () => {},
    );
  }

  onChange(cb) {
    return this.subscribe(null, cb);
  }

  // Before the first decision there is no visit state yet: interests and goals wait for it
  // (`early`), and the first decision includes them.
  later(record) {
    if (this.state) return false;
    (this.early || (this.early = [])).push(record);
    return true;
  }

  track(name, props) {
    guard(() => {
      if (props && props.interest) this.interest(props.interest);
      this.event('event', name, props);
    });
  }

  conversion(goal, props) {
    guard(() => {
      const record = (s) => addGoal(s, goal);
      if (!this.later(record)) {
        this.change(record);
        this.persist();
      }
      this.event('conversion', goal, props);
      this.redecide();
    });
  }

  interest(name) {
    guard(() => {
      const record = (s) => addInterest(s, name);
      if (this.later(record)) return;
      this.change(record);
      this.persist();
      this.redecide();
    });
  }

  expose(slot) {
    guard(() => {
      const d = this.decision(slot);
      if (!d || !d.experiment) return;
      const key = slot + '\u001f' + d.experiment.id + '\u001f' + d.variant;
      if (this.exposed.has(key)) return;
      this.exposed.add(key);
      this.event('exposure', slot, {
        slot,
        experiment: d.experiment.id,
        variant: d.experiment.variant,
        bucket: d.experiment.bucket,
      });
    });
  }

  setConsent(consent) {
    guard(() => {
      const c = Object.assign({}, consent);
      if (this.blocked) return; // GPC / DNT win over a site default
      if (c.analytics !== undefined) this.consent.analytics = !!c.analytics;
      if (c.personalization !== undefined) this.consent.personalization = !!c.personalization;
      // A record of the choice needs no consent (it is what lets a refusal last).
      writeJson(this.prefix + 'consent', this.consent);
      if (!this.consent.personalization) {
        removeKeys(this.prefix + 'state');
        removeKeys(this.prefix + 'rules:');
        removeKeys(this.prefix + 'outbox');
      } else this.persist();
      // Events wait for a decision on analytics: dropped only when it is refused, not when
      // another category is decided first (consent managers report them one by one).
      if (this.consent.analytics) this.queue.flush();
      else if (c.analytics !== undefined) this.queue.drop();
      this.redecide();
    });
  }

  setCustom(custom) {
    guard(() => {
      merge(this.custom, attributes(custom));
      this.redecide();
    });
  }

  updateContext(partial) {
    guard(() => {
      merge(this.overrides, attributes(partial));
      this.redecide();
    });
  }

  replaceContext(values) {
    guard(() => {
      this.replaced = merge({}, attributes(values));
      this.redecide();
    });
  }

  redecide() {
    if (this.result && this.engine && this.rulesId) this.decideAndShow(false);
  }

  flush() {
    guard(() => this.queue.flush());
  }

  debug(mode = true) {
    guard(() => {
      const was = this.debugMode;
      this.debugMode = mode;
      if (!mode) hideOverlay(this.doc);
      // Turning debug on decides again, for the explanations in full (it logs them).
      if (mode && !was && this.result) this.redecide();
      else if (mode && this.result) logDecisions(this.result, this.context);
      this.refreshDebug();
    });
  }

  refreshDebug() {
    guard(() => {
      if (this.debugMode === 'overlay') showOverlay(this.doc, this.result, this.status);
    });
  }

  getContext() {
    return guard(() => (this.context ? merge({}, this.context) : null), null);
  }
}

// A stand-in when even construction failed: the same API, doing nothing.
const inert = {
  ready: Promise.resolve(),
  status: 'failed',
  timing: {},
  decision: () => null,
  decisions: () => null,
  subscribe: () => () => {},
  onChange: () => () => {},
  track() {},
  conversion() {},
  interest() {},
  expose() {},
  page() {},
  setConsent() {},
  setCustom() {},
  updateContext() {},
  replaceContext() {},
  flush() {},
  debug() {},
  getContext: () => null,
};

let current = inert;

/** Starts the SDK for this page. Never throws; returns the instance (await `.ready`). */
export function start(options) {
  try {
    current = new Ithaca(options || {});
  } catch (e) {
    warn('start failed', e);
    guard(() => {
      for (const el of findSlots(typeof document !== 'undefined' ? document : null)) fallback(el);
    });
    current = inert;
  }
  return current;
}

export const instance = () => current;
export const decision = (slot) => current.decision(slot);
export const decisions = () => current.decisions();
export const subscribe = (slot, cb) => current.subscribe(slot, cb);
export const onChange = (cb) => current.onChange(cb);
export const track = (name, props) => current.track(name, props);
export const conversion = (goal, props) => current.conversion(goal, props);
export const interest = (name) => current.interest(name);
export const expose = (slot) => current.expose(slot);
export const page = () => current.page();
export const setConsent = (c) => current.setConsent(c);
export const setCustom = (c) => current.setCustom(c);
export const updateContext = (c) => current.updateContext(c);
export const replaceContext = (c) => current.replaceContext(c);
export const flush = () => current.flush();
export const debug = (mode) => current.debug(mode);
export const getContext = () => current.getContext();
