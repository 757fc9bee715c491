/** The demo firewall's log of the demo capture: one iptables line per SYN, read back by the parser as the host's connection attempt. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractRelations, parseLine } from '../../parse/index.js';
import { writeDemoCapture } from './demo-capture.js';
import { demoFirewallLines } from './demo-firewall.js';
import { readSynFile } from './read.js';

test("each SYN of the demo capture is one firewall line at its time, whose edges and entities name the SYN's hosts and port", () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-syn-fw-'));
  try {
    const start = Date.UTC(2026, 10, 28, 12, 0, 0);
    const path = join(dir, 'syn-demo.pcapng');
    writeDemoCapture(path, 7, 50, 3, start);
    const { syns } = readSynFile(path);
    const lines = demoFirewallLines(syns);
    assert.equal(lines.length, syns.length);
    assert.ok(lines.every((l, i) => l.time === Math.floor(syns[i]!.t / 1000)));
    assert.ok(syns.some((s) => s.v === 6) && syns.some((s) => s.v === 4), 'both address families are in the capture');
    for (const [i, s] of syns.entries()) {
      const ev = parseLine({ line: lines[i]!.line, receivedAt: lines[i]!.time, source: 'demo-fw' });
      assert.equal(ev.time, Math.floor(lines[i]!.time / 1000) * 1000, lines[i]!.line); // the header has whole seconds
      const edges = extractRelations(ev).map((r) => `${r.kind} ${r.from} ${r.to}`);
      const src = s.src.includes(':') ? s.src.toLowerCase() : s.src;
      const verdict = /^10\./.test(s.src) ? 'flow' : 'blocked';
      assert.ok(edges.includes(`${verdict} ip:${src} ip:${s.dst.toLowerCase()}`), `${lines[i]!.line}\n${edges.join('\n')}`);
      assert.ok(edges.includes(`service ip:${s.dst.toLowerCase()} port:${s.dport}`), lines[i]!.line);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
