// One email per scheduled run, on top of the IdempotencyStore port: a redelivery of a sent run is
// answered from one read; otherwise the run is claimed after listing, only for rendering and
// sending, and the claim is given back when a failure proves nothing went out.
import { isAuditError, messageOf, RunInProgressError } from './errors';
import type { IdempotencyRecord } from './idempotency';
import type { IdempotencyStore, RunAuditDeps } from './ports';
import type { AuditRun, DuplicateRun, RunAuditOptions } from './run-types';

// A claim covers rendering and sending only (listing happens before it): minutes, not the run.
// The function passes its own lease (the idempotencyLeaseSeconds setting: margin + 120 s); the core
// imports no settings, so callers without one (tests) get the same 3 minutes.
const DEFAULT_LEASE_MS = 3 * 60 * 1000;
const DEFAULT_POLL_MS = 5000;

/** Called around the one SES call, so the record says whether the email may have gone out. */
export interface SendHooks {
  beforeSend(): Promise<void>;
  /** Returns a warning when the send could not be recorded. */
  afterSend(messageId: string): Promise<string | undefined>;
}

/** For runs without an idempotency key: nothing to record. */
export const UNCLAIMED: SendHooks = {
  beforeSend: async () => undefined,
  afterSend: async () => undefined,
};

/** One scheduled run's claim: the store, the key and how long to wait for another owner. */
export interface RunClaim {
  store: IdempotencyStore;
  key: string;
  runId: string;
  deps: Pick<RunAuditDeps, 'logger' | 'now' | 'sleep'>;
  leaseMs: number;
  waitMs: number;
  pollMs: number;
}

/** The run's claim when it has an idempotency key; throws when there is no store to keep it in. */
export function runClaimOf(deps: RunAuditDeps, options: RunAuditOptions): RunClaim | undefined {
  const key = options.idempotencyKey;
  if (key === undefined) return undefined;
  if (!deps.idempotency) throw new Error('runAudit: idempotencyKey needs an idempotency store');
  return {
    store: deps.idempotency,
    key,
    runId: options.runId,
    deps,
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    waitMs: options.claimWaitMs ?? 0,
    pollMs: options.claimPollMs ?? DEFAULT_POLL_MS,
  };
}

/** A redelivery of a run that already went out costs one read, no listing. */
export async function alreadySent(claim: RunClaim): Promise<DuplicateRun | undefined> {
  const record = await claim.store.peek(claim.key);
  if (record && (record.state === 'sent' || record.state === 'sending')) {
    return duplicate(claim, 'done', record.state === 'sending', record);
  }
  return undefined;
}

/**
 * Claims the run and calls `send` under the claim; another owner's run is a duplicate. Gives the
 * claim back when nothing can have been sent, so a retry sends at once.
 */
export async function sendOnce<T = AuditRun>(
  claim: RunClaim,
  send: (hooks: SendHooks) => Promise<T>,
): Promise<T | DuplicateRun> {
  const outcome = await claimWithWait(claim);
  if (outcome.outcome !== 'claimed') {
    return duplicate(claim, outcome.outcome, outcome.outcome === 'done' && outcome.uncertain, outcome.record);
  }
  if (outcome.takeover) claim.deps.logger.warn('took over a stale claim for this scheduled run');
  const held = hooksFor(claim, outcome.token);
  try {
    return await send(held.hooks);
  } catch (error) {
    // Once we were sending, only a refusal from SES proves nothing went out (DeliveryError);
    // anything else (no answer, crash) leaves the record in `sending`: never resend.
    const nothingSent = !held.sending() || (isAuditError(error) && error.code === 'DELIVERY');
    if (nothingSent) {
      await claim.store
        .release(claim.key, outcome.token)
        .catch((releaseError: unknown) =>
          claim.deps.logger.error('could not release the claim', { message: messageOf(releaseError) }),
        );
    }
    throw error;
  }
}

function hooksFor(claim: RunClaim, token: string): { hooks: SendHooks; sending: () => boolean } {
  let sending = false;
  const hooks: SendHooks = {
    beforeSend: async () => {
      await claim.store.markSending(claim.key, token);
      sending = true;
    },
    // Recorded at once, before the archive is written: a run that dies while archiving has still
    // certainly sent, and its retry must say so.
    afterSend: async (messageId) => {
      try {
        await claim.store.markSent(claim.key, token, { messageId });
        return undefined;
      } catch (error) {
        // The email went out; a retry finds `sending` and does not resend. Say so, do not fail.
        const message = `the send could not be recorded as done: ${messageOf(error)}`;
        claim.deps.logger.error('could not mark the run as sent', { message });
        return message;
      }
    },
  };
  return { hooks, sending: () => sending };
}

/** Claims the run, waiting (bounded) while another live invocation holds it. */
async function claimWithWait(claim: RunClaim) {
  const { deps, store, key, leaseMs, waitMs, pollMs } = claim;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let waited = 0;
  for (;;) {
    const outcome = await store.claim(key, { leaseMs, now: deps.now() });
    if (outcome.outcome !== 'in-progress' || waitMs === 0) return outcome;
    if (waited >= waitMs) {
      throw new RunInProgressError(
        `another invocation has held this scheduled run's claim since ${outcome.record.claimedAt} and has not finished; ` +
          'nothing was sent by this attempt, and a retry will take over once the claim is released or goes stale',
      );
    }
    const step = Math.min(pollMs, waitMs - waited);
    deps.logger.info('another invocation is handling this scheduled run; waiting', {
      waitedMs: waited,
      claimedAt: outcome.record.claimedAt,
    });
    await sleep(step);
    waited += step;
  }
}

function duplicate(
  claim: RunClaim,
  reason: DuplicateRun['reason'],
  uncertain: boolean,
  record: IdempotencyRecord,
): DuplicateRun {
  claim.deps.logger.warn('duplicate delivery of a scheduled run; nothing sent', { reason, uncertain });
  return { status: 'duplicate', runId: claim.runId, idempotencyKey: claim.key, reason, uncertain, record };
}
