// The npm package as a user gets it: `npm pack` of wasm_sdk/dist, installed into an empty
// folder, then used from Node — the engine (loadEngine), the browser SDK's logic with that
// engine (no DOM), the OpenFeature provider with @openfeature/web-sdk, and the TypeScript types.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo, dist, need } from '../browser/support/paths.mjs';

let work;
let app;
const npm = (args, cwd) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });
const run = (file) => execFileSync(process.execPath, [file], { cwd: app, encoding: 'utf8' });

before(() => {
  need(join(dist, 'package.json'), 'run `make wasm` to build wasm_sdk/dist');
  work = mkdtempSync(join(tmpdir(), 'ithaca-pack-'));
  npm(['pack', dist, '--pack-destination', work], work);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote a tarball');
  app = join(work, 'app');
  execFileSync('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  npm(['install', '--offline', join(work, tarball)], app);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the package files and nothing else', () => {
  const files = execFileSync('find', ['.', '-type', 'f'], { cwd: join(app, 'node_modules', 'ithaca-sdk'), encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((f) => f.slice(2))
    .sort();
  assert.deepEqual(files, [
    'README.md',
    'browser.d.ts',
    'browser/ithaca.mjs',
    'browser/ithaca.wasm',
    'browser/openfeature.mjs',
    'index.d.ts',
    'index.mjs',
    'openfeature.d.ts',
    'package.json',
    'tools.d.ts',
    'tools/ithaca-tools.mjs',
    'tools/ithaca-tools.wasm',
  ]);
});

test('loadEngine() works from an empty folder', () => {
  writeFileSync(
    join(app, 'engine.mjs'),
    `import { loadEngine, loadPageEngine } from 'ithaca-sdk';
const e = await loadEngine();
const rules = { schema: 1, site: 'pack', version: '1', slots: { hero: { default: 'a', variants: { a: { props: {} }, b: { props: { x: 1 } } },
  rules: [{ id: 'm', when: "device.type == 'mobile'", variant: 'b' }] } } };
const out = {
  eval: e.evaluate('1 + 2 * x', { x: 3 }),
  err: e.evaluate('1 +', {}),
  check: JSON.parse(e.check(rules)).ok,
  decide: JSON.parse(e.decide(rules, { device: { type: 'mobile' } })).decisions.hero.variant,
  context: JSON.parse(e.context({ user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1' })).device.type,
};
// What a page runs: the rules compiled, in the page's engine.
const page = await loadPageEngine();
const { id } = page.loadCompiled(e.compile(rules).bytes);
out.page = page.decideBrief(id, { device: { type: 'mobile' } }).decisions.hero.variant;
out.pageCheck = JSON.parse(page.check(rules)).error.kind;
console.log(JSON.stringify(out));`,
  );
  const out = JSON.parse(run('engine.mjs'));
  assert.equal(out.eval, '{"value":7}');
  assert.match(out.err, /^\{"error":\{"kind":"parse"/);
  assert.equal(out.check, true);
  assert.equal(out.decide, 'b');
  assert.equal(out.context, 'mobile');
  assert.equal(out.page, 'b');
  assert.equal(out.pageCheck, 'engine');
});

// What a page downloads leaves out what compiled rule sets make unnecessary (docs/compiled-rules.md):
// the JSON rule-set loader, the CEL parser and the regex compiler. Each is recognised by a message
// only it writes, present in the tools engine beside it; the pattern-program reader stays.
test('the page engine carries no rule-set loader, CEL parser or regex compiler; the tools engine does', () => {
  const page = readFileSync(join(dist, 'browser', 'ithaca.wasm'));
  const tools = readFileSync(join(dist, 'tools', 'ithaca-tools.wasm'));
  for (const [part, message] of [
    ['the JSON rule-set loader', 'unknown field'],
    ['the CEL parser', 'is a reserved word'],
    ['the regex compiler', 'lookahead (?=...) is not supported'],
  ]) {
    assert.ok(tools.includes(message), `the tools engine has ${part}`);
    assert.ok(!page.includes(message), `the page engine has no ${part}`);
  }
  assert.ok(page.includes('jumps outside itself'), 'the page engine reads compiled patterns');
});

test('the browser SDK runs its decision logic in Node with a Node engine (no DOM)', () => {
  writeFileSync(
    join(app, 'sdk.mjs'),
    `import { loadEngine } from 'ithaca-sdk';
import { start } from 'ithaca-sdk/browser';
const engine = await loadEngine();
const rules = { schema: 1, site: 'pack', version: '1', slots: { hero: { default: 'a', variants: { a: { props: {} }, b: { props: { headline: 'B', tags: ['x'] } } },
  rules: [{ id: 'vip', when: "custom.plan == 'vip'", variant: 'b' }] } } };
const ithaca = start({ site: 'pack', rules, engine, collect: false });
await ithaca.ready;
const seen = [];
ithaca.subscribe('hero', (d) => seen.push(d.variant));
ithaca.setCustom({ plan: 'vip' });
// What the host gets is its own: changing it changes nothing for the next caller or decision.
const mine = ithaca.decision('hero');
mine.props.tags.push('mine');
mine.variant = 'changed';
ithaca.decisions().decisions.hero.props.tags.push('mine too');
ithaca.setCustom({ other: 1 });
console.log(JSON.stringify({ status: ithaca.status, seen, now: ithaca.decision('hero').props, missing: ithaca.decision('nope') }));`,
  );
  const out = JSON.parse(run('sdk.mjs'));
  assert.deepEqual(out, { status: 'decided', seen: ['a', 'b'], now: { headline: 'B', tags: ['x'] }, missing: null });
});

test('OpenFeature: the provider answers flags from slots through @openfeature/web-sdk', () => {
  // The app brings its own OpenFeature SDK; link the repository's copy instead of downloading it.
  for (const dep of ['@openfeature']) {
    symlinkSync(join(repo, 'node_modules', dep), join(app, 'node_modules', dep), 'dir');
  }
  writeFileSync(
    join(app, 'of.mjs'),
    `import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { loadEngine } from 'ithaca-sdk';
import { start } from 'ithaca-sdk/browser';
import { IthacaProvider } from 'ithaca-sdk/openfeature';
const rules = { schema: 1, site: 'of', version: '1', slots: {
  hero: { default: 'classic', variants: { classic: { props: {} }, bold: { props: { value: true, size: 3 } } },
    rules: [{ id: 'beta', when: "custom.beta == true", variant: 'bold' }] },
  limit: { default: 'low', variants: { low: { props: { value: 10 } }, high: { props: { value: 50 } } } },
  promo: { default: 'none', variants: { none: { props: {} }, espresso: { props: {} } },
    rules: [{ id: 'fan', when: "'espresso' in journey.interests", variant: 'espresso' }] } } };
const ithaca = start({ site: 'of', rules, engine: await loadEngine(), collect: false, force: { limit: 'high' } });
await OpenFeature.setProviderAndWait(new IthacaProvider(ithaca));
const client = OpenFeature.getClient();
const changed = [];
client.addHandler(ProviderEvents.ConfigurationChanged, (d) => changed.push(d.flagsChanged));
const before = client.getStringDetails('hero', 'x');
await OpenFeature.setContext({ beta: true, targetingKey: 'user-1' });
const after = client.getStringDetails('hero', 'x');
await new Promise((r) => setTimeout(r, 10));
const changedByContext = changed.length;
ithaca.interest('espresso'); // decisions change without a context change: a configuration change
await new Promise((r) => setTimeout(r, 10));
const out = {
  before: [before.value, before.reason],
  after: [after.value, after.reason, after.variant],
  bool: client.getBooleanValue('hero', false),
  num: client.getNumberDetails('limit', 0),
  obj: client.getObjectValue('hero', {}),
  missing: client.getStringDetails('nope', 'fallback'),
  mismatch: client.getNumberDetails('hero', 7).errorCode,
  visitor: ithaca.getContext().visitor.id,
  changedByContext,
  changed,
  promo: client.getStringValue('promo', 'x'),
};
out.signedIn = { visitor: ithaca.getContext().visitor.id, custom: ithaca.getContext().custom };
await OpenFeature.setContext({ theme: 'dark' }); // logged out: another context, no targetingKey
out.loggedOut = { hero: client.getStringValue('hero', 'x'), visitor: ithaca.getContext().visitor.id, custom: ithaca.getContext().custom };
console.log(JSON.stringify(out));`,
  );
  const out = JSON.parse(run('of.mjs'));
  assert.deepEqual(out.before, ['classic', 'DEFAULT']);
  assert.deepEqual(out.after, ['bold', 'TARGETING_MATCH', 'bold']);
  assert.equal(out.bool, true);
  // A forced variant (QA preview) is a static value to OpenFeature.
  assert.deepEqual([out.num.value, out.num.variant, out.num.reason], [50, 'high', 'STATIC']);
  assert.deepEqual(out.obj, { value: true, size: 3 });
  assert.equal(out.missing.value, 'fallback');
  assert.equal(out.missing.errorCode, 'FLAG_NOT_FOUND');
  assert.equal(out.mismatch, 'TYPE_MISMATCH');
  assert.equal(out.visitor, 'user-1');
  // PROVIDER_CONFIGURATION_CHANGED names the changed flags, and not for the SDK's own context change.
  assert.equal(out.changedByContext, 0);
  assert.deepEqual(out.changed, [['promo']]);
  assert.equal(out.promo, 'espresso');
  // Each evaluation context replaces the one before: after a logout nothing of the user stays.
  assert.deepEqual(out.signedIn, { visitor: 'user-1', custom: { beta: true } });
  assert.equal(out.loggedOut.hero, 'classic');
  assert.deepEqual(out.loggedOut.custom, { theme: 'dark' });
  assert.notEqual(out.loggedOut.visitor, 'user-1');
  assert.match(out.loggedOut.visitor, /^[0-9a-f-]{36}$/, 'the SDK’s own visitor id again');
});

test('consent reported one category at a time keeps the events waiting for analytics', () => {
  // A consent manager that reports personalization before analytics: the page view recorded
  // before consent must still be sent once analytics is granted (and only dropped when refused).
  writeFileSync(
    join(app, 'consent.mjs'),
    `import { loadEngine } from 'ithaca-sdk';
import { start } from 'ithaca-sdk/browser';
const sent = [];
globalThis.fetch = async (url, init) => {
  sent.push(...JSON.parse(init.body).events.map((e) => e.type));
  return { status: 202, headers: { get: () => null } };
};
const engine = await loadEngine();
const rules = { schema: 1, site: 'c', version: '1', slots: { hero: { default: 'a', variants: { a: { props: {} } } } } };
const run = async (steps) => {
  sent.length = 0;
  const ithaca = start({ site: 'c', rules, engine, requireConsent: true, collectUrl: 'http://t.example/v1/collect' });
  await ithaca.ready;
  ithaca.interest('tea'); // decided again: still nothing sent without analytics consent
  for (const c of steps) ithaca.setConsent(c);
  ithaca.flush();
  await new Promise((r) => setTimeout(r, 20));
  return [...sent];
};
console.log(JSON.stringify({
  oneByOne: await run([{ personalization: true }, { analytics: true }]),
  refused: await run([{ analytics: false }, { analytics: true }]),
  together: await run([{ analytics: true, personalization: true }]),
}));`,
  );
  const out = JSON.parse(run('consent.mjs'));
  assert.deepEqual(out, { oneByOne: ['pageview'], refused: [], together: ['pageview'] });
});

test('the TypeScript declarations type-check a typical use', () => {
  writeFileSync(
    join(app, 'use.ts'),
    `import { start, decision, page, type Decision } from 'ithaca-sdk/browser';
import { OpenFeature } from '@openfeature/web-sdk';
import { loadEngine, loadPageEngine, type Engine } from 'ithaca-sdk/node';
import { loadEngine as loadTools } from 'ithaca-sdk/tools';
import { IthacaProvider } from 'ithaca-sdk/openfeature';
const ithaca = start({ site: 'demo', tracker: 'https://t.example', requireConsent: true, timeout: 800, debug: 'overlay' });
const unsubscribe = ithaca.subscribe('hero', (d: Decision, slot: string) => console.log(slot, d.variant, d.reason));
ithaca.track('add_to_cart', { sku: 'A1' });
ithaca.conversion('purchase');
ithaca.setConsent({ analytics: true });
const spa = start({ site: 'demo', spa: true, observeSlots: false, force: { hero: 'bold' } });
start({ site: 'demo', force: false });
const forced: boolean = d0() === 'forced';
function d0() { return decision('hero')?.reason; }
spa.page();
page();
unsubscribe();
const d: Decision | null = decision('hero');
const fromDefault: boolean = d?.rule === null;
const headline = d?.props?.headline;
ithaca.replaceContext({ custom: { plan: 'vip' } });
const provider = new IthacaProvider(ithaca);
const r = provider.resolveStringEvaluation('hero', 'x');
// docs/sdk.md's OpenFeature set-up, against @openfeature/web-sdk's own types.
async function openFeature(): Promise<string> {
  await OpenFeature.setProviderAndWait(provider);
  return OpenFeature.getClient().getStringValue('hero', 'standard');
}
void openFeature;
async function node(): Promise<string> { const e: Engine = await loadEngine(); return e.decide('{}', { a: 1 }) + r.value + (d ? d.variant : '') + forced + fromDefault + String(headline) + JSON.stringify(e.slotVariants(1)); }
async function compiled(): Promise<number> {
  const bytes: Uint8Array | undefined = (await loadEngine()).compile({ schema: 1 }).bytes;
  const page: Engine = await loadPageEngine();
  start({ site: 'inline', rules: bytes ?? new Uint8Array(0) });
  return page.loadCompiled(bytes ?? new ArrayBuffer(0)).id + (await loadTools()).loadCompiled(new Uint8Array(1)).id;
}
void node;
void compiled;
`,
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [] },
      files: ['use.ts'],
    }),
  );
  const tsc = join(repo, 'node_modules', '.bin', 'tsc');
  // A page that uses the provider has @openfeature/web-sdk (the provider's types are its).
  if (!existsSync(join(app, 'node_modules', '@openfeature'))) {
    symlinkSync(join(repo, 'node_modules', '@openfeature'), join(app, 'node_modules', '@openfeature'), 'dir');
  }
  try {
    execFileSync(tsc, ['-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
  } catch (e) {
    assert.fail(`tsc: ${e.stdout}${e.stderr}`);
  }
  // And what the code does not give, the declarations do not promise: the tools module has no
  // page engine, and a decision may have no props.
  writeFileSync(
    join(app, 'wrong.ts'),
    `import { loadPageEngine } from 'ithaca-sdk/tools';
import { decision } from 'ithaca-sdk/browser';
void loadPageEngine;
const d = decision('hero');
if (d) console.log(d.props.headline);
`,
  );
  writeFileSync(join(app, 'tsconfig.wrong.json'), readFileSync(join(app, 'tsconfig.json'), 'utf8').replace('"use.ts"', '"wrong.ts"'));
  let report = '';
  try {
    execFileSync(tsc, ['-p', 'tsconfig.wrong.json'], { cwd: app, encoding: 'utf8' });
  } catch (e) {
    report = `${e.stdout}${e.stderr}`;
  }
  assert.match(report, /wrong\.ts\(1,10\).*loadPageEngine/);
  assert.match(report, /wrong\.ts\(5,.*'d\.props' is possibly 'undefined'/);
});

test('package.json: exports, types and the Node engine field', () => {
  const pkg = JSON.parse(readFileSync(join(app, 'node_modules', 'ithaca-sdk', 'package.json'), 'utf8'));
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.types, './index.d.ts');
  assert.equal(pkg.exports['.'].node.default, './index.mjs');
  assert.equal(pkg.exports['.'].default.default, './browser/ithaca.mjs');
  assert.equal(pkg.exports['./openfeature'].types, './openfeature.d.ts');
  assert.equal(pkg.exports['./tools'].default, './tools/ithaca-tools.mjs');
  assert.match(pkg.engines.node, />=\s*20/);
});
