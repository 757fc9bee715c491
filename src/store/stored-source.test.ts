/** A line's host kept in its stored source: through a block, a shard, a merge, and not in blocks written before. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliCompressSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBlock, encodeBlock } from './block-codec.js';
import { mergeShards, type MergeSource } from './shard-merge.js';
import { ShardReader, type StoredHit } from './shard-reader.js';
import { ShardWriter, type StoredLine } from './shard-writer.js';
import { hostOf, sourceOf, storedSource } from './stored-source.js';
import { rawIndexText, typedTerm } from './terms.js';
import { unpreparedLine } from './writer-lane.js';

const HOUR = Date.UTC(2026, 10, 28, 12, 0, 0);
const MINUTE = 60_000;

test('a stored source is the source alone without a host, and splits back into both with one', () => {
  assert.equal(storedSource('udp:10.0.0.1:514', undefined), 'udp:10.0.0.1:514');
  const s = storedSource('file:/var/log/nginx/access.log', 'web-01');
  assert.equal(sourceOf(s), 'file:/var/log/nginx/access.log');
  assert.equal(hostOf(s), 'web-01');
  assert.equal(sourceOf('stdin'), 'stdin');
  assert.equal(hostOf('stdin'), undefined);
});

test('block meta round trip: each line keeps its stored source (host or none) among a block\'s distinct sources', () => {
  const sources = [storedSource('file:/a.log', 'web-01'), 'udp:10.0.0.1:514', storedSource('file:/a.log', 'web-02'), storedSource('file:/a.log', 'web-01')];
  const b = encodeBlock(sources.map((source, i) => ({ offset: i, receivedAt: 1000 + i, source, raw: `line ${i}` })));
  const d = decodeBlock(b.meta, b.data);
  assert.deepEqual(d.source, sources);
  assert.deepEqual(d.source.map(hostOf), ['web-01', undefined, 'web-02', 'web-01']);
  assert.deepEqual(d.source.map(sourceOf), ['file:/a.log', 'udp:10.0.0.1:514', 'file:/a.log', 'file:/a.log']);
});

test('an old-format block (meta as written before hosts were kept) reads as before: sources, no host', () => {
  // the meta of a block written by an earlier version: r0, s, si, len, nothing else
  const meta = brotliCompressSync(JSON.stringify({ r0: 5000, s: ['udp:10.0.0.1:514', 'file:/var/log/x.log'], si: [0, 1], len: [5, 3] }));
  const d = decodeBlock(meta, brotliCompressSync('hellobye'));
  assert.deepEqual(d.raw, ['hello', 'bye']);
  assert.deepEqual(d.source, ['udp:10.0.0.1:514', 'file:/var/log/x.log']);
  assert.deepEqual(d.source.map(hostOf), [undefined, undefined]);
});

let serial = 0;
function line(time: number, source: string, host: string | undefined): StoredLine {
  const raw = `headerless line id${serial++}`;
  return { time, receivedAt: time, source: storedSource(source, host), raw, text: host === undefined ? rawIndexText(raw) : `${rawIndexText(raw)} ${typedTerm('host', host)}` };
}

function shard(dir: string, minute: number, lines: StoredLine[]): MergeSource {
  const rel = `${String(minute).padStart(2, '0')}00-w0-0.db`;
  const w = new ShardWriter(join(dir, rel), HOUR + minute * MINUTE, MINUTE, 0, false);
  w.append(lines);
  w.seal(true);
  return { path: join(dir, rel), rel };
}

function rows(path: string, expr: string | null = null): StoredHit[] {
  const r = new ShardReader(path);
  try {
    return r.lines([...r.rowidsDesc(expr, null)].reverse());
  } finally {
    r.close();
  }
}

const view = (h: StoredHit): [string, string, string | undefined] => [h.raw, h.source, h.sourceHost];

test('a shard gives each hit its source and host apart (none for lines without), and a merge keeps them and the host terms', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-stored-source-'));
  try {
    const a = shard(dir, 3, [line(HOUR + 3 * MINUTE + 1, 'file:/a.log', 'web-01'), line(HOUR + 3 * MINUTE + 2, 'udp:10.0.0.7:514', '10.0.0.7'), line(HOUR + 3 * MINUTE + 3, 'stdin', undefined)]);
    const b = shard(dir, 1, [line(HOUR + MINUTE, 'file:/a.log', 'web-01'), line(HOUR + MINUTE + 1, 'file:/b.log', 'web-02')]);
    const before = [...rows(b.path), ...rows(a.path)].map(view);
    assert.deepEqual(before.map(([, source, host]) => [source, host]), [
      ['file:/a.log', 'web-01'],
      ['file:/b.log', 'web-02'],
      ['file:/a.log', 'web-01'],
      ['udp:10.0.0.7:514', '10.0.0.7'],
      ['stdin', undefined],
    ]);
    assert.equal('sourceHost' in rows(a.path)[2]!, false, 'a line without a host has no sourceHost key');
    const out = join(dir, 'hour.db');
    mergeShards([a, b], out, { slotStart: HOUR, slotMs: 3_600_000, lane: 0, replaces: [a.rel, b.rel] });
    assert.deepEqual(rows(out).map(view), before, 'merged: the same lines, sources and hosts, in time order');
    assert.deepEqual(rows(out, `"${typedTerm('host', 'web-01')}"`).map((h) => h.sourceHost), ['web-01', 'web-01'], 'host:web-01 still finds them');
    assert.deepEqual(rows(out, `"${typedTerm('host', '10.0.0.7')}"`).map((h) => h.source), ['udp:10.0.0.7:514']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a line the preparer could not handle keeps its source host searchable', () => {
  const l = unpreparedLine('some line', 1000, storedSource('file:/a.log', 'web-01'));
  assert.equal(l.source, storedSource('file:/a.log', 'web-01'));
  assert.ok(l.text.endsWith(` ${typedTerm('host', 'web-01')}`), l.text);
  assert.equal(unpreparedLine('some line', 1000, 'stdin').text, rawIndexText('some line'));
});
