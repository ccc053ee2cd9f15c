// The tools engine in a browser (dist/tools/ithaca-tools.mjs): every entry point of the core —
// JSON rule sets, check, evaluate, compile — for pages that edit or test rule sets, such as the
// demo site's playground. A visitor's page needs none of it: browser/ithaca.mjs loads compiled
// rule sets with the smaller page engine (docs/compiled-rules.md).
import names from 'ithaca:tools-names';
import { instantiateUrl } from './wasm_loader.js';
import { wrapModule } from './engine.js';

/** Instantiates a fresh tools engine from ithaca-tools.wasm beside this module (or `url`). */
export async function loadEngine(url = new URL('./ithaca-tools.wasm', import.meta.url)) {
  return wrapModule(await instantiateUrl(url, names));
}
