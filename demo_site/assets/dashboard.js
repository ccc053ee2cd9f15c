// The dashboard: the tracker's reports drawn with uPlot (vendored from npm by tools/vendor.mjs).
// Every chart has a data table next to it for screen readers and for exact numbers.
import { loadReports, ReportError } from './reports.js';
import { esc } from './explain.js';

const TOKEN_KEY = 'northwind:admin-token';
const COLORS = { visitors: '#a4461f', pageviews: '#2f5d8a', bars: '#7a4a2a', accent: '#2f6b3a', muted: '#b9a894' };
const $ = (id) => document.getElementById(id);
const fmt = new Intl.NumberFormat('en');
const pct = (x, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : (x * 100).toFixed(digits) + '%');

/** 95% Wilson score interval of a proportion. */
export function wilson(successes, trials, z = 1.96) {
  if (!trials) return [0, 0];
  const p = successes / trials;
  const d = 1 + (z * z) / trials;
  const centre = (p + (z * z) / (2 * trials)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

function takeToken() {
  const hash = new URLSearchParams(location.hash.slice(1));
  const fromHash = hash.get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function runDashboard({ site, uPlot }) {
  const dash = new Dashboard(site, uPlot);
  dash.start();
  return dash;
}

class Dashboard {
  constructor(site, uPlot) {
    this.site = site;
    this.uPlot = uPlot;
    this.plots = [];
  }

  start() {
    $('token-form').addEventListener('submit', (e) => {
      e.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
      $('token-form').hidden = true;
      this.load();
    });
    $('range').addEventListener('change', () => this.load());
    let resizeTimer = 0;
    addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => this.resize(), 150);
    });
    if (!this.uPlot) {
      this.status('The chart library is missing: run `node demo_site/tools/vendor.mjs` (it copies uPlot from node_modules).', 'bad');
      document.documentElement.setAttribute('data-dashboard', 'failed');
      return;
    }
    this.load();
  }

  status(text, kind = '') {
    const s = $('dash-status');
    s.textContent = text;
    s.className = 'dash-status ' + kind;
  }

  async load() {
    const token = takeToken();
    if (!token) {
      $('token-form').hidden = false;
      this.status('Enter the admin token to see the reports.');
      document.documentElement.setAttribute('data-dashboard', 'needs-token');
      return;
    }
    this.status('Loading reports…');
    // Whole days of the site's calendar, today included: the reports count by day (reports.md).
    const days = Number($('range').value) || 7;
    const to = Date.now();
    const from = to - (days - 1) * 86400000;
    const r = await loadReports({ site: this.site, token, from, to, interval: days > 7 ? 'day' : 'hour' });
    // Today's hours still to come have nothing to show.
    if (Array.isArray(r.timeseries)) r.timeseries = r.timeseries.filter((p) => p.t * 1000 <= to);
    const refused = Object.values(r).find((x) => x instanceof ReportError && (x.status === 401 || x.status === 403));
    if (refused) {
      sessionStorage.removeItem(TOKEN_KEY);
      $('token-form').hidden = false;
      this.status('The tracker refused the admin token. Enter it again.', 'bad');
      document.documentElement.setAttribute('data-dashboard', 'needs-token');
      return;
    }
    for (const p of this.plots) p.plot.destroy();
    this.plots = [];
    this.renderKpis(r.summary, r.timeseries, days > 7);
    this.renderTimeseries(r.timeseries, days);
    // Where visits come from: entries (a visit's first page), without internal navigation.
    const channels = Array.isArray(r.referrers) ? r.referrers.filter((x) => x.label !== 'internal') : r.referrers;
    const byEntries = Array.isArray(channels) && channels.some((x) => x.entries > 0);
    this.renderBreakdown('referrers', byEntries ? [...channels].sort((a, b) => b.entries - a.entries) : channels, byEntries ? 'entries' : 'visitors');
    this.renderBreakdown('devices', r.devices, 'visitors');
    this.renderBreakdown('countries', r.countries, 'visitors', 10);
    this.renderFunnel(r.funnel);
    this.renderExperiments(r.experiments);
    const failed = Object.entries(r).filter(([, v]) => v instanceof ReportError || v == null);
    const empty = !(r.summary && !(r.summary instanceof ReportError) && r.summary.events > 0);
    if (failed.length) {
      this.status(`Some reports are unavailable: ${failed.map(([k, v]) => `${k} (${v ? v.message : 'no answer'})`).join('; ')}`, 'bad');
      document.documentElement.setAttribute('data-dashboard', 'partial');
    } else if (empty) {
      this.status('No traffic yet. Browse the shop, or fill the demo with `node demo_site/tools/seed.mjs`.');
      document.documentElement.setAttribute('data-dashboard', 'empty');
    } else {
      this.status(`Updated ${new Date().toLocaleTimeString()}.`, 'ok');
      document.documentElement.setAttribute('data-dashboard', 'ready');
    }
  }

  resize() {
    for (const { plot, el, height } of this.plots) plot.setSize({ width: this.width(el), height });
  }

  width(el) {
    return Math.max(240, Math.floor(el.clientWidth || el.parentElement.clientWidth || 400));
  }

  unavailable(id, err) {
    const el = $('chart-' + id);
    el.innerHTML = `<p class="no-data">${esc(err instanceof ReportError ? err.message : 'No data')}</p>`;
    el.setAttribute('data-state', 'unavailable');
    const t = $('table-' + id);
    if (t) {
      t.innerHTML = '';
      t.closest('details').hidden = true;
    }
  }

  // ---- totals

  renderKpis(summary, series, daily) {
    const root = $('kpis');
    const s = summary instanceof ReportError || !summary ? null : summary;
    const tiles = [
      ['Distinct visitors', s ? s.visitors : null], // not visitor-days, as the charts (dashboard.html says)
      ['Page views', s ? s.pageviews : null],
      ['Events', s ? s.events : null],
      ['Pages per visitor', s && s.visitors ? (s.pageviews / s.visitors).toFixed(1) : null],
    ];
    if (Array.isArray(series) && series.length) {
      const peak = series.reduce((a, b) => (b.visitors > a.visitors ? b : a));
      tiles.push(
        daily
          ? ['Busiest day', bucketTime(peak, { weekday: 'short', day: 'numeric', month: 'short' })]
          : ['Busiest hour', bucketTime(peak, { weekday: 'short', hour: '2-digit', minute: '2-digit' })],
      );
    }
    root.innerHTML = tiles
      .map(([label, v]) => `<div class="kpi card"><p class="kpi-label">${esc(label)}</p><p class="kpi-value">${v === null ? '—' : esc(typeof v === 'number' ? fmt.format(v) : v)}</p></div>`)
      .join('');
  }

  // ---- charts

  plot(id, opts, data, height = 260) {
    const el = $('chart-' + id);
    el.innerHTML = '';
    el.setAttribute('data-state', 'drawn');
    const details = $('table-' + id)?.closest('details');
    if (details) details.hidden = false;
    const plot = new this.uPlot(Object.assign({ width: this.width(el), height }, opts), data, el);
    this.plots.push({ plot, el, height });
    return plot;
  }

  renderTimeseries(rows, days) {
    if (!Array.isArray(rows)) return this.unavailable('timeseries', rows);
    if (!rows.length) return this.unavailable('timeseries', new ReportError('No data in this period'));
    const xs = rows.map((r) => r.t);
    this.plot(
      'timeseries',
      {
        series: [
          {},
          { label: 'Visitors', stroke: COLORS.visitors, width: 2, fill: 'rgba(164, 70, 31, 0.10)', points: { show: false } },
          { label: 'Page views', stroke: COLORS.pageviews, width: 2, points: { show: false } },
        ],
        scales: { y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [{ stroke: '#5c4a3d', grid: { stroke: '#eee6db' } }, { stroke: '#5c4a3d', grid: { stroke: '#eee6db' }, size: 50 }],
        cursor: { drag: { x: true, y: false } },
      },
      [xs, rows.map((r) => r.visitors), rows.map((r) => r.pageviews)],
      280,
    );
    $('ts-note').textContent = days > 7 ? 'per day' : 'per hour';
    const total = rows.reduce((a, r) => ({ v: a.v + r.visitors, p: a.p + r.pageviews }), { v: 0, p: 0 });
    $('chart-timeseries').setAttribute('aria-label', `Visitors and page views over time: ${rows.length} buckets, ${total.p} page views in total`);
    $('table-timeseries').innerHTML = table(
      ['Time', 'Visitors', 'Page views'],
      rows.map((r) => [bucketTime(r, { dateStyle: 'short', timeStyle: 'short' }), fmt.format(r.visitors), fmt.format(r.pageviews)]),
    );
  }

  bars(id, labels, values, { color = COLORS.bars, label = 'Visitors', annotate = null, whiskers = null, yMax = null, format = (v) => fmt.format(v) } = {}) {
    const u = this.uPlot;
    const xs = labels.map((_, i) => i);
    return this.plot(
      id,
      {
        legend: { show: false },
        cursor: { show: true, points: { show: false }, drag: { x: false, y: false } },
        scales: { x: { time: false, range: [-0.6, labels.length - 0.4] }, y: { range: (_, min, max) => [0, yMax ?? Math.max(1, max * 1.18)] } },
        axes: [
          { stroke: '#5c4a3d', grid: { show: false }, ticks: { show: false }, splits: () => xs, values: (_, splits) => splits.map((i) => labels[i] ?? ''), gap: 6 },
          { stroke: '#5c4a3d', grid: { stroke: '#eee6db' }, size: 56, values: (_, splits) => splits.map(format) },
        ],
        series: [{}, { label, fill: color, stroke: color, width: 0, paths: u.paths.bars({ size: [0.62, 72] }), points: { show: false } }],
        hooks: {
          draw: [
            (plot) => {
              const ctx = plot.ctx;
              ctx.save();
              ctx.font = `${Math.round(12 * devicePixelRatio)}px system-ui, sans-serif`;
              ctx.textAlign = 'center';
              ctx.fillStyle = '#2b1d14';
              values.forEach((v, i) => {
                const x = plot.valToPos(i, 'x', true);
                if (whiskers && whiskers[i]) {
                  const [lo, hi] = whiskers[i];
                  const y0 = plot.valToPos(lo, 'y', true);
                  const y1 = plot.valToPos(hi, 'y', true);
                  ctx.strokeStyle = '#2b1d14';
                  ctx.lineWidth = 2 * devicePixelRatio;
                  ctx.beginPath();
                  ctx.moveTo(x, y0);
                  ctx.lineTo(x, y1);
                  ctx.moveTo(x - 8 * devicePixelRatio, y0);
                  ctx.lineTo(x + 8 * devicePixelRatio, y0);
                  ctx.moveTo(x - 8 * devicePixelRatio, y1);
                  ctx.lineTo(x + 8 * devicePixelRatio, y1);
                  ctx.stroke();
                }
                const top = whiskers && whiskers[i] ? Math.max(v, whiskers[i][1]) : v;
                const y = plot.valToPos(top, 'y', true) - 6 * devicePixelRatio;
                ctx.fillText(annotate ? annotate(v, i) : format(v), x, y);
              });
              ctx.restore();
            },
          ],
        },
      },
      [xs, values],
    );
  }

  renderBreakdown(id, rows, metric, limit = 8) {
    if (!Array.isArray(rows)) return this.unavailable(id, rows);
    if (!rows.length) return this.unavailable(id, new ReportError('No data in this period'));
    const top = rows.slice(0, limit);
    const total = rows.reduce((s, r) => s + r[metric], 0) || 1;
    this.bars(id, top.map((r) => r.label), top.map((r) => r[metric]), {
      // Shares fit above wide bars only; narrow ones get the count.
      annotate: (v) => (top.length > 6 ? fmt.format(v) : `${fmt.format(v)} · ${Math.round((v / total) * 100)}%`),
    });
    $('chart-' + id).setAttribute('aria-label', `${$('fig-' + id).querySelector('h2').textContent}: ` + top.map((r) => `${r.label} ${r[metric]}`).join(', '));
    const withEntries = rows.some((r) => r.entries !== null);
    $('table-' + id).innerHTML = table(
      ['', 'Visitors', 'Page views'].concat(withEntries ? ['Visits entering'] : [], [`Share of ${metric === 'entries' ? 'visits' : 'visitors'}`]),
      rows.map((r) =>
        [r.label, fmt.format(r.visitors), fmt.format(r.pageviews)].concat(withEntries ? [fmt.format(r.entries ?? 0)] : [], [Math.round((r[metric] / total) * 100) + '%']),
      ),
    );
  }

  renderFunnel(rows) {
    if (!Array.isArray(rows)) return this.unavailable('funnel', rows);
    if (!rows.length) return this.unavailable('funnel', new ReportError('No data in this period'));
    this.bars('funnel', rows.map((r) => r.stage), rows.map((r) => r.visitors), {
      color: COLORS.accent,
      annotate: (v, i) => (i === 0 || rows[i].rate === null ? fmt.format(v) : `${fmt.format(v)} · ${pct(rows[i].rate, 0)}`),
    });
    $('chart-funnel').setAttribute('aria-label', 'Journey funnel: ' + rows.map((r) => `${r.stage} ${r.visitors}`).join(', '));
    $('table-funnel').innerHTML = table(
      ['Stage', 'Visitors', 'From previous stage'],
      rows.map((r, i) => [r.stage, fmt.format(r.visitors), i === 0 ? '—' : pct(r.rate)]),
    );
  }

  renderExperiments(list) {
    const root = $('experiments');
    if (!Array.isArray(list)) {
      root.innerHTML = `<p class="no-data">${esc(list instanceof ReportError ? list.message : 'No data')}</p>`;
      root.setAttribute('data-state', 'unavailable');
      return;
    }
    if (!list.length) {
      root.innerHTML = '<p class="no-data">No experiment has exposures in this period.</p>';
      return;
    }
    root.setAttribute('data-state', 'drawn');
    root.innerHTML = list
      .map(
        (e, n) => `<article class="experiment" data-experiment="${esc(e.id)}">
          <h3>${esc(e.id)} ${e.goal ? `<span class="muted">· goal <code>${esc(e.goal)}</code></span>` : ''}</h3>
          ${e.srm.warning ? `<p class="srm" role="alert">Sample ratio mismatch${e.srm.p !== null ? ` (p = ${e.srm.p.toPrecision(2)})` : ''}: the split of exposures is not what the weights promise — check the set-up before trusting the result.</p>` : ''}
          <div class="exp-grid">
            <div class="plot" id="chart-exp-${n}" role="img" aria-label="Conversion rate by variant for ${esc(e.id)}, with 95% intervals"></div>
            <div class="table-scroll">${table(
              ['Variant', 'Visitors', 'Exposures', 'Conversions', 'Rate', 'Lift', `${e.confidence ? Math.round(e.confidence * (e.confidence <= 1 ? 100 : 1)) : 95}% CI of lift`, 'p', ''],
              e.variants.map((v) => [
                esc(v.id),
                fmt.format(v.units),
                fmt.format(v.exposures),
                fmt.format(v.conversions),
                pct(v.rate),
                v.control ? 'baseline' : signed(v.lift),
                v.ci ? `${signed(v.ci[0])} … ${signed(v.ci[1])}` : '—',
                v.p === null ? '—' : v.p < 0.001 ? '< 0.001' : v.p.toFixed(3),
                v.control || v.lift === null ? '' : v.significant || (v.p !== null && v.p < 0.05) ? '<span class="pill rule">significant</span>' : '<span class="pill default">not significant</span>',
              ]),
              true,
            )}</div>
          </div>
          <p class="muted method">${esc(e.test || 'Two-proportion test')}; whiskers on the chart are 95% Wilson intervals of each variant's rate.</p>
        </article>`,
      )
      .join('');
    list.forEach((e, n) => {
      const rates = e.variants.map((v) => v.rate);
      const whiskers = e.variants.map((v) => wilson(v.conversions, v.units));
      const max = Math.max(0.01, ...whiskers.map((w) => w[1])) * 1.25;
      this.bars(`exp-${n}`, e.variants.map((v) => v.id), rates, {
        color: COLORS.pageviews,
        label: 'Conversion rate',
        whiskers,
        yMax: max,
        format: (v) => pct(v, 0),
        annotate: (v) => pct(v),
      });
    });
  }
}

// A relative lift, which the tracker gives as a fraction (0.31 is +31%, 9 is +900%).
function signed(x) {
  if (x === null || !Number.isFinite(x)) return '—';
  const v = x * 100;
  return (v > 0 ? '+' : '') + v.toFixed(1) + '%';
}

// A time bucket as the reports count it: the site's calendar day or hour, named by the tracker
// ("2026-11-20", "2026-11-20T13:00"), not the instant it starts at read in the viewer's zone.
function bucketTime(row, options) {
  const m = row.label && /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2}))?)?$/.exec(row.label);
  if (!m) return new Date(row.t * 1000).toLocaleString('en', options);
  const utc = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0));
  return new Date(utc).toLocaleString('en', { ...options, timeZone: 'UTC' });
}

function table(head, rows, raw = false) {
  const cell = (c) => (raw ? String(c) : esc(c));
  return `<table><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${raw ? c : esc(c)}</th>` : `<td>${cell(c)}</td>`)).join('')}</tr>`)
    .join('')}</tbody></table>`;
}
