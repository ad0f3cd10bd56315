// The inventory inside a workspace's run: a filtered run is not reconciled (every inventory
// number outside the filter would look missing), and the inventory is not even read.
import { silentLogger, type InventorySource, type RunAuditDeps } from '../../lambda/core/ports';
import type { Listing } from '../../lambda/core/types';
import { auditWorkspaces } from '../../lambda/core/workspace-run';

const listing: Listing = {
  records: [{ id: 'a', phone_number: '+12015550101', country_code: 'US', type: 'local', status: 'active' }],
  reportedTotal: 1,
  complete: true,
  stats: { pages: 1, requests: 1, retries: 0, rateLimited: 0, duplicatesDropped: 0, relisted: false, durationMs: 1 },
};

test('a filtered run says why it is not reconciled and never reads the inventory', async () => {
  let reads = 0;
  const inventory: InventorySource = {
    async read() {
      reads += 1;
      return null;
    },
  };
  const deps = {
    now: () => new Date('2026-03-02T09:00:00Z'),
    logger: silentLogger,
    inventory,
  } as unknown as RunAuditDeps;
  const { ok } = await auditWorkspaces(deps, {
    workspaces: [{ name: 'Acme', lister: { listAll: async () => listing } }],
    runId: 'r1',
    timeZone: 'UTC',
    from: 'a@example.com',
    to: ['b@example.com'],
    onDemandHint: '-',
    filters: { countryCode: 'US' },
    checkUsage: false,
  });
  expect(ok[0].inventory).toEqual({ status: 'unreadable', reason: expect.stringMatching(/^this run is filtered/) });
  expect(reads).toBe(0);
});
