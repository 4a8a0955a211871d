/**
 * Prometheus metrics at `/metrics` (text exposition format, prom-client): requests by route and
 * status, per-stage analysis latency from each analysis' own `timingsMs`, analyses queued and
 * running, verdicts by attack type, media URL fetch failures by error code, and webhook delivery
 * attempts by outcome. One registry per
 * app, so two apps in one process (tests) never count into each other.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LivenessError } from '../errors.js';
import type { DeliveryOutcome } from '../store/index.js';
import type { AnalysisQueue } from './analysis-queue.js';
import type { Analyzer } from './analyzer.js';
import type { MediaFetcher } from './inference-request.js';

/** Seconds; analyses take 0.5–10 s in all (README benchmark), single stages from milliseconds up. */
const STAGE_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface Metrics {
  readonly registry: Registry;
  /** Times each analysis' stages and counts its verdict. */
  measureAnalyzer(analyzer: Analyzer): Analyzer;
  /** Counts fetches that fail, by their error code. */
  measureFetcher(fetcher: MediaFetcher): MediaFetcher;
  /** Counts one webhook delivery attempt by its outcome. */
  countWebhookAttempt(outcome: DeliveryOutcome): void;
}

export function createMetrics(queue: AnalysisQueue): Metrics {
  const registry = new Registry();
  const stageSeconds = new Histogram({
    name: 'liveness_stage_duration_seconds',
    help: 'Time spent in each analysis stage (ingest, decode, faces, signals, fusion…; total for the whole analysis).',
    labelNames: ['stage'],
    buckets: STAGE_BUCKETS_S,
    registers: [registry],
  });
  const verdicts = new Counter({
    name: 'liveness_verdicts_total',
    help: 'Completed analyses by attack type name (real for a live verdict) and whether they were inconclusive.',
    labelNames: ['attack_type', 'inconclusive'],
    registers: [registry],
  });
  const fetchFailures = new Counter({
    name: 'liveness_url_fetch_failures_total',
    help: 'Media URL fetches that failed, by error code (url_not_allowed, url_fetch_failed, url_fetch_timeout, media_too_large…).',
    labelNames: ['reason'],
    registers: [registry],
  });
  const webhookAttempts = new Counter({
    name: 'liveness_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome: delivered (a 2xx), retrying (failed, another attempt is due) or failed (failed, no attempts left).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'liveness_analysis_queue_depth',
    help: 'Analyses admitted and not finished, by state: running or waiting.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const { running, waiting } = queue.depth();
      this.set({ state: 'running' }, running);
      this.set({ state: 'waiting' }, waiting);
    },
  });

  return {
    registry,
    measureAnalyzer: (analyzer) => ({
      versions: analyzer.versions,
      async analyze(input, config) {
        const analysis = await analyzer.analyze(input, config);
        for (const [stage, ms] of Object.entries(analysis.evidence.timingsMs)) {
          if (typeof ms === 'number') stageSeconds.observe({ stage }, ms / 1000);
        }
        verdicts.inc({ attack_type: analysis.result.attack_type_name, inconclusive: String(analysis.inconclusive !== null) });
        return analysis;
      },
    }),
    measureFetcher: (fetcher) => async (remote, maxBytes) => {
      try {
        return await fetcher(remote, maxBytes);
      } catch (error) {
        fetchFailures.inc({ reason: error instanceof LivenessError ? error.code : 'internal_error' });
        throw error;
      }
    },
    countWebhookAttempt: (outcome) => webhookAttempts.inc({ outcome }),
  };
}

/** Counts every reply by method, route pattern (not the raw URL, which would explode the labels) and status. */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics): void {
  const requests = new Counter({
    name: 'liveness_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'],
    registers: [metrics.registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    requests.inc({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
