import type { Command } from 'commander';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { FileSource, StdinSource, type Source } from '../../collect/index.js';
import { loadConfig, type CommonFlags } from '../open.js';
import { openStore } from '../../open-store.js';
import { AppError } from '../../core/index.js';

/** Bulk loads keep many batches in flight so that writer lanes commit large transactions; the store's high-water mark bounds memory. */
const BULK_BATCH = { maxRecords: 2000, maxInFlight: 512 };

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('store the lines of files (plain or .gz) or of stdin; returns once every line is committed')
    .argument('[files...]', "files to read; none or '-' reads stdin")
    .option('--data <dir>', 'data directory')
    .option('--config <file>', 'JSON configuration file')
    .option('--no-progress', 'no progress bar')
    .action(async (files: string[], flags: CommonFlags & { progress: boolean }) => {
      const config = loadConfig(flags);
      const useStdin = files.length === 0 || (files.length === 1 && files[0] === '-');
      if (!useStdin && files.includes('-')) throw new AppError('COLLECT_STDIN_WITH_FILES', 'bad_request', "ingest: '-' (stdin) cannot be mixed with files; ingest stdin on its own, then the files");
      const source: Source & { done(): Promise<unknown> } = useStdin ? new StdinSource({ batch: BULK_BATCH }) : new FileSource({ paths: files, follow: false, batch: BULK_BATCH });
      const store = openStore(config, { onProblem: (m) => process.stderr.write(`nml: store: ${m}\n`) });
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
      try {
        await source.start(store.writer);
        await source.done();
        await source.stop();
        await store.writer.flush();
      } catch (e) {
        failed = e;
      } finally {
        clearInterval(tick);
        bar?.stop();
        await store.close();
      }
      const s = source.stats();
      if (failed !== null) {
        // what was committed before the fault stays stored: say so, so a re-run is not a silent duplicate
        if (s.committed > 0) process.stderr.write(`nml: ingest stopped after ${s.committed} lines were stored; they stay in the store, and ingesting the same input again stores them twice\n`);
        throw failed;
      }
      const secs = (performance.now() - started) / 1000;
      // a line over the limit is stored cut (its head), not dropped: said apart, and no failure
      const { oversize, ...lost } = s.drops;
      const dropped = Object.values(lost).reduce((a, b) => a + b, 0);
      const droppedBy = Object.fromEntries(Object.entries(lost).filter(([, n]) => n > 0));
      process.stderr.write(
        `ingested ${s.committed} lines in ${secs.toFixed(1)} s (${Math.round(s.committed / secs)} lines/s)` +
          (oversize > 0 ? `, ${oversize} truncated (stored cut to their first 1 MiB)` : '') +
          (dropped > 0 ? `, ${dropped} dropped: ${JSON.stringify(droppedBy)}` : '') +
          '\n',
      );
      // which files and lines: an operator fixes the input, not a count
      if (source instanceof FileSource) {
        for (const o of source.oversizeLines()) {
          process.stderr.write(`nml: ${o.path}: ${o.count === 1 ? '1 line is' : `${o.count} lines are`} longer than 1 MiB (the first at line ${o.firstLine}); stored cut to the first 1 MiB, the rest of ${o.count === 1 ? 'it' : 'each'} dropped\n`);
        }
      } else if (oversize > 0) {
        process.stderr.write(`nml: stdin: ${oversize === 1 ? '1 line is' : `${oversize} lines are`} longer than 1 MiB; stored cut to the first 1 MiB, the rest of ${oversize === 1 ? 'it' : 'each'} dropped\n`);
      }
      if (dropped > 0) process.exitCode = 1;
    });
}

/** gzip's magic bytes first, as the file source recognises a .gz (whatever its name). */
function isGzip(path: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch {
    return false;
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
    if (isGzip(f)) return null;
    total += size;
  }
  return total;
}
