// Fixed report responses in the tracker's shapes (server_tracker/src/reports/reports.cpp,
// docs/reports.md), for checking the dashboard's charts on known numbers.

export function fixtures(now) {
  const hour = 3600000;
  const start = Math.floor(now / hour) * hour - 167 * hour;
  const rows = Array.from({ length: 168 }, (_, i) => {
    const ts = start + i * hour;
    const h = new Date(ts).getUTCHours();
    const wave = 20 + 18 * Math.sin(((h - 4) / 24) * 2 * Math.PI) + (i % 7);
    return { bucket: new Date(ts).toISOString().slice(0, 13), ts, visitors: Math.round(wave), pageviews: Math.round(wave * 2.7), events: Math.round(wave * 6) };
  });
  const breakdown = (dimension, pairs) => {
    const total = pairs.reduce((n, [, v]) => n + v, 0);
    return { report: 'breakdown', dimension, total_rows: pairs.length, totals: { visitors: total, pageviews: total * 3, events: total * 7 },
      rows: pairs.map(([value, visitors]) => ({ value, visitors, pageviews: visitors * 3, events: visitors * 7, entries: visitors, share: visitors / total })) };
  };
  const variant = (id, control, visitors, exposures, conversions, extra = {}) => ({
    variant: id, weight: 50, control, visitors, exposures, conversions, rate: conversions / visitors,
    lift: null, lift_low: null, lift_high: null, z: null, p_value: null, significant: null, ...extra,
  });
  return {
    summary: { site: 'demo', events: 24512, pageviews: 10490, visitors: 3811, bot_events: 120 },
    timeseries: { report: 'timeseries', interval: 'hour', totals: { visitors: 3811, pageviews: 10490, events: 24512 }, rows },
    referrer_category: breakdown('referrer_category', [['direct', 1320], ['search', 1040], ['social', 520], ['paid', 450], ['email', 300], ['other', 181]]),
    device: breakdown('device', [['mobile', 1990], ['desktop', 1450], ['tablet', 371]]),
    country: breakdown('country', [['DE', 1150], ['US', 760], ['GB', 420], ['FR', 300], ['NL', 260], ['AT', 190], ['CH', 150], ['JP', 140], ['AU', 130], ['ES', 120], ['BR', 90]]),
    funnel: { report: 'funnel', stages: [
      { stage: 'awareness', position: 1, visitors: 3811, conversion: null, overall: 1, drop_off: null },
      { stage: 'consideration', position: 2, visitors: 1720, conversion: 1720 / 3811, overall: 1720 / 3811, drop_off: 2091 },
      { stage: 'purchase', position: 3, visitors: 512, conversion: 512 / 1720, overall: 512 / 3811, drop_off: 1208 },
      { stage: 'loyalty', position: 4, visitors: 240, conversion: 240 / 512, overall: 240 / 3811, drop_off: 272 },
    ] },
    experiments: {
      report: 'experiments', test: 'two-sided two-proportion z-test (pooled)', interval: 'relative lift, log ratio (Katz) interval', confidence: 0.95, unit: 'visitor-day',
      experiments: [
        { experiment: 'hero-headline', goal: 'add_to_cart', control: 'standard', test: 'two-sided two-proportion z-test (pooled)', confidence: 0.95,
          srm: { test: 'chi-square goodness of fit', statistic: 0.24, df: 1, p_value: 0.62, warning: false },
          variants: [
            variant('standard', true, 1880, 2410, 226),
            variant('benefit', false, 1905, 2466, 301, { lift: 0.3145, lift_low: 0.1, lift_high: 0.53, z: 3.3, p_value: 0.0009, significant: true }),
            // Few units: a lift of +900% with a wide interval, and one with no lift to show.
            variant('espresso', false, 30, 40, 10, { lift: 9, lift_low: 0.23, lift_high: 64.6, z: 2.9, p_value: 0.003, significant: true }),
            variant('night', false, 12, 15, 0),
          ] },
        { experiment: 'free-shipping-cta', goal: 'checkout', control: 'browse', test: 'two-sided two-proportion z-test (pooled)', confidence: 0.95,
          srm: { test: 'chi-square goodness of fit', statistic: 8.2, df: 1, p_value: 0.0004, warning: true },
          variants: [
            variant('browse', true, 610, 800, 61),
            variant('free-shipping', false, 702, 910, 84, { lift: 0.197, lift_low: -0.12, lift_high: 0.51, z: 1.15, p_value: 0.25, significant: false }),
          ] },
      ],
    },
  };
}

/** Answers /v1/stats/demo/… in `page` from `f`, 401 without the token, 404 for other reports. */
export function routeFixtures(page, f, token) {
  return page.route('**/v1/stats/demo/**', (route) => {
    const url = new URL(route.request().url());
    const report = url.pathname.split('/').pop();
    const body = report === 'breakdown' ? f[url.searchParams.get('dimension')] : f[report];
    if (route.request().headers().authorization !== `Bearer ${token}`) return route.fulfill({ status: 401, json: { error: { code: 'unauthorized', message: 'token' } } });
    return body ? route.fulfill({ status: 200, json: body }) : route.fulfill({ status: 404, json: { error: { code: 'not_found', message: 'no such report' } } });
  });
}
