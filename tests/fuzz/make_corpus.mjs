#!/usr/bin/env node
// Regenerates the committed seed corpora of the core's fuzz targets (tests/fuzz/corpus/):
//   cel_fuzz   every distinct expression of the CEL conformance suite (@bufbuild/cel-spec), plus
//              personalization rules written against the design's context attributes;
//   json_fuzz  contexts, a rule set, JSON edge cases, and `ithaca eval --batch` lines built
//              from conformance cases.
// Deterministic: running it twice writes the same files. With --minimize BIN_DIR (a fuzz build's
// bin/, e.g. build/fuzz/bin) only the inputs that add coverage are kept (libFuzzer -merge=1),
// under their readable names.
//   node tests/fuzz/make_corpus.mjs [--minimize build/fuzz/bin]

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { allSuiteNames, batchLine, loadCases } from "../conformance/cases.mjs";
import { jsonRepresentable } from "../conformance/scope.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));

const RULES = [
  "time.hour >= 6 && time.hour < 11 && device.type in ['mobile', 'tablet'] && geo.country == 'DE'",
  "time.daypart == 'morning' && device.type == 'mobile'",
  "time.weekday in [0, 6] || time.hour >= 18",
  "referrer.category == 'search' && referrer.source == 'google'",
  "utm.medium == 'email' && utm.campaign.startsWith('summer')",
  "visit.first && !consent.gpc",
  "visit.count > 3 && visit.days_since_last <= 7",
  "journey.stage == 'consideration' && 'sneakers' in journey.interests",
  "journey.interests.exists(k, journey.interests[k] > 0.5)",
  "journey.touchpoints.exists_one(t, t.source == 'newsletter')",
  "journey.touchpoints.map(t, t.source).filter(s, s != 'direct').size() >= 2",
  "geo.languages.exists(l, l.startsWith('de'))",
  "has(custom.tier) && custom.tier in ['gold', 'platinum']",
  "has(utm.term) ? utm.term : 'none'",
  "custom.cart_value >= 100.0 && custom.cart_items > 2",
  "double(custom.cart_items) * 1.19 > 3.0",
  "device.os == 'iOS' && device.browser_version >= 17.0",
  "device.screen_width < 768 || device.touch",
  "visit.path.matches('^/de/(schuhe|stiefel)/')",
  "visit.landing_path.contains('sale') || utm.campaign.endsWith('_sale')",
  "!(consent.dnt || consent.gpc) && consent.personalization",
  "size(custom.tags) > 0 && 'vip' in custom.tags",
  "custom.tags.all(t, t.size() <= 8)",
  "int(time.date.split('-')[0]) == time.year",
  "string(time.hour) + ':' + string(time.minute)",
  "timestamp(time.now).getHours('Europe/Berlin') < 12",
  "timestamp('2025-07-14T07:45:00Z') + duration('90m') > timestamp(time.now)",
  "duration('1h30m').getMinutes() == 90",
  "uint(visit.count) % 2u == 0u",
  "visit.pageviews / visit.count",
  "custom.big + 1",
  "custom.huge",
  "custom.neg - 1",
  "custom.nested.a.b.c[1][1][1].d == null",
  "custom.unicode.size() == 13 && custom.unicode.contains('世界')",
  "{'mobile': 'm', 'desktop': 'd'}[device.type]",
  "[time.hour, time.minute].map(x, x * 60)",
  "dyn(x) == 42u && type(y) == double",
  "segment.mornings && !segment.returning",
  "l.filter(e, type(e) == int)",
  "m.exists(k, m[k] == false)",
  "a.all(i, a[i] == i)",
  "s + ' ' + s",
  "x in a || y in [2.5] || s in m",
  "l[6].five + l[5][0] + int(l[1])",
  "custom.empty_list.size() == 0 && custom.empty_map == {}",
  "[[1, 2], [3]].exists(inner, inner.exists(v, v == 3))",
  "time.hour > 24 ? 'impossible' : (time.hour >= 12 ? 'pm' : 'am')",
];

// Inputs that once broke the engine, kept so the seed run itself catches a relapse.
const REGRESSIONS = [
  // Selection chains on a missing or non-map operand were re-evaluated at every level: 2^n time.
  ["regress-select-chain-missing", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d == null"],
  ["regress-select-chain-int", "x.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z[1][1][1].d"],
  // … and the same on a base that is not a plain identifier (a literal, a call, an index).
  ["regress-select-chain-literal-base", `{}${".b".repeat(30)}`],
  ["regress-select-chain-call-base", `dyn(m)${".k".repeat(30)} == null`],
  ["regress-select-chain-index-base", `l[6]${".five".repeat(30)}`],
];

const JSON_DOCS = {
  "context-visitor": JSON.stringify({
    time: { hour: 7, minute: 45, weekday: 1, daypart: "morning", timezone: "Europe/Berlin" },
    geo: { country: "DE", languages: ["de-DE", "en"] },
    device: { type: "mobile", os: "Android", browser_version: 124.0, touch: true },
    referrer: { url: "https://t.co/abc", host: "t.co", category: "social", source: "twitter" },
    visit: { first: true, count: 1 },
    consent: { analytics: false, personalization: true, gpc: true, dnt: false },
  }),
  "ruleset": JSON.stringify({
    schema: 1, site: "shop.example", version: "2025-07-14.1",
    segments: { mornings: "time.hour >= 6 && time.hour < 11", mobile: "device.type == 'mobile'" },
    slots: {
      hero: {
        default: "standard",
        rules: [{ when: "segment.mornings && segment.mobile", variant: "breakfast" }],
      },
    },
    experiments: [{ id: "cta-color", slot: "cta", variants: [{ id: "blue", weight: 50 }, { id: "green", weight: 50 }] }],
  }, null, 2),
  "numbers": "[0, -0, 1, -1, 0.5, -0.0, 1e3, 1E-3, 1.5e+300, 9223372036854775807, 9223372036854775808, -9223372036854775808, -9223372036854775809, 18446744073709551615, 18446744073709551616, 5e-324, 1.7976931348623157e308, 123456789012345678901234567890]",
  "strings": String.raw`["", "plain", "quote\" backslash\\ slash\/", "\b\f\n\r\t", "\u0000\u001f\u007f", "\u00e9\u4e16\ud83d\udc31", "raw ü 世 🐱"]`,
  "nesting": `${"[".repeat(40)}{"deep": true}${"]".repeat(40)}`,
  "object-dupes": '{"a": 1, "a": 2, "": null, "b": {"a": [true, false, null]}}',
  "whitespace": ' \t\r\n{ "k" : [ 1 , 2 ] }\n ',
  "scalars-true": "true",
  "scalars-null": "null",
  "scalars-string": '"just a string"',
  "empty-object": "{}",
  "empty-array": "[]",
  "batch-basic": '{"expr": "time.hour < 12", "context": {"time": {"hour": 7}}}',
  "batch-no-context": '{"expr": "1 + 1"}',
  "batch-null-context": '{"expr": "x", "context": null}',
  "batch-bad-expr": '{"expr": "1 +", "context": {}}',
  "batch-not-object": '["expr", "1"]',
  "batch-expr-number": '{"expr": 1}',
};

function safeName(s) {
  return s.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 80) || "x";
}

const minimizeIdx = process.argv.indexOf("--minimize");
const binDir = minimizeIdx > 0 ? path.resolve(process.argv[minimizeIdx + 1] ?? "") : null;

const sha1 = (content) => createHash("sha1").update(content).digest("hex");

// SHA-1s of the inputs libFuzzer keeps when merging `entries` into an empty corpus.
function coverageKeepers(target, entries) {
  const bin = path.join(binDir, target);
  if (!existsSync(bin)) throw new Error(`${bin} does not exist (make fuzz-build)`);
  const work = mkdtempSync(path.join(os.tmpdir(), "ithaca-corpus-"));
  const candidates = path.join(work, "candidates");
  const kept = path.join(work, "kept");
  mkdirSync(candidates);
  mkdirSync(kept);
  for (const [, content] of entries) writeFileSync(path.join(candidates, sha1(content)), content);
  const run = spawnSync(bin, ["-merge=1", kept, candidates], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`${target} -merge failed:\n${run.stderr.slice(-2000)}`);
  const keep = new Set(readdirSync(kept));
  rmSync(work, { recursive: true, force: true });
  return keep;
}

// Writes `fixed` (always kept) and `candidates` (kept when they add coverage, with --minimize).
function writeCorpus(target, fixed, candidates) {
  const dir = path.join(HERE, "corpus", target);
  const keep = binDir ? coverageKeepers(target, candidates) : null;
  for (const [, content] of fixed) keep?.add(sha1(content));
  const entries = [...fixed, ...candidates];
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const seen = new Set();
  const names = new Set();
  for (const [name, content] of entries) {
    if (seen.has(content)) continue;
    seen.add(content);
    if (keep && !keep.has(sha1(content))) continue;
    let file = safeName(name);
    for (let i = 2; names.has(file); i++) file = `${safeName(name)}-${i}`;
    names.add(file);
    writeFileSync(path.join(dir, file), content);
  }
  return readdirSync(dir).length;
}

const cases = loadCases(allSuiteNames());

const rules = RULES.map((r, i) => [`rule-${String(i + 1).padStart(2, "0")}`, r]);
const expressions = cases.map((c) => [`${c.suite}-${c.name}`, c.test.original.expr]);

const batchCases = cases.filter(
  (c) =>
    ["basic", "comparisons", "fields", "lists", "logic", "macros", "string", "timestamps", "conversions"].includes(c.suite) &&
    Object.values(c.test.original.bindings ?? {}).every((b) => jsonRepresentable(b.value)) &&
    !Object.keys(c.test.original.bindings ?? {}).some((n) => n.includes(".")),
);
const batchLines = [
  // Every case with bindings, then every fourth of the rest: enough batch lines to cover the
  // line reader without repeating the cel_fuzz corpus wholesale.
  ...batchCases
    .filter((c, i) => c.test.original.bindings || i % 4 === 0)
    .map((c) => [`batch-${c.suite}-${c.name}`, batchLine(c.test.original)]),
];

console.log(`cel_fuzz: ${writeCorpus("cel_fuzz", [...rules, ...REGRESSIONS], expressions)} inputs`);
console.log(`json_fuzz: ${writeCorpus("json_fuzz", Object.entries(JSON_DOCS), batchLines)} inputs`);
