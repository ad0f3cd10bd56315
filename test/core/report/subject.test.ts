import { renderSubject, SUBJECT_MAX_LENGTH } from '../../../lambda/core/report';
import { phone, reportContext, unroutedNumbers } from '../fixtures';

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
    const subject = renderSubject(reportContext(unroutedNumbers(1), { complete: false, incompleteReason: 'short by 3' }));
    expect(subject.startsWith('[INCOMPLETE] [Action needed] DialNexa numbers')).toBe(true);
    expect(renderSubject(reportContext([phone()], { complete: false }))).toMatch(/^\[INCOMPLETE\] DialNexa numbers/);
  });

  it('names the filters when the listing was filtered', () => {
    const subject = renderSubject(reportContext([phone()], { filters: { countryCode: 'US', type: 'toll_free' } }));
    expect(subject).toContain('DialNexa numbers (US, toll-free): 1 total');
  });

  it('never lets CR, LF or other control characters from the workspace name through', () => {
    const subject = renderSubject(
      reportContext([phone()], { workspaceName: 'Acme\r\nBcc: attacker@example.com\u0000\u2028\tprod' }),
    );
    expect(subject).not.toMatch(/[\u0000-\u001f\u007f\u2028\u2029]/);
    expect(subject).toContain('Acme Bcc: attacker@example.com prod');
  });

  it('caps the length with a long workspace name', () => {
    const subject = renderSubject(reportContext(unroutedNumbers(2), { complete: false, workspaceName: 'W'.repeat(500) }));
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
    expect(subject).toContain('W…');
    expect(subject.endsWith('Mon 30 Nov 2026')).toBe(true);
  });

  it('dates the report in the configured time zone, across midnight', () => {
    // 23:30 UTC on Monday is already Tuesday in Tokyo; 05:00 UTC on Tuesday is still Monday in Los Angeles.
    expect(renderSubject(reportContext([], { generatedAt: new Date('2026-11-30T23:30:00Z'), timeZone: 'Asia/Tokyo' }))).toMatch(
      / - Tue 1 Dec 2026$/,
    );
    expect(
      renderSubject(reportContext([], { generatedAt: new Date('2026-12-01T05:00:00Z'), timeZone: 'America/Los_Angeles' })),
    ).toMatch(/ - Mon 30 Nov 2026$/);
    expect(renderSubject(reportContext([], { generatedAt: new Date('2026-12-01T05:00:00Z'), timeZone: 'UTC' }))).toMatch(
      / - Tue 1 Dec 2026$/,
    );
  });

  it('rejects an unknown time zone instead of silently using another', () => {
    expect(() => renderSubject(reportContext([], { timeZone: 'Mars/Olympus_Mons' }))).toThrow(RangeError);
  });
});
