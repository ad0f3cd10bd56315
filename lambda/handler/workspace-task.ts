// Fan-out: the workspace task. One client of the agency per invocation: the same one-workspace run
// the single function makes (list, audit, archive, and the client's own email when the entry has
// recipients, once per schedule time), then a small summary and the CSV for the roll-up in S3.
import { configRunOptions, listDeadlineOf } from './run-options';
import type { Context } from 'aws-lambda';
import { objectCheckpointStore } from '../adapters/archive/checkpoint-store';
import { contentTypeFor, runRegistryKey, summaryKey } from '../adapters/archive/layout';
import { textOf } from '../adapters/archive/object-store';
import { createDialNexaClient, type DialNexaClient } from '../adapters/dialnexa';
import { compareListings } from '../adapters/dialnexa/listing';
import type { PassResult } from '../adapters/dialnexa/pages';
import { type CheckpointStore, ListingPaused, resumableLister } from '../adapters/dialnexa/resumable';
import { createSecretsManagerKeySource } from '../adapters/secrets/secrets-manager-key-source';
import { ConfigError, RunInProgressError } from '../core/errors';
import {
  caughtFailure,
  errorOf,
  failedSummary,
  registryVersionOf,
  summarizeRun,
  type WorkspaceSummary,
  workspaceClaimKey,
} from '../core/fan-out';
import type { NumberLister, WorkspaceSpec } from '../core/ports';
import { runAudit, type RunAuditOptions } from '../core/run-audit';
import type { Listing } from '../core/types';
import { outsideDomains, parseRegistry, type RegistryEntry, SETTINGS, withLowerCaseDomain } from '../settings';
import { createFanOutContext, type FanOutContext } from './fan-out-context';
import { METRIC } from './metric-names';
import { logger, metrics, MetricUnit, powertoolsLogger } from './observability';

/** What the state machine hands each iteration of the Map (and back to itself on `continue`). */
export interface WorkspaceTaskEvent {
  runKey: string;
  /** The run's registry copy as the plan step wrote it (Plan.registryVersion). */
  registryVersion: string;
  /** The client's place in that copy. */
  index: number;
  continuations: number;
  /** Set by the state machine after it caught this client's task failing: record it as the summary. */
  caught?: { Error?: string; Cause?: string };
}

/** The event with its registry entry, from the run's own copy of the registry. */
interface WorkspaceTask extends WorkspaceTaskEvent {
  entry: RegistryEntry;
}

export interface WorkspaceTaskResult extends WorkspaceTaskEvent {
  /** `continue`: call again with this result (a long listing goes on); `done`: the summary is in S3. */
  status: 'done' | 'continue';
  outcome: WorkspaceSummary['status'];
}

let shared: FanOutContext | undefined;
/** Created on the first invocation (not at import), so a test can set the environment first. */
function fanOut(): FanOutContext {
  shared ??= createFanOutContext();
  return shared;
}

export async function handler(event: unknown, context: Context): Promise<WorkspaceTaskResult> {
  powertoolsLogger.addContext(context);
  const ctx = fanOut();
  try {
    const task = await loadTask(ctx, event);
    powertoolsLogger.appendKeys({ workspace: task.entry.name, runKey: task.runKey });
    const key = summaryKey(task.runKey, task.entry.name, 'json');
    // A second delivery of the same schedule time: this client is done, nothing is listed again.
    const earlier = await ctx.store.get(key);
    if (earlier !== null) {
      const summary = JSON.parse(textOf(earlier)) as WorkspaceSummary;
      return { ...resultOf(task), status: 'done', outcome: summary.status };
    }
    // The state machine caught this client's task failing (a Lambda timeout): that is its summary.
    if (task.caught !== undefined) {
      const summary = failedSummary(task.entry.name, caughtFailure(task.caught));
      await ctx.store.put(key, `${JSON.stringify(summary)}\n`, 'application/json');
      recordClient(summary);
      return { ...resultOf(task), status: 'done', outcome: summary.status };
    }
    const audited = await auditClient(ctx, task, context);
    if (audited === 'paused') return { ...resultOf(task), status: 'continue', outcome: 'ok' };
    const { summary, csv } = audited;
    if (csv !== undefined)
      await ctx.store.put(summaryKey(task.runKey, task.entry.name, 'csv'), csv, contentTypeFor('x.csv'));
    await ctx.store.put(key, `${JSON.stringify(summary)}\n`, 'application/json');
    recordClient(summary);
    return { ...resultOf(task), status: 'done', outcome: summary.status };
  } finally {
    metrics.publishStoredMetrics();
    powertoolsLogger.resetKeys();
  }
}

function resultOf({ runKey, registryVersion, index, continuations }: WorkspaceTask): WorkspaceTaskEvent {
  return { runKey, registryVersion, index, continuations };
}

/** The run's registry copies, by run key and version: a warm container reads each once. */
const registries = new Map<string, RegistryEntry[]>();

/** The event and its entry, checked with the registry's own rules (the plan step checked them too). */
async function loadTask(ctx: FanOutContext, event: unknown): Promise<WorkspaceTask> {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  if (typeof e.runKey !== 'string' || !/^[A-Za-z0-9_-]{1,200}$/.test(e.runKey)) {
    throw new ConfigError('event.runKey', 'must be the run key the plan step made');
  }
  if (typeof e.registryVersion !== 'string') throw new ConfigError('event.registryVersion', "must be the plan's");
  if (!Number.isInteger(e.index)) throw new ConfigError('event.index', "must be an index of the run's registry");
  const { runKey, registryVersion } = e;
  const index = e.index as number;
  const registry =
    registries.get(`${runKey}/${registryVersion}`) ?? (await readRunRegistry(ctx, runKey, registryVersion));
  const entry = registry[index];
  if (entry === undefined)
    throw new ConfigError('event.index', `${index} is not an entry of ${runRegistryKey(runKey)}`);
  const continuations = typeof e.continuations === 'number' ? e.continuations : 0;
  const caught = typeof e.caught === 'object' && e.caught !== null ? (e.caught as WorkspaceTask['caught']) : undefined;
  return { runKey, registryVersion, index, entry, continuations, ...(caught ? { caught } : {}) };
}

/** One read of the run's copy; a copy the plan step wrote again since (another version) is refused, not mixed. */
async function readRunRegistry(ctx: FanOutContext, runKey: string, version: string): Promise<RegistryEntry[]> {
  const key = runRegistryKey(runKey);
  const stored = await ctx.store.get(key);
  if (stored === null) throw new ConfigError(key, 'is missing: the plan step writes it before any workspace task');
  const text = textOf(stored);
  if (registryVersionOf(text) !== version) {
    throw new ConfigError(
      key,
      'changed since this execution planned it (a later plan of the same run); re-run the client',
    );
  }
  const registry = parseRegistry(key, text, ctx.secretPrefix);
  registries.set(`${runKey}/${version}`, registry);
  return registry;
}

async function auditClient(
  ctx: FanOutContext,
  task: WorkspaceTask,
  context: Context,
): Promise<{ summary: WorkspaceSummary; csv?: Buffer } | 'paused'> {
  const { name } = task.entry;
  try {
    const outcome = await runAudit(ctx.deps, clientOptions(ctx, task, context));
    const summary = summarizeRun(name, outcome, ctx.config.triggers);
    return { summary, csv: outcome.status === 'duplicate' ? undefined : outcome.report.csv };
  } catch (error) {
    // Another invocation is sending this client's email right now: let Step Functions retry.
    if (error instanceof RunInProgressError) throw error;
    if (error instanceof ListingPaused) {
      logger.info('listing continues in the next invocation', { workspace: name, reason: error.message });
      return 'paused';
    }
    logger.error('workspace failed', { workspace: name, ...errorOf(error) });
    return { summary: failedSummary(name, errorOf(error)) };
  }
}

function clientOptions(ctx: FanOutContext, task: WorkspaceTask, context: Context): RunAuditOptions {
  const { config } = ctx;
  const { entry } = task;
  const recipients = entry.recipients?.map(withLowerCaseDomain);
  const outside = recipients && outsideDomains(recipients, config.allowedRecipientDomains);
  if (outside) {
    throw new ConfigError(
      `registry entry "${entry.name}" recipients`,
      `"${outside}" is not at one of the allowed recipient domains (${config.allowedRecipientDomains.join(', ')}); ` +
        `add its domain to the stack's ${SETTINGS.allowedRecipientDomains.context}`,
    );
  }
  const client = createDialNexaClient({
    baseUrl: config.baseUrl,
    keySource: createSecretsManagerKeySource({
      secretId: entry.secretId,
      field: entry.secretField ?? ctx.secretField,
      maxAgeSeconds: config.secretMaxAgeSeconds,
      client: ctx.secretsClient,
      settingName: `registry entry "${entry.name}" secretId`,
    }),
    logger,
  });
  // A listing too long for one invocation goes on in the next from its checkpoint.
  const store = objectCheckpointStore(ctx.store, task.runKey, entry.name);
  const workspace: WorkspaceSpec = {
    name: entry.name,
    lister: {
      ...verifyingLister(client, store),
      // The same checks as the single function's: agents, their folders, numbers nobody calls.
      listAgents: client.listAgents,
      listFolders: client.listFolders,
      listCalls: client.listCalls,
    },
  };
  return {
    ...configRunOptions(config),
    workspaces: [workspace],
    runId: context.awsRequestId,
    timeZone: entry.timeZone ?? config.timeZone,
    from: config.sender,
    to: recipients ?? config.recipients,
    // No recipients: audited and archived for the roll-up, no email of its own.
    dryRun: recipients === undefined,
    listDeadline: listDeadlineOf(config, context.getRemainingTimeInMillis()),
    onDemandHint:
      'Re-run this client from the Step Functions console: start an execution with {"only": ["<client name>"]}.',
    writeHistory: true,
    idempotencyKey: recipients ? workspaceClaimKey(task.runKey, entry.name) : undefined,
  };
}

function recordClient(summary: WorkspaceSummary): void {
  metrics.addMetric(METRIC.TotalNumbers, MetricUnit.Count, summary.numbers);
  metrics.addMetric(METRIC.FailedWorkspaces, MetricUnit.Count, summary.status === 'failed' ? 1 : 0);
  metrics.addMetric(METRIC.IncompleteListings, MetricUnit.Count, summary.status === 'incomplete' ? 1 : 0);
  logger.info('workspace task finished', { ...summary, error: summary.error?.code });
}

/**
 * The resumable listing, verified as the single function verifies one (the run's `verify`: list a
 * second time when DialNexa reports no total) when it ended in the invocation that began it. A
 * listing continued over invocations would take as long again to repeat: it stays unverified and
 * says so.
 */
function verifyingLister(client: DialNexaClient, store: CheckpointStore): NumberLister {
  let resumed = false;
  const watched: CheckpointStore = {
    load: async () => {
      const saved = await store.load();
      resumed = saved !== null;
      return saved;
    },
    save: (checkpoint, pages) => store.save(checkpoint, pages),
  };
  const resumable = resumableLister(client.listPages, watched, client.pageSize);
  return {
    async listAll(options = {}) {
      const listing = await resumable.listAll(options);
      if (options.verify !== true || listing.unverified === undefined) return listing;
      if (resumed) {
        return {
          ...listing,
          unverified: `${listing.unverified}; it was listed over several invocations, too long to list a second time`,
        };
      }
      return verifiedBy(listing, await client.listAll({ filters: options.filters, deadline: options.deadline }));
    },
  };
}

/** The first listing, checked against a second: verified when they agree, incomplete when they do not. */
function verifiedBy(first: Listing, second: Listing): Listing {
  const stats = {
    ...first.stats,
    requests: first.stats.requests + second.stats.requests,
    retries: first.stats.retries + second.stats.retries,
    rateLimited: first.stats.rateLimited + second.stats.rateLimited,
    durationMs: first.stats.durationMs + second.stats.durationMs,
    relisted: true,
  };
  if (!second.complete) {
    return {
      ...first,
      stats,
      unverified: `${first.unverified}; the second listing did not finish: ${second.incompleteReason}`,
    };
  }
  // The second listing had a total: it was checked against it like any listing.
  if (second.reportedTotal !== null) return { ...second, stats };
  const { unverified: _unverified, ...verified } = first;
  const asPass = (l: Listing): PassResult => ({
    records: l.records,
    invalid: [],
    totals: [],
    listedCount: l.records.length,
    stopReason: null,
  });
  const disagreement = compareListings(asPass(first), asPass(second));
  return disagreement === null
    ? { ...verified, stats }
    : { ...verified, complete: false, incompleteReason: disagreement, stats };
}
