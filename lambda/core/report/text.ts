// The plain-text part: the same facts as the HTML for clients that show no HTML, and for grep.
// API text is flattened to one line per cell so a stray newline cannot break the columns.
import { ALL_NUMBER_TYPES, type AuditResult } from '../types';
import { NO_STATUS, UNKNOWN_PROVIDER } from '../audit';
import { unroutedLimit, type ReportContext } from './context';
import {
  countryLabel,
  describeAttachment,
  describeFilters,
  formatCount,
  formatDateTime,
  formatReportDate,
  formatUsd,
  moreRowsNote,
  singleLine,
  typeLabel,
} from './format';

type Align = 'left' | 'right';

function width(s: string): number {
  return Array.from(s).length;
}

function pad(s: string, w: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** Columns padded to their widest cell, two spaces apart, a rule under the header. */
function table(headers: string[], aligns: Align[], rows: string[][], totals?: string[]): string[] {
  const all = totals ? [headers, ...rows, totals] : [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ''))));
  const line = (r: string[]) => r.map((c, i) => pad(c, widths[i] ?? 0, aligns[i] ?? 'left')).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return ['  ' + line(headers), '  ' + rule, ...rows.map((r) => '  ' + line(r)), ...(totals ? ['  ' + rule, '  ' + line(totals)] : [])];
}

function section(title: string): string[] {
  return ['', title.toUpperCase(), '='.repeat(title.length)];
}

function unrouted(audit: AuditResult, ctx: ReportContext): string[] {
  const out = section('Unrouted numbers');
  const all = audit.unrouted;
  if (all.length === 0) return [...out, 'None. Every active number has an inbound agent.'];
  const limit = unroutedLimit(ctx);
  const shown = all.slice(0, limit);
  out.push(`${formatCount(all.length)} active number(s) with no inbound agent: calls to them are rejected.`, '');
  out.push(
    ...table(
      ['Number', 'Country', 'Type', 'Nickname'],
      ['left', 'left', 'left', 'left'],
      shown.map((n) => [
        n.phoneNumber,
        countryLabel(n.countryCode),
        `${typeLabel(n.type)}${n.typeInferred ? '*' : ''}`,
        n.nickname === null ? '-' : singleLine(n.nickname),
      ]),
    ),
  );
  if (all.length > shown.length) out.push(`  ${moreRowsNote(all.length - shown.length, ctx.attachment)}.`);
  if (shown.some((n) => n.typeInferred)) out.push('  * type worked out from the number; the API did not give one.');
  return out;
}

function matrix(audit: AuditResult): string[] {
  const out = section('Numbers by country and type');
  if (audit.total === 0) return [...out, 'No numbers matched.'];
  return [
    ...out,
    ...table(
      ['Country', ...ALL_NUMBER_TYPES.map(typeLabel), 'Total'],
      ['left', ...ALL_NUMBER_TYPES.map((): Align => 'right'), 'right'],
      Object.entries(audit.byCountryType).map(([code, cells]) => [
        singleLine(countryLabel(code)),
        ...ALL_NUMBER_TYPES.map((t) => formatCount(cells[t])),
        formatCount(audit.byCountry[code] ?? 0),
      ]),
      ['Total', ...ALL_NUMBER_TYPES.map((t) => formatCount(audit.byType[t])), formatCount(audit.total)],
    ),
  ];
}

function cost(audit: AuditResult): string[] {
  const out = section('Monthly cost (USD)');
  const { cost: c } = audit;
  if (c.knownCount === 0) return [...out, audit.total === 0 ? 'No numbers matched.' : 'The API gave no monthly cost for any number.'];
  out.push(
    c.unknownCount === 0
      ? `Known for all ${formatCount(c.knownCount)} numbers.`
      : `Known for ${formatCount(c.knownCount)} of ${formatCount(audit.total)} numbers; ${formatCount(c.unknownCount)} without a cost are not included.`,
    '',
  );
  const types = ALL_NUMBER_TYPES.filter((t) => t in c.byType);
  out.push(
    ...table(
      ['Country', ...types.map(typeLabel), 'Total'],
      ['left', ...types.map((): Align => 'right'), 'right'],
      Object.entries(c.byCountryType).map(([code, cells]) => [
        singleLine(countryLabel(code)),
        ...types.map((t) => (t in cells ? formatUsd(cells[t] ?? 0) : '-')),
        formatUsd(c.byCountry[code] ?? 0),
      ]),
      ['Total', ...types.map((t) => formatUsd(c.byType[t] ?? 0)), formatUsd(c.totalMonthly)],
    ),
  );
  return out;
}

function status(audit: AuditResult): string[] {
  const out = section('Status');
  if (audit.total === 0) return [...out, 'No numbers matched.'];
  const notActive = audit.notActive.length;
  out.push(
    notActive > 0
      ? `${formatCount(notActive)} number(s) not active (pending, expired, ...); never counted as unrouted.`
      : 'Every number is active or has no status.',
    '',
  );
  out.push(
    ...table(
      ['Status', 'Numbers'],
      ['left', 'right'],
      Object.entries(audit.byStatus).map(([s, n]) => [s === NO_STATUS ? '(no status given)' : singleLine(s), formatCount(n)]),
    ),
    '',
    ...table(
      ['Provider', 'Numbers'],
      ['left', 'right'],
      Object.entries(audit.byProvider).map(([p, n]) => [p === UNKNOWN_PROVIDER ? '(not given)' : singleLine(p), formatCount(n)]),
    ),
  );
  return out;
}

export function renderText(ctx: ReportContext): string {
  const { audit } = ctx;
  const countries = Object.keys(audit.byCountry).filter((c) => c !== 'unknown').length;
  const head: string[] = [];
  if (!ctx.complete) {
    head.push(
      `INCOMPLETE REPORT: ${singleLine(ctx.incompleteReason ?? 'the number listing did not match the total the API reported.')}`,
      'Do not act on missing numbers: some may not be listed.',
      '',
    );
  }
  head.push(
    `DialNexa number audit - ${singleLine(ctx.workspaceName)}`,
    `${formatReportDate(ctx.generatedAt, ctx.timeZone)} - ${describeFilters(ctx.filters)}`,
    '',
    ...table(
      ['Figure', 'Value'],
      ['left', 'right'],
      [
        ['Numbers', formatCount(audit.total)],
        ['Unrouted', formatCount(audit.unrouted.length)],
        ['Not active', formatCount(audit.notActive.length)],
        ['Countries', formatCount(countries)],
        ['Monthly cost (known)', formatUsd(audit.cost.totalMonthly)],
        ['Numbers without a cost', formatCount(audit.cost.unknownCount)],
      ],
    ),
  );
  const foot = [
    '',
    '--',
    `Generated: ${formatDateTime(ctx.generatedAt, ctx.timeZone)}`,
    `Workspace: ${singleLine(ctx.workspaceName)}`,
    `Scope: ${describeFilters(ctx.filters)}`,
    `Attachment: ${singleLine(describeAttachment(ctx.attachment, ctx.attachmentNote))}`,
    `On demand: ${singleLine(ctx.onDemandHint)}`,
    'Unrouted means active (or without a status) and with no inbound agent.',
  ];
  return [...head, ...unrouted(audit, ctx), ...matrix(audit), ...cost(audit), ...status(audit), ...foot].join('\n') + '\n';
}
