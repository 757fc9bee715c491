import type { Entity } from '../../core/index.js';
import { withoutColourCodes } from '../ansi.js';
import { codesOf } from './codes.js';
import { addFirewallCsvFields } from './firewall-csv.js';
import { F_ANSI, F_CSV, F_PORT } from './keywords.js';
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
  // a scheme wherever it stands: the text says so, not the keyword flags, which miss one after punctuation
  // (`..http://x`, `-http://x`: the word starts with no letter); extractUrls relies on this
  const scheme = text.includes('://');
  if ((flags & ~F_ANSI) === 0 && !scheme) return;
  if (flags & F_PORT) addKeyedPorts(codes, text, out);
  if ((flags & ~F_ANSI) !== 0) addUsers(text, flags, out);
  if (scheme) addUrls(text, out);
  if (flags & F_CSV) addFirewallCsvFields(codes, text, out);
}

/** The entities named in `text`, deduplicated and normalized (canonical IPs, lowercase names, `aa:bb:..` MACs). */
export function extractEntities(text: string): Entity[] {
  const out: Entity[] = [];
  collectEntities(text, out);
  return out;
}

/**
 * The url entities of `text`, the values and order extractEntities gives them, without the word scan
 * for addresses, names and users: the live URL scorer asks it of every line that may hold a URL (on a
 * proxy log, all of them), and there the scan was most of the cost (200,000 sshd lines with a URL each:
 * 0.84 s through extractEntities, 0.04 s here, warm). Text with terminal colour codes takes the whole
 * path, which reads it as a terminal shows it. fuzz.test.ts holds the two equal.
 */
export function extractUrls(text: string): string[] {
  if (text.includes('\x1b')) return urlValues(extractEntities(text));
  const out: Entity[] = [];
  // the extractors that can give a url, in the order collectKeyed calls them; a PAN-OS URL log is a
  // THREAT line, whose column word sets F_CSV there
  if (text.includes('"') || text.includes('\t')) addHttpRecordUrls(text, out);
  if (text.includes('://')) addUrls(text, out);
  if (text.includes('THREAT,')) addFirewallCsvFields(codesOf(text), text, out);
  return urlValues(out);
}

function urlValues(entities: readonly Entity[]): string[] {
  const urls: string[] = [];
  for (const e of entities) if (e.kind === 'url') urls.push(e.value);
  return urls;
}
