import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsStore } from '../findings/store.js';
import { FindingsBudget, type FlaggedHost } from './board-findings.js';
import { burstsNotKeptText, earlierNotKeptText, floodDetailLabel, floodDetailOf, spanSourcesText, spanTimeText, SPANS_SHOWN } from './flood-detail.js';

const T = Date.UTC(2026, 11, 4, 15, 20, 16);
/** the page's formatTime without ms */
const time = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const span = (from: number, to: number, sources: number, examples: string[] = []) => ({ from, to, sources, examples });
const flood = {
  sources: 420,
  dport: 443,
  examples: ['198.51.100.7 0.991'],
  episodes: [span(T, T + 200_000, 300, ['198.51.100.7 0.991', '198.51.100.8 0.975', '198.51.100.9 0.970']), span(T + 900_000, T + 960_000, 120, ['203.0.113.5 0.990'])],
  episodeCount: 2,
  earlier: [{ ...span(T - 7_200_000, T - 6_000_000, 80, ['192.0.2.1 0.950']), episodeCount: 2 }],
  earlierCount: 1,
};

const MIN = 60e6;

/** `n` flagged sources `10.net.x.y` of one SYN each, 10 ms apart from `t0`, against 203.0.113.5:80. */
const hosts = (net: number, n: number, t0: number): FlaggedHost[] =>
  Array.from({ length: n }, (_, i) => ({ ip: `10.${net}.${i >> 8}.${i & 255}`, score: 0.9, count: 1, firstSeen: t0 + i * 10_000, lastSeen: t0 + i * 10_000, dst: '203.0.113.5', dport: 80 }));

/** A findings budget writing into an in-memory store: `flush(now, hosts)` records one board cycle's rows. */
function boardRows(): { store: FindingsStore; flush: (now: number, hs: FlaggedHost[]) => void } {
  const store = new FindingsStore(':memory:');
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  const flush = (now: number, hs: FlaggedHost[]): void => {
    b.begin(now);
    for (const h of hs) b.admit(h);
    store.record(b.summed());
  };
  return { store, flush };
}

test('a flood finding with bursts and an earlier flood reads as both lists, examples without their scores', () => {
  const v = floodDetailOf('syn-flood', flood);
  assert.ok(v !== null);
  assert.equal(v.kind, 'flood');
  assert.deepEqual(
    v.episodes.map((e) => [e.sources, e.examples]),
    [
      [300, ['198.51.100.7', '198.51.100.8', '198.51.100.9']],
      [120, ['203.0.113.5']],
    ],
  );
  assert.deepEqual(v.earlier[0], { from: T - 7_200_000, to: T - 6_000_000, sources: 80, examples: ['192.0.2.1'], episodeCount: 2 });
  assert.equal(floodDetailLabel(v), '2 bursts · 1 earlier flood');
  assert.equal(spanSourcesText(v.earlier[0]!), '80 sources in 2 bursts');
  assert.equal(spanSourcesText(v.episodes[1]!), '120 sources');
});

test("a wave's earlier waves are waves; one source is singular", () => {
  const v = floodDetailOf('syn-wave', { sources: 40, earlier: [span(T, T, 1)], earlierCount: 4 });
  assert.ok(v !== null);
  assert.equal(v.kind, 'wave');
  assert.deepEqual(v.episodes, []);
  assert.equal(floodDetailLabel(v), '4 earlier waves');
  assert.equal(spanSourcesText(v.earlier[0]!), '1 source');
  // the waves not kept are the oldest: said above the ones listed
  assert.equal(earlierNotKeptText(v.earlierCount, v.earlier.length, v.kind), '… 3 older waves before these, not kept');
  assert.equal(earlierNotKeptText(2, 1, 'flood'), '… 1 older flood before these, not kept');
  assert.equal(earlierNotKeptText(2, 2, 'wave'), '');
  // the bursts not kept lie between the first and the latest ones
  assert.equal(burstsNotKeptText(9, 5), '… 4 more bursts between, not kept');
  assert.equal(burstsNotKeptText(3, 2), '… 1 more burst between, not kept');
  assert.equal(burstsNotKeptText(2, 2), '');
});

test('other detectors, rows from older servers and one-burst floods show nothing more', () => {
  assert.equal(floodDetailOf('syn', flood), null);
  assert.equal(floodDetailOf('url', flood), null);
  assert.equal(floodDetailOf('syn-flood', { sources: 375, dport: 443, examples: [] }), null);
  assert.equal(floodDetailOf('syn-flood', null), null);
  assert.equal(floodDetailOf('syn-flood', undefined), null);
  assert.equal(floodDetailOf('syn-flood', 'a string'), null);
  assert.equal(floodDetailOf('syn-flood', [flood]), null);
});

test('a malformed detail shows nothing more, whichever field is wrong', () => {
  const bad: Record<string, unknown>[] = [
    { episodes: 'two', episodeCount: 2 },
    { episodes: [span(T, T + 1, 3)], episodeCount: 'two' },
    { episodes: [span(T, T + 1, 3), span(T + 5, T + 6, 2)], episodeCount: 1 },
    { episodes: [span(T, T + 1, 3), null], episodeCount: 2 },
    { episodes: [span(T + 10, T, 3)], episodeCount: 1 },
    { episodes: [span(Number.NaN, T, 3)], episodeCount: 1 },
    { episodes: [{ from: String(T), to: T, sources: 3, examples: [] }], episodeCount: 1 },
    { episodes: [span(T, T + 1, -1)], episodeCount: 1 },
    { episodes: [span(T, T + 1, 2.5)], episodeCount: 1 },
    { episodes: [{ ...span(T, T + 1, 3), examples: [7] }], episodeCount: 1 },
    { episodes: [{ ...span(T, T + 1, 3), examples: '198.51.100.7' }], episodeCount: 1 },
    { earlier: [{ ...span(T, T + 1, 3), episodeCount: 0 }], earlierCount: 1 },
    { earlierCount: 2 },
    { ...flood, earlier: { from: T } },
  ];
  for (const d of bad) assert.equal(floodDetailOf('syn-flood', d), null, JSON.stringify(d));
});

test('a count missing beside its list is the list length; a list longer than SPANS_SHOWN is cut as the server cuts it, the rest counted not kept', () => {
  const v = floodDetailOf('syn-flood', { episodes: [span(T, T + 1, 3), span(T + 5, T + 6, 2)] });
  assert.equal(v?.episodeCount, 2);
  // sources 0, 1, 2 … tell the items apart
  const many = Array.from({ length: SPANS_SHOWN + 4 }, (_, i) => span(T + i * 1000, T + i * 1000 + 10, i));
  const w = floodDetailOf('syn-flood', { episodes: many, episodeCount: 30, earlier: many.map((s) => ({ ...s, episodeCount: 1 })), earlierCount: 12 });
  // bursts: the first and the latest, as the server keeps them
  assert.deepEqual(
    w?.episodes.map((e) => e.sources),
    [0, ...Array.from({ length: SPANS_SHOWN - 1 }, (_, i) => SPANS_SHOWN + 4 - (SPANS_SHOWN - 1) + i)],
  );
  assert.equal(burstsNotKeptText(w!.episodeCount, w!.episodes.length), `… ${30 - SPANS_SHOWN} more bursts between, not kept`);
  // earlier floods: the latest, oldest first
  assert.deepEqual(
    w?.earlier.map((e) => e.sources),
    Array.from({ length: SPANS_SHOWN }, (_, i) => 4 + i),
  );
  assert.equal(earlierNotKeptText(w!.earlierCount, w!.earlier.length, 'flood'), `… ${12 - SPANS_SHOWN} older floods before these, not kept`);
});

test('a span reads as one UTC range: the end without its date on the same day, with it across midnight, one time when it has no length', () => {
  assert.equal(spanTimeText(T, T + 226_000, time), '2026-12-04 15:20:16–15:24:02 UTC');
  const night = Date.UTC(2026, 11, 4, 23, 58, 0);
  assert.equal(spanTimeText(night, night + 310_000, time), '2026-12-04 23:58:00 – 2026-12-05 00:03:10 UTC');
  assert.equal(spanTimeText(T, T + 400, time), '2026-12-04 15:20:16 UTC');
});

test("the board's own flood row, stored and read back, reads as its bursts and its earlier flood", () => {
  const { store, flush } = boardRows();
  const t1 = 10 * MIN;
  const t2 = t1 + 3 * 60 * MIN;
  flush(t1 + 3 * MIN, hosts(1, 300, t1));
  // three hours later a flood of two bursts, 20 minutes apart
  flush(t2 + 2 * MIN, hosts(2, 120, t2));
  flush(t2 + 22 * MIN, hosts(3, 50, t2 + 20 * MIN));
  const f = store.list({ detector: 'syn-flood' }).findings[0]!;
  store.close();
  const v = floodDetailOf(f.detector, f.explanation.detail);
  assert.ok(v !== null, JSON.stringify(f.explanation.detail));
  assert.equal(floodDetailLabel(v), '2 bursts · 1 earlier flood');
  assert.deepEqual(
    v.episodes.map((e) => [e.from, e.sources, e.examples[0]]),
    [
      [t2 / 1000, 120, '10.2.0.0'],
      [(t2 + 20 * MIN) / 1000, 50, '10.3.0.0'],
    ],
  );
  assert.deepEqual([v.earlier[0]!.from, v.earlier[0]!.sources, v.earlier[0]!.examples[0]], [t1 / 1000, 300, '10.1.0.0']);
});

test("the bursts not kept say their sources: the detail's droppedSources, those cut here, none for a row that does not say", () => {
  assert.equal(burstsNotKeptText(4, 2, 41), '… 2 more bursts between, not kept (41 sources)');
  assert.equal(burstsNotKeptText(3, 2, 1), '… 1 more burst between, not kept (1 source)');
  assert.equal(burstsNotKeptText(3, 2, null), '… 1 more burst between, not kept', 'an older row: no number rather than a wrong one');
  assert.equal(burstsNotKeptText(2, 2, 0), '');
  assert.equal(floodDetailOf('syn-flood', { ...flood, episodeCount: 3, droppedSources: 41 })?.droppedSources, 41);
  assert.equal(floodDetailOf('syn-flood', { ...flood, episodeCount: 3 })?.droppedSources, null, 'bursts not kept, their sources not said');
  assert.equal(floodDetailOf('syn-flood', { ...flood, episodeCount: 3, droppedSources: -2 })?.droppedSources, null);
  assert.equal(floodDetailOf('syn-flood', flood)?.droppedSources, 0, 'every burst kept');
  // a detail of more bursts than SPANS_SHOWN: those cut here add theirs (sources 1, 2, 3, 4 of the 4 cut)
  const many = Array.from({ length: SPANS_SHOWN + 4 }, (_, i) => span(T + i * 1000, T + i * 1000 + 10, i));
  assert.equal(floodDetailOf('syn-flood', { episodes: many, episodeCount: 30, droppedSources: 100 })?.droppedSources, 110);
  assert.equal(floodDetailOf('syn-flood', { episodes: many })?.droppedSources, 10);
});

test("the board's flood of 8 bursts keeps 5 and says the sources of the 3 not kept, in its detail and its text", () => {
  const { store, flush } = boardRows();
  const t0 = 10 * MIN;
  // burst i: 30 + i sources, 10 minutes after the one before
  for (let i = 0; i < 8; i++) flush(t0 + i * 10 * MIN + 2 * MIN, hosts(i + 1, 30 + i, t0 + i * 10 * MIN));
  // a late flush of 5 sources within the third burst (not kept): counted with the bursts not kept
  flush(t0 + 80 * MIN, hosts(20, 5, t0 + 20 * MIN + 100_000));
  const f = store.list({ detector: 'syn-flood' }).findings[0]!;
  store.close();
  const d = f.explanation.detail as { sources: number; episodeCount: number; droppedSources?: number; episodes: { sources: number }[] };
  assert.deepEqual(d.episodes.map((e) => e.sources), [30, 34, 35, 36, 37]);
  assert.equal(d.episodeCount, 8);
  assert.equal(d.droppedSources, 31 + 32 + 33 + 5);
  assert.equal(d.sources, d.episodes.reduce((n, e) => n + e.sources, 0) + d.droppedSources!, 'every source in one burst, kept or not');
  assert.match(f.explanation.summary, /\(the first and the latest 4 shown; the 3 not shown had 101 sources\)/);
  const v = floodDetailOf(f.detector, f.explanation.detail)!;
  assert.equal(burstsNotKeptText(v.episodeCount, v.episodes.length, v.droppedSources), '… 3 more bursts between, not kept (101 sources)');
});
