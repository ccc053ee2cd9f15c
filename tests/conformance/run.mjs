#!/usr/bin/env node
// Runs the public CEL conformance suite (@bufbuild/cel-spec) against Ithaca's engine and
// reports pass/fail/out-of-scope per suite. See docs/conformance.md.
//
//   node tests/conformance/run.mjs                 native CLI (build/native/bin/ithaca)
//   node tests/conformance/run.mjs --engine wasm   the SDK module (wasm_sdk/dist/index.mjs)
//   node tests/conformance/run.mjs --engine reference   @bufbuild/cel, to check the runner itself
//   options: --cli PATH (or $ITHACA_CLI)  --wasm-module PATH  --suite a,b (or "all")  --verbose
//            --show-skipped  --markdown  --update-doc  --json FILE  --threshold 0.95
// Exit status: 0 when the scored pass rate reaches the threshold, 1 below it, 2 when the
// engine cannot be run at all.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { INFORMATIONAL_SUITES, SCORED_SUITES, allSuiteNames, batchLine, loadCases } from "./cases.mjs";
import { judge } from "./compare.mjs";
import { REPO_ROOT, makeEngine } from "./engines.mjs";
import { RULES, classify } from "./scope.mjs";

export const DEFAULT_THRESHOLD = 0.95;
const DOC_PATH = path.join(REPO_ROOT, "docs/conformance.md");

// Probe: does the engine accept a bytes literal at all? Decides the `bytes` scope rule once.
async function probeBytes(engine) {
  const [r] = await engine.evaluateAll(['{"expr":"b\'a\'","context":{}}']);
  return Boolean(r.output && /^\{"value":/.test(r.output.trim()));
}

// Runs the suites and returns {engine, capabilities, results, suites, totals, rules}.
export async function runConformance({
  engine: engineKind = "native",
  cli,
  wasmModule,
  suites = [...SCORED_SUITES, ...INFORMATIONAL_SUITES],
} = {}) {
  const engine = await makeEngine(engineKind, {
    ...(cli ? { cli } : {}),
    ...(wasmModule ? { modulePath: wasmModule } : {}),
  });
  const missing = engine.available();
  if (missing) {
    const err = new Error(missing);
    err.code = "ENGINE_UNAVAILABLE";
    throw err;
  }
  const capabilities = { bytes: await probeBytes(engine) };

  const cases = loadCases(suites);
  const results = cases.map((c) => ({ ...c, scope: classify(c.test, capabilities) }));
  const inScope = results.filter((r) => !r.scope);
  const outputs = await engine.evaluateAll(inScope.map((r) => batchLine(r.test.original)));
  inScope.forEach((r, i) => {
    const o = outputs[i];
    r.output = o.output ?? null;
    r.verdict = o.crash
      ? { pass: false, outcome: "crash", detail: o.crash }
      : judge(r.test, o.output);
  });

  const bySuite = new Map();
  for (const name of suites) {
    bySuite.set(name, {
      name,
      scored: SCORED_SUITES.includes(name),
      total: 0, passed: 0, failed: 0, skipped: 0,
    });
  }
  for (const r of results) {
    const s = bySuite.get(r.suite);
    s.total++;
    if (r.scope) s.skipped++;
    else if (r.verdict.pass) s.passed++;
    else s.failed++;
  }
  const sum = (list) =>
    list.reduce(
      (t, s) => ({ total: t.total + s.total, passed: t.passed + s.passed, failed: t.failed + s.failed, skipped: t.skipped + s.skipped }),
      { total: 0, passed: 0, failed: 0, skipped: 0 },
    );
  const suiteRows = [...bySuite.values()].filter((s) => s.total > 0);
  const scored = sum(suiteRows.filter((s) => s.scored));
  const rate = (t) => (t.passed + t.failed === 0 ? 1 : t.passed / (t.passed + t.failed));

  const ruleCounts = new Map(RULES.map((r) => [r.id, { ...r, scored: 0, other: 0 }]));
  for (const r of results) {
    if (!r.scope) continue;
    const c = ruleCounts.get(r.scope.rule);
    if (SCORED_SUITES.includes(r.suite)) c.scored++;
    else c.other++;
  }

  return {
    engine: engine.name,
    location: engine.location,
    capabilities,
    results,
    suites: suiteRows.map((s) => ({ ...s, rate: rate(s) })),
    totals: { ...scored, rate: rate(scored) },
    rules: [...ruleCounts.values()],
  };
}

const pct = (x) => `${(100 * x).toFixed(1)}%`;

function suiteTable(summary) {
  const head = ["suite", "cases", "out of scope", "in scope", "passed", "failed", "pass rate"];
  const rows = summary.suites.map((s) => [
    s.scored ? s.name : `${s.name} (not scored)`,
    s.total, s.skipped, s.passed + s.failed, s.passed, s.failed, pct(s.rate),
  ]);
  const t = summary.totals;
  rows.push(["**scored total**", t.total, t.skipped, t.passed + t.failed, t.passed, t.failed, `**${pct(t.rate)}**`]);
  return { head, rows };
}

function markdownTable({ head, rows, numeric = true }) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  const rule = head.map((_, i) => (i > 0 && numeric ? "---:" : "---"));
  return [line(head), line(rule), ...rows.map(line)].join("\n");
}

function plainTable({ head, rows }) {
  const strip = (c) => String(c).replace(/\*\*/g, "");
  const widths = head.map((h, i) => Math.max(strip(h).length, ...rows.map((r) => strip(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? strip(c).padEnd(widths[i]) : strip(c).padStart(widths[i]))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function markdownReport(summary, threshold = DEFAULT_THRESHOLD) {
  const ruleRows = summary.rules
    .filter((r) => r.scored + r.other > 0)
    .map((r) => [`\`${r.id}\``, r.scored, r.other]);
  return [
    `Engine: ${summary.engine}; bytes literals ${summary.capabilities.bytes ? "accepted" : "rejected"} (probe).`,
    `Scored pass rate: **${pct(summary.totals.rate)}** of ${summary.totals.passed + summary.totals.failed} in-scope cases ` +
      `(threshold ${pct(threshold)}).`,
    "",
    markdownTable(suiteTable(summary)),
    "",
    "Out-of-scope cases by rule (scored suites / informational suites):",
    "",
    markdownTable({ head: ["rule", "scored suites", "informational"], rows: ruleRows }),
    "",
    ...failureList(summary),
  ].join("\n");
}

function failureList(summary) {
  const failures = summary.results.filter((r) => r.verdict && !r.verdict.pass);
  if (failures.length === 0) return ["No in-scope case fails."];
  const cell = (s) => s.replace(/\s+/g, " ").replace(/\|/g, "\\|").slice(0, 140);
  return [
    `Failing cases (${failures.length}):`,
    "",
    markdownTable({
      head: ["case", "expression", "outcome"],
      rows: failures.map((r) => [r.id, `\`\` ${cell(r.test.original.expr)} \`\``, cell(r.verdict.detail)]),
      numeric: false,
    }),
  ];
}

function updateDoc(markdown) {
  const begin = "<!-- conformance-results:begin -->";
  const end = "<!-- conformance-results:end -->";
  const doc = readFileSync(DOC_PATH, "utf8");
  const a = doc.indexOf(begin);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${DOC_PATH} lacks the ${begin} … ${end} markers`);
  writeFileSync(DOC_PATH, `${doc.slice(0, a + begin.length)}\n${markdown}\n${doc.slice(b)}`);
}

function printFailures(summary) {
  const failures = summary.results.filter((r) => r.verdict && !r.verdict.pass);
  if (failures.length === 0) return;
  console.log(`\nFailures (${failures.length}):`);
  for (const r of failures) {
    console.log(`\n✗ ${r.id}`);
    console.log(`  expr:    ${r.test.original.expr.replace(/\n/g, "\\n")}`);
    if (r.test.original.bindings) console.log(`  context: ${batchLine(r.test.original).replace(/^.*"context":/, "").slice(0, -1)}`);
    console.log(`  ${r.verdict.outcome}: ${r.verdict.detail}`);
  }
  const groups = new Map();
  for (const r of failures) {
    const key = `${r.suite}/${r.section} — ${r.verdict.outcome}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  console.log("\nFailures by section and outcome:");
  for (const [k, n] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${k}`);
}

function printSkipped(summary) {
  const byRule = new Map();
  for (const r of summary.results) {
    if (!r.scope) continue;
    if (!byRule.has(r.scope.rule)) byRule.set(r.scope.rule, []);
    byRule.get(r.scope.rule).push(r);
  }
  for (const [rule, list] of byRule) {
    console.log(`\nOut of scope — ${rule} (${list.length}): ${list[0].scope.reason}`);
    for (const r of list) console.log(`  - ${r.id}: ${r.test.original.expr.replace(/\s+/g, " ").slice(0, 100)}`);
  }
}

function parseArgs(argv) {
  const opts = { engine: "native", threshold: DEFAULT_THRESHOLD };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case "--engine": opts.engine = next(); break;
      case "--cli": opts.cli = path.resolve(next()); break;
      case "--wasm-module": opts.wasmModule = path.resolve(next()); break;
      case "--suite":
      case "--suites": {
        const v = next();
        opts.suites = v === "all" ? allSuiteNames() : v.split(",").map((s) => s.trim()).filter(Boolean);
        break;
      }
      case "--verbose": case "-v": opts.verbose = true; break;
      case "--show-skipped": opts.showSkipped = true; break;
      case "--markdown": opts.markdown = true; break;
      case "--update-doc": opts.updateDoc = true; break;
      case "--json": opts.json = path.resolve(next()); break;
      case "--threshold": opts.threshold = Number(next()); break;
      case "--help": case "-h": opts.help = true; break;
      default: throw new Error(`unknown option ${a}`);
    }
  }
  if (opts.suites) {
    const known = new Set(allSuiteNames());
    const unknown = opts.suites.filter((s) => !known.has(s));
    if (unknown.length) throw new Error(`unknown suite(s) ${unknown.join(", ")}; known: ${[...known].join(", ")}`);
  }
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    return 2;
  }
  if (opts.help) {
    const header = readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(1, 11);
    console.log(header.map((l) => l.replace(/^\/\/ ?/, "")).join("\n"));
    return 0;
  }
  let summary;
  try {
    summary = await runConformance(opts);
  } catch (e) {
    if (e.code !== "ENGINE_UNAVAILABLE") throw e;
    console.error(`conformance: ${e.message}`);
    return 2;
  }
  const md = markdownReport(summary, opts.threshold);
  if (opts.markdown) {
    console.log(md);
  } else {
    console.log(`CEL conformance (@bufbuild/cel-spec) — ${summary.engine}: ${path.relative(process.cwd(), summary.location) || summary.location}`);
    console.log(`bytes literals: ${summary.capabilities.bytes ? "accepted" : "rejected (bytes cases out of scope)"}\n`);
    console.log(plainTable(suiteTable(summary)));
    const skippedRules = summary.rules.filter((r) => r.scored + r.other > 0);
    console.log(`\nOut of scope by rule: ${skippedRules.map((r) => `${r.id} ${r.scored + r.other}`).join(", ")}` +
      " (--show-skipped lists them)");
  }
  if (opts.verbose) printFailures(summary);
  if (opts.showSkipped) printSkipped(summary);
  if (opts.updateDoc) {
    updateDoc(md);
    console.log(`\nupdated ${path.relative(process.cwd(), DOC_PATH)}`);
  }
  if (opts.json) {
    const slim = summary.results.map((r) => ({
      id: r.id, suite: r.suite, expr: r.test.original.expr,
      scope: r.scope?.rule ?? null, pass: r.verdict?.pass ?? null,
      outcome: r.verdict?.outcome ?? null, detail: r.verdict?.detail ?? null, output: r.output ?? null,
    }));
    writeFileSync(opts.json, JSON.stringify({ ...summary, results: slim }, null, 1));
  }
  const ok = summary.totals.rate >= opts.threshold;
  console.log(`\nscored pass rate ${pct(summary.totals.rate)} ${ok ? "≥" : "<"} threshold ${pct(opts.threshold)}`);
  return ok ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
