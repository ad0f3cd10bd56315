// IdempotencyStore over any ObjectStore. Every state change is a conditional write, so of two
// racing invocations exactly one wins each step; the loser re-reads and decides again.
import { randomUUID } from 'node:crypto';
import {
  ClaimLostError,
  decideClaim,
  parseIdempotencyRecord,
  serializeIdempotencyRecord,
  type ClaimOutcome,
  type IdempotencyRecord,
  type IdempotencyState,
} from '../../core/idempotency';
import type { IdempotencyStore } from '../../core/ports';
import { idempotencyRecordKey } from './layout';
import { MAX_CONFLICT_ROUNDS, type ObjectStore, textOf } from './object-store';

export interface StoreIdempotencyOptions {
  /** Timestamps of markSending/markSent/release (claim takes `now` from its caller). */
  clock?: () => Date;
  newToken?: () => string;
}

export class StoreIdempotencyStore implements IdempotencyStore {
  private readonly clock: () => Date;
  private readonly newToken: () => string;

  constructor(
    private readonly store: ObjectStore,
    options: StoreIdempotencyOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.newToken = options.newToken ?? randomUUID;
  }

  async claim(key: string, options: { leaseMs: number; now: Date }): Promise<ClaimOutcome> {
    const path = idempotencyRecordKey(key);
    const at = options.now.toISOString();
    /** The token of our last failed conditional write, with whether it was a takeover. */
    let attempted: { token: string; takeover: boolean } | null = null;
    for (let round = 0; round < MAX_CONFLICT_ROUNDS; round++) {
      const existing = await this.read(path);
      // A write whose success answer was lost fails on the SDK's retry (412): the record is ours.
      if (attempted && existing?.record.token === attempted.token && existing.record.state === 'claimed') {
        return { outcome: 'claimed', token: attempted.token, takeover: attempted.takeover };
      }
      if (!existing) {
        const token = this.newToken();
        const record = {
          schemaVersion: 1,
          key,
          state: 'claimed',
          token,
          attempt: 1,
          claimedAt: at,
          updatedAt: at,
        } as const;
        if (await this.store.putIfAbsent(path, serializeIdempotencyRecord(record)))
          return { outcome: 'claimed', token, takeover: false };
        attempted = { token, takeover: false };
        continue;
      }
      const decision = decideClaim(existing.record, options.now, options.leaseMs);
      if (decision.action === 'done')
        return { outcome: 'done', record: existing.record, uncertain: decision.uncertain };
      if (decision.action === 'in-progress') return { outcome: 'in-progress', record: existing.record };
      const token = this.newToken();
      const record: IdempotencyRecord = {
        schemaVersion: 1,
        key,
        state: 'claimed',
        token,
        attempt: existing.record.attempt + 1,
        claimedAt: at,
        updatedAt: at,
      };
      if (await this.store.putIfMatch(path, serializeIdempotencyRecord(record), existing.etag))
        return { outcome: 'claimed', token, takeover: true };
      attempted = { token, takeover: true };
    }
    throw new Error(
      `could not settle the claim on ${this.store.describe(path)}: it kept changing under concurrent writers`,
    );
  }

  async peek(key: string): Promise<IdempotencyRecord | null> {
    return (await this.read(idempotencyRecordKey(key)))?.record ?? null;
  }

  markSending(key: string, token: string): Promise<void> {
    return this.transition(key, token, ['claimed'], 'sending');
  }

  async markSent(key: string, token: string, result: { messageId: string }): Promise<void> {
    await this.transition(key, token, ['sending'], 'sent', result.messageId);
  }

  /**
   * From `claimed`, or from `sending` when the send definitely failed (SES answered with an
   * error). Never release after a timeout or network error: the email may have gone out.
   */
  release(key: string, token: string): Promise<void> {
    return this.transition(key, token, ['claimed', 'sending'], 'released');
  }

  private async read(path: string): Promise<{ record: IdempotencyRecord; etag: string } | null> {
    const stored = await this.store.get(path);
    return stored
      ? { record: parseIdempotencyRecord(textOf(stored), this.store.describe(path)), etag: stored.etag }
      : null;
  }

  private async transition(
    key: string,
    token: string,
    from: readonly IdempotencyState[],
    to: IdempotencyState,
    messageId?: string,
  ): Promise<void> {
    const path = idempotencyRecordKey(key);
    const existing = await this.read(path);
    if (existing && existing.record.token === token && existing.record.state === to && to === 'sent') return; // a retried markSent
    if (!existing || existing.record.token !== token || !from.includes(existing.record.state)) {
      const now = existing
        ? `${existing.record.state} by ${existing.record.token === token ? 'this' : 'another'} invocation`
        : 'missing';
      throw new ClaimLostError(
        `the claim on scheduled run ${key} is no longer ours (record is ${now}); not moving it to ${to}`,
      );
    }
    const record: IdempotencyRecord = {
      ...existing.record,
      state: to,
      updatedAt: this.clock().toISOString(),
      ...(messageId !== undefined ? { messageId } : {}),
    };
    if (await this.store.putIfMatch(path, serializeIdempotencyRecord(record), existing.etag)) return;
    // Only this invocation writes with its token: a record of ours already in `to` means the write
    // landed and only its answer was lost (the SDK's retry then met a changed ETag).
    const after = await this.read(path);
    if (after && after.record.token === token && after.record.state === to) return;
    throw new ClaimLostError(`the claim on scheduled run ${key} changed while moving it to ${to}; not sending`);
  }
}
