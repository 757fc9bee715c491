import type { EventEmitter } from 'node:events';
import { bindFailed } from './errors.js';

/**
 * Calls `listen` and resolves once it reports success. An error before that (address in use,
 * permission) closes the socket or server and becomes COLLECT_BIND_FAILED.
 */
export async function bindOrThrow(
  target: EventEmitter & { close(): unknown },
  listen: (bound: () => void) => void,
  where: { proto: string; host: string; port: number },
): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      target.once('error', reject);
      listen(() => {
        target.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    target.close();
    throw bindFailed(where.proto, where.host, where.port, e);
  }
}
