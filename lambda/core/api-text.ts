// Text the DialNexa API hands us (nicknames, providers, statuses, agent names, error bodies) is
// written by whoever can edit the workspace. Before it reaches an email, a CSV or a terminal it
// loses what can hide or reorder text (controls, bidi overrides, zero-width marks) and is bounded,
// so one 60 KB nickname cannot push the email past SES's size limit.

/** The longest API string shown anywhere in the report, in UTF-16 units. */
export const API_TEXT_MAX_CHARS = 200;

/** The longest server error text quoted in a message. */
export const SERVER_TEXT_MAX_CHARS = 500;

/** C0/C1 controls and the Unicode line and paragraph separators: each becomes a space. */
const CONTROL_CHARS = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029';
const CONTROLS = new RegExp(`[${CONTROL_CHARS}]`, 'g');

/**
 * Invisible marks that reorder or hide text: bidi embeddings, overrides and isolates
 * (U+202A-202E, U+2066-2069), LRM/RLM/ALM, zero-width space/joiners, word joiner, BOM. Removed.
 */
const INVISIBLE_CHARS = '\\u061c\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff';
const INVISIBLE = new RegExp(`[${INVISIBLE_CHARS}]`, 'g');

/** Either of the above: most API text has neither, and one test costs less than two replaces. */
const CONTROL_OR_INVISIBLE = new RegExp(`[${CONTROL_CHARS}${INVISIBLE_CHARS}]`);

/** One test for an invisible mark: removing them can join what they kept apart (a split key). */
const ANY_INVISIBLE = new RegExp(`[${INVISIBLE_CHARS}]`);

export function hasInvisibleMark(value: string): boolean {
  return ANY_INVISIBLE.test(value);
}

/** Controls turned into spaces and invisible marks removed; nothing else changed. */
export function withoutControls(value: string): string {
  if (!CONTROL_OR_INVISIBLE.test(value)) return value;
  return value.replace(INVISIBLE, '').replace(CONTROLS, ' ');
}

/** Text with controls turned into spaces and invisible marks removed, trimmed; null when nothing is left. */
export function cleanApiText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = withoutControls(value).trim();
  return cleaned === '' ? null : cleaned;
}

/** At most `max` UTF-16 units, the last one an ellipsis when cut; never half a surrogate pair. */
export function boundText(value: string, max = API_TEXT_MAX_CHARS): string {
  if (value.length <= max) return value;
  let end = max - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${value.slice(0, end).trimEnd()}…`;
}

/** A cleaned value and, only when it had to be cut, the full cleaned value. */
export interface BoundedText {
  text: string | null;
  full?: string;
}

export function boundedApiText(value: unknown, max = API_TEXT_MAX_CHARS): BoundedText {
  const cleaned = cleanApiText(value);
  if (cleaned === null) return { text: null };
  const text = boundText(cleaned, max);
  return text === cleaned ? { text } : { text, full: cleaned };
}

/** Cleaned, trimmed, non-empty and bounded; else null. Ids and names go through this on every path. */
export function apiText(value: unknown): string | null {
  const cleaned = cleanApiText(value);
  return cleaned === null ? null : boundText(cleaned);
}

/** An id that was nothing but control or invisible characters. */
export const UNREADABLE_ID = '(unreadable id)';
