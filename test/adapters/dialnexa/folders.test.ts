// GET /v1/organization-folders through the client: every page, at most 50 a page, and a 403 that
// names the missing access.
import { PermissionError } from '../../../lambda/core/errors';
import { FOLDERS_PATH, type SimFolder } from '../../../simulator';
import { clientFor, simulatorPerTest } from './fixtures';

const start = simulatorPerTest();

function folders(count: number): SimFolder[] {
  return Array.from({ length: count }, (_, i) => ({ id: `fld_${String(i).padStart(3, '0')}`, name: `Team ${i}` }));
}

describe('listFolders', () => {
  it('reads every page of 50 until a short one, in order', async () => {
    const sim = await start({ folders: folders(120) });
    const { client } = clientFor(sim);
    const got = await client.listFolders();
    expect(got).toHaveLength(120);
    expect(got[0]).toEqual({ id: 'fld_000', name: 'Team 0' });
    expect(got[119]).toEqual({ id: 'fld_119', name: 'Team 119' });
    const asked = sim.requests.filter((r) => r.path === FOLDERS_PATH).map((r) => [r.query.page, r.query.limit]);
    expect(asked).toEqual([
      ['1', '50'],
      ['2', '50'],
      ['3', '50'],
    ]);
  });

  it('asks for a page past an exactly full last page and stops on the empty one', async () => {
    const sim = await start({ folders: folders(50) });
    const { client } = clientFor(sim);
    expect(await client.listFolders()).toHaveLength(50);
    expect(sim.requests.filter((r) => r.path === FOLDERS_PATH)).toHaveLength(2);
  });

  it('a key that may not read folders gets a PermissionError naming the access to give', async () => {
    const sim = await start({ folders: folders(3), keys: { k: 'no-folders' } });
    const { client } = clientFor(sim, { keySource: { description: 'secret "x"', getKey: async () => 'k' } });
    const error = await client.listFolders().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionError);
    expect((error as Error).message).toMatch(/folders/);
  });

  it('retries a 503 on a folders page like any other read', async () => {
    const sim = await start({ folders: folders(60) });
    sim.enqueueFault({ kind: 'status', status: 503 }, { path: FOLDERS_PATH, page: 2 });
    const { client } = clientFor(sim);
    expect(await client.listFolders()).toHaveLength(60);
  });
});
