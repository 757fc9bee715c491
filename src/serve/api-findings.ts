/** The findings API: list, one, counts, history and triage (`src/serve/routes/findings.ts`). */
import type { ApiIdentity } from './api-identity.js';

/** Query string of `GET /api/findings`. */
export interface FindingsParams {
  detector?: string;
  /** only the findings of this entity, exactly as listed (`ip:192.0.2.7`, `url:…`) */
  entity?: string;
  minScore?: number;
  /** only these triage statuses, comma-separated (`open,acknowledged`); default every status */
  status?: string;
  /** `lastSeen` (default): newest event first; `score`: highest first; `sighted`: most recently raised or seen again by NML first (an old log loaded today comes first) */
  /** `triaged`: the finding whose status a person set last first (`triage.at`), then those nobody has set, most recently raised first */
  /** `id`: most recently raised first, an order that never changes (paging visits each finding once); the others follow live values */
  sort?: 'lastSeen' | 'score' | 'sighted' | 'triaged' | 'id';
  /** only findings whose status a person set at or after this (a time expression, as `from`: `-12h`, ISO-8601, epoch ms) */
  triagedSince?: string;
  /** only the findings assigned to this user; `me`: to the caller; `none`: to nobody */
  assignee?: string;
  /** default 50, at most 1,000 */
  limit?: number;
  cursor?: string;
  /** findings last seen at or after */
  from?: string;
  /** findings first seen before */
  to?: string;
}

/** A detector's finding: one per detector and entity, updated by each sighting above the threshold. */
export interface FindingBody {
  id: number;
  detector: string;
  /** typed entity: `url:…`, `ip:…` */
  entity: string;
  /** highest score seen, in [0, 1] */
  score: number;
  threshold: number;
  modelVersion: string;
  /** when the highest-scoring sighting happened (ms) */
  time: number;
  firstSeen: number;
  lastSeen: number;
  count: number;
  /** when NML last raised or saw it again (its clock, ms; 0 for a finding stored before this was kept), whatever its events' time */
  sightedAt?: number;
  explanation: { summary: string; detail?: unknown };
  /** open the search page with `q=query&from=from&to=to`; `source`: where a SYN finding's packets came from (the interface captured or the capture replayed; absent on rows stored before it was kept) */
  evidence: { query: string; from: number; to: number; source?: { kind: 'interface' | 'replay'; name: string } };
  /** a SYN finding's page on the Hosts board (a path of the web UI: `/hosts?ip=…`, or `/hosts?few=show` for a flood or wave); absent for other detectors */
  board?: string;
  triage: FindingTriage;
}

export type FindingStatus = 'open' | 'acknowledged' | 'resolved' | 'false-positive';

/** Where an operator has got with a finding: `open` until a person sets it (`PATCH /api/findings/:id`). */
export interface FindingTriage {
  status: FindingStatus;
  /** '' for none */
  note: string;
  /** who set the status (user name, or `api-token`); null while nobody has */
  by: string | null;
  /** when (ms); null while nobody has */
  at: number | null;
  /** when a sighting opened a resolved finding again (ms); null after a person's change */
  reopenedAt: number | null;
  /** the user the finding is assigned to; null while nobody is (absent from an older server) */
  assignee: string | null;
  /** when it was last assigned or unassigned (ms); null while nobody has */
  assignedAt: number | null;
}

/** One change of a finding: its status by a person or by a sighting that opened a resolved finding again, or its assignee (`assignment`, or `user-removed` / `user-demoted` when the user it was assigned to was removed / made a viewer: the status and note as they stood). */
export interface FindingTriageEvent {
  /** ms */
  at: number;
  /** who (user name or `api-token`; null for a sighting) */
  by: string | null;
  status: FindingStatus;
  note: string;
  cause: 'person' | 'sighting' | 'assignment' | 'user-removed' | 'user-demoted';
  /** an assignment's: the user it assigned the finding to, null when it unassigned it; a user-removed's or user-demoted's: null */
  assignee?: string | null;
  /** a user-removed's: the user whose removal unassigned the finding (`by` removed them) */
  removedUser?: string;
  /** a user-demoted's: the user made a viewer, which unassigned the finding (`by` changed their role) */
  demotedUser?: string;
}

/** `GET /api/findings/assignees`: the names findings may be assigned to (analysts and admins), by name. */
export interface FindingAssigneesResponse {
  assignees: string[];
}

/** `GET /api/findings/:id/history`: its status and assignee changes, oldest first (the newest 100). */
export interface FindingHistoryResponse {
  history: FindingTriageEvent[];
}

/** Query string of `GET /api/findings/counts`: the list's filters but status (`FindingsParams`). */
export type FindingCountsParams = Pick<FindingsParams, 'detector' | 'entity' | 'minScore' | 'triagedSince' | 'assignee'>;

/** `GET /api/findings/counts`: findings in each triage status. */
export interface FindingCountsResponse {
  counts: Record<FindingStatus, number>;
}

/** Body of `PATCH /api/findings/:id`: a status (with a note), an assignee, or both; what is left out stays as it is. */
export interface FindingTriageRequest {
  status?: FindingStatus;
  /** with a status only: at most 2,000 characters; absent keeps the note it has, '' clears it */
  note?: string;
  /** a user of this server to assign the finding to (its status stays); null: to nobody */
  assignee?: string | null;
}

/** Body of `PATCH /api/findings`: many findings at once. */
export interface FindingBulkTriageRequest extends FindingTriageRequest {
  /** at most 1,000 */
  ids: number[];
}

export interface FindingBulkTriageResponse {
  /** the findings found, in the order asked, as they now stand (those changed and those that already stood so) */
  findings: FindingBody[];
  /** ids of the findings that already had that status (and note, when one was given): left as they were, no history entry */
  unchanged?: number[];
  /** ids of no finding */
  missing: number[];
}

export interface FindingsResponse {
  findings: FindingBody[];
  /** cursor of the next page; absent on the last one */
  next?: string;
  /** the server's clock when the page was read (ms): `PATCH /api/findings/matching` takes it as `match.readAt` */
  readAt: number;
}

/** Query string of `GET /api/findings/clients`: finding ids, comma-separated (at most 100). */
export interface FindingClientsParams {
  ids: string;
}

/** An address that reached a finding's entity, with who is behind it when it is one of the network's own. */
export interface FindingClient {
  entity: string;
  /** requests + connections + lookups */
  count: number;
  /** HTTP/TLS requests for the host (proxy, URL-filter, HTTP and TLS logs) */
  requests?: number;
  /** connections to it (flows; an address host) */
  connections?: number;
  /** DNS lookups of the name: a lookup is not a visit */
  lookups?: number;
  last: number;
  identity: ApiIdentity | null;
  /** a name's client that connected to addresses the name resolved to (counted in `connections`): those addresses */
  via?: string[];
}

/**
 * Who a finding concerns, from the relation index over its evidence window: for a URL finding the
 * addresses that asked for its host (`clients`, `total` distinct); for any finding on an address of the
 * network itself, who is behind that address (`identity`).
 */
export interface FindingWho {
  /** the entity looked at: the URL's host, the domain or the address */
  entity: string;
  total: number;
  clients: FindingClient[];
  identity: ApiIdentity | null;
  /** a popular entity: more edges into it than the question's row budget, so `clients` and `total` are those seen from `readFrom` on */
  truncated?: boolean;
  readFrom?: number;
  /** a name: the addresses it resolved to in the window whose connections count (few names share each) */
  addresses?: string[];
  /** a name: addresses it resolved to that many names share (a CDN, a hosting provider); their clients are not counted */
  sharedAddresses?: string[];
  /** the question's time budget ran out: some relations were not read */
  timedOut?: boolean;
}

/** By finding id (as a string); a finding with nothing to look up (`port:`) is absent; unknown ids are in `missing`. */
export interface FindingClientsResponse {
  who: Record<string, FindingWho>;
  missing: number[];
}

/**
 * Body of `PATCH /api/findings/matching`: the same status (and note) for every finding the Alerts page's
 * filter matches, not only the rows loaded. `readAt` is the `readAt` of the list the person decided on:
 * findings recorded, seen again or triaged since are left for them to look at.
 */
export interface FindingMatchTriageRequest {
  /** the list's filters (`FindingsParams`; a relative `triagedSince` is read at `readAt`, as the list was) */
  match: { status?: string; detector?: string; minScore?: number; triagedSince?: string; assignee?: string; readAt: number };
  status?: FindingStatus;
  note?: string;
  assignee?: string | null;
}

export interface FindingMatchTriageResponse {
  changed: number;
}
