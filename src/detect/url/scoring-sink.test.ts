/** ScoringSink: what the store acknowledged is offered to the scorer; a full scorer holds the load back instead of dropping URLs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RawRecord, RecordSink } from '../../core/index.js';
import { ScoringSink } from './scoring-sink.js';

const rec = (line: string): RawRecord => ({ line, receivedAt: 1, source: 't' });

test('lines are offered once committed, never when the store refused them; past the high water the load waits for the scorer', async () => {
  let refuse = false;
  const inner: RecordSink = { congested: false, whenDrained: async () => undefined, write: async () => (refuse ? Promise.reject(new Error('disk full')) : undefined) };
  const offered: string[] = [];
  let queued = 0;
  let flushed = 0;
  const live = {
    offer: (lines: readonly string[]) => {
      offered.push(...lines);
      queued += lines.length;
    },
    flush: async () => {
      flushed++;
      queued = 0;
    },
    stats: () => ({ queued }),
  };
  const sink = new ScoringSink(inner, live as never, 2);
  await sink.write([rec('a'), rec('b')]);
  assert.deepEqual(offered, ['a', 'b']);
  assert.equal(sink.congested, false, 'at the high water, not past it');
  refuse = true;
  await assert.rejects(sink.write([rec('c')]), /disk full/);
  assert.deepEqual(offered, ['a', 'b'], 'a refused batch is not scored');
  refuse = false;
  await sink.write([rec('d')]);
  assert.equal(sink.congested, true);
  await sink.whenDrained();
  assert.equal(flushed, 1);
  assert.equal(sink.congested, false);
});
