// Last line of defence for the API key: every byte the CLI prints (and every text file it writes)
// passes through here. Our own messages never carry the key; this covers anything that might.

import { REDACTED, redactSecrets } from '../core/redact';

export { REDACTED };
/** Shorter values would blank out ordinary words; real keys are far longer. */
const MIN_SECRET_LENGTH = 6;
/** Texts this long are remembered as scrubbed; shorter ones cost little to scan again. */
const REMEMBERED_LENGTH = 64 * 1024;

export interface Redactor {
  add(secret: string | undefined): void;
  redact(text: string): string;
}

export function createRedactor(): Redactor {
  const secrets = new Set<string>();
  // The last large text this redactor returned: --json prints the very string audit.json holds, so
  // the second pass over megabytes is skipped. Forgotten whenever a secret is added.
  let lastScrubbed: string | undefined;
  return {
    add(secret) {
      const s = secret?.trim();
      if (s && s.length >= MIN_SECRET_LENGTH && !secrets.has(s)) {
        secrets.add(s);
        lastScrubbed = undefined;
      }
    },
    // Whole or in part: any run of 8 or more characters of a known secret.
    redact(text) {
      if (text === lastScrubbed) return text;
      const scrubbed = redactSecrets(text, secrets);
      if (scrubbed.length >= REMEMBERED_LENGTH) lastScrubbed = scrubbed;
      return scrubbed;
    },
  };
}
