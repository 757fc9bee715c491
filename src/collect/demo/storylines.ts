/**
 * Attack storylines woven into the traffic, so that a demo search for an address or a user finds
 * something worth following: a port scanner, an SSH brute force on the bastion (that sometimes
 * guesses a staff password), a workstation beaconing to a command-and-control domain, and a
 * WordPress login brute force on the public site. The actors change every EPOCH_LINES lines.
 */
import { intIn, pick } from './prng.js';
import type { Ctx } from './context.js';
import type { Host, Person, Site } from './network.js';
import { PROBE_PATHS, SCANNER_AGENTS } from './pools/web.js';
import { C2_PATHS, C2_TRAFFIC, C2_URL, NMAP_DETECTION, SSH_BRUTE_FORCE, WORDPRESS_BRUTE_FORCE, type PanApp } from './pools/panos.js';
import { inboundDrop, outbound, KNOCKED_PORTS } from './families/firewall.js';
import { deniedInbound, outboundSession, threat } from './families/panos.js';
import { sshd } from './families/sshd.js';
import { lookup } from './families/dns.js';
import { publicAccess } from './families/web.js';
import { ephemeralPort, freshPid, PRI } from './families/common.js';

const WP_BRUTE_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0';

const EPOCH_LINES = 100_000;
const C2_APP: PanApp = { app: 'ssl', port: 443, proto: 'tcp', category: 'unknown' };

export class Storylines {
  private epoch = -1;
  private scanner = '';
  private scanned = 0;
  private bruter = '';
  private attempts = 0;
  /** the attempt at which the brute force guesses `victim`'s password, or -1 when it never does */
  private successAt = -1;
  private victim: Person | null = null;
  private infected: Host | null = null;
  private c2: Site | null = null;
  private wordpress = '';

  emit(ctx: Ctx): void {
    const epoch = Math.floor(ctx.seq / EPOCH_LINES);
    if (epoch !== this.epoch) this.recast(ctx, epoch);
    const r = ctx.rng();
    if (r < 0.3) this.scan(ctx);
    else if (r < 0.6) this.bruteForce(ctx);
    else if (r < 0.75) this.beacon(ctx);
    else this.wordpressBruteForce(ctx);
  }

  private recast(ctx: Ctx, epoch: number): void {
    const rng = ctx.rng;
    const attackers = ctx.net.attackers;
    this.epoch = epoch;
    this.scanner = pick(rng, attackers);
    this.bruter = pick(rng, attackers);
    this.wordpress = pick(rng, attackers);
    this.scanned = 0;
    this.attempts = 0;
    this.successAt = rng() < 0.4 ? intIn(rng, 200, 900) : -1;
    this.victim = ctx.net.people[intIn(rng, 0, 40)]!;
    this.infected = ctx.net.pickWorkstation(rng);
    const c2 = pick(rng, ctx.net.badSites);
    // the first actors' C2 is the one the demo's past incident names (assist/demo.ts: "beaconing to a
    // command-and-control domain"), so asking a fresh demo which hosts that incident affected finds some
    this.c2 = epoch === 0 ? ctx.net.badSites[0]! : c2;
  }

  private scan(ctx: Ctx): void {
    const rng = ctx.rng;
    const port = this.scanned < KNOCKED_PORTS.length ? KNOCKED_PORTS[this.scanned]! : intIn(rng, 1, 65536);
    this.scanned++;
    const r = rng();
    if (r < 0.6) return inboundDrop(ctx, this.scanner, port);
    if (r < 0.8) return deniedInbound(ctx, this.scanner, port);
    if (r < 0.9) return publicAccess(ctx, this.scanner, 'GET', pick(rng, PROBE_PATHS), 404, pick(rng, SCANNER_AGENTS));
    const detail = ctx.net.publicIp + '/nmaplowercheck' + (1700000000 + this.epoch);
    threat(ctx, NMAP_DETECTION, { src: this.scanner, dst: ctx.net.roles.website.ip, dport: 80, app: 'web-browsing', action: 'alert', detail, outbound: false, direction: 'client-to-server', user: '' });
  }

  private bruteForce(ctx: Ctx): void {
    const rng = ctx.rng;
    const bastion = ctx.net.roles.bastion;
    const pid = freshPid(rng);
    const port = ephemeralPort(rng);
    this.attempts++;
    const victim = this.victim!;
    if (this.attempts === this.successAt) {
      ctx.later((c) => void sshd(c, bastion, pid, PRI.authprivInfo).s('pam_unix(sshd:session): session opened for user ').s(victim.name).s('(uid=').s(victim.uid).s(') by (uid=0)'));
      sshd(ctx, bastion, pid).s('Accepted password for ').s(victim.name).s(' from ').s(this.bruter).s(' port ').n(port).s(' ssh2');
      return;
    }
    if (this.attempts % 50 === 0) {
      return threat(ctx, SSH_BRUTE_FORCE, { src: this.bruter, dst: bastion.ip, dport: 22, app: 'ssh', action: 'reset-both', detail: '', outbound: false, direction: 'client-to-server', user: '' });
    }
    const r = rng();
    const w = sshd(ctx, bastion, pid);
    if (r < 0.45) w.s('Failed password for root');
    else if (r < 0.7) w.s('Failed password for ').s(victim.name);
    else if (r < 0.85) w.s('Failed password for invalid user ').s(pick(rng, ctx.net.attackUsers));
    else return void w.s('Invalid user ').s(pick(rng, ctx.net.attackUsers)).s(' from ').s(this.bruter).s(' port ').n(port);
    w.s(' from ').s(this.bruter).s(' port ').n(port).s(' ssh2');
  }

  private beacon(ctx: Ctx): void {
    const client = this.infected!;
    const site = this.c2!;
    const r = ctx.rng();
    if (r < 0.4) return lookup(ctx, client, site);
    const ip = site.ips[0]!;
    if (r < 0.6) return outbound(ctx, client, ip, 443);
    if (r < 0.75) return outboundSession(ctx, client, ip, C2_APP);
    if (r < 0.92) {
      // the URL-filtering log of a beacon request: the live URL scorer reads its URL (the demo's URL findings)
      const id = (client.ip.split('.').reduce((h, o) => Math.imul(h ^ Number(o), 0x01000193) >>> 0, 0x811c9dc5) >>> 0).toString(16);
      const url = site.domain + pick(ctx.rng, C2_PATHS).replace('{id}', id);
      return threat(ctx, C2_URL, { src: client.ip, dst: ip, dport: 80, app: 'web-browsing', action: 'alert', detail: url, outbound: true, direction: 'client-to-server', user: client.account });
    }
    threat(ctx, C2_TRAFFIC, { src: client.ip, dst: ip, dport: 443, app: 'ssl', action: 'alert', detail: site.domain, outbound: true, direction: 'client-to-server', user: client.account });
  }

  private wordpressBruteForce(ctx: Ctx): void {
    if (ctx.rng() < 0.1) {
      return threat(ctx, WORDPRESS_BRUTE_FORCE, { src: this.wordpress, dst: ctx.net.roles.website.ip, dport: 80, app: 'web-browsing', action: 'alert', detail: 'wp-login.php', outbound: false, direction: 'client-to-server', user: '' });
    }
    publicAccess(ctx, this.wordpress, 'POST', '/wp-login.php', 200, WP_BRUTE_AGENT);
  }
}
