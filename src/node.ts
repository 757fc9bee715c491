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
import { buildApp, loadOrCreateTokenFile, SERVE_LOG_REDACT } from './serve/index.js';
import { enrichHit } from './enrich.js';
import { FindingsStore, findingLogLine } from './detect/index.js';
import { hostname } from 'node:os';
import type { NmlConfig } from './config.js';
import { VERSION } from './version.js';


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

export async function startNode(config: Readonly<NmlConfig>, logger: FastifyBaseLogger): Promise<RunningNode> {
  const store = openStore(config);
  for (const p of store.catalog.problems) logger.warn(p);
  const searcher = new Searcher(store.catalog, config.search.threads);
  const sources = makeSources(config);
  const findings = new FindingsStore(join(resolve(config.dataDir), 'findings.db'));
  const unlogFindings = logNewFindings(findings, store, logger);
  const started: Source[] = [];
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;

  const stop = async (): Promise<void> => {
    await app?.close();
    await Promise.allSettled(started.map((s) => s.stop()));
    await searcher.close();
    unlogFindings();
    await store.close();
    findings.close();
  };

  try {
    for (const s of sources) {
      await s.start(store.writer);
      started.push(s);
      logger.info({ source: s.name }, 'source started');
    }
    let httpUrl: string | null = null;
    if (config.http.enabled) {
      const tokenFile = join(resolve(config.dataDir), 'api-token');
      const tokens = loadOrCreateTokenFile(tokenFile);
      if (tokens.created) logger.info({ file: tokenFile }, 'api token created; send it as "Authorization: Bearer <token>"');
      app = await buildApp({
        ingest: store.writer,
        storeStats: () => store.stats(),
        searcher,
        enrich: enrichHit,
        sourceStats: () => started.map((s) => ({ name: s.name, ...s.stats() })),
        tokens,
        logger,
        version: VERSION,
        bodyLimit: config.http.bodyLimitBytes,
        findings,
      });
      httpUrl = await app.listen({ host: config.http.host, port: config.http.port });
      logger.info({ url: httpUrl }, 'http listening');
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

