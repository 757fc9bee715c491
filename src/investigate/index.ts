// In: the store's relation index (edges between entities, filled at ingest), blocklist and article folders.
// Out: pivots (neighbours by relation, with blocklist hits, articles, users and evidence searches) and scope of impact.
// Never: writes to the store, parses log lines, knows HTTP, or builds SQL from user text.
export { Investigator, evidenceOf, SCOPE_FANIN_CAP, SCOPE_MAX_DESTINATIONS } from './investigator.js';
export { PIVOT_ROW_BUDGET, PIVOT_TIME_BUDGET_MS } from './edge-read.js';
export type { InvestigatorOptions, InvestigatorStatus } from './investigator.js';
export type { RelationSource } from './edge-read.js';
export { findingWho } from './finding-who.js';
export { peopleOnce } from './people-once.js';
export { VIA_NAMES_MAX, VIA_ADDRESSES_MAX } from './clients.js';
export type { FindingRef } from './finding-who.js';
export type { Client, ClientsResult, FindingWho, Evidence, Identity, IdentityName, Neighbour, PivotGroup, PivotResult, ScopeHost, ScopeResult, SharedDestination } from './types.js';
export { parseEntity, searchTerm, isInternalIp, ENTITY_TYPES } from './entity.js';
export type { EntityRef, EntityType } from './entity.js';
export { Blocklist } from './blocklist.js';
export type { BlocklistHit, BlocklistCounts } from './blocklist.js';
export { Blocklists, loadBlocklistDir, type BuiltInList } from './blocklists.js';
export type { BlocklistStatus } from './blocklists.js';
export type { BlocklistFileStatus, BlocklistFormat } from './blocklist-load.js';
export { Articles, ArticleIndex, loadArticleDir, mentions, refang, htmlText } from './articles.js';
export type { ArticleRef } from './articles.js';
