// The dashboard in headless Chromium: the seed command fills a real tracker with generated
// traffic, and the page draws every report it can get from /v1/stats/demo/… with uPlot. A
// second test serves fixed report responses (page.route) so the drawing of every chart —
// time series, breakdowns, funnel, experiments with intervals — is checked on known numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getEnv, closeEnv, admin } from './env.mjs';
import { newPage, screenshot, auditAccessibility, ADMIN_TOKEN } from './support.mjs';
import { seed } from '../../demo_site/tools/seed.mjs';

let env;
before(async () => {
  env = await getEnv();
});
after(closeEnv);

async function openDashboard(page) {
  await page.goto(`${env.tracker.url}/dashboard.html#token=${ADMIN_TOKEN}`);
  await page.waitForFunction(() => ['ready', 'partial', 'empty', 'failed'].includes(document.documentElement.getAttribute('data-dashboard')), null, { timeout: 20000 });
  return page.evaluate(() => document.documentElement.getAttribute('data-dashboard'));
}

const chartStates = (page) =>
  page.$$eval('.plot[id^="chart-"]', (els) =>
    Object.fromEntries(els.map((el) => [el.id.replace('chart-', ''), { state: el.getAttribute('data-state'), canvas: !!el.querySelector('canvas'), text: el.innerText.trim() }])),
  );

test('the seed command fills the tracker and the dashboard shows it', { timeout: 120000 }, async (t) => {
  const sent = await seed({ url: env.tracker.url, visitors: 250, days: 6, seed: 11, token: ADMIN_TOKEN, quiet: true });
  assert.ok(sent.events > 500, `seeded ${sent.events} events`);
  const summary = (await admin(env, 'GET', '/v1/stats/demo/summary')).json;
  assert.ok(summary.visitors >= 150, `visitors after seeding: ${JSON.stringify(summary)}`);
  assert.ok(summary.pageviews >= 400, `page views after seeding: ${JSON.stringify(summary)}`);
  // --if-empty does nothing the second time.
  const again = await seed({ url: env.tracker.url, ifEmpty: true, token: ADMIN_TOKEN, quiet: true });
  assert.equal(again.skipped, true);

  const { page, errors, context } = await newPage(env.browser, { viewport: { width: 1400, height: 1000 }, timezoneId: 'Europe/Berlin' });
  const state = await openDashboard(page);
  const kpi = await page.locator('#kpis').innerText();
  assert.match(kpi, new RegExp(new Intl.NumberFormat('en').format(summary.pageviews)), `the page-view total ${summary.pageviews} is shown: ${kpi}`);
  await screenshot(page, 'dashboard-live');
  const charts = await chartStates(page);
  const unavailable = Object.entries(charts).filter(([, c]) => c.state !== 'drawn');
  // Missing report endpoints are the reports engineer's to add; the page says so and the test
  // names them instead of failing on them.
  const notFound = unavailable.filter(([, c]) => / answered 404$/.test(c.text));
  const failedOtherwise = unavailable.filter(([, c]) => !/ answered 404$/.test(c.text));
  assert.deepEqual(failedOtherwise, [], 'reports that failed for another reason than a missing endpoint');
  if (notFound.length) {
    assert.equal(state, 'partial');
    t.diagnostic(`reports API not available on this tracker: ${notFound.map(([k, c]) => `${k} (${c.text})`).join('; ')}`);
  } else {
    assert.equal(state, 'ready');
    for (const [name, c] of Object.entries(charts)) assert.ok(c.canvas, `${name} has no chart`);
    assert.ok(await page.locator('#experiments .experiment').count() >= 1);
  }
  // Only the 404s of missing reports may show up as failed loads.
  assert.deepEqual(errors.filter((e) => !/status of 404 .*\/v1\/stats\/demo\//.test(e)), []);
  await context.close();
});

// Report responses in the shapes the dashboard reads (see demo_site/assets/reports.js).
function fixtures(now) {
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

test('every chart draws known report numbers (fixed responses)', { timeout: 60000 }, async () => {
  const { page, errors, context } = await newPage(env.browser, { viewport: { width: 1400, height: 1000 }, timezoneId: 'Europe/Berlin' });
  const f = fixtures(Date.now());
  await page.route('**/v1/stats/demo/**', (route) => {
    const url = new URL(route.request().url());
    const report = url.pathname.split('/').pop();
    const by = url.searchParams.get('by');
    const body = report === 'breakdown' ? f[by] : f[report];
    if (route.request().headers().authorization !== `Bearer ${ADMIN_TOKEN}`) return route.fulfill({ status: 401, json: { error: { code: 'unauthorized', message: 'token' } } });
    return body ? route.fulfill({ status: 200, json: body }) : route.fulfill({ status: 404, json: { error: { code: 'not_found', message: 'no such report' } } });
  });
  const state = await openDashboard(page);
  assert.equal(state, 'ready', await page.locator('#dash-status').innerText());
  const charts = await chartStates(page);
  for (const name of ['timeseries', 'referrers', 'devices', 'countries', 'funnel', 'exp-0', 'exp-1']) {
    assert.equal(charts[name]?.state, 'drawn', `${name}: ${JSON.stringify(charts[name])}`);
    assert.ok(charts[name].canvas, `${name} has a canvas`);
  }
  // The numbers are on the page: KPIs, tables, lift and its interval, the SRM warning.
  assert.match(await page.locator('#kpis').innerText(), /3,811/);
  assert.match(await page.locator('#table-referrers').textContent(), /search/);
  assert.match(await page.locator('#table-funnel').textContent(), /consideration1,72045\.1%/);
  const hero = await page.locator('[data-experiment="hero-headline"]').innerText();
  assert.match(hero, /\+31\.4%/);
  assert.match(hero, /\+10\.0% … \+53\.0%/);
  assert.match(hero, /significant/);
  assert.match(await page.locator('[data-experiment="free-shipping-cta"]').innerText(), /Sample ratio mismatch/);
  // The canvas really has ink on it (not an empty frame).
  const inked = await page.$eval('#chart-timeseries canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
  assert.ok(inked > 2000, `time series canvas has ${inked} painted pixels`);
  await screenshot(page, 'dashboard');
  assert.deepEqual(await auditAccessibility(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('without a token the dashboard asks for one', { timeout: 30000 }, async () => {
  const { page, errors, context } = await newPage(env.browser, {});
  await page.goto(`${env.tracker.url}/dashboard.html`);
  await page.waitForFunction(() => document.documentElement.getAttribute('data-dashboard') === 'needs-token');
  await page.getByLabel('Admin token').fill('not-the-token-at-all');
  await page.getByRole('button', { name: 'Show reports' }).click();
  await page.waitForFunction(() => /refused/.test(document.getElementById('dash-status').textContent));
  assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
  await context.close();
});
