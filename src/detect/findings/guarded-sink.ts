/**
 * A findings sink that never throws into a detector: the live board records findings from a timer, where
 * a throw (disk full, a locked database, an invalid finding) would end the whole process. The failure is
 * handed to `onError` (the node logs it with how many findings were lost) and counted.
 */
import type { FindingsSink, NewFinding } from '../detector.js';

export interface GuardedSink extends FindingsSink {
  /** findings a failed `record` did not store */
  readonly lost: number;
}

export function guardedSink(sink: FindingsSink, onError: (err: unknown, findings: readonly NewFinding[]) => void): GuardedSink {
  let lost = 0;
  return {
    get lost() {
      return lost;
    },
    record(findings) {
      try {
        sink.record(findings);
      } catch (err) {
        lost += findings.length;
        onError(err, findings);
      }
    },
  };
}
