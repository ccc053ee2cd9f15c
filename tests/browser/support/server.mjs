// A tiny static server for the browser tests, on 127.0.0.1 and a free port, with a mock of the
// tracker's SDK endpoints: GET /v1/rules/{site} (ETag / 304; with ?compiled=2 the rule set
// compiled by the package's tools engine, as the tracker does), GET /v1/context (a fixed server
// context) and POST /v1/collect (records every body). The real tracker is tested elsewhere;
// this one only has to be predictable.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'wasm_sdk', 'dist');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
};

/**
 * mounts: {'/sdk/': dir, '/': dir}; rules: {site: object | string (JSON text; one that does not
 * compile is served as it is, for tests of rule sets that must fail)};
 * Special sites: 'down' answers 500, 'slow' answers after `slowMs`, 'slowctx' has the 'test'
 * rules at once but its GET /v1/context answers after `slowMs`.
 */
export async function startServer({ mounts, rules = {}, slowMs = 3000, serverContext = { geo: { country: 'DE', region: 'BE', city: 'Berlin' } } }) {
  const collected = [];
  const requests = [];
  // Collect requests to answer with a failure, in order: {marker, status} for the next request
  // carrying an event whose URL has `marker`. Every collect request is logged in `attempts` with
  // the status it got.
  const failures = [];
  const attempts = [];
  // Each rule set compiled once, up front, as the tracker does at publish: a request pays no
  // compile (the browser bench times the first visit's rules download). Null: does not compile.
  const { loadEngine } = await import(pathToFileURL(join(dist, 'index.mjs')).href);
  const tools = await loadEngine();
  const compiled = new Map();
  const compiledOf = (text) => {
    if (!compiled.has(text)) {
      const c = tools.compile(text);
      compiled.set(text, c.bytes ? Buffer.from(c.bytes) : null);
    }
    return compiled.get(text);
  };
  for (const doc of Object.values(rules)) compiledOf(typeof doc === 'string' ? doc : JSON.stringify(doc));
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push({ method: req.method, path: url.pathname, query: url.search, headers: req.headers });
    try {
      if (url.pathname === '/v1/collect' && req.method === 'POST') {
        let body = '';
        for await (const chunk of req) body += chunk;
        const doc = JSON.parse(body);
        const i = failures.findIndex((f) => doc.events.some((e) => String(e.url).includes(f.marker)));
        const status = i >= 0 ? failures.splice(i, 1)[0].status : 202;
        attempts.push({ at: Date.now(), status, body: doc });
        if (status !== 202) return void res.writeHead(status, { 'content-type': 'application/json', 'retry-after': status === 429 ? '2' : '0' }).end('{"error":{"code":"x","message":"x"}}');
        collected.push({ type: req.headers['content-type'], body: doc });
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
        return;
      }
      if (url.pathname === '/v1/context' && req.method === 'GET') {
        // Site 'slowctx' (the 'test' rules) gets its context late, as from a tracker far away.
        if (url.searchParams.get('site') === 'slowctx') await new Promise((r) => setTimeout(r, slowMs));
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'private, no-store' });
        res.end(JSON.stringify(serverContext));
        return;
      }
      const m = url.pathname.match(/^\/v1\/rules\/([^/]+)$/);
      if (m) {
        const site = decodeURIComponent(m[1]);
        if (site === 'down') return void res.writeHead(500).end('{"error":{"code":"down","message":"down"}}');
        if (site === 'slow') await new Promise((r) => setTimeout(r, slowMs));
        const doc = rules[site === 'slow' || site === 'slowctx' ? 'test' : site];
        if (doc === undefined) return void res.writeHead(404).end('{"error":{"code":"not_found","message":"no such site"}}');
        let body = typeof doc === 'string' ? doc : JSON.stringify(doc);
        if (url.searchParams.has('compiled')) body = compiledOf(body) || body;
        const etag = '"' + createHash('sha256').update(body).digest('hex').slice(0, 16) + '"';
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
        const type = Buffer.isBuffer(body) ? 'application/vnd.ithaca.compiled-rules' : 'application/json';
        res.writeHead(200, { 'content-type': type, etag, 'cache-control': 'no-cache' }).end(body);
        return;
      }
      for (const [prefix, dir] of Object.entries(mounts)) {
        if (!url.pathname.startsWith(prefix)) continue;
        const rel = normalize(url.pathname.slice(prefix.length) || 'index.html');
        if (rel.startsWith('..')) break;
        const data = await readFile(join(dir, rel)).catch(() => null);
        if (!data) continue;
        // As the tracker serves static files (static_files.cpp): an ETag to revalidate with,
        // which also lets Chromium reuse its compiled code for ithaca.wasm on the next page.
        const etag = '"' + createHash('sha256').update(data).digest('hex').slice(0, 16) + '"';
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
        res.writeHead(200, { 'content-type': TYPES[extname(rel)] || 'application/octet-stream', etag, 'cache-control': 'no-cache' });
        res.end(data);
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    collected,
    requests,
    attempts,
    failCollect: (marker, ...statuses) => failures.push(...statuses.map((status) => ({ marker, status }))),
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}
