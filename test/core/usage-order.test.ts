// The idle list's order (most expensive first, then the usual order) and the shared usage entries
// against the plain sort they replace, over generated workspaces, in the listing's order or not.
import fc from 'fast-check';
import { compareByCountryThenNumber, toCents } from '../../lambda/core/audit';
import type { CallLister } from '../../lambda/core/ports';
import type { PhoneNumber } from '../../lambda/core/types';
import { checkUsage } from '../../lambda/core/usage';
import { phone } from './fixtures';

const NOW = new Date('2026-03-02T09:00:00Z');
const noCalls: CallLister = { listCalls: async () => ({ calls: [], total: 0, totalPages: 1 }) };

/** What the check did before: every idle number keyed by cents, sorted by cents then the usual order. */
function referenceOrder(idle: readonly PhoneNumber[]): PhoneNumber[] {
  const keyed = idle.map((n) => ({ n, cents: n.monthlyCostUsd === null ? -1 : toCents(n.monthlyCostUsd) }));
  keyed.sort((a, b) => b.cents - a.cents || compareByCountryThenNumber(a.n, b.n));
  return keyed.map((k) => k.n);
}

const arbNumber = fc.record({
  id: fc.constantFrom('a', 'b', 'c', 'phn_1', ''),
  phoneNumber: fc.constantFrom('+12015550101', '+12015550102', '+441632960001', '+33612345678', ''),
  countryCode: fc.constantFrom('US', 'GB', 'FR', 'unknown'),
  monthlyCostUsd: fc.option(fc.constantFrom(0, 1, 1.15, 2.15, 16, 0.1 + 0.2), { nil: null }),
  status: fc.constantFrom('active', 'inactive', null),
  createdAt: fc.constantFrom('2020-01-01T00:00:00Z', '2026-03-01T00:00:00Z', null, 'not a date'),
});

test('the idle order and states match the reference, listed order or shuffled', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(arbNumber, { maxLength: 60 }), fc.boolean(), async (parts, sorted) => {
      const numbers = parts.map((p) => phone(p as Partial<PhoneNumber>));
      if (sorted) numbers.sort(compareByCountryThenNumber);
      const r = await checkUsage(numbers, noCalls, { windowDays: 30, budget: 10, now: NOW });
      const idle = numbers.filter((n) => r.byNumber.get(n)?.state === 'idle');
      // Same objects, in the same order: toEqual alone cannot tell two equal-looking numbers apart.
      const reference = referenceOrder(idle);
      expect(r.idle).toHaveLength(reference.length);
      for (const [i, n] of reference.entries()) expect(r.idle[i]).toBe(n);
      for (const n of numbers) {
        const created = n.createdAt === null ? Number.NaN : Date.parse(n.createdAt);
        const expected =
          n.status !== null && n.status !== 'active'
            ? 'not_checked'
            : created > NOW.getTime() - 30 * 86_400_000
              ? 'new'
              : 'idle';
        expect(r.byNumber.get(n)).toEqual({ state: expected, lastCallAt: null });
      }
    }),
    { numRuns: 300 },
  );
});
