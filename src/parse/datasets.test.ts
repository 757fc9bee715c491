/**
 * Every line of the shared real-world samples (loghub 2k, CrowdSec hub test logs) parses without
 * throwing and keeps its raw text; the parsed/raw split per file goes to the test diagnostics.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { EntityKind, LogEvent } from '../core/index.js';
import { parseLine } from './index.js';
import { datasetsDir, readLines } from './test-support.js';

const RECEIVED_AT = Date.UTC(2024, 0, 2, 12, 0, 0);
const datasets = datasetsDir();

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name !== 'PROVENANCE.md') out.push(p);
  }
  return out;
}

function sampleFiles(): string[] {
  const loghub = join(datasets, 'loghub-2k');
  const files = readdirSync(loghub)
    .map((name) => join(loghub, name, `${name}_2k.log`))
    .filter((f) => existsSync(f));
  return [...files, ...walk(join(datasets, 'crowdsec-hub-test-logs'), [])];
}

function parseFile(file: string): LogEvent[] {
  return readLines(file).map((line) => parseLine({ line, receivedAt: RECEIVED_AT, source: `file:${file}` }));
}

function skipUnlessDatasets(t: TestContext): boolean {
  if (existsSync(join(datasets, 'loghub-2k')) && existsSync(join(datasets, 'crowdsec-hub-test-logs'))) return false;
  t.skip(`datasets not found at ${datasets} (expected loghub-2k/ and crowdsec-hub-test-logs/ there)`);
  return true;
}

function values(ev: LogEvent, kind: EntityKind): string[] {
  return ev.entities.filter((e) => e.kind === kind).map((e) => e.value);
}

test('datasets: every line parses, raw is kept, parsed/raw split per file', (t) => {
  if (skipUnlessDatasets(t)) return;
  let parsed = 0;
  let raw = 0;
  for (const file of sampleFiles()) {
    const lines = readLines(file);
    let fileParsed = 0;
    for (const line of lines) {
      const ev = parseLine({ line, receivedAt: RECEIVED_AT, source: 'dataset' });
      assert.equal(ev.raw, line);
      assert.ok(Number.isFinite(ev.time), `${file}: time of ${line}`);
      if (ev.parsed) fileParsed++;
    }
    parsed += fileParsed;
    raw += lines.length - fileParsed;
    t.diagnostic(`${relative(datasets, file)}: ${fileParsed} parsed, ${lines.length - fileParsed} raw`);
  }
  t.diagnostic(`all datasets: ${parsed} parsed, ${raw} raw`);
  assert.ok(parsed > 0 && raw > 0);
});

test('datasets: known lines', async (t) => {
  if (skipUnlessDatasets(t)) return;
  const at = (dir: string, file: string, index: number): LogEvent => parseFile(join(datasets, dir, file))[index]!;

  await t.test('openssh: sshd line with user and ip', () => {
    const ev = at('loghub-2k/OpenSSH', 'OpenSSH_2k.log', 1);
    assert.equal(ev.format, 'rfc3164');
    assert.equal(ev.host, 'LabSZ');
    assert.equal(ev.app, 'sshd');
    assert.equal(ev.pid, '24200');
    assert.equal(new Date(ev.time).toISOString(), '2023-12-10T06:55:46.000Z');
    assert.deepEqual(values(ev, 'user'), ['webmaster']);
    assert.deepEqual(values(ev, 'ip'), ['173.234.31.186']);
  });

  await t.test('apache error log: raw, timed from its bracketed timestamp', () => {
    const ev = at('loghub-2k/Apache', 'Apache_2k.log', 0);
    assert.equal(ev.parsed, false);
    assert.equal(new Date(ev.time).toISOString(), '2005-12-04T04:47:44.000Z');
  });

  await t.test('pan-os threat: ips and ports from the csv', () => {
    const ev = at('crowdsec-hub-test-logs/palo-alto-threat', 'palo-alto-threat.log', 0);
    assert.equal(ev.host, 'paloalto.test.host');
    assert.deepEqual(values(ev, 'ip').slice(0, 3), ['1.2.3.2', '1.2.3.3', '2.2.2.3']);
    assert.deepEqual(values(ev, 'port'), ['47094', '22']);
  });

  await t.test('iptables: macs, ips and ports', () => {
    const ev = at('crowdsec-hub-test-logs/iptables-logs', 'iptables-logs.log', 0);
    assert.equal(ev.app, 'kernel');
    assert.deepEqual(values(ev, 'mac'), ['00:08:a2:0c:1f:12', '00:c8:8b:e2:d6:87']);
    assert.deepEqual(values(ev, 'ip'), ['195.54.160.107', '51.15.166.67']);
    assert.deepEqual(values(ev, 'port'), ['8080', '8123']);
  });

  await t.test('pfsense rfc 5424 filterlog: header and csv ports', () => {
    const ev = at('crowdsec-hub-test-logs/pfsense-rfc5424-filterlog', 'pfsense-rfc5424-filterlog.log', 0);
    assert.equal(ev.format, 'rfc5424');
    assert.equal(ev.app, 'filterlog');
    assert.deepEqual(values(ev, 'port'), ['42970', '80']);
  });

  await t.test('windows security xml: target user', () => {
    const ev = at('crowdsec-hub-test-logs/windows-bf', 'windows-bf.log', 0);
    assert.deepEqual(values(ev, 'user'), ['asdfasdf']);
  });
});
