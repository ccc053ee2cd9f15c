// The hand-written glue over the wasm exports (wasm_sdk/bindings/engine_exports.cpp): strings go
// in as UTF-8 written back to back into one scratch buffer, results come back as UTF-8 text.
// Shared by the browser SDK and the Node package. Every method returns a string (JSON text) or
// a number; none throws — a trap or an abort inside the wasm marks the engine dead and the call
// answers with an {"error":{"kind":"engine",…}} document instead.

import { ContextPacker, contextPlan } from './context_packer.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// A caller's value JSON cannot write (a BigInt, a cycle): the caller's error, not the engine's.
class InputError extends Error {}

const text = (v, what = 'context') => {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v === undefined ? {} : v);
  } catch (e) {
    throw new InputError(what + ' cannot be written as JSON: ' + ((e && e.message) || e));
  }
};
const inputError = (e) => JSON.stringify({ error: { kind: 'parse', message: e.message } });

function deepFreeze(v) {
  if (v && typeof v === 'object') {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze(v[k]);
  }
  return v;
}

// A brief decision rebuilt from ithaca_decide_codes' numbers and the rule set's catalog
// (ithaca::decide_codes documents the layout). Key for key what JSON.parse of the brief JSON
// text gives; the parts that never change are the catalog's own frozen objects.
function fromCodes(cat, codes, segmentErrors) {
  const out = { site: cat.site, version: cat.version };
  let at = 2;
  if (cat.stages) {
    const i = codes[0];
    out.journey = { stage: i >= 0 ? cat.stages[i] : null, index: i, advanced: codes[1] === 1 };
  }
  const segments = {};
  for (const name of cat.segments) segments[name] = codes[at++] === 1;
  out.segments = segments;
  if (segmentErrors) out.segment_errors = segmentErrors;
  const decisions = {};
  for (const slot of cat.slots) {
    const rule = codes[at];
    const entry = rule < 0 ? slot.default : slot.rules[rule];
    if (Array.isArray(entry)) {
      // An experiment: only the bucket differs between visitors of one variant.
      const { decision, summary_prefix: prefix } = entry[codes[at + 1]];
      const bucket = codes[at + 2];
      const d = { ...decision };
      d.experiment = { ...decision.experiment, bucket };
      d.explanation = { summary: prefix + bucket + ')' };
      decisions[slot.name] = d;
    } else {
      decisions[slot.name] = entry;
    }
    at += 3;
  }
  out.decisions = decisions;
  return out;
}

/**
 * @param {any} m the instantiated wasm as wasm_loader.js gives it (`_ithaca_*` functions, HEAPU8)
 */
export function wrapModule(m) {
  let dead = null;
  const catalogs = new Map(); // loaded rule set id → null after its first decision, then {cat: its parsed, frozen decision catalog, plan}
  const packer = new ContextPacker();
  let unpackFailures = 0; // packed contexts refused whose JSON text decides (a packer bug: the tests hold it at 0)

  // Writes the strings into the wasm's input buffer; returns their UTF-8 byte lengths.
  function put(...parts) {
    let cap = 0;
    for (const p of parts) cap += p.length * 3;
    const ptr = m._ithaca_input(cap || 1);
    const heap = m.HEAPU8; // read after the call: the buffer may have grown
    const lens = [];
    let at = ptr;
    for (const p of parts) {
      const n = encoder.encodeInto(p, heap.subarray(at, ptr + cap)).written;
      lens.push(n);
      at += n;
    }
    return lens;
  }

  function out() {
    const ptr = m._ithaca_output_ptr();
    const len = m._ithaca_output_len();
    return decoder.decode(m.HEAPU8.subarray(ptr, ptr + len));
  }

  function fail(e) {
    dead = dead || String((e && e.message) || e);
    return JSON.stringify({ error: { kind: 'engine', message: 'engine unavailable: ' + dead } });
  }

  // Runs fn against the wasm; any trap or abort ends the engine for good. An input JSON cannot
  // write answers with an error document (onInput) and leaves the engine working.
  function call(fn, onDead, onInput = inputError) {
    if (dead) return onDead();
    try {
      return fn();
    } catch (e) {
      if (e instanceof InputError) return onInput(e);
      fail(e);
      return onDead();
    }
  }

  const deadJson = () => fail(dead);
  // The page's engine has no JSON rule-set reader, CEL parser or validation (docs/compiled-rules.md):
  // what needs them answers so, and the engine goes on working.
  const absent = (what) =>
    JSON.stringify({ error: { kind: 'engine', message: what + ' needs the tools engine (ithaca-sdk/tools, or loadEngine() in Node); this one loads compiled rule sets only' } });
  const has = (fn) => typeof m[fn] === 'function';
  // Writes bytes into the wasm's input buffer; returns how many.
  function putBytes(bytes) {
    const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    const ptr = m._ithaca_input(view.length || 1);
    m.HEAPU8.set(view, ptr);
    return view.length;
  }
  const unknownId = (id) => ({ error: { kind: 'engine', message: 'unknown rule set id ' + id } });

  // The parsed, frozen catalog of a loaded rule set and its context plan, made once; null for an
  // unknown id.
  function catalogFor(id) {
    let loaded = catalogs.get(id);
    if (loaded) return loaded;
    if (!m._ithaca_catalog(id)) return null;
    const cat = deepFreeze(JSON.parse(out()));
    loaded = { cat, plan: contextPlan(cat.reads) };
    catalogs.set(id, loaded);
    return loaded;
  }

  const api = {
    /** `ithaca eval --batch` output line for one expression. */
    evaluate(expr, context) {
      if (!has('_ithaca_evaluate')) return absent('evaluate');
      return call(() => {
        const [a, b] = put(String(expr), context == null ? '' : text(context));
        m._ithaca_evaluate(a, b);
        return out();
      }, deadJson);
    },
    /** One raw `ithaca eval --batch` input line → its output line. */
    evaluateLine(line) {
      if (!has('_ithaca_evaluate_line')) return absent('evaluateLine');
      return call(() => {
        m._ithaca_evaluate_line(put(String(line))[0]);
        return out();
      }, deadJson);
    },
    /** `ithaca check` report. */
    check(rules) {
      if (!has('_ithaca_check')) return absent('check');
      return call(() => {
        m._ithaca_check(put(text(rules, 'rules'))[0]);
        return out();
      }, deadJson);
    },
    /** `ithaca decide` output. */
    decide(rules, context) {
      if (!has('_ithaca_decide_json')) return absent('decide');
      return call(() => {
        const [a, b] = put(text(rules, 'rules'), text(context));
        m._ithaca_decide_json(a, b);
        return out();
      }, deadJson);
    },
    /** Derived context attributes from raw signals (`ithaca context`). */
    context(raw) {
      return call(() => {
        m._ithaca_context(put(text(raw, 'raw signals'))[0]);
        return out();
      }, deadJson);
    },
    /** Loads a rule set once: {id} (> 0) or {id: 0, report} with the `ithaca check` report. */
    load(rules) {
      if (!has('_ithaca_load')) return { id: 0, report: absent('load (a JSON rule set)') };
      return call(() => {
        const id = m._ithaca_load(put(text(rules, 'rules'))[0]);
        return id > 0 ? { id } : { id: 0, report: out() };
      }, () => ({ id: 0, report: deadJson() }), (e) => ({ id: 0, report: inputError(e) }));
    },
    /**
     * Loads a compiled rule set (Uint8Array or ArrayBuffer: `ithaca compile`, compile() below, or
     * the tracker's GET /v1/rules/{site}?compiled=2) once: {id} (> 0) or {id: 0, report}.
     */
    loadCompiled(bytes) {
      return call(() => {
        const id = m._ithaca_load_compiled(putBytes(bytes));
        return id > 0 ? { id } : { id: 0, report: out() };
      }, () => ({ id: 0, report: deadJson() }));
    },
    /** A JSON rule set compiled for pages: {bytes} (a Uint8Array), or {report} (the `ithaca check` report). */
    compile(rules) {
      if (!has('_ithaca_compile')) return { report: absent('compile') };
      return call(() => {
        if (!m._ithaca_compile(put(text(rules, 'rules'))[0])) return { report: out() };
        const ptr = m._ithaca_output_ptr();
        return { bytes: m.HEAPU8.slice(ptr, ptr + m._ithaca_output_len()) };
      }, () => ({ report: deadJson() }), (e) => ({ report: inputError(e) }));
    },
    /**
     * Decisions of a loaded rule set; identical to decide() with the same rules. With
     * {explain: false} each explanation holds only its summary (less to compute and parse).
     */
    decideLoaded(id, context, options) {
      return call(() => {
        const explain = options && options.explain === false ? 0 : 1;
        if (!m._ithaca_decide(id, put(text(context))[0], explain)) {
          return JSON.stringify(unknownId(id));
        }
        return out();
      }, deadJson);
    },
    /**
     * The brief decisions of a loaded rule set (decideLoaded with {explain: false}) as an object,
     * without a JSON text to write and parse: the wasm answers with numbers, which index texts
     * parsed once per rule set. Equal to JSON.parse(decideLoaded(id, context, {explain: false}))
     * key for key; the objects that never change between decisions are shared and frozen.
     */
    decideBrief(id, context) {
      return call(() => {
        let loaded = catalogs.get(id);
        if (loaded === undefined) {
          // A rule set's first decision goes through the JSON text: making and parsing the
          // catalog (and compiling the code that writes it) costs more than that one decision,
          // and a page's first decision is the one its visitor waits for. The next builds it.
          const first = JSON.parse(api.decideLoaded(id, context, { explain: false }));
          if (!first.error || first.error.kind !== 'engine') catalogs.set(id, null);
          return first;
        }
        if (loaded === null) loaded = catalogFor(id);
        if (!loaded) return unknownId(id);
        // The attributes the rules read, packed (context_packer.js); the JSON text when only it
        // can say the context (not a plain object) or when the bytes do not unpack (-3).
        let n = -3;
        let packed = null;
        try {
          packed = packer.pack(context, loaded.plan);
        } catch {
          // A value JSON cannot write among those the rules read: the text path says so.
        }
        if (packed) {
          n = m._ithaca_decide_packed(id, putBytes(packed));
        }
        if (n === -3) {
          n = m._ithaca_decide_codes(id, put(text(context))[0]);
          // Refused packed, yet the text decides: the packer wrote what the wasm cannot read.
          if (packed && n >= 0) unpackFailures++;
        }
        // -2: a context that is not an object; only the text phrases that error exactly.
        if (n < 0) return JSON.parse(api.decideLoaded(id, context, { explain: false }));
        const errors = m._ithaca_output_len() ? JSON.parse(out()) : null;
        return fromCodes(loaded.cat, new Int32Array(m.HEAPU8.buffer, m._ithaca_codes_ptr(), n), errors);
      }, () => JSON.parse(deadJson()), (e) => JSON.parse(inputError(e)));
    },
    /**
     * Makes now what decideBrief would make at a rule set's second decision (its catalog), for
     * idle time after a page's first decision. True when ready; false for an unknown id.
     */
    prepareBrief(id) {
      return call(() => catalogFor(id) !== null, () => false);
    },
    /**
     * Each slot's declared variants ({variant: {props}}, frozen; {} when the slot declares none)
     * of a loaded rule set, from its catalog: what a forced variant shows. null for an unknown id.
     */
    slotVariants(id) {
      return call(() => {
        const loaded = catalogFor(id);
        return loaded && Object.fromEntries(loaded.cat.slots.map((s) => [s.name, s.variants]));
      }, () => null);
    },
    unload(id) {
      catalogs.delete(id);
      call(() => m._ithaca_unload(id), () => undefined);
    },
    /** How many packed contexts the wasm refused although their JSON text decides (0 unless the packer has a bug). */
    get unpackFailures() {
      return unpackFailures;
    },
    /** Why the engine stopped, or null while it works. */
    get failure() {
      return dead;
    },
  };
  return api;
}
