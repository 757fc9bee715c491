/**
 * The API shapes the UI reads, from src/serve/api.ts (type-only,
 * so no server code reaches the bundle), under the names the pages use.
 */
export type {
  ApiErrorBody,
  ApiEntity,
  EnrichedSearchHit,
  SearchResponse,
  ApiSkippedShard,
  CountResponse,
  PinResponse,
  StatsResponse,
  ApiSourceStats,
  ApiBackupStats,
  HistogramResponse,
  FacetsResponse,
  TailEvent,
  LiveResponse,
  FindingsResponse,
  FindingCountsResponse,
  FindingBulkTriageRequest,
  FindingBulkTriageResponse,
  FindingHistoryResponse,
  FindingAssigneesResponse,
  FindingTriageEvent,
  FindingStatus,
  FindingTriage,
  FindingTriageRequest,
  FindingClientsResponse,
  FindingWho,
  FindingMatchTriageRequest,
  FindingMatchTriageResponse,
  ApiShareManifest,
  ApiShareRecord,
  ApiSharedLine,
  ApiSharedFinding,
} from '../../../src/serve/api.ts';
import type { AuthUser, TailServerMessage, FindingBody } from '../../../src/serve/api.ts';

export type UserInfo = AuthUser;
/** A user as the admin's user list shows it (the API calls it UserInfo; here that name is the logged-in user). */
export type { AuditEntryInfo, AuditResponse } from '../../../src/serve/api.ts';
export type { WatchInfo, WatchesResponse, WatchCreateRequest, WatchResponse, WatchTestRequest, WatchTestResponse } from '../../../src/serve/api.ts';
export type { UserInfo as UserRecord, UserRole, UsersResponse, UserResponse, UserCreateRequest, UserUpdateRequest, PasswordChangeRequest } from '../../../src/serve/api.ts';
export type TailMessage = TailServerMessage;
export type Finding = FindingBody;

export type {
  SynBoardHost as SynHost,
  SynBoardStats,
  SynHostsResponse,
  SynHostResponse as SynHostDetail,
  SynLiveMessage,
} from '../../../src/serve/api.ts';

/** The image part of a host's detail. */
export type SynImage = import('../../../src/serve/api.ts').SynHostResponse['image'];
