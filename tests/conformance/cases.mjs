// Turns the public CEL conformance suite (@bufbuild/cel-spec) into `ithaca eval --batch` lines.
// The suite's cases are SimpleTest messages in protobuf JSON; bindings become the JSON context,
// written by hand so a double stays a double (`1.0`) and an int64 keeps every digit.

import { tests as conformance } from "@bufbuild/cel-spec/testdata/conformance.js";

// Held to the pass-rate threshold (issue 2, section 4).
export const SCORED_SUITES = [
  "basic", "comparisons", "conversions", "fields", "fp_math", "integer_math",
  "lists", "logic", "macros", "parse", "string",
];
// Run and reported, not scored.
export const INFORMATIONAL_SUITES = ["timestamps"];

export function allSuiteNames() {
  return conformance.suites.map((s) => s.name);
}

// Every case of the named top-level suites:
// {suite, section, name, id: "suite/section/name", test: {original, error?}}.
export function loadCases(suiteNames) {
  const wanted = new Set(suiteNames);
  const cases = [];
  const walk = (node, suite, path) => {
    for (const test of node.tests ?? []) {
      const name = test.original.name ?? test.original.expr.replace(/\s+/g, " ").trim();
      cases.push({ suite, section: path.join("/"), name, id: [suite, ...path, name].join("/"), test });
    }
    for (const child of node.suites ?? []) walk(child, suite, [...path, child.name]);
  };
  for (const suite of conformance.suites) {
    if (wanted.has(suite.name)) walk(suite, suite.name, []);
  }
  return cases;
}

// A double as JSON number text that always reads back as a double ('.' or exponent).
function doubleText(d) {
  const s = String(d);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

// protobuf-JSON cel.expr.Value → Ithaca context JSON text. Callers check jsonRepresentable()
// (scope.mjs) first; anything else throws.
export function contextValueText(value) {
  const [kind] = Object.keys(value);
  const v = value[kind];
  switch (kind) {
    case "nullValue": return "null";
    case "boolValue": return v ? "true" : "false";
    case "stringValue": return JSON.stringify(v);
    case "int64Value": return BigInt(v).toString();
    case "doubleValue": return doubleText(v);
    case "listValue": return `[${(v.values ?? []).map(contextValueText).join(",")}]`;
    case "mapValue":
      return `{${(v.entries ?? [])
        .map((e) => `${JSON.stringify(e.key.stringValue)}:${contextValueText(e.value)}`)
        .join(",")}}`;
    default:
      throw new Error(`no JSON context form for ${kind}`);
  }
}

export function contextText(original) {
  const entries = Object.entries(original.bindings ?? {});
  return `{${entries.map(([name, b]) => `${JSON.stringify(name)}:${contextValueText(b.value)}`).join(",")}}`;
}

// One input line of `ithaca eval --batch`.
export function batchLine(original) {
  return `{"expr":${JSON.stringify(original.expr)},"context":${contextText(original)}}`;
}
