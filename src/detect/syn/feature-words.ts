/**
 * The SYN model's inputs in an operator's words, for a finding's "what weighed most": the image's
 * columns, the window statistics and the fingerprint tokens. Findings said "mattered most: dport bit
 * 14, gap cv, seq^dst" (a UX review: model language); the explanation's detail keeps the names.
 */
/**
 * The target-host inputs (`new dst`, `same dst` as the SYN before, distinct targets in the window and in the
 * host so far) say how many hosts it tried; a single target pushes them as much as many do, so "raised the
 * score most: hosts tried" beside "on 1 host" read as a contradiction (an operator walk, 2026-12-06).
 */
const HOSTS = 'number of hosts tried';

const WORDS: Readonly<Record<string, string>> = {
  present: 'SYN count', gap: 'timing', window: 'TCP window size', 'log window': 'TCP window size', ttl: 'TTL',
  'ip id': 'IP ID', 'ip id step': 'IP ID', seq: 'sequence numbers', 'seq^dst': 'sequence numbers tied to the target',
  'seq step': 'sequence numbers', 'ipid^(dst^dport^seq)': 'IP ID tied to the target (masscan)', dport: 'destination ports',
  'new dport': 'ports tried', 'new dst': HOSTS, 'sport step': 'source ports', mss: 'TCP options', wscale: 'TCP options',
  sack: 'TCP options', timestamp: 'TCP options', 'option count': 'TCP options', length: 'packet length',
  'same dst': HOSTS, 'same dport': 'ports tried',
  'window fill': 'SYN count', 'window duration': 'timing', 'window rate': 'SYN rate', 'median gap': 'timing',
  'gap cv': 'timing regularity', 'gaps <10ms': 'timing', 'distinct dports': 'ports tried', 'distinct dsts': HOSTS,
  'host syns': 'SYN count', 'host dports': 'ports tried', 'host dsts': HOSTS, 'host duration': 'timing',
  'host rate': 'SYN rate', 'same window value': 'TCP window size', 'dport entropy': 'ports tried', 'dports <1024': 'ports tried',
};

/** One input's words: a column or statistic by the table above, a port or bit column by its field, a token as a fingerprint. */
export function featureWords(name: string, token = false): string {
  if (token) return `fingerprint ${name}`;
  if (name.startsWith('dport bit')) return 'destination ports';
  if (name.startsWith('gap bit')) return 'timing';
  if (name.startsWith('window bit')) return 'TCP window size';
  if (name.startsWith('seq bit')) return 'sequence numbers';
  return WORDS[name] ?? name;
}

/**
 * What weighed most, in words and with its direction: each input's weights summed per word (gradient ×
 * input and the tokens' shares are all shares of the logit, so a word's sum is its net push), then the
 * words that raised the score and those that lowered it, strongest first, each side named as such:
 * "raised the score most: A, B, C; lowered it most: D, E". The side the score fell on (`high`: at or
 * above the threshold) comes first with `n` words, the other with `n - 1`. It ranked every input by
 * magnitude under "weighed most", so a host flagged at 0.976 read "weighed most: …, TCP window size,
 * fingerprint initial TTL 64" though both had lowered its score.
 */
export function weighedMost(ex: { stats: readonly Weighted[]; fields: readonly Weighted[]; tokens: readonly Weighted[] }, high: boolean, n = 3): string {
  const net = new Map<string, number>();
  const add = (w: string, v: number): void => {
    net.set(w, (net.get(w) ?? 0) + v);
  };
  for (const x of [...ex.stats, ...ex.fields]) add(featureWords(x.name), x.weight);
  for (const x of ex.tokens) add(featureWords(x.name, true), x.weight);
  const side = (sign: 1 | -1, k: number): string[] =>
    [...net]
      .filter(([, v]) => v * sign > 0)
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1))
      .slice(0, k)
      .map(([w]) => w);
  const up = side(1, high ? n : n - 1);
  const down = side(-1, high ? n - 1 : n);
  const sides = (high ? [['raised', up], ['lowered', down]] : [['lowered', down], ['raised', up]]) as [string, string[]][];
  const text = sides
    .filter(([, ws]) => ws.length > 0)
    .map(([verb, ws], i) => `${verb} ${i === 0 ? 'the score' : 'it'} most: ${ws.join(', ')}`)
    .join('; ');
  return text === '' ? 'no input weighed' : text;
}

interface Weighted {
  name: string;
  weight: number;
}
