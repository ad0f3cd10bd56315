// The one audit run every entry point (Lambda, CLI, demo) calls:
//   [claim check] -> audit every workspace -> [claim] -> render, build the email, send -> archive.
// Adapters come in through `deps`; nothing here touches AWS, the network or the clock directly.
import { auditNumbers } from './audit';
import { alreadySent, runClaimOf, sendOnce, UNCLAIMED, type SendHooks } from './claim';
import { type ArchiveRequest, archiveRuns, type ArchiveResult, prepareRun } from './history';
import type { RunAuditDeps } from './ports';
import type { AuditRun, RunAuditOptions, RunOutcome } from './run-types';
import { renderForSend, sendRendered } from './send-report';
import { auditWorkspaces, type AuditedWorkspaces } from './workspace-run';

// Entry points take the run's contract from here, with runAudit.
export type { ArchivedLocation, AuditRun, DuplicateRun, RunAuditOptions, RunOutcome } from './run-types';

export async function runAudit(deps: RunAuditDeps, options: RunAuditOptions): Promise<RunOutcome> {
  if (options.workspaces.length === 0) throw new Error('runAudit: at least one workspace is required');
  const claim = runClaimOf(deps, options);
  const done = claim && (await alreadySent(claim));
  if (done) return done;
  // List and audit before claiming: the claim is then held only for the seconds between rendering
  // and sending, so an attempt that dies while listing leaves nothing for its retry to wait out.
  // (Two concurrent deliveries both list; only one sends.)
  const audited = await auditWorkspaces(deps, options);
  const send = (hooks: SendHooks) => reportAndArchive(deps, options, audited, hooks);
  return claim ? sendOnce(claim, send) : send(UNCLAIMED);
}

async function reportAndArchive(
  deps: RunAuditDeps,
  options: RunAuditOptions,
  { filters, outcomes, ok }: AuditedWorkspaces,
  hooks: SendHooks,
): Promise<AuditRun> {
  const rendered = renderForSend(deps, options, outcomes);
  const archive = options.writeHistory ? deps.archive : undefined;
  const request: ArchiveRequest = {
    runId: options.runId,
    workspaces: ok,
    single: ok.length === 1 && outcomes.length === 1,
    context: rendered.context,
    report: rendered.report,
  };
  // A one-workspace run's files render while its email is built (its CSV gzipped in the thread
  // pool), so before the send; they are written only after it. Runs of several workspaces render
  // and write one workspace at a time after the send, holding one workspace's files at a time.
  const ahead = archive && request.single ? Promise.resolve().then(() => prepareRun(request, ok[0])) : undefined;
  const [sent, ready] = await Promise.all([sendRendered(deps, options, rendered, hooks), ahead]);
  const { archived, failures }: ArchiveResult = archive
    ? await archiveRuns(archive, request, deps.logger, ready)
    : { archived: [], failures: [] };
  const failedWorkspaces = outcomes.length - ok.length;
  return {
    status: sent.dryRun ? 'dry-run' : 'sent',
    runId: options.runId,
    generatedAt: rendered.context.generatedAt,
    filters,
    workspaces: outcomes,
    // One workspace: its audit already is the combined one (auditing 100k numbers again costs ~50 ms).
    combined: ok.length === 1 ? ok[0].audit : auditNumbers(ok.flatMap((o) => o.numbers)),
    complete: failedWorkspaces === 0 && ok.every((o) => o.complete),
    failedWorkspaces,
    report: rendered.report,
    email: sent.email,
    dryRun: sent.dryRun,
    archived,
    archiveFailures: failures.length,
    warnings: [...sent.warnings, ...failures],
  };
}
