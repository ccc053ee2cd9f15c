// The dashboard in headless Chromium: the seed command fills a real tracker with generated
// traffic, and the page draws every report it can get from /v1/stats/demo/… with uPlot. A
// second test serves fixed report responses (page.route) so the drawing of every chart —
// time series, breakdowns, funnel, experiments with intervals — is checked on known numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getEnv, closeEnv, admin } from './env.mjs';
import { newPage, screenshot, auditAccessibility, ADMIN_TOKEN } from './support.mjs';
import { seed } from '../../demo_site/tools/seed.mjs';
import { fixtures, routeFixtures } from './report_fixtures.mjs';

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
  assert.ok(summary.visitors >= 100, `visitors after seeding: ${JSON.stringify(summary)}`);
  assert.ok(summary.pageviews >= 400, `page views after seeding: ${JSON.stringify(summary)}`);
  // --if-empty does nothing the second time.
  const again = await seed({ url: env.tracker.url, ifEmpty: true, token: ADMIN_TOKEN, quiet: true });
  assert.equal(again.skipped, true);

  const { page, errors, context } = await newPage(env.browser, { viewport: { width: 1400, height: 1000 }, timezoneId: 'Europe/Berlin' });
  const state = await openDashboard(page);
  // The KPIs count the whole days the dashboard shows (the last 7, today included), as its time
  // series reports them. Not every event the tracker holds: the shop's tests post events dated
  // on a fixed Wednesday, which is outside those days for the first hours of the day a week later.
  const to = Date.now();
  const series = (await admin(env, 'GET', `/v1/stats/demo/timeseries?interval=hour&from=${to - 6 * 86400000}&to=${to}`)).json;
  const shown = (await admin(env, 'GET', `/v1/stats/demo/summary?from=${series.from_ms}&to=${series.to_ms}`)).json;
  assert.ok(shown.pageviews >= 400, `page views in the days shown: ${JSON.stringify(shown)}`);
  const kpi = await page.locator('#kpis').innerText();
  assert.match(kpi, new RegExp(new Intl.NumberFormat('en').format(shown.pageviews)), `the page-view total ${shown.pageviews} of the days shown is on the page: ${kpi}`);
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

test('every chart draws known report numbers (fixed responses)', { timeout: 60000 }, async () => {
  const { page, errors, context } = await newPage(env.browser, { viewport: { width: 1400, height: 1000 }, timezoneId: 'Europe/Berlin' });
  const f = fixtures(Date.now());
  await routeFixtures(page, f, ADMIN_TOKEN);
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
  // Lifts are fractions whatever their size, and only the control is the baseline.
  assert.match(hero, /\+900\.0%/);
  assert.match(hero, /\+23\.0% … \+6460\.0%/);
  assert.equal(hero.match(/baseline/g).length, 1, hero);
  // The busiest hour is the tracker's bucket of the site's calendar, not the browser's zone
  // (Europe/Berlin here; the fixtures' site is on UTC).
  const peak = f.timeseries.rows.reduce((a, b) => (b.visitors > a.visitors ? b : a));
  const hourName = new Date(`${peak.bucket}:00Z`).toLocaleString('en', { weekday: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  assert.ok((await page.locator('#kpis').innerText()).includes(hourName), `busiest hour ${hourName}`);
  assert.match(await page.locator('[data-experiment="free-shipping-cta"]').innerText(), /Sample ratio mismatch \(p = 0\.00040\)/);
  assert.doesNotMatch(await page.locator('[data-experiment="hero-headline"]').innerText(), /Sample ratio mismatch/);
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
