/** `GET /api/trends` as the page reads it (the server's types are in src/serve/api-trends.ts). */
export interface TrendsPoint {
  start: string;
  observed: number | null;
  probability: number | null;
  /** the current period, not over yet */
  partial?: boolean;
}

export interface TrendsType {
  type: string;
  label: string;
  points: TrendsPoint[];
  next: {
    start: string;
    probability: number;
    drivers: { name: string; weight: number; detail?: string }[];
    calendar: string[];
    documents: { id: string; title: string; url: string | null; time: string }[];
    /** too little data in the window this prediction reads */
    warning?: string | null;
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
  futureDated?: number;
  undated?: number;
}

export interface TrendsResponse {
  period: 'day' | 'week';
  generatedAt: string;
  basis: {
    historyDocs: number;
    collectedDocs: number;
    window?: { from: string; periods: number; history: number; collected: number; demo: number };
    /** collected documents of the window the classifier could not read (counted as no type) */
    unread?: { documents: number; language: Record<string, number>; fewKnownWords: number };
  };
  /** the model card's measured weakness of the weekly model */
  caveat?: string | null;
  /** too little data in the window the forecast reads */
  warning?: string | null;
  types: TrendsType[];
  sources: TrendsSource[];
}
