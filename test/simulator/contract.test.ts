// The simulator against the fields DialNexa's published contract marks required (written here
// from the contract's facts): an agent needs `id` and `agent_type` (Single_Prompt_Agent or
// Conversational_Flow_Agent); an error is { statusCode: integer, message: string | string[],
// error: string }; the contract's list envelope is { items, total, page, limit } with `id` and
// `phone_number` on each item.
import { AGENTS_PATH, FOLDERS_PATH, generateAgents, LIST_PATH, startSimulator, type Simulator } from '../../simulator';
import { type Got, get } from './http';

const AGENT_TYPES = ['Single_Prompt_Agent', 'Conversational_Flow_Agent'];

function expectErrorEnvelope(status: number, json: unknown): void {
  expect(json).toEqual({
    statusCode: status,
    message: expect.anything(),
    error: expect.any(String),
  });
  const { message } = json as { message: unknown };
  const ok = typeof message === 'string' || (Array.isArray(message) && message.every((m) => typeof m === 'string'));
  expect(ok).toBe(true);
}

describe('simulator: required fields of the published contract', () => {
  let sim: Simulator;
  afterEach(() => sim?.close());

  test('every agent carries id and a contract agent_type, also when a test gives none', async () => {
    sim = await startSimulator({ agents: [{ id: 'agt_plain', current_version: { title: 'Plain' } }] });
    const given = await get(sim, AGENTS_PATH);
    expect(given.json.agents).toEqual([expect.objectContaining({ id: 'agt_plain', agent_type: AGENT_TYPES[0] })]);
    await sim.close();

    sim = await startSimulator({ agents: generateAgents(7, 5) });
    const generated = await get(sim, AGENTS_PATH);
    for (const agent of generated.json.agents as Record<string, unknown>[]) {
      expect(typeof agent.id).toBe('string');
      expect(AGENT_TYPES).toContain(agent.agent_type);
    }
  });

  test('every agent carries folder_id (null when it sits in no folder)', async () => {
    sim = await startSimulator({
      agents: [
        { id: 'a', current_version: { title: 'A' } },
        { id: 'b', folder_id: 'fld_1', current_version: { title: 'B' } },
      ],
    });
    const r = await get(sim, AGENTS_PATH);
    expect((r.json.agents as Array<Record<string, unknown>>).map((a) => a.folder_id)).toEqual([null, 'fld_1']);
  });

  test('folders: { folders, page, limit }, at most 50 a page, each with the required fields', async () => {
    const folders = Array.from({ length: 70 }, (_, i) => ({ id: `fld_${i}`, name: `Team ${i}` }));
    sim = await startSimulator({ folders });
    const first = await get(sim, `${FOLDERS_PATH}?page=1&limit=100`);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ folders: expect.any(Array), page: 1, limit: 50 });
    expect(first.json.folders).toHaveLength(50);
    const second = await get(sim, `${FOLDERS_PATH}?page=2&limit=50`);
    expect(second.json.folders).toHaveLength(20);
    for (const folder of [...first.json.folders, ...second.json.folders] as Record<string, unknown>[]) {
      expect(typeof folder.id).toBe('string');
      expect(typeof folder.organization_id).toBe('string');
      expect(typeof folder.name).toBe('string');
      expect((folder.name as string).length).toBeLessThanOrEqual(35);
      expect(typeof folder.is_deleted).toBe('boolean');
      expect(typeof folder.created_at).toBe('string');
      expect(typeof folder.updated_at).toBe('string');
    }
  });

  test('the contract envelope and its items', async () => {
    sim = await startSimulator({ envelope: 'items-total' });
    const r = await get(sim, `${LIST_PATH}?page=1&limit=100`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      items: expect.any(Array),
      total: expect.any(Number),
      page: 1,
      limit: 100,
    });
    for (const item of r.json.items as Record<string, unknown>[]) {
      expect(typeof item.id).toBe('string');
      expect(item.phone_number).toMatch(/^\+/);
    }
  });

  /** Provokes one answer with `status` the way a client would meet it. */
  async function answerWith(status: number): Promise<Got> {
    if (status === 400) return get(sim, `${LIST_PATH}?page=0`);
    if (status === 401) return get(sim, LIST_PATH, 'not-a-key');
    if (status === 404) return get(sim, '/v1/no-such-route');
    sim.enqueueFault(status === 429 ? { kind: 'status', status: 429 } : { kind: 'status', status: status as 403 });
    return get(sim, LIST_PATH);
  }

  test.each([400, 401, 403, 404, 429, 500, 503])('a %i answer has the error envelope', async (status) => {
    sim = await startSimulator();
    const r = await answerWith(status);
    expect(r.status).toBe(status);
    expectErrorEnvelope(status, r.json);
  });
});
