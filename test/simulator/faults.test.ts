import { HTML_502_BODY, generatePortfolio, startSimulator, type Simulator } from '../../simulator';
import { get } from './http';

const LIST = '/v1/organization-phone-numbers';
const numbers = generatePortfolio({ seed: 9, size: 30, variants: 'mixed' });

describe('simulator: scripted faults', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ numbers });
  });
  afterEach(() => sim.close());

  test.each([401, 403, 404, 400, 500, 503, 504] as const)(
    'status %i answers the JSON envelope once',
    async (status) => {
      sim.enqueueFault({ kind: 'status', status });
      const r = await get(sim, LIST);
      expect(r.status).toBe(status);
      expect(r.json).toEqual({ statusCode: status, message: expect.any(String), error: expect.any(String) });
      expect((await get(sim, LIST)).status).toBe(200);
      expect(sim.requests.map((x) => x.fault)).toEqual(['status', undefined]);
    },
  );

  test('status fault carries a custom message', async () => {
    sim.enqueueFault({ kind: 'status', status: 503, message: 'maintenance' });
    expect((await get(sim, LIST)).json).toEqual({
      statusCode: 503,
      message: 'maintenance',
      error: 'Service Unavailable',
    });
  });

  test('429 with and without Retry-After', async () => {
    sim.enqueueFault({ kind: 'status', status: 429, retryAfter: '7' });
    sim.enqueueFault({ kind: 'status', status: 429 });
    const first = await get(sim, LIST);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    const second = await get(sim, LIST);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBeNull();
  });

  test('html-502 answers an HTML page', async () => {
    sim.enqueueFault({ kind: 'html-502' });
    const r = await get(sim, LIST);
    expect(r.status).toBe(502);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    expect(r.text).toBe(HTML_502_BODY);
  });

  test('malformed-json answers 200 with a body that does not parse', async () => {
    sim.enqueueFault({ kind: 'malformed-json' });
    const res = await fetch(`${sim.url}${LIST}?limit=5`, { headers: { Authorization: `Bearer ${sim.apiKey}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.length).toBeGreaterThan(10);
    expect(() => JSON.parse(text)).toThrow();
    expect(sim.requests[0]).toMatchObject({ status: 200, fault: 'malformed-json' });
  });

  test('slow-body sends half the JSON, then the rest after delayMs', async () => {
    const normal = (await get(sim, `${LIST}?limit=5`)).text;
    expect(JSON.parse(normal).data).toHaveLength(5);
    sim.enqueueFault({ kind: 'slow-body', delayMs: 200 });
    const res = await fetch(`${sim.url}${LIST}?limit=5`, { headers: { Authorization: `Bearer ${sim.apiKey}` } });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    const head = Buffer.from(first.value as Uint8Array).toString('utf8');
    // The first half is in the client's hands while the simulator has not yet sent the rest.
    expect(sim.requests[1]).toMatchObject({ status: 200, fault: 'slow-body', finishedAt: 0 });
    expect(normal.startsWith(head)).toBe(true);
    expect(head.length).toBe(Math.floor(normal.length / 2));
    let rest = '';
    for (let c = await reader.read(); !c.done; c = await reader.read()) rest += Buffer.from(c.value).toString('utf8');
    expect(head + rest).toBe(normal);
    expect(sim.requests[1].finishedAt).toBeGreaterThan(0);
    expect(sim.requests.map((r) => r.fault)).toEqual([undefined, 'slow-body']);
  });

  test('huge-body pads the normal answer to `bytes` with spaces, still valid JSON, with Content-Length', async () => {
    const normal = (await get(sim, `${LIST}?limit=5`)).text;
    sim.enqueueFault({ kind: 'huge-body', bytes: 300_000 });
    const r = await get(sim, `${LIST}?limit=5`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-length')).toBe('300000');
    expect(r.text).toHaveLength(300_000);
    expect(r.text.trimEnd()).toBe(normal);
    expect(r.json).toEqual(JSON.parse(normal));
    expect(sim.requests[1]).toMatchObject({ status: 200, fault: 'huge-body' });
  });

  test('huge-body with contentLength: false streams it chunked', async () => {
    sim.enqueueFault({ kind: 'huge-body', bytes: 300_000, contentLength: false });
    const r = await get(sim, LIST);
    expect(r.headers.get('content-length')).toBeNull();
    expect(r.headers.get('transfer-encoding')).toBe('chunked');
    expect(r.text).toHaveLength(300_000);
    expect(r.json.data).toHaveLength(20); // the default page size
  });

  test('faults match page and path, and are used in order', async () => {
    sim.enqueueFault({ kind: 'status', status: 500 }, { page: 2 });
    sim.enqueueFault({ kind: 'status', status: 503 }, { path: '/v1/agents' });
    sim.enqueueFault({ kind: 'status', status: 504 }, { page: 2 });
    expect((await get(sim, `${LIST}?page=1`)).status).toBe(200);
    expect((await get(sim, `${LIST}?page=2`)).status).toBe(500);
    expect((await get(sim, `${LIST}?page=2`)).status).toBe(504);
    expect((await get(sim, `${LIST}?page=2`)).status).toBe(200);
    expect((await get(sim, '/v1/agents')).status).toBe(503);
    expect((await get(sim, '/v1/agents')).status).toBe(200);
  });

  test('a fault without page matches page 1 when page is not given', async () => {
    sim.enqueueFault({ kind: 'status', status: 500 }, { page: 1 });
    expect((await get(sim, LIST)).status).toBe(500);
  });

  test('hang never answers; close() ends promptly and the client sees the connection drop', async () => {
    sim.enqueueFault({ kind: 'hang' });
    const pending = fetch(sim.url + LIST, { headers: { Authorization: `Bearer ${sim.apiKey}` } });
    const settled = pending.then(
      () => 'answered',
      () => 'dropped',
    );
    while (sim.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(sim.requests[0]).toMatchObject({ status: 0, fault: 'hang', finishedAt: 0 });
    // close() resolves although the hanging connection is open (jest's timeout would catch it
    // not doing so), and only then does the client learn anything: never an answer, a drop.
    await expect(sim.close()).resolves.toBeUndefined();
    expect(await settled).toBe('dropped');
    expect(sim.requests[0]).toMatchObject({ status: 0, finishedAt: 0 });
  });

  test('close() also ends a slow-body in progress and is idempotent', async () => {
    sim.enqueueFault({ kind: 'slow-body', delayMs: 60_000 });
    const res = await fetch(sim.url + LIST, { headers: { Authorization: `Bearer ${sim.apiKey}` } });
    const body = res.text().then(
      () => 'complete',
      () => 'cut',
    );
    // Both resolve long before the 60 s body would end (jest's timeout would catch a hold).
    await expect(Promise.all([sim.close(), sim.close()])).resolves.toEqual([undefined, undefined]);
    expect(await body).toBe('cut');
    expect(sim.requests[0]).toMatchObject({ fault: 'slow-body', finishedAt: 0 });
  });
});

describe('simulator: random faults', () => {
  async function statuses(seed: number, n: number): Promise<Array<[number, string | null]>> {
    const sim = await startSimulator({ numbers, randomFaults: { seed, rate429: 0.2, rate5xx: 0.2 } });
    try {
      const out: Array<[number, string | null]> = [];
      for (let i = 0; i < n; i++) {
        const r = await get(sim, LIST);
        out.push([r.status, r.headers.get('retry-after')]);
      }
      return out;
    } finally {
      await sim.close();
    }
  }

  test('a seed replays the same mix of 429 (Retry-After: 1) and 500/502/503', async () => {
    const a = await statuses(1234, 60);
    expect(await statuses(1234, 60)).toEqual(a);
    expect(await statuses(99, 60)).not.toEqual(a);
    const codes = a.map(([s]) => s);
    expect(new Set(codes)).toEqual(new Set([200, 429, 500, 502, 503]));
    for (const [s, retry] of a) if (s === 429) expect(retry).toBe('1');
    const ok = codes.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThan(20);
    expect(ok).toBeLessThan(55);
  });

  test('only list requests are faulted', async () => {
    const sim = await startSimulator({ numbers, randomFaults: { seed: 1, rate429: 1, rate5xx: 0 } });
    try {
      expect((await get(sim, '/v1/agents')).status).toBe(200);
      expect((await get(sim, LIST)).status).toBe(429);
      expect(sim.requests[1].fault).toBe('status');
    } finally {
      await sim.close();
    }
  });
});
