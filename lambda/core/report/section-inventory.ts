// The inventory: numbers by country and type, monthly cost, status and provider.
import { NO_STATUS, UNKNOWN_PROVIDER } from '../audit';
import { ALL_NUMBER_TYPES, type AuditResult } from '../types';
import { OPEN_TABLE_ROWS_LIMIT } from './context';
import { describeCostSources, formatCount, formatUsd, plural, typeLabel } from './format';
import { section, type Cell, type Column, type Section, type Table } from './model-types';

/** "35%": a share of a whole, whole percents ("<1%" for a small non-zero one). */
function share(part: number, whole: number): string {
  if (whole <= 0) return '-';
  const pct = Math.round((part / whole) * 100);
  return pct === 0 && part > 0 ? '<1%' : `${pct}%`;
}

const NO_MATCH = 'No numbers matched.';

function noMatch(): Section['paragraphs'] {
  return [{ lines: [{ text: NO_MATCH }], quiet: true }];
}

export function countryTypeSection(audit: AuditResult): Section {
  const title = 'Numbers by country and type';
  if (audit.total === 0) return section('country-type', title, { paragraphs: noMatch() });
  const columns: Column[] = [
    { label: 'Country', align: 'left', width: '28%' },
    ...ALL_NUMBER_TYPES.map((t): Column => ({ label: typeLabel(t), align: 'right' })),
    { label: 'Total', align: 'right' },
  ];
  const countries = Object.entries(audit.byCountryType);
  const total = (code: string) => audit.byCountry[code] ?? 0;
  return section('country-type', title, {
    tables: [
      {
        columns,
        rows: countries.map(([code, cells]) => [
          { kind: 'country', code },
          ...ALL_NUMBER_TYPES.map((t) => ({ kind: 'count', n: cells[t] }) as const),
          { kind: 'strong', text: formatCount(total(code)) },
        ]),
        totals: ['Total', ...ALL_NUMBER_TYPES.map((t) => formatCount(audit.byType[t])), formatCount(audit.total)],
        density: 'tight',
        bars: {
          values: countries.map(([code]) => total(code)),
          figures: countries.map(([code]) => formatCount(total(code))),
          parts: {
            series: ALL_NUMBER_TYPES.map(typeLabel),
            values: countries.map(([, cells]) => ALL_NUMBER_TYPES.map((t) => cells[t])),
          },
        },
      },
    ],
  });
}

/** Countries by spend, most first, each with its share of the known monthly cost. */
export function costSection(audit: AuditResult): Section {
  const { cost } = audit;
  if (cost.knownCount === 0) {
    const text =
      audit.total === 0
        ? NO_MATCH
        : 'No monthly cost is known for any number: the API gave none and no rate card priced them.';
    return section('cost', 'Monthly cost', { paragraphs: [{ lines: [{ text }], quiet: true }] });
  }
  const unpriced = formatCount(cost.unknownCount);
  const known =
    cost.unknownCount === 0
      ? `Known for all ${formatCount(cost.knownCount)} numbers.`
      : `Known for ${formatCount(cost.knownCount)} of ${formatCount(audit.total)} numbers; ${unpriced} without a cost are not included.`;
  const types = ALL_NUMBER_TYPES.filter((t) => t in cost.byType);
  const spend = (code: string) => cost.byCountry[code] ?? 0;
  const countries = Object.entries(cost.byCountryType).sort(([a], [b]) => spend(b) - spend(a) || a.localeCompare(b));
  const shareOf = (code: string) => share(spend(code), cost.totalMonthly);
  return section('cost', 'Monthly cost (USD)', {
    lead: [known, `Cost sources: ${describeCostSources(cost.sources)}.`],
    tables: [
      {
        columns: [
          { label: 'Country', align: 'left' },
          ...types.map((t): Column => ({ label: typeLabel(t), align: 'right' })),
          { label: 'Total', align: 'right' },
          { label: 'Share', align: 'right' },
        ],
        rows: countries.map(([code, cells]) => [
          { kind: 'country', code },
          ...types.map((t) => (t in cells ? formatUsd(cells[t] ?? 0) : '-')),
          formatUsd(spend(code)),
          shareOf(code),
        ]),
        totals: ['Total', ...types.map((t) => formatUsd(cost.byType[t] ?? 0)), formatUsd(cost.totalMonthly), ''],
        narrow: { across: 'Type', value: 'Per month', after: 2 },
        bars: {
          values: countries.map(([code]) => spend(code)),
          figures: countries.map(([code]) => `${formatUsd(spend(code))} (${shareOf(code)})`),
        },
      },
    ],
  });
}

/**
 * The most common OPEN_TABLE_ROWS_LIMIT rows of a tally keyed by API text (the tally is ordered
 * by count), then "and N more": a workspace with 30,000 providers must not fill the email.
 */
function topRows(
  counts: Record<string, number>,
  label: (key: string) => string,
  what: string,
): Pick<Table, 'rows' | 'truncated'> {
  const entries = Object.entries(counts);
  const rows = entries.slice(0, OPEN_TABLE_ROWS_LIMIT).map(([key, n]): Cell[] => [label(key), formatCount(n)]);
  const hidden = entries.slice(OPEN_TABLE_ROWS_LIMIT);
  if (hidden.length === 0) return { rows };
  const numbers = hidden.reduce((sum, [, n]) => sum + n, 0);
  return {
    rows,
    truncated: { text: `and ${formatCount(hidden.length)} more ${what} with ${plural(numbers, 'number', 'numbers')}.` },
  };
}

export function statusSection(audit: AuditResult): Section {
  if (audit.total === 0) return section('status', 'Status', { paragraphs: noMatch() });
  const notActive = audit.notActive.length;
  const lead =
    notActive > 0
      ? `${plural(notActive, 'number is', 'numbers are')} not active (pending, expired, ...) and never counted as unrouted.`
      : 'Every number is active or has no status.';
  return section('status', 'Status', {
    lead: [lead],
    tables: [
      {
        columns: [
          { label: 'Status', align: 'left' },
          { label: 'Numbers', align: 'right' },
        ],
        ...topRows(audit.byStatus, (s) => (s === NO_STATUS ? '(no status given)' : s), 'statuses'),
      },
      {
        columns: [
          { label: 'Provider', align: 'left' },
          { label: 'Numbers', align: 'right' },
        ],
        ...topRows(audit.byProvider, (p) => (p === UNKNOWN_PROVIDER ? '(not given)' : p), 'providers'),
      },
    ],
  });
}
