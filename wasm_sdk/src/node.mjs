// The package's Node entry (dist/index.mjs): the same wasm core as the browser, for tests and
// tools. Each loadEngine() call instantiates its own module; results are the JSON text the
// native `ithaca` command prints.
import { readFileSync } from 'node:fs';
import { instantiateBytes } from './wasm_loader.js';
import { wrapModule } from './engine.js';

export async function loadEngine() {
  // The browser's wasm file; compiled synchronously: the bytes are at hand, and V8's
  // asynchronous compile only adds task hops here (docs/performance.md, "Cold start").
  return wrapModule(instantiateBytes(readFileSync(new URL('./browser/ithaca.wasm', import.meta.url))));
}
