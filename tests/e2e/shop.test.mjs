// The demo shop in headless Chromium against a real tracker: every scenario of
// demo_site/rules/demo.json shows its variant under an emulated clock and timezone, locale,
// user agent, referrer, landing URL or repeat visit; the "why" panels explain; the journey
// moves from awareness to loyalty through the shop's own cart; events reach the tracker;
// accessibility basics hold and nothing logs a console error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getEnv, closeEnv, admin } from './env.mjs';
import { repo, UA, newPage, shopReady, slot, sdk, screenshot, auditAccessibility, tabThrough } from './support.mjs';

const rules = JSON.parse(readFileSync(join(repo, 'demo_site', 'rules', 'demo.json'), 'utf8'));
const text = (slotName, variant) => {
  const p = rules.slots[slotName].variants[variant].props || {};
  return p.text || p.headline;
};
// Wednesday 18 November 2026, before every holiday schedule of the rule set.
const WED = '2026-11-18';

let env;
before(async () => {
  env = await getEnv();
});
after(closeEnv);

async function visit(options, path = '/', gotoOptions = {}) {
  const p = await newPage(env.browser, { userAgent: UA.desktop, ...options });
  await p.page.goto(env.tracker.url + path, gotoOptions);
  await shopReady(p.page);
  return p;
}

async function expectSlot(page, name, variant, message) {
  const s = await slot(page, name);
  assert.equal(s.variant, variant, `${message}: slot ${name} shows ${s.variant}, expected ${variant}`);
  const want = rules.slots[name].variants[variant].props;
  if (want && (want.text || want.headline)) {
    assert.ok(s.text.includes(text(name, variant)), `${message}: slot ${name} text "${s.text}" lacks "${text(name, variant)}"`);
  }
  return s;
}

test('morning in Berlin with a German browser: Guten Morgen, DACH shipping, the hero A/B test, explained', { timeout: 60000 }, async () => {
  const { page, errors, context } = await visit({ timezoneId: 'Europe/Berlin', locale: 'de-DE', time: `${WED}T06:30:00Z` });
  await expectSlot(page, 'greeting', 'guten-morgen', 'Berlin 07:30');
  await expectSlot(page, 'shipping_notice', 'dach', 'Berlin');
  for (const none of ['holiday_banner', 'app_banner', 'welcome_back', 'source_message']) await expectSlot(page, none, 'none', 'first direct desktop visit');
  await expectSlot(page, 'cta', 'browse', 'awareness');

  // The hero is in the hero-headline experiment: one of its two variants, with its headline.
  const hero = await sdk(page, 'decision', 'hero');
  assert.equal(hero.reason, 'experiment');
  assert.equal(hero.experiment.id, 'hero-headline');
  assert.ok(['standard', 'benefit'].includes(hero.variant));
  await expectSlot(page, 'hero', hero.variant, 'hero experiment');

  // "Why am I seeing this?" opens the explanation, Escape closes it and returns focus.
  const why = page.locator('[aria-controls="why-hero"]');
  await why.click();
  const panel = page.locator('#why-hero');
  await panel.waitFor({ state: 'visible' });
  const explained = await panel.innerText();
  assert.match(explained, /hero-headline/);
  assert.match(explained, new RegExp(`bucket ${hero.experiment.bucket}`));
  assert.match(explained, /hero-night/); // the rules tried first, with why they did not match
  await screenshot(page, 'shop-berlin-morning-why');
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-controls')), 'why-hero');

  // The same visitor keeps the same variant on the next page view.
  await page.reload();
  await shopReady(page);
  assert.equal((await slot(page, 'hero')).variant, hero.variant);

  await screenshot(page, 'shop-berlin-morning');
  assert.deepEqual(await auditAccessibility(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('?ithaca_force previews a variant on the real shop: shown with its text, explained as forced', { timeout: 60000 }, async () => {
  const { page, errors, context } = await visit({ timezoneId: 'Europe/Berlin', locale: 'de-DE', time: `${WED}T06:30:00Z` }, '/?ithaca_force=hero:night,greeting:weekend');
  await expectSlot(page, 'hero', 'night', 'forced');
  await expectSlot(page, 'greeting', 'weekend', 'forced over guten-morgen');
  await expectSlot(page, 'shipping_notice', 'dach', 'not forced');
  const hero = await sdk(page, 'decision', 'hero');
  assert.equal(hero.reason, 'forced');
  assert.equal(hero.experiment, undefined, 'a preview is no exposure');
  await page.locator('[aria-controls="why-greeting"]').click();
  const panel = page.locator('#why-greeting');
  await panel.waitFor({ state: 'visible' });
  assert.match(await panel.innerText(), /forced to 'weekend' \(ithaca_force\); the rules chose 'guten-morgen'/);
  await screenshot(page, 'shop-preview-forced');
  assert.deepEqual(errors, []);
  await context.close();
});

test('afternoon in New York, late night in London, a Saturday morning', { timeout: 60000 }, async () => {
  const cases = [
    { tz: 'America/New_York', locale: 'en-US', time: `${WED}T19:00:00Z`, greeting: 'good-afternoon', shipping: 'us', heroNot: 'night' },
    { tz: 'Europe/London', locale: 'en-GB', time: `${WED}T23:30:00Z`, greeting: 'good-evening', shipping: 'uk', hero: 'night' },
    { tz: 'Europe/London', locale: 'en-GB', time: '2026-11-21T09:30:00Z', greeting: 'weekend', shipping: 'uk' },
  ];
  for (const c of cases) {
    const { page, errors, context } = await visit({ timezoneId: c.tz, locale: c.locale, time: c.time });
    const label = `${c.tz} ${c.time}`;
    await expectSlot(page, 'greeting', c.greeting, label);
    await expectSlot(page, 'shipping_notice', c.shipping, label);
    if (c.hero) await expectSlot(page, 'hero', c.hero, label);
    if (c.hero === 'night') await screenshot(page, 'shop-london-night');
    assert.deepEqual(errors, [], label);
    await context.close();
  }
});

test('holiday banners follow their schedules, on the visitor’s own calendar', { timeout: 60000 }, async () => {
  const cases = [
    ['2026-11-18T10:00:00Z', 'none'],
    ['2026-11-28T10:00:00Z', 'black-friday'],
    ['2026-12-05T10:00:00Z', 'cyber-weekend'], // a Saturday in December
    ['2026-12-09T10:00:00Z', 'winter-holidays'],
    ['2026-12-23T10:00:00Z', 'none'], // gift boxes shipped until 21 December
    ['2027-01-02T10:00:00Z', 'new-year'],
    // Friday 27 November 08:30 in Tokyo is still Thursday in UTC; Thanksgiving evening in New
    // York is already Friday in UTC.
    ['2026-11-26T23:30:00Z', 'black-friday', 'Asia/Tokyo'],
    ['2026-11-27T01:00:00Z', 'none', 'America/New_York'],
  ];
  for (const [time, variant, timezoneId = 'Europe/Berlin'] of cases) {
    const { page, errors, context } = await visit({ timezoneId, locale: 'en-GB', time });
    await expectSlot(page, 'holiday_banner', variant, time);
    if (variant === 'black-friday') await screenshot(page, 'shop-black-friday');
    assert.deepEqual(errors, [], time);
    await context.close();
  }
});

test('phones get the app banner for their platform (never in an in-app browser) and the breakfast hero in the morning', { timeout: 60000 }, async () => {
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, clientHints: false, timezoneId: 'Europe/Berlin', locale: 'en-GB' };
  const cases = [
    { ua: UA.iphone, app: 'ios', time: `${WED}T06:30:00Z`, hero: 'breakfast', shot: 'shop-iphone-morning' },
    { ua: UA.android, app: 'android', time: `${WED}T13:00:00Z` },
    { ua: UA.instagram, app: 'none', time: `${WED}T13:00:00Z` },
  ];
  for (const c of cases) {
    const { page, errors, context } = await visit({ ...phone, userAgent: c.ua, time: c.time });
    await expectSlot(page, 'app_banner', c.app, c.ua.slice(0, 60));
    if (c.hero) await expectSlot(page, 'hero', c.hero, 'phone in the morning');
    if (c.shot) {
      await screenshot(page, c.shot);
      assert.deepEqual(await auditAccessibility(page), []);
    }
    assert.deepEqual(errors, [], c.ua);
    await context.close();
  }
});

test('visitors from search, social, the newsletter, paid ads and the winter campaign get their message', { timeout: 60000 }, async () => {
  const cases = [
    { referer: 'https://www.google.com/', path: '/', variant: 'search' },
    { referer: 'https://www.facebook.com/', path: '/', variant: 'social' },
    { path: '/?utm_source=newsletter&utm_medium=email&utm_campaign=roast-notes', variant: 'newsletter' },
    { referer: 'https://www.google.com/', path: '/?gclid=e2e-click', variant: 'paid' },
    { path: '/?utm_source=meta&utm_medium=paid_social&utm_campaign=winter-blend', variant: 'winter-campaign' },
  ];
  for (const c of cases) {
    const { page, errors, context } = await visit({ timezoneId: 'Europe/Berlin', time: `${WED}T13:00:00Z` }, c.path, c.referer ? { referer: c.referer } : {});
    await expectSlot(page, 'source_message', c.variant, `${c.referer || ''} ${c.path}`);
    if (c.variant === 'newsletter') await screenshot(page, 'shop-newsletter');
    assert.deepEqual(errors, [], c.variant);
    await context.close();
  }
});

test('a repeat visit says welcome back with the earlier interest; the journey goes from awareness to loyalty', { timeout: 90000 }, async () => {
  const t0 = Date.parse(`${WED}T13:00:00Z`);
  const { page, errors, context } = await visit({ timezoneId: 'Europe/Berlin', locale: 'en-GB', time: t0 });
  const stage = () => page.evaluate(() => document.documentElement.getAttribute('data-journey-stage'));
  assert.equal(await stage(), 'awareness');
  await expectSlot(page, 'welcome_back', 'none', 'first visit');

  // Visit 1: looking at espresso is an interest, and an interest means consideration.
  await page.getByRole('button', { name: 'Espresso', exact: true }).click();
  await page.waitForFunction(() => document.documentElement.getAttribute('data-journey-stage') === 'consideration');
  const cta = await sdk(page, 'decision', 'cta');
  assert.ok(
    (cta.reason === 'experiment' && cta.experiment.id === 'free-shipping-cta') || cta.variant === 'quiz',
    `consideration CTA: ${JSON.stringify(cta)}`,
  );
  assert.equal((await slot(page, 'cta')).variant, cta.variant);

  // Visit 2, two hours later.
  await page.clock.setFixedTime(t0 + 2 * 3600000);
  await page.goto(env.tracker.url + '/');
  await shopReady(page);
  await expectSlot(page, 'welcome_back', 'continue', 'second visit');
  const interest = page.locator('[data-ithaca-slot="welcome_back"] [data-shop-interest]');
  assert.equal((await interest.innerText()).trim(), 'espresso');
  await expectSlot(page, 'hero', 'espresso', 'returning espresso fan');
  await screenshot(page, 'shop-returning');

  // The cart: purchase, then an order: loyalty.
  await page.getByRole('button', { name: 'Add Hamburg Espresso to cart' }).click();
  await page.waitForFunction(() => document.documentElement.getAttribute('data-journey-stage') === 'purchase');
  await expectSlot(page, 'cta', 'checkout', 'item in the cart');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForFunction(() => document.documentElement.getAttribute('data-journey-stage') === 'loyalty');
  await expectSlot(page, 'cta', 'subscribe', 'after an order');
  assert.match(await page.locator('#order-status').innerText(), /Thank you/);
  await page.reload();
  await shopReady(page);
  assert.equal(await stage(), 'loyalty');
  await expectSlot(page, 'cta', 'subscribe', 'loyalty survives a reload');

  // Forty days later: a lapsed visitor.
  await page.clock.setFixedTime(t0 + 40 * 86400000);
  await page.goto(env.tracker.url + '/');
  await shopReady(page);
  await expectSlot(page, 'welcome_back', 'missed-you', 'lapsed visitor');
  // Refusing personalization now: nothing said about remembered visits, on this page either.
  await page.getByLabel('Remember my visits to personalize this shop').uncheck();
  await expectSlot(page, 'welcome_back', 'none', 'lapsed visitor who refused personalization');
  assert.deepEqual(errors, []);
  await context.close();
});

test('privacy choices: without personalization consent nothing about the visit is kept', { timeout: 60000 }, async () => {
  const t0 = Date.parse(`${WED}T13:00:00Z`);
  const { page, errors, context } = await visit({ timezoneId: 'Europe/Berlin', locale: 'en-GB', time: t0 });
  const stored = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ithaca:')));
  assert.ok((await stored()).includes('ithaca:state'), 'visit state is kept by default (the demo does not ask for consent first)');
  await page.getByLabel('Remember my visits to personalize this shop').uncheck();
  await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('ithaca:state')));
  assert.equal((await sdk(page, 'getContext')).consent.personalization, false);
  // The choice holds on the next visit: nothing remembered, no welcome back.
  await page.clock.setFixedTime(t0 + 2 * 3600000);
  await page.goto(env.tracker.url + '/');
  await shopReady(page);
  await expectSlot(page, 'welcome_back', 'none', 'after personalization was refused');
  assert.equal(await page.getByLabel('Remember my visits to personalize this shop').isChecked(), false);
  assert.deepEqual(await stored(), ['ithaca:consent'], 'only the record of the choice');
  // "Forget me" empties Ithaca's storage and the shop's cart, and starts over.
  await page.getByRole('button', { name: 'Add Night Owl Decaf to cart' }).click();
  await page.getByRole('button', { name: 'Forget me and start over' }).click();
  await page.waitForURL(env.tracker.url + '/');
  await shopReady(page);
  assert.equal(await page.locator('#cart-count').innerText(), '0');
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-journey-stage')), 'awareness');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the ship-to selector and the product page', { timeout: 60000 }, async () => {
  const { page, errors, context } = await visit({ timezoneId: 'Europe/Berlin', locale: 'en-GB', time: `${WED}T13:00:00Z` });
  await expectSlot(page, 'shipping_notice', 'dach', 'detected from the timezone');
  await page.getByLabel('Ship to').selectOption('US');
  await page.waitForFunction(() => document.querySelector('[data-ithaca-slot="shipping_notice"]').getAttribute('data-ithaca-variant') === 'us');
  await page.getByLabel('Ship to').selectOption('FR');
  await page.waitForFunction(() => document.querySelector('[data-ithaca-slot="shipping_notice"]').getAttribute('data-ithaca-variant') === 'eu');

  await page.goto(env.tracker.url + '/product.html?sku=night-owl');
  await shopReady(page);
  await expectSlot(page, 'shipping_notice', 'eu', 'the chosen country is remembered');
  assert.equal(await page.locator('h1').innerText(), 'Night Owl Decaf');
  await page.waitForFunction(() => document.documentElement.getAttribute('data-journey-stage') === 'consideration');
  const interests = (await sdk(page, 'getContext')).journey.interests;
  assert.deepEqual(interests, ['decaf']);
  await screenshot(page, 'shop-product');
  assert.deepEqual(await auditAccessibility(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard: the skip link comes first and every stop shows a focus indicator', { timeout: 60000 }, async () => {
  const { page, errors, context } = await visit({ timezoneId: 'Europe/Berlin', time: `${WED}T13:00:00Z` });
  const stops = await tabThrough(page, 14);
  assert.equal(stops[0].text, 'Skip to content');
  for (const s of stops) {
    assert.notEqual(s.tag, 'BODY', 'focus fell back to the body');
    assert.ok(s.visible, `focused element not visible: ${JSON.stringify(s)}`);
    assert.ok(s.indicator, `no focus indicator: ${JSON.stringify(s)}`);
  }
  assert.ok(stops.some((s) => /Why am I seeing this/.test(s.text)), 'the why buttons are reachable by keyboard');
  assert.deepEqual(errors, []);
  await context.close();
});

test('page views, events, exposures and conversions reach the tracker', { timeout: 60000 }, async () => {
  const { page, context } = await visit({ timezoneId: 'Europe/Berlin', time: Date.now() });
  await page.getByRole('button', { name: 'Add Crema Forte to cart' }).click();
  // The SDK batches events and sends them when the page is hidden.
  await page.goto('about:blank');
  const deadline = Date.now() + 20000;
  let summary;
  for (;;) {
    summary = (await admin(env, 'GET', '/v1/stats/demo/summary')).json;
    if (summary && summary.pageviews > 0 && summary.events >= 3) break;
    assert.ok(Date.now() < deadline, `no events arrived: ${JSON.stringify(summary)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await context.close();
});
