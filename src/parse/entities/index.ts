import type { Entity } from '../../core/index.js';
import { withoutColourCodes } from '../ansi.js';
import { codesOf } from './codes.js';
import { addFirewallCsvFields } from './firewall-csv.js';
import { F_ANSI, F_CSV, F_PORT, F_URL } from './keywords.js';
import { addKeyedPorts } from './port.js';
import { scanWords } from './scan.js';
import { addHttpRecordUrls } from './http-records.js';
import { addUrls } from './url.js';
import { addUsers } from './user.js';
import { addZeekPorts } from './zeek.js';

/** Adds the entities of `text` to `out`, skipping ones already there. */
export function collectEntities(text: string, out: Entity[]): void {
  const codes = codesOf(text);
  const flags = scanWords(codes, text, out);
  if ((flags & F_ANSI) === 0) return collectKeyed(codes, text, flags, out);
  // Colour codes (`user=\x1b[33malice\x1b[0m`): the keyed extractors read the text as a terminal shows it,
  // without them, and the scan reads it again so (`\x1b[1m10.0.0.1\x1b[0m:22`). Codes that removing codes
  // joins (`\x1b\x1b[1m[2m`) go too, in linear time however deep a hostile line nests them (ansi.ts).
  const plain = withoutColourCodes(text);
  const plainCodes = codesOf(plain);
  collectKeyed(plainCodes, plain, scanWords(plainCodes, plain, out), out);
}

/** The extractors that the word scan's keyword `flags` call for. */
function collectKeyed(codes: Uint16Array, text: string, flags: number, out: Entity[]): void {
  // JSON or TSV records (EVE, Zeek): HTTP ones keep host and path apart, joined into one url; Zeek's
  // name their ports by column or by a key no keyword marks (`id.resp_p`)
  if (text.includes('"') || text.includes('\t')) {
    addHttpRecordUrls(text, out);
    addZeekPorts(codes, text, flags, out);
  }
  if ((flags & ~F_ANSI) === 0) return;
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
