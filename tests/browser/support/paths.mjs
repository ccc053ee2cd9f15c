// Where the SDK tests find what `make build` produced; each can be pointed elsewhere through the
// environment (the engineers' own build folders, for instance).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const dist = resolve(process.env.ITHACA_SDK_DIST || join(repo, 'wasm_sdk', 'dist'));
export const nativeBin = resolve(process.env.ITHACA_NATIVE_BIN || join(repo, 'build', 'native', 'bin', 'ithaca'));
export const wasmBuild = resolve(process.env.ITHACA_WASM_BUILD || join(repo, 'build', 'wasm'));
export const artifacts = join(repo, 'test-artifacts');

/** Fails loudly (never skips) when a build product is missing. */
export function need(path, how) {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${how}`);
  return path;
}
