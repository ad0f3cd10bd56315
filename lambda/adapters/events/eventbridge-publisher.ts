// Puts one event on the account's default EventBridge bus. The handler treats a failure as a
// warning (logged and counted): a run's report matters more than its notification.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { awsClientOptions } from '../aws/client-options';

/** One event as EventBridge takes it; `detail` is serialized to JSON. */
export interface BusEvent {
  source: string;
  detailType: string;
  detail: object;
  /** ARNs the event is about; rules can match on them (e.g. to tell two stacks apart). */
  resources?: string[];
}

export interface EventPublisher {
  publish(event: BusEvent): Promise<{ eventId: string }>;
}

export class EventPublishError extends Error {
  override readonly name = 'EventPublishError';
}

export class EventBridgePublisher implements EventPublisher {
  /** Create it once at module scope, so warm invocations reuse its connections. */
  constructor(private readonly client: EventBridgeClient = new EventBridgeClient(awsClientOptions())) {}

  async publish(event: BusEvent): Promise<{ eventId: string }> {
    const out = await this.client.send(
      new PutEventsCommand({
        // No EventBusName: the default bus, the only one the function may put events on.
        Entries: [
          {
            Source: event.source,
            DetailType: event.detailType,
            Detail: JSON.stringify(event.detail),
            ...(event.resources?.length ? { Resources: event.resources } : {}),
          },
        ],
      }),
    );
    // PutEvents answers 200 even when it refused the entry; the entry says why.
    const [entry] = out.Entries ?? [];
    if ((out.FailedEntryCount ?? 0) > 0 || !entry?.EventId) {
      throw new EventPublishError(
        `EventBridge did not accept the event: ${entry?.ErrorCode ?? 'no error code'}: ${entry?.ErrorMessage ?? 'no event id returned'}`,
      );
    }
    return { eventId: entry.EventId };
  }
}
