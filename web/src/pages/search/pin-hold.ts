/**
 * Holding a search's pin while a page that may still ask under it is open (the Search page while more rows
 * can be loaded, the Share dialog while its Download is offered): `GET /api/search/pin` every PIN_HOLD_MS,
 * so the merge of an hour the pin would miss lines of waits for the reader (`store.compaction.pinIdleMs`,
 * 15 min by default), and a pin the server can no longer answer for is said at once, not at the click.
 */
import { request, isApiError, type ApiError } from '../../lib/api.ts';
import type { PinResponse } from '../../lib/types.ts';
import { isPinLost } from './PinLost.tsx';

/** how often the pin is held: well inside the server's 15 minutes */
export const PIN_HOLD_MS = 5 * 60_000;

export interface HeldPin {
  from: string | undefined;
  to: string | undefined;
  asOf: number;
}

/**
 * Holds the pin `read()` gives (read at each hold) every PIN_HOLD_MS; `onLost` with the refusal when the
 * server can no longer answer for it. An older server (404) ends the holds; a session ended or the server
 * away is left to the next request to say. Returns the stop.
 */
export function holdPin(read: () => HeldPin, onLost: (e: ApiError) => void): () => void {
  const ac = new AbortController();
  const t = setInterval(() => {
    const { from, to, asOf } = read();
    request<PinResponse>('/api/search/pin', { params: { from, to, asOf }, background: true, quiet401: true, signal: ac.signal }).catch((e: unknown) => {
      if (isPinLost(e)) onLost(e);
      else if (isApiError(e) && e.status === 404) clearInterval(t);
    });
  }, PIN_HOLD_MS);
  return () => {
    ac.abort();
    clearInterval(t);
  };
}
