import { checkAgents } from '../../../lambda/core/agents';
import { diffSnapshots } from '../../../lambda/core/changes';
import { CHANGE_ROWS_LIMIT, renderHtml, renderText } from '../../../lambda/core/report';
import { toSnapshot } from '../../../lambda/core/snapshot';
import type { PhoneNumber } from '../../../lambda/core/types';
import type { ChangesSection } from '../../../lambda/core/workspace';
import { phone, reportContext } from '../fixtures';

const lastWeek = new Date('2026-11-23T09:00:00Z');
const agents = checkAgents(
  [],
  [
    { id: 'agt_sales', name: 'Sales bot' },
    { id: 'agt_support', name: 'Support' },
  ],
);

// Last week -> this week: one of each kind of change.
const steady = phone({ id: 'steady', phoneNumber: '+12015550001', inboundAgentId: 'agt_sales' });
const rerouted = phone({ id: 'rerouted', phoneNumber: '+12015550002', inboundAgentId: 'agt_sales' });
const losesAgent = phone({ id: 'loses', phoneNumber: '+12015550003', inboundAgentId: 'agt_support' });
const getsAgent = phone({ id: 'gets', phoneNumber: '+12015550004', inboundAgentId: null });
const expires = phone({ id: 'expires', phoneNumber: '+12015550005', inboundAgentId: null });
const gone = phone({
  id: 'gone',
  phoneNumber: '+33100000001',
  countryCode: 'FR',
  type: 'mobile',
  inboundAgentId: 'agt_sales',
});
const previous = toSnapshot('Acme prod', lastWeek, true, [steady, rerouted, losesAgent, getsAgent, expires, gone]);
const current: PhoneNumber[] = [
  steady,
  { ...rerouted, inboundAgentId: 'agt_support' },
  { ...losesAgent, inboundAgentId: null },
  { ...getsAgent, inboundAgentId: 'agt_sales' },
  { ...expires, status: 'expired' },
  phone({ id: 'new', phoneNumber: '+919000000001', countryCode: 'IN', type: 'toll_free', inboundAgentId: null }),
];
const compared: ChangesSection = { status: 'compared', changes: diffSnapshots(previous, current) };

/** The text of the HTML with tags removed and whitespace collapsed, for reading order and phrases. */
function visible(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<title>[\s\S]*?<\/title>/, '')
    .replace(/<div style="display:none[^>]*>[\s\S]*?<\/div>/, '')
    .replace(/<br>/g, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ');
}

describe('changes section: compared', () => {
  const ctx = reportContext(current, { changes: compared, agents });
  const html = renderHtml(ctx);
  const page = visible(html);
  const text = renderText(ctx);

  it('comes after the findings to act on, before the breakdowns', () => {
    const headline = page.indexOf('calls to these are rejected');
    const unrouted = page.indexOf('Unrouted numbers');
    const changes = page.indexOf('Changes since Mon 23 Nov 2026');
    expect(headline).toBeGreaterThan(-1);
    expect(unrouted).toBeGreaterThan(headline);
    expect(changes).toBeGreaterThan(unrouted);
    expect(changes).toBeGreaterThan(page.indexOf('Routed to a missing agent'));
    expect(changes).toBeLessThan(page.indexOf('Numbers by country and type'));
    const textChanges = text.indexOf('CHANGES SINCE MON 23 NOV 2026');
    expect(textChanges).toBeGreaterThan(text.indexOf('UNROUTED NUMBERS'));
    expect(textChanges).toBeLessThan(text.indexOf('NUMBERS BY COUNTRY AND TYPE'));
  });

  it('sums up what changed', () => {
    expect(page).toContain('1 added, 1 removed, 3 routing changes, 1 status change.');
    expect(text).toContain('1 added, 1 removed, 3 routing changes, 1 status change.');
  });

  it('calls out the number that lost its agent and the ones no longer unrouted', () => {
    expect(page).toMatch(/1 number lost its inbound agent: \+12015550003/);
    expect(page).toMatch(/2 numbers are no longer unrouted: \+12015550004 ?, \+12015550005/);
    expect(text).toContain('! 1 number lost its inbound agent: +12015550003');
    expect(text).toContain('2 numbers are no longer unrouted: +12015550004, +12015550005');
  });

  it('lists added and removed numbers with their agent ("none" when unrouted)', () => {
    expect(page).toMatch(/Added \(1\)[\s\S]*\+919000000001 IN Toll-free none/);
    expect(page).toMatch(/Removed \(1\)[\s\S]*\+33100000001 FR Mobile Sales bot/);
    expect(text).toMatch(/^Added \(1\):\n.*\n.*\n {2}\+919000000001 +IN +Toll-free +none$/m);
    expect(text).toMatch(/^Removed \(1\):\n.*\n.*\n {2}\+33100000001 +FR +Mobile +Sales bot$/m);
  });

  it('shows routing changes by agent name and status changes', () => {
    expect(page).toMatch(/Routing changed \(3\)[\s\S]*\+12015550002 Sales bot Support/);
    expect(page).toMatch(/\+12015550003 Support none/);
    expect(page).toMatch(/\+12015550004 none Sales bot/);
    expect(page).toMatch(/Status changed \(1\)[\s\S]*\+12015550005 active expired/);
    expect(text).toMatch(/^ {2}\+12015550002 +Sales bot +Support$/m);
    expect(text).toMatch(/^ {2}\+12015550005 +active +expired$/m);
  });

  it('gives the count deltas by country and type', () => {
    expect(page).toContain('By country: FR -1, IN +1');
    expect(page).toContain('By type: Toll-free +1, Mobile -1');
    expect(text).toContain('By country: FR -1, IN +1');
    expect(text).toContain('By type: Toll-free +1, Mobile -1');
  });

  it('shows agent ids when the agents were not read', () => {
    const withoutNames = visible(renderHtml(reportContext(current, { changes: compared })));
    expect(withoutNames).toMatch(/\+12015550002 agt_sales agt_support/);
  });

  it('caps each list and says where the rest is', () => {
    const many = Array.from({ length: CHANGE_ROWS_LIMIT + 3 }, (_, i) =>
      phone({ id: `n${i}`, phoneNumber: `+1202555${String(i).padStart(4, '0')}` }),
    );
    const section: ChangesSection = {
      status: 'compared',
      changes: diffSnapshots(toSnapshot('Acme prod', lastWeek, true, []), many),
    };
    const ctxMany = reportContext(many, { changes: section });
    const last = `+1202555${String(CHANGE_ROWS_LIMIT - 1).padStart(4, '0')}`;
    const first = `+1202555${String(CHANGE_ROWS_LIMIT).padStart(4, '0')}`;
    for (const out of [renderHtml(ctxMany), renderText(ctxMany)]) {
      expect(out).toContain(last);
      expect(out).not.toContain(first);
      expect(out).toContain('and 3 more in the archived audit.json');
    }
  });

  it('says so in one line when nothing changed', () => {
    const same: ChangesSection = {
      status: 'compared',
      changes: diffSnapshots(toSnapshot('Acme prod', lastWeek, true, current), current),
    };
    const ctxSame = reportContext(current, { changes: same });
    expect(visible(renderHtml(ctxSame))).toContain(
      'No changes: the same numbers, routed the same way, with the same status.',
    );
    expect(renderText(ctxSame)).toContain('No changes: the same numbers, routed the same way, with the same status.');
    expect(renderHtml(ctxSame)).not.toContain('Added (');
  });
});

describe('changes section: first run, skipped, not configured', () => {
  it('says there is no previous report on the first run', () => {
    const ctx = reportContext([phone()], { changes: { status: 'first-run' } });
    expect(renderHtml(ctx)).toContain('First report: there is no previous report to compare with.');
    expect(renderText(ctx)).toContain('First report: there is no previous report to compare with.');
  });

  it('shows a visible warning with the (escaped) reason when the comparison was skipped', () => {
    const ctx = reportContext([phone()], {
      changes: { status: 'skipped', reason: 'the previous snapshot is <b>corrupt</b>' },
    });
    const html = renderHtml(ctx);
    expect(html).toMatch(
      /background:#fffbeb[\s\S]*Warning: changes could not be compared:<\/strong> the previous snapshot is &lt;b&gt;corrupt&lt;\/b&gt;\./,
    );
    expect(html).not.toContain('<b>corrupt');
    expect(renderText(ctx)).toContain(
      'Warning: changes could not be compared: the previous snapshot is <b>corrupt</b>.',
    );
  });

  it('has no changes section at all without history', () => {
    const ctx = reportContext([phone()]);
    expect(renderHtml(ctx)).not.toMatch(/>Changes|First report|could not be compared/);
    expect(renderText(ctx)).not.toMatch(/^CHANGES/m);
  });
});
