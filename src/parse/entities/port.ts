import type { Entity } from '../../core/index.js';
import { addEntity, portAt } from './collect.js';

/**
 * `port 22`, `port=22`, `port: 22`, `sport`/`dport`, iptables `SPT=`/`DPT=`, `src_port`, `dst_port`,
 * JSON `"ClientPort":"39490"`. The number must end there: `port 22.5` is not a port, but the full stop
 * that ends a sentence (`listening on 0.0.0.0 port 22.`) is no part of it.
 */
const KEYED_PORT =
  /\b(?:(?:s|d|src_?|dst_?|source_?|dest_?|destination_?|client_?|server_?|local_?|remote_?|peer_?)?port|spt|dpt)["']?(?:=|:[ ]?|[ ])["']?(\d{1,5})(?!\d|\.\d)/gi;

/** Adds ports named by a key; ports written as `ip:port` are found by the word scan. `codes` are those of `text` (codes.ts). */
export function addKeyedPorts(codes: Uint16Array, text: string, out: Entity[]): void {
  KEYED_PORT.lastIndex = 0;
  for (let m = KEYED_PORT.exec(text); m !== null; m = KEYED_PORT.exec(text)) {
    // The digits end the match (the lookahead takes nothing).
    const end = m.index + m[0].length;
    const port = portAt(codes, end - m[1]!.length, end);
    if (port !== null) addEntity(out, 'port', port);
  }
}
