/**
 * Trends benchmark (standalone: `node --import tsx bench/trends.ts`): attack-type classification rate on
 * one core (target 10,000 documents/s) against tokenizing alone, and one collector cycle over 1,000 local
 * fixture feeds while an HTTP server in the same process answers probes (target: it is not blocked).
 * Writes bench/results/<date>-trends.md and .json. NML_DATASETS (default ../shared/datasets beside the
 * repository) holds attack-timeline-hackmageddon; without it the documents are synthetic. The model is
 * models/trends when shipped, else one trained on the spot (the report says which).
 */
import http from 'node:http';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import type { RawRecord, RecordSink } from '../src/core/index.js';
import { DocStore, TrendsCollector, TextClassifier, loadModels, parseCollectorConfig, tokenize, ATTACK_TYPES, loadHackmageddon } from '../src/trends/index.js';
import { describeMachine } from './machine.js';
import { repoRoot } from './root.js';

const ROOT = repoRoot(import.meta.url);
const DATASETS = process.env['NML_DATASETS'] ?? join(ROOT, '..', 'shared', 'datasets');
const MODELS = join(ROOT, 'models', 'trends');
const FEEDS = Number(process.env['TRENDS_BENCH_FEEDS'] ?? 1000);
const ITEMS_PER_FEED = 10;

const WORDS = 'ddos botnet ransomware lockbit phishing credential espionage malware trojan exploit vulnerability sql injection hospital bank government election ministry airline university data leak stolen attack group hackers claims'.split(' ');

function syntheticTexts(n: number): string[] {
  const out: string[] = [];
  let x = 12345;
  for (let i = 0; i < n; i++) {
    const words: string[] = [];
    for (let k = 0; k < 24; k++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      words.push(WORDS[x % WORDS.length]!);
    }
    out.push(words.join(' '));
  }
  return out;
}

function classificationBench(): Record<string, number | string> {
  const real = existsSync(join(DATASETS, 'attack-timeline-hackmageddon'));
  const texts = real ? loadHackmageddon(DATASETS).map((i) => i.description) : syntheticTexts(2000);
  if (texts.length === 0) throw new Error(`trends bench: no documents in ${join(DATASETS, 'attack-timeline-hackmageddon')} (the CSV gave no rows)`);
  const corpus: string[] = [];
  while (corpus.length < 20_000) corpus.push(...texts);
  corpus.length = 20_000;
  let model = loadModels(MODELS).attackType;
  const shipped = model !== null;
  // no shipped model: train one here on cyclic labels (its speed is what is measured, not its accuracy)
  model ??= TextClassifier.train(texts.map((t, i) => ({ tokens: tokenize(t, 'en'), labels: [ATTACK_TYPES[i % 6]!] })), [...ATTACK_TYPES]);
  const avgChars = corpus.reduce((a, t) => a + t.length, 0) / corpus.length;
  // warm up, then time tokenizing alone (the baseline) and the whole classification
  for (const t of corpus.slice(0, 2000)) model.predict(tokenize(t, 'en'));
  let t0 = performance.now();
  let sink = 0;
  for (const t of corpus) sink += tokenize(t, 'en').length;
  const tokenizeMs = performance.now() - t0;
  t0 = performance.now();
  for (const t of corpus) sink += model.predict(tokenize(t, 'en'))['ddos']!;
  const classifyMs = performance.now() - t0;
  if (sink === 0) throw new Error('nothing computed');
  return {
    documents: corpus.length,
    source: real ? `HACKMAGEDDON descriptions (${texts.length} distinct, repeated)` : `synthetic texts (${texts.length} distinct, repeated; no ${join(DATASETS, 'attack-timeline-hackmageddon')})`,
    avgChars: Math.round(avgChars),
    model: `${model.labels.length} labels, ${model.vectorizer.size} features, ${shipped ? 'shipped models/trends' : 'trained on the spot with cyclic labels (no shipped models/trends)'}`,
    tokenizeDocsPerSec: Math.round(corpus.length / (tokenizeMs / 1000)),
    classifyDocsPerSec: Math.round(corpus.length / (classifyMs / 1000)),
    classifyOverTokenize: Number((classifyMs / tokenizeMs).toFixed(2)),
  };
}

function feedXml(i: number): string {
  const items: string[] = [];
  for (let k = 0; k < ITEMS_PER_FEED; k++) {
    const words = syntheticTexts(1 + ((i * ITEMS_PER_FEED + k) % 500))[(i * ITEMS_PER_FEED + k) % 500]!;
    items.push(`<item><title>Feed ${i} story ${k}: ${WORDS[(i + k) % WORDS.length]} incident ${i}-${k}</title><link>http://feeds.example/${i}/${k}</link><pubDate>${new Date(Date.UTC(2026, 0, 1) + (i * ITEMS_PER_FEED + k) * 60_000).toUTCString()}</pubDate><description>${words} report ${i} ${k} unique ${(i * 7919 + k * 104729) % 1_000_003}</description></item>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>feed ${i}</title>${items.join('')}</channel></rss>`;
}

class CountingSink implements RecordSink {
  lines = 0;
  congested = false;
  async write(r: RawRecord[]): Promise<void> {
    this.lines += r.length;
  }
  whenDrained(): Promise<void> {
    return Promise.resolve();
  }
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
}

async function probeLatencies(url: string, whileRunning: () => boolean, everyMs: number): Promise<number[]> {
  const out: number[] = [];
  while (whileRunning()) {
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => http.get(url, (res) => res.resume().on('end', resolve)).on('error', reject));
    out.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return out;
}

async function collectorBench(): Promise<Record<string, number | string>> {
  const feeds = Array.from({ length: FEEDS }, (_, i) => Buffer.from(feedXml(i)));
  const feedServer = http.createServer((req, res) => {
    const i = Number((req.url ?? '').split('/')[2]);
    const body = feeds[i];
    if (body === undefined) return void res.writeHead(404).end();
    if (req.headers['if-none-match'] === `"f${i}"`) return void res.writeHead(304).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag: `"f${i}"` }).end(body);
  });
  // the "server" that must stay responsive: a tiny HTTP endpoint in this same process
  const api = http.createServer((_req, res) => res.end('{"ok":true}'));
  await new Promise<void>((r) => feedServer.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  const feedPort = (feedServer.address() as AddressInfo).port;
  const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/health`;
  const cfg = parseCollectorConfig({
    // one fixture host serves every feed, so per-host spacing is off here; real feeds live on many hosts
    fetch: { concurrency: 32, perHostIntervalMs: 0, respectRobots: false, retries: 0, timeoutMs: 30_000 },
    sources: Array.from({ length: FEEDS }, (_, i) => ({ name: `feed-${i}`, kind: 'feed', url: `http://127.0.0.1:${feedPort}/feed/${i}` })),
  });
  const docs = new DocStore(':memory:');
  const sink = new CountingSink();
  const collector = new TrendsCollector(cfg, docs, sink);

  // baseline: the same probes and event-loop monitor for 2 s with no collection (this machine is shared, so
  // scheduling delays show up here too)
  const idleLoop = monitorEventLoopDelay({ resolution: 10 });
  idleLoop.enable();
  let idle = true;
  const idleProbe = probeLatencies(apiUrl, () => idle, 10);
  await new Promise((r) => setTimeout(r, 2000));
  idle = false;
  const idleLat = await idleProbe;
  idleLoop.disable();

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let running = true;
  const busyProbe = probeLatencies(apiUrl, () => running, 10);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const report = await collector.runCycle(true);
  const cycleMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  running = false;
  const busyLat = await busyProbe;
  loop.disable();

  // a second cycle: every feed answers with its ETag, so nothing is parsed again
  const t1 = performance.now();
  await collector.runCycle(true);
  const secondMs = performance.now() - t1;
  const stats = collector.sourceStats();
  docs.close();
  await new Promise((r) => feedServer.close(r));
  await new Promise((r) => api.close(r));
  return {
    feeds: FEEDS,
    itemsPerFeed: ITEMS_PER_FEED,
    concurrency: 32,
    cycleMs: Math.round(cycleMs),
    feedsPerSec: Math.round(FEEDS / (cycleMs / 1000)),
    cpuMsPerFeed: Number(((cpu.user + cpu.system) / 1000 / FEEDS).toFixed(2)),
    cpuShareOfWall: Number(((cpu.user + cpu.system) / 1000 / cycleMs).toFixed(2)),
    documentsStored: report.stored,
    logLinesWritten: sink.lines,
    failedSources: report.errors,
    secondCycleMs: Math.round(secondMs),
    notModified: stats.reduce((a, s) => a + s.notModified, 0),
    probesDuringCycle: busyLat.length,
    probeP50IdleMs: Number(quantile(idleLat, 0.5).toFixed(2)),
    probeP50BusyMs: Number(quantile(busyLat, 0.5).toFixed(2)),
    probeP99BusyMs: Number(quantile(busyLat, 0.99).toFixed(2)),
    probeMaxBusyMs: Number(Math.max(...busyLat).toFixed(2)),
    idleProbeP99Ms: Number(quantile(idleLat, 0.99).toFixed(2)),
    idleEventLoopDelayP99Ms: Number((idleLoop.percentile(99) / 1e6).toFixed(2)),
    idleEventLoopDelayMaxMs: Number((idleLoop.max / 1e6).toFixed(2)),
    eventLoopDelayP99Ms: Number((loop.percentile(99) / 1e6).toFixed(2)),
    eventLoopDelayMaxMs: Number((loop.max / 1e6).toFixed(2)),
  };
}

const machine = describeMachine();
const classification = classificationBench();
const collector = await collectorBench();
const date = new Date().toISOString().slice(0, 10);
const result = { date, machine, classification, collector };
const md = [
  `# trends benchmark ${date}`,
  '',
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, ${machine.os}, Node ${machine.node}.`,
  '',
  '## Attack-type classification, one core',
  '',
  '| measure | value | target |',
  '| --- | ---: | ---: |',
  `| documents (${classification.source}, ${classification.avgChars} chars avg) | ${classification.documents} | |`,
  `| model | ${classification.model} | |`,
  `| tokenize only (baseline) | ${classification.tokenizeDocsPerSec} docs/s | |`,
  `| tokenize + TF-IDF + 6 logistic regressions | ${classification.classifyDocsPerSec} docs/s | ≥ 10,000 docs/s |`,
  `| classification time / tokenize time | ${classification.classifyOverTokenize}× | |`,
  '',
  `## Collector cycle over ${collector.feeds} local feeds (${collector.itemsPerFeed} items each), concurrency ${collector.concurrency}`,
  '',
  '| measure | value |',
  '| --- | ---: |',
  `| cycle | ${collector.cycleMs} ms (${collector.feedsPerSec} feeds/s) |`,
  `| CPU of the whole process during the cycle (fixture server included) | ${collector.cpuMsPerFeed} ms per feed, ${collector.cpuShareOfWall} of wall time |`,
  `| documents stored / log lines written | ${collector.documentsStored} / ${collector.logLinesWritten} |`,
  `| failed sources | ${collector.failedSources} |`,
  `| second cycle (all 304 Not Modified) | ${collector.secondCycleMs} ms, ${collector.notModified} not modified |`,
  `| HTTP probe idle p50 / p99 (baseline) | ${collector.probeP50IdleMs} / ${collector.idleProbeP99Ms} ms |`,
  `| event-loop delay idle p99 / max (baseline) | ${collector.idleEventLoopDelayP99Ms} / ${collector.idleEventLoopDelayMaxMs} ms |`,
  `| HTTP probe during the cycle p50 / p99 / max | ${collector.probeP50BusyMs} / ${collector.probeP99BusyMs} / ${collector.probeMaxBusyMs} ms (${collector.probesDuringCycle} probes) |`,
  `| event-loop delay during the cycle p99 / max | ${collector.eventLoopDelayP99Ms} / ${collector.eventLoopDelayMaxMs} ms |`,
  '',
].join('\n');
const outDir = join(ROOT, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, `${date}-trends.json`), JSON.stringify(result, null, 2) + '\n');
writeFileSync(join(outDir, `${date}-trends.md`), md);
process.stdout.write(md);
