import { checkAgents } from '../../../lambda/core/agents';
import { diffSnapshots } from '../../../lambda/core/changes';
import { renderSubject, SUBJECT_MAX_LENGTH, type ReportContext } from '../../../lambda/core/report';
import { toSnapshot } from '../../../lambda/core/snapshot';
import { DEFAULT_ACTION_TRIGGERS, type ActionTriggers } from '../../../lambda/core/types';
import type { ChangesSection, WorkspaceOutcome } from '../../../lambda/core/workspace';
import { failedWorkspace, phone, reportContext, unroutedNumbers, workspace } from '../fixtures';

const routed = phone({ id: 'r1', phoneNumber: '+12015550900' });
const stray = [
  phone({ id: 'm1', phoneNumber: '+12015550901', inboundAgentId: 'agt_gone' }),
  phone({ id: 'm2', phoneNumber: '+12015550902', inboundAgentId: 'agt_gone' }),
];
const missingAgents = checkAgents([routed, ...stray], [{ id: 'agt_1', name: 'Main' }]);
const threeRemoved: ChangesSection = {
  status: 'compared',
  changes: diffSnapshots(
    toSnapshot(
      'Acme prod',
      new Date('2026-11-23T09:00:00Z'),
      true,
      ['a', 'b', 'c'].map((id, i) => phone({ id, phoneNumber: `+1202555000${i}` })),
    ),
    [routed],
  ),
};

function several(workspaces: WorkspaceOutcome[], triggers?: ActionTriggers): ReportContext {
  return { ...reportContext([]), workspaces, ...(triggers ? { triggers } : {}) };
}

describe('renderSubject', () => {
  it('states totals, unrouted, workspace and the day, and asks for action when something is unrouted', () => {
    const numbers = [...unroutedNumbers(37), ...Array.from({ length: 1213 }, (_, i) => phone({ id: `r${i}` }))];
    expect(renderSubject(reportContext(numbers))).toBe(
      '[Action needed] DialNexa numbers: 1,250 total, 37 unrouted - Acme prod - Mon 30 Nov 2026',
    );
  });

  it('does not ask for action when every number is routed', () => {
    const subject = renderSubject(reportContext([phone()]));
    expect(subject).toBe('DialNexa numbers: 1 total, 0 unrouted - Acme prod - Mon 30 Nov 2026');
    expect(subject).not.toContain('[Action needed]');
  });

  it('puts [INCOMPLETE] before everything else', () => {
    const subject = renderSubject(
      reportContext(unroutedNumbers(1), { complete: false, incompleteReason: 'short by 3' }),
    );
    expect(subject.startsWith('[INCOMPLETE] [Action needed] DialNexa numbers')).toBe(true);
    expect(renderSubject(reportContext([phone()], { complete: false }))).toMatch(/^\[INCOMPLETE\] DialNexa numbers/);
  });

  it('names the filters when the listing was filtered', () => {
    const subject = renderSubject(reportContext([phone()], { filters: { countryCode: 'US', type: 'toll_free' } }));
    expect(subject).toContain('DialNexa numbers (US, toll-free): 1 total');
  });

  it('never lets CR, LF or other control characters from the workspace name through', () => {
    const subject = renderSubject(
      reportContext([phone()], { name: 'Acme\r\nBcc: attacker@example.com\u0000\u2028\tprod' }),
    );
    expect(subject).not.toMatch(/[\u0000-\u001f\u007f\u2028\u2029]/);
    expect(subject).toContain('Acme Bcc: attacker@example.com prod');
  });

  it('caps the length with a long workspace name', () => {
    const subject = renderSubject(reportContext(unroutedNumbers(2), { complete: false, name: 'W'.repeat(500) }));
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
    expect(subject).toContain('W…');
    expect(subject.endsWith('Mon 30 Nov 2026')).toBe(true);
  });

  it('dates the report in the configured time zone, across midnight', () => {
    // 23:30 UTC on Monday is already Tuesday in Tokyo; 05:00 UTC on Tuesday is still Monday in Los Angeles.
    expect(
      renderSubject(reportContext([], { generatedAt: new Date('2026-11-30T23:30:00Z'), timeZone: 'Asia/Tokyo' })),
    ).toMatch(/ - Tue 1 Dec 2026$/);
    expect(
      renderSubject(
        reportContext([], { generatedAt: new Date('2026-12-01T05:00:00Z'), timeZone: 'America/Los_Angeles' }),
      ),
    ).toMatch(/ - Mon 30 Nov 2026$/);
    expect(
      renderSubject(reportContext([], { generatedAt: new Date('2026-12-01T05:00:00Z'), timeZone: 'UTC' })),
    ).toMatch(/ - Tue 1 Dec 2026$/);
  });

  it('rejects an unknown time zone instead of silently using another', () => {
    expect(() => renderSubject(reportContext([], { timeZone: 'Mars/Olympus_Mons' }))).toThrow(RangeError);
  });

  it('adds missing agents and removed numbers to the facts when there are any', () => {
    expect(renderSubject(reportContext([routed, ...stray], { agents: missingAgents, changes: threeRemoved }))).toBe(
      '[Action needed] DialNexa numbers: 3 total, 0 unrouted, 2 to missing agents, 3 removed - Acme prod - Mon 30 Nov 2026',
    );
    expect(
      renderSubject(
        reportContext([routed], { agents: { status: 'skipped', reason: '403' }, changes: { status: 'first-run' } }),
      ),
    ).toBe('DialNexa numbers: 1 total, 0 unrouted - Acme prod - Mon 30 Nov 2026');
  });

  it('sums several workspaces and counts the failed ones', () => {
    const subject = renderSubject(
      several([
        workspace([...unroutedNumbers(30), ...Array.from({ length: 1970 }, (_, i) => phone({ id: `a${i}` }))], {
          name: 'A',
        }),
        workspace([...unroutedNumbers(7), ...Array.from({ length: 493 }, (_, i) => phone({ id: `b${i}` }))], {
          name: 'B',
        }),
        failedWorkspace('C'),
      ]),
    );
    expect(subject).toBe(
      '[Action needed] DialNexa numbers: 3 workspaces, 2,500 total, 37 unrouted, 1 failed - Mon 30 Nov 2026',
    );
  });

  it('says [INCOMPLETE] when any audited workspace is incomplete, not for a failed one', () => {
    const incomplete = several([
      workspace([routed], { name: 'A' }),
      workspace([routed], { name: 'B', complete: false }),
    ]);
    expect(renderSubject(incomplete)).toBe(
      '[INCOMPLETE] DialNexa numbers: 2 workspaces, 2 total, 0 unrouted - Mon 30 Nov 2026',
    );
    const failed = several([workspace([routed], { name: 'A' }), failedWorkspace('B')]);
    expect(renderSubject(failed)).toBe(
      '[Action needed] DialNexa numbers: 2 workspaces, 1 total, 0 unrouted, 1 failed - Mon 30 Nov 2026',
    );
  });

  it.each([
    ['unrouted', () => reportContext(unroutedNumbers(2))],
    ['missingAgents', () => reportContext([routed, ...stray], { agents: missingAgents })],
    ['removedNumbers', () => reportContext([routed], { changes: threeRemoved })],
    ['failedWorkspaces', () => several([workspace([routed]), failedWorkspace('Beta')])],
  ] as const)('asks for action on %s unless that trigger is switched off', (key, build) => {
    const ctx = build();
    expect(renderSubject(ctx)).toMatch(/^\[Action needed\] DialNexa numbers/);
    const off = renderSubject({ ...ctx, triggers: { ...DEFAULT_ACTION_TRIGGERS, [key]: false } });
    expect(off).toMatch(/^DialNexa numbers/);
    // The facts stay even when the prefix is off.
    expect(off).toBe(renderSubject(ctx).replace('[Action needed] ', ''));
  });

  it('keeps the date and the length cap with huge figures and a long name', () => {
    const big = reportContext(unroutedNumbers(1), {
      complete: false,
      name: 'W'.repeat(500),
      agents: missingAgents,
      changes: threeRemoved,
      filters: { countryCode: 'US', type: 'toll_free' },
    });
    const ws = big.workspaces[0]!;
    if (!ws.ok) throw new Error('fixture');
    ws.audit = { ...ws.audit, total: 1_234_567_890, unrouted: Array.from({ length: 1_234_567 }, () => routed) };
    const subject = renderSubject(big);
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
    expect(subject).toMatch(
      /^\[INCOMPLETE\] \[Action needed\] DialNexa numbers \(US, toll-free\): 1,234,567,890 total, 1,234,567 unrouted, 2 to missing agents, 3 removed - W+… - Mon 30 Nov 2026$/,
    );
  });
});
