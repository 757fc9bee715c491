/**
 * Which keyed extractors a text needs, learned during the word scan instead of by a substring search
 * per extractor: each word's fingerprint (length, first two and last letter, case folded) is looked up
 * in a 64 Ki-entry table of feature bits. A collision only runs a regex for nothing; a keyword cannot
 * be missed, because every keyword's fingerprint is in the table. The fingerprint reads three
 * characters per word rather than hashing every character of every word.
 */

export const F_USER = 1; // user=, username:, `for user x`, `Invalid user x`
export const F_AUTH = 2; // Failed password for x from / Accepted publickey for x from
export const F_ACCOUNT = 4; // Windows `Account Name:`, `TargetUserName`
export const F_SUDO = 8; // sudo's `alice : TTY=`
export const F_PORT = 16; // port=, SPT=, dst_port
export const F_URL = 32; // http://
export const F_CSV = 64; // PAN-OS and filterlog CSV
/** Not a keyword: the word scan saw a terminal colour code (`\x1b[32m`), see scan.ts and index.ts. */
export const F_ANSI = 128;

const KEYWORDS: [number, string[]][] = [
  // `identity`: hostapd's 802.1X `Identity received from STA: 'erin'`
  [F_USER, ['user', 'username', 'user_name', 'ruser', 'suser', 'duser', 'login', 'identity']],
  [F_AUTH, ['failed', 'accepted']],
  [F_ACCOUNT, ['account', 'targetusername', 'subjectusername']],
  [F_SUDO, ['tty', 'pwd']],
  [F_PORT, ['port', 'sport', 'dport', 'spt', 'dpt', 'srcport', 'dstport', 'src_port', 'dst_port']],
  [F_PORT, ['sourceport', 'source_port', 'destport', 'dest_port', 'destinationport', 'destination_port']],
  [F_PORT, ['clientport', 'client_port', 'serverport', 'server_port', 'localport', 'local_port']],
  [F_PORT, ['remoteport', 'remote_port', 'peerport', 'peer_port']],
  // Zeek's JSON writer (`"id.resp_p":443`): read by zeek.ts, not by the keyed-port pattern
  [F_PORT, ['id.orig_p', 'id.resp_p']],
  // Squid's CONNECT lines name no scheme; their result and hierarchy codes mark them
  [F_URL, ['http', 'https', 'ftp', 'tcp_tunnel', 'hier_direct', 'hier_none']],
  [F_CSV, ['threat', 'traffic', 'tcp', 'udp']],
];

const MIN_KEYWORD = 3;
const MAX_KEYWORD = 16;
const TABLE_BITS = 16;
const TABLE = new Uint8Array(1 << TABLE_BITS);

/** Fingerprint of a word from its first two and last code units and its length; `| 32` folds ASCII case. */
function fingerprint(first: number, second: number, last: number, len: number): number {
  return ((((first | 32) * 31 + (second | 32)) * 31 + (last | 32)) * 17 + len) | 0;
}

function slot(h: number): number {
  return (h ^ (h >>> TABLE_BITS)) & ((1 << TABLE_BITS) - 1);
}

for (const [flag, words] of KEYWORDS) {
  for (const w of words) TABLE[slot(fingerprint(w.charCodeAt(0), w.charCodeAt(1), w.charCodeAt(w.length - 1), w.length))]! |= flag;
}

/** Feature bits of the word codes[a, a + len) (code units, see codes.ts); 0 for most words. */
export function keywordFlags(codes: Uint16Array, a: number, len: number): number {
  if (len < MIN_KEYWORD || len > MAX_KEYWORD) return 0;
  return TABLE[slot(fingerprint(codes[a]!, codes[a + 1]!, codes[a + len - 1]!, len))]!;
}
