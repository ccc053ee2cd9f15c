// Event ids from the browser SDK: UUIDv7 (RFC 9562) carrying the event's time, so that they reach
// the tracker in about ascending order (its unique index of event ids then grows at one end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventId } from '../../wasm_sdk/src/browser/state.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

test('an event id is a UUIDv7 whose first 48 bits are the event time in milliseconds', () => {
  for (const ms of [0, 1, 255, 256, 1_795_000_000_123, 2 ** 48 - 1]) {
    const id = eventId(ms);
    assert.match(id, V7, `${ms} → ${id}`);
    assert.equal(msOf(id), ms, id);
  }
  assert.equal(msOf(eventId(1_795_000_000_123.9)), 1_795_000_000_123, 'fractions of a millisecond are cut');
});

test('ids of the same millisecond differ', () => {
  const ids = new Set();
  for (let i = 0; i < 10_000; i++) ids.add(eventId(1_795_000_000_000));
  assert.equal(ids.size, 10_000);
});

test('ids sort as text in the order of their times', () => {
  const times = Array.from({ length: 2_000 }, (_, i) => 1_795_000_000_000 + i * 37);
  const ids = times.map((t) => eventId(t));
  const sorted = [...ids].sort();
  assert.deepEqual(sorted.map(msOf), times);
});
