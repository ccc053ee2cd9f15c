// The hand-written glue over the wasm exports (wasm_sdk/bindings/engine_exports.cpp): strings go
// in as UTF-8 written back to back into one scratch buffer, results come back as UTF-8 text.
// Shared by the browser SDK and the Node package. Every method returns a string (JSON text) or
// a number; none throws — a trap or an abort inside the wasm marks the engine dead and the call
// answers with an {"error":{"kind":"engine",…}} document instead.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const text = (v) => (typeof v === 'string' ? v : JSON.stringify(v === undefined ? {} : v));

/**
 * @param {any} m an instantiated Emscripten module (createIthacaModule())
 */
export function wrapModule(m) {
  let dead = null;

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

  // Runs fn against the wasm; any trap or abort ends the engine for good.
  function call(fn, onDead) {
    if (dead) return onDead();
    try {
      return fn();
    } catch (e) {
      fail(e);
      return onDead();
    }
  }

  const deadJson = () => fail(dead);

  return {
    /** `ithaca eval --batch` output line for one expression. */
    evaluate(expr, context) {
      return call(() => {
        const [a, b] = put(String(expr), context == null ? '' : text(context));
        m._ithaca_evaluate(a, b);
        return out();
      }, deadJson);
    },
    /** One raw `ithaca eval --batch` input line → its output line. */
    evaluateLine(line) {
      return call(() => {
        m._ithaca_evaluate_line(put(String(line))[0]);
        return out();
      }, deadJson);
    },
    /** `ithaca check` report. */
    check(rules) {
      return call(() => {
        m._ithaca_check(put(text(rules))[0]);
        return out();
      }, deadJson);
    },
    /** `ithaca decide` output. */
    decide(rules, context) {
      return call(() => {
        const [a, b] = put(text(rules), text(context));
        m._ithaca_decide_json(a, b);
        return out();
      }, deadJson);
    },
    /** Derived context attributes from raw signals (`ithaca context`). */
    context(raw) {
      return call(() => {
        m._ithaca_context(put(text(raw))[0]);
        return out();
      }, deadJson);
    },
    /** Loads a rule set once: {id} (> 0) or {id: 0, report} with the `ithaca check` report. */
    load(rules) {
      return call(() => {
        const id = m._ithaca_load(put(text(rules))[0]);
        return id > 0 ? { id } : { id: 0, report: out() };
      }, () => ({ id: 0, report: deadJson() }));
    },
    /**
     * Decisions of a loaded rule set; identical to decide() with the same rules. With
     * {explain: false} each explanation holds only its summary (less to compute and parse).
     */
    decideLoaded(id, context, options) {
      return call(() => {
        const explain = options && options.explain === false ? 0 : 1;
        if (!m._ithaca_decide(id, put(text(context))[0], explain)) {
          return JSON.stringify({ error: { kind: 'engine', message: 'unknown rule set id ' + id } });
        }
        return out();
      }, deadJson);
    },
    unload(id) {
      call(() => m._ithaca_unload(id), () => undefined);
    },
    /** Why the engine stopped, or null while it works. */
    get failure() {
      return dead;
    },
  };
}
