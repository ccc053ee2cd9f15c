// Renders one slot's decision and its explanation as HTML, for the shop's "Why am I seeing
// this?" panels and the playground. Every value from the rule set or context is escaped.

export const esc = (s) =>
  String(s == null ? '' : s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]);

/** A short label for why the variant was chosen: the reason, and the rule or experiment. */
export function variantLabel(d) {
  if (!d) return '';
  const reason = String(d.reason || 'default');
  let what = d.rule ? ' ' + esc(d.rule) : '';
  if (d.experiment) what += ` ${d.rule ? '→ ' : ''}${esc(d.experiment.id)} · bucket ${esc(d.experiment.bucket)}`;
  return `<span class="pill ${esc(reason)}">${esc(reason)}</span><span class="why-what">${what}</span>`;
}

function valueHtml(v) {
  if (v === true) return '<span class="true">true</span>';
  if (v === false) return '<span class="false">false</span>';
  return `<code>${esc(JSON.stringify(v))}</code>`;
}

function contextLine(ctx) {
  if (!ctx) return '';
  const t = ctx.time || {};
  const d = ctx.device || {};
  const r = ctx.referrer || {};
  const g = ctx.geo || {};
  const v = ctx.visit || {};
  const parts = [];
  const day = String(t.weekday_name || '');
  if (t.time) parts.push(`local time ${esc(day.charAt(0).toUpperCase() + day.slice(1))} ${esc(t.time)}${t.timezone ? ` (${esc(t.timezone)})` : ''}`);
  if (g.country) parts.push(`country ${esc(g.country)}`);
  if (d.type) parts.push(`${esc(d.type)}${d.os ? ' · ' + esc(d.os) : ''}${d.browser ? ' · ' + esc(d.browser) : ''}`);
  parts.push(`came from ${esc(r.category || 'direct')}${r.source ? ' (' + esc(r.source) + ')' : ''}`);
  if (v.count) parts.push(`visit #${esc(v.count)}`);
  return parts.join(', ');
}

/** The body of a "why" panel. `ctx` is the context the decision was made with (optional). */
export function explanationHtml(slot, d, ctx) {
  const ex = d.explanation || {};
  const conditions = Object.entries(ex.conditions || {});
  const skipped = Object.entries(ex.skipped || {});
  let html = `<p class="why-head"><strong>${esc(slot.replace(/_/g, ' '))}</strong> shows <code>${esc(d.variant)}</code> ${variantLabel(d)}</p>`;
  if (ex.summary) html += `<p class="why-summary">${esc(ex.summary)}</p>`;
  if (d.experiment) {
    // The id is kept only with storage consent and without GPC / DNT; otherwise it is new on
    // every page, and so is the variant.
    const c = (ctx && ctx.consent) || {};
    const kept = c.personalization !== false && !c.gpc && !c.dnt;
    html += `<p>A/B test <code>${esc(d.experiment.id)}</code>: you are in variant <code>${esc(d.experiment.variant)}</code>: your traffic bucket ${esc(
      d.experiment.bucket,
    )} of 10000 put you in the test, and a second hash of the same id picked the variant. ${
      kept
        ? 'The id is kept in this browser, so you keep the same variant on every page.'
        : 'Without storage consent the id is new on every page, and so may be the variant.'
    }</p>`;
  }
  if (conditions.length) {
    html += '<h4>Conditions</h4><ul class="why-list">' +
      conditions.map(([expr, v]) => `<li><code>${esc(expr)}</code> → ${valueHtml(v)}</li>`).join('') + '</ul>';
  }
  if (skipped.length) {
    html += '<h4>Rules tried first</h4><ul class="why-list">' +
      skipped.map(([rule, why]) => `<li><code>${esc(rule)}</code>: ${esc(why === 'false' ? 'did not match' : why)}</li>`).join('') + '</ul>';
  }
  const line = contextLine(ctx);
  if (line) html += `<p class="why-context">Decided in your browser from: ${line}.</p>`;
  return html;
}
