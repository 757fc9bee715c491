/** buildApp(deps): the HTTP API as a Fastify instance that is ready to inject or listen; it never listens itself. */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { bearerAuth } from './auth.js';
import type { AppDeps } from './deps.js';
import { installErrorHandling } from './http-errors.js';
import { registerOpenApi } from './openapi.js';
import { countRoutes } from './routes/count.js';
import { findingsRoutes } from './routes/findings.js';
import { healthRoutes } from './routes/health.js';
import { ingestRoutes } from './routes/ingest.js';
import { metricsRoutes } from './routes/metrics.js';
import { searchRoutes } from './routes/search.js';
import { statsRoutes } from './routes/stats.js';
import { StatsService } from './stats-service.js';

/** Pino redaction paths; a logger built outside (node.ts) should be given these too. */
export const SERVE_LOG_REDACT = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'];

function loggerOptions(logger: AppDeps['logger']): FastifyServerOptions {
  if (logger === undefined || logger === false) return { logger: false };
  if (logger === true) return { logger: { level: 'info', redact: { paths: SERVE_LOG_REDACT, censor: '[redacted]' } } };
  return { loggerInstance: logger } as FastifyServerOptions;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const now = deps.now ?? Date.now;
  const app = Fastify({
    ...loggerOptions(deps.logger),
    // unknown query parameters are refused (a typo like `frm` must not silently widen a search)
    ajv: { customOptions: { removeAdditional: false } },
  }) as unknown as FastifyInstance;
  installErrorHandling(app);
  await registerOpenApi(app, deps.version);

  const stats = new StatsService(deps, now, app.log);
  stats.start();
  app.addHook('onClose', async () => stats.stop());

  await app.register(healthRoutes(deps.version));
  await app.register(async (api) => {
    api.addHook('onRequest', bearerAuth(deps.tokens));
    await api.register(ingestRoutes({ sink: deps.ingest, now, bodyLimit: deps.bodyLimit }));
    await api.register(searchRoutes({ searcher: deps.searcher, enrich: deps.enrich, now }));
    await api.register(countRoutes({ searcher: deps.searcher, now }));
    await api.register(statsRoutes(stats));
    await api.register(metricsRoutes(stats));
    if (deps.findings !== undefined) await api.register(findingsRoutes({ findings: deps.findings, now }));
  });
  return app;
}
