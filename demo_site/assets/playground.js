// The rules playground: a rule-set editor checked by the wasm core as you type (errors marked at
// their position), a simulated visitor turned into a context by the same core, every slot's
// decision and explanation live, a preview of the shop with that context, and publishing to the
// tracker with the admin token.
import { explanationHtml, variantLabel, esc } from './explain.js';
import { locateValues, errorRange, lineColumn } from './json_locator.js';

const SITE = 'demo';
const DRAFT_KEY = 'northwind:playground-draft';
const PREVIEW_KEY = 'northwind:preview';
const TOKEN_KEY = 'northwind:admin-token';
const STAGES = ['awareness', 'consideration', 'purchase', 'loyalty'];

const DEVICES = {
  'desktop-chrome': ['Desktop · Chrome on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'],
  'mac-safari': ['Desktop · Safari on macOS', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15'],
  'iphone-safari': ['iPhone · Safari', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'],
  'android-chrome': ['Android · Chrome', 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36'],
  ipad: ['iPad · Safari', 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'],
  'iphone-instagram': ['iPhone · Instagram in-app browser', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 330.0.0.18.85 (iPhone15,2; iOS 17_4; en_US; en; scale=3.00; 1179x2556; 590185431)'],
  googlebot: ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
  custom: ['Custom User-Agent…', ''],
};
const TIMEZONES = [
  'Europe/Berlin', 'Europe/Vienna', 'Europe/Zurich', 'Europe/Paris', 'Europe/Amsterdam', 'Europe/Madrid',
  'Europe/London', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'America/Sao_Paulo',
  'Asia/Tokyo', 'Asia/Singapore', 'Australia/Sydney', 'UTC',
];
const COUNTRIES = ['', 'DE', 'AT', 'CH', 'FR', 'NL', 'ES', 'IT', 'GB', 'IE', 'US', 'CA', 'BR', 'JP', 'SG', 'AU'];
const LANDING = 'https://northwind.example/';

// Scenarios: a click sets the form to a visitor worth looking at.
const PRESETS = [
  { id: 'berlin-morning', label: 'Berlin, 7:30, iPhone', set: { time: '07:30', timezone: 'Europe/Berlin', country: '', languages: 'de-DE, de, en', device: 'iphone-safari' } },
  { id: 'ny-evening-search', label: 'New York evening, from Google', set: { time: '20:15', timezone: 'America/New_York', country: 'US', languages: 'en-US', device: 'desktop-chrome', referrer: 'https://www.google.com/' } },
  { id: 'newsletter', label: 'Newsletter click', set: { landing: LANDING + '?utm_source=newsletter&utm_medium=email&utm_campaign=roast-notes' } },
  { id: 'winter-campaign', label: 'Winter campaign ad', set: { landing: LANDING + '?utm_source=google&utm_medium=cpc&utm_campaign=winter-blend&gclid=demo' } },
  { id: 'instagram', label: 'Instagram in-app', set: { device: 'iphone-instagram', referrer: 'https://l.instagram.com/' } },
  { id: 'espresso-fan', label: 'Returning espresso fan', set: { visits: 4, days: 3, interests: 'espresso', stage: 'consideration' } },
  { id: 'lapsed', label: 'Back after 45 days', set: { visits: 6, days: 45 } },
  { id: 'cart', label: 'Items in the cart', set: { cart: 2, stage: 'purchase' } },
  { id: 'loyal', label: 'Loyal customer', set: { orders: 3, stage: 'loyalty', visits: 12, days: 9 } },
  { id: 'black-friday', label: 'Black Friday', set: { date: '2026-11-28', time: '10:00' } },
];

const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ time zones

function zoneParts(epoch, timeZone) {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const p = Object.fromEntries(f.formatToParts(new Date(epoch)).map((x) => [x.type, x.value]));
  return { y: +p.year, mo: +p.month, d: +p.day, h: +p.hour % 24, mi: +p.minute, s: +p.second };
}

/** Minutes east of UTC in `timeZone` at `epoch`. */
export function offsetMinutes(epoch, timeZone) {
  const p = zoneParts(epoch, timeZone);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  return Math.round((asUtc - Math.floor(epoch / 1000) * 1000) / 60000);
}

/** "2026-11-22T08:30" on the wall clocks of `timeZone` → epoch milliseconds. */
export function wallToEpoch(wall, timeZone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(wall || '');
  if (!m) return Date.now();
  const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  let epoch = guess - offsetMinutes(guess, timeZone) * 60000;
  epoch = guess - offsetMinutes(epoch, timeZone) * 60000;
  return epoch;
}

function epochToWall(epoch, timeZone) {
  const p = zoneParts(epoch, timeZone);
  const two = (n) => String(n).padStart(2, '0');
  return `${p.y}-${two(p.mo)}-${two(p.d)}T${two(p.h)}:${two(p.mi)}`;
}

// ------------------------------------------------------------------ the engine

/**
 * The tools engine (/sdk/tools/ithaca-tools.mjs): the core with every entry point — check,
 * decide and compile JSON rule sets — which the SDK's page engine leaves out
 * (docs/compiled-rules.md).
 */
async function loadEngine(tools) {
  const engine = await tools.loadEngine();
  if (!engine || typeof engine.check !== 'function') throw new Error('the tools engine did not load');
  return engine;
}

// ------------------------------------------------------------------ the page

export async function runPlayground(tools) {
  const pg = new Playground();
  try {
    pg.engine = await loadEngine(tools);
    $('engine-status').textContent = 'Rules engine ready (WebAssembly)';
  } catch (e) {
    $('engine-status').textContent = 'The rules engine did not load: ' + e.message;
    document.documentElement.setAttribute('data-playground', 'failed');
    return pg;
  }
  await pg.start();
  return pg;
}

class Playground {
  constructor() {
    this.text = $('rules-text');
    this.timer = 0;
    this.lastGood = null; // the last rule set text that passed check
    this.lastVariants = {};
  }

  async start() {
    this.buildForm();
    this.wireEditor();
    this.wirePublish();
    this.wirePreview();
    const draft = localStorage.getItem(DRAFT_KEY);
    if (draft) this.setRules(draft, 'your draft');
    else await this.loadPublished();
    document.documentElement.setAttribute('data-playground', 'ready');
  }

  // ---------------------------------------------------------------- rules text

  async loadPublished() {
    let text = null;
    let source = '';
    try {
      const r = await fetch(`/v1/rules/${SITE}`, { cache: 'no-cache' });
      if (r.ok) {
        text = await r.text();
        source = 'published on the tracker';
      }
    } catch {
      /* try the file below */
    }
    if (text === null) {
      const r = await fetch('/rules/demo.json', { cache: 'no-cache' });
      text = await r.text();
      source = 'demo_site/rules/demo.json';
    }
    localStorage.removeItem(DRAFT_KEY);
    this.setRules(text, source);
  }

  setRules(text, source) {
    this.text.value = text;
    $('rules-source').textContent = source ? `(${source})` : '';
    this.onRulesChanged(true);
  }

  wireEditor() {
    this.text.addEventListener('input', () => {
      $('rules-source').textContent = '(edited)';
      localStorage.setItem(DRAFT_KEY, this.text.value);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.onRulesChanged(), 120);
    });
    this.text.addEventListener('scroll', () => this.syncScroll());
    this.text.addEventListener('keydown', (e) => {
      // Tab indents inside the editor; Escape then Tab leaves it (keyboard users are not trapped).
      if (e.key === 'Escape') this.tabLeaves = true;
      else if (e.key === 'Tab' && !e.shiftKey && !this.tabLeaves) {
        e.preventDefault();
        const { selectionStart: s, selectionEnd: t, value } = this.text;
        this.text.value = value.slice(0, s) + '  ' + value.slice(t);
        this.text.selectionStart = this.text.selectionEnd = s + 2;
        this.text.dispatchEvent(new Event('input'));
      }
    });
    this.text.addEventListener('focus', () => (this.tabLeaves = false));
    $('load-published').addEventListener('click', () => this.loadPublished());
    $('format-rules').addEventListener('click', () => {
      try {
        this.text.value = JSON.stringify(JSON.parse(this.text.value), null, 2) + '\n';
        this.text.dispatchEvent(new Event('input'));
      } catch {
        $('check-status').textContent = 'Fix the JSON errors first, then format.';
      }
    });
    $('error-list').addEventListener('click', (e) => {
      const item = e.target.closest('[data-offset]');
      if (!item) return;
      const at = Number(item.getAttribute('data-offset'));
      this.text.focus();
      this.text.setSelectionRange(at, Number(item.getAttribute('data-end')) || at + 1);
      this.scrollToIndex(at);
    });
  }

  syncScroll() {
    $('mirror').style.transform = `translate(${-this.text.scrollLeft}px, ${-this.text.scrollTop}px)`;
    $('gutter').style.transform = `translateY(${-this.text.scrollTop}px)`;
  }

  scrollToIndex(at) {
    const { line } = lineColumn(this.text.value, at);
    const lh = parseFloat(getComputedStyle(this.text).lineHeight) || 20;
    this.text.scrollTop = Math.max(0, (line - 5) * lh);
    this.syncScroll();
  }

  onRulesChanged() {
    const text = this.text.value;
    const report = this.safeJson(this.engine.check(text));
    const errors = report && report.ok === false ? report.errors || [] : [];
    if (report && report.error) errors.push({ kind: 'engine', message: report.error.message, path: '$' });
    this.showErrors(text, errors);
    if (!errors.length) this.lastGood = text;
    this.decide();
  }

  safeJson(text) {
    try {
      return JSON.parse(text);
    } catch {
      return { ok: false, errors: [{ kind: 'engine', path: '$', message: String(text).slice(0, 200) }] };
    }
  }

  showErrors(text, errors) {
    const status = $('check-status');
    const list = $('error-list');
    const ranges = errors.some((e) => e.path && e.path !== '$') ? locateValues(text) : null;
    const located = errors.map((e) => ({ e, r: errorRange(text, e, ranges) }));
    list.innerHTML = located
      .map(({ e, r }, n) => {
        const where = r ? lineColumn(text, r.start) : null;
        const at = where ? `Line ${where.line}, column ${where.column}` : 'Rule set';
        const attrs = r ? ` data-offset="${r.start}" data-end="${r.end}" data-line="${where.line}" data-column="${where.column}"` : '';
        return `<li class="error-item"${attrs} data-kind="${esc(e.kind)}" data-path="${esc(e.path || '')}" id="error-${n}">
          ${r ? `<button type="button" class="error-jump">${at}</button>` : `<span class="error-jump">${at}</span>`}
          <span class="error-msg">${esc(e.message)}</span> <code class="error-path">${esc(e.path || '')}</code></li>`;
      })
      .join('');
    status.className = 'check-status ' + (errors.length ? 'bad' : 'ok');
    status.textContent = errors.length
      ? `${errors.length} error${errors.length === 1 ? '' : 's'} — decisions below use the last valid rule set.`
      : 'No errors: the rule set is valid.';
    this.drawMirror(text, located.map((x) => x.r).filter(Boolean));
  }

  drawMirror(text, marks) {
    marks.sort((a, b) => a.start - b.start);
    let html = '';
    let at = 0;
    const errorLines = new Set();
    for (const m of marks) {
      if (m.start < at) continue;
      html += esc(text.slice(at, m.start));
      const inner = text.slice(m.start, m.end);
      html += `<mark class="syntax-error">${esc(inner === '\n' || inner === '' ? ' ' : inner)}</mark>`;
      if (inner === '\n') html += '\n';
      at = m.end;
      errorLines.add(lineColumn(text, m.start).line);
    }
    html += esc(text.slice(at)) + '\n';
    $('mirror').innerHTML = html;
    const lines = text.split('\n').length;
    let g = '';
    for (let i = 1; i <= lines; i++) g += errorLines.has(i) ? `<span class="err">${i}</span>\n` : `${i}\n`;
    $('gutter').innerHTML = g;
    this.syncScroll();
  }

  // ---------------------------------------------------------------- simulated context

  buildForm() {
    const tz = $('ctx-timezone');
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const zones = TIMEZONES.includes(local) ? TIMEZONES : [local].concat(TIMEZONES);
    tz.innerHTML = zones.map((z) => `<option${z === 'Europe/Berlin' ? ' selected' : ''}>${esc(z)}</option>`).join('');
    $('ctx-time').value = epochToWall(Date.now(), tz.value);
    $('ctx-country').innerHTML = COUNTRIES.map((c) => `<option value="${c}">${c || 'From the timezone'}</option>`).join('');
    $('ctx-device').innerHTML = Object.entries(DEVICES).map(([id, [label]]) => `<option value="${id}">${esc(label)}</option>`).join('');
    $('ctx-ua').value = DEVICES['desktop-chrome'][1];
    $('ctx-languages').value = 'en-US, en';
    $('ctx-stage').innerHTML = ['']
      .concat(STAGES)
      .map((s) => `<option value="${s}">${s || 'From the visit (none yet)'}</option>`)
      .join('');
    $('ctx-visitor').value = 'demo-visitor-1';
    $('presets').innerHTML =
      '<button type="button" class="preset" data-preset="reset">Reset</button>' +
      PRESETS.map((p) => `<button type="button" class="preset" data-preset="${p.id}">${esc(p.label)}</button>`).join('');

    $('ctx-device').addEventListener('change', () => {
      const d = DEVICES[$('ctx-device').value];
      if (d && d[1]) $('ctx-ua').value = d[1];
      this.decide();
    });
    $('ctx-ua').addEventListener('input', () => {
      const match = Object.entries(DEVICES).find(([, [, ua]]) => ua === $('ctx-ua').value);
      $('ctx-device').value = match ? match[0] : 'custom';
    });
    $('context-form').addEventListener('input', () => this.decide());
    $('context-form').addEventListener('change', () => this.decide());
    $('context-form').addEventListener('submit', (e) => e.preventDefault());
    $('new-visitor').addEventListener('click', () => {
      $('ctx-visitor').value = 'v-' + Math.random().toString(36).slice(2, 10);
      this.decide();
    });
    $('presets').addEventListener('click', (e) => {
      const b = e.target.closest('[data-preset]');
      if (b) this.applyPreset(b.getAttribute('data-preset'));
    });
  }

  applyPreset(id) {
    const reset = {
      time: '14:00', timezone: 'Europe/Berlin', country: '', languages: 'en-US, en', device: 'desktop-chrome',
      referrer: '', landing: '', visits: 1, days: 0, pageviews: 1, stage: '', interests: '', cart: 0, orders: 0,
    };
    const p = PRESETS.find((x) => x.id === id);
    const s = Object.assign({}, reset, p ? p.set : {});
    const date = s.date || epochToWall(Date.now(), s.timezone).slice(0, 10);
    $('ctx-timezone').value = s.timezone;
    $('ctx-time').value = `${date}T${s.time}`;
    $('ctx-country').value = s.country;
    $('ctx-languages').value = s.languages;
    $('ctx-device').value = s.device;
    $('ctx-ua').value = DEVICES[s.device][1];
    $('ctx-referrer').value = s.referrer;
    $('ctx-landing').value = s.landing;
    $('ctx-visits').value = s.visits;
    $('ctx-days').value = s.days;
    $('ctx-pageviews').value = s.pageviews;
    $('ctx-stage').value = s.stage;
    $('ctx-interests').value = s.interests;
    $('ctx-cart').value = s.cart;
    $('ctx-orders').value = s.orders;
    for (const b of document.querySelectorAll('.preset')) b.setAttribute('aria-pressed', String(b.getAttribute('data-preset') === id));
    this.decide();
  }

  /** The context the core decides with: raw signals classified by the core, plus visit state. */
  context() {
    const tz = $('ctx-timezone').value || 'UTC';
    const now = wallToEpoch($('ctx-time').value, tz);
    const landing = $('ctx-landing').value.trim() || LANDING;
    let host = 'northwind.example';
    try {
      host = new URL(landing).host;
    } catch {
      /* keep the default */
    }
    const raw = {
      user_agent: $('ctx-ua').value,
      url: landing,
      referrer: $('ctx-referrer').value.trim(),
      site_host: host,
      now,
      tz_offset_minutes: offsetMinutes(now, tz),
      timezone: tz,
      languages: $('ctx-languages').value.split(',').map((s) => s.trim()).filter(Boolean),
    };
    const derived = this.safeJson(this.engine.context(raw));
    const ctx = derived && !derived.error && !derived.errors ? derived : {};
    const int = (id, min) => Math.max(min, parseInt($(id).value, 10) || 0);
    const visits = int('ctx-visits', 1);
    ctx.geo = Object.assign({}, ctx.geo);
    ctx.geo.country = $('ctx-country').value || ctx.geo.timezone_country || '';
    ctx.visit = {
      first: visits === 1,
      count: visits,
      days_since_last: visits === 1 ? 0 : int('ctx-days', 0),
      pageviews: int('ctx-pageviews', 1),
      landing_path: '/',
      path: '/',
    };
    ctx.journey = {
      stage: $('ctx-stage').value,
      interests: $('ctx-interests').value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
      touchpoints: [],
    };
    const gpc = $('ctx-gpc').checked;
    ctx.consent = {
      analytics: !gpc && $('ctx-analytics').checked,
      personalization: !gpc && $('ctx-personalization').checked,
      gpc,
      dnt: false,
    };
    ctx.custom = { cart_items: int('ctx-cart', 0), orders: int('ctx-orders', 0) };
    ctx.visitor = { id: $('ctx-visitor').value.trim() || 'anonymous' };
    return ctx;
  }

  // ---------------------------------------------------------------- decisions

  decide() {
    if (!this.engine) return;
    const rules = this.lastGood;
    const ctx = this.context();
    this.ctx = ctx;
    $('context-json').textContent = JSON.stringify(ctx, null, 2);
    const root = $('decisions');
    if (!rules) {
      root.innerHTML = '<p class="muted">No valid rule set yet.</p>';
      return;
    }
    const result = this.safeJson(this.engine.decide(rules, ctx));
    if (!result || result.error || !result.decisions) {
      root.innerHTML = `<p class="bad">The core could not decide: ${esc(JSON.stringify(result && result.error))}</p>`;
      return;
    }
    this.result = result;
    root.classList.toggle('stale', this.lastGood !== this.text.value);
    const j = result.journey || {};
    $('journey-line').innerHTML = `Journey stage <strong>${esc(j.stage || '—')}</strong>${j.advanced ? ' (advanced by this visit)' : ''} · rule set <code>${esc(result.version || '')}</code>`;
    root.innerHTML = Object.entries(result.decisions)
      .map(([slot, d]) => {
        const changed = this.lastVariants[slot] !== undefined && this.lastVariants[slot] !== d.variant;
        const props = d.props && Object.keys(d.props).length ? `<p class="props">${esc(Object.values(d.props)[0])}</p>` : '<p class="props muted">(nothing shown)</p>';
        return `<article class="decision card${changed ? ' changed' : ''}" data-slot="${esc(slot)}" data-variant="${esc(d.variant)}" data-reason="${esc(d.reason)}" aria-labelledby="d-${esc(slot)}">
          <h3 id="d-${esc(slot)}">${esc(slot)}</h3>
          <p class="variant"><code>${esc(d.variant)}</code> ${variantLabel(d)}</p>
          ${props}
          <details><summary>Explanation</summary>${explanationHtml(slot, d, null)}</details>
        </article>`;
      })
      .join('');
    for (const [slot, d] of Object.entries(result.decisions)) this.lastVariants[slot] = d.variant;
    document.documentElement.setAttribute('data-decided', String(Date.now()));
    if (this.previewOpen) this.schedulePreview();
  }

  // ---------------------------------------------------------------- preview

  wirePreview() {
    $('preview-button').addEventListener('click', () => this.showPreview());
    $('preview-tab').addEventListener('click', () => this.writePreview());
  }

  writePreview() {
    const ctx = this.ctx || this.context();
    const context = {};
    for (const g of ['time', 'geo', 'device', 'referrer', 'utm', 'campaign', 'url', 'visit', 'journey', 'consent', 'custom', 'visitor']) {
      if (ctx[g] !== undefined) context[g] = ctx[g];
    }
    // The shop's SDK loads compiled rule sets only: the preview carries the rules compiled.
    const compiled = this.lastGood ? this.engine.compile(this.lastGood) : {};
    const rules = compiled.bytes ? btoa(Array.from(compiled.bytes, (b) => String.fromCharCode(b)).join('')) : undefined;
    localStorage.setItem(PREVIEW_KEY, JSON.stringify({ rules, context, at: Date.now() }));
  }

  showPreview() {
    this.writePreview();
    this.previewOpen = true;
    const holder = $('preview-frame');
    let frame = holder.querySelector('iframe');
    if (!frame) {
      frame = document.createElement('iframe');
      frame.title = 'Shop preview';
      frame.src = '/?preview=1';
      holder.appendChild(frame);
    } else frame.contentWindow.location.reload();
  }

  schedulePreview() {
    clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(() => this.showPreview(), 400);
  }

  // ---------------------------------------------------------------- publish

  wirePublish() {
    const token = $('admin-token');
    token.value = sessionStorage.getItem(TOKEN_KEY) || '';
    token.addEventListener('change', () => sessionStorage.setItem(TOKEN_KEY, token.value));
    $('publish').addEventListener('click', () => this.publish());
    $('show-versions').addEventListener('click', () => this.showVersions());
    $('versions').addEventListener('click', (e) => {
      const b = e.target.closest('[data-rollback]');
      if (b) this.rollback(Number(b.getAttribute('data-rollback')));
    });
  }

  async admin(method, path, body) {
    const token = $('admin-token').value.trim();
    if (!token) throw new Error('Enter the admin token first.');
    const r = await fetch(`/v1/admin/sites/${SITE}/${path}`, {
      method,
      headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
      body,
    });
    let json = null;
    try {
      json = await r.json();
    } catch {
      /* not JSON */
    }
    if (r.status === 401 || r.status === 403) throw new Error('The tracker refused the admin token.');
    return { status: r.status, json };
  }

  async publish() {
    const status = $('publish-status');
    status.className = 'publish-status';
    status.textContent = 'Publishing…';
    try {
      const { status: code, json } = await this.admin('PUT', 'rules', this.text.value);
      if (code === 201 || code === 200) {
        status.className = 'publish-status ok';
        status.textContent = `Published version ${json.version}. Visitors get it on their next page view.`;
        localStorage.removeItem(DRAFT_KEY);
        $('rules-source').textContent = '(published on the tracker)';
        if ($('versions').innerHTML) this.showVersions();
      } else if (json && json.error && json.error.errors) {
        status.className = 'publish-status bad';
        status.textContent = `The tracker refused the rule set: ${json.error.message}.`;
        this.showErrors(this.text.value, json.error.errors);
      } else {
        status.className = 'publish-status bad';
        status.textContent = `Publishing failed (HTTP ${code}): ${(json && json.error && json.error.message) || 'no details'}`;
      }
    } catch (e) {
      status.className = 'publish-status bad';
      status.textContent = e.message;
    }
  }

  async showVersions() {
    const root = $('versions');
    try {
      const { status, json } = await this.admin('GET', 'rules/versions');
      if (status !== 200 || !json) throw new Error(`Versions are unavailable (HTTP ${status}).`);
      root.innerHTML = `<table class="versions"><caption>Published versions</caption>
        <thead><tr><th scope="col">Version</th><th scope="col">Published</th><th scope="col">Source</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead><tbody>${(json.versions || [])
          .map(
            (v) => `<tr><td>${esc(v.version)}${v.active ? ' <span class="pill rule">active</span>' : ''}</td><td>${esc(new Date(v.created).toLocaleString())}</td><td>${esc(v.source)}</td>
            <td>${v.active ? '' : `<button type="button" class="button small secondary" data-rollback="${esc(v.version)}">Make active</button>`}</td></tr>`,
          )
          .join('')}</tbody></table>`;
    } catch (e) {
      root.innerHTML = `<p class="bad">${esc(e.message)}</p>`;
    }
  }

  async rollback(version) {
    const status = $('publish-status');
    try {
      const { status: code, json } = await this.admin('POST', 'rules/rollback', JSON.stringify({ version }));
      status.className = 'publish-status ' + (code === 200 ? 'ok' : 'bad');
      status.textContent = code === 200 ? `Version ${json.version} is active again.` : `Rollback failed: ${json?.error?.message || code}`;
      this.showVersions();
    } catch (e) {
      status.className = 'publish-status bad';
      status.textContent = e.message;
    }
  }
}
