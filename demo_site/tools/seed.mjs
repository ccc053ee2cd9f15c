#!/usr/bin/env node
// Fills a running tracker with realistic generated demo traffic through POST /v1/collect, so the
// dashboard has something to show on first run. The stream comes from the reports' generator,
// ithaca-gen (server_tracker/tools/, docs/reports.md), when it is built, and from traffic.mjs
// otherwise; either way each request is posted here with its visitor's headers and retried on
// 429/503.
//
//   node demo_site/tools/seed.mjs [--url http://127.0.0.1:8080] [--visitors 600 | --events N]
//                                 [--days 6.5] [--seed 7] [--generator auto|ithaca-gen|builtin]
//                                 [--if-empty] [--token TOKEN | --data DIR]
//
// --if-empty seeds only when the site has no events yet (asks /v1/stats/demo/summary, which
// needs the admin token: --token, ITHACA_ADMIN_TOKEN, or DIR/admin-token of the tracker's
// --data folder, ./data by default). The tracker keeps client timestamps up to 7 days old, so
// --days is at most 6.9. ithaca-gen is looked for at $ITHACA_GEN and build/native/bin/.
import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateVisits } from './traffic.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function parseArgs(argv) {
  const o = { url: process.env.ITHACA_URL || 'http://127.0.0.1:8080', visitors: 600, events: 0, days: 6.5, seed: 7, generator: 'auto', ifEmpty: false, token: process.env.ITHACA_ADMIN_TOKEN || '', data: process.env.ITHACA_DATA || 'data', concurrency: 4, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--url') o.url = val();
    else if (a === '--visitors') o.visitors = Number(val());
    else if (a === '--events') o.events = Number(val());
    else if (a === '--generator') o.generator = val();
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
  if (!(o.events >= 0 && o.events <= 10000000)) throw new Error('--events must be 0..10000000');
  if (!['auto', 'ithaca-gen', 'builtin'].includes(o.generator)) throw new Error('--generator must be auto, ithaca-gen or builtin');
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

async function post(url, request, attempt = 0) {
  const res = await fetch(url + '/v1/collect', {
    method: 'POST',
    headers: Object.assign({ 'content-type': 'application/json' }, request.headers),
    body: request.body,
    signal: AbortSignal.timeout(15000),
  });
  if ((res.status === 429 || res.status === 503) && attempt < 8) {
    const wait = Math.min(5, Number(res.headers.get('retry-after')) || 1);
    await sleep(wait * 1000);
    return post(url, request, attempt + 1);
  }
  const text = await res.text();
  if (res.status !== 202) throw new Error(`POST /v1/collect answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text).accepted || 0;
}

/** The ithaca-gen binary, or null. */
export function findGenerator() {
  const candidates = [process.env.ITHACA_GEN, join(repo, 'build', 'native', 'bin', 'ithaca-gen')];
  if (process.env.ITHACA_TRACKER) candidates.push(join(dirname(process.env.ITHACA_TRACKER), 'ithaca-gen'));
  return candidates.find((c) => c && existsSync(c)) || null;
}

// Requests from ithaca-gen's JSON lines ({"headers", "body"}).
function fromIthacaGen(binary, o) {
  const args = ['--out', '-', '--quiet', '--site', 'demo', '--events', String(o.events || o.visitors * 6), '--days', String(o.days), '--seed', String(o.seed)];
  const rules = join(repo, 'demo_site', 'rules', 'demo.json');
  if (existsSync(rules)) args.push('--rules', rules);
  return new Promise((resolveRequests, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${binary} exited with ${code}: ${err.trim()}`));
      try {
        resolveRequests(
          out
            .split('\n')
            .filter(Boolean)
            .map((line) => {
              const { headers, body } = JSON.parse(line);
              return { headers, body: JSON.stringify(body), events: body.events ? body.events.length : 1 };
            }),
        );
      } catch (e) {
        reject(new Error(`${binary} printed something that is not JSON lines: ${e.message}`));
      }
    });
  });
}

// Requests from traffic.mjs.
function fromBuiltin(o) {
  return generateVisits({ seed: o.seed, visitors: o.visitors, days: o.days, base: o.url }).map((v) => {
    const body = { site: 'demo', events: v.events };
    if (v.visitorId) body.visitor_id = v.visitorId;
    return { headers: { 'user-agent': v.userAgent }, body: JSON.stringify(body), events: v.events.length };
  });
}

export async function summary(url, adminToken) {
  const res = await fetch(url + '/v1/stats/demo/summary', { headers: { authorization: 'Bearer ' + adminToken }, signal: AbortSignal.timeout(10000) });
  if (!res.ok) throw new Error(`GET /v1/stats/demo/summary answered ${res.status}`);
  return res.json();
}

/** Seeds the tracker at `o.url`; resolves to {requests, events, generator} (skipped: true when it had data). */
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
        return { requests: 0, events: 0, skipped: true };
      }
    }
  }
  const generator = o.generator === 'builtin' ? null : findGenerator();
  if (o.generator === 'ithaca-gen' && !generator) throw new Error('ithaca-gen is not built (make native) and $ITHACA_GEN is not set');
  const requests = generator ? await fromIthacaGen(generator, o) : fromBuiltin(o);
  let next = 0;
  let events = 0;
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++];
      const accepted = await post(o.url, r); // not `events += await …`: that reads `events` before waiting
      events += accepted;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  const source = generator ? 'ithaca-gen' : 'traffic.mjs';
  log(`seed: sent ${requests.length} requests, ${events} events from ${source} to ${o.url} (site demo)`);
  return { requests: requests.length, events, generator: source };
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
    console.log(readFileSync(new URL(import.meta.url)).toString().split('\n').slice(1, 15).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
    process.exit(0);
  }
  seed(o).catch((e) => {
    console.error('seed: ' + (e.cause ? `${e.message} (${e.cause.code || e.cause.message})` : e.message));
    process.exit(1);
  });
}
