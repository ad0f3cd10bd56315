import { guardAllowsBaseline, guardBaseline } from '../../lambda/core/baseline-guard';
import { type Changes, diffSnapshots } from '../../lambda/core/changes';
import { applyFilters } from '../../lambda/core/filters';
import { toSnapshot } from '../../lambda/core/snapshot';
import { phone } from './fixtures';

const many = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) =>
    phone({ id: `phn_${i + from}`, phoneNumber: `+1201555${String(i + from).padStart(4, '0')}` }),
  );

function compared(before: number, now: ReturnType<typeof many>): Changes {
  const previous = toSnapshot('Acme', new Date('2026-11-23T09:00:00Z'), true, many(before));
  return diffSnapshots(previous, now);
}

describe('guardBaseline', () => {
  const options = { maxLossShare: 0.5, confirmed: false };

  it('lets a loss of exactly the share through, and holds one just past it', () => {
    expect(guardBaseline(compared(10, many(5, 5)), 5, options)).toBeUndefined();
    expect(guardBaseline(compared(10, many(4, 6)), 4, options)).toMatchObject({
      status: 'held',
      rule: 'share',
      missing: 6,
      baselineTotal: 10,
      listed: 4,
    });
  });

  it('counts numbers of the baseline that are missing, not the net count (added numbers do not hide a loss)', () => {
    const now = [...many(3, 7), ...many(20, 100)];
    expect(guardBaseline(compared(10, now), now.length, options)).toMatchObject({ status: 'held', missing: 7 });
  });

  it('holds a drop to zero even without a share, and is confirmed by the operator', () => {
    const zero = guardBaseline(compared(3, []), 0, { confirmed: false });
    expect(zero).toMatchObject({ status: 'held', rule: 'zero', maxLossShare: null });
    expect(guardAllowsBaseline(zero)).toBe(false);
    const confirmed = guardBaseline(compared(3, []), 0, { confirmed: true });
    expect(confirmed).toMatchObject({ status: 'confirmed', rule: 'zero' });
    expect(guardAllowsBaseline(confirmed)).toBe(true);
  });

  it('does not fire without a comparison, or from an empty baseline', () => {
    expect(guardBaseline(undefined, 0, options)).toBeUndefined();
    expect(guardBaseline(compared(0, []), 0, options)).toBeUndefined();
  });
});

describe('applyFilters', () => {
  const inMobile = phone({ id: 'a', countryCode: 'IN', type: 'mobile' });
  const unknownType = phone({ id: 'b', countryCode: 'IN', type: 'unknown' });
  const usLocal = phone({ id: 'c', countryCode: 'US', type: 'local' });

  it('trusts the API when nothing contradicts the filters (unknown values included)', () => {
    const result = applyFilters([inMobile, unknownType], { countryCode: 'IN', type: 'mobile' });
    expect(result.check).toEqual({ appliedBy: 'api', leftOut: 0 });
    expect(result.numbers).toEqual([inMobile, unknownType]);
  });

  it('filters itself, leaving out what cannot be said to match, once one number contradicts them', () => {
    const result = applyFilters([inMobile, unknownType, usLocal], { countryCode: 'IN', type: 'mobile' });
    expect(result.check).toEqual({ appliedBy: 'client', leftOut: 2 });
    expect(result.numbers).toEqual([inMobile]);
  });

  it('has nothing to check on an unfiltered run', () => {
    expect(applyFilters([usLocal], {})).toEqual({ numbers: [usLocal] });
  });
});
