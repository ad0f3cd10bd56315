// The shape of a phone number as E.164 writes it, checked by character codes: the listing's
// numbers are checked 100k at a time, where a regular expression per number showed in profiles.

/** `+` then at least one ASCII digit and nothing else. */
export function isPlusDigits(value: string): boolean {
  if (value.length < 2 || value.charCodeAt(0) !== 0x2b) return false;
  for (let i = 1; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** A strict E.164 value, as /^\+[1-9]\d{1,14}$/: `+`, no leading zero, 2 to 15 digits. */
export function isStrictE164(value: string): boolean {
  return value.length >= 3 && value.length <= 16 && value.charCodeAt(1) !== 0x30 && isPlusDigits(value);
}
