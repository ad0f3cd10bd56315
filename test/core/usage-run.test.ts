// The usage check inside a workspace's run: on by default, off with checkUsage: false, and a key
// that may not read calls (403) still gets its report, with a note instead of the finding.
import { PermissionError } from '../../lambda/core/errors';
import { silentLogger, type CallLister, type NumberLister, type RunAuditDeps } from '../../lambda/core/ports';
import type { RunAuditOptions } from '../../lambda/core/run-types';
import type { Listing, NumberRecord } from '../../lambda/core/types';
import { auditWorkspaces } from '../../lambda/core/workspace-run';
import { actionReasons } from '../../lambda/core/workspace';
import { DEFAULT_ACTION_TRIGGERS } from '../../lambda/core/types';
import { toWorkspaceAuditJson } from '../../lambda/core/audit-json';
import { renderText } from '../../lambda/core/report';
import { reportContext } from './fixtures';

const NOW = new Date('2026-03-02T09:00:00Z');
const records: NumberRecord[] = [
  {
    id: 'a',
    phone_number: '+12015550101',
    status: 'active',
    inbound_agent_id: 'x',
    monthly_cost_usd: '2.15',
    created_at: '2024-01-01T00:00:00Z',
  },
  {
    id: 'b',
    phone_number: '+12015550102',
    status: 'active',
    inbound_agent_id: 'x',
    monthly_cost_usd: '1.15',
    created_at: '2024-01-01T00:00:00Z',
  },
];
const listing: Listing = {
  records,
  reportedTotal: 2,
  complete: true,
  stats: { pages: 1, requests: 1, retries: 0, rateLimited: 0, duplicatesDropped: 0, relisted: false, durationMs: 1 },
};

function lister(calls: CallLister['listCalls']): NumberLister & CallLister {
  return { listAll: async () => listing, listCalls: calls };
}
const deps = { now: () => NOW, logger: silentLogger } as unknown as RunAuditDeps;
const options = (l: NumberLister, extra: Partial<RunAuditOptions> = {}): RunAuditOptions => ({
  workspaces: [{ name: 'Acme', lister: l }],
  runId: 'r1',
  timeZone: 'UTC',
  from: 'a@example.com',
  to: ['b@example.com'],
  onDemandHint: '-',
  ...extra,
});

test('numbers nobody calls reach the audit, audit.json and the email', async () => {
  const l = lister(async (q) => ({
    calls:
      q.page === 1 && !q.to && !q.from
        ? [{ to: '+12015550101', from: '+14155550100', at: '2026-03-01T00:00:00Z' }]
        : [],
    total: null,
    totalPages: null,
  }));
  const { ok } = await auditWorkspaces(deps, options(l, { usageWindowDays: 7 }));
  const [ws] = ok;
  expect(ws.usage?.status).toBe('checked');
  const json = toWorkspaceAuditJson(ws, NOW);
  expect(json.usage).toMatchObject({
    status: 'checked',
    windowDays: 7,
    checkedAt: NOW.toISOString(),
    idleCount: 1,
    idleMonthly: 1.15,
    usedCount: 1,
    unknownCount: 0,
    requests: 2,
    idle: [
      {
        id: 'b',
        phoneNumber: '+12015550102',
        countryCode: 'US',
        type: 'local',
        monthlyCost: 1.15,
        createdAt: '2024-01-01T00:00:00Z',
      },
    ],
  });
  const text = renderText({ ...reportContext([]), workspaces: [ws] });
  expect(text).toContain('NUMBERS NOBODY CALLS');
  expect(text).toContain('1 active number had no call in or out in the last 7 days: $1.15 a month.');
});

test('a 403 on calls degrades with a note; checkUsage: false sends no call request', async () => {
  const denied = lister(async () => {
    throw new PermissionError('no calls for you');
  });
  const { ok } = await auditWorkspaces(deps, options(denied));
  expect(ok[0].usage).toEqual({ status: 'skipped', reason: expect.stringMatching(/may not read calls \(403\)/) });
  expect(renderText({ ...reportContext([]), workspaces: [ok[0]] })).toContain('Usage not checked:');

  let asked = 0;
  const counting = lister(async () => {
    asked += 1;
    return { calls: [], total: null, totalPages: null };
  });
  const off = await auditWorkspaces(deps, options(counting, { checkUsage: false }));
  expect(off.ok[0].usage).toBeUndefined();
  expect(asked).toBe(0);
  expect(toWorkspaceAuditJson(off.ok[0], NOW).usage).toBeNull();
});

test('the idle trigger is off by default and fires only when switched on', async () => {
  const l = lister(async () => ({ calls: [], total: null, totalPages: null }));
  const { outcomes } = await auditWorkspaces(deps, options(l));
  const none = {
    unrouted: false,
    missingAgents: false,
    removedNumbers: false,
    failedWorkspaces: false,
    unreconciled: false,
  };
  expect(actionReasons(outcomes, { ...DEFAULT_ACTION_TRIGGERS, unrouted: false })).toEqual([]);
  expect(actionReasons(outcomes, { ...none, idle: true })).toEqual(['idle']);
});
