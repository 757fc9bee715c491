/** `nml findings list` lists every finding even when one stored row has a time no Date can hold (a store written before times were checked). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCliSync } from '../testing.js';
import { FindingsStore, type NewFinding } from '../../detect/index.js';

const finding = (entity: string, time: number): NewFinding => ({
  detector: 'syn', entity, score: 0.99, threshold: 0.98, modelVersion: 'test', time, explanation: { summary: 'x', detail: null }, evidence: { query: entity, from: 0, to: time },
});

test('a stored finding with a lastSeen past what a Date holds is listed with its raw time, and the others as before', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findingslist-'));
  try {
    const store = new FindingsStore(join(dir, 'findings.db'));
    store.record([finding('ip:10.9.9.9', 1_700_000_000_000), finding('ip:10.0.0.1', 1_700_000_001_000)]);
    store.close();
    const db = new Database(join(dir, 'findings.db'));
    db.prepare('UPDATE findings SET last_seen = ? WHERE entity = ?').run(1.8e22, 'ip:10.9.9.9');
    db.close();
    const r = runCliSync(['findings', 'list', '--data', dir], { input: '' });
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 2, r.out);
    assert.match(lines[0]!, /1\.8e\+22 ms +ip:10\.9\.9\.9 {2}\[unknown source; /);
    assert.match(lines[1]!, /2023-11-14T22:13:21Z {2}ip:10\.0\.0\.1 {2}\[unknown source; /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--sort sighted lists first what NML raised last, though its events are a year old; a wrong order names the choices', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findingslist-'));
  try {
    let now = Date.UTC(2026, 11, 2);
    const store = new FindingsStore(join(dir, 'findings.db'), () => now);
    store.record([finding('ip:10.0.0.1', now - 60_000)]);
    now += 5_000;
    store.record([finding('ip:192.0.2.7', now - 365 * 86_400_000)]);
    store.close();
    const entities = (args: string[]): string[] => runCliSync(['findings', 'list', '--data', dir, ...args]).out.trim().split('\n').map((l) => /\s(ip:\S+)/.exec(l)![1]!);
    assert.deepEqual(entities([]), ['ip:10.0.0.1', 'ip:192.0.2.7'], 'newest event first by default');
    assert.deepEqual(entities(['--sort', 'sighted']), ['ip:192.0.2.7', 'ip:10.0.0.1']);
    const bad = runCliSync(['findings', 'list', '--data', dir, '--sort', 'newest']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /--sort.*newest.*lastSeen, score, sighted/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--entity lists one entity\'s findings only, as the Alerts page filter does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findingslist-'));
  try {
    const store = new FindingsStore(join(dir, 'findings.db'));
    store.record([finding('ip:10.0.0.1', 1_700_000_000_000), finding('ip:10.0.0.10', 1_700_000_001_000), { ...finding('ip:10.0.0.1', 1_700_000_002_000), detector: 'syn-flood' }]);
    store.close();
    const r = runCliSync(['findings', 'list', '--data', dir, '--entity', 'ip:10.0.0.1', '--json']);
    assert.equal(r.code, 0, r.err);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as { entity: string; detector: string });
    assert.deepEqual(rows.map((x) => `${x.detector} ${x.entity}`).sort(), ['syn ip:10.0.0.1', 'syn-flood ip:10.0.0.1'], 'exact: not 10.0.0.10');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('past --limit stderr says more match and gives a --cursor; following it visits every finding once; all fit: only the tally', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findingslist-'));
  try {
    const store = new FindingsStore(join(dir, 'findings.db'));
    store.record(Array.from({ length: 5 }, (_, i) => finding(`ip:10.0.0.${i + 1}`, 1_700_000_000_000 + i * 1000)));
    store.close();
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 3; page++) {
      const r = runCliSync(['findings', 'list', '--data', dir, '--sort', 'id', '--json', '--limit', '2', ...(cursor === undefined ? [] : ['--cursor', cursor])]);
      assert.equal(r.code, 0, r.err);
      const ids = r.out.trim().split('\n').map((l) => (JSON.parse(l) as { id: number }).id);
      seen.push(...ids);
      const more = /more match; --limit N prints more, --cursor (\S+) continues after the last one/.exec(r.err);
      if (page < 2) {
        assert.equal(ids.length, 2);
        assert.ok(more !== null, `page ${page}: ${r.err}`);
        assert.match(r.err, /^nml: 2 findings printed and more match/);
        cursor = more[1];
      } else {
        assert.equal(ids.length, 1);
        assert.equal(r.err, '', 'the last page: nothing more');
      }
    }
    assert.deepEqual(seen, [5, 4, 3, 2, 1], 'each finding once, the most recently raised first');
    const all = runCliSync(['findings', 'list', '--data', dir]);
    assert.equal(all.out.trim().split('\n').length, 5);
    assert.equal(all.err, 'nml: 5 findings (5 open)\n', 'all fit: only the tally');
    // cut by --limit, as the help says: the tally of those printed, then where to continue
    const cut = runCliSync(['findings', 'list', '--data', dir, '--limit', '2']);
    assert.match(cut.err, /^nml: 2 findings \(2 open\) printed and more match; --limit N prints more, --cursor \S+ continues after the last one\n$/);
    const bad = runCliSync(['findings', 'list', '--data', dir, '--cursor', 'nonsense']);
    assert.equal(bad.code, 2, bad.err);
    // said in the CLI's words, not the API's `next` value and sort=
    assert.match(bad.err, /findings: --cursor is not one nml findings list gave; pass the --cursor value its stderr printed, unchanged/);
    const otherSort = runCliSync(['findings', 'list', '--data', dir, '--sort', 'score', '--cursor', cursor!]);
    assert.equal(otherSort.code, 2);
    assert.match(otherSort.err, /--cursor was given for --sort id: keep the --sort of the run that gave it/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a SYN finding says where its SYNs came from and its Hosts board page; one stored before the source was kept says 'unknown source'; others neither", () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findingslist-'));
  try {
    const store = new FindingsStore(join(dir, 'findings.db'));
    const t = 1_700_000_000_000;
    store.record([
      { ...finding('ip:10.0.0.1', t), evidence: { query: 'ip:10.0.0.1', from: 0, to: t, source: { kind: 'replay', name: '/data/mon.syn.pcap' } } },
      { ...finding('ip:10.0.0.2', t - 1000), evidence: { query: 'ip:10.0.0.2', from: 0, to: t, source: { kind: 'interface', name: 'eth0' } } },
      { ...finding('ip:203.0.113.5', t - 2000), detector: 'syn-flood', evidence: { query: 'ip:203.0.113.5 port:80', from: 0, to: t, source: { kind: 'interface', name: 'eth0' } } },
      finding('ip:10.0.0.3', t - 3000),
      { ...finding('url:evil.example/x', t - 4000), detector: 'url' },
    ]);
    store.close();
    const r = runCliSync(['findings', 'list', '--data', dir]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.match(lines[0]!, / ip:10\.0\.0\.1 {2}\[capture \/data\/mon\.syn\.pcap; board \/hosts\?ip=10\.0\.0\.1\]$/);
    assert.match(lines[1]!, / ip:10\.0\.0\.2 {2}\[interface eth0; board \/hosts\?ip=10\.0\.0\.2\]$/);
    assert.match(lines[2]!, / ip:203\.0\.113\.5 {2}\[interface eth0; board \/hosts\?few=show\]$/);
    assert.match(lines[3]!, / ip:10\.0\.0\.3 {2}\[unknown source; board \/hosts\?ip=10\.0\.0\.3\]$/);
    assert.match(lines[4]!, / url:evil\.example\/x$/);
    const json = runCliSync(['findings', 'list', '--data', dir, '--json']).out.trim().split('\n').map((l) => JSON.parse(l) as { board?: string; evidence: { source?: unknown } });
    assert.deepEqual(json.map((f) => [f.evidence.source ?? null, f.board ?? null]), [
      [{ kind: 'replay', name: '/data/mon.syn.pcap' }, '/hosts?ip=10.0.0.1'],
      [{ kind: 'interface', name: 'eth0' }, '/hosts?ip=10.0.0.2'],
      [{ kind: 'interface', name: 'eth0' }, '/hosts?few=show'],
      [null, '/hosts?ip=10.0.0.3'],
      [null, null],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('each row has a count: Nx for how often a finding was seen, N src for the sources a flood sums; stderr ends with the tally by status', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findingslist-'));
  try {
    const store = new FindingsStore(join(dir, 'findings.db'));
    const t = 1_700_000_000_000;
    const url = { ...finding('url:evil.example/x', t), detector: 'url' };
    // seen 12 times, 1,234 of them summed into one sighting of a host's finding
    store.record(Array.from({ length: 11 }, (_, i) => ({ ...url, time: t + i })));
    store.record([{ ...url, time: t + 20, sightings: 1 }]);
    store.record([{ ...finding('ip:203.0.113.5', t - 1000), detector: 'syn-flood', explanation: { summary: 'flood', detail: { sources: 1375 } } }]);
    store.record([{ ...finding('ip:203.0.113.5', t - 900), detector: 'syn-flood', explanation: { summary: 'flood', detail: { sources: 1375 } } }]);
    store.record([{ ...finding('domain:big.example', t - 2000), detector: 'url', sightings: 1234 }]);
    const gone = store.find('url', 'domain:big.example')!;
    store.triage(gone.id, 'resolved', null, 'test');
    store.close();
    const r = runCliSync(['findings', 'list', '--data', dir]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 3, r.out);
    assert.match(lines[0]!, /url +0\.990 +12x {2}2023-11-14T22:13:20Z {2}url:evil\.example\/x$/);
    assert.match(lines[1]!, /syn-flood +0\.990 +1,375 src {2}2023-11-14T22:13:19Z {2}ip:203\.0\.113\.5 /, 'the sources, not the 2 times the board wrote the row');
    assert.match(lines[2]!, /resolved .* url +0\.990 +1,234x {2}/);
    assert.equal(r.err, 'nml: 3 findings (2 open, 1 resolved)\n');
    assert.equal(runCliSync(['findings', 'list', '--data', dir, '--status', 'false-positive']).err, 'nml: no finding matches\n');
    const json = runCliSync(['findings', 'list', '--data', dir, '--json']);
    assert.equal(json.err, '', '--json: stdout is the whole answer');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a triaged row says who set its status and when, as the Alerts page's status cell does: the morning shift tells the night's work from last week's", () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findingslist-'));
  try {
    let now = Date.UTC(2026, 11, 7, 3, 14, 15);
    const store = new FindingsStore(join(dir, 'findings.db'), () => now);
    store.record([finding('ip:10.0.0.1', now - 60_000), finding('ip:10.0.0.2', now - 50_000)]);
    store.triage(store.find('syn', 'ip:10.0.0.1')!.id, 'resolved', 'blocked at the edge, INC-5002', 'night', now);
    now += 60_000;
    store.triage(store.find('syn', 'ip:10.0.0.2')!.id, 'acknowledged', null, 'night', now);
    store.close();
    const lines = runCliSync(['findings', 'list', '--data', dir]).out.trim().split('\n');
    assert.match(lines.find((l) => l.includes('ip:10.0.0.1'))!, /ip:10\.0\.0\.1 \(night 2026-12-07T03:14:15Z: blocked at the edge, INC-5002\)/);
    assert.match(lines.find((l) => l.includes('ip:10.0.0.2'))!, /ip:10\.0\.0\.2 \(night 2026-12-07T03:15:15Z\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--min-score lists only findings scored at or above it, as the Alerts page\'s filter; a score out of 0–1 is refused as findings set refuses it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findingslist-'));
  try {
    const store = new FindingsStore(join(dir, 'findings.db'));
    store.record([{ ...finding('ip:10.0.0.1', 1_700_000_000_000), score: 0.5 }, { ...finding('ip:10.0.0.2', 1_700_000_001_000), score: 0.8 }, { ...finding('ip:10.0.0.3', 1_700_000_002_000), score: 0.95 }]);
    store.close();
    const r = runCliSync(['findings', 'list', '--data', dir, '--min-score', '0.8', '--json']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.trim().split('\n').map((l) => (JSON.parse(l) as { entity: string }).entity), ['ip:10.0.0.3', 'ip:10.0.0.2'], 'at or above 0.8');
    for (const bad of ['2', '-0.1', 'high', '']) {
      const b = runCliSync(['findings', 'list', '--data', dir, '--min-score', bad]);
      assert.equal(b.code, 2, `${bad}: ${b.err}`);
      assert.match(b.err, new RegExp(`--min-score must be a score from 0 to 1, got '${bad}'`));
      const set = runCliSync(['findings', 'set', 'all', 'resolved', '--data', dir, '--min-score', bad]);
      assert.equal(b.err, set.err, 'the same words as findings set');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--sort triaged lists what a person set last first; --triaged-since keeps those set since, a time as --from takes it, and names itself when it cannot read one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findingslist-'));
  try {
    const store = new FindingsStore(join(dir, 'findings.db'));
    store.record(['ip:10.0.0.1', 'ip:10.0.0.2', 'ip:10.0.0.3', 'ip:10.0.0.4'].map((e, i) => finding(e, 1_700_000_000_000 + i * 1000)));
    const id = (e: string) => store.find('syn', e)!.id;
    const now = Date.now();
    store.triage(id('ip:10.0.0.3'), 'resolved', 'last week', 'day', now - 7 * 86_400_000);
    store.triage(id('ip:10.0.0.1'), 'resolved', 'blocked', 'night', now - 2 * 3_600_000);
    store.triage(id('ip:10.0.0.2'), 'acknowledged', '', 'night', now - 3_600_000);
    store.close();
    const entities = (args: string[]): string[] => {
      const r = runCliSync(['findings', 'list', '--data', dir, '--json', ...args]);
      assert.equal(r.code, 0, r.err);
      return r.out.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { entity: string }).entity);
    };
    assert.deepEqual(entities(['--sort', 'triaged']), ['ip:10.0.0.2', 'ip:10.0.0.1', 'ip:10.0.0.3', 'ip:10.0.0.4'], 'newest triage first, nobody\'s last');
    assert.deepEqual(entities(['--sort', 'triaged', '--triaged-since', '-12h']), ['ip:10.0.0.2', 'ip:10.0.0.1']);
    assert.deepEqual(entities(['--triaged-since', new Date(now - 90 * 60_000).toISOString(), '--status', 'acknowledged,resolved']), ['ip:10.0.0.2']);
    const bad = runCliSync(['findings', 'list', '--data', dir, '--triaged-since', 'last night']);
    assert.equal(bad.code, 2, bad.err);
    assert.match(bad.err, /^nml: findings: --triaged-since: time: cannot read 'last night' \(use ISO-8601, now, -15m\/-2h\/-7d, epoch milliseconds or 2017\/10\/17\/15\/\*\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
