/**
 * The configuration's shape: every setting (`NmlConfig`) and a partial one as a file, the environment
 * or flags give it (`ConfigPatch`). Apart from config.ts so config-env.ts can build a patch without
 * importing the file that merges it.
 */
import type { StoreConfig } from './store/index.js';
import type { WebhookConfig } from './detect/findings/notify-target.js';

export interface ListenConfig {
  enabled: boolean;
  host: string;
  port: number;
}

export interface NmlConfig {
  dataDir: string;
  store: StoreConfig;
  search: { threads: number };
  parse: { timeZone: string };
  syslog: {
    udp: ListenConfig & { recvBufferSize: number };
    /**
     * `idleTimeoutMs`: a connection silent this long is closed (its partial frame stored); 0 = never.
     * `maxConnections`, `maxConnectionsPerAddress`: open connections at most, in all and from one address
     * `tls.caFile`: mutual TLS: every client must present a certificate this CA signed; without it any
     * client may connect (the traffic is still encrypted)
     */
    tcp: ListenConfig & { tls: { certFile: string; keyFile: string; caFile?: string } | null; idleTimeoutMs: number; maxConnections: number; maxConnectionsPerAddress: number };
  };
  http: ListenConfig & {
    bodyLimitBytes: number;
    /** bytes of ingest bodies held at once; past it 503 INGEST_BUSY (serve/routes/ingest-admission.ts) */
    ingestInFlightBytes: number;
    /** web UI: `Secure` session cookies (set it when a TLS proxy is in front); null: when `tls` is set or `publicUrl` is https (`sessionCookiesSecure`) */
    secureCookies: boolean | null;
    /** web UI sessions end after `idleMs` unused or `absoluteMs` after login */
    sessions: { idleMs: number; absoluteMs: number };
    /** login attempts per minute, per address and per user name */
    loginPerMinute: number;
    /** reverse proxies (addresses or CIDRs) whose X-Forwarded-For names the client; empty = none, and behind a proxy every client is the proxy's address */
    trustProxy: string[];
    /** live tail: lines checked against queries per second at most (the newest first) */
    tailExaminePerSecond: number;
    /** open HTTP connections at most, in all and from one address (a reverse proxy is one address: raise it there) */
    maxConnections: number;
    maxConnectionsPerAddress: number;
    /** the address people open the web UI at (`https://nml.example.com`, a reverse proxy's), for links in findings webhooks and the start line; null: unknown, no links */
    publicUrl: string | null;
    /** HTTPS served by nml itself: the PEM certificate (chain) and its private key; null: plain HTTP (or TLS at a proxy in front) */
    tls: { certFile: string; keyFile: string } | null;
  };
  /** log files to follow (`tail -F`, surviving rotation), each a path or a path and the host of its headerless lines (config-follow.ts); `fromStart` reads what they already hold first */
  files: { follow: FollowedFile[]; fromStart: boolean };
  demo: { enabled: boolean; rate: number };
  /** the live SYN board's source: a capture replayed (`pcap`) or an interface captured through tcpdump (`interface`). `ignore`: source addresses or prefixes (`10.20.0.0/16`) never scored or reported: the network's own scanners and monitors. `findingsPerMinute`: hosts reported one by one per minute of capture time; past it they are summed per destination port (`syn-wave`). `fewSynFindingsPerMinute`: hosts of 1–2 SYNs reported one by one per minute (default 0: each is summed into its victim's `syn-flood` or its port's `syn-wave`, for one or two SYNs show nothing of a host's own). `keepFindingsHours`, `maxKeptFindings`: a host that is a finding stays viewable on the Hosts page this long after its last SYN, at most this many (about 25 kB each) */
  syn: { pcap: string | null; speed: number; model: string | null; interface: string | null; tcpdump: string | null; threshold: number | null; ignore: string[]; findingsPerMinute: number; fewSynFindingsPerMinute: number; keepFindingsHours: number; maxKeptFindings: number };
  /** URL detector, live: URLs in ingested lines are scored; those at or above `threshold` become findings. `model`: a model folder (null: the shipped default, models/url/ngram). `ignore`: domains whose URLs (the domain and its subdomains) are never scored or reported. `perHost`: distinct flagged URLs of one host reported one by one; past it they are summed into one finding for the host until it has had no flagged URL for `hostQuietMinutes`. `tlsNames`: the server names of TLS records (Suricata EVE tls, Zeek ssl.log) and the hosts of proxy tunnels (Squid CONNECT) are scored too, as `<name>/` */
  url: { live: boolean; threshold: number | null; model: string | null; ignore: string[]; perHost: number; hostQuietMinutes: number; tlsNames: boolean };
  /** incident assistant: `llm` phrases chat answers through an OpenAI-compatible endpoint (key: env NML_ASSIST_LLM_KEY); null = off */
  assist: { enabled: boolean; llm: { url: string; model: string } | null };
  /** findings last seen more than `maxAgeMs` ago are deleted (checked hourly and at start); null = kept for ever. `notify`: webhooks told of each new or reopened finding (detect/findings/notifier.ts) */
  findings: { maxAgeMs: number | null; notify: WebhookConfig[] };
  /** pivots: blocklist and article folders (null: `<dataDir>/blocklists`, `<dataDir>/articles`), reloaded on change when `watch` */
  investigate: { blocklistsDir: string | null; articlesDir: string | null; watch: boolean };
  /** `GET /api/share/export`: the share key file (`nml share key --out FILE` makes one); null = the route says how to set it */
  share: {
    keyFile: string | null;
    /** whole `GET /api/share/export`s at once (previews not counted); one more is 503 SHARE_BUSY */
    maxExports: number;
  };
  /** scheduled backups of `nml serve` (backup/schedule.ts): every `every` (`6h`, `1d`) a verified backup in a new folder in `dir`, the newest `keep` kept; `includeSecrets` as `nml backup --include-secrets`; `dir` null: none */
  backup: { dir: string | null; every: string; keep: number; includeSecrets: boolean };
  /** the audit trail in `<data>/users.db` (serve/users/audit.ts): entries older than `retentionDays` are removed hourly; past `maxEntries` the oldest go, unauthenticated ones first, and that removal is itself recorded */
  audit: { retentionDays: number; maxEntries: number };
  /** watches, saved queries in `<data>/watches.db` counted on a schedule (serve/watches/): `enabled` runs their evaluator in `nml serve`; `max` watches at most */
  watches: { enabled: boolean; max: number };
  /** attack-type trends: `enabled` serves /api/trends; `sources` (a JSON sources file) turns collection on; `datasets` adds the HACKMAGEDDON timeline */
  trends: { enabled: boolean; sources: string | null; models: string; datasets: string | null; calendar: string | null };
}

/** A partial configuration, as a file or flags give it. */
export type ConfigPatch = { [K in keyof NmlConfig]?: NmlConfig[K] extends object ? DeepPartial<NmlConfig[K]> : NmlConfig[K] };
type DeepPartial<T> = { [K in keyof T]?: T[K] extends object | null ? DeepPartial<NonNullable<T[K]>> | T[K] : T[K] };

/** a `files.follow` entry: a path (its headerless lines get this machine's host name), or a path and their host (null: none) */
export type FollowedFile = string | { path: string; host?: string | null };
