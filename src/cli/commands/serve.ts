import { InvalidArgumentError, type Command } from 'commander';
import { pino } from 'pino';
import { loadConfig, type CommonFlags } from '../open.js';
import type { ConfigPatch } from '../../config.js';
import { port, positiveInt } from './args.js';

function nonNegative(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number ≥ 0, got '${v}'`);
  return n;
}

interface ServeFlags extends CommonFlags {
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

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the whole system: syslog collectors, writer, search and the HTTP API')
    .option('--data <dir>', 'data directory (default ./nml-data)')
    .option('--config <file>', 'JSON configuration file')
    .option('--http-host <host>', 'HTTP listen address (default 127.0.0.1)')
    .option('--http-port <port>', 'HTTP port (default 8823; 0 picks a free one)', port)
    .option('--syslog-port <port>', 'syslog UDP and TCP port (default 5514)', port)
    .option('--no-udp', 'no syslog over UDP')
    .option('--no-tcp', 'no syslog over TCP')
    .option('--tls-cert <file>', 'PEM certificate: syslog TCP speaks TLS (RFC 5425)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--follow <files...>', 'also collect these log files, following appends and rotation (tail -F)')
    .option('--from-start', 'with --follow: read what the files already hold first')
    .option('--demo', 'also generate realistic demo traffic')
    .option('--demo-rate <lines/s>', 'demo lines per second (default 200)', positiveInt)
    .option('--syn-pcap <file>', 'replay this capture into the SYN detector\'s live host board (/api/detect/syn/*)')
    .option('--syn-interface <name>', 'feed the SYN detector\'s live host board from this network interface (needs tcpdump and the right to capture)')
    .option('--syn-speed <n>', 'replay speed: 1 = capture speed, 10 = ten times faster, 0 = as fast as possible', nonNegative)
    .action(async (flags: ServeFlags) => {
      const patch: ConfigPatch = { http: {}, syslog: { udp: { enabled: flags.udp }, tcp: { enabled: flags.tcp } } };
      if (flags.httpHost !== undefined) patch.http!.host = flags.httpHost;
      if (flags.httpPort !== undefined) patch.http!.port = flags.httpPort;
      if (flags.syslogPort !== undefined) {
        patch.syslog!.udp!.port = flags.syslogPort;
        patch.syslog!.tcp!.port = flags.syslogPort;
      }
      if (flags.tlsCert !== undefined || flags.tlsKey !== undefined) patch.syslog!.tcp!.tls = { certFile: flags.tlsCert ?? '', keyFile: flags.tlsKey ?? '' };
      if (flags.follow !== undefined) patch.files = { follow: flags.follow, fromStart: flags.fromStart === true };
      if (flags.synPcap !== undefined) patch.syn = { pcap: flags.synPcap, ...(flags.synSpeed === undefined ? {} : { speed: flags.synSpeed }) };
      if (flags.synInterface !== undefined) patch.syn = { ...patch.syn, interface: flags.synInterface };
      if (flags.demo === true) patch.demo = { enabled: true, ...(flags.demoRate === undefined ? {} : { rate: flags.demoRate }) };
      const config = loadConfig(flags, patch);
      // loaded here so that the other commands start without the HTTP stack
      const { startNode, LOG_REDACT } = await import('../../node.js');
      const logger = pino({ level: process.env.NML_LOG_LEVEL ?? 'info', redact: { paths: LOG_REDACT, censor: '[redacted]' } });
      const node = await startNode(config, logger);
      logger.info({ dataDir: config.dataDir, http: node.httpUrl, sources: node.sources.map((s) => s.name) }, 'nml is running; Ctrl-C stops it');
      if (node.httpUrl !== null) process.stderr.write(`NML web UI: ${node.httpUrl}/  (users: nml user list --data ${config.dataDir})\n`);
      await new Promise<void>((resolveStop) => {
        const onSignal = (sig: string): void => {
          logger.info({ signal: sig }, 'stopping');
          node.stop().then(resolveStop, (e: unknown) => {
            logger.error({ err: e }, 'stop failed');
            resolveStop();
          });
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      });
    });
}
