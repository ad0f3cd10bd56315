import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DEFAULT_AGENT_COUNT, generateAgents, generatePortfolio, type SimRecord } from '../../simulator';

const SIZE = 1250;
const mixed = generatePortfolio({ seed: 2024, size: SIZE });
const canonical = generatePortfolio({ seed: 2024, size: SIZE, variants: 'canonical' });

const libType: Record<string, string> = {
  FIXED_LINE: 'local',
  FIXED_LINE_OR_MOBILE: 'local',
  MOBILE: 'mobile',
  TOLL_FREE: 'toll_free',
};
const spelled = (t: unknown) => (typeof t === 'string' ? t.replace(/[-]/g, '_').replace('tollfree', 'toll_free') : t);
const agentOf = (r: SimRecord) => r.inbound_agent_id ?? r.agent_id ?? null;
const has = (r: SimRecord, k: string) => Object.hasOwn(r, k);

describe('generatePortfolio', () => {
  test('is deterministic for a seed and differs across seeds', () => {
    expect(generatePortfolio({ seed: 77, size: 200 })).toEqual(generatePortfolio({ seed: 77, size: 200 }));
    expect(generatePortfolio({ seed: 2024, size: SIZE })).toEqual(mixed);
    expect(generatePortfolio({ seed: 2025, size: 50 }).map((r) => r.phone_number)).not.toEqual(
      mixed.slice(0, 50).map((r) => r.phone_number),
    );
  });

  test('mixed and canonical of one seed describe the same numbers', () => {
    expect(mixed.map((r) => [r.id, r.phone_number])).toEqual(canonical.map((r) => [r.id, r.phone_number]));
  });

  test('ids are phn_ + base36 and unique; numbers are unique E.164', () => {
    expect(new Set(mixed.map((r) => r.id)).size).toBe(SIZE);
    expect(new Set(mixed.map((r) => r.phone_number)).size).toBe(SIZE);
    for (const r of mixed) {
      expect(r.id).toMatch(/^phn_[0-9a-z]+$/);
      expect(r.phone_number).toMatch(/^\+[1-9]\d{6,14}$/);
    }
  });

  test('every number is valid, of the intended type, in the intended country', () => {
    for (const r of canonical) {
      const p = parsePhoneNumberFromString(r.phone_number);
      expect(p?.isValid()).toBe(true);
      expect([r.phone_number, libType[p?.getType() ?? '']]).toEqual([r.phone_number, r.type]);
      // +1 toll-free numbers are not geographic: libphonenumber reads them as US.
      const country = r.country_code === 'CA' && r.type === 'toll_free' ? 'US' : r.country_code;
      expect([r.phone_number, p?.country]).toEqual([r.phone_number, country]);
    }
  });

  test('a mixed record without country_code or type still reads right from its number', () => {
    canonical.forEach((c, i) => {
      const m = mixed[i];
      const p = parsePhoneNumberFromString(m.phone_number);
      if (!has(m, 'country_code')) expect(p?.country).toBe(c.country_code);
      else expect(m.country_code).toBe(c.country_code);
      if (!has(m, 'type')) expect(libType[p?.getType() ?? '']).toBe(c.type);
      else expect(spelled(m.type)).toBe(c.type);
    });
  });

  test('ratios: exact not-active, unrouted and cost counts; countries roughly weighted', () => {
    const notActive = canonical.filter((r) => r.status !== 'active');
    expect(notActive).toHaveLength(Math.round(SIZE * 0.02));
    expect(new Set(notActive.map((r) => r.status))).toEqual(new Set(['pending', 'expired']));
    const active = canonical.filter((r) => r.status === 'active');
    expect(active.filter((r) => r.inbound_agent_id === null)).toHaveLength(Math.round(active.length * 0.03));
    expect(canonical.filter((r) => has(r, 'monthly_cost_usd'))).toHaveLength(Math.round(SIZE * 0.6));

    const share = (cc: string) => canonical.filter((r) => r.country_code === cc).length / SIZE;
    expect(share('US')).toBeGreaterThan(0.3);
    expect(share('US')).toBeLessThan(0.4);
    expect(share('IN')).toBeGreaterThan(0.16);
    expect(share('IN')).toBeLessThan(0.24);
    expect(share('GB')).toBeGreaterThan(0.11);
    expect(share('GB')).toBeLessThan(0.19);
    for (const cc of ['CA', 'AU', 'DE', 'FR', 'SG', 'JE']) expect(share(cc)).toBeGreaterThan(0);
    for (const t of ['local', 'mobile', 'toll_free']) expect(canonical.some((r) => r.type === t)).toBe(true);
  });

  test('mixed: the unrouted numbers are the same ones, in every empty shape', () => {
    canonical.forEach((c, i) => {
      expect(agentOf(mixed[i]) || null).toBe(c.inbound_agent_id);
    });
    const unrouted = mixed.filter((r) => !agentOf(r));
    expect(unrouted.some((r) => has(r, 'inbound_agent_id') && r.inbound_agent_id === null)).toBe(true);
    expect(unrouted.some((r) => r.inbound_agent_id === '')).toBe(true);
    expect(unrouted.some((r) => has(r, 'agent_id') && r.agent_id === null)).toBe(true);
    expect(unrouted.some((r) => r.agent_id === '')).toBe(true);
    expect(unrouted.some((r) => !has(r, 'inbound_agent_id') && !has(r, 'agent_id'))).toBe(true);
  });

  test('mixed: every documented field variant appears', () => {
    const values = (k: string) => new Set(mixed.map((r) => r[k]));
    expect(mixed.some((r) => typeof r.inbound_agent_id === 'string' && r.inbound_agent_id !== '')).toBe(true);
    expect(mixed.some((r) => typeof r.agent_id === 'string' && r.agent_id !== '')).toBe(true);
    expect(mixed.some((r) => !has(r, 'country_code'))).toBe(true);
    expect(mixed.some((r) => !has(r, 'type'))).toBe(true);
    for (const t of ['local', 'mobile', 'toll_free', 'toll-free', 'tollfree']) expect(values('type').has(t)).toBe(true);
    for (const s of ['active', 'pending']) expect(values('status').has(s)).toBe(true);
    for (const s of ['active', 'expired']) expect(values('rental_status').has(s)).toBe(true);
    for (const p of ['twilio', 'plivo', 'telnyx']) expect(values('provider').has(p)).toBe(true);
    expect(mixed.some((r) => has(r, 'nickname'))).toBe(true);
    expect(mixed.some((r) => has(r, 'label'))).toBe(true);
    expect(mixed.some((r) => !has(r, 'nickname') && !has(r, 'label'))).toBe(true);
    expect(mixed.some((r) => typeof r.capabilities === 'object')).toBe(true);
    expect(mixed.some((r) => typeof r.x_region === 'string')).toBe(true);
    const names = mixed.map((r) => r.nickname ?? r.label).filter((n): n is string => typeof n === 'string');
    expect(names).toContain('Mumbai sales line');
    expect(names.some((n) => /[\u3040-\u30ff\u0400-\u04ff]/.test(n))).toBe(true);
    for (const r of mixed) {
      expect(Number.isNaN(Date.parse(r.created_at as string))).toBe(false);
      if (has(r, 'monthly_cost_usd')) expect(r.monthly_cost_usd).toMatch(/^\d+\.\d{2}$/);
    }
  });

  test('canonical: one clean shape', () => {
    const keys = [
      'id',
      'phone_number',
      'country_code',
      'type',
      'status',
      'inbound_agent_id',
      'nickname',
      'provider',
      'created_at',
    ];
    for (const r of canonical) {
      expect(Object.keys(r).filter((k) => k !== 'monthly_cost_usd')).toEqual(keys);
      expect(['local', 'mobile', 'toll_free']).toContain(r.type);
    }
  });

  test('routes to the default generated agents, or to agentIds when given', () => {
    const agentIds = new Set(generateAgents(2024, DEFAULT_AGENT_COUNT).map((a) => a.id));
    const routed = canonical.map((r) => r.inbound_agent_id).filter((a): a is string => typeof a === 'string');
    expect(routed.length).toBeGreaterThan(1000);
    for (const a of routed) expect(agentIds.has(a)).toBe(true);
    const own = generatePortfolio({
      seed: 1,
      size: 100,
      agentIds: ['agt_x', 'agt_y'],
      unroutedRatio: 0,
      notActiveRatio: 0,
    });
    expect(new Set(own.map(agentOf))).toEqual(new Set(['agt_x', 'agt_y']));
  });

  test('ratio options are honoured and validated', () => {
    const p = generatePortfolio({
      seed: 5,
      size: 200,
      unroutedRatio: 0.5,
      notActiveRatio: 0,
      costRatio: 0,
      variants: 'canonical',
    });
    expect(p.filter((r) => r.inbound_agent_id === null)).toHaveLength(100);
    expect(p.some((r) => has(r, 'monthly_cost_usd'))).toBe(false);
    expect(() => generatePortfolio({ seed: 1, size: 10, unroutedRatio: 1.5 })).toThrow(RangeError);
    expect(() => generatePortfolio({ seed: 1, size: -1 })).toThrow(RangeError);
    expect(generatePortfolio({ seed: 1, size: 0 })).toEqual([]);
  });
});

describe('generateAgents', () => {
  test('deterministic agents with unique ids and a current_version title', () => {
    const a = generateAgents(7, 12);
    expect(generateAgents(7, 12)).toEqual(a);
    expect(new Set(a.map((x) => x.id)).size).toBe(12);
    for (const x of a) {
      expect(x.id).toMatch(/^agt_[0-9a-z]+$/);
      expect(typeof x.current_version.title).toBe('string');
    }
    expect(new Set(a.map((x) => x.current_version.title)).size).toBe(12);
  });
});
