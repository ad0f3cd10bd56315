// No part of a key we sent may reach the run through an answer: a server (or a proxy) that echoes
// the Authorization header into a nickname would otherwise put it in the report, audit.json, the
// CSV and the email. Scrubbing each 200 body here, as it arrives and while other pages are in
// flight, is what lets the CLI write its files without a pass over every byte at the end, and
// covers the Lambda's email too.

/**
 * `text` with every run of a key (see redactSecrets) taken out of its strings. Fast path: no run
 * and no escape that could spell one, so the text is returned as it is. Otherwise the strings
 * (property names too) are redacted after parsing, so a run inside a number never breaks the JSON,
 * and the value is serialized again. A body that does not parse is left to the caller's parse,
 * whose error preview is redacted on its own.
 */
export function scrubJsonText(text: string, redact: (text: string) => string): string {
  if (!text.includes('\\') && redact(text) === text) return text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  return JSON.stringify(redactStrings(value, redact));
}

function redactStrings(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactStrings(item, redact));
  if (value === null || typeof value !== 'object') return value;
  // Null prototype: a "__proto__" property stays a property, as JSON.parse made it.
  const out: Record<string, unknown> = Object.create(null);
  for (const [name, item] of Object.entries(value)) out[redact(name)] = redactStrings(item, redact);
  return out;
}
