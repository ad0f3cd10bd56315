// Deterministic, realistic DialNexa workspaces: the same seed always gives the same numbers,
// so tests, the demo and the benchmark can replay a portfolio exactly.
import { AGENT_TYPES, type PortfolioOptions, type SimAgent, type SimRecord } from './types';
import type { Rng } from './prng';
import { base36, mulberry32, pick, pickWeighted, randInt, shuffled } from './prng';
import type { SimCountry, SimNumberType } from './numbering';
import { derivedCountryFor, generateNumber, typesOf } from './numbering';

/** Agents routed to when `agentIds` is not given: `generateAgents(seed, DEFAULT_AGENT_COUNT)`. */
export const DEFAULT_AGENT_COUNT = 8;

const COUNTRY_WEIGHTS: ReadonlyArray<readonly [SimCountry, number]> = [
  ['US', 35],
  ['IN', 20],
  ['GB', 15],
  ['CA', 8],
  ['AU', 8],
  ['DE', 7],
  ['FR', 3],
  ['SG', 2],
  ['JE', 2],
];

const TYPE_WEIGHTS: Record<SimCountry, Partial<Record<SimNumberType, number>>> = {
  US: { local: 85, toll_free: 15 },
  CA: { local: 88, toll_free: 12 },
  GB: { local: 55, mobile: 25, toll_free: 20 },
  IN: { local: 35, mobile: 45, toll_free: 20 },
  AU: { local: 50, mobile: 30, toll_free: 20 },
  DE: { local: 60, mobile: 25, toll_free: 15 },
  FR: { local: 60, mobile: 25, toll_free: 15 },
  SG: { local: 50, mobile: 40, toll_free: 10 },
  JE: { local: 60, mobile: 40 },
};

const MONTHLY_USD: Record<SimCountry, Partial<Record<SimNumberType, string>>> = {
  US: { local: '1.15', toll_free: '2.15' },
  CA: { local: '1.15', toll_free: '2.15' },
  GB: { local: '1.50', mobile: '1.00', toll_free: '2.50' },
  IN: { local: '4.50', mobile: '6.00', toll_free: '12.00' },
  AU: { local: '3.00', mobile: '6.50', toll_free: '16.00' },
  DE: { local: '1.50', mobile: '4.00', toll_free: '15.00' },
  FR: { local: '1.20', mobile: '4.00', toll_free: '19.00' },
  SG: { local: '5.00', mobile: '5.00', toll_free: '25.00' },
  JE: { local: '2.00', mobile: '4.00' },
};

const NICKNAMES: Record<SimCountry, string[]> = {
  US: [
    'New York sales line',
    'SF support',
    'Chicago reception',
    'Austin billing',
    'Boston after-hours',
    'Seattle demo line',
    'Miami collections',
    'US toll-free support',
  ],
  IN: [
    'Mumbai sales line',
    'Delhi support',
    'Bengaluru helpdesk',
    'Chennai reception',
    'Pune collections',
    'सहायता केंद्र',
  ],
  GB: ['UK support', 'London sales', 'Manchester reception', 'Edinburgh office', 'UK freephone'],
  CA: ['Toronto reception', 'Vancouver support', 'Montréal ventes', 'Calgary dispatch'],
  AU: ['Sydney support', 'Melbourne sales', 'Brisbane bookings', 'Perth after-hours'],
  DE: ['Berlin Kundendienst', 'München Vertrieb', 'Hamburg Zentrale'],
  FR: ['Service client Paris', 'Lyon accueil', 'Bordeaux ventes'],
  SG: ['Singapore support', '新加坡客服'],
  JE: ['Jersey office', 'St Helier bookings'],
};
const WORLD_NICKNAMES = ['東京オフィス', 'Отдел продаж', 'Служба поддержки', 'مكتب دبي'];

const AGENT_TITLES = [
  'Front desk receptionist',
  'Sales qualifier',
  'Support triage',
  'Appointment booking',
  'After-hours voicemail',
  'Billing assistant',
  'Order status',
  'Recruiting screener',
  'Survey caller',
  'Collections reminder',
];
const LANGUAGES = ['en-US', 'en-GB', 'en-IN', 'hi-IN', 'de-DE', 'fr-FR'];
const PROVIDERS: ReadonlyArray<readonly [string, number]> = [
  ['twilio', 50],
  ['plivo', 30],
  ['telnyx', 20],
];
const REGIONS: Record<SimCountry, string> = {
  US: 'us-east',
  CA: 'us-east',
  GB: 'eu-west',
  JE: 'eu-west',
  DE: 'eu-central',
  FR: 'eu-west',
  IN: 'ap-south',
  SG: 'ap-southeast',
  AU: 'ap-southeast',
};

const EPOCH_2021 = Date.UTC(2021, 0, 1);
const SPAN_MS = Date.UTC(2025, 5, 1) - EPOCH_2021;

function isoDate(rng: Rng): string {
  return new Date(EPOCH_2021 + Math.floor((rng() * SPAN_MS) / 1000) * 1000).toISOString();
}

function uniqueId(rng: Rng, prefix: string, taken: Set<string>): string {
  for (;;) {
    const id = prefix + base36(rng, 12);
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

function ratio(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be between 0 and 1`);
  return v;
}

export function generateAgents(seed: number, count: number): SimAgent[] {
  const rng = mulberry32(seed ^ 0x5bd1e995);
  const ids = new Set<string>();
  return Array.from({ length: count }, (_, i) => {
    const base = AGENT_TITLES[i % AGENT_TITLES.length];
    const title = i < AGENT_TITLES.length ? base : `${base} ${Math.floor(i / AGENT_TITLES.length) + 1}`;
    return {
      id: uniqueId(rng, 'agt_', ids),
      agent_type: AGENT_TYPES[i % AGENT_TYPES.length],
      folder_id: null,
      current_version: { title, version: randInt(rng, 1, 12), language: pick(rng, LANGUAGES) },
      created_at: isoDate(rng),
    };
  });
}

type Life = 'active' | 'pending' | 'expired';

/** A record in its one clean shape. */
function canonicalRecord(base: Base): SimRecord {
  const rec: SimRecord = {
    id: base.id,
    phone_number: base.phoneNumber,
    country_code: base.country,
    type: base.type,
    status: base.life,
    inbound_agent_id: base.agentId,
    nickname: base.nickname,
    provider: base.provider,
    created_at: base.createdAt,
  };
  if (base.cost !== undefined) rec.monthly_cost_usd = base.cost;
  return rec;
}

/** Cycles through variants so each one shows up even when its category is small. */
class Cycle<T> {
  private i = 0;
  constructor(private readonly items: readonly T[]) {}
  next(): T {
    return this.items[this.i++ % this.items.length];
  }
}

type UnroutedShape = [field: 'inbound_agent_id' | 'agent_id' | null, value: null | ''];
const UNROUTED_SHAPES: readonly UnroutedShape[] = [
  ['inbound_agent_id', null],
  [null, null],
  ['inbound_agent_id', ''],
  ['agent_id', null],
  ['agent_id', ''],
];

interface Base {
  id: string;
  phoneNumber: string;
  country: SimCountry;
  type: SimNumberType;
  life: Life;
  agentId: string | null;
  nickname: string;
  provider: string;
  createdAt: string;
  cost?: string;
}

const CROWN_DEPENDENCIES = new Set(['JE', 'GG', 'IM']);

interface MixedState {
  unrouted: Cycle<UnroutedShape>;
  tollFree: Cycle<string>;
}

function mixedRecord(base: Base, rng: Rng, state: MixedState): SimRecord {
  const rec: SimRecord = { id: base.id, phone_number: base.phoneNumber };
  // Dropped only where the number itself still tells the right country (not CA toll-free), and
  // never for Crown dependencies: the audit groups a +44 number it has to place itself under GB.
  const derivable =
    derivedCountryFor(base.country, base.type) === base.country && !CROWN_DEPENDENCIES.has(base.country);
  if (!(derivable && rng() < 0.12)) rec.country_code = base.country;
  if (rng() >= 0.08) rec.type = base.type === 'toll_free' ? state.tollFree.next() : base.type;

  if (base.life === 'expired') {
    rec.status = 'active';
    rec.rental_status = 'expired';
  } else {
    rec.status = base.life;
    if (rng() < 0.2) rec.rental_status = 'active';
  }

  if (base.agentId !== null) {
    rec[rng() < 0.65 ? 'inbound_agent_id' : 'agent_id'] = base.agentId;
  } else {
    const [field, value] = state.unrouted.next();
    if (field) rec[field] = value;
  }

  const naming = rng();
  if (naming < 0.55) rec.nickname = base.nickname;
  else if (naming < 0.8) rec.label = base.nickname;

  rec.provider = base.provider;
  rec.created_at = base.createdAt;
  if (base.cost !== undefined) rec.monthly_cost_usd = base.cost;
  if (rng() < 0.3) rec.capabilities = { voice: true, sms: base.type === 'mobile' || rng() < 0.3 };
  if (rng() < 0.1) rec.x_region = REGIONS[base.country];
  return rec;
}

/**
 * One seed gives the same ids, numbers, countries, types, statuses, agents and costs in both
 * `mixed` and `canonical`; only the field shapes differ.
 * Exactly round(size * notActiveRatio) numbers are pending/expired, exactly
 * round(active * unroutedRatio) active numbers have no agent, and exactly round(size * costRatio)
 * carry monthly_cost_usd; which ones is decided by the seed.
 */
export function generatePortfolio(opts: PortfolioOptions): SimRecord[] {
  const { seed, size } = opts;
  if (!Number.isInteger(size) || size < 0) throw new RangeError('size must be a non-negative integer');
  const unroutedRatio = ratio('unroutedRatio', opts.unroutedRatio, 0.03);
  const notActiveRatio = ratio('notActiveRatio', opts.notActiveRatio, 0.02);
  const costRatio = ratio('costRatio', opts.costRatio, 0.6);
  const agentIds = opts.agentIds ?? generateAgents(seed, DEFAULT_AGENT_COUNT).map((a) => a.id);

  const rng = mulberry32(seed);
  // A separate stream for field shapes, so `mixed` and `canonical` of one seed hold the same numbers.
  const shapeRng = mulberry32(seed ^ 0x9e3779b9);
  const indices = Array.from({ length: size }, (_, i) => i);

  const notActive = new Set(shuffled(rng, indices).slice(0, Math.round(size * notActiveRatio)));
  const active = indices.filter((i) => !notActive.has(i));
  const unrouted = new Set(shuffled(rng, active).slice(0, Math.round(active.length * unroutedRatio)));
  const priced = new Set(shuffled(rng, indices).slice(0, Math.round(size * costRatio)));
  if (agentIds.length === 0 && active.length > unrouted.size) throw new RangeError('agentIds must not be empty');

  const ids = new Set<string>();
  const numbers = new Set<string>();
  const state: MixedState = {
    unrouted: new Cycle(UNROUTED_SHAPES),
    tollFree: new Cycle(['toll_free', 'toll-free', 'tollfree']),
  };
  let notActiveSeen = 0;

  return indices.map((i) => {
    const country = pickWeighted(rng, COUNTRY_WEIGHTS);
    const type = pickWeighted(
      rng,
      typesOf(country).map((t) => [t, TYPE_WEIGHTS[country][t] ?? 0] as const),
    );
    const phoneNumber = generateNumber(rng, country, type, numbers);
    numbers.add(phoneNumber);

    const life: Life = notActive.has(i) ? (notActiveSeen++ % 2 === 0 ? 'pending' : 'expired') : 'active';
    // Pending/expired numbers are routed or not at random: neither counts as unrouted.
    const routed = life === 'active' ? !unrouted.has(i) : rng() < 0.5 && agentIds.length > 0;
    const base: Base = {
      id: uniqueId(rng, 'phn_', ids),
      phoneNumber,
      country,
      type,
      life,
      agentId: routed ? pick(rng, agentIds) : null,
      nickname: rng() < 0.1 ? pick(rng, WORLD_NICKNAMES) : pick(rng, NICKNAMES[country]),
      provider: pickWeighted(rng, PROVIDERS),
      createdAt: isoDate(rng),
      cost: priced.has(i) ? MONTHLY_USD[country][type] : undefined,
    };
    return opts.variants === 'canonical' ? canonicalRecord(base) : mixedRecord(base, shapeRng, state);
  });
}
