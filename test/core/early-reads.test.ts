// Agents, their folders and page 1 of the usage sweep do not depend on the numbers, so a run asks
// for them while the numbers are being listed; a failure there is still reported where it is used,
// and one the run never gets to (the listing failed first) is not an unhandled rejection.
import { ApiError, PermissionError } from '../../lambda/core/errors';
import {
  type AgentLister,
  type CallLister,
  type FolderLister,
  type NumberLister,
  type RunAuditDeps,
  silentLogger,
} from '../../lambda/core/ports';
import type { RunAuditOptions } from '../../lambda/core/run-types';
import type { Listing } from '../../lambda/core/types';
import { auditWorkspaces } from '../../lambda/core/workspace-run';

const NOW = new Date('2026-03-02T09:00:00Z');
const listing: Listing = {
  records: [
    {
      id: 'a',
      phone_number: '+12015550101',
      status: 'active',
      inbound_agent_id: 'ag1',
      monthly_cost_usd: '2.15',
      created_at: '2024-01-01T00:00:00Z',
    },
  ],
  reportedTotal: 1,
  complete: true,
  stats: { pages: 1, requests: 1, retries: 0, rateLimited: 0, duplicatesDropped: 0, relisted: false, durationMs: 1 },
};
const deps = { now: () => NOW, logger: silentLogger } as unknown as RunAuditDeps;
const options = (lister: NumberLister): RunAuditOptions => ({
  workspaces: [{ name: 'Acme', lister }],
  runId: 'r1',
  timeZone: 'UTC',
  from: 'a@example.com',
  to: ['b@example.com'],
  onDemandHint: '-',
});

type Full = NumberLister & AgentLister & FolderLister & CallLister;

/** A lister whose listing waits until released, recording the order of every call. */
function gatedLister(overrides: Partial<Full> = {}, listResult: () => Promise<Listing> = async () => listing) {
  const events: string[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const lister: Full = {
    listAll: async () => {
      events.push('listAll start');
      await gate;
      events.push('listAll end');
      return listResult();
    },
    listAgents: async () => {
      events.push('agents');
      return [{ id: 'ag1', name: 'Support', folderId: 'f1' }];
    },
    listFolders: async () => {
      events.push('folders');
      return [{ id: 'f1', name: 'Care' }];
    },
    listCalls: async (q) => {
      events.push(`calls page ${q.page}`);
      return { calls: [], total: 0, totalPages: 1 };
    },
    ...overrides,
  };
  return { lister, events, release };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('agents, folders and the first calls page are asked for while the numbers are listed', async () => {
  const { lister, events, release } = gatedLister();
  const run = auditWorkspaces(deps, options(lister));
  for (let i = 0; i < 5; i++) await tick();
  expect(events).toEqual(['agents', 'calls page 1', 'listAll start', 'folders']);
  release();
  const { ok } = await run;
  expect(events.indexOf('listAll end')).toBe(events.length - 1);
  expect(ok[0].agents).toMatchObject({ status: 'checked' });
  expect(ok[0].usage).toMatchObject({ status: 'checked', requests: 1, sweepCovered: true });
  expect(ok[0].attribution.byFolder?.f1).toMatchObject({ name: 'Care' });
});

test('an agents read that failed early is still reported as skipped, and folders are not read', async () => {
  const { lister, events, release } = gatedLister({
    listAgents: async () => {
      throw new PermissionError('403 on agents');
    },
  });
  const run = auditWorkspaces(deps, options(lister));
  await tick();
  release();
  const { ok } = await run;
  expect(ok[0].agents).toMatchObject({ status: 'skipped', reason: expect.stringContaining('may not read agents') });
  expect(events).not.toContain('folders');
});

test('reads the run never uses, because the listing failed, are stopped and fail quietly', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    let agentsSignal: AbortSignal | undefined;
    let callsSignal: AbortSignal | undefined;
    const { lister, release } = gatedLister(
      {
        listAgents: async (options) => {
          agentsSignal = options?.signal;
          throw new ApiError('agents down', 503);
        },
        listCalls: async (_query, options) => {
          callsSignal = options?.signal;
          throw new ApiError('calls down', 503);
        },
      },
      async () => {
        throw new PermissionError('403 on numbers');
      },
    );
    const run = auditWorkspaces(deps, options(lister));
    release();
    await expect(run).rejects.toThrow(/403 on numbers/);
    for (let i = 0; i < 5; i++) await tick();
    expect(unhandled).toEqual([]);
    // And they are told to stop: no request or retry of theirs outlives the run.
    expect(agentsSignal?.aborted).toBe(true);
    expect(callsSignal?.aborted).toBe(true);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
