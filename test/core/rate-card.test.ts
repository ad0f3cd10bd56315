import { ConfigError } from '../../lambda/core/errors';
import { applyRateCard, costFor, parseRateCard, parseRateCardText } from '../../lambda/core/rate-card';
import { auditNumbers } from '../../lambda/core/audit';
import type { PhoneNumber } from '../../lambda/core/types';
import { phone } from './fixtures';

/** No cost of its own, so the rate card decides. */
const num = (over: Partial<PhoneNumber>): PhoneNumber =>
  phone({ monthlyCostUsd: null, costSource: 'unknown', ...over });

const card = parseRateCard(
  { currency: 'USD', rates: { US: { local: 1.15, toll_free: 2.0, '*': 1.5 }, '*': { '*': 3.0, mobile: 4 } } },
  'rateCard',
);

describe('costFor', () => {
  it.each([
    ['country.type', { countryCode: 'US', type: 'toll_free' }, 2.0],
    ['country.* before *.type', { countryCode: 'US', type: 'mobile' }, 1.5],
    ['country.* for an unknown type', { countryCode: 'US', type: 'unknown' }, 1.5],
    ['*.type for an unlisted country', { countryCode: 'IN', type: 'mobile' }, 4],
    ['*.* for an unlisted country and type', { countryCode: 'IN', type: 'local' }, 3.0],
    ['*.* for an unknown country', { countryCode: 'unknown', type: 'unknown' }, 3.0],
  ] as const)('looks up %s', (_label, over, usd) => {
    expect(costFor(num(over), card)).toEqual({ usd, source: 'rate-card' });
  });

  it('lets the API cost win, even a zero', () => {
    expect(costFor(num({ monthlyCostUsd: 0.99 }), card)).toEqual({ usd: 0.99, source: 'api' });
    expect(costFor(num({ monthlyCostUsd: 0 }), card)).toEqual({ usd: 0, source: 'api' });
  });

  it('is unknown without a card, or when the card has no matching rate and no defaults', () => {
    expect(costFor(num({}))).toEqual({ usd: null, source: 'unknown' });
    const narrow = parseRateCard({ rates: { US: { local: 1 } } }, 'rateCard');
    expect(costFor(num({ countryCode: 'IN' }), narrow)).toEqual({ usd: null, source: 'unknown' });
    expect(costFor(num({ type: 'mobile' }), narrow)).toEqual({ usd: null, source: 'unknown' });
  });
});

describe('applyRateCard', () => {
  const numbers = [
    num({ id: 'api', monthlyCostUsd: 0.99, costSource: 'api' }),
    num({ id: 'api-zero', monthlyCostUsd: 0, costSource: 'api' }),
    num({ id: 'us-tf', type: 'toll_free' }),
    num({ id: 'in-mobile', countryCode: 'IN', type: 'mobile' }),
    num({ id: 'in-local', countryCode: 'IN', type: 'local' }),
  ];

  it('keeps API costs, fills the rest from the card by country.type, country.*, *.type, *.*', () => {
    const priced = applyRateCard(numbers, card);
    expect(priced.map((n) => [n.id, n.monthlyCostUsd, n.costSource])).toEqual([
      ['api', 0.99, 'api'],
      ['api-zero', 0, 'api'],
      ['us-tf', 2, 'rate-card'],
      ['in-mobile', 4, 'rate-card'],
      ['in-local', 3, 'rate-card'],
    ]);
    expect(numbers[2]?.monthlyCostUsd).toBeNull(); // the input is not mutated
  });

  it('leaves numbers the card does not cover unknown', () => {
    const narrow = parseRateCard({ rates: { US: { local: 1 } } }, 'rateCard');
    const priced = applyRateCard(numbers, narrow);
    expect(priced.map((n) => n.costSource)).toEqual(['api', 'api', 'unknown', 'unknown', 'unknown']);
    expect(priced[2]?.monthlyCostUsd).toBeNull();
  });

  it('returns the numbers unchanged without a card', () => {
    expect(applyRateCard(numbers)).toEqual(numbers);
  });

  it('prices again from the new card, so applying twice changes nothing and a new card wins', () => {
    const once = applyRateCard(numbers, card);
    expect(applyRateCard(once, card)).toEqual(once);
    const cheaper = parseRateCard({ rates: { '*': { '*': 0.5 } } }, 'rateCard');
    expect(applyRateCard(once, cheaper).map((n) => n.monthlyCostUsd)).toEqual([0.99, 0, 0.5, 0.5, 0.5]);
  });

  it('feeds the audit: totals and source counts add up', () => {
    const { cost } = auditNumbers(
      applyRateCard(
        [...numbers, num({ id: 'x', monthlyCostUsd: null })],
        parseRateCard({ rates: { IN: { '*': 1.25 } } }, 'r'),
      ),
    );
    expect(cost.sources).toEqual({ api: 2, 'rate-card': 2, unknown: 2 });
    expect(cost.totalMonthly).toBe(0.99 + 2.5);
    expect(cost.byCountry).toEqual({ US: 0.99, IN: 2.5 });
    expect(cost.knownCount + cost.unknownCount).toBe(6);
  });
});

describe('parseRateCard', () => {
  it('normalises country case and type spellings, and defaults the currency', () => {
    expect(parseRateCard({ rates: { in: { 'Toll-Free': 2 }, gb: { MOBILE: 0 } } }, 'x')).toEqual({
      currency: 'USD',
      rates: { IN: { toll_free: 2 }, GB: { mobile: 0 } },
    });
  });

  it.each([
    ['not an object', [], /must be a JSON object/],
    ['an unknown field', { rates: { US: { local: 1 } }, rate: {} }, /unknown field "rate"/],
    ['another currency', { currency: 'EUR', rates: { US: { local: 1 } } }, /currency must be "USD"/],
    ['no rates', { currency: 'USD' }, /"rates" must be an object/],
    ['empty rates', { rates: {} }, /"rates" is empty/],
    ['a bad country key', { rates: { USA: { local: 1 } } }, /"USA" is not a two-letter ISO country code/],
    ['a country listed twice', { rates: { us: { local: 1 }, US: { local: 2 } } }, /country US is listed twice/],
    ['a country that is not an object', { rates: { US: 1.5 } }, /rates\.US must be an object/],
    ['a country with no rates', { rates: { US: {} } }, /rates\.US has no rates/],
    ['an unknown type', { rates: { US: { premium: 1 } } }, /rates\.US: "premium" is not a number type/],
    ['the internal unknown type', { rates: { US: { unknown: 1 } } }, /"unknown" is not a number type/],
    ['a type listed twice', { rates: { US: { 'toll-free': 1, toll_free: 2 } } }, /type toll_free is listed twice/],
    ['a negative rate', { rates: { US: { local: -1 } } }, /rates\.US\.local must be a non-negative number/],
    ['a string rate', { rates: { US: { local: '1.15' } } }, /rates\.US\.local must be a non-negative number .*"1\.15"/],
    ['an infinite rate', { rates: { '*': { '*': Infinity } } }, /rates\.\*\.\* must be a non-negative number/],
    ['a NaN rate', { rates: { US: { local: NaN } } }, /must be a non-negative number/],
  ])('rejects %s naming the setting', (_label, json, problem) => {
    expect.assertions(3);
    try {
      parseRateCard(json, '--rate-card');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).setting).toBe('--rate-card');
      expect((e as ConfigError).message).toMatch(problem);
    }
  });

  it('rejects text that is not JSON, naming the setting', () => {
    expect(() => parseRateCardText('{ rates: ', 'context rateCard')).toThrow(
      /^context rateCard: the rate card is not valid JSON/,
    );
    expect(parseRateCardText('{"rates":{"*":{"*":2}}}', 'x').rates).toEqual({ '*': { '*': 2 } });
  });
});
