/**
 * Needles planted for benchmarks: a known text on an exact schedule, inside an otherwise ordinary
 * line (an attacker's address in a failed login, an intruder's user name, a process name), so a
 * benchmark can assert that a search finds exactly `planted` lines.
 */
import { AppError } from '../../core/index.js';
import { pick } from './prng.js';
import type { Ctx } from './context.js';
import { inboundDrop, KNOCKED_PORTS } from './families/firewall.js';
import { deniedInbound } from './families/panos.js';
import { publicAccess } from './families/web.js';
import { ephemeralPort, freshPid, PRI } from './families/common.js';
import { sshd } from './families/sshd.js';
import { PROBE_PATHS, SCANNER_AGENTS } from './pools/web.js';

export interface NeedleSpec {
  /** the text to plant; it must not otherwise occur in generated lines (a made-up token is safest) */
  text: string;
  /** one line in `every` carries it */
  every: number;
  /** the role it plays in its line; default: `ip` for a dotted quad, else `word` */
  kind?: 'ip' | 'user' | 'word';
}

export const DEFAULT_NEEDLES: readonly NeedleSpec[] = [
  { text: '203.0.113.77', every: 1_000_000, kind: 'ip' },
  { text: 'mallory', every: 1_000_000, kind: 'user' },
  { text: 'kernelpanic42', every: 100_000, kind: 'word' },
];

const PRINTABLE_ASCII = /^[\x20-\x7e]{1,200}$/;
const DOTTED_QUAD = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Checks the specs; throws `DEMO_OPTIONS_INVALID` (bad_request) naming the faulty needle. */
export function validateNeedles(specs: readonly NeedleSpec[]): void {
  let share = 0;
  for (const s of specs) {
    if (!PRINTABLE_ASCII.test(s.text)) throw invalid(`demo generator: needle ${JSON.stringify(s.text)} must be 1 to 200 printable ascii characters`);
    if (!Number.isInteger(s.every) || s.every < 2) throw invalid(`demo generator: needle ${JSON.stringify(s.text)} needs an integer every >= 2, got ${s.every}`);
    share += 1 / s.every;
  }
  if (share > 0.5) throw invalid('demo generator: needles would fill more than half the lines; raise their every');
}

function invalid(message: string): AppError {
  return new AppError('DEMO_OPTIONS_INVALID', 'bad_request', message);
}

/** Where each needle is next due, and how many of each were planted. */
export class NeedlePlanter {
  private readonly due: number[];
  readonly planted: number[];
  /** the smallest due line, so the generator's check per line is one comparison */
  nextAt: number;

  constructor(readonly specs: readonly NeedleSpec[]) {
    // spread the first occurrences so needles with the same period do not collide
    this.due = specs.map((s, i) => Math.floor(s.every / 2) + i);
    this.planted = specs.map(() => 0);
    this.nextAt = this.due.length === 0 ? Infinity : Math.min(...this.due);
  }

  /** Writes the line for the most overdue needle; a needle that lost a tie goes on the next line. */
  plant(ctx: Ctx): void {
    let chosen = 0;
    for (let i = 1; i < this.due.length; i++) if (this.due[i]! < this.due[chosen]!) chosen = i;
    const spec = this.specs[chosen]!;
    this.due[chosen]! += spec.every;
    this.planted[chosen]!++;
    this.nextAt = Math.max(ctx.seq + 1, Math.min(...this.due));
    const kind = spec.kind ?? (DOTTED_QUAD.test(spec.text) ? 'ip' : 'word');
    if (kind === 'ip') ipLine(ctx, spec.text);
    else if (kind === 'user') userLine(ctx, spec.text);
    else wordLine(ctx, spec.text);
  }
}

function ipLine(ctx: Ctx, ip: string): void {
  const rng = ctx.rng;
  const r = rng();
  if (r < 0.4) {
    const user = pick(rng, ctx.net.attackUsers);
    return void sshd(ctx, ctx.net.roles.bastion, freshPid(rng)).s('Failed password for invalid user ').s(user).s(' from ').s(ip).s(' port ').n(ephemeralPort(rng)).s(' ssh2');
  }
  if (r < 0.65) return inboundDrop(ctx, ip, pick(rng, KNOCKED_PORTS));
  if (r < 0.8) return deniedInbound(ctx, ip, pick(rng, KNOCKED_PORTS));
  publicAccess(ctx, ip, 'GET', pick(rng, PROBE_PATHS), 404, pick(rng, SCANNER_AGENTS));
}

function userLine(ctx: Ctx, user: string): void {
  const rng = ctx.rng;
  const from = pick(rng, ctx.net.attackers);
  const r = rng();
  const w = sshd(ctx, ctx.net.roles.bastion, freshPid(rng), r < 0.8 ? PRI.authInfo : PRI.authNotice);
  if (r < 0.5) w.s('Failed password for invalid user ').s(user).s(' from ').s(from).s(' port ').n(ephemeralPort(rng)).s(' ssh2');
  else if (r < 0.8) w.s('Invalid user ').s(user).s(' from ').s(from).s(' port ').n(ephemeralPort(rng));
  else w.s('pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=').s(from).s('  user=').s(user);
}

function wordLine(ctx: Ctx, word: string): void {
  const rng = ctx.rng;
  const host = ctx.net.pickServer(rng);
  const r = rng();
  if (r < 0.4) {
    ctx.header(PRI.kernWarning, host, 'kernel', null, 'KERN');
    ctx.kernelStamp(host).s('watchdog: BUG: soft lockup - CPU#').n(Math.floor(rng() * 8)).s(' stuck for 23s! [').s(word).s(':').s(freshPid(rng)).s(']');
  } else if (r < 0.7) {
    ctx.header(PRI.daemonNotice, host, 'systemd', '1', 'SYSTEMD').s(word).s('.service: Main process exited, code=killed, status=9/KILL');
  } else {
    ctx.header(PRI.cronInfo, host, 'CRON', freshPid(rng), 'CRON').s('(root) CMD (/usr/local/bin/').s(word).s(' --check)');
  }
}
