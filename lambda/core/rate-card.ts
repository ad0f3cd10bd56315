// Monthly price per country and type for numbers whose cost the API does not state.
// Shape: { "currency": "USD", "rates": { "US": { "local": 1.15, "*": 1.5 }, "*": { "*": 3 } } }.
import { ConfigError } from './errors';
import { NUMBER_TYPES, type CostSource, type KnownNumberType, type PhoneNumber } from './types';

export type { CostSource };

export const WILDCARD = '*';

type TypeKey = KnownNumberType | typeof WILDCARD;

export interface RateCard {
  currency: 'USD';
  /** Country (ISO alpha-2 upper case, or `*`) -> type (or `*`) -> USD per month. */
  rates: Record<string, Partial<Record<TypeKey, number>>>;
}

export interface NumberCost {
  usd: number | null;
  source: CostSource;
}

const TYPE_ALIASES: Readonly<Record<string, KnownNumberType>> = { tollfree: 'toll_free' };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeKey(setting: string, where: string, key: string): TypeKey {
  if (key === WILDCARD) return WILDCARD;
  const v = key.trim().toLowerCase().replace(/[-\s]/g, '_');
  const canonical = TYPE_ALIASES[v] ?? v;
  if (!(NUMBER_TYPES as readonly string[]).includes(canonical)) {
    throw new ConfigError(
      setting,
      `${where}: "${short(key)}" is not a number type; use one of ${NUMBER_TYPES.join(', ')} or *`,
    );
  }
  return canonical as KnownNumberType;
}

function countryKey(setting: string, key: string): string {
  if (key === WILDCARD) return WILDCARD;
  const v = key.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(v)) {
    throw new ConfigError(setting, `rates: "${short(key)}" is not a two-letter ISO country code (e.g. US, IN) or *`);
  }
  return v;
}

function rate(setting: string, where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(
      setting,
      `${where} must be a non-negative number of USD per month (got ${short(JSON.stringify(value) ?? String(value))})`,
    );
  }
  return value;
}

/** Validates a parsed rate card; every problem is a ConfigError naming `setting` and the bad entry. */
export function parseRateCard(json: unknown, setting: string): RateCard {
  if (!isPlainObject(json))
    throw new ConfigError(setting, 'the rate card must be a JSON object with "currency" and "rates"');
  for (const key of Object.keys(json)) {
    if (key !== 'currency' && key !== 'rates')
      throw new ConfigError(setting, `unknown field "${short(key)}"; only "currency" and "rates" are allowed`);
  }
  if (json.currency !== undefined && json.currency !== 'USD') {
    throw new ConfigError(setting, `currency must be "USD" (got ${short(JSON.stringify(json.currency) ?? '')})`);
  }
  if (!isPlainObject(json.rates))
    throw new ConfigError(setting, '"rates" must be an object of country -> type -> USD per month');
  const rates: RateCard['rates'] = {};
  for (const [rawCountry, byType] of Object.entries(json.rates)) {
    const country = countryKey(setting, rawCountry);
    const where = `rates.${short(rawCountry)}`;
    if (country in rates) throw new ConfigError(setting, `${where}: country ${country} is listed twice`);
    if (!isPlainObject(byType)) throw new ConfigError(setting, `${where} must be an object of type -> USD per month`);
    const row: Partial<Record<TypeKey, number>> = {};
    for (const [rawType, value] of Object.entries(byType)) {
      const type = typeKey(setting, where, rawType);
      if (type in row) throw new ConfigError(setting, `${where}: type ${type} is listed twice`);
      row[type] = rate(setting, `${where}.${short(rawType)}`, value);
    }
    if (Object.keys(row).length === 0) throw new ConfigError(setting, `${where} has no rates`);
    rates[country] = row;
  }
  if (Object.keys(rates).length === 0) throw new ConfigError(setting, '"rates" is empty');
  return { currency: 'USD', rates };
}

/** For a rate card given as text (a file, an env var, a CDK context string). */
export function parseRateCardText(text: string, setting: string): RateCard {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(setting, `the rate card is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseRateCard(json, setting);
}

/** Lookup order: country.type, country.*, *.type, *.*. */
export function rateFor(countryCode: string, type: PhoneNumber['type'], card: RateCard): number | null {
  const country = card.rates[countryCode];
  const any = card.rates[WILDCARD];
  const t = type as TypeKey;
  return country?.[t] ?? country?.[WILDCARD] ?? any?.[t] ?? any?.[WILDCARD] ?? null;
}

/** The API's own monthly cost wins; the rate card only fills gaps. */
export function costFor(number: PhoneNumber, card?: RateCard): NumberCost {
  if (number.monthlyCostUsd !== null) return { usd: number.monthlyCostUsd, source: 'api' };
  const usd = card ? rateFor(number.countryCode, number.type, card) : null;
  return usd === null ? { usd: null, source: 'unknown' } : { usd, source: 'rate-card' };
}

/**
 * Prices the numbers the API did not price; without a card they come back unchanged. A cost an
 * earlier card filled in is looked up again, so applying a card twice changes nothing.
 */
export function applyRateCard(numbers: readonly PhoneNumber[], card?: RateCard): PhoneNumber[] {
  if (!card) return [...numbers];
  return numbers.map((n) => {
    const cost = costFor(n.costSource === 'rate-card' ? { ...n, monthlyCostUsd: null } : n, card);
    return cost.usd === n.monthlyCostUsd && cost.source === n.costSource
      ? n
      : { ...n, monthlyCostUsd: cost.usd, costSource: cost.source };
  });
}

function short(v: string): string {
  const clean = v.replace(/[\x00-\x1f\x7f]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 37)}...` : clean;
}
