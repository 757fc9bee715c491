// The one suite every Source passes; each source's test file runs it with a factory.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import type { Source } from './source.js';
import { MemorySink } from './testing.js';

export interface ContractHarness {
  source: Source;
  /** hands the prepared lines to the source's medium; called after start() */
  deliver(): Promise<void>;
  /** every record's `source` must match this */
  origin: RegExp;
  /** releases what the harness itself holds (client sockets, temp files) */
  close?(): Promise<void>;
}

/** Builds a fresh, unstarted source that will receive exactly `lines` (none empty, none with LF). */
export type HarnessFactory = (lines: string[]) => Promise<ContractHarness>;

const HANDLE_KINDS = new Set(['TCPServerWrap', 'TCPSocketWrap', 'TCPWrap', 'UDPWrap', 'FileHandle', 'FSReqPromise', 'Timeout', 'PipeWrap']);

function openHandles(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) {
    if (HANDLE_KINDS.has(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}

function settleHandles(): Promise<void> {
  return new Promise((r) => setTimeout(r, 20));
}

function makeLines(n: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`<134>Mar 14 00:00:00 host-${i % 7} app[${i}]: contract line ${i} é ✓`);
  return lines;
}

async function portIsFree(name: string, port: number): Promise<boolean> {
  const isUdp = name.startsWith('udp:');
  return new Promise((resolve) => {
    if (isUdp) {
      const s = dgram.createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
      return;
    }
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function run(factory: HarnessFactory, lines: string[]): Promise<{ h: ContractHarness; sink: MemorySink; before: number; after: number }> {
  const h = await factory(lines);
  const sink = new MemorySink();
  const before = Date.now();
  await h.source.start(sink);
  await h.deliver();
  await sink.waitFor(lines.length);
  const after = Date.now();
  return { h, sink, before, after };
}

export function sourceContract(label: string, factory: HarnessFactory): void {
  describe(`source contract: ${label}`, () => {
    test('records reach the sink with their text, receive time and origin', async () => {
      const lines = makeLines(50);
      const { h, sink, before, after } = await run(factory, lines);
      await h.source.stop();
      await h.close?.();
      assert.deepEqual(sink.lines().sort(), [...lines].sort());
      for (const r of sink.records) {
        assert.ok(r.receivedAt >= before && r.receivedAt <= after, `receivedAt ${r.receivedAt} outside [${before}, ${after}]`);
        assert.match(r.source, h.origin);
      }
    });

    test('batches hold at most 1000 records by default and stats count them', async () => {
      const lines = makeLines(2500);
      const { h, sink } = await run(factory, lines);
      await h.source.stop();
      await h.close?.();
      const s = h.source.stats();
      assert.equal(sink.records.length, 2500);
      assert.ok(sink.batches.every((b) => b.length <= 1000));
      assert.equal(s.received, 2500);
      assert.equal(s.committed, 2500);
      assert.equal(s.batches, sink.writes);
      const payload = lines.reduce((n, l) => n + Buffer.byteLength(l), 0);
      assert.ok(s.bytes >= payload, `bytes ${s.bytes} < payload ${payload}`);
      assert.ok(Object.values(s.drops).every((d) => d === 0), `unexpected drops ${JSON.stringify(s.drops)}`);
      assert.equal(s.notUtf8, 0, 'lines of UTF-8 (é ✓) were counted as not UTF-8');
    });

    test('stop resolves, is idempotent and releases ports and handles', async () => {
      // Closed handles leave the list one loop turn after their close callbacks; let both counts settle.
      await settleHandles();
      const baseline = openHandles();
      const { h } = await run(factory, makeLines(10));
      const port = (h.source as Partial<{ address(): { port: number } }>).address?.().port;
      await h.source.stop();
      await h.source.stop();
      await h.close?.();
      await settleHandles();
      for (const [kind, n] of openHandles()) {
        assert.ok(n <= (baseline.get(kind) ?? 0), `${h.source.name} left ${kind} open (${n}, was ${baseline.get(kind) ?? 0})`);
      }
      if (port !== undefined) assert.ok(await portIsFree(h.source.name, port), `${h.source.name} still holds port ${port}`);
      await settleHandles();
    });
  });
}
