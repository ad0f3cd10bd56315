// The run's archive files: rendered first (while the email is built and sent), written after.
import { archiveRuns, prepareArchive } from '../../lambda/core/history';
import { type ArchivedRun, type ReportArchive, silentLogger } from '../../lambda/core/ports';
import { renderReport } from '../../lambda/core/report';
import { SNAPSHOT_FILE } from '../../lambda/core/snapshot';
import { RUN_SUMMARY_FILE } from '../../lambda/core/trend';
import { failedWorkspace, phone, reportContext, workspace } from './fixtures';

function memoryArchive() {
  const runs: ArchivedRun[] = [];
  const archive: ReportArchive = {
    async writeRun(run) {
      runs.push(run);
      return { location: `memory://${run.workspace}`, prefix: `${run.workspace}/` };
    },
    async readLatestSnapshot() {
      return null;
    },
    async writeLatestPointer() {
      return { updated: true };
    },
  };
  return { runs, archive };
}

describe('prepareArchive, then archiveRuns', () => {
  it('renders every file without writing any; archiveRuns writes them', async () => {
    const ws = workspace([phone(), phone({ id: 'phn_2', phoneNumber: '+12015550101' })]);
    const ctx = { ...reportContext([]), workspaces: [ws] };
    const report = renderReport(ctx);
    const { runs, archive } = memoryArchive();
    const prepared = prepareArchive({
      runId: 'r1',
      workspaces: [ctx.workspaces[0]],
      single: true,
      context: ctx,
      report,
    });
    expect(runs).toHaveLength(0);

    const result = await archiveRuns(archive, prepared, silentLogger);
    expect(result).toEqual({
      archived: [{ workspace: 'Acme prod', location: 'memory://Acme prod', baseline: true }],
      failures: [],
    });
    expect(Object.keys(runs[0].files).sort()).toEqual(
      ['audit.json', 'numbers.csv', 'report.html', RUN_SUMMARY_FILE, SNAPSHOT_FILE].sort(),
    );
    // One workspace: the archive keeps the email's own CSV and HTML.
    expect(runs[0].files['numbers.csv']).toBe(report.csv);
    expect(runs[0].files['report.html']).toBe(report.html);
    expect(runs[0]).toMatchObject({ workspace: 'Acme prod', runId: 'r1', date: ctx.generatedAt });
  });

  it('turns a workspace whose files fail into an archive failure, never a throw, and still writes the others', async () => {
    const good = workspace([phone()], { name: 'Good' });
    const broken = workspace([phone()], { name: 'Broken' });
    Object.defineProperty(broken, 'numbers', {
      get() {
        throw new Error('numbers unreadable');
      },
    });
    const ctx = { ...reportContext([]), workspaces: [broken, good, failedWorkspace('Down')] };
    const { runs, archive } = memoryArchive();
    const request = {
      runId: 'r2',
      workspaces: [broken, good],
      single: false,
      context: ctx,
      report: renderReport({ ...ctx, workspaces: [good] }),
    };

    const prepared = prepareArchive(request);
    const result = await archiveRuns(archive, prepared, silentLogger);
    expect(result.failures).toEqual(['the run could not be archived for Broken: numbers unreadable']);
    expect(result.archived.map((a) => a.workspace)).toEqual(['Good']);
    expect(runs.map((r) => r.workspace)).toEqual(['Good']);
  });
});
