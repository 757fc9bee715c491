/**
 * How `nml assist` and the Assist page show a record and its similar incidents, so that both show the same: one
 * order of the record's rows, one number of similar incidents, and one sentence for what a score is. They differed: the
 * page left out the `extra` pairs the CLI printed (PAN-OS category, Threat ID, Authentication-Results) and kept the
 * stored order where the CLI had a fixed one, and it listed 10 similar incidents where the CLI listed 5 (operator walk,
 * 2026-12). No imports: the web bundle reads it.
 */

/** The single-valued fields of a record, in the order every view shows them. */
export const SCALAR_FIELDS = [
  'eventId',
  'summary',
  'category',
  'threatName',
  /** where the attack came from (an attacker's or sending host's address); never the victim's, which is an asset */
  'srcIp',
  'srcPort',
  'dstIp',
  'dstPort',
  'protocol',
  'direction',
  'deviceAction',
  'severity',
  'occurrenceCount',
  'geolocation',
  'cvss',
  'vendorClassification',
  'application',
  'url',
  /** the first host name the text names (a C2 or phishing domain, a server) */
  'domain',
  /** the account the incident concerns (a logged-in or targeted user, a PAN-OS source user) */
  'user',
  'actor',
  'firstAction',
  'countermeasure',
  'outcome',
] as const;

/** How many similar incidents an analysis lists (the page, `nml assist similar`, the chat's and the API's default). */
export const SIMILAR_SHOWN = 10;

/** What a similar incident's score is, where a list shows it. */
export const SCORE_MEANING = 'the score orders the list: word similarity plus agreeing labels and fields, with no fixed top; it is not a percentage';

interface ViewField {
  value: string;
}

/** What of a record the rows read (the record, or its JSON as the page gets it). */
export interface RecordLike<F extends ViewField> {
  fields: Partial<Record<string, F | undefined>>;
  assets: readonly F[];
  times: readonly F[];
  steps: readonly F[];
  extra: Record<string, F>;
}

/** A record's rows in the order every view shows them. */
export interface RecordRows<F extends ViewField> {
  /** the single-valued fields in SCALAR_FIELDS order */
  fields: [string, F][];
  /** the repeated kinds: asset, time, step */
  lists: { name: 'asset' | 'time' | 'step'; plural: string; items: readonly F[] }[];
  /** the report's other `key: value` pairs, in the order read */
  extra: [string, F][];
}

export function recordRows<F extends ViewField>(rec: RecordLike<F>): RecordRows<F> {
  const fields: [string, F][] = [];
  for (const name of SCALAR_FIELDS) {
    const f = rec.fields[name];
    if (f !== undefined) fields.push([name, f]);
  }
  return {
    fields,
    lists: [
      { name: 'asset', plural: 'assets', items: rec.assets },
      { name: 'time', plural: 'times', items: rec.times },
      { name: 'step', plural: 'steps', items: rec.steps },
    ],
    extra: Object.entries(rec.extra),
  };
}
