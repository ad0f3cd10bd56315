import { applyFilters } from '../../lambda/core/filters';
import { phone } from './fixtures';

describe('applyFilters', () => {
  it('trusts a server that honoured the type filter even when its records leave the type out', () => {
    // US mobiles without a type: the numbering plan can only say "local" (inferred), which is no proof.
    const numbers = [
      phone({ id: 'a', type: 'local', typeInferred: true }),
      phone({ id: 'b', type: 'local', typeInferred: true }),
    ];
    const { numbers: kept, check } = applyFilters(numbers, { type: 'mobile' });
    expect(check).toEqual({ appliedBy: 'api', leftOut: 0 });
    expect(kept).toHaveLength(2);
  });

  it('catches an ignored type filter from a type the API stated', () => {
    const numbers = [phone({ id: 'a', type: 'mobile' }), phone({ id: 'b', type: 'toll_free' })];
    const { numbers: kept, check } = applyFilters(numbers, { type: 'mobile' });
    expect(check).toEqual({ appliedBy: 'client', leftOut: 1 });
    expect(kept.map((n) => n.id)).toEqual(['a']);
  });

  it('catches an ignored country filter from a country worked out from the number', () => {
    const numbers = [
      phone({ id: 'us', countryCode: 'US', countrySource: 'derived' }),
      phone({ id: 'in', countryCode: 'IN', countrySource: 'derived', phoneNumber: '+919876543210' }),
    ];
    const { numbers: kept, check } = applyFilters(numbers, { countryCode: 'US' });
    expect(check).toEqual({ appliedBy: 'client', leftOut: 1 });
    expect(kept.map((n) => n.id)).toEqual(['us']);
  });

  it('leaves an unfiltered run alone', () => {
    expect(applyFilters([phone()], {})).toEqual({ numbers: [phone()] });
  });
});
