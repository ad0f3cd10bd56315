// Realistic phone numbers per country and type, and the simulator's own reading of a number
// (used by the list filters when a record does not say its country or type).
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Rng } from './prng';
import { pick } from './prng';

export type SimNumberType = 'local' | 'mobile' | 'toll_free';
export type SimCountry = 'US' | 'IN' | 'GB' | 'CA' | 'AU' | 'DE' | 'FR' | 'SG' | 'JE';

interface Plan {
  /** `#` is any digit, `N` is 2-9. */
  templates: string[];
  /** Country libphonenumber reports; +1 toll-free numbers are not geographic, so they read as US. */
  derivedCountry?: string;
}

const NANP_TOLL_FREE = [
  '+1800N######',
  '+1888N######',
  '+1877N######',
  '+1866N######',
  '+1855N######',
  '+1844N######',
  '+1833N######',
];

const PLANS: Record<SimCountry, Partial<Record<SimNumberType, Plan>>> = {
  US: {
    local: {
      templates: ['212', '415', '312', '646', '206', '512', '617', '305', '702', '303', '404', '213'].map(
        (a) => `+1${a}N######`,
      ),
    },
    toll_free: { templates: NANP_TOLL_FREE },
  },
  CA: {
    local: {
      templates: ['416', '604', '514', '403', '613', '647', '778', '905', '780', '902'].map((a) => `+1${a}N######`),
    },
    toll_free: { templates: NANP_TOLL_FREE, derivedCountry: 'US' },
  },
  GB: {
    local: {
      templates: ['+44207#######', '+44203#######', '+44161N######', '+44131N######', '+44113N######', '+44121N######'],
    },
    mobile: { templates: ['+4474########', '+4475########', '+4477########', '+4478########', '+4479########'] },
    toll_free: { templates: ['+44800#######', '+44808#######'] },
  },
  IN: {
    local: { templates: ['+9111N#######', '+91222#######', '+91802#######', '+91332#######', '+91442#######'] },
    mobile: { templates: ['+919#########', '+918#########', '+917#########'] },
    toll_free: { templates: ['+911800#######', '+911800######'] },
  },
  AU: {
    local: { templates: ['+6129#######', '+6128#######', '+6139#######', '+6173#######', '+6189#######'] },
    mobile: { templates: ['+614########'] },
    toll_free: { templates: ['+611800######'] },
  },
  DE: {
    local: { templates: ['+4930N#######', '+4989N#######', '+4940N#######', '+4969N#######'] },
    mobile: { templates: ['+49151########', '+49160#######', '+49170#######', '+49176########'] },
    toll_free: { templates: ['+49800#######'] },
  },
  FR: {
    local: { templates: ['+331########', '+334########', '+335########'] },
    mobile: { templates: ['+336########', '+337########'] },
    toll_free: { templates: ['+33800######', '+33805######'] },
  },
  SG: {
    local: { templates: ['+656#######'] },
    mobile: { templates: ['+658#######', '+659#######'] },
    toll_free: { templates: ['+651800#######'] },
  },
  JE: {
    local: { templates: ['+441534######'] },
    mobile: { templates: ['+447797######', '+447829######', '+447937######'] },
  },
};

export function typesOf(country: SimCountry): SimNumberType[] {
  return Object.keys(PLANS[country]) as SimNumberType[];
}

/** The country libphonenumber will read from a number generated for (country, type). */
export function derivedCountryFor(country: SimCountry, type: SimNumberType): string {
  return PLANS[country][type]?.derivedCountry ?? country;
}

/** Type as libphonenumber sees it, folded to the three API types. */
function foldType(t: string | undefined): SimNumberType | undefined {
  switch (t) {
    case 'FIXED_LINE':
    case 'FIXED_LINE_OR_MOBILE':
      return 'local';
    case 'MOBILE':
      return 'mobile';
    case 'TOLL_FREE':
      return 'toll_free';
    default:
      return undefined;
  }
}

export interface NumberReading {
  country?: string;
  type?: SimNumberType;
  valid: boolean;
}

const readings = new Map<string, NumberReading>();

/** Parsed once per number: the list filter reads the same numbers on every request. */
export function readNumber(e164: string): NumberReading {
  let r = readings.get(e164);
  if (!r) {
    const parsed = parsePhoneNumberFromString(e164);
    r = parsed?.isValid()
      ? { country: parsed.country, type: foldType(parsed.getType()), valid: true }
      : { country: parsed?.country, valid: false };
    if (readings.size > 50_000) readings.clear();
    readings.set(e164, r);
  }
  return r;
}

/** toll-free / tollfree / toll_free / "Toll Free" all mean toll_free. */
export function canonicalType(value: string): string {
  const v = value.trim().toLowerCase();
  return v.replace(/[\s_-]/g, '') === 'tollfree' ? 'toll_free' : v;
}

function fill(template: string, rng: Rng): string {
  let out = '';
  for (const ch of template) {
    if (ch === '#') out += Math.floor(rng() * 10);
    else if (ch === 'N') out += 2 + Math.floor(rng() * 8);
    else out += ch;
  }
  return out;
}

/**
 * A number libphonenumber/max accepts as valid, of the wanted type and country, not in `taken`.
 * Random digits are retried because numbering plans have holes no template can describe.
 */
export function generateNumber(rng: Rng, country: SimCountry, type: SimNumberType, taken: ReadonlySet<string>): string {
  const plan = PLANS[country][type];
  if (!plan) throw new Error(`no ${type} numbers planned for ${country}`);
  const wantCountry = plan.derivedCountry ?? country;
  for (let attempt = 0; attempt < 500; attempt++) {
    const candidate = fill(pick(rng, plan.templates), rng);
    if (taken.has(candidate)) continue;
    const r = readNumber(candidate);
    if (r.valid && r.type === type && r.country === wantCountry) return candidate;
  }
  throw new Error(`could not generate a valid ${country} ${type} number`);
}
