import { join, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { pino } from 'pino';
import { loadConfig, type CommonFlags, DATA_HELP } from '../open.js';
import { envLogLevel } from '../../config-env.js';
import type { ConfigPatch, NmlConfig } from '../../config-types.js';
import { AppError } from '../../core/index.js';
import { demoRate, port } from './args.js';
import { firstStopSignal } from '../signals.js';
import { FIRST_PASSWORD_FILE, readFirstPassword } from '../../serve/users/first-password.js';

function nonNegative(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number ≥ 0, got '${v}'`);
  return n;
}

export interface ServeFlags extends CommonFlags {
  httpHost?: string;
  httpPort?: number;
  syslogPort?: number;
  udp: boolean;
  tcp: boolean;
  demo?: boolean;
  demoRate?: number;
  tlsCert?: string;
  tlsKey?: string;
  follow?: string[];
  fromStart?: boolean;
  synPcap?: string;
  synInterface?: string;
  synSpeed?: number;
}

/**
 * The configuration patch of `nml serve`'s flags: only the flags given on the command line (`given`),
 * so that a setting of the config file or the environment stands unless a flag overrides it. Flags that
 * refine another (--from-start, --syn-speed, --demo-rate, one of --tls-cert/--tls-key) apply on their
 * own, over what the file sets.
 */
export function servePatch(flags: ServeFlags, given: (key: keyof ServeFlags) => boolean): ConfigPatch {
  const http: NonNullable<ConfigPatch['http']> = {};
  const udp: { enabled?: boolean; port?: number } = {};
  const tcp: { enabled?: boolean; port?: number; tls?: { certFile?: string; keyFile?: string } } = {};
  const patch: ConfigPatch = {};
  if (given('udp')) udp.enabled = flags.udp;
  if (given('tcp')) tcp.enabled = flags.tcp;
  if (given('httpHost') && flags.httpHost !== undefined) http.host = flags.httpHost;
  if (given('httpPort') && flags.httpPort !== undefined) http.port = flags.httpPort;
  if (given('syslogPort') && flags.syslogPort !== undefined) {
    udp.port = flags.syslogPort;
    tcp.port = flags.syslogPort;
  }
  if (given('tlsCert') || given('tlsKey')) {
    tcp.tls = { ...(flags.tlsCert === undefined ? {} : { certFile: flags.tlsCert }), ...(flags.tlsKey === undefined ? {} : { keyFile: flags.tlsKey }) };
  }
  if (given('follow') || given('fromStart')) {
    patch.files = { ...(flags.follow === undefined ? {} : { follow: flags.follow }), ...(flags.fromStart === true ? { fromStart: true } : {}) };
  }
  const syn: NonNullable<ConfigPatch['syn']> = {};
  if (given('synPcap') && flags.synPcap !== undefined) syn.pcap = flags.synPcap;
  if (given('synInterface') && flags.synInterface !== undefined) syn.interface = flags.synInterface;
  if (given('synSpeed') && flags.synSpeed !== undefined) syn.speed = flags.synSpeed;
  if (Object.keys(syn).length > 0) patch.syn = syn;
  const demo: NonNullable<ConfigPatch['demo']> = {};
  if (given('demo') && flags.demo === true) demo.enabled = true;
  if (given('demoRate') && flags.demoRate !== undefined) demo.rate = flags.demoRate;
  if (Object.keys(demo).length > 0) patch.demo = demo;
  if (Object.keys(http).length > 0) patch.http = http;
  const syslog: NonNullable<ConfigPatch['syslog']> = {};
  if (Object.keys(udp).length > 0) syslog.udp = udp;
  if (Object.keys(tcp).length > 0) syslog.tcp = tcp as NonNullable<ConfigPatch['syslog']>['tcp'];
  if (Object.keys(syslog).length > 0) patch.syslog = syslog;
  return patch;
}

/**
 * The configuration `nml serve` runs with: defaults ← --config ← environment ← the flags given. TLS
 * needs both files: a --tls-key without a certificate from the flag or the file (or the reverse) is
 * refused here rather than read as an empty path.
 */
export function serveConfig(flags: ServeFlags, cmd: Command): Readonly<NmlConfig> {
  const config = loadConfig(flags, servePatch(flags, (key) => cmd.getOptionValueSource(key) === 'cli'));
  const tls = config.syslog.tcp.tls as { certFile?: unknown; keyFile?: unknown } | null;
  if (tls !== null) {
    for (const [key, flag, other] of [['certFile', '--tls-cert', '--tls-key'], ['keyFile', '--tls-key', '--tls-cert']] as const) {
      if (typeof tls[key] !== 'string' || tls[key] === '') {
        throw new AppError('CONFIG_INVALID', 'bad_request', `serve: syslog TLS needs ${key === 'certFile' ? 'a certificate' : 'a private key'} too: give ${flag} (or syslog.tcp.tls.${key} in the config file) with ${other}`, { field: `syslog.tcp.tls.${key}` });
      }
    }
  }
  return config;
}

/**
 * The one plain line among the server's JSON log: where the UI is and, while `admin` still has its first
 * password, the file that holds it (the question of a first start, else answered only in a JSON line).
 * With `http.publicUrl` the UI is where people open it (a proxy's address), the listen address beside it.
 */
export function webUiLine(httpUrl: string, dataDir: string, publicUrl: string | null = null): string {
  const file = join(resolve(dataDir), FIRST_PASSWORD_FILE);
  const where = publicUrl === null ? `${httpUrl}/` : `${publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`} (listening on ${httpUrl}/)`;
  if (readFirstPassword(file) !== null) return `NML web UI: ${where}  log in as admin with the password in ${file} (cat it; change it under Account in the user menu)\n`;
  return `NML web UI: ${where}  (users: nml user list --data ${dataDir})\n`;
}

/** `nml serve`'s options, without the action (tests parse flags with it). */
export function defineServe(program: Command): Command {
  return program
    .command('serve')
    .description('run the whole system: syslog collectors, writer, search and the HTTP API')
    .option('--data <dir>', DATA_HELP)
    .option('--config <file>', 'JSON configuration file')
    .option('--http-host <host>', 'HTTP listen address (default 127.0.0.1)')
    .option('--http-port <port>', 'HTTP port (default 8823; 0 picks a free one)', port)
    .option('--syslog-port <port>', 'syslog UDP and TCP port (default 5514)', port)
    // `--port` is what one tries first; it was "unknown option '--port'" with no hint of the two it could mean
    .addOption(
      new Option('--port <port>').hideHelp().argParser(() => {
        throw new InvalidArgumentError('nml serve has two ports: --http-port (the web UI and API, default 8823) and --syslog-port (syslog UDP and TCP, default 5514)');
      }),
    )
    .option('--no-udp', 'no syslog over UDP')
    .option('--no-tcp', 'no syslog over TCP')
    .option('--tls-cert <file>', 'PEM certificate: syslog TCP speaks TLS (RFC 5425)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert (each of the two overrides its own syslog.tcp.tls key of the config)')
    .option('--follow <files...>', 'also collect these log files, following appends and rotation (tail -F)')
    .option('--from-start', 'read what the followed files (--follow, or files.follow in the config) already hold first')
    .option('--demo', 'also generate realistic demo traffic')
    .option('--demo-rate <lines/s>', 'demo lines per second, with --demo or demo.enabled in the config (default 200; 0.5 is one line every 2 s)', demoRate)
    .option('--syn-pcap <file>', 'replay this capture into the SYN detector\'s live host board (/api/detect/syn/*)')
    .option('--syn-interface <name>', 'feed the SYN detector\'s live host board from this network interface (needs tcpdump and the right to capture)')
    .option('--syn-speed <n>', 'replay speed of --syn-pcap (or syn.pcap in the config): 1 = capture speed, 10 = ten times faster, 0 = as fast as possible', nonNegative);
}

export function registerServe(program: Command): void {
  defineServe(program).action(async (flags: ServeFlags, cmd: Command) => {
    const config = serveConfig(flags, cmd);
    // a server outlives whoever read its stderr (`2>&1 | head`, a closed terminal): a write there that
    // fails (EPIPE) was an uncaught error, and the server exited with nothing said, or hung on its way out
    process.stderr.on('error', () => undefined);
    // checked with the configuration (envPatch): a bad value is one line naming it, not pino's stack
    const level = envLogLevel(process.env);
    // loaded here so that the other commands start without the HTTP stack
    const { startNode, loggerOptions } = await import('../../node.js');
    const logger = pino(loggerOptions(level));
    const node = await startNode(config, logger);
    logger.info({ dataDir: config.dataDir, http: node.httpUrl, sources: node.sources.map((s) => s.name) }, 'nml is running; Ctrl-C stops it');
    if (node.httpUrl !== null) process.stderr.write(webUiLine(node.httpUrl, config.dataDir, config.http.publicUrl));
    // a second signal while the node stops ends the process at once
    const signal = await firstStopSignal();
    logger.info({ signal }, 'stopping');
    try {
      await node.stop();
      // the log's last line says the stop finished (it ended at 'stopping' and a source's end: stopped, or hung?)
      logger.info('stopped');
    } catch (e) {
      logger.error({ err: e }, 'stop failed');
    }
  });
}
