/**
 * Firewalls that log bare CSV, where ports and users are known only by their column: Palo Alto
 * PAN-OS TRAFFIC/THREAT (`1,2023/07/06 08:11:40,0164...,THREAT,...,47094,22,...`) and pfSense /
 * OPNsense filterlog (`53,,,1000000301,em0,match,block,in,4,...,tcp,460,10.0.2.2,10.0.2.15,53742,22,...`).
 * Addresses need no help: the word scan finds them.
 */
import type { Entity } from '../../core/index.js';
import { addEntity, portText } from './collect.js';

// PAN-OS columns, counted from the log type (column 3).
const PAN_SRC_USER = 12 - 3;
const PAN_DST_USER = 13 - 3;
const PAN_SRC_PORT = 24 - 3;
const PAN_NAT_DST_PORT = 27 - 3;

// filterlog: rule,subrule,anchor,tracker,interface,reason,action,direction,ipversion,...
const FILTERLOG = /(?:^|\s)\d*,[^,\s]*,[^,\s]*,\d*,[^,\s]+,[a-z-]+,[a-z-]+,(?:in|out),([46]),/;
// Columns of protocol name and source port after the ipversion column (destination port follows).
const FILTERLOG_V4 = { proto: 7, srcPort: 11 };
const FILTERLOG_V6 = { proto: 3, srcPort: 8 };

function addPort(field: string | undefined, out: Entity[], skipZero: boolean): void {
  if (field === undefined) return;
  const port = portText(field, 0, field.length);
  // A NAT port of 0 means "no translation", not port 0.
  if (port !== null && !(skipZero && port === '0')) addEntity(out, 'port', port);
}

function addUser(field: string | undefined, out: Entity[]): void {
  if (field !== undefined && field !== '' && field.indexOf('"') < 0) addEntity(out, 'user', field.toLowerCase());
}

function addPanOs(text: string, out: Entity[]): boolean {
  let at = text.indexOf(',THREAT,');
  if (at < 0) at = text.indexOf(',TRAFFIC,');
  if (at < 0) return false;
  const fields = text.slice(at + 1).split(',', PAN_NAT_DST_PORT + 1);
  if (fields.length <= PAN_NAT_DST_PORT) return false;
  addUser(fields[PAN_SRC_USER], out);
  addUser(fields[PAN_DST_USER], out);
  for (let i = PAN_SRC_PORT; i <= PAN_NAT_DST_PORT; i++) addPort(fields[i], out, i > PAN_SRC_PORT + 1);
  return true;
}

function addFilterlog(text: string, out: Entity[]): void {
  const m = FILTERLOG.exec(text);
  if (m === null) return;
  const cols = m[1] === '4' ? FILTERLOG_V4 : FILTERLOG_V6;
  const fields = text.slice(m.index + m[0].length).split(',', cols.srcPort + 2);
  const proto = fields[cols.proto]?.toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp') return;
  addPort(fields[cols.srcPort], out, false);
  addPort(fields[cols.srcPort + 1], out, false);
}

export function addFirewallCsvFields(text: string, out: Entity[]): void {
  if (!addPanOs(text, out)) addFilterlog(text, out);
}
