/**
 * SYN detector benchmark (`npm run bench -- syn`, which builds and runs dist/bench/syn.js): SYN extraction from a pcap file
 * against a plain read and a frame walk of the same file in the same run, and host scoring rates.
 * Writes bench/results/<date>-syn.md and .json.
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMachine } from './machine.js';
import { median } from './timing.js';
import { codeKind, repoRoot } from './root.js';
import { CaptureParser } from '../src/detect/syn/capture-parser.js';
import { LINKTYPE } from '../src/detect/syn/decode.js';
import { frame, synIpPacket, writePcap } from '../src/detect/syn/pcap-writer.js';
import { forEachSynInFile } from '../src/detect/syn/read.js';
import { newStats } from '../src/detect/syn/types.js';
import { generateSynthetic } from '../src/detect/syn/synth.js';
import { SynBatchScorer, SynModel } from '../src/detect/syn/model.js';
import { loadavg } from 'node:os';
import { SynDetector } from '../src/detect/syn/detector.js';
import { SynLiveBoard } from '../src/detect/syn/board.js';
import { replayCapture } from '../src/detect/syn/replay.js';
import { DEFAULT_SYN_MODEL } from '../src/detect/syn/paths.js';
import { tinyModel } from '../src/detect/syn/testing.js';

const ROOT = repoRoot(import.meta.url);
const CODE = codeKind(import.meta.url);
const REAL = join(ROOT, '..', 'shared', 'datasets', 'syn-pcaps', 'syn_packets.pcap');
const N = Number(process.env.SYN_BENCH_PACKETS ?? 1_000_000);

/**
 * Median CPU time (user + system, ms) of `runs` calls. CPU time, not wall time: the machine is shared,
 * and a wall clock counts the time other jobs hold the cores (rates are then per core-second).
 */
function time(runs: number, fn: () => void): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    ms.push((c.user + c.system) / 1000);
  }
  return median(ms);
}

function plainRead(path: string): number {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let n = 0;
  let x = 0;
  for (;;) {
    const r = readSync(fd, buf, 0, buf.length, null);
    if (r === 0) break;
    n += r;
    x ^= buf[r - 1]!;
  }
  closeSync(fd);
  return n + (x & 0);
}

function frameWalk(path: string): number {
  let n = 0;
  const p = new CaptureParser(() => void n++, newStats());
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  for (;;) {
    const r = readSync(fd, buf, 0, buf.length, null);
    if (r === 0) break;
    p.push(buf.subarray(0, r));
  }
  closeSync(fd);
  p.end();
  return n;
}

/** Extraction from `path` against a plain read and a frame walk; the rate is the SYNs it counted per CPU second. */
function extraction(path: string) {
  let syns = 0;
  let packets = 0;
  const read = time(5, () => plainRead(path));
  const walk = time(5, () => {
    packets = frameWalk(path);
  });
  const ext = time(5, () => {
    syns = 0;
    forEachSynInFile(path, () => void syns++);
  });
  return { packets, syns, plainReadMs: read, frameWalkMs: walk, extractMs: ext, synsPerSec: Math.round(syns / (ext / 1000)), ratioToPlainRead: ext / read, ratioToFrameWalk: ext / walk };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nml-syn-bench-'));
  try {
    // a large Ethernet capture of synthetic SYNs (mixed tools and stacks, with options)
    const hosts = generateSynthetic(42, 4);
    const big = join(dir, 'big.pcap');
    {
      // built in a block so that the records are garbage before anything is timed
      const frames = hosts.flatMap((h) => h.syns).slice(0, 20_000).map((s) => frame(synIpPacket(s), LINKTYPE.ETHERNET));
      writeFileSync(big, writePcap(Array.from({ length: N }, (_, i) => ({ t: 1.7e15 + i * 10, frame: frames[i % frames.length]! })), { linktype: LINKTYPE.ETHERNET }));
    }
    (globalThis as { gc?: () => void }).gc?.();
    const synthetic = extraction(big);
    const real = existsSync(REAL) ? extraction(REAL) : null;

    const model = existsSync(DEFAULT_SYN_MODEL) ? SynModel.load(DEFAULT_SYN_MODEL) : tinyModel();
    const scoreHosts = hosts.filter((h) => h.syns.length >= 32).map((h) => ({ ip: h.ip, syns: h.syns.slice(0, 32) }));
    const reps = Math.ceil(20_000 / scoreHosts.length);
    const many = Array.from({ length: reps }, () => scoreHosts).flat();
    const cnnMs = time(3, () => {
      for (const h of many) model.scoreHost(h.syns);
    });
    const scorer = await SynBatchScorer.create(model);
    const hostSyns = many.map((h) => h.syns);
    await scorer.scoreHosts(hostSyns.slice(0, 100));
    const ortMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const c0 = process.cpuUsage();
      await scorer.scoreHosts(hostSyns);
      const c = process.cpuUsage(c0);
      ortMs.push((c.user + c.system) / 1000);
    }
    await scorer.close();
    const detector = new SynDetector(model);
    const few = many.slice(0, 2000);
    const e0 = process.cpuUsage();
    await detector.score(few);
    const e1 = process.cpuUsage(e0);
    const explainMs = (e1.user + e1.system) / 1000;
    const board = new SynLiveBoard({ model, maxHosts: 100_000, idleMs: 1e12, flushBudgetMs: Infinity });
    // the board re-scores whole hosts: feed it many hosts with full windows (sources renamed to be distinct)
    board.add(many.slice(0, 10_000).flatMap((h, k) => h.syns.map((s) => ({ ...s, src: `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}` }))));
    const b0 = process.cpuUsage();
    const changed = board.flush().length;
    const b1 = process.cpuUsage(b0);
    const boardMs = (b1.user + b1.system) / 1000;
    // the same through onnxruntime (what `nml serve` uses once its session has loaded), 4,096 windows a flush
    const boardScorer = await SynBatchScorer.create(model);
    const ab = new SynLiveBoard({ model, maxHosts: 100_000, idleMs: 1e12, flushBudgetMs: Infinity, scorer: boardScorer });
    ab.add(many.slice(0, 10_000).flatMap((h, k) => h.syns.map((s) => ({ ...s, src: `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}` }))));
    const a0 = process.cpuUsage();
    let asyncChanged = 0;
    while (ab.pending > 0) asyncChanged += (await ab.step()).length;
    const a1 = process.cpuUsage(a0);
    const asyncBoardMs = (a1.user + a1.system) / 1000;
    await boardScorer.close();
    // `nml score syn --stream`'s path: the 1M-SYN capture replayed through the board as fast as it scores
    const streamScorer = await SynBatchScorer.create(model);
    const sb = new SynLiveBoard({ model, scorer: streamScorer, maxHosts: 100_000, idleMs: Number.MAX_SAFE_INTEGER / 1000 });
    const st0 = process.cpuUsage();
    await replayCapture(sb, big, { speed: 0 });
    while (sb.pending > 0) await sb.step();
    const st1 = process.cpuUsage(st0);
    const streamMs = (st1.user + st1.system) / 1000;
    await streamScorer.close();

    const result = {
      date: new Date().toISOString(),
      loadAverage: loadavg().map((x) => Math.round(x * 10) / 10),
      machine: describeMachine(),
      extraction: { synthetic, real },
      scoring: {
        model: model.file.version,
        hosts: many.length,
        windowRows: 32,
        hostsPerSec: Math.round(many.length / (cnnMs / 1000)),
        onnxHostsPerSec: Math.round(many.length / (median(ortMs) / 1000)),
        withExplanationHostsPerSec: Math.round(few.length / (explainMs / 1000)),
        boardFlush: { hosts: changed, hostsPerSec: Math.round(changed / (boardMs / 1000)) },
        boardFlushOnnx: { hosts: asyncChanged, hostsPerSec: Math.round(asyncChanged / (asyncBoardMs / 1000)) },
        stream: { syns: sb.packets, hosts: sb.stats().tracked, synsPerSec: Math.round(sb.packets / (streamMs / 1000)) },
      },
      targets: { synsPerSec: 1_000_000, hostsPerSec: 10_000 },
    };
    const f = (n: number): string => n.toLocaleString('en-US');
    const ex = (name: string, e: typeof synthetic | null): string =>
      e === null
        ? `| ${name} | (absent) | | | | | |`
        : `| ${name} | ${f(e.packets)} | ${f(e.syns)} | ${f(e.synsPerSec)} | ${e.plainReadMs.toFixed(1)} ms | ${e.frameWalkMs.toFixed(1)} ms | ${e.extractMs.toFixed(1)} ms (${e.ratioToPlainRead.toFixed(1)}× plain read, ${e.ratioToFrameWalk.toFixed(1)}× frame walk) |`;
    const md = [
      `# SYN detector benchmark, ${result.date.slice(0, 10)}`,
      '',
      `Machine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memGiB} GiB, ${result.machine.os}, Node ${result.machine.node}. Code: ${CODE}. Rates are per CPU-second of this process (user + system time from process.cpuUsage), because the ${result.machine.cores} cores may be shared; one thread (onnxruntime: one intra-op thread). Extraction: medians of 5 runs; TypeScript and onnxruntime scoring: medians of 3 runs; the rows marked "one run" (explanation, board flushes, stream) are a single run without warm-up. Load average at the end ${result.loadAverage.join(', ')} (other jobs may have shared the machine).`,
      '',
      '## SYN extraction from a file (target ≥ 1,000,000 SYNs/s per core)',
      '',
      '| capture | packets (frame walk) | SYNs extracted | SYNs extracted per CPU-second | plain read (baseline, CPU) | frame walk (baseline, CPU) | extraction (CPU) |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ex('synthetic Ethernet pcap (options, mixed stacks)', synthetic),
      ex('syn-pcaps/syn_packets.pcap (raw IPv4)', real),
      '',
      '## Scoring (target ≥ 10,000 hosts/s)',
      '',
      `Model \`${result.scoring.model}\` (TypeScript CNN on the CPU, one thread), hosts with full 32-SYN windows (image + forward pass):`,
      '',
      `| measure | hosts per CPU-second |`,
      `| --- | --- |`,
      `| image + CNN score, TypeScript forward pass | ${f(result.scoring.hostsPerSec)} |`,
      `| image + CNN score, onnxruntime-node in batches of 4,096 (\`SynDetector.scoreFast\`, \`nml score syn\`) | ${f(result.scoring.onnxHostsPerSec)} |`,
      `| SynDetector.score with explanation (gradient × input), ${f(few.length)} hosts, one run | ${f(result.scoring.withExplanationHostsPerSec)} |`,
      `| live board flush (${f(changed)} hosts of 32 SYNs, no time budget), TypeScript pass, one run | ${f(result.scoring.boardFlush.hostsPerSec)} |`,
      `| live board flush, the same hosts through onnxruntime (\`flushAsync\`, 4,096 windows a flush), one run | ${f(result.scoring.boardFlushOnnx.hostsPerSec)} |`,
      '',
      `\`nml score syn --stream\`'s path (the synthetic capture replayed through the board, onnxruntime, every window scored; one run): ${f(result.scoring.stream.syns)} SYNs of ${f(result.scoring.stream.hosts)} hosts at ${f(result.scoring.stream.synsPerSec)} SYNs per CPU-second, reading included.`,
      '',
    ].join('\n');
    const out = join(ROOT, 'bench', 'results');
    mkdirSync(out, { recursive: true });
    const stem = join(out, `${result.date.slice(0, 10)}-syn`);
    writeFileSync(`${stem}.json`, JSON.stringify(result, null, 2) + '\n');
    writeFileSync(`${stem}.md`, md + '\n');
    process.stdout.write(md + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
