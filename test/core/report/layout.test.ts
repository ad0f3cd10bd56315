// What to act on comes first: the order of a workspace's sections, the headline's type split, new
// unrouted numbers marked, and the breakdowns drawn as bars (table cells, like the trend charts).
import { renderHtml, renderText } from '../../../lambda/core/report';
import { buildReport } from '../../../lambda/core/report/model';
import { formatUsd } from '../../../lambda/core/report/format';
import { demoWorkspace } from '../../../scripts/demo-portfolio';
import { phone, reportContext } from '../fixtures';
import { demoAudit, demoContext } from './demo-context';

const ctx = demoContext();
const html = renderHtml(ctx);
const text = renderText(ctx);

function demoSectionIds(): string[] {
  const [ws] = buildReport(ctx).workspaces;
  return ws?.ok ? ws.sections.map((s) => s.id) : [];
}

it('opens with the findings to act on, then what changed, then the breakdowns and charts', () => {
  expect(demoSectionIds()).toEqual([
    'unrouted',
    'missing-agents',
    'changes',
    'agents',
    'country-type',
    'cost',
    'use-case',
    'status',
  ]);
});

it('puts idle numbers with the findings, the trend last', () => {
  const audit = demoAudit();
  const [ws] = buildReport(
    demoContext({
      workspaces: [
        {
          ...audit,
          usage: { status: 'skipped', reason: 'The key may not read calls (403).' },
          trend: [],
        },
      ],
    }),
  ).workspaces;
  const ids = ws?.ok ? ws.sections.map((s) => s.id) : [];
  expect(ids.indexOf('idle')).toBe(ids.indexOf('missing-agents') + 1);
  expect(ids.indexOf('changes')).toBeGreaterThan(ids.indexOf('idle'));
  expect(ids.at(-1)).toBe('trend');
});

it('shows the type split in the headline of both parts', () => {
  const { byType } = demoAudit().audit;
  const local = byType.local.toLocaleString('en-US');
  expect(text).toMatch(new RegExp(`^ {2}By type +${local} local, [\\d,]+ [a-z-]+, [\\d,]+ [a-z-]+$`, 'm'));
  expect(html).toMatch(new RegExp(`<strong[^>]*>By type:</strong> ${local} local, `));
  // Under the tiles, before the first section.
  expect(html.indexOf('By type:')).toBeLessThan(html.indexOf('Unrouted numbers</h2>'));
});

it('marks the numbers that became unrouted since the previous run, and only those', () => {
  const story = demoWorkspace().story;
  const newly = new Set(story.newlyUnrouted);
  const unrouted = demoAudit().audit.unrouted;
  const marked = unrouted.filter((n) => newly.has(n.id)).map((n) => n.phoneNumber);
  expect(marked).toHaveLength(3);
  const rows = text.split('\n').filter((l) => / NEW /.test(l));
  expect(rows.map((l) => l.trim().split(/ +/)[0]).sort()).toEqual([...marked].sort());
  expect(text).toContain('NEW: routed at the previous run, unrouted now.');
  for (const number of marked) expect(html).toMatch(new RegExp(`\\${number}</span><br><span[^>]*>NEW</span>`));
  expect(html.match(/>NEW<\/span>/g)).toHaveLength(3);
});

it('leaves the unrouted table unmarked on a first run', () => {
  const first = renderText(reportContext([phone({ inboundAgentId: null })]));
  expect(first).not.toMatch(/\bNEW\b/);
  expect(first).toMatch(/^ {2}Number +Country +Type +Nickname$/m);
});

it('draws cost by country as bars, most spent first, each with its share', () => {
  const { cost } = demoAudit().audit;
  const [top, second] = Object.entries(cost.byCountry).sort(([, a], [, b]) => b - a);
  if (!top || !second) throw new Error('the demo has fewer than two priced countries');
  const share = (v: number) => `${Math.round((v / cost.totalMonthly) * 100)}%`;
  const topFigure = `${formatUsd(top[1])} (${share(top[1])})`;
  const card = html.slice(html.indexOf('Monthly cost (USD)</h2>'), html.indexOf('Cost by use case</h2>'));
  expect(card).toContain(topFigure);
  expect(card.indexOf(topFigure)).toBeLessThan(card.indexOf(`${formatUsd(second[1])} (${share(second[1])})`));
  // The longest bar is the whole track; bars are table cells with a colour, never images.
  expect(card).toMatch(/<td width="100%" bgcolor="#1d4ed8"/);
  expect(card).not.toMatch(/<img|<svg|<script/);
});

it('draws country x type as stacked bars with a legend, above the exact table', () => {
  const card = html.slice(html.indexOf('Numbers by country and type</h2>'), html.indexOf('Monthly cost (USD)</h2>'));
  for (const label of ['Local', 'Toll-free', 'Mobile'])
    expect(card).toMatch(new RegExp(`<td nowrap[^>]*>${label}</td>`));
  const stacked = [...card.matchAll(/<tr>((?:<td width="\d+%" bgcolor="[^"]+"[^>]*>&nbsp;<\/td>){2,})/g)];
  expect(stacked.length).toBeGreaterThan(0);
  expect(card.indexOf('bgcolor=')).toBeLessThan(card.indexOf('<th'));
});
