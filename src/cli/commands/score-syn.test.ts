/** `nml score syn`: one `score<TAB>ip` line per source host, highest first; `--json` with explanations; PCAP_ errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT, runCli, runCliSync, shellCommand, startCli } from '../testing.js';
import { generateSyntheticSyns } from '../../detect/index.js';
import { closedLoopbackPort, knock, liveCaptureSkip, tinyModel } from '../../detect/syn/testing.js';
import { LINKTYPE } from '../../detect/syn/decode.js';
import { frame, synIpPacket, writePcap } from '../../detect/syn/pcap-writer.js';
import type { ScoreResult, SynPacket } from '../../detect/index.js';
import { compareAddrs, notScoredText, writeJsonRows, writeScores, type RowOutput } from './score-syn.js';

const run = (args: string[]) => runCliSync(args, { cwd: process.cwd() });

/** `dir/c.pcap`: the first 40 SYNs of up to `max` synthetic hosts of these tools (seed `seed`), in time order. */
function syntheticCapture(dir: string, seed: number, tools: string[], max: number, linktype: number): { hosts: ReturnType<typeof generateSyntheticSyns>; file: string } {
  const hosts = generateSyntheticSyns(seed, 1).filter((h) => tools.includes(h.tool)).slice(0, max);
  const syns = hosts.flatMap((h) => h.syns.slice(0, 40)).sort((a, b) => a.t - b.t);
  const file = join(dir, 'c.pcap');
  writeFileSync(file, writePcap(syns.map((s) => ({ t: s.t, frame: frame(synIpPacket(s), linktype) })), { linktype }));
  return { hosts, file };
}

test('score syn prints score<TAB>ip per host, highest first, and --json details', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-score-syn-'));
  try {
    const model = join(dir, 'model.json');
    writeFileSync(model, JSON.stringify(tinyModel().file));
    const { hosts, file } = syntheticCapture(dir, 4, ['zmap', 'benign-browsing'], 3, LINKTYPE.SLL2);
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
    // what each host sent its SYNs to, exact, in the Hosts page's shape
    for (const o of objs as unknown as { subject: string; packets: number; targets: { ports: { port: number; syns: number }[]; morePorts: number; dsts: { ip: string; syns: number }[]; moreDsts: number; dstsExact: boolean } }[]) {
      const own = hosts.find((h) => h.ip === o.subject)!.syns.slice(0, 40);
      const most = Math.max(...[...new Set(own.map((s) => s.dport))].map((p) => own.filter((s) => s.dport === p).length));
      assert.equal(o.targets.ports[0]?.syns, most, o.subject);
      assert.equal(o.targets.ports.length + o.targets.morePorts, new Set(own.map((s) => s.dport)).size);
      assert.equal(o.targets.dsts.length + o.targets.moreDsts, new Set(own.map((s) => s.dst)).size);
      assert.equal(o.targets.dstsExact, true);
    }
    writeFileSync(join(dir, 'bad.pcap'), 'not a capture at all');
    const bad = run(['score', 'syn', '--model', model, join(dir, 'bad.pcap')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /pcap or pcapng/);
    // --stream: the same hosts and scores (to float32) in bounded memory
    const st = run(['score', 'syn', '--stream', '--model', model, file]);
    assert.equal(st.code, 0, st.err);
    const streamed = new Map(st.out.trim().split('\n').map((l) => [l.split('\t')[1]!, Number(l.split('\t')[0])]));
    assert.equal(streamed.size, lines.length);
    for (const [sc, ip] of lines) assert.ok(Math.abs(streamed.get(ip!)! - Number(sc)) < 1e-5, `${ip}: ${streamed.get(ip!)} vs ${sc}`);
    assert.equal(run(['score', 'syn', '--stream', '--json', '--model', model, file]).code, 2);
    // the same SYNs dealt into two captures of one period (two sensors): --stream merges them by time,
    // as the in-memory path sorts them, so both give the one capture's scores
    const syns = hosts.flatMap((h) => h.syns.slice(0, 40)).sort((a, b) => a.t - b.t);
    const halves = [0, 1].map((k) => {
      const f = join(dir, `half${k}.pcap`);
      const mine = syns.filter((_, i) => i % 2 === k);
      writeFileSync(f, writePcap(mine.map((s) => ({ t: s.t, frame: frame(synIpPacket(s), LINKTYPE.SLL2) })), { linktype: LINKTYPE.SLL2 }));
      return f;
    });
    for (const args of [['--stream'], []]) {
      const two = run(['score', 'syn', ...args, '--model', model, ...halves]);
      assert.equal(two.code, 0, two.err);
      const got = new Map(two.out.trim().split('\n').map((l) => [l.split('\t')[1]!, Number(l.split('\t')[0])]));
      for (const [sc, ip] of lines) assert.ok(Math.abs(got.get(ip!)! - Number(sc)) < 1e-5, `${args.join('')} two files, ${ip}: ${got.get(ip!)} vs ${sc}`);
    }
    // more SYNs than --max-syns lets it hold: a clear error that names the limit the user set, not what memory holds
    const big = run(['score', 'syn', '--model', model, '--max-syns', '10', file]);
    assert.equal(big.code, 2, big.err);
    assert.match(big.err, /the captures hold more than 10 SYNs, the limit --max-syns 10 sets\. Raise --max-syns, or score them as they stream past with --stream/);
    assert.doesNotMatch(big.err, /holds in memory/);
    assert.equal(big.out, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const DATASETS = join(REPO_ROOT, '..', 'shared', 'datasets');

test('train syn on the shared captures writes a model that score syn then uses', { skip: existsSync(join(DATASETS, 'syn-more')) && existsSync(join(DATASETS, 'syn-pcaps')) ? false : 'needs ../shared/datasets/syn-pcaps and syn-more' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-train-syn-'));
  try {
    const model = join(dir, 'm.json');
    const t = run(['train', 'syn', '--datasets', DATASETS, '--epochs', '1', '--synthetic', '1', '--seed', '3', '--out', model]);
    assert.equal(t.code, 0, t.err);
    assert.match(t.err, /epoch 1\/1: loss [\d.]+, validation loss [\d.]+/);
    const written = JSON.parse(readFileSync(model, 'utf8')) as { command?: string };
    assert.match(JSON.stringify(written), /--seed 3 --epochs 1/);
    const again = join(dir, 'again.json');
    assert.equal(run(['train', 'syn', '--datasets', DATASETS, '--epochs', '1', '--synthetic', '1', '--seed', '3', '--out', again]).code, 0);
    // the same seed, the same weights (only the creation time may differ, and the --out the command records)
    const strip = (p: string): string => readFileSync(p, 'utf8').replace(/"trainedAt":"[^"]*"/, '').replace(/ --out [^ "]+/, '');
    assert.ok(strip(again) === strip(model), 'same seed, same model file');
    const { file } = syntheticCapture(dir, 5, ['masscan', 'benign-browsing'], 2, LINKTYPE.ETHERNET);
    const s = run(['score', 'syn', '--model', model, file]);
    assert.equal(s.code, 0, s.err);
    assert.equal(s.out.trim().split('\n').length, 2);
    const missing = run(['train', 'syn', '--datasets', join(dir, 'nowhere'), '--epochs', '1', '--out', join(dir, 'x.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--datasets .*nowhere: there is no such folder; .*--synthetic-only/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('score syn on a capture without a TCP SYN says so on stderr: stdout empty, exit 0, in every output mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-score-syn-empty-'));
  try {
    const model = join(dir, 'model.json');
    writeFileSync(model, JSON.stringify(tinyModel().file));
    const empty = join(dir, 'empty.pcap');
    writeFileSync(empty, writePcap([], { linktype: LINKTYPE.ETHERNET }));
    assert.equal(readFileSync(empty).length, 24, 'a file header alone');
    for (const args of [[], ['--json'], ['--stream']]) {
      const r = run(['score', 'syn', ...args, '--model', model, empty]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, '', args.join(''));
      assert.match(r.err, /empty\.pcap holds no TCP SYN packets \(0 packets read, none a SYN\): no host to score/, `${args.join('')}: ${r.err}`);
    }
    // SYN-ACKs only (a capture of the server side): what was read and why none was kept
    const spec = { t: 1_700_000_000_000_000, src: '192.0.2.1', dst: '192.0.2.2', sport: 80, dport: 40000, ttl: 64, ipid: 1, win: 64240, seq: 1, mss: 1460, ws: 7, sack: true, ts: true, ack: true };
    const acks = join(dir, 'acks.pcap');
    writeFileSync(acks, writePcap([0, 1, 2].map((i) => ({ t: spec.t + i, frame: frame(synIpPacket({ ...spec, ipid: i }), LINKTYPE.ETHERNET) })), { linktype: LINKTYPE.ETHERNET }));
    const r = run(['score', 'syn', '--model', model, acks]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    assert.match(r.err, /acks\.pcap holds no TCP SYN packets \(3 packets read, none a SYN: 3 not a SYN \(the rest of a connection: replies, ACKs, data\)\): no host to score/);
    // one SYN among them: what was scored (every host that sent one) and what the other packets were, in words
    const mixed = join(dir, 'mixed.pcap');
    writeFileSync(mixed, writePcap([0, 1, 2, 3].map((i) => ({ t: spec.t + i, frame: frame(synIpPacket({ ...spec, ipid: i, ack: i > 0 }), LINKTYPE.ETHERNET) })), { linktype: LINKTYPE.ETHERNET }));
    for (const args of [[], ['--stream']]) {
      const m = run(['score', 'syn', ...args, '--model', model, mixed]);
      assert.equal(m.code, 0, m.err);
      assert.match(m.err, /mixed\.pcap: scored 1 SYN of 4 packets, every host that sent a SYN; the other 3 packets are not scored: 3 not a SYN \(the rest of a connection: replies, ACKs, data\)\n/, `${args.join('')}: ${m.err}`);
      assert.doesNotMatch(m.err, /skipped|not_syn/);
    }
    // --json leaves out the routine count of packets that are not SYNs (what would change the scores' meaning it keeps: below)
    const mj = run(['score', 'syn', '--json', '--model', model, mixed]);
    assert.equal(mj.code, 0, mj.err);
    assert.doesNotMatch(mj.err, /not scored/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('score syn - reads a capture piped into standard input (tcpdump -w - | nml score syn -), the same scores as from the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-score-syn-stdin-'));
  try {
    const model = join(dir, 'model.json');
    writeFileSync(model, JSON.stringify(tinyModel().file));
    const { file } = syntheticCapture(dir, 5, ['masscan', 'benign-browsing'], 3, LINKTYPE.ETHERNET);
    const fromFile = run(['score', 'syn', '--model', model, file]);
    assert.equal(fromFile.code, 0, fromFile.err);
    assert.ok(fromFile.out.trim().split('\n').length >= 2, fromFile.out);
    const input = readFileSync(file);
    for (const extra of [[], ['--stream']]) {
      const piped = runCliSync(['score', 'syn', ...extra, '--model', model, '-'], { input, cwd: process.cwd() });
      assert.equal(piped.code, 0, piped.err);
      assert.equal(piped.out, fromFile.out, `${extra.join(' ')}: the same lines as the file gives`);
    }
    const cut = runCliSync(['score', 'syn', '--model', model, '-'], { input: input.subarray(0, input.length - 7), cwd: process.cwd() });
    assert.equal(cut.code, 0, cut.err);
    assert.match(cut.err, /^standard input ends inside a packet at byte \d+ \(cut short: copied or read while still being written\?\): scored the [\d,]+ SYNs? of the [\d,]+ whole packets? before it; the rest is not in the file$/m);
    assert.doesNotMatch(cut.err, /truncated_file/);
    // --json keeps stdout for rows; a file cut short changes what they mean, so stderr still says so (it was silent)
    const cutJson = runCliSync(['score', 'syn', '--json', '--model', model, '-'], { input: input.subarray(0, input.length - 7), cwd: process.cwd() });
    assert.equal(cutJson.code, 0, cutJson.err);
    assert.match(cutJson.err, /^standard input ends inside a packet at byte \d+ /m);
    assert.ok(cutJson.out.trim().split('\n').every((l) => typeof (JSON.parse(l) as { score: number }).score === 'number'), cutJson.out);
    const notCapture = runCliSync(['score', 'syn', '--model', model, '-'], { input: 'hello\n', cwd: process.cwd() });
    assert.equal(notCapture.code, 2);
    assert.match(notCapture.err, /standard input is not a capture/);
    const empty = runCliSync(['score', 'syn', '--model', model, '-'], { input: '', cwd: process.cwd() });
    assert.equal(empty.code, 2);
    assert.match(empty.err, /standard input is empty/);
    const twice = run(['score', 'syn', '--model', model, '-', '-']);
    assert.equal(twice.code, 2);
    assert.match(twice.err, /- \(standard input\) can be given once/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('score syn takes files or --interface: neither and both are each said with what to do; so are --stream with --interface or --json', () => {
  const r = run(['score', 'syn']);
  assert.equal(r.code, 2);
  assert.match(r.err, /^error: nothing to score: give pcap or pcapng files \(- for standard input\), or --interface NAME to capture from\n/);
  const both = run(['score', 'syn', '--interface', 'lo', 'x.pcap']);
  assert.equal(both.code, 2);
  assert.match(both.err, /^error: capture files and --interface lo were both given; score the files, or capture from the interface, in separate runs\n/);
  const live = run(['score', 'syn', '--stream', '--interface', 'lo']);
  assert.equal(live.code, 2);
  assert.match(live.err, /^error: --stream reads capture files; --interface captures into memory already: leave out --stream\n/);
  const json = run(['score', 'syn', '--stream', '--json', 'x.pcap']);
  assert.equal(json.code, 2);
  assert.match(json.err, /^error: --stream prints score<TAB>ip lines only, without the explanations --json gives; leave out --json, or leave out --stream where the captures fit in memory\n/);
  // past what a timer can wait, the capture would stop at once: refused, not an empty result
  const long = run(['score', 'syn', '--interface', 'lo', '--seconds', '3000000']);
  assert.equal(long.code, 2);
  assert.match(long.err, /expected at most 2147483 seconds/);
});

test('score syn refuses --seconds without --interface, and a capture named twice (its SYNs counted twice, 0 µs apart)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-score-syn-'));
  try {
    const model = join(dir, 'model.json');
    writeFileSync(model, JSON.stringify(tinyModel().file));
    const { file } = syntheticCapture(dir, 7, ['benign-browsing'], 3, LINKTYPE.ETHERNET);
    const cut = run(['score', 'syn', '--model', model, '--seconds', '5', file]);
    assert.equal(cut.code, 2);
    assert.match(cut.err, /--seconds is how long to capture from --interface; capture files are read whole/);
    assert.equal(cut.out, '');
    symlinkSync(file, join(dir, 'link.pcap'));
    for (const second of [file, join(dir, '.', 'c.pcap'), join(dir, 'link.pcap')]) {
      const r = run(['score', 'syn', '--model', model, file, second]);
      assert.equal(r.code, 2, second);
      assert.match(r.err, /is given twice \(arguments 1 and 2\).*give each capture once/);
      assert.equal(r.out, '');
    }
    const once = run(['score', 'syn', '--model', model, file]);
    assert.equal(once.code, 0, once.err);
    assert.ok(once.out.trim().split('\n').length >= 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('score syn --interface scores the hosts an interface saw for --seconds', { skip: liveCaptureSkip() }, async () => {
  const port = await closedLoopbackPort();
  const cli = startCli(['score', 'syn', '--interface', 'lo', '--seconds', '3']);
  // the capture's seconds count from when tcpdump listens; connections to a closed port are a SYN and a reset each
  await cli.stderrMatch(/listening on lo/);
  await knock(port, 3);
  const r = await cli.done;
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /listening on lo for 3 s/);
  const lines = r.out.trim().split('\n').map((l) => l.split('\t'));
  const mine = lines.find((l) => l[1] === '127.0.0.1');
  assert.ok(mine !== undefined, r.out);
  assert.ok(Number(mine[0]) >= 0 && Number(mine[0]) <= 1);
});

test('eval syn without a real capture under --datasets stops at once instead of minutes of synthetic-only figures', () => {
  const r = run(['eval', 'syn', '--datasets', join(REPO_ROOT, 'no-such-datasets')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--datasets .*no-such-datasets: there is no such folder/);
  // a folder that is there but holds neither set
  const empty = mkdtempSync(join(tmpdir(), 'nml-eval-syn-empty-'));
  try {
    const e = run(['eval', 'syn', '--datasets', empty]);
    assert.equal(e.code, 2);
    assert.match(e.err, /syn evaluation: no real capture under .*nml-eval-syn-empty-/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('train and eval syn refuse an unknown --variant with a usage error that lists the layouts', () => {
  for (const cmd of ['train', 'eval']) {
    const r = run([cmd, 'syn', '--variant', 'pixels', '--datasets', '/nonexistent']);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /--variant.*'pixels' is invalid.*fields\+stats\+bag, fields\+stats, fields, bits, stats/s, `${cmd}: ${r.err}`);
  }
});

/** A `tcpdump` on PATH that says it listens, writes `pcap` to stdout and waits to be stopped. */
function fakeTcpdump(dir: string, pcap: string): NodeJS.ProcessEnv {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'tcpdump'), `#!/bin/sh\necho "tcpdump: listening on $2, link-type EN10MB (Ethernet)" >&2\ncat '${pcap}'\nexec sleep 30\n`);
  chmodSync(join(bin, 'tcpdump'), 0o755);
  return { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
}

test('score syn --interface holds more SYNs than one call takes arguments, and stops at --max-syns', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-score-syn-if-'));
  try {
    const model = join(dir, 'model.json');
    writeFileSync(model, JSON.stringify(tinyModel().file));
    // 140,000 SYNs of one host: spread into push they overflowed the stack (~125k arguments)
    const one = generateSyntheticSyns(4, 1).find((h) => h.tool === 'masscan')!.syns;
    const syns: SynPacket[] = Array.from({ length: 140_000 }, (_, i) => ({ ...one[i % one.length]!, t: one[0]!.t + i * 10 }));
    const pcap = join(dir, 'big.pcap');
    writeFileSync(pcap, writePcap(syns.map((s) => ({ t: s.t, frame: frame(synIpPacket(s), LINKTYPE.ETHERNET) })), { linktype: LINKTYPE.ETHERNET }));
    const env = fakeTcpdump(dir, pcap);
    const r = await runCli(['score', 'syn', '--model', model, '--interface', 'lo', '--seconds', '2'], { env });
    assert.equal(r.code, 0, r.err.slice(0, 2000));
    assert.match(r.err, /lo: 140000 SYNs/);
    assert.equal(r.out.trim().split('\n').length, 1);
    const capped = await runCli(['score', 'syn', '--model', model, '--interface', 'lo', '--seconds', '2', '--max-syns', '1000'], { env });
    assert.equal(capped.code, 2, capped.err);
    assert.match(capped.err, /interface lo: more than 1,000 SYNs in 2 s, the limit --max-syns 1000 sets; raise --max-syns/);
    assert.equal(capped.out, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('score syn --json writes its rows in chunks, not as one string of every host', async () => {
  const rows = Array.from({ length: 2500 }, (_, i) => ({ r: { subject: `10.0.${i >> 8}.${i & 255}`, score: (i % 97) / 97, explanation: { summary: 'x', detail: null } } as ScoreResult, packets: i + 1 }));
  rows.push({ r: { subject: '10.9.9.9', error: { code: 'SYN_BAD_INPUT', message: 'no SYNs' } }, packets: 0 });
  const writes: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => (writes.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    await writeJsonRows(rows, 'm1');
  } finally {
    process.stdout.write = write;
  }
  assert.ok(writes.length >= 3, `${writes.length} writes`);
  const lines = writes.join('').split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, 2501);
  const objs = lines.map((l) => JSON.parse(l) as { subject: string; score?: number; packets: number; modelVersion: string });
  assert.deepEqual(objs.map((o) => o.score ?? -1), [...objs.map((o) => o.score ?? -1)].sort((a, b) => b - a));
  assert.equal(objs.at(-1)!.subject, '10.9.9.9');
  assert.ok(objs.every((o) => o.modelVersion === 'm1'));
});

/** An output whose reader goes away after `keep` writes (as `| head -1` does after the first), recording what it was given. */
function closingOutput(keep: number): RowOutput & { writes: string[] } {
  const writes: string[] = [];
  return { writes, write: async (text) => void writes.push(text), closed: () => writes.length >= keep };
}

test('once the reader has gone, score syn turns no further chunk into JSON or score lines', async () => {
  const rows = Array.from({ length: 2500 }, (_, i) => ({ r: { subject: `10.0.${i >> 8}.${i & 255}`, score: (i % 97) / 97, explanation: { summary: 'x', detail: null } } as ScoreResult, packets: i + 1 }));
  const json = closingOutput(1);
  await writeJsonRows(rows, 'm1', json);
  assert.equal(json.writes.length, 1, 'one chunk of three');
  assert.equal(json.writes[0]!.split('\n').length - 1, 1000);
  assert.equal((JSON.parse(json.writes[0]!.split('\n')[0]!) as { score: number }).score, 96 / 97, 'the highest first, as ever');
  const lines = closingOutput(1);
  await writeScores(Array.from({ length: 25_000 }, (_, i) => ({ ip: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, score: (i % 89) / 89 })), lines);
  assert.equal(lines.writes.length, 1, 'one chunk of three');
  assert.match(lines.writes[0]!, /^0\.988764\t/);
});

test('score syn --json | head -1: the command ends when its reader goes away, exit 0, its first row written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-score-syn-pipe-'));
  try {
    // 400 hosts of 40 SYNs each: far more JSON (a few kB a host) than a pipe holds, so head leaves mid-write
    const one = generateSyntheticSyns(4, 1).find((h) => h.syns[0]!.v === 4 && h.syns.length >= 40)!.syns.slice(0, 40);
    const syns = Array.from({ length: 400 }, (_, h) => one.map((s, k) => ({ ...s, src: `10.7.${h >> 8}.${h & 255}`, t: one[0]!.t + (k * 400 + h) * 10 }))).flat();
    const file = join(dir, 'many.pcap');
    writeFileSync(file, writePcap(syns.map((s) => ({ t: s.t, frame: frame(synIpPacket(s), LINKTYPE.ETHERNET) })), { linktype: LINKTYPE.ETHERNET }));
    const node = shellCommand([]);
    // the paths are a temporary folder's and the repository's: no quote in them
    const r = spawnSync('bash', ['-c', `${node} score syn --json '${file}' | head -1; echo "status \${PIPESTATUS[0]}" >&2`], { cwd: REPO_ROOT, timeout: 120_000 });
    assert.notEqual(r.signal, 'SIGTERM', 'the command did not end when its reader went away');
    const err = r.stderr.toString();
    assert.match(err, /status 0\n$/, err);
    assert.doesNotMatch(err, /cannot write output|internal error/, 'EPIPE is not an error to report');
    const out = r.stdout.toString();
    assert.equal(out.split('\n').length, 2, 'one line');
    const first = JSON.parse(out) as { subject: string; packets: number; modelVersion: string };
    assert.match(first.subject, /^10\.7\.\d+\.\d+$/);
    assert.equal(first.packets, 40);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('score syn orders equal scores by address as numbers, IPv4 before IPv6 (by string 10.0.0.100 came before 10.0.0.9)', async () => {
  const ips = ['2001:db8::10', '10.0.0.100', '::ffff:10.0.0.1', '10.0.0.9', '2001:db8::9', '10.0.0.10', '9.255.255.255', '2001:db8:0:0:0:0:0:a'];
  const want = ['9.255.255.255', '10.0.0.9', '10.0.0.10', '10.0.0.100', '::ffff:10.0.0.1', '2001:db8::9', '2001:db8:0:0:0:0:0:a', '2001:db8::10'];
  assert.deepEqual([...ips].sort(compareAddrs), want);
  const lines = closingOutput(99);
  await writeScores([{ ip: '10.0.0.1', score: 0.9 }, ...ips.map((ip) => ({ ip, score: 0.5 }))], lines);
  assert.deepEqual(lines.writes.join('').trim().split('\n').map((l) => l.split('\t')[1]), ['10.0.0.1', ...want]);
  const json = closingOutput(99);
  await writeJsonRows(ips.map((ip) => ({ r: { subject: ip, score: 0.5, explanation: { summary: 'x', detail: null } } as ScoreResult, packets: 1 })), 'm1', json);
  assert.deepEqual(json.writes.join('').trim().split('\n').map((l) => (JSON.parse(l) as { subject: string }).subject), want);
});

test('score syn of a capture that is not there is bad input: exit 2, as docs/errors.md says (it exited 1)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-score-syn-'));
  try {
    const model = join(dir, 'model.json');
    writeFileSync(model, JSON.stringify(tinyModel().file));
    for (const args of [[], ['--json'], ['--stream']]) {
      const r = run(['score', 'syn', ...args, '--model', model, join(dir, 'nope.pcap')]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, /cannot open capture .*nope\.pcap: there is no such file; check the path/);
      assert.equal(r.out, '');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("packets not scored are said in words, most first, never as the reader's keys", () => {
  assert.equal(notScoredText({ not_syn: 1005, not_ip: 9, not_tcp: 4 }), '1,005 not a SYN (the rest of a connection: replies, ACKs, data), 9 not IP (ARP, LLDP, …), 4 not TCP (UDP, ICMP, …)');
  const every = notScoredText({ fragment: 1, short_packet: 2, bad_header: 3, unsupported_linktype: 4, truncated_file: 1 });
  assert.equal(every, '4 of a link type nml does not read, 3 with a header nml cannot read (damaged, a time out of range, an unknown pcapng interface), 2 cut short (by the snaplen, or damaged), 1 not a first IP fragment (no TCP header)');
  assert.equal(notScoredText({}), '');
});
