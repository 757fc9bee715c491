/**
 * Ports of Zeek records, both ends (id.orig_p and id.resp_p), as iptables lines give SPT and DPT: a
 * pivot's `service` edge from a conn.log record is searched as `ip:… port:…`, which needs them. Zeek
 * TSV names no column, so a record is recognised as relations/zeek.ts recognises it (the default column
 * order of conn, dns, ssl and http.log, addresses in columns 2 and 4); the JSON writer names them
 * (`"id.orig_p":41772`), in any Zeek log. An ICMP record holds the message type and code there: no ports.
 */
import type { Entity } from '../../core/index.js';
import { ipEntity } from '../relations/types.js';
import { opensLikeZeekTsv, zeekTsvHasPorts, zeekTsvLog } from '../relations/zeek.js';
import { addEntity, portAt } from './collect.js';
import { F_PORT } from './keywords.js';

/** The JSON writer's port keys; the number must end there (`22.5` is not a port, nor is a string). */
const JSON_PORT = /"id\.(?:orig|resp)_p"\s*:\s*(\d{1,5})(?![\d.eE])/g;
const JSON_PORTLESS = /"proto"\s*:\s*"(?:icmp|unknown_transport)"/;

/** A port of 1..65535 as canonical text (Zeek writes 0 where a transport has none). */
function addPort(codes: Uint16Array, a: number, b: number, out: Entity[]): void {
  const port = portAt(codes, a, b);
  if (port !== null && port !== '0') addEntity(out, 'port', port);
}

function addTsvPorts(codes: Uint16Array, text: string, out: Entity[]): void {
  const c = text.split('\t', 25);
  const log = zeekTsvLog(c);
  if (log === null || !zeekTsvHasPorts(log, c) || ipEntity(c[2]) === null || ipEntity(c[4]) === null) return;
  // columns 3 and 5, found again by their lengths: ts \t uid \t orig_h \t orig_p \t resp_h \t resp_p
  const origAt = c[0]!.length + c[1]!.length + c[2]!.length + 3;
  const respAt = origAt + c[3]!.length + c[4]!.length + 2;
  addPort(codes, origAt, origAt + c[3]!.length, out);
  addPort(codes, respAt, respAt + c[5]!.length, out);
}

function addJsonPorts(codes: Uint16Array, text: string, out: Entity[]): void {
  if (JSON_PORTLESS.test(text)) return;
  JSON_PORT.lastIndex = 0;
  for (let m = JSON_PORT.exec(text); m !== null; m = JSON_PORT.exec(text)) {
    const end = m.index + m[0].length;
    addPort(codes, end - m[1]!.length, end, out);
  }
}

/**
 * Adds the ports of a Zeek TSV or JSON record; nothing for other text. `codes` are those of `text`
 * (codes.ts); `flags` the word scan's: `id.orig_p` and `id.resp_p` are F_PORT keywords, so a JSON line
 * without a port key costs no substring search.
 */
export function addZeekPorts(codes: Uint16Array, text: string, flags: number, out: Entity[]): void {
  if (opensLikeZeekTsv(text)) addTsvPorts(codes, text, out);
  else if (flags & F_PORT && text.includes('"id.')) addJsonPorts(codes, text, out);
}
