import { formatCount, formatDateTime, formatReportDate, formatUsd } from '../../../lambda/core/report';

describe('format', () => {
  it('groups counts and money the en-US way', () => {
    expect(formatCount(1250)).toBe('1,250');
    expect(formatCount(0)).toBe('0');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(0.3)).toBe('$0.30');
  });

  it('formats the day and time in the given zone', () => {
    const at = new Date('2026-03-29T00:30:00Z'); // the night the UK moves to summer time
    expect(formatReportDate(at, 'Europe/London')).toBe('Sun 29 Mar 2026');
    expect(formatDateTime(at, 'Europe/London')).toBe('Sun 29 Mar 2026 00:30 GMT (Europe/London)');
    expect(formatDateTime(new Date('2026-03-29T01:30:00Z'), 'Europe/London')).toBe(
      'Sun 29 Mar 2026 02:30 BST (Europe/London)',
    );
    expect(formatReportDate(new Date('2026-12-31T23:59:59Z'), 'Pacific/Kiritimati')).toBe('Fri 1 Jan 2027');
  });
});
