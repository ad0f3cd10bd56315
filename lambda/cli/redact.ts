// Last line of defence for the API key: every byte the CLI prints (and every text file it writes)
// passes through here. Our own messages never carry the key; this covers anything that might.

import { REDACTED, redactSecrets } from '../core/redact';

export { REDACTED };
/** Shorter values would blank out ordinary words; real keys are far longer. */
const MIN_SECRET_LENGTH = 6;

export interface Redactor {
  add(secret: string | undefined): void;
  redact(text: string): string;
}

export function createRedactor(): Redactor {
  const secrets = new Set<string>();
  return {
    add(secret) {
      const s = secret?.trim();
      if (s && s.length >= MIN_SECRET_LENGTH) secrets.add(s);
    },
    // Whole or in part: any run of 8 or more characters of a known secret.
    redact: (text) => redactSecrets(text, secrets),
  };
}
