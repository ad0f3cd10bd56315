// "One email per scheduled run": the record kept per run key and the rule that decides, from an
// existing record, whether this invocation may send. Storage lives in the adapters.
//
// States: claimed -> sending -> sent, or -> released when nothing went out (a failure before
// sending, or SES refused the message).
// Trade-off: a record left in `sending` means the process died somewhere between "about to call
// SES" and "SES answered". The email may or may not have gone out; we treat it as sent
// (`done`, `uncertain: true`) and never resend. That is the at-most-once guarantee: a duplicate
// weekly email is what users complain about, a missing one shows up as an error in the logs and
// the uncertain flag. The fence is the conditional write into `sending`: an invocation whose claim
// was taken over cannot make it, so it never sends.
import * as z from 'zod';
import { AuditError } from './errors';

export const IDEMPOTENCY_STATES = ['claimed', 'sending', 'sent', 'released'] as const;
export type IdempotencyState = (typeof IDEMPOTENCY_STATES)[number];

export interface IdempotencyRecord {
  schemaVersion: 1;
  key: string;
  state: IdempotencyState;
  /** Owner of the current claim; every state change checks it. */
  token: string;
  /** 1 for the first claim, +1 per takeover. */
  attempt: number;
  claimedAt: string;
  updatedAt: string;
  messageId?: string;
}

export type ClaimOutcome =
  /** This invocation owns the run: build, markSending, send, markSent (or release on failure). */
  | { outcome: 'claimed'; token: string; takeover: boolean }
  /** Already sent, or possibly sent (`uncertain`): do not send. */
  | { outcome: 'done'; record: IdempotencyRecord; uncertain: boolean }
  /** Another invocation holds a fresh claim: do not send now. */
  | { outcome: 'in-progress'; record: IdempotencyRecord };

export type ClaimDecision =
  | { action: 'done'; uncertain: boolean }
  | { action: 'in-progress' }
  | { action: 'take-over' };

/**
 * A claim is taken after listing and held only while rendering and sending, so `leaseMs` need
 * only exceed that stretch: the deadline margin kept back for it, plus 120 s (the stack sets
 * IDEMPOTENCY_LEASE_SECONDS so). A claim older than that belongs to an invocation that is
 * certainly dead. Safety does not hinge on it (see the fence above); liveness does.
 */
export function decideClaim(existing: IdempotencyRecord, now: Date, leaseMs: number): ClaimDecision {
  switch (existing.state) {
    case 'sent':
      return { action: 'done', uncertain: false };
    case 'sending':
      return { action: 'done', uncertain: true };
    case 'released':
      return { action: 'take-over' };
    case 'claimed': {
      const age = now.getTime() - Date.parse(existing.claimedAt);
      return age > leaseMs ? { action: 'take-over' } : { action: 'in-progress' };
    }
  }
}

/** Longest idempotency key: keys become object keys and file names. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** Keys keep to a safe alphabet: letters, digits, _ and -. */
export function isIdempotencyKey(key: string, maxLength = MAX_IDEMPOTENCY_KEY_LENGTH): boolean {
  return key.length >= 1 && key.length <= maxLength && /^[A-Za-z0-9_-]+$/.test(key);
}

export function assertIdempotencyKey(key: string): void {
  if (!isIdempotencyKey(key)) {
    throw new Error(
      `idempotency key must be 1-${MAX_IDEMPOTENCY_KEY_LENGTH} characters of A-Z, a-z, 0-9, _ or - (hash anything else, e.g. sha256 hex)`,
    );
  }
}

/** The claim was taken over or changed under us: this invocation must not send. */
export class ClaimLostError extends AuditError {
  readonly code = 'CLAIM_LOST';
}

/** A stored record that cannot be read: refuse to guess whether the run was sent. */
export class IdempotencyRecordError extends AuditError {
  readonly code = 'IDEMPOTENCY_RECORD';
}

const recordSchema = z.object({
  schemaVersion: z.literal(1),
  key: z.string(),
  state: z.enum(IDEMPOTENCY_STATES),
  token: z.string().min(1),
  attempt: z.number().int().positive(),
  claimedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s))),
  updatedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s))),
  messageId: z.string().optional(),
});

export function parseIdempotencyRecord(text: string, location: string): IdempotencyRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = recordSchema.safeParse(raw);
  if (!parsed.success) {
    throw new IdempotencyRecordError(
      `the idempotency record ${location} is unreadable, so it is unknown whether this run's email was sent; ` +
        'check the mailbox, then delete the record to allow a send',
    );
  }
  return parsed.data;
}

export function serializeIdempotencyRecord(record: IdempotencyRecord): string {
  return `${JSON.stringify(record)}\n`;
}
