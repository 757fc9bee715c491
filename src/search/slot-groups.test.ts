import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shardInfo } from '../store/testing/shard-info.js';
import { inGroupOrder, slotGroups } from './slot-groups.js';

const H = Date.UTC(2026, 11, 1, 10);
const MIN = 60_000;
const shard = (rel: string, slotStart: number, slotMs: number) => shardInfo(rel, slotStart, slotMs);

test('slot groups: lanes of a minute share it, adjacent minutes do not, a merged hour takes the minute shards inside it', () => {
  const shards = [
    shard('11/0100-w0-0.db', H + 60 * MIN + MIN, MIN),
    shard('11/0000-w1-0.db', H + 60 * MIN, MIN),
    shard('11/0000-w0-0.db', H + 60 * MIN, MIN),
    shard('10/5900-w0-1.db', H + 59 * MIN, MIN),
    shard('10/0700-w0-1.db', H + 7 * MIN, MIN),
    shard('10/hour-0.db', H, 60 * MIN),
    shard('09/5900-w0-0.db', H - MIN, MIN),
  ];
  const group = slotGroups(shards);
  assert.deepEqual(Object.fromEntries(group), {
    '11/0100-w0-0.db': H + 61 * MIN,
    '11/0000-w1-0.db': H + 60 * MIN,
    '11/0000-w0-0.db': H + 60 * MIN,
    '10/5900-w0-1.db': H,
    '10/0700-w0-1.db': H,
    '10/hour-0.db': H,
    '09/5900-w0-0.db': H - MIN,
  });
  // whatever order they are given in, the groups come out newest first
  const reversed = inGroupOrder([...shards].reverse(), group).map((s) => group.get(s.rel));
  assert.deepEqual(reversed, [...reversed].sort((a, b) => b! - a!));
});
