/**
 * The board's find box. Typing filters the list to the hosts whose address contains the text (the page
 * asks the server with `match`, so hosts past the 200 rows are found too); Enter opens a host only when
 * the text is a whole address that is listed or that the board knows, and otherwise says in words what to
 * type. A night-shift review typed `203.179` and saw the whole list unfiltered, and Enter on it opened a
 * panel with the API's 400 text ("request: path parameter ip '203.179' is not an IP address …").
 */
import { useEffect, useRef, useState } from 'react';
import { isApiError, request } from '../../lib/api.ts';
import type { SynHostDetail } from '../../lib/types.ts';
// no imports in it: the bundle takes the server's own address reading, so the page keys hosts as the board does
import { parseIp } from '../../../../src/core/ip.ts';
import { notOnBoard } from './not-on-board.ts';

/** The filter follows the typing after this pause (each change asks the server for the board again). */
const TYPING_MS = 250;
/** Characters an address is written with: digits and dots (IPv4), hex digits and colons (IPv6). */
const ADDRESS_CHARS = /^[0-9a-f.:]*$/i;
const EXAMPLES = 'a whole address (192.0.2.7, 2001:db8::7)';

/**
 * Why digits and dots cannot be part of an IPv4 address (`999.1.1.1`: 999 is over 255; five numbers), else
 * null. The box said "“999.1.1.1” is part of an address" and asked for a whole one, as if it were cut short.
 */
export function ipv4Flaw(text: string): string | null {
  const t = text.trim();
  // digits alone may be part of an IPv6 address (`300` of 2001:db8::300): only a dot makes them IPv4
  if (!/^[\d.]+$/.test(t) || !t.includes('.')) return null;
  const numbers = t.split('.');
  const over = numbers.find((n) => Number(n) > 255);
  if (over !== undefined) return `${over} is over 255`;
  return numbers.length > 4 ? 'an IPv4 address has four numbers' : null;
}

/** Whether `text` could be part of an address (so a list that it filters to nothing means no host has it). */
export const addressLike = (text: string): boolean => ADDRESS_CHARS.test(text.trim()) && ipv4Flaw(text) === null;

/** What the page says when Enter is pressed on text that is not a whole address. */
export function notWholeAddress(text: string): string {
  const t = text.trim();
  const flaw = ipv4Flaw(t);
  if (flaw !== null) return `“${t}” is not an IP address: ${flaw}. Type part of one to filter the list (203.179, 2001:db8:5::), or ${EXAMPLES} and press Enter to open it.`;
  return addressLike(t)
    ? `“${t}” is part of an address: the list shows the hosts whose address contains it. To open one, click its row, or type ${EXAMPLES} and press Enter.`
    : `“${t}” is not part of an IP address. Type part of one to filter the list (203.179, 2001:db8:5::), or ${EXAMPLES} and press Enter to open it.`;
}

/**
 * `value`: the filter in the page's URL; `onFilter`: the text typed, after a pause; `listed`: whether the
 * board's rows hold this address (as the board writes it); `onOpen`: open the host's panel; `onNote`: a
 * word for the operator under the board's head (null clears it); `keptSpan`: how long a finding stays listed.
 */
export function FindHost({
  value,
  onFilter,
  listed,
  onOpen,
  onNote,
  keptSpan,
}: {
  value: string;
  onFilter(text: string): void;
  listed(ip: string): boolean;
  onOpen(ip: string): void;
  onNote(note: string | null): void;
  keptSpan: string;
}) {
  const [text, setText] = useState(value);
  const asked = useRef<AbortController | null>(null);
  // the page re-renders with every live update: the pause must not start again each time
  const filter = useRef(onFilter);
  filter.current = onFilter;
  // the URL changed under the box (back, a link): the box follows it
  useEffect(() => setText((t) => (t.trim() === value ? t : value)), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const t = setTimeout(() => filter.current(text.trim()), TYPING_MS);
    return () => clearTimeout(t);
  }, [text, value]);
  useEffect(() => () => asked.current?.abort(), []);

  const open = (raw: string) => {
    const v = raw.trim();
    asked.current?.abort();
    if (v === '') return onNote(null);
    const ip = parseIp(v);
    if (ip === null) return onNote(notWholeAddress(v));
    if (listed(ip.text)) {
      onNote(null);
      return onOpen(ip.text);
    }
    // a whole address not among the rows: the board may still hold it (past the 200 rows, or hidden)
    const ac = new AbortController();
    asked.current = ac;
    request<SynHostDetail>(`/api/detect/syn/hosts/${encodeURIComponent(ip.text)}`, { signal: ac.signal })
      .then((d) => {
        onNote(null);
        onOpen(d.host.ip);
      })
      .catch((e: unknown) => {
        if (ac.signal.aborted) return;
        if (isApiError(e) && e.status === 404) {
          const absent = notOnBoard(ip.text, e.message, keptSpan);
          onNote(`${absent.title}: ${absent.why.charAt(0).toLowerCase()}${absent.why.slice(1)}`);
        } else onNote(`The server could not be asked about ${ip.text}; try again.`);
      });
  };

  return (
    <form
      className="find-host"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onFilter(text.trim());
        open(text);
      }}
    >
      <input
        className="input mono"
        aria-label="Find a source IP"
        title="Type part of an address to filter the list; a whole address and Enter opens the host"
        placeholder="find IP"
        value={text}
        maxLength={64}
        onChange={(e) => {
          setText(e.target.value);
          onNote(null);
        }}
      />
    </form>
  );
}
