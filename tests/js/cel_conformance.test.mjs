// The public CEL conformance suite as a test: Ithaca's engine must pass at least 95% of the
// in-scope cases (docs/conformance.md). The runner itself is checked first — against its
// comparison rules and against a peer CEL implementation — so a low score means the engine,
// not the harness.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";

import { judge } from "../conformance/compare.mjs";
import { DEFAULT_CLI, DEFAULT_WASM_MODULE } from "../conformance/engines.mjs";
import { DEFAULT_THRESHOLD, markdownReport, runConformance } from "../conformance/run.mjs";
import { classify } from "../conformance/scope.mjs";

const caseOf = (original, extra = {}) => ({ original: { expr: "x", ...original }, ...extra });

describe("conformance comparison rules", () => {
  test("int and double are told apart by their text", () => {
    assert.equal(judge(caseOf({ value: { int64Value: "1" } }), '{"value":1}').pass, true);
    assert.equal(judge(caseOf({ value: { int64Value: "1" } }), '{"value":1.0}').pass, false);
    assert.equal(judge(caseOf({ value: { doubleValue: 1 } }), '{"value":1.0}').pass, true);
    assert.equal(judge(caseOf({ value: { doubleValue: 1 } }), '{"value":1e0}').pass, true);
    assert.equal(judge(caseOf({ value: { doubleValue: 1 } }), '{"value":1}').pass, false);
  });

  test("int64 compares exactly beyond 2^53", () => {
    const c = caseOf({ value: { int64Value: "-9223372036854775808" } });
    assert.equal(judge(c, '{"value":-9223372036854775808}').pass, true);
    assert.equal(judge(c, '{"value":-9223372036854775807}').pass, false);
  });

  test("NaN equals NaN, non-finite doubles are strings", () => {
    assert.equal(judge(caseOf({ value: { doubleValue: "NaN" } }), '{"value":"NaN"}').pass, true);
    assert.equal(judge(caseOf({ value: { doubleValue: "-Infinity" } }), '{"value":"-Infinity"}').pass, true);
    assert.equal(judge(caseOf({ value: { doubleValue: "Infinity" } }), '{"value":"NaN"}').pass, false);
  });

  test("maps ignore key order; lists do not", () => {
    const map = {
      mapValue: {
        entries: [
          { key: { int64Value: "1" }, value: { stringValue: "a" } },
          { key: { boolValue: true }, value: { doubleValue: 2 } },
        ],
      },
    };
    assert.equal(judge(caseOf({ value: map }), '{"value":{"true":2.0,"1":"a"}}').pass, true);
    assert.equal(judge(caseOf({ value: map }), '{"value":{"true":2,"1":"a"}}').pass, false);
    const list = { listValue: { values: [{ int64Value: "1" }, { int64Value: "2" }] } };
    assert.equal(judge(caseOf({ value: list }), '{"value":[2,1]}').pass, false);
  });

  test("bytes compare by content; no matcher means true", () => {
    assert.equal(judge(caseOf({ value: { bytesValue: "AP8=" } }), '{"value":"AP8="}').pass, true);
    assert.equal(judge(caseOf({}), '{"value":true}').pass, true);
  });

  test("runtime errors must be eval errors unless CEL rejects the expression statically", () => {
    const runtime = caseOf({ evalError: { errors: [{ message: "divide by zero" }] } });
    const evalErr = '{"error":{"kind":"eval","message":"division by zero","position":2}}';
    const parseErr = '{"error":{"kind":"parse","message":"unknown function","position":0}}';
    assert.equal(judge(runtime, evalErr).pass, true);
    assert.equal(judge(runtime, parseErr).pass, false);
    const unchecked = caseOf({ disableCheck: true, evalError: { errors: [{ message: "no such overload" }] } });
    assert.equal(judge(unchecked, parseErr).pass, true);
    assert.equal(judge(caseOf({ value: { boolValue: true } }), evalErr).pass, false);
    assert.equal(judge(caseOf({}), "not json").pass, false);
  });

  test("scope is decided by what a case uses", () => {
    assert.equal(classify(caseOf({ expr: "1 + 1" })), null);
    assert.equal(classify(caseOf({ expr: "TestAllTypes{}.single_int64 == 0" })).rule, "proto-message");
    assert.equal(classify(caseOf({ expr: "'TestAllTypes{'.size() == 13" })), null); // text, not code
    assert.equal(classify(caseOf({ expr: "'a' in {'a': 1}" })), null);
    assert.equal(classify(caseOf({ expr: "x", container: "cel.expr.conformance.proto3" })).rule, "proto-container");
    assert.equal(
      classify(caseOf({ expr: "x", bindings: { x: { value: { uint64Value: "1" } } } })).rule,
      "binding-not-json",
    );
    assert.equal(classify(caseOf({ expr: "b'\\x00' < b'a'" }), { bytes: false }).rule, "bytes");
    assert.equal(classify(caseOf({ expr: "b'\\x00' < b'a'" }), { bytes: true }), null);
    assert.equal(classify(caseOf({ expr: "f(1) || true" })).rule, "unknown-function-value");
    assert.equal(classify(caseOf({ expr: "f(1)", evalError: { errors: [] } })), null);
  });
});

test("runner self-check: a peer CEL implementation (@bufbuild/cel) scores as expected", async () => {
  const summary = await runConformance({ engine: "reference" });
  const malformed = summary.results.filter((r) => r.verdict?.outcome === "malformed" || r.verdict?.outcome === "crash");
  assert.deepEqual(malformed.map((r) => r.id), [], "the reference adapter produced unreadable lines");
  assert.ok(summary.totals.rate >= DEFAULT_THRESHOLD, `reference scored ${summary.totals.rate}`);
});

async function assertEngineConforms(t, engine) {
  const summary = await runConformance({ engine });
  t.diagnostic(`\n${markdownReport(summary)}`);
  const failures = summary.results.filter((r) => r.verdict && !r.verdict.pass && r.suite !== "timestamps");
  const listing = failures
    .slice(0, 40)
    .map((r) => `  ${r.id}: ${r.test.original.expr.replace(/\s+/g, " ").slice(0, 80)} — ${r.verdict.detail.slice(0, 160)}`)
    .join("\n");
  assert.ok(
    summary.totals.rate >= DEFAULT_THRESHOLD,
    `scored pass rate ${(100 * summary.totals.rate).toFixed(1)}% is below ${100 * DEFAULT_THRESHOLD}%; ` +
      `${failures.length} failing cases (node tests/conformance/run.mjs --verbose for all):\n${listing}`,
  );
}

test("Ithaca (native CLI) passes the CEL conformance suite", async (t) => {
  assert.ok(existsSync(DEFAULT_CLI), `${DEFAULT_CLI} is missing: run make native first`);
  await assertEngineConforms(t, "native");
});

test("Ithaca (wasm SDK) passes the CEL conformance suite", async (t) => {
  if (!existsSync(DEFAULT_WASM_MODULE)) {
    t.skip(`${DEFAULT_WASM_MODULE} not built`);
    return;
  }
  await assertEngineConforms(t, "wasm");
});
