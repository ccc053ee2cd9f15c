// Where things are in a rule set's JSON text: the source range of the value at a JSON path
// ($.slots.hero.rules[0].when), and conversions between the core's UTF-8 byte offsets and
// JavaScript string indexes. The core reports positions; this turns them into places in the
// editor.

const encoder = new TextEncoder();

/** UTF-8 byte offset in `text` → UTF-16 index (clamped to the text). */
export function byteToIndex(text, byteOffset) {
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < byteOffset) {
    const cp = text.codePointAt(i);
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

export const utf8Length = (s) => encoder.encode(s).length;

/** 1-based line and column (in characters) of a string index. */
export function lineColumn(text, index) {
  let line = 1;
  let last = -1;
  for (let i = 0; i < index && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: index - last };
}

/** "$.slots.hero.rules[0].when" → ['slots', 'hero', 'rules', 0, 'when'] */
export function parsePath(path) {
  const out = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['((?:[^'\\]|\\.)*)'\]/g;
  let m;
  const body = String(path || '').replace(/^\$/, '');
  while ((m = re.exec(body))) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push((m[3] ?? m[4]).replace(/\\(.)/g, '$1'));
  }
  return out;
}

/**
 * Scans valid JSON text and returns a map from path keys ("slots/hero/rules/0/when") to
 * {start, end, keyStart, keyEnd}: the value's range and, for object members, the key's.
 * Returns null when the text is not JSON this scanner understands.
 */
export function locateValues(text) {
  const ranges = new Map();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const fail = () => {
    throw new Error('bad json');
  };
  const str = () => {
    if (text[i] !== '"') fail();
    const start = i++;
    let value = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          value += { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' }[e] ?? e;
          i += 2;
        }
      } else value += text[i++];
    }
    if (text[i] !== '"') fail();
    i++;
    return { start, end: i, value };
  };
  const value = (key) => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          ws();
          const k = str();
          ws();
          if (text[i] !== ':') fail();
          i++;
          const childKey = key === null ? k.value : key + '/' + k.value;
          const r = value(childKey);
          r.keyStart = k.start;
          r.keyEnd = k.end;
          ws();
          if (text[i] === ',') i++;
          else if (text[i] === '}') {
            i++;
            break;
          } else fail();
        }
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') i++;
      else {
        for (let n = 0; ; n++) {
          value(key === null ? String(n) : key + '/' + n);
          ws();
          if (text[i] === ',') i++;
          else if (text[i] === ']') {
            i++;
            break;
          } else fail();
        }
      }
    } else if (c === '"') str();
    else {
      const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
      if (!m) fail();
      i += m[0].length;
    }
    const r = { start, end: i };
    ranges.set(key === null ? '' : key, r);
    return r;
  };
  try {
    value(null);
    return ranges;
  } catch {
    return null;
  }
}

export const pathKey = (path) => parsePath(path).join('/');

/**
 * The text index of byte `offset` inside the JSON string literal that starts at `literalStart`
 * (the opening quote): decodes escapes so an expression's offsets land on the right character.
 */
export function indexInStringLiteral(text, literalStart, offset) {
  let i = literalStart + 1;
  let bytes = 0;
  while (i < text.length && text[i] !== '"' && bytes < offset) {
    let ch;
    if (text[i] === '\\') {
      if (text[i + 1] === 'u') {
        ch = String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        ch = 'x';
        i += 2;
      }
    } else {
      const cp = text.codePointAt(i);
      ch = String.fromCodePoint(cp);
      i += ch.length;
    }
    bytes += utf8Length(ch);
  }
  return i;
}

/**
 * Where an error of the core's check report is in `text`: {start, end} string indexes, or null.
 * JSON errors carry a byte offset into the document; expression errors a byte offset into the
 * expression at `path`; load errors only a path.
 */
export function errorRange(text, error, ranges) {
  if (!error) return null;
  const pos = typeof error.position === 'number' && error.position >= 0 ? error.position : null;
  if (error.kind === 'json' || !error.path || error.path === '$') {
    if (pos === null) return null;
    const at = byteToIndex(text, pos);
    return { start: Math.min(at, text.length), end: Math.min(at + 1, text.length) };
  }
  // A path to a member the text lacks (a rule without "when") marks the nearest one it has.
  const parts = parsePath(error.path);
  let n = parts.length;
  let r = null;
  while (n > 0 && !(r = ranges && ranges.get(parts.slice(0, n).join('/')))) n--;
  if (!r) return null;
  if (n < parts.length) return { start: r.start, end: r.end };
  if (pos !== null && text[r.start] === '"') {
    const at = indexInStringLiteral(text, r.start, pos);
    let end = at + 1;
    while (end < r.end - 1 && /[\w.&|=<>!]/.test(text[end]) && /[\w.&|=<>!]/.test(text[at])) end++;
    return { start: at, end: Math.max(end, at + 1) };
  }
  return { start: r.start, end: r.end };
}
