/**
 * At start-up, before listening: inferences a previous run left `queued` or `processing` cannot
 * resume (media is never stored), so they fail with `analysis_interrupted`; then every webhook
 * that is due (theirs, and retries the last run left waiting) is scheduled again.
 */
import type { Store } from '../store/index.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

export function recoverInterrupted(
  { inferences, webhooks }: Pick<Store, 'inferences' | 'webhooks'>,
  dispatcher: WebhookDispatcher,
  now = new Date(),
): { readonly failed: number; readonly webhooksDue: number } {
  const failed = inferences.failAbandoned(now);
  webhooks.markFinishedDue(now);
  return { failed, webhooksDue: dispatcher.resume() };
}
