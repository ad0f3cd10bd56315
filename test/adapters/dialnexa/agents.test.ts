import { createDialNexaClient } from '../../../lambda/adapters/dialnexa';
import { ApiError, DeadlineExceededError, PermissionError } from '../../../lambda/core/errors';
import { generateAgents } from '../../../simulator';
import type { SimulatorOptions } from '../../../simulator/types';
import { clientFor, keySource, START, simulatorPerTest } from './fixtures';

const start = simulatorPerTest();

async function setup(options: SimulatorOptions = {}, clientOptions: { maxAttempts?: number } = {}) {
  const s = await start(options);
  return { s, ...clientFor(s, clientOptions) };
}

describe('listAgents', () => {
  it('names every agent by its current version title', async () => {
    const agents = generateAgents(11, 3);
    const { s, client } = await setup({ agents: [...agents, { id: 'agt_untitled', current_version: { title: '' } }] });
    await expect(client.listAgents()).resolves.toEqual([
      ...agents.map((a) => ({ id: a.id, name: a.current_version.title, folderId: null })),
      { id: 'agt_untitled', name: null, folderId: null },
    ]);
    expect(s.requests.map((r) => r.path)).toEqual(['/v1/agents']);
  });

  it('retries a 503 on the agents endpoint', async () => {
    const { s, client, clock } = await setup({ agents: generateAgents(1, 2) });
    s.enqueueFault({ kind: 'status', status: 503 }, { path: '/v1/agents' });
    await expect(client.listAgents()).resolves.toHaveLength(2);
    expect(clock.sleeps).toEqual([250]);
  });

  it('turns a 403 into PermissionError saying the key cannot read agents', async () => {
    const { client } = await setup({ keys: { dnx_test_numbers_only: 'no-agents' } });
    const err = await client.listAgents().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionError);
    expect((err as Error).message).toMatch(/the key cannot read agents \(403\)/);
  });

  it('re-reads the key once on a 401 and, the key being unchanged, fails with AuthError without asking again', async () => {
    const { s } = await setup();
    const keys = keySource('dnx_test_wrong');
    const bad = createDialNexaClient({ baseUrl: s.url, keySource: keys, sleep: async () => undefined });
    await expect(bad.listAgents()).rejects.toThrow(
      /^DialNexa rejected the API key from secret "test\/dialnexa" \(401\)/,
    );
    expect(keys.reads).toEqual([{ fresh: false }, { fresh: true }]);
    expect(s.requests).toHaveLength(1);
  });

  it('retries the agents list once with a rotated key found by the fresh read', async () => {
    const { s } = await setup({ agents: generateAgents(3, 2) });
    const keys = keySource('dnx_test_rotated_away', s.apiKey);
    const client = createDialNexaClient({ baseUrl: s.url, keySource: keys, sleep: async () => undefined });
    await expect(client.listAgents()).resolves.toHaveLength(2);
    expect(keys.reads).toEqual([{ fresh: false }, { fresh: true }]);
    expect(s.requests.map((r) => r.authorized)).toEqual([false, true]);
  });

  it('reports a malformed agents list', async () => {
    const { s, client } = await setup({ agents: generateAgents(2, 1) }, { maxAttempts: 2 });
    s.enqueueFault({ kind: 'malformed-json' }, { path: '/v1/agents' });
    s.enqueueFault({ kind: 'malformed-json' }, { path: '/v1/agents' });
    await expect(client.listAgents()).rejects.toThrow(ApiError);
    await expect(client.listAgents()).resolves.toHaveLength(1);
  });

  it('respects the deadline', async () => {
    const { s, client } = await setup();
    await expect(client.listAgents({ deadline: START })).rejects.toThrow(DeadlineExceededError);
    expect(s.requests).toHaveLength(0);
  });
});
