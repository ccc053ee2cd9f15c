// The dashboard's view of the tracker's reports API (GET /v1/stats/{site}/…, bearer token).
// Each report is fetched and normalized into the plain shapes the charts draw, so the charts do
// not depend on the exact field names of a response:
//   timeseries  → [{t: epoch seconds, visitors, pageviews}]
//   breakdown   → [{label, visitors, pageviews, entries (visits that began with the value) | null}]
//   funnel      → [{stage, visitors, rate (from the previous stage, 0..1 or null)}]
//   experiments → [{id, goal, test, srm, variants: [{id, units, exposures, conversions, rate, lift, ci: [lo, hi] | null, p, significant}]}]
// The tracker's own shapes are in docs/reports.md; the fallbacks keep the page working across
// small differences (rows/buckets, ts/t, lift_low+lift_high/ci).

export class ReportError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

const num = (...vals) => {
  for (const v of vals) {
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  return 0;
};
const numOrNull = (...vals) => {
  for (const v of vals) if (v !== undefined && v !== null && v !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
};

/** The first array found under the usual keys of a report body (or the body itself). */
function rowsOf(body, keys) {
  if (Array.isArray(body)) return body;
  if (!body || typeof body !== 'object') return [];
  for (const k of keys) if (Array.isArray(body[k])) return body[k];
  for (const v of Object.values(body)) if (Array.isArray(v) && v.length && typeof v[0] === 'object') return v;
  return [];
}

const toSeconds = (t) => {
  if (typeof t === 'string' && !/^\d+$/.test(t)) return Date.parse(t) / 1000;
  const n = Number(t);
  return n > 1e11 ? n / 1000 : n; // epoch ms or s
};

export function normalizeTimeseries(body) {
  const rows = rowsOf(body, ['buckets', 'series', 'points', 'rows', 'data', 'timeseries'])
    .map((r) => ({
      t: toSeconds(r.t ?? r.ts ?? r.time ?? r.bucket ?? r.start ?? r.from ?? r.date),
      // The tracker's own name of the bucket: a day or hour of the site's calendar.
      label: typeof r.bucket === 'string' ? r.bucket : null,
      visitors: num(r.visitors, r.uniques, r.unique_visitors),
      pageviews: num(r.pageviews, r.page_views, r.views),
    }))
    .filter((r) => Number.isFinite(r.t))
    .sort((a, b) => a.t - b.t);
  // The instants the report's whole days start and end at (every report answer has them).
  if (body && Number.isFinite(body.from_ms) && Number.isFinite(body.to_ms)) rows.span = { from_ms: body.from_ms, to_ms: body.to_ms };
  return rows;
}

export function normalizeBreakdown(body) {
  return rowsOf(body, ['rows', 'items', 'breakdown', 'values', 'data', 'results'])
    .map((r) => ({
      label: String(r.value ?? r.key ?? r.label ?? r.name ?? r.category ?? r.dimension ?? '') || '(none)',
      visitors: num(r.visitors, r.uniques, r.count),
      pageviews: num(r.pageviews, r.page_views, r.events, r.count),
      entries: numOrNull(r.entries, r.visits, r.landings), // visits that began with this value
    }))
    .sort((a, b) => b.visitors - a.visitors || b.pageviews - a.pageviews);
}

export function normalizeFunnel(body) {
  const rows = rowsOf(body, ['stages', 'steps', 'funnel', 'rows']);
  let prev = null;
  return rows.map((r) => {
    const visitors = num(r.visitors, r.count, r.entered, r.reached, r.value);
    let rate = numOrNull(r.conversion_from_previous, r.rate_from_previous, r.conversion, r.rate);
    if (rate !== null && rate > 1) rate /= 100;
    if (rate === null && prev !== null) rate = prev > 0 ? visitors / prev : null;
    prev = visitors;
    return { stage: String(r.stage ?? r.id ?? r.name ?? r.step ?? ''), visitors, rate };
  });
}

function interval(v) {
  if (!v) return null;
  if (Array.isArray(v) && v.length === 2) {
    const [lo, hi] = [numOrNull(v[0]), numOrNull(v[1])];
    return lo === null || hi === null ? null : [lo, hi];
  }
  if (typeof v === 'object') {
    const lo = numOrNull(v.low, v.lower, v.lo, v.from);
    const hi = numOrNull(v.high, v.upper, v.hi, v.to);
    return lo === null || hi === null ? null : [lo, hi];
  }
  return null;
}

export function normalizeExperiments(body) {
  return rowsOf(body, ['experiments', 'rows', 'results']).map((e) => {
    const variants = rowsOf(e, ['variants', 'arms', 'rows']).map((v) => {
      const exposures = num(v.exposures, v.exposed, v.visitors, v.participants);
      // The unit the rate is over: exposed visitors when the report counts them, else exposures.
      const units = num(v.visitors, v.units, v.participants, v.exposures);
      const conversions = num(v.conversions, v.converted);
      const rate = numOrNull(v.rate, v.conversion_rate, v.cr) ?? (units ? conversions / units : 0);
      return {
        id: String(v.variant ?? v.id ?? v.name ?? ''),
        units,
        exposures,
        conversions,
        rate,
        lift: numOrNull(v.lift, v.relative_lift, v.uplift),
        ci: interval(v.lift_ci ?? v.ci ?? v.confidence_interval ?? v.interval ?? (v.lift_low !== undefined ? [v.lift_low, v.lift_high] : null)),
        p: numOrNull(v.p_value, v.p, v.pvalue),
        significant: v.significant === true,
        control: v.control === true || v.baseline === true,
      };
    });
    const srm = e.srm ?? e.sample_ratio_mismatch ?? null;
    return {
      id: String(e.id ?? e.experiment ?? e.name ?? ''),
      goal: String(e.goal ?? ''),
      test: String(e.test ?? e.method ?? ''),
      confidence: numOrNull(e.confidence, e.confidence_level),
      srm: srm && typeof srm === 'object' ? { warning: !!(srm.warning ?? srm.detected ?? srm.mismatch), p: numOrNull(srm.p_value, srm.p) } : { warning: srm === true, p: null },
      variants,
    };
  });
}

/**
 * Fetches reports for `site` with the bearer `token`. Each report lists the paths it tries, in
 * order; the first that answers 200 wins. Returns {report: data | ReportError}.
 */
export async function loadReports({ site, token, from, to, interval, fetchImpl = fetch }) {
  const q = (extra) => {
    const p = new URLSearchParams(Object.assign({ from: String(from), to: String(to) }, extra));
    return '?' + p.toString();
  };
  const base = `/v1/stats/${encodeURIComponent(site)}/`;
  const get = async (paths, normalize) => {
    let last = null;
    for (const path of paths) {
      let res;
      try {
        res = await fetchImpl(base + path, { headers: { authorization: 'Bearer ' + token }, cache: 'no-store' });
      } catch (e) {
        return new ReportError('the tracker did not answer: ' + e.message, 0);
      }
      if (res.status === 401 || res.status === 403) return new ReportError('the admin token was refused', res.status);
      if (res.ok) {
        try {
          return normalize(await res.json());
        } catch (e) {
          return new ReportError(`${path.split('?')[0]}: ${e.message}`, res.status);
        }
      }
      // Report the first (canonical) path that was missing, not the last alternative tried.
      if (!last) last = new ReportError(`${base}${path.split('?')[0]} answered ${res.status}`, res.status);
      if (res.status !== 404 && res.status !== 400) return new ReportError(`${base}${path.split('?')[0]} answered ${res.status}`, res.status);
    }
    return last;
  };
  const dim = (names) => names.map((n) => `breakdown${q({ dimension: n })}`);
  const [summary, timeseries, referrers, devices, countries, funnel, experiments] = await Promise.all([
    get([`summary${q({})}`], (b) => b),
    get([`timeseries${q({ interval })}`], normalizeTimeseries),
    get(dim(['referrer_category']), normalizeBreakdown),
    get(dim(['device', 'device_type']), normalizeBreakdown),
    get(dim(['country']), normalizeBreakdown),
    get([`funnel${q({})}`], normalizeFunnel),
    get([`experiments${q({})}`], normalizeExperiments),
  ]);
  // The summary counts over exact instants, the other reports over whole days of the site's
  // calendar: ask it again for the days the time series covered, so that the totals and the
  // charts count the same period.
  const span = timeseries && !(timeseries instanceof ReportError) && timeseries.span;
  const totals = span ? await get([`summary?from=${span.from_ms}&to=${span.to_ms}`], (b) => b) : summary;
  return { summary: totals, timeseries, referrers, devices, countries, funnel, experiments };
}
