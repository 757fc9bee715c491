/** The everyday hum of Linux servers: kernel messages, cron jobs and systemd units. */
import { intIn, pick } from '../prng.js';
import type { Ctx } from '../context.js';
import { freshPid, PRI } from './common.js';

const KERNEL_MESSAGES = [
  'TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.  Check SNMP counters.',
  'perf: interrupt took too long (2503 > 2500), lowering kernel.perf_event_max_sample_rate to 79750',
  'EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro. Quota mode: none.',
  'audit: type=1400 audit(0.0:4123): apparmor="DENIED" operation="open" profile="snap.lxd.daemon" name="/proc/sys/kernel/osrelease" pid=2231 comm="lxd" requested_mask="r" denied_mask="r" fsuid=0 ouid=0',
  'e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx',
  'nf_conntrack: nf_conntrack: table full, dropping packet',
  'Out of memory: Killed process 4121 (java) total-vm:8123456kB, anon-rss:3901234kB, file-rss:0kB, shmem-rss:0kB, UID:1004 pgtables:8120kB oom_score_adj:0',
  'usb 1-1: new high-speed USB device number 3 using xhci_hcd',
  'device veth3f2a1b0 entered promiscuous mode',
];
/** user, uid, command */
const CRON_JOBS = [
  ['root', '0', 'cd / && run-parts --report /etc/cron.hourly'],
  ['root', '0', 'command -v debian-sa1 > /dev/null && debian-sa1 1 1'],
  ['root', '0', '/usr/local/sbin/backup.sh --incremental >/dev/null 2>&1'],
  ['postgres', '114', '/usr/bin/pg_dump -Fc app > /var/backups/app.dump'],
  ['www-data', '33', 'php /var/www/html/cron.php >/dev/null 2>&1'],
  ['root', '0', 'test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )'],
] as const;

/** unit, title */
const UNITS = [
  ['apt-daily.service', 'Daily apt download activities'],
  ['apt-daily-upgrade.service', 'Daily apt upgrade and clean activities'],
  ['logrotate.service', 'Rotate log files'],
  ['man-db.service', 'Daily man-db regeneration'],
  ['fstrim.service', 'Discard unused blocks on filesystems from /etc/fstab'],
  ['certbot.service', 'Certbot'],
  ['sysstat-collect.service', 'system activity accounting tool'],
  ['phpsessionclean.service', 'Clean php session files'],
  ['motd-news.service', 'Message of the Day'],
] as const;

export function kernel(ctx: Ctx): void {
  const host = ctx.net.pickServer(ctx.rng);
  ctx.header(PRI.kernWarning, host, 'kernel', null, 'KERN');
  ctx.kernelStamp(host).s(pick(ctx.rng, KERNEL_MESSAGES));
}

/** A cron job: the PAM session opens now, the command and the close follow. */
export function cron(ctx: Ctx): void {
  const rng = ctx.rng;
  const host = ctx.net.pickServer(rng);
  const [user, uid, command] = pick(rng, CRON_JOBS);
  const pid = freshPid(rng);
  const crond = (c: Ctx) => c.header(PRI.cronInfo, host, 'CRON', pid, 'CRON');
  ctx.later(
    (c) => void crond(c).s('(').s(user).s(') CMD (').s(command).s(')'),
    (c) => void crond(c).s('pam_unix(cron:session): session closed for user ').s(user),
  );
  crond(ctx).s('pam_unix(cron:session): session opened for user ').s(user).s('(uid=').s(uid).s(') by (uid=0)');
}

export function systemd(ctx: Ctx): void {
  const rng = ctx.rng;
  const host = ctx.net.pickServer(rng);
  const w = ctx.header(PRI.daemonInfo, host, 'systemd', '1', 'SYSTEMD');
  const r = rng();
  if (r < 0.35) {
    const person = ctx.net.pickPerson(rng);
    w.s('Started Session ').n(intIn(rng, 100, 90000)).s(' of User ').s(person.name).s('.');
    return;
  }
  const [unit, title] = pick(rng, UNITS);
  if (r < 0.6) w.s('Starting ').s(title).s('...');
  else if (r < 0.85) w.s(unit).s(': Deactivated successfully.');
  else w.s('Finished ').s(title).s('.');
}
