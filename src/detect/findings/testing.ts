/** Test helpers: a local webhook receiver (node:http on 127.0.0.1), so no test of the findings webhooks needs the network. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:PORT`, for a test that names its own paths */
  base: string;
  /** a webhook URL whose path and query hold secrets (`SECRETPATH`, `SECRETQUERY`), for the redaction checks */
  url: string;
  /** each request's path, headers and JSON body, in arrival order */
  received: Received[];
  /** resolves once `n` requests arrived; rejects after `limitMs` */
  waitFor(n: number, limitMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A receiver whose answer to each request `answer` chooses (by the request's number from 0, and its path). */
export async function webhookReceiver(answer: (n: number, res: ServerResponse, path: string) => void = (_n, res) => res.end('ok')): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const n = received.length;
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
      for (const w of waiters.splice(0)) w();
      answer(n, res, req.url ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: `${base}/hooks/T000/SECRETPATH?token=SECRETQUERY`,
    received,
    async waitFor(n, limitMs = 10_000) {
      const end = Date.now() + limitMs;
      while (received.length < n) {
        if (Date.now() > end) throw new Error(`the receiver got ${received.length} of ${n} requests in ${limitMs} ms`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
