// In: query text from a user, and from/to time expressions.
// Out: a LeafPlan (plain data: exact FTS5 expressions plus phrase/substring checks) and a TimeRange.
// Never: opens a shard, runs SQL, or lets user text reach FTS5 unquoted.
export { compileQuery } from './compile.js';
export { parseQuery } from './parser.js';
export type { Node, TermAlt } from './ast.js';
export { candidateFts } from './plan.js';
export type { LeafPlan, Pred, PhrasePred, SubstrPred } from './plan.js';
export { verifyText, foldCase, LineText } from './verify.js';
export { LineMatcher, LineTerms } from './match.js';
export { parseTimeExpr, parseTimeRange, reversedRangeText } from './time.js';
export { FIELD_NAMES } from './fields.js';
export { MAX_QUERY_DEPTH, MAX_QUERY_LENGTH, MAX_QUERY_TERMS } from './errors.js';
