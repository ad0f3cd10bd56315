import { diffSnapshots, hasChanges } from '../../lambda/core/changes';
import { toSnapshot } from '../../lambda/core/snapshot';
import type { PhoneNumber } from '../../lambda/core/types';
import { phone } from './fixtures';

const num = (over: Partial<PhoneNumber> & { id: string; phoneNumber: string }): PhoneNumber =>
  phone({ inboundAgentId: 'agent-a', ...over });

const lastWeek = new Date('2026-11-23T09:00:00Z');

// Last week's workspace.
const steady = num({ id: 'steady', phoneNumber: '+12025550001' });
const rerouted = num({ id: 'rerouted', phoneNumber: '+12025550002', inboundAgentId: 'agent-b' });
const losesAgent = num({
  id: 'loses',
  phoneNumber: '+919000000001',
  countryCode: 'IN',
  type: 'mobile',
  inboundAgentId: 'agent-d',
});
const getsAgent = num({
  id: 'gets',
  phoneNumber: '+919000000002',
  countryCode: 'IN',
  type: 'mobile',
  inboundAgentId: null,
});
const gone = num({ id: 'gone', phoneNumber: '+448000000001', countryCode: 'GB', type: 'toll_free' });
const expires = num({ id: 'expires', phoneNumber: '+12025550003', inboundAgentId: null });
const mystery = num({
  id: 'mystery',
  phoneNumber: '+999100',
  countryCode: 'unknown',
  type: 'unknown',
  status: null,
  inboundAgentId: null,
});
const previous = toSnapshot('Acme', lastWeek, true, [steady, rerouted, losesAgent, getsAgent, gone, expires, mystery]);

// This week's.
const current: PhoneNumber[] = [
  steady,
  { ...rerouted, inboundAgentId: 'agent-c' },
  { ...losesAgent, inboundAgentId: null },
  { ...getsAgent, inboundAgentId: 'agent-e' },
  { ...expires, status: 'expired' },
  mystery,
  num({ id: 'new-in', phoneNumber: '+919000000003', countryCode: 'IN', type: 'mobile', inboundAgentId: null }),
  num({ id: 'new-unknown', phoneNumber: '+999200', countryCode: 'unknown', type: 'unknown' }),
  num({ id: 'new-gb', phoneNumber: '+442000000001', countryCode: 'GB', type: 'local' }),
];

describe('diffSnapshots', () => {
  const changes = diffSnapshots(previous, current);

  it('names the baseline', () => {
    expect(changes.previousGeneratedAt).toBe('2026-11-23T09:00:00.000Z');
  });

  it('lists added numbers by country (unknown last) and removed numbers', () => {
    expect(changes.added.map((n) => n.id)).toEqual(['new-gb', 'new-in', 'new-unknown']);
    expect(changes.added[1]).toEqual({
      id: 'new-in',
      phoneNumber: '+919000000003',
      countryCode: 'IN',
      type: 'mobile',
      status: 'active',
      inboundAgentId: null,
      nickname: null,
    });
    expect(changes.removed.map((n) => n.id)).toEqual(['gone']);
  });

  it('lists every routing change with from and to, including agents set and cleared', () => {
    expect(changes.routingChanged).toEqual([
      { id: 'loses', phoneNumber: '+919000000001', countryCode: 'IN', from: 'agent-d', to: null },
      { id: 'gets', phoneNumber: '+919000000002', countryCode: 'IN', from: null, to: 'agent-e' },
      { id: 'rerouted', phoneNumber: '+12025550002', countryCode: 'US', from: 'agent-b', to: 'agent-c' },
    ]);
  });

  it('lists status changes', () => {
    expect(changes.statusChanged).toEqual([
      { id: 'expires', phoneNumber: '+12025550003', countryCode: 'US', from: 'active', to: 'expired' },
    ]);
  });

  it('calls out numbers that lost their agent and numbers no longer unrouted; an added unrouted number only under added', () => {
    expect(changes.newlyUnrouted.map((n) => n.id)).toEqual(['loses']);
    expect(changes.newlyFixed.map((n) => n.id)).toEqual(['gets', 'expires']);
  });

  it('gives only non-zero count deltas, in report order', () => {
    // Type order is the report's (ALL_NUMBER_TYPES). Countries: IN 2 -> 3, GB 1 -> 1, US 3 -> 3, unknown 1 -> 2. Types: local 3 -> 4, mobile 2 -> 3, toll_free 1 -> 0, unknown 1 -> 2.
    expect(changes.countDelta.byCountry).toEqual({ IN: 1, unknown: 1 });
    expect(Object.keys(changes.countDelta.byCountry)).toEqual(['IN', 'unknown']);
    expect(changes.countDelta.byType).toEqual({ local: 1, mobile: 1, toll_free: -1, unknown: 1 });
    expect(Object.keys(changes.countDelta.byType)).toEqual(['local', 'toll_free', 'mobile', 'unknown']);
    expect(hasChanges(changes)).toBe(true);
  });

  it('treats a status-less number without an agent as unrouted, like the audit', () => {
    const before = toSnapshot('Acme', lastWeek, true, [num({ id: 'x', phoneNumber: '+12025550009', status: null })]);
    const out = diffSnapshots(before, [
      num({ id: 'x', phoneNumber: '+12025550009', status: null, inboundAgentId: null }),
    ]);
    expect(out.newlyUnrouted.map((n) => n.id)).toEqual(['x']);
    expect(out.statusChanged).toEqual([]);
  });

  it('reports nothing when nothing changed, whatever the input order', () => {
    const same = diffSnapshots(
      previous,
      [...previous.numbers].reverse().map((n) => num({ ...n })),
    );
    expect(same).toEqual({
      previousGeneratedAt: previous.generatedAt,
      added: [],
      removed: [],
      routingChanged: [],
      statusChanged: [],
      newlyUnrouted: [],
      newlyFixed: [],
      countDelta: { byCountry: {}, byType: {} },
    });
    expect(hasChanges(same)).toBe(false);
  });
});
