// Instantiates ithaca.wasm without Emscripten's JS glue, for the browser SDK and the Node
// package alike. The wasm imports only `abort` and `emscripten_resize_heap`, and exports its
// memory, its static constructors and the ithaca_* functions, all under the short names the
// link gave them (`names`: 'ithaca:page-names' or 'ithaca:tools-names', which scripts/package.mjs
// writes from each link's glue). The object handed to wrapModule (engine.js) has the glue's shape:
// `_ithaca_*` functions and a `HEAPU8` view that is replaced whenever the memory grows.

const MAX_HEAP = 2147483648; // 2 GiB, as Emscripten's emscripten_get_heap_max()

function imports(m, names) {
  const env = {};
  env[names.abort] = () => {
    // Only reached on a fatal condition inside the wasm (out of memory); engine.js marks the
    // engine dead on any throw from a call.
    throw new WebAssembly.RuntimeError('Aborted()');
  };
  // Emscripten's growth policy: up to 20% over the request (less when that fails), in 64 KiB pages.
  env[names.resize] = (requested) => {
    requested >>>= 0;
    const memory = m.memory;
    const old = memory.buffer.byteLength;
    if (requested > MAX_HEAP) return 0;
    for (let cut = 1; cut <= 4; cut *= 2) {
      const over = Math.min(old * (1 + 0.2 / cut), requested + 100663296);
      const size = Math.min(MAX_HEAP, Math.ceil(Math.max(requested, over) / 65536) * 65536);
      try {
        memory.grow((size - old + 65535) >>> 16);
        m.HEAPU8 = new Uint8Array(memory.buffer);
        return 1;
      } catch {
        // try a smaller step
      }
    }
    return 0;
  };
  return { [names.module]: env };
}

// The module object for a fresh instance; runs the wasm's static constructors once.
function ready(instance, m, names) {
  const e = instance.exports;
  m.memory = e[names.memory];
  m.HEAPU8 = new Uint8Array(m.memory.buffer);
  for (const [name, short] of Object.entries(names.exports)) m[name] = e[short];
  e[names.ctors]();
  return m;
}

/** Synchronous: compiles and instantiates the wasm bytes (Node, where the bytes are at hand). */
export function instantiateBytes(bytes, names) {
  const m = {};
  return ready(new WebAssembly.Instance(new WebAssembly.Module(bytes), imports(m, names)), m, names);
}

/**
 * Browser: downloads and compiles at once (streaming); falls back to compiling the whole
 * download when streaming is refused (a server that does not send application/wasm).
 */
export async function instantiateUrl(url, names) {
  const m = {};
  const get = () =>
    fetch(url, { credentials: 'same-origin' }).then((r) => {
      if (!r.ok) throw new Error(`failed to load wasm binary file at '${url}'`);
      return r;
    });
  const whole = async () => WebAssembly.instantiate(await (await get()).arrayBuffer(), imports(m, names));
  let result;
  if (typeof WebAssembly.instantiateStreaming !== 'function') {
    result = await whole();
  } else {
    try {
      result = await WebAssembly.instantiateStreaming(get(), imports(m, names));
    } catch (e) {
      if (e && /failed to load wasm binary/.test(e.message)) throw e;
      result = await whole();
    }
  }
  return ready(result.instance, m, names);
}
