// The API key must not reach a log, an error, a report or a terminal, not even in part: a server
// that echoes the Authorization header into an error body, cut at some length, still leaks most of
// the key. So every run of MIN_SECRET_RUN or more characters that also occurs in a known secret is
// replaced, wherever the text was cut.

export const REDACTED = '[redacted]';

/** Shortest piece of a secret that is redacted on its own; shorter runs are ordinary text. */
export const MIN_SECRET_RUN = 8;

/** A secret shorter than a run is redacted only whole, and only from this length on. */
const MIN_WHOLE_SECRET = 4;

/**
 * Needle width and stride: every run of MIN_SECRET_RUN characters shared with the secret holds
 * the secret's window of NEEDLE characters at some offset that is a multiple of STRIDE
 * (NEEDLE + STRIDE - 1 <= MIN_SECRET_RUN), so searching those few windows and growing each hit
 * finds every run: 10 searches for a 44-character key instead of one per offset.
 */
const NEEDLE = 5;
const STRIDE = 4;

/** [start, end) ranges of `text` that are made of secret material. */
function secretRanges(text: string, secret: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  if (secret.length < MIN_SECRET_RUN) {
    if (secret.length < MIN_WHOLE_SECRET) return ranges;
    for (let i = text.indexOf(secret); i !== -1; i = text.indexOf(secret, i + 1)) ranges.push([i, i + secret.length]);
    return ranges;
  }
  for (let k = 0; k + NEEDLE <= secret.length; k += STRIDE) {
    const needle = secret.slice(k, k + NEEDLE);
    for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) {
      const run = grow(text, i, secret, k);
      if (run[1] - run[0] >= MIN_SECRET_RUN) ranges.push(run);
    }
  }
  return ranges;
}

/** The longest stretch around text[i..i+NEEDLE) that equals the secret at the same alignment. */
function grow(text: string, i: number, secret: string, k: number): [number, number] {
  let left = 0;
  while (i - left > 0 && k - left > 0 && text[i - left - 1] === secret[k - left - 1]) left += 1;
  let right = NEEDLE;
  while (i + right < text.length && k + right < secret.length && text[i + right] === secret[k + right]) right += 1;
  return [i - left, i + right];
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
