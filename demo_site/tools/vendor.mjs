#!/usr/bin/env node
// Copies the dashboard's chart library (uPlot, from the repository's npm devDependencies) into
// demo_site/vendor/uplot/, so the tracker serves it as a static file: no CDN at run time.
// The copy is not committed (demo_site/.gitignore); this runs before the demo and the tests.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const FILES = ['dist/uPlot.iife.min.js', 'dist/uPlot.min.css', 'LICENSE', 'package.json'];

/** Copies uPlot's built files; returns the target folder. Throws when uPlot is not installed. */
export function vendorUplot({ from = join(repo, 'node_modules', 'uplot'), to = join(repo, 'demo_site', 'vendor', 'uplot') } = {}) {
  if (!existsSync(join(from, 'dist', 'uPlot.iife.min.js'))) {
    throw new Error(`${from} is missing: run \`npm ci\` (or \`make deps\`) in the repository first`);
  }
  mkdirSync(to, { recursive: true });
  for (const f of FILES) {
    const src = join(from, f);
    if (!existsSync(src)) continue;
    const dst = join(to, f.replace(/^dist\//, ''));
    if (existsSync(dst) && statSync(dst).size === statSync(src).size && readFileSync(dst).equals(readFileSync(src))) continue;
    copyFileSync(src, dst);
  }
  return to;
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  try {
    const to = vendorUplot();
    const { version } = JSON.parse(readFileSync(join(to, 'package.json'), 'utf8'));
    console.log(`vendor: uPlot ${version} → ${to}`);
  } catch (e) {
    console.error('vendor: ' + e.message);
    process.exit(1);
  }
}
