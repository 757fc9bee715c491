import type { Command } from 'commander';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { FileSource, inputsRefused, SNIFF_BYTES, StdinSource, type Source } from '../../collect/index.js';
import { loadConfig, type CommonFlags, DATA_HELP } from '../open.js';
import { openStore } from '../../open-store.js';
import { compactionText, type CompactionOutcome } from '../../store/index.js';
import { AppError, checkedSourceHost, startsGzip } from '../../core/index.js';
import { FindingsStore, guardedSink, ScoringSink, type NewFinding, type UrlLiveStats } from '../../detect/index.js';
import { logNewFindings, openUrlDetector, type UrlWiringLogger } from '../../url-wiring.js';
import { onStopSignals, STOP_SIGNALS, twoStageStop, type StopSignal } from '../signals.js';

/** Bulk loads keep many batches in flight so that writer lanes commit large transactions; the store's high-water mark bounds memory. */
const BULK_BATCH = { maxRecords: 2000, maxInFlight: 512 };

/** Listens for the stop signals while a load runs (`dispose` when it ended); `stoppedBy` says which one stopped it. */
function stopOnSignal(source: Source, bar: SingleBar | null): { stoppedBy(): StopSignal | null; dispose(): void } {
  let stoppedBy: StopSignal | null = null;
  // the first signal stops the load, so the batches in flight commit and the store closes, and the
  // lines said stored are the lines stored; a second quits at once with the signal's status (what was
  // committed stays; the store's next open recovers its write-ahead log)
  const onSignal = twoStageStop(
    (signal) => {
      stoppedBy = signal;
      bar?.stop();
      process.stderr.write(`nml: ingest: ${signal}: stopping; the lines read so far are being committed (${signal === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again quits at once)\n`);
      // the load's end is awaited where it runs, through done()
      source.stop().catch(() => undefined);
    },
    (status) => {
      process.stderr.write("nml: ingest: quit at once; the lines in flight were not all committed, nor the URLs of those committed all scored: count what is stored ('nml count') before ingesting the same input again\n");
      process.exit(status);
    },
  );
  return { stoppedBy: () => stoppedBy, dispose: onStopSignals(onSignal) };
}

const storedTwice = (n: number): string => `nml: ingest stopped after ${n} lines were stored; they stay in the store, and ingesting the same input again stores them twice\n`;

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('store the lines of files (plain or .gz) or of stdin; returns once every line is committed')
    .argument('[files...]', "files to read; none or '-' reads stdin")
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .option('--no-progress', 'no progress bar')
    .option('--no-detect', "store the lines without scoring their URLs (as with url.live false); by default they are scored as nml serve scores what it collects, and those above the threshold become findings")
    .option('--no-compact', "leave the shards of past hours as they were written; by default each closed hour's minute shards are merged into one before ingest returns (as nml serve does ten minutes after an hour ends), so searches over them open one file an hour (lines of hours long past are written one shard an hour and lane already)")
    .option('--binary-ok', 'store the lines of a file (or stdin) whose start is not text, as they are; by default one with many NUL or control bytes in its first 8 KiB (after any leading NULs) is refused, since a binary file (wtmp, btmp, random bytes) becomes lines of junk')
    .option('--host <name>', 'the host of lines whose header names none (an access log, a Zeek log, an app\'s own file): searchable as host:<name> and shown in the Host column; a header\'s own host wins. By default such lines have no host (a copied file is often from elsewhere)')
    .action(async (files: string[], flags: CommonFlags & { progress: boolean; detect: boolean; compact: boolean; binaryOk?: boolean; host?: string }) => {
      // checked before anything is read or opened: a bad host stores nothing
      const host = flags.host === undefined ? undefined : checkedSourceHost(flags.host, 'ingest: --host');
      const config = loadConfig(flags);
      const useStdin = files.length === 0 || (files.length === 1 && files[0] === '-');
      if (!useStdin && files.includes('-')) throw new AppError('COLLECT_STDIN_WITH_FILES', 'bad_request', "ingest: '-' (stdin) cannot be mixed with files; ingest stdin on its own, then the files");
      const binaryOk = flags.binaryOk === true;
      // every refused file at once, before the store opens: opening it creates the data directory, so a mistyped path would leave an empty store behind
      const refused = useStdin ? null : await inputsRefused(files, { binaryOk });
      if (refused !== null) throw refused;
      const source: Source & { done(): Promise<unknown> } = useStdin ? new StdinSource({ batch: BULK_BATCH, binaryOk, host }) : new FileSource({ paths: files, follow: false, batch: BULK_BATCH, binaryOk, host });
      const store = openStore(config, { onProblem: (m) => process.stderr.write(`nml: ${m}\n`), onTempFilesRemoved: (r) => process.stderr.write(`nml: ${r.message}\n`) });
      const scoring = flags.detect && config.url.live ? openScoring(config, store) : null;
      const sink = scoring === null ? store.writer : new ScoringSink(store.writer, scoring.live);
      const started = performance.now();
      const plan = useStdin ? null : progressTotal(files);
      const bar = !flags.progress || process.stderr.isTTY !== true || useStdin || plan === 0
        ? null
        : plan !== null
          ? new SingleBar({ format: 'ingest [{bar}] {percentage}% | {value}/{total} MB | {lines} lines | {rate} lines/s', stream: process.stderr })
          : new SingleBar({ format: 'ingest {value} MB read | {lines} lines | {rate} lines/s', stream: process.stderr });
      bar?.start(plan === null ? 0 : Math.ceil(plan / 1e6), 0, { lines: 0, rate: 0 });
      const tick = setInterval(() => {
        const s = source.stats();
        const secs = (performance.now() - started) / 1000;
        bar?.update(Math.floor(s.bytes / 1e6), { lines: s.committed, rate: Math.round(s.committed / secs) });
      }, 250);
      let failed: unknown = null;
      let merged: CompactionOutcome[] = [];
      let mergeSecs = 0;
      const signals = stopOnSignal(source, bar);
      try {
        await source.start(sink);
        await source.done();
        await source.stop();
        // the URLs still queued are scored, and the findings' own log lines stored, before the store closes
        await scoring?.live.close();
        await store.writer.flush();
      } catch (e) {
        failed = e;
      } finally {
        clearInterval(tick);
        bar?.stop();
        try {
          await scoring?.close();
          const compact = flags.compact && failed === null && signals.stoppedBy() === null;
          const t = performance.now();
          merged = await store.close({ compact });
          mergeSecs = (performance.now() - t) / 1000;
        } finally {
          // until the store is closed, a second signal still quits at once
          signals.dispose();
        }
      }
      const s = source.stats();
      const stoppedBy = signals.stoppedBy();
      if (stoppedBy !== null) {
        // stopping may cut a read short with an error of its own: the signal is the cause, not that
        process.stderr.write(storedTwice(s.committed));
        process.exitCode = STOP_SIGNALS[stoppedBy];
        return;
      }
      if (failed !== null) {
        // what was committed before the fault stays stored: say so, so a re-run is not a silent duplicate
        if (s.committed > 0) process.stderr.write(storedTwice(s.committed));
        throw failed;
      }
      // the merge of past hours after the lines were committed is said apart, not in the ingest rate
      const secs = (performance.now() - started) / 1000 - mergeSecs;
      // a line over the limit is stored cut (its head), not dropped: said apart, and no failure
      const { oversize, ...lost } = s.drops;
      const dropped = Object.values(lost).reduce((a, b) => a + b, 0);
      const droppedBy = Object.fromEntries(Object.entries(lost).filter(([, n]) => n > 0));
      process.stderr.write(
        `ingested ${s.committed} lines in ${secs.toFixed(1)} s (${Math.round(s.committed / secs)} lines/s)` +
          (oversize > 0 ? `, ${oversize} truncated (stored cut to their first 1 MiB)` : '') +
          (dropped > 0 ? `, ${dropped} dropped: ${JSON.stringify(droppedBy)}` : '') +
          // not events, so not stored: said, so that a line count compared with the files' adds up
          (s.headers > 0 ? `, ${s.headers} format header ${s.headers === 1 ? 'line' : 'lines'} (Zeek #fields, W3C #Fields: …) skipped` : '') +
          // stored, but altered: said, so that a search for the original text is not trusted blindly
          (s.notUtf8 > 0 ? `, ${s.notUtf8} with bytes that are not UTF-8 (stored with \ufffd in their place)` : '') +
          '\n',
      );
      if (scoring !== null) process.stderr.write(scoredText(scoring.live.stats(), scoring.findings(), scoring.lost()));
      const mergedText = compactionText(merged, mergeSecs);
      if (mergedText !== '') process.stderr.write(mergedText);
      // which files and lines: an operator fixes the input, not a count
      if (source instanceof FileSource) {
        for (const o of source.oversizeLines()) {
          process.stderr.write(`nml: ${o.path}: ${o.count === 1 ? '1 line is' : `${o.count} lines are`} longer than 1 MiB (the first at line ${o.firstLine}); stored cut to the first 1 MiB, the rest of ${o.count === 1 ? 'it' : 'each'} dropped\n`);
        }
      } else if (oversize > 0) {
        process.stderr.write(`nml: stdin: ${oversize === 1 ? '1 line is' : `${oversize} lines are`} longer than 1 MiB; stored cut to the first 1 MiB, the rest of ${oversize === 1 ? 'it' : 'each'} dropped\n`);
      }
      for (const n of source instanceof FileSource ? source.notUtf8Lines() : s.notUtf8 > 0 ? [{ path: 'stdin', count: s.notUtf8, firstLine: 0 }] : []) {
        process.stderr.write(notUtf8Text(n.path, n.count, n.firstLine));
      }
      if (dropped > 0) process.exitCode = 1;
    });
}

/** What `nml ingest` says of an input whose lines were not all UTF-8: how many, the first, and what to do. */
export function notUtf8Text(path: string, count: number, firstLine: number): string {
  const lines = count === 1 ? '1 line had bytes' : `${count} lines had bytes`;
  const first = firstLine > 0 ? ` (the first at line ${firstLine})` : '';
  return `nml: ${path}: ${lines} that are not UTF-8${first}, stored with \ufffd in their place: convert the input to UTF-8 (iconv -f latin1 -t utf-8, if it is Latin-1) or set the device to send UTF-8\n`;
}

/** A regular file's first bytes, as the file source reads them to tell gzip and refused formats (empty when unreadable). */
function headOf(path: string): Buffer {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(SNIFF_BYTES);
    return head.subarray(0, readSync(fd, head, 0, SNIFF_BYTES, 0));
  } catch {
    return Buffer.alloc(0);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * The bytes the progress bar counts up to: the files' sizes, or null when that is not what reading
 * them counts (the lines of a .gz are more bytes than the file; a pipe or device has no size). The
 * bar then shows what was read, without a percentage.
 */
export function progressTotal(files: readonly string[]): number | null {
  let total = 0;
  for (const f of files) {
    let size: number;
    try {
      const st = statSync(f);
      if (!st.isFile()) return null;
      size = st.size;
    } catch {
      continue; // the source reports it
    }
    if (startsGzip(headOf(f))) return null;
    total += size;
  }
  return total;
}

/** The URL scorer of a load, as `nml serve` runs it: findings into `<data>/findings.db`, each new one a log line too. */
function openScoring(config: ReturnType<typeof loadConfig>, store: ReturnType<typeof openStore>) {
  const log: UrlWiringLogger = { error: (_fields, message) => process.stderr.write(`nml: ingest: ${message}\n`) };
  const findings = new FindingsStore(join(resolve(config.dataDir), 'findings.db'));
  let lost = 0;
  const guarded = guardedSink(findings, (err, f) => {
    lost += f.length;
    log.error({}, `${f.length} findings not stored: ${err instanceof Error ? err.message : String(err)}`);
  });
  // the findings the load raised or saw again, each once: the scorer's count is of records (a host's summed row is recorded at every flush)
  const touched = new Set<string>();
  const sink = {
    record(f: readonly NewFinding[]): void {
      for (const x of f) touched.add(`${x.detector}\u0000${x.entity}`);
      guarded.record(f);
    },
  };
  // a queue as large as a load needs: the sink holds the load back long before it fills
  const url = openUrlDetector(config, sink, findings, log, 'ingest', 1_000_000);
  if (url === null || url.live === null) {
    findings.close();
    return null;
  }
  const unlog = logNewFindings(findings, store, log);
  const live = url.live;
  return {
    live,
    lost: () => lost,
    findings: () => touched.size,
    close: async () => {
      unlog();
      findings.close();
      await url.detector.close();
    },
  };
}

/** What scoring the load's URLs found, for stderr. */
function scoredText(st: UrlLiveStats, findings: number, lost: number): string {
  const parts = [`scored ${st.scored} distinct URLs of ${st.urls} found`];
  if (findings > 0) parts.push(`${findings === 1 ? '1 finding' : `${findings} findings`} raised or seen again (nml findings list --data …, or the Alerts page)`);
  else parts.push('no finding');
  if (st.ignored > 0) parts.push(`${st.ignored} on url.ignore`);
  if (st.dropped > 0) parts.push(`${st.dropped} not scored (the model failed on them: see above)`);
  if (lost > 0) parts.push(`${lost} findings not stored (see above)`);
  return `nml: ingest: ${parts.join(', ')}\n`;
}
