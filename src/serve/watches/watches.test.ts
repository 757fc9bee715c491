/**
 * Watches: the store's checks (name unique whatever its case, the search's own query compiler, spans and
 * threshold, the cap) and the evaluator: a count at the threshold records a finding, one below does not;
 * watches are counted one after another, never two at once; a failed count is kept as the watch's error
 * and logged once per streak; an edit is counted at once; close() waits for the count under way and
 * nothing is recorded after it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../core/index.js';
import { FindingsStore, type NewFinding } from '../../detect/index.js';
import { countedQuery, watchFinding, WatchEvaluator, WatchStore, type WatchCount } from './index.js';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as AppError).code;
  }
  return 'no error';
};

test('the store checks a watch as the search would, keeps names unique whatever their case, and holds to its cap', () => {
  const s = new WatchStore(':memory:', { max: 2, now: () => 1000 });
  try {
    const w = s.add({ name: ' Failed logins ', query: '"failed password"', threshold: 50 }, 'alice');
    assert.deepEqual({ ...w, last: w.last }, { id: 1, name: 'Failed logins', query: '"failed password"', window: '5m', every: '1m', threshold: 50, enabled: true, createdBy: 'alice', createdAt: 1000, updatedAt: 1000, last: null });
    assert.equal(code(() => s.add({ name: 'FAILED LOGINS', query: 'x', threshold: 1 }, null)), 'WATCH_EXISTS');
    assert.equal(code(() => s.add({ name: 'q', query: 'a OR (b', threshold: 1 }, null)), 'QUERY_SYNTAX');
    assert.equal(code(() => s.add({ name: 'q', query: 'hots:web', threshold: 1 }, null)), 'QUERY_SYNTAX');
    assert.equal(code(() => s.add({ name: 'q', query: 'x', threshold: 0 }, null)), 'WATCH_INVALID');
    assert.equal(code(() => s.add({ name: 'q', query: 'x', threshold: 1.5 }, null)), 'WATCH_INVALID');
    assert.equal(code(() => s.add({ name: 'q', query: 'x', threshold: 1, window: '30s' }, null)), 'WATCH_INVALID', 'a window under 1m');
    assert.equal(code(() => s.add({ name: 'q', query: 'x', threshold: 1, window: '8d' }, null)), 'WATCH_INVALID', 'a window over 7d');
    assert.equal(code(() => s.add({ name: 'q', query: 'x', threshold: 1, every: '10s' }, null)), 'WATCH_INVALID', 'every under 30s');
    assert.equal(code(() => s.add({ name: 'q', query: 'x', threshold: 1, every: 'soon' }, null)), 'WATCH_INVALID');
    assert.equal(code(() => s.add({ name: 'a\nb', query: 'x', threshold: 1 }, null)), 'WATCH_INVALID');
    assert.equal(code(() => s.add({ name: '', query: 'x', threshold: 1 }, null)), 'WATCH_INVALID');
    s.add({ name: 'second', query: 'sshd', threshold: 1, every: '30s', window: '7d' }, null);
    assert.equal(code(() => s.add({ name: 'third', query: 'x', threshold: 1 }, null)), 'WATCH_LIMIT');

    s.recordRun(1, { at: 2000, from: 0, to: 2000, count: 7, fired: false });
    assert.equal(s.update(1, { enabled: false }).last?.count, 7, 'switching it off keeps what it counted');
    assert.equal(s.update(1, { threshold: 5 }).last, null, 'a new threshold forgets the last count');
    assert.equal(code(() => s.update(1, { name: 'SECOND' })), 'WATCH_EXISTS');
    assert.equal(s.update(1, { name: 'FAILED logins' }).name, 'FAILED logins', 'its own name in another case');
    assert.equal(code(() => s.update(99, { enabled: true })), 'WATCH_NOT_FOUND');
    assert.equal(s.remove(1).name, 'FAILED logins');
    assert.equal(code(() => s.remove(1)), 'WATCH_NOT_FOUND');
    assert.equal(s.add({ name: 'again', query: 'x', threshold: 1 }, null).id, 3, 'ids are never reused');
  } finally {
    s.close();
  }
});

test("the counted query leaves out NML's own finding lines unless it asks for them", () => {
  assert.equal(countedQuery('failed password'), '(failed password) -app:nml-detect');
  assert.equal(countedQuery(''), '-app:nml-detect');
  assert.equal(countedQuery('app:nml-detect detector'), 'app:nml-detect detector');
});

interface Harness {
  store: WatchStore;
  findings: NewFinding[];
  logs: string[];
  clock: { t: number };
  evaluator: WatchEvaluator;
}

function harness(count: WatchCount): Harness {
  const clock = { t: Date.UTC(2026, 11, 8, 3, 41) };
  const store = new WatchStore(':memory:', { now: () => clock.t });
  const findings: NewFinding[] = [];
  const logs: string[] = [];
  const evaluator = new WatchEvaluator({ store, count, sink: { record: (f) => findings.push(...f) }, log: { info: (_f, m) => logs.push(`info ${m}`), warn: (_f, m) => logs.push(`warn ${m}`) }, now: () => clock.t, tickMs: 5 });
  return { store, findings, logs, clock, evaluator };
}

/** Resolves once `cond` holds (checked every 5 ms). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.fail(`never: ${what}`);
}

test('a count at the threshold records a finding with the watch as its entity; below it, none; every watch is counted, one at a time', async () => {
  let inFlight = 0;
  let most = 0;
  const counts: Record<string, number> = { '(failed password) -app:nml-detect': 412, '(sshd) -app:nml-detect': 3 };
  const h = harness(async (q) => {
    inFlight++;
    most = Math.max(most, inFlight);
    await new Promise((r) => setTimeout(r, 3));
    inFlight--;
    return { count: counts[q] ?? 0 };
  });
  try {
    for (let i = 0; i < 8; i++) h.store.add({ name: `quiet ${i}`, query: 'sshd', threshold: 50 }, null);
    const w = h.store.add({ name: 'failed logins', query: 'failed password', threshold: 50 }, null);
    h.store.add({ name: 'off', query: 'failed password', threshold: 1, enabled: false }, null);
    h.evaluator.start();
    await until(() => h.store.list().filter((x) => x.enabled).every((x) => x.last !== null), 'every enabled watch counted');
    assert.equal(most, 1, 'never two counts at once');
    assert.equal(h.findings.length, 1);
    const f = h.findings[0]!;
    assert.equal(f.detector, 'watch');
    assert.equal(f.entity, 'watch:failed logins');
    assert.equal(f.score, 1);
    assert.equal(f.threshold, 50);
    assert.equal(f.explanation.summary, '412 lines matched `failed password` in the 5 min to 03:41 UTC (threshold 50)');
    assert.deepEqual(f.evidence, { query: '(failed password) -app:nml-detect', from: h.clock.t - 300_000, to: h.clock.t });
    assert.deepEqual(f.explanation.detail, { watchId: w.id, count: 412, window: '5m', every: '1m', threshold: 50, from: h.clock.t - 300_000, to: h.clock.t });
    const last = h.store.list().find((x) => x.id === w.id)!.last!;
    assert.equal(last.count, 412);
    assert.equal(last.fired, true);
    assert.equal(h.store.list().find((x) => x.name === 'off')!.last, null, 'a disabled watch is not counted');
    assert.equal(h.evaluator.stats().evaluations, 9);

    // not due again until its `every` has passed; then counted again
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(h.findings.length, 1, 'not counted again before its every');
    h.clock.t += 60_000;
    await until(() => h.findings.length === 2, 'counted again a minute later');
  } finally {
    await h.evaluator.close();
    h.store.close();
  }
});

test('a count that left damaged shards out is kept as a lower bound: the last evaluation and the finding say how many', async () => {
  const h = harness(async () => ({ count: 60, skipped: [{ file: '2026/12/08/03/a.db' }, { file: '2026/12/08/03/b.db' }] }));
  try {
    const w = h.store.add({ name: 'partial', query: 'failed password', threshold: 50 }, null);
    h.evaluator.start();
    await until(() => h.findings.length === 1, 'the watch fired');
    assert.equal(h.findings[0]!.explanation.summary, '60 lines (at least: 2 damaged or missing shards left out) matched `failed password` in the 5 min to 03:41 UTC (threshold 50)');
    assert.equal((h.findings[0]!.explanation.detail as { skipped?: number }).skipped, 2);
    await until(() => h.store.get(w.id)?.last !== null, 'its run stored');
    assert.deepEqual(h.store.get(w.id)!.last, { at: h.clock.t, from: h.clock.t - 300_000, to: h.clock.t, count: 60, fired: true, skipped: 2 });
    // an edit of its threshold forgets the run, the skip with it
    h.store.update(w.id, { threshold: 70 });
    assert.equal(h.store.get(w.id)!.last, null);
  } finally {
    await h.evaluator.close();
    h.store.close();
  }
});

test('a failed count is kept as the watch error and logged once per streak; an edit is counted at once; nothing is recorded after close', async () => {
  let fail = true;
  let release: (() => void) | null = null;
  const h = harness(async (_q, _r, signal) => {
    if (fail) throw new AppError('STORE_SHARD_UNREADABLE', 'unavailable', 'store: shard 2026/12/08/03.db is damaged');
    // the edited watch's count waits until the test lets it go (or the close aborts it)
    await new Promise<void>((resolve, reject) => {
      release = resolve;
      signal?.addEventListener('abort', () => reject(new AppError('SEARCH_CANCELLED', 'unavailable', 'search: cancelled')));
    });
    return { count: 100 };
  });
  try {
    const w = h.store.add({ name: 'w', query: 'x', threshold: 1, every: '30s' }, null);
    h.evaluator.start();
    await until(() => h.store.get(w.id)!.last !== null, 'counted once');
    for (let i = 0; i < 3; i++) {
      h.clock.t += 30_000;
      const before = h.evaluator.stats().evaluations;
      await until(() => h.evaluator.stats().evaluations > before, 'counted again');
    }
    const last = h.store.get(w.id)!.last!;
    assert.equal(last.count, null);
    assert.deepEqual(last.error, { code: 'STORE_SHARD_UNREADABLE', message: 'store: shard 2026/12/08/03.db is damaged' });
    assert.equal(h.evaluator.stats().errors, 4);
    assert.equal(h.logs.filter((l) => l.startsWith('warn')).length, 1, `one warning for the streak: ${h.logs.join('\n')}`);

    // an edit is counted at once (no clock step), and the count under way holds close() until it ends
    fail = false;
    h.clock.t += 1;
    h.store.update(w.id, { threshold: 2 });
    h.evaluator.wake();
    await until(() => release !== null, 'the edited watch counted at once');
    let closed = false;
    const closing = h.evaluator.close().then(() => (closed = true));
    await closing;
    assert.equal(closed, true);
    assert.equal(h.findings.length, 0, 'a count cancelled by close records nothing');
    assert.equal(h.store.get(w.id)!.last, null, 'nor its evaluation');
  } finally {
    await h.evaluator.close();
    h.store.close();
  }
});

test('findings of a watch go through the findings store: repeated trips count, a resolved one reopens', () => {
  const findings = new FindingsStore(':memory:');
  const store = new WatchStore(':memory:');
  try {
    const w = store.add({ name: 'failed logins', query: 'failed password', threshold: 50 }, null);
    findings.record([watchFinding(w, 60, 0, 1000)]);
    findings.record([watchFinding(w, 70, 1000, 2000)]);
    const f = findings.list({ detector: 'watch' }).findings[0]!;
    assert.equal(f.count, 2);
    findings.triage(f.id, 'resolved', null, 'alice');
    findings.record([watchFinding(w, 80, 2000, 3000)]);
    const again = findings.get(f.id)!;
    assert.equal(again.triage.status, 'open');
    assert.ok(again.triage.reopenedAt !== null);
  } finally {
    findings.close();
    store.close();
  }
});
