// Fan-out: the plan step and the roll-up, one function. `plan` reads and checks the registry and
// keys the run; `roll-up` reads every client's summary and sends the agency one email, once per
// schedule time (the same claim protocol as every other email).
import type { Context } from 'aws-lambda';
import { FAN_OUT_KEYS, runRegistryKey, runSummariesPrefix, summaryKey } from '../adapters/archive/layout';
import { textOf } from '../adapters/archive/object-store';
import { alreadySent, type RunClaim, sendOnce } from '../core/claim';
import { ConfigError, RunInProgressError } from '../core/errors';
import { failedSummary, fanOutRunKey, registryVersionOf, rollUpClaimKey, type WorkspaceSummary } from '../core/fan-out';
import { describeAttachment } from '../core/report/format';
import { renderRollUp } from '../core/report/roll-up';
import { parseRegistry } from '../settings';
import { createFanOutContext, type FanOutContext } from './fan-out-context';
import { logger, metrics, powertoolsLogger } from './observability';
import { publishRunEvent } from './publish-event';
import { rollUpRunEvent } from './roll-up-event';
import { errorSummary, failedRunEvent } from './run-event';

/** What the state machine passes to the plan step: the execution's own input and name. */
export interface PlanEvent {
  phase: 'plan';
  executionName: string;
  /** The schedule's `{ scheduledTime, scheduleArn }`, or a console run's `{ "only": [names] }`. */
  input?: { scheduledTime?: string; scheduleArn?: string; only?: string[] };
  /** The stack's context list, when it has one; the registry's entries come after it. */
  contextWorkspaces?: unknown[];
}

export interface Plan {
  runKey: string;
  /** Already sent for this schedule time: the state machine stops. */
  skip: boolean;
  /** False for a re-run of some clients (`only`): their own emails go out, no roll-up. */
  rollUp: boolean;
  /**
   * The Map's items: each client's index in the run's registry copy (the task reads its entry there),
   * so MAX_REGISTRY_ENTRIES of them stay far below the 256 KiB state payload.
   */
  items: number[];
  /** The copy's version, which every task checks (registryVersionOf); empty when skipped. */
  registryVersion: string;
}

/** The Map keeps no results in the state: each client's outcome is its summary under the run's key. */
export interface RollUpEvent {
  phase: 'roll-up';
  runKey: string;
  rollUp: boolean;
  /** The execution's input (PlanEvent.input): the schedule's time for the run event. */
  input?: PlanEvent['input'];
}

export type RollUpResult =
  | { status: 'sent' | 'duplicate'; clients: number; failed: number; messageId?: string }
  | { status: 'skipped'; reason: string };

let shared: FanOutContext | undefined;
function fanOut(): FanOutContext {
  shared ??= createFanOutContext();
  return shared;
}

export async function handler(event: PlanEvent | RollUpEvent, context: Context): Promise<Plan | RollUpResult> {
  powertoolsLogger.addContext(context);
  try {
    if (event?.phase === 'plan') return await plan(fanOut(), event);
    if (event?.phase === 'roll-up') return await rollUp(fanOut(), event, context);
    throw new ConfigError('event.phase', 'must be "plan" or "roll-up" (the state machine sets it)');
  } catch (error) {
    // The run failed: on the bus as the single function's failed run is. A claim held by another
    // invocation is not a failure: Step Functions retries it.
    if (!(error instanceof RunInProgressError)) {
      await publishRunEvent(
        shared?.events,
        () => failedRunEvent(context.awsRequestId, event?.input, errorSummary(error)),
        [context.invokedFunctionArn],
      );
    }
    throw error;
  } finally {
    metrics.publishStoredMetrics();
    powertoolsLogger.resetKeys();
  }
}

async function plan(ctx: FanOutContext, event: PlanEvent): Promise<Plan> {
  const input = event.input ?? {};
  const runKey = fanOutRunKey({ ...input, executionName: event.executionName });
  const stored = await ctx.store.get(FAN_OUT_KEYS.registry);
  const registry = stored === null ? [] : JSON.parse(textOf(stored));
  if (!Array.isArray(registry)) throw new ConfigError(FAN_OUT_KEYS.registry, 'must be a JSON list of workspaces');
  const all = parseRegistry(
    `${FAN_OUT_KEYS.registry} (after the stack's workspaces)`,
    [...(event.contextWorkspaces ?? []), ...registry],
    ctx.secretPrefix,
  );
  if (all.length === 0) throw new ConfigError(FAN_OUT_KEYS.registry, 'lists no workspace; add the clients to it');
  const only = input.only;
  const unknown = only?.find((name) => !all.some((e) => e.name === name));
  if (unknown !== undefined) throw new ConfigError('event.only', `"${unknown}" is not a workspace of the registry`);
  const workspaces = only ? all.filter((e) => only.includes(e.name)) : all;
  const done = only ? undefined : await alreadySent(claimOf(ctx, runKey, event.executionName));
  logger.info('fan-out planned', { runKey, workspaces: workspaces.length, skip: done !== undefined });
  const skip = done !== undefined;
  const body = JSON.stringify(workspaces);
  if (!skip) await ctx.store.put(runRegistryKey(runKey), body, 'application/json');
  return {
    runKey,
    skip,
    rollUp: only === undefined,
    items: skip ? [] : workspaces.map((_, i) => i),
    registryVersion: skip ? '' : registryVersionOf(body),
  };
}

function claimOf(ctx: FanOutContext, runKey: string, runId: string): RunClaim {
  const { config, history, deps } = ctx;
  return {
    store: history,
    key: rollUpClaimKey(runKey),
    runId,
    deps,
    leaseMs: config.idempotencyLeaseMs,
    waitMs: Math.min(15_000, Math.floor(config.deadlineMarginMs / 2)),
    pollMs: 5000,
  };
}

async function rollUp(ctx: FanOutContext, event: RollUpEvent, context: Context): Promise<RollUpResult> {
  if (!event.rollUp) {
    const names = await runNames(ctx, event.runKey);
    await publishRollUpEvent(ctx, (await readSummaries(ctx, event.runKey, names)).summaries, event, context);
    return { status: 'skipped', reason: 'a re-run of some clients sends no roll-up' };
  }
  const claim = claimOf(ctx, event.runKey, context.awsRequestId);
  const done = await alreadySent(claim);
  const names = await runNames(ctx, event.runKey);
  if (done) return { status: 'duplicate', clients: names.length, failed: 0 };
  const { summaries, csvs } = await readSummaries(ctx, event.runKey, names);
  const failed = summaries.filter((s) => s.status === 'failed').length;
  const outcome = await sendOnce(claim, async (hooks) => {
    const { config, deps } = ctx;
    const generatedAt = deps.now();
    const built = await deps.emailBuilder.build({
      from: config.sender,
      to: config.recipients,
      replyTo: config.replyTo,
      date: generatedAt,
      csv: Buffer.from(combineCsv(csvs), 'utf8'),
      render: (fit) =>
        renderRollUp({
          generatedAt,
          timeZone: config.timeZone,
          summaries,
          attachmentNote: describeAttachment(
            fit.attachment,
            "It holds every audited client's numbers, with a workspace column.",
          ),
        }),
    });
    if (!deps.mailer) throw new Error('roll-up: no mailer');
    await hooks.beforeSend();
    const { messageId } = await deps.mailer.sendRaw(built.raw, { from: config.sender, to: config.recipients });
    await hooks.afterSend(messageId);
    return { status: 'sent' as const, clients: summaries.length, failed, messageId };
  });
  if (outcome.status === 'duplicate') return { status: 'duplicate', clients: summaries.length, failed };
  logger.info('roll-up sent', { clients: summaries.length, failed, messageId: outcome.messageId });
  await publishRollUpEvent(ctx, summaries, event, context);
  return outcome;
}

/** The execution's one run event (a duplicate delivery puts none, as it sends nothing). */
async function publishRollUpEvent(
  ctx: FanOutContext,
  summaries: readonly WorkspaceSummary[],
  event: RollUpEvent,
  context: Context,
): Promise<void> {
  const run = {
    runId: context.awsRequestId,
    rawInput: event.input,
    generatedAt: ctx.deps.now(),
    triggers: ctx.config.triggers,
  };
  await publishRunEvent(ctx.events, () => rollUpRunEvent(summaries, run), [context.invokedFunctionArn]);
}

/** The clients of the run, from its registry copy, in registry order. */
async function runNames(ctx: FanOutContext, runKey: string): Promise<string[]> {
  const stored = await ctx.store.get(runRegistryKey(runKey));
  if (stored === null) throw new ConfigError(runRegistryKey(runKey), 'is missing: the plan step writes it');
  return parseRegistry(runRegistryKey(runKey), textOf(stored), ctx.secretPrefix).map((e) => e.name);
}

/**
 * Each client's summary, for every client of the run's registry copy, found by listing the run's
 * summaries (paginated): a client without one failed before it could write it.
 */
async function readSummaries(
  ctx: FanOutContext,
  runKey: string,
  names: readonly string[],
): Promise<{ summaries: WorkspaceSummary[]; csvs: string[] }> {
  const present = new Set(await ctx.store.list(runSummariesPrefix(runKey)));
  const read = async (key: string) => {
    const stored = present.has(key) ? await ctx.store.get(key) : null;
    return stored === null ? null : textOf(stored);
  };
  const summaries: WorkspaceSummary[] = [];
  const csvs: string[] = [];
  const BATCH = 25;
  for (let i = 0; i < names.length; i += BATCH) {
    const batch = await Promise.all(
      names.slice(i, i + BATCH).map(async (name) => {
        const summary = await read(summaryKey(runKey, name, 'json'));
        if (summary === null) return { summary: failedSummary(name, NO_SUMMARY), csv: null };
        return { summary: JSON.parse(summary) as WorkspaceSummary, csv: await read(summaryKey(runKey, name, 'csv')) };
      }),
    );
    for (const { summary, csv } of batch) {
      summaries.push(summary);
      if (csv !== null) csvs.push(csv);
    }
  }
  return { summaries, csvs };
}

const NO_SUMMARY = {
  code: 'NO_SUMMARY',
  message:
    "the workspace task ended without leaving its summary; the cause is in the Map run's child execution for " +
    'this client. Re-run this client alone to retry it',
};

/** One CSV: the first file's BOM and header, every file's rows (each row names its workspace). */
function combineCsv(csvs: readonly string[]): string {
  const [first, ...rest] = csvs;
  if (first === undefined) return '';
  const rows = rest.map((csv) => csv.slice(csv.indexOf('\n') + 1));
  return [first, ...rows].map((c) => (c.endsWith('\n') || c === '' ? c : `${c}\n`)).join('');
}
