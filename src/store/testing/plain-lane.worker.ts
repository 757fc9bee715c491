/** A writer lane for the store's own tests: no parsing, the receive time is the event time, the raw line is indexed. */
import { parentPort, workerData } from 'node:worker_threads';
import { runWriterLane } from '../writer-lane.js';
import type { LaneData } from '../writer-protocol.js';

runWriterLane(parentPort!, workerData as LaneData, (line, receivedAt, source) => ({ time: receivedAt, receivedAt, source, raw: line, text: line }));
