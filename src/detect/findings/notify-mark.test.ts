/** The webhooks' marks: the pure rules (notify-mark.ts) and the store's side (notify-marks-table.ts, on a real findings store). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coveredAtStart, covers, isAfter, laterMark, markOf, stillWaiting } from './notify-mark.js';
import { FindingsStore } from './store.js';
import type { NewFinding } from '../detector.js';
import type { NotifyMark, RaisedFinding } from './notify-message.js';

const finding = (entity: string): NewFinding => ({ detector: 'url', entity, score: 0.99, threshold: 0.9, modelVersion: 't', time: 1_700_000_000_000, explanation: { summary: 'x', detail: null }, evidence: { query: entity, from: 0, to: 1 } });
const raised = (id: number, kind: 'new' | 'reopened', logId?: number): RaisedFinding => ({ finding: { id } as RaisedFinding['finding'], raised: kind, ...(logId === undefined ? {} : { logId }) });
const mark = (f: number, r: number): NotifyMark => ({ finding: f, reopen: r });

test("a record's mark is its highest new id and highest reopening's log id; one that raised none has none", () => {
  assert.deepEqual(markOf([raised(4, 'new'), raised(7, 'new'), raised(2, 'reopened', 30), raised(3, 'reopened', 12)]), mark(7, 30));
  assert.deepEqual(markOf([raised(2, 'reopened', 5)]), mark(0, 5));
  assert.equal(markOf([]), null);
  assert.deepEqual(laterMark(mark(7, 2), mark(3, 9)), mark(7, 9), 'each sequence on its own');
  assert.ok(covers(mark(7, 9), mark(7, 9)) && !covers(mark(7, 9), mark(8, 0)) && !covers(mark(7, 9), mark(0, 10)));
});

test('after a mark: a new finding by its id; a reopening by its log id, unless the finding itself is after the mark (it is announced as new, once)', () => {
  const covered = mark(10, 50);
  assert.equal(isAfter(raised(10, 'new'), covered), false, 'at the mark: done');
  assert.equal(isAfter(raised(11, 'new'), covered), true);
  assert.equal(isAfter(raised(4, 'reopened', 50), covered), false);
  assert.equal(isAfter(raised(4, 'reopened', 51), covered), true);
  assert.equal(isAfter(raised(11, 'reopened', 51), covered), false, 'made after the mark: its new entry announces it');
  assert.equal(isAfter(raised(4, 'reopened'), covered), false, 'a reopening without its log id is not placed');
});

test("covered at start: the mark and the outbox's messages; a message the mark covers was done after the outbox's last write and is left out", () => {
  const kept = [{ batch: { upTo: mark(5, 1) } }, { batch: { upTo: mark(8, 3) } }, { batch: {} }];
  assert.deepEqual(coveredAtStart(mark(2, 1), kept), mark(8, 3));
  assert.deepEqual(coveredAtStart(mark(9, 0), kept), mark(9, 3));
  assert.deepEqual(coveredAtStart(mark(2, 1), []), mark(2, 1));
  const left = stillWaiting(kept, mark(5, 1));
  assert.equal(left.done, 1);
  assert.deepEqual(left.waiting, [kept[1], kept[2]], 'one without upTo (an older outbox) is kept');
});

test('the store: raisings after a mark, new by id and reopened once by its latest reopening, each as it stands; the limit keeps the latest and counts the rest', () => {
  let now = 1_000;
  const s = new FindingsStore(':memory:', () => now);
  try {
    const heard: Array<readonly (number | null)[]> = [];
    s.subscribe((_rows, _sightings, logIds) => heard.push(logIds));
    s.record([finding('url:a/'), finding('url:b/')]);
    const table = s.notifyMarks();
    const before = table.current();
    assert.deepEqual(before, mark(2, 0));
    now = 2_000;
    s.triage(1, 'resolved', null, 'ann', now);
    s.record([finding('url:a/'), finding('url:c/')]);
    s.triage(1, 'resolved', null, 'ann', now);
    s.record([finding('url:a/'), finding('url:b/')]);
    assert.deepEqual(heard.map((ids) => ids.map((x) => x !== null)), [[false, false], [true, false], [true, false]], "the listener hears each reopening's log id");
    const { raised: since, leftOut } = table.raisedSince(before, 0, 100);
    assert.equal(leftOut, 0);
    assert.deepEqual(since.map((r) => `${r.finding.entity}:${r.raised}`), ['url:c/:new', 'url:a/:reopened']);
    assert.equal(since[1]!.logId, heard[2]![0], 'the latest reopening');
    assert.equal(since[1]!.finding.count, 3, 'as it stands now');
    assert.deepEqual(table.raisedSince(before, 2_001, 100).raised, [], 'older than notBefore: none');
    assert.deepEqual(table.raisedSince(table.current(), 0, 100).raised, [], 'nothing after the latest mark');
    s.record(Array.from({ length: 5 }, (_, i) => finding(`url:flood${i}/`)));
    const capped = table.raisedSince(mark(3, Number.MAX_SAFE_INTEGER), 0, 2);
    assert.deepEqual(capped.raised.map((r) => r.finding.entity), ['url:flood3/', 'url:flood4/']);
    assert.equal(capped.leftOut, 3);
  } finally {
    s.close();
  }
});

test('the store keeps one mark per webhook by place and URL digest; a save replaces them all', () => {
  const s = new FindingsStore(':memory:');
  try {
    const table = s.notifyMarks();
    assert.deepEqual(table.read(), []);
    table.save([{ index: 0, urlHash: 'h0', mark: mark(3, 4) }, { index: 1, urlHash: 'h1', mark: mark(5, 6) }]);
    table.save([{ index: 0, urlHash: 'h1', mark: mark(7, 8) }]);
    assert.deepEqual(table.read(), [{ index: 0, urlHash: 'h1', mark: mark(7, 8) }]);
  } finally {
    s.close();
  }
});
