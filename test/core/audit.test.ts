import fc from 'fast-check';
import { auditNumbers, centsFromDecimal, NO_STATUS, toCents, UNKNOWN_PROVIDER } from '../../lambda/core/audit';
import { ALL_NUMBER_TYPES, UNKNOWN_COUNTRY, type NumberType, type PhoneNumber } from '../../lambda/core/types';
import { mulberry32, pick } from '../../simulator/prng';
import { phone } from './fixtures';

describe('auditNumbers: unrouted and not active', () => {
  it('flags active and status-less numbers without an agent, never pending or expired ones', () => {
    const audit = auditNumbers([
      phone({ id: 'active-no-agent', status: 'active', inboundAgentId: null }),
      phone({ id: 'no-status-no-agent', status: null, inboundAgentId: null }),
      phone({ id: 'pending-no-agent', status: 'pending', inboundAgentId: null }),
      phone({ id: 'expired-no-agent', status: 'expired', inboundAgentId: null }),
      phone({ id: 'active-routed', status: 'active', inboundAgentId: 'agt_9' }),
      phone({ id: 'no-status-routed', status: null, inboundAgentId: 'agt_9' }),
    ]);
    expect(audit.unrouted.map((n) => n.id).sort()).toEqual(['active-no-agent', 'no-status-no-agent']);
    expect(audit.notActive.map((n) => n.id).sort()).toEqual(['expired-no-agent', 'pending-no-agent']);
  });

  it('sorts unrouted and not-active numbers by country (unknown last) then number', () => {
    const unrouted = (id: string, countryCode: string, phoneNumber: string) =>
      phone({ id, countryCode, phoneNumber, inboundAgentId: null });
    const audit = auditNumbers([
      unrouted('u1', UNKNOWN_COUNTRY, '+999123'),
      unrouted('us2', 'US', '+12015550199'),
      unrouted('gb', 'GB', '+447911123456'),
      unrouted('us1', 'US', '+12015550100'),
      unrouted('in', 'IN', '+919876543210'),
      phone({ id: 'p-us', countryCode: 'US', phoneNumber: '+12015550001', status: 'pending' }),
      phone({ id: 'p-gb', countryCode: 'GB', phoneNumber: '+442071838750', status: 'expired' }),
    ]);
    expect(audit.unrouted.map((n) => n.id)).toEqual(['gb', 'in', 'us1', 'us2', 'u1']);
    expect(audit.notActive.map((n) => n.id)).toEqual(['p-gb', 'p-us']);
  });
});

describe('auditNumbers: counts', () => {
  const countries = ['US', 'GB', 'IN', 'DE', UNKNOWN_COUNTRY];
  const statuses = ['active', 'active', 'pending', 'expired', null];
  const providers = ['twilio', 'plivo', null];

  function generated(size: number, seed: number): PhoneNumber[] {
    const rnd = mulberry32(seed);
    return Array.from({ length: size }, (_, i) =>
      phone({
        id: `phn_${i}`,
        phoneNumber: `+1201555${String(i).padStart(4, '0')}`,
        countryCode: pick(rnd, countries),
        type: pick(rnd, ALL_NUMBER_TYPES),
        status: pick(rnd, statuses),
        inboundAgentId: rnd() < 0.3 ? null : `agt_${i}`,
        provider: pick(rnd, providers),
        monthlyCostUsd: rnd() < 0.2 ? null : Math.round(rnd() * 500) / 100,
      }),
    );
  }

  it.each([1, 2, 3])('keeps the matrix, the margins and the total in agreement (seed %i)', (seed) => {
    const numbers = generated(700, seed);
    const audit = auditNumbers(numbers);
    expect(audit.total).toBe(700);
    let cells = 0;
    for (const [country, row] of Object.entries(audit.byCountryType)) {
      expect(Object.keys(row)).toEqual([...ALL_NUMBER_TYPES]);
      const rowSum = ALL_NUMBER_TYPES.reduce((s, t) => s + row[t], 0);
      expect(rowSum).toBe(audit.byCountry[country]);
      cells += rowSum;
    }
    expect(cells).toBe(audit.total);
    for (const t of ALL_NUMBER_TYPES) {
      const column = Object.values(audit.byCountryType).reduce((s, row) => s + row[t], 0);
      expect(column).toBe(audit.byType[t]);
    }
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(sum(audit.byStatus)).toBe(700);
    expect(sum(audit.byProvider)).toBe(700);
    expect(audit.cost.knownCount + audit.cost.unknownCount).toBe(700);
    // Independent oracle for the cost: sum whole cents directly.
    const cents = numbers.reduce((s, n) => s + (n.monthlyCostUsd === null ? 0 : Math.round(n.monthlyCostUsd * 100)), 0);
    expect(audit.cost.totalMonthly).toBe(cents / 100);
    expect(audit.unrouted.every((n) => n.inboundAgentId === null && (n.status === 'active' || n.status === null))).toBe(
      true,
    );
  });

  it('lists every type, with zeros, even when none is present', () => {
    const audit = auditNumbers([phone({ type: 'mobile', countryCode: 'IN' })]);
    expect(audit.byType).toEqual({ local: 0, toll_free: 0, mobile: 1, unknown: 0 });
    expect(audit.byCountryType).toEqual({ IN: { local: 0, toll_free: 0, mobile: 1, unknown: 0 } });
  });

  it('orders countries by count, then code, with unknown last whatever its count', () => {
    const many = (countryCode: string, k: number) => Array.from({ length: k }, () => phone({ countryCode }));
    const audit = auditNumbers([
      ...many(UNKNOWN_COUNTRY, 9),
      ...many('IN', 2),
      ...many('GB', 5),
      ...many('DE', 2),
      ...many('US', 5),
    ]);
    expect(Object.keys(audit.byCountry)).toEqual(['GB', 'US', 'DE', 'IN', UNKNOWN_COUNTRY]);
    expect(Object.keys(audit.byCountryType)).toEqual(Object.keys(audit.byCountry));
  });

  it('counts a missing status under "none" and a missing provider under "unknown", both last', () => {
    const audit = auditNumbers([
      phone({ status: null, provider: null }),
      phone({ status: null, provider: null }),
      phone({ status: 'active', provider: 'twilio' }),
      phone({ status: 'pending', provider: 'plivo' }),
    ]);
    expect(audit.byStatus).toEqual({ active: 1, pending: 1, [NO_STATUS]: 2 });
    expect(Object.keys(audit.byStatus).at(-1)).toBe(NO_STATUS);
    expect(audit.byProvider).toEqual({ plivo: 1, twilio: 1, [UNKNOWN_PROVIDER]: 2 });
    expect(Object.keys(audit.byProvider).at(-1)).toBe(UNKNOWN_PROVIDER);
  });

  it('gives an empty inventory zeros, not missing keys', () => {
    const audit = auditNumbers([]);
    expect(audit).toMatchObject({ total: 0, byCountry: {}, byCountryType: {}, unrouted: [], notActive: [] });
    expect(audit.byType).toEqual({ local: 0, toll_free: 0, mobile: 0, unknown: 0 });
    expect(audit.cost).toEqual({
      currency: 'USD',
      totalMonthly: 0,
      byCountry: {},
      byType: {},
      byCountryType: {},
      knownCount: 0,
      unknownCount: 0,
      sources: { api: 0, 'rate-card': 0, unknown: 0 },
    });
  });
});

describe('auditNumbers: cost', () => {
  const priced = (monthlyCostUsd: number | null, countryCode = 'US', type: NumberType = 'local') =>
    phone({ monthlyCostUsd, countryCode, type });

  it('sums in whole cents, so 0.1 + 0.2 is exactly 0.3', () => {
    const audit = auditNumbers([priced(0.1), priced(0.2)]);
    expect(audit.cost.totalMonthly).toBe(0.3);
    expect(audit.cost.byCountry.US).toBe(0.3);
  });

  it('adds a thousand 1.15s to exactly 1150', () => {
    const audit = auditNumbers(Array.from({ length: 1000 }, () => priced(1.15)));
    expect(audit.cost.totalMonthly).toBe(1150);
  });

  it('splits by country, type and country x type, listing only what has a known cost', () => {
    const audit = auditNumbers([
      priced(1.15, 'US', 'local'),
      priced(2, 'US', 'toll_free'),
      priced(0.55, 'GB', 'mobile'),
      priced(0.45, 'GB', 'mobile'),
      priced(null, 'IN', 'mobile'),
      priced(null, 'US', 'mobile'),
    ]);
    expect(audit.cost).toEqual({
      currency: 'USD',
      totalMonthly: 4.15,
      byCountry: { US: 3.15, GB: 1 },
      byType: { local: 1.15, toll_free: 2, mobile: 1 },
      byCountryType: { US: { local: 1.15, toll_free: 2 }, GB: { mobile: 1 } },
      knownCount: 4,
      unknownCount: 2,
      sources: { api: 4, 'rate-card': 0, unknown: 2 },
    });
    expect(Object.keys(audit.cost.byCountry)).toEqual(['US', 'GB']);
  });

  it('counts each number under the source of its cost, adding up to the total', () => {
    const audit = auditNumbers([
      phone({ monthlyCostUsd: 1, costSource: 'api' }),
      phone({ monthlyCostUsd: 2, costSource: 'api' }),
      phone({ monthlyCostUsd: 3, costSource: 'rate-card' }),
      phone({ monthlyCostUsd: null, costSource: 'unknown' }),
      // A label that disagrees with the cost follows the cost, so the counts still add up.
      phone({ monthlyCostUsd: null, costSource: 'api' }),
      phone({ monthlyCostUsd: 4, costSource: 'unknown' }),
    ]);
    expect(audit.cost.sources).toEqual({ api: 3, 'rate-card': 1, unknown: 2 });
    expect(audit.cost.knownCount).toBe(4);
    expect(audit.cost.totalMonthly).toBe(10);
  });

  it('counts a zero cost as known', () => {
    const audit = auditNumbers([priced(0), priced(null)]);
    expect(audit.cost).toMatchObject({ knownCount: 1, unknownCount: 1, totalMonthly: 0, byCountry: { US: 0 } });
  });

  it.each([
    [1.005, 101],
    [1.15, 115],
    [0.1, 10],
    [2, 200],
    [0.004, 0],
    [0.005, 1],
    [1234.565, 123457],
  ])('rounds %p half up to %p cents from the written decimal', (usd, cents) => {
    expect(toCents(usd)).toBe(cents);
  });

  it('reads a cost written in dollars and cents as exactly those cents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), (cents) => {
        const written = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
        expect(toCents(Number(written))).toBe(cents);
      }),
    );
  });

  it('agrees with the written-decimal definition for any cost, whole cents or not', () => {
    const costs = fc.oneof(
      fc.double({ min: 0, max: 2e6, noNaN: true }),
      fc.integer({ min: 0, max: 10_000_000 }).map((m) => m / 1000),
      fc.integer({ min: 0, max: 100_000_000 }).map((c) => c / 100 + 1e-7),
    );
    fc.assert(fc.property(costs, (usd) => expect(toCents(usd)).toBe(centsFromDecimal(usd))));
  });
});
