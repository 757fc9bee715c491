/** `nml score syn`: one `score<TAB>ip` line per source host, highest first; `--json` with explanations; PCAP_ errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliSync } from '../testing.js';
import { generateSyntheticSyns } from '../../detect/index.js';
import { tinyModel } from '../../detect/syn/testing.js';
import { LINKTYPE } from '../../detect/syn/decode.js';
import { frame, synIpPacket, writePcap } from '../../detect/syn/pcap-writer.js';

const run = (args: string[]) => runCliSync(args, { cwd: process.cwd() });

test('score syn prints score<TAB>ip per host, highest first, and --json details', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-score-syn-'));
  try {
    const model = join(dir, 'model.json');
    writeFileSync(model, JSON.stringify(tinyModel().file));
    const hosts = generateSyntheticSyns(4, 1).filter((h) => ['zmap', 'benign-browsing'].includes(h.tool)).slice(0, 3);
    const syns = hosts.flatMap((h) => h.syns.slice(0, 40)).sort((a, b) => a.t - b.t);
    const file = join(dir, 'c.pcap');
    writeFileSync(file, writePcap(syns.map((s) => ({ t: s.t, frame: frame(synIpPacket(s), LINKTYPE.SLL2) })), { linktype: LINKTYPE.SLL2 }));
    const r = run(['score', 'syn', '--model', model, file]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n').map((l) => l.split('\t'));
    assert.deepEqual(lines.map((l) => l[1]).sort(), hosts.map((h) => h.ip).sort());
    const scores = lines.map((l) => Number(l[0]));
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
    for (const s of scores) assert.ok(s >= 0 && s <= 1, r.out);
    const j = run(['score', 'syn', '--json', '--model', model, file]);
    const objs = j.out.trim().split('\n').map((l) => JSON.parse(l) as { subject: string; score: number; packets: number; explanation: { detail: { rows: number[] } } });
    assert.equal(objs.length, hosts.length);
    assert.equal(objs[0]!.explanation.detail.rows.length, 32);
    assert.ok(Math.abs(objs[0]!.score - scores[0]!) < 1e-4, `json and fast scores agree: ${objs[0]!.score} vs ${scores[0]}`);
    writeFileSync(join(dir, 'bad.pcap'), 'not a capture at all');
    const bad = run(['score', 'syn', '--model', model, join(dir, 'bad.pcap')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /pcap or pcapng/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
