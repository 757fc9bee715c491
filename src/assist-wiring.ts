/** Builds the incident assistant for a running node: its base under `<data>/assist/`, the log store and pivots to cite, the optional LLM. */
import { join, resolve } from 'node:path';
import { Assistant, IncidentBase, loadRankModel, seedDemoIncidents, type LogPages, type PivotSource } from './assist/index.js';
import type { NmlConfig } from './config-types.js';

export interface RunningAssistant {
  assistant: Assistant;
  close(): void;
}

/** null when `assist.enabled` is false. The LLM key comes from NML_ASSIST_LLM_KEY and is never logged. The demo starts an empty base with past incidents of the demo network (`assist/demo.ts`). */
export function openAssistant(
  config: Readonly<NmlConfig>,
  logs: LogPages,
  pivots: PivotSource | null = null,
  env: Record<string, string | undefined> = process.env,
  warn?: (message: string) => void,
): RunningAssistant | null {
  if (!config.assist.enabled) return null;
  const base = new IncidentBase(join(resolve(config.dataDir), 'assist', 'incidents.db'));
  if (config.demo.enabled) seedDemoIncidents(base);
  const llm = config.assist.llm === null ? null : { url: config.assist.llm.url, model: config.assist.llm.model, apiKey: env.NML_ASSIST_LLM_KEY };
  return { assistant: new Assistant({ base, logs, pivots, llm, model: loadRankModel(), ...(warn === undefined ? {} : { warn }) }), close: () => base.close() };
}
