// The core's language-neutral test vectors (tests/vectors/*.json) through the wasm engine of the
// npm package, compared byte for byte with the native `ithaca` command and with each vector's
// expectations; plus the engine's own contract: load-once decisions equal decide(), rule-set
// errors come back as data, and no input makes it throw.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { repo, nativeBin } from '../browser/support/paths.mjs';
import { wasmEngine, native, prng } from '../browser/support/engines.mjs';

const vectorDir = join(repo, 'tests', 'vectors');
const vectorFiles = existsSync(vectorDir) ? readdirSync(vectorDir).filter((f) => f.endsWith('.json')).sort() : [];
const load = (f) => JSON.parse(readFileSync(join(vectorDir, f), 'utf8'));

let engine;
let cli;
before(async () => {
  engine = await wasmEngine();
  cli = native();
});
after(() => cli?.close());

// The rule-set text a decision vector file refers to (inline "rules" or a "rules_file").
function rulesText(v) {
  if (v.rules !== undefined) return typeof v.rules === 'string' ? v.rules : JSON.stringify(v.rules);
  return readFileSync(join(repo, v.rules_file), 'utf8');
}

// `expected` lists per slot the fields that must match (a subset), and optionally the journey stage.
function assertSubset(result, expected, label) {
  for (const [key, want] of Object.entries(expected)) {
    if (key === 'journey') {
      assert.equal(result.journey && result.journey.stage, typeof want === 'string' ? want : want.stage, `${label}: journey`);
    } else if (key === 'segments') {
      for (const [seg, v] of Object.entries(want)) assert.equal(result.segments[seg], v, `${label}: segment ${seg}`);
    } else {
      const got = result.decisions && result.decisions[key];
      assert.ok(got, `${label}: slot ${key} missing`);
      for (const [field, value] of Object.entries(want)) {
        if (field === 'experiment_id') {
          assert.equal(got.experiment && got.experiment.id, value, `${label}: ${key}.experiment.id`);
        } else if (field === 'skipped_reason_contains') {
          const skipped = (got.explanation && got.explanation.skipped) || {};
          const reasons = Array.isArray(skipped) ? skipped.map((s) => String(s.why)) : Object.values(skipped).map(String);
          assert.ok(reasons.some((r) => r.includes(value)), `${label}: ${key}: no skipped rule says '${value}' in ${JSON.stringify(got)}`);
        } else {
          assert.deepEqual(got[field], value, `${label}: ${key}.${field}`);
        }
      }
    }
  }
}

test('there are test vectors to run', () => {
  assert.ok(vectorFiles.length > 0, 'tests/vectors/*.json');
});

for (const file of vectorFiles) {
  test(`vectors ${file}: wasm equals native and the expectations`, () => {
    const v = load(file);
    let n = 0;
    if (v.rules !== undefined || v.rules_file !== undefined) {
      const rules = rulesText(v);
      const rulesPath = cli.rulesFile(rules);
      const loaded = engine.load(rules);
      assert.ok(loaded.id > 0, `rules load: ${loaded.report}`);
      for (const [i, c] of v.cases.entries()) {
        const label = `${file} #${i} ${c.name || ''}`;
        const ctx = JSON.stringify(c.context);
        const wasm = engine.decide(rules, ctx);
        assert.equal(wasm, cli.decide(rulesPath, ctx), `${label}: wasm and native differ`);
        assert.equal(engine.decideLoaded(loaded.id, ctx), wasm, `${label}: load-once path differs`);
        // Without explanation details: the same document, each explanation cut to its summary.
        const full = JSON.parse(wasm);
        for (const d of Object.values(full.decisions)) d.explanation = { summary: d.explanation.summary };
        assert.equal(engine.decideLoaded(loaded.id, ctx, { explain: false }), JSON.stringify(full), `${label}: brief differs`);
        if (c.expected) assertSubset(JSON.parse(wasm), c.expected, label);
        n++;
      }
      engine.unload(loaded.id);
    } else {
      // Expression vectors: anything with an expression per case.
      const cases = (v.cases || []).filter((c) => typeof c.expr === 'string');
      const lines = cases.map((c) => JSON.stringify({ expr: c.expr, context: c.context || {} }));
      const nativeOut = cli.evalBatch(lines);
      for (const [i, c] of cases.entries()) {
        const label = `${file} #${i} ${c.expr}`;
        const wasm = engine.evaluate(c.expr, c.context || {});
        assert.equal(wasm, nativeOut[i], `${label}: wasm and native differ`);
        assert.equal(engine.evaluateLine(lines[i]), wasm, `${label}: batch-line path differs`);
        if ('value' in c) assert.deepEqual(JSON.parse(wasm).value, c.value, label);
        if (c.expected !== undefined) {
          const out = JSON.parse(wasm);
          if (c.expected && typeof c.expected === 'object' && ('value' in c.expected || 'error' in c.expected)) {
            if ('value' in c.expected) assert.deepEqual(out.value, c.expected.value, label);
            else assert.equal(out.error && out.error.kind, c.expected.error.kind || c.expected.error, label);
          } else {
            assert.deepEqual(out.value, c.expected, label);
          }
        }
        n++;
      }
    }
    assert.ok(n > 0, `${file} has cases`);
  });
}

test('check reports every rule-set error with its path, like the native command', () => {
  const bad = JSON.stringify({
    schema: 1,
    site: 's',
    version: '1',
    slots: { hero: { default: 'nope', variants: { a: { props: {} } }, rules: [{ id: 'r', when: 'time.hour >', variant: 'a' }] } },
  });
  const wasm = engine.check(bad);
  assert.equal(wasm, cli.check(bad));
  const report = JSON.parse(wasm);
  assert.equal(report.ok, false);
  assert.ok(report.errors.length >= 2);
  for (const e of report.errors) assert.match(e.path, /^\$/);
  const loaded = engine.load(bad);
  assert.equal(loaded.id, 0);
  assert.deepEqual(JSON.parse(loaded.report), report);
});

test('loaded rule sets are independent and ids are reused after unload', () => {
  const rules = (variant) =>
    JSON.stringify({ schema: 1, site: 's', version: variant, slots: { x: { default: variant, variants: { [variant]: { props: {} } } } } });
  const a = engine.load(rules('a')).id;
  const b = engine.load(rules('b')).id;
  assert.notEqual(a, b);
  assert.equal(JSON.parse(engine.decideLoaded(a, {})).decisions.x.variant, 'a');
  assert.equal(JSON.parse(engine.decideLoaded(b, {})).decisions.x.variant, 'b');
  engine.unload(a);
  assert.match(engine.decideLoaded(a, {}), /unknown rule set id/);
  const c = engine.load(rules('c')).id;
  assert.equal(c, a, 'the freed id is reused');
  assert.equal(JSON.parse(engine.decideLoaded(b, {})).decisions.x.variant, 'b');
  engine.unload(b);
  engine.unload(c);
  engine.unload(12345); // unknown ids are ignored
});

test('decideBrief: the first decision through the text, the catalog from the second or from prepareBrief', () => {
  const rules = JSON.stringify({ schema: 1, site: 's', slots: { x: { default: 'd', rules: [{ id: 'r', when: "geo.country == 'DE'", variant: 'de' }] } } });
  const frozen = (d) => Object.isFrozen(d.decisions.x);
  const a = engine.load(rules).id;
  assert.equal(frozen(engine.decideBrief(a, { geo: { country: 'DE' } })), false, 'first: parsed from the text');
  assert.equal(frozen(engine.decideBrief(a, { geo: { country: 'DE' } })), true, 'second: from the catalog');
  const b = engine.load(rules).id;
  assert.equal(engine.prepareBrief(b), true);
  const d = engine.decideBrief(b, { geo: { country: 'FR' } });
  assert.equal(frozen(d), true, 'prepared: the first decision already uses the catalog');
  assert.equal(d.decisions.x.variant, 'd');
  assert.equal(engine.prepareBrief(987654), false);
  assert.equal(engine.failure, null);
  engine.unload(a);
  engine.unload(b);
});

test('slotVariants: each slot\'s declared variants with their props, {} where none; null for an unknown id', () => {
  const rules = { schema: 1, site: 's', slots: {
    x: { default: 'a', variants: { a: { props: { n: 1 } }, b: { description: 'B', props: { n: [2] } } }, rules: [] },
    y: { default: 'd', rules: [{ id: 'r', when: 'true', variant: 'v' }] },
  } };
  const id = engine.load(JSON.stringify(rules)).id;
  const v = engine.slotVariants(id);
  assert.deepEqual(v, { x: rules.slots.x.variants, y: {} });
  assert.ok(Object.isFrozen(v.x.b.props), 'shared with the catalog, so frozen');
  assert.equal(engine.slotVariants(987654), null);
  engine.unload(id);
  assert.equal(engine.slotVariants(id), null, 'unloaded');
});

test('a context that is not an object is answered exactly as `ithaca decide` answers it', () => {
  const rules = JSON.stringify({ schema: 1, site: 's', version: '1', slots: { x: { default: 'a', variants: { a: { props: {} } } } } });
  const id = engine.load(rules).id;
  const path = cli.rulesFile(rules);
  for (const ctx of ['[1,2]', '"text"', '{"unterminated": ', '', 'null']) {
    const want = cli.decide(path, ctx);
    assert.equal(engine.decide(rules, ctx), want, `context ${JSON.stringify(ctx)}`);
    assert.equal(engine.decideLoaded(id, ctx), want, `load-once, context ${JSON.stringify(ctx)}`);
  }
  engine.unload(id);
});

test('no input makes the engine throw: random bytes, deep nesting, huge strings, lone surrogates', () => {
  const r = prng(7);
  const inputs = ['', '{', '[[[[', '\u0000', '\ud800', '{"a":"\ud800"}', '{'.repeat(10000), '"' + 'x'.repeat(1 << 20) + '"'];
  for (let i = 0; i < 300; i++) {
    let s = '';
    const n = r.int(0, 64);
    for (let k = 0; k < n; k++) s += String.fromCharCode(r.pick([r.int(0, 127), r.int(0, 0xffff)]));
    inputs.push(s);
  }
  for (const s of inputs) {
    for (const out of [engine.evaluate(s, s), engine.check(s), engine.decide(s, s), engine.context(s), engine.evaluateLine(s)]) {
      assert.equal(typeof out, 'string');
      JSON.parse(out); // always a JSON document
    }
    const l = engine.load(s);
    assert.equal(typeof l.id, 'number');
  }
  assert.equal(engine.failure, null, 'the engine is still alive');
  assert.match(engine.evaluate('1 + 1', {}), /^\{"value":2\}$/);
});

// Chains the nesting limit does not count build trees as deep as the source is long; the engine
// answers with the depth limit, in wasm too (it used to exhaust the stack freeing such a tree).
test('expressions with very deep syntax trees get the depth limit, and the engine lives on', () => {
  for (const n of [4000, 8000]) {
    const expr = '[x]' + '.a'.repeat(n) + ' == 1';
    assert.match(engine.evaluate(expr, { x: 1 }), /"kind":"parse".*syntax tree is \d+ levels deep, over the limit of 1000/);
    const rules = { schema: 1, site: 'd', slots: { s: { default: 'a', rules: [{ id: 'r', when: expr, variant: 'b' }] } } };
    assert.match(engine.check(rules), /"kind":"limit".*over the limit of 1000/);
  }
  assert.equal(engine.failure, null, 'the engine is still alive');
});

test('`ithaca decide RULES --batch`: one line per context, each what `decide --context` prints', () => {
  const rules = readFileSync(join(repo, 'tests', 'browser', 'fixtures', 'rules.json'), 'utf8');
  const path = cli.rulesFile(rules);
  const lines = ['{"time":{"hour":8},"device":{"type":"mobile"}}', '{}', '[1,2]', 'not json', '', '{"visit":{"first":false}}'];
  const out = cli.decideBatch(path, lines);
  assert.equal(out.length, lines.length);
  for (const [i, ctx] of lines.entries()) assert.equal(out[i], cli.decide(path, ctx), `line ${i}: ${ctx}`);
  assert.match(out[0], /^\{"site":"test"/);
  assert.match(out[3], /^\{"error":/);

  // A rule set that does not load: its error on every line, exit status 1.
  const bad = cli.rulesFile('{"schema": 1, "site": "x", "slots": {"s": {"default": 7}}}');
  const r = spawnSync(nativeBin, ['decide', bad, '--batch'], { input: '{}\n{}\n', encoding: 'utf8' });
  assert.equal(r.status, 1);
  const badLines = r.stdout.trimEnd().split('\n');
  assert.equal(badLines.length, 2);
  for (const l of badLines) assert.equal(l, cli.decide(bad, '{}'));
  // --batch and --context exclude each other (usage error).
  assert.equal(spawnSync(nativeBin, ['decide', path, '--batch', '--context', path]).status, 2);
});
