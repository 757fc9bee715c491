/**
 * Authentication logs that say who used an address or a device: sshd, FreeRADIUS, Cisco ISE style
 * key-values (802.1X), hostapd 802.1X identities and Windows logons 4624/4625 rendered as syslog text,
 * key=value, JSON or XML.
 */
import { addRelation, ipEntity, macEntity, userEntity, type Relation } from './types.js';

// Accepted password for bob from 10.0.2.13 port 60078 ssh2 / Failed password for invalid user admin from 1.2.3.4 port 22 ssh2
// Invalid user postgres from 157.152.93.71 port 37383
// OpenSSH logs the user name verbatim, spaces and all (`Invalid user evil from 6.6.6.6 from 203.0.113.9 port
// 52311`): the name runs to the last ` from ADDR port N` before the end sshd writes (` ssh2`, then `: KEY` on
// publickey lines), so no name can put an address of its choosing in front of the real one. Each regex is
// tried at the start only (sticky), and is linear there; `Invalid user`'s tail ends the line, so only one
// ` from ` can start it.
const SSHD_INVALID = /Invalid user (.+?) from (\S+)(?: port \d+)?\s*$/y;
const SSHD_AUTH = /(Accepted|Failed) \S+ for (?:invalid user |(?!invalid user ))(.+?) from (\S+) port \d+(?: ssh2)?(?:\s*$|: )/y;
const SSHD_AUTH_TAIL = / from (\S+) port \d+(?: ssh2)?(?:\s*$|: )/y;

export interface SshdLogin {
  failed: boolean;
  /** as written */
  user: string;
  ip: string;
}

/** The login an sshd message states (`Invalid user …`, `Accepted|Failed METHOD for …` at its start), or null. */
export function sshdLogin(text: string): SshdLogin | null {
  if (text.charCodeAt(0) === 73 /* I */) {
    SSHD_INVALID.lastIndex = 0;
    const m = SSHD_INVALID.exec(text);
    return m === null ? null : { failed: true, user: m[1]!, ip: m[2]! };
  }
  SSHD_AUTH.lastIndex = 0;
  const m = SSHD_AUTH.exec(text);
  if (m === null) return null;
  const login = { failed: m[1] !== 'Accepted', user: m[2]!, ip: m[3]! };
  // The lazy name ends at the first ` from ` that fits; a later one that fits too is the real one (no
  // ` from ` starts inside the tail, whose address has no space, but one may start at its last space).
  const end = m[0].length;
  if (end === text.length || text.indexOf(' from ', end - 1) < 0) return login;
  const first = m[0].lastIndexOf(' from ');
  for (let i = text.lastIndexOf(' from '); i > first; i = text.lastIndexOf(' from ', i - 1)) {
    SSHD_AUTH_TAIL.lastIndex = i;
    const t = SSHD_AUTH_TAIL.exec(text);
    if (t !== null) return { ...login, user: text.slice(first - login.user.length, i), ip: t[1]! };
  }
  return login;
}

export function sshd(text: string, out: Relation[]): void {
  const c = text.charCodeAt(0);
  if (c !== 65 /* A */ && c !== 70 /* F */ && c !== 73 /* I */) return;
  const login = sshdLogin(text);
  if (login !== null) addRelation(out, login.failed ? 'login_failed' : 'login', ipEntity(login.ip), userEntity(login.user));
}

/** The client as an address or a device, whichever `text` is (RADIUS Calling-Station-Id holds either). */
function clientEntity(text: string | undefined): string | null {
  return macEntity(text) ?? ipEntity(text);
}

// Auth: (12) Login OK: [alice/<via Auth-Type = EAP>] (from client ap-01 port 0 cli aa-bb-cc-dd-ee-ff)
// The rest is read only after the first `Login OK`/`Login incorrect` (the name, which the client chooses,
// comes after it): one try, linear, however many `Login OK: [` a line holds.
const FREERADIUS_HEAD = /Login (OK|incorrect)/;
const FREERADIUS_TAIL = /(?: \([^)]*\))?: \[([^\]/]*)(\/[^\]]*)?\] \(from client \S+ port \S+(?: cli ([^\s)]+))?/y;

export interface RadiusLogin {
  ok: boolean;
  /** `user:…`, or null for none or a machine */
  user: string | null;
  /** the Calling-Station-Id as written */
  client: string | undefined;
}

/**
 * The user of a FreeRADIUS `[NAME/…]`: the part after `/` is a logged password or `<via Auth-Type = …>`,
 * except in 802.1X machine authentication (`host/WS01.corp.example.com`), which names a machine: no
 * user, as for `WS01$`.
 */
function radiusUser(name: string, rest: string | undefined): string | null {
  if (rest !== undefined && rest.charCodeAt(1) !== 60 /* < */ && name.toLowerCase() === 'host') return null;
  return userEntity(name);
}

/** The FreeRADIUS `Login OK` / `Login incorrect` line of `text`, or null. */
export function freeRadiusLogin(text: string): RadiusLogin | null {
  const h = FREERADIUS_HEAD.exec(text);
  if (h === null) return null;
  FREERADIUS_TAIL.lastIndex = h.index + h[0].length;
  const m = FREERADIUS_TAIL.exec(text);
  return m === null ? null : { ok: h[1] === 'OK', user: radiusUser(m[1]!, m[2]), client: m[3] };
}

export function freeRadius(text: string, out: Relation[]): boolean {
  const login = freeRadiusLogin(text);
  if (login === null) return false;
  addRelation(out, login.ok ? 'login' : 'login_failed', clientEntity(login.client), login.user);
  return true;
}

const KV_USER = /\bUser-?Name=([^,;\s]+)/i;
/** A user name value up to its separator (`, `, `;`, or a space before the next `key=`), for blanking. */
const KV_USER_VALUES = /\bUser-?Name=[^,;]*?(?=[,;]|\s[\w-]+=|$)/gi;
const KV_CALLING = /\bCalling-Station-I[Dd]=([^,;\s]+)/;
const KV_FRAMED = /\bFramed-IP-Address=([^,;\s]+)/;
const KV_FAILED = /Failed|failed|FAILED|[Rr]eject/;

/**
 * Cisco ISE / RADIUS accounting as key-values: `UserName=alice, Calling-Station-ID=00-11-22-33-44-55, Framed-IP-Address=10.0.2.15`.
 * Failure is read from the line less its user names, which the client chooses (`UserName=failed.bob`).
 */
export function radiusKeyValues(text: string, out: Relation[]): boolean {
  const calling = KV_CALLING.exec(text);
  if (calling === null) return false;
  const user = userEntity(KV_USER.exec(text)?.[1]);
  const kind = KV_FAILED.test(text) && KV_FAILED.test(text.replace(KV_USER_VALUES, '')) ? 'login_failed' : 'login';
  const mac = clientEntity(calling[1]);
  addRelation(out, kind, mac, user);
  const framed = ipEntity(KV_FRAMED.exec(text)?.[1]);
  if (kind === 'login') addRelation(out, 'login', framed, user);
  return true;
}

// wlan0: STA 02:00:00:00:01:00 IEEE 802.1X: Identity received from STA: 'alice'
// The identity is read only after the first `STA MAC IEEE 802.1X: `: one try, linear.
const HOSTAPD_HEAD = /STA ([0-9a-fA-F:]{17}) IEEE 802\.1X: /;
const HOSTAPD_IDENTITY = /[Ii]dentity[^']*'([^']+)'/y;

/** The station and the `user:…` of a hostapd 802.1X identity line, or null. */
export function hostapdIdentity(text: string): { mac: string | undefined; user: string | null } | null {
  if (text.indexOf(' IEEE 802.1X: ') < 0) return null; // a native search first: the regex's is slower
  const h = HOSTAPD_HEAD.exec(text);
  if (h === null) return null;
  HOSTAPD_IDENTITY.lastIndex = h.index + h[0].length;
  const m = HOSTAPD_IDENTITY.exec(text);
  return m === null ? null : { mac: h[1], user: userEntity(m[1]) };
}

export function hostapd(text: string, out: Relation[]): void {
  const id = hostapdIdentity(text);
  if (id !== null) addRelation(out, 'login', macEntity(id.mac), id.user);
}

const WIN_EVENT = /(?:^|[^\d.])(4624|4625)(?![\d.])/;
const WIN_ACCOUNT = /Account Name:\s+(\S+)/g;
const WIN_SOURCE = /Source Network Address:\s+(\S+)/;
const WIN_KV_USER = /TargetUserName"?(?:\s*[=:]\s*"?|">)([^"<\s,;]+)/;
const WIN_KV_IP = /IpAddress"?(?:\s*[=:]\s*"?|">)([^"<\s,;]+)/;

/** The `user:…` of a `TargetUserName` key (JSON, key=value, XML), as windowsLogon reads it when there is no `Account Name:`. */
export function windowsTargetUser(text: string): string | null {
  return userEntity(WIN_KV_USER.exec(text)?.[1]);
}

/** Windows 4624 (logon) and 4625 (failed logon): the target account and the source network address. */
export function windowsLogon(text: string, out: Relation[]): boolean {
  const ev = WIN_EVENT.exec(text);
  if (ev === null) return false;
  let user: string | null = null;
  let ip: string | null = null;
  if (text.indexOf('Account Name:') >= 0) {
    // the subject comes first, the account logged on (or that failed) last
    WIN_ACCOUNT.lastIndex = 0;
    for (let m = WIN_ACCOUNT.exec(text); m !== null; m = WIN_ACCOUNT.exec(text)) user = userEntity(m[1]) ?? user;
    ip = ipEntity(WIN_SOURCE.exec(text)?.[1]);
  } else {
    user = windowsTargetUser(text);
    ip = ipEntity(WIN_KV_IP.exec(text)?.[1]);
  }
  if (user === null || ip === null || ip === 'ip:127.0.0.1' || ip === 'ip:::1') return false;
  addRelation(out, ev[1] === '4624' ? 'login' : 'login_failed', ip, user);
  return true;
}
