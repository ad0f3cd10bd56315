import { canonicalType, normalizeAll, normalizeNumber, parseCost } from '../../lambda/core/normalize';
import { UNKNOWN_COUNTRY, type NumberRecord } from '../../lambda/core/types';

function record(overrides: Partial<NumberRecord> = {}): NumberRecord {
  return { id: 'phn_1', phone_number: '+12015550123', ...overrides };
}

describe('normalizeNumber: country', () => {
  it.each([
    ['+919876543210', 'IN'],
    ['+918041234567', 'IN'],
    ['+12015550123', 'US'],
    ['+16135550123', 'CA'],
    ['+442071838750', 'GB'],
  ])('derives %s -> %s from the number when the API gives no country', (e164, country) => {
    const n = normalizeNumber(record({ phone_number: e164 }));
    expect(n.countryCode).toBe(country);
    expect(n.countrySource).toBe('derived');
  });

  it.each([
    ['+447911123456', 'Guernsey mobile range'],
    ['+447624123456', 'Isle of Man mobile range'],
    ['+441534123456', 'Jersey fixed line'],
  ])('groups a derived Crown dependency %s (%s) as GB', (e164) => {
    const n = normalizeNumber(record({ phone_number: e164 }));
    expect(n).toMatchObject({ countryCode: 'GB', countrySource: 'derived' });
  });

  it('keeps a Crown dependency the API states itself', () => {
    expect(normalizeNumber(record({ phone_number: '+447911123456', country_code: 'JE' }))).toMatchObject({
      countryCode: 'JE',
      countrySource: 'api',
    });
    expect(normalizeNumber(record({ phone_number: '+447911123456', country_code: 'gg' })).countryCode).toBe('GG');
  });

  it('trims and upper-cases the API country and prefers it over the number', () => {
    expect(normalizeNumber(record({ phone_number: '+12015550123', country_code: ' ca ' }))).toMatchObject({
      countryCode: 'CA',
      countrySource: 'api',
    });
  });

  it.each(['USA', 'U', '12', '', '  ', null])('ignores a malformed API country %p and derives instead', (given) => {
    expect(normalizeNumber(record({ phone_number: '+12015550123', country_code: given }))).toMatchObject({
      countryCode: 'US',
      countrySource: 'derived',
    });
  });

  it('falls back to unknown when neither the API nor the number tells the country', () => {
    const n = normalizeNumber(record({ phone_number: '+999123' }));
    expect(n).toMatchObject({
      countryCode: UNKNOWN_COUNTRY,
      countrySource: 'unknown',
      type: 'unknown',
      typeInferred: false,
    });
  });

  it('strips human formatting so the number still parses', () => {
    const n = normalizeNumber(record({ phone_number: ' +44 (20) 7183-8750 ' }));
    expect(n.phoneNumber).toBe('+442071838750');
    expect(n.countryCode).toBe('GB');
  });
});

describe('normalizeNumber: type', () => {
  it.each([
    ['local', 'local'],
    ['LOCAL', 'local'],
    ['fixed', 'local'],
    ['fixed_line', 'local'],
    ['Geographic', 'local'],
    ['toll_free', 'toll_free'],
    ['toll-free', 'toll_free'],
    ['TollFree', 'toll_free'],
    ['toll free', 'toll_free'],
    [' Toll-Free ', 'toll_free'],
    ['mobile', 'mobile'],
    ['Cell', 'mobile'],
  ])('canonicalises the API spelling %p as %p, not inferred', (spelling, expected) => {
    // A US geographic number, so the given type wins over what inference would say.
    const n = normalizeNumber(record({ phone_number: '+12015550123', type: spelling }));
    expect(n.type).toBe(expected);
    expect(n.typeInferred).toBe(false);
  });

  it.each([
    ['+18005550199', 'toll_free', 'US toll-free'],
    ['+12015550123', 'local', 'US geographic (FIXED_LINE_OR_MOBILE)'],
    ['+447911123456', 'mobile', 'GB mobile'],
    ['+442071838750', 'local', 'GB fixed line'],
    ['+919876543210', 'mobile', 'IN mobile'],
    ['+80012345678', 'toll_free', 'international freephone'],
  ])('infers %s as %s (%s) when the API gives no type', (e164, expected) => {
    const n = normalizeNumber(record({ phone_number: e164 }));
    expect(n.type).toBe(expected);
    expect(n.typeInferred).toBe(true);
  });

  it('infers from the number when the spelling is not recognised', () => {
    expect(normalizeNumber(record({ phone_number: '+18005550199', type: 'premium' }))).toMatchObject({
      type: 'toll_free',
      typeInferred: true,
    });
  });

  it('says unknown when an unrecognised spelling cannot be inferred either', () => {
    expect(normalizeNumber(record({ phone_number: '+999123', type: 'premium' }))).toMatchObject({
      type: 'unknown',
      typeInferred: false,
    });
  });

  it('gives the international freephone no country but still a type', () => {
    expect(normalizeNumber(record({ phone_number: '+80012345678' })).countryCode).toBe(UNKNOWN_COUNTRY);
  });

  it('exposes the spelling table for adapters', () => {
    expect(canonicalType('Toll Free')).toBe('toll_free');
    expect(canonicalType('premium')).toBeNull();
    expect(canonicalType(undefined)).toBeNull();
  });
});

describe('normalizeNumber: status', () => {
  it.each<[Partial<NumberRecord>, string | null]>([
    [{ status: 'ACTIVE' }, 'active'],
    [{ status: ' Pending ' }, 'pending'],
    [{ status: 'active', rental_status: 'expired' }, 'expired'],
    [{ status: 'active', rental_status: 'EXPIRED' }, 'expired'],
    [{ status: 'pending', rental_status: 'active' }, 'pending'],
    [{ rental_status: 'active' }, 'active'],
    [{ rental_status: 'suspended' }, 'suspended'],
    [{ status: '', rental_status: '' }, null],
    [{ status: null }, null],
    [{}, null],
  ])('%p -> %p', (fields, expected) => {
    expect(normalizeNumber(record(fields)).status).toBe(expected);
  });
});

describe('normalizeNumber: inbound agent', () => {
  it.each<[Partial<NumberRecord>, string | null]>([
    [{ inbound_agent_id: 'agt_in' }, 'agt_in'],
    [{ agent_id: 'agt_legacy' }, 'agt_legacy'],
    [{ inbound_agent_id: 'agt_in', agent_id: 'agt_legacy' }, 'agt_in'],
    [{ inbound_agent_id: '', agent_id: 'agt_legacy' }, 'agt_legacy'],
    [{ inbound_agent_id: null, agent_id: 'agt_legacy' }, 'agt_legacy'],
    [{ inbound_agent_id: '   ', agent_id: '' }, null],
    [{ inbound_agent_id: null, agent_id: null }, null],
    [{}, null],
    [{ inbound_agent_id: ' agt_pad ' }, 'agt_pad'],
  ])('%p -> %p', (fields, expected) => {
    expect(normalizeNumber(record(fields)).inboundAgentId).toBe(expected);
  });
});

describe('normalizeNumber: nickname, provider, created_at', () => {
  it('takes nickname, else label, ignoring empty strings', () => {
    expect(normalizeNumber(record({ nickname: 'Support', label: 'Lbl' })).nickname).toBe('Support');
    expect(normalizeNumber(record({ nickname: '', label: 'Lbl' })).nickname).toBe('Lbl');
    expect(normalizeNumber(record({ nickname: null, label: ' ' })).nickname).toBeNull();
  });

  it('passes provider and created_at through', () => {
    const n = normalizeNumber(record({ provider: 'plivo', created_at: '2026-03-01T12:00:00Z' }));
    expect(n.provider).toBe('plivo');
    expect(n.createdAt).toBe('2026-03-01T12:00:00Z');
    expect(normalizeNumber(record()).provider).toBeNull();
    expect(normalizeNumber(record()).createdAt).toBeNull();
  });
});

describe('parseCost', () => {
  it.each<[string | number | null | undefined, number | null]>([
    ['1.15', 1.15],
    [' 3.5 ', 3.5],
    ['0', 0],
    ['12', 12],
    [2, 2],
    [0.1, 0.1],
    [0, 0],
    ['1e3', null],
    ['-1', null],
    ['1,15', null],
    ['$1.15', null],
    ['1.', null],
    ['.5', null],
    ['', null],
    ['abc', null],
    [-1, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    [null, null],
    [undefined, null],
  ])('%p -> %p', (input, expected) => {
    expect(parseCost(input)).toBe(expected);
  });

  it('is what normalizeNumber stores, with its source', () => {
    expect(normalizeNumber(record({ monthly_cost_usd: '1.15' }))).toMatchObject({
      monthlyCostUsd: 1.15,
      costSource: 'api',
    });
    expect(normalizeNumber(record({ monthly_cost_usd: 0 }))).toMatchObject({ monthlyCostUsd: 0, costSource: 'api' });
    expect(normalizeNumber(record({ monthly_cost_usd: 'n/a' }))).toMatchObject({
      monthlyCostUsd: null,
      costSource: 'unknown',
    });
    expect(normalizeNumber(record({}))).toMatchObject({ monthlyCostUsd: null, costSource: 'unknown' });
  });
});

describe('normalizeNumber: field order', () => {
  // The JSON outputs (audit.json, the CLI's --json) write a number's keys in this order.
  const keys = [
    'id',
    'phoneNumber',
    'countryCode',
    'countrySource',
    'type',
    'typeInferred',
    'inboundAgentId',
    'createdAt',
    'monthlyCostUsd',
    'costSource',
    'status',
    'nickname',
    'provider',
  ];

  it('keeps its keys in one order, untruncated last when present', () => {
    expect(Object.keys(normalizeNumber(record({ nickname: 'Desk', type: 'local' })))).toEqual(keys);
    const long = 'x'.repeat(300);
    const cut = normalizeNumber(record({ status: long, nickname: long, provider: long }));
    expect(Object.keys(cut)).toEqual([...keys, 'untruncated']);
    expect(Object.keys(cut.untruncated ?? {})).toEqual(['nickname', 'provider', 'status']);
    expect(Object.keys(normalizeNumber(record({ status: long })).untruncated ?? {})).toEqual(['status']);
  });
});

describe('normalizeAll', () => {
  it('normalizes every record in order', () => {
    const out = normalizeAll([record({ id: 'a', phone_number: '+919876543210' }), record({ id: 'b' })]);
    expect(out.map((n) => [n.id, n.countryCode])).toEqual([
      ['a', 'IN'],
      ['b', 'US'],
    ]);
  });
});

describe('canonicalType: prototype names are no type', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('%s is unknown', (spelling) => {
    expect(canonicalType(spelling)).toBeNull();
    expect(normalizeNumber(record({ type: spelling, phone_number: '+18005550199' })).type).toBe('toll_free');
  });
});
