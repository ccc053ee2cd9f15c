#!/usr/bin/env node
// Writes wasm_sdk/dist/ (the npm package) from an emcmake build: `node package.mjs BUILD_DIR`.
//   dist/browser/   exactly what a page downloads: ithaca.mjs (SDK + wasm loader, minified),
//                   ithaca.wasm, openfeature.mjs (the optional OpenFeature provider)
//   dist/node/      the Node build of the same core (CommonJS factory + its wasm)
//   dist/index.mjs  loadEngine() for Node ≥ 20; *.d.ts types; package.json with "exports".
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const sdk = resolve(here, '..');
const buildDir = resolve(process.argv[2] || join(sdk, '..', 'build', 'wasm'));
const out = resolve(process.env.ITHACA_DIST_DIR || join(sdk, 'dist'));
const { version } = JSON.parse(readFileSync(join(sdk, 'package.template.json'), 'utf8'));

const built = (...p) => {
  const f = join(buildDir, 'wasm_sdk', ...p);
  if (!existsSync(f)) {
    console.error(`package.mjs: ${f} is missing — build the wasm first (make wasm)`);
    process.exit(1);
  }
  return f;
};
const glue = built('browser', 'ithaca.mjs');
const browserWasm = built('browser', 'ithaca.wasm');
const nodeGlue = built('node', 'ithaca.js');
const nodeWasm = built('node', 'ithaca.wasm');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'browser'), { recursive: true });
mkdirSync(join(out, 'node'), { recursive: true });

// The browser entry imports the Emscripten loader as 'ithaca:wasm-glue'.
const gluePlugin = {
  name: 'ithaca-wasm-glue',
  setup(b) {
    b.onResolve({ filter: /^ithaca:wasm-glue$/ }, () => ({ path: glue }));
  },
};
const browserOptions = {
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  platform: 'browser',
  legalComments: 'none',
  logLevel: 'warning',
};
await build({
  ...browserOptions,
  entryPoints: [join(sdk, 'src', 'browser', 'index.js')],
  outfile: join(out, 'browser', 'ithaca.mjs'),
  plugins: [gluePlugin],
});
await build({
  ...browserOptions,
  entryPoints: [join(sdk, 'src', 'openfeature.js')],
  outfile: join(out, 'browser', 'openfeature.mjs'),
});
copyFileSync(browserWasm, join(out, 'browser', 'ithaca.wasm'));

// Node: the CommonJS factory with its own wasm, and an ES module entry around it.
copyFileSync(nodeGlue, join(out, 'node', 'ithaca.cjs'));
copyFileSync(nodeWasm, join(out, 'node', 'ithaca.wasm'));
await build({
  entryPoints: [join(sdk, 'src', 'node.mjs')],
  outfile: join(out, 'index.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['./node/*'],
  logLevel: 'warning',
});

for (const f of readdirSync(join(sdk, 'types'))) copyFileSync(join(sdk, 'types', f), join(out, f));
copyFileSync(join(sdk, 'README.md'), join(out, 'README.md'));

const pkg = JSON.parse(readFileSync(join(sdk, 'package.template.json'), 'utf8'));
writeFileSync(join(out, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');

// Sizes of what a browser downloads.
let total = 0;
let totalGz = 0;
const lines = [];
for (const f of readdirSync(join(out, 'browser')).sort()) {
  const bytes = readFileSync(join(out, 'browser', f));
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += statSync(join(out, 'browser', f)).size;
  totalGz += gz;
  lines.push(`  browser/${f.padEnd(18)} ${String(bytes.length).padStart(7)} B  ${String(gz).padStart(6)} B gzip -9`);
}
console.log(`package.mjs: wrote ${out} (ithaca-sdk ${version})\n${lines.join('\n')}`);
console.log(`  browser total        ${String(total).padStart(7)} B  ${String(totalGz).padStart(6)} B gzip -9`);
