// Northwind Coffee, the demo shop: its own UI (catalog, cart, orders, ship-to country) wired to
// Ithaca through the SDK's public API only — start options, onChange, track, conversion,
// setCustom, updateContext, setConsent, getContext. Everything Ithaca decides is explained on
// the page by a "Why am I seeing this?" button next to each slot.
import { categories, products, productBySku, categoryName, price } from './catalog.js';
import { explanationHtml, variantLabel, esc } from './explain.js';

const KEYS = {
  cart: 'northwind:cart', // the shop's own cart and orders (functional storage, not tracking)
  orders: 'northwind:orders',
  shipTo: 'northwind:ship-to',
  detected: 'northwind:detected-country', // so later pages decide with it from the start
  consent: 'northwind:privacy-choices', // the visitor's own choices, applied on every page
  preview: 'northwind:preview', // written by the playground
};
const PREVIEW_PREFIX = 'ithaca-preview:';
const STAGES = ['awareness', 'consideration', 'purchase', 'loyalty'];
const COUNTRIES = [
  ['DE', 'Germany'], ['AT', 'Austria'], ['CH', 'Switzerland'], ['FR', 'France'], ['NL', 'Netherlands'],
  ['ES', 'Spain'], ['IT', 'Italy'], ['GB', 'United Kingdom'], ['US', 'United States'], ['CA', 'Canada'],
  ['JP', 'Japan'], ['AU', 'Australia'], ['BR', 'Brazil'],
];

function read(key, fallback) {
  try {
    const text = localStorage.getItem(key);
    return text ? JSON.parse(text) : fallback;
  } catch {
    return fallback;
  }
}
function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage blocked: the shop still works for this page */
  }
}

const cart = () => read(KEYS.cart, []);
const orders = () => read(KEYS.orders, []);
const cartItems = () => cart().reduce((n, line) => n + line.qty, 0);
const isPreview = () => new URLSearchParams(location.search).has('preview');

function preview() {
  if (!isPreview()) return null;
  const p = read(KEYS.preview, null);
  return p && typeof p === 'object' ? p : null;
}

/**
 * The options for start(): the site, the shop's cart as `custom` attributes (the journey's
 * purchase and loyalty stages read them), the ship-to country the visitor chose, and in preview
 * mode the playground's rule set and simulated context, with nothing stored or sent.
 */
export function shopOptions(base) {
  // The shop shows every decision's explanation: ask the SDK for them in full.
  const options = Object.assign({ timeout: 1500, explain: true }, base, {
    custom: { cart_items: cartItems(), orders: orders().length },
  });
  const p = preview();
  if (p) {
    try {
      for (const k of Object.keys(localStorage)) if (k.startsWith(PREVIEW_PREFIX)) localStorage.removeItem(k);
    } catch {
      /* nothing to clear */
    }
    if (p.rules) options.rules = p.rules;
    options.context = p.context || {};
    options.collect = false;
    options.storagePrefix = PREVIEW_PREFIX;
  } else {
    const country = read(KEYS.shipTo, '') || read(KEYS.detected, '');
    if (country) options.context = { geo: { country } };
    const choices = read(KEYS.consent, null);
    if (choices) options.consent = choices;
  }
  return options;
}

// ---------------------------------------------------------------- the page

export function runShop(sdk, { page = 'home' } = {}) {
  const shop = new Shop(sdk, page);
  shop.mount();
  return shop;
}

class Shop {
  constructor(sdk, page) {
    this.sdk = sdk;
    this.page = page;
    this.preview = preview();
    this.earlierInterest = null;
    this.detectedCountry = '';
    this.frames = Array.from(document.querySelectorAll('[data-slot-frame]'));
    // Ask the tracker what it knows about this request's country (an IP lookup when it has a
    // geo database); the browser itself only knows the timezone's country.
    this.serverGeo = this.preview
      ? Promise.resolve(null)
      : fetch('/v1/context?site=demo', { credentials: 'omit' })
          .then((r) => (r.ok ? r.json() : null))
          .catch(() => null);
  }

  mount() {
    if (this.preview) this.showPreviewRibbon();
    this.addWhyButtons();
    this.renderFooter();
    this.renderShipTo();
    this.updateCartCount();
    if (this.page === 'home') {
      this.renderCatalog();
      this.renderCart();
      this.wireQuiz();
      this.wireSubscribe();
    }
    if (this.page === 'product') this.renderProduct();
    this.sdk.onChange((decisions, all) => this.onDecisions(all));
    this.sdk.ready.then(() => this.afterFirstDecision());
  }

  async afterFirstDecision() {
    document.documentElement.setAttribute('data-shop-ready', this.sdk.status);
    const ctx = this.sdk.getContext();
    if (!ctx) return;
    const interests = (ctx.journey && ctx.journey.interests) || [];
    this.earlierInterest = interests[0] || null;
    this.fillInterest();
    const geo = ctx.geo || {};
    if (!geo.country) {
      const server = await Promise.race([this.serverGeo, new Promise((r) => setTimeout(() => r(null), 800))]);
      const fromServer = server && server.geo && server.geo.country;
      this.detectedCountry = fromServer || geo.timezone_country || '';
      if (this.detectedCountry) this.sdk.updateContext({ geo: { country: this.detectedCountry } });
    } else {
      this.detectedCountry = this.preview ? geo.country : read(KEYS.detected, '') || geo.timezone_country || geo.country;
    }
    if (!this.preview && this.detectedCountry) write(KEYS.detected, this.detectedCountry);
    this.renderShipTo();
    if (this.page === 'product' && this.product) {
      this.sdk.track('view_product', { sku: this.product.sku, category: this.product.category, interest: this.product.category });
      this.sdk.updateContext({}); // the new interest may move the journey on
    }
    document.documentElement.setAttribute('data-shop-country', this.currentCountry());
  }

  currentCountry() {
    const ctx = this.sdk.getContext();
    return (ctx && ctx.geo && ctx.geo.country) || '';
  }

  // ---- decisions on the page

  onDecisions(all) {
    if (!all) return;
    this.decided = all;
    for (const frame of this.frames) {
      const slot = frame.getAttribute('data-slot-frame');
      const el = frame.querySelector('[data-ithaca-slot]');
      const d = all.decisions && all.decisions[slot];
      const empty = !el || !Array.from(el.childNodes).some((n) => n.nodeName !== 'TEMPLATE' && (n.nodeType === 1 || n.textContent.trim()));
      frame.toggleAttribute('data-empty', empty);
      const panel = frame.querySelector('.why-panel');
      if (panel && d) panel.querySelector('.why-body').innerHTML = explanationHtml(slot, d, this.sdk.getContext());
    }
    this.fillInterest();
    this.fixLinks();
    this.renderJourney(all);
    this.renderDecisionTable(all);
  }

  // Anchors in the rule set's props (#cart, #quiz…) live on the home page.
  fixLinks() {
    if (this.page === 'home') return;
    for (const a of document.querySelectorAll('[data-ithaca-slot] a[href^="#"]')) a.setAttribute('href', '/' + a.getAttribute('href'));
  }

  fillInterest() {
    for (const line of document.querySelectorAll('[data-shop-interest-line]')) {
      const a = line.querySelector('[data-shop-interest]');
      if (!this.earlierInterest || !a) continue;
      a.textContent = categoryName(this.earlierInterest).toLowerCase();
      a.setAttribute('href', '/?category=' + encodeURIComponent(this.earlierInterest) + '#products');
      line.hidden = false;
    }
  }

  addWhyButtons() {
    for (const frame of this.frames) {
      const slot = frame.getAttribute('data-slot-frame');
      const id = 'why-' + slot;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'why-button';
      button.setAttribute('aria-expanded', 'false');
      button.setAttribute('aria-controls', id);
      button.innerHTML = '<span class="why-i" aria-hidden="true">i</span> Why am I seeing this?';
      const panel = document.createElement('div');
      panel.className = 'why-panel';
      panel.id = id;
      panel.hidden = true;
      panel.setAttribute('role', 'region');
      panel.setAttribute('aria-label', `Why this ${slot.replace(/_/g, ' ')}`);
      panel.innerHTML = '<div class="why-body"><p>Deciding…</p></div>';
      const close = (focus) => {
        panel.hidden = true;
        button.setAttribute('aria-expanded', 'false');
        if (focus) button.focus();
      };
      button.addEventListener('click', () => {
        const open = panel.hidden;
        for (const other of document.querySelectorAll('.why-panel:not([hidden])')) {
          if (other !== panel) {
            other.hidden = true;
            document.querySelector(`[aria-controls="${other.id}"]`)?.setAttribute('aria-expanded', 'false');
          }
        }
        panel.hidden = !open;
        button.setAttribute('aria-expanded', String(open));
      });
      panel.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') close(true);
      });
      button.addEventListener('keydown', (e) => {
        if (e.key === 'Escape' && !panel.hidden) close(true);
      });
      frame.append(button, panel);
    }
  }

  showPreviewRibbon() {
    const bar = document.createElement('div');
    bar.className = 'preview-ribbon';
    bar.setAttribute('role', 'note');
    bar.innerHTML =
      '<strong>Preview</strong> with the playground’s rules and simulated context — nothing is stored or sent. ' +
      '<a href="/">Leave preview</a>';
    document.body.prepend(bar);
  }

  // ---- ship-to country

  renderShipTo() {
    const select = document.getElementById('ship-to');
    if (!select) return;
    const chosen = this.preview ? '' : read(KEYS.shipTo, '');
    const auto = this.detectedCountry;
    const options = [[ '', auto ? `Auto (${auto})` : 'Auto' ]].concat(COUNTRIES);
    select.innerHTML = options
      .map(([code, name]) => `<option value="${code}"${code === chosen ? ' selected' : ''}>${esc(name)}</option>`)
      .join('');
    if (!select.dataset.wired) {
      select.dataset.wired = '1';
      select.addEventListener('change', () => {
        const code = select.value;
        if (!this.preview) write(KEYS.shipTo, code);
        this.sdk.updateContext({ geo: { country: code || this.detectedCountry } });
        document.documentElement.setAttribute('data-shop-country', this.currentCountry());
      });
    }
  }

  // ---- catalog, product, cart

  renderCatalog() {
    const tabs = document.getElementById('category-tabs');
    const grid = document.getElementById('product-grid');
    const wanted = new URLSearchParams(location.search).get('category');
    let current = categories.some((c) => c.id === wanted) ? wanted : 'all';
    const draw = () => {
      tabs.innerHTML = [{ id: 'all', name: 'All' }]
        .concat(categories)
        .map((c) => `<button type="button" class="tab" data-category="${c.id}" aria-pressed="${c.id === current}">${esc(c.name)}</button>`)
        .join('');
      grid.innerHTML = products
        .filter((p) => current === 'all' || p.category === current)
        .map(
          (p) => `<li class="product card">
            <a class="product-art" href="/product.html?sku=${p.sku}" tabindex="-1" aria-hidden="true"><div class="bag" style="--bag:${p.color}"><span>NW</span></div></a>
            <div class="product-body">
              <p class="product-cat">${esc(categoryName(p.category))}</p>
              <h3><a href="/product.html?sku=${p.sku}">${esc(p.name)}</a></h3>
              <p class="product-notes">${esc(p.notes)}</p>
              <div class="product-buy"><span class="price">${price(p.price)}</span>
                <button type="button" class="button small" data-add="${p.sku}" aria-label="Add ${esc(p.name)} to cart">Add to cart</button></div>
            </div></li>`,
        )
        .join('');
    };
    draw();
    tabs.addEventListener('click', (e) => {
      const b = e.target.closest('[data-category]');
      if (!b) return;
      current = b.getAttribute('data-category');
      draw();
      tabs.querySelector(`[data-category="${current}"]`).focus();
      if (current !== 'all') this.recordInterest(current, 'view_category');
    });
    grid.addEventListener('click', (e) => {
      const b = e.target.closest('[data-add]');
      if (b) this.addToCart(b.getAttribute('data-add'));
    });
  }

  renderProduct() {
    const sku = new URLSearchParams(location.search).get('sku');
    const p = productBySku(sku) || products[0];
    this.product = p;
    document.title = `${p.name} — Northwind Coffee`;
    const root = document.getElementById('product');
    root.innerHTML = `
      <div class="product-hero card">
        <div class="product-art large" aria-hidden="true"><div class="bag big" style="--bag:${p.color}"><span>NW</span></div></div>
        <div>
          <p class="product-cat"><a href="/?category=${p.category}#products">${esc(categoryName(p.category))}</a></p>
          <h1>${esc(p.name)}</h1>
          <p class="lead">${esc(p.notes)}</p>
          <p class="price big">${price(p.price)} <span class="muted">· 250 g</span></p>
          <button type="button" class="button" data-add="${p.sku}">Add to cart</button>
          <a class="button secondary" href="/#cart">Go to cart</a>
          <p class="order-status" id="order-status" role="status"></p>
        </div>
      </div>`;
    root.addEventListener('click', (e) => {
      const b = e.target.closest('[data-add]');
      if (b) this.addToCart(b.getAttribute('data-add'));
    });
  }

  recordInterest(category, eventName) {
    this.sdk.track(eventName, { category, interest: category });
    this.sdk.updateContext({}); // decide again: an interest moves awareness on to consideration
  }

  addToCart(sku) {
    const p = productBySku(sku);
    if (!p) return;
    const lines = cart();
    const line = lines.find((l) => l.sku === sku);
    if (line) line.qty += 1;
    else lines.push({ sku, qty: 1 });
    write(KEYS.cart, lines);
    this.sdk.conversion('add_to_cart', { sku, category: p.category, value: p.price });
    this.sdk.setCustom({ cart_items: cartItems() });
    this.updateCartCount();
    this.renderCart();
    const status = document.getElementById('order-status');
    if (status) status.textContent = `${p.name} added to your cart.`;
  }

  updateCartCount() {
    const n = document.getElementById('cart-count');
    if (n) n.textContent = String(cartItems());
  }

  renderCart() {
    const list = document.getElementById('cart-lines');
    if (!list) return;
    const lines = cart();
    list.innerHTML = lines.length
      ? lines
          .map((l) => {
            const p = productBySku(l.sku);
            return p ? `<li><span>${l.qty} × ${esc(p.name)}</span><span>${price(p.price * l.qty)}</span></li>` : '';
          })
          .join('')
      : '<li class="muted">Your cart is empty.</li>';
    const total = lines.reduce((s, l) => s + (productBySku(l.sku)?.price || 0) * l.qty, 0);
    document.getElementById('cart-total').textContent = lines.length ? `Total ${price(total)}` : '';
    const checkout = document.getElementById('checkout');
    checkout.disabled = !lines.length;
    if (!checkout.dataset.wired) {
      checkout.dataset.wired = '1';
      checkout.addEventListener('click', () => this.checkout());
    }
  }

  checkout() {
    const lines = cart();
    if (!lines.length) return;
    const value = lines.reduce((s, l) => s + (productBySku(l.sku)?.price || 0) * l.qty, 0);
    const all = orders();
    all.push({ ts: Date.now(), value: Math.round(value * 100) / 100, items: cartItems() });
    write(KEYS.orders, all);
    write(KEYS.cart, []);
    this.sdk.conversion('checkout', { value: Math.round(value * 100) / 100, items: all[all.length - 1].items });
    this.sdk.setCustom({ cart_items: 0, orders: all.length });
    this.updateCartCount();
    this.renderCart();
    document.getElementById('order-status').textContent = `Thank you! Order #${1000 + all.length} is on its way.`;
  }

  wireQuiz() {
    const form = document.getElementById('quiz-form');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const brew = new FormData(form).get('brew') || 'espresso';
      this.recordInterest(brew, 'roast_finder');
      const picks = products.filter((p) => p.category === brew).map((p) => p.name);
      document.getElementById('quiz-result').textContent = `Try ${picks.join(' or ')}.`;
    });
  }

  wireSubscribe() {
    const form = document.getElementById('subscribe-form');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.sdk.conversion('subscribe', {});
      document.getElementById('subscribe-status').textContent = 'Subscribed — this is a demo, no email will be sent.';
      form.reset();
    });
  }

  // ---- footer: journey, every decision, privacy choices

  renderFooter() {
    const root = document.getElementById('shop-footer');
    if (!root) return;
    root.innerHTML = `
      <section aria-labelledby="journey-title" class="journey">
        <h2 id="journey-title" class="footer-title">Your journey</h2>
        <ol class="stages" id="journey-stages">${STAGES.map((s) => `<li data-stage="${s}">${s}</li>`).join('')}</ol>
      </section>
      <details class="decisions-table" id="decisions-details">
        <summary>Personalization on this page: every slot Ithaca decided</summary>
        <div id="decisions-table"><p>Deciding…</p></div>
      </details>
      <section aria-labelledby="privacy-title" class="privacy">
        <h2 id="privacy-title" class="footer-title">Privacy choices</h2>
        <p>Decisions are made in your browser. Visit state stays in this browser's own storage; no third-party cookies.</p>
        <label><input type="checkbox" id="consent-personalization" checked> Remember my visits to personalize this shop</label>
        <label><input type="checkbox" id="consent-analytics" checked> Send anonymous usage statistics</label>
        <button type="button" class="button small secondary" id="forget-me">Forget me and start over</button>
      </section>`;
    const sync = () => {
      const choices = {
        personalization: document.getElementById('consent-personalization').checked,
        analytics: document.getElementById('consent-analytics').checked,
      };
      if (!this.preview) write(KEYS.consent, choices);
      this.sdk.setConsent(choices);
    };
    document.getElementById('consent-personalization').addEventListener('change', sync);
    document.getElementById('consent-analytics').addEventListener('change', sync);
    document.getElementById('forget-me').addEventListener('click', () => {
      this.sdk.setConsent({ personalization: false, analytics: false }); // erases Ithaca's state
      for (const k of [KEYS.cart, KEYS.orders, KEYS.shipTo, KEYS.detected, KEYS.consent]) localStorage.removeItem(k);
      location.href = '/';
    });
  }

  renderJourney(all) {
    const stage = (all.journey && all.journey.stage) || 'awareness';
    const at = STAGES.indexOf(stage);
    for (const li of document.querySelectorAll('#journey-stages li')) {
      const i = STAGES.indexOf(li.getAttribute('data-stage'));
      li.classList.toggle('done', i < at);
      if (i === at) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    }
    document.documentElement.setAttribute('data-journey-stage', stage);
    const ctx = this.sdk.getContext();
    const consent = (ctx && ctx.consent) || {};
    const p = document.getElementById('consent-personalization');
    const a = document.getElementById('consent-analytics');
    if (p) p.checked = consent.personalization !== false;
    if (a) a.checked = consent.analytics !== false;
  }

  renderDecisionTable(all) {
    const root = document.getElementById('decisions-table');
    if (!root) return;
    const rows = Object.entries(all.decisions || {})
      .map(
        ([slot, d]) =>
          `<tr><th scope="row">${esc(slot)}</th><td><code>${esc(d.variant)}</code></td><td>${variantLabel(d)}</td><td>${esc(
            (d.explanation && d.explanation.summary) || '',
          )}</td></tr>`,
      )
      .join('');
    root.innerHTML = `<p>Rule set <code>${esc(all.site)}</code> version <code>${esc(all.version)}</code>.</p>
      <div class="table-scroll"><table><thead><tr><th scope="col">Slot</th><th scope="col">Variant</th><th scope="col">Why</th><th scope="col">Explanation</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  }
}
