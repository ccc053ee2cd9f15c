// Packs a decision's context for ithaca_decide_packed: only the attributes the rule set reads
// (the catalog's "reads"), in the binary layout of shared/include/ithaca/packed_context.hpp,
// instead of JSON.stringify of the whole context and a parse of it in the wasm — those two were
// most of a decision's time (docs/performance.md, "Browser SDK").
//
// Exactness: the wasm must see what it would parse from JSON.stringify(context), cut to those
// attributes. So a member counts only when JSON.stringify would write it (own, enumerable, not
// undefined, a function or a symbol); numbers, booleans, null and ASCII strings are written
// as values; anything else — non-ASCII text, objects the rules read whole, objects that are not
// plain or have toJSON, integers beyond 2^53 — goes as its own JSON.stringify text.

const TAG = { absent: 0, null: 1, false: 2, true: 3, integer: 4, double: 5, string: 6, json: 7, list: 8, object: 9 };

const encoder = new TextEncoder();
const isEnumerable = Object.prototype.propertyIsEnumerable;

const plainObject = (v) => {
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof v.toJSON !== 'function';
};

/** The catalog's sorted paths as a tree: [[key, children or null], …], as the core builds it. */
export function contextPlan(paths) {
  const grow = (list, depth) => {
    const out = [];
    for (let i = 0; i < list.length; ) {
      const name = list[i][depth];
      let end = i + 1;
      while (end < list.length && list[end][depth] === name) end++;
      out.push([name, list[i].length > depth + 1 ? grow(list.slice(i, end), depth + 1) : null]);
      i = end;
    }
    return out;
  };
  return grow(paths, 0);
}

export class ContextPacker {
  constructor() {
    this.bytes = new Uint8Array(1024);
    this.view = new DataView(this.bytes.buffer);
    this.at = 0;
  }

  /** The packed bytes of `context` under `plan` (a view valid until the next call), or null when only JSON can say it. */
  pack(context, plan) {
    if (context === null || typeof context !== 'object' || Array.isArray(context) || !plainObject(context)) return null;
    this.at = 0;
    this.members(context, plan);
    return this.bytes.subarray(0, this.at);
  }

  room(n) {
    if (this.at + n <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.at + n));
    bigger.set(this.bytes.subarray(0, this.at));
    this.bytes = bigger;
    this.view = new DataView(bigger.buffer);
  }

  tag(t) {
    this.room(1);
    this.bytes[this.at++] = t;
  }

  u32(n) {
    this.room(4);
    this.view.setUint32(this.at, n, true);
    this.at += 4;
  }

  f64(t, d) {
    this.room(9);
    this.bytes[this.at] = t;
    this.view.setFloat64(this.at + 1, d, true);
    this.at += 9;
  }

  members(obj, plan) {
    for (let i = 0; i < plan.length; i++) {
      const [key, kids] = plan[i];
      const v = obj[key];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol' || !isEnumerable.call(obj, key)) {
        this.tag(TAG.absent);
      } else if (kids !== null && v !== null && typeof v === 'object' && !Array.isArray(v) && plainObject(v)) {
        this.tag(TAG.object);
        this.members(v, kids);
      } else {
        this.value(v);
      }
    }
  }

  // A value JSON.stringify would write (not undefined, a function or a symbol).
  value(v) {
    switch (typeof v) {
      case 'boolean':
        return this.tag(v ? TAG.true : TAG.false);
      case 'number':
        if (Number.isSafeInteger(v) || v === 2 ** 53 || v === -(2 ** 53)) return this.f64(TAG.integer, v === 0 ? 0 : v);
        if (!Number.isFinite(v)) return this.tag(TAG.null); // JSON writes NaN and ±Infinity as null
        if (Number.isInteger(v)) return this.json(v); // JSON digits, which may read back as uint or double
        return this.f64(TAG.double, v);
      case 'string':
        return this.string(v);
      case 'object':
        if (v === null) return this.tag(TAG.null);
        if (Array.isArray(v) && typeof v.toJSON !== 'function') {
          this.tag(TAG.list);
          this.u32(v.length);
          for (let i = 0; i < v.length; i++) {
            const item = v[i];
            // JSON writes holes, undefined, functions and symbols in arrays as null.
            if (item === undefined || typeof item === 'function' || typeof item === 'symbol') this.tag(TAG.null);
            else this.value(item);
          }
          return undefined;
        }
        return this.json(v);
      default:
        return this.json(v); // bigint: JSON.stringify throws, as the JSON text path would
    }
  }

  string(s) {
    const n = s.length;
    this.room(5 + n);
    const start = this.at;
    const bytes = this.bytes;
    let at = start + 5;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.at = start;
        return this.json(s);
      }
      bytes[at++] = c;
    }
    bytes[start] = TAG.string;
    this.view.setUint32(start + 1, n, true);
    this.at = at;
    return undefined;
  }

  json(v) {
    const text = JSON.stringify(v);
    this.room(5 + text.length * 3);
    this.bytes[this.at] = TAG.json;
    const { written } = encoder.encodeInto(text, this.bytes.subarray(this.at + 5));
    this.view.setUint32(this.at + 1, written, true);
    this.at += 5 + written;
  }
}
