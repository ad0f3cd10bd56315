// GET /v1/calls on the simulator: filters, newest first, limit capped at 200, and a seeded history
// with idle, outbound-only and long-ago numbers in every field spelling.
import { CALLS_PATH, generateCallHistory, generatePortfolio, startSimulator, type Simulator } from '../../simulator';
import { get } from './http';

const NOW = Date.UTC(2026, 2, 2, 9);
const DAY = 86_400_000;

describe('simulator: GET /v1/calls', () => {
  let sim: Simulator;
  afterEach(() => sim?.close());
  const records = generatePortfolio({ seed: 11, size: 400 });
  const calls = generateCallHistory(records, { seed: 11, now: NOW });

  test('the history mixes spellings and leaves the seeded shares idle, outbound only and long ago', () => {
    const keys = new Set(calls.flatMap((c) => Object.keys(c)));
    for (const k of ['to_number', 'to', 'createdAt', 'created_at', 'start_timestamp']) expect(keys).toContain(k);
    const active = records.filter((r) => r.status === 'active' && r.rental_status !== 'expired');
    const touched = new Set(calls.flatMap((c) => [c.to_number ?? c.to, c.from_number ?? c.from]));
    expect(active.filter((r) => !touched.has(r.phone_number))).toHaveLength(Math.round(active.length * 0.1));
    expect(generateCallHistory(records, { seed: 11, now: NOW })).toEqual(calls);
  });

  test('filters by number, direction and window, newest first, at most 200 a page', async () => {
    sim = await startSimulator({ numbers: records, calls });
    const start = new Date(NOW - 30 * DAY).toISOString();
    const end = new Date(NOW).toISOString();
    const page = await get(sim, `${CALLS_PATH}?start_date=${start}&end_date=${end}&limit=500`);
    expect(page.status).toBe(200);
    expect(page.json.data.length).toBe(200);
    expect(page.json.meta.limit).toBe(200);
    const times = (page.json.data as Record<string, unknown>[]).map((c) =>
      Date.parse(String(c.createdAt ?? c.created_at ?? new Date(Number(c.start_timestamp)).toISOString())),
    );
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse(start));

    const one = (page.json.data[0].to_number ?? page.json.data[0].to) as string;
    const to = await get(sim, `${CALLS_PATH}?to=${encodeURIComponent(one)}&limit=1`);
    expect(to.json.data).toHaveLength(1);
    expect(to.json.data[0].to_number ?? to.json.data[0].to).toBe(one);
    const inbound = await get(sim, `${CALLS_PATH}?call_direction=inbound&limit=200`);
    expect(inbound.json.data.every((c: Record<string, unknown>) => c.call_direction === 'inbound')).toBe(true);
    const bad = await get(sim, `${CALLS_PATH}?start_date=yesterday`);
    expect(bad.status).toBe(400);
  });

  test('a key without access to calls gets 403', async () => {
    sim = await startSimulator({ keys: { k: 'no-calls' } });
    expect((await get(sim, CALLS_PATH, 'k')).status).toBe(403);
  });
});
