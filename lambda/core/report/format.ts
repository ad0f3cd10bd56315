// Shared wording and number/date formatting for every report part, so the subject, HTML, text
// and CSV never disagree on how a figure or a date reads.
import { withoutControls } from '../api-text';
import type { Changes } from '../changes';
import { UNKNOWN_COUNTRY, type AttachmentMode, type CostSource, type ListFilters, type NumberType } from '../types';

const countFormat = new Intl.NumberFormat('en-US');
const usdFormat = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** 1250 -> "1,250". */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** 1234.5 -> "$1,234.50". */
export function formatUsd(amount: number): string {
  return usdFormat.format(amount);
}

function parts(date: Date, timeZone: string, options: Intl.DateTimeFormatOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat('en-GB', { ...options, timeZone }).formatToParts(date)) out[p.type] = p.value;
  return out;
}

/** The calendar day in the report's time zone: "Mon 30 Nov 2026". */
export function formatReportDate(date: Date, timeZone: string): string {
  const p = parts(date, timeZone, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** "Mon 30 Nov 2026 09:05 GMT (Europe/London)": the zone spelled out so nobody has to guess. */
export function formatDateTime(date: Date, timeZone: string): string {
  const p = parts(date, timeZone, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  return `${p.weekday} ${p.day} ${p.month} ${p.year} ${p.hour}:${p.minute} ${p.timeZoneName} (${timeZone})`;
}

/**
 * One printable line: control characters (CR, LF, TAB, NUL, C1, line/paragraph separators)
 * become spaces and runs of whitespace collapse. Keeps API text from breaking a header or a column.
 */
export function singleLine(value: string): string {
  return withoutControls(value).replace(/\s+/g, ' ').trim();
}

/** Cuts to at most `max` characters (code points, so no half surrogate pair), ending with "…". */
export function truncate(value: string, max: number): string {
  const chars = Array.from(value);
  return chars.length <= max
    ? value
    : `${chars
        .slice(0, Math.max(0, max - 1))
        .join('')
        .trimEnd()}…`;
}

const TYPE_LABELS: Record<NumberType, string> = {
  local: 'Local',
  toll_free: 'Toll-free',
  mobile: 'Mobile',
  unknown: 'Unknown',
};

export function typeLabel(type: NumberType): string {
  return TYPE_LABELS[type];
}

let regionNames: Intl.DisplayNames | null | undefined;

/** "GB" -> "United Kingdom"; the code itself when the runtime has no name for it. */
export function countryName(code: string): string {
  if (code === UNKNOWN_COUNTRY) return 'No country';
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
    } catch {
      regionNames = null;
    }
  }
  try {
    return regionNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Short country label for narrow columns: the code, or "Unknown". */
export function countryLabel(code: string): string {
  return code === UNKNOWN_COUNTRY ? 'Unknown' : code;
}

/** "all numbers" or "country US, type toll-free". */
export function describeFilters(filters: ListFilters): string {
  const bits: string[] = [];
  if (filters.countryCode) bits.push(`country ${filters.countryCode}`);
  if (filters.type) bits.push(`type ${typeLabel(filters.type).toLowerCase()}`);
  return bits.length ? bits.join(', ') : 'all numbers';
}

/** What the reader should expect to find attached. */
export function describeAttachment(mode: AttachmentMode, note?: string): string {
  const base =
    mode === 'csv'
      ? 'The full inventory is attached as a CSV file.'
      : mode === 'csv.gz'
        ? 'The full inventory is attached as a gzip-compressed CSV file (.csv.gz).'
        : mode === 'omitted'
          ? 'The full inventory CSV was too large to attach to this email.'
          : 'The full report and its CSV were too large for an email: this one holds only the headline figures.';
  return note ? `${base} ${note}` : base;
}

/** Where the rows left out of a capped list can be found. */
export function moreRowsNote(hidden: number, mode: AttachmentMode): string {
  const rows = `${formatCount(hidden)} more`;
  return mode === 'omitted' || mode === 'summary' ? `and ${rows} (the CSV was not attached)` : `and ${rows} in the CSV`;
}

/** 3 -> "+3", -2 -> "-2" (ASCII, so it survives a subject line and a plain-text table). */
export function formatDelta(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : n < 0 ? `-${formatCount(-n)}` : '0';
}

/** 1 -> "1 agent", 1250 -> "1,250 agents". */
export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** "812 from the API, 400 from the rate card, 38 unknown"; sources with no number are left out. */
export function describeCostSources(sources: Record<CostSource, number>): string {
  const parts: string[] = [];
  if (sources.api > 0) parts.push(`${formatCount(sources.api)} from the API`);
  if (sources['rate-card'] > 0) parts.push(`${formatCount(sources['rate-card'])} from the rate card`);
  if (sources.unknown > 0) parts.push(`${formatCount(sources.unknown)} unknown`);
  return parts.join(', ');
}

/** "3 added, 1 removed, 2 routing changes, 1 status change", or "" when none of those happened. */
export function describeChanges(changes: Changes): string {
  const parts: string[] = [];
  if (changes.added.length > 0) parts.push(`${formatCount(changes.added.length)} added`);
  if (changes.removed.length > 0) parts.push(`${formatCount(changes.removed.length)} removed`);
  if (changes.routingChanged.length > 0)
    parts.push(plural(changes.routingChanged.length, 'routing change', 'routing changes'));
  if (changes.statusChanged.length > 0)
    parts.push(plural(changes.statusChanged.length, 'status change', 'status changes'));
  return parts.join(', ');
}

/** "IN +1, unknown +1" for a count delta map, in its own order. */
export function describeDeltas(deltas: Record<string, number>, label: (key: string) => string): string {
  return Object.entries(deltas)
    .map(([key, n]) => `${label(key)} ${formatDelta(n)}`)
    .join(', ');
}

export const FIRST_RUN_NOTE = 'First report: there is no previous report to compare with.';

/** Rows of a capped change list that did not fit in the email. */
export function moreChangesNote(hidden: number): string {
  return `and ${formatCount(hidden)} more in the archived audit.json`;
}

/** A reason as the end of a sentence: one line, with a full stop unless it already ends in one. */
export function asSentence(reason: string): string {
  const line = singleLine(reason);
  return /[.!?]$/.test(line) ? line : `${line}.`;
}

export const CHANGES_SKIPPED = 'Warning: changes could not be compared:';
export const AGENTS_SKIPPED = 'Agent checks skipped:';
