/**
 * A writer lane's thread: parses each raw line and hands the store what it indexes. It lives at the
 * composition level because it joins two stages (parse and store) that must not import each other.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseLine, type ParseOptions } from './parse/index.js';
import { indexText, runWriterLane, type LaneData, type StoredLine } from './store/index.js';

const data = workerData as LaneData;
const parseOptions = (data.prepareOptions ?? {}) as ParseOptions;
/** Event times further than this ahead of their receive time are not trusted to choose the shard. */
const MAX_FUTURE_MS = 24 * 3600_000;

function prepare(line: string, receivedAt: number, source: string): StoredLine {
  const raw = (line as unknown as { isWellFormed(): boolean }).isWellFormed() ? line : (line as unknown as { toWellFormed(): string }).toWellFormed();
  const ev = parseLine({ line: raw, receivedAt, source }, parseOptions);
  const time = Number.isFinite(ev.time) && ev.time <= receivedAt + MAX_FUTURE_MS && ev.time >= 0 ? ev.time : receivedAt;
  return { time, receivedAt, source, raw, text: indexText(ev) };
}

runWriterLane(parentPort!, data, prepare);
