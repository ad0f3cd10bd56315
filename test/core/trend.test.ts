// The trend: the last 12 complete, unfiltered runs from the archive (this one included), oldest
// first, read from each run's small summary (or an older run's audit.json), drawn as bar charts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalArchive } from '../../lambda/adapters/archive/local-archive';
import { renderHtml, renderText } from '../../lambda/core/report';
import { parseRunSummary, type RunSummary, serializeRunSummary, TREND_RUNS, trendOf } from '../../lambda/core/trend';
import { phone, reportContext, workspace } from './fixtures';

const WEEK = 7 * 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 9);

function summary(i: number, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    generatedAt: new Date(T0 + i * WEEK).toISOString(),
    complete: true,
    unfiltered: true,
    total: 100 + i,
    unroutedCount: i,
    idleCount: 2 * i,
    totalMonthly: 115 + i,
    ...extra,
  };
}

describe('the archive', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trend-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function archived(runs: RunSummary[], file = 'summary.json') {
    const archive = new LocalArchive({ dir });
    for (const [i, s] of runs.entries()) {
      const body =
        file === 'summary.json'
          ? serializeRunSummary(s)
          : JSON.stringify({
              generatedAt: s.generatedAt,
              complete: s.complete,
              filters: s.unfiltered ? {} : { countryCode: 'US' },
              total: s.total,
              unroutedCount: s.unroutedCount,
              cost: { totalMonthly: s.totalMonthly },
            });
      await archive.writeRun({
        workspace: 'Acme',
        date: new Date(s.generatedAt),
        runId: `r${i}`,
        files: { [file]: body },
      });
    }
    return archive;
  }

  test.each([0, 1, 12, 20])('%i archived runs: the newest complete, unfiltered ones, at most 12', async (n) => {
    const archive = await archived(Array.from({ length: n }, (_, i) => summary(i)));
    const read = await archive.readRecentRuns('Acme', TREND_RUNS);
    expect(read).toHaveLength(Math.min(n, TREND_RUNS));
    const trend = trendOf(read, summary(n));
    expect(trend).toHaveLength(Math.min(n + 1, TREND_RUNS));
    expect(trend.at(-1)?.total).toBe(100 + n);
    expect(trend.map((p) => p.generatedAt)).toEqual([...trend.map((p) => p.generatedAt)].sort());
  });

  test('incomplete and filtered runs are skipped; older runs are read from their audit.json', async () => {
    const runs = [summary(0), summary(1, { complete: false }), summary(2, { unfiltered: false }), summary(3)];
    const read = await (await archived(runs, 'audit.json')).readRecentRuns('Acme', TREND_RUNS);
    expect(read.map((r) => r.total)).toEqual([103, 100]);
    expect(read[0]?.idleCount).toBeNull();
  });
});

test('this run joins the trend only when it is complete and unfiltered', () => {
  expect(trendOf([summary(0)], summary(1, { complete: false }))).toHaveLength(1);
  expect(parseRunSummary('not json')).toBeNull();
});

test('the email draws the trend as table-cell bars with the figures, and says when there is no history', () => {
  const trend = trendOf([summary(0), summary(1)], summary(2));
  const ws = workspace([phone()], { trend });
  const ctx = { ...reportContext([]), workspaces: [ws] };
  const html = renderHtml(ctx);
  expect(html).toContain('The last runs at a glance');
  expect(html).not.toMatch(/<img|<svg|<script/i);
  // The longest bar is the newest run's total (102); the first is 100/102 of it.
  expect(html).toMatch(/<td width="98%" bgcolor="#1d4ed8"/);
  const text = renderText(ctx);
  expect(text).toMatch(/5 Jan\s+100/);
  expect(text).toMatch(/19 Jan\s+\$117\.00/);
  const first = renderText({ ...ctx, workspaces: [workspace([phone()], { trend: trendOf([], summary(0)) })] });
  expect(first).toContain('No history yet');
});
