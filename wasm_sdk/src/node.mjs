// The package's Node entry (dist/index.mjs). loadEngine(): the tools engine
// (tools/ithaca-tools.wasm) — the same core as a page's with every entry point, JSON rule sets
// included — for tests and tools; results are the JSON text the native `ithaca` command prints.
// loadPageEngine(): the engine exactly as a page has it (browser/ithaca.wasm: compiled rule sets
// only), for benchmarks and tests of what pages run. Each call instantiates its own module.
import { readFileSync } from 'node:fs';
import pageNames from 'ithaca:page-names';
import toolsNames from 'ithaca:tools-names';
import { instantiateBytes } from './wasm_loader.js';
import { wrapModule } from './engine.js';

// Compiled synchronously: the bytes are at hand, and V8's asynchronous compile only adds task
// hops here (docs/performance.md, "Cold start").
const load = (file, names) => wrapModule(instantiateBytes(readFileSync(new URL(file, import.meta.url)), names));

export async function loadEngine() {
  return load('./tools/ithaca-tools.wasm', toolsNames);
}

export async function loadPageEngine() {
  return load('./browser/ithaca.wasm', pageNames);
}
