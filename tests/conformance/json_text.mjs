// A JSON reader that keeps the text of every number, so the runner can tell `1` (int or uint)
// from `1.0` (double) and compare int64 values beyond 2^53 exactly — JSON.parse loses both.
//
// parseJsonText(text) → node, where node is one of
//   {type: "null"} | {type: "bool", value} | {type: "string", value}
//   {type: "number", text}                      (the literal as written)
//   {type: "array", items: [node]}
//   {type: "object", entries: [[key, node]]}    (duplicates and order kept)
// Throws SyntaxError with the offset on malformed input.

export function parseJsonText(text) {
  let pos = 0;

  const fail = (what) => {
    throw new SyntaxError(`${what} at offset ${pos} in ${JSON.stringify(text.slice(0, 200))}`);
  };
  const skipSpace = () => {
    while (pos < text.length && " \t\r\n".includes(text[pos])) pos++;
  };
  const expect = (literal) => {
    if (text.startsWith(literal, pos)) {
      pos += literal.length;
      return;
    }
    fail(`expected ${literal}`);
  };

  const parseString = () => {
    expect('"');
    let out = "";
    for (;;) {
      if (pos >= text.length) fail("unterminated string");
      const c = text[pos++];
      if (c === '"') return out;
      if (c !== "\\") {
        if (c < " ") fail("control character in string");
        out += c;
        continue;
      }
      const e = text[pos++];
      switch (e) {
        case '"': out += '"'; break;
        case "\\": out += "\\"; break;
        case "/": out += "/"; break;
        case "b": out += "\b"; break;
        case "f": out += "\f"; break;
        case "n": out += "\n"; break;
        case "r": out += "\r"; break;
        case "t": out += "\t"; break;
        case "u": {
          const hex = text.slice(pos, pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 4;
          break;
        }
        default:
          fail("bad escape");
      }
    }
  };

  const parseNumber = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(pos));
    if (!m) fail("bad number");
    pos += m[0].length;
    return { type: "number", text: m[0] };
  };

  const parseValue = (depth) => {
    if (depth > 512) fail("nesting too deep");
    skipSpace();
    const c = text[pos];
    if (c === "{") {
      pos++;
      const entries = [];
      skipSpace();
      if (text[pos] === "}") {
        pos++;
        return { type: "object", entries };
      }
      for (;;) {
        skipSpace();
        const key = parseString();
        skipSpace();
        expect(":");
        entries.push([key, parseValue(depth + 1)]);
        skipSpace();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        expect("}");
        return { type: "object", entries };
      }
    }
    if (c === "[") {
      pos++;
      const items = [];
      skipSpace();
      if (text[pos] === "]") {
        pos++;
        return { type: "array", items };
      }
      for (;;) {
        items.push(parseValue(depth + 1));
        skipSpace();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        expect("]");
        return { type: "array", items };
      }
    }
    if (c === '"') return { type: "string", value: parseString() };
    if (c === "t") return expect("true"), { type: "bool", value: true };
    if (c === "f") return expect("false"), { type: "bool", value: false };
    if (c === "n") return expect("null"), { type: "null" };
    return parseNumber();
  };

  const node = parseValue(0);
  skipSpace();
  if (pos !== text.length) fail("trailing characters");
  return node;
}

// Member of an object node by key (the first one), or undefined.
export function member(node, key) {
  if (node?.type !== "object") return undefined;
  const hit = node.entries.find(([k]) => k === key);
  return hit ? hit[1] : undefined;
}

// True when a number literal is written as a double: with a fraction or an exponent.
export function isDoubleText(numberText) {
  return /[.eE]/.test(numberText);
}

// Compact text of a node, for messages.
export function nodeToText(node) {
  switch (node.type) {
    case "null": return "null";
    case "bool": return String(node.value);
    case "string": return JSON.stringify(node.value);
    case "number": return node.text;
    case "array": return `[${node.items.map(nodeToText).join(",")}]`;
    case "object":
      return `{${node.entries.map(([k, v]) => `${JSON.stringify(k)}:${nodeToText(v)}`).join(",")}}`;
    default: return "?";
  }
}
