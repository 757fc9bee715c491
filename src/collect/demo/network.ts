/**
 * The demo company's network, built once from the seed: named hosts with addresses and MACs,
 * staff, the public sites they visit (each domain with its own addresses) and the outside
 * sources that visit or attack them. Everything is a precomputed string so a line costs no formatting.
 */
import { intIn, pick, zipfPicker, type Rng } from './prng.js';
import { USER_NAMES, ATTACK_USER_NAMES } from './pools/users.js';
import { DOMAINS, SUBDOMAINS, BAD_DOMAINS, INTERNAL_ZONE } from './pools/domains.js';
import { flat } from './line-writer.js';

export interface Host {
  name: string;
  /** name in the internal DNS zone */
  fqdn: string;
  ip: string;
  mac: string;
  /** ws: DHCP workstation, srv: Linux server, infra: an appliance that logs (firewall, DNS, DHCP) */
  kind: 'ws' | 'srv' | 'infra';
  /** the person who usually sits at a workstation */
  owner: string | null;
  /** the owner as the directory names them (`corp\\alice`), as firewalls with user mapping log it; '' when none */
  account: string;
  /** kernel uptime at the corpus start, seconds */
  uptimeBase: number;
  /** `eth0`-style interface the host's traffic arrives on at the firewall */
  vlan: string;
}

export interface Site {
  domain: string;
  ips: string[];
}

export interface Person {
  name: string;
  uid: string;
  /** the workstation they log in from */
  home: Host;
}

/** The hosts that play a fixed part, looked up once. */
export interface Roles {
  firewall: Host;
  paloalto: Host;
  bind: Host;
  dnsmasq: Host;
  dhcp: Host;
  intranet: Host;
  website: Host;
  bastion: Host;
}

export interface Network {
  hosts: Host[];
  roles: Roles;
  workstations: Host[];
  servers: Host[];
  people: Person[];
  attackUsers: readonly string[];
  /** the company's one public address (NAT for outbound, port-forwards to web-02 and the bastion) */
  publicIp: string;
  pickPerson: (rng: Rng) => Person;
  pickWorkstation: (rng: Rng) => Host;
  pickServer: (rng: Rng) => Host;
  pickSite: (rng: Rng) => Site;
  badSites: Site[];
  /** outside addresses that browse the public site, Zipf-skewed */
  pickVisitor: (rng: Rng) => string;
  /** outside addresses that scan and brute-force; documentation ranges mixed with hosting ranges */
  attackers: string[];
}

const SERVER_NAMES = [
  'srv-db-01', 'srv-db-02', 'srv-app-01', 'srv-app-02', 'srv-app-03', 'srv-app-04', 'srv-file-01', 'srv-mail-01',
  'srv-bastion-01', 'srv-ci-01', 'srv-backup-01', 'srv-git-01', 'srv-mon-01', 'srv-log-01', 'ad-01', 'ad-02',
];
/** Appliances and service hosts at fixed, memorable addresses. */
const INFRA: ReadonlyArray<[string, string]> = [
  ['fw-01', '10.0.0.1'], ['fw-pa-01', '10.0.0.2'], ['dns-01', '10.0.0.53'], ['dns-02', '10.0.0.54'],
  ['dhcp-01', '10.0.0.67'], ['proxy-01', '10.0.0.80'], ['web-01', '10.0.1.10'], ['web-02', '192.168.100.10'],
];
/** First octets of busy public ranges (clouds, CDNs, hosting); private and reserved ones are absent. */
const PUBLIC_FIRST_OCTETS = [13, 20, 23, 31, 34, 35, 40, 45, 52, 54, 62, 77, 78, 81, 85, 91, 93, 104, 107, 142, 146, 151, 157, 162, 167, 178, 185, 188, 193, 195, 199, 209, 212, 216];
const WORKSTATIONS = 176;
const PUBLIC_IP = '203.0.113.10';

function mac(rng: Rng, oui: string): string {
  let s = oui;
  for (let i = 0; i < 3; i++) s += ':' + intIn(rng, 0, 256).toString(16).padStart(2, '0');
  return flat(s);
}

function publicIp(rng: Rng): string {
  return flat(pick(rng, PUBLIC_FIRST_OCTETS) + '.' + intIn(rng, 0, 256) + '.' + intIn(rng, 0, 256) + '.' + intIn(rng, 1, 255));
}

function makeHost(name: string, ip: string, nic: string, kind: Host['kind'], owner: string | null, vlan: string, uptimeBase: number): Host {
  const account = owner === null ? '' : flat('corp\\' + owner);
  return { name: flat(name), fqdn: flat(name + '.' + INTERNAL_ZONE), ip: flat(ip), mac: nic, kind, owner, account, vlan, uptimeBase };
}

function makeSite(rng: Rng, domain: string, allowed: (s: string) => boolean): Site {
  const ips: string[] = [];
  const n = intIn(rng, 1, 4);
  while (ips.length < n) {
    const ip = publicIp(rng);
    if (allowed(ip)) ips.push(ip);
  }
  return { domain: flat(domain), ips };
}

function makeHosts(rng: Rng, users: string[]): Host[] {
  const uptime = () => intIn(rng, 3600, 200 * 86400);
  const hosts: Host[] = INFRA.map(([name, ip]) => makeHost(name, ip, mac(rng, '00:1b:17'), 'infra', null, 'eth1', uptime()));
  SERVER_NAMES.forEach((name, i) => hosts.push(makeHost(name, '10.0.1.' + (20 + i), mac(rng, '52:54:00'), 'srv', null, 'eth1', uptime())));
  for (let i = 0; i < WORKSTATIONS; i++) {
    const branch = i >= 140;
    const ip = branch ? '192.168.10.' + (20 + i - 140) : '10.0.' + (2 + (i >> 6)) + '.' + (10 + (i & 63) * 3);
    const name = 'ws-' + String(i + 1 + (branch ? 2000 : 0)).padStart(4, '0');
    const nic = mac(rng, pick(rng, ['3c:52:82', 'f8:ff:c2', 'a4:83:e7', 'dc:a6:32']));
    hosts.push(makeHost(name, ip, nic, 'ws', users[i % users.length]!, branch ? 'eth3' : 'eth2', uptime()));
  }
  return hosts;
}

/** Builds the network; any name or address containing one of `exclude` is left out (planted needles stay exact). */
export function buildNetwork(rng: Rng, exclude: readonly string[]): Network {
  const allowed = (s: string) => !exclude.some((x) => s.includes(x));
  const users = USER_NAMES.filter(allowed).map(flat);
  const hosts = makeHosts(rng, users);
  const workstations = hosts.filter((h) => h.kind === 'ws');
  const servers = hosts.filter((h) => h.kind === 'srv');
  const people: Person[] = users.map((name, i) => ({ name, uid: String(1001 + i), home: workstations[i] ?? pick(rng, workstations) }));
  const sites: Site[] = [];
  for (const sub of SUBDOMAINS) {
    for (const domain of DOMAINS) {
      const fqdn = sub === '' ? domain : sub + '.' + domain;
      if (allowed(fqdn)) sites.push(makeSite(rng, fqdn, allowed));
    }
  }
  // interleave so that popular domains with popular subdomains rank first
  sites.sort((a, b) => rankOf(a.domain) - rankOf(b.domain));
  const visitors: string[] = [];
  while (visitors.length < 3000) {
    const ip = publicIp(rng);
    if (allowed(ip)) visitors.push(ip);
  }
  const attackers: string[] = [];
  for (let i = 0; i < 40; i++) {
    const ip = flat(i % 4 === 0 ? '198.51.100.' + intIn(rng, 1, 255) : i % 4 === 1 ? '203.0.113.' + intIn(rng, 1, 255) : publicIp(rng));
    if (allowed(ip) && ip !== PUBLIC_IP && !attackers.includes(ip)) attackers.push(ip);
  }
  const role = (name: string) => hosts.find((h) => h.name === name)!;
  return {
    hosts,
    roles: {
      firewall: role('fw-01'), paloalto: role('fw-pa-01'), bind: role('dns-01'), dnsmasq: role('dns-02'),
      dhcp: role('dhcp-01'), intranet: role('web-01'), website: role('web-02'), bastion: role('srv-bastion-01'),
    },
    workstations,
    servers,
    people,
    attackUsers: ATTACK_USER_NAMES.filter(allowed).map(flat),
    publicIp: PUBLIC_IP,
    pickPerson: zipfPicker(people, 1.0),
    pickWorkstation: zipfPicker(workstations, 0.8),
    pickServer: zipfPicker(servers, 0.7),
    pickSite: zipfPicker(sites, 1.1),
    badSites: BAD_DOMAINS.map((d) => makeSite(rng, d, allowed)),
    pickVisitor: zipfPicker(visitors, 1.0),
    attackers,
  };
}

const domainRank = new Map(DOMAINS.map((d, i) => [d, i]));
const subRank = new Map(SUBDOMAINS.map((s, i) => [s, i]));

function rankOf(fqdn: string): number {
  const dot = fqdn.indexOf('.');
  const bare = domainRank.get(fqdn);
  if (bare !== undefined) return bare * (subRank.get('')! + 1);
  const sub = fqdn.slice(0, dot);
  return (domainRank.get(fqdn.slice(dot + 1)) ?? 0) * ((subRank.get(sub) ?? 0) + 1);
}
