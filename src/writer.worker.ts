/**
 * A writer lane's thread: parses each raw line and hands the store what it indexes. It lives at the
 * composition level because it joins two stages (parse and store) that must not import each other.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { extractRelations, parseLine, trustedTime, type ParseOptions } from './parse/index.js';
import { hostOf, indexParts, runWriterLane, sourceOf, type LaneData, type StoredLine } from './store/index.js';

const data = workerData as LaneData;
const parseOptions = (data.prepareOptions ?? {}) as ParseOptions;
/** relation edges for the relation index, when the store keeps one (entities must be on: they gate it) */
const withRelations = data.relations !== null && parseOptions.entities !== false;

/** the last stored source seen, split into its name and host (store/stored-source.ts): a batch's lines mostly share one */
let seen = { stored: '', source: '', host: undefined as string | undefined };

function prepare(line: string, receivedAt: number, source: string): StoredLine {
  const raw = (line as unknown as { isWellFormed(): boolean }).isWellFormed() ? line : (line as unknown as { toWellFormed(): string }).toWellFormed();
  if (source !== seen.stored) seen = { stored: source, source: sourceOf(source), host: hostOf(source) };
  const ev = parseLine({ line: raw, receivedAt, source: seen.source, host: seen.host }, parseOptions);
  const time = trustedTime(ev.time, receivedAt);
  const { text, terms } = indexParts(ev);
  const stored: StoredLine = { time, receivedAt, source, raw, text, terms };
  if (withRelations) {
    const relations = extractRelations(ev);
    if (relations.length > 0) stored.relations = relations;
  }
  return stored;
}

runWriterLane(parentPort!, data, prepare);
