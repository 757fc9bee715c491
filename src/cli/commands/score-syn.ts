/**
 * `nml score syn FILE...` (or `--interface IFACE --seconds N`): one `score<TAB>ip` line per source host
 * of the captures (pcap or pcapng) or of what the interface saw, highest first; `--json` for details.
 */
import type { Command } from 'commander';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { AppError, parseIPv4, parseIPv6 } from '../../core/index.js';
import { captureInterface, capturedTargets, DEFAULT_SYN_MODEL, forEachSynInFile, groupByHost, newStats, STDIN_CAPTURE, synBatches, replayCaptures, SynBatchScorer, SynDetector, SynLiveBoard, SynModel, joinRuns, summaryScore, type HostTotals, type ReadStats, type SkipReason, type RunSummary, type ScoreResult, type SynPacket, type BoardTargets } from '../../detect/index.js';
import { errText, outputClosed, writeOut } from '../output.js';
import { positiveInt, seconds } from './args.js';

/**
 * SYNs held in memory at most: scoring keeps every SYN of the captures (about 500 bytes each, measured on
 * syn_packets.pcap), so by default what half the heap holds at 600 bytes a SYN (~3.6M with node's default
 * 4.3 GB heap). Past it the command stops with a clear error instead of running out of memory.
 */
export function defaultMaxSyns(): number {
  return Math.floor((getHeapStatistics().heap_size_limit * 0.5) / 600);
}

/** How long tcpdump may take to say it listens before the capture's seconds start counting anyway. */
const LISTEN_WAIT_MS = 10_000;

/**
 * The SYNs an interface sees in `seconds` from when tcpdump listens (see interface-capture.ts), at most
 * `maxSyns`: past them the capture stops and SYN_CAPTURE_TOO_LARGE says so. Each SYN is pushed on its
 * own: spreading a batch into `push` takes one call argument per SYN and overflows the stack past ~125k.
 */
async function captureFor(iface: string, seconds: number, limit: SynLimit, log: (line: string) => void): Promise<SynPacket[]> {
  const maxSyns = limit.max;
  const syns: SynPacket[] = [];
  let full = false;
  let timer: NodeJS.Timeout | undefined;
  const countFromNow = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => cap.stop(), seconds * 1000);
  };
  const cap = captureInterface({
    iface,
    onSyns: (batch) => {
      for (const s of batch) {
        if (full) return;
        if (syns.length >= maxSyns) {
          full = true;
          cap.stop();
          return;
        }
        syns.push(s);
      }
    },
    onListening: () => {
      log(`listening on ${iface} for ${seconds} s`);
      countFromNow();
    },
  });
  // a start slower than this (or a tcpdump that never says so) still ends
  timer = setTimeout(countFromNow, LISTEN_WAIT_MS);
  try {
    const stats = await cap.done;
    if (full) throw tooManyLive(iface, seconds, limit);
    log(`${iface}: ${stats.syns} SYNs`);
  } finally {
    clearTimeout(timer);
  }
  return syns;
}

/** Hosts the streaming board keeps at once; a host dropped to make room and seen again continues in a new stay, and its stays' windows are joined into one run score (`joinRuns`). */
const STREAM_HOSTS = 100_000;

/**
 * `--stream`: the captures replayed as fast as the live board scores them (through onnxruntime), every
 * host's window-run summary kept as the board drops it, then one `score<TAB>ip` line per host, highest first.
 * Memory: the board's bounded state plus one small record per host.
 */
async function scoreStreaming(files: string[], modelPath: string): Promise<void> {
  const model = SynModel.load(modelPath);
  const scorer = await SynBatchScorer.create(model);
  const totals = new Map<string, RunSummary>();
  const keep = (h: HostTotals): void => {
    const t = totals.get(h.ip);
    totals.set(h.ip, t === undefined ? h.run : joinRuns(t, h.run));
  };
  // no idle drops: a capture's quiet hours must not split its hosts; partial windows scored once, at the end
  const board = new SynLiveBoard({ model, scorer, maxHosts: STREAM_HOSTS, idleMs: Number.MAX_SAFE_INTEGER / 1000, onDrop: keep, partialsAtEnd: true });
  try {
    // several captures of one period play as one, merged by time (as the in-memory path sorts them)
    const stats = await replayCaptures(board, files, { speed: 0 });
    files.forEach((f, i) => reportSkipped(shown(f), stats[i]!));
    while (board.pending > 0) await board.step();
    for (const h of await board.finalTotals()) keep(h);
  } finally {
    await scorer.close();
  }
  await writeScores([...totals].map(([ip, t]) => ({ ip, score: summaryScore(t) })));
}

/** A capture argument as a path: `-` (standard input) stays itself. */
const capturePath = (f: string): string => (f === STDIN_CAPTURE ? f : resolve(f));

/** A capture as messages name it. */
const shown = (f: string): string => (f === STDIN_CAPTURE ? 'standard input' : f);

/** Every SYN piped into standard input, through `onSyn`. */
async function forEachSynOnStdin(onSyn: (s: SynPacket) => void): Promise<ReadStats> {
  const stats = newStats();
  for await (const batch of synBatches(STDIN_CAPTURE, stats)) for (const s of batch) onSyn(s);
  return stats;
}

/** Where the rows go: stdout, until its reader has gone (`| head -1`, EPIPE); a test gives its own. */
export interface RowOutput {
  write(text: string): Promise<void>;
  closed(): boolean;
}

const STDOUT: RowOutput = { write: writeOut, closed: outputClosed };

/**
 * Addresses in numeric order: IPv4 before IPv6, each by value (10.0.0.9 before 10.0.0.10 before
 * 10.0.0.100; by string they came 10.0.0.10, 10.0.0.100, 10.0.0.9), anything else last by string.
 */
export function compareAddrs(a: string, b: string): number {
  // IPv4: 4 octets, IPv6: 8 groups; so IPv4 first, then each by value
  const x = parseIPv4(a) ?? parseIPv6(a);
  const y = parseIPv4(b) ?? parseIPv6(b);
  if (x === null || y === null) return x !== null ? -1 : y !== null ? 1 : a < b ? -1 : a > b ? 1 : 0;
  if (x.length !== y.length) return x.length - y.length;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `score<TAB>ip` lines, highest first (ties by address, compareAddrs), written in chunks so that no one string grows
 * with the capture. Once the reader has gone no further chunk is formatted: every host is scored before
 * the first line (the order needs every score), so what is left to save then is the formatting.
 */
export async function writeScores(rows: { ip: string; score: number }[], out: RowOutput = STDOUT): Promise<void> {
  rows.sort((a, b) => b.score - a.score || compareAddrs(a.ip, b.ip));
  for (let i = 0; i < rows.length && !out.closed(); i += 10_000) await out.write(rows.slice(i, i + 10_000).map((r) => `${r.score.toFixed(6)}\t${r.ip}\n`).join(''));
}

/** What a packet not scored was, per reason the reader counts (`truncated_file` has its own message). */
const NOT_SCORED: Record<Exclude<SkipReason, 'truncated_file'>, string> = {
  not_syn: 'not a SYN (the rest of a connection: replies, ACKs, data)',
  not_tcp: 'not TCP (UDP, ICMP, …)',
  not_ip: 'not IP (ARP, LLDP, …)',
  fragment: 'not a first IP fragment (no TCP header)',
  short_packet: 'cut short (by the snaplen, or damaged)',
  bad_header: 'with a header nml cannot read (damaged, a time out of range, an unknown pcapng interface)',
  unsupported_linktype: 'of a link type nml does not read',
};

const count = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * `1,005 not a SYN (…), 9 not IP (…)`: packets not scored, most first, in words. It read `skipped
 * {"not_syn":8120}`: the reader's keys, "skipped" beside no unit, read by a review as hosts left out.
 */
export function notScoredText(skipped: ReadStats['skipped']): string {
  return Object.entries(skipped)
    .filter(([reason]) => reason !== 'truncated_file')
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${n.toLocaleString('en-US')} ${NOT_SCORED[reason as keyof typeof NOT_SCORED] ?? reason}`)
    .join(', ');
}

/**
 * What the reader skipped in a file, and SYNs whose options it could not read whole, on stderr. With
 * `quiet` (--json) the routine count of packets that are not SYNs is left out, but not what changes what
 * the scores mean: a file without a SYN (no line on stdout, exit 0 as ever), a file cut short (the rest of
 * it was not scored), and SYNs whose options the snaplen cut (their fingerprint is partial).
 */
function reportSkipped(file: string, stats: ReadStats, quiet = false): void {
  if (stats.syns === 0) {
    const skipped = notScoredText(stats.skipped);
    process.stderr.write(errText(`${file} holds no TCP SYN packets (${count(stats.records, 'packet')} read, none a SYN${skipped === '' ? '' : `: ${skipped}`}): no host to score\n`));
    return;
  }
  // a cut file said only `skipped {"truncated_file":1}`: not where it ends, nor that what came before was scored
  if (stats.truncatedAt !== undefined) process.stderr.write(errText(`${file} ends inside a packet at byte ${stats.truncatedAt} (cut short: copied or read while still being written?): scored the ${count(stats.syns, 'SYN')} of the ${count(stats.records, 'whole packet')} before it; the rest is not in the file\n`));
  // packets, not hosts: every source of a SYN is scored, and the rest of a full capture is not SYNs
  const others = notScoredText(stats.skipped);
  const notScored = Object.entries(stats.skipped).reduce((n, [reason, k]) => (reason === 'truncated_file' ? n : n + k), 0);
  if (others !== '' && !quiet) process.stderr.write(errText(`${file}: scored ${count(stats.syns, 'SYN')} of ${count(stats.records, 'packet')}, every host that sent a SYN; the other ${count(notScored, 'packet')} are not scored: ${others}\n`));
  if (stats.truncatedOptions !== undefined) process.stderr.write(errText(`${file}: ${stats.truncatedOptions} SYNs with TCP options cut off by the capture's snaplen (their fingerprint lacks the rest; capture with a larger -s)\n`));
}

/** The SYN limit: `given` when --max-syns set it (then the message names it), else what the heap holds (defaultMaxSyns). */
interface SynLimit {
  max: number;
  given: boolean;
}

function tooMany(file: string, limit: SynLimit): AppError {
  const { max, given } = limit;
  return new AppError(
    'SYN_CAPTURE_TOO_LARGE',
    'bad_request',
    given
      ? `${file}: the captures hold more than ${max.toLocaleString('en-US')} SYNs, the limit --max-syns ${max} sets. Raise --max-syns, or score them as they stream past with --stream (bounded memory, no limit)`
      : `${file}: the captures hold more than ${max.toLocaleString('en-US')} SYNs, more than nml score syn holds in memory. Score them as they stream past with --stream (bounded memory), split the capture (editcap -c), or give node more heap (NODE_OPTIONS=--max-old-space-size=16384 raises the limit with it, or --max-syns)`,
  );
}

function tooManyLive(iface: string, seconds: number, limit: SynLimit): AppError {
  const { max, given } = limit;
  return new AppError(
    'SYN_CAPTURE_TOO_LARGE',
    'bad_request',
    given
      ? `interface ${iface}: more than ${max.toLocaleString('en-US')} SYNs in ${seconds} s, the limit --max-syns ${max} sets; raise --max-syns, capture for fewer --seconds, or watch the interface with nml serve --syn-interface (bounded memory)`
      : `interface ${iface}: more than ${max.toLocaleString('en-US')} SYNs in ${seconds} s, more than nml score syn holds in memory; capture for fewer --seconds, watch the interface with nml serve --syn-interface (bounded memory), or give node more heap (NODE_OPTIONS=--max-old-space-size=16384 raises the limit with it, or --max-syns)`,
  );
}

/** Hosts per `--json` write: each row holds an explanation of a few kB. */
const JSON_CHUNK = 1000;

/**
 * `--json`: one object per host, highest first (ties by address, compareAddrs), written in chunks (one string of every row passes V8's
 * string limit past ~130k hosts). Once the reader has gone no further chunk is turned into JSON, which
 * is a tenth of a full run (the explanations are long).
 */
export async function writeJsonRows(rows: { r: ScoreResult; packets: number; targets?: BoardTargets }[], modelVersion: string, out: RowOutput = STDOUT): Promise<void> {
  const score = (r: ScoreResult): number => ('score' in r ? r.score : -1);
  rows.sort((a, b) => score(b.r) - score(a.r) || compareAddrs(a.r.subject, b.r.subject));
  for (let i = 0; i < rows.length && !out.closed(); i += JSON_CHUNK) {
    await out.write(rows.slice(i, i + JSON_CHUNK).map(({ r, packets, targets }) => JSON.stringify({ ...r, packets, modelVersion, ...(targets === undefined ? {} : { targets }) }) + '\n').join(''));
  }
}

/**
 * The message for a capture named twice, or null. Its SYNs would be read twice into one sample: each host
 * twice as many SYNs, each a pair 0 µs apart, a pace no stack sends (a benign client scored as a flood).
 * Paths are compared as the files they name (`./a.pcap`, `a.pcap` and a link to it are one file).
 */
export function sameCaptureTwice(files: readonly string[]): string | null {
  const seen = new Map<string, number>();
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    if (f === STDIN_CAPTURE) continue;
    let key = resolve(f);
    try {
      key = realpathSync(key);
    } catch {
      // not there (or not readable): the read says so, with its own error
    }
    const first = seen.get(key);
    if (first !== undefined) return `capture ${shown(f)} is given twice (arguments ${first + 1} and ${i + 1}), and its SYNs would be counted twice, each pair 0 µs apart; give each capture once`;
    seen.set(key, i);
  }
  return null;
}

export function addScoreSyn(score: Command): void {
  score
    .command('syn')
    .description('score the source hosts of pcap/pcapng captures from their TCP SYNs: `score<TAB>ip` per host, highest first')
    .argument('[files...]', 'pcap or pcapng files (read as one traffic sample); - reads one from standard input (tcpdump -w - ... | nml score syn -)')
    .option('--interface <name>', 'instead of files: capture SYNs from this interface (tcpdump; root or CAP_NET_RAW)')
    .option('--seconds <n>', 'with --interface: how long to capture', seconds, 10)
    .option('--model <file>', 'model file (default: the shipped models/syn/model.json)')
    .option('--json', 'one JSON object per host: score, packets, explanation (rows and fields of its image that mattered), targets (the ports and addresses it sent SYNs to, as the Hosts page lists them)')
    .option('--stream', 'for captures too large to hold: score hosts as their SYNs stream past, in bounded memory (the live board\'s way: the best run of 4 over all of a host\'s 32-SYN windows, also across the times it dropped and saw the host again); not with --json or --interface')
    .option('--max-syns <n>', 'stop with an error past this many SYNs (default: what half the heap holds, ~3.6M with the default heap)', positiveInt)
    .action(async (files: string[], flags: { model?: string; json?: boolean; interface?: string; seconds: number; maxSyns?: number; stream?: boolean }, cmd: Command) => {
      // neither and both are different mistakes, each said with its own way out
      if (files.length === 0 && flags.interface === undefined) cmd.error('error: nothing to score: give pcap or pcapng files (- for standard input), or --interface NAME to capture from');
      if (files.length > 0 && flags.interface !== undefined) cmd.error(`error: capture files and --interface ${flags.interface} were both given; score the files, or capture from the interface, in separate runs`);
      if (files.filter((f) => f === STDIN_CAPTURE).length > 1) cmd.error('error: - (standard input) can be given once');
      // the default 10 s would otherwise be taken for a cut of the files, which are read whole
      if (flags.interface === undefined && cmd.getOptionValueSource('seconds') === 'cli') cmd.error('error: --seconds is how long to capture from --interface; capture files are read whole (to score a part of one, cut it first: editcap -A START -B END in.pcap part.pcap)');
      const twice = sameCaptureTwice(files);
      if (twice !== null) cmd.error(`error: ${twice}`);
      if (flags.stream === true) {
        if (flags.interface !== undefined) cmd.error('error: --stream reads capture files; --interface captures into memory already: leave out --stream');
        if (flags.json === true) cmd.error("error: --stream prints score<TAB>ip lines only, without the explanations --json gives; leave out --json, or leave out --stream where the captures fit in memory");
        await scoreStreaming(files.map(capturePath), flags.model === undefined ? DEFAULT_SYN_MODEL : resolve(flags.model));
        return;
      }
      const d = SynDetector.fromFile(flags.model === undefined ? DEFAULT_SYN_MODEL : resolve(flags.model));
      const limit: SynLimit = flags.maxSyns === undefined ? { max: defaultMaxSyns(), given: false } : { max: flags.maxSyns, given: true };
      const maxSyns = limit.max;
      let syns: SynPacket[] = [];
      if (flags.interface !== undefined) {
        try {
          syns = await captureFor(flags.interface, flags.seconds, limit, (l) => process.stderr.write(l + '\n'));
        } catch (e) {
          await d.close();
          throw e instanceof AppError ? e : new AppError('SYN_CAPTURE_FAILED', 'unavailable', String(e));
        }
      }
      for (const f of files) {
        let stats;
        try {
          const onSyn = (s: SynPacket): void => {
            if (syns.length >= maxSyns) throw tooMany(shown(f), limit);
            syns.push(s);
          };
          stats = f === STDIN_CAPTURE ? await forEachSynOnStdin(onSyn) : forEachSynInFile(resolve(f), onSyn);
        } catch (e) {
          await d.close();
          throw e;
        }
        reportSkipped(shown(f), stats, flags.json === true);
      }
      const hosts = groupByHost(syns);
      try {
        if (flags.json === true) {
          const results = await d.score(hosts);
          // what each host sent its SYNs to, as the Hosts page's panel says it (every count exact here)
          await writeJsonRows(results.map((r, i) => ({ r, packets: hosts[i]!.syns.length, targets: capturedTargets(hosts[i]!.syns) })), d.modelVersion);
        } else {
          const scores = await d.scoreFast(hosts);
          await writeScores(hosts.map((h, i) => ({ ip: h.ip, score: scores[i]! })));
        }
      } finally {
        await d.close();
      }
    });
}
