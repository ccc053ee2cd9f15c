// A peer engine for checking the runner itself: @bufbuild/cel (CEL in TypeScript, a dev
// dependency) behind the same batch-line contract as `ithaca eval --batch`. Running the suite
// through it (`--engine reference`) shows that case conversion, scope rules and comparison are
// sound independently of Ithaca's engine: a correct CEL implementation should score ~100%.

import { isCelError, isCelList, isCelMap, isCelType, isCelUint, parse, run } from "@bufbuild/cel";

import { isDoubleText, member, parseJsonText } from "./json_text.mjs";

// Context JSON node → CelInput: objects → Map, integral numbers → int (bigint), others → double.
function toInput(node) {
  switch (node.type) {
    case "null": return null;
    case "bool":
    case "string": return node.value;
    case "number": return isDoubleText(node.text) ? Number(node.text) : BigInt(node.text);
    case "array": return node.items.map(toInput);
    case "object": return new Map(node.entries.map(([k, v]) => [k, toInput(v)]));
    default: throw new Error(`bad node ${node.type}`);
  }
}

function doubleText(d) {
  if (Number.isNaN(d)) return '"NaN"';
  if (!Number.isFinite(d)) return d > 0 ? '"Infinity"' : '"-Infinity"';
  const s = String(d);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

function fractionDigits(nanos) {
  return nanos === 0 ? "" : `.${String(nanos).padStart(9, "0").replace(/0+$/, "")}`;
}

// CelValue → output JSON text, per the `ithaca eval` output mapping.
function toJson(v) {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return String(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return doubleText(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v).toString("base64"));
  if (isCelUint(v)) return v.value.toString();
  if (isCelType(v)) return JSON.stringify(v.name);
  if (isCelList(v)) return `[${[...v].map(toJson).join(",")}]`;
  if (isCelMap(v)) {
    const keyText = (k) => (isCelUint(k) ? k.value.toString() : String(k));
    return `{${[...v].map(([k, x]) => `${JSON.stringify(keyText(k))}:${toJson(x)}`).join(",")}}`;
  }
  const typeName = v.desc?.typeName;
  if (typeName === "google.protobuf.Timestamp") {
    const seconds = v.get(v.desc.fields.find((f) => f.name === "seconds"));
    const nanos = v.get(v.desc.fields.find((f) => f.name === "nanos"));
    const iso = new Date(Number(seconds) * 1000).toISOString().replace(/\.000Z$/, "");
    return JSON.stringify(`${iso}${fractionDigits(nanos)}Z`);
  }
  if (typeName === "google.protobuf.Duration") {
    const seconds = BigInt(v.get(v.desc.fields.find((f) => f.name === "seconds")));
    const nanos = v.get(v.desc.fields.find((f) => f.name === "nanos"));
    const negative = seconds < 0n || nanos < 0;
    const abs = (x) => (x < 0 ? -x : x);
    return JSON.stringify(`${negative ? "-" : ""}${abs(seconds)}${fractionDigits(abs(nanos))}s`);
  }
  throw new Error(`no JSON form for ${typeName ?? typeof v}`);
}

const errorLine = (kind, message) =>
  JSON.stringify({ error: { kind, message: String(message), position: 0 } });

export function evaluateBatchLine(line) {
  let expr;
  let context;
  try {
    const node = parseJsonText(line);
    expr = member(node, "expr").value;
    const ctx = member(node, "context");
    context = ctx ? Object.fromEntries([...toInput(ctx)]) : {};
  } catch (e) {
    return errorLine("parse", `bad batch line: ${e.message}`);
  }
  try {
    parse(expr);
  } catch (e) {
    return errorLine("parse", e.message);
  }
  const result = run(expr, context);
  if (isCelError(result)) return errorLine("eval", result.message);
  try {
    return `{"value":${toJson(result)}}`;
  } catch (e) {
    return errorLine("eval", e.message);
  }
}

export function referenceEngine() {
  return {
    name: "reference (@bufbuild/cel)",
    location: "node_modules/@bufbuild/cel",
    available: () => null,
    async evaluateAll(lines) {
      return lines.map((line) => ({ output: evaluateBatchLine(line) }));
    },
  };
}
