// A number's country and type from libphonenumber's numbering plan (its `max` metadata). Parsing
// with the library rebuilds every pattern's RegExp on each call, which was most of normalize's
// time; the fast path below asks the same questions of the same metadata, in the same order, with
// each pattern compiled once. It answers only plain `+` and digits with a geographic calling code
// and no national prefix to strip; every other input goes through the library, the reference.
import { Metadata, type MetadataJson } from 'libphonenumber-js/core';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
// The same module the `max` build parses with: the bundle holds the metadata once.
import maxMetadata from 'libphonenumber-js/max/metadata';

/** What normalize asks of a number's plan: libphonenumber's `country`, `countryCallingCode` and `getType()`. */
export interface PlanFacts {
  readonly country: string | undefined;
  readonly countryCallingCode: string;
  type(): string | undefined;
}

/** The reference: libphonenumber's own parse. Undefined when it cannot parse the number. */
export function libraryPlanFacts(e164: string): PlanFacts | undefined {
  let parsed: ReturnType<typeof parsePhoneNumberFromString>;
  try {
    parsed = parsePhoneNumberFromString(e164);
  } catch {
    return undefined;
  }
  if (!parsed) return undefined;
  const found = parsed;
  return { country: found.country, countryCallingCode: found.countryCallingCode, type: () => found.getType() };
}

/** The parts of the library's Metadata class (source/metadata.js) the fast path reads; its typings omit them. */
interface LibraryType {
  pattern(): string;
  possibleLengths(): number[] | undefined;
}
interface LibraryMetadata {
  selectNumberingPlan(countryOrCallingCode: string): void;
  hasCallingCode(callingCode: string): boolean | undefined;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
  nationalNumberPattern(): string;
  nationalPrefixForParsing(): string | undefined;
  leadingDigits(): string | undefined;
  type(type: string): LibraryType | undefined;
}

/** A type's pattern as `isNumberTypeEqualTo` uses it; `matches` is null when the pattern is empty or absent. */
interface CompiledType {
  readonly name: string;
  readonly pattern: string;
  readonly matches: RegExp | null;
  readonly lengths: readonly number[] | undefined;
}

/** One country's plan with every pattern compiled as the library's `matchesEntirely` and `search` would. */
interface CompiledPlan {
  readonly nationalNumber: RegExp;
  readonly prefixForParsing: RegExp | undefined;
  readonly leadingDigits: RegExp | undefined;
  readonly fixedLine: CompiledType | undefined;
  readonly mobile: CompiledType | undefined;
  /** getNumberType's NON_FIXED_LINE_PHONE_TYPES, in its order: the first that matches wins. */
  readonly others: readonly CompiledType[];
}

const NON_FIXED_LINE_TYPES = [
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
];

/**
 * What the fast path takes: `+`, a non-zero digit, 6-17 digits in all. Within it the library's
 * input checks (viable number, no extension, 2-17 national digits) always pass.
 */
const PLAIN_E164 = /^\+[1-9]\d{5,16}$/;

/** The longest calling code (the library's MAX_LENGTH_COUNTRY_CODE). */
const MAX_CALLING_CODE_DIGITS = 3;

/** Lazily built; bounded by the metadata's countries, never keyed by input. */
let metadata: LibraryMetadata | undefined;
const plans = new Map<string, CompiledPlan>();

function library(): LibraryMetadata {
  metadata ??= new Metadata(maxMetadata as unknown as MetadataJson) as unknown as LibraryMetadata;
  return metadata;
}

function entirely(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

function compileType(meta: LibraryMetadata, name: string): CompiledType | undefined {
  const type = meta.type(name);
  if (!type) return undefined;
  const pattern = type.pattern();
  return { name, pattern, matches: pattern ? entirely(pattern) : null, lengths: type.possibleLengths() };
}

function compile(country: string): CompiledPlan {
  const meta = library();
  meta.selectNumberingPlan(country);
  const prefix = meta.nationalPrefixForParsing();
  const leading = meta.leadingDigits();
  const others: CompiledType[] = [];
  for (const name of NON_FIXED_LINE_TYPES) {
    const type = compileType(meta, name);
    if (type) others.push(type);
  }
  return {
    nationalNumber: entirely(meta.nationalNumberPattern()),
    prefixForParsing: prefix ? new RegExp(`^(?:${prefix})`) : undefined,
    leadingDigits: leading ? new RegExp(leading) : undefined,
    fixedLine: compileType(meta, 'FIXED_LINE'),
    mobile: compileType(meta, 'MOBILE'),
    others,
  };
}

function planOf(country: string): CompiledPlan {
  let plan = plans.get(country);
  if (!plan) {
    plan = compile(country);
    plans.set(country, plan);
  }
  return plan;
}

/** The library's isNumberTypeEqualTo. */
function isType(nationalNumber: string, type: CompiledType | undefined): boolean {
  if (!type?.matches) return false;
  if (type.lengths && !type.lengths.includes(nationalNumber.length)) return false;
  return type.matches.test(nationalNumber);
}

/** The library's getNumberType for a national number under one plan. */
function numberType(nationalNumber: string, plan: CompiledPlan): string | undefined {
  if (!plan.nationalNumber.test(nationalNumber)) return undefined;
  if (isType(nationalNumber, plan.fixedLine)) {
    // No mobile type, an empty mobile pattern, or a number that is both: the plan cannot tell.
    const mobile = plan.mobile;
    if (!mobile || mobile.pattern === '' || isType(nationalNumber, mobile)) return 'FIXED_LINE_OR_MOBILE';
    return 'FIXED_LINE';
  }
  for (const type of plan.others) if (isType(nationalNumber, type)) return type.name;
  return undefined;
}

/** The library's getCountryByNationalNumber: the first sharing country whose leading digits or types fit. */
function countryByNationalNumber(nationalNumber: string, countries: readonly string[]): string | undefined {
  for (const country of countries) {
    const plan = planOf(country);
    if (plan.leadingDigits) {
      if (nationalNumber.search(plan.leadingDigits) === 0) return country;
    } else if (numberType(nationalNumber, plan)) return country;
  }
  return undefined;
}

/** The geographic calling code the library would extract and its countries (main country first); else undefined. */
function callingCodeOf(e164: string): { callingCode: string; countries: string[] } | undefined {
  const meta = library();
  for (let end = 2; end - 1 <= MAX_CALLING_CODE_DIGITS && end <= e164.length; end++) {
    const callingCode = e164.slice(1, end);
    const countries = meta.getCountryCodesForCallingCode(callingCode);
    if (countries) return { callingCode, countries };
    // A non-geographic code (+800, +882, ...): left to the library.
    if (meta.hasCallingCode(callingCode)) return undefined;
  }
  return undefined;
}

/** The library's facts for a plain E.164 number it provably parses the same way; else undefined (ask the library). */
export function fastPlanFacts(e164: string): PlanFacts | undefined {
  if (!PLAIN_E164.test(e164)) return undefined;
  const code = callingCodeOf(e164);
  if (!code) return undefined;
  const { callingCode, countries } = code;
  const nationalNumber = e164.slice(1 + callingCode.length);
  // The main country's national prefix: where it could strip or rewrite anything, the library decides.
  const prefixMatch = planOf(countries[0]).prefixForParsing?.exec(nationalNumber);
  if (prefixMatch?.some(Boolean)) return undefined;
  const country = countries.length === 1 ? countries[0] : countryByNationalNumber(nationalNumber, countries);
  // getType() selects the found country's plan, else the calling code's main country's.
  return {
    country,
    countryCallingCode: callingCode,
    type: () => numberType(nationalNumber, planOf(country ?? countries[0])),
  };
}

/** libphonenumber's facts for a number, answered from its compiled metadata where that is provably the same. */
export function planFacts(e164: string): PlanFacts | undefined {
  return fastPlanFacts(e164) ?? libraryPlanFacts(e164);
}
