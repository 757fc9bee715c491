/**
 * The composition root: opens the store, starts the enabled collectors, the searcher and the HTTP
 * server, and returns `stop()`, which shuts them down in the order that loses nothing: stop intake,
 * let commits finish, then close the store.
 */
import { closeSync, lstatSync, openSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { bindFailureKind, DemoSource, FileSource, refusalLog, TimedLinesSource, SyslogTcpSource, SyslogUdpSource, WriteFailureLog, type Source, type SyslogTlsOptions } from './collect/index.js';
import type { Store } from './store/index.js';
import { openStore } from './open-store.js';
import { Searcher } from './search/index.js';
import { buildApp, SqliteKeyJournal, loadOrCreateTokenFile, watchedTokenFile, serveLoggerOptions, TailHub, TailSink, tailParser, UserStore, FIRST_PASSWORD_FILE, readFirstPassword, usersWithReservedNames, reservedNamesWarning, type AppDeps } from './serve/index.js';
import { enrichHit } from './enrich.js';
import { FindingsStore, guardedSink, storedFloods, startFindingsRetention, startSynLive, synsFromBuffer, writeDemoCapture, demoFirewallLines, readSynFile, type FindingsSink, type ReadStats, type RecalledFlood, type SynLive } from './detect/index.js';
import { sessionCookiesSecure, timeZoneMinutes } from './config.js';
import { followedFiles, hostByPath, localHost } from './config-follow.js';
import type { NmlConfig } from './config-types.js';
import { PACKAGE_ROOT, VERSION } from './version.js';
import { AppError, describeCause, isAppError, pathFailureKind } from './core/index.js';
import { openAssistant } from './assist-wiring.js';
import { openInvestigator } from './open-investigator.js';
import { openTrends } from './trends-wiring.js';
import { logNewFindings, openUrlDetector } from './url-wiring.js';
import { openFindingsNotify } from './notify-wiring.js';
import { readHttpTls, readSyslogTls, watchTlsFiles } from './tls-files.js';
import type { Server as TlsServer } from 'node:tls';
import { openBackups, type BackupTimings } from './backup-wiring.js';
import type { BackupSchedule } from './backup/index.js';
import { auditBackups, auditTokenChange, openAudit } from './audit-wiring.js';
import { openWatches } from './watch-wiring.js';


/** The process logger's options: it never prints a token, a cookie or a secret-named query parameter. */
export const loggerOptions = serveLoggerOptions;

export interface RunningNode {
  store: Store;
  /** what the detectors found (`<data>/findings.db`) */
  findings: FindingsStore;
  searcher: Searcher;
  sources: Source[];
  /** where HTTP listens, e.g. http://127.0.0.1:8823; null when disabled */
  httpUrl: string | null;
  /** the scheduled backups (`backup.dir`), null when none: `subscribe` hears each run (the hook for an audit trail) */
  backup: BackupSchedule | null;
  stop(): Promise<void>;
}

/**
 * Network sources keep many batches in flight per connection so that writer lanes commit large
 * transactions; the store's high-water mark, not the connection, bounds what waits in memory.
 */
const NETWORK_BATCH = { maxRecords: 2000, maxInFlight: 64 };

/** The collectors of a configuration, not started: their constructors check options and open nothing. */
function makeSources(config: Readonly<NmlConfig>, tls: SyslogTlsOptions | undefined, logger: FastifyBaseLogger): Source[] {
  const sources: Source[] = [];
  const { udp, tcp } = config.syslog;
  if (udp.enabled) sources.push(new SyslogUdpSource({ host: udp.host, port: udp.port, recvBufferSize: udp.recvBufferSize, batch: NETWORK_BATCH }));
  if (tcp.enabled) {
    const onRefused = refusalLog((fields, message) => logger.warn(fields, message));
    sources.push(new SyslogTcpSource({ host: tcp.host, port: tcp.port, batch: NETWORK_BATCH, idleTimeoutMs: tcp.idleTimeoutMs, maxConnections: tcp.maxConnections, maxConnectionsPerAddress: tcp.maxConnectionsPerAddress, onRefused, ...(tls === undefined ? {} : { tls }) }));
  }
  if (config.files.follow.length > 0) {
    // each file's trouble is logged when it happens (the others are read on); done() settles only at stop(),
    // rejected by those same failures or by a store that refused lines
    // a path alone is this machine's log: its headerless lines get this host name (config-follow.ts)
    const followed = followedFiles(config.files.follow, localHost());
    const files = new FileSource({
      paths: followed.map((f) => f.path),
      host: hostByPath(followed),
      follow: true,
      fromStart: config.files.fromStart,
      batch: NETWORK_BATCH,
      // a restart resumes each file after the last line the store acknowledged (at-least-once)
      positionsFile: join(resolve(config.dataDir), 'collect', 'file-positions.json'),
      onProblem: (p) => logger[p.ended ? 'error' : 'warn']({ file: p.path, code: p.error.code }, p.error.message),
      onNotice: (n) => logger.warn({ file: n.path }, n.message),
    });
    files.done().catch((e: unknown) => logger.error({ err: e }, 'followed files: ended with an error'));
    sources.push(files);
  }
  if (config.demo.enabled) sources.push(new DemoSource({ rate: config.demo.rate }));
  return sources;
}

/** The live SYN board: from an interface, a capture replayed, the demo capture, or none. */
function startSyn(config: Readonly<NmlConfig>, findings: FindingsSink, logger: FastifyBaseLogger, demoPcap: string | null, recall: () => readonly RecalledFlood[]): SynLive | null {
  const pcap = config.syn.pcap ?? demoPcap;
  if (config.syn.interface === null && pcap === null) return null;
  const common = { model: config.syn.model, sink: findings, recall: recall(), ignore: config.syn.ignore, findingsPerMinute: config.syn.findingsPerMinute, fewSynFindingsPerMinute: config.syn.fewSynFindingsPerMinute, keep: { ms: config.syn.keepFindingsHours * 3_600_000, max: config.syn.maxKeptFindings }, ...(config.syn.threshold === null ? {} : { threshold: config.syn.threshold }), onDone: (s: ReadStats) => logger[s.truncatedAt === undefined ? 'info' : 'warn']({ syns: s.syns, skipped: s.skipped, ...(s.truncatedOptions === undefined ? {} : { truncatedOptions: s.truncatedOptions }), ...(s.truncatedAt === undefined ? {} : { truncatedAt: s.truncatedAt }) }, s.truncatedAt === undefined ? 'syn source ended' : `syn source ended early: the capture ends inside a packet at byte ${s.truncatedAt} (cut short); the board holds the SYNs before it`), onBoardError: (e: unknown) => logger.error({ err: e }, 'syn board: a flush failed (if onnxruntime failed, the board scores with the TypeScript pass from now on)') };
  if (config.syn.interface !== null) {
    const iface = config.syn.interface;
    return startSynLive({ ...common, iface, tcpdump: config.syn.tcpdump, onListening: () => logger.info({ iface }, 'syn capture listening'), onError: (e) => logger.error({ err: e }, 'syn capture failed') });
  }
  if (pcap === null) return null;
  if (config.syn.pcap !== null) checkCapture(config.syn.pcap);
  const speed = config.syn.pcap === null && config.demo.enabled ? DEMO_SYN_SPEED : config.syn.speed;
  return startSynLive({ ...common, pcap, speed, onError: (e) => logger.error({ err: e }, 'syn replay failed') });
}

/**
 * The capture to replay, opened and its first 64 KiB parsed before the start goes on: a missing or
 * foreign file is a clear error naming the flag, not a line in the log of a server that runs without it.
 */
function checkCapture(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(65_536);
      const n = readSync(fd, head, 0, head.length, 0);
      try {
        synsFromBuffer(head.subarray(0, n), path);
      } catch (e) {
        // a first block longer than the 64 KiB read is not a cut file
        if (!(isAppError(e) && e.code === 'PCAP_TRUNCATED' && n === head.length)) throw e;
      }
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const why = isAppError(e) ? e.message : `cannot open ${path}: ${describeCause(e)}`;
    throw new AppError(isAppError(e) ? e.code : 'PCAP_OPEN_FAILED', isAppError(e) ? e.kind : pathFailureKind(e), `serve: the capture to replay (--syn-pcap, syn.pcap) cannot be read: ${why}`, { path }, e);
  }
}

/** A configured SYN model that does not load is named by its configuration key (the loader's own advice is the CLI's `--model`). */
function namingSynModel<T>(config: Readonly<NmlConfig>, start: () => T): T {
  try {
    return start();
  } catch (e) {
    const path = config.syn.model;
    if (path === null || !isAppError(e) || !e.code.startsWith('MODEL_')) throw e;
    throw new AppError(e.code, e.kind, `serve: the syn model ${path} (syn.model) cannot be loaded: ${describeCause(e.cause ?? e)}; train one with nml train syn, or set syn.model to null for the shipped model`, { path }, e);
  }
}

/** Server settings the configuration does not hold: tests shorten the live feeds' timers with them. */
export type NodeServeOptions = Pick<AppDeps, 'synLiveBeatMs' | 'tailBeatMs'> & {
  backup?: BackupTimings;
  /** how often the TLS files are looked at for a renewal (default 10 s) */
  tlsCheckMs?: number;
  /** how often the watches' evaluator looks for due watches (default 1 s) */
  watchTickMs?: number;
};

export async function startNode(config: Readonly<NmlConfig>, logger: FastifyBaseLogger, serveOptions: NodeServeOptions = {}): Promise<RunningNode> {
  // the TLS files are read and checked before anything opens: a bad one leaves nothing to release
  const sources = makeSources(config, readSyslogTls(config), logger);
  const httpTls = readHttpTls(config);
  // what the store meets with no caller to tell (a catalog write on a full disk, a retention delete refused), what retention removed, and each merge
  const store = openStore(config, {
    onProblem: (m) => logger.warn({ store: true }, m),
    onRetention: ({ message, oldestKept, ...removed }) => logger.info({ store: true, ...removed, oldestKept: oldestKept === null ? null : new Date(oldestKept).toISOString() }, message),
    // each closed hour merged into one shard: counts, sizes and time only (a merge that fails is a problem, above)
    onMerge: ({ message, hourStart, ...merged }) => logger.info({ store: true, hour: new Date(hourStart).toISOString(), ...merged }, message),
    // a killed write's temporary files, removed at open: the count and the folder, never what they held
    onTempFilesRemoved: ({ message, folder, removed }) => logger.info({ store: true, folder, removed }, message),
  });
  // what has been opened so far; stop() closes it, after a failed start as after a running one
  const parts: Parts = { started: [], unwatchTls: [] };
  const stop = (): Promise<void> => closeParts(store, parts);
  try {
    for (const p of store.catalog.problems) logger.warn(p);
    const searcher = (parts.searcher = new Searcher(store.catalog, config.search.threads));
    const findings = (parts.findings = openDatabase({ what: 'findings store', code: 'FINDINGS_OPEN_FAILED', anew: 'a new, empty one is made' }, join(resolve(config.dataDir), 'findings.db'), (path) => new FindingsStore(path)));
    parts.unlogFindings = logNewFindings(findings, store, logger);
    // every detector's new and reopened findings, heard once on the store, go to the configured webhooks
    const notify = (parts.notify = openFindingsNotify(config, findings, logger));
    const maxAgeMs = config.findings.maxAgeMs;
    if (maxAgeMs !== null) {
      parts.stopFindingsRetention = startFindingsRetention(findings, {
        maxAgeMs,
        onPruned: (removed, before) => logger.info({ removed, before: new Date(before).toISOString() }, 'findings retention: findings last seen before the cutoff deleted'),
        onError: (err) => logger.error({ err }, 'findings retention: the pass failed; the next one (in an hour) tries again'),
      });
    }
    // detectors record through this: a failed write is logged with what was lost, never thrown into a timer
    const findingsSink = guardedSink(findings, (err, lost) => logger.error({ err, lost: lost.length, detector: lost[0]?.detector }, 'findings not stored'));
    // the demo's SYN capture, and its firewall's log of those SYNs ingested on the replay's clock
    const demoPcap = config.demo.enabled && config.syn.pcap === null && config.syn.interface === null ? demoSynCapture(config.dataDir, logger) : null;
    if (demoPcap !== null) sources.push(new TimedLinesSource({ name: 'demo-fw', lines: demoFirewallLines(readSynFile(demoPcap).syns) }));
    const syn = (parts.syn = namingSynModel(config, () => startSyn(config, findingsSink, logger, demoPcap, () => storedFloods(findings, (e) => logger.warn({ err: e }, 'syn board: the stored floods could not be read; a flood after this start tells no earlier ones')))));
    // a capture that cannot start (no such interface, no permission, no tcpdump) fails the start, as a capture file that cannot be read does
    await syn?.ready;
    const investigation = (parts.investigation = openInvestigator(config, config.investigate.watch));
    const assist = (parts.assist = openAssistant(config, searcher, investigation.investigator, process.env, (m) => logger.warn(m)));
    void investigation.ready.then(
      () => {
        const st = investigation.investigator.status();
        logger.info({ blocklists: st.blocklists.counts, articles: st.articles.files }, 'investigation sources loaded');
        // a folder that failed to load keeps the previous (here: empty) value: say so, or lookups just find nothing
        for (const [what, err] of [['blocklists', st.blocklists.error], ['articles', st.articles.error]] as const) if (err != null) logger.warn({ folder: what, err }, `investigation: the ${what} folder could not be loaded; pivots show no ${what} until it is fixed`);
      },
      (e: unknown) => logger.error({ err: e }, 'investigation sources could not be loaded'),
    );
    // the live tail's tap on the ingest path: every collector and HTTP ingest write through it
    const tail = config.http.enabled
      ? new TailHub({ parse: tailParser({ timeZone: timeZoneMinutes(config.parse.timeZone) }), examinePerTick: Math.ceil(config.http.tailExaminePerSecond / 4) })
      : null;
    const url = (parts.url = openUrlDetector(config, findingsSink, findings, logger));
    // committed batches are offered to the URL scorer (queues and returns at once) and to the live tail
    const scored = url === null ? store.writer : new TailSink(store.writer, { active: true, offer: (records) => url.live?.offer(records.map((r) => r.line), records.map((r) => r.receivedAt)) });
    const ingest = tail === null ? scored : new TailSink(scored, tail);
    const trends = (parts.trends = openTrends(config, ingest, logger));
    // saved queries counted on a schedule, one after another; a trip is a finding through the guarded sink (watch-wiring.ts)
    const watches = (parts.watches = openWatches(config, searcher, findingsSink, logger, serveOptions.watchTickMs));
    // scheduled backups (backup.dir): taken and verified in a child process, so ingest and the server's memory do not carry them
    const backups = (parts.backups = openBackups(config, logger, serveOptions.backup));
    const users = (parts.users = config.http.enabled
      ? openDatabase({ what: 'user database', code: 'USER_DB_UNAVAILABLE', anew: `a new one is made, with a new admin password in ${FIRST_PASSWORD_FILE}` }, join(resolve(config.dataDir), 'users.db'), (path) => new UserStore(path, { sessions: config.http.sessions }))
      : null);
    // the audit trail, a table of the same users.db (audit-wiring.ts)
    const audit = (parts.audit = users === null ? null : openDatabase({ what: 'audit log in the user database', code: 'USER_DB_UNAVAILABLE', anew: `a new one is made, with a new admin password in ${FIRST_PASSWORD_FILE}` }, join(resolve(config.dataDir), 'users.db'), (path) => openAudit(path, config, logger)));
    if (audit !== null && backups !== null) parts.unauditBackups = auditBackups(audit, backups.schedule, config.backup.includeSecrets, logger);

    // lines a source loses because the store refused them: counted by the source, told here at most once a minute per kind
    const writeFailures = (parts.writeFailures = new WriteFailureLog((r) => logger.warn({ sourceKind: r.kind, sources: r.sources, dropped: r.dropped, code: r.code }, r.message)));
    for (const s of sources) {
      await s.start(writeFailures.sink(ingest, () => s.name));
      parts.started.push(s);
      logger.info({ source: s.name }, 'source started');
    }
    const syslogTls = config.syslog.tcp.tls;
    const tlsSource = parts.started.find((x): x is SyslogTcpSource => x instanceof SyslogTcpSource);
    if (syslogTls !== null && tlsSource !== undefined) {
      const paths = [syslogTls.certFile, syslogTls.keyFile, ...(syslogTls.caFile === undefined ? [] : [syslogTls.caFile])];
      const watch = { what: 'syslog tls', paths, read: () => readSyslogTls(config)!, put: (f: SyslogTlsOptions) => tlsSource.setTls(f), everyMs: serveOptions.tlsCheckMs };
      parts.unwatchTls.push(watchTlsFiles(watch, logger, { source: tlsSource.name, certFile: syslogTls.certFile }));
    }
    // a followed file may appear later, but a typo looks the same: say so (a link loop, or a glob, the file source tells itself)
    for (const { path: f } of followedFiles(config.files.follow, undefined)) {
      if (lstatSync(f, { throwIfNoEntry: false }) === undefined && !/[*?[]/.test(f)) logger.warn({ file: resolve(f) }, 'followed file does not exist yet; it is read when it appears, from its start or from where it was left if it was followed before (check the path if it never does)');
    }
    let httpUrl: string | null = null;
    if (config.http.enabled) {
      const tokenFile = join(resolve(config.dataDir), 'api-token');
      const tokenInFile = loadOrCreateTokenFile(tokenFile);
      if (tokenInFile.created) logger.info({ file: tokenFile }, 'api token created; send it as "Authorization: Bearer <token>"');
      // `nml token rotate` writes a new one: the old one stops working here within a second, no restart
      const tokens = watchedTokenFile(tokenFile, tokenInFile, {
        onRotated: () => {
          logger.info({ file: tokenFile }, 'api token file changed: the new token is in force, the old one no longer works');
          auditTokenChange(audit, true, logger);
        },
        onInvalid: (e) => {
          logger.warn({ file: tokenFile, reason: e.message }, 'api token file changed and holds no valid token: no API token is accepted until it does (nml token rotate writes one)');
          auditTokenChange(audit, false, logger);
        },
      });
      const firstAdmin = await users!.ensureAdmin();
      // names taken before they were kept back keep their accounts: said on every start until renamed
      const reserved = usersWithReservedNames(users!.list());
      if (reserved.length > 0) logger.warn({ users: reserved.map((u) => u.name) }, reservedNamesWarning(reserved, config.dataDir));
      const ingestKeys = (parts.ingestKeys = openDatabase(
        { what: 'ingest key file', code: 'INGEST_KEYS_UNAVAILABLE', anew: 'a new one is made: retries of requests sent before the restart store their lines again' },
        join(resolve(config.dataDir), 'ingest-keys.db'),
        (path) => new SqliteKeyJournal(path, (err) => logger.warn({ err, file: path }, 'ingest: an Idempotency-Key could not be written to disk; its request was answered, but a retry after a restart would store its lines again')),
      ));
      const app = (parts.app = await buildApp({
        ingest,
        users: users!,
        ...(audit === null ? {} : { audit: audit.log }),
        web: { webRoot: join(PACKAGE_ROOT, 'web', 'dist'), publicUrl: config.http.publicUrl, secureCookies: sessionCookiesSecure(config.http), loginLimits: { max: config.http.loginPerMinute, windowMs: 60_000 }, trustProxy: config.http.trustProxy, connectionLimits: { maxConnections: config.http.maxConnections, maxConnectionsPerAddress: config.http.maxConnectionsPerAddress } },
        histogram: searcher,
        tail: tail!,
        storeStats: () => store.stats(),
        searcher,
        enrich: enrichHit,
        // a followed file's row says which host its headerless lines get (config-follow.ts)
        sourceStats: () => parts.started.map((s) => ({ name: s.name, ...s.stats(), ...(s instanceof FileSource ? { files: s.hosts() } : {}) })),
        tokens,
        logger,
        version: VERSION,
        ...(httpTls === undefined ? {} : { https: httpTls }),
        bodyLimit: config.http.bodyLimitBytes,
        ingestInFlightBytes: config.http.ingestInFlightBytes,
        ingestKeys,
        findings,
        ...(url === null ? {} : { urlDetector: url.detector, urlThreshold: url.threshold, urlTlsNames: config.url.tlsNames }),
        ...(url?.live == null ? {} : { detectorStats: () => ({ url: { ...url.live!.stats() } }) }),
        ...(notify === null ? {} : { notifyStats: () => notify.notifier.stats() }),
        investigator: investigation.investigator,
        ...(serveOptions.tailBeatMs === undefined ? {} : { tailBeatMs: serveOptions.tailBeatMs }),
        ...(syn === null ? {} : { synBoard: syn.board, ...(serveOptions.synLiveBeatMs === undefined ? {} : { synLiveBeatMs: serveOptions.synLiveBeatMs }) }),
        ...(assist === null ? {} : { assistant: assist.assistant }),
        ...(trends === null ? {} : { trends: trends.service }),
        shareKeyFile: config.share.keyFile,
        shareMaxExports: config.share.maxExports,
        ...(backups === null ? {} : { backupStats: () => backups.schedule.status() }),
        ...watches.deps,
      }));
      httpUrl = await listenHttp(app, config.http.host, config.http.port);
      logger.info({ url: httpUrl }, 'http listening');
      if (httpTls !== undefined) {
        const t = config.http.tls!;
        const watch = { what: 'https', paths: [t.certFile, t.keyFile], read: () => readHttpTls(config)!, put: (f: { cert: Buffer; key: Buffer }) => (app.server as unknown as TlsServer).setSecureContext(f), everyMs: serveOptions.tlsCheckMs };
        parts.unwatchTls.push(watchTlsFiles(watch, logger, { certFile: t.certFile }));
      }
      if (firstAdmin !== null) {
        // the file, never the password: a log is kept and read more widely than the data directory
        logger.warn({ file: firstAdmin.file }, `web UI: created user 'admin'; its password is in ${firstAdmin.file} (readable only by this account; removed when the password is changed). Log in at ${httpUrl}/ and change it under Account in the user menu (or: nml user passwd admin --data ${config.dataDir})`);
      } else if (readFirstPassword(users!.firstPasswordFile) !== null) {
        // said on every start until it is changed: a first start that failed after creating `admin` (its port
        // taken) left the file, and no later start named it
        const file = users!.firstPasswordFile;
        logger.warn({ file }, `web UI: 'admin' still has its first password, in ${file}. Log in at ${httpUrl}/ and change it under Account in the user menu (or: nml user passwd admin --data ${config.dataDir})`);
      }
    }
    return { store, findings, searcher, sources: parts.started, httpUrl, backup: backups?.schedule ?? null, stop };
  } catch (e) {
    // the one cleanup path: whatever was opened is closed, so the data directory's lock is released and nothing keeps the process alive
    await stop().catch((closeError: unknown) => logger.error({ err: closeError }, 'startup failed, and closing what it had opened failed too'));
    throw e;
  }
}

/** What startNode has opened, in the order it opens them; a failed start leaves the later ones unset. */
interface Parts {
  searcher?: Searcher;
  findings?: FindingsStore;
  unlogFindings?: () => void;
  notify?: ReturnType<typeof openFindingsNotify>;
  stopFindingsRetention?: () => void;
  syn?: SynLive | null;
  investigation?: ReturnType<typeof openInvestigator>;
  assist?: ReturnType<typeof openAssistant>;
  url?: ReturnType<typeof openUrlDetector>;
  trends?: ReturnType<typeof openTrends>;
  watches?: ReturnType<typeof openWatches>;
  backups?: ReturnType<typeof openBackups>;
  users?: UserStore | null;
  audit?: ReturnType<typeof openAudit> | null;
  unauditBackups?: () => void;
  ingestKeys?: SqliteKeyJournal;
  writeFailures?: WriteFailureLog;
  app?: Awaited<ReturnType<typeof buildApp>>;
  started: Source[];
  /** the watches of renewed TLS files */
  unwatchTls: (() => void)[];
}

/**
 * Closes what is open in the order that loses nothing: intake first (SYN board, HTTP, collectors), then
 * the consumers of committed batches, then the store, then the rest. Every step runs even when an
 * earlier one fails; the first failure is thrown at the end.
 */
async function closeParts(store: Store, p: Parts): Promise<void> {
  const steps: Array<() => unknown> = [
    () => p.unwatchTls.forEach((unwatch) => unwatch()),
    // awaited: the board scores what it holds and makes its last records while the findings store is open
    () => p.syn?.stop(),
    () => p.app?.close(),
    // the count under way is cancelled and awaited: no evaluation records after the searcher and findings close
    () => p.watches?.close(),
    // a backup under way is stopped and its unfinished folder removed
    () => p.backups?.close(),
    () => p.unauditBackups?.(),
    () => p.ingestKeys?.close(),
    () => p.audit?.close(),
    () => p.users?.close(),
    () => Promise.allSettled(p.started.map((s) => s.stop())),
    () => p.writeFailures?.close(),
    () => p.trends?.close(),
    () => p.url?.live?.close(),
    () => p.url?.detector.close(),
    () => p.searcher?.close(),
    () => p.unlogFindings?.(),
    () => p.notify?.close(),
    () => p.stopFindingsRetention?.(),
    () => store.close(),
    () => p.findings?.close(),
    () => p.assist?.close(),
    () => p.investigation?.close(),
  ];
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (e) {
      failures.push(e);
    }
  }
  if (failures.length > 0) throw failures[0];
}


/**
 * `--demo` without a capture of its own: the SYN board replays a synthetic one starting now, at capture
 * speed (hosts appear over the first minutes), and the demo firewall logs its SYNs at their times.
 */
const DEMO_SYN_SPEED = 1;

function demoSynCapture(dataDir: string, logger: FastifyBaseLogger): string {
  const path = join(resolve(dataDir), 'demo', 'syn-demo.pcapng');
  logger.info({ file: path, syns: writeDemoCapture(path) }, 'demo: wrote a synthetic SYN capture for the host board');
  return path;
}

/**
 * Opens one of the node's SQLite files; a failure, whatever threw it (a damaged file fails at its
 * first statement, past the store's own check), becomes `db.code` with a message that names the file
 * and what to do. `anew`: what happens when the file is moved aside.
 */
function openDatabase<T>(db: { what: string; code: string; anew: string }, path: string, open: (path: string) => T): T {
  try {
    return open(path);
  } catch (e) {
    const cause = isAppError(e) && e.cause !== undefined ? e.cause : e;
    const kind = isAppError(e) ? e.kind : 'unavailable';
    const message = `serve: cannot open the ${db.what} ${path}: ${describeCause(cause)}; check the file's permissions and the free disk space, or, if it is damaged, move it aside (${db.anew}) or restore it from a backup`;
    throw new AppError(db.code, kind, message, { path }, cause);
  }
}

/** Starts the HTTP server; a failure to listen (address in use, unknown host) becomes HTTP_LISTEN_FAILED. */
async function listenHttp(app: Awaited<ReturnType<typeof buildApp>>, host: string, port: number): Promise<string> {
  try {
    return await app.listen({ host, port });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | null)?.code;
    // only the system's refusals; anything else is not about the address and keeps its own error
    if ((e as NodeJS.ErrnoException | null)?.syscall === undefined || code === undefined) throw e;
    const fix =
      code === 'EADDRINUSE'
        ? 'pick another --http-port (http.port; 0 picks a free one) or stop the other listener'
        : code === 'EACCES' || code === 'EPERM'
          ? 'pick a port of 1024 or above with --http-port (http.port), or run with the right to bind it'
          : 'give --http-host (http.host) an address of this machine, e.g. 127.0.0.1 or 0.0.0.0';
    throw new AppError('HTTP_LISTEN_FAILED', bindFailureKind(e), `serve: cannot listen for http on ${host}:${port}: ${describeCause(e)}; ${fix}`, { host, port }, e);
  }
}
