import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing.js';
import { FindingsStore, type NewFinding } from '../../detect/index.js';

const LINES = [
  '<34>1 2026-12-01T10:00:00Z web-01.corp.local sshd 42 - - Failed password for alice from 10.0.0.5 port 22 ssh2',
  '<34>1 2026-12-01T10:01:00Z web-01.corp.local sshd 42 - - Accepted password for bob from 203.0.113.9 port 22 ssh2',
  '<14>1 2026-12-01T10:02:00Z proxy-1 squid - - - 10.0.0.7 TCP_MISS/200 GET http://evil.example.rest/gate.php?id=bob@acme.local - HIER_DIRECT/198.51.100.4',
  '<14>1 2026-12-01T10:03:00Z proxy-1 squid - - - 10.0.0.8 TCP_MISS/200 GET http://news.example.com/ - HIER_DIRECT/198.51.100.5',
];

function finding(entity: string, time: number): NewFinding {
  return { detector: 'url', entity, score: 0.99, threshold: 0.9, modelVersion: 'm1', time, explanation: { summary: 'seen 10.0.0.7', detail: null }, evidence: { query: entity, from: 0, to: time } };
}

interface Line {
  time: string;
  source: string;
  host: string | null;
  line: string;
  labels: Array<{ finding: number; label: string }>;
}

async function withStore(fn: (dir: string, data: string, key: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nml-share-'));
  try {
    const data = join(dir, 'data');
    writeFileSync(join(dir, 'in.log'), `${LINES.join('\n')}\n`);
    const ing = await runCli(['ingest', '--data', data, '--no-progress', join(dir, 'in.log')]);
    assert.equal(ing.code, 0, ing.err);
    const key = join(dir, 'share.key');
    const made = await runCli(['share', 'key', '--out', key]);
    assert.equal(made.code, 0, made.err);
    await fn(dir, data, key);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('nml share export: anonymized lines labelled by the team\'s triage, findings, a manifest and a README', async () => {
  await withStore(async (dir, data, key) => {
    assert.equal(statSync(key).mode & 0o777, 0o600);
    assert.doesNotMatch((await runCli(['share', 'key', '--out', key])).err, /^$/, 'an existing key is kept');
    const store = new FindingsStore(join(data, 'findings.db'));
    store.record([finding('ip:203.0.113.9', Date.parse('2026-12-01T10:01:00Z')), finding('url:evil.example.rest/gate.php?id=bob@acme.local', Date.parse('2026-12-01T10:02:00Z')), finding('ip:192.0.2.1', Date.parse('2025-01-01T00:00:00Z'))]);
    const ids = new Map(store.list({ limit: 10 }).findings.map((f) => [f.entity, f.id]));
    store.triage(ids.get('ip:203.0.113.9')!, 'false-positive', 'our jump host, ask Dave', 'night-shift');
    store.triage(ids.get('url:evil.example.rest/gate.php?id=bob@acme.local')!, 'resolved', 'blocked at the proxy', 'day-shift');
    store.close();

    const out = join(dir, 'out');
    const r = await runCli(['share', 'export', '--data', data, '--from', '2026-12-01T00:00:00Z', '--to', '2026-12-02T00:00:00Z', '--key-file', key, '--out', out]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^share: 4 lines, 2 findings written to /);
    assert.deepEqual(readdirSync(out).sort(), ['MANIFEST.json', 'README.md', 'findings.ndjson', 'lines.ndjson']);
    assert.equal(statSync(out).mode & 0o777, 0o700, 'the export is the operator\'s until they hand it on');
    const all = readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    for (const secret of ['10.0.0.5', '10.0.0.7', '203.0.113.9', 'alice', 'bob', 'acme.local', 'web-01', 'proxy-1', 'Dave', 'night-shift', 'day-shift', 'blocked at the proxy', readFileSync(key, 'utf8').trim(), dir]) {
      assert.ok(!all.includes(secret), `${secret} is in the export`);
    }
    const lines = readFileSync(join(out, 'lines.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
    assert.equal(lines.length, 4);
    for (const l of lines) assert.match(l.source, /^file:dir-[0-9a-f]{10}\/in\.log$/, "the file's folder is a pseudonym, its base name kept");
    const labelOf = (re: RegExp): Line['labels'] => lines.find((l) => re.test(l.line))!.labels;
    assert.deepEqual(labelOf(/Accepted password/), [{ finding: ids.get('ip:203.0.113.9'), label: 'benign' }]);
    assert.deepEqual(labelOf(/gate\.php/), [{ finding: ids.get('url:evil.example.rest/gate.php?id=bob@acme.local'), label: 'malicious' }]);
    assert.deepEqual(labelOf(/news\.example\.com/), []);
    assert.match(lines.find((l) => /gate\.php/.test(l.line))!.line, /http:\/\/evil\.example\.rest\/gate\.php\?id=q-[0-9a-f]{10} /);
    const findings = readFileSync(join(out, 'findings.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const byId = [[ids.get('ip:203.0.113.9')!, 'benign', 'false-positive'], [ids.get('url:evil.example.rest/gate.php?id=bob@acme.local')!, 'malicious', 'resolved']].sort((a, b) => (a[0] as number) - (b[0] as number));
    assert.deepEqual(findings.map((f) => [f['id'], f['label'], f['status']]), byId, 'the finding last seen before the range is not exported');
    assert.deepEqual(Object.keys(findings[0]!).sort(), ['count', 'detector', 'entity', 'firstSeen', 'id', 'label', 'lastSeen', 'modelVersion', 'score', 'status', 'threshold']);
    const m = JSON.parse(readFileSync(join(out, 'MANIFEST.json'), 'utf8'));
    assert.deepEqual(m.files, { 'lines.ndjson': { records: 4 }, 'findings.ndjson': { records: 2 } });
    assert.deepEqual(m.labels, { lines: { benign: 1, malicious: 1, unreviewed: 0, unlabelled: 2 }, findings: { benign: 1, malicious: 1, unreviewed: 0 } });
    assert.match(m.anonymization.keyFingerprint, /^[0-9a-f]{16}$/);

    // the same key maps alike: a second export of one line joins the first
    const again = join(dir, 'again');
    assert.equal((await runCli(['share', 'export', '--data', data, '--from', '2026-12-01T10:01:00Z', '--to', '2026-12-01T10:01:01Z', '--key-file', key, '--out', again])).code, 0);
    const one = JSON.parse(readFileSync(join(again, 'lines.ndjson'), 'utf8')) as Line;
    assert.equal(one.line, lines.find((l) => /Accepted/.test(l.line))!.line);
    assert.equal(JSON.parse(readFileSync(join(again, 'MANIFEST.json'), 'utf8')).anonymization.keyFingerprint, m.anonymization.keyFingerprint);
  });
});

test('nml share export: bad input is said, with what to do; an empty range is an export of nothing', async () => {
  await withStore(async (dir, data, key) => {
    const base = ['share', 'export', '--data', data, '--from', '2026-12-01'];
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'x'), 'x');
    writeFileSync(join(dir, 'short.key'), 'abcd');
    const cases: Array<{ args: string[]; code: number; err: RegExp }> = [
      { args: [...base, '--out', join(dir, 'o1')], code: 2, err: /^nml: share: --key-file is needed: .*make one with: nml share key --out FILE/ },
      { args: [...base, '--key-file', join(dir, 'nokey'), '--out', join(dir, 'o2')], code: 2, err: /^nml: share: --key-file .*nokey: there is no file; make one with: nml share key/ },
      { args: [...base, '--key-file', join(dir, 'short.key'), '--out', join(dir, 'o3')], code: 2, err: /^nml: share: --key-file .*short\.key is no share key: it holds 2 bytes in hex; a key is at least 32/ },
      { args: [...base, '--key-file', key], code: 2, err: /^nml: share: --out DIR is needed/ },
      { args: [...base, '--key-file', key, '--out', full], code: 2, err: /^nml: share: --out .*full exists and is not empty; give a new folder/ },
      { args: ['share', 'export', '--data', data, '--key-file', key, '--out', join(dir, 'o4')], code: 2, err: /^nml: share: --from is needed/ },
      { args: ['share', 'export', '--data', data, '--from', 'yesterdayish', '--key-file', key, '--out', join(dir, 'o5')], code: 2, err: /^nml: time: / },
      { args: ['share', 'export', '--data', data, '--from', '2026-12-02', '--to', '2026-12-01', '--key-file', key, '--out', join(dir, 'o6')], code: 2, err: /^nml: time: .*--from/ },
    ];
    for (const c of cases) {
      const r = await runCli(c.args);
      assert.equal(r.code, c.code, `${c.args.join(' ')}: ${r.err}`);
      assert.match(r.err, c.err, c.args.join(' '));
    }
    for (const o of ['o1', 'o2', 'o3', 'o4', 'o5', 'o6']) assert.throws(() => statSync(join(dir, o)), `${o} was not made`);
    // a folder that cannot be made (under a file: root cannot either)
    const under = await runCli([...base, '--key-file', key, '--out', join(dir, 'in.log', 'x')]);
    assert.equal(under.code, 2, under.err);
    assert.match(under.err, /^nml: share: cannot (make|look at) --out .*in\.log.x: .*give a (new )?folder/);
    const empty = await runCli(['share', 'export', '--data', data, '--from', '2020-01-01', '--to', '2020-01-02', '--key-file', key, '--out', join(dir, 'empty')]);
    assert.equal(empty.code, 0, empty.err);
    const m = JSON.parse(readFileSync(join(dir, 'empty', 'MANIFEST.json'), 'utf8'));
    assert.equal(m.files['lines.ndjson'].records, 0);
    assert.equal(m.note, 'no line matched the range and query');
    assert.equal(readFileSync(join(dir, 'empty', 'lines.ndjson'), 'utf8'), '');
  });
});

test('nml share export over a damaged shard: the rest is exported, the shard named in MANIFEST skipped and on stderr, exit 1', async () => {
  await withStore(async (dir, data, key) => {
    const shards = (readdirSync(join(data, 'shards'), { recursive: true }) as string[]).filter((f) => f.endsWith('.db'));
    assert.ok(shards.length >= 1);
    writeFileSync(join(data, 'shards', shards[0]!), Buffer.alloc(4096, 7));
    const r = await runCli(['share', 'export', '--data', data, '--from', '2026-12-01', '--to', '2026-12-02', '--key-file', key, '--out', join(dir, 'out')]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /^nml: warning: share export: a damaged or missing shard left out: shards\//m);
    const m = JSON.parse(readFileSync(join(dir, 'out', 'MANIFEST.json'), 'utf8'));
    assert.deepEqual(m.skipped.map((s: { file: string }) => s.file), [`shards/${shards[0]!.split('\\').join('/')}`]);
  });
});
