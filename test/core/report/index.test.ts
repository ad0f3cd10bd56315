import { normalizeAll } from '../../../lambda/core/normalize';
import { CSV_BOM, renderReport } from '../../../lambda/core/report';
import type { NumberRecord } from '../../../lambda/core/types';
import { reportContext } from '../fixtures';

describe('renderReport', () => {
  it('renders every part from raw records through normalize and audit, agreeing on the facts', () => {
    const records: NumberRecord[] = [
      { id: 'phn_gb', phone_number: '+447911123456', status: 'active', monthly_cost_usd: '1.15' },
      {
        id: 'phn_us',
        phone_number: '+18005550199',
        type: 'toll-free',
        status: 'active',
        agent_id: 'agt_1',
        monthly_cost_usd: 2,
      },
      { id: 'phn_in', phone_number: '+919876543210', rental_status: 'expired', nickname: 'Old <IN> line' },
    ];
    const numbers = normalizeAll(records);
    const report = renderReport(reportContext(numbers));

    expect(report.subject).toBe('[Action needed] DialNexa numbers: 3 total, 1 unrouted - Acme prod - Mon 30 Nov 2026');
    expect(report.text).toMatch(/^ {2}\+447911123456 +GB +Mobile\* +-$/m);
    expect(report.html).toContain('+447911123456');
    expect(report.html).toContain('$3.15');
    expect(report.text).toContain('$3.15');
    const lines = report.csv.toString('utf8').slice(CSV_BOM.length).split('\r\n');
    expect(lines).toHaveLength(5); // header, 3 rows, trailing empty
    expect(lines[1]).toBe('phn_gb,+447911123456,GB,mobile,true,active,,false,,,1.15,,api,,Acme prod,,,not_checked');
    expect(lines[2]).toBe(
      'phn_in,+919876543210,IN,mobile,true,expired,,false,Old <IN> line,,,,unknown,,Acme prod,,,not_checked',
    );
    expect(lines[3]).toBe(
      'phn_us,+18005550199,US,toll_free,false,active,agt_1,true,,,2.00,,api,,Acme prod,,,not_checked',
    );
  });
});
