// The run's archive files: each workspace rendered (prepareRun), then written by archiveRuns.
import { archiveRuns, prepareRun } from '../../lambda/core/history';
import { type ArchivedRun, type ReportArchive, silentLogger } from '../../lambda/core/ports';
import { renderReport } from '../../lambda/core/report';
import { SNAPSHOT_FILE, serializeSnapshot, snapshotDraft, toSnapshot } from '../../lambda/core/snapshot';
import { RUN_SUMMARY_FILE } from '../../lambda/core/trend';
import type { WorkspaceAudit } from '../../lambda/core/workspace';
import { failedWorkspace, phone, reportContext, workspace } from './fixtures';

function memoryArchive(events: string[] = []) {
  const runs: ArchivedRun[] = [];
  const archive: ReportArchive = {
    async writeRun(run) {
      events.push(`write ${run.workspace}`);
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

/** A workspace that notes when its numbers are read (rendering reads them; writing does not). */
function watched(name: string, events: string[]): WorkspaceAudit {
  const ws = workspace([phone()], { name });
  const numbers = ws.numbers;
  Object.defineProperty(ws, 'numbers', {
    get() {
      if (events[events.length - 1] !== `render ${name}`) events.push(`render ${name}`);
      return numbers;
    },
  });
  return ws;
}

function request(workspaces: WorkspaceAudit[], single: boolean) {
  const ctx = { ...reportContext([]), workspaces };
  return { runId: 'r1', workspaces, single, context: ctx, report: renderReport(ctx) };
}

describe('prepareRun and archiveRuns', () => {
  it('renders a workspace without writing it; archiveRuns writes the files rendered ahead as they are', async () => {
    const ws = workspace([phone(), phone({ id: 'phn_2', phoneNumber: '+12015550101' })]);
    const req = request([ws], true);
    const { runs, archive } = memoryArchive();
    const ready = prepareRun(req, ws);
    expect(runs).toHaveLength(0);

    const result = await archiveRuns(archive, req, silentLogger, ready);
    expect(result).toEqual({
      archived: [{ workspace: 'Acme prod', location: 'memory://Acme prod', baseline: true }],
      failures: [],
    });
    if (!('files' in ready)) throw new Error('the workspace did not render');
    // The very files rendered ahead: not rendered again.
    expect(runs[0].files).toBe(ready.files);
    expect(Object.keys(runs[0].files).sort()).toEqual(
      ['audit.json', 'numbers.csv', 'report.html', RUN_SUMMARY_FILE, SNAPSHOT_FILE].sort(),
    );
    // One workspace: the archive keeps the email's own CSV and HTML.
    expect(runs[0].files['numbers.csv']).toBe(req.report.csv);
    expect(runs[0].files['report.html']).toBe(req.report.html);
    expect(runs[0]).toMatchObject({ workspace: 'Acme prod', runId: 'r1', date: req.context.generatedAt });
  });

  it('renders and writes several workspaces one at a time, holding one workspace of files at once', async () => {
    const events: string[] = [];
    const workspaces = [watched('A', events), watched('B', events), watched('C', events)];
    const req = request(workspaces, false);
    events.length = 0;
    const { archive } = memoryArchive(events);

    await archiveRuns(archive, req, silentLogger);
    expect(events).toEqual(['render A', 'write A', 'render B', 'write B', 'render C', 'write C']);
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
    const req = {
      runId: 'r2',
      workspaces: [broken, good],
      single: false,
      context: ctx,
      report: renderReport({ ...ctx, workspaces: [good] }),
    };
    const { runs, archive } = memoryArchive();

    expect(prepareRun(req, broken)).toEqual({ ws: broken, error: new Error('numbers unreadable') });
    const result = await archiveRuns(archive, req, silentLogger);
    expect(result.failures).toEqual(['the run could not be archived for Broken: numbers unreadable']);
    expect(result.archived.map((a) => a.workspace)).toEqual(['Good']);
    expect(runs.map((r) => r.workspace)).toEqual(['Good']);
  });

  describe("snapshot.json from the workspace's draft", () => {
    const numbers = () => [phone(), phone({ id: 'phn_2', phoneNumber: '+12015550101', nickname: 'Zürich ☎' })];
    const expected = (ws: WorkspaceAudit) =>
      serializeSnapshot(toSnapshot(ws.name, reportContext([]).generatedAt, ws.complete, ws.numbers));
    const snapshotOf = (ws: WorkspaceAudit) => {
      const run = prepareRun(request([ws], true), ws);
      if (!('files' in run)) throw new Error('the workspace did not render');
      return String(run.files[SNAPSHOT_FILE]);
    };

    it('is the draft with its head when it was drafted from these very numbers (the draft is then spent)', () => {
      const ws = workspace(numbers());
      const draft = snapshotDraft(ws.name, ws.numbers) ?? undefined;
      ws.snapshotDraft = draft;
      expect(snapshotOf(ws)).toBe(expected(ws));
      expect(draft?.spent).toBe(true);
    });

    it('is written afresh when the draft is of other numbers or already spent', () => {
      const other = workspace(numbers());
      other.snapshotDraft = snapshotDraft(other.name, numbers()) ?? undefined;
      expect(snapshotOf(other)).toBe(expected(other));
      expect(other.snapshotDraft?.spent).toBe(false);
      const spent = workspace(numbers());
      spent.snapshotDraft = snapshotDraft(spent.name, spent.numbers) ?? undefined;
      spent.snapshotDraft?.file(new Date(), true);
      expect(snapshotOf(spent)).toBe(expected(spent));
    });
  });
});
