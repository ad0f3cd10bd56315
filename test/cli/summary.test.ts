// The CLI's closing summary says why an archived run did not become the baseline.
import { formatSummary } from '../../lambda/cli/summary';
import { auditNumbers } from '../../lambda/core/audit';
import type { AuditRun } from '../../lambda/core/run-audit';
import type { WorkspaceAudit } from '../../lambda/core/workspace';
import { phone, workspace } from '../core/fixtures';

function runOf(ws: WorkspaceAudit, baseline: boolean): AuditRun {
  return {
    status: 'sent',
    runId: 'run-1',
    generatedAt: new Date('2026-11-30T09:00:00Z'),
    filters: ws.filters,
    workspaces: [ws],
    combined: auditNumbers(ws.numbers),
    complete: ws.complete,
    failedWorkspaces: 0,
    archiveFailures: 0,
    report: { subject: '', html: '', text: '', csv: Buffer.alloc(0) },
    email: { raw: Buffer.alloc(0), attachment: 'csv', csvCut: false },
    dryRun: false,
    archived: [{ workspace: ws.name, location: '/tmp/history/run-1', baseline }],
    warnings: [],
  };
}

const history = (ws: WorkspaceAudit, baseline = false) =>
  formatSummary(runOf(ws, baseline))
    .split('\n')
    .find((l) => l.startsWith('History:'));

describe('formatSummary: the history line', () => {
  const numbers = [phone()];

  it('says nothing more when the run became the baseline', () => {
    expect(history(workspace(numbers), true)).toBe('History: /tmp/history/run-1');
  });

  it.each([
    ['incomplete', 'incomplete'],
    ['filtered', 'filtered'],
    ['unverified', 'the count is not verified'],
    ['one-off', 'a one-off run'],
    ['history-unreadable', 'the run history could not be read, so this listing could not be checked against it'],
  ] as const)('names the reason: %s', (reason, text) => {
    const ws = workspace(numbers, { baseline: { moves: false, reason } });
    expect(history(ws)).toBe(`History: /tmp/history/run-1 (not a baseline: ${text})`);
  });

  it('says the baseline guard held it, how many numbers are missing and how to confirm', () => {
    const ws = workspace(numbers, {
      baseline: { moves: false, reason: 'guard-held' },
      baselineGuard: {
        status: 'held',
        rule: 'share',
        missing: 1200,
        baselineTotal: 2000,
        listed: 800,
        maxLossShare: 0.5,
      },
    });
    expect(history(ws)).toBe(
      'History: /tmp/history/run-1 (not a baseline: held by the baseline guard: 1,200 numbers missing since the last report; run again with --confirm-baseline if that is right)',
    );
  });

  it('says a newer run holds the baseline when this one was meant to become it but lost the race', () => {
    expect(history(workspace(numbers))).toBe(
      'History: /tmp/history/run-1 (not a baseline: a newer run is already the baseline)',
    );
  });
});
