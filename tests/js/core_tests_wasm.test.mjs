// The whole core GoogleTest suite, compiled with emcc (tests/CMakeLists.txt builds GoogleTest
// from Debian's sources under EMSCRIPTEN), run under Node: the wasm home must pass every test
// the native home passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repo, wasmBuild, need } from '../browser/support/paths.mjs';

test('core_tests built with emcc pass under Node', () => {
  const program = need(join(wasmBuild, 'bin', 'core_tests.js'), 'run `make wasm` (the wasm tree builds core_tests)');
  const r = spawnSync(process.execPath, [program, '--gtest_brief=1'], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 15 * 60 * 1000,
  });
  const out = `${r.stdout}\n${r.stderr}`;
  const passed = out.match(/\[  PASSED  \] (\d+) tests?/);
  assert.equal(r.status, 0, `core_tests.js exited with ${r.status}${r.signal ? ' (' + r.signal + ')' : ''}:\n${out.slice(-6000)}`);
  assert.ok(passed && Number(passed[1]) > 0, `no passing tests reported:\n${out.slice(-2000)}`);
  assert.doesNotMatch(out, /\[  FAILED  \]/);
  console.log(`core_tests.js (wasm): ${passed[1]} tests passed`);
});
