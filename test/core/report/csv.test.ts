import fc from 'fast-check';
import { CSV_BOM, CSV_COLUMNS, neutraliseFormula, renderCsv } from '../../../lambda/core/report';
import { UNKNOWN_COUNTRY } from '../../../lambda/core/types';
import type { PhoneNumber } from '../../../lambda/core/types';
import { checkAgents } from '../../../lambda/core/agents';
import type { UsageResult } from '../../../lambda/core/usage';
import { failedWorkspace, phone, workspace } from '../fixtures';

/** The CSV of one workspace holding `numbers`. */
function csvOf(numbers: PhoneNumber[]): string {
  return renderCsv([workspace(numbers)]).toString('utf8');
}

/** A strict RFC 4180 reader (CRLF records, quoted fields, doubled quotes), written independently of the code under test. */
function parseCsv(input: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < input.length) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i += 1;
      } else {
        field += c;
        i += 1;
      }
    } else if (c === '"') {
      if (field !== '') throw new Error(`quote inside unquoted field at ${i}`);
      quoted = true;
      i += 1;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i += 1;
    } else if (c === '\r' && input[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else if (c === '\r' || c === '\n') {
      throw new Error(`bare line break at ${i}`);
    } else {
      field += c;
      i += 1;
    }
  }
  if (quoted) throw new Error('unterminated quote');
  if (field !== '' || row.length > 0) throw new Error('last record has no CRLF');
  return rows;
}

function records(csv: string): Record<string, string>[] {
  expect(csv.startsWith(CSV_BOM)).toBe(true);
  const [header, ...rows] = parseCsv(csv.slice(CSV_BOM.length));
  expect(header).toEqual([...CSV_COLUMNS]);
  return rows.map((r) => {
    expect(r).toHaveLength(CSV_COLUMNS.length);
    return Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i] ?? '']));
  });
}

describe('renderCsv', () => {
  it('starts with a BOM and the documented header, CRLF line ends', () => {
    expect(csvOf([])).toBe(
      `${CSV_BOM}id,phone_number,country_code,type,type_inferred,status,inbound_agent_id,routed,nickname,provider,monthly_cost_usd,created_at,cost_source,inbound_agent_name,workspace,inbound_agent_folder,last_call_at,usage\r\n`,
    );
  });

  it('writes one row per number with every field', () => {
    const [row] = records(
      csvOf([
        phone({
          id: 'phn_1',
          phoneNumber: '+447911123456',
          countryCode: 'GB',
          type: 'mobile',
          typeInferred: true,
          status: 'active',
          inboundAgentId: null,
          nickname: 'Support',
          provider: 'twilio',
          monthlyCostUsd: 1.15,
          createdAt: '2026-01-05T10:00:00Z',
        }),
      ]),
    );
    expect(row).toEqual({
      id: 'phn_1',
      phone_number: '+447911123456',
      country_code: 'GB',
      type: 'mobile',
      type_inferred: 'true',
      status: 'active',
      inbound_agent_id: '',
      routed: 'false',
      nickname: 'Support',
      provider: 'twilio',
      monthly_cost_usd: '1.15',
      created_at: '2026-01-05T10:00:00Z',
      cost_source: 'api',
      inbound_agent_name: '',
      workspace: 'Acme prod',
      inbound_agent_folder: '',
      last_call_at: '',
      usage: 'not_checked',
    });
  });

  it('writes costs as plain decimals and missing values as empty cells', () => {
    const rows = records(
      csvOf([
        phone({ id: 'a', phoneNumber: '+12015550001', monthlyCostUsd: 2 }),
        phone({ id: 'b', phoneNumber: '+12015550002', monthlyCostUsd: 0.0000001 }),
        phone({
          id: 'c',
          phoneNumber: '+12015550003',
          monthlyCostUsd: null,
          status: null,
          provider: null,
          createdAt: null,
        }),
      ]),
    );
    expect(rows.map((r) => r.monthly_cost_usd)).toEqual(['2.00', '0.00', '']);
    expect(rows[2]).toMatchObject({ status: '', provider: '', created_at: '', routed: 'true' });
  });

  it('writes any cost as its plain decimal, cents always shown, nothing past the sixth decimal', () => {
    const costs = fc.oneof(
      fc.integer({ min: 0, max: 99_999_999 }).map((c) => c / 100),
      fc.integer({ min: 0, max: 10_000_000 }).map((m) => m / 1000),
      fc.double({ min: 0, max: 1e7, noNaN: true }),
    );
    fc.assert(
      fc.property(costs, (usd) => {
        // The written decimal: toFixed(6), trailing zeros dropped, then at least two decimals.
        const [whole, fraction = ''] = usd
          .toFixed(6)
          .replace(/\.?0+$/, '')
          .split('.');
        const expected = `${whole}.${fraction.padEnd(2, '0')}`;
        const [row] = records(csvOf([phone({ id: 'a', phoneNumber: '+12015550001', monthlyCostUsd: usd })]));
        expect(row.monthly_cost_usd).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('sorts by country (unknown last) then number', () => {
    const rows = records(
      csvOf([
        phone({ id: 'u', countryCode: UNKNOWN_COUNTRY, phoneNumber: '+999123' }),
        phone({ id: 'us2', countryCode: 'US', phoneNumber: '+12015550002' }),
        phone({ id: 'gb', countryCode: 'GB', phoneNumber: '+442071838750' }),
        phone({ id: 'us1', countryCode: 'US', phoneNumber: '+12015550001' }),
      ]),
    );
    expect(rows.map((r) => r.id)).toEqual(['gb', 'us1', 'us2', 'u']);
  });

  it.each([
    ['comma', 'Sales, EMEA'],
    ['quotes', 'The "main" line'],
    ['CRLF', 'Front\r\ndesk'],
    ['LF', 'two\nlines'],
    ['lone CR', 'odd\rone'],
    ['non-Latin text', '東京オフィス · Zürich · मुंबई · 😀'],
    ['everything at once', '"a, b"\r\n"c"'],
  ])('round-trips a nickname with %s', (_, nickname) => {
    const [row] = records(csvOf([phone({ nickname })]));
    expect(row?.nickname).toBe(nickname);
  });

  it('neutralises formula cells in every text column', () => {
    const rows = records(
      csvOf([
        phone({
          id: '=1+1',
          phoneNumber: '+12015550001',
          nickname: '=HYPERLINK("https://evil.example","x")',
          provider: '@SUM(A1)',
        }),
        phone({
          id: 'p2',
          phoneNumber: '+12015550002',
          nickname: '+SUM(1,2)',
          status: '-2+3',
          inboundAgentId: '\tagt',
        }),
        phone({ id: 'p3', phoneNumber: '+12015550003', nickname: '\r=cmd' }),
      ]),
    );
    expect(rows[0]).toMatchObject({
      id: "'=1+1",
      nickname: `'=HYPERLINK("https://evil.example","x")`,
      provider: "'@SUM(A1)",
    });
    expect(rows[1]).toMatchObject({ nickname: "'+SUM(1,2)", status: "'-2+3", inbound_agent_id: "'\tagt" });
    expect(rows[2]?.nickname).toBe("'\r=cmd");
  });

  it('keeps strict E.164 phone numbers as they are, and neutralises anything else in that column', () => {
    const rows = records(
      csvOf([
        phone({ id: 'a', countryCode: 'GB', phoneNumber: '+447911123456' }),
        phone({ id: 'b', countryCode: 'US', phoneNumber: '+1+cmd|calc' }),
        phone({ id: 'c', countryCode: 'US', phoneNumber: '=2+5' }),
      ]),
    );
    expect(rows.map((r) => r.phone_number)).toEqual(['+447911123456', "'+1+cmd|calc", "'=2+5"]);
  });
});

describe('renderCsv: cost source, agent name, workspace', () => {
  it('appends the new columns after the original twelve, in order', () => {
    expect(CSV_COLUMNS.slice(12)).toEqual([
      'cost_source',
      'inbound_agent_name',
      'workspace',
      'inbound_agent_folder',
      'last_call_at',
      'usage',
    ]);
  });

  it('tells where each cost came from, including rate-card costs in monthly_cost_usd', () => {
    const rows = records(
      csvOf([
        phone({ id: 'a', phoneNumber: '+12015550001', monthlyCostUsd: 1.15, costSource: 'api' }),
        phone({ id: 'b', phoneNumber: '+12015550002', monthlyCostUsd: 3, costSource: 'rate-card' }),
        phone({ id: 'c', phoneNumber: '+12015550003', monthlyCostUsd: null, costSource: 'unknown' }),
      ]),
    );
    expect(rows.map((r) => [r.monthly_cost_usd, r.cost_source])).toEqual([
      ['1.15', 'api'],
      ['3.00', 'rate-card'],
      ['', 'unknown'],
    ]);
  });

  it("names each number's agent when the agents were read, neutralising hostile names", () => {
    const numbers = [
      phone({ id: 'a', phoneNumber: '+12015550001', inboundAgentId: 'agt_1' }),
      phone({ id: 'b', phoneNumber: '+12015550002', inboundAgentId: 'agt_evil' }),
      phone({ id: 'c', phoneNumber: '+12015550003', inboundAgentId: 'agt_gone' }),
      phone({ id: 'd', phoneNumber: '+12015550004', inboundAgentId: null }),
      phone({ id: 'e', phoneNumber: '+12015550005', inboundAgentId: 'agt_unnamed' }),
    ];
    const agents = checkAgents(numbers, [
      { id: 'agt_1', name: 'Sales, "EMEA"' },
      { id: 'agt_evil', name: '=HYPERLINK("x")' },
      { id: 'agt_unnamed', name: null },
    ]);
    const rows = records(renderCsv([workspace(numbers, { agents })]).toString('utf8'));
    expect(rows.map((r) => r.inbound_agent_name)).toEqual(['Sales, "EMEA"', `'=HYPERLINK("x")`, '', '', '']);
    expect(records(csvOf(numbers)).every((r) => r.inbound_agent_name === '')).toBe(true);
  });

  it('writes every audited workspace, sorted by workspace then country then number, and skips failed ones', () => {
    const rows = records(
      renderCsv([
        workspace(
          [
            phone({ id: 'z-us', countryCode: 'US', phoneNumber: '+12015550001' }),
            phone({ id: 'z-gb', countryCode: 'GB', phoneNumber: '+442071838750' }),
          ],
          { name: 'Zeta' },
        ),
        failedWorkspace('Beta'),
        workspace(
          [phone({ id: 'a-us2', phoneNumber: '+12015550002' }), phone({ id: 'a-us1', phoneNumber: '+12015550001' })],
          { name: 'Alpha' },
        ),
        workspace([phone({ id: 'w1', phoneNumber: '+12015550009' })], { name: '=cmd' }),
      ]).toString('utf8'),
    );
    expect(rows.map((r) => [r.workspace, r.id])).toEqual([
      ["'=cmd", 'w1'],
      ['Alpha', 'a-us1'],
      ['Alpha', 'a-us2'],
      ['Zeta', 'z-gb'],
      ['Zeta', 'z-us'],
    ]);
  });
});

describe('neutraliseFormula', () => {
  it.each([
    ['=1', "'=1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@a', "'@a"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%p -> %p', (cell, expected) => {
    expect(neutraliseFormula(cell)).toBe(expected);
  });

  it('exempts only a strict E.164 value in the phone_number column', () => {
    expect(neutraliseFormula('+447911123456', 'phone_number')).toBe('+447911123456');
    expect(neutraliseFormula('+447911123456', 'nickname')).toBe("'+447911123456");
    expect(neutraliseFormula('+0123', 'phone_number')).toBe("'+0123");
    expect(neutraliseFormula('+1234567890123456', 'phone_number')).toBe("'+1234567890123456");
  });
});

describe('renderCsv: usage', () => {
  it('gives each number its own usage, even when two ids read the same once cleaned', () => {
    // Raw ids "pn_1" and "pn_1" + a zero-width space: two numbers, one cleaned id.
    const used = phone({ id: 'pn_1', phoneNumber: '+12015550111' });
    const idle = phone({ id: 'pn_1', phoneNumber: '+12015550112' });
    const lastCallAt = '2026-11-20T10:00:00.000Z';
    const usage: UsageResult = {
      status: 'checked',
      windowDays: 30,
      checkedAt: '2026-11-29T00:00:00.000Z',
      windowStart: '2026-10-30T00:00:00.000Z',
      byNumber: new Map([
        [used, { state: 'used', lastCallAt }],
        [idle, { state: 'idle', lastCallAt: null }],
      ]),
      idle: [idle],
      idleMonthly: 0,
      usedCount: 1,
      unknownCount: 0,
      newCount: 0,
      requests: 1,
      sweepCovered: true,
    };
    const rows = records(renderCsv([workspace([used, idle], { usage })]).toString('utf8'));
    expect(rows.map((r) => [r.phone_number, r.usage, r.last_call_at])).toEqual([
      ['+12015550111', 'used', lastCallAt],
      ['+12015550112', 'idle', ''],
    ]);
  });
});
