// Validators shared by every surface that takes settings (Lambda env, event overrides, CLI flags,
// CDK context). Each returns the clean value or throws ConfigError naming the setting.
import { ConfigError } from './errors';
import { NUMBER_TYPES, type KnownNumberType } from './types';

// Deliberately plain: one @, no spaces or control characters, a dotted domain. SES is the real judge;
// this only catches typos and header injection early.
const EMAIL_RE =
  /^[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export const MAX_RECIPIENTS = 50;

export function parseEmail(setting: string, value: string): string {
  const v = value.trim();
  if (!EMAIL_RE.test(v)) throw new ConfigError(setting, `"${printable(v)}" is not an email address`);
  return v;
}

/** A list of 1-50 addresses, from a comma-separated string or an array. */
export function parseEmailList(
  setting: string,
  value: string | readonly string[],
  options: { min?: number } = {},
): string[] {
  const min = options.min ?? 1;
  const items = (typeof value === 'string' ? value.split(',') : [...value])
    .map((s) => String(s).trim())
    .filter((s) => s !== '');
  if (items.length < min)
    throw new ConfigError(setting, min === 1 ? 'needs at least one email address' : `needs at least ${min} addresses`);
  if (items.length > MAX_RECIPIENTS)
    throw new ConfigError(setting, `has ${items.length} addresses; at most ${MAX_RECIPIENTS} are allowed per email`);
  const out = items.map((item) => parseEmail(setting, item));
  // The first spelling of each address, compared case-insensitively.
  const byLower = new Map<string, string>();
  for (const a of out) if (!byLower.has(a.toLowerCase())) byLower.set(a.toLowerCase(), a);
  return [...byLower.values()];
}

export function parseTimeZone(setting: string, value: string): string {
  const v = value.trim();
  try {
    // Throws RangeError for anything that is not a time zone the runtime knows.
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return v;
  } catch {
    throw new ConfigError(
      setting,
      `"${printable(v)}" is not an IANA time zone (e.g. UTC, Europe/London, Asia/Kolkata)`,
    );
  }
}

export function parseCountryCode(setting: string, value: string): string {
  const v = value.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(v))
    throw new ConfigError(setting, `"${printable(value)}" is not a two-letter ISO country code (e.g. IN, US)`);
  return v;
}

export function parseNumberType(setting: string, value: string): KnownNumberType {
  const v = value.trim().toLowerCase().replace(/[-\s]/g, '_');
  const canonical = v === 'tollfree' ? 'toll_free' : v;
  if (!(NUMBER_TYPES as readonly string[]).includes(canonical)) {
    throw new ConfigError(setting, `"${printable(value)}" is not a number type; use one of ${NUMBER_TYPES.join(', ')}`);
  }
  return canonical as KnownNumberType;
}

export function parseHttpsUrl(setting: string, value: string, options: { allowLoopbackHttp?: boolean } = {}): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(setting, `"${printable(value)}" is not a URL`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(options.allowLoopbackHttp && loopback && url.protocol === 'http:')) {
    throw new ConfigError(setting, `must be an https:// URL (got ${url.protocol}//${url.host})`);
  }
  if (url.username || url.password) throw new ConfigError(setting, 'must not carry credentials');
  return url.origin + url.pathname.replace(/\/+$/, '');
}

export function parseIntInRange(setting: string, value: string | number, min: number, max: number): number {
  const n = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(setting, `must be a whole number from ${min} to ${max} (got "${printable(String(value))}")`);
  }
  return n;
}

export function parseBoolean(setting: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  throw new ConfigError(setting, `must be true or false (got "${printable(value)}")`);
}

/** Values echoed in errors are config values, never secrets; still keep them on one short line. */
function printable(v: string): string {
  const clean = v.replace(/[\x00-\x1f\x7f]/g, '?');
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}
