// The API key must not reach a log, an error, a report or a terminal, not even in part: a server
// that echoes the Authorization header into an error body, cut at some length, still leaks most of
// the key. So every run of MIN_SECRET_RUN or more characters that also occurs in a known secret is
// replaced, wherever the text was cut.

export const REDACTED = '[redacted]';

/** Shortest piece of a secret that is redacted on its own; shorter runs are ordinary text. */
export const MIN_SECRET_RUN = 8;

/** A secret shorter than a run is redacted only whole, and only from this length on. */
const MIN_WHOLE_SECRET = 4;

/** [start, end) ranges of `text` that are made of secret material. */
function secretRanges(text: string, secret: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const width = Math.min(secret.length, MIN_SECRET_RUN);
  if (width < MIN_WHOLE_SECRET) return ranges;
  // Every run of `width` or more characters shared with the secret is a union of width-windows of
  // the secret, so finding each window finds every such run.
  for (let j = 0; j + width <= secret.length; j += 1) {
    const needle = secret.slice(j, j + width);
    for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) ranges.push([i, i + width]);
  }
  return ranges;
}

/** `text` with every run of secret material (see above) replaced by REDACTED. */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  const ranges: Array<[number, number]> = [];
  for (const secret of secrets) if (secret) ranges.push(...secretRanges(text, secret));
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  let end = -1;
  for (const [start, stop] of ranges) {
    if (start > end) {
      if (end >= 0) out += REDACTED;
      out += text.slice(at, start);
    }
    end = Math.max(end, stop);
    at = end;
  }
  return `${out}${REDACTED}${text.slice(at)}`;
}

/** Redacts, then cuts to `max` characters: never the other way round, or a cut key escapes. */
export function redactThenCut(text: string, secrets: Iterable<string | undefined>, max: number): string {
  const redacted = redactSecrets(text, secrets);
  return redacted.length > max ? `${redacted.slice(0, max)}...` : redacted;
}
