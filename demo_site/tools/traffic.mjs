// Realistic generated traffic for the demo shop: visitors with a device, a country and timezone,
// a way in (direct, search, social, newsletter, paid, a winter campaign), one or more visits over
// the last days with a daily rhythm, page views, category interest, the two experiments of
// demo_site/rules/demo.json with exposures and goal conversions, and journeys that move from
// awareness to loyalty. Deterministic for a given seed. Each visit is one /v1/collect batch,
// sent with that visitor's User-Agent so the tracker classifies the device itself.

/** A small seeded PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (weighted) => {
    const total = weighted.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [v, w] of weighted) if ((r -= w) < 0) return v;
    return weighted[weighted.length - 1][0];
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  return { next, pick, int, chance: (p) => next() < p };
}

const DEVICES = [
  [{ kind: 'iphone', ua: (v) => `Mozilla/5.0 (iPhone; CPU iPhone OS 17_${v % 6} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${v % 6} Mobile/15E148 Safari/604.1` }, 30],
  [{ kind: 'android', ua: (v) => `Mozilla/5.0 (Linux; Android ${12 + (v % 3)}; Pixel ${6 + (v % 3)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${120 + (v % 6)}.0.0.0 Mobile Safari/537.36` }, 22],
  [{ kind: 'windows', ua: (v) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${118 + (v % 8)}.0.0.0 Safari/537.36` }, 22],
  [{ kind: 'mac', ua: (v) => `Mozilla/5.0 (Macintosh; Intel Mac OS X 14_${v % 5}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${v % 5} Safari/605.1.15` }, 12],
  [{ kind: 'firefox', ua: (v) => `Mozilla/5.0 (X11; Linux x86_64; rv:${120 + (v % 6)}.0) Gecko/20100101 Firefox/${120 + (v % 6)}.0` }, 4],
  [{ kind: 'ipad', ua: (v) => `Mozilla/5.0 (iPad; CPU OS 17_${v % 5} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${v % 5} Mobile/15E148 Safari/604.1` }, 7],
  [{ kind: 'bot', ua: () => 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' }, 2],
  [{ kind: 'instagram', ua: (v) => `Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 330.0.0.${v % 90}.85 (iPhone15,2; iOS 17_4; en_US; en; scale=3.00; 1179x2556; 590185431)` }, 3],
];

const COUNTRIES = [
  [{ country: 'DE', tz: 'Europe/Berlin', offset: 60, lang: ['de-DE', 'de', 'en'] }, 30],
  [{ country: 'US', tz: 'America/New_York', offset: -300, lang: ['en-US', 'en'] }, 14],
  [{ country: 'US', tz: 'America/Los_Angeles', offset: -480, lang: ['en-US', 'en'] }, 6],
  [{ country: 'GB', tz: 'Europe/London', offset: 0, lang: ['en-GB', 'en'] }, 11],
  [{ country: 'FR', tz: 'Europe/Paris', offset: 60, lang: ['fr-FR', 'fr', 'en'] }, 8],
  [{ country: 'NL', tz: 'Europe/Amsterdam', offset: 60, lang: ['nl-NL', 'nl', 'en'] }, 7],
  [{ country: 'AT', tz: 'Europe/Vienna', offset: 60, lang: ['de-AT', 'de'] }, 5],
  [{ country: 'CH', tz: 'Europe/Zurich', offset: 60, lang: ['de-CH', 'de', 'fr'] }, 4],
  [{ country: 'JP', tz: 'Asia/Tokyo', offset: 540, lang: ['ja-JP', 'ja'] }, 4],
  [{ country: 'AU', tz: 'Australia/Sydney', offset: 660, lang: ['en-AU', 'en'] }, 4],
  [{ country: 'BR', tz: 'America/Sao_Paulo', offset: -180, lang: ['pt-BR', 'pt'] }, 3],
  [{ country: 'ES', tz: 'Europe/Madrid', offset: 60, lang: ['es-ES', 'es'] }, 4],
];

// How a visit arrives: the referrer and the landing query string.
const ARRIVALS = [
  [{ referrer: '', query: '' }, 30],
  [{ referrer: 'https://www.google.com/', query: '' }, 20],
  [{ referrer: 'https://www.bing.com/', query: '' }, 4],
  [{ referrer: 'https://duckduckgo.com/', query: '' }, 3],
  [{ referrer: 'https://l.instagram.com/', query: '' }, 6],
  [{ referrer: 'https://www.facebook.com/', query: '' }, 4],
  [{ referrer: 'https://www.reddit.com/r/Coffee/', query: '' }, 3],
  [{ referrer: '', query: '?utm_source=newsletter&utm_medium=email&utm_campaign=roast-notes' }, 8],
  [{ referrer: 'https://www.google.com/', query: '?utm_source=google&utm_medium=cpc&utm_campaign=brand&gclid=seed' }, 7],
  [{ referrer: '', query: '?utm_source=meta&utm_medium=paid_social&utm_campaign=winter-blend' }, 5],
  [{ referrer: 'https://coffee-blog.example/best-beans', query: '' }, 4],
];

const CATEGORIES = [['espresso', 40], ['filter', 30], ['decaf', 12], ['gear', 18]];
const SKUS = {
  espresso: ['hamburg-espresso', 'crema-forte'],
  filter: ['ethiopia-guji', 'colombia-huila'],
  decaf: ['night-owl'],
  gear: ['hand-grinder', 'pour-over-kit'],
};
const PRICES = { 'hamburg-espresso': 12.9, 'crema-forte': 13.5, 'ethiopia-guji': 14.2, 'colombia-huila': 13.2, 'night-owl': 12.4, 'hand-grinder': 49, 'pour-over-kit': 29 };
// Visitors' local hour weights: mornings and evenings are busy, nights are quiet.
const HOURS = [1, 0.6, 0.4, 0.3, 0.3, 0.6, 2, 4, 5, 4.5, 3.5, 3, 3.5, 3, 2.6, 2.6, 3, 3.4, 4, 5, 5.5, 4.5, 3, 1.8].map((w, h) => [h, w]);

const STAGES = ['awareness', 'consideration', 'purchase', 'loyalty'];
const DAY = 86400000;

/** FNV-1a: a stable bucket 0..9999 for a visitor and an experiment (demo only). */
function bucket(id, experiment) {
  let h = 0x811c9dc5;
  for (const ch of `${experiment}:${id}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 10000;
}

function visitStart(r, now, days, offsetMin) {
  // A day in the window, then a local hour from the daily rhythm, converted to UTC.
  for (;;) {
    const dayBack = r.int(0, Math.max(0, Math.ceil(days) - 1));
    const hour = r.pick(HOURS);
    const localMidnight = Math.floor((now + offsetMin * 60000) / DAY) * DAY - dayBack * DAY;
    const ts = localMidnight + hour * 3600000 + r.int(0, 3599) * 1000 - offsetMin * 60000;
    if (ts < now - 2 * 3600000 && ts > now - days * DAY) return ts; // whole visits in the past
  }
}

/**
 * Generates visits: [{userAgent, visitorId|null, events: [...]}], each to send as one batch.
 * `base` is the shop's URL origin (so later pages of a visit are internal referrals).
 */
export function generateVisits({ seed = 7, visitors = 600, days = 6.5, now = Date.now(), base = 'http://127.0.0.1:8080' } = {}) {
  const r = rng(seed);
  const out = [];
  for (let v = 0; v < visitors; v++) {
    const device = r.pick(DEVICES);
    const where = r.pick(COUNTRIES);
    const userAgent = device.ua(r.int(0, 1000));
    const consented = device.kind !== 'bot' && r.chance(0.75);
    const id = `seed-${seed}-${v.toString(36)}-${Math.floor(r.next() * 1e9).toString(36)}`;
    const visits = r.pick([[1, 62], [2, 20], [3, 10], [4, 5], [6, 3]]);
    const starts = Array.from({ length: visits }, () => visitStart(r, now, days, where.offset)).sort((a, b) => a - b);
    const heroVariant = bucket(id, 'hero-headline') < 5000 ? 'standard' : 'benefit';
    const ctaBucket = bucket(id, 'free-shipping-cta');
    const ctaVariant = ctaBucket < 8000 ? (ctaBucket % 2 ? 'free-shipping' : 'browse') : null;
    let stage = 0;
    let interests = [];
    for (let n = 0; n < visits; n++) {
      const t0 = starts[n];
      if (n > 0 && t0 - starts[n - 1] < 30 * 60000) continue;
      const arrival = n === 0 || r.chance(0.5) ? r.pick(ARRIVALS) : { referrer: '', query: '' };
      const pages = Math.min(8, 1 + Math.floor(-Math.log(1 - r.next()) * (n ? 2.6 : 1.8)));
      const events = [];
      let ts = t0;
      let path = '/';
      let url = base + '/' + arrival.query;
      let referrer = arrival.referrer;
      const ctx = (pageviews) => ({
        time: { timezone: where.tz },
        geo: { country: where.country, languages: where.lang },
        visit: { first: n === 0, count: n + 1, pageviews, landing_path: '/' },
        journey: { stage: STAGES[stage], interests: interests.slice(0, 3) },
      });
      const ev = (type, extra) => {
        events.push(Object.assign({ type, id: `${id}-${n}-${events.length}`, ts, url, referrer, context: ctx(events.filter((e) => e.type === 'pageview').length) }, extra));
        ts += r.int(4, 40) * 1000;
      };
      for (let p = 0; p < pages; p++) {
        ev('pageview');
        if (device.kind === 'bot') continue; // crawlers read pages, nothing else
        if (p === 0 && path === '/') {
          ev('exposure', { name: 'hero', props: { slot: 'hero', experiment: 'hero-headline', variant: heroVariant, bucket: bucket(id, 'hero-headline') } });
        }
        if (p + 1 >= 3 && stage < 1) stage = 1;
        // Browse: a category (an interest) and maybe a product page.
        if (r.chance(0.55)) {
          const cat = r.pick(interests.length && r.chance(0.6) ? [[interests[0], 1]] : CATEGORIES);
          if (!interests.includes(cat)) interests = [cat].concat(interests);
          if (stage < 1) stage = 1;
          ev('event', { name: 'view_category', props: { category: cat, interest: cat } });
          if (stage >= 1 && ctaVariant && r.chance(0.7)) {
            ev('exposure', { name: 'cta', props: { slot: 'cta', experiment: 'free-shipping-cta', variant: ctaVariant, bucket: ctaBucket } });
          }
          referrer = url;
          const sku = SKUS[cat][r.int(0, SKUS[cat].length - 1)];
          path = '/product.html?sku=' + sku;
          url = base + path;
          // Goals: the benefit headline and the free-shipping CTA convert a little better.
          const addRate = (heroVariant === 'benefit' ? 0.14 : 0.12) + (n ? 0.08 : 0);
          if (r.chance(addRate)) {
            ev('conversion', { name: 'add_to_cart', props: { sku, value: PRICES[sku], experiment: 'hero-headline', variant: heroVariant } });
            if (stage < 2) stage = 2;
            const checkoutRate = ctaVariant === 'free-shipping' ? 0.5 : 0.42;
            if (r.chance(checkoutRate)) {
              url = base + '/#cart';
              ev('conversion', { name: 'checkout', props: { value: Math.round(PRICES[sku] * r.int(1, 3) * 100) / 100, experiment: ctaVariant ? 'free-shipping-cta' : undefined, variant: ctaVariant || undefined } });
              stage = 3;
            }
          }
        } else {
          referrer = url;
          url = base + '/';
        }
      }
      out.push({ userAgent, visitorId: consented ? id : null, events });
    }
  }
  return out;
}
