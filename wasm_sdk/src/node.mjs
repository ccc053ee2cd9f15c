// The package's Node entry (dist/index.mjs): the same wasm core as the browser, for tests and
// tools. Each loadEngine() call instantiates its own module; results are the JSON text the
// native `ithaca` command prints.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { wrapModule } from './engine.js';

const require = createRequire(import.meta.url);

export async function loadEngine() {
  const createIthacaModule = require('./node/ithaca.cjs');
  // Node 20's global fetch cannot read a file path, so the bytes are handed over directly.
  const wasmBinary = readFileSync(new URL('./node/ithaca.wasm', import.meta.url));
  return wrapModule(await createIthacaModule({ wasmBinary }));
}
