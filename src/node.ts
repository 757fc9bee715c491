/**
 * The composition root: opens the store, starts the enabled collectors, the searcher and the HTTP
 * server, and returns `stop()`, which shuts them down in the order that loses nothing: stop intake,
 * let commits finish, then close the store.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { DemoSource, FileSource, SyslogTcpSource, SyslogUdpSource, type Source } from './collect/index.js';
import type { Store } from './store/index.js';
import { openStore } from './open-store.js';
import { Searcher } from './search/index.js';
import { buildApp, loadOrCreateTokenFile, SERVE_LOG_REDACT, TailHub, TailSink, tailParser, UserStore } from './serve/index.js';
import { enrichHit } from './enrich.js';
import { FindingsStore, findingLogLine, guardedSink, startSynLive, UrlDetector, UrlLiveScorer, writeDemoCapture, type FindingsSink, type ReadStats, type SynLive } from './detect/index.js';
import { hostname } from 'node:os';
import { timeZoneMinutes, type NmlConfig } from './config.js';
import { PACKAGE_ROOT, VERSION } from './version.js';
import { openAssistant } from './assist-wiring.js';
import { openInvestigator } from './open-investigator.js';
import { openTrends } from './trends-wiring.js';


/** Paths the process logger must never print (tokens, cookies). */
export const LOG_REDACT = SERVE_LOG_REDACT;

export interface RunningNode {
  store: Store;
  /** what the detectors found (`<data>/findings.db`) */
  findings: FindingsStore;
  searcher: Searcher;
  sources: Source[];
  /** where HTTP listens, e.g. http://127.0.0.1:8823; null when disabled */
  httpUrl: string | null;
  stop(): Promise<void>;
}

/**
 * Network sources keep many batches in flight per connection so that writer lanes commit large
 * transactions; the store's high-water mark, not the connection, bounds what waits in memory.
 */
const NETWORK_BATCH = { maxRecords: 2000, maxInFlight: 64 };

function makeSources(config: Readonly<NmlConfig>): Source[] {
  const sources: Source[] = [];
  const { udp, tcp } = config.syslog;
  if (udp.enabled) sources.push(new SyslogUdpSource({ host: udp.host, port: udp.port, recvBufferSize: udp.recvBufferSize, batch: NETWORK_BATCH }));
  if (tcp.enabled) {
    const tls =
      tcp.tls === null
        ? undefined
        : { cert: readFileSync(tcp.tls.certFile), key: readFileSync(tcp.tls.keyFile), ...(tcp.tls.caFile === undefined ? {} : { ca: readFileSync(tcp.tls.caFile) }) };
    sources.push(new SyslogTcpSource({ host: tcp.host, port: tcp.port, batch: NETWORK_BATCH, ...(tls === undefined ? {} : { tls }) }));
  }
  if (config.files.follow.length > 0) {
    sources.push(new FileSource({ paths: [...config.files.follow], follow: true, fromStart: config.files.fromStart, batch: NETWORK_BATCH }));
  }
  if (config.demo.enabled) sources.push(new DemoSource({ rate: config.demo.rate }));
  return sources;
}

/** The live SYN board: from an interface, a capture replayed, the demo capture, or none. */
function startSyn(config: Readonly<NmlConfig>, findings: FindingsSink, logger: FastifyBaseLogger): SynLive | null {
  const common = { model: config.syn.model, sink: findings, ignore: config.syn.ignore, findingsPerMinute: config.syn.findingsPerMinute, ...(config.syn.threshold === null ? {} : { threshold: config.syn.threshold }), onDone: (s: ReadStats) => logger.info({ syns: s.syns, skipped: s.skipped }, 'syn source ended'), onBoardError: (e: unknown) => logger.error({ err: e }, 'syn board: a flush failed (if onnxruntime failed, the board scores with the TypeScript pass from now on)') };
  if (config.syn.interface !== null) {
    const iface = config.syn.interface;
    return startSynLive({ ...common, iface, tcpdump: config.syn.tcpdump, onListening: () => logger.info({ iface }, 'syn capture listening'), onError: (e) => logger.error({ err: e }, 'syn capture failed') });
  }
  const pcap = config.syn.pcap ?? (config.demo.enabled ? demoSynCapture(config.dataDir, logger) : null);
  if (pcap === null) return null;
  const speed = config.syn.pcap === null && config.demo.enabled ? DEMO_SYN_SPEED : config.syn.speed;
  return startSynLive({ ...common, pcap, speed, onError: (e) => logger.error({ err: e }, 'syn replay failed') });
}

export async function startNode(config: Readonly<NmlConfig>, logger: FastifyBaseLogger): Promise<RunningNode> {
  const store = openStore(config);
  for (const p of store.catalog.problems) logger.warn(p);
  const searcher = new Searcher(store.catalog, config.search.threads);
  const sources = makeSources(config);
  const findings = new FindingsStore(join(resolve(config.dataDir), 'findings.db'));
  const unlogFindings = logNewFindings(findings, store, logger);
  // detectors record through this: a failed write is logged with what was lost, never thrown into a timer
  const findingsSink = guardedSink(findings, (err, lost) => logger.error({ err, lost: lost.length, detector: lost[0]?.detector }, 'findings not stored'));
  const syn = startSyn(config, findingsSink, logger);
  const investigation = openInvestigator(config, config.investigate.watch);
  const assist = openAssistant(config, searcher, investigation.investigator);
  void investigation.ready.then(() => logger.info({ blocklists: investigation.investigator.status().blocklists.counts, articles: investigation.investigator.status().articles.files }, 'investigation sources loaded'));
  const started: Source[] = [];
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  // the live tail's tap on the ingest path: every collector and HTTP ingest write through it
  const tail = config.http.enabled
    ? new TailHub({ parse: tailParser({ timeZone: timeZoneMinutes(config.parse.timeZone) }), examinePerTick: Math.ceil(config.http.tailExaminePerSecond / 4) })
    : null;
  const url = openUrlDetector(config, findingsSink, logger);
  // committed batches are offered to the URL scorer (queues and returns at once) and to the live tail
  const scored = url === null ? store.writer : new TailSink(store.writer, { active: true, offer: (records) => url.live?.offer(records.map((r) => r.line), records.map((r) => r.receivedAt)) });
  const ingest = tail === null ? scored : new TailSink(scored, tail);
  const trends = openTrends(config, ingest, logger);
  const users = config.http.enabled ? new UserStore(join(resolve(config.dataDir), 'users.db'), { sessions: config.http.sessions }) : null;

  const stop = async (): Promise<void> => {
    syn?.stop();
    await app?.close();
    users?.close();
    await Promise.allSettled(started.map((s) => s.stop()));
    await trends?.close();
    await url?.live?.close();
    await url?.detector.close();
    await searcher.close();
    unlogFindings();
    await store.close();
    findings.close();
    assist?.close();
    investigation.close();
  };

  try {
    for (const s of sources) {
      await s.start(ingest);
      started.push(s);
      logger.info({ source: s.name }, 'source started');
    }
    let httpUrl: string | null = null;
    if (config.http.enabled) {
      const tokenFile = join(resolve(config.dataDir), 'api-token');
      const tokens = loadOrCreateTokenFile(tokenFile);
      if (tokens.created) logger.info({ file: tokenFile }, 'api token created; send it as "Authorization: Bearer <token>"');
      const firstAdminPassword = await users!.ensureAdmin();
      app = await buildApp({
        ingest,
        users: users!,
        web: { webRoot: join(PACKAGE_ROOT, 'web', 'dist'), secureCookies: config.http.secureCookies, loginLimits: { max: config.http.loginPerMinute, windowMs: 60_000 } },
        histogram: searcher,
        tail: tail!,
        storeStats: () => store.stats(),
        searcher,
        enrich: enrichHit,
        sourceStats: () => started.map((s) => ({ name: s.name, ...s.stats() })),
        tokens,
        logger,
        version: VERSION,
        bodyLimit: config.http.bodyLimitBytes,
        findings,
        ...(url === null ? {} : { urlDetector: url.detector }),
        investigator: investigation.investigator,
        ...(syn === null ? {} : { synBoard: syn.board }),
        ...(assist === null ? {} : { assistant: assist.assistant }),
        ...(trends === null ? {} : { trends: trends.service }),
      });
      httpUrl = await app.listen({ host: config.http.host, port: config.http.port });
      logger.info({ url: httpUrl }, 'http listening');
      if (firstAdminPassword !== null) {
        // printed once, on purpose: the operator's only way in on a fresh install
        logger.warn(`web UI: created user 'admin' with password ${firstAdminPassword} (shown only now); log in at ${httpUrl}/ and change it with: nml user passwd admin --data ${config.dataDir}`);
      }
    }
    return { store, findings, searcher, sources: started, httpUrl, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Each new finding (first sighting) also becomes a log line, so a search finds it beside its evidence. */
function logNewFindings(findings: FindingsStore, store: Store, logger: FastifyBaseLogger): () => void {
  const host = hostname();
  return findings.subscribe((changed) => {
    const fresh = changed.filter((f) => f.count === 1);
    if (fresh.length === 0) return;
    const receivedAt = Date.now();
    const records = fresh.map((f) => ({ line: findingLogLine(f, host), receivedAt, source: 'nml:detect' }));
    store.writer.write(records).catch((e: unknown) => logger.error({ err: e }, 'could not store finding log lines'));
  });
}

/** The URL detector (shipped or configured model) and, when `url.live`, its live scorer; null when the model cannot load. */
function openUrlDetector(config: Readonly<NmlConfig>, findings: FindingsSink, logger: FastifyBaseLogger): { detector: UrlDetector; live: UrlLiveScorer | null } | null {
  let detector: UrlDetector;
  try {
    detector = config.url.model === null ? UrlDetector.load() : UrlDetector.load(resolve(config.url.model));
  } catch (e) {
    logger.error({ err: e }, 'url detector not started: its model could not be loaded');
    return null;
  }
  const live = config.url.live ? new UrlLiveScorer({ detector, sink: findings, ignore: config.url.ignore, perHost: config.url.perHost, hostQuietMs: config.url.hostQuietMinutes * 60_000, tlsNames: config.url.tlsNames, ...(config.url.threshold === null ? {} : { threshold: config.url.threshold }) }) : null;
  return { detector, live };
}

/** `--demo` without a capture of its own: the SYN board replays a synthetic one starting now, at capture speed (hosts appear over the first minutes). */
const DEMO_SYN_SPEED = 1;

function demoSynCapture(dataDir: string, logger: FastifyBaseLogger): string {
  const path = join(resolve(dataDir), 'demo', 'syn-demo.pcapng');
  logger.info({ file: path, syns: writeDemoCapture(path) }, 'demo: wrote a synthetic SYN capture for the host board');
  return path;
}

