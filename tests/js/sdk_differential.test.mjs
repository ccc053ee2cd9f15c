// Random differential testing of the two homes: thousands of generated contexts, expressions and
// raw signals go through the wasm engine (npm package) and the native `ithaca` command, and the
// JSON text must be identical. Seeds are fixed so any failure replays; ITHACA_DIFF_SEED and
// ITHACA_DIFF_SCALE explore further.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dist, repo } from '../browser/support/paths.mjs';
import { wasmEngine, native, prng } from '../browser/support/engines.mjs';

const SEED = Number(process.env.ITHACA_DIFF_SEED || 20251122);
const SCALE = Number(process.env.ITHACA_DIFF_SCALE || 1);

let engine;
let cli;
before(async () => {
  engine = await wasmEngine();
  cli = native();
});
after(() => cli?.close());

// ---- generators ----

const COUNTRIES = ['DE', 'AT', 'CH', 'FR', 'US', 'GB', 'JP', 'BR', 'IN', 'NL', '', 'de', 'XX'];
const LANGS = ['de-de', 'de', 'en-us', 'en', 'fr-FR', 'ja', 'pt-BR', 'nl', 'zh-Hans-CN', ''];
const DEVICE_TYPES = ['mobile', 'tablet', 'desktop', 'tv', 'bot', ''];
const OSES = ['ios', 'ipados', 'android', 'windows', 'macos', 'linux', 'chromeos', ''];
const BROWSERS = ['chrome', 'safari', 'firefox', 'edge', 'samsung', 'instagram', 'facebook', 'tiktok', ''];
const REF_CATS = ['direct', 'internal', 'search', 'social', 'email', 'paid', 'other'];
const SOURCES = ['google', 'bing', 'facebook', 'instagram', 'newsletter', 'gmail', 'duckduckgo', ''];
const MEDIUMS = ['email', 'cpc', 'social', 'organic', 'paid', 'newsletter', ''];
const CAMPAIGNS = ['winter-sale', 'black-friday', 'spring', 'launch', ''];
const STAGES = ['awareness', 'consideration', 'purchase', 'loyalty', '', 'unknown'];
const INTERESTS = ['espresso', 'filter', 'decaf', 'grinders', 'gifts', 'tea'];
const WEIRD = [null, true, false, 0, -1, 1.5, 1e21, -0.0, 9007199254740993, 'x', '', [], {}, 'ü€😀', [1, 'a', null]];

function randomNow(r) {
  // 2024–2027, with a bias toward holiday seasons and day boundaries.
  const year = r.int(2024, 2027);
  const month = r.chance(0.3) ? r.pick([11, 12, 1]) : r.int(1, 12);
  const day = r.int(1, 28);
  const hour = r.chance(0.2) ? r.pick([0, 23, 11, 12]) : r.int(0, 23);
  const ms = Date.UTC(year, month - 1, day, hour, r.int(0, 59), r.int(0, 59), r.chance(0.5) ? r.int(0, 999) : 0);
  return new Date(ms).toISOString();
}

function maybe(r, p, value) {
  return r.chance(p) ? value : undefined;
}

function prune(o) {
  if (Array.isArray(o)) return o;
  if (o && typeof o === 'object') {
    for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  }
  return o;
}

function randomContext(r) {
  const weird = () => r.pick(WEIRD);
  const ctx = {
    time: maybe(r, 0.95, prune({
      hour: r.chance(0.95) ? r.int(0, 23) : weird(),
      minute: maybe(r, 0.7, r.int(0, 59)),
      weekday: maybe(r, 0.9, r.int(0, 6)),
      now: maybe(r, 0.8, r.chance(0.97) ? randomNow(r) : weird()),
      daypart: maybe(r, 0.5, r.pick(['morning', 'afternoon', 'evening', 'night'])),
      timezone: maybe(r, 0.5, r.pick(['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC'])),
    })),
    geo: maybe(r, 0.9, prune({
      country: r.pick(COUNTRIES),
      languages: r.chance(0.9) ? Array.from({ length: r.int(0, 3) }, () => r.pick(LANGS)) : weird(),
      timezone_country: maybe(r, 0.5, r.pick(COUNTRIES)),
    })),
    device: maybe(r, 0.9, prune({
      type: r.pick(DEVICE_TYPES),
      os: r.pick(OSES),
      browser: r.pick(BROWSERS),
      touch: maybe(r, 0.5, r.chance(0.5)),
      screen_width: maybe(r, 0.5, r.int(320, 2560)),
    })),
    referrer: maybe(r, 0.9, prune({ category: r.pick(REF_CATS), source: r.pick(SOURCES), host: maybe(r, 0.5, 'www.example.com') })),
    utm: maybe(r, 0.8, prune({ source: r.pick(SOURCES), medium: r.pick(MEDIUMS), campaign: r.pick(CAMPAIGNS) })),
    visit: maybe(r, 0.9, prune({
      first: maybe(r, 0.8, r.chance(0.4)),
      count: r.chance(0.95) ? r.int(1, 40) : weird(),
      pageviews: maybe(r, 0.8, r.int(1, 30)),
      days_since_last: maybe(r, 0.8, r.chance(0.9) ? r.int(0, 120) : r.next() * 100),
    })),
    journey: maybe(r, 0.85, prune({
      stage: r.pick(STAGES),
      interests: Array.from({ length: r.int(0, 3) }, () => r.pick(INTERESTS)),
      goals: maybe(r, 0.3, r.chance(0.5) ? ['purchase'] : []),
    })),
    consent: maybe(r, 0.8, { analytics: r.chance(0.7), personalization: r.chance(0.7), gpc: r.chance(0.1), dnt: r.chance(0.1) }),
    visitor: maybe(r, 0.85, { id: r.chance(0.9) ? 'v-' + r.int(0, 1e9).toString(36) + (r.chance(0.1) ? 'ü😀' : '') : weird() }),
    custom: maybe(r, 0.5, { plan: r.pick(['free', 'pro', '']), score: r.chance(0.5) ? r.next() * 1000 : r.int(-5, 5), flag: weird() }),
  };
  return prune(ctx);
}

// Random CEL over a small context: numbers of every kind, strings, lists, maps, macros, errors.
function randomExpression(r, depth = 0) {
  const leaf = () =>
    r.pick([
      () => String(r.int(-100, 100)),
      () => String(r.pick([0, 1, -1, 2, 7, 9223372036854775807n, -9223372036854775808n, 4611686018427387904n])),
      () => `${r.int(0, 1000)}u`,
      () => r.pick(['0.1', '1.5', '-2.25', '1e300', '3.0', '0.0', '-0.0', '1e-7', '123456789.125', '2.5e21', '1e16']),
      () => `'${r.pick(['', 'abc', 'Hello', 'ü€', 'a\\nb', '😀', 'x%y', 'ABC'])}'`,
      () => r.pick(['true', 'false', 'null']),
      () => r.pick(['a', 'b', 'c', 's', 'l', 'm', 'm.k', 'm.n', 'l[0]', 'l[5]', 'missing', 'm.missing', 'd']),
    ])();
  if (depth > 3 || r.chance(0.3)) return leaf();
  const e = () => randomExpression(r, depth + 1);
  return r.pick([
    () => `${e()} ${r.pick(['+', '-', '*', '/', '%'])} ${e()}`,
    () => `${e()} ${r.pick(['==', '!=', '<', '<=', '>', '>='])} ${e()}`,
    () => `${e()} ${r.pick(['&&', '||'])} ${e()}`,
    () => `!${e()}`,
    () => `-${e()}`,
    () => `(${e()} ? ${e()} : ${e()})`,
    () => `${e()} in [${e()}, ${e()}]`,
    () => `${e()} in m`,
    () => `[${e()}, ${e()}]`,
    () => `{'k': ${e()}, 'n': ${e()}}`,
    () => `size(${e()})`,
    () => `${r.pick(['int', 'uint', 'double', 'string', 'bool'])}(${e()})`,
    () => `${e()}.${r.pick(['contains', 'startsWith', 'endsWith'])}(${e()})`,
    () => `s.matches('${r.pick(['^a', 'b+c', '[a-z]+', '(x|y)*z', '\\\\d{2,3}', '.*'])}')`,
    () => `has(m.${r.pick(['k', 'x'])})`,
    () => `l.${r.pick(['all', 'exists', 'exists_one'])}(v, v ${r.pick(['>', '==', '<'])} ${e()})`,
    () => `l.map(v, v ${r.pick(['+', '*'])} ${e()})`,
    () => `l.filter(v, v ${r.pick(['>', '<'])} ${e()})`,
    () => `${e()}[${e()}]`,
  ])();
}

function randomEvalContext(r) {
  return {
    a: r.pick([r.int(-10, 10), 3, 0, 9007199254740993]),
    b: r.pick([r.next() * 10, 0.5, 1e21, -0.0, 2.5]),
    c: r.pick([r.int(0, 5), 'str', true]),
    d: r.pick(['2025-06-02T06:30:00Z', 1.25, null]),
    s: r.pick(['abc', 'Hello World', 'aaabbbc', 'ü€ 12 z', '']),
    l: r.pick([[1, 2, 3], [], [0.5, -1, 7], [1, 'x', null]]),
    m: r.pick([{ k: 1, n: 'v' }, {}, { k: 2.5, x: [1] }]),
  };
}

const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
  'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 330.0.0.0',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
  'curl/8.5.0',
  'Mozilla/5.0 (SMART-TV; Linux; Tizen 7.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/5.0 Chrome/94.0.4606.31 TV Safari/537.36',
  'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  '',
  'ü😀 garbage/1.0 (;;;',
];
const REFERRERS = [
  '',
  'https://www.google.com/',
  'https://www.google.de/search?q=coffee',
  'https://l.facebook.com/l.php?u=x',
  'https://t.co/abc',
  'https://mail.google.com/mail/u/0/',
  'https://shop.example.com/cart',
  'https://news.ycombinator.com/item?id=1',
  'android-app://com.google.android.gm/',
  'not a url',
  'https://duckduckgo.com/',
];

function randomRaw(r) {
  const params = [];
  if (r.chance(0.4)) params.push('utm_source=' + r.pick(SOURCES));
  if (r.chance(0.4)) params.push('utm_medium=' + r.pick(MEDIUMS));
  if (r.chance(0.3)) params.push('utm_campaign=' + encodeURIComponent(r.pick(CAMPAIGNS.concat(['winter sale ü']))));
  if (r.chance(0.15)) params.push(r.pick(['gclid', 'fbclid', 'msclkid']) + '=abc123');
  const raw = {
    user_agent: r.pick(UAS),
    url: `https://shop.example.com/${r.pick(['', 'products/espresso', 'cart'])}${params.length ? '?' + params.join('&') : ''}`,
    referrer: r.pick(REFERRERS),
    site_host: r.pick(['shop.example.com', '', 'example.com']),
    now: r.chance(0.9) ? Date.parse(randomNow(r)) : r.pick([0, -1, 1.5, '2025-01-01T00:00:00Z']),
    tz_offset_minutes: r.pick([0, 60, 120, -300, -420, 330, 345, 540, -180, undefined]),
    timezone: r.pick(['Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata', 'Asia/Kathmandu', 'UTC', '', 'Mars/Base', undefined]),
    languages: r.chance(0.9) ? Array.from({ length: r.int(0, 3) }, () => r.pick(LANGS)) : 'de-DE,de;q=0.9,en;q=0.8',
    max_touch_points: maybe(r, 0.5, r.pick([0, 1, 5])),
    touch: maybe(r, 0.5, r.chance(0.5)),
    screen_width: maybe(r, 0.5, r.int(320, 3840)),
    dark_mode: maybe(r, 0.5, r.chance(0.5)),
  };
  if (r.chance(0.4)) {
    raw.ua_ch = {
      brands: [{ brand: r.pick(['Chromium', 'Google Chrome', 'Microsoft Edge', 'Not:A-Brand']), version: String(r.int(100, 130)) }],
      mobile: r.chance(0.4),
      platform: r.pick(['Windows', 'Android', 'macOS', 'Linux', 'Chrome OS', '']),
    };
    if (r.chance(0.5)) raw.ua_ch.platformVersion = r.pick(['15.0.0', '10.0.0', '14.0.0', '']);
  }
  return prune(raw);
}

// ---- tests ----

function ruleSets() {
  const sets = [readFileSync(join(repo, 'tests', 'browser', 'fixtures', 'rules.json'), 'utf8')];
  for (const p of ['demo_site/rules/demo.json', 'bench/sdk/rules.json']) {
    if (existsSync(join(repo, p))) sets.push(readFileSync(join(repo, p), 'utf8'));
  }
  return sets;
}

test('decisions: random contexts give identical output native and in wasm', () => {
  const r = prng(SEED);
  const sets = ruleSets();
  const perSet = Math.ceil((6000 * SCALE) / sets.length);
  let compared = 0;
  for (const rules of sets) {
    const loaded = engine.load(rules);
    assert.ok(loaded.id > 0, loaded.report);
    const path = cli.rulesFile(rules);
    const contexts = Array.from({ length: perSet }, () => JSON.stringify(randomContext(r)));
    const nativeOut = cli.decideBatch(path, contexts);
    assert.equal(nativeOut.length, contexts.length);
    for (const [i, ctx] of contexts.entries()) {
      const wasm = engine.decideLoaded(loaded.id, ctx);
      if (wasm !== nativeOut[i]) {
        assert.equal(wasm, nativeOut[i], `seed ${SEED}, rule set ${JSON.parse(rules).site}, context ${ctx}`);
      }
      compared++;
    }
    engine.unload(loaded.id);
  }
  assert.ok(compared >= 6000 * SCALE);
});

// What pages run: the page's engine (browser/ithaca.wasm) with the rule set compiled, as the
// tracker serves it, against the native command deciding the JSON (docs/compiled-rules.md).
test('the page engine: compiled rule sets decide as the native command decides their JSON', async () => {
  const { loadPageEngine } = await import(pathToFileURL(join(dist, 'index.mjs')).href);
  const page = await loadPageEngine();
  const r = prng(SEED + 7);
  const sets = ruleSets();
  const perSet = Math.ceil((3000 * SCALE) / sets.length);
  let compared = 0;
  for (const rules of sets) {
    const { bytes, report } = engine.compile(rules);
    assert.ok(bytes, report);
    const { id } = page.loadCompiled(bytes);
    assert.ok(id > 0);
    const contexts = Array.from({ length: perSet }, () => JSON.stringify(randomContext(r)));
    const nativeOut = cli.decideBatch(cli.rulesFile(rules), contexts);
    const tools = engine.load(rules).id;
    for (const [i, ctx] of contexts.entries()) {
      const full = page.decideLoaded(id, ctx);
      if (full !== nativeOut[i]) assert.equal(full, nativeOut[i], `seed ${SEED + 7}, rule set ${JSON.parse(rules).site}, context ${ctx}`);
      const brief = JSON.stringify(page.decideBrief(id, JSON.parse(ctx)));
      const text = engine.decideLoaded(tools, ctx, { explain: false });
      if (brief !== text) assert.equal(brief, text, `seed ${SEED + 7}, rule set ${JSON.parse(rules).site}, context ${ctx}`);
      compared++;
    }
    engine.unload(tools);
  }
  assert.ok(compared >= 3000 * SCALE);
  assert.equal(page.unpackFailures, 0);
  assert.equal(page.failure, null);
});

test('brief decisions rebuilt from numbers equal the brief JSON text, key for key', () => {
  const r = prng(SEED + 3);
  const sets = ruleSets();
  const perSet = Math.ceil((3000 * SCALE) / sets.length);
  let viaCodes = 0;
  let lastViaCodes;
  for (const rules of sets) {
    const { id } = engine.load(rules);
    const contexts = Array.from({ length: perSet }, () => JSON.stringify(randomContext(r)));
    contexts.push('[]', '"text"', '{"visit":', '{}');
    for (const ctx of contexts) {
      const text = engine.decideLoaded(id, ctx, { explain: false });
      // As the SDK calls it: with the object, which the glue packs (context_packer.js).
      const object = ctx.startsWith('{') && ctx.endsWith('}') ? JSON.parse(ctx) : ctx;
      const brief = JSON.stringify(engine.decideBrief(id, object));
      if (brief !== text) assert.equal(brief, text, `seed ${SEED + 3}, rule set ${JSON.parse(rules).site}, context ${ctx}`);
      if (!text.includes('"segment_errors"') && !text.startsWith('{"error"')) {
        viaCodes++;
        lastViaCodes = ctx;
      }
    }
    // Shared parts are frozen: a caller cannot change the next visitor's decision.
    const d = engine.decideBrief(id, lastViaCodes);
    const fixed = Object.values(d.decisions).find((x) => x.reason !== 'experiment');
    assert.ok(Object.isFrozen(fixed) && Object.isFrozen(fixed.explanation));
    engine.unload(id);
    assert.match(JSON.stringify(engine.decideBrief(id, '{}')), /unknown rule set id/);
  }
  // Most answers must come from the numbers, not the fallback to the text.
  assert.ok(viaCodes > 1000 * SCALE, `${viaCodes} answered from numbers`);
  assert.equal(engine.unpackFailures, 0);
});

// What JSON.stringify does with JavaScript's awkward values, the packer must do too: the packed
// context decides exactly as the JSON text of the same object.
test('packed contexts decide as their JSON text for awkward JavaScript values', () => {
  class Point {
    constructor() {
      this.x = 1;
    }
    get y() {
      return 2;
    }
  }
  const hidden = { country: 'DE' };
  Object.defineProperty(hidden, 'type', { value: 'mobile', enumerable: false });
  const inherited = Object.create({ country: 'DE' });
  const bare = Object.create(null);
  bare.country = 'AT';
  const awkward = [
    NaN, Infinity, -Infinity, -0, 2 ** 53, -(2 ** 53), 2 ** 53 + 2, 2 ** 64, 1e21, 1e300, 5e-324, 0.1 + 0.2,
    undefined, () => 1, Symbol('s'), null, true, '', 'de', 'ü€😀', '\ud800', 'a\u0000b\n"\\', 'x'.repeat(5000),
    new Date(Date.UTC(2026, 10, 21, 9)), new Point(), hidden, inherited, bare, { toJSON: () => 'DE' },
    [1, , 3], [undefined, () => 1, Symbol('t')], [['de']], [{ a: 1 }], Object.assign([1, 2], { extra: 3 }),
    { country: 'DE', languages: ['de'] }, new String('DE'), new Number(3), new Boolean(false),
  ];
  const paths = [
    ['geo', 'country'], ['geo', 'languages'], ['geo'], ['device', 'type'], ['device'], ['visit', 'count'],
    ['journey', 'stage'], ['journey', 'interests'], ['custom', 'cart_value'], ['custom'], ['visitor', 'id'],
    ['time', 'hour'], ['time', 'now'], ['time'], ['referrer', 'category'], ['utm', 'campaign'],
  ];
  const r = prng(SEED + 4);
  let compared = 0;
  let unreadInvalid = 0;
  for (const rules of ruleSets()) {
    const { id } = engine.load(rules);
    for (let i = 0; i < 400 * SCALE; i++) {
      const context = randomContext(r);
      for (let k = r.int(1, 4); k > 0; k--) {
        const [group, key] = r.pick(paths);
        const v = r.pick(awkward);
        if (key === undefined) context[group] = v;
        else if (context[group] && typeof context[group] === 'object' && !Array.isArray(context[group])) context[group][key] = v;
        else context[group] = { [key]: v };
      }
      const text = engine.decideLoaded(id, JSON.stringify(context), { explain: false });
      const brief = JSON.stringify(engine.decideBrief(id, context));
      // A value JSON cannot carry (here a lone surrogate) fails the whole text, but only the
      // attributes the rules read are packed: where it is not one of them, the packed context
      // still decides (docs/sdk.md).
      if (text.startsWith('{"error":{"kind":"parse"') && !brief.startsWith('{"error"')) {
        unreadInvalid++;
        continue;
      }
      if (brief !== text) assert.equal(brief, text, `seed ${SEED + 4}, rule set ${JSON.parse(rules).site}, context ${JSON.stringify(context)}`);
      compared++;
    }
    // Not plain objects at the top: decided from their JSON text.
    for (const context of [new Point(), { toJSON: () => ({ geo: { country: 'DE' } }) }, bare]) {
      assert.equal(JSON.stringify(engine.decideBrief(id, context)), engine.decideLoaded(id, JSON.stringify(context), { explain: false }));
    }
    engine.unload(id);
  }
  assert.ok(compared >= 1000 * SCALE && unreadInvalid < compared / 10, `${compared} compared, ${unreadInvalid} unread invalid`);
  assert.equal(engine.unpackFailures, 0);
  // Values JSON cannot write at all, where the rules read (visit.first, device.type): an error
  // answer, and the engine keeps working.
  const { id } = engine.load(ruleSets()[0]);
  const cyclic = ['mobile'];
  cyclic.push(cyclic);
  for (const context of [{ visit: 1n }, { device: { type: cyclic } }]) {
    const answer = engine.decideBrief(id, context);
    assert.equal(answer.error?.kind, 'parse', JSON.stringify(answer));
    assert.match(answer.error.message, /^context cannot be written as JSON: /);
    assert.match(engine.decideLoaded(id, context, { explain: false }), /"kind":"parse","message":"context cannot be written as JSON: /);
  }
  assert.equal(engine.failure, null);
  assert.ok(!engine.decideBrief(id, { geo: { country: 'DE' } }).error);
  engine.unload(id);
});

test('expressions: random CEL over random contexts gives identical output native and in wasm', () => {
  const r = prng(SEED + 1);
  const n = Math.round(5000 * SCALE);
  const lines = Array.from({ length: n }, () => JSON.stringify({ expr: randomExpression(r), context: randomEvalContext(r) }));
  const nativeOut = cli.evalBatch(lines);
  assert.equal(nativeOut.length, n);
  let values = 0;
  for (const [i, line] of lines.entries()) {
    const wasm = engine.evaluateLine(line);
    if (wasm !== nativeOut[i]) assert.equal(wasm, nativeOut[i], `seed ${SEED + 1}, input ${line}`);
    if (wasm.startsWith('{"value"')) values++;
  }
  // The generator must exercise values, not only errors.
  assert.ok(values > n / 5, `${values} of ${n} produced values`);
});

test('context: random raw signals classify identically native and in wasm', () => {
  const r = prng(SEED + 2);
  const n = Math.round(2000 * SCALE);
  const lines = Array.from({ length: n }, () => JSON.stringify(randomRaw(r)));
  const nativeOut = cli.contextBatch(lines);
  assert.equal(nativeOut.length, n);
  for (const [i, line] of lines.entries()) {
    const wasm = engine.context(line);
    if (wasm !== nativeOut[i]) assert.equal(wasm, nativeOut[i], `seed ${SEED + 2}, raw ${line}`);
  }
});
