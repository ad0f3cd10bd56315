// --out's writes: a file that fails must not cut short the ones already going to disk.
import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOutputs } from '../../lambda/cli/output';
import { auditNumbers } from '../../lambda/core/audit';
import type { AuditRun } from '../../lambda/core/run-audit';
import { phone, workspace } from '../core/fixtures';

describe('startOutputs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'number-audit-out-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails only once the files already started are whole, when a later one cannot even be made', async () => {
    // JSON cannot write a BigInt: making audit.json throws after numbers.csv has been started.
    const ws = workspace([phone()], { reportedTotal: 10n as unknown as number });
    const csv = Buffer.alloc(64 * 1024 * 1024, 'a');
    const run: AuditRun = {
      status: 'dry-run',
      runId: 'run-1',
      generatedAt: new Date('2026-11-30T09:00:00Z'),
      filters: {},
      workspaces: [ws],
      combined: auditNumbers(ws.numbers),
      complete: true,
      failedWorkspaces: 0,
      archiveFailures: 0,
      report: { subject: 'S', html: '<p>h</p>', text: 't', csv },
      email: { raw: Buffer.from('raw'), attachment: 'csv', csvCut: false },
      dryRun: true,
      archived: [],
      warnings: [],
    };
    const files = startOutputs(dir, run, {}, ['numbers.csv', 'audit.json']);
    // Its size read at the moment the failure arrives, with no other I/O in between.
    const failure = await files.written.then(
      () => undefined,
      (error: unknown) => ({ error, csvBytes: statSync(join(dir, 'numbers.csv')).size }),
    );
    expect(String(failure?.error)).toMatch(/BigInt/);
    expect(failure?.csvBytes).toBe(csv.length);
    expect((await readFile(join(dir, 'numbers.csv'))).equals(csv)).toBe(true);
  });
});
