// The two homes of the core, side by side for the parity tests: the wasm engine from the npm
// package (wasm_sdk/dist) and the native `ithaca` command (build/native/bin/ithaca).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dist, nativeBin, need } from './paths.mjs';

export async function wasmEngine() {
  need(join(dist, 'index.mjs'), 'run `make wasm` to build wasm_sdk/dist');
  const { loadEngine } = await import(pathToFileURL(join(dist, 'index.mjs')).href);
  return loadEngine();
}

export function native() {
  need(nativeBin, 'run `make native` to build the ithaca command');
  const dir = mkdtempSync(join(tmpdir(), 'ithaca-native-'));
  let n = 0;
  const file = (text) => {
    const f = join(dir, `f${n++}.json`);
    writeFileSync(f, text);
    return f;
  };
  // One process per call; output without the trailing newline, as the wasm gives it.
  const run = (args, input) => {
    const r = spawnSync(nativeBin, args, { input, encoding: 'utf8', maxBuffer: 256 << 20 });
    if (r.error) throw r.error;
    return r.stdout.replace(/\n$/, '');
  };
  return {
    rulesFile: (rulesText) => file(rulesText),
    decide: (rulesPath, contextText) => run(['decide', rulesPath, '--context', file(contextText)]),
    // `ithaca decide RULES --batch`: one decision line per context line, in one process.
    decideBatch: (rulesPath, lines) => run(['decide', rulesPath, '--batch'], lines.join('\n') + '\n').split('\n'),
    check: (rulesText) => run(['check', file(rulesText)]),
    // `ithaca eval --batch` and `ithaca context` over many lines in one process.
    evalBatch: (lines) => run(['eval', '--batch'], lines.join('\n') + '\n').split('\n'),
    contextBatch: (lines) => run(['context'], lines.join('\n') + '\n').split('\n'),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed from its seed. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (p) => next() < p;
  return { next, int, pick, chance };
}
