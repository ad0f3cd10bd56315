import { createHash } from 'node:crypto';
// The events the function accepts: the schedule's `{ scheduledTime, scheduleArn }`, a console `{}`,
// and console overrides. An unknown field is an error: a typo must not silently run the default.
import { isIdempotencyKey, MAX_IDEMPOTENCY_KEY_LENGTH } from '../core/idempotency';
import * as z from 'zod';
import { ConfigError } from '../core/errors';
import type { KnownNumberType } from '../core/types';
import { parseCountryCode, parseEmailList, parseNumberType } from '../core/validation';
import { outsideDomains, SETTINGS, withLowerCaseDomain } from '../settings';
import { readAllowedRecipientDomains } from './config';

const eventSchema = z.strictObject({
  scheduledTime: z.string().optional(),
  scheduleArn: z.string().optional(),
  dryRun: z.boolean().optional(),
  recipients: z.array(z.string()).optional(),
  countryCode: z.string().optional(),
  type: z.string().optional(),
  idempotencyKey: z.string().optional(),
  confirmBaseline: z.boolean().optional(),
});

export interface AuditEvent {
  scheduledTime?: Date;
  scheduleArn?: string;
  dryRun: boolean;
  recipients?: string[];
  countryCode?: string;
  type?: KnownNumberType;
  /** Console runs are deduplicated only when they pass one. */
  idempotencyKey?: string;
  /** The operator confirms numbers missing since the baseline: this run becomes the baseline anyway. */
  confirmBaseline?: boolean;
}

/** Console keys are prefixed, so they never equal a schedule's sha256; the prefix counts in the length. */
const CONSOLE_KEY_PREFIX = 'console-';
const MAX_CONSOLE_KEY_LENGTH = MAX_IDEMPOTENCY_KEY_LENGTH - CONSOLE_KEY_PREFIX.length;

/** Fields only a console run may set: the schedule's own event never carries them. */
const CONSOLE_FIELDS = ['dryRun', 'recipients', 'countryCode', 'type', 'idempotencyKey', 'confirmBaseline'] as const;

/**
 * The schedule sends scheduledTime and scheduleArn together and nothing else. A console event that
 * mimics it while changing the run (other recipients, a filter) would take the scheduled run's
 * one-email claim and silence the team's report, so the two shapes never mix.
 */
function checkScheduleShape(e: z.infer<typeof eventSchema>): void {
  if ((e.scheduledTime === undefined) !== (e.scheduleArn === undefined)) {
    throw new ConfigError(
      e.scheduledTime === undefined ? 'event.scheduledTime' : 'event.scheduleArn',
      'the schedule sends scheduledTime and scheduleArn together',
    );
  }
  const mixed = e.scheduleArn === undefined ? undefined : CONSOLE_FIELDS.find((f) => e[f] !== undefined);
  if (mixed) {
    throw new ConfigError(
      `event.${mixed}`,
      'cannot be combined with scheduleArn and scheduledTime, which only the schedule sends; leave those two out',
    );
  }
}

/**
 * The event, checked. `allowedRecipientDomains` defaults to the function's own (its environment's):
 * an event's recipients outside them are refused here, before anything is listed or sent.
 */
export function parseEvent(raw: unknown, allowedRecipientDomains?: readonly string[]): AuditEvent {
  const input = raw === null || raw === undefined ? {} : raw;
  const parsed = eventSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      throw new ConfigError(
        `event.${issue.keys[0]}`,
        `is not a known field; allowed: ${Object.keys(eventSchema.shape).join(', ')}`,
      );
    }
    const where = issue.path.length ? `event.${issue.path.join('.')}` : 'event';
    throw new ConfigError(where, issue.message);
  }
  const e = parsed.data;
  let scheduledTime: Date | undefined;
  if (e.scheduledTime !== undefined) {
    scheduledTime = new Date(e.scheduledTime);
    if (Number.isNaN(scheduledTime.getTime()))
      throw new ConfigError('event.scheduledTime', 'must be an ISO 8601 date-time');
  }
  if (e.scheduleArn !== undefined && !/^arn:aws[a-z-]*:scheduler:/.test(e.scheduleArn)) {
    throw new ConfigError('event.scheduleArn', 'must be an EventBridge Scheduler schedule ARN');
  }
  if (e.idempotencyKey !== undefined && !isIdempotencyKey(e.idempotencyKey, MAX_CONSOLE_KEY_LENGTH)) {
    throw new ConfigError(
      'event.idempotencyKey',
      `must be 1-${MAX_CONSOLE_KEY_LENGTH} characters of letters, digits, _ or -`,
    );
  }
  checkScheduleShape(e);
  return {
    scheduledTime,
    scheduleArn: e.scheduleArn,
    dryRun: e.dryRun ?? false,
    recipients: e.recipients === undefined ? undefined : allowedRecipients(e.recipients, allowedRecipientDomains),
    countryCode: e.countryCode === undefined ? undefined : parseCountryCode('event.countryCode', e.countryCode),
    type: e.type === undefined ? undefined : parseNumberType('event.type', e.type),
    idempotencyKey: e.idempotencyKey,
    confirmBaseline: e.confirmBaseline,
  };
}

/** Whoever may invoke the function must not be able to mail the inventory anywhere else. */
function allowedRecipients(raw: readonly string[], allowed: readonly string[] | undefined): string[] {
  const recipients = parseEmailList('event.recipients', raw);
  const domains = allowed ?? readAllowedRecipientDomains();
  const outside = outsideDomains(recipients, domains);
  if (outside !== undefined) {
    throw new ConfigError(
      'event.recipients',
      `"${outside}" is not at one of the allowed recipient domains: ${domains.join(', ')} ` +
        `(the stack's ${SETTINGS.allowedRecipientDomains.context}, the function's ${SETTINGS.allowedRecipientDomains.env})`,
    );
  }
  // Lower-case domains: the SES policy's ses:Recipients patterns match case-sensitively.
  return recipients.map(withLowerCaseDomain);
}

/**
 * Scheduler delivers at least once (a redelivery gets a new request id) and Lambda retries failed
 * asynchronous invocations (with the same request id): one schedule time, or one invocation,
 * one email.
 */
export function idempotencyKeyOf(ev: AuditEvent, requestId: string): string {
  // Prefixed: a console key can never equal a schedule's sha256, so it cannot take that run's claim.
  if (ev.idempotencyKey) return `${CONSOLE_KEY_PREFIX}${ev.idempotencyKey}`;
  if (ev.scheduleArn && ev.scheduledTime) {
    return createHash('sha256').update(`${ev.scheduleArn}|${ev.scheduledTime.toISOString()}`).digest('hex');
  }
  return `invocation-${requestId.replace(/[^A-Za-z0-9_-]/g, '')}`;
}
