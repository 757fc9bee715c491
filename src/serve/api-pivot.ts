/**
 * The investigation's shapes: `GET /api/pivot`, `/api/pivot/scope`, `/api/pivot/sources` and `POST
 * /api/pivot/reload` (see api.ts: shapes only, importing only sibling shape files).
 */
import type { ApiIdentity } from './api-identity.js';

/** `GET /api/pivot`, `GET /api/pivot/scope`: entity `ip:10.0.0.5`, `domain:…`, `mac:…`, `user:…`, `port:…`, `host:…`, `sig:…`, `url:…` (pivots on the URL's host) (or a bare address or domain); limit default 50, at most 1000. */
export interface PivotParams { entity: string; from?: string; to?: string; limit?: number }
/** `indicator`: the address, listed network or listed (parent) domain that matched; `list`: the file and its category. */
export interface ApiBlocklistHit { indicator: string; list: string }
/** One neighbour; `evidence` is a search (`q` over [from, to) in epoch ms) that shows its lines. */
/** `identityOmitted`: an address of the network whose identity was not looked up (past the lookups one answer makes); `via`: the qualified name an account's edge is from. */
/** `countMax`: the range cuts an hour of the relation index, so `count` is the lines surely in it and up to `countMax` may be. */
export interface ApiNeighbour { entity: string; count: number; countMax?: number; first: number; last: number; blocklist: ApiBlocklistHit[]; articles: number; identity?: ApiIdentity; identityOmitted?: true; via?: string; evidence: { q: string; from: number; to: number } }
/** `relation`: flow, blocked, service, query, request, resolve, lease, hostname, login, login_failed, user, alert; `out`: entity → neighbour. */
/** `truncated`: too many edges for the pivot's row budget, so only those seen from `readFrom` (epoch ms) to the range's end were read. */
export interface ApiPivotGroup { relation: string; direction: 'out' | 'in'; total: number; neighbours: ApiNeighbour[]; truncated?: boolean; readFrom?: number }
export interface PivotResponse { entity: string; from: number | null; to: number | null; blocklist: ApiBlocklistHit[]; articles: { path: string; title: string }[]; identity: ApiIdentity | null; groups: ApiPivotGroup[]; truncated?: boolean; /** the question stopped at its time budget (250 ms of reads): what was not read yet is missing */ timedOut?: boolean; periods: number; /** a count is ranged (countMax): the range over whole relation periods, where every count is exact (`to` null: up to now, the range cut the hour still running) */ exactRange?: { from: number | null; to: number | null }; tookMs: number }
/** `why`: why the host ranks where it does (one that reached a blocklisted destination too comes first). */
export interface ApiScopeHost { entity: string; score: number; shared: number; sharedBlocklisted: number; why?: string; destinations: { entity: string; sources: number; blocklisted: boolean }[]; identity: ApiIdentity | null; identityOmitted: boolean }
/** `totalHosts`: hosts sharing a destination before the cut to `limit`. */
/** `unexamined`: destinations past the 2,000 examined (blocklisted, then most reached, first) or left at the time budget; `readFrom`: the host's destinations were read from there on (a scanner's, over its row budget). */
export interface ScopeResponse { entity: string; from: number | null; to: number | null; destinations: number; common: number; skipped: number; unexamined: number; readFrom?: number; timedOut?: boolean; totalHosts: number; hosts: ApiScopeHost[]; tookMs: number }
/** `GET /api/pivot/sources`, `POST /api/pivot/reload`: the loaded blocklists and articles. */
export interface PivotSourcesResponse {
  blocklists: { dir: string | null; loadedAt: number | null; error: string | null; missing?: boolean; counts: { ips: number; networks: number; domains: number }; files: { file: string; format: string; entries: number; skipped: number; error?: string }[] };
  articles: { dir: string | null; loadedAt: number | null; error: string | null; missing?: boolean; files: number; entities: number };
}
