// `ithaca-sdk/tools`: the tools engine in a browser (dist/tools/ithaca-tools.mjs) — every entry
// point of the core, for pages that edit or test rule sets (the demo site's playground).
export type { Engine, JsonInput, RawSignals } from './index.js';
import type { Engine } from './index.js';

/** Instantiates a fresh tools engine from ithaca-tools.wasm beside the module (or `url`). */
export function loadEngine(url?: string | URL): Promise<Engine>;
