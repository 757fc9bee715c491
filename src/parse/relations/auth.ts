/**
 * Authentication logs that say who used an address or a device: sshd, FreeRADIUS, Cisco ISE style
 * key-values (802.1X), hostapd 802.1X identities and Windows logons 4624/4625 rendered as syslog text,
 * key=value, JSON or XML.
 */
import { addRelation, ipEntity, macEntity, userEntity, type Relation } from './types.js';

// Accepted password for bob from 10.0.2.13 port 60078 ssh2 / Failed password for invalid user admin from 1.2.3.4 port 22
const SSHD = /^(Accepted|Failed) \S+ for (?:invalid user )?(\S+) from (\S+) port /;
// Invalid user postgres from 157.152.93.71 port 37383
const SSHD_INVALID = /^Invalid user (\S+) from (\S+)/;

export function sshd(text: string, out: Relation[]): void {
  const c = text.charCodeAt(0);
  if (c === 65 /* A */ || c === 70 /* F */) {
    const m = SSHD.exec(text);
    if (m !== null) addRelation(out, m[1] === 'Accepted' ? 'login' : 'login_failed', ipEntity(m[3]), userEntity(m[2]));
  } else if (c === 73 /* I */) {
    const m = SSHD_INVALID.exec(text);
    if (m !== null) addRelation(out, 'login_failed', ipEntity(m[2]), userEntity(m[1]));
  }
}

/** The client as an address or a device, whichever `text` is (RADIUS Calling-Station-Id holds either). */
function clientEntity(text: string | undefined): string | null {
  return macEntity(text) ?? ipEntity(text);
}

// Auth: (12) Login OK: [alice/<via Auth-Type = EAP>] (from client ap-01 port 0 cli aa-bb-cc-dd-ee-ff)
const FREERADIUS = /Login (OK|incorrect)(?: \([^)]*\))?: \[([^\]/]*)(?:\/[^\]]*)?\] \(from client \S+ port \S+(?: cli ([^\s)]+))?/;

export function freeRadius(text: string, out: Relation[]): boolean {
  const m = FREERADIUS.exec(text);
  if (m === null) return false;
  addRelation(out, m[1] === 'OK' ? 'login' : 'login_failed', clientEntity(m[3]), userEntity(m[2]));
  return true;
}

const KV_USER = /\bUser-?Name=([^,;\s]+)/i;
const KV_CALLING = /\bCalling-Station-I[Dd]=([^,;\s]+)/;
const KV_FRAMED = /\bFramed-IP-Address=([^,;\s]+)/;
const KV_FAILED = /Failed|failed|FAILED|[Rr]eject/;

/** Cisco ISE / RADIUS accounting as key-values: `UserName=alice, Calling-Station-ID=00-11-22-33-44-55, Framed-IP-Address=10.0.2.15`. */
export function radiusKeyValues(text: string, out: Relation[]): boolean {
  const calling = KV_CALLING.exec(text);
  if (calling === null) return false;
  const user = userEntity(KV_USER.exec(text)?.[1]);
  const kind = KV_FAILED.test(text) ? 'login_failed' : 'login';
  const mac = clientEntity(calling[1]);
  addRelation(out, kind, mac, user);
  const framed = ipEntity(KV_FRAMED.exec(text)?.[1]);
  if (kind === 'login') addRelation(out, 'login', framed, user);
  return true;
}

// wlan0: STA 02:00:00:00:01:00 IEEE 802.1X: Identity received from STA: 'alice'
const HOSTAPD = /STA ([0-9a-fA-F:]{17}) IEEE 802\.1X: [Ii]dentity[^']*'([^']+)'/;

export function hostapd(text: string, out: Relation[]): void {
  const m = HOSTAPD.exec(text);
  if (m !== null) addRelation(out, 'login', macEntity(m[1]), userEntity(m[2]));
}

const WIN_EVENT = /(?:^|[^\d.])(4624|4625)(?![\d.])/;
const WIN_ACCOUNT = /Account Name:\s+(\S+)/g;
const WIN_SOURCE = /Source Network Address:\s+(\S+)/;
const WIN_KV_USER = /TargetUserName"?(?:\s*[=:]\s*"?|">)([^"<\s,;]+)/;
const WIN_KV_IP = /IpAddress"?(?:\s*[=:]\s*"?|">)([^"<\s,;]+)/;

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
    user = userEntity(WIN_KV_USER.exec(text)?.[1]);
    ip = ipEntity(WIN_KV_IP.exec(text)?.[1]);
  }
  if (user === null || ip === null || ip === 'ip:127.0.0.1' || ip === 'ip:::1') return false;
  addRelation(out, ev[1] === '4624' ? 'login' : 'login_failed', ip, user);
  return true;
}
