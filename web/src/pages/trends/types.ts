/** `GET /api/trends` as the page reads it: the server's own shapes (src/serve/api-trends.ts, type-only, imports nothing). */
export type {
  TrendsPointBody as TrendsPoint,
  TrendsTypeBody as TrendsType,
  TrendsSourceBody as TrendsSource,
  TrendsResponse,
} from '../../../../src/serve/api-trends.ts';
export type { TrendsDocumentsResponse } from '../../../../src/serve/api-trends.ts';
