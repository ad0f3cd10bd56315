// Everything rendered from API data, for arbitrary records: the HTML carries no markup from the
// data, a real CSV parser reads the CSV back cell for cell with formulas neutralised, a real MIME
// parser reads the message back with its parts and headers, and the message stays under the limit.
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { simpleParser } from 'mailparser';
import { createReportEmailBuilder } from '../../../lambda/adapters/email/report-email-builder';
import { SES_MAX_RAW_BYTES } from '../../../lambda/adapters/email/mime';
import { normalizeNumber } from '../../../lambda/core/normalize';
import { CSV_COLUMNS, renderBodies, renderReport } from '../../../lambda/core/report';
import type { NumberRecord, PhoneNumber } from '../../../lambda/core/types';
import { reportContext } from '../fixtures';

/** Pieces that break naive renderers: markup, quotes, formulas, separators, controls, bidi. */
const NASTY = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><b>',
  "'",
  '&amp;',
  '=HYPERLINK("http://x")',
  '+1',
  '-2',
  '@SUM(A1)',
  '\t=1',
  '\r\n',
  ',',
  '"',
  '\u0000',
  '\u001b[31m',
  '\u202e',
  '\u2066',
  '😀',
  ' ',
];
const apiText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.array(fc.constantFrom(...NASTY), { maxLength: 4 }).map((parts) => parts.join('')),
);
const record = fc.record(
  {
    phone_number: fc.oneof(
      fc.constantFrom('+12015550123', '+447911123456', '+919876543210'),
      fc.string({ maxLength: 16 }),
    ),
    country_code: fc.oneof(apiText, fc.constantFrom('US', 'GB', 'IN')),
    type: fc.oneof(apiText, fc.constantFrom('local', 'toll_free', 'mobile')),
    status: fc.oneof(apiText, fc.constant('active')),
    nickname: apiText,
    label: apiText,
    provider: apiText,
    inbound_agent_id: fc.option(apiText),
    created_at: apiText,
    monthly_cost_usd: fc.oneof(apiText, fc.double(), fc.constant('1.15')),
  },
  { requiredKeys: ['phone_number'] },
);
const records = fc
  .array(fc.tuple(apiText, record), { minLength: 1, maxLength: 8 })
  .map((rows) => rows.map(([id, r], i): NumberRecord => ({ ...r, id: `${id}#${i}` })));

/** What the CSV must hold for a number: the normalized (cleaned, full) text. */
function expectedCells(n: PhoneNumber): Partial<Record<(typeof CSV_COLUMNS)[number], string>> {
  return {
    id: n.id,
    phone_number: n.phoneNumber,
    nickname: n.untruncated?.nickname ?? n.nickname ?? '',
    provider: n.untruncated?.provider ?? n.provider ?? '',
    status: n.untruncated?.status ?? n.status ?? '',
    inbound_agent_id: n.inboundAgentId ?? '',
  };
}

const FORMULA = /^[=+\-@\t\r]/;
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** E.164: a country code never starts with 0, at most 15 digits. */
const STRICT_E164 = /^\+[1-9]\d{1,14}$/;
/** The CSV's formula rule, written here independently: a risky first character gets a quote. */
const neutralised = (value: string) => (FORMULA.test(value) ? `'${value}` : value);

describe('rendering arbitrary API records', () => {
  it('HTML: no markup from the data (property)', () => {
    fc.assert(
      fc.property(records, (rs) => {
        const { html, text, subject } = renderBodies(reportContext(rs.map(normalizeNumber)));
        const tags = html.match(/<(script|img|b)\b/gi) ?? [];
        return tags.length === 0 && !CONTROL_OR_BIDI.test(`${html}${text}${subject}`.replace(/\n/g, ''));
      }),
    );
  });

  it('CSV: csv-parse reads back every cell, formulas neutralised (property)', () => {
    fc.assert(
      fc.property(records, (rs) => {
        const numbers = rs.map(normalizeNumber);
        const { csv } = renderReport(reportContext(numbers));
        const [header, ...rows] = parse(csv, { bom: true }) as string[][];
        expect(header).toEqual([...CSV_COLUMNS]);
        expect(rows).toHaveLength(numbers.length);
        const byId = new Map(numbers.map((n) => [neutralised(n.id), n]));
        for (const row of rows) {
          const cells = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, row[i]]));
          for (const [column, cell] of Object.entries(cells)) {
            expect(CONTROL_OR_BIDI.test(cell)).toBe(false);
            if (column === 'phone_number' && STRICT_E164.test(cell)) continue;
            expect(FORMULA.test(cell)).toBe(false);
          }
          const n = byId.get(cells.id);
          expect(n).toBeDefined();
          if (!n) return;
          for (const [column, value] of Object.entries(expectedCells(n))) {
            expect(cells[column]).toBe(
              column === 'phone_number' && STRICT_E164.test(value) ? value : neutralised(value),
            );
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('MIME: mailparser reads back subject, both parts and the CSV, under the SES limit (property)', async () => {
    await fc.assert(
      fc.asyncProperty(records, async (rs) => {
        const ctx = reportContext(rs.map(normalizeNumber));
        const report = renderReport(ctx);
        const built = await createReportEmailBuilder().build({
          from: 'reports@example.com',
          to: ['ops@example.com'],
          date: ctx.generatedAt,
          csv: report.csv,
          render: ({ attachment }) => renderBodies({ ...ctx, attachment }),
        });
        expect(built.raw.length).toBeLessThanOrEqual(SES_MAX_RAW_BYTES);
        const mail = await simpleParser(built.raw);
        expect(mail.subject).toBe(report.subject);
        expect(mail.from?.text).toBe('reports@example.com');
        expect(mail.text?.trim()).toBe(report.text.trim());
        expect(mail.html).toBe(report.html);
        expect(mail.attachments).toHaveLength(1);
        expect(mail.attachments[0].content.toString('utf8')).toBe(report.csv.toString('utf8'));
      }),
      { numRuns: 30 },
    );
  });
});
