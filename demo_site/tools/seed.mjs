#!/usr/bin/env node
// Fills a running tracker with realistic generated demo traffic (see traffic.mjs) through
// POST /v1/collect, so the dashboard has something to show on first run.
//
//   node demo_site/tools/seed.mjs [--url http://127.0.0.1:8080] [--visitors 600] [--days 6.5]
//                                 [--seed 7] [--if-empty] [--token TOKEN | --data DIR]
//
// --if-empty seeds only when the site has no events yet (asks /v1/stats/demo/summary, which
// needs the admin token: --token, ITHACA_ADMIN_TOKEN, or DIR/admin-token of the tracker's
// --data folder, ./data by default). The tracker keeps client timestamps up to 7 days old, so
// --days is at most 6.9.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateVisits } from './traffic.mjs';

function parseArgs(argv) {
  const o = { url: process.env.ITHACA_URL || 'http://127.0.0.1:8080', visitors: 600, days: 6.5, seed: 7, ifEmpty: false, token: process.env.ITHACA_ADMIN_TOKEN || '', data: process.env.ITHACA_DATA || 'data', concurrency: 4, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--url') o.url = val();
    else if (a === '--visitors') o.visitors = Number(val());
    else if (a === '--days') o.days = Number(val());
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--if-empty') o.ifEmpty = true;
    else if (a === '--token') o.token = val();
    else if (a === '--data') o.data = val();
    else if (a === '--concurrency') o.concurrency = Number(val());
    else if (a === '--quiet') o.quiet = true;
    else if (a === '--help' || a === '-h') o.help = true;
    else throw new Error(`unknown option ${a} (see --help)`);
  }
  if (!(o.visitors > 0 && o.visitors <= 100000)) throw new Error('--visitors must be 1..100000');
  if (!(o.days > 0 && o.days <= 6.9)) throw new Error('--days must be more than 0 and at most 6.9 (the tracker keeps client times up to 7 days old)');
  o.url = o.url.replace(/\/$/, '');
  return o;
}

function token(o) {
  if (o.token) return o.token;
  const file = join(o.data, 'admin-token');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function post(url, visit, attempt = 0) {
  const body = { site: 'demo', events: visit.events };
  if (visit.visitorId) body.visitor_id = visit.visitorId;
  const res = await fetch(url + '/v1/collect', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': visit.userAgent },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15000),
  });
  if ((res.status === 429 || res.status === 503) && attempt < 8) {
    const wait = Math.min(5, Number(res.headers.get('retry-after')) || 1);
    await sleep(wait * 1000);
    return post(url, visit, attempt + 1);
  }
  const text = await res.text();
  if (res.status !== 202) throw new Error(`POST /v1/collect answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text).accepted || visit.events.length;
}

export async function summary(url, adminToken) {
  const res = await fetch(url + '/v1/stats/demo/summary', { headers: { authorization: 'Bearer ' + adminToken }, signal: AbortSignal.timeout(10000) });
  if (!res.ok) throw new Error(`GET /v1/stats/demo/summary answered ${res.status}`);
  return res.json();
}

/** Seeds the tracker at `o.url`; resolves to {visits, events} sent (0 when skipped). */
export async function seed(options) {
  const o = Object.assign(parseArgs([]), options);
  const log = o.quiet ? () => {} : (...a) => console.log(...a);
  if (o.ifEmpty) {
    const t = token(o);
    if (!t) log('seed: no admin token found, so cannot tell whether the site is empty; seeding');
    else {
      const s = await summary(o.url, t);
      if (s.events > 0) {
        log(`seed: the demo site already has ${s.events} events; nothing to do`);
        return { visits: 0, events: 0, skipped: true };
      }
    }
  }
  const visits = generateVisits({ seed: o.seed, visitors: o.visitors, days: o.days, base: o.url });
  let next = 0;
  let events = 0;
  const worker = async () => {
    while (next < visits.length) {
      const v = visits[next++];
      events += await post(o.url, v);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  log(`seed: sent ${visits.length} visits, ${events} events to ${o.url} (site demo)`);
  return { visits: visits.length, events };
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error('seed: ' + e.message);
    process.exit(2);
  }
  if (o.help) {
    console.log(readFileSync(new URL(import.meta.url)).toString().split('\n').slice(1, 12).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
    process.exit(0);
  }
  seed(o).catch((e) => {
    console.error('seed: ' + (e.cause ? `${e.message} (${e.cause.code || e.cause.message})` : e.message));
    process.exit(1);
  });
}
