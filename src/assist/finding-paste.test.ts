/** A finding of NML's own pasted into Assist: an Alerts row, its log-store line, or a note naming its detector. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Assistant } from './assistant.js';
import { classify } from './categories.js';
import { seedDemoIncidents } from './demo.js';
import { incidentOf } from './incident.js';
import { IncidentBase } from './incident-base.js';
import { loadRankModel } from './model-file.js';
import { normalize } from './normalize.js';
import { textAt, type IncidentRecord } from './record.js';

/** The demo's beaconing workstation's URL finding as the browser gives its Alerts row (innerText: cells by tabs, chips on lines). */
const URL_ROW = `0.973

open
▾
\turl
URL
cdn-sync-telemetry.top/panel/tasks.php?bot=ed4b2511
\tscore 0.973: most suspicious "panel/" (path), "-sync-" (host), "top" (host)
clients of cdn-sync-telemetry.top: 10.0.2.52 (corp\\oscar, jesse, ws-0015) · 38 requests, 98 lookups
\t2026-12-03 15:39:38\t2s ago\t5\tevidencepivot`;
/** The same kind of finding as its line in the log store (detect/findings/log-line.ts), another run's domain. */
const URL_LINE = '<108>1 2026-12-03T15:57:51.000Z vm nml-detect - finding - detector=url score=0.982 model=ngram-2026-12-01-pop-s1 url=mstdn-cache-node.biz/panel/tasks.php?bot=844c12c6 score 0.982: most suspicious "mstdn-cache-node" (host), "panel/" (path), "844c12c6" (path)';
/** A note an operator types about one. */
const URL_NOTE = `NML finding #4 (url, score 0.991, open)
Entity: url:cdn-sync-telemetry.top/gate.php?id=ed4b2511
First seen 2026-12-03 15:39:04 UTC
Why: score 0.991: most suspicious "/gate.php" (path), "-sync-" (host), "top" (host)
Clients of cdn-sync-telemetry.top: 10.0.2.52 (corp\\oscar, ws-0015), 19 requests, 62 lookups`;
const FLOOD_ROW = `0.999

open
▾
\tsyn-flood
target
IP
10.20.0.80
\tSYN flood against 10.20.0.80 port 443: 243 sources of 1–2 SYNs scored ≥ 0.95 since 2026-12-03T15:56:51.333Z, none of them a finding of its own (so many, so brief: likely spoofed), e.g. 203.0.113.7 0.991, 198.51.100.4 0.987; the evidence lists every SYN to the port in that time, from sources under the line too
\t2026-12-03 15:56:51\t1m ago\t1\tevidencepivot`;
const SCAN_ROW = `1.000

open
▾
\tsyn
source
IP
152.193.46.16
\t400 SYNs to 341 ports on 1 host, 221.1/s; 13 windows (12 of 32 SYNs, 1 of 16), best run of 4: 1.000; raised the score most: fingerprint host rate 128–255 SYNs/s, IP ID, hosts tried
\t2026-12-03 15:55:00\t3m ago\t1\tevidenceboardpivot`;

/** Every field points at its text; the category at a keyword that classifies as it. */
function pointersHold(rec: IncidentRecord): void {
  for (const [name, f] of Object.entries(rec.fields)) {
    const at = textAt(rec, f.from);
    if (name === 'category') assert.equal(classify(at)?.category, f.value, `category points at its keyword: ${at}`);
    else assert.equal(at, f.value, `${name} points at its text`);
  }
}

test('an Alerts row of a URL finding: the explanation is the summary, not the score; the detector makes it malware (C2)', async () => {
  const rec = await normalize(URL_ROW);
  pointersHold(rec);
  assert.equal(rec.fields.summary?.value, 'score 0.973: most suspicious "panel/" (path), "-sync-" (host), "top" (host)');
  assert.equal(rec.fields.category?.value, 'malware');
  assert.equal(rec.fields.category?.from.part, 'detector', 'the kind comes from what the detector\'s findings are');
  assert.match(rec.parts.detector ?? '', /command-and-control/);
  assert.equal(rec.fields.url?.value, 'cdn-sync-telemetry.top/panel/tasks.php?bot=ed4b2511');
  assert.equal(rec.fields.domain?.value, 'cdn-sync-telemetry.top');
  assert.equal(rec.fields.srcIp?.value, '10.0.2.52', 'the client that requested it');
});

test('the log-store line and a typed note of a URL finding read the same way', async () => {
  const line = await normalize(URL_LINE);
  pointersHold(line);
  assert.equal(line.fields.summary?.value, 'score 0.982: most suspicious "mstdn-cache-node" (host), "panel/" (path), "844c12c6" (path)');
  assert.equal(line.fields.url?.value, 'mstdn-cache-node.biz/panel/tasks.php?bot=844c12c6');
  assert.equal(line.fields.category?.value, 'malware');
  const note = await normalize(URL_NOTE);
  pointersHold(note);
  assert.equal(note.fields.summary?.value, 'score 0.991: most suspicious "/gate.php" (path), "-sync-" (host), "top" (host)');
  assert.equal(note.fields.url?.value, 'cdn-sync-telemetry.top/gate.php?id=ed4b2511');
  assert.equal(note.fields.category?.value, 'malware');
});

test('SYN findings: a scanner\'s address is the source (scan), a flood\'s the target (dos)', async () => {
  const scan = await normalize(SCAN_ROW);
  pointersHold(scan);
  assert.deepEqual([scan.fields.category?.value, scan.fields.srcIp?.value, scan.fields.summary?.value.slice(0, 28)], ['scan', '152.193.46.16', '400 SYNs to 341 ports on 1 h']);
  const flood = await normalize(FLOOD_ROW);
  pointersHold(flood);
  assert.deepEqual([flood.fields.category?.value, flood.fields.dstIp?.value], ['dos', '10.20.0.80']);
  assert.equal(flood.fields.srcIp, undefined, 'a spoofed flood names no source: its examples of 243 are none');
  assert.deepEqual(flood.assets.map((a) => a.value), ['10.20.0.80']);
  assert.match(flood.fields.summary?.value ?? '', /^SYN flood against 10\.20\.0\.80 port 443/);
});

test('text that only mentions a URL or a detector is no finding: no detector part, no category from it', async () => {
  for (const text of ['The url in the mail was blocked by the proxy.', 'syn\nfoo bar baz', 'detector: sigma rule 12 fired on ws-01']) {
    const rec = await normalize(text);
    assert.equal(rec.parts.detector, undefined, text);
    assert.equal(rec.fields.category, undefined, text);
  }
});

test('a pasted finding matches the demo incident of its kind and takes its first action, told for this host', async () => {
  const base = new IncidentBase(':memory:');
  try {
    seedDemoIncidents(base);
    const a = new Assistant({ base, model: loadRankModel() });
    for (const text of [URL_ROW, URL_LINE, URL_NOTE]) {
      const r = await a.analyze(text);
      assert.equal(r.similar[0]?.incident.id, 'demo:4', text.slice(0, 40));
      assert.equal(r.suggestion.source, 'similar-incidents', `${text.slice(0, 40)}: ${r.suggestion.nearest?.why}`);
      assert.equal(r.suggestion.from[0]?.id, 'demo:4');
    }
    const row = await a.analyze(URL_ROW);
    assert.match(row.suggestion.action, /^Isolate 10\.0\.2\.52 from the network/);
    const scan = await a.analyze(SCAN_ROW);
    assert.equal(scan.suggestion.from[0]?.id, 'demo:3', 'the port scan incident');
    // the demo base has no denial of service: the flood gets the dos playbook, not the port scan's action
    const flood = await a.analyze(FLOOD_ROW);
    assert.deepEqual([flood.suggestion.source, flood.suggestion.playbook?.category], ['playbook', 'dos']);
  } finally {
    base.close();
  }
});

/**
 * The firewall's line of the same request, as the operator copies it from Search under the Alerts row: a PAN-OS 10
 * THREAT/url line as the demo's fw-pa-01 writes it (collect/demo/families/panos.ts), its URL category `unknown`.
 */
const URL_PANOS = '<14>Dec  3 15:39:38 fw-pa-01 1,2026/12/03 15:39:38,016401002737,THREAT,url,2561,2026/12/03 15:39:38,10.0.2.52,104.21.48.217,203.0.113.10,104.21.48.217,allow-outbound,corp\\oscar,,web-browsing,vsys1,trust,untrust,ethernet1/2,ethernet1/1,log-fwd,2026/12/03 15:39:38,241873,1,51544,80,40213,80,0x400000,tcp,alert,"cdn-sync-telemetry.top/panel/tasks.php?bot=ed4b2511",(9999),unknown,high,client-to-server,13871,0x8000000000000000,10.0.0.0-10.255.255.255,United States,,,0,,,0,,,,,,,,0,0,0,0,0,,fw-pa-01,,,,,0,,0,,N/A,command-and-control,AppThreat-8727-8140,0x0,0,4294967295';

test('an Alerts row pasted with its PAN-OS line: the line is read for its fields and left out of the similarity text, so the demo beacon is still close', async () => {
  const text = `${URL_ROW}\n${URL_PANOS}\n`;
  const rec = await normalize(text);
  pointersHold(rec);
  const v = Object.fromEntries(Object.entries(rec.fields).map(([k, f]) => [k, f?.value]));
  assert.deepEqual(
    [v.srcIp, v.dstIp, v.dstPort, v.user, v.vendorClassification, v.url, v.category, v.summary],
    ['10.0.2.52', '104.21.48.217', '80', 'corp\\oscar', 'THREAT,url', 'cdn-sync-telemetry.top/panel/tasks.php?bot=ed4b2511', 'malware', 'score 0.973: most suspicious "panel/" (path), "-sync-" (host), "top" (host)'],
  );
  assert.deepEqual(rec.vendorLines, [
    { part: 'body', start: text.indexOf('<14>'), end: text.length - 1 },
    { part: 'panos', start: 0, end: URL_PANOS.length },
  ]);
  const searched = incidentOf('q', rec).text;
  for (const column of ['016401002737', 'allow-outbound', 'ethernet1/2', 'log-fwd', '0x8000000000000000', 'AppThreat-8727-8140']) assert.ok(!searched.includes(column), column);
  assert.match(searched, /^THREAT,url$/mu, 'the fields stand for the line');
  const base = new IncidentBase(':memory:');
  try {
    seedDemoIncidents(base);
    const r = await new Assistant({ base, model: loadRankModel() }).analyze(text);
    assert.equal(r.similar[0]?.incident.id, 'demo:4');
    assert.equal(r.suggestion.source, 'similar-incidents', r.suggestion.nearest?.why);
    assert.equal(r.suggestion.from[0]?.id, 'demo:4');
    assert.match(r.suggestion.action, /^Isolate 10\.0\.2\.52 from the network/);
  } finally {
    base.close();
  }
});
