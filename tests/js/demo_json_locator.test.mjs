// The playground's error marks (demo_site/assets/json_locator.js): where in the editor's text an
// error of the core (a JSON path, and a byte offset inside an expression) belongs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateValues, errorRange } from '../../demo_site/assets/json_locator.js';

const text = `{
  "slots": {
    "hero": {
      "rules": [
        { "id": "ok", "when": "'café' == bogus" },
        { "id": "no-when", "whne": "true", "variant": "b" }
      ]
    }
  }
}`;
const ranges = locateValues(text);
const marked = (error) => {
  const r = errorRange(text, error, ranges);
  return r && text.slice(r.start, r.end);
};

test('an error inside an expression marks the token at its byte offset', () => {
  // "bogus" starts at byte 11 of the expression, character 10 ("é" is two bytes).
  assert.equal(marked({ kind: 'check', path: '$.slots.hero.rules[0].when', position: 11 }), 'bogus');
});

test('an error about a whole value marks the value', () => {
  assert.equal(marked({ kind: 'check', path: '$.slots.hero.rules[1].id' }), '"no-when"');
});

test('a path to a member the text lacks marks the nearest member it has', () => {
  // The core names rules[1].when, which the text does not have (it says "whne").
  const m = marked({ kind: 'check', path: '$.slots.hero.rules[1].when', position: 0 });
  assert.equal(m, '{ "id": "no-when", "whne": "true", "variant": "b" }');
  assert.equal(marked({ kind: 'check', path: '$.nothing.here' }), null, 'not even its root: no mark');
});
