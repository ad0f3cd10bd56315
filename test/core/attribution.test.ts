// Cost by use case: every number's cost goes to its agent and that agent's folder, and the parts
// add up to totalMonthly to the cent whatever the portfolio and the agent/folder layout.
import fc from 'fast-check';
import { checkAgents } from '../../lambda/core/agents';
import { attributeCosts, NO_FOLDER, type UseCaseInput } from '../../lambda/core/attribution';
import { auditNumbers, toCents } from '../../lambda/core/audit';
import { PermissionError } from '../../lambda/core/errors';
import { silentLogger } from '../../lambda/core/ports';
import type { Agent, PhoneNumber } from '../../lambda/core/types';
import { auditWorkspaces } from '../../lambda/core/workspace-run';
import { phone } from './fixtures';

function input(numbers: PhoneNumber[], agents: Agent[], folders: UseCaseInput['folders']): UseCaseInput {
  return { agents: checkAgents(numbers, agents), agentList: agents, folders };
}

const sumCents = (values: number[]) => values.reduce((s, v) => s + toCents(v), 0);

describe('attributeCosts: sums', () => {
  it('agents + unrouted + unattributed = totalMonthly and folders = agents, to the cent, for any layout', () => {
    const agentIds = ['agt_a', 'agt_b', 'agt_c', 'agt_gone', 'constructor'];
    const folderIds = ['fld_1', 'fld_2', '__proto__'];
    const number = fc.record({
      agent: fc.option(fc.constantFrom(...agentIds), { nil: null }),
      status: fc.constantFrom('active', 'pending', 'expired', null),
      cents: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
    });
    const layout = fc.array(fc.option(fc.constantFrom(...folderIds), { nil: null }), {
      minLength: agentIds.length - 1,
      maxLength: agentIds.length - 1,
    });
    fc.assert(
      fc.property(fc.array(number, { maxLength: 60 }), layout, fc.boolean(), (drawn, folderOf, foldersRead) => {
        const numbers = drawn.map((d, i) =>
          phone({
            id: `phn_${i}`,
            phoneNumber: `+1201555${String(i).padStart(4, '0')}`,
            inboundAgentId: d.agent,
            status: d.status,
            monthlyCostUsd: d.cents === null ? null : d.cents / 100,
          }),
        );
        // agt_gone is routed to but does not exist.
        const agents = agentIds
          .filter((id) => id !== 'agt_gone')
          .map((id, i) => ({ id, name: id.toUpperCase(), folderId: folderOf[i] ?? null }));
        const folders: UseCaseInput['folders'] = foldersRead
          ? { status: 'read', folders: folderIds.map((id) => ({ id, name: `Team ${id}` })) }
          : { status: 'skipped', reason: 'outage' };
        const a = attributeCosts(numbers, input(numbers, agents, folders));
        const total = toCents(auditNumbers(numbers).cost.totalMonthly);
        const byAgent = Object.values(a.byAgent);
        const byFolder = Object.values(a.byFolder ?? {});
        expect(sumCents([...byAgent.map((x) => x.totalMonthly), a.unroutedMonthly, a.unattributedMonthly])).toBe(total);
        expect(sumCents(byFolder.map((x) => x.totalMonthly))).toBe(sumCents(byAgent.map((x) => x.totalMonthly)));
        const routed = numbers.filter((n) => n.inboundAgentId !== null);
        expect(byAgent.reduce((s, x) => s + x.numbers, 0)).toBe(routed.length);
        expect(byFolder.reduce((s, x) => s + x.numbers, 0)).toBe(routed.length);
        expect(byAgent.reduce((s, x) => s + x.unknownCount, 0)).toBe(
          routed.filter((n) => n.monthlyCostUsd === null).length,
        );
        // Keys from API data live in null-prototype records.
        expect(Object.getPrototypeOf(a.byAgent)).toBeNull();
        expect(Object.getPrototypeOf(a.byFolder)).toBeNull();
      }),
    );
  });
});

describe('attributeCosts: agents and folders', () => {
  const numbers = [
    phone({ id: '1', phoneNumber: '+12015550001', inboundAgentId: 'agt_sales', monthlyCostUsd: 1.15 }),
    phone({ id: '2', phoneNumber: '+12015550002', inboundAgentId: 'agt_sales', monthlyCostUsd: null }),
    phone({ id: '3', phoneNumber: '+12015550003', inboundAgentId: 'agt_lone', monthlyCostUsd: 2 }),
    phone({ id: '4', phoneNumber: '+12015550004', inboundAgentId: 'agt_deleted', monthlyCostUsd: 3 }),
    phone({ id: '5', phoneNumber: '+12015550005', inboundAgentId: null, monthlyCostUsd: 0.1 }),
    phone({ id: '6', phoneNumber: '+12015550006', inboundAgentId: null, monthlyCostUsd: 0.2 }),
    phone({ id: '7', phoneNumber: '+12015550007', inboundAgentId: null, status: 'expired', monthlyCostUsd: 5 }),
  ];
  const agents: Agent[] = [
    { id: 'agt_sales', name: 'Sales line', folderId: 'fld_sales' },
    { id: 'agt_lone', name: 'Lone', folderId: null },
  ];

  it('names each agent and its folder; a missing agent is flagged, nameless and folderless', () => {
    const a = attributeCosts(
      numbers,
      input(numbers, agents, { status: 'read', folders: [{ id: 'fld_sales', name: 'Sales' }] }),
    );
    expect(a.byAgent.agt_sales).toEqual({
      name: 'Sales line',
      folderId: 'fld_sales',
      numbers: 2,
      totalMonthly: 1.15,
      unknownCount: 1,
      missing: false,
    });
    expect(a.byAgent.agt_deleted).toEqual({
      name: null,
      folderId: null,
      numbers: 1,
      totalMonthly: 3,
      unknownCount: 0,
      missing: true,
    });
    expect(Object.keys(a.byAgent)).toEqual(['agt_deleted', 'agt_lone', 'agt_sales']);
    expect(a.byFolder).toEqual({
      [NO_FOLDER]: { name: null, numbers: 2, totalMonthly: 5, unknownCount: 0 },
      fld_sales: { name: 'Sales', numbers: 2, totalMonthly: 1.15, unknownCount: 1 },
    });
    expect(a.unroutedMonthly).toBe(0.3);
    expect(a.unroutedUnknownCount).toBe(0);
    expect(a.unattributedMonthly).toBe(5);
    expect(a.folders).toEqual({ status: 'read', folderCount: 1 });
  });

  it('folders unreadable: costs still by agent and by folder id, with no names and the reason', () => {
    const a = attributeCosts(numbers, input(numbers, agents, { status: 'skipped', reason: 'no access (403)' }));
    expect(a.byFolder?.fld_sales).toEqual({ name: null, numbers: 2, totalMonthly: 1.15, unknownCount: 1 });
    expect(a.folders).toEqual({ status: 'skipped', reason: 'no access (403)' });
  });

  it('agents unreadable: by agent id only, nothing called missing, no folders', () => {
    const a = attributeCosts(numbers, {
      agents: { status: 'skipped', reason: '403' },
      agentList: [],
      folders: undefined,
    });
    expect(a.byAgent.agt_deleted?.missing).toBe(false);
    expect(a.byAgent.agt_sales?.name).toBeNull();
    expect(a.byFolder).toBeNull();
    expect(a.folders).toBeUndefined();
  });
});

describe('a run whose key may not read folders', () => {
  it('still attributes by agent and says why the folder names are missing', async () => {
    const records = [
      { id: 'phn_1', phone_number: '+12015550100', inbound_agent_id: 'agt_1', monthly_cost_usd: '1.50' },
    ];
    const lister = {
      listAll: async () => ({
        records,
        reportedTotal: 1,
        complete: true,
        stats: {
          pages: 1,
          requests: 1,
          retries: 0,
          rateLimited: 0,
          duplicatesDropped: 0,
          relisted: false,
          durationMs: 1,
        },
      }),
      listAgents: async () => [{ id: 'agt_1', name: 'Front desk\u202e', folderId: 'fld_1' }],
      listFolders: async (): Promise<never> => {
        throw new PermissionError('403');
      },
    };
    const { ok } = await auditWorkspaces(
      {
        emailBuilder: { build: async () => Promise.reject(new Error('unused')) },
        now: () => new Date(),
        logger: silentLogger,
      },
      {
        workspaces: [{ name: 'w', lister }],
        runId: 'r',
        timeZone: 'UTC',
        from: 'a@b.c',
        to: ['d@e.f'],
        onDemandHint: '',
      },
    );
    const [ws] = ok;
    // The agent's name is API text: its bidi override is gone.
    expect(ws.attribution.byAgent.agt_1).toMatchObject({ name: 'Front desk', folderId: 'fld_1', totalMonthly: 1.5 });
    expect(ws.attribution.byFolder).toEqual({ fld_1: { name: null, numbers: 1, totalMonthly: 1.5, unknownCount: 0 } });
    expect(ws.attribution.folders).toEqual({
      status: 'skipped',
      reason: expect.stringMatching(/may not read folders \(403\)/),
    });
  });
});
