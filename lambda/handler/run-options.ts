// What every entry point of the function (the single run, a fan-out client) takes from its
// configuration for a run: written once, so the two cannot drift apart.
import type { RunAuditOptions } from '../core/run-audit';
import type { HandlerConfig } from './config';

type FromConfig = Pick<
  RunAuditOptions,
  | 'replyTo'
  | 'rateCard'
  | 'triggers'
  | 'checkAgents'
  | 'checkUsage'
  | 'usageWindowDays'
  | 'usageRequestBudget'
  | 'maxBaselineLoss'
  | 'leaseMs'
  | 'claimWaitMs'
>;

export function configRunOptions(config: HandlerConfig): FromConfig {
  return {
    replyTo: config.replyTo,
    rateCard: config.rateCard,
    triggers: config.triggers,
    checkAgents: config.checkAgents,
    checkUsage: config.usage.check,
    usageWindowDays: config.usage.windowDays,
    usageRequestBudget: config.usage.budget,
    maxBaselineLoss: config.maxBaselineLoss,
    leaseMs: config.idempotencyLeaseMs,
    // A live owner holds the claim only while it renders and sends (seconds): wait that out
    // within the time kept back after listing.
    claimWaitMs: Math.min(15_000, Math.floor(config.deadlineMarginMs / 2)),
  };
}

/** The time by which listing must end: the invocation's own end less the margin kept to send. */
export function listDeadlineOf(config: HandlerConfig, remainingMs: number): number {
  return Date.now() + remainingMs - config.deadlineMarginMs;
}
