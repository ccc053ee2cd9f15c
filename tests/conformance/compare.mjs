// Judges one `ithaca eval --batch` output line against a conformance case's expectation, with
// CEL's notion of sameness as far as the JSON text can show it:
//  - int and uint are exact integers (no '.'/exponent); a double must be written as a double,
//    so `1` never passes for an expected 1.0 and `1.0` never for an expected 1;
//  - NaN equals NaN (the suite's expected NaN means "a NaN"), 0.0 equals -0.0;
//  - maps compare as sets of entries (key order irrelevant; keys by their string form);
//  - bytes compare by their decoded content (base64 in the output);
//  - an expected evaluation error passes on {"error": {"kind": "eval"}}; a {"kind": "parse"}
//    error passes only where CEL's own checker rejects the expression statically (the case
//    has disableCheck, or cel-go recorded a parse/check error for it) — Ithaca checks at load
//    time what it can, so those surface earlier. Error messages are not compared: they are
//    implementation-specific in the suite.
// What the text cannot show: int vs uint, and string vs bytes/type/timestamp values that are
// written as strings. Those distinctions are left to the GoogleTest suites.

import { isDoubleText, member, nodeToText, parseJsonText } from "./json_text.mjs";

const NON_FINITE = new Set(["NaN", "Infinity", "-Infinity"]);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// Human-readable form of an expected protobuf-JSON value.
export function describeExpected(value) {
  if (!value || typeof value !== "object") return String(value);
  const [kind] = Object.keys(value);
  const v = value[kind];
  switch (kind) {
    case "nullValue": return "null";
    case "boolValue": return String(v);
    case "int64Value": return `${v} (int)`;
    case "uint64Value": return `${v}u (uint)`;
    case "doubleValue": return `${typeof v === "number" && Number.isInteger(v) ? v.toFixed(1) : v} (double)`;
    case "stringValue": return JSON.stringify(v);
    case "bytesValue": return `b64:${v} (bytes)`;
    case "typeValue": return `type ${v}`;
    case "listValue": return `[${(v.values ?? []).map(describeExpected).join(", ")}]`;
    case "mapValue":
      return `{${(v.entries ?? []).map((e) => `${describeExpected(e.key)}: ${describeExpected(e.value)}`).join(", ")}}`;
    default: return `${kind} ${JSON.stringify(v)}`;
  }
}

// The string a map key takes as an output object key.
function keyText(key) {
  const [kind] = Object.keys(key);
  const v = key[kind];
  switch (kind) {
    case "stringValue": return v;
    case "int64Value":
    case "uint64Value": return BigInt(v).toString();
    case "boolValue": return String(v);
    default: return undefined;
  }
}

function bytesEqual(b64a, b64b) {
  return Buffer.from(b64a, "base64").equals(Buffer.from(b64b, "base64"));
}

// null when `node` (an output value) matches `expected` (protobuf JSON), else a reason.
export function compareValue(expected, node) {
  const [kind] = Object.keys(expected ?? {});
  const v = expected?.[kind];
  const got = nodeToText(node);
  const mismatch = () => `expected ${describeExpected(expected)}, got ${got}`;
  switch (kind) {
    case "nullValue":
      return node.type === "null" ? null : mismatch();
    case "boolValue":
      return node.type === "bool" && node.value === v ? null : mismatch();
    case "int64Value":
    case "uint64Value":
      if (node.type !== "number") return mismatch();
      if (isDoubleText(node.text)) return `${mismatch()} (a double where an integer was expected)`;
      return BigInt(node.text) === BigInt(v) ? null : mismatch();
    case "doubleValue": {
      const want = Number(v);
      let have;
      if (node.type === "number") {
        if (!isDoubleText(node.text)) return `${mismatch()} (an integer where a double was expected)`;
        have = Number(node.text);
      } else if (node.type === "string" && NON_FINITE.has(node.value)) {
        have = Number(node.value);
      } else {
        return mismatch();
      }
      if (Number.isNaN(want) && Number.isNaN(have)) return null;
      return want === have ? null : mismatch();
    }
    case "stringValue":
    case "typeValue":
      return node.type === "string" && node.value === v ? null : mismatch();
    case "bytesValue":
      if (node.type !== "string" || !BASE64.test(node.value)) return mismatch();
      return bytesEqual(node.value, v) ? null : mismatch();
    case "listValue": {
      const want = v.values ?? [];
      if (node.type !== "array" || node.items.length !== want.length) return mismatch();
      for (let i = 0; i < want.length; i++) {
        const why = compareValue(want[i], node.items[i]);
        if (why) return `${mismatch()}: [${i}] ${why}`;
      }
      return null;
    }
    case "mapValue": {
      const want = v.entries ?? [];
      if (node.type !== "object" || node.entries.length !== want.length) return mismatch();
      const used = new Set();
      for (const e of want) {
        const key = keyText(e.key);
        const idx = node.entries.findIndex(
          ([k, n], i) => !used.has(i) && k === key && compareValue(e.value, n) === null,
        );
        if (idx < 0) return `${mismatch()}: no entry matching ${describeExpected(e.key)}: ${describeExpected(e.value)}`;
        used.add(idx);
      }
      return null;
    }
    default:
      return `cannot compare expected ${kind}`;
  }
}

// What a case expects: {value} or {error: true}. A case with no matcher expects `true`.
export function expectation(original) {
  if (original.value) return { value: original.value };
  if (original.evalError || original.anyEvalErrors) return { error: true };
  return { value: { boolValue: true } };
}

// Whether CEL itself rejects the expression before evaluation (so a load-time error is fine).
export function staticallyRejected(test) {
  return Boolean(test.original.disableCheck || test.error);
}

// Judges one output line. Returns {pass, outcome, detail}; outcome is one of
// "value", "eval-error", "parse-error", "malformed", plus the message for grouping.
export function judge(test, outputLine) {
  let node;
  try {
    node = parseJsonText(outputLine);
  } catch (e) {
    return { pass: false, outcome: "malformed", detail: `output is not JSON: ${e.message}` };
  }
  const value = member(node, "value");
  const error = member(node, "error");
  const want = expectation(test.original);
  if (value !== undefined && error === undefined && node.entries.length === 1) {
    if (want.error) {
      return { pass: false, outcome: "value", detail: `expected an evaluation error, got value ${nodeToText(value)}` };
    }
    const why = compareValue(want.value, value);
    return { pass: why === null, outcome: "value", detail: why ?? "" };
  }
  if (error?.type === "object" && value === undefined) {
    const kind = member(error, "kind");
    const message = member(error, "message");
    const position = member(error, "position");
    const text = `${kind?.value ?? "?"} error${position ? ` at ${position.text}` : ""}: ${message?.value ?? ""}`;
    if (kind?.value !== "eval" && kind?.value !== "parse") {
      return { pass: false, outcome: "malformed", detail: `unknown error kind in ${outputLine}` };
    }
    const outcome = `${kind.value}-error`;
    if (!want.error) {
      return { pass: false, outcome, detail: `expected ${describeExpected(want.value)}, got ${text}`, message: message?.value };
    }
    if (kind.value === "eval" || staticallyRejected(test)) return { pass: true, outcome, detail: text };
    return {
      pass: false,
      outcome,
      detail: `expected a runtime (eval) error, got ${text}`,
      message: message?.value,
    };
  }
  return { pass: false, outcome: "malformed", detail: `neither {"value"} nor {"error"}: ${outputLine.slice(0, 200)}` };
}
