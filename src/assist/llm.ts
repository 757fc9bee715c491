/** Optional phrasing of an answer by an LLM behind an OpenAI-compatible `/chat/completions` endpoint (llama.cpp, Ollama). */
import { AppError } from '../core/index.js';

export interface LlmConfig {
  /** base URL, e.g. http://127.0.0.1:8080/v1 */
  url: string;
  model: string;
  /** bearer key, from the environment; never logged */
  apiKey?: string;
  timeoutMs?: number;
}

const SYSTEM = 'You rephrase a security assistant\'s answer for an on-duty operator. Keep every fact, number, address and reference [n] exactly; add nothing that is not in the draft. Answer in the language of the question, in at most five sentences.';

/** Rephrases `draft`; throws ASSIST_LLM_FAILED when the endpoint fails (the caller keeps the draft). */
export async function phrase(cfg: LlmConfig, question: string, draft: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  const url = `${cfg.url.replace(/\/+$/, '')}/chat/completions`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (cfg.apiKey !== undefined && cfg.apiKey !== '') headers.authorization = `Bearer ${cfg.apiKey}`;
  let res: Response;
  try {
    res = await fetchImpl(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: cfg.model, temperature: 0, messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: `Question: ${question}\n\nDraft answer:\n${draft}` }] }),
      signal: AbortSignal.timeout(cfg.timeoutMs ?? 20_000),
    });
  } catch (e) {
    throw new AppError('ASSIST_LLM_FAILED', 'unavailable', `assist: the llm endpoint ${url} did not answer: ${(e as Error).message}`, { url });
  }
  if (!res.ok) throw new AppError('ASSIST_LLM_FAILED', 'unavailable', `assist: the llm endpoint ${url} answered http ${res.status}`, { url, status: res.status });
  const body = (await res.json().catch(() => null)) as { choices?: { message?: { content?: unknown } }[] } | null;
  const text = body?.choices?.[0]?.message?.content;
  if (typeof text !== 'string' || text.trim() === '') throw new AppError('ASSIST_LLM_FAILED', 'unavailable', `assist: the llm endpoint ${url} sent no message content`, { url });
  return text.trim();
}
