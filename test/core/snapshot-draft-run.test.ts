// This week's snapshot draft inside a workspace's run: made to compare with the baseline, and kept
// for the archive only by a one-workspace run that writes history (a run of several workspaces
// renders each snapshot file just before writing it, holding one at a time).
import { changesSince } from '../../lambda/core/history';
import { type Logger, silentLogger, type ReportArchive, type RunAuditDeps } from '../../lambda/core/ports';
import type { RunAuditOptions } from '../../lambda/core/run-types';
import { serializeSnapshot, toSnapshot } from '../../lambda/core/snapshot';
import type { Listing } from '../../lambda/core/types';
import { Utf8Writer } from '../../lambda/core/utf8-writer';
import { auditWorkspaces } from '../../lambda/core/workspace-run';
import { phone } from './fixtures';

const listing: Listing = {
  records: [
    { id: 'a', phone_number: '+12015550101', country_code: 'US', type: 'local', status: 'active' },
    { id: 'b', phone_number: '+12015550102', country_code: 'US', type: 'local', status: 'active' },
  ],
  reportedTotal: 2,
  complete: true,
  stats: { pages: 1, requests: 1, retries: 0, rateLimited: 0, duplicatesDropped: 0, relisted: false, durationMs: 1 },
};

/** An archive whose baseline holds number `a` only. */
const archive: ReportArchive = {
  async writeRun() {
    return { location: 'memory://run', prefix: 'run/' };
  },
  async readLatestSnapshot(workspace) {
    const last = toSnapshot(workspace, new Date('2026-02-23T09:00:00Z'), true, [
      phone({ id: 'a', phoneNumber: '+12015550101' }),
    ]);
    return { ok: true, bytes: Buffer.from(serializeSnapshot(last)), location: 'memory://last' };
  },
  async writeLatestPointer() {
    return { updated: true };
  },
};

const deps = { now: () => new Date('2026-03-02T09:00:00Z'), logger: silentLogger, archive } as unknown as RunAuditDeps;

function options(names: string[], writeHistory: boolean): RunAuditOptions {
  return {
    workspaces: names.map((name) => ({ name, lister: { listAll: async () => listing } })),
    runId: 'r1',
    timeZone: 'UTC',
    from: 'a@example.com',
    to: ['b@example.com'],
    onDemandHint: '-',
    checkUsage: false,
    writeHistory,
  };
}

test.each([
  { label: 'one workspace that writes history', names: ['Acme'], write: true, kept: true },
  { label: 'one workspace that does not (a dry run)', names: ['Acme'], write: false, kept: false },
  { label: 'several workspaces that write history', names: ['Acme', 'Globex'], write: true, kept: false },
])('$label: compares with the baseline; the draft is kept for the archive: $kept', async ({ names, write, kept }) => {
  const { ok } = await auditWorkspaces(deps, options(names, write));
  expect(ok).toHaveLength(names.length);
  for (const ws of ok) {
    expect(ws.changes?.status === 'compared' && ws.changes.changes.added.map((n) => n.id)).toEqual(['b']);
    expect(ws.snapshotDraft !== undefined).toBe(kept);
    if (ws.snapshotDraft) expect(ws.snapshotDraft.of).toBe(ws.numbers);
  }
});

test('a draft that cannot be made leaves the comparison to read every number, never history unreadable', async () => {
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (message) => void warnings.push(message) };
  const numbers = [phone({ id: 'a', phoneNumber: '+12015550101' }), phone({ id: 'b', phoneNumber: '+12015550102' })];
  const done = jest.spyOn(Utf8Writer.prototype, 'done').mockImplementationOnce(() => {
    throw new RangeError('Array buffer allocation failed');
  });
  try {
    const { section, draft } = await changesSince(archive, 'Acme', {}, true, numbers, logger);
    expect(section.status === 'compared' && section.changes.added.map((n) => n.id)).toEqual(['b']);
    expect(section).not.toHaveProperty('historyUnreadable');
    expect(draft).toBeUndefined();
    expect(warnings).toEqual(["this week's snapshot could not be drafted; comparing without it"]);
  } finally {
    done.mockRestore();
  }
});
