/**
 * The watches API (`src/serve/routes/watches.ts`): saved queries the server counts every `every` over the
 * last `window`, raising a finding (detector `watch`, entity `watch:<name>`) when the count reaches
 * `threshold`. Read by every role; made, changed and removed by admins, analysts and the API token.
 */

/** How a watch's last evaluation went. */
export interface WatchRunInfo {
  /** when it was counted (ms) */
  at: number;
  /** the range counted: [from, to) (ms) */
  from: number;
  to: number;
  /** lines matched; null when the count failed */
  count: number | null;
  /** whether the count reached the threshold (a finding was recorded) */
  fired: boolean;
  /** damaged or missing shards the count left out (absent: none): `count` is then a lower bound */
  skipped?: number;
  /** why the count failed (`STORE_SHARD_UNREADABLE`, `SEARCH_CANCELLED`…); absent when it did not */
  error?: { code: string; message: string };
}

export interface WatchInfo {
  id: number;
  name: string;
  /** the search counted, in the query language of `GET /api/search` (NML's own finding lines left out unless it names `nml-detect`) */
  query: string;
  /** the range counted back from now: `5m` (1m to 7d) */
  window: string;
  /** how often it is counted: `1m` (30s to 1d) */
  every: string;
  /** it fires when the count is at or above this (a whole number ≥ 1) */
  threshold: number;
  enabled: boolean;
  /** a user name, `api-token`, `cli:<account>` */
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  /** null until first counted (and after a change of its query, window or threshold) */
  last: WatchRunInfo | null;
}

/** `GET /api/watches`: every watch by name; `evaluating`: whether this server counts them (`watches.enabled`); `max`: `watches.max`. */
export interface WatchesResponse {
  watches: WatchInfo[];
  evaluating: boolean;
  max: number;
}

/** `POST /api/watches`'s body; `window` defaults to `5m`, `every` to `1m`, `enabled` to true. */
export interface WatchCreateRequest {
  name: string;
  query: string;
  window?: string;
  every?: string;
  threshold: number;
  enabled?: boolean;
}

/** `PATCH /api/watches/:id`'s body: one field or more. */
export type WatchUpdateRequest = Partial<WatchCreateRequest>;

/** `POST /api/watches`, `PATCH /api/watches/:id` and `DELETE /api/watches/:id` (the removed one). */
export interface WatchResponse {
  watch: WatchInfo;
}

/** `POST /api/watches/test`: what a watch would count now, nothing saved; `threshold` defaults to 1. */
export interface WatchTestRequest {
  query: string;
  window?: string;
  threshold?: number;
}

export interface WatchTestResponse {
  count: number;
  from: number;
  to: number;
  /** whether `count` reaches `threshold` */
  fired: boolean;
  /** the query as counted (`(<query>) -app:nml-detect`) */
  counted: string;
  tookMs: number;
  /** damaged shards left out: the count is then a lower bound */
  skipped: Array<{ file: string; from: number; to: number }>;
}
