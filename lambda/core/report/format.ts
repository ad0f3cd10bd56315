// Shared wording and number/date formatting for every report part, so the subject, HTML, text
// and CSV never disagree on how a figure or a date reads.
import { UNKNOWN_COUNTRY, type AttachmentMode, type ListFilters, type NumberType } from '../types';

const countFormat = new Intl.NumberFormat('en-US');
const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 1250 -> "1,250". */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** 1234.5 -> "$1,234.50". */
export function formatUsd(amount: number): string {
  return usdFormat.format(amount);
}

/** True when Intl knows the IANA zone (validate config with it; renderers throw RangeError otherwise). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
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
  return value
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Cuts to at most `max` characters (code points, so no half surrogate pair), ending with "…". */
export function truncate(value: string, max: number): string {
  const chars = Array.from(value);
  return chars.length <= max ? value : `${chars.slice(0, Math.max(0, max - 1)).join('').trimEnd()}…`;
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
        : 'The full inventory CSV was too large to attach to this email.';
  return note ? `${base} ${note}` : base;
}

/** Where the rows left out of a capped list can be found. */
export function moreRowsNote(hidden: number, mode: AttachmentMode): string {
  const rows = `${formatCount(hidden)} more`;
  return mode === 'omitted' ? `and ${rows} (the CSV was not attached)` : `and ${rows} in the CSV`;
}
