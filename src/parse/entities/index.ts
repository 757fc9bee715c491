import type { Entity } from '../../core/index.js';
import { codesOf } from './codes.js';
import { addFirewallCsvFields } from './firewall-csv.js';
import { F_CSV, F_PORT, F_URL } from './keywords.js';
import { addKeyedPorts } from './port.js';
import { scanWords } from './scan.js';
import { addHttpRecordUrls } from './http-records.js';
import { addUrls } from './url.js';
import { addUsers } from './user.js';

/** Adds the entities of `text` to `out`, skipping ones already there. */
export function collectEntities(text: string, out: Entity[]): void {
  const codes = codesOf(text);
  const flags = scanWords(codes, text, out);
  // JSON or TSV HTTP records (EVE, Zeek) keep host and path apart; joined into one url
  if (text.includes('"') || text.includes('\t')) addHttpRecordUrls(text, out);
  if (flags === 0) return;
  if (flags & F_PORT) addKeyedPorts(codes, text, out);
  addUsers(text, flags, out);
  if (flags & F_URL) addUrls(text, out);
  if (flags & F_CSV) addFirewallCsvFields(codes, text, out);
}

/** The entities named in `text`, deduplicated and normalized (canonical IPs, lowercase names, `aa:bb:..` MACs). */
export function extractEntities(text: string): Entity[] {
  const out: Entity[] = [];
  collectEntities(text, out);
  return out;
}
