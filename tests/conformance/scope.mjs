// Which conformance cases Ithaca is held to, decided by rules about what a case *uses* — never
// by whether it passes. Every rule has an id and a reason; docs/conformance.md lists them.
//
// classify(test, capabilities) → null when the case is in scope, otherwise {rule, reason}.
// `test` is a serialized conformance case ({original: SimpleTest in protobuf JSON, error?});
// `capabilities` = {bytes: boolean} — whether the engine accepts bytes literals at all
// (found once per run by a probe, see run.mjs), which only decides the `bytes` rule.

// The rules, in the order they are tried; the first that applies names the reason.
export const RULES = [
  {
    id: "proto-container",
    reason:
      "The case sets a `container` (a protobuf package that names resolve in). Ithaca has no " +
      "protobuf packages; names are keys of the JSON context.",
  },
  {
    id: "proto-message",
    reason:
      "The expression builds or names a protobuf message (`Type{…}` literals, TestAllTypes, " +
      "google.protobuf wrappers/Any/Value/Struct). Messages are not part of the rule language.",
  },
  {
    id: "proto-value",
    reason:
      "A binding, declaration or expected value is a protobuf message or enum (objectValue, " +
      "enumValue, messageType/wrapper/well-known types in typeEnv).",
  },
  {
    id: "type-check-only",
    reason:
      "The case checks what a type checker deduces (checkOnly, typedResult) rather than a " +
      "value. Ithaca evaluates dynamically and has no static type checker.",
  },
  {
    id: "custom-function",
    reason: "The case declares its own functions in typeEnv; Ithaca has no user-defined functions.",
  },
  {
    id: "unknowns",
    reason: "The case expects unknown values (partial evaluation), which Ithaca does not model.",
  },
  {
    id: "qualified-binding",
    reason:
      "A variable is bound under a dotted name (`a.b.c`), relying on CEL's qualified-identifier " +
      "resolution. An Ithaca context is a JSON object whose top-level keys are the variables; " +
      "`a.b.c` is field selection on nested maps.",
  },
  {
    id: "binding-not-json",
    reason:
      "A binding has no JSON-context form: contexts arrive as JSON, where integral numbers " +
      "become int and strings stay strings, so uint, bytes, non-finite doubles, type values and " +
      "maps with non-string keys cannot be bound.",
  },
  {
    id: "bytes",
    reason:
      "The case uses bytes (b'…' literals, bytes(), bytes results) and the engine under test " +
      "does not accept bytes literals (checked once per run by a probe).",
  },
  {
    id: "unknown-function-value",
    reason:
      "The expression calls a function outside CEL's standard library (e.g. `f_unknown(17) || " +
      "true`, `a.while() || true`) and expects a value. CEL resolves unbound functions at run " +
      "time so `||` can absorb the error; Ithaca rejects anything outside its subset when the " +
      "expression is loaded (design.md), so the value cannot be produced by design. Cases that " +
      "expect an error from such calls stay in scope.",
  },
];

const reasonOf = Object.fromEntries(RULES.map((r) => [r.id, r.reason]));
const outOfScope = (rule) => ({ rule, reason: reasonOf[rule] });

// CEL's standard library (cel-spec langdef.md "Standard Definitions") plus the macros; any other
// callee is an extension or an unknown function.
export const STANDARD_FUNCTIONS = new Set([
  "has", "all", "exists", "exists_one", "map", "filter",
  "size", "contains", "startsWith", "endsWith", "matches",
  "int", "uint", "double", "string", "bool", "bytes", "dyn", "type",
  "timestamp", "duration",
  "getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth", "getDate", "getDayOfWeek",
  "getHours", "getMinutes", "getSeconds", "getMilliseconds",
]);

// Splits a CEL source into a skeleton with string literals, comments and backquoted names
// replaced by placeholders, so the rules below can look at code without being fooled by text.
export function lexExpression(source) {
  let skeleton = "";
  let hasBytesLiteral = false;
  let i = 0;
  const isIdent = (c) => c !== undefined && /[A-Za-z0-9_]/.test(c);
  while (i < source.length) {
    const c = source[i];
    // String or bytes literal, with an optional r/R/b/B prefix (at most one of each).
    const prefix = /^(?:[rR][bB]?|[bB][rR]?)?(?=['"])/.exec(source.slice(i, i + 3));
    if (prefix && !isIdent(source[i - 1])) {
      const p = prefix[0].toLowerCase();
      const raw = p.includes("r");
      const isBytes = p.includes("b");
      let j = i + p.length;
      const q = source[j];
      const close = source.startsWith(q.repeat(3), j) ? q.repeat(3) : q;
      j += close.length;
      while (j < source.length && !source.startsWith(close, j)) {
        j += !raw && source[j] === "\\" ? 2 : 1;
      }
      j += close.length;
      hasBytesLiteral ||= isBytes;
      skeleton += isBytes ? '"B"' : '"S"';
      i = j;
      continue;
    }
    if (c === "/" && source[i + 1] === "/") {
      while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    if (c === "`") {
      const end = source.indexOf("`", i + 1);
      skeleton += "_quoted_";
      i = end < 0 ? source.length : end + 1;
      continue;
    }
    skeleton += c;
    i++;
  }
  return { skeleton, hasBytesLiteral };
}

// Names called in the skeleton, both global (`f(x)`) and receiver-style (`x.f()`).
export function calledFunctions(skeleton) {
  const names = [];
  for (const m of skeleton.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) {
    if (m.index > 0 && /[A-Za-z0-9_]/.test(skeleton[m.index - 1])) continue;
    names.push(m[1]);
  }
  return names;
}

const PROTO_NAME =
  /\b(?:TestAllTypes|NestedTestAllTypes|TestRequired|GlobalEnum|NestedEnum|cel\.expr\.conformance)\b|\bgoogle\s*\.\s*protobuf\s*\.\s*(?!Timestamp\b|Duration\b)[A-Za-z_]/;

function buildsMessage(skeleton) {
  for (const m of skeleton.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*\{/g)) {
    if (m.index > 0 && /[A-Za-z0-9_]/.test(skeleton[m.index - 1])) continue;
    if (m[1] !== "in") return true;
  }
  return false;
}

// Walks a protobuf-JSON cel.expr.Value and reports which kinds it contains.
function valueKinds(value, kinds = new Set()) {
  if (!value || typeof value !== "object") return kinds;
  for (const [k, v] of Object.entries(value)) {
    kinds.add(k);
    if (k === "listValue") for (const item of v.values ?? []) valueKinds(item, kinds);
    if (k === "mapValue") {
      for (const e of v.entries ?? []) {
        valueKinds(e.key, kinds);
        valueKinds(e.value, kinds);
      }
    }
  }
  return kinds;
}

// Whether a binding value can be written as Ithaca JSON context (see bindings in run.mjs).
export function jsonRepresentable(value) {
  if (!value || typeof value !== "object") return false;
  const [kind] = Object.keys(value);
  const v = value[kind];
  switch (kind) {
    case "nullValue":
    case "boolValue":
    case "stringValue":
    case "int64Value":
      return true;
    case "doubleValue":
      return typeof v === "number" && Number.isFinite(v);
    case "listValue":
      return (v.values ?? []).every(jsonRepresentable);
    case "mapValue":
      return (v.entries ?? []).every(
        (e) => Object.keys(e.key ?? {})[0] === "stringValue" && jsonRepresentable(e.value),
      );
    default:
      return false; // uint64Value, bytesValue, typeValue, objectValue, enumValue
  }
}

const SIMPLE_TYPE_KEYS = new Set(["primitive", "listType", "mapType", "null", "dyn", "typeParam", "type"]);

function protoTypeIn(type) {
  if (!type || typeof type !== "object") return false;
  for (const [k, v] of Object.entries(type)) {
    if (k === "wellKnown") {
      if (v !== "TIMESTAMP" && v !== "DURATION") return true;
      continue;
    }
    if (!SIMPLE_TYPE_KEYS.has(k)) return true; // messageType, wrapper, abstractType, …
    if (k === "listType" && protoTypeIn(v.elemType)) return true;
    if (k === "mapType" && (protoTypeIn(v.keyType) || protoTypeIn(v.valueType))) return true;
    if (k === "type" && protoTypeIn(v)) return true;
  }
  return false;
}

// Whether the case uses bytes anywhere (literal, conversion, binding or expected value).
export function usesBytes(original, lexed = lexExpression(original.expr)) {
  if (lexed.hasBytesLiteral) return true;
  if (calledFunctions(lexed.skeleton).includes("bytes")) return true;
  if (valueKinds(original.value).has("bytesValue")) return true;
  for (const b of Object.values(original.bindings ?? {})) {
    if (valueKinds(b.value).has("bytesValue")) return true;
  }
  return false;
}

export function classify(test, capabilities = { bytes: true }) {
  const o = test.original;
  const lexed = lexExpression(o.expr);
  const bindings = Object.entries(o.bindings ?? {});
  const typeEnv = o.typeEnv ?? [];

  if (o.container) return outOfScope("proto-container");
  if (buildsMessage(lexed.skeleton) || PROTO_NAME.test(lexed.skeleton)) return outOfScope("proto-message");

  const kinds = valueKinds(o.value);
  for (const [, b] of bindings) valueKinds(b.value, kinds);
  if (kinds.has("objectValue") || kinds.has("enumValue")) return outOfScope("proto-value");
  if (typeEnv.some((d) => d.ident && protoTypeIn(d.ident.type))) return outOfScope("proto-value");

  if (o.checkOnly || o.typedResult) return outOfScope("type-check-only");
  if (typeEnv.some((d) => d.function)) return outOfScope("custom-function");
  if (o.unknown || o.anyUnknowns) return outOfScope("unknowns");
  if (bindings.some(([, b]) => !b.value)) return outOfScope("unknowns");

  if (bindings.some(([name]) => name.includes("."))) return outOfScope("qualified-binding");
  if (bindings.some(([, b]) => !jsonRepresentable(b.value))) return outOfScope("binding-not-json");

  if (!capabilities.bytes && usesBytes(o, lexed)) return outOfScope("bytes");

  const expectsError = Boolean(o.evalError || o.anyEvalErrors);
  if (!expectsError && calledFunctions(lexed.skeleton).some((f) => !STANDARD_FUNCTIONS.has(f))) {
    return outOfScope("unknown-function-value");
  }
  return null;
}
