/**
 * Header lines that describe a log file rather than record an event: Zeek TSV's and the W3C extended log
 * format's (IIS, some proxies and CDNs). Stored, each was an event at the time it was read (a year-old
 * file's nine Zeek lines in the last minutes, seven of them holding no time); files, stdin and `text/plain`
 * ingest bodies skip them and count them (`headers`), as empty lines are.
 */
const WORDS = new Set(['set_separator', 'empty_field', 'unset_field', 'path', 'open', 'fields', 'types', 'close']);
/** `#separator \x09`: the separator's bytes, escaped */
const SEPARATOR = /^#separator (?:\\x[0-9a-fA-F]{2})+$/;
/** the longest word, `#set_separator`, and its tab */
const MAX_TAB_AT = 14;

/**
 * Whether `line` is a Zeek TSV header line: `#separator \x09`, then `#set_separator`, `#empty_field`,
 * `#unset_field`, `#path`, `#open`, `#fields` and `#types`, each followed by a tab, and `#close` at the
 * end; one with another separator than Zeek's default tab is read as a line. Cheap: most lines fail at
 * their first character.
 */
export function isZeekHeader(line: string): boolean {
  if (line.charCodeAt(0) !== 35) return false;
  const tab = line.indexOf('\t');
  if (tab > 0 && tab <= MAX_TAB_AT) return WORDS.has(line.slice(1, tab));
  return SEPARATOR.test(line);
}

/** W3C extended log format directives (`#Software:`, `#Version:`, `#Date:`, `#Fields:`, `#Remark:`, `#Start-Date:`, `#End-Date:`), as IIS writes them at the top of each file and after each restart. */
const W3C = /^#(?:Software|Version|Date|Fields|Remark|Start-Date|End-Date): /;

/** Whether `line` is a W3C extended log header line. */
export function isW3cHeader(line: string): boolean {
  return line.charCodeAt(0) === 35 && W3C.test(line);
}

/** Whether `line` is a file format's header line (Zeek TSV or W3C extended): not an event. */
export function isFormatHeader(line: string): boolean {
  return isZeekHeader(line) || isW3cHeader(line);
}
