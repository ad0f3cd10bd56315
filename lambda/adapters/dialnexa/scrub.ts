// No part of a key we sent may reach the run through an answer: a server (or a proxy) that echoes
// the Authorization header into a nickname would otherwise put it in the report, audit.json, the
// CSV and the email. Scrubbing each 200 body here, as it arrives and while other pages are in
// flight, is what lets the CLI write its files without a pass over every byte at the end, and
// covers the Lambda's email too.
import { hasInvisibleMark, withoutControls } from '../../core/api-text';

/**
 * `text` with every run of a key (see redactSecrets) taken out of its strings. Fast path: no run,
 * no escape that could spell one and no invisible mark whose removal could join one (normalization
 * removes them), so the text is returned as it is. Otherwise each string (property names too) whose
 * cleaned form holds a run is replaced by that cleaned form, redacted; a number whose digits hold one
 * by null (a field not given). The value is serialized again. A body that does not parse is left to
 * the caller's parse, whose error preview is cleaned and redacted on its own.
 */
export function scrubJsonText(text: string, redact: (text: string) => string): string {
  if (!text.includes('\\') && !hasInvisibleMark(text) && redact(text) === text) return text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  return JSON.stringify(redactStrings(value, redact));
}

function redactStrings(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return scrubbed(value, redact);
  if (typeof value === 'number') {
    const digits = String(value);
    // null, "not said": a count that carried the key is then no count, not a string that fails the page.
    return redact(digits) === digits ? value : null;
  }
  if (Array.isArray(value)) return value.map((item) => redactStrings(item, redact));
  if (value === null || typeof value !== 'object') return value;
  // Null prototype: a "__proto__" property stays a property, as JSON.parse made it.
  const out: Record<string, unknown> = Object.create(null);
  for (const [name, item] of Object.entries(value)) out[scrubbed(name, redact)] = redactStrings(item, redact);
  return out;
}

/** The string as it is, or its cleaned form redacted when that holds key material. */
function scrubbed(value: string, redact: (text: string) => string): string {
  const cleaned = withoutControls(value);
  const redacted = redact(cleaned);
  return redacted === cleaned ? value : redacted;
}
