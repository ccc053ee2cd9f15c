// Fixed report responses in the shapes the dashboard reads (see demo_site/assets/reports.js),
// for checking the charts on known numbers.

export function fixtures(now) {
  const hour = 3600;
  const start = Math.floor(now / 1000 / hour) * hour - 167 * hour;
  const buckets = Array.from({ length: 168 }, (_, i) => {
    const h = new Date((start + i * hour) * 1000).getUTCHours();
    const wave = 20 + 18 * Math.sin(((h - 4) / 24) * 2 * Math.PI) + (i % 7);
    return { ts: (start + i * hour) * 1000, visitors: Math.round(wave), pageviews: Math.round(wave * 2.7) };
  });
  const rows = (pairs) => ({ rows: pairs.map(([value, visitors]) => ({ value, visitors, pageviews: visitors * 3 })) });
  return {
    summary: { site: 'demo', events: 24512, pageviews: 10490, visitors: 3811, bot_events: 120 },
    timeseries: { interval: 'hour', buckets },
    referrer_category: rows([['direct', 1320], ['search', 1040], ['social', 520], ['email', 300], ['paid', 450], ['other', 181]]),
    device_type: rows([['mobile', 1990], ['desktop', 1450], ['tablet', 371]]),
    country: rows([['DE', 1150], ['US', 760], ['GB', 420], ['FR', 300], ['NL', 260], ['AT', 190], ['CH', 150], ['JP', 140], ['AU', 130], ['ES', 120], ['BR', 90]]),
    funnel: { stages: [{ stage: 'awareness', visitors: 3811 }, { stage: 'consideration', visitors: 1720 }, { stage: 'purchase', visitors: 512 }, { stage: 'loyalty', visitors: 240 }] },
    experiments: {
      experiments: [
        {
          id: 'hero-headline', goal: 'add_to_cart', test: 'two-sided z-test for two proportions', confidence: 0.95, srm: { warning: false, p_value: 0.62 },
          variants: [
            { variant: 'standard', exposures: 1880, conversions: 226, conversion_rate: 0.1202, lift: null },
            { variant: 'benefit', exposures: 1905, conversions: 301, conversion_rate: 0.158, lift: 0.3145, lift_ci: [0.1, 0.53], p_value: 0.0009, significant: true },
          ],
        },
        {
          id: 'free-shipping-cta', goal: 'checkout', test: 'two-sided z-test for two proportions', confidence: 0.95, srm: { warning: true, p_value: 0.004 },
          variants: [
            { variant: 'browse', exposures: 610, conversions: 61, conversion_rate: 0.1, lift: null },
            { variant: 'free-shipping', exposures: 702, conversions: 84, conversion_rate: 0.1197, lift: 0.197, lift_ci: [-0.12, 0.51], p_value: 0.25, significant: false },
          ],
        },
      ],
    },
  };
}

/** Answers /v1/stats/demo/… in `page` from `f`, 401 without the token, 404 for other reports. */
export function routeFixtures(page, f, token) {
  return page.route('**/v1/stats/demo/**', (route) => {
    const url = new URL(route.request().url());
    const report = url.pathname.split('/').pop();
    const by = url.searchParams.get('by');
    const body = report === 'breakdown' ? f[by] : f[report];
    if (route.request().headers().authorization !== `Bearer ${token}`) return route.fulfill({ status: 401, json: { error: { code: 'unauthorized', message: 'token' } } });
    return body ? route.fulfill({ status: 200, json: body }) : route.fulfill({ status: 404, json: { error: { code: 'not_found', message: 'no such report' } } });
  });
}
