/**
 * Writes a generated corpus to a file for benchmarks: chunks of lines are generated as bytes while
 * the previous chunk is being written (one write in flight, so memory stays bounded whatever the
 * size), and the needle counts come back for the benchmark to assert against.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '../../core/index.js';
import { createGenerator, type GeneratorOptions, type PlantedNeedle } from './generator.js';

export interface CorpusOptions extends GeneratorOptions {
  /** lines generated per write; default 20,000 (about 4 MB) */
  chunkLines?: number;
}

export interface CorpusSummary {
  path: string;
  lines: number;
  bytes: number;
  /** time of the first and the last line, ms since epoch */
  start: number;
  end: number;
  needles: PlantedNeedle[];
}

async function writeAll(file: FileHandle, chunk: Buffer): Promise<void> {
  let done = 0;
  while (done < chunk.length) {
    const { bytesWritten } = await file.write(chunk, done, chunk.length - done);
    done += bytesWritten;
  }
}

/** Writes `lines` generated lines (each ended by a newline) to `path`, replacing the file. */
export async function writeCorpus(path: string, lines: number, opts: CorpusOptions = {}): Promise<CorpusSummary> {
  const chunkLines = opts.chunkLines ?? 20_000;
  if (!Number.isInteger(lines) || lines < 0) throw new AppError('DEMO_OPTIONS_INVALID', 'bad_request', `demo corpus: lines must be a non-negative integer, got ${lines}`);
  if (!Number.isInteger(chunkLines) || chunkLines < 1) throw new AppError('DEMO_OPTIONS_INVALID', 'bad_request', `demo corpus: chunkLines must be a positive integer, got ${chunkLines}`);
  const gen = createGenerator(opts);
  const file = await open(path, 'w');
  let bytes = 0;
  try {
    let inFlight: Promise<void> = Promise.resolve();
    for (let left = lines; left > 0; ) {
      const n = Math.min(chunkLines, left);
      const chunk = gen.fillBytes(n);
      left -= n;
      bytes += chunk.length;
      await inFlight;
      inFlight = writeAll(file, chunk);
    }
    await inFlight;
  } finally {
    await file.close();
  }
  return { path, lines, bytes, start: gen.startTime, end: gen.time, needles: gen.planted() };
}
