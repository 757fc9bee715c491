import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Store, STORE_DEFAULTS, type StoreConfig } from './store.js';
import { Catalog } from './catalog.js';
import type { ShardInfo } from './catalog-types.js';
import { ShardReader } from './shard-reader.js';
import { PLAIN_LANE } from './testing/lanes.js';
import { shardInfo } from './testing/shard-info.js';
import { COMPACTION_DEFAULTS, planMerges, WHOLE_HOUR_SHARDS_KEPT, type MergeReport } from './compaction.js';
import { mergeShards } from './shard-merge.js';
import { HOUR_MS, mergedShardRelPath } from './slots.js';

const HOUR = HOUR_MS;
const tmp = (): string => mkdtempSync(join(tmpdir(), 'nml-compaction-'));
// merges only when the test asks (checkMs 0); sources deleted at once after the swap
const CONFIG: StoreConfig = {
  ...STORE_DEFAULTS,
  lanes: 2,
  sealIdleMs: 0,
  // the hours these tests merge are hours past: their lines would otherwise go to whole-hour shards (shard-set.ts)
  hourShardsAfterMs: null,
  relations: { ...STORE_DEFAULTS.relations, enabled: false },
  compaction: { ...COMPACTION_DEFAULTS, checkMs: 0, settleMs: 60_000, graceMs: 0 },
};

/** Lines spread over minutes of the hour starting `hour`: `perMinute` a minute, for `minutes` minutes. */
function spread(hour: number, minutes: number, perMinute: number, tag: string): { line: string; receivedAt: number; source: string }[] {
  const out = [];
  for (let m = 0; m < minutes; m++)
    for (let i = 0; i < perMinute; i++) out.push({ line: `${tag} minute${m} line${i} host-${i % 7} ${i === 3 && m === 5 ? 'needle77' : 'hay'}`, receivedAt: hour + m * 60_000 + i * 1000, source: 's' });
  return out;
}

/** The number of rows of `catalog` matching an FTS expression, over every shard. */
function count(catalog: Catalog, expr: string | null): number {
  let n = 0;
  for (const s of catalog.list({ from: null, to: null })) {
    const r = new ShardReader(s.path);
    n += r.count(expr);
    r.close();
  }
  return n;
}

const info = shardInfo;

test('planMerges: closed, settled hours of two or more sealed, undamaged shards within maxRows, newest first', () => {
  const h = Date.UTC(2026, 11, 1, 10);
  const cfg = { ...COMPACTION_DEFAULTS, settleMs: 600_000, maxRows: 100 };
  const shards = [
    info('2026/12/01/10/0000-w0-0.db', h, 60_000),
    info('2026/12/01/10/0500-w1-0.db', h + 300_000, 60_000),
    // the next hour: one shard unsealed
    info('2026/12/01/11/0000-w0-0.db', h + HOUR, 60_000),
    info('2026/12/01/11/0100-w0-0.db', h + HOUR + 60_000, 60_000, { sealed: false }),
    // two hours on: too many rows
    info('2026/12/01/12/0000-w0-0.db', h + 2 * HOUR, 60_000, { rows: 60 }),
    info('2026/12/01/12/0100-w0-0.db', h + 2 * HOUR + 60_000, 60_000, { rows: 60 }),
    // three hours on: a merged shard and a late minute shard: merged again, as seq 1
    info('2026/12/01/13/hour-0.db', h + 3 * HOUR, HOUR, { replaces: ['2026/12/01/13/0000-w0-0.db'] }),
    info('2026/12/01/13/0700-w0-1.db', h + 3 * HOUR + 420_000, 60_000),
    // four hours on: a damaged one
    info('2026/12/01/14/0000-w0-0.db', h + 4 * HOUR, 60_000),
    info('2026/12/01/14/0100-w0-0.db', h + 4 * HOUR + 60_000, 60_000),
    // five hours on: one shard only
    info('2026/12/01/15/0000-w0-0.db', h + 5 * HOUR, 60_000),
  ];
  const damaged = (rel: string) => rel === '2026/12/01/14/0100-w0-0.db';
  const jobs = planMerges(shards, h + 6 * HOUR + 600_000, cfg, damaged, '/x');
  assert.deepEqual(
    jobs.map((j) => j.rel),
    ['2026/12/01/13/hour-1.db', '2026/12/01/10/hour-0.db'],
  );
  assert.deepEqual(jobs[0]!.replaces.sort(), ['2026/12/01/13/0000-w0-0.db', '2026/12/01/13/0700-w0-1.db', '2026/12/01/13/hour-0.db'], 'transitive');
  assert.equal(jobs[1]!.path, '/x/2026/12/01/10/hour-0.db');
  // not settled: an hour is merged settleMs after it ended
  assert.deepEqual(planMerges(shards.slice(0, 2), h + HOUR + 599_999, cfg, damaged, '/x'), []);
  assert.equal(planMerges(shards.slice(0, 2), h + HOUR + 600_000, cfg, damaged, '/x').length, 1);
});

test('planMerges leaves an hour of a few shards that each span it whole (lanes\' hour shards, a merged one and a late lane\'s)', () => {
  const h = Date.UTC(2026, 11, 1, 10);
  const cfg = { ...COMPACTION_DEFAULTS, settleMs: 600_000 };
  const now = h + 6 * HOUR;
  const whole = (rel: string, over: Partial<ShardInfo> = {}): ShardInfo => info(rel, h, HOUR, over);
  const lanes = [whole('2026/12/01/10/hour-w0-0.db'), whole('2026/12/01/10/hour-w1-0.db', { lane: 1 })];
  assert.deepEqual(planMerges(lanes, now, cfg, () => false, '/x'), []);
  assert.deepEqual(planMerges([whole('2026/12/01/10/hour-0.db'), whole('2026/12/01/10/hour-w0-1.db', { seq: 1 })], now, cfg, () => false, '/x'), []);
  // a minute shard among them: merged
  const withMinute = planMerges([...lanes, info('2026/12/01/10/0300-w0-0.db', h + 180_000, 60_000)], now, cfg, () => false, '/x');
  assert.deepEqual(withMinute.map((j) => [j.rel, j.sources.length]), [['2026/12/01/10/hour-0.db', 3]]);
  // more than a few: merged
  const many = Array.from({ length: WHOLE_HOUR_SHARDS_KEPT + 1 }, (_, i) => whole(`2026/12/01/10/hour-w0-${i}.db`, { seq: i }));
  assert.equal(planMerges(many, now, cfg, () => false, '/x').length, 1);
  assert.equal(planMerges(many.slice(0, WHOLE_HOUR_SHARDS_KEPT), now, cfg, () => false, '/x').length, 0);
});

test('a store merges a closed hour into one shard: the same lines and answers, the sources gone, after a restart too', async () => {
  const dir = tmp();
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  let store = new Store(dir, CONFIG, PLAIN_LANE);
  try {
    // several commits (partial blocks), both lanes
    for (let k = 0; k < 3; k++) await store.writer.write(spread(hour, 20, 12, `batch${k}`));
    await store.writer.flush();
    const before = store.catalog.list({ from: null, to: null });
    assert.ok(before.length >= 20, `minute shards: ${before.length}`);
    assert.ok(before.every((s) => s.sealed));
    const counts = [null, '"needle77"', '"hay"', '"batch1" AND "minute7"', '"absent"'].map((q) => count(store.catalog, q));
    const outcomes = await store.compact();
    assert.equal(outcomes.length, 1, JSON.stringify(outcomes));
    assert.equal(outcomes[0]!.error, undefined);
    assert.equal(outcomes[0]!.rows, 3 * 20 * 12);
    const after = store.catalog.list({ from: null, to: null });
    assert.deepEqual(after.map((s) => s.rel), [outcomes[0]!.rel]);
    assert.equal(after[0]!.slotStart, hour);
    assert.equal(after[0]!.slotEnd, hour + HOUR);
    assert.deepEqual([null, '"needle77"', '"hay"', '"batch1" AND "minute7"', '"absent"'].map((q) => count(store.catalog, q)), counts);
    // graceMs 0: the sources go at once
    await new Promise((r) => setTimeout(r, 50));
    for (const s of before) assert.equal(existsSync(s.path), false, `${s.rel} deleted`);
    await store.close();
    store = new Store(dir, CONFIG, PLAIN_LANE);
    assert.deepEqual(store.catalog.list({ from: null, to: null }).map((s) => s.rel), [outcomes[0]!.rel]);
    assert.deepEqual([null, '"needle77"'].map((q) => count(store.catalog, q)), counts.slice(0, 2));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an hour's lines that arrive after it settled go to the lanes' whole-hour shards, which the store leaves as they are", async () => {
  const dir = tmp();
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  const store = new Store(dir, { ...CONFIG, hourShardsAfterMs: 600_000 }, PLAIN_LANE);
  try {
    for (let k = 0; k < 3; k++) await store.writer.write(spread(hour, 20, 12, `batch${k}`));
    await store.writer.flush();
    const listed = store.catalog.list({ from: null, to: null });
    // one file per lane and commit here (sealIdleMs 0 seals each between writes), not one per minute
    assert.ok(listed.length >= 1 && listed.length <= Math.min(3, WHOLE_HOUR_SHARDS_KEPT), listed.map((s) => s.rel).join(', '));
    assert.ok(listed.every((s) => /\/hour-w\d+-\d+\.db$/.test(s.rel) && s.slotStart === hour && s.slotEnd === hour + HOUR && s.sealed));
    assert.equal(listed.reduce((n, s) => n + s.rows, 0), 3 * 20 * 12);
    assert.deepEqual([count(store.catalog, '"needle77"'), count(store.catalog, '"batch1" AND "minute7"')], [3, 12]);
    assert.deepEqual(await store.compact(), [], 'nothing to merge');
    assert.equal(store.stats().compaction.merges, 0);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a late line for a merged hour is kept in a new file (never under a merged source name), and the next round merges it in', async () => {
  const dir = tmp();
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  let store = new Store(dir, CONFIG, PLAIN_LANE);
  try {
    await store.writer.write(spread(hour, 3, 5, 'early'));
    await store.writer.flush();
    const sources = store.catalog.list({ from: null, to: null }).map((s) => s.rel);
    const [first] = await store.compact();
    assert.equal(first!.error, undefined);
    await new Promise((r) => setTimeout(r, 50));
    // the minute of the first source again: its file name is free on disk, but a merge replaced it
    await store.writer.write([{ line: 'late arrival lateneedle', receivedAt: hour + 1000, source: 's' }]);
    await store.writer.flush();
    const late = store.catalog.list({ from: null, to: null }).filter((s) => s.rel !== first!.rel);
    assert.equal(late.length, 1);
    assert.ok(!sources.includes(late[0]!.rel), `${late[0]!.rel} is not one of ${sources.join(', ')}`);
    await store.close();
    // a restart keeps the late line: its file is not taken for a merge's leftover
    store = new Store(dir, CONFIG, PLAIN_LANE);
    assert.equal(count(store.catalog, '"lateneedle"'), 1);
    assert.equal(count(store.catalog, null), 3 * 5 + 1);
    const [second] = await store.compact();
    assert.equal(second!.error, undefined);
    assert.match(second!.rel, /hour-1\.db$/);
    const listed = store.catalog.list({ from: null, to: null });
    assert.deepEqual(listed.map((s) => s.rel), [second!.rel]);
    assert.ok(listed[0]!.replaces!.includes(sources[0]!), 'the first merge\'s sources are named again');
    assert.equal(count(store.catalog, '"lateneedle"'), 1);
    assert.equal(count(store.catalog, null), 3 * 5 + 1);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a merge interrupted after its rename (sources still listed and on disk): the next start lists the merged shard only and deletes the sources', async () => {
  const dir = tmp();
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  const store = new Store(dir, CONFIG, PLAIN_LANE);
  let sources: ShardInfo[] = [];
  try {
    await store.writer.write(spread(hour, 4, 6, 'x'));
    await store.writer.flush();
    sources = store.catalog.list({ from: null, to: null });
  } finally {
    await store.close();
  }
  try {
    // what the worker does, without the catalog's swap
    const shardsDir = join(dir, 'shards');
    const jobs = planMerges(sources, Date.now(), { ...COMPACTION_DEFAULTS, settleMs: 0 }, () => false, shardsDir);
    assert.equal(jobs.length, 1);
    const j = jobs[0]!;
    mergeShards(j.sources, j.path, { slotStart: j.hourStart, slotMs: HOUR, lane: 0, replaces: j.replaces });
    const reader = new Catalog(dir, 60_000, false);
    assert.deepEqual(reader.list({ from: null, to: null }).map((s) => s.rel), [j.rel], 'a reader lists the merged shard alone');
    assert.ok(sources.every((s) => existsSync(s.path)), 'a reader deletes nothing');
    reader.close();
    const writer = new Catalog(dir, 60_000, true);
    assert.deepEqual(writer.list({ from: null, to: null }).map((s) => s.rel), [j.rel]);
    assert.equal(count(writer, null), 4 * 6);
    assert.ok(sources.every((s) => !existsSync(s.path)), 'a writer deletes the leftovers');
    assert.deepEqual(writer.problems, []);
    writer.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('onMerge hears of each hour merged: the hour, its shards, lines, bytes before and after, and the time it took; a failed merge is a problem instead', async () => {
  const dir = tmp();
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  const reports: MergeReport[] = [];
  const store = new Store(dir, CONFIG, PLAIN_LANE, {}, { onMerge: (r) => reports.push(r), onProblem: () => undefined });
  try {
    await store.writer.write([...spread(hour, 5, 4, 'a'), ...spread(hour - 2 * HOUR, 3, 4, 'b')]);
    await store.writer.flush();
    const sources = store.catalog.list({ from: null, to: null }).filter((s) => s.slotStart >= hour);
    const bytes = sources.reduce((n, s) => n + s.bytes, 0);
    // the older hour fails: one of its shards is gone from the disk
    const older = store.catalog.list({ from: null, to: null }).find((s) => s.slotStart < hour)!;
    rmSync(older.path);
    const outcomes = await store.compact();
    assert.deepEqual(outcomes.map((o) => o.error === undefined), [true, false]);
    assert.equal(reports.length, 1, 'one report, for the hour merged');
    const r = reports[0]!;
    const merged = store.catalog.list({ from: null, to: null }).find((s) => s.rel === r.rel)!;
    assert.deepEqual({ ...r, ms: 0, message: '' }, { hourStart: hour, rel: outcomes[0]!.rel, sources: sources.length, rows: 20, bytesBefore: bytes, bytesAfter: merged.bytes, ms: 0, message: '' });
    assert.ok(Number.isInteger(r.ms) && r.ms >= 0, `ms ${r.ms}`);
    const iso = new Date(hour).toISOString();
    assert.equal(r.message, `store: merged the ${sources.length} shards of the hour from ${iso} into ${r.rel}: 20 lines, ${bytes} bytes before, ${merged.bytes} after, in ${r.ms} ms`);
    assert.match(store.catalog.problems.join('\n'), /were not merged/);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stats().compaction counts the merges since start (hours, shards, lines, failures, the last one), and whether a round runs; mergedShards the hour shards kept', async () => {
  const dir = tmp();
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  let store = new Store(dir, CONFIG, PLAIN_LANE, {}, { onProblem: () => undefined });
  try {
    await store.writer.write([...spread(hour, 5, 4, 'a'), ...spread(hour - 2 * HOUR, 3, 4, 'b')]);
    await store.writer.flush();
    const sources = store.catalog.list({ from: null, to: null }).filter((s) => s.slotStart >= hour).length;
    rmSync(store.catalog.list({ from: null, to: null }).find((s) => s.slotStart < hour)!.path);
    const none = { merges: 0, shardsMerged: 0, rowsMerged: 0, failures: 0, deferred: 0, waiting: 0, lastMergeAt: null, running: false };
    assert.deepEqual(store.stats().compaction, none);
    const t0 = Date.now();
    const round = store.compact();
    assert.equal(store.stats().compaction.running, true);
    await round;
    const { lastMergeAt, ...counts } = store.stats().compaction;
    assert.deepEqual(counts, { merges: 1, shardsMerged: sources, rowsMerged: 20, failures: 1, deferred: 0, waiting: 0, running: false });
    assert.ok(lastMergeAt !== null && lastMergeAt >= t0 && lastMergeAt <= Date.now(), `lastMergeAt ${lastMergeAt}`);
    assert.equal(store.stats().mergedShards, 1);
    await store.close();
    store = new Store(dir, CONFIG, PLAIN_LANE, {}, { onProblem: () => undefined });
    assert.deepEqual(store.stats().compaction, none, 'since start: a new process counts from 0');
    assert.equal(store.stats().mergedShards, 1, 'the hour shard is still there');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a merge's temporary files left by a stop are deleted when a writer opens the store; a reader leaves them, and nothing else goes", async () => {
  const dir = tmp();
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  let store = new Store(dir, CONFIG, PLAIN_LANE);
  let shards: ShardInfo[] = [];
  try {
    await store.writer.write(spread(hour, 3, 4, 'x'));
    await store.writer.flush();
    shards = store.catalog.list({ from: null, to: null });
  } finally {
    await store.close();
  }
  try {
    const hourDir = dirname(shards[0]!.path);
    // what a merge stopped part-way leaves: its shard half built (a SQLite file), maybe a journal beside it
    copyFileSync(shards[0]!.path, `${join(dir, 'shards', mergedShardRelPath(hour, 0))}.tmp`);
    const strays = ['hour-0.db.tmp', 'hour-0.db.tmp-journal', 'hour-1.db.tmp-wal', 'hour-1.db.tmp-shm'].map((f) => join(hourDir, f));
    for (const f of strays.slice(1)) writeFileSync(f, 'x');
    // names that are not a merge's temporary file in an hour's folder
    mkdirSync(join(hourDir, 'sub'));
    const kept = [join(hourDir, 'hour-0.db.tmp.bak'), join(hourDir, 'hour-x.db.tmp'), join(hourDir, 'notes.tmp'), join(hourDir, 'sub', 'hour-0.db.tmp'), join(dir, 'shards', 'hour-0.db.tmp'), join(dir, 'hour-0.db.tmp')];
    for (const f of kept) writeFileSync(f, 'x');
    const reader = new Catalog(dir, 60_000, false);
    reader.close();
    assert.ok(strays.every((f) => existsSync(f)), 'a reader deletes nothing: a server beside it may be merging');
    store = new Store(dir, CONFIG, PLAIN_LANE);
    assert.deepEqual(strays.filter((f) => existsSync(f)), [], 'the stray temporary files are gone');
    assert.deepEqual(kept.filter((f) => !existsSync(f)), [], 'other files stay');
    assert.deepEqual(store.catalog.list({ from: null, to: null }).map((s) => [s.rel, s.rows]), shards.map((s) => [s.rel, s.rows]), 'the shards are untouched');
    assert.ok(shards.every((s) => existsSync(s.path)));
    assert.equal(count(store.catalog, null), 3 * 4);
    assert.deepEqual(store.catalog.problems, []);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Pids of this process's child processes (Linux: every thread's `children` file); null where /proc lacks them. */
function childPids(): number[] | null {
  const tasks = `/proc/${process.pid}/task`;
  if (!existsSync(`${tasks}/${process.pid}/children`)) return null;
  return readdirSync(tasks).flatMap((t) => readFileSync(`${tasks}/${t}/children`, 'utf8').trim().split(/\s+/).filter((x) => x !== '').map(Number));
}

test('merges run in a child process (what a merge allocated goes back to the system when it exits); one killed is a failure that keeps the hour as it is, and the next round merges it', { skip: childPids() === null ? 'no /proc/<pid>/task/*/children here' : false }, async () => {
  const dir = tmp();
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  const problems: string[] = [];
  const store = new Store(dir, CONFIG, PLAIN_LANE, {}, { onProblem: (m) => problems.push(m) });
  try {
    await store.writer.write(spread(hour, 6, 4, 'k'));
    await store.writer.flush();
    const before = childPids()!;
    const sources = store.catalog.list({ from: null, to: null }).map((s) => s.rel).sort();
    const round = store.compact();
    const started = childPids()!.filter((p) => !before.includes(p));
    assert.equal(started.length, 1, 'one merge process for the round');
    process.kill(started[0]!, 'SIGKILL');
    const outcomes = await round;
    assert.equal(outcomes.length, 1);
    assert.match(outcomes[0]!.error ?? '', /^store: the shard merge process failed \(killed by SIGKILL\); the hours it had not merged yet are searched as they are/);
    assert.ok(problems.some((p) => p === outcomes[0]!.error), 'one of the store problems');
    assert.equal(store.stats().compaction.failures, 1);
    assert.deepEqual(store.catalog.list({ from: null, to: null }).map((s) => s.rel).sort(), sources, 'the hour kept as it was');
    assert.equal(count(store.catalog, '"needle77"'), 1);
    assert.deepEqual(childPids()!.filter((p) => !before.includes(p)), [], 'no merge process left');
    const again = await store.compact();
    assert.equal(again.length, 1);
    assert.equal(again[0]!.error, undefined, 'the next round merges it');
    assert.equal(store.stats().mergedShards, 1);
    assert.equal(count(store.catalog, null), 24);
    assert.equal(count(store.catalog, '"needle77"'), 1);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('closing the store during a merge stops its process: the round ends without a failure counted, and no process is left', { skip: childPids() === null ? 'no /proc/<pid>/task/*/children here' : false }, async () => {
  const dir = tmp();
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  const problems: string[] = [];
  const store = new Store(dir, CONFIG, PLAIN_LANE, {}, { onProblem: (m) => problems.push(m) });
  try {
    await store.writer.write(spread(hour, 5, 4, 'c'));
    await store.writer.flush();
    const before = childPids()!;
    const round = store.compact();
    assert.equal(childPids()!.filter((p) => !before.includes(p)).length, 1);
    await store.close();
    const outcomes = await round;
    assert.ok(outcomes.every((o) => o.error === undefined || !o.error.includes('merge process failed')), JSON.stringify(outcomes));
    assert.deepEqual(problems.filter((p) => p.includes('merge process')), []);
    assert.deepEqual(childPids()!.filter((p) => !before.includes(p)), [], 'no merge process left');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
