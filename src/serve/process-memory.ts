/**
 * The process's resident memory as Linux splits it (`/proc/self/status`): `anonBytes` (RssAnon: the
 * JavaScript heaps of every thread, SQLite's page caches, buffers — memory nml holds and only it can
 * give back) and `fileBytes` (RssFile: the program's code and libraries, and any mapped file — pages the
 * kernel can drop under pressure and read again). RSS is their sum plus RssShmem. Null where the file is
 * absent (not Linux) or says neither, so the stats never fail for it. See docs/architecture.md, Memory.
 */
import { readFileSync } from 'node:fs';

export interface ResidentSplit {
  anonBytes: number | null;
  fileBytes: number | null;
}

/** The split from the text of a `/proc/<pid>/status` file (values in kB). */
export function parseResidentSplit(status: string): ResidentSplit {
  const kib = (name: string): number | null => {
    const m = new RegExp(`^${name}:\\s*(\\d+)\\s*kB$`, 'm').exec(status);
    return m === null ? null : Number(m[1]) * 1024;
  };
  return { anonBytes: kib('RssAnon'), fileBytes: kib('RssFile') };
}

/** This process's split now; both null where `/proc/self/status` cannot be read. */
export function residentSplit(read: () => string = () => readFileSync('/proc/self/status', 'utf8')): ResidentSplit {
  try {
    return parseResidentSplit(read());
  } catch {
    return { anonBytes: null, fileBytes: null };
  }
}
