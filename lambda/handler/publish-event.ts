// Publishing the run's event without ever failing the run: a refusal or an outage is logged and
// counted (EventPublishFailures, 0 on success so the series has a point every run).
import type { EventPublisher } from '../adapters/events/eventbridge-publisher';
import { METRIC } from './metric-names';
import { logger, metrics, MetricUnit } from './observability';
import { RUN_EVENT, type RunEvent } from './run-event';

/** `resources`: the invoked function's ARN, so a rule can tell two stacks' events apart. */
export async function publishRunEvent(
  publisher: EventPublisher | undefined,
  build: () => RunEvent,
  resources: string[],
): Promise<void> {
  if (!publisher) return;
  // Built inside the try: once the email is out, nothing about the event may fail the run.
  let detailType: string | undefined;
  try {
    const event = build();
    detailType = event.detailType;
    const { eventId } = await publisher.publish({
      source: RUN_EVENT.source,
      detailType: event.detailType,
      detail: event.detail,
      // A test's context may carry no ARN.
      resources: resources.filter((r) => typeof r === 'string' && r !== ''),
    });
    metrics.addMetric(METRIC.EventPublishFailures, MetricUnit.Count, 0);
    logger.info('run event published', { detailType: event.detailType, eventId });
  } catch (error) {
    metrics.addMetric(METRIC.EventPublishFailures, MetricUnit.Count, 1);
    logger.warn('run event not published; the run goes on', {
      detailType,
      errorType: error instanceof Error ? error.name : typeof error,
      message: error instanceof Error ? error.message : String(error),
    });
  }
}
