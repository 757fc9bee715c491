/** A writer lane for the store's tests whose preparer throws for any line containing `PREPARER_THROWS` (a parser bug); plain otherwise. */
import { parentPort, workerData } from 'node:worker_threads';
import { runWriterLane } from '../writer-lane.js';
import type { LaneData } from '../writer-protocol.js';

runWriterLane(parentPort!, workerData as LaneData, (line, receivedAt, source) => {
  if (line.includes('PREPARER_THROWS')) throw new Error('parser bug on a test line');
  return { time: receivedAt, receivedAt, source, raw: line, text: line };
});
