import { renderText } from '../../../lambda/core/report';
import { UNKNOWN_COUNTRY } from '../../../lambda/core/types';
import { phone, reportContext, unroutedNumbers } from '../fixtures';

/** The indented table lines that follow a section title. */
function tableAfter(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(title.toUpperCase());
  const out: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (line.startsWith('  ')) out.push(line);
    else if (out.length > 0) break;
  }
  return out;
}

describe('renderText', () => {
  it('opens with INCOMPLETE when the listing was incomplete, and never otherwise', () => {
    const text = renderText(reportContext([phone()], { complete: false, incompleteReason: 'Listed 9 of 10 numbers.' }));
    expect(text.split('\n')[0]).toBe('INCOMPLETE REPORT: Listed 9 of 10 numbers.');
    expect(renderText(reportContext([phone()]))).not.toMatch(/incomplete/i);
  });

  it('carries the headline figures', () => {
    const text = renderText(reportContext([...unroutedNumbers(2), phone({ status: 'pending', monthlyCostUsd: null })]));
    expect(text).toMatch(/^ {2}Numbers +3$/m);
    expect(text).toMatch(/^ {2}Unrouted +2$/m);
    expect(text).toMatch(/^ {2}Not active +1$/m);
    expect(text).toMatch(/^ {2}Monthly cost \(known\) +\$2\.30$/m);
  });

  it('aligns the country x type matrix into columns of equal width', () => {
    const text = renderText(
      reportContext([
        ...Array.from({ length: 1234 }, (_, i) => phone({ id: `us${i}`, countryCode: 'US' })),
        phone({ countryCode: 'GB', type: 'mobile' }),
        phone({ countryCode: UNKNOWN_COUNTRY, type: 'unknown' }),
      ]),
    );
    const table = tableAfter(text, 'Numbers by country and type');
    expect(table[0]).toBe('  Country  Local  Toll-free  Mobile  Unknown  Total');
    expect(table).toContain('  US       1,234          0       0        0  1,234');
    expect(table.at(-1)).toBe('  Total    1,234          0       1        1  1,236');
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
  });

  it('lists the first unrouted numbers and points to the CSV for the rest', () => {
    const text = renderText(reportContext(unroutedNumbers(103)));
    expect(text).toContain('+12015550099');
    expect(text).not.toContain('+12015550100');
    expect(text).toContain('and 3 more in the CSV.');
  });

  it('keeps a nickname with line breaks on its own row', () => {
    const text = renderText(reportContext([phone({ inboundAgentId: null, nickname: 'Front\r\ndesk\tline' })]));
    expect(text).toMatch(/^ {2}\+12015550100 +US +Local +Front desk line$/m);
  });

  it('shows cost by country x type with totals and the share of each country', () => {
    const text = renderText(
      reportContext([
        phone({ countryCode: 'US', type: 'local', monthlyCostUsd: 1.15 }),
        phone({ countryCode: 'US', type: 'toll_free', monthlyCostUsd: 2 }),
        phone({ countryCode: 'GB', type: 'local', monthlyCostUsd: 0.85 }),
      ]),
    );
    const table = tableAfter(text, 'Monthly cost (USD)');
    expect(table[0]).toMatch(/^ {2}Country +Local +Toll-free +Total +Share$/);
    expect(table).toContainEqual(expect.stringMatching(/^ {2}US +\$1\.15 +\$2\.00 +\$3\.15 +79%$/));
    expect(table).toContainEqual(expect.stringMatching(/^ {2}GB +\$0\.85 +- +\$0\.85 +21%$/));
    expect(table.at(-1)).toMatch(/^ {2}Total +\$2\.00 +\$2\.00 +\$4\.00$/);
  });

  it('lists cost by spend, most first, whatever the number count', () => {
    const text = renderText(
      reportContext([
        phone({ countryCode: 'US', type: 'local', monthlyCostUsd: 1 }),
        phone({ countryCode: 'US', type: 'local', monthlyCostUsd: 1 }),
        phone({ countryCode: 'GB', type: 'local', monthlyCostUsd: 9 }),
      ]),
    );
    const rows = tableAfter(text, 'Monthly cost (USD)').slice(2, 4);
    expect(rows[0]).toMatch(/^ {2}GB +\$9\.00 +\$9\.00 +82%$/);
    expect(rows[1]).toMatch(/^ {2}US +\$2\.00 +\$2\.00 +18%$/);
  });

  it('ends with when, where and how to run it again', () => {
    const text = renderText(
      reportContext([], { generatedAt: new Date('2026-11-30T23:30:00Z'), timeZone: 'Asia/Tokyo' }),
    );
    expect(text).toContain('Generated: Tue 1 Dec 2026 08:30 GMT+9 (Asia/Tokyo)');
    expect(text).toContain('On demand: Run `npm run audit` locally');
  });
});

describe('renderText says what the HTML says', () => {
  it('tells what to do about unrouted numbers and numbers routed to a missing agent', () => {
    const numbers = [
      ...unroutedNumbers(1),
      phone({ id: 'gone', phoneNumber: '+12015559999', inboundAgentId: 'agt_x' }),
    ];
    const text = renderText(
      reportContext(numbers, {
        agents: { status: 'checked', agentCount: 1, names: { agt_1: 'Main' }, missing: [numbers[1]!] },
      }),
    );
    expect(text).toContain(
      '1 active number with no inbound agent: a call to it is rejected. Assign an agent or release the number.',
    );
    expect(text).toContain(
      '1 number points at an agent that does not exist in the workspace, so it looks routed but calls fail. Assign an existing agent.',
    );
  });

  it('words the status note, the scope, the incomplete listing and the footer like the HTML', () => {
    const text = renderText(
      reportContext([phone({ status: 'pending' }), phone({ id: 'b', status: 'expired' })], {
        complete: false,
        filters: { countryCode: 'US' },
      }),
    );
    expect(text).toContain('2 numbers are not active (pending, expired, ...) and never counted as unrouted.');
    expect(text).toContain('Mon 30 Nov 2026 - Filtered: country US');
    expect(text).toContain(
      'Incomplete listing: The number listing did not match the total the API reported. The figures below may be missing numbers.',
    );
    expect(text).toContain('Types marked * were worked out from the number.');
  });

  it('heads the cost section "Monthly cost" when no cost is known, as the HTML does', () => {
    const text = renderText(reportContext([phone({ monthlyCostUsd: null, costSource: 'unknown' })]));
    expect(text).toMatch(/^MONTHLY COST\n=+\nNo monthly cost is known/m);
  });
});
