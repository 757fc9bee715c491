/**
 * Writing to stdout with backpressure. When the reader goes away (`| head`, EPIPE) the output is
 * closed: writeOut does nothing more, and the command runs on to its own end, closing what it opened
 * (locks, databases) and exiting with its own status; a long command can stop early through
 * outputClosed(). Any other write error (`> /dev/full`, ENOSPC) is said in one line and makes the
 * exit status 1.
 */
let closed = false;
const waiting = new Set<() => void>();

/** True once stdout cannot be written any more (its reader went away, or a write failed). */
export function outputClosed(): boolean {
  return closed;
}

export function writeOut(text: string | Uint8Array): Promise<void> {
  if (closed) return Promise.resolve();
  return new Promise((resolve) => {
    if (process.stdout.write(text)) {
      resolve();
      return;
    }
    const done = (): void => {
      process.stdout.off('drain', done);
      waiting.delete(done);
      resolve();
    };
    process.stdout.once('drain', done);
    // a write that fails never drains: the error handler releases the writer
    waiting.add(done);
  });
}

/** Exported for tests; installed on process.stdout below. */
export function onOutputError(e: NodeJS.ErrnoException): void {
  if (!closed) {
    closed = true;
    if (e.code !== 'EPIPE') {
      process.stderr.write(`nml: cannot write output: ${e.message}\n`);
      if (typeof process.exitCode !== 'number' || process.exitCode === 0) process.exitCode = 1;
    }
  }
  for (const done of [...waiting]) done();
}

process.stdout.on('error', onOutputError);
