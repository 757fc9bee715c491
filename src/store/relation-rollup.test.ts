import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { RelationWriter } from './relation-writer.js';
import { RelationIndex } from './relation-reader.js';
import { CREATE_RELATION_SQL, RELATIONS_DIR } from './relation-files.js';
import { buildDayRollup, dayFiles, daysToRollUp, mergePeriodFiles, openRollupDb, removeRollupsBefore, rollupJobs, validRollup, validRollups } from './relation-rollup.js';
import { Store, STORE_DEFAULTS } from './store.js';
import { PLAIN_LANE } from './testing/lanes.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const D0 = Date.UTC(2026, 10, 20);
const DAY_DIR = '2026/11/20';
const tmp = (): string => mkdtempSync(join(tmpdir(), 'nml-rollup-'));
const edge = (kind: string, from: string, to: string) => ({ kind, from, to });
const all = { from: null, to: null };

/** Two lanes, three hours of day D0 and one hour of the next day. */
function writeDay(dir: string): void {
  const root = join(dir, RELATIONS_DIR);
  const lanes = [0, 1].map((lane) => new RelationWriter({ dir: root, lane, periodMs: HOUR, maxOpen: 4 }));
  for (let h = 0; h < 3; h++) {
    lanes[h % 2]!.append([
      { time: D0 + h * HOUR + 10, relations: [edge('flow', 'ip:10.0.0.5', 'ip:198.51.100.66'), edge('query', 'ip:10.0.0.5', 'domain:evil.example')] },
      { time: D0 + h * HOUR + 20, relations: [edge('flow', `ip:10.0.0.${10 + h}`, 'ip:198.51.100.66')] },
    ]);
    lanes[(h + 1) % 2]!.append([{ time: D0 + h * HOUR + 30, relations: [edge('flow', 'ip:10.0.0.5', 'ip:198.51.100.66')] }]);
  }
  lanes[0]!.append([{ time: D0 + DAY + 5, relations: [edge('flow', 'ip:10.0.0.5', 'ip:203.0.113.7')] }]);
  for (const l of lanes) l.closeAll();
}

function settle(dayDir: string): void {
  for (const n of readdirSync(dayDir)) utimesSync(join(dayDir, n), new Date(), new Date(Date.now() - HOUR));
}

const sorted = <T>(xs: T[]): T[] => xs.map((x) => JSON.stringify(x)).sort().map((s) => JSON.parse(s) as T);

test('a day roll-up answers whole-day questions with the same edges as the period files; part of a day still reads the hours', () => {
  const dir = tmp();
  try {
    writeDay(dir);
    const before = new RelationIndex(dir);
    const edgesBefore = sorted(before.edges('ip:10.0.0.5', all));
    const intoBefore = sorted(before.edges('ip:198.51.100.66', all, { direction: 'in' }));
    const fanBefore = [...before.fanIn(['ip:198.51.100.66'], ['flow'], all)];
    assert.equal(before.files(all).length, 7, 'six period files on the day, one the next');
    before.close();

    const r = buildDayRollup(join(dir, RELATIONS_DIR, DAY_DIR), { dayStart: D0 });
    assert.ok(r.path !== null, r.reason);
    assert.equal(r.files, 6);
    assert.equal(r.rows, 5, 'flow and query of 10.0.0.5, three other hosts: merged over lanes and hours');

    const idx = new RelationIndex(dir);
    const files = idx.files(all);
    assert.equal(files.length, 2, 'the roll-up and the next day');
    assert.deepEqual([files[0]!.start, files[0]!.end, files[0]!.lane], [D0, D0 + 3 * HOUR, -1], 'it stands for the hours it merged');
    assert.deepEqual(sorted(idx.edges('ip:10.0.0.5', all)), edgesBefore);
    assert.deepEqual(sorted(idx.edges('ip:198.51.100.66', all, { direction: 'in' })), intoBefore);
    // the roll-up counts each source once (one row per edge), the period files once per file
    assert.deepEqual([...idx.fanIn(['ip:198.51.100.66'], ['flow'], all)], [['ip:198.51.100.66', 4]]);
    assert.ok(fanBefore[0]![1] > 4);
    assert.deepEqual([...idx.sourcesOf(['ip:198.51.100.66'], ['flow'], all).get('ip:198.51.100.66')!].sort(), ['ip:10.0.0.10', 'ip:10.0.0.11', 'ip:10.0.0.12', 'ip:10.0.0.5']);

    // the second hour only: period files, hour precision
    const hour = { from: D0 + HOUR, to: D0 + 2 * HOUR };
    assert.ok(idx.files(hour).every((f) => f.lane >= 0));
    assert.deepEqual(idx.edges('ip:198.51.100.66', hour, { direction: 'in' }).map((e) => [e.other, e.count]).sort(), [['ip:10.0.0.11', 1], ['ip:10.0.0.5', 2]]);
    // exactly the day: the roll-up
    assert.deepEqual(idx.files({ from: D0, to: D0 + DAY }).map((f) => f.lane), [-1]);
    idx.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a late line makes the roll-up stale: readers go back to the period files until it is built again', () => {
  const dir = tmp();
  try {
    writeDay(dir);
    const dayDir = join(dir, RELATIONS_DIR, DAY_DIR);
    // settled files: last written an hour ago (a roll-up merges only files unwritten for its settle time,
    // so a later write always gives a later modification time, whatever the clock's granularity)
    settle(dayDir);
    const first = buildDayRollup(dayDir, { dayStart: D0, settleMs: 600_000 });
    assert.ok(first.path !== null);
    const late = new RelationWriter({ dir: join(dir, RELATIONS_DIR), lane: 1, periodMs: HOUR, maxOpen: 4 });
    late.append([{ time: D0 + 2 * HOUR + 99, relations: [edge('flow', 'ip:10.0.0.5', 'ip:198.51.100.66')] }]);
    // open for writing (WAL beside it): the roll-up that merged it is not used
    assert.equal(validRollup(dayDir), null);
    // a new one stops before the open hour
    const partial = buildDayRollup(dayDir, { dayStart: D0 });
    assert.deepEqual([partial.files, partial.toMs], [4, 2 * HOUR], 'the open file stops the prefix');
    const writing = new RelationIndex(dir);
    assert.deepEqual(writing.files(all).map((f) => [f.lane, f.start - D0]).slice(0, 3), [[-1, 0], [0, 2 * HOUR], [1, 2 * HOUR]]);
    writing.close();
    late.closeAll();
    assert.equal(validRollup(dayDir)?.toMs, 2 * HOUR, 'still valid for its two hours');
    const idx = new RelationIndex(dir);
    assert.equal(idx.edges('ip:10.0.0.5', all).find((e) => e.kind === 'flow' && e.other === 'ip:198.51.100.66')!.count, 7, 'the late line counts');
    idx.close();
    assert.deepEqual(daysToRollUp(join(dir, RELATIONS_DIR), Date.now(), 0).map((d) => d.dir), [dayDir, join(dir, RELATIONS_DIR, '2026/11/21')], 'due again, and the next day never had one');
    const again = buildDayRollup(dayDir, { dayStart: D0 });
    assert.ok(again.path !== null);
    assert.deepEqual(readdirSync(dayDir).filter((n) => n.startsWith('day-rollup-')), [basename(again.path)], 'the old roll-up is removed');
    assert.notEqual(again.path, first.path);
    const idx2 = new RelationIndex(dir);
    assert.equal(idx2.files(all)[0]!.lane, -1);
    assert.equal(idx2.edges('ip:10.0.0.5', all).find((e) => e.kind === 'flow' && e.other === 'ip:198.51.100.66')!.count, 7);
    idx2.close();
    // retention that cut into the day removes its roll-up
    assert.equal(removeRollupsBefore(join(dir, RELATIONS_DIR), D0 + HOUR).removed, 1);
    assert.equal(existsSync(again.path), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a day in progress is rolled up as its hours close: the roll-up answers for its prefix, the open hour is read from its files', () => {
  const dir = tmp();
  try {
    writeDay(dir);
    const dayDir = join(dir, RELATIONS_DIR, DAY_DIR);
    // as if it were 02:30 on D0: hours 0 and 1 closed and last written a minute after they ended
    for (const n of readdirSync(dayDir)) {
      const h = Number(n.slice(0, 2));
      utimesSync(join(dayDir, n), new Date(), new Date(D0 + (h + 1) * HOUR + 60_000));
    }
    const now = D0 + 2 * HOUR + 30 * 60_000;
    const before = new RelationIndex(dir);
    const expected = sorted(before.edges('ip:198.51.100.66', all, { direction: 'in' }));
    before.close();
    assert.deepEqual(daysToRollUp(join(dir, RELATIONS_DIR), now, 10 * 60_000).map((d) => d.start), [D0]);
    const r = buildDayRollup(dayDir, { dayStart: D0, now, settleMs: 10 * 60_000 });
    assert.ok(r.path !== null, r.reason);
    assert.deepEqual([r.files, r.toMs], [4, 2 * HOUR], 'two lanes × hours 0 and 1');
    assert.deepEqual(daysToRollUp(join(dir, RELATIONS_DIR), now, 10 * 60_000), [], 'nothing more settled');
    const idx = new RelationIndex(dir);
    const files = idx.files({ from: null, to: D0 + DAY });
    assert.deepEqual(files.map((f) => [f.lane, f.start - D0, f.end - D0]), [[-1, 0, 2 * HOUR], [0, 2 * HOUR, 3 * HOUR], [1, 2 * HOUR, 3 * HOUR]]);
    assert.deepEqual(sorted(idx.edges('ip:198.51.100.66', all, { direction: 'in' })), expected);
    // from hour 1: the roll-up's prefix is not covered whole, period files answer
    assert.ok(idx.files({ from: D0 + HOUR, to: null }).every((f) => f.lane >= 0));
    idx.close();
    // an hour later hour 2 has settled too: the prefix grows from the previous one, merging only hour 2
    const later = now + HOUR;
    for (const n of readdirSync(dayDir).filter((x) => x.startsWith('02'))) utimesSync(join(dayDir, n), new Date(), new Date(D0 + 3 * HOUR + 60_000));
    const grown = buildDayRollup(dayDir, { dayStart: D0, now: later, settleMs: 10 * 60_000 });
    assert.deepEqual([grown.files, grown.added, grown.toMs], [6, 2, 3 * HOUR]);
    const whole = new RelationIndex(dir);
    assert.deepEqual(whole.files({ from: null, to: D0 + DAY }).map((f) => f.lane), [-1], 'the grown prefix stands for all three hours');
    assert.deepEqual(sorted(whole.edges('ip:198.51.100.66', all, { direction: 'in' })), expected, 'the same edges as from the hourly files');
    whole.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('days are due for a roll-up only once they ended and settled; the store builds them in a worker', async () => {
  const dir = tmp();
  try {
    writeDay(dir);
    const root = join(dir, RELATIONS_DIR);
    // the files were just written: not settled for a 10-minute settle time
    assert.deepEqual(daysToRollUp(root, Date.now(), 600_000), []);
    // the current hour of today is not over
    const today = new RelationWriter({ dir: root, lane: 0, periodMs: HOUR, maxOpen: 4 });
    today.append([{ time: Date.now(), relations: [edge('flow', 'ip:10.0.0.5', 'ip:192.0.2.1')] }]);
    today.closeAll();
    const todayStart = Math.floor(Date.now() / DAY) * DAY;
    const due = daysToRollUp(root, Date.now() + 1000, 0);
    assert.deepEqual(due.map((d) => d.start), [D0, D0 + DAY], 'not today: its hour is not over');
    assert.ok(!due.some((d) => d.start === todayStart));
    const store = new Store(dir, { ...STORE_DEFAULTS, lanes: 1, relations: { enabled: true, periodMs: HOUR, rollupCheckMs: 0, rollupSettleMs: 0 } }, PLAIN_LANE);
    try {
      const out = await store.rollUp(Date.now());
      // each day's prefix and its 2- and 4-hour blocks that hold files (the default block lengths)
      assert.deepEqual(out.map((o) => [o.dir.slice(root.length + 1), (o.result?.fromMs ?? -1) / HOUR, (o.result?.toMs ?? -1) / HOUR, o.result?.files, o.error]), [
        [DAY_DIR, 0, 3, 6, undefined],
        [DAY_DIR, 0, 2, 4, undefined],
        [DAY_DIR, 2, 4, 2, undefined],
        [DAY_DIR, 0, 4, 6, undefined],
        ['2026/11/21', 0, 1, 1, undefined],
        ['2026/11/21', 0, 2, 1, undefined],
        ['2026/11/21', 0, 4, 1, undefined],
      ]);
      assert.deepEqual(await store.rollUp(Date.now()), [], 'nothing left to do (today is not over)');
    } finally {
      await store.close();
    }
    assert.notEqual(validRollup(join(root, DAY_DIR)), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('aligned blocks answer for part of a day: the largest roll-ups inside the range, the hours outside them from their files', () => {
  const dir = tmp();
  try {
    writeDay(dir);
    const root = join(dir, RELATIONS_DIR);
    const dayDir = join(root, DAY_DIR);
    const before = new RelationIndex(dir);
    const range = { from: D0 + HOUR, to: D0 + DAY };
    const expected = sorted(before.edges('ip:198.51.100.66', range, { direction: 'in' }));
    const expectedAll = sorted(before.edges('ip:10.0.0.5', all));
    before.close();
    const jobs = rollupJobs(root, Date.now(), 0, [2]);
    const mine = jobs.filter((j) => j.dir === dayDir).map((j) => (j.block === undefined ? 'prefix' : `${j.block.fromMs / HOUR}-${j.block.toMs / HOUR}`));
    assert.deepEqual(mine, ['prefix', '0-2', '2-4'], 'the prefix and the two 2-hour blocks that hold files');
    for (const j of jobs) assert.ok(buildDayRollup(j.dir, { dayStart: j.start, ...(j.block === undefined ? {} : { block: j.block }) }).path !== null);
    assert.deepEqual(rollupJobs(root, Date.now(), 0, [2]), [], 'all built');
    assert.equal(validRollups(dayDir).length, 3);
    const idx = new RelationIndex(dir);
    // from 01:00: hour 1 from its two files, hours 2–3 from their block (the prefix and block 0–2 start before the range)
    assert.deepEqual(idx.files(range).filter((f) => f.start < D0 + DAY).map((f) => [f.lane, (f.start - D0) / HOUR, (f.end - D0) / HOUR]), [
      [0, 1, 2],
      [1, 1, 2],
      [-1, 2, 4],
    ]);
    assert.deepEqual(sorted(idx.edges('ip:198.51.100.66', range, { direction: 'in' })), expected);
    // the whole day: the prefix (0–3 h) is the largest; block 2–4 overlaps it and is not used
    assert.deepEqual(idx.files({ from: D0, to: D0 + DAY }).map((f) => [f.lane, (f.start - D0) / HOUR, (f.end - D0) / HOUR]), [[-1, 0, 3]]);
    assert.deepEqual(sorted(idx.edges('ip:10.0.0.5', all)), expectedAll);
    idx.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a period file whose emptied WAL a reader kept is not open for writing once quiet: its day is rolled up', () => {
  const dir = tmp();
  try {
    const root = join(dir, RELATIONS_DIR);
    const w = new RelationWriter({ dir: root, lane: 0, periodMs: HOUR, maxOpen: 4 });
    for (let h = 0; h < 3; h++) w.append([{ time: D0 + h * HOUR + 10, relations: [edge('flow', 'ip:10.0.0.5', `ip:198.51.100.${h}`)] }]);
    // an investigation pivot while the hours are open: the reader's connection keeps the WAL when the writer closes
    const idx = new RelationIndex(dir);
    assert.equal(idx.edges('ip:10.0.0.5', all).length, 3);
    w.closeAll();
    idx.close();
    const dayDir = join(root, DAY_DIR);
    const wals = readdirSync(dayDir).filter((n) => n.endsWith('-wal'));
    assert.ok(wals.length > 0, 'the situation of the bug: WAL files left beside closed periods');
    settle(dayDir);
    const now = Date.now();
    assert.deepEqual(rollupJobs(root, now, 0, []).map((j) => j.dir), [dayDir]);
    const built = buildDayRollup(dayDir, { dayStart: D0, now, settleMs: 0 });
    assert.equal(built.files, 3);
    assert.notEqual(built.path, null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('period files a killed writer left open are recovered when the store opens, and their day is rolled up', async () => {
  const dir = tmp();
  try {
    const writerUrl = new URL(import.meta.url.endsWith('.ts') ? './relation-writer.ts' : './relation-writer.js', import.meta.url).href;
    const script = `
      const { RelationWriter } = await import(${JSON.stringify(writerUrl)});
      const w = new RelationWriter({ dir: ${JSON.stringify(join(dir, RELATIONS_DIR))}, lane: 0, periodMs: ${HOUR}, maxOpen: 4 });
      for (let h = 0; h < 3; h++) w.append([{ time: ${D0} + h * ${HOUR} + 10, relations: [{ kind: 'flow', from: 'ip:10.0.0.5', to: 'ip:198.51.100.' + h }] }]);
      process.kill(process.pid, 'SIGKILL');`;
    const r = spawnSync(process.execPath, [...process.execArgv, '--input-type=module', '-e', script]);
    assert.equal(r.signal, 'SIGKILL', r.stderr.toString());
    const dayDir = join(dir, RELATIONS_DIR, DAY_DIR);
    assert.ok(readdirSync(dayDir).some((n) => n.endsWith('-wal')), 'the killed writer left its WALs');
    const store = new Store(dir, { ...STORE_DEFAULTS, lanes: 1, relations: { enabled: true, periodMs: HOUR, rollupCheckMs: 0, rollupSettleMs: 0 } }, PLAIN_LANE);
    try {
      assert.deepEqual(readdirSync(dayDir).filter((n) => !n.endsWith('.db')), [], 'each period folded into one file');
      const out = await store.rollUp(Date.now() + 1000);
      assert.ok(out.some((o) => o.dir === dayDir && o.result?.files === 3 && o.result.fromMs === 0), JSON.stringify(out));
      assert.equal(new RelationIndex(dir).edges('ip:10.0.0.5', all).length, 3, 'every committed edge kept');
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty period file (a create that failed on a full disk) does not break its day\'s roll-up, is not left by a failed create, and is removed at open', async () => {
  const dir = tmp();
  try {
    const root = join(dir, RELATIONS_DIR);
    const dayDir = join(root, DAY_DIR);
    const w = new RelationWriter({ dir: root, lane: 0, periodMs: HOUR, maxOpen: 4 });
    w.append([{ time: D0 + 10, relations: [edge('flow', 'ip:10.0.0.5', 'ip:198.51.100.1')] }]);
    w.closeAll();
    // hour 1 cannot be created (a directory where its WAL must go, as a failing disk): no file is left
    mkdirSync(join(dayDir, '010000-3600s-w0.db-wal'));
    assert.throws(() => w.append([{ time: D0 + HOUR + 10, relations: [edge('flow', 'ip:10.0.0.5', 'ip:198.51.100.2')] }]));
    assert.equal(existsSync(join(dayDir, '010000-3600s-w0.db')), false);
    rmSync(join(dayDir, '010000-3600s-w0.db-wal'), { recursive: true });
    // what such a create left before: an empty file
    writeFileSync(join(dayDir, '010000-3600s-w0.db'), '');
    settle(dayDir);
    const built = buildDayRollup(dayDir, { dayStart: D0, now: Date.now(), settleMs: 600_000 });
    assert.equal(built.files, 1, 'the empty file is skipped, not merged');
    const store = new Store(dir, { ...STORE_DEFAULTS, lanes: 1, relations: { enabled: true, periodMs: HOUR, rollupCheckMs: 0 } }, PLAIN_LANE);
    await store.close();
    assert.equal(existsSync(join(dayDir, '010000-3600s-w0.db')), false, 'removed when the store opened');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a period file retention removes between the listing and the merge is skipped, not re-created as an empty file', () => {
  const dir = tmp();
  try {
    writeDay(dir);
    const dayDir = join(dir, RELATIONS_DIR, DAY_DIR);
    const names = dayFiles(dayDir).files.map((f) => f.name);
    assert.equal(names.length, 6);
    // retention, between the roll-up's listing and its ATTACH
    rmSync(join(dayDir, names[0]!));
    const target = join(dayDir, 'day-rollup-1.db.tmp');
    const db = openRollupDb(target, null);
    try {
      for (const sql of CREATE_RELATION_SQL) db.exec(sql);
      assert.equal(mergePeriodFiles(db, dayDir, names), 5, 'the five files left are merged');
    } finally {
      db.close();
    }
    assert.equal(existsSync(join(dayDir, names[0]!)), false, 'the removed file did not come back (empty)');
    rmSync(target);
    // the whole build: its listing sees the file gone, and the roll-up merges the others
    const r = buildDayRollup(dayDir, { dayStart: D0 });
    assert.ok(r.path !== null, r.reason);
    assert.equal(r.files, 5);
    assert.equal(existsSync(join(dayDir, names[0]!)), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
