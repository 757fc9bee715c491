import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FindingsStore } from './store.js';
import type { NewFinding } from '../detector.js';

function finding(over: Partial<NewFinding> = {}): NewFinding {
  return {
    detector: 'url',
    entity: 'url:evil.example/login',
    score: 0.9,
    threshold: 0.5,
    modelVersion: 'bob-test',
    time: 1_000,
    explanation: { summary: 'suspicious path', detail: { chars: [] } },
    evidence: { query: 'sub:"evil.example/login"', from: 0, to: 2_000 },
    ...over,
  };
}

test('a repeated sighting updates one row: count, span, highest score and its explanation', () => {
  const s = new FindingsStore(':memory:');
  s.record([finding()]);
  s.record([finding({ score: 0.7, time: 5_000, explanation: { summary: 'lower', detail: null } })]);
  s.record([finding({ score: 0.95, time: 3_000, explanation: { summary: 'higher', detail: null } })]);
  const { findings } = s.list();
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.count, 3);
  assert.equal(f.firstSeen, 1_000);
  assert.equal(f.lastSeen, 5_000);
  assert.equal(f.score, 0.95);
  assert.equal(f.explanation.summary, 'higher');
  assert.deepEqual(s.get(f.id), f);
  assert.equal(s.get(f.id + 100), null);
  s.close();
});

test('at an equal score the later sighting brings its explanation, an earlier one does not', () => {
  const s = new FindingsStore(':memory:');
  const scan = (time: number, summary: string): NewFinding => finding({ detector: 'syn', entity: 'ip:203.0.113.9', score: 1, time, explanation: { summary, detail: null }, evidence: { query: 'ip:203.0.113.9', from: 0, to: time } });
  s.record([scan(1_000, '49 SYNs to 49 ports')]);
  s.record([scan(61_000, '400 SYNs to 341 ports')]);
  s.record([scan(30_000, 'a late-arriving older sighting')]);
  const f = s.list().findings[0]!;
  assert.equal(f.count, 3);
  assert.equal(f.explanation.summary, '400 SYNs to 341 ports');
  assert.equal(f.time, 61_000);
  assert.equal(f.evidence.to, 61_000);
  assert.equal(f.lastSeen, 61_000);
  s.close();
});

test('a finding that tells its story so far (latest) brings its explanation at a lower score, unless it is older', () => {
  const s = new FindingsStore(':memory:');
  const flood = (score: number, time: number, summary: string): NewFinding => finding({ detector: 'syn-flood', entity: 'ip:203.0.113.5', score, time, latest: true, explanation: { summary, detail: null } });
  s.record([flood(0.99, 1_000, 'the first flood')]);
  s.record([flood(0.9, 9_000_000, 'the flood now, and the first')]);
  s.record([flood(0.95, 5_000, 'a late-arriving older sighting')]);
  const f = s.list().findings[0]!;
  assert.equal(f.explanation.summary, 'the flood now, and the first', 'before: "the first flood", the highest score\'s');
  assert.equal(f.time, 9_000_000);
  assert.equal(f.score, 0.99, 'the row keeps the highest score');
  assert.equal(f.count, 3);
  assert.equal('latest' in f, false, 'a merge rule, not stored');
  s.close();
});

test('evidence of the same search widens to cover every sighting, whichever wins; another search is the winner\'s', () => {
  const s = new FindingsStore(':memory:');
  const at = (score: number, from: number, to: number, query = 'ip:203.0.113.9'): NewFinding =>
    finding({ detector: 'syn', entity: 'ip:203.0.113.9', score, time: to - 1, evidence: { query, from, to } });
  s.record([at(0.99, 1_000, 5_000)]);
  // back on the board an hour later at a lower score: it loses on score, its stretch is still evidence
  s.record([at(0.96, 3_600_000, 3_700_000)]);
  assert.deepEqual(s.list().findings[0]!.evidence, { query: 'ip:203.0.113.9', from: 1_000, to: 3_700_000 });
  assert.equal(s.list().findings[0]!.score, 0.99);
  // a different search: the winner's alone (here the kept, higher one)
  s.record([at(0.5, 9_000_000, 9_000_500, 'app:other')]);
  assert.deepEqual(s.list().findings[0]!.evidence, { query: 'ip:203.0.113.9', from: 1_000, to: 3_700_000 });
  s.close();
});

test('sort=sighted lists the findings NML raised or saw again most recently first, whatever their events\' time, with an exact cursor', () => {
  const T = Date.UTC(2026, 11, 2);
  let now = T;
  const s = new FindingsStore(':memory:', () => now);
  // a live finding, then one from a year-old log loaded later: by event time the old one is last
  s.record([finding({ entity: 'ip:10.0.0.1', time: now - 60_000 })]);
  now += 1_000;
  for (let i = 0; i < 5; i++) s.record([finding({ entity: `url:old.example/${i}`, time: now - 365 * 86_400_000 + i })]);
  now += 1_000;
  assert.equal(s.list({ limit: 100 }).findings[0]!.entity, 'ip:10.0.0.1', 'newest event first by default');
  const sighted = s.list({ sort: 'sighted', limit: 100 }).findings;
  assert.deepEqual(sighted.map((f) => f.sightedAt), [T + 1_000, T + 1_000, T + 1_000, T + 1_000, T + 1_000, T]);
  assert.equal(sighted.at(-1)!.entity, 'ip:10.0.0.1');
  // seen again: it comes first again
  s.record([finding({ entity: 'ip:10.0.0.1', time: T + 500 })]);
  assert.equal(s.list({ sort: 'sighted', limit: 1 }).findings[0]!.entity, 'ip:10.0.0.1');
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = s.list({ sort: 'sighted', limit: 2, ...(cursor ? { cursor } : {}) });
    seen.push(...page.findings.map((f) => f.entity));
    cursor = page.next;
  } while (cursor !== undefined);
  assert.deepEqual(seen, s.list({ sort: 'sighted', limit: 100 }).findings.map((f) => f.entity), 'paging gives the same order, each once');
  assert.throws(() => s.list({ sort: 'lastSeen', cursor: s.list({ sort: 'sighted', limit: 1 }).next! }), { code: 'FINDINGS_CURSOR_INVALID' });
  s.close();
});

test('sort=triaged lists the finding a person set last first, those nobody set after them; triagedSince keeps the ones set since; the cursor is exact', () => {
  const T = Date.UTC(2026, 11, 7);
  const s = new FindingsStore(':memory:', () => T);
  s.record(Array.from({ length: 6 }, (_, i) => finding({ entity: `ip:10.0.0.${i + 1}`, time: T - i * 1_000 })));
  const id = (n: number) => s.find('url', `ip:10.0.0.${n}`)!.id;
  // the day shift closed 2 last week; the night shift 4, then 1, and acknowledged 5
  s.triage(id(2), 'resolved', 'old', 'day', T - 7 * 86_400_000);
  s.triage(id(4), 'resolved', 'blocked', 'night', T - 3 * 3_600_000);
  s.triage(id(1), 'false-positive', 'the proxy', 'night', T - 3_600_000);
  s.triage(id(5), 'acknowledged', '', 'night', T - 2 * 3_600_000);
  // a sighting reopens 4: not a person's change, its triage time stays
  s.record([finding({ entity: 'ip:10.0.0.4', time: T })]);
  const order = (q: Parameters<FindingsStore['list']>[0]) => s.list(q).findings.map((f) => f.entity.slice(-1));
  assert.deepEqual(order({ sort: 'triaged', limit: 100 }), ['1', '5', '4', '2', '6', '3'], 'newest triage first, then the untriaged newest raised first');
  assert.deepEqual(order({ sort: 'triaged', status: ['resolved', 'false-positive'], limit: 100 }), ['1', '2']);
  assert.deepEqual(order({ sort: 'triaged', triagedSince: T - 12 * 3_600_000, limit: 100 }), ['1', '5', '4'], 'the night shift\'s');
  assert.deepEqual(order({ sort: 'score', triagedSince: T - 12 * 3_600_000, limit: 100 }).sort(), ['1', '4', '5'], 'a filter with any sort');
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = s.list({ sort: 'triaged', limit: 2, ...(cursor ? { cursor } : {}) });
    seen.push(...page.findings.map((f) => f.entity.slice(-1)));
    cursor = page.next;
  } while (cursor !== undefined);
  assert.deepEqual(seen, ['1', '5', '4', '2', '6', '3'], 'paging over triaged and untriaged gives the same order, each once');
  assert.throws(() => s.list({ sort: 'sighted', cursor: s.list({ sort: 'triaged', limit: 1 }).next! }), { code: 'FINDINGS_CURSOR_INVALID' });
  s.close();
});

test("sort=triaged and sort=sighted (the Alerts page's default) read their order off an index, not a sort of every finding", async () => {
  const { default: Database } = await import('better-sqlite3');
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-'));
  try {
    const path = join(dir, 'findings.db');
    new FindingsStore(path).close();
    const db = new Database(path, { readonly: true });
    const plan = (key: string) => (db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM findings WHERE status IN (?) ORDER BY ${key} DESC, id DESC LIMIT 51`).all('resolved') as { detail: string }[]).map((r) => r.detail).join('; ');
    const triaged = plan('coalesce(status_at, -1)');
    assert.match(triaged, /findings_triaged/);
    assert.doesNotMatch(triaged, /TEMP B-TREE/, triaged);
    // until 2026-12 the page's default order sorted every finding: 7-13 ms a page of 50 of 10,000 findings
    const sighted = plan('sighted_at');
    db.close();
    assert.match(sighted, /findings_sighted/);
    assert.doesNotMatch(sighted, /TEMP B-TREE/, sighted);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sort=id pages through every finding that existed when paging began exactly once, while they are seen again (review: lastSeen paging skipped one)', () => {
  const fresh = (): FindingsStore => {
    const s = new FindingsStore(':memory:');
    for (let i = 1; i <= 6; i++) s.record([finding({ entity: `url:e${i}.example/`, time: i * 1_000, score: 0.5 + i / 100 })]);
    return s;
  };
  const before = ['url:e6.example/', 'url:e5.example/', 'url:e4.example/', 'url:e3.example/', 'url:e2.example/', 'url:e1.example/'];
  for (const sort of ['lastSeen', 'score', 'id'] as const) {
    const s = fresh();
    if (sort === 'id') assert.deepEqual(s.list({ sort: 'id', limit: 100 }).findings.map((f) => f.entity), before, 'most recently raised first');
    const seen: string[] = [];
    let cursor: string | undefined;
    let k = 0;
    do {
      const page = s.list({ sort, limit: 1, ...(cursor ? { cursor } : {}) });
      seen.push(...page.findings.map((f) => f.entity));
      cursor = page.next;
      // after the first page, the last finding is seen again: newer and higher than any
      if (k++ === 0) s.record([finding({ entity: 'url:e1.example/', time: 99_000 + k, score: 0.99 })]);
    } while (cursor !== undefined);
    if (sort === 'id') assert.deepEqual(seen, before, 'sort=id: each finding once, in the order paging began with');
    else assert.ok(!seen.includes('url:e1.example/'), `sort=${sort} follows live values: the finding moved ahead of the cursor (why sort=id exists)`);
    s.close();
  }
});

test('lists newest first or highest first with an exact cursor, filtered', () => {
  const s = new FindingsStore(':memory:');
  const all: NewFinding[] = [];
  for (let i = 0; i < 25; i++) all.push(finding({ entity: `ip:10.0.0.${i}`, detector: i % 2 ? 'syn' : 'url', score: (i % 10) / 10, time: 1_000 + (i % 7) * 10 }));
  s.record(all);
  for (const sort of ['lastSeen', 'score'] as const) {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = s.list({ sort, limit: 4, ...(cursor ? { cursor } : {}) });
      seen.push(...page.findings.map((f) => f.entity));
      cursor = page.next;
    } while (cursor !== undefined);
    assert.equal(seen.length, 25, `sort=${sort}: every finding exactly once`);
    assert.equal(new Set(seen).size, 25);
  }
  const bySc = s.list({ sort: 'score', limit: 100 }).findings.map((f) => f.score);
  assert.deepEqual(bySc, [...bySc].sort((a, b) => b - a));
  assert.ok(s.list({ detector: 'syn', limit: 100 }).findings.every((f) => f.detector === 'syn'));
  assert.ok(s.list({ minScore: 0.8, limit: 100 }).findings.every((f) => f.score >= 0.8));
  assert.equal(s.list({ from: 1_060, limit: 100 }).findings.length, 3);
  assert.throws(() => s.list({ sort: 'score', cursor: s.list({ limit: 1 }).next! }), { code: 'FINDINGS_CURSOR_INVALID' });
  assert.throws(() => s.list({ cursor: 'garbage' }), { code: 'FINDINGS_CURSOR_INVALID' });
  s.close();
});

test('an entity filter lists that entity\'s findings only, exactly, each detector\'s, pages with a valid cursor, and counts them', () => {
  const s = new FindingsStore(':memory:');
  const rows: NewFinding[] = [];
  for (const detector of ['syn', 'url', 'syn-flood']) {
    rows.push(finding({ detector, entity: 'ip:192.0.2.7', time: 1_000 + rows.length }));
    rows.push(finding({ detector, entity: 'ip:192.0.2.70', time: 1_000 + rows.length }));
  }
  s.record(rows);
  const one = s.list({ entity: 'ip:192.0.2.7', limit: 100 }).findings;
  assert.deepEqual(one.map((f) => f.detector).sort(), ['syn', 'syn-flood', 'url'], 'every detector of that entity, not the one whose address starts alike');
  assert.ok(one.every((f) => f.entity === 'ip:192.0.2.7'));
  assert.deepEqual(s.list({ entity: 'ip:192.0.2.7', detector: 'syn' }).findings.map((f) => f.entity), ['ip:192.0.2.7']);
  assert.equal(s.list({ entity: '192.0.2.7' }).findings.length, 0, 'exact: no kind, no match');
  for (const sort of ['lastSeen', 'score', 'sighted'] as const) {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = s.list({ entity: 'ip:192.0.2.7', sort, limit: 1, ...(cursor ? { cursor } : {}) });
      seen.push(page.findings.map((f) => f.detector).join());
      cursor = page.next;
    } while (cursor !== undefined);
    assert.deepEqual(seen.sort(), ['syn', 'syn-flood', 'url'], `sort=${sort}: each once over pages`);
  }
  assert.deepEqual(s.counts({ entity: 'ip:192.0.2.7' }), { open: 3, acknowledged: 0, resolved: 0, 'false-positive': 0 });
  s.close();
});

test('invalid findings are refused with a clear error and nothing is stored', () => {
  const s = new FindingsStore(':memory:');
  assert.throws(() => s.record([finding(), finding({ score: 1.5 })]), { code: 'FINDINGS_INVALID', message: /score 1.5/ });
  assert.throws(() => s.record([finding({ entity: '' })]), { code: 'FINDINGS_INVALID' });
  assert.equal(s.list().findings.length, 0);
  s.close();
});

test('a time before 1970, past what a Date holds, or not a number is refused: a stored row always lists', () => {
  const s = new FindingsStore(':memory:');
  for (const time of [1.8e22, 8.64e15 + 1, -1, -5.5, NaN, Infinity, -Infinity]) {
    assert.throws(() => s.record([finding({ entity: `t:${time}`, time })]), { code: 'FINDINGS_INVALID', message: /from 1970 to year 275760/ }, String(time));
  }
  assert.throws(() => s.record([finding({ time: '5' as unknown as number })]), { code: 'FINDINGS_INVALID' });
  assert.equal(s.list().findings.length, 0);
  s.record([finding({ entity: 'zero', time: 0 }), finding({ entity: 'last', time: 8.64e15 })]);
  for (const f of s.list().findings) assert.doesNotThrow(() => new Date(f.lastSeen).toISOString());
  s.close();
});

test('a finding that sums several sightings adds them all to the count and reaches back to its first; bad sums are refused', () => {
  const s = new FindingsStore(':memory:');
  s.record([finding({ entity: 'domain:kit.example', time: 5_000, firstSeen: 2_000, sightings: 7 })]);
  s.record([finding({ entity: 'domain:kit.example', time: 9_000, firstSeen: 1_000, sightings: 3 }), finding({ entity: 'domain:kit.example', time: 9_500 })]);
  const row = s.find(finding().detector, 'domain:kit.example')!;
  assert.deepEqual([row.count, row.firstSeen, row.lastSeen], [11, 1_000, 9_500]);
  assert.throws(() => s.record([finding({ entity: 'a', time: 5, firstSeen: 6 })]), { code: 'FINDINGS_INVALID', message: /firstSeen 6 is not a time/ });
  for (const sightings of [0, 1.5, -2]) assert.throws(() => s.record([finding({ entity: 'b', sightings })]), { code: 'FINDINGS_INVALID', message: /sightings/ });
  s.close();
});

test('listeners hear the changed rows; the file survives a reopen; prune removes old rows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-'));
  try {
    const path = join(dir, 'findings.db');
    const s = new FindingsStore(path);
    const heard: string[] = [];
    const off = s.subscribe((rows) => heard.push(...rows.map((r) => `${r.entity}:${r.count}`)));
    s.record([finding(), finding({ entity: 'ip:192.0.2.1', time: 9_000 })]);
    s.record([finding()]);
    off();
    s.record([finding()]);
    assert.deepEqual(heard, ['url:evil.example/login:1', 'ip:192.0.2.1:1', 'url:evil.example/login:2']);
    s.close();
    const again = new FindingsStore(path);
    assert.equal(again.list().findings.length, 2);
    const gone = again.list().findings.find((f) => f.lastSeen < 5_000)!;
    again.triage(gone.id, 'resolved', '', 'alice', 4_000);
    assert.equal(again.history(gone.id)!.length, 1);
    // sighted today (the store's clock): a replayed old log's finding stays until the cutoff passes its sighting
    assert.equal(again.prune(5_000), 0);
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('listeners hear what each sighting did: new, again (also twice in one record), reopened (a resolved one back), not a triage', () => {
  const s = new FindingsStore(':memory:');
  const heard: string[] = [];
  s.subscribe((rows, sightings) => heard.push(...rows.map((r, i) => `${r.entity}:${sightings[i]}`)));
  // a first sighting that counts several (a SYN board's) is still new: count === 1 does not tell it
  s.record([finding({ sightings: 3 }), finding({ entity: 'ip:192.0.2.1' }), finding({ entity: 'ip:192.0.2.1' })]);
  s.record([finding()]);
  const f = s.find('url', 'url:evil.example/login')!;
  s.triage(f.id, 'acknowledged', null, 'alice');
  s.record([finding()]);
  s.triage(f.id, 'resolved', null, 'alice');
  s.record([finding()]);
  s.record([finding()]);
  assert.deepEqual(heard, [
    'url:evil.example/login:new', 'ip:192.0.2.1:new', 'ip:192.0.2.1:again',
    'url:evil.example/login:again', 'url:evil.example/login:again', 'url:evil.example/login:reopened', 'url:evil.example/login:again',
  ]);
  s.close();
});

test('prune keeps a finding triaged after the cutoff, and takes its history when it goes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-'));
  try {
    const path = join(dir, 'findings.db');
    const s = new FindingsStore(path, () => 1_000);
    s.record([finding(), finding({ entity: 'ip:192.0.2.1', time: 9_000 })]);
    s.close();
    const again = new FindingsStore(path, () => 2_000);
    const gone = again.list().findings.find((f) => f.lastSeen < 5_000)!;
    const kept = again.list().findings.find((f) => f.lastSeen >= 5_000)!;
    again.triage(gone.id, 'resolved', '', 'alice', 3_000);
    again.triage(kept.id, 'acknowledged', '', 'alice', 3_000);
    assert.equal(again.history(gone.id)!.length, 1);
    assert.equal(again.prune(2_500), 0, 'triaged at 3,000');
    assert.equal(again.prune(5_000), 1);
    assert.equal(again.history(gone.id), null, 'its history goes with it');
    assert.deepEqual(again.list().findings.map((f) => f.entity), ['ip:192.0.2.1']);
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a store that cannot be opened says where', () => {
  assert.throws(() => new FindingsStore('/nonexistent-dir-nml/findings.db'), { code: 'FINDINGS_OPEN_FAILED', message: /nonexistent-dir-nml/ });
});

test('a finding becomes a syslog line the parser reads back with its entity', async () => {
  const { findingLogLine } = await import('./log-line.js');
  const { parseLine } = await import('../../parse/index.js');
  const s = new FindingsStore(':memory:');
  s.record([finding({ entity: 'ip:203.0.113.7', detector: 'syn', explanation: { summary: 'scanner:\nmany ports', detail: null } })]);
  const line = findingLogLine(s.list().findings[0]!, 'nml-node');
  assert.ok(!line.includes('\n'));
  const ev = parseLine({ line, receivedAt: 2_000, source: 'nml' });
  assert.equal(ev.app, 'nml-detect');
  assert.equal(ev.host, 'nml-node');
  assert.equal(ev.time, 1_000);
  assert.ok(ev.entities.some((e) => e.kind === 'ip' && e.value === '203.0.113.7'), JSON.stringify(ev.entities));
  s.close();
});

test('triage: open until set; a sighting reopens only a resolved finding; listeners hear sightings only', () => {
  const s = new FindingsStore(':memory:');
  s.record([finding(), finding({ entity: 'ip:192.0.2.1' }), finding({ entity: 'ip:192.0.2.2' })]);
  const [a, b, c] = ['url:evil.example/login', 'ip:192.0.2.1', 'ip:192.0.2.2'].map((e) => s.list({ limit: 10 }).findings.find((f) => f.entity === e)!);
  assert.deepEqual(a!.triage, { status: 'open', note: '', by: null, at: null, reopenedAt: null, assignee: null, assignedAt: null });
  const heard: string[] = [];
  s.subscribe((rows) => heard.push(...rows.map((r) => r.entity)));
  assert.equal(s.triage(a!.id, 'false-positive', 'our own login page', 'alice', 5_000)!.triage.status, 'false-positive');
  s.triage(b!.id, 'acknowledged', '', 'bob', 6_000);
  s.triage(c!.id, 'resolved', 'host reimaged', 'alice', 7_000);
  assert.deepEqual(heard, [], 'triage is not a sighting');
  assert.deepEqual(s.get(c!.id)!.triage, { status: 'resolved', note: 'host reimaged', by: 'alice', at: 7_000, reopenedAt: null, assignee: null, assignedAt: null });
  assert.deepEqual(s.list({ status: ['open'], limit: 10 }).findings, []);
  assert.deepEqual(s.list({ status: ['acknowledged', 'resolved'], limit: 10 }).findings.map((f) => f.entity).sort(), ['ip:192.0.2.1', 'ip:192.0.2.2']);
  assert.deepEqual(s.list({ status: [], limit: 10 }).findings, []);

  const before = Date.now();
  s.record([finding(), finding({ entity: 'ip:192.0.2.1' }), finding({ entity: 'ip:192.0.2.2' })]);
  assert.equal(heard.length, 3);
  const fp = s.get(a!.id)!;
  assert.equal(fp.count, 2);
  assert.deepEqual(fp.triage, { status: 'false-positive', note: 'our own login page', by: 'alice', at: 5_000, reopenedAt: null, assignee: null, assignedAt: null }, 'a false positive stays one');
  assert.equal(s.get(b!.id)!.triage.status, 'acknowledged');
  const again = s.get(c!.id)!.triage;
  assert.equal(again.status, 'open', 'a resolved finding seen again is open again');
  assert.equal(again.note, 'host reimaged', 'with what was said when it was resolved');
  assert.ok(again.reopenedAt !== null && again.reopenedAt >= before);
  assert.equal(s.triage(c!.id, 'acknowledged', '', 'bob', 9_000)!.triage.reopenedAt, null, 'a person\'s change clears the reopening');
  const h = s.history(c!.id)!;
  assert.deepEqual(h.map((e) => [e.cause, e.status, e.by, e.note]), [
    ['person', 'resolved', 'alice', 'host reimaged'],
    ['sighting', 'open', null, 'host reimaged'],
    ['person', 'acknowledged', 'bob', ''],
  ]);
  assert.deepEqual([h[0]!.at, h[2]!.at], [7_000, 9_000]);
  assert.ok(h[1]!.at >= before);
  assert.deepEqual(s.history(a!.id)!.map((e) => e.status), ['false-positive'], 'sightings of a false positive change nothing, so log nothing');
  assert.deepEqual(s.history(c!.id, 1)!.map((e) => e.status), ['acknowledged'], 'a limit keeps the newest');
  assert.equal(s.history(999), null);

  assert.deepEqual(s.counts(), { open: 0, acknowledged: 2, resolved: 0, 'false-positive': 1 });
  assert.deepEqual(s.counts({ detector: 'syn' }), { open: 0, acknowledged: 0, resolved: 0, 'false-positive': 0 });
  assert.deepEqual(s.counts({ minScore: 0.95 }), { open: 0, acknowledged: 0, resolved: 0, 'false-positive': 0 });
  assert.equal(s.triage(a!.id, 'false-positive', 'checked twice', 'carol', 10_000)!.triage.note, 'checked twice');
  assert.equal(s.triage(a!.id, 'acknowledged', null, 'carol', 10_001)!.triage.note, 'checked twice', 'null keeps the note');
  assert.deepEqual(s.history(a!.id)!.map((e) => [e.by, e.status, e.note]), [['alice', 'false-positive', 'our own login page'], ['carol', 'false-positive', 'checked twice'], ['carol', 'acknowledged', 'checked twice']]);
  const many = s.triageMany([b!.id, 999, c!.id, b!.id], 'resolved', 'wave over', 'dave', 11_000);
  assert.deepEqual([many.findings.map((f) => f.id), many.unchanged, many.missing], [[b!.id, c!.id], [], [999]], 'each once, in the order asked; the unknown named');
  assert.ok(many.findings.every((f) => f.triage.status === 'resolved' && f.triage.note === 'wave over' && f.triage.by === 'dave'));
  assert.equal(s.triage(999, 'resolved', '', 'alice'), null);
  assert.throws(() => s.triage(a!.id, 'resolved', 'x'.repeat(2001), 'alice'), { code: 'FINDINGS_INVALID', message: /2001 characters; at most 2000/ });
  assert.equal(s.get(a!.id)!.triage.status, 'acknowledged', 'a refused change changes nothing');
  s.close();
});

test('setting a finding to what it already is changes nothing and logs nothing; a new note, or a reopening, is a change', () => {
  const s = new FindingsStore(':memory:');
  s.record([finding({ entity: 'url:a.example/' }), finding({ entity: 'url:b.example/' })]);
  const a = s.find('url', 'url:a.example/')!.id;
  const b = s.find('url', 'url:b.example/')!.id;
  s.triage(a, 'resolved', 'blocked', 'alice', 1_000);
  const again = s.triageMany([a, b], 'resolved', null, 'bob', 2_000);
  assert.deepEqual([again.findings.map((f) => f.id), again.unchanged], [[a, b], [a]], 'both found, one already so');
  assert.deepEqual([s.get(a)!.triage.by, s.get(a)!.triage.at], ['alice', 1_000], 'who and when stay those of the change');
  assert.deepEqual(s.history(a)!.map((e) => e.by), ['alice'], 'no second entry');
  assert.deepEqual(s.triageMany([a], 'resolved', 'blocked', 'bob', 2_500).unchanged, [a], 'the same note is no change either');
  assert.deepEqual(s.triageMany([a], 'resolved', 'blocked at the edge', 'bob', 3_000).unchanged, [], 'a new note is');
  assert.deepEqual(s.history(a)!.map((e) => [e.by, e.note]), [['alice', 'blocked'], ['bob', 'blocked at the edge']]);
  // a sighting reopens it: setting it open is then a change (it clears the reopening)
  s.record([finding({ entity: 'url:a.example/', time: 4_000 })]);
  assert.notEqual(s.get(a)!.triage.reopenedAt, null);
  assert.deepEqual(s.triageMany([a], 'open', null, 'carol', 5_000).unchanged, []);
  assert.equal(s.get(a)!.triage.reopenedAt, null);
  s.close();
});

test("triage of every finding that matches counts and logs only those it changes: run twice, the second changes none", () => {
  let clock = 1_000;
  const s = new FindingsStore(':memory:', () => clock);
  s.record([finding({ entity: 'url:a.example/' }), finding({ entity: 'url:b.example/' }), finding({ entity: 'url:c.example/' })]);
  s.triage(s.find('url', 'url:c.example/')!.id, 'resolved', '', 'alice', 1_500);
  clock = 2_000;
  assert.equal(s.triageMatching({ readAt: s.list().readAt }, 'resolved', null, 'bob', 2_001), 2, 'not the one already resolved');
  clock = 3_000;
  assert.equal(s.triageMatching({ readAt: s.list().readAt }, 'resolved', null, 'bob', 3_001), 0);
  assert.deepEqual(s.list().findings.map((f) => s.history(f.id)!.length), [1, 1, 1]);
  s.close();
});

test('a findings store written before triage existed opens with its findings open', async () => {
  const { default: Database } = await import('better-sqlite3');
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-'));
  try {
    const path = join(dir, 'findings.db');
    const old = new Database(path);
    old.exec(`CREATE TABLE findings (id INTEGER PRIMARY KEY, detector TEXT NOT NULL, entity TEXT NOT NULL, score REAL NOT NULL, threshold REAL NOT NULL,
      model_version TEXT NOT NULL, time INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, count INTEGER NOT NULL,
      explanation TEXT NOT NULL, evidence TEXT NOT NULL, UNIQUE (detector, entity))`);
    old.prepare("INSERT INTO findings VALUES (1, 'syn', 'ip:198.51.100.4', 0.99, 0.9, 'syn-old', 1000, 1000, 1000, 3, '{\"summary\":\"scanner\"}', '{\"query\":\"ip:198.51.100.4\",\"from\":0,\"to\":1000}')").run();
    old.close();
    const s = new FindingsStore(path);
    const f = s.get(1)!;
    assert.equal(f.count, 3);
    assert.deepEqual(f.triage, { status: 'open', note: '', by: null, at: null, reopenedAt: null, assignee: null, assignedAt: null });
    assert.equal(s.triage(1, 'resolved', 'blocked at the edge', 'carol', 2_000)!.triage.by, 'carol');
    s.close();
    const reopened = new FindingsStore(path);
    assert.equal(reopened.get(1)!.triage.note, 'blocked at the edge');
    reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('triage of every finding that matches: the filters, nothing that changed after the page was read, and a cap', async () => {
  let clock = 10_000;
  const s = new FindingsStore(':memory:', () => clock);
  const wave = Array.from({ length: 30 }, (_, i) => finding({ detector: 'syn', entity: `ip:198.51.100.${i}`, score: 0.9 + (i % 10) / 100, time: 1_000 + i }));
  s.record([...wave, finding({ time: 1_010 })]);
  const id = (entity: string) => s.list({ limit: 100 }).findings.find((f) => f.entity === entity)!.id;
  s.triage(id('ip:198.51.100.3'), 'false-positive', 'our scanner', 'alice', 10_500);
  s.triage(id('ip:198.51.100.7'), 'resolved', '', 'alice', 10_500);
  clock = 11_000;
  const { readAt } = s.list({ detector: 'syn' });
  assert.equal(readAt, 11_000, "the store's clock when the page was read");
  clock = 12_000;
  // after the read, with times in the past (a replayed log): a sighting of one, a new finding, a resolved one seen again, and another person's triage
  s.record([finding({ detector: 'syn', entity: 'ip:198.51.100.5', score: 0.95, time: 900 }), finding({ detector: 'syn', entity: 'ip:203.0.113.1', score: 0.99, time: 900 })]);
  s.record([finding({ detector: 'syn', entity: 'ip:198.51.100.7', score: 0.97, time: 900 })]);
  s.triage(id('ip:198.51.100.9'), 'acknowledged', 'mine', 'carol', 12_000);
  const n = s.triageMatching({ detector: 'syn', status: ['open', 'acknowledged'], minScore: 0.92, readAt }, 'resolved', 'wave blocked', 'bob', 13_000);
  const resolvedByBob = s.list({ status: ['resolved'], limit: 100 }).findings.filter((f) => f.triage.by === 'bob').map((f) => f.entity).sort();
  const want = wave.filter((f, i) => f.score >= 0.92 && ![3, 5, 7, 9].includes(i)).map((f) => f.entity).sort();
  assert.deepEqual(resolvedByBob, want, 'syn, to do, score ≥ 0.92, unchanged since the read: not the false positive, nor what came, came back or was triaged since');
  assert.equal(n, want.length);
  assert.equal(s.get(id('ip:198.51.100.3'))!.triage.status, 'false-positive');
  assert.equal(s.get(id('ip:198.51.100.5'))!.triage.status, 'open', 'seen again after the read, though its line is older');
  assert.equal(s.get(id('ip:203.0.113.1'))!.triage.status, 'open', 'new after the read, though its line is older');
  assert.equal(s.get(id('ip:198.51.100.7'))!.triage.status, 'open', 'reopened after the read');
  assert.equal(s.get(id('ip:198.51.100.9'))!.triage.by, 'carol', "another person's change after the read stands");
  assert.deepEqual(s.history(id(want[0]!))!.map((e) => [e.by, e.status, e.note, e.at]), [['bob', 'resolved', 'wave blocked', 13_000]]);
  assert.equal(s.triageMatching({ detector: 'syn-flood', readAt: 12_000 }, 'resolved', null, 'bob'), 0);
  assert.throws(() => s.triageMatching({ readAt: 12_000 }, 'resolved', 'x'.repeat(2001), 'bob'), { code: 'FINDINGS_INVALID' });
  // a readAt after the store's clock (not one a list gave) would let what comes meanwhile be closed unseen
  assert.throws(() => s.triageMatching({ readAt: 99_999 }, 'resolved', null, 'bob'), { code: 'FINDINGS_FILTER_INVALID', message: /after the server's clock/ });
  s.close();

  const { TRIAGE_MATCH_MAX } = await import('./changes.js');
  let bigClock = 1_000;
  const big = new FindingsStore(':memory:', () => bigClock);
  big.record(Array.from({ length: TRIAGE_MATCH_MAX + 1 }, (_, i) => finding({ entity: `url:a${i}.example/` })));
  bigClock = 10_000;
  assert.throws(() => big.triageMatching({ readAt: 9_999 }, 'resolved', null, 'bob'), { code: 'FINDINGS_TOO_MANY', message: /more than 20000 match.*nothing was changed: narrow the filter/ });
  assert.deepEqual(big.counts(), { open: TRIAGE_MATCH_MAX + 1, acknowledged: 0, resolved: 0, 'false-positive': 0 }, 'all or nothing');
  big.close();
});

test('triage of every finding that matches leaves one recorded or triaged in the very millisecond the page was read: it may have come after the read', () => {
  let clock = 5_000;
  const s = new FindingsStore(':memory:', () => clock);
  s.record([finding({ entity: 'url:a.example/' })]);
  clock = 6_000;
  const page = s.list({ status: ['open'] });
  assert.deepEqual(page.findings.map((f) => f.entity), ['url:a.example/']);
  // the same millisecond, after the read: a new finding, and another person's triage
  s.record([finding({ entity: 'url:b.example/' }), finding({ entity: 'url:c.example/' })]);
  s.triage(s.find('url', 'url:c.example/')!.id, 'acknowledged', null, 'carol', 6_000);
  assert.equal(s.triageMatching({ status: ['open', 'acknowledged'], readAt: page.readAt }, 'resolved', null, 'alice', 6_001), 1);
  assert.deepEqual(s.list().findings.map((f) => `${f.entity} ${f.triage.status}`).sort(), ['url:a.example/ resolved', 'url:b.example/ open', 'url:c.example/ acknowledged']);
  s.close();
});

test('find: the finding of a detector for an entity, or null', () => {
  const s = new FindingsStore(':memory:');
  s.record([finding({ entity: 'domain:kit.example', time: 7_000 }), finding({ detector: 'syn', entity: 'ip:192.0.2.1' })]);
  const f = s.find('url', 'domain:kit.example');
  assert.equal(f?.entity, 'domain:kit.example');
  assert.equal(f?.lastSeen, 7_000);
  assert.equal(s.find('syn', 'domain:kit.example'), null, "another detector's");
  assert.equal(s.find('url', 'domain:other.example'), null);
  s.close();
});

test('a detector filter that names no detector is refused, listing them; one the store holds (imported) is fine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-det-'));
  const store = new FindingsStore(join(dir, 'findings.db'));
  try {
    store.record([{ detector: 'ids', entity: 'ip:10.0.0.1', score: 0.9, threshold: 0.5, modelVersion: 'm', time: 1, explanation: { summary: 's', detail: null }, evidence: { query: 'q', from: 0, to: 1 } }]);
    assert.equal(store.list({ detector: 'syn-wave' }).findings.length, 0, "this build's detectors, none recorded yet");
    assert.equal(store.list({ detector: 'ids' }).findings.length, 1, 'a detector the store holds findings of');
    const refused = (e: Error & { code?: string }) => e.code === 'FINDINGS_UNKNOWN_DETECTOR' && /^findings: no detector 'syn-waves'; the detectors are ids, syn, syn-flood, syn-wave, url, watch$/.test(e.message);
    assert.throws(() => store.list({ detector: 'syn-waves' }), refused);
    assert.throws(() => store.counts({ detector: 'syn-waves' }), refused);
    assert.throws(() => store.triageMatching({ detector: 'syn-waves', readAt: 2 }, 'resolved', null, 'op'), refused);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('assigning a finding: the status and its time stay, the history says who assigned it to whom, and again to the same one is no change', () => {
  const s = new FindingsStore(':memory:');
  s.record([finding({ entity: 'url:a.example/' }), finding({ entity: 'url:b.example/' })]);
  const a = s.find('url', 'url:a.example/')!.id;
  const b = s.find('url', 'url:b.example/')!.id;
  s.triage(a, 'acknowledged', 'looking', 'dave', 1_000);
  const mine = s.assign(a, 'carol', 'dave', 2_000)!;
  assert.deepEqual(mine.triage, { status: 'acknowledged', note: 'looking', by: 'dave', at: 1_000, reopenedAt: null, assignee: 'carol', assignedAt: 2_000 });
  assert.equal(s.assign(9999, 'carol', 'dave'), null);
  const again = s.changeMany([a, b, 9999], { assignee: 'carol' }, 'erin', 3_000);
  assert.deepEqual([again.unchanged, again.missing], [[a], [9999]], 'the one assigned to carol already is left as it was');
  assert.equal(s.get(a)!.triage.assignedAt, 2_000);
  s.assign(a, null, 'carol', 4_000);
  assert.deepEqual(s.history(a), [
    { at: 1_000, by: 'dave', status: 'acknowledged', note: 'looking', cause: 'person' },
    { at: 2_000, by: 'dave', status: 'acknowledged', note: 'looking', cause: 'assignment', assignee: 'carol' },
    { at: 4_000, by: 'carol', status: 'acknowledged', note: 'looking', cause: 'assignment', assignee: null },
  ]);
  // a status and an assignee in one change: one entry each
  s.changeMany([b], { status: 'resolved', note: 'blocked', assignee: 'dave' }, 'dave', 5_000);
  assert.deepEqual(s.history(b)!.map((e) => [e.cause, e.status, e.assignee]), [['assignment', 'open', 'carol'], ['person', 'resolved', undefined], ['assignment', 'resolved', 'dave']]);
  assert.throws(() => s.changeMany([a], {}, 'dave'), { code: 'FINDINGS_INVALID', message: /neither a status nor an assignee/ });
  s.close();
});

test('lists, counts and changes by filter take the assignee (a user, or null for nobody) and triagedSince', () => {
  let clock = 1_000;
  const s = new FindingsStore(':memory:', () => clock);
  s.record(['a', 'b', 'c', 'd'].map((x) => finding({ entity: `url:${x}.example/` })));
  const id = (x: string) => s.find('url', `url:${x}.example/`)!.id;
  s.assign(id('a'), 'carol', 'carol', 2_000);
  s.assign(id('b'), 'dave', 'carol', 2_000);
  s.triage(id('b'), 'acknowledged', null, 'dave', 2_500);
  const entities = (q: Parameters<FindingsStore['list']>[0]) => s.list(q).findings.map((f) => f.entity.slice(4, 5)).sort().join('');
  assert.equal(entities({ assignee: 'carol' }), 'a');
  assert.equal(entities({ assignee: null }), 'cd');
  assert.equal(entities({ assignee: 'erin' }), '');
  assert.deepEqual(s.counts({ assignee: null }), { open: 2, acknowledged: 0, resolved: 0, 'false-positive': 0 });
  assert.deepEqual(s.counts({ assignee: 'dave' }), { open: 0, acknowledged: 1, resolved: 0, 'false-positive': 0 });
  assert.deepEqual(s.counts({ triagedSince: 2_400 }), { open: 0, acknowledged: 1, resolved: 0, 'false-positive': 0 }, 'counts take triagedSince');
  clock = 3_000;
  const { readAt } = s.list();
  clock = 4_000;
  // after the read: another person takes c
  s.assign(id('c'), 'erin', 'erin', 3_500);
  assert.equal(s.changeMatching({ assignee: null, readAt }, { assignee: 'carol' }, 'carol', 4_000), 1, 'd only: c was assigned since the read');
  assert.equal(s.get(id('c'))!.triage.assignee, 'erin');
  assert.equal(s.get(id('d'))!.triage.assignee, 'carol');
  clock = 5_000;
  assert.equal(s.changeMatching({ triagedSince: 2_400, readAt: 5_000 }, { status: 'resolved' }, 'dave', 5_000), 1, 'b only: the one triaged since');
  assert.equal(s.get(id('b'))!.triage.status, 'resolved');
  assert.equal(s.changeMatching({ assignee: 'carol', readAt: 5_000 }, { assignee: null }, 'carol', 5_000), 2, 'a and d unassigned');
  assert.equal(entities({ assignee: null }), 'ad');
  s.close();
});

test("a user removed: every finding assigned to them is unassigned, each history saying whose removal and who removed them; others' stay", () => {
  const s = new FindingsStore(':memory:');
  s.record(['a', 'b', 'c'].map((x) => finding({ entity: `url:${x}.example/` })));
  const id = (x: string) => s.find('url', `url:${x}.example/`)!.id;
  s.triage(id('a'), 'acknowledged', 'looking', 'carol', 1_000);
  s.changeMany([id('a'), id('b')], { assignee: 'carol' }, 'carol', 2_000);
  s.assign(id('c'), 'dave', 'dave', 2_000);
  assert.equal(s.unassignUser('carol', 'admin', 5_000), 2);
  assert.deepEqual(['a', 'b', 'c'].map((x) => [s.get(id(x))!.triage.assignee, s.get(id(x))!.triage.assignedAt]), [[null, 5_000], [null, 5_000], ['dave', 2_000]]);
  assert.deepEqual(s.history(id('a'))!.at(-1), { at: 5_000, by: 'admin', status: 'acknowledged', note: 'looking', cause: 'user-removed', assignee: null, removedUser: 'carol' });
  assert.equal(s.get(id('a'))!.triage.status, 'acknowledged', 'the status stays');
  assert.equal(s.unassignUser('carol', 'admin', 6_000), 0, 'nothing left: no more entries');
  assert.equal(s.history(id('b'))!.length, 2);
  s.close();
});

test("a user made a viewer: their findings are unassigned with the history cause user-demoted, naming them and who changed the role", () => {
  const s = new FindingsStore(':memory:');
  s.record(['a', 'b'].map((x) => finding({ entity: `url:${x}.example/` })));
  const id = (x: string) => s.find('url', `url:${x}.example/`)!.id;
  s.assign(id('a'), 'carol', 'carol', 2_000);
  s.assign(id('b'), 'dave', 'dave', 2_000);
  assert.equal(s.unassignUser('carol', 'admin', 5_000, 'user-demoted'), 1);
  assert.deepEqual(['a', 'b'].map((x) => s.get(id(x))!.triage.assignee), [null, 'dave']);
  assert.deepEqual(s.history(id('a'))!.at(-1), { at: 5_000, by: 'admin', status: 'open', note: '', cause: 'user-demoted', assignee: null, demotedUser: 'carol' });
  s.close();
});

test('a finding assigned after the cutoff is kept by prune, as one triaged after it is', () => {
  let clock = 1_000;
  const s = new FindingsStore(':memory:', () => clock);
  s.record([finding({ entity: 'url:a.example/', time: 1_000 }), finding({ entity: 'url:b.example/', time: 1_000 })]);
  s.assign(s.find('url', 'url:a.example/')!.id, 'carol', 'carol', 9_000);
  clock = 10_000;
  assert.equal(s.prune(5_000), 1);
  assert.deepEqual(s.list().findings.map((f) => f.entity), ['url:a.example/']);
  s.close();
});

test('a findings store written before assignment existed opens with nobody assigned, takes an assignment, and its triage log keeps its entries', async () => {
  const { default: Database } = await import('better-sqlite3');
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-assign-'));
  try {
    const path = join(dir, 'findings.db');
    const old = new Database(path);
    // the schema as it stood before assignee and assigned_at (and the log's assignee)
    old.exec(`CREATE TABLE findings (id INTEGER PRIMARY KEY, detector TEXT NOT NULL, entity TEXT NOT NULL, score REAL NOT NULL, threshold REAL NOT NULL,
      model_version TEXT NOT NULL, time INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, count INTEGER NOT NULL,
      explanation TEXT NOT NULL, evidence TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open', status_note TEXT NOT NULL DEFAULT '', status_by TEXT,
      status_at INTEGER, reopened_at INTEGER, sighted_at INTEGER NOT NULL DEFAULT 0, UNIQUE (detector, entity));
      CREATE TABLE triage_log (id INTEGER PRIMARY KEY, finding_id INTEGER NOT NULL, at INTEGER NOT NULL, by TEXT, status TEXT NOT NULL, note TEXT NOT NULL, cause TEXT NOT NULL)`);
    old.prepare("INSERT INTO findings VALUES (1, 'syn', 'ip:198.51.100.4', 0.99, 0.9, 'syn-old', 1000, 1000, 1000, 3, '{\"summary\":\"scanner\"}', '{\"query\":\"ip:198.51.100.4\",\"from\":0,\"to\":1000}', 'acknowledged', 'night', 'dave', 1500, NULL, 1000)").run();
    old.prepare("INSERT INTO triage_log (finding_id, at, by, status, note, cause) VALUES (1, 1500, 'dave', 'acknowledged', 'night', 'person')").run();
    old.close();
    // read-only, as the CLI's read commands open it: refused, naming what it lacks and what to do
    const readOnly = new Database(path, { readonly: true });
    assert.throws(() => new FindingsStore({ readOnly, path }), { code: 'FINDINGS_OPEN_FAILED', message: /lacks assignee, assigned_at, triage_log\.assignee .*start nml serve once/ });
    const s = new FindingsStore(path);
    assert.deepEqual(s.get(1)!.triage, { status: 'acknowledged', note: 'night', by: 'dave', at: 1_500, reopenedAt: null, assignee: null, assignedAt: null });
    assert.equal(s.list({ assignee: null }).findings.length, 1);
    assert.equal(s.assign(1, 'carol', 'dave', 2_000)!.triage.status, 'acknowledged');
    s.close();
    const reopened = new FindingsStore(path);
    assert.equal(reopened.get(1)!.triage.assignee, 'carol');
    assert.deepEqual(reopened.history(1)!.map((e) => [e.cause, e.assignee]), [['person', undefined], ['assignment', 'carol']]);
    reopened.close();
    const reader = new FindingsStore({ readOnly: new Database(path, { readonly: true }), path });
    assert.equal(reader.list({ assignee: 'carol' }).findings.length, 1, 'brought up to date, it reads');
    reader.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
