#!/usr/bin/env node
// Writes wasm_sdk/dist/ (the npm package) from an emcmake build: `node package.mjs BUILD_DIR`.
//   dist/browser/   exactly what a page downloads: ithaca.mjs (SDK + wasm loader, minified),
//                   ithaca.wasm (the page's engine: compiled rule sets only),
//                   openfeature.mjs (the optional OpenFeature provider)
//   dist/tools/     the tools engine, every entry point (JSON rule sets, check, compile):
//                   ithaca-tools.wasm and ithaca-tools.mjs for pages that edit rules (the playground)
//   dist/index.mjs  loadEngine() for Node ≥ 20 (tools/ithaca-tools.wasm); *.d.ts types;
//                   package.json with "exports".
// Emscripten's JS glue is not shipped: src/wasm_loader.js instantiates the wasm itself, with the
// import and export names read here from the glue the link wrote.
import { build } from 'esbuild';
import { minify } from 'terser';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

// The link minifies the wasm's import and export names; its glue (Emscripten 3.1.6) says which
// is which. Anything not found here is a build error, not a broken package.
function wasmNames(text) {
  const one = (re, what) => {
    const m = text.match(re);
    if (!m) {
      console.error(`package.mjs: cannot find ${what} in Emscripten's glue (a different Emscripten version?)`);
      process.exit(1);
    }
    return m[1];
  };
  const lib = one(/asmLibraryArg\s*=\s*\{([^}]*)\}/, 'the import object');
  const imports = Object.fromEntries([...lib.matchAll(/"(\w+)":(\w+)/g)].map(([, k, v]) => [v, k]));
  if (!imports._abort || !imports._emscripten_resize_heap || Object.keys(imports).length !== 2) {
    console.error(`package.mjs: the wasm imports ${JSON.stringify(imports)}; wasm_loader.js provides only abort and emscripten_resize_heap`);
    process.exit(1);
  }
  const exports = {};
  for (const [, name, short] of text.matchAll(/var (_ithaca_\w+)=Module\["\1"\]=function\(\)\{return\(\1=Module\["\1"\]=Module\["asm"\]\["(\w+)"\]\)/g)) {
    exports[name] = short;
  }
  return {
    module: one(/var info=\{"(\w+)":asmLibraryArg\}/, 'the import module name'),
    abort: imports._abort,
    resize: imports._emscripten_resize_heap,
    memory: one(/wasmMemory=Module\["asm"\]\["(\w+)"\]/, 'the memory export'),
    ctors: one(/addOnInit\(Module\["asm"\]\["(\w+)"\]\)/, 'the static constructors export'),
    exports,
  };
}
// The names of one link (`browser` or `tools`), checked against the exports CMakeLists.txt asks of it.
const cmake = readFileSync(join(sdk, 'CMakeLists.txt'), 'utf8');
const exportList = (list) => cmake.match(new RegExp(`set\\(${list}([^)]*)\\)`))[1].match(/_ithaca_\w+/g);
function linkNames(dir, wanted) {
  const names = wasmNames(readFileSync(built(dir, 'ithaca.mjs'), 'utf8'));
  const missing = wanted.filter((n) => !names.exports[n]);
  if (missing.length) {
    console.error(`package.mjs: exports not found in the ${dir} link's glue: ${missing.join(', ')}`);
    process.exit(1);
  }
  return names;
}
const pageNames = linkNames('browser', exportList('ITHACA_WASM_PAGE_EXPORTS'));
const toolsNames = linkNames('tools', [...exportList('ITHACA_WASM_PAGE_EXPORTS'), ...exportList('ITHACA_WASM_TOOLS_EXPORTS')]);

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'browser'), { recursive: true });
mkdirSync(join(out, 'tools'), { recursive: true });

// Each link's names, imported as 'ithaca:page-names' and 'ithaca:tools-names' (wasm_loader.js).
const namesPlugin = {
  name: 'ithaca-wasm-names',
  setup(b) {
    b.onResolve({ filter: /^ithaca:(page|tools)-names$/ }, (a) => ({ path: a.path.slice(7), namespace: 'ithaca' }));
    b.onLoad({ filter: /.*/, namespace: 'ithaca' }, (a) => ({
      contents: `export default ${JSON.stringify(a.path === 'page-names' ? pageNames : toolsNames)};`,
      loader: 'js',
    }));
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
copyFileSync(built('browser', 'ithaca.wasm'), join(out, 'browser', 'ithaca.wasm'));

// The tools engine: for pages that edit rules, and (below) for Node.
await build({
  ...browserOptions,
  entryPoints: [join(sdk, 'src', 'tools.mjs')],
  outfile: join(out, 'tools', 'ithaca-tools.mjs'),
  plugins: [namesPlugin],
});
copyFileSync(built('tools', 'ithaca.wasm'), join(out, 'tools', 'ithaca-tools.wasm'));

// Node: an ES module entry that loads the tools' wasm file.
await build({
  entryPoints: [join(sdk, 'src', 'node.mjs')],
  outfile: join(out, 'index.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [namesPlugin],
  logLevel: 'warning',
});

// The page's SDK, with its warm-up rule set (src/browser/warm_rules.json) compiled by the tools
// engine just packaged, as the page's engine loads rule sets.
const tools = await (await import(pathToFileURL(join(out, 'index.mjs')).href)).loadEngine();
const warm = tools.compile(readFileSync(join(sdk, 'src', 'browser', 'warm_rules.json'), 'utf8'));
if (!warm.bytes) {
  console.error(`package.mjs: src/browser/warm_rules.json does not compile: ${warm.report}`);
  process.exit(1);
}
await build({
  ...browserOptions,
  entryPoints: [join(sdk, 'src', 'browser', 'index.js')],
  outfile: join(out, 'browser', 'ithaca.mjs'),
  plugins: [namesPlugin],
  // One character per byte, not base64: the rule set's names and CEL sources stay text that gzip
  // finds again in the bundle (191 bytes less gzipped, measured).
  define: { ITHACA_WARM_RULES: JSON.stringify(Buffer.from(warm.bytes).toString('latin1')) },
});
await build({
  ...browserOptions,
  entryPoints: [join(sdk, 'src', 'openfeature.js')],
  outfile: join(out, 'browser', 'openfeature.mjs'),
});
// esbuild bundles and minifies in one pass; terser's compressor, run over its output, finds what
// that pass leaves (inlining, dead branches, shorter forms): 0.5 KB less gzipped of the page's
// JavaScript (ithaca.mjs 13,658 → 13,173 B, openfeature.mjs 1,245 → 1,225 B, as printed below).
// Only its safe transforms: no `unsafe*`, no `pure_getters`.
for (const f of ['ithaca.mjs', 'openfeature.mjs']) {
  const file = join(out, 'browser', f);
  const { code } = await minify(readFileSync(file, 'utf8'), {
    module: true,
    ecma: 2020,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  writeFileSync(file, code);
}

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
