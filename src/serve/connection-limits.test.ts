import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { limitConnections } from './connection-limits.js';

/** A socket to the server, connected; `closed` resolves when the server closes it. */
async function open(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  // a connection the server closes may end in a reset: that is its closing too
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => {
    socket.once('connect', resolve);
    socket.once('close', resolve);
  });
  // headers started and never finished: what holds a slot
  if (!socket.destroyed) socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
  return { socket, closed };
}

const settled = (p: Promise<void>, ms: number): Promise<boolean> => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

async function withServer(limits: { maxConnections: number; maxConnectionsPerAddress: number }, run: (port: number, lines: string[], refused: () => number) => Promise<void>): Promise<void> {
  const server: Server = createServer((_req, res) => res.end('ok'));
  const lines: string[] = [];
  const refused = limitConnections(server, limits, (_f, m) => lines.push(m));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  try {
    await run(port, lines, refused);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

test('past http.maxConnectionsPerAddress a new connection from that address is closed at once and logged; a slot freed is taken again', async () => {
  await withServer({ maxConnections: 100, maxConnectionsPerAddress: 3 }, async (port, lines, refused) => {
    const held = await Promise.all([open(port), open(port), open(port)]);
    const extra = await open(port);
    assert.equal(await settled(extra.closed, 2000), true, 'the fourth is closed');
    assert.equal(refused(), 1);
    assert.match(lines[0] ?? '', /^http: a connection was refused since the last message; the last because its address held http\.maxConnectionsPerAddress connections \(from [\d.:a-f]+\)/);
    for (const h of held) assert.equal(await settled(h.closed, 50), false, 'the three held stay open');
    held[0]!.socket.destroy();
    await held[0]!.closed;
    await new Promise((r) => setTimeout(r, 50));
    const again = await open(port);
    assert.equal(await settled(again.closed, 300), false, 'a freed slot is taken again');
    for (const s of [...held, again]) s.socket.destroy();
  });
});

test('past http.maxConnections in all a new connection is closed and counted', async () => {
  await withServer({ maxConnections: 2, maxConnectionsPerAddress: 100 }, async (port, lines, refused) => {
    const held = await Promise.all([open(port), open(port)]);
    const extra = await open(port);
    assert.equal(await settled(extra.closed, 2000), true);
    assert.equal(refused(), 1);
    assert.match(lines[0] ?? '', /because http\.maxConnections connections were open/);
    for (const h of held) h.socket.destroy();
  });
});
