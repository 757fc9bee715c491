/** `GET /api/trends` as the page reads it (the server's types are in src/serve/api.ts). */
export interface TrendsPoint {
  start: string;
  observed: number | null;
  probability: number | null;
}

export interface TrendsType {
  type: string;
  label: string;
  points: TrendsPoint[];
  next: {
    start: string;
    probability: number;
    drivers: { name: string; weight: number }[];
    calendar: string[];
    documents: { id: string; title: string; url: string | null; time: string }[];
  };
}

export interface TrendsSource {
  name: string;
  fetches: number;
  items: number;
  stored: number;
  duplicates: number;
  notModified?: number;
  errors: Record<string, number>;
  lastError?: string | null;
}

export interface TrendsResponse {
  period: 'day' | 'week';
  generatedAt: string;
  basis: { historyDocs: number; collectedDocs: number };
  types: TrendsType[];
  sources: TrendsSource[];
}
