import { generateAgents, generatePortfolio, startSimulator, type SimRecord, type Simulator } from '../../simulator';
import { get } from './http';

const LIST = '/v1/organization-phone-numbers';

function records(n: number): SimRecord[] {
  return generatePortfolio({ seed: 11, size: n, variants: 'canonical' });
}

describe('simulator: envelopes and pagination', () => {
  let sim: Simulator;
  afterEach(() => sim?.close());

  test('data-meta envelope (default) with page math and a short last page', async () => {
    const inv = records(45);
    sim = await startSimulator({ numbers: inv });
    const p1 = await get(sim, `${LIST}?page=1&limit=20`);
    expect(p1.status).toBe(200);
    expect(p1.headers.get('content-type')).toMatch(/application\/json/);
    expect(p1.json.meta).toEqual({ page: 1, limit: 20, total: 45, totalPages: 3 });
    expect(p1.json.data.map((r: SimRecord) => r.id)).toEqual(inv.slice(0, 20).map((r) => r.id));
    const p3 = await get(sim, `${LIST}?page=3&limit=20`);
    expect(p3.json.data).toHaveLength(5);
    expect(p3.json.data.map((r: SimRecord) => r.id)).toEqual(inv.slice(40).map((r) => r.id));
    const p4 = await get(sim, `${LIST}?page=4&limit=20`);
    expect(p4.json).toEqual({ data: [], meta: { page: 4, limit: 20, total: 45, totalPages: 3 } });
  });

  test('items-total envelope has no totalPages', async () => {
    sim = await startSimulator({ numbers: records(7), envelope: 'items-total' });
    const r = await get(sim, `${LIST}?page=2&limit=5`);
    expect(Object.keys(r.json).sort()).toEqual(['items', 'limit', 'page', 'total']);
    expect(r.json).toMatchObject({ total: 7, page: 2, limit: 5 });
    expect(r.json.items).toHaveLength(2);
  });

  test('defaults to page 1 and limit 20; records are served whole, in insertion order', async () => {
    const inv = records(25);
    sim = await startSimulator({ numbers: inv });
    const r = await get(sim, LIST);
    expect(r.json.meta).toEqual({ page: 1, limit: 20, total: 25, totalPages: 2 });
    expect(r.json.data).toEqual(inv.slice(0, 20));
  });

  test('limit is clamped to maxLimit (100 by default, or the option)', async () => {
    sim = await startSimulator({ numbers: records(150) });
    const r = await get(sim, `${LIST}?limit=500`);
    expect(r.json.meta).toEqual({ page: 1, limit: 100, total: 150, totalPages: 2 });
    expect(r.json.data).toHaveLength(100);
    await sim.close();
    sim = await startSimulator({ numbers: records(30), maxLimit: 10 });
    const small = await get(sim, `${LIST}?limit=50&page=3`);
    expect(small.json.meta).toEqual({ page: 3, limit: 10, total: 30, totalPages: 3 });
    expect(small.json.data).toHaveLength(10);
  });

  test('an empty inventory says total 0 and totalPages 0', async () => {
    sim = await startSimulator();
    const r = await get(sim, LIST);
    expect(r.json).toEqual({ data: [], meta: { page: 1, limit: 20, total: 0, totalPages: 0 } });
  });

  test.each(['page=0', 'page=abc', 'limit=0', 'limit=-5', 'page=1.5', 'limit='])(
    'invalid query %s -> 400 envelope',
    async (q) => {
      sim = await startSimulator({ numbers: records(3) });
      const r = await get(sim, `${LIST}?${q}`);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(Array.isArray(r.json.message)).toBe(true);
    },
  );

  test('ignorePage serves page 1 for every page but echoes the requested page', async () => {
    const inv = records(30);
    sim = await startSimulator({ numbers: inv, ignorePage: true });
    const r = await get(sim, `${LIST}?page=2&limit=10`);
    expect(r.json.meta).toEqual({ page: 2, limit: 10, total: 30, totalPages: 3 });
    expect(r.json.data.map((x: SimRecord) => x.id)).toEqual(inv.slice(0, 10).map((x) => x.id));
  });
});

describe('simulator: filters', () => {
  const inv: SimRecord[] = [
    { id: 'phn_1', phone_number: '+911123456789', country_code: 'IN', type: 'local' },
    { id: 'phn_2', phone_number: '+919876543210', type: 'mobile' }, // country derived: IN
    { id: 'phn_3', phone_number: '+18005550199', country_code: 'US', type: 'toll-free' },
    { id: 'phn_4', phone_number: '+18884561234', country_code: 'CA', type: 'tollfree' },
    { id: 'phn_5', phone_number: '+448001234567', country_code: 'GB', type: 'toll_free' },
    { id: 'phn_6', phone_number: '+441534123456' }, // Jersey fixed line: country and type derived
    { id: 'phn_7', phone_number: '+918012345678', country_code: 'in', type: 'MOBILE' },
  ];
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ numbers: inv });
  });
  afterAll(() => sim.close());

  const ids = async (q: string) => (await get(sim, `${LIST}?limit=100&${q}`)).json.data.map((r: SimRecord) => r.id);

  test('country_code is case-insensitive and falls back to the number', async () => {
    expect(await ids('country_code=in')).toEqual(['phn_1', 'phn_2', 'phn_7']);
    expect(await ids('country_code=JE')).toEqual(['phn_6']);
    expect(await ids('country_code=CA')).toEqual(['phn_4']);
    expect(await ids('country_code=FR')).toEqual([]);
  });

  test('type compares canonical spellings and falls back to the number', async () => {
    for (const t of ['toll_free', 'toll-free', 'tollfree'])
      expect(await ids(`type=${t}`)).toEqual(['phn_3', 'phn_4', 'phn_5']);
    expect(await ids('type=mobile')).toEqual(['phn_2', 'phn_7']);
    expect(await ids('type=local')).toEqual(['phn_1', 'phn_6']);
  });

  test('filters combine and the meta counts the filtered set', async () => {
    const r = await get(sim, `${LIST}?country_code=US&type=toll_free&limit=1`);
    expect(r.json.data.map((x: SimRecord) => x.id)).toEqual(['phn_3']);
    expect(r.json.meta).toEqual({ page: 1, limit: 1, total: 1, totalPages: 1 });
  });
});

describe('simulator: auth, routes, agents, pricing', () => {
  let sim: Simulator;
  const agents = generateAgents(5, 3);
  const pricing = [
    { telephony_provider_id: 'twilio', country_iso: 'US', country_name: 'United States', credit_cost: '115' },
  ];
  beforeAll(async () => {
    sim = await startSimulator({
      numbers: records(3),
      agents,
      pricing,
      keys: { dnx_live_full: 'full', dnx_live_nonum: 'no-phone-numbers', dnx_live_noagents: 'no-agents' },
    });
  });
  afterAll(() => sim.close());

  test('apiKey is the first full key', () => {
    expect(sim.apiKey).toBe('dnx_live_full');
  });

  test.each([
    ['missing', null],
    ['unknown', 'dnx_live_wrong'],
  ])('%s key -> 401 envelope', async (_, key) => {
    const r = await get(sim, LIST, key);
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ statusCode: 401, message: expect.any(String), error: 'Unauthorized' });
  });

  test('a non-Bearer Authorization header is not accepted', async () => {
    const res = await fetch(sim.url + LIST, { headers: { Authorization: `Basic ${sim.apiKey}` } });
    expect(res.status).toBe(401);
  });

  test('no-phone-numbers key -> 403 on the list, but may read agents', async () => {
    const r = await get(sim, LIST, 'dnx_live_nonum');
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    expect((await get(sim, '/v1/agents', 'dnx_live_nonum')).status).toBe(200);
  });

  test('GET /v1/agents returns { agents }, 403 for no-agents keys; setAgents replaces them', async () => {
    expect((await get(sim, '/v1/agents')).json).toEqual({ agents });
    expect((await get(sim, '/v1/agents', 'dnx_live_noagents')).status).toBe(403);
    expect((await get(sim, LIST, 'dnx_live_noagents')).status).toBe(200);
    sim.setAgents(agents.slice(0, 1));
    expect((await get(sim, '/v1/agents')).json.agents.map((a: { id: string }) => a.id)).toEqual([agents[0].id]);
  });

  test('GET /v1/phone-number-pricing returns the pricing array', async () => {
    expect((await get(sim, '/v1/phone-number-pricing')).json).toEqual(pricing);
  });

  test('unknown route or method -> 404 envelope', async () => {
    const r = await get(sim, '/v1/nope');
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ statusCode: 404, message: 'Cannot GET /v1/nope', error: 'Not Found' });
    const post = await fetch(sim.url + LIST, { method: 'POST', headers: { Authorization: `Bearer ${sim.apiKey}` } });
    expect(post.status).toBe(404);
  });
});

describe('simulator: inventory, afterPage and request log', () => {
  let sim: Simulator;
  afterEach(() => sim?.close());

  test('add / remove / update change what is served; inventory() is a copy', async () => {
    const inv = records(3);
    sim = await startSimulator({ numbers: inv });
    sim.add({ id: 'phn_new', phone_number: '+12125550100' });
    sim.remove(inv[0].id);
    sim.update(inv[1].id, { inbound_agent_id: null, nickname: undefined });
    const served = (await get(sim, LIST)).json.data as SimRecord[];
    expect(served.map((r) => r.id)).toEqual([inv[1].id, inv[2].id, 'phn_new']);
    expect(served[0].inbound_agent_id).toBeNull();
    expect('nickname' in served[0]).toBe(false);
    const copy = sim.inventory();
    copy[0].phone_number = 'mutated';
    expect(sim.inventory()[0].phone_number).toBe(inv[1].phone_number);
    expect(() => sim.add({ id: 'phn_new', phone_number: '+1' })).toThrow(/duplicate/);
    expect(() => sim.update('phn_missing', {})).toThrow();
  });

  test('afterPage hook deletes a number between pages (page 2 shifts) and runs once', async () => {
    const inv = records(30);
    sim = await startSimulator({ numbers: inv });
    let runs = 0;
    sim.afterPage(1, () => {
      runs++;
      sim.remove(inv[0].id);
    });
    const p1 = await get(sim, `${LIST}?page=1&limit=10`);
    expect(p1.json.data[0].id).toBe(inv[0].id);
    expect(p1.json.meta.total).toBe(30);
    const p2 = await get(sim, `${LIST}?page=2&limit=10`);
    expect(p2.json.data[0].id).toBe(inv[11].id);
    expect(p2.json.meta.total).toBe(29);
    await get(sim, `${LIST}?page=1&limit=10`);
    expect(runs).toBe(1);
  });

  test('afterPage hook inserts a number that shows on a later page', async () => {
    const inv = records(15);
    sim = await startSimulator({ numbers: inv });
    sim.afterPage(2, () => sim.add({ id: 'phn_late', phone_number: '+12125550199' }));
    await get(sim, `${LIST}?page=1&limit=10`);
    const p2 = await get(sim, `${LIST}?page=2&limit=10`);
    expect(p2.json.data.map((r: SimRecord) => r.id)).not.toContain('phn_late');
    expect(p2.json.meta.total).toBe(15);
    const again = await get(sim, `${LIST}?page=2&limit=10`);
    expect(again.json.data.map((r: SimRecord) => r.id)).toContain('phn_late');
    expect(again.json.meta.total).toBe(16);
  });

  test('records every request with the simulator clock and never the key', async () => {
    let t = 1_000;
    sim = await startSimulator({ numbers: records(2), now: () => (t += 5) });
    await get(sim, `${LIST}?page=1&limit=5&country_code=US`);
    await get(sim, '/v1/agents', 'dnx_bad_key');
    expect(sim.requests).toEqual([
      {
        seq: 1,
        method: 'GET',
        path: LIST,
        query: { page: '1', limit: '5', country_code: 'US' },
        authorized: true,
        status: 200,
        receivedAt: 1_005,
        finishedAt: 1_010,
      },
      {
        seq: 2,
        method: 'GET',
        path: '/v1/agents',
        query: {},
        authorized: false,
        status: 401,
        receivedAt: 1_015,
        finishedAt: 1_020,
      },
    ]);
    const dump = JSON.stringify(sim.requests);
    expect(dump).not.toContain(sim.apiKey);
    expect(dump).not.toContain('dnx_bad_key');
    sim.resetLog();
    expect(sim.requests).toHaveLength(0);
    await get(sim, LIST);
    expect(sim.requests.map((r) => r.seq)).toEqual([1]);
  });

  /** Whether the answer had been sent when the simulator first showed the request in its log. */
  async function answeredOnArrival(s: Simulator): Promise<{ answeredOnArrival: boolean; status: number }> {
    const before = s.requests.length;
    const pending = get(s, LIST);
    // The log entry appears in the same tick the request is handled; without latency the answer
    // is written in that tick too.
    while (s.requests.length === before) await new Promise((r) => setImmediate(r));
    const answered = s.requests[before].status !== 0;
    return { answeredOnArrival: answered, status: (await pending).status };
  }

  test('latencyMs delays every answer', async () => {
    sim = await startSimulator({ numbers: records(2), latencyMs: 120 });
    await expect(answeredOnArrival(sim)).resolves.toEqual({ answeredOnArrival: false, status: 200 });
    sim.enqueueFault({ kind: 'status', status: 500 });
    await expect(answeredOnArrival(sim)).resolves.toEqual({ answeredOnArrival: false, status: 500 });
    expect(sim.requests.map((r) => r.status)).toEqual([200, 500]);
  });

  test('without latencyMs the answer is sent as the request is handled', async () => {
    sim = await startSimulator({ numbers: records(2) });
    await expect(answeredOnArrival(sim)).resolves.toEqual({ answeredOnArrival: true, status: 200 });
  });
});
