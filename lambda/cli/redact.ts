// Last line of defence for the API key: every byte the CLI prints (and every text file it writes)
// passes through here. Our own messages never carry the key; this covers anything that might.

export const REDACTED = '[redacted]';
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
    redact(text) {
      let out = text;
      for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
      return out;
    },
  };
}
