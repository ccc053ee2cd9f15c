// What watching for slots inserted after start costs a page that changes its DOM a lot: headless
// Chromium, the single-page test page (tests/browser/pages/spa.html) with the SDK started, its
// slot observer on (the default) against off in the same page. Each page inserts 200 rows of 11
// elements into the document 150 times (one slot every 100 rows) and removes them again; the
// time includes the SDK's MutationObserver callbacks (microtasks of the same task).
// Ratios of medians, as everywhere in bench/: this machine is shared.
//
//   node bench/sdk/slot_observer.mjs [rounds]
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(repo, 'wasm_sdk', 'dist');
if (!existsSync('/usr/bin/chromium')) {
  console.log('slot_observer: no /usr/bin/chromium, nothing measured');
  process.exit(0);
}
const { chromium } = await import('playwright-core');
const { startServer } = await import(pathToFileURL(join(repo, 'tests', 'browser', 'support', 'server.mjs')).href);

const rules = {
  schema: 1,
  site: 'spa',
  version: 'bench',
  slots: { route: { default: 'plain', variants: { plain: {}, sale: {} }, rules: [{ id: 'sale', when: "visit.path.startsWith('/sale')", variant: 'sale' }] } },
};
const server = await startServer({ mounts: { '/sdk/': join(dist, 'browser'), '/': join(repo, 'tests', 'browser', 'pages') }, rules: { spa: rules } });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });

// In the page: ms to insert and remove the rows, 150 times, alternating the SDK's observer, no
// observer and a no-op observer (its MutationObserver, disconnected and observed again: an internal field, for this bench
// only) so that both sides share the page, the moment and the machine's load.
const churn = (withSlots) =>
  new Promise((resolve) => {
    const row = '<div class="row"><span>a</span><span>b</span><span>c</span><span>d</span><span>e</span><span>f</span><span>g</span><span>h</span><span>i</span><span>j</span></div>';
    const slot = '<div data-ithaca-slot="route"><p data-default>x</p><template data-variant="sale"><p>y</p></template></div>';
    const html = Array.from({ length: 200 }, (_, i) => (withSlots && i % 100 === 0 ? slot : row)).join('');
    const host = document.createElement('div');
    document.body.appendChild(host);
    const observer = window.ithaca.mutations;
    // The platform's floor: an observer of the same mutations whose callback does nothing.
    const noop = new MutationObserver(() => {});
    const ms = { on: 0, off: 0, noop: 0 };
    const order = ['on', 'off', 'noop', 'noop', 'off', 'on']; // neither side always goes first
    let n = 0;
    const step = async () => {
      const mode = order[n % order.length];
      if (mode !== 'on') observer.disconnect();
      if (mode === 'noop') noop.observe(document, { childList: true, subtree: true });
      const t = performance.now();
      host.insertAdjacentHTML('beforeend', html);
      await Promise.resolve(); // the observer's callback has run
      host.replaceChildren();
      await Promise.resolve();
      ms[mode] += performance.now() - t;
      if (mode === 'noop') noop.disconnect();
      if (mode !== 'on') observer.observe(document, { childList: true, subtree: true });
      if (++n < 150) setTimeout(step, 0);
      else resolve(ms);
    };
    step();
  });

const rounds = Number(process.argv[2] || 9);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  for (const withSlots of [false, true]) {
    const times = { on: [], off: [], noop: [] };
    for (let i = 0; i < rounds; i++) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(`${server.origin}/spa.html`);
      await page.evaluate(() => window.ithaca.ready);
      if ((await page.evaluate(() => window.ithaca.status)) !== 'decided') throw new Error('the SDK did not decide');
      const ms = await page.evaluate(churn, withSlots);
      for (const k of Object.keys(times)) times[k].push(ms[k]);
      await ctx.close();
    }
    const [on, off, noop] = ['on', 'off', 'noop'].map((k) => median(times[k]));
    console.log(`slot observer: 50 × (insert 200 rows of 11 elements${withSlots ? ', 2 of them slots' : ', no slots'}; remove them) each way, median of ${rounds} pages`);
    console.log(`  no observer: ${off.toFixed(1)} ms   an observer doing nothing: ${noop.toFixed(1)} ms   the SDK's: ${on.toFixed(1)} ms`);
    console.log(`  SDK ÷ none: ${(on / off).toFixed(2)}   SDK ÷ doing nothing: ${(on / noop).toFixed(2)}`);
  }
} finally {
  await browser.close();
  await server.close();
}
