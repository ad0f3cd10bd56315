import { parseAgents } from '../../lambda/adapters/dialnexa/schema';
import { normalizeAgent, normalizeNumber } from '../../lambda/core/normalize';
import { agentName, checkAgents } from '../../lambda/core/agents';
import { UNKNOWN_COUNTRY } from '../../lambda/core/types';
import { phone } from './fixtures';

describe('checkAgents', () => {
  const agents = [
    { id: 'agt_sales', name: 'Sales bot' },
    { id: 'agt_unnamed', name: null },
  ];

  it('maps every agent id to its name, unnamed ones included', () => {
    const check = checkAgents([], agents);
    expect(check).toEqual({
      status: 'checked',
      agentCount: 2,
      names: { agt_sales: 'Sales bot', agt_unnamed: null },
      missing: [],
    });
  });

  it('flags numbers routed to an agent the workspace does not have, sorted by country then number', () => {
    const check = checkAgents(
      [
        phone({ id: 'ok', inboundAgentId: 'agt_sales' }),
        phone({ id: 'ok-unnamed', inboundAgentId: 'agt_unnamed' }),
        phone({ id: 'unrouted', inboundAgentId: null }),
        phone({ id: 'us2', countryCode: 'US', phoneNumber: '+12015550002', inboundAgentId: 'agt_gone' }),
        phone({ id: 'unknown', countryCode: UNKNOWN_COUNTRY, phoneNumber: '+999100', inboundAgentId: 'agt_gone' }),
        phone({ id: 'gb', countryCode: 'GB', phoneNumber: '+447911123456', inboundAgentId: 'agt_old' }),
        phone({
          id: 'us1',
          countryCode: 'US',
          phoneNumber: '+12015550001',
          inboundAgentId: 'agt_gone',
          status: 'expired',
        }),
      ],
      agents,
    );
    expect(check.status === 'checked' && check.missing.map((n) => n.id)).toEqual(['gb', 'us1', 'us2', 'unknown']);
  });

  it('flags everything routed when the workspace has no agents, and never matches Object.prototype names', () => {
    const check = checkAgents(
      [phone({ id: 'a', inboundAgentId: 'constructor' }), phone({ id: 'b', inboundAgentId: 'agt_1' })],
      [],
    );
    expect(check.status === 'checked' && check.missing.map((n) => n.id)).toEqual(['a', 'b']);
    expect(check.status === 'checked' && check.agentCount).toBe(0);
  });

  it('counts an agent listed twice once', () => {
    const check = checkAgents([], [...agents, { id: 'agt_sales', name: 'Sales bot' }]);
    expect(check.status === 'checked' && check.agentCount).toBe(2);
  });
});

describe('agentName', () => {
  const check = checkAgents(
    [],
    [
      { id: 'agt_sales', name: 'Sales bot' },
      { id: 'agt_unnamed', name: null },
    ],
  );

  it('names a known agent, and is null for unnamed, unknown, no agent or no check', () => {
    expect(agentName(check, 'agt_sales')).toBe('Sales bot');
    expect(agentName(check, 'agt_unnamed')).toBeNull();
    expect(agentName(check, 'agt_gone')).toBeNull();
    expect(agentName(check, 'toString')).toBeNull();
    expect(agentName(check, null)).toBeNull();
    expect(agentName(undefined, 'agt_sales')).toBeNull();
    expect(agentName({ status: 'skipped', reason: '403' }, 'agt_sales')).toBeNull();
  });
});

describe('checkAgents: agent ids are API data', () => {
  it.each(['__proto__', 'constructor', 'toString'])('finds an agent whose id is %s', (id) => {
    const check = checkAgents([phone({ inboundAgentId: id })], [{ id, name: 'Odd' }]);
    expect(check.status === 'checked' && check.missing).toEqual([]);
    expect(agentName(check, id)).toBe('Odd');
    expect(check.status === 'checked' && check.agentCount).toBe(1);
  });

  it('matches a number to its agent when the API decorates the id with invisible marks on one side', () => {
    const number = normalizeNumber({ id: 'phn_1', phone_number: '+12015550100', inbound_agent_id: 'agt_\u200b1' });
    const [agent] = parseAgents({ agents: [{ id: 'agt_1\u202c', current_version: { title: 'Front\u0000desk' } }] });
    const check = checkAgents([number], [normalizeAgent(agent)]);
    expect(check.status === 'checked' && check.missing).toEqual([]);
    expect(agentName(check, number.inboundAgentId)).toBe('Front desk');
  });
});
