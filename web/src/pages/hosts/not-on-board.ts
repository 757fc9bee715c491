/**
 * Why the SYN board holds no host of an address, in the page's words (the find box and the host panel
 * say the same): on syn.ignore, which the server's 404 names, or never seen, or gone after its idle time.
 */

/** `serverMessage`: the 404's message; `keptSpan`: how long a finding stays listed (BoardNotes.keptSpan). */
export function notOnBoard(ip: string, serverMessage: string, keptSpan: string): { title: string; why: string } {
  if (/syn\.ignore/.test(serverMessage)) return { title: `${ip} is on syn.ignore`, why: 'The detector does not score its SYNs.' };
  return {
    title: `No host ${ip} on the board`,
    why: `The detector has seen no SYN from it, or it left (a host leaves after 10 minutes without a SYN; a finding stays listed ${keptSpan}).`,
  };
}
