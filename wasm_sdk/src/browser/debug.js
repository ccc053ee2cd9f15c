// Debug mode: every slot's decision and its explanation, in the console and optionally in an
// overlay (a closed-off shadow root, so page styles neither break it nor are touched by it).

export function logDecisions(result, context) {
  const c = globalThis.console;
  if (!c || !result) return;
  const group = c.groupCollapsed ? c.groupCollapsed.bind(c) : c.log.bind(c);
  const end = c.groupEnd ? c.groupEnd.bind(c) : () => {};
  group(`[ithaca] ${result.site || ''} ${result.version || ''}: ${Object.keys(result.decisions || {}).length} slots`);
  c.log('context', context);
  if (result.segments) c.log('segments', result.segments);
  if (result.journey) c.log('journey', result.journey);
  for (const [slot, d] of Object.entries(result.decisions || {})) {
    c.log(`slot ${slot} → ${d.variant} (${d.reason}${d.rule ? ' ' + d.rule : ''})`, d.explanation || {});
  }
  end();
}

const esc = (s) =>
  String(s).replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]);

export function showOverlay(doc, result, status) {
  if (!doc || !doc.body) return;
  let host = doc.getElementById('ithaca-debug');
  if (!host) {
    host = doc.createElement('div');
    host.id = 'ithaca-debug';
    host.attachShadow({ mode: 'open' });
    doc.body.appendChild(host);
  }
  const rows = Object.entries((result && result.decisions) || {})
    .map(
      ([slot, d]) =>
        `<details><summary><b>${esc(slot)}</b> → ${esc(d.variant)} <i>${esc(d.reason)}` +
        `${d.rule ? ' · ' + esc(d.rule) : ''}${d.experiment ? ' · ' + esc(d.experiment.id) + ' #' + esc(d.experiment.bucket) : ''}` +
        `</i></summary><pre>${esc(JSON.stringify(d.explanation || {}, null, 1))}</pre></details>`,
    )
    .join('');
  host.shadowRoot.innerHTML =
    '<style>:host{all:initial}div{position:fixed;right:8px;bottom:8px;z-index:2147483647;' +
    'max-width:420px;max-height:60vh;overflow:auto;background:#111;color:#eee;' +
    'font:12px/1.4 ui-monospace,monospace;padding:8px 10px;border-radius:6px;' +
    'box-shadow:0 2px 12px #0006}pre{white-space:pre-wrap;margin:4px 0 6px}' +
    'summary{cursor:pointer}i{color:#9cf}</style>' +
    `<div role="status" aria-label="Ithaca debug"><b>ithaca</b> ${esc(status)}${rows}</div>`;
}

export function hideOverlay(doc) {
  const host = doc && doc.getElementById('ithaca-debug');
  if (host) host.remove();
}
