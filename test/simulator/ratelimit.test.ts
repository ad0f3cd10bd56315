import { generatePortfolio, startSimulator, type Simulator } from '../../simulator';
import { get } from './http';

const LIST = '/v1/organization-phone-numbers';
const numbers = generatePortfolio({ seed: 3, size: 5, variants: 'canonical' });

describe('simulator: rate limiting', () => {
  let sim: Simulator;
  let t: number;
  afterEach(() => sim?.close());

  test('seconds style: headers count down, 429 with Retry-After seconds, window resets', async () => {
    t = 1_700_000_000_000;
    sim = await startSimulator({ numbers, now: () => t, rateLimit: { limit: 3, windowMs: 60_000 } });
    const r1 = await get(sim, LIST);
    expect([
      r1.headers.get('x-ratelimit-limit'),
      r1.headers.get('x-ratelimit-remaining'),
      r1.headers.get('x-ratelimit-reset'),
    ]).toEqual(['3', '2', '60']);
    t += 15_500;
    const r2 = await get(sim, LIST);
    expect(r2.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(r2.headers.get('x-ratelimit-reset')).toBe('45');
    await get(sim, LIST);
    const r4 = await get(sim, LIST);
    expect(r4.status).toBe(429);
    expect(r4.json).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(r4.headers.get('retry-after')).toBe('45');
    expect(r4.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(sim.requests.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    t += 44_500;
    const fresh = await get(sim, LIST);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('x-ratelimit-remaining')).toBe('2');
  });

  test('epoch style reset and HTTP-date Retry-After', async () => {
    t = 1_700_000_000_500;
    sim = await startSimulator({
      numbers,
      now: () => t,
      rateLimit: { limit: 1, windowMs: 60_000, resetStyle: 'epoch', retryAfterStyle: 'http-date' },
    });
    const ok = await get(sim, LIST);
    expect(ok.headers.get('x-ratelimit-reset')).toBe('1700000061');
    const limited = await get(sim, LIST);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe(new Date(1_700_000_061_000).toUTCString());
    expect(Date.parse(limited.headers.get('retry-after') as string)).toBe(1_700_000_061_000);
  });

  test.each([
    ['epoch', 'up', '1700000061'],
    ['epoch', 'down', '1700000060'],
    ['seconds', 'up', '45'],
    ['seconds', 'down', '44'],
  ] as const)('%s-style reset rounded %s', async (resetStyle, resetRounding, reset) => {
    t = 1_700_000_000_500;
    sim = await startSimulator({
      numbers,
      now: () => t,
      rateLimit: { limit: 5, windowMs: 60_000, resetStyle, resetRounding },
    });
    await get(sim, LIST);
    t += 15_500; // 44.5 s left; the window ends at 1700000060.5
    expect((await get(sim, LIST)).headers.get('x-ratelimit-reset')).toBe(reset);
  });

  test('announce: false hides the headers but still limits', async () => {
    t = 0;
    sim = await startSimulator({ numbers, now: () => t, rateLimit: { limit: 1, windowMs: 1_000, announce: false } });
    const ok = await get(sim, LIST);
    expect(ok.headers.get('x-ratelimit-limit')).toBeNull();
    const limited = await get(sim, LIST);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining')).toBeNull();
    expect(limited.headers.get('retry-after')).toBe('1');
  });

  test('windows are per key, and resetLog forgets them', async () => {
    t = 0;
    sim = await startSimulator({
      numbers,
      now: () => t,
      keys: { key_a: 'full', key_b: 'full' },
      rateLimit: { limit: 1, windowMs: 10_000 },
    });
    expect((await get(sim, LIST, 'key_a')).status).toBe(200);
    expect((await get(sim, LIST, 'key_a')).status).toBe(429);
    expect((await get(sim, LIST, 'key_b')).status).toBe(200);
    sim.resetLog();
    expect((await get(sim, LIST, 'key_a')).status).toBe(200);
  });

  test('headers are on every answer of a known key, including agents and errors', async () => {
    t = 0;
    sim = await startSimulator({ numbers, now: () => t, rateLimit: { limit: 10, windowMs: 10_000 } });
    expect((await get(sim, '/v1/agents')).headers.get('x-ratelimit-remaining')).toBe('9');
    const bad = await get(sim, `${LIST}?page=0`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-ratelimit-remaining')).toBe('8');
  });
});
