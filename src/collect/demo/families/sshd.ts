/**
 * sshd and sudo on the Linux servers: staff log in from their own workstation, open a PAM
 * session, sometimes sudo, and later disconnect (follow-up lines); the bastion also gets the
 * internet's background of invalid users and failed root passwords.
 */
import { pick, type Rng } from '../prng.js';
import type { Ctx, Emit } from '../context.js';
import type { Host, Person } from '../network.js';
import type { LineWriter } from '../line-writer.js';
import { ephemeralPort, freshPid, PRI } from './common.js';

const SUDO_COMMANDS = [
  '/usr/bin/systemctl restart nginx', '/usr/bin/journalctl -u postgresql -n 200', '/usr/bin/apt-get update',
  '/usr/bin/docker ps -a', '/bin/cat /var/log/auth.log', '/usr/bin/tail -f /var/log/syslog', '/usr/sbin/reboot',
];
const KEY_FINGERPRINTS = ['RSA SHA256:3Jm0dXo6Vq1jQGz8qf0W2hR0XyB8m7nC4pT1uE9sKk4', 'ED25519 SHA256:Yk2b7hR0sP9qL3mN8vC1xZ4tW6eA5dF0gH2jK7lM9nQ'];

/** Writes an sshd header for `server`; the caller writes the message. */
export function sshd(ctx: Ctx, server: Host, pid: string, pri: number = PRI.authInfo): LineWriter {
  return ctx.header(pri, server, 'sshd', pid, 'AUTH');
}

/** One staff login; the session's later lines are queued as follow-ups. */
export function staffLogin(ctx: Ctx): void {
  const rng = ctx.rng;
  const person = ctx.net.pickPerson(rng);
  const server = ctx.net.pickServer(rng);
  const pid = freshPid(rng);
  const port = ephemeralPort(rng);
  const from = person.home.ip;
  const method = rng() < 0.6 ? 'publickey' : 'password';
  const key = method === 'publickey' ? pick(rng, KEY_FINGERPRINTS) : '';
  const accepted: Emit = (c) => {
    const w = sshd(c, server, pid).s('Accepted ').s(method).s(' for ').s(person.name).s(' from ').s(from).s(' port ').n(port).s(' ssh2');
    if (key !== '') w.s(': ').s(key);
  };
  const session: Emit[] = [
    (c) => void sshd(c, server, pid, PRI.authprivInfo).s('pam_unix(sshd:session): session opened for user ').s(person.name).s('(uid=').s(person.uid).s(') by (uid=0)'),
    ...maybeSudo(rng, server, person),
    (c) => void sshd(c, server, pid).s('Received disconnect from ').s(from).s(' port ').n(port).s(':11: disconnected by user'),
    (c) => void sshd(c, server, pid).s('Disconnected from user ').s(person.name).s(' ').s(from).s(' port ').n(port),
    (c) => void sshd(c, server, pid, PRI.authprivInfo).s('pam_unix(sshd:session): session closed for user ').s(person.name),
  ];
  if (method === 'password' && rng() < 0.08 && ctx.later(accepted, ...session)) {
    // a typo first: the failure is this line, the success and the session follow
    sshd(ctx, server, pid).s('Failed password for ').s(person.name).s(' from ').s(from).s(' port ').n(port).s(' ssh2');
    return;
  }
  ctx.later(...session);
  accepted(ctx);
}

function maybeSudo(rng: Rng, server: Host, person: Person): Emit[] {
  if (rng() > 0.25) return [];
  const command = pick(rng, SUDO_COMMANDS);
  const tty = Math.floor(rng() * 6);
  return [(c) => void c.header(PRI.authprivNotice, server, 'sudo', null, 'SUDO').s('    ').s(person.name).s(' : TTY=pts/').n(tty).s(' ; PWD=/home/').s(person.name).s(' ; USER=root ; COMMAND=').s(command)];
}

/** The internet knocking on the bastion: an invalid user or a failed root password from anywhere. */
export function internetNoise(ctx: Ctx): void {
  const rng = ctx.rng;
  const from = ctx.net.pickVisitor(rng);
  const port = ephemeralPort(rng);
  const user = pick(rng, ctx.net.attackUsers);
  const w = sshd(ctx, ctx.net.roles.bastion, freshPid(rng));
  const r = rng();
  if (r < 0.35) w.s('Invalid user ').s(user).s(' from ').s(from).s(' port ').n(port);
  else if (r < 0.6) w.s('Connection closed by invalid user ').s(user).s(' ').s(from).s(' port ').n(port).s(' [preauth]');
  else if (r < 0.8) w.s('Failed password for root from ').s(from).s(' port ').n(port).s(' ssh2');
  else if (r < 0.9) w.s('Received disconnect from ').s(from).s(' port ').n(port).s(':11: Bye Bye [preauth]');
  else w.s('Disconnected from authenticating user root ').s(from).s(' port ').n(port).s(' [preauth]');
}

export function sshdFamily(ctx: Ctx): void {
  if (ctx.rng() < 0.55) staffLogin(ctx);
  else internetNoise(ctx);
}
