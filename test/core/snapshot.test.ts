import { parseSnapshot, serializeSnapshot, toSnapshot } from '../../lambda/core/snapshot';
import type { PhoneNumber } from '../../lambda/core/types';

function num(over: Partial<PhoneNumber> & { id: string }): PhoneNumber {
  return {
    phoneNumber: `+1202555${over.id.padStart(4, '0')}`,
    countryCode: 'US',
    countrySource: 'api',
    type: 'local',
    typeInferred: false,
    status: 'active',
    inboundAgentId: 'agent-1',
    nickname: null,
    provider: 'twilio',
    createdAt: '2026-01-01T00:00:00Z',
    monthlyCostUsd: 1.15,
    costSource: 'api',
    ...over,
  };
}

const at = new Date('2026-11-30T09:00:00Z');

describe('toSnapshot', () => {
  it('keeps only the change-relevant fields, sorted by country (unknown last) then number', () => {
    const snap = toSnapshot('Acme', at, true, [
      num({ id: '3', countryCode: 'unknown', phoneNumber: '+999100' }),
      num({ id: '2', countryCode: 'US', phoneNumber: '+12025550002' }),
      num({ id: '1', countryCode: 'IN', phoneNumber: '+919000000001', type: 'mobile', inboundAgentId: null, nickname: 'Support' }),
      num({ id: '4', countryCode: 'US', phoneNumber: '+12025550001' }),
    ]);
    expect(snap.schemaVersion).toBe(1);
    expect(snap.generatedAt).toBe('2026-11-30T09:00:00.000Z');
    expect(snap.numbers.map((n) => n.id)).toEqual(['1', '4', '2', '3']);
    expect(snap.numbers[0]).toEqual({
      id: '1',
      phoneNumber: '+919000000001',
      countryCode: 'IN',
      type: 'mobile',
      status: 'active',
      inboundAgentId: null,
      nickname: 'Support',
    });
  });
});

describe('parseSnapshot', () => {
  it('round-trips a complete snapshot', () => {
    const snap = toSnapshot('Acme', at, true, [num({ id: '1' }), num({ id: '2', status: null })]);
    expect(parseSnapshot(serializeSnapshot(snap))).toEqual({ ok: true, snapshot: snap });
  });

  it.each([
    ['corrupt JSON', '{"schemaVersion": 1, "numb', /not valid JSON/],
    ['an array', '[]', /not a JSON object/],
    ['no schemaVersion', '{"numbers": []}', /no schemaVersion/],
    ['an older schema', '{"schemaVersion": 0, "numbers": []}', /older schema \(version 0; this version reads 1\)/],
    ['a newer schema', '{"schemaVersion": 2}', /newer schema \(version 2/],
  ])('rejects %s with a reason', (_label, text, reason) => {
    const result = parseSnapshot(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('rejects a malformed number and says where', () => {
    const snap = JSON.parse(serializeSnapshot(toSnapshot('Acme', at, true, [num({ id: '1' })])));
    snap.numbers[0].type = 'premium';
    const result = parseSnapshot(JSON.stringify(snap));
    expect(!result.ok && result.reason).toMatch(/malformed at numbers\.0\.type/);
  });

  it('rejects an unparseable generatedAt', () => {
    const snap = JSON.parse(serializeSnapshot(toSnapshot('Acme', at, true, [])));
    snap.generatedAt = 'last week';
    expect(parseSnapshot(JSON.stringify(snap)).ok).toBe(false);
  });

  it('never uses an incomplete run as a baseline', () => {
    const result = parseSnapshot(serializeSnapshot(toSnapshot('Acme', at, false, [num({ id: '1' })])));
    expect(result).toEqual({ ok: false, reason: 'the previous run was incomplete, so it is not used as a baseline' });
  });
});
