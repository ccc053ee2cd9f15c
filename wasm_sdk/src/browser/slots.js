// Slots in HTML: <div data-ithaca-slot="hero"> holds the default content, and
// <template data-variant="name"> elements hold the variants. A slot stays hidden (CSS below)
// only until it is decided; the CSS also reveals it by itself after a delay, so even a page
// whose SDK never loads shows its default content. data-ithaca-state says what happened:
// "variant" (variant content shown), "default" (decided: default kept) or "fallback".

export const SLOT_ATTR = 'data-ithaca-slot';
const STATE_ATTR = 'data-ithaca-state';

/** The anti-flicker rule. Put the same text in a <style> in <head> for the first paint. */
export function hideCss(revealAfterMs) {
  return (
    `[${SLOT_ATTR}]:not([${STATE_ATTR}]){visibility:hidden;` +
    `animation:ithaca-reveal 0s linear ${revealAfterMs}ms forwards}` +
    `@keyframes ithaca-reveal{to{visibility:visible}}`
  );
}

export function installHideCss(doc, revealAfterMs) {
  if (!doc || !doc.head || doc.getElementById('ithaca-hide')) return;
  const style = doc.createElement('style');
  style.id = 'ithaca-hide';
  style.textContent = hideCss(revealAfterMs);
  doc.head.appendChild(style);
}

export function findSlots(root) {
  if (!root || typeof root.querySelectorAll !== 'function') return [];
  return Array.from(root.querySelectorAll(`[${SLOT_ATTR}]`));
}

const NONE = [];

/**
 * The slots an inserted element brings: itself, if it is one, and those inside it. Most inserted
 * elements bring none; they cost one attribute test and one querySelector of their subtree.
 */
export function slotsIn(el) {
  const own = el.hasAttribute(SLOT_ATTR);
  const inside = el.firstElementChild !== null && el.querySelector(`[${SLOT_ATTR}]`) !== null;
  if (!inside) return own ? [el] : NONE;
  return own ? [el].concat(findSlots(el)) : findSlots(el);
}

const defaults = new WeakMap(); // slot element → its default child nodes
const shown = new WeakMap(); // slot element → the variant whose template it shows ('' its default)
const originals = new WeakMap(); // element a prop wrote into → {nodes, attrs} it had before

function templateFor(el, variant) {
  for (const child of el.children) {
    if (child.tagName === 'TEMPLATE' && child.getAttribute('data-variant') === variant) return child;
  }
  return null;
}

// A prop that would run script as a URL (href, src, action, …): javascript:, vbscript:, or a
// data: URL other than an image. Browsers skip spaces and control characters in a scheme.
function scriptUrl(v) {
  const t = String(v).replace(/[\u0000-\u0020]+/g, '').toLowerCase();
  return /^(javascript|vbscript):/.test(t) || (t.startsWith('data:') && !/^data:image\/(png|gif|jpeg|webp|avif)[;,]/.test(t));
}

// Writes the decision's props into the shown content; a prop the decision no longer has gives
// its element back what it had before the first write (the default content is reused).
function applyProps(el, props) {
  const has = (key) => props !== null && typeof props === 'object' && key in props && props[key] != null;
  const saved = (node) => {
    if (!originals.has(node)) originals.set(node, { nodes: null, attrs: {} });
    return originals.get(node);
  };
  for (const node of el.querySelectorAll('[data-ithaca-prop]')) {
    const key = node.getAttribute('data-ithaca-prop');
    const before = originals.get(node);
    if (has(key)) {
      if (!before || !before.nodes) saved(node).nodes = Array.from(node.childNodes);
      node.textContent = String(props[key]);
    } else if (before && before.nodes) {
      node.replaceChildren(...before.nodes);
      before.nodes = null;
    }
  }
  for (const node of el.querySelectorAll('[data-ithaca-attr]')) {
    // data-ithaca-attr="href:url,title:label" sets attributes from props
    for (const pair of node.getAttribute('data-ithaca-attr').split(',')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (!attr || !key || /^on|^srcdoc$/i.test(attr)) continue;
      const attrs = (originals.get(node) || { attrs: {} }).attrs;
      if (has(key) && !scriptUrl(props[key])) {
        if (!(attr in attrs)) saved(node).attrs[attr] = node.getAttribute(attr);
        node.setAttribute(attr, String(props[key]));
      } else if (attr in attrs) {
        if (attrs[attr] === null) node.removeAttribute(attr);
        else node.setAttribute(attr, attrs[attr]);
        delete attrs[attr];
      }
    }
  }
}

/**
 * Shows `decision` in the slot element. Returns true when variant content (not the default)
 * is now shown. Content swaps happen before the slot becomes visible, in the same task.
 */
export function render(el, decision) {
  const variant = decision ? String(decision.variant) : '';
  const tpl = variant ? templateFor(el, variant) : null;
  const content = () => Array.from(el.childNodes).filter((n) => n.nodeName !== 'TEMPLATE');
  if (!defaults.has(el)) defaults.set(el, content());
  // Content is swapped only when the variant shown changes: a decision that keeps it (an
  // interest, consent) leaves the visitor's input, focus and the page's listeners in place.
  const key = tpl ? variant : '';
  if ((shown.get(el) || '') !== key) {
    for (const n of content()) n.remove();
    const first = el.firstChild;
    for (const n of tpl ? Array.from(tpl.content.cloneNode(true).childNodes) : defaults.get(el)) el.insertBefore(n, first);
    shown.set(el, key);
  }
  applyProps(el, decision && decision.props);
  el.setAttribute('data-ithaca-variant', variant);
  el.setAttribute(STATE_ATTR, tpl ? 'variant' : 'default');
  return !!tpl;
}

/** Reveals the default content of an undecided slot (timeout or failure). */
export function fallback(el) {
  if (!el.hasAttribute(STATE_ATTR)) el.setAttribute(STATE_ATTR, 'fallback');
}

export const isSettled = (el) => el.hasAttribute(STATE_ATTR);
export const isFallback = (el) => el.getAttribute(STATE_ATTR) === 'fallback';
