import { constants, open } from 'node:fs';
import { Socket } from 'node:net';
import { promisify } from 'node:util';
import { feed, type LineStream } from './file-read.js';
import { pipeChunks } from './file-pipe.js';

const openFd = promisify(open);

/** How a followed named pipe is opened: read-write when we may write to it, else read-only. */
export type FifoMode = 'rw' | 'r';

/**
 * Follows a named pipe (rsyslog's pipe output) until `signal` aborts, writer after writer.
 * Opened read-write where permitted (Linux allows it on a FIFO): then we are a writer ourselves, so the
 * pipe never reports an end when its writer closes or restarts, and opening never waits for a writer.
 * A pipe we may only read is opened read-only and, after each writer left, opened again before the
 * old end is closed: the pipe never lacks a reader, so what the next writer writes meanwhile stays in
 * it. Both opens are non-blocking; the socket that reads is destroyed on abort, so stop() never waits
 * for a silent writer. Positions do not apply: a pipe has no offsets.
 */
export async function followFifo(path: string, s: LineStream, signal: AbortSignal, sleep: (ms: number) => Promise<void>, pollMs: number, mode: FifoMode = 'rw'): Promise<void> {
  let how = mode;
  const openFifo = async (): Promise<number> => {
    try {
      return await openFd(path, (how === 'rw' ? constants.O_RDWR : constants.O_RDONLY) | constants.O_NONBLOCK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (how === 'r' || (code !== 'EACCES' && code !== 'EPERM')) throw e;
      how = 'r';
      return openFd(path, constants.O_RDONLY | constants.O_NONBLOCK);
    }
  };
  let fd = await openFifo();
  while (!signal.aborted) {
    const sock = new Socket({ fd, readable: true, writable: false });
    const destroy = (): void => void sock.destroy();
    signal.addEventListener('abort', destroy, { once: true });
    let bytes = 0;
    try {
      // the splitter is ended only at stop: a writer's last line without LF may be continued by the next
      for await (const chunk of pipeChunks(sock)) {
        bytes += chunk.length;
        await feed(s, chunk);
        if (s.stopped()) break;
      }
      // read-only, the writer left: the next end is opened while this one still holds the pipe
      if (!signal.aborted) fd = await openFifo();
    } catch (e) {
      // destroying the socket at stop ends the iteration with a premature close: an end, not a failure
      if (!signal.aborted) throw e;
    } finally {
      signal.removeEventListener('abort', destroy);
      sock.destroy();
    }
    // an end with nothing read: where a pipe without writer reports its end at once, do not spin
    if (bytes === 0 && !signal.aborted) await sleep(pollMs);
  }
  s.splitter.end();
}
